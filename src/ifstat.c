#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ifstat.h"

/* /proc/net/dev: two header lines, then "  name: rx_bytes rx_packets
 * rx_errs rx_drop ... tx_bytes tx_packets tx_errs tx_drop ...". */
#define RX_DROP_COL	3
#define TX_DROP_COL	11
#define READ_MAX	(256 * 1024)

int
ifstat_parse(const char *text, size_t len, const char *ifname,
    struct ifdrops *d)
{
	const char *p = text, *end = text + len;
	bool found = false;

	d->rx = d->tx = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *colon, *name;
		size_t namelen;

		if (eol == NULL)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (colon == NULL)
			goto next;	/* a header line */
		for (name = p; name < colon && *name == ' '; name++)
			;
		namelen = (size_t)(colon - name);
		if (ifname[0] == '\0' || (strlen(ifname) == namelen &&
		    memcmp(name, ifname, namelen) == 0)) {
			const char *q = colon + 1;

			for (int col = 0; col <= TX_DROP_COL && q < eol; col++) {
				char *stop;
				unsigned long long v;

				while (q < eol && *q == ' ')
					q++;
				v = strtoull(q, &stop, 10);
				if (stop == q)
					break;
				q = stop;
				if (col == RX_DROP_COL)
					d->rx += v;
				else if (col == TX_DROP_COL)
					d->tx += v;
			}
			found = true;
		}
next:
		p = eol + 1;
	}
	return found ? 0 : -1;
}

static int
read_now(struct ifstat *st, struct ifdrops *d)
{
	char *buf;
	ssize_t n;
	size_t len = 0;
	int r = -1;

	if (st->fd < 0 || (buf = malloc(READ_MAX)) == NULL)
		return -1;
	/* The kernel makes the text anew for each read from offset 0. */
	while (len < READ_MAX - 1 && (n = pread(st->fd, buf + len,
	    READ_MAX - 1 - len, (off_t)len)) > 0)
		len += (size_t)n;
	if (len > 0)
		r = ifstat_parse(buf, len, st->name, d);
	free(buf);
	return r;
}

void
ifstat_open(struct ifstat *st, const char *ifname)
{
	struct ifdrops d;

	memset(st, 0, sizeof(*st));
	strlcpy(st->name, ifname != NULL ? ifname : "", sizeof(st->name));
	st->fd = open("/proc/net/dev", O_RDONLY | O_CLOEXEC);
	if (read_now(st, &d) < 0) {
		ifstat_close(st);
		return;
	}
	st->rx0 = d.rx;
	st->tx0 = d.tx;
}

struct ifdrops
ifstat_delta(struct ifstat *st)
{
	struct ifdrops d = { 0, 0 };

	if (read_now(st, &d) < 0)
		return (struct ifdrops){ 0, 0 };
	/* Counters only grow; an interface that went and came back does
	 * not make a negative count. */
	d.rx = d.rx > st->rx0 ? d.rx - st->rx0 : 0;
	d.tx = d.tx > st->tx0 ? d.tx - st->tx0 : 0;
	return d;
}

void
ifstat_close(struct ifstat *st)
{
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
}
