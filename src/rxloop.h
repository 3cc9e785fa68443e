#ifndef RAWSOCK_RXLOOP_H
#define RAWSOCK_RXLOOP_H
/*
 * The receivers' main loop, written once: wait for frames, a signal or the
 * deadline; hand each frame to the applet; flush whenever no further frame
 * is ready; stop after COUNT; report kernel drops at the end and progress
 * on SIGUSR1. Returns the exit status (0 done, 1 timeout or too few) or
 * exits 2 with one line when the interface goes away.
 */

#include "sock.h"

struct rxloop {
	struct rawsock	*sock;
	const char	*where;		/* interface name, or "all interfaces" */
	long long	 count;		/* 0: no limit */
	double		 timeout;	/* < 0: none */
	const char	*ready;		/* readiness line for stderr, or NULL */
	/* Takes a frame: 1 if it counts toward COUNT, 0 if skipped. */
	int		(*frame)(void *ctx, const struct rxframe *f);
	void		(*flush)(void *ctx);
	void		*ctx;
	long long	 got;		/* frames counted so far */
};

int	rxloop_run(struct rxloop *l);

/* Warns "N frames dropped by the kernel" if any were. */
void	report_drops(unsigned long long drops);

#endif
