#ifndef RAWSOCK_PROBE_H
#define RAWSOCK_PROBE_H
/*
 * rawping's echo requests: the payload layout, and the book that matches
 * replies to requests by id and sequence number. Pure: the caller passes
 * the clocks.
 *
 * Payload (big-endian):  0 "rwpg"   4 id   8 seq   12 zero
 *                        16 send time, CLOCK_MONOTONIC ns   24.. i & 0xff
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBE_HDR_LEN	24	/* the smallest payload rawping sends */
#define PROBE_WINDOW	16384	/* requests tracked at once (a power of 2) */

struct probe {
	uint32_t	id;
	uint32_t	seq;
	uint64_t	sent_ns;
};

/* Fills len >= PROBE_HDR_LEN bytes. */
void	probe_build(uint8_t *buf, size_t len, const struct probe *p);
/*
 * Reads a payload that should be an echo of a len-byte request: 0 and *p
 * when magic, length and filler are right (longer payloads are accepted,
 * as NICs pad short frames), else -1.
 */
int	probe_parse(const uint8_t *buf, size_t buflen, size_t len,
	    struct probe *p);

enum probe_verdict {
	PROBE_REPLY,	/* first reply to a request, in time */
	PROBE_DUP,	/* another reply to a request already answered */
	PROBE_LATE,	/* a first reply after the wait, or untracked */
	PROBE_FOREIGN	/* not an answer to any request of ours */
};

struct probe_slot {
	uint32_t	seq;
	bool		used;
	bool		answered;
	uint64_t	mono_ns;	/* send time, CLOCK_MONOTONIC */
	uint64_t	real_ns;	/* the same, CLOCK_REALTIME */
	uint64_t	tx_ns;		/* the kernel's transmit stamp, or 0 */
};

struct probe_book {
	uint32_t	 id;
	uint32_t	 next_seq;	/* the next request's seq; starts at 1 */
	uint64_t	 wait_ns;	/* a reply later than this is late */
	struct probe_slot slot[PROBE_WINDOW];
};

void	probe_book_init(struct probe_book *b, uint32_t id, double wait);
/* Records the request that was sent as next_seq, and advances it. */
void	probe_book_sent(struct probe_book *b, uint64_t mono_ns,
	    uint64_t real_ns);
/* The kernel's transmit stamp of request seq, if still tracked. */
void	probe_book_stamp(struct probe_book *b, uint32_t seq, uint64_t tx_ns);
/*
 * Judges a parsed reply that arrived at now_ns (CLOCK_MONOTONIC); on
 * PROBE_REPLY, PROBE_DUP and PROBE_LATE *slot is the request's record
 * (NULL when it was too old to track).
 */
enum probe_verdict probe_book_match(struct probe_book *b,
	    const struct probe *p, uint64_t now_ns,
	    const struct probe_slot **slot);

#endif
