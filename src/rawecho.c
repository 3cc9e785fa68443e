/*
 * rawecho: answer raw Ethernet frames, an L2 echo server.
 *
 * usage: rawecho -i IFACE [-qv] [-c COUNT] [-e CMD] [-j JOBS] [-r ETHERTYPE]
 *                [-t ETHERTYPE] [-Z USER] [--guard SECONDS]
 *                [--handler-timeout SECONDS] [--timeout SECONDS]
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <sys/signalfd.h>

#include "applet.h"
#include "frame.h"
#include "guard.h"
#include "handler.h"
#include "num.h"
#include "opts.h"
#include "out.h"
#include "print.h"
#include "priv.h"
#include "sock.h"
#include "txq.h"
#include "wait.h"

static const char usage_text[] =
"usage: rawecho -i IFACE [-qv] [-c COUNT] [-e CMD] [-j JOBS] [-r ETHERTYPE]\n"
"               [-t ETHERTYPE] [-Z USER] [--guard SECONDS]\n"
"               [--handler-timeout SECONDS] [--timeout SECONDS]\n"
"\n"
"Answer each frame of ETHERTYPE that arrives on IFACE: send its payload\n"
"back to its source MAC, and print the frame in RawPacket format.\n"
"\n"
"  -i, --interface IFACE  interface to serve (default: $RAWSOCK_IFACE)\n"
"  -t, --type ETHERTYPE   0xEEFA (default), decimal, or a name\n"
"  -r, --reply-type ETHERTYPE\n"
"                         send replies with this type (default: -t's)\n"
"  -e, --exec CMD         reply with what /bin/sh -c CMD prints, given the\n"
"                         payload on standard input; empty output: no reply\n"
"  -j, --jobs JOBS        run up to JOBS handlers at once (default 1: in\n"
"                         order)\n"
"      --handler-timeout SECONDS\n"
"                         kill a handler after SECONDS (default 5)\n"
"      --guard SECONDS    do not answer echoes of frames sent from here\n"
"                         in the last SECONDS (default 1; 0: off)\n"
"  -c, --count COUNT      exit 0 after answering COUNT frames\n"
"      --timeout SECONDS  exit after SECONDS: 1 if fewer than COUNT (or no)\n"
"                         frames were answered\n"
"  -Z, --user USER        run as USER once the socket is open\n"
"  -q, --quiet            no 'listening on' line on standard error\n"
"  -v, --verbose          report the frames received, answered, failed\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit status: 0 done (COUNT answered, or a signal), 1 timeout, 2 error.\n";

enum { OPT_GUARD = 256, OPT_HANDLER_TIMEOUT, OPT_TIMEOUT, OPT_VERSION };

/* Frames taken per wake-up before output is flushed and signals looked at. */
#define DRAIN_MAX	1024
#define OUT_BUFSIZE	(256 * 1024)
#define JOBS_MAX	256
/* Replies that wait in memory for one sendmmsg(). */
#define ARENA_FRAMES	64

struct rawecho_opts {
	const char	*ifname;
	uint16_t	 type;
	uint16_t	 reply_type;
	bool		 have_reply_type;
	long long	 count;		/* 0: no limit */
	double		 timeout;	/* < 0: none */
	const char	*cmd;		/* NULL: echo the payload */
	long long	 jobs;
	double		 limit;
	double		 guard;
	const char	*user;
	bool		 quiet;
	bool		 verbose;
};

