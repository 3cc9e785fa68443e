#ifndef RAWSOCK_STATS_H
#define RAWSOCK_STATS_H
/*
 * Round-trip statistics as ping reports them, and the percentiles latency
 * tools add. Pure.
 *
 * Percentiles come from a histogram of fixed size, so a run of any length
 * takes the same memory: 64 buckets per doubling (each 1.09 % wide), from
 * 1 ns to 2^40 ns (18 minutes). A percentile is its bucket's middle,
 * within 0.55 % of the true value, kept within [min, max].
 */

#include <stddef.h>

#define RTT_STEPS	64	/* buckets per doubling */
#define RTT_BUCKETS	(40 * RTT_STEPS)

struct rtt_stats {
	unsigned long long n;
	double	min, max;	/* milliseconds */
	double	sum, sum2;
	unsigned long long bucket[RTT_BUCKETS];
};

void	rtt_init(struct rtt_stats *r);
void	rtt_add(struct rtt_stats *r, double ms);
double	rtt_avg(const struct rtt_stats *r);
/* The mean deviation ping calls mdev: sqrt(E[x^2] - E[x]^2). */
double	rtt_mdev(const struct rtt_stats *r);
/* The q-quantile (0 < q <= 1, nearest rank) in ms; 0 with no samples. */
double	rtt_quantile(const struct rtt_stats *r, double q);
/* "rtt min/avg/max/mdev = a/b/c/d ms"; n is the buffer size. */
size_t	rtt_format(char *buf, size_t n, const struct rtt_stats *r);
/* "rtt median/p99 = a/b ms". */
size_t	rtt_format_percentiles(char *buf, size_t n, const struct rtt_stats *r);
/*
 * The histogram, a doubling a line, from the first bucket used to the
 * last, each line "  [LOW, HIGH) us  COUNT  ####"; calls line(ctx, text)
 * for each.
 */
void	rtt_histogram(const struct rtt_stats *r,
	    void (*line)(void *ctx, const char *text), void *ctx);
/* Percentage of requests that got no reply, 0 when none were sent. */
double	loss_percent(unsigned long long sent, unsigned long long got);

#endif
