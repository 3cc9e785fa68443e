#ifndef RAWSOCK_LOOP_H
#define RAWSOCK_LOOP_H
/*
 * The one event loop: every wait of every applet happens here. One ppoll()
 * over the descriptors the applet registered, a signalfd for SIGINT,
 * SIGTERM and SIGUSR1, the run's deadline (--timeout) and one timer of the
 * applet's own (the next request, a handler's time limit). Applets
 * register callbacks and never touch the loop's fields.
 *
 * Signals are read before anything else at every wake-up, even when the
 * deadline has passed or a descriptor is always ready, so nothing holds
 * off SIGINT and SIGTERM. They do not stop the loop at once: they set the
 * stop reason, and the loop returns after the callbacks of this wake-up.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct loop;

enum loop_stop {
	STOP_NONE,	/* running */
	STOP_DONE,	/* COUNT reached, or the input ended */
	STOP_SIGNAL,	/* SIGINT or SIGTERM */
	STOP_TIMEOUT,	/* the deadline passed */
	STOP_FAILED,	/* an error was reported: exit 2 */
};

typedef void loop_fd_fn(void *ctx, short revents);
typedef void loop_fn(void *ctx);
typedef bool loop_pending_fn(void *ctx);

/*
 * timeout < 0: no deadline. signals: whether this loop takes SIGINT,
 * SIGTERM and SIGUSR1 (blocked in every thread, read from a signalfd);
 * a worker thread's loop takes none and is stopped by its owner.
 */
struct loop *loop_new(double timeout, bool signals);
void	loop_free(struct loop *l);

/*
 * Watches fd for events (POLLIN, POLLOUT; 0: errors and hang-ups only,
 * which poll reports whatever is asked). fn gets the revents. pending,
 * if not NULL, tells of input already read that poll cannot see (a
 * receive batch): the loop does not sleep while it is true and calls fn
 * with POLLIN. Returns a handle for loop_watch() and loop_forget().
 */
int	loop_add(struct loop *l, int fd, short events, loop_fd_fn *fn,
	    loop_pending_fn *pending, void *ctx);
/* Changes what is watched on a handle (0: errors only). */
void	loop_watch(struct loop *l, int id, short events);
void	loop_forget(struct loop *l, int id);

/* The applet's timer: fn(ctx) once at when (CLOCK_MONOTONIC); NULL when
 * cancels it. Setting it again replaces it. */
void	loop_timer(struct loop *l, const struct timespec *when, loop_fn *fn,
	    void *ctx);
/* Runs after the callbacks of every wake-up, and before loop_wait_for()
 * sleeps: flush output here. */
void	loop_on_idle(struct loop *l, loop_fn *fn, void *ctx);
/* SIGUSR1: fn(ctx) reports progress, and the run goes on. */
void	loop_on_usr1(struct loop *l, loop_fn *fn, void *ctx);
/* SIGHUP: fn(ctx) (rawsniff-arp saves its state), and the run goes on.
 * Call before any thread starts; without it SIGHUP ends the process. */
void	loop_on_hup(struct loop *l, loop_fn *fn, void *ctx);
/* Busy polling: never sleep in ppoll, spin instead (signals, timers and
 * the deadline are looked at on every turn). The first time, warns on
 * stderr when the process may run on one CPU only: call it once before
 * the sandbox (sandbox.h), then turn it on and off at will. */
void	loop_spin(struct loop *l, bool spin);

/* Waits once and runs the callbacks; returns the stop reason so far. */
enum loop_stop loop_once(struct loop *l);
/* loop_once() until something stops the loop; returns why. */
enum loop_stop loop_run(struct loop *l);
/* Stops the run; the first reason given is the one kept. */
void	loop_stop(struct loop *l, enum loop_stop why);
enum loop_stop loop_stopped(const struct loop *l);

/*
 * For applets that block in one place (rawsend reading its input or
 * pacing its frames): waits until fd has events (fd < 0: none) or until
 * when (NULL: no limit), running the callbacks meanwhile. True when fd is
 * ready or the time came, false when the loop stopped. It always runs
 * one wake-up at least, so signals are read even when the time has come.
 */
bool	loop_wait_for(struct loop *l, int fd, short events,
	    const struct timespec *when);

/* The documented exit status of a run that stopped for why, having
 * counted got of count (0: no limit). */
int	loop_status(enum loop_stop why, long long got, long long count);

/* CLOCK_MONOTONIC now, now plus seconds, and now in nanoseconds: the
 * only readers of the clock. */
struct timespec mono_now(void);
struct timespec mono_after(double seconds);
uint64_t mono_ns(void);
/* CLOCK_REALTIME now in nanoseconds, for timestamps beside the kernel's. */
uint64_t real_ns(void);

#endif
