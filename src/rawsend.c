/*
 * rawsend: send raw Ethernet frames.
 *
 * usage: rawsend -i IFACE [-lv] [-c COUNT] [-d DEST] [-s SRC] [-t ETHERTYPE]
 *                [--interval SECONDS] [PAYLOAD...]
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "applet.h"
#include "frame.h"
#include "num.h"
#include "opts.h"
#include "sock.h"

static const char usage_text[] =
"usage: rawsend -i IFACE [-lv] [-c COUNT] [-d DEST] [-s SRC] [-t ETHERTYPE]\n"
"               [--interval SECONDS] [PAYLOAD...]\n"
"\n"
"Send PAYLOAD (the arguments joined by spaces, or else all of standard\n"
"input, byte for byte) as one raw Ethernet frame.\n"
"\n"
"  -i, --interface IFACE  interface to send on (default: $RAWSOCK_IFACE)\n"
"  -t, --type ETHERTYPE   0xEEFA (default), decimal, or a name: ipv4 arp ...\n"
"  -d, --dest MAC         destination (default ff:ff:ff:ff:ff:ff)\n"
"  -s, --source MAC       source (default: the interface's own MAC)\n"
"  -c, --count COUNT      send each frame COUNT times (default 1)\n"
"      --interval SECONDS wait between frames (default 0)\n"
"  -l, --lines            one frame per line of standard input, as lines come\n"
"  -v, --verbose          report frames and bytes sent on standard error\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit status: 0 sent, 2 error (nothing is sent after a bad argument).\n";

enum { OPT_INTERVAL = 256, OPT_VERSION };

struct rawsend_opts {
	const char	*ifname;
	uint16_t	 type;
	uint8_t		 dst[MAC_LEN];
	uint8_t		 src[MAC_LEN];
	bool		 have_src;
	long long	 count;
	double		 interval;
	bool		 lines;
	bool		 verbose;
};

struct sender {
	const struct rawsend_opts *opt;
	struct rawsock	 sock;
	struct txq	 q;
	uint8_t		 hdr[FRAME_HDR_LEN];
	struct timespec	 next;		/* when the next frame may go */
	bool		 started;
};

static void
send_failed(struct sender *s)
{
	int e = errno;

	errx(2, "%s: send failed after %llu frame%s: %s", s->sock.ifname,
	    s->q.frames, s->q.frames == 1 ? "" : "s", strerror(e));
}

/* Waits for the frame's slot on an absolute clock, so gaps never drift. */
static void
pace(struct sender *s)
{
	struct timespec gap;

	if (!s->started) {
		clock_gettime(CLOCK_MONOTONIC, &s->next);
		s->started = true;
	} else
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
		    &s->next, NULL) == EINTR)
			;
	gap = timespec_from_seconds(s->opt->interval);
	s->next.tv_sec += gap.tv_sec;
	s->next.tv_nsec += gap.tv_nsec;
	if (s->next.tv_nsec >= 1000000000L) {
		s->next.tv_sec++;
		s->next.tv_nsec -= 1000000000L;
	}
}

/* Queues one payload COUNT times; memory must live until the next flush. */
static void
emit(struct sender *s, const void *payload, size_t len)
{
	for (long long i = 0; i < s->opt->count; i++) {
		if (s->opt->interval > 0) {
			pace(s);
			if (txq_add(&s->q, s->hdr, sizeof(s->hdr), payload,
			    len) < 0 || txq_flush(&s->q) < 0)
				send_failed(s);
		} else if (txq_add(&s->q, s->hdr, sizeof(s->hdr), payload,
		    len) < 0)
			send_failed(s);
	}
}

static void
flush(struct sender *s)
{
	if (txq_flush(&s->q) < 0)
		send_failed(s);
}

static void
too_big(struct sender *s, const char *what)
{
	errx(2, "%s exceeds the MTU of %s (%u bytes); %llu frame%s sent",
	    what, s->sock.ifname, s->sock.mtu, s->q.frames,
	    s->q.frames == 1 ? "" : "s");
}

