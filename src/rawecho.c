/*
 * rawecho: answer raw Ethernet frames, an L2 echo server.
 *
 * usage: rawecho -i IFACE [-qv] [-c COUNT] [-e CMD] [-j JOBS] [-R ETHERTYPE]
 *                [-t ETHERTYPE] [-Z USER] [--busy-poll] [--guard SECONDS]
 *                [--handler-timeout SECONDS] [--pipe CMD]
 *                [--timeout SECONDS] [--vlan VID]
 *
 * Echoes, or answers through handlers: one per frame (-e, handler.c) or
 * one for the run (--pipe, pipe.c).
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_packet.h>

#include "applet.h"
#include "filter.h"
#include "frame.h"
#include "framer.h"
#include "guard.h"
#include "handler.h"
#include "num.h"
#include "opts.h"
#include "out.h"
#include "pipe.h"
#include "print.h"
#include "priv.h"
#include "sandbox.h"
#include "sock.h"
#include "ifstat.h"
#include "loop.h"
#include "report.h"
#include "rxloop.h"
#include "txq.h"

enum { OPT_GUARD = OPT_OWN, OPT_HANDLER_TIMEOUT, OPT_PIPE, OPT_VLAN };

#define JOBS_MAX	256

struct rawecho_opts {
	const char	*ifname;
	uint16_t	 type;
	uint16_t	 reply_type;
	bool		 have_reply_type;
	long long	 count;		/* 0: no limit */
	double		 timeout;	/* < 0: none */
	const char	*cmd;		/* NULL: echo the payload */
	const char	*pipe;		/* --pipe CMD */
	long long	 jobs;
	double		 limit;
	double		 guard;
	const char	*user;
	long long	 vlan;		/* -1: tagged or not */
	bool		 quiet;
	bool		 verbose;
	bool		 busy_poll;
};

#define AT(field)	OPT_AT(struct rawecho_opts, field)

const struct optspec rawecho_options = {
	.usage =
"usage: rawecho -i IFACE [-qv] [-c COUNT] [-e CMD] [-j JOBS] [-R ETHERTYPE]\n"
"               [-t ETHERTYPE] [-Z USER] [--busy-poll] [--guard SECONDS]\n"
"               [--handler-timeout SECONDS] [--pipe CMD]\n"
"               [--timeout SECONDS] [--vlan VID]\n"
"\n"
"Answer each frame of ETHERTYPE that arrives on IFACE: send its payload\n"
"back to its source MAC, and print the frame in RawPacket format.\n",
	.footer =
"Exit status: 0 done (COUNT answered, or a signal), 1 timeout, 2 error.\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .store = AT(ifname),
	    .help = "interface to serve (default: $RAWSOCK_IFACE)"),
	OPT_SHARED('t', .store = AT(type),
	    .no_any = "rawecho answers one ethertype (any would answer every "
	    "frame, its own replies included)"),
	/* -r is a file in rawsend and rawrecv; here it stays as an alias. */
	{ 'R', "reply-type", "ETHERTYPE", OK_ETHERTYPE, .comp = OC_ETHERTYPE,
	    .help = "send replies with this type (default: -t's)",
	    .no_any = "a reply carries one ethertype" },
	{ 'r', .alias = 'R' },
	{ 'e', "exec", "CMD", OK_TEXT, .comp = OC_COMMAND,
	    .help = "reply with what /bin/sh -c CMD prints, given the\n"
	    "payload on standard input; empty output: no reply" },
	{ OPT_PIPE, "pipe", "CMD", OK_TEXT, .comp = OC_COMMAND,
	    .help = "run /bin/sh -c CMD once: each frame a JSON line on\n"
	    "its stdin, each JSON line it prints a frame to send" },
	{ 'j', "jobs", "JOBS", OK_RANGE, 1, JOBS_MAX,
	    .store = AT(jobs),
	    .help = "run up to JOBS handlers at once (default 1: in\n"
	    "order)" },
	{ OPT_HANDLER_TIMEOUT, "handler-timeout", "SECONDS",
	    OK_POSITIVE_SECONDS, .usage = true,
	    .store = AT(limit),
	    .help = "kill a handler after SECONDS (default 5); --pipe's\n"
	    "SECONDS after its input ends" },
	OPT_SHARED(OPT_BUSY_POLL, .store = AT(busy_poll)),
	{ OPT_GUARD, "guard", "SECONDS", OK_SECONDS,
	    .store = AT(guard),
	    .help = "do not answer echoes of frames sent from here\n"
	    "in the last SECONDS (default 1; 0: off)" },
	OPT_SHARED('c', .store = AT(count),
	    .help = "exit 0 after answering COUNT frames (--pipe:\n"
	    "after handing COUNT over and the handler's exit)"),
	OPT_SHARED(OPT_TIMEOUT, .store = AT(timeout),
	    .help = "exit after SECONDS: 1 if fewer than COUNT (or no)\n"
	    "frames were answered"),
	OPT_SHARED('Z', .store = AT(user),
	    .help = "run as USER once the socket is open (with -e as\n"
	    "root, default nobody; -Z root keeps root)"),
	{ OPT_VLAN, "vlan", "VID", OK_RANGE, 0, 4094, .what = "VLAN ID",
	    .store = AT(vlan),
	    .help = "serve only frames tagged with 802.1Q VLAN VID" },
	OPT_SHARED('q', .store = AT(quiet)),
	{ 'v', "verbose", NULL, OK_FLAG,
	    .store = AT(verbose),
	    .help = "report the frames received, answered, failed" },
	OPT_SHARED('h'),
	OPT_SHARED(OPT_VERSION),
	{ 0 } },
};

