#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "applet.h"
#include "opts.h"
#include "ring.h"
#include "sandbox.h"
#include "rxloop.h"

/* Frames taken per wake-up before output is flushed and signals looked at. */
#define DRAIN_MAX	1024
/* At the end, how long to wait for a ring block the kernel still holds. */
#define LEFTOVER_TRIES	5

static void
fail(struct rxloop *r, int error)
{
	if (r->error == 0)
		r->error = error;
	loop_stop(r->loop, STOP_FAILED);
}

void
rx_take(struct rxloop *r)
{
	struct rxframe f;
	int n = 0;

	for (int i = 0; i < DRAIN_MAX && !r->paused &&
	    loop_stopped(r->loop) == STOP_NONE; i++) {
		if ((n = sock_recv(r->sock, &f)) <= 0)
			break;
		if (f.wirelen > f.len)
			warnx("frame of %zu bytes cut to %zu", f.wirelen, f.len);
		if (r->frame(r->ctx, &f) && ++r->got == r->count)
			loop_stop(r->loop, STOP_DONE);
	}
	if (n < 0)
		fail(r, errno);
}

static void
on_socket(void *ctx, short revents)
{
	struct rxloop *r = ctx;

	/* A ring shows a vanished interface only as a socket error. */
	if (revents & (POLLERR | POLLHUP | POLLNVAL)) {
		int e = sock_error(r->sock);

		if (e != 0 || revents & POLLNVAL) {
			fail(r, e != 0 ? e : EBADF);
			return;
		}
		/* Before the frames: a reply's request has its stamp. */
		if (r->errqueue != NULL)
			r->errqueue(r->ctx);
	}
	if (revents & POLLIN)
		rx_take(r);
}

static bool
pending(void *ctx)
{
	struct rxloop *r = ctx;

	return sock_pending(r->sock);
}

void
rx_attach(struct rxloop *r)
{
	r->id = loop_add(r->loop, r->sock->fd, POLLIN, on_socket, pending, r);
}

void
rx_pause(struct rxloop *r, bool paused)
{
	r->paused = paused;
	loop_watch(r->loop, r->id, paused ? 0 : POLLIN);
}

unsigned long long
rx_leftover(struct rxloop *r, unsigned long long *drops)
{
	struct rawsock *s = r->sock;
	unsigned long long left = 0;
	/* What was queued when the run ended, and no more: a flood that
	 * goes on must not hold the exit off. */
	unsigned long long limit = s->taken + sock_unread(s) + 64;
	int idle = 0;

	while (s->taken < limit) {
		struct rxframe f;
		int n = sock_recv(s, &f);

		if (n < 0)
			break;
		if (n == 0) {
			/* A ring block the kernel has not handed over yet
			 * comes within its timeout. */
			if (sock_unread(s) == 0 || ++idle > LEFTOVER_TRIES)
				break;
			nanosleep(&(struct timespec){ 0,
			    2000000L * RING_TIMEOUT_MS }, NULL);
			continue;
		}
		if (r->wanted == NULL || r->wanted(r->ctx, &f))
			left++;
	}
	*drops = sock_drops(s);
	return left;
}

void
rx_report_error(const struct rxloop *r, unsigned long long got)
{
	if (link_gone(r->error))
		report_link_gone(r->where, got, "received");
	else
		warnx("%s: receive: %s", shown(r->where), strerror(r->error));
}

void
report_progress(long long got, unsigned long long kernel,
    unsigned long long iface)
{
	char more[64] = "";

	if (iface > 0)
		snprintf(more, sizeof(more), ", %llu dropped by the interface",
		    iface);
	warnx("%lld %s received, %llu dropped by the kernel%s", got,
	    frames((unsigned long long)got), kernel, more);
}

struct run {
	struct rxloop	*r;
	struct ifstat	 ifs;
};

static void
progress(void *ctx)
{
	struct run *run = ctx;

	report_progress(run->r->got, sock_drops(run->r->sock),
	    ifstat_delta(&run->ifs).rx);
}

int
rxloop_run(struct rxloop *r, double timeout, const char *ready,
    void (*flush)(void *ctx))
{
	struct run run = { .r = r };
	struct losses l = { .unread_what = "printed" };
	enum loop_stop why;

	ifstat_open(&run.ifs, r->sock->ifindex ? r->sock->ifname : NULL);
	r->loop = loop_new(timeout, true);
	loop_spin(r->loop, r->spin);
	rx_attach(r);
	loop_on_idle(r->loop, flush, r->ctx);
	loop_on_usr1(r->loop, progress, &run);
	if (r->setup != NULL)
		r->setup(r->ctx, r->loop);
	sandbox_enter(r->sandbox);
	/* After loop_new(): a signal sent once this line shows is caught. */
	if (ready != NULL)
		fprintf(stderr, "%s: %s\n", getprogname(), ready);

	why = loop_run(r->loop);
	flush(r->ctx);
	if (why == STOP_FAILED)
		rx_report_error(r, (unsigned long long)r->got);
	/* COUNT asked for so many frames: those after it are not missed. */
	l.unread = rx_leftover(r, &l.kernel);
	if (why == STOP_DONE)
		l.unread = 0;
	l.iface = ifstat_delta(&run.ifs).rx;
	report_losses(&l);
	ifstat_close(&run.ifs);
	loop_free(r->loop);
	r->loop = NULL;
	return loop_status(why, r->got, r->count);
}
