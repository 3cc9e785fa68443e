#ifndef RAWSOCK_JSON_H
#define RAWSOCK_JSON_H
/*
 * JSON Lines output: one object per frame, with a fixed schema (the table
 * in rawrecv(1); rawsniff-arp's is in rawsniff-arp(1)). Pure, like
 * print.h: the caller sizes the buffer.
 *
 * {"ts_ns":N|null,"iface":S|null,"pkttype":S|null,"src":S|null,
 *  "dst":S|null,"ethertype":"0x..."|null,
 *  "vlan":{"tpid":"0x8100","id":N,"pcp":N,"dei":N}|null,
 *  "len":N,"caplen":N,"payload":"hex"}
 *
 * A value is never made up: a MAC or type the record does not hold in
 * full is null (and a tag cut before the inner type makes both ethertype
 * and vlan null), and payload is "" when there is none.
 * The promise: keys are only ever added, never renamed, removed or
 * retyped; a reader must ignore keys it does not know.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame_meta {
	bool		 has_ts;
	uint64_t	 ts_ns;		/* CLOCK_REALTIME, nanoseconds */
	const char	*iface;		/* NULL: unknown (read from a file) */
	int		 pkttype;	/* PACKET_HOST..., -1: unknown */
	size_t		 wirelen;	/* length on the wire */
};

/*
 * The one JSON writer, in put.h's way: each writes a value at d and
 * returns the new end. Keys and punctuation go in with put_str().
 */
/*
 * A string, in plain ASCII: quote and backslash escaped; controls and DEL
 * as \u00XX; valid UTF-8 as the \uXXXX of its code point (a surrogate
 * pair above U+FFFF); a byte that is not UTF-8 as \udcXX, XX the byte
 * (U+DC80-U+DCFF, Python's surrogateescape: s.encode("utf-8",
 * "surrogateescape") gives the bytes back). At most 6 bytes a byte (a
 * control or a bad byte; UTF-8 takes at most 3: 12 for 4), so at most
 * 6 * strlen(s) + 2 bytes.
 */
char	*json_put_string(char *d, const char *s);
char	*json_put_uint(char *d, unsigned long long v);
char	*json_put_bool(char *d, bool v);
char	*json_put_null(char *d);
/* An ethertype or other 16-bit code as rawrecv writes it: "0x0806". */
char	*json_put_hex16(char *d, unsigned int v);
/* A VLAN tag: {"tpid":"0x8100","id":5,"pcp":0,"dei":0}. */
char	*json_put_vlan(char *d, unsigned int tpid, unsigned int tci);

/* Returns the pkttype's name ("host", "broadcast", ...). */
const char *pkttype_name(int pkttype);

size_t	print_json(char *dst, const struct frame_meta *m, const uint8_t *frame,
	    size_t len);
static inline size_t
print_json_max(size_t len, size_t ifnamelen)
{
	return 320 + 6 * ifnamelen + 2 * len;
}

#endif
