#ifndef RAWSOCK_OPTS_H
#define RAWSOCK_OPTS_H
/* Option values shared by the applets: each parses or exits 2 with a
 * message that quotes the bad text. */

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "frame.h"

/* -i, or RAWSOCK_IFACE from the environment; NULL if neither. */
const char *opt_iface(const char *given);
void	opt_mac(const char *text, uint8_t mac[MAC_LEN]);
/* no_any: why "any" is refused where !allow_any (NULL: a general
 * reason). */
uint16_t opt_ethertype(const char *text, int allow_any, const char *no_any);
long long opt_count(const char *opt, const char *text);
/* A count in [min, max]: "invalid OPT 'TEXT': too large (MIN to MAX)". */
long long opt_range(const char *opt, const char *text, long long min,
	    long long max);
/* Seconds, and more than 0. */
double	opt_positive_seconds(const char *opt, const char *text);
/* For applets that take no operands: a usage error if one is left. */
void	opt_no_operands(int argc, char *argv[], int first);
/* The interface from -i or RAWSOCK_IFACE, or a usage error naming both. */
const char *opt_need_iface(const char *given);
double	opt_seconds(const char *opt, const char *text);
/* --vlan VID[:PCP]: the tag's TCI (VID 0 to 4094, priority 0 to 7). */
uint16_t opt_vlan(const char *text);

/*
 * One table per applet: each row is one option, and drives getopt_long
 * (the short string and the long array are built from the rows), the
 * option lines of --help, the parsing of the value with its bounds, and
 * the shell completion (rawsock --complete). The options most applets
 * have live once in a shared table (opts.c); a row with .shared takes
 * from it every field it leaves unset (often all but the help line).
 */
enum opt_kind {
	OK_FLAG,		/* no value */
	OK_TEXT,		/* any text, checked by the applet */
	OK_COUNT,		/* 1 to a very large number */
	OK_RANGE,		/* min to max */
	OK_SECONDS,		/* 0 or more */
	OK_POSITIVE_SECONDS,	/* more than 0 */
	OK_ETHERTYPE,
	OK_ETHERTYPE_ANY,	/* or "any" */
	OK_MAC,
	OK_VLAN,		/* VID[:PCP] */
};

/* What the shells offer as the value. */
enum opt_comp {
	OC_NONE,		/* a number or a MAC: no guesses */
	OC_IFACE,		/* the names in /sys/class/net */
	OC_ETHERTYPE,		/* the names ethertype_parse takes */
	OC_ETHERTYPE_ANY,	/* the same and "any" */
	OC_FILE,
	OC_USER,
	OC_COMMAND,
	OC_WORDS,		/* .words */
};

/* Long-only options: the shared ones, then each applet's from OPT_OWN. */
enum { OPT_TIMEOUT = 256, OPT_VERSION, OPT_BUSY_POLL, OPT_OWN = 300 };

struct optdef {
	int		 key;	/* the letter, or OPT_TIMEOUT, OPT_OWN + n */
	const char	*name;	/* the long name, or NULL */
	const char	*arg;	/* the value in --help, NULL for a flag */
	enum opt_kind	 kind;
	long long	 min, max;	/* OK_RANGE */
	enum opt_comp	 comp;
	const char	*words;	/* OC_WORDS: the values, space-separated */
	/* The --help text, lines joined by '\n'; NULL for a hidden alias. */
	const char	*help;
	const char	*what;	/* the value in messages; default: name */
	const char	*unit;	/* after an OK_RANGE's bounds: " bytes" */
	/* OK_ETHERTYPE: why "any" (every ethertype) is refused here. */
	const char	*no_any;
	bool		 usage;	/* a bad value is a usage error */
	int		 alias;	/* another spelling of the row of this key */
	bool		 shared;	/* the rest from the shared row of key */
	/* OPT_AT(): the field of the applet's options where opt_next()
	 * puts the value, typed by kind (a flag is a bool, text a const
	 * char *, a count, range or VLAN a long long, seconds a double, an
	 * ethertype a uint16_t, a MAC 6 bytes); 0: the applet's switch. */
	size_t		 store;
};

#define OPT_AT(type, field)	(offsetof(type, field) + 1)

/* An applet's options: usage is the synopsis and what the applet does,
 * footer the exit statuses; --help puts the option lines between. */
struct optspec {
	const char		*usage;
	const char		*footer;
	const struct optdef	*opts;	/* ends with a row whose key is 0 */
};

/* A row of the shared table, with what the applet sets on top. */
#define OPT_SHARED(k, ...)	{ .key = (k), .shared = true, __VA_ARGS__ }

#define OPTS_MAX	40

struct optparse {
	const struct optspec	*spec;
	void			*dest;	/* what OPT_AT() rows fill */
	struct optdef		 defs[OPTS_MAX];
	size_t			 n;
	struct option		*longopts;
	struct option		 longbuf[OPTS_MAX + 1];
	char			 shortopts[3 * OPTS_MAX + 2];
};

/* A parsed value: the field its row's kind fills. */
struct optval {
	const char	*text;	/* always: optarg, or NULL for a flag */
	long long	 n;	/* OK_COUNT, OK_RANGE, OK_VLAN (the TCI) */
	double		 secs;	/* OK_SECONDS, OK_POSITIVE_SECONDS */
	uint16_t	 type;	/* OK_ETHERTYPE, OK_ETHERTYPE_ANY */
	uint8_t		 mac[MAC_LEN];	/* OK_MAC */
};

/* Resolves spec's rows (shared fields, aliases) into p->defs; the rows
 * with OPT_AT() fill dest. */
void	opt_init(struct optparse *p, const struct optspec *spec, void *dest);
/* The next option's key (an alias gives its target's), its value parsed
 * and checked, or -1 at the end. -h and --version end the run here; a bad
 * option or value exits 2 with one line. */
int	opt_next(struct optparse *p, int argc, char *argv[], struct optval *v);
/* --help: the usage, the option lines from the rows, the footer. */
void	opt_help(const struct optparse *p, FILE *fp);

/* For rawsock --options and --complete (optshell.c). */
struct optapplet {
	const char		*name;
	const struct optspec	*spec;
};
/* A line per row: -L --long ARG COMPLETION WORDS ALIAS-OF, tab-separated,
 * '-' for none. */
void	opt_dump(const struct optspec *spec, FILE *fp);
/* The completion script for shell (bash, zsh or fish); -1 if unknown. */
int	opt_complete(const char *shell, const struct optapplet *a, size_t n,
	    FILE *fp);
/* A usage error in one line, pointing at --help; exits 2. */
void	usage_error(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
/* Joins argv[0..argc) with single spaces (payloads, filter expressions);
 * *len gets the length. Never NULL. */
char	*args_join(int argc, char *argv[], size_t *len);
/*
 * Text from the command line, fit to quote in a message: escaped as
 * -o vis escapes frames (print.h, ESC_VIS), so no argument can drive the
 * terminal or break the one-line rule, and cut at 200 bytes. Four calls
 * may share a message.
 * Every byte from argv, the environment, a file name, an interface name or
 * the wire is shown through it (or escape_text) before it is printed.
 */
const char *shown(const char *text);
#endif
