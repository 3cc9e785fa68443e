/* Unit tests for ifstat.c: the drop columns of /proc/net/dev. */
#include "ifstat.h"
#include "unit.h"

static const char dev[] =
"Inter-|   Receive                                                |  Transmit\n"
" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
"    lo:    3267      29    0    0    0     0          0         0     3267      29    0    0    0     0       0          0\n"
"    va: 1000 10 0 7 0 0 0 0 2000 20 0 3 0 0 0 0\n"
"   vab: 1 1 0 100 0 0 0 0 1 1 0 200 0 0 0 0\n";

int
main(void)
{
	struct ifdrops d;

	CHECK(ifstat_parse(dev, sizeof(dev) - 1, "va", &d) == 0 &&
	    d.rx == 7 && d.tx == 3, "one interface: rx_dropped and tx_dropped");
	CHECK(ifstat_parse(dev, sizeof(dev) - 1, "vab", &d) == 0 &&
	    d.rx == 100 && d.tx == 200, "a name that another one begins");
	CHECK(ifstat_parse(dev, sizeof(dev) - 1, "", &d) == 0 &&
	    d.rx == 107 && d.tx == 203, "every interface: the sums");
	CHECK(ifstat_parse(dev, sizeof(dev) - 1, "v", &d) < 0,
	    "no such interface");
	CHECK(ifstat_parse(dev, 40, "va", &d) < 0 && d.rx == 0,
	    "text cut short: nothing made up");
	CHECK(ifstat_parse("  x: 1 2\n", 9, "x", &d) == 0 && d.rx == 0 &&
	    d.tx == 0, "a line with too few columns");
	return unit_done();
}
