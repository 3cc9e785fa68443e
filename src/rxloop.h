#ifndef RAWSOCK_RXLOOP_H
#define RAWSOCK_RXLOOP_H
/*
 * A receiving socket in the one loop (loop.h), written once for every
 * receiver: frames go to the applet's callback as they come, COUNT stops
 * the run, a vanished interface stops it with one message, and at the end
 * what the socket accepted but nobody took is counted, not lost.
 */

#include <stdbool.h>

#include "ifstat.h"
#include "loop.h"
#include "report.h"
#include "sock.h"

struct rxloop {
	struct loop	*loop;
	struct rawsock	*sock;
	const char	*where;		/* interface name, or "all interfaces" */
	long long	 count;		/* 0: no limit */
	/* Takes a frame: 1 if it counts toward COUNT, 0 if skipped. */
	int		(*frame)(void *ctx, const struct rxframe *f);
	/* Whether a frame left queued at the end would have been taken
	 * (the closing report counts it); NULL: every frame. */
	bool		(*wanted)(void *ctx, const struct rxframe *f);
	void		*ctx;
	/* The socket's error queue has something (POLLERR without an
	 * error): transmit timestamps. NULL: nothing is asked for there. */
	void		(*errqueue)(void *ctx);
	/* rxloop_run(): spin instead of sleeping (--busy-poll). */
	bool		 spin;
	/* rxloop_run(): the SB_* flags of the sandbox (sandbox.h) entered
	 * once the loop is set up, before the first frame is read. */
	unsigned int	 sandbox;
	/* rxloop_run(): called with the loop before the sandbox, to add
	 * hooks (loop_on_hup, its own loop_on_usr1); NULL: none. */
	void		(*setup)(void *ctx, struct loop *l);
	long long	 got;		/* frames counted so far */
	int		 error;		/* errno that stopped the run, or 0 */
	int		 id;		/* the socket's handle in the loop */
	bool		 paused;	/* rx_pause(): take no more for now */
};

/* Registers r->sock with r->loop; frames are taken from then on. */
void	rx_attach(struct rxloop *r);
/* While paused the socket is watched for errors only: frames wait in
 * the kernel (a busy rawecho). */
void	rx_pause(struct rxloop *r, bool paused);
/* Takes up to a batch of frames now, as a wake-up would. */
void	rx_take(struct rxloop *r);
/* At the end: takes what is still queued without handing it over and
 * returns how many of those were wanted; the kernel's drops go in
 * *drops. */
unsigned long long rx_leftover(struct rxloop *r, unsigned long long *drops);
/* The message for r->error: the interface went, or the receive failed. */
void	rx_report_error(const struct rxloop *r, unsigned long long got);

/*
 * A whole receiving run for rawrecv and rawsniff-arp: a loop with the
 * deadline, the readiness line (NULL: none) on stderr, flush(ctx) after
 * every wake-up, progress on SIGUSR1, and the closing report. Returns
 * the exit status.
 */
int	rxloop_run(struct rxloop *r, double timeout, const char *ready,
	    void (*flush)(void *ctx));

/* "N frames received, M dropped by the kernel[, K dropped by the
 * interface]": SIGUSR1's progress line. */
void	report_progress(long long got, unsigned long long kernel,
	    unsigned long long iface);

#endif
