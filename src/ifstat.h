#ifndef RAWSOCK_IFSTAT_H
#define RAWSOCK_IFSTAT_H
/*
 * The drop counters of an interface (or the sum over every interface),
 * from /proc/net/dev: frames the link delivered that never reached a
 * socket (rx_dropped) and frames a socket handed over that never left
 * (tx_dropped). Opened at start, so it still reads after privileges go;
 * a run reports the change since then.
 *
 * rx_dropped also counts frames that did reach every packet socket but
 * that no protocol took afterwards (a VLAN tag with no VLAN device), so
 * on its own it would report losses that are none. Frames lost before
 * the sockets are lost in the kernel's input queue, which counts them in
 * /proc/net/softnet_stat as well: the rx drops reported are the lesser
 * of the two changes.
 */

#include <stdbool.h>
#include <stddef.h>

struct ifstat {
	int		 fd;		/* -1: counters unavailable */
	int		 softnet;	/* /proc/net/softnet_stat, or -1 */
	unsigned long long queue0;	/* its drops at the start */
	char		 name[16];	/* "" for every interface */
	unsigned long long rx0, tx0;	/* the counters at the start */
};

struct ifdrops {
	unsigned long long rx, tx;
};

/* ifname NULL: every interface. Never fails: without the file the
 * changes read as 0. */
void	ifstat_open(struct ifstat *st, const char *ifname);
/* The drops since ifstat_open(). */
struct ifdrops ifstat_delta(struct ifstat *st);
void	ifstat_close(struct ifstat *st);

/* Pure, for the tests: sums the "dropped" column (the second, in hex)
 * of /proc/net/softnet_stat text. */
unsigned long long softnet_parse(const char *text, size_t len);
/* Pure, for the tests: sums the drop columns of /proc/net/dev text for
 * ifname ("" for all). 0, or -1 when ifname has no line. */
int	ifstat_parse(const char *text, size_t len, const char *ifname,
	    struct ifdrops *d);

#endif
