#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pcapfile.h"
#include "replay.h"

struct replay {
	const struct replay_sink *k;
	int		 fd;
	bool		 stopped;
};

static bool
wait_input(void *ctx)
{
	struct replay *p = ctx;

	if (!p->k->ready(p->k->ctx, p->fd))
		p->stopped = true;
	return !p->stopped;
}

int
replay_open(const char *path, const char *written, struct replay_error *e)
{
	int fd = STDIN_FILENO;

	e->recno = 0;
	if (pcap_same_file(path, written)) {
		e->path = written;	/* the one that must not be written */
		e->why = "-r and -w name the same file";
		return -1;
	}
	e->path = path;
	if (strcmp(path, "-") != 0 && ((fd = open(path, O_RDONLY |
	    O_CLOEXEC | O_NONBLOCK)) < 0 || fcntl(fd, F_SETFL,
	    fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)) {
		e->why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int
replay_run(int fd, const struct replay_sink *k, struct replay_error *e)
{
	struct replay p = { k, fd, false };
	struct pcap_reader r;
	struct pcap_rec rec;
	const uint8_t *frame;
	uint64_t first = 0;
	int n = 0;

	e->recno = 0;
	if (pcap_reader_start(&r, p.fd, wait_input, &p, &e->why) < 0) {
		n = p.stopped ? 0 : -1;
		goto out;
	}
	while ((n = pcap_reader_next(&r, &rec, &frame, &e->why)) > 0) {
		if (rec.caplen < rec.wirelen) {
			e->why = "frame was cut short when captured";
			e->recno = r.records;
			n = -1;
			break;
		}
		if (r.records == 1)
			first = rec.ts_ns;
		if (!k->record(k->ctx, frame, rec.caplen, r.records,
		    rec.ts_ns > first ? rec.ts_ns - first : 0))
			break;
	}
	if (n < 0 && p.stopped)
		n = 0;
	else if (n < 0 && e->recno == 0)
		e->recno = r.records + 1;
out:
	pcap_reader_close(&r);
	if (p.fd != STDIN_FILENO)
		close(p.fd);
	return n < 0 ? -1 : 0;
}