struct server {
	const struct rawecho_opts *opt;
	struct rawsock	 sock;
	struct txq	 q;
	struct out	 o;
	struct waiter	 w;
	struct guard	*guard;
	struct handlers	 h;
	uint8_t		*arena;		/* replies waiting for txq_flush() */
	size_t		 arenalen;
	size_t		 arenacap;
	uint64_t	 now_ns;	/* CLOCK_MONOTONIC at this wake-up */
	unsigned long long received;
	unsigned long long answered;
	unsigned long long failed;
	unsigned long long ignored;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
flush_replies(struct server *s)
{
	if (txq_flush(&s->q) < 0)
		err(2, "%s: sending a reply", s->sock.ifname);
	s->arenalen = 0;
}

/* Queues a reply to dst; the copy lives until the next flush_replies(). */
static void
reply(struct server *s, const uint8_t dst[MAC_LEN], const uint8_t *payload,
    size_t len)
{
	size_t need = FRAME_HDR_LEN + len;
	uint8_t *f;

	if (s->arenacap - s->arenalen < need)
		flush_replies(s);
	f = s->arena + s->arenalen;
	s->arenalen += need;
	frame_header(f, dst, s->sock.mac, s->opt->reply_type);
	memcpy(f + FRAME_HDR_LEN, payload, len);
	if (txq_add(&s->q, f, FRAME_HDR_LEN, f + FRAME_HDR_LEN, len) < 0)
		err(2, "%s: sending a reply", s->sock.ifname);
	guard_note(s->guard, dst, payload, len, s->now_ns);
}

static void
failed(struct server *s, unsigned long long n, const uint8_t *frame,
    const char *why)
{
	char mac[MAC_TEXT_LEN];

	s->failed++;
	warnx("frame %llu from %s: %s, no reply", n,
	    mac_format(frame + MAC_LEN, mac), why);
}

static void
handler_done(void *ctx, const struct handler_result *r)
{
	struct server *s = ctx;

	if (!r->ok) {
		char why[200];

		snprintf(why, sizeof(why), "handler %s", r->why);
		failed(s, r->tag, r->frame, why);
		return;
	}
	s->answered++;
	if (r->replylen > 0)
		reply(s, r->frame + MAC_LEN, r->reply, r->replylen);
}

/* Whether another frame may be taken now: handlers are free, and COUNT
 * is not yet answered or on its way. */
static bool
can_take(const struct server *s)
{
	unsigned long long busy = (unsigned long long)s->h.running;

	if (s->opt->cmd != NULL && s->h.running >= s->h.max)
		return false;
	return s->opt->count == 0 ||
	    s->answered + busy < (unsigned long long)s->opt->count;
}

static void
take(struct server *s, const struct rxframe *f)
{
	const uint8_t *payload = f->data + FRAME_HDR_LEN;
	size_t len = f->len - FRAME_HDR_LEN;

	/* What this host sends is never answered, only remembered. */
	if (f->pkttype == PACKET_OUTGOING) {
		guard_note(s->guard, f->data, payload, len, s->now_ns);
		return;
	}
	/* Frames for other hosts (a promiscuous link) are not requests. */
	if (f->pkttype == PACKET_OTHERHOST || f->pkttype == PACKET_LOOPBACK)
		return;
	s->received++;
	out_commit(&s->o, print_rawpacket(out_reserve(&s->o,
	    print_rawpacket_max(f->len)), f->data, f->len));
	/* A group source would turn the reply into a broadcast, which
	 * every other server would answer; our own MAC as the source is a
	 * frame of ours come back (on lo, every frame does). */
	if (mac_is_group(f->data + MAC_LEN) ||
	    memcmp(f->data + MAC_LEN, s->sock.mac, MAC_LEN) == 0 ||
	    guard_is_echo(s->guard, f->data, f->data + MAC_LEN, payload, len,
	    s->now_ns)) {
		s->ignored++;
		return;
	}
	if (f->wirelen > f->len) {
		failed(s, s->received, f->data, "frame was cut");
		return;
	}
	if (s->opt->cmd != NULL) {
		handlers_start(&s->h, f->data, f->len, s->received,
		    handler_done, s);
		return;
	}
	if (len > s->sock.mtu) {
		char why[96];

		snprintf(why, sizeof(why), "%zu bytes exceed the MTU of %s "
		    "(%u bytes)", len, s->sock.ifname, s->sock.mtu);
		failed(s, s->received, f->data, why);
		return;
	}
	s->answered++;
	reply(s, f->data + MAC_LEN, payload, len);
}

/* Takes the frames that are waiting, as many as may be taken now. */
static void
drain_socket(struct server *s)
{
	struct rxframe f;
	int r = 0;

	for (int i = 0; i < DRAIN_MAX && can_take(s); i++) {
		if ((r = sock_recv(&s->sock, &f)) <= 0)
			break;
		if (f.len >= FRAME_HDR_LEN)
			take(s, &f);
	}
	if (r < 0) {
		if (errno == ENETDOWN || errno == ENXIO || errno == ENODEV)
			errx(2, "%s: interface went down or away (%llu frames "
			    "received)", s->sock.ifname, s->received);
		err(2, "%s: receive", s->sock.ifname);
	}
}

/* The wait until the earlier of the run's deadline and the handlers'
 * time limits, as ppoll() takes it; NULL: no limit. */
static struct timespec *
poll_timeout(struct server *s, struct timespec *left)
{
	struct timespec when, now;
	bool any = false;

	if (s->w.has_deadline) {
		when = s->w.deadline;
		any = true;
	}
	if (s->opt->cmd != NULL) {
		struct timespec hd;

		if (handlers_deadline(&s->h, &hd) && (!any ||
		    hd.tv_sec < when.tv_sec || (hd.tv_sec == when.tv_sec &&
		    hd.tv_nsec < when.tv_nsec))) {
			when = hd;
			any = true;
		}
	}
	if (!any)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = when.tv_sec - now.tv_sec;
	left->tv_nsec = when.tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += 1000000000L;
	}
	if (left->tv_sec < 0)
		*left = (struct timespec){ 0, 0 };
	return left;
}