#define OUT_BUFSIZE	(256 * 1024)
/* Who runs the handlers when root gives no -Z. */
#define HANDLER_USER	"nobody"
/* Replies that wait in memory for one sendmmsg(). */


struct server {
	const struct rawecho_opts *opt;
	struct rawsock	 sock;
	struct txq	 q;
	struct out	 o;
	struct loop	*loop;
	struct rxloop	 rx;
	struct ifstat	 ifs;
	struct guard	*guard;
	struct handlers	 h;
	struct pipe_handler pipe;	/* --pipe */
	struct framer	 whole;		/* --pipe: its frames, as they are */
	struct timespec	 deadline;	/* --pipe: --timeout's */
	bool		 timed_out;	/* --pipe: its input ended for it */
	uint64_t	 now_ns;	/* CLOCK_MONOTONIC at this wake-up */
	unsigned long long received;
	unsigned long long answered;
	unsigned long long failed;
	unsigned long long ignored;
	unsigned long long sent;	/* --pipe: frames its lines gave */
};

/* A reply the kernel refused ends the run through the one stop path. */
static void
send_failed(struct server *s)
{
	if (s->rx.error == 0)
		s->rx.error = errno;
	loop_stop(s->loop, STOP_FAILED);
}

static void
flush_replies(struct server *s)
{
	if (txq_flush(&s->q) < 0)
		send_failed(s);
}

/* The header of a request as printed: 18 bytes when the kernel had
 * taken a tag out, which the socket puts back (vlan_tags). */
static size_t
request_hdrlen(size_t len, bool tagged)
{
	return tagged && len >= FRAME_HDR_LEN + VLAN_TAG_LEN ?
	    FRAME_HDR_LEN + VLAN_TAG_LEN : FRAME_HDR_LEN;
}

/* Queues a reply to request's source, on its VLAN (the same tag, TPID
 * and all, when hdrlen says it has one), copied into the queue: the
 * request's memory may go before the batch does. Padded as framer.c
 * pads every frame sent. */
static void
reply(struct server *s, const uint8_t *request, size_t hdrlen,
    const uint8_t *payload, size_t len)
{
	const uint8_t *dst = request + MAC_LEN;
	struct iovec parts[FRAMER_PARTS], whole;
	struct framer fr;
	int n;

	framer_init(&fr, dst, s->sock.mac, s->opt->reply_type, -1, false,
	    PAD_TAGGED, s->sock.mtu);
	if (hdrlen > FRAME_HDR_LEN)
		framer_tag(&fr, frame_type(request), (uint16_t)(request[14] << 8 |
		    request[15]));
	n = framer_build(&fr, payload, len, parts);
	if ((whole.iov_base = (void *)txq_copy(&s->q, parts, n,
	    &whole.iov_len)) == NULL || txq_addv(&s->q, &whole, 1) < 0)
		send_failed(s);
	guard_note(s->guard, dst, payload, len, s->now_ns);
}

