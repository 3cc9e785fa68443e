#ifndef RAWSOCK_SINK_H
#define RAWSOCK_SINK_H
/*
 * Where frames go: one output format, buffered into one file descriptor.
 * Shared by every applet that prints frames, so each format is written
 * once: rawpacket, raw, hex, json, vis and pcap.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "out.h"

enum format { FMT_RAWPACKET, FMT_RAW, FMT_HEX, FMT_JSON, FMT_VIS, FMT_PCAP };

#define FORMAT_NAMES "rawpacket, raw, hex, json or vis"

struct sink {
	enum format	fmt;
	bool		timestamps;	/* --ts: time before RawPacket lines */
	struct out	out;
};

/* Parses an -o value; -1 if unknown. */
int	format_parse(const char *text, enum format *fmt);

/* fd is stdout or an opened -w file; pcap gets its header here. */
void	sink_init(struct sink *k, int fd, enum format fmt, bool timestamps);
/* The same for -w PATH: standard output for NULL or "-", else the file,
 * created or emptied (exit 2 with one line if it cannot be). */
void	sink_open(struct sink *k, const char *path, enum format fmt,
	    bool timestamps);
void	sink_frame(struct sink *k, const struct frame_meta *m,
	    const uint8_t *frame, size_t len);
void	sink_flush(struct sink *k);
void	sink_free(struct sink *k);

#endif
