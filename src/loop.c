#include <err.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/time.h>	/* libbsd: timespecadd, timespecsub, timespeccmp */

#include "applet.h"
#include "loop.h"
#include "num.h"

/* Descriptors one loop watches: a socket or a few, the handlers' pipes
 * and pidfds (three per handler), the signalfd. */
#define LOOP_MAX	1024

struct source {
	loop_fd_fn	*fn;
	loop_pending_fn	*pending;
	void		*ctx;
};

struct loop {
	int		 sigfd;		/* -1: this loop takes no signals */
	struct pollfd	 pfd[LOOP_MAX];	/* [0] is the signalfd */
	struct source	 src[LOOP_MAX];
	int		 n;		/* slots in use, [0] included */
	bool		 has_deadline;
	struct timespec	 deadline;
	bool		 has_timer;
	struct timespec	 timer;
	loop_fn		*on_timer;
	void		*timer_ctx;
	loop_fn		*on_idle;
	void		*idle_ctx;
	loop_fn		*on_usr1;
	void		*usr1_ctx;
	loop_fn		*on_hup;
	void		*hup_ctx;
	bool		 spin;
	bool		 spun;		/* loop_spin(true) was called once */
	enum loop_stop	 why;
};

struct timespec
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts;
}

struct timespec
mono_after(double seconds)
{
	struct timespec now = mono_now(), t = timespec_from_seconds(seconds),
	    when;

	timespecadd(&now, &t, &when);
	return when;
}

uint64_t
mono_ns(void)
{
	struct timespec ts = mono_now();

	return ns_from_timespec(&ts);
}

uint64_t
real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ns_from_timespec(&ts);
}

/*
 * Blocks the loop's signals (SIGHUP too when asked) and has fd, or a new
 * signalfd for fd -1, take them. Blocked before any thread starts, so all
 * of them inherit the mask and only the signalfd ever sees these.
 */
static int
take_over_signals(int fd, bool hup)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	if (hup)
		sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		err(2, "sigprocmask");
	if ((fd = signalfd(fd, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		err(2, "signalfd");
	return fd;
}

struct loop *
loop_new(double timeout, bool signals)
{
	struct loop *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		err(2, "calloc");
	l->sigfd = signals ? take_over_signals(-1, false) : -1;
	l->pfd[0] = (struct pollfd){ l->sigfd, POLLIN, 0 };
	l->n = 1;
	if ((l->has_deadline = timeout >= 0))
		l->deadline = mono_after(timeout);
	return l;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	if (l->sigfd >= 0)
		close(l->sigfd);
	free(l);
}

int
loop_add(struct loop *l, int fd, short events, loop_fd_fn *fn,
    loop_pending_fn *pending, void *ctx)
{
	int id;

	/* A slot given back by loop_forget() is used again. */
	for (id = 1; id < l->n; id++)
		if (l->src[id].fn == NULL)
			break;
	if (id == l->n) {
		if (l->n == LOOP_MAX)
			errx(2, "too many descriptors to watch");
		l->n++;
	}
	l->pfd[id] = (struct pollfd){ fd, events, 0 };
	l->src[id] = (struct source){ fn, pending, ctx };
	return id;
}

void
loop_watch(struct loop *l, int id, short events)
{
	l->pfd[id].events = events;
}

void
loop_forget(struct loop *l, int id)
{
	l->pfd[id] = (struct pollfd){ -1, 0, 0 };
	l->src[id] = (struct source){ NULL, NULL, NULL };
	while (l->n > 1 && l->src[l->n - 1].fn == NULL)
		l->n--;
}

void
loop_timer(struct loop *l, const struct timespec *when, loop_fn *fn,
    void *ctx)
{
	l->has_timer = when != NULL;
	if (when != NULL)
		l->timer = *when;
	l->on_timer = fn;
	l->timer_ctx = ctx;
}

void
loop_on_idle(struct loop *l, loop_fn *fn, void *ctx)
{
	l->on_idle = fn;
	l->idle_ctx = ctx;
}

void
loop_on_usr1(struct loop *l, loop_fn *fn, void *ctx)
{
	l->on_usr1 = fn;
	l->usr1_ctx = ctx;
}

static int
first_cpu(const cpu_set_t *cpus)
{
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, cpus))
			return i;
	return -1;
}

void
loop_on_hup(struct loop *l, loop_fn *fn, void *ctx)
{
	/* Only a loop that asks takes SIGHUP: elsewhere it still ends the
	 * process, as it always did. */
	if (l->sigfd < 0)
		return;
	(void)take_over_signals(l->sigfd, true);
	l->on_hup = fn;
	l->hup_ctx = ctx;
}

void
loop_spin(struct loop *l, bool spin)
{
	cpu_set_t cpus;

	l->spin = spin;
	if (!spin || l->spun)
		return;
	l->spun = true;
	/* A spinning process never gives its CPU up: a peer that may run
	 * only there (the other end of a veth pair, pinned alike) starves.
	 * Where the other end runs is not ours to know: say where we do. */
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
	    CPU_COUNT(&cpus) == 1)
		warnx("--busy-poll on CPU %d only: a peer on the same CPU "
		    "would starve", first_cpu(&cpus));
}

void
loop_stop(struct loop *l, enum loop_stop why)
{
	if (l->why == STOP_NONE)
		l->why = why;
}