/* --pipe: a frame a line of the handler's gave, queued whole, padded
 * by the one rule if it is tagged. */
static void
pipe_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct server *s = ctx;
	struct iovec parts[FRAMER_PARTS], whole;
	size_t hdrlen = request_hdrlen(len, frame_type(frame) == 0x8100 ||
	    frame_type(frame) == 0x88a8);
	int n;

	if ((n = framer_build(&s->whole, frame, len, parts)) < 0) {
		s->pipe.failed++;
		warnx("handler line %llu: longer than the MTU, not sent",
		    s->pipe.lines);
		return;
	}
	if ((whole.iov_base = (void *)txq_copy(&s->q, parts, n,
	    &whole.iov_len)) == NULL || txq_addv(&s->q, &whole, 1) < 0)
		send_failed(s);
	guard_note(s->guard, frame, frame + hdrlen, len - hdrlen, s->now_ns);
	s->sent++;
}

/* --pipe: the handler is over, and so is the run. */
static void
pipe_ended(void *ctx, bool ok, const char *why)
{
	struct server *s = ctx;

	if (ok) {
		loop_stop(s->loop, s->timed_out ? STOP_TIMEOUT : STOP_DONE);
		return;
	}
	warnx("handler %s", why);
	loop_stop(s->loop, STOP_FAILED);
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

static bool can_take(const struct server *s);

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
		reply(s, r->frame, r->hdrlen, r->reply, r->replylen);
}

/* Whether another frame may be taken now: handlers are free, and COUNT
 * is not yet answered or on its way. */
static bool
can_take(const struct server *s)
{
	unsigned long long busy = (unsigned long long)s->h.running;

	if (s->opt->pipe != NULL)
		return !pipe_full(&s->pipe) && (s->opt->count == 0 ||
		    s->pipe.taken < (unsigned long long)s->opt->count);
	if (s->opt->cmd != NULL && s->h.running >= s->h.max)
		return false;
	return s->opt->count == 0 ||
	    s->answered + busy < (unsigned long long)s->opt->count;
}

/* What this host sends is never answered, only remembered; frames for
 * other hosts (a promiscuous link) are not requests, nor with --vlan
 * frames of another VLAN or none (the kernel hands the tag beside the
 * frame, in f->vlan_tci). */
static bool
is_request(const struct server *s, const struct rxframe *f)
{
	return f->len >= FRAME_HDR_LEN && f->pkttype != PACKET_OUTGOING &&
	    f->pkttype != PACKET_OTHERHOST && f->pkttype != PACKET_LOOPBACK &&
	    (s->opt->vlan < 0 || (f->vlan &&
	    (f->vlan_tci & 0xfff) == s->opt->vlan));
}

static bool
wanted(void *ctx, const struct rxframe *f)
{
	return is_request(ctx, f);
}

