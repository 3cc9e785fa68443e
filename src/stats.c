#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats.h"

#define HIST_BAR	40	/* the widest bar of --histogram */

void
rtt_init(struct rtt_stats *r)
{
	memset(r, 0, sizeof(*r));
}

static int
bucket_of(double ms)
{
	double ns = ms * 1e6;
	int i;

	if (!(ns >= 1))		/* NaN, too */
		return 0;
	i = (int)floor(log2(ns) * RTT_STEPS);
	return i < RTT_BUCKETS ? i : RTT_BUCKETS - 1;
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
	r->bucket[bucket_of(ms)]++;
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

double
rtt_quantile(const struct rtt_stats *r, double q)
{
	unsigned long long rank, seen = 0;
	double ms;
	int i;

	if (r->n == 0)
		return 0;
	rank = (unsigned long long)ceil(q * (double)r->n);
	if (rank < 1)
		rank = 1;
	/* The ends are known exactly. */
	if (rank == 1)
		return r->min;
	if (rank >= r->n)
		return r->max;
	for (i = 0; i < RTT_BUCKETS - 1; i++)
		if ((seen += r->bucket[i]) >= rank)
			break;
	ms = exp2((i + 0.5) / RTT_STEPS) / 1e6;
	return ms < r->min ? r->min : ms > r->max ? r->max : ms;
}

size_t
rtt_format(char *buf, size_t n, const struct rtt_stats *r)
{
	int len = snprintf(buf, n, "rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms",
	    r->min, rtt_avg(r), r->max, rtt_mdev(r));

	return len < 0 ? 0 : (size_t)len;
}

size_t
rtt_format_percentiles(char *buf, size_t n, const struct rtt_stats *r)
{
	int len = snprintf(buf, n, "rtt median/p99 = %.3f/%.3f ms",
	    rtt_quantile(r, 0.5), rtt_quantile(r, 0.99));

	return len < 0 ? 0 : (size_t)len;
}

void
rtt_histogram(const struct rtt_stats *r,
    void (*line)(void *ctx, const char *text), void *ctx)
{
	unsigned long long per[RTT_BUCKETS / RTT_STEPS] = { 0 }, most = 0;
	int first = -1, last = -1;
	char text[160], bar[HIST_BAR + 1];

	for (int i = 0; i < RTT_BUCKETS; i++)
		per[i / RTT_STEPS] += r->bucket[i];
	for (int d = 0; d < RTT_BUCKETS / RTT_STEPS; d++) {
		if (per[d] == 0)
			continue;
		if (first < 0)
			first = d;
		last = d;
		if (per[d] > most)
			most = per[d];
	}
	for (int d = first; d >= 0 && d <= last; d++) {
		/* At least one mark for a doubling that has any. */
		size_t w = per[d] == 0 ? 0 : (size_t)(per[d] * HIST_BAR / most);

		if (per[d] > 0 && w == 0)
			w = 1;
		memset(bar, '#', w);
		bar[w] = '\0';
		snprintf(text, sizeof(text), "  [%.3f, %.3f) us  %llu  %s",
		    exp2(d) / 1e3, exp2(d + 1) / 1e3, per[d], bar);
		line(ctx, text);
	}
}

double
loss_percent(unsigned long long sent, unsigned long long got)
{
	if (sent == 0 || got >= sent)
		return 0;
	return (double)(sent - got) * 100.0 / (double)sent;
}
