#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "opts.h"

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
		errx(2, "invalid MAC address '%s'", text);
}

uint16_t
opt_ethertype(const char *text, int allow_any)
{
	const char *why;
	uint16_t type;

	if (ethertype_parse(text, allow_any, &type, &why) < 0)
		errx(2, "invalid ethertype '%s': %s", text, why);
	return type;
}

long long
opt_count(const char *opt, const char *text)
{
	const char *why;
	long long v;

	if (parse_count(text, 1, COUNT_MAX, &v, &why) < 0)
		errx(2, "invalid %s '%s': %s", opt, text, why);
	return v;
}

double
opt_seconds(const char *opt, const char *text)
{
	const char *why;
	double v;

	if (parse_seconds(text, &v, &why) < 0)
		errx(2, "invalid %s '%s': %s", opt, text, why);
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
opt_bad(int c, int optopt, const char *argtext)
{
	if (c == ':')
		usage_error("option '%s' needs a value", argtext);
	if (optopt != 0)
		usage_error("unknown option '-%c'", optopt);
	usage_error("unknown option '%s'", argtext);
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
