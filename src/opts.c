#include <err.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
opt_ethertype(const char *text, int allow_any)
{
	const char *why;
	uint16_t type;

	if (ethertype_parse(text, allow_any, &type, &why) < 0)
		errx(2, "invalid ethertype '%s': %s", shown(text), why);
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

/*
 * getopt_long leaves only optopt and the argument it stopped at. A long
 * option's optopt is 0 (unknown), its val (needs or takes no value) or
 * above 255 (long only), so tell it by its "--" and never print optopt
 * as a character then: --version=1 would print a control byte.
 */
void
opt_bad(int c, int optopt, const char *argtext)
{
	char letter[2] = "";
	int namelen = (int)strcspn(argtext, "=");
	bool islong = strncmp(argtext, "--", 2) == 0 && (c == ':' ||
	    optopt == 0 || optopt > 255 ||
	    (argtext[namelen] == '=' && argtext[2] == optopt));

	if (islong && c == ':')
		usage_error("option '%s' needs a value", shown(argtext));
	if (islong && optopt != 0) {
		/* The name getopt matched, so an option's, but shown all
		 * the same: every byte of argv is. */
		char name[64];

		snprintf(name, sizeof(name), "%.*s", namelen, argtext);
		usage_error("option '%s' takes no value", shown(name));
	}
	if (islong)
		usage_error("unknown option '%s'", shown(argtext));
	/* A short option is one byte of argv, any byte but NUL. */
	letter[0] = (char)optopt;
	if (c == ':')
		usage_error("option '-%s' needs a value", shown(letter));
	usage_error("unknown option '-%s'", shown(letter));
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
	    SHOWN_MAX);
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