static bool
deadline_passed(const struct server *s)
{
	struct timespec now;

	if (!s->w.has_deadline)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > s->w.deadline.tv_sec ||
	    (now.tv_sec == s->w.deadline.tv_sec &&
	    now.tv_nsec >= s->w.deadline.tv_nsec);
}

static void
report_counts(struct server *s)
{
	fprintf(stderr, "%s: %llu frame%s received, %llu answered, "
	    "%llu failed, %llu ignored\n", getprogname(), s->received,
	    s->received == 1 ? "" : "s", s->answered, s->failed, s->ignored);
}

static void
usr1_report(void *ctx)
{
	report_counts(ctx);
}

/* True for SIGINT or SIGTERM; SIGUSR1 reports the counts and goes on. */
static bool
stop_signal(struct server *s)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(s->w.sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGUSR1)
			report_counts(s);
		else
			stop = true;
	}
	return stop;
}

/* The one poll loop: the socket (while a frame may be taken), the
 * signalfd, and the handlers' pidfds and pipes. */
static int
serve(struct server *s)
{
	const struct rawecho_opts *opt = s->opt;
	struct pollfd *p;
	int status = -1;

	if ((p = calloc(2 + 3 * (size_t)s->h.max, sizeof(*p))) == NULL)
		err(2, "malloc");
	while (status < 0) {
		struct timespec left, *tp;
		int n = 2;

		p[0] = (struct pollfd){ s->w.sigfd, POLLIN, 0 };
		/* A busy server leaves frames queued in the kernel. */
		p[1] = (struct pollfd){ can_take(s) ? s->sock.fd : -1,
		    POLLIN, 0 };
		if (opt->cmd != NULL)
			n += handlers_pollfds(&s->h, p + 2);
		tp = poll_timeout(s, &left);
		/* Frames already read in a batch: no waiting for more. */
		if (can_take(s) && sock_pending(&s->sock)) {
			left = (struct timespec){ 0, 0 };
			tp = &left;
		}
		if (ppoll(p, (nfds_t)n, tp, NULL) < 0) {
			if (errno == EINTR)
				continue;
			err(2, "poll");
		}
		if (p[0].revents && stop_signal(s)) {
			status = EXIT_OK;
			break;
		}
		s->now_ns = mono_ns();
		if (p[1].revents || (can_take(s) && sock_pending(&s->sock)))
			drain_socket(s);
		if (opt->cmd != NULL)
			handlers_work(&s->h, p + 2, handler_done, s);
		/* Replies of a burst go out together; output is flushed
		 * whenever no further frame is waiting. */
		flush_replies(s);
		out_flush(&s->o);
		if (opt->count > 0 &&
		    s->answered >= (unsigned long long)opt->count)
			status = EXIT_OK;
		else if (deadline_passed(s))
			status = s->answered == 0 || (opt->count > 0 &&
			    s->answered < (unsigned long long)opt->count) ?
			    EXIT_TIMEOUT : EXIT_OK;
	}
	free(p);
	return status;
}

