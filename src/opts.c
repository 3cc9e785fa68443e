#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "applet.h"
#include "num.h"
#include "opts.h"
#include "print.h"

/* Counts above this are surely typos; it also keeps arithmetic safe. */
#define COUNT_MAX	1000000000000LL

const char *
opt_iface(const char *given)
{
	const char *env;

	if (given != NULL)
		return given;
	env = getenv("RAWSOCK_IFACE");
	return env != NULL && env[0] != '\0' ? env : NULL;
}

void
opt_mac(const char *text, uint8_t mac[MAC_LEN])
{
	if (mac_parse(text, mac) < 0)
		errx(2, "invalid MAC address '%s'", shown(text));
}

uint16_t
opt_ethertype(const char *text, int allow_any, const char *no_any)
{
	const char *why;
	uint16_t type;

	if (ethertype_parse(text, allow_any, &type, &why) < 0) {
		if (no_any != NULL && strcasecmp(text, "any") == 0)
			why = no_any;
		errx(2, "invalid ethertype '%s': %s", shown(text), why);
	}
	return type;
}

long long
opt_count(const char *opt, const char *text)
{
	const char *why;
	long long v;

	if (parse_count(text, 1, COUNT_MAX, &v, &why) < 0)
		errx(2, "invalid %s '%s': %s", opt, shown(text), why);
	return v;
}

long long
opt_range(const char *opt, const char *text, long long min, long long max)
{
	const char *why;
	long long v;

	if (parse_count(text, min, max, &v, &why) < 0)
		errx(2, "invalid %s '%s': %s (%lld to %lld)", opt, shown(text), why,
		    min, max);
	return v;
}

void
opt_no_operands(int argc, char *argv[], int first)
{
	if (first < argc)
		usage_error("unexpected argument '%s'", shown(argv[first]));
}

const char *
opt_need_iface(const char *given)
{
	const char *ifname = opt_iface(given);

	if (ifname == NULL)
		usage_error("no interface given (use -i IFACE or "
		    "RAWSOCK_IFACE)");
	return ifname;
}

double
opt_positive_seconds(const char *opt, const char *text)
{
	double v = opt_seconds(opt, text);

	if (v == 0)
		usage_error("invalid %s '%s': must be more than 0", opt,
		    shown(text));
	return v;
}

double
opt_seconds(const char *opt, const char *text)
{
	const char *why;
	double v;

	if (parse_seconds(text, &v, &why) < 0)
		errx(2, "invalid %s '%s': %s", opt, shown(text), why);
	return v;
}

void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", getprogname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s --help')\n", getprogname());
	exit(2);
}

void
print_version(void)
{
	printf("%s %s (rawsock)\n", getprogname(), RAWSOCK_VERSION);
	exit(EXIT_OK);
}

/*
 * The options most applets have, once: a row of an applet's table with
 * .shared takes from here whatever it leaves unset.
 */
static const struct optdef shared_opts[] = {
	{ 'i', "interface", "IFACE", OK_TEXT, .comp = OC_IFACE,
	    .help = "interface (default: $RAWSOCK_IFACE)" },
	{ 't', "type", "ETHERTYPE", OK_ETHERTYPE, .comp = OC_ETHERTYPE,
	    .help = "0xEEFA (default), decimal, or a name" },
	{ 'c', "count", "COUNT", OK_COUNT, .help = "stop after COUNT frames" },
	{ OPT_TIMEOUT, "timeout", "SECONDS", OK_SECONDS,
	    .help = "exit 1 if fewer than COUNT (or no) frames came" },
	{ 'q', "quiet", NULL, OK_FLAG,
	    .help = "no 'listening on' line on standard error" },
	{ 'Z', "user", "USER", OK_TEXT, .comp = OC_USER,
	    .help = "after opening the socket, run as USER" },
	{ 'h', "help", NULL, OK_FLAG, .help = "show this help" },
	{ OPT_VERSION, "version", NULL, OK_FLAG, .help = "show the version" },
	{ OPT_BUSY_POLL, "busy-poll", NULL, OK_FLAG,
	    .help = "spin on the socket instead of sleeping: no wait for\n"
	    "the scheduler's wake-up, at the cost of one CPU at 100 %" },
};

static const struct optdef *
shared_row(int key)
{
	for (size_t i = 0; i < sizeof(shared_opts) / sizeof(shared_opts[0]);
	    i++)
		if (shared_opts[i].key == key)
			return &shared_opts[i];
	errx(2, "internal error: no shared option %d", key);
}

static const struct optdef *
find_row(const struct optparse *p, int key)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->defs[i].key == key)
			return &p->defs[i];
	return NULL;
}

/* A shared row with the fields the applet's row sets on top. */
static struct optdef
resolve(const struct optdef *r)
{
	struct optdef d;

	if (!r->shared)
		return *r;
	d = *shared_row(r->key);
#define TAKE(f)	if (r->f) d.f = r->f
	TAKE(name); TAKE(arg); TAKE(kind); TAKE(min); TAKE(max); TAKE(comp);
	TAKE(words); TAKE(help); TAKE(what); TAKE(unit); TAKE(usage);
	TAKE(store); TAKE(no_any);
#undef TAKE
	d.shared = false;
	return d;
}

