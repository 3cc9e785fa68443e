#ifndef RAWSOCK_GUARD_H
#define RAWSOCK_GUARD_H
/*
 * rawecho's loop guard against echo storms. It remembers, for a short
 * window, each payload this host sent on the link and to whom: rawecho's
 * own replies, and the frames of the type that other programs here sent
 * (rawsend, rawping). A frame is an echo of one of them, and so is not
 * answered, when it is unicast to us, comes from the MAC that payload went
 * to (or the payload went to a group address), and carries the very same
 * payload within the window. Replies are always unicast, so broadcast and
 * multicast frames are never echoes: `rawsend -c 10 Boo` gets ten answers.
 * Pure: the caller passes the time.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

#define GUARD_BUCKETS	2048	/* a power of two */
#define GUARD_WAYS	4	/* payloads remembered per bucket */

struct guard_slot {
	uint64_t	hash;
	uint64_t	when_ns;
	uint32_t	len;
	uint8_t		dst[MAC_LEN];
	bool		used;
};

struct guard {
	uint64_t	  window_ns;	/* 0: the guard is off */
	struct guard_slot slot[GUARD_BUCKETS][GUARD_WAYS];
};

/* window in seconds; 0 turns the guard off. */
void	guard_init(struct guard *g, double window);
/* Remembers that payload went to dst at now_ns. */
void	guard_note(struct guard *g, const uint8_t dst[MAC_LEN],
	    const uint8_t *payload, size_t len, uint64_t now_ns);
/* Whether a frame to dst from src carrying payload echoes one we sent. */
bool	guard_is_echo(const struct guard *g, const uint8_t dst[MAC_LEN],
	    const uint8_t src[MAC_LEN], const uint8_t *payload, size_t len,
	    uint64_t now_ns);

/* Group (broadcast or multicast) addresses have the low bit of byte 0. */
static inline bool
mac_is_group(const uint8_t mac[MAC_LEN])
{
	return (mac[0] & 1) != 0;
}

#endif