/* Takes one frame from the socket: 0, since COUNT counts answers. */
static int
take(void *ctx, const struct rxframe *f)
{
	struct server *s = ctx;
	size_t hdrlen = request_hdrlen(f->len, f->vlan);
	const uint8_t *payload = f->data + hdrlen;
	size_t len = f->len - hdrlen;

	s->now_ns = mono_ns();
	if (f->len < FRAME_HDR_LEN)
		return 0;
	if (f->pkttype == PACKET_OUTGOING) {
		guard_note(s->guard, f->data, payload, len, s->now_ns);
		return 0;
	}
	if (!is_request(s, f))
		return 0;
	s->received++;
	out_commit(&s->o, print_rawpacket(out_reserve(&s->o,
	    print_rawpacket_max(f->len)), f->data, f->len, f->wirelen));
	/* A group source would turn the reply into a broadcast, which
	 * every other server would answer; our own MAC as the source is a
	 * frame of ours come back (on lo, every frame does). */
	if (mac_is_group(f->data + MAC_LEN) ||
	    memcmp(f->data + MAC_LEN, s->sock.mac, MAC_LEN) == 0 ||
	    guard_is_echo(s->guard, f->data, f->data + MAC_LEN, payload, len,
	    s->now_ns)) {
		s->ignored++;
	} else if (f->wirelen > f->len) {
		failed(s, s->received, f->data, "frame was cut");
	} else if (s->opt->pipe != NULL) {
		struct frame_meta m = { .has_ts = f->has_ts,
		    .ts_ns = f->ts_ns, .iface = s->sock.ifname,
		    .pkttype = f->pkttype, .wirelen = f->wirelen };

		pipe_frame(&s->pipe, &m, f->data, f->len);
	} else if (s->opt->cmd != NULL) {
		handlers_start(&s->h, f->data, f->len, hdrlen, s->received);
	} else if (len > s->sock.mtu) {
		char why[128];	/* an escaped name takes up to 60 bytes */

		snprintf(why, sizeof(why), "%zu bytes exceed the MTU of %s "
		    "(%u bytes)", len, shown(s->sock.ifname), s->sock.mtu);
		failed(s, s->received, f->data, why);
	} else {
		s->answered++;
		reply(s, f->data, hdrlen, payload, len);
	}
	/* A busy server leaves frames queued in the kernel. */
	rx_pause(&s->rx, !can_take(s));
	return 0;
}

static void
report_counts(struct server *s)
{
	if (s->opt->pipe != NULL) {
		unsigned long long n = s->pipe.failed;

		fprintf(stderr, "%s: %llu frame%s received, %llu written to the "
		    "handler, %llu failed, %llu ignored; %llu repl%s sent, "
		    "%llu line%s failed; %llu dropped by the kernel\n",
		    getprogname(), s->received, s->received == 1 ? "" : "s",
		    s->pipe.written, s->failed, s->ignored, s->sent,
		    s->sent == 1 ? "y" : "ies", n, n == 1 ? "" : "s",
		    sock_drops(&s->sock));
		return;
	}
	fprintf(stderr, "%s: %llu frame%s received, %llu answered, "
	    "%llu failed, %llu ignored\n", getprogname(), s->received,
	    s->received == 1 ? "" : "s", s->answered, s->failed, s->ignored);
}

static void
usr1_report(void *ctx)
{
	report_counts(ctx);
}

static void
expire(void *ctx)
{
	struct server *s = ctx;

	handlers_expire(s->opt->pipe != NULL ? &s->pipe.h : &s->h);
}

/* --pipe's --timeout: no more frames; the handler has its input's end,
 * and the time limit to exit. */
static void
pipe_timeout(void *ctx)
{
	struct server *s = ctx;

	s->timed_out = true;
	pipe_close_input(&s->pipe);
}

/* --pipe: the run ends when the handler does; COUNT and --timeout end
 * its input. */
static void
pipe_after_wake(struct server *s)
{
	const struct rawecho_opts *opt = s->opt;
	struct timespec when;

	if (!s->pipe.closing && opt->count > 0 &&
	    s->pipe.taken >= (unsigned long long)opt->count)
		pipe_close_input(&s->pipe);
	pipe_flush(&s->pipe);
	rx_pause(&s->rx, !can_take(s));
	if (!s->pipe.closing && opt->timeout >= 0)
		loop_timer(s->loop, &s->deadline, pipe_timeout, s);
	else
		loop_timer(s->loop, handlers_deadline(&s->pipe.h, &when) ?
		    &when : NULL, expire, s);
}

/* After every wake-up: the replies of a burst go out together, output
 * is flushed, COUNT is checked, and the socket is watched again once a
 * frame may be taken. */
static void
after_wake(void *ctx)
{
	struct server *s = ctx;
	const struct rawecho_opts *opt = s->opt;
	struct timespec when;

	s->now_ns = mono_ns();
	flush_replies(s);
	out_flush(&s->o);
	if (opt->pipe != NULL) {
		pipe_after_wake(s);
		return;
	}
	if (opt->count > 0 && s->answered >= (unsigned long long)opt->count)
		loop_stop(s->loop, STOP_DONE);
	rx_pause(&s->rx, !can_take(s));
	if (opt->cmd != NULL)
		loop_timer(s->loop, handlers_deadline(&s->h, &when) ? &when :
		    NULL, expire, s);
}

