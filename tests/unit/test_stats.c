#include <math.h>
/* Unit tests for stats.c: ping's rtt summary. */
#include "stats.h"
#include "unit.h"

static int
near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

int
main(void)
{
	struct rtt_stats r;
	char buf[128];

	rtt_init(&r);
	CHECK(rtt_avg(&r) == 0 && rtt_mdev(&r) == 0, "empty");
	rtt_add(&r, 1.0);
	CHECK(near(r.min, 1) && near(r.max, 1) && near(rtt_mdev(&r), 0),
	    "one sample");
	rtt_add(&r, 3.0);
	CHECK(near(r.min, 1) && near(r.max, 3) && near(rtt_avg(&r), 2),
	    "min, max, avg");
	CHECK(near(rtt_mdev(&r), 1), "mdev of 1 and 3 is 1");
	rtt_add(&r, 0.5);
	rtt_add(&r, 4.5);
	rtt_format(buf, sizeof(buf), &r);
	CHECK_STR(buf, "rtt min/avg/max/mdev = 0.500/2.250/4.500/1.601 ms",
	    "format as ping");
	rtt_init(&r);
	for (int i = 0; i < 1000; i++)
		rtt_add(&r, 0.081);
	CHECK(rtt_mdev(&r) < 1e-6, "equal samples: mdev 0, never NaN");
	rtt_init(&r);
	rtt_add(&r, 2e6);
	rtt_add(&r, 4e6);
	CHECK(near(rtt_mdev(&r), 1e6), "large values");
	/* Percentiles from the histogram: within 0.55 %, within [min, max]. */
	rtt_init(&r);
	for (int i = 1; i <= 1000; i++)
		rtt_add(&r, i * 0.001);
	CHECK(fabs(rtt_quantile(&r, 0.5) - 0.5) < 0.5 * 0.0055, "median");
	CHECK(fabs(rtt_quantile(&r, 0.99) - 0.99) < 0.99 * 0.0055, "p99");
	CHECK(near(rtt_quantile(&r, 1), 1.0), "p100 is the max");
	rtt_init(&r);
	CHECK(rtt_quantile(&r, 0.5) == 0, "no samples: 0");
	rtt_add(&r, 0.0032);
	CHECK(near(rtt_quantile(&r, 0.5), 0.0032), "one sample is its median");
	rtt_add(&r, 0.0032);
	rtt_add(&r, 100);
	rtt_format_percentiles(buf, sizeof(buf), &r);
	CHECK_STR(buf, "rtt median/p99 = 0.003/100.000 ms", "percentiles line");
	CHECK(near(loss_percent(10, 10), 0), "no loss");
	CHECK(near(loss_percent(4, 1), 75), "75% loss");
	CHECK(near(loss_percent(0, 0), 0), "nothing sent: 0%");
	CHECK(near(loss_percent(3, 5), 0), "duplicates never make it negative");
	return unit_done();
}