/* Only the listened-for type reaches the socket; the kernel's filter
 * runs before bind, so nothing else slips in. */
static void
open_socket(struct server *s)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, s->opt->type, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	/* Every type, with the host's own frames: the loop guard needs to
	 * see what rawsend or rawping send from here. */
	sock_open(&s->sock, &(struct sock_config){
	    .ifname = s->opt->ifname, .proto = ETHERTYPE_ANY,
	    .outgoing = true, .filter = &prog });
}

static void
report(struct server *s)
{
	unsigned long long drops = sock_drops(&s->sock);

	if (drops > 0)
		warnx("%llu frame%s dropped by the kernel", drops,
		    drops == 1 ? "" : "s");
	if (s->opt->verbose)
		report_counts(s);
}

int
rawecho_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "exec", required_argument, NULL, 'e' },
		{ "guard", required_argument, NULL, OPT_GUARD },
		{ "handler-timeout", required_argument, NULL,
		    OPT_HANDLER_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ "interface", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "reply-type", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "type", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'Z' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct rawecho_opts opt = {
		.type = 0xeefa,
		.timeout = -1,
		.jobs = 1,
		.limit = 5,
		.guard = 1,
	};
	struct server s = { .opt = &opt };
	char typetext[40];
	int status, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:e:hi:j:qr:t:vZ:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			opt.count = opt_count("count", optarg);
			break;
		case 'e':
			if (optarg[0] == '\0')
				usage_error("empty handler command");
			opt.cmd = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'i':
			opt.ifname = optarg;
			break;
		case 'j':
			opt.jobs = opt_range("jobs", optarg, 1, JOBS_MAX);
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'r':
			opt.reply_type = opt_ethertype(optarg, 0);
			opt.have_reply_type = true;
			break;
		case 't':
			opt.type = opt_ethertype(optarg, 0);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'Z':
			opt.user = optarg;
			break;
		case OPT_GUARD:
			opt.guard = opt_seconds("guard", optarg);
			break;
		case OPT_HANDLER_TIMEOUT:
			opt.limit = opt_positive_seconds("handler-timeout",
			    optarg);
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
	opt_no_operands(argc, argv, optind);
	opt.ifname = opt_need_iface(opt.ifname);
	if (!opt.have_reply_type)
		opt.reply_type = opt.type;

	/* A closed reader is an EPIPE from write(), handled in out.c. */
	signal(SIGPIPE, SIG_IGN);
	open_socket(&s);
	priv_drop(opt.user);
	txq_init(&s.q, &s.sock);
	s.arenacap = ARENA_FRAMES * ((size_t)s.sock.mtu + FRAME_HDR_LEN);
	if ((s.arena = malloc(s.arenacap)) == NULL ||
	    (s.guard = malloc(sizeof(*s.guard))) == NULL)
		err(2, "malloc");
	guard_init(s.guard, opt.guard);
	if (opt.cmd != NULL)
		handlers_init(&s.h, opt.cmd, s.sock.ifname, (int)opt.jobs,
		    opt.limit, s.sock.mtu);
	out_init(&s.o, STDOUT_FILENO, OUT_BUFSIZE);
	waiter_init(&s.w, opt.timeout);
	waiter_on_usr1(&s.w, usr1_report, &s);
	snprintf(typetext, sizeof(typetext), "0x%04x", opt.type);
	if (opt.reply_type != opt.type)
		snprintf(typetext + 6, sizeof(typetext) - 6,
		    ", replies 0x%04x", opt.reply_type);
	if (!opt.quiet)
		fprintf(stderr, "%s: listening on %s, ethertype %s\n",
		    getprogname(), s.sock.ifname, typetext);

	status = serve(&s);
	handlers_free(&s.h);
	flush_replies(&s);
	out_flush(&s.o);
	report(&s);
	waiter_close(&s.w);
	out_free(&s.o);
	free(s.arena);
	free(s.guard);
	sock_close(&s.sock);
	return status;
}
