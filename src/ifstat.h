#ifndef RAWSOCK_IFSTAT_H
#define RAWSOCK_IFSTAT_H
/*
 * The drop counters of an interface (or the sum over every interface),
 * from /proc/net/dev: frames the link delivered that never reached a
 * socket (rx_dropped) and frames a socket handed over that never left
 * (tx_dropped). Opened at start, so it still reads after privileges go;
 * a run reports the change since then.
 *
 * rx_dropped counts frames lost in the kernel's input queue and frames
 * too long for the interface, which no socket ever saw; it also counts
 * VLAN-tagged frames that the sockets did see and that no protocol took
 * afterwards (no VLAN device): the man pages say so.
 */

#include <stdbool.h>
#include <stddef.h>

struct ifstat {
	int		 fd;		/* -1: counters unavailable */
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

/* Pure, for the tests: sums the drop columns of /proc/net/dev text for
 * ifname ("" for all). 0, or -1 when ifname has no line. */
int	ifstat_parse(const char *text, size_t len, const char *ifname,
	    struct ifdrops *d);

#endif
