#ifndef RAWSOCK_PUT_H
#define RAWSOCK_PUT_H
/*
 * The small text writers every output format is made of. Pure: each
 * writes at d, into room the caller has sized, and returns the new end of
 * the text; none adds a NUL.
 */

#include <stddef.h>
#include <stdint.h>

/* The one table of lowercase hex digits. */
extern const char hexdigits[16];

/* s as it is, without its NUL. */
char	*put_str(char *d, const char *s);
/* v in decimal. */
char	*put_dec(char *d, unsigned long long v);
/* The n bytes at p as lowercase hex, joined by sep (0: none). */
char	*put_hex(char *d, const uint8_t *p, size_t n, char sep);
/* The low 16 bits of v as four lowercase hex digits. */
char	*put_hex4(char *d, unsigned int v);
/* Four bytes as an IPv4 address: 192.0.2.1. */
char	*put_ipv4(char *d, const uint8_t p[4]);

#endif
