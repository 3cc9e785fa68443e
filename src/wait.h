#ifndef RAWSOCK_WAIT_H
#define RAWSOCK_WAIT_H
/*
 * The receivers' one wait: a socket, SIGINT/SIGTERM through a signalfd,
 * and an optional deadline on CLOCK_MONOTONIC. No SIGALRM, no handlers.
 */

#include <stdbool.h>
#include <time.h>

enum wake { WAKE_READY, WAKE_TIMEOUT, WAKE_SIGNAL };

struct waiter {
	int		sigfd;
	void		(*on_usr1)(void *);	/* SIGUSR1: report, go on */
	void		*ctx;
	bool		has_deadline;
	struct timespec	deadline;
};

/* timeout < 0: none. Blocks SIGINT and SIGTERM for the signalfd. */
void	waiter_init(struct waiter *w, double timeout);
/* After waiter_init: SIGUSR1 calls fn(ctx) and waiting goes on. */
void	waiter_on_usr1(struct waiter *w, void (*fn)(void *), void *ctx);
enum wake waiter_wait(struct waiter *w, int fd);
void	waiter_close(struct waiter *w);

#endif
