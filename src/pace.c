#include <sys/time.h>	/* libbsd: timespecadd, timespeccmp */

#include "loop.h"
#include "num.h"
#include "pace.h"
#include "txq.h"

void
pace_init(struct pace *p, struct loop *l, struct txq *q, double gap)
{
	*p = (struct pace){ .l = l, .q = q, .gap = gap };
}

int
pace_until(struct pace *p, uint64_t offset_ns)
{
	struct timespec now = mono_now(), due;
	struct timespec off = timespec_from_ns(offset_ns);

	if (!p->started) {
		p->started = true;
		p->start = now;
		return 0;
	}
	timespecadd(&p->start, &off, &due);
	if (timespeccmp(&now, &due, >=))
		return 0;
	/* What is due goes out before we sleep. */
	if (txq_flush(p->q) < 0)
		return -1;
	(void)loop_wait_for(p->l, -1, 0, &due);
	return 0;
}

int
pace_put(struct pace *p, const uint8_t *frame, size_t len, long long count)
{
	struct iovec iov = { (void *)frame, len };

	for (long long i = 0; i < count; i++) {
		if (p->gap > 0 && pace_until(p, (uint64_t)((double)p->queued *
		    p->gap * 1e9)) < 0)
			return -1;
		if (loop_stopped(p->l) != STOP_NONE)
			break;
		if (txq_addv(p->q, &iov, 1) < 0)
			return -1;
		p->queued++;
		if (++p->unpeeked == TXQ_BATCH) {
			struct timespec now = mono_now();

			p->unpeeked = 0;
			(void)loop_wait_for(p->l, -1, 0, &now);
		}
	}
	return 0;
}
