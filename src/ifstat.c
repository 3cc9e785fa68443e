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

unsigned long long
softnet_parse(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned long long sum = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		char field[17];
		const char *q;
		size_t n;

		if (eol == NULL)
			eol = end;
		/* The second blank-separated field of the line. */
		for (q = p; q < eol && *q != ' '; q++)
			;
		while (q < eol && *q == ' ')
			q++;
		for (n = 0; q + n < eol && q[n] != ' ' && n < 16; n++)
			field[n] = q[n];
		field[n] = '\0';
		if (n > 0)
			sum += strtoull(field, NULL, 16);
		p = eol + 1;
	}
	return sum;
}

/* The whole of a /proc file: the kernel makes the text anew for each
 * read from offset 0. The length, or -1. */
static ssize_t
read_proc(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len < cap - 1 && (n = pread(fd, buf + len, cap - 1 - len,
	    (off_t)len)) > 0)
		len += (size_t)n;
	return (ssize_t)len;
}

static int
read_now(struct ifstat *st, struct ifdrops *d, unsigned long long *queue)
{
	char *buf;
	ssize_t len;
	int r = -1;

	if ((buf = malloc(READ_MAX)) == NULL)
		return -1;
	if ((len = read_proc(st->fd, buf, READ_MAX)) > 0)
		r = ifstat_parse(buf, (size_t)len, st->name, d);
	*queue = 0;
	if ((len = read_proc(st->softnet, buf, READ_MAX)) > 0)
		*queue = softnet_parse(buf, (size_t)len);
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
	st->softnet = open("/proc/net/softnet_stat", O_RDONLY | O_CLOEXEC);
	if (read_now(st, &d, &st->queue0) < 0) {
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
	unsigned long long queue, queued;

	if (st->fd < 0 || read_now(st, &d, &queue) < 0)
		return (struct ifdrops){ 0, 0 };
	/* Counters only grow; an interface that went and came back does
	 * not make a negative count. */
	d.rx = d.rx > st->rx0 ? d.rx - st->rx0 : 0;
	d.tx = d.tx > st->tx0 ? d.tx - st->tx0 : 0;
	queued = queue > st->queue0 ? queue - st->queue0 : 0;
	if (d.rx > queued)
		d.rx = queued;
	return d;
}

void
ifstat_close(struct ifstat *st)
{
	if (st->fd >= 0)
		close(st->fd);
	if (st->softnet >= 0)
		close(st->softnet);
	st->fd = st->softnet = -1;
}
