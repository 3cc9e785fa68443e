#ifndef RAWSOCK_PACE_H
#define RAWSOCK_PACE_H
/*
 * Frames into a queue on an absolute schedule: each leaves at a fixed
 * offset from the first (k times the gap for --interval and --rate, the
 * recorded offset for --timing), on CLOCK_MONOTONIC, so a long run never
 * drifts, and frames that fell behind go at once, in one batch. Every
 * wait is in the event loop, and frames that never wait still look at it
 * once a batch: signals are taken however fast the frames go.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct loop;
struct txq;

struct pace {
	struct loop	*l;
	struct txq	*q;
	double		 gap;		/* seconds between frames; 0: none */
	bool		 started;
	struct timespec	 start;		/* when the first frame went */
	unsigned long long queued;	/* frames handed to q */
	unsigned int	 unpeeked;	/* frames since the loop last looked */
};

void	pace_init(struct pace *p, struct loop *l, struct txq *q, double gap);
/*
 * Waits until offset_ns after the first frame (the first call starts the
 * clock); what is queued goes out before. 0, or -1 and errno when that
 * flush failed. A loop that stops ends the wait early.
 */
int	pace_until(struct pace *p, uint64_t offset_ns);
/* Queues frame count times, each at its time; stops early when the loop
 * stops. 0, or -1 and errno when a send failed. */
int	pace_put(struct pace *p, const uint8_t *frame, size_t len,
	    long long count);

#endif
