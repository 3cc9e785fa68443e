#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "num.h"
#include "put.h"
#include "stations.h"

#define NS	1000000000ULL
/* Times in a state file: Unix seconds up to 2286, so that nanoseconds fit
 * in 64 bits. */
#define STATE_TIME_MAX	9999999999LL

static const char *const class_names[ST_CLASSES] = {
	"new", "changed", "flip-flop", "reused", "conflict", "bogon",
};

const char *
st_class_name(enum st_class c)
{
	return class_names[c];
}

void
stations_init(struct stations *t, uint64_t window_ns)
{
	memset(t, 0, sizeof(*t));
	t->window_ns = window_ns;
}

void
stations_free(struct stations *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static int
key_cmp(const char *iface, int vlan, uint32_t ip, const struct station *s)
{
	int c = strcmp(iface, s->iface);

	if (c != 0)
		return c;
	if (vlan != s->vlan)
		return vlan < s->vlan ? -1 : 1;
	if (ip != s->ip)
		return ip < s->ip ? -1 : 1;
	return 0;
}

/* The station's index, or where it would go (*found false). */
static size_t
find(const struct stations *t, const char *iface, int vlan, uint32_t ip,
    bool *found)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(iface, vlan, ip, &t->v[mid]);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

/* A new slot at i, or NULL when the table is full. */
static struct station *
insert(struct stations *t, size_t i)
{
	if (t->n == STATIONS_MAX) {
		t->full = true;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct station *v = realloc(t->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	t->n++;
	memset(&t->v[i], 0, sizeof(t->v[i]));
	return &t->v[i];
}

/* Puts mac first among s's MACs; the others keep their order. */
static void
move_first(struct station *s, const uint8_t *mac)
{
	int k;

	for (k = 0; k < s->nmacs; k++)
		if (memcmp(s->mac[k], mac, MAC_LEN) == 0)
			break;
	if (k == s->nmacs && s->nmacs < STATION_MACS)
		s->nmacs++;
	if (k == STATION_MACS)
		k = STATION_MACS - 1;	/* the oldest is forgotten */
	memmove(s->mac[1], s->mac[0], (size_t)k * MAC_LEN);
	memcpy(s->mac[0], mac, MAC_LEN);
}

/* Which change a claim by a MAC other than the owner's is. */
static enum st_class
change_class(const struct stations *t, const struct station *s,
    const uint8_t *mac, uint64_t now)
{
	if (t->window_ns > 0 && now >= s->last_ns &&
	    now - s->last_ns < t->window_ns)
		return ST_CONFLICT;
	if (s->nmacs > 1 && memcmp(s->mac[1], mac, MAC_LEN) == 0)
		return ST_FLIPFLOP;
	for (int k = 2; k < s->nmacs; k++)
		if (memcmp(s->mac[k], mac, MAC_LEN) == 0)
			return ST_REUSED;
	return ST_CHANGED;
}

static bool
event(struct stations *t, struct st_event *ev, enum st_class cls,
    const struct station *s, const struct claim *c)
{
	memset(ev, 0, sizeof(*ev));
	ev->cls = cls;
	ev->st = s;
	memcpy(ev->mac, c->mac, MAC_LEN);
	ev->ts_ns = c->ts_ns;
	ev->vlan_tpid = c->vlan_tpid;
	ev->vlan_tci = c->vlan_tci;
	t->counts[cls]++;
	return true;
}

bool
stations_claim(struct stations *t, const struct claim *c,
    struct st_event *ev)
{
	const char *iface = c->iface != NULL ? c->iface : "";
	struct station *s;
	enum st_class cls;
	bool found;
	size_t i = find(t, iface, c->vlan, c->ip, &found);

	if (c->probe) {
		/* RFC 5227 2.1.1: someone else is about to take it. */
		if (!found || memcmp(t->v[i].mac[0], c->mac, MAC_LEN) == 0)
			return false;
		s = &t->v[i];
		event(t, ev, ST_CONFLICT, s, c);
		memcpy(ev->old, s->mac[0], MAC_LEN);
		ev->has_old = true;
		ev->has_since = c->ts_ns >= s->changed_ns;
		ev->since_ns = ev->has_since ? c->ts_ns - s->changed_ns : 0;
		return true;
	}
	if (!found) {
		if ((s = insert(t, i)) == NULL)
			return false;
		strlcpy(s->iface, iface, sizeof(s->iface));
		s->vlan = c->vlan;
		s->ip = c->ip;
		memcpy(s->mac[0], c->mac, MAC_LEN);
		s->nmacs = 1;
		s->first_ns = s->last_ns = s->changed_ns = c->ts_ns;
		return event(t, ev, c->bogon ? ST_BOGON : ST_NEW, s, c);
	}
	s = &t->v[i];
	if (memcmp(s->mac[0], c->mac, MAC_LEN) == 0) {
		if (c->ts_ns > s->last_ns)
			s->last_ns = c->ts_ns;
		return false;
	}
	cls = change_class(t, s, c->mac, c->ts_ns);
	event(t, ev, cls, s, c);
	memcpy(ev->old, s->mac[0], MAC_LEN);
	ev->has_old = true;
	ev->has_since = c->ts_ns >= s->changed_ns;
	ev->since_ns = ev->has_since ? c->ts_ns - s->changed_ns : 0;
	move_first(s, c->mac);
	s->last_ns = s->changed_ns = c->ts_ns;
	return true;
}

/* The state file. */

static char *
put_ip(char *d, uint32_t ip)
{
	const uint8_t b[4] = { (uint8_t)(ip >> 24), (uint8_t)(ip >> 16),
	    (uint8_t)(ip >> 8), (uint8_t)ip };

	return put_ipv4(d, b);
}

size_t
station_format(char *dst, const struct station *s)
{
	char *d = dst, mac[MAC_TEXT_LEN];

	d = put_ip(d, s->ip);
	d = put_str(d, " ");
	d = put_str(d, mac_format(s->mac[0], mac));
	d = put_str(d, " ");
	d = put_str(d, s->iface[0] != '\0' ? s->iface : "-");
	d = put_str(d, " ");
	if (s->vlan < 0)
		d = put_str(d, "-");
	else
		d = put_dec(d, (unsigned long long)s->vlan);
	d = put_str(d, " ");
	d = put_dec(d, s->first_ns / NS);
	d = put_str(d, " ");
	d = put_dec(d, s->last_ns / NS);
	d = put_str(d, " ");
	d = put_dec(d, s->changed_ns / NS);
	for (int k = 1; k < s->nmacs; k++) {
		d = put_str(d, " ");
		d = put_str(d, mac_format(s->mac[k], mac));
	}
	d = put_str(d, "\n");
	return (size_t)(d - dst);
}

/* A dotted quad, four decimals of 0 to 255 without leading zeros. */
static int
parse_ip(const char *w, uint32_t *ip)
{
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		unsigned int n = 0;
		int digits = 0;

		if (part > 0 && *w++ != '.')
			return -1;
		while (*w >= '0' && *w <= '9' && digits < 4) {
			n = n * 10 + (unsigned int)(*w++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || n > 255 ||
		    (digits > 1 && w[-digits] == '0'))
			return -1;
		v = v << 8 | n;
	}
	if (*w != '\0')
		return -1;
	*ip = v;
	return 0;
}

/* Interface names as this file writes them: no blanks, nothing odd. */
static bool
good_iface(const char *w)
{
	size_t n = strlen(w);

	if (n == 0 || n >= IF_NAMESIZE)
		return false;
	for (; *w != '\0'; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') ||
		    (*w >= '0' && *w <= '9') || strchr("._-@:+", *w) != NULL))
			return false;
	return true;
}

bool
station_iface_ok(const char *name)
{
	return good_iface(name);
}

#define WORDS_MAX	(7 + STATION_MACS - 1)

/* Splits line (NUL-terminated, changed in place) at spaces and tabs. */
static int
split(char *line, char *w[WORDS_MAX + 1])
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == WORDS_MAX + 1)
			return n + 1;
		w[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static const char *
parse_station(char *line, struct station *s)
{
	char *w[WORDS_MAX + 1];
	const char *why;
	long long v, t[3];
	int n = split(line, w);

	memset(s, 0, sizeof(*s));
	if (n < 7 || n > WORDS_MAX)
		return "want IP MAC IFACE VLAN FIRST LAST CHANGED [OLDMAC...]";
	if (parse_ip(w[0], &s->ip) < 0)
		return "bad IPv4 address";
	if (mac_parse(w[1], s->mac[0]) < 0)
		return "bad MAC address";
	if (strcmp(w[2], "-") != 0) {
		if (!good_iface(w[2]))
			return "bad interface name";
		strlcpy(s->iface, w[2], sizeof(s->iface));
	}
	if (strcmp(w[3], "-") == 0)
		s->vlan = -1;
	else if (parse_count(w[3], 0, 4094, &v, &why) < 0)
		return "bad VLAN (0 to 4094, or -)";
	else
		s->vlan = (int)v;
	for (int k = 0; k < 3; k++)
		if (parse_count(w[4 + k], 0, STATE_TIME_MAX, &t[k], &why) < 0)
			return "bad time (Unix seconds)";
	if (t[0] > t[1] || t[2] > t[1] || t[2] < t[0])
		return "times out of order (FIRST <= CHANGED <= LAST)";
	s->first_ns = (uint64_t)t[0] * NS;
	s->last_ns = (uint64_t)t[1] * NS;
	s->changed_ns = (uint64_t)t[2] * NS;
	s->nmacs = 1;
	for (int k = 7; k < n; k++) {
		if (mac_parse(w[k], s->mac[s->nmacs]) < 0)
			return "bad old MAC address";
		for (int j = 0; j < s->nmacs; j++)
			if (memcmp(s->mac[j], s->mac[s->nmacs], MAC_LEN) == 0)
				return "a MAC listed twice";
		s->nmacs++;
	}
	return NULL;
}

static const char *
add_loaded(struct stations *t, const struct station *s)
{
	bool found;
	size_t i = find(t, s->iface, s->vlan, s->ip, &found);
	struct station *slot;

	if (found)
		return "station listed twice";
	if ((slot = insert(t, i)) == NULL)
		return t->full ? "too many stations" : strerror(ENOMEM);
	*slot = *s;
	return NULL;
}

int
stations_load(struct stations *t, const char *text, size_t len,
    size_t *line, const char **why)
{
	char buf[STATE_LINE_MAX];
	size_t off = 0;

	*line = 0;
	*why = NULL;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = (nl != NULL ? (size_t)(nl - text) : len) - off;
		struct station s;

		++*line;
		if (nl == NULL)
			*why = "last line has no newline (a torn file?)";
		else if (n >= sizeof(buf))
			*why = "line too long";
		else if (memchr(text + off, '\0', n) != NULL)
			*why = "NUL byte";
		if (*why != NULL)
			return -1;
		memcpy(buf, text + off, n);
		buf[n] = '\0';
		off += n + 1;
		if (*line == 1 && strcmp(buf, STATE_HEADER) != 0) {
			*why = "not a state file (want \"" STATE_HEADER "\")";
			return -1;
		}
		if (buf[0] == '#' || buf[strspn(buf, " \t")] == '\0')
			continue;
		if ((*why = parse_station(buf, &s)) != NULL ||
		    (*why = add_loaded(t, &s)) != NULL)
			return -1;
	}
	if (*line == 0) {
		*why = "empty (want \"" STATE_HEADER "\")";
		*line = 1;
		return -1;
	}
	return 0;
}

/* The events. */

size_t
st_event_line(char *dst, const struct st_event *ev)
{
	const struct station *s = ev->st;
	char *d = dst, mac[MAC_TEXT_LEN];

	d = put_str(d, st_class_name(ev->cls));
	d = put_str(d, " ");
	d = put_ip(d, s->ip);
	d = put_str(d, " ");
	d = put_str(d, mac_format(ev->mac, mac));
	if (ev->has_old) {
		d = put_str(d, " was ");
		d = put_str(d, mac_format(ev->old, mac));
	}
	if (s->iface[0] != '\0') {
		d = put_str(d, " on ");
		d = put_str(d, s->iface);
	}
	if (s->vlan >= 0) {
		d = put_str(d, " vlan ");
		d = put_dec(d, (unsigned long long)s->vlan);
	}
	if (ev->has_since) {
		d = put_str(d, ", ");
		d = put_dec(d, ev->since_ns / NS);
		d = put_str(d, "s since the last change");
	}
	d = put_str(d, "\n");
	return (size_t)(d - dst);
}

size_t
st_event_json(char *dst, const struct st_event *ev)
{
	const struct station *s = ev->st;
	char *d = dst, ip[16], mac[MAC_TEXT_LEN];

	*put_ip(ip, s->ip) = '\0';
	d = put_str(d, "{\"event\":");
	d = json_put_string(d, st_class_name(ev->cls));
	d = put_str(d, ",\"ts_ns\":");
	d = json_put_uint(d, ev->ts_ns);
	d = put_str(d, ",\"iface\":");
	d = s->iface[0] != '\0' ? json_put_string(d, s->iface) :
	    json_put_null(d);
	d = put_str(d, ",\"vlan\":");
	d = s->vlan >= 0 ? json_put_vlan(d, ev->vlan_tpid, ev->vlan_tci) :
	    json_put_null(d);
	d = put_str(d, ",\"ip\":");
	d = json_put_string(d, ip);
	d = put_str(d, ",\"mac\":");
	d = json_put_string(d, mac_format(ev->mac, mac));
	d = put_str(d, ",\"old_mac\":");
	d = ev->has_old ? json_put_string(d, mac_format(ev->old, mac)) :
	    json_put_null(d);
	d = put_str(d, ",\"since_change_s\":");
	d = ev->has_since ? json_put_uint(d, ev->since_ns / NS) :
	    json_put_null(d);
	d = put_str(d, ",\"first_seen_s\":");
	d = json_put_uint(d, s->first_ns / NS);
	d = put_str(d, "}\n");
	return (size_t)(d - dst);
}
