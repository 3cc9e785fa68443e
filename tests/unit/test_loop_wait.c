/* Unit tests for loop_wait_for(): waits that take signals whatever they
 * wait for, and leave the applet's timer as they found it. */
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "loop.h"
#include "unit.h"

static int fired;

static void
on_timer(void *ctx)
{
	(void)ctx;
	fired++;
}

static void
ignore_fd(void *ctx, short revents)
{
	(void)ctx;
	(void)revents;
}

static int usr1;

static void
on_usr1(void *ctx)
{
	(void)ctx;
	usr1++;
}

int
main(void)
{
	struct loop *l = loop_new(-1, true);
	struct timespec past = mono_now();
	int p[2];

	/* A time that has come already: no sleep, but the signal is read. */
	raise(SIGUSR1);
	loop_on_usr1(l, on_usr1, NULL);
	CHECK(loop_wait_for(l, -1, 0, &past) && usr1 == 1,
	    "a wait whose time has come still reads SIGUSR1");
	raise(SIGTERM);
	CHECK(!loop_wait_for(l, -1, 0, &past) &&
	    loop_stopped(l) == STOP_SIGNAL,
	    "a wait whose time has come still reads SIGTERM and stops");
	loop_free(l);

	/* A timer that fires during a wait without a time limit fires once,
	 * not again when the wait ends. */
	if (pipe(p) < 0 || write(p[1], "x", 1) != 1)
		return 2;
	l = loop_new(-1, true);
	loop_timer(l, &past, on_timer, NULL);
	CHECK(loop_wait_for(l, p[0], POLLIN, NULL) && fired == 1,
	    "a timer due during a wait fires");
	/* The pipe stays readable, so this wake-up does not sleep. */
	loop_add(l, p[0], POLLIN, ignore_fd, NULL, NULL);
	loop_once(l);
	CHECK(fired == 1, "and does not fire again after the wait");
	loop_free(l);
	return unit_done();
}
