#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "pcapfile.h"

#define MAGIC_USEC	0xa1b2c3d4u
#define MAGIC_NSEC	0xa1b23c4du
#define MAGIC_PCAPNG	0x0a0d0d0au
#define READ_CHUNK	(1024 * 1024)

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* host order, as pcap readers expect */
}

void
pcap_write_header(struct out *o)
{
	uint8_t h[PCAP_HDR_LEN];
	uint16_t major = 2, minor = 4;

	put32(h, MAGIC_NSEC);
	memcpy(h + 4, &major, 2);
	memcpy(h + 6, &minor, 2);
	put32(h + 8, 0);		/* thiszone */
	put32(h + 12, 0);		/* sigfigs */
	put32(h + 16, PCAP_SNAPLEN);
	put32(h + 20, PCAP_LINKTYPE_ETHERNET);
	out_write(o, h, sizeof(h));
}

void
pcap_write_record(struct out *o, uint64_t ts_ns, const uint8_t *frame,
    size_t len, size_t wirelen)
{
	uint8_t *p = (uint8_t *)out_reserve(o, PCAP_REC_LEN + len);

	put32(p, (uint32_t)(ts_ns / 1000000000u));
	put32(p + 4, (uint32_t)(ts_ns % 1000000000u));
	put32(p + 8, (uint32_t)len);
	put32(p + 12, (uint32_t)wirelen);
	memcpy(p + PCAP_REC_LEN, frame, len);
	out_commit(o, PCAP_REC_LEN + len);
}

static uint32_t
get32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

int
pcap_parse_header(const uint8_t *p, size_t len, struct pcap_info *info,
    const char **why)
{
	uint32_t magic;

	if (len < PCAP_HDR_LEN) {
		*why = len == 0 ? "empty file, not a pcap capture" :
		    "truncated pcap file header";
		return -1;
	}
	magic = get32(p, false);
	info->swapped = magic == __builtin_bswap32(MAGIC_USEC) ||
	    magic == __builtin_bswap32(MAGIC_NSEC);
	magic = get32(p, info->swapped);
	if (magic == MAGIC_PCAPNG) {
		*why = "pcapng is not supported (tcpdump -r FILE -w OUT "
		    "writes classic pcap)";
		return -1;
	}
	if (magic != MAGIC_USEC && magic != MAGIC_NSEC) {
		*why = "not a pcap capture (bad magic number)";
		return -1;
	}
	info->nsec = magic == MAGIC_NSEC;
	info->snaplen = get32(p + 16, info->swapped);
	/* As libpcap reads it: the upper 16 bits may carry FCS flags. */
	info->linktype = get32(p + 20, info->swapped) & 0xffff;
	if (info->linktype != PCAP_LINKTYPE_ETHERNET) {
		*why = "link type is not Ethernet";
		return -1;
	}
	return 0;
}

int
pcap_parse_record(const uint8_t *p, const struct pcap_info *info,
    struct pcap_rec *rec, const char **why)
{
	uint32_t sec = get32(p, info->swapped);
	uint32_t frac = get32(p + 4, info->swapped);

	if (frac >= (info->nsec ? 1000000000u : 1000000u)) {
		*why = "corrupt record (bad timestamp)";
		return -1;
	}
	rec->ts_ns = (uint64_t)sec * 1000000000u +
	    (info->nsec ? frac : (uint64_t)frac * 1000u);
	rec->caplen = get32(p + 8, info->swapped);
	rec->wirelen = get32(p + 12, info->swapped);
	if (rec->caplen > PCAP_SNAPLEN) {
		*why = "corrupt record (length beyond any snapshot length)";
		return -1;
	}
	if (rec->wirelen < rec->caplen)
		rec->wirelen = rec->caplen;
	return 0;
}

/* Makes at least want bytes available from start; 0 short at EOF, -1 error. */
static int
fill(struct pcap_reader *r, size_t want)
{
	if (r->end - r->start >= want)
		return 1;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	while (r->end < want) {
		ssize_t n;

		if (r->wait != NULL && !r->wait(r->wait_ctx)) {
			errno = EINTR;
			return -1;
		}
		n = read(r->fd, r->buf + r->end, r->cap - r->end);

		/* EINTR too goes back: the caller may have been asked to stop. */
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		r->end += (size_t)n;
	}
	return 1;
}

int
pcap_reader_open(struct pcap_reader *r, int fd, const char **why)
{
	return pcap_reader_start(r, fd, NULL, NULL, why);
}

int
pcap_reader_start(struct pcap_reader *r, int fd, bool (*wait)(void *),
    void *ctx, const char **why)
{
	int n;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->wait = wait;
	r->wait_ctx = ctx;
	r->cap = READ_CHUNK + PCAP_REC_LEN + PCAP_SNAPLEN;
	if ((r->buf = malloc(r->cap)) == NULL) {
		*why = strerror(errno);
		return -1;
	}
	if ((n = fill(r, PCAP_HDR_LEN)) < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (pcap_parse_header(r->buf, r->end, &r->info, why) < 0)
		return -1;
	r->start = PCAP_HDR_LEN;
	return 0;
}

int
pcap_reader_next(struct pcap_reader *r, struct pcap_rec *rec,
    const uint8_t **frame, const char **why)
{
	int n;

	if ((n = fill(r, PCAP_REC_LEN)) < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (n == 0) {
		if (r->end == r->start)
			return 0;
		*why = "truncated record header";
		return -1;
	}
	if (pcap_parse_record(r->buf + r->start, &r->info, rec, why) < 0)
		return -1;
	if ((n = fill(r, PCAP_REC_LEN + rec->caplen)) <= 0) {
		*why = n < 0 ? strerror(errno) : "truncated record";
		return -1;
	}
	*frame = r->buf + r->start + PCAP_REC_LEN;
	r->start += PCAP_REC_LEN + rec->caplen;
	r->records++;
	return 1;
}

void
pcap_reader_close(struct pcap_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

bool
pcap_same_file(const char *readfile, const char *writefile)
{
	struct stat r, w;

	if (readfile == NULL || writefile == NULL ||
	    strcmp(readfile, "-") == 0 || strcmp(writefile, "-") == 0)
		return false;
	return strcmp(readfile, writefile) == 0 ||
	    (stat(readfile, &r) == 0 && stat(writefile, &w) == 0 &&
	    r.st_dev == w.st_dev && r.st_ino == w.st_ino);
}