/* The one end of every run: what is queued is counted, the report
 * written, the status returned. */
static int
finish(struct server *s, enum loop_stop why)
{
	struct losses l = { .unread_what = "answered" };
	/* Handlers killed now were taken but never answered; so were the
	 * lines a --pipe handler never got. */
	unsigned long long busy = s->opt->pipe != NULL ?
	    pipe_unwritten(&s->pipe) : (unsigned long long)s->h.running;

	if (s->opt->pipe != NULL)
		pipe_free(&s->pipe);
	else
		handlers_free(&s->h);
	flush_replies(s);
	out_flush(&s->o);
	if (s->rx.error != 0) {
		why = STOP_FAILED;
		if (link_gone(s->rx.error))
			report_link_gone(s->sock.ifname, s->received,
			    "received");
		else
			warnx("%s: %s", shown(s->sock.ifname),
			    strerror(s->rx.error));
	}
	if (s->opt->verbose)
		report_counts(s);
	l.unread = rx_leftover(&s->rx, &l.kernel) + busy;
	/* COUNT answered: requests after it are not missed. */
	if (why == STOP_DONE)
		l.unread = 0;
	l.iface = ifstat_delta(&s->ifs).rx;
	report_losses(&l);
	ifstat_close(&s->ifs);
	loop_free(s->loop);
	return loop_status(why, (long long)(s->opt->pipe != NULL ?
	    s->pipe.written : s->answered), s->opt->count);
}

static enum loop_stop
serve(struct server *s)
{
	enum loop_stop why;

	s->rx = (struct rxloop){ .loop = s->loop, .sock = &s->sock,
	    .where = s->sock.ifname, .frame = take, .wanted = wanted,
	    .ctx = s };
	rx_attach(&s->rx);
	loop_on_idle(s->loop, after_wake, s);
	loop_on_usr1(s->loop, usr1_report, s);
	/* --pipe's timer (its --timeout) is set before the first wait. */
	if (s->opt->pipe != NULL)
		pipe_after_wake(s);
	why = loop_run(s->loop);
	return why;
}

/* Only the listened-for type reaches the socket; the kernel's filter
 * runs before bind, so nothing else slips in. */
static void
open_socket(struct server *s)
{
	struct filter type;

	filter_ethertype(&type, s->opt->type, 0);
	/* Every type, with the host's own frames: the loop guard needs to
	 * see what rawsend or rawping send from here. */
	/* A tag the kernel took out is put back, so requests print as
	 * rawrecv prints them, and replies go on the request's VLAN. */
	sock_open(&s->sock, &(struct sock_config){
	    .ifname = s->opt->ifname, .proto = ETHERTYPE_ANY,
	    .outgoing = true, .filter = &type.prog, .vlan_tags = true,
	    .busy_poll = s->opt->busy_poll });
}

/* --pipe: a line leaves out src for the interface's MAC and ethertype
 * for the reply type, never dst. */
static void
open_pipe(struct server *s)
{
	struct jsonframe_defaults d = { .need_dst = true,
	    .type = s->opt->reply_type, .vlan_tci = -1, .vlan_tpid = 0x8100 };

	memcpy(d.src, s->sock.mac, MAC_LEN);
	/* --vlan: a line that says nothing of a tag is sent on it. */
	if (s->opt->vlan >= 0)
		d.vlan_tci = (int)s->opt->vlan;
	framer_init(&s->whole, mac_broadcast, s->sock.mac, 0, -1, true,
	    PAD_TAGGED, s->sock.mtu);
	pipe_init(&s->pipe, s->loop, s->opt->pipe, s->sock.ifname,
	    s->opt->limit, s->sock.mtu + JSONFRAME_HDR_MAX, &d);
	s->pipe.send = pipe_send;
	s->pipe.ended = pipe_ended;
	s->pipe.ctx = s;
}

