#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "num.h"
#include "wait.h"

void
waiter_init(struct waiter *w, double timeout)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		err(2, "sigprocmask");
	if ((w->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		err(2, "signalfd");
	w->on_usr1 = NULL;
	w->has_deadline = timeout >= 0;
	if (w->has_deadline) {
		struct timespec now, t = timespec_from_seconds(timeout);

		clock_gettime(CLOCK_MONOTONIC, &now);
		w->deadline.tv_sec = now.tv_sec + t.tv_sec;
		w->deadline.tv_nsec = now.tv_nsec + t.tv_nsec;
		if (w->deadline.tv_nsec >= 1000000000L) {
			w->deadline.tv_sec++;
			w->deadline.tv_nsec -= 1000000000L;
		}
	}
}

void
waiter_on_usr1(struct waiter *w, void (*fn)(void *), void *ctx)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    signalfd(w->sigfd, &set, SFD_CLOEXEC | SFD_NONBLOCK) < 0)
		err(2, "signalfd");
	w->on_usr1 = fn;
	w->ctx = ctx;
}

/* 1 when the pending signal ends the wait, 0 when it was SIGUSR1. */
static int
take_signal(struct waiter *w)
{
	struct signalfd_siginfo si;

	if (w->on_usr1 == NULL)
		return 1;	/* only SIGINT and SIGTERM come here */
	while (read(w->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGUSR1)
			return 1;
		w->on_usr1(w->ctx);
	}
	return 0;
}

enum wake
waiter_wait(struct waiter *w, int fd)
{
	struct pollfd p[2] = { { fd, POLLIN, 0 }, { w->sigfd, POLLIN, 0 } };

	for (;;) {
		struct timespec now, left, *tp = NULL;
		int n;

		if (w->has_deadline) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left.tv_sec = w->deadline.tv_sec - now.tv_sec;
			left.tv_nsec = w->deadline.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_sec--;
				left.tv_nsec += 1000000000L;
			}
			/* A busy socket must not hold the deadline off. */
			if (left.tv_sec < 0)
				return WAKE_TIMEOUT;
			tp = &left;
		}
		n = ppoll(p, 2, tp, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(2, "poll");
		}
		if (p[1].revents && take_signal(w))
			return WAKE_SIGNAL;
		if (p[0].revents)
			return WAKE_READY;
		if (n == 0)
			return WAKE_TIMEOUT;
	}
}

void
waiter_close(struct waiter *w)
{
	close(w->sigfd);
}
