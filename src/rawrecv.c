/*
 * rawrecv: receive raw Ethernet frames and print them.
 *
 * usage: rawrecv -i IFACE [-q] [-c COUNT] [-o FORMAT] [-t ETHERTYPE|any]
 *                [--timeout SECONDS]
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "frame.h"
#include "opts.h"
#include "out.h"
#include "print.h"
#include "sock.h"
#include "wait.h"

static const char usage_text[] =
"usage: rawrecv -i IFACE [-q] [-c COUNT] [-o FORMAT] [-t ETHERTYPE|any]\n"
"               [--timeout SECONDS]\n"
"\n"
"Receive raw Ethernet frames and print each in rawsocketpy's RawPacket\n"
"format, 'SRC == 0xTYPE => DEST - OK:' and the escaped payload.\n"
"\n"
"  -i, --interface IFACE  interface to listen on (default: $RAWSOCK_IFACE)\n"
"  -t, --type ETHERTYPE   0xEEFA (default), decimal, a name, or any\n"
"  -c, --count COUNT      exit 0 after COUNT frames\n"
"      --timeout SECONDS  exit 1 if fewer than COUNT (or no) frames came\n"
"  -o, --output FORMAT    rawpacket (default), raw (payload bytes only),\n"
"                         hex (the whole frame, one line each)\n"
"  -q, --quiet            no 'listening on' line on standard error\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit status: 0 done (COUNT frames, or a signal), 1 timeout, 2 error.\n";

enum { OPT_TIMEOUT = 256, OPT_VERSION };
enum format { FMT_RAWPACKET, FMT_RAW, FMT_HEX };

/* Frames taken per wake-up before output is flushed and signals looked at. */
#define DRAIN_MAX	1024
#define OUT_BUFSIZE	(256 * 1024)

struct rawrecv_opts {
	const char	*ifname;
	uint16_t	 type;
	long long	 count;		/* 0: no limit */
	double		 timeout;	/* < 0: none */
	enum format	 format;
	bool		 quiet;
};

static enum format
parse_format(const char *text)
{
	if (strcmp(text, "rawpacket") == 0)
		return FMT_RAWPACKET;
	if (strcmp(text, "raw") == 0)
		return FMT_RAW;
	if (strcmp(text, "hex") == 0)
		return FMT_HEX;
	usage_error("invalid output format '%s' (rawpacket, raw or hex)", text);
}

static void
format_frame(struct out *o, enum format fmt, const struct rxframe *f)
{
	switch (fmt) {
	case FMT_RAWPACKET:
		out_commit(o, print_rawpacket(out_reserve(o,
		    print_rawpacket_max(f->len)), f->data, f->len));
		break;
	case FMT_RAW:
		if (f->len > FRAME_HDR_LEN)
			out_write(o, f->data + FRAME_HDR_LEN,
			    f->len - FRAME_HDR_LEN);
		break;
	case FMT_HEX:
		out_commit(o, print_hex(out_reserve(o, print_hex_max(f->len)),
		    f->data, f->len));
		break;
	}
}

static void
report_drops(struct rawsock *s)
{
	unsigned long long drops = sock_drops(s);

	if (drops > 0)
		warnx("%llu frame%s dropped by the kernel", drops,
		    drops == 1 ? "" : "s");
}

int
rawrecv_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "interface", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "type", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct rawrecv_opts opt = {
		.type = 0xeefa,
		.timeout = -1,
		.format = FMT_RAWPACKET,
	};
	struct rawsock sock;
	struct waiter w;
	struct out o;
	long long got = 0;
	int status = -1, c;
	char typetext[8];

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:hi:o:qt:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.count = opt_count("count", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'i':
			opt.ifname = optarg;
			break;
		case 'o':
			opt.format = parse_format(optarg);
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 't':
			opt.type = opt_ethertype(optarg, 1);
			break;
		case OPT_TIMEOUT:
			opt.timeout = opt_seconds("timeout", optarg);
			break;
		case OPT_VERSION:
			print_version();
		default:
			opt_bad(c, optopt, argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if ((opt.ifname = opt_iface(opt.ifname)) == NULL)
		usage_error("no interface given (use -i IFACE or "
		    "RAWSOCK_IFACE)");

	/* A closed reader is an EPIPE from write(), handled in out.c. */
	signal(SIGPIPE, SIG_IGN);
	sock_open(&sock, &(struct sock_config){
	    .ifname = opt.ifname, .proto = opt.type });
	out_init(&o, STDOUT_FILENO, OUT_BUFSIZE);
	waiter_init(&w, opt.timeout);
	if (opt.type == ETHERTYPE_ANY)
		strlcpy(typetext, "any", sizeof(typetext));
	else
		snprintf(typetext, sizeof(typetext), "0x%04x", opt.type);
	if (!opt.quiet)
		fprintf(stderr, "%s: listening on %s, ethertype %s\n",
		    getprogname(), sock.ifname, typetext);

	while (status < 0) {
		struct rxframe f;
		int r = 0;

		switch (waiter_wait(&w, sock.fd)) {
		case WAKE_SIGNAL:
			status = EXIT_OK;
			continue;
		case WAKE_TIMEOUT:
			status = got == 0 || (opt.count && got < opt.count) ?
			    EXIT_TIMEOUT : EXIT_OK;
			continue;
		case WAKE_READY:
			break;
		}
		for (int i = 0; i < DRAIN_MAX; i++) {
			if ((r = sock_recv(&sock, &f)) <= 0)
				break;
			if (f.wirelen > f.len)
				warnx("frame of %zu bytes cut to %zu",
				    f.wirelen, f.len);
			format_frame(&o, opt.format, &f);
			if (++got == opt.count) {
				status = EXIT_OK;
				break;
			}
		}
		/* Flush whenever no further frame is ready (or a batch is
		 * done), so pipes see each frame as it arrives. */
		out_flush(&o);
		if (r < 0) {
			if (errno == ENETDOWN || errno == ENXIO ||
			    errno == ENODEV)
				errx(2, "%s: interface went down or away "
				    "(%lld frames received)", sock.ifname, got);
			err(2, "%s: receive", sock.ifname);
		}
	}
	out_flush(&o);
	report_drops(&sock);
	waiter_close(&w);
	out_free(&o);
	sock_close(&sock);
	return status;
}
