#include <err.h>
#include <fcntl.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

#include "frame.h"
#include "opts.h"
#include "pcapfile.h"
#include "print.h"
#include "sink.h"

#define OUT_BUFSIZE	(256 * 1024)

int
format_parse(const char *text, enum format *fmt)
{
	static const struct { const char *name; enum format fmt; } names[] = {
		{ "rawpacket", FMT_RAWPACKET }, { "raw", FMT_RAW },
		{ "hex", FMT_HEX }, { "json", FMT_JSON }, { "vis", FMT_VIS },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(text, names[i].name) == 0) {
			*fmt = names[i].fmt;
			return 0;
		}
	return -1;
}

void
sink_init(struct sink *k, int fd, enum format fmt, bool timestamps)
{
	k->fmt = fmt;
	k->timestamps = timestamps;
	out_init(&k->out, fd, OUT_BUFSIZE);
	if (fmt == FMT_PCAP)
		pcap_write_header(&k->out);
}

void
sink_open(struct sink *k, const char *path, enum format fmt, bool timestamps)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		sink_init(k, STDOUT_FILENO, fmt, timestamps);
		return;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0)
		err(2, "%s", shown(path));
	sink_init(k, fd, fmt, timestamps);
	k->out.name = path;
}

/* "SECONDS.NANOSECONDS ": epoch time, no time zone lookups per frame. */
static size_t
put_time(char *d, const struct frame_meta *m)
{
	if (!m->has_ts)
		return (size_t)sprintf(d, "-.--------- ");
	return (size_t)sprintf(d, "%llu.%09llu ",
	    (unsigned long long)(m->ts_ns / 1000000000u),
	    (unsigned long long)(m->ts_ns % 1000000000u));
}

void
sink_frame(struct sink *k, const struct frame_meta *m, const uint8_t *frame,
    size_t len)
{
	struct out *o = &k->out;
	size_t payload = len > FRAME_HDR_LEN ? len - FRAME_HDR_LEN : 0;
	size_t n;
	char *d;

	switch (k->fmt) {
	case FMT_RAWPACKET:
		d = out_reserve(o, 32 + print_rawpacket_max(len));
		if (k->timestamps) {
			n = put_time(d, m);
			out_commit(o, n);
			d += n;
		}
		out_commit(o, print_rawpacket(d, frame, len, m->wirelen));
		break;
	case FMT_RAW:
		if (payload > 0)
			out_write(o, frame + FRAME_HDR_LEN, payload);
		break;
	case FMT_HEX:
		out_commit(o, print_hex(out_reserve(o, print_hex_max(len)),
		    frame, len, m->wirelen));
		break;
	case FMT_JSON:
		out_commit(o, print_json(out_reserve(o, print_json_max(len,
		    m->iface ? strlen(m->iface) : 0)), m, frame, len));
		break;
	case FMT_VIS:
		d = out_reserve(o, escape_text_max(payload) + PRINT_CUT_MAX +
		    1);
		n = escape_text(d, frame + len - payload, payload, ESC_VIS);
		/* "\[" is no vis escape: rawsend --vis refuses the line. */
		n += print_cut(d + n, " \\", len, m->wirelen);
		d[n] = '\n';
		out_commit(o, n + 1);
		break;
	case FMT_PCAP:
		pcap_write_record(o, m->has_ts ? m->ts_ns : 0, frame, len,
		    m->wirelen > len ? m->wirelen : len);
		break;
	}
}

void
sink_flush(struct sink *k)
{
	out_flush(&k->out);
}

void
sink_free(struct sink *k)
{
	out_free(&k->out);
}