enum loop_stop
loop_stopped(const struct loop *l)
{
	return l->why;
}

/* Reads every pending signal: SIGUSR1 reports, SIGHUP (if asked for)
 * calls its hook, the others stop. */
static void
take_signals(struct loop *l)
{
	struct signalfd_siginfo si;

	if (l->sigfd < 0)
		return;
	while (read(l->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP && l->on_hup != NULL)
			l->on_hup(l->hup_ctx);
		else if (si.ssi_signo != SIGUSR1)
			loop_stop(l, STOP_SIGNAL);
		else if (l->on_usr1 != NULL)
			l->on_usr1(l->usr1_ctx);
	}
}

static bool
any_pending(struct loop *l)
{
	for (int i = 1; i < l->n; i++)
		if (l->src[i].pending != NULL && l->pfd[i].events & POLLIN &&
		    l->src[i].pending(l->src[i].ctx))
			return true;
	return false;
}

/* How long ppoll may sleep: until the deadline or the timer, whichever
 * comes first; zero when work is already waiting; NULL for ever. */
static struct timespec *
sleep_for(struct loop *l, const struct timespec *now, struct timespec *left)
{
	const struct timespec *when = NULL;

	if (l->spin || any_pending(l)) {
		*left = (struct timespec){ 0, 0 };
		return left;
	}
	if (l->has_deadline)
		when = &l->deadline;
	if (l->has_timer && (when == NULL ||
	    timespeccmp(&l->timer, when, <)))
		when = &l->timer;
	if (when == NULL)
		return NULL;
	if (timespeccmp(when, now, <=))
		*left = (struct timespec){ 0, 0 };
	else
		timespecsub(when, now, left);
	return left;
}

enum loop_stop
loop_once(struct loop *l)
{
	struct timespec now = mono_now(), left;
	int n;

	n = ppoll(l->pfd, (nfds_t)l->n, sleep_for(l, &now, &left), NULL);
	if (n < 0 && errno != EINTR)
		err(2, "poll");
	/* Signals first, whatever else is ready. ppoll() watches the
	 * signalfd too, so it is read only when it says so: a spinning
	 * loop then makes one system call a turn when nothing comes. */
	if (n != 0 && (n < 0 || l->pfd[0].revents & POLLIN))
		take_signals(l);
	/* Callbacks may add and forget sources as they go: a slot added
	 * now has revents 0 and waits for the next ppoll(). */
	for (int i = 1; i < l->n; i++) {
		struct source *s = &l->src[i];
		short rev = n > 0 ? l->pfd[i].revents : 0;

		if (s->fn == NULL)
			continue;
		if (rev == 0 && s->pending != NULL &&
		    l->pfd[i].events & POLLIN && s->pending(s->ctx))
			rev = POLLIN;
		if (rev != 0)
			s->fn(s->ctx, rev);
	}
	now = mono_now();
	if (l->has_timer && timespeccmp(&now, &l->timer, >=)) {
		loop_fn *fn = l->on_timer;

		l->has_timer = false;	/* fn may set it again */
		if (fn != NULL)
			fn(l->timer_ctx);
	}
	if (l->has_deadline && timespeccmp(&now, &l->deadline, >=))
		loop_stop(l, STOP_TIMEOUT);
	if (l->on_idle != NULL)
		l->on_idle(l->idle_ctx);
	return l->why;
}

enum loop_stop
loop_run(struct loop *l)
{
	while (loop_once(l) == STOP_NONE)
		;
	return l->why;
}

struct waited {
	bool	ready;
};

static void
mark_ready(void *ctx, short revents)
{
	(void)revents;
	((struct waited *)ctx)->ready = true;
}

bool
loop_wait_for(struct loop *l, int fd, short events,
    const struct timespec *when)
{
	struct waited w = { false };
	bool had_timer = l->has_timer;
	struct timespec saved = l->timer;
	loop_fn *saved_fn = l->on_timer;
	void *saved_ctx = l->timer_ctx;
	int id = -1;

	if (fd >= 0)
		id = loop_add(l, fd, events, mark_ready, NULL, &w);
	/* Output waiting for more input goes out before we sleep. */
	if (l->on_idle != NULL)
		l->on_idle(l->idle_ctx);
	while (l->why == STOP_NONE && !w.ready) {
		struct timespec now = mono_now();

		/* A time that has come still gets one wake-up, without a
		 * sleep: the signals are read, whatever the wait. */
		if (when != NULL && timespeccmp(&now, when, >=))
			w.ready = true;
		/* The wait's own time limit stands in for the timer. */
		if (when != NULL)
			loop_timer(l, when, NULL, NULL);
		loop_once(l);
	}
	if (id >= 0)
		loop_forget(l, id);
	/* Only a timer the wait stood in for is put back: one that fired
	 * or was set meanwhile is left as it is. */
	if (when != NULL && had_timer)
		loop_timer(l, &saved, saved_fn, saved_ctx);
	else if (when != NULL)
		loop_timer(l, NULL, NULL, NULL);
	return l->why == STOP_NONE;
}

int
loop_status(enum loop_stop why, long long got, long long count)
{
	switch (why) {
	case STOP_FAILED:
		return EXIT_ERROR;
	case STOP_TIMEOUT:
		return got == 0 || (count > 0 && got < count) ?
		    EXIT_TIMEOUT : EXIT_OK;
	default:
		return EXIT_OK;
	}
}
