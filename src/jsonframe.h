#ifndef RAWSOCK_JSONFRAME_H
#define RAWSOCK_JSONFRAME_H
/*
 * The JSON reader: one line of JSON (RFC 8259, strict) describing a frame
 * in rawrecv -o json's schema becomes that frame's bytes. rawsend --json
 * reads standard input with it, rawecho --pipe its handler's output. Pure:
 * nothing here allocates, writes or keeps state between lines.
 *
 * Keys: dst, src (MAC text), ethertype ("0x88b5", a name, or a number),
 * vlan ({"tpid","id","pcp","dei"} as rawrecv writes it, or null for no
 * tag), payload (hex) or text (a string, sent as its UTF-8 bytes).
 * ts_ns, iface, pkttype, len and caplen describe a capture, not a frame:
 * they are read and ignored. Any other key is an error, as is a key twice.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

/* Header and tag: a frame's bytes before its payload, at most. */
#define JSONFRAME_HDR_MAX	(FRAME_HDR_LEN + VLAN_TAG_LEN)

/* What a line leaves out: the command line's values. */
struct jsonframe_defaults {
	uint8_t		 dst[MAC_LEN];
	bool		 need_dst;	/* no default: a line must say */
	uint8_t		 src[MAC_LEN];
	uint16_t	 type;
	int		 vlan_tci;	/* -1: untagged */
	uint16_t	 vlan_tpid;	/* 0x8100 or 0x88a8 */
};

/*
 * Decodes one line (no newline) into a whole frame at out, at most outmax
 * bytes. Returns its length, or -1 and *why, a reason fit to follow
 * "line N: " (it may quote the line, escaped, in a buffer of this thread's
 * that the next call reuses).
 */
long	jsonframe_decode(const struct jsonframe_defaults *d, const char *line,
	    size_t len, uint8_t *out, size_t outmax, const char **why);

#endif
