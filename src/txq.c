#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "sock.h"
#include "txq.h"

/* How long the kernel may refuse every frame before we call it an error. */
#define TX_STALL_NS	(5 * 1000000000LL)

void
txq_init(struct txq *q, struct rawsock *s)
{
	memset(q, 0, sizeof(*q));
	q->sock = s;
}

int
txq_addv(struct txq *q, const struct iovec *parts, int nparts)
{
	unsigned int i = q->n++;

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

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Waits before retrying a refused send: short at first, then longer. */
static void
backoff(unsigned int *tries)
{
	struct timespec ts = { 0, 1000L << (*tries < 10 ? *tries : 10) };

	(*tries)++;
	nanosleep(&ts, NULL);
}

int
txq_flush(struct txq *q)
{
	unsigned int done = 0, tries = 0;
	long long stalled_since = 0;

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
			/* The kernel's queue is full, not the frame bad. */
			if (stalled_since == 0)
				stalled_since = now_ns();
			else if (now_ns() - stalled_since > TX_STALL_NS)
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
