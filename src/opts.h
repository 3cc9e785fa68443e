#ifndef RAWSOCK_OPTS_H
#define RAWSOCK_OPTS_H
/* Option values shared by the applets: each parses or exits 2 with a
 * message that quotes the bad text. */

#include <stdint.h>

#include "frame.h"

/* -i, or RAWSOCK_IFACE from the environment; NULL if neither. */
const char *opt_iface(const char *given);
void	opt_mac(const char *text, uint8_t mac[MAC_LEN]);
uint16_t opt_ethertype(const char *text, int allow_any);
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

/* For getopt's '?' and ':' returns: one line naming the option, exit 2. */
void	opt_bad(int c, int optopt, const char *argtext)
	    __attribute__((noreturn));
/* A usage error in one line, pointing at --help; exits 2. */
void	usage_error(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
/* Joins argv[0..argc) with single spaces (payloads, filter expressions);
 * *len gets the length. Never NULL. */
char	*args_join(int argc, char *argv[], size_t *len);
/*
 * Text from the command line, fit to quote in a message: escaped as
 * frames are (print.h), so no argument can drive the terminal or break
 * the one-line rule, and cut at 200 bytes. Four calls may share a message.
 * Every byte from argv, the environment, a file name, an interface name or
 * the wire is shown through it (or escape_text) before it is printed.
 */
const char *shown(const char *text);
#endif
