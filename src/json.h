#ifndef RAWSOCK_JSON_H
#define RAWSOCK_JSON_H
/*
 * JSON Lines output: one object per frame, with a fixed schema (see
 * rawrecv(1)). Pure, like print.h: the caller sizes the buffer.
 *
 * {"ts_ns":N|null,"iface":S|null,"pkttype":S|null,"src":S,"dst":S,
 *  "ethertype":"0x...","vlan":{"tpid":"0x8100","id":N,"pcp":N,"dei":N}|null,
 *  "len":N,"caplen":N,"payload":"hex"}
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
/* A string, quotes, backslashes and bytes outside printable ASCII
 * escaped (as \u00XX: bytes, not code points, so the output stays ASCII);
 * at most 6 * strlen(s) + 2 bytes. */
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
