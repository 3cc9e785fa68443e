/*
 * libFuzzer harness for rawsniff-arp --watch's state file (stations.h):
 * any bytes. Besides the sanitizers' checks, it holds the parser to its
 * promises: a refusal names a line of the input and a reason; a file it
 * takes is written back (station_format) as lines it takes again, to the
 * same table; every line fits in STATE_LINE_MAX; and each station's events,
 * as a line and as JSON, fit in ST_TEXT_MAX and are printable ASCII.
 *
 * The seeds in tests/fuzz/corpus/state/ are state files made by hand: a
 * good one with every field, comments and blank lines, and broken ones.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stations.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] < 0x20 || s[i] > 0x7e) && s[i] != '\n')
			return false;
	return true;
}

static size_t
count_lines(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static bool
same_station(const struct station *a, const struct station *b)
{
	/* Times are kept in whole seconds. */
	return strcmp(a->iface, b->iface) == 0 && a->vlan == b->vlan &&
	    a->ip == b->ip && a->nmacs == b->nmacs &&
	    memcmp(a->mac, b->mac, sizeof(a->mac[0]) * (size_t)a->nmacs) == 0 &&
	    a->first_ns == b->first_ns && a->last_ns == b->last_ns &&
	    a->changed_ns == b->changed_ns;
}

static const char *
check_events(const struct station *s)
{
	char buf[ST_TEXT_MAX];
	struct st_event ev = { .st = s, .has_old = s->nmacs > 1,
	    .has_since = true, .since_ns = s->last_ns - s->changed_ns,
	    .ts_ns = s->last_ns, .vlan_tpid = 0x8100,
	    .vlan_tci = (uint16_t)(s->vlan < 0 ? 0 : s->vlan) };
	size_t n;

	memcpy(ev.mac, s->mac[0], sizeof(ev.mac));
	if (s->nmacs > 1)
		memcpy(ev.old, s->mac[1], sizeof(ev.old));
	for (int c = 0; c < ST_CLASSES; c++) {
		ev.cls = (enum st_class)c;
		n = st_event_line(buf, &ev);
		if (n >= ST_TEXT_MAX || !printable(buf, n) ||
		    count_lines(buf, n) != 1 || buf[n - 1] != '\n')
			return "event line: too long, not printable or not one line";
		n = st_event_json(buf, &ev);
		if (n >= ST_TEXT_MAX || !printable(buf, n) ||
		    count_lines(buf, n) != 1 || buf[0] != '{')
			return "event json: too long, not printable or not one line";
	}
	return NULL;
}

static const char *
state_check(const uint8_t *data, size_t size)
{
	struct stations t, u;
	const char *why, *bad = NULL;
	size_t line, len, cap;
	char *text;

	stations_init(&t, 0);
	if (stations_load(&t, (const char *)data, size, &line, &why) < 0) {
		stations_free(&t);
		if (why == NULL || line == 0 || line > count_lines(
		    (const char *)data, size) + 1)
			return "load: a refusal without a reason or a line";
		return NULL;
	}
	cap = sizeof(STATE_HEADER) + 1 + t.n * STATE_LINE_MAX;
	if ((text = malloc(cap)) == NULL)
		abort();
	len = (size_t)sprintf(text, "%s\n", STATE_HEADER);
	for (size_t i = 0; i < t.n && bad == NULL; i++) {
		size_t n = station_format(text + len, &t.v[i]);

		if (n >= STATE_LINE_MAX || !printable(text + len, n))
			bad = "format: a line too long or not printable";
		len += n;
		if (bad == NULL)
			bad = check_events(&t.v[i]);
	}
	stations_init(&u, 0);
	if (bad == NULL && stations_load(&u, text, len, &line, &why) < 0)
		bad = "round trip: what was written is refused";
	if (bad == NULL && u.n != t.n)
		bad = "round trip: another number of stations";
	for (size_t i = 0; bad == NULL && i < t.n; i++)
		if (!same_station(&t.v[i], &u.v[i]))
			bad = "round trip: another station";
	free(text);
	stations_free(&t);
	stations_free(&u);
	return bad;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = state_check(data, size);

	if (why != NULL) {
		fprintf(stderr, "fuzz_state: %s\n", why);
		abort();
	}
	return 0;
}