int
rawecho_main(int argc, char *argv[])
{
	struct rawecho_opts opt = {
		.type = 0xeefa,
		.timeout = -1,
		.jobs = 1,
		.limit = 5,
		.guard = 1,
		.vlan = -1,
	};
	struct server s = { .opt = &opt };
	struct optparse op;
	struct optval v;
	char typetext[40];
	int status, c;

	opt_init(&op, &rawecho_options, &opt);
	while ((c = opt_next(&op, argc, argv, &v)) != -1) {
		switch (c) {
		case 'e':
			if (v.text[0] == '\0')
				usage_error("empty handler command");
			opt.cmd = v.text;
			break;
		case OPT_PIPE:
			if (v.text[0] == '\0')
				usage_error("empty handler command");
			opt.pipe = v.text;
			break;
		case 'R':
			opt.reply_type = v.type;
			opt.have_reply_type = true;
			break;
		}
	}
	opt_no_operands(argc, argv, optind);
	if (opt.cmd != NULL && opt.pipe != NULL)
		usage_error("-e and --pipe exclude one another");
	if (opt.pipe != NULL && opt.jobs > 1)
		usage_error("-j runs -e's handlers at once; --pipe has one");
	opt.ifname = opt_need_iface(opt.ifname);
	if (!opt.have_reply_type)
		opt.reply_type = opt.type;
	/* Handlers run what the network sends them: never as root unless
	 * asked for by name. */
	if ((opt.cmd != NULL || opt.pipe != NULL) && opt.user == NULL &&
	    geteuid() == 0)
		opt.user = HANDLER_USER;

	sock_guard_stdio(false, true);
	/* A closed reader is an EPIPE from write(), handled in out.c. */
	signal(SIGPIPE, SIG_IGN);
	open_socket(&s);
	priv_drop(opt.user);
	/* --pipe ends its handler's input at --timeout, then waits for it. */
	s.loop = loop_new(opt.pipe != NULL ? -1 : opt.timeout, true);
	loop_spin(s.loop, opt.busy_poll);
	if (opt.busy_poll && opt.verbose)
		warnx("%s: busy polling%s", shown(s.sock.ifname),
		    s.sock.busy_poll ? " (SO_BUSY_POLL set: drivers with NAPI "
		    "are polled too)" : " in the loop only (the kernel refused "
		    "SO_BUSY_POLL)");
	s.deadline = mono_after(opt.timeout);
	ifstat_open(&s.ifs, s.sock.ifname);
	/* A tagged reply carries 4 bytes more; short ones, padding. */
	txq_open_server(&s.q, &s.sock, s.sock.mtu + FRAME_HDR_LEN +
	    VLAN_TAG_LEN + ETH_MIN_TAGGED);
	if ((s.guard = malloc(sizeof(*s.guard))) == NULL)
		err(2, "malloc");
	guard_init(s.guard, opt.guard);
	if (opt.cmd != NULL)
		handlers_init(&s.h, s.loop, opt.cmd, s.sock.ifname,
		    (int)opt.jobs, opt.limit, s.sock.mtu, handler_done, &s);
	if (opt.pipe != NULL)
		open_pipe(&s);
	out_init(&s.o, STDOUT_FILENO, OUT_BUFSIZE);
	sandbox_enter(SB_RECV | SB_SEND | (opt.cmd != NULL || opt.pipe !=
	    NULL ? SB_HANDLERS : 0));
	if (opt.pipe != NULL)
		pipe_start(&s.pipe);
	snprintf(typetext, sizeof(typetext), "0x%04x", opt.type);
	if (opt.reply_type != opt.type)
		snprintf(typetext + 6, sizeof(typetext) - 6,
		    ", replies 0x%04x", opt.reply_type);
	if (!opt.quiet)
		fprintf(stderr, "%s: listening on %s, ethertype %s\n",
		    getprogname(), shown(s.sock.ifname), typetext);

	status = finish(&s, serve(&s));
	out_free(&s.o);
	txq_close(&s.q);
	free(s.guard);
	sock_close(&s.sock);
	return status;
}