/* All of standard input is one payload; refuses it unread past the MTU. */
static void
send_stdin(struct sender *s)
{
	size_t cap = s->sock.mtu + 1, len = 0;
	uint8_t *buf = malloc(cap);
	ssize_t n;

	if (buf == NULL)
		err(2, "malloc");
	while (len < cap && (n = read(STDIN_FILENO, buf + len, cap - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(2, "reading standard input");
		}
		len += (size_t)n;
	}
	if (len > s->sock.mtu)
		too_big(s, "payload from standard input");
	emit(s, buf, len);
	flush(s);
	free(buf);
}

/* -l: each line is a frame, sent as soon as its newline arrives. */
static void
send_lines(struct sender *s)
{
	size_t mtu = s->sock.mtu;
	size_t cap = mtu + 1 > 65536 ? 2 * (mtu + 1) : 131072;
	uint8_t *buf = malloc(cap);
	size_t len = 0;
	unsigned long long lineno = 0;
	char what[64];
	ssize_t n;

	if (buf == NULL)
		err(2, "malloc");
	for (;;) {
		n = read(STDIN_FILENO, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err(2, "reading standard input");
		}
		len += (size_t)n;

		size_t start = 0;
		uint8_t *nl;
		while ((nl = memchr(buf + start, '\n', len - start)) != NULL) {
			size_t linelen = (size_t)(nl - (buf + start));

			lineno++;
			if (linelen > mtu) {
				flush(s);
				snprintf(what, sizeof(what), "line %llu", lineno);
				too_big(s, what);
			}
			emit(s, buf + start, linelen);
			start += linelen + 1;
		}
		/* A last line without a newline is still a line. */
		if (n == 0 && start < len) {
			lineno++;
			if (len - start > mtu) {
				flush(s);
				snprintf(what, sizeof(what), "line %llu", lineno);
				too_big(s, what);
			}
			emit(s, buf + start, len - start);
			start = len;
		}
		flush(s);
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len > mtu) {
			snprintf(what, sizeof(what), "line %llu", lineno + 1);
			too_big(s, what);
		}
		if (n == 0)
			break;
	}
	free(buf);
}

int
rawsend_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "dest", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "interface", required_argument, NULL, 'i' },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "lines", no_argument, NULL, 'l' },
		{ "source", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct rawsend_opts opt = {
		.type = 0xeefa,
		.count = 1,
	};
	struct sender s = { .opt = &opt };
	char *joined = NULL;
	size_t joinedlen = 0;
	int c;

	memcpy(opt.dst, mac_broadcast, MAC_LEN);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:d:hi:ls:t:v", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.count = opt_count("count", optarg);
			break;
		case 'd':
			opt_mac(optarg, opt.dst);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'i':
			opt.ifname = optarg;
			break;
		case 'l':
			opt.lines = true;
			break;
		case 's':
			opt_mac(optarg, opt.src);
			opt.have_src = true;
			break;
		case 't':
			opt.type = opt_ethertype(optarg, 0);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case OPT_INTERVAL:
			opt.interval = opt_seconds("interval", optarg);
			break;
		case OPT_VERSION:
			print_version();
		default:
			opt_bad(c, optopt, argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (opt.lines && argc > 0)
		usage_error("-l reads payloads from standard input; "
		    "give no PAYLOAD arguments");
	if ((opt.ifname = opt_iface(opt.ifname)) == NULL)
		usage_error("no interface given (use -i IFACE or "
		    "RAWSOCK_IFACE)");
	for (int i = 0; i < argc; i++)
		joinedlen += strlen(argv[i]) + (i > 0);

	/* Send only: protocol 0 keeps the kernel from queueing frames here. */
	sock_open(&s.sock, &(struct sock_config){ .ifname = opt.ifname });
	txq_init(&s.q, &s.sock);
	frame_header(s.hdr, opt.dst, opt.have_src ? opt.src : s.sock.mac,
	    opt.type);

	if (argc > 0) {
		if (joinedlen > s.sock.mtu)
			too_big(&s, "payload");
		if ((joined = malloc(joinedlen + 1)) == NULL)
			err(2, "malloc");
		joined[0] = '\0';
		for (int i = 0; i < argc; i++) {
			if (i > 0)
				strlcat(joined, " ", joinedlen + 1);
			strlcat(joined, argv[i], joinedlen + 1);
		}
		emit(&s, joined, joinedlen);
		flush(&s);
		free(joined);
	} else if (opt.lines)
		send_lines(&s);
	else
		send_stdin(&s);

	if (opt.verbose)
		fprintf(stderr, "%s: %llu frame%s, %llu bytes sent on %s\n",
		    getprogname(), s.q.frames, s.q.frames == 1 ? "" : "s",
		    s.q.bytes, s.sock.ifname);
	sock_close(&s.sock);
	return EXIT_OK;
}
