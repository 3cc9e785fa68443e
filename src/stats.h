#ifndef RAWSOCK_STATS_H
#define RAWSOCK_STATS_H
/* Round-trip statistics as ping reports them. Pure. */

#include <stddef.h>

struct rtt_stats {
	unsigned long long n;
	double	min, max;	/* milliseconds */
	double	sum, sum2;
};

void	rtt_init(struct rtt_stats *r);
void	rtt_add(struct rtt_stats *r, double ms);
double	rtt_avg(const struct rtt_stats *r);
/* The mean deviation ping calls mdev: sqrt(E[x^2] - E[x]^2). */
double	rtt_mdev(const struct rtt_stats *r);
/* "rtt min/avg/max/mdev = a/b/c/d ms"; n is the buffer size. */
size_t	rtt_format(char *buf, size_t n, const struct rtt_stats *r);
/* Percentage of requests that got no reply, 0 when none were sent. */
double	loss_percent(unsigned long long sent, unsigned long long got);

#endif