void
opt_init(struct optparse *p, const struct optspec *spec, void *dest)
{
	size_t ns = 0, nl = 0;

	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->dest = dest;
	for (const struct optdef *r = spec->opts; r->key != 0; r++) {
		if (p->n == OPTS_MAX)
			errx(2, "internal error: too many options");
		p->defs[p->n++] = resolve(r);
	}
	/* An alias is its target's row under another letter, hidden. */
	for (size_t i = 0; i < p->n; i++) {
		struct optdef *d = &p->defs[i];
		const struct optdef *t;

		if (d->alias == 0)
			continue;
		if ((t = find_row(p, d->alias)) == NULL || t->alias != 0)
			errx(2, "internal error: bad alias %d", d->key);
		*d = (struct optdef){ .key = d->key, .name = d->name,
		    .arg = t->arg, .kind = t->kind, .min = t->min,
		    .max = t->max, .comp = t->comp, .words = t->words,
		    .what = t->what != NULL ? t->what : t->name,
		    .unit = t->unit, .usage = t->usage, .alias = t->key,
		    .no_any = t->no_any };
	}
	p->shortopts[ns++] = ':';
	for (size_t i = 0; i < p->n; i++) {
		const struct optdef *d = &p->defs[i];

		if (d->key < 256) {
			p->shortopts[ns++] = (char)d->key;
			if (d->arg != NULL)
				p->shortopts[ns++] = ':';
		}
		if (d->name != NULL)
			p->longbuf[nl++] = (struct option){ d->name,
			    d->arg != NULL ? required_argument : no_argument,
			    NULL, d->key };
	}
	p->shortopts[ns] = '\0';
	p->longopts = p->longbuf;
	/* Our own message, escaped, in one line: see opt_bad(). */
	opterr = 0;
}

/*
 * getopt_long says what went wrong in optopt: 0 for an unknown long
 * option (optind has gone past it, so argv[optind - 1] is that option),
 * else the key of the option, which the table names, or the unknown
 * letter. A known key under '?' is a long option given a value it does
 * not take: a known letter alone is never an error. Only the last
 * argument can lack its value, so "--" there tells a long option from a
 * cluster. argv[optind - 1] is not where a cluster's letter is: inside
 * "-vq", optind stays on it until its last letter.
 */
static void
opt_bad(const struct optparse *p, int c, char *argv[])
{
	const struct optdef *d = optopt != 0 ? find_row(p, optopt) : NULL;
	char letter[2] = "";

	if (c == ':' && d != NULL && d->name != NULL &&
	    strncmp(argv[optind - 1], "--", 2) == 0)
		usage_error("option '--%s' needs a value", shown(d->name));
	if (c == '?' && d != NULL && d->name != NULL)
		usage_error("option '--%s' takes no value", shown(d->name));
	if (optopt == 0)
		usage_error("unknown option '%s'", shown(argv[optind - 1]));
	/* A short option is one byte of argv, any byte but NUL. */
	letter[0] = (char)optopt;
	if (c == ':')
		usage_error("option '-%s' needs a value", shown(letter));
	usage_error("unknown option '-%s'", shown(letter));
}

static long long
range_value(const struct optdef *d, const char *what, const char *text)
{
	const char *why;
	long long v;

	if (parse_count(text, d->min, d->max, &v, &why) == 0)
		return v;
	if (d->usage)
		usage_error("invalid %s '%s': %s (%lld to %lld%s)", what,
		    shown(text), why, d->min, d->max, d->unit ? d->unit : "");
	errx(2, "invalid %s '%s': %s (%lld to %lld%s)", what, shown(text), why,
	    d->min, d->max, d->unit ? d->unit : "");
}

/* Puts a parsed value where its row says, as its kind types it. */
static void
store(void *dest, const struct optdef *d, const struct optval *v)
{
	char *at = (char *)dest + d->store - 1;

	switch (d->kind) {
	case OK_FLAG:
		*(bool *)(void *)at = true;
		break;
	case OK_TEXT:
		*(const char **)(void *)at = v->text;
		break;
	case OK_COUNT:
	case OK_RANGE:
	case OK_VLAN:
		*(long long *)(void *)at = v->n;
		break;
	case OK_SECONDS:
	case OK_POSITIVE_SECONDS:
		*(double *)(void *)at = v->secs;
		break;
	case OK_ETHERTYPE:
	case OK_ETHERTYPE_ANY:
		*(uint16_t *)(void *)at = v->type;
		break;
	case OK_MAC:
		memcpy(at, v->mac, MAC_LEN);
		break;
	}
}

