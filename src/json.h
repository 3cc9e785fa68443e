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
