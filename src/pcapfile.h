#ifndef RAWSOCK_PCAPFILE_H
#define RAWSOCK_PCAPFILE_H
/*
 * The classic pcap file format, written and read by hand: writing needs no
 * library, and reading checks every length against the file, so a
 * truncated or hostile capture gets a clear error, never a crash.
 * Written files use nanosecond timestamps and LINKTYPE_ETHERNET.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out.h"

#define PCAP_LINKTYPE_ETHERNET	1
#define PCAP_SNAPLEN		262144	/* what tcpdump writes and accepts */
#define PCAP_HDR_LEN		24
#define PCAP_REC_LEN		16

void	pcap_write_header(struct out *o);
void	pcap_write_record(struct out *o, uint64_t ts_ns, const uint8_t *frame,
	    size_t len, size_t wirelen);

struct pcap_info {
	bool		swapped;	/* written on the other byte order */
	bool		nsec;		/* nanosecond timestamps */
	uint32_t	linktype;
	uint32_t	snaplen;
};

struct pcap_rec {
	uint64_t	ts_ns;
	uint32_t	caplen;		/* bytes stored */
	uint32_t	wirelen;	/* bytes the frame had */
};

/* Pure parsers, for the reader and the fuzzer. 0, or -1 and *why. */
int	pcap_parse_header(const uint8_t *p, size_t len, struct pcap_info *info,
	    const char **why);
int	pcap_parse_record(const uint8_t *p, const struct pcap_info *info,
	    struct pcap_rec *rec, const char **why);

struct pcap_reader {
	int		 fd;
	/* Called before each read(), so a pipe that is idle waits in the
	 * caller's loop: false stops the reading (errno EINTR). */
	bool		(*wait)(void *ctx);
	void		*wait_ctx;
	struct pcap_info info;
	uint8_t		*buf;
	size_t		 cap, start, end;
	unsigned long long records;	/* records returned so far */
};

/* Reads the header from fd; 0, or -1 and *why (errno-based or format). */
int	pcap_reader_open(struct pcap_reader *r, int fd, const char **why);
/* The same, with wait(ctx) called before every read(). */
int	pcap_reader_start(struct pcap_reader *r, int fd, bool (*wait)(void *),
	    void *ctx, const char **why);
/* 1 and a frame valid until the next call, 0 at a clean end, -1 and *why. */
int	pcap_reader_next(struct pcap_reader *r, struct pcap_rec *rec,
	    const uint8_t **frame, const char **why);
void	pcap_reader_close(struct pcap_reader *r);

/* Whether -r's file and -w's are one (the same path, or the same device
 * and inode), so writing would truncate what is still to be read. "-" is
 * a standard stream, never a file here. */
bool	pcap_same_file(const char *readfile, const char *writefile);

#endif