int
opt_next(struct optparse *p, int argc, char *argv[], struct optval *v)
{
	const struct optdef *d;
	const char *what;
	int c;

	memset(v, 0, sizeof(*v));
	if ((c = getopt_long(argc, argv, p->shortopts, p->longopts,
	    NULL)) == -1)
		return -1;
	if (c == '?' || c == ':' || (d = find_row(p, c)) == NULL)
		opt_bad(p, c, argv);
	if (c == 'h') {
		opt_help(p, stdout);
		exit(EXIT_OK);
	}
	if (c == OPT_VERSION)
		print_version();
	v->text = optarg;
	what = d->what != NULL ? d->what : d->name;
	switch (d->kind) {
	case OK_FLAG:
	case OK_TEXT:
		break;
	case OK_COUNT:
		v->n = opt_count(what, optarg);
		break;
	case OK_RANGE:
		v->n = range_value(d, what, optarg);
		break;
	case OK_SECONDS:
		v->secs = opt_seconds(what, optarg);
		break;
	case OK_POSITIVE_SECONDS:
		v->secs = opt_positive_seconds(what, optarg);
		break;
	case OK_ETHERTYPE:
	case OK_ETHERTYPE_ANY:
		v->type = opt_ethertype(optarg, d->kind == OK_ETHERTYPE_ANY,
		    d->no_any);
		break;
	case OK_MAC:
		opt_mac(optarg, v->mac);
		break;
	case OK_VLAN:
		v->n = opt_vlan(optarg);
		break;
	}
	if (d->alias != 0)
		d = find_row(p, d->alias);
	if (d != NULL && d->store != 0)
		store(p->dest, d, v);
	return d != NULL ? d->key : c;
}

/* "-c, --count COUNT", "    --timeout SECONDS" or "-0, --null". */
static void
opt_left(const struct optdef *d, char *buf, size_t len)
{
	char arg[64] = "";

	if (d->arg != NULL)
		snprintf(arg, sizeof(arg), " %s", d->arg);
	if (d->key < 256 && d->name != NULL)
		snprintf(buf, len, "-%c, --%s%s", d->key, d->name, arg);
	else if (d->key < 256)
		snprintf(buf, len, "-%c%s", d->key, arg);
	else
		snprintf(buf, len, "    --%s%s", d->name, arg);
}

void
opt_help(const struct optparse *p, FILE *fp)
{
	enum { COL = 22 };

	fputs(p->spec->usage, fp);
	fputc('\n', fp);
	for (size_t i = 0; i < p->n; i++) {
		const struct optdef *d = &p->defs[i];
		const char *h = d->help, *nl;
		char left[128];

		if (h == NULL)
			continue;
		opt_left(d, left, sizeof(left));
		if (strlen(left) > COL)
			fprintf(fp, "  %s\n%*s", left, COL + 3, "");
		else
			fprintf(fp, "  %-*s ", COL, left);
		while ((nl = strchr(h, '\n')) != NULL) {
			fprintf(fp, "%.*s\n%*s", (int)(nl - h), h, COL + 3, "");
			h = nl + 1;
		}
		fprintf(fp, "%s\n", h);
	}
	fputc('\n', fp);
	fputs(p->spec->footer, fp);
}

char *
args_join(int argc, char *argv[], size_t *len)
{
	size_t n = 0, used = 0;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + (i > 0);
	if ((s = malloc(n + 1)) == NULL)
		err(2, "malloc");
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);

		if (i > 0)
			s[used++] = ' ';
		memcpy(s + used, argv[i], l);
		used += l;
	}
	s[used] = '\0';
	*len = used;
	return s;
}

const char *
shown(const char *text)
{
	enum { SHOWN_MAX = 200 };
	/* Per thread: rawrecv -j's workers may report at once. */
	static _Thread_local char bufs[4][4 * SHOWN_MAX + 4];
	static _Thread_local unsigned int next;
	char *b = bufs[next++ % 4];
	size_t len = strlen(text), n;

	n = escape_text(b, (const uint8_t *)text, len < SHOWN_MAX ? len :
	    SHOWN_MAX, ESC_VIS);
	if (len > SHOWN_MAX) {
		memcpy(b + n, "...", 3);
		n += 3;
	}
	b[n] = '\0';
	return b;
}

uint16_t
opt_vlan(const char *text)
{
	char buf[32], *pcp;
	long long vid, prio = 0;
	const char *why;

	if (strlcpy(buf, text, sizeof(buf)) >= sizeof(buf))
		errx(2, "invalid --vlan '%s': too long", shown(text));
	if ((pcp = strchr(buf, ':')) != NULL)
		*pcp++ = '\0';
	if (parse_count(buf, 0, 4094, &vid, &why) < 0)
		errx(2, "invalid --vlan '%s': VLAN ID %s (0 to 4094)",
		    shown(text), why);
	if (pcp != NULL && parse_count(pcp, 0, 7, &prio, &why) < 0)
		errx(2, "invalid --vlan '%s': priority %s (0 to 7)",
		    shown(text), why);
	return (uint16_t)(prio << 13 | vid);
}
