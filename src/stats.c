#include <math.h>
#include <stdio.h>

#include "stats.h"

void
rtt_init(struct rtt_stats *r)
{
	*r = (struct rtt_stats){ 0 };
}

void
rtt_add(struct rtt_stats *r, double ms)
{
	if (r->n == 0 || ms < r->min)
		r->min = ms;
	if (r->n == 0 || ms > r->max)
		r->max = ms;
	r->n++;
	r->sum += ms;
	r->sum2 += ms * ms;
}

double
rtt_avg(const struct rtt_stats *r)
{
	return r->n ? r->sum / (double)r->n : 0;
}

double
rtt_mdev(const struct rtt_stats *r)
{
	double avg = rtt_avg(r), var;

	if (r->n == 0)
		return 0;
	var = r->sum2 / (double)r->n - avg * avg;
	/* Rounding can push a zero variance just below 0. */
	return var > 0 ? sqrt(var) : 0;
}

size_t
rtt_format(char *buf, size_t n, const struct rtt_stats *r)
{
	int len = snprintf(buf, n, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
	    r->min, rtt_avg(r), r->max, rtt_mdev(r));

	return len < 0 ? 0 : (size_t)len;
}

double
loss_percent(unsigned long long sent, unsigned long long got)
{
	if (sent == 0 || got >= sent)
		return 0;
	return (double)(sent - got) * 100.0 / (double)sent;
}
