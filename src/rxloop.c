#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "applet.h"
#include "rxloop.h"
#include "wait.h"

/* Frames taken per wake-up before output is flushed and signals looked at. */
#define DRAIN_MAX	1024

void
report_drops(unsigned long long drops)
{
	if (drops > 0)
		warnx("%llu frame%s dropped by the kernel", drops,
		    drops == 1 ? "" : "s");
}

/* SIGUSR1: where we are, and on we go. */
static void
progress(void *ctx)
{
	struct rxloop *l = ctx;

	warnx("%lld frame%s received, %llu dropped by the kernel", l->got,
	    l->got == 1 ? "" : "s", sock_drops(l->sock));
}

int
rxloop_run(struct rxloop *l)
{
	struct waiter w;
	int status = -1;

	waiter_init(&w, l->timeout);
	waiter_on_usr1(&w, progress, l);
	if (l->ready != NULL)
		fprintf(stderr, "%s: %s\n", getprogname(), l->ready);

	while (status < 0) {
		struct rxframe f;
		int r = 0;

		/* Frames already read in a batch are drained first. */
		switch (sock_pending(l->sock) ? WAKE_READY :
		    waiter_wait(&w, l->sock->fd)) {
		case WAKE_SIGNAL:
			status = EXIT_OK;
			continue;
		case WAKE_TIMEOUT:
			status = l->got == 0 || (l->count && l->got < l->count) ?
			    EXIT_TIMEOUT : EXIT_OK;
			continue;
		case WAKE_READY:
			break;
		}
		for (int i = 0; i < DRAIN_MAX; i++) {
			if ((r = sock_recv(l->sock, &f)) <= 0)
				break;
			if (f.wirelen > f.len)
				warnx("frame of %zu bytes cut to %zu",
				    f.wirelen, f.len);
			if (l->frame(l->ctx, &f) && ++l->got == l->count) {
				status = EXIT_OK;
				break;
			}
		}
		/* Flush whenever no further frame is ready (or a batch is
		 * done), so pipes see each frame as it arrives. */
		l->flush(l->ctx);
		if (r < 0) {
			if (errno == ENETDOWN || errno == ENXIO ||
			    errno == ENODEV)
				errx(2, "%s: interface went down or away "
				    "(%lld frame%s received)", l->where, l->got,
				    l->got == 1 ? "" : "s");
			err(2, "%s: receive", l->where);
		}
	}
	l->flush(l->ctx);
	report_drops(sock_drops(l->sock));
	waiter_close(&w);
	return status;
}
