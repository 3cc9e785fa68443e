#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loop.h"
#include "opts.h"
#include "sink.h"
#include "sock.h"
#include "txq.h"

/* How long the kernel may refuse every frame before we call it an error. */
#define TX_STALL_NS	(5 * 1000000000ULL)

void
txq_init(struct txq *q, struct rawsock *s)
{
	memset(q, 0, sizeof(*q));
	q->sock = s;
}

static void
arena_init(struct txq *q, size_t framemax)
{
	/* A sender's output and reports may go to a pipe whose reader
	 * left (--dry-run | head): an EPIPE, a quiet exit 0 in out.c, not
	 * a death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	q->slot = framemax;
	if ((q->arena = reallocarray(NULL, TXQ_BATCH, framemax)) == NULL)
		err(2, "malloc");
}

void
txq_open(struct txq *q, struct rawsock *s, size_t framemax)
{
	int c;

	txq_init(q, s);
	arena_init(q, framemax);
	q->carrier = true;
	/* The kernel takes frames for a link without carrier and drops
	 * them all (tx_dropped): refuse before sending any. Once a run,
	 * the exact answer. */
	if ((c = sock_carrier(s, true)) < 0)
		err(2, "%s", shown(s->ifname));
	if (c == 0)
		errx(2, "%s: link has no carrier", shown(s->ifname));
}

void
txq_open_server(struct txq *q, struct rawsock *s, size_t framemax)
{
	txq_init(q, s);
	arena_init(q, framemax);
}

void
txq_open_dry(struct txq *q, struct sink *k, size_t framemax)
{
	txq_init(q, NULL);
	q->sink = k;
	arena_init(q, framemax);
}

void
txq_use(struct txq *q, struct rawsock *s)
{
	q->sock = s;
}

void
txq_close(struct txq *q)
{
	free(q->arena);
	q->arena = NULL;
	q->n = 0;
}

const uint8_t *
txq_copy(struct txq *q, const struct iovec *parts, int nparts, size_t *len)
{
	uint8_t *frame;
	size_t n = 0, at = 0;

	for (int i = 0; i < nparts; i++)
		n += parts[i].iov_len;
	if (n > q->slot) {
		errno = EMSGSIZE;
		return NULL;
	}
	/* Every queued frame may be a copy: a full arena means a full
	 * queue, and flushing frees it all. */
	if (q->used + q->slot > TXQ_BATCH * q->slot && txq_flush(q) < 0)
		return NULL;
	if (q->n == 0)
		q->used = 0;
	frame = q->arena + q->used;
	for (int i = 0; i < nparts; i++) {
		memcpy(frame + at, parts[i].iov_base, parts[i].iov_len);
		at += parts[i].iov_len;
	}
	q->used += q->slot;
	*len = at;
	return frame;
}

/* A dry run: the frame goes to the sink now, stamped with the time. */
static int
dry_add(struct txq *q, const struct iovec *parts, int nparts)
{
	struct frame_meta m = { .pkttype = -1, .has_ts = true };
	const uint8_t *frame = parts[0].iov_base;
	size_t len = parts[0].iov_len;

	if (nparts > 1 && (frame = txq_copy(q, parts, nparts, &len)) == NULL)
		return -1;
	m.ts_ns = real_ns();
	m.wirelen = len;
	sink_frame(q->sink, &m, frame, len);
	q->frames++;
	q->bytes += len;
	return 0;
}

int
txq_addv(struct txq *q, const struct iovec *parts, int nparts)
{
	unsigned int i;

	if (q->sock == NULL)
		return dry_add(q, parts, nparts);
	i = q->n++;
	memcpy(q->iov[i], parts, (size_t)nparts * sizeof(*parts));
	q->msg[i].msg_hdr = (struct msghdr){
		.msg_iov = q->iov[i], .msg_iovlen = (size_t)nparts,
	};
	if (q->n == TXQ_BATCH)
		return txq_flush(q);
	return 0;
}

int
txq_add(struct txq *q, const void *hdr, size_t hdrlen, const void *payload,
    size_t len)
{
	struct iovec parts[2] = {
		{ (void *)hdr, hdrlen }, { (void *)payload, len },
	};

	return txq_addv(q, parts, 2);
}

/* Waits before retrying a refused send: short at first, then longer. */
static void
backoff(unsigned int *tries)
{
	struct timespec ts = { 0, 1000L << (*tries < 10 ? *tries : 10) };

	(*tries)++;
	nanosleep(&ts, NULL);
}

/*
 * errno for a link with no carrier: ENOLINK, unless the interface is on
 * its way down (a veth drops its carrier before its IFF_UP goes), which
 * a second look a moment later tells apart: ENETDOWN then.
 */
static void
carrier_lost(struct txq *q)
{
	nanosleep(&(struct timespec){ 0, 20 * 1000000L }, NULL);
	if (sock_carrier(q->sock, false) >= 0)
		errno = ENOLINK;
}

int
txq_flush(struct txq *q)
{
	unsigned int done = 0, tries = 0;
	uint64_t stalled_since = 0;
	int c;

	if (q->sock == NULL) {
		sink_flush(q->sink);
		return 0;
	}
	if (q->n == 0)
		return 0;
	/* Once a batch: a link that lost its carrier would drop them all. */
	if (q->carrier && (c = sock_carrier(q->sock, false)) <= 0) {
		if (c == 0)
			carrier_lost(q);
		q->n = 0;
		return -1;
	}
	while (done < q->n) {
		int n = sendmmsg(q->sock->fd, q->msg + done, q->n - done, 0);

		if (n > 0) {
			for (unsigned int i = done; i < done + (unsigned)n; i++)
				q->bytes += q->msg[i].msg_len;
			q->frames += (unsigned)n;
			done += (unsigned)n;
			tries = 0;
			stalled_since = 0;
			continue;
		}
		if (n == 0)
			errno = EIO;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
			/* The kernel's queue is full, not the frame bad;
			 * unless the link lost its carrier, which the flags
			 * may not show yet. */
			if (stalled_since == 0 && q->carrier &&
			    (c = sock_carrier(q->sock, true)) <= 0) {
				if (c == 0)
					carrier_lost(q);
				goto fail;
			}
			if (stalled_since == 0)
				stalled_since = mono_ns();
			else if (mono_ns() - stalled_since > TX_STALL_NS)
				goto fail;
			if (errno == EAGAIN) {
				struct pollfd p = { q->sock->fd, POLLOUT, 0 };
				(void)poll(&p, 1, 100);
			} else
				backoff(&tries);
			continue;
		}
fail:
		/* Keep the unsent frames out of the next batch. */
		q->n = 0;
		return -1;
	}
	q->n = 0;
	return 0;
}
