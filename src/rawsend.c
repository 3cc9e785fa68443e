/*
 * rawsend: send raw Ethernet frames.
 *
 * usage: rawsend -i IFACE [-0lvx] [-a SRC] [-c COUNT] [-d DEST] [-j JOBS]
 *                [-r FILE] [-t ETHERTYPE] [-w FILE] [-Z USER] [--dry-run]
 *                [--frame] [--interval SECONDS] [--json] [--no-pad]
 *                [--pad] [--rate PPS] [--timing] [--vis]
 *                [--vlan VID[:PCP]] [PAYLOAD...]
 *
 * Usage, options and glue: frames are built by framer.c, queued by txq.c
 * (on a socket, or for a dry run into a sink), paced by pace.c, read from
 * captures by replay.c and shared among -j workers by jobs.c, and every
 * wait is in the event loop (loop.c).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "applet.h"
#include "framer.h"
#include "ifstat.h"
#include "input.h"
#include "jobs.h"
#include "loop.h"
#include "opts.h"
#include "pace.h"
#include "priv.h"
#include "replay.h"
#include "report.h"
#include "sandbox.h"
#include "sink.h"
#include "sock.h"
#include "txq.h"

enum {
	OPT_INTERVAL = OPT_OWN, OPT_DRYRUN, OPT_FRAME, OPT_NO_PAD, OPT_PAD,
	OPT_RATE, OPT_TIMING, OPT_VIS, OPT_VLAN, OPT_JSON,
};

struct rawsend_opts {
	const char	*ifname;
	const char	*user;
	const char	*readfile;	/* -r */
	const char	*writefile;	/* -w */
	uint16_t	 type;
	uint8_t		 dst[MAC_LEN];
	uint8_t		 src[MAC_LEN];
	bool		 have_src;
	long long	 count;
	double		 gap;		/* seconds between frames: --interval
					 * or 1/--rate; 0: as fast as we can */
	enum framing	 framing;
	bool		 framing_set;
	bool		 frames;	/* --frame: records include a header */
	bool		 timing;
	bool		 pad;		/* --pad */
	bool		 no_pad;	/* --no-pad */
	bool		 dry_run;
	long long	 vlan_tci;	/* -1: no --vlan */
	bool		 verbose;
	long long	 jobs;
};

#define AT(field)	OPT_AT(struct rawsend_opts, field)

const struct optspec rawsend_options = {
	.usage =
"usage: rawsend -i IFACE [-0lvx] [-a SRC] [-c COUNT] [-d DEST] [-j JOBS]\n"
"               [-r FILE] [-t ETHERTYPE] [-w FILE] [-Z USER] [--dry-run]\n"
"               [--frame] [--interval SECONDS] [--json] [--no-pad]\n"
"               [--pad] [--rate PPS] [--timing] [--vis]\n"
"               [--vlan VID[:PCP]] [PAYLOAD...]\n"
"\n"
"Send PAYLOAD (the arguments joined by spaces, or else all of standard\n"
"input, byte for byte) as one raw Ethernet frame.\n",
	.footer =
"Exit status: 0 sent, 2 error (nothing is sent after a bad argument).\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .store = AT(ifname),
	    .help = "interface to send on (default: $RAWSOCK_IFACE)"),
	OPT_SHARED('t', .store = AT(type),
	    .help = "0xEEFA (default), decimal, or a name: ipv4 arp ...",
	    .no_any = "a frame carries one ethertype ('any' is for "
	    "receiving, as with rawrecv -t any)"),
	{ 'd', "dest", "MAC", OK_MAC,
	    .store = AT(dst),
	    .help = "destination (default ff:ff:ff:ff:ff:ff)" },
	/* mausezahn's letter; -s, the first one, stays as a hidden alias. */
	{ 'a', "source", "MAC", OK_MAC,
	    .store = AT(src),
	    .help = "source (default: the interface's own MAC)" },
	{ 's', .alias = 'a' },
	OPT_SHARED('c', .store = AT(count),
	    .help = "send each frame COUNT times (default 1)"),
	{ OPT_INTERVAL, "interval", "SECONDS", OK_SECONDS,
	    .help = "wait between frames (default 0)" },
	{ OPT_RATE, "rate", "PPS", OK_RANGE, 1, 100000000,
	    .help = "send at most PPS frames a second, evenly paced" },
	{ 'j', "jobs", "JOBS", OK_RANGE, 1, JOBS_MAX,
	    .store = AT(jobs),
	    .help = "share the COUNT repeats among JOBS processes,\n"
	    "one socket and CPU each" },
	{ 'l', "lines", NULL, OK_FLAG,
	    .help = "one frame per line of standard input, as lines come" },
	{ 'x', "hex", NULL, OK_FLAG,
	    .help = "one frame per line, the line in hex (spaces and\n"
	    "colons allowed); PAYLOAD arguments in hex too" },
	{ OPT_VIS, "vis", NULL, OK_FLAG,
	    .help = "one frame per line, vis(3)-escaped (rawrecv -o vis)" },
	{ '0', "null", NULL, OK_FLAG,
	    .help = "one frame per NUL-terminated record" },
	{ OPT_JSON, "json", NULL, OK_FLAG,
	    .help = "one frame per line, in JSON (rawrecv -o json);\n"
	    "-d, -a, -t and --vlan for keys a line leaves out" },
	{ OPT_FRAME, "frame", NULL, OK_FLAG,
	    .store = AT(frames),
	    .help = "inputs are whole frames, header included" },
	{ 'r', "read", "FILE", OK_TEXT, .comp = OC_FILE,
	    .store = AT(readfile),
	    .help = "send the frames of a pcap file (- for stdin)" },
	{ OPT_TIMING, "timing", NULL, OK_FLAG,
	    .store = AT(timing),
	    .help = "with -r: keep the recorded gaps between frames" },
	{ OPT_VLAN, "vlan", "VID[:PCP]", OK_VLAN,
	    .store = AT(vlan_tci),
	    .help = "insert an 802.1Q tag" },
	{ OPT_PAD, "pad", NULL, OK_FLAG,
	    .store = AT(pad),
	    .help = "pad frames to the 60-byte Ethernet minimum\n"
	    "(tagged frames are padded to 64 without it)" },
	{ OPT_NO_PAD, "no-pad", NULL, OK_FLAG,
	    .store = AT(no_pad),
	    .help = "send tagged frames shorter than 64 bytes as they\n"
	    "are (under 20 bytes, a receiving kernel drops them)" },
	{ OPT_DRYRUN, "dry-run", NULL, OK_FLAG,
	    .store = AT(dry_run),
	    .help = "open no socket: write the frames as hex lines, or" },
	{ 'w', "write", "FILE", OK_TEXT, .comp = OC_FILE,
	    .store = AT(writefile),
	    .help = "as a pcap file (- for stdout)" },
	OPT_SHARED('Z', .store = AT(user)),
	{ 'v', "verbose", NULL, OK_FLAG,
	    .store = AT(verbose),
	    .help = "report frames and bytes sent on standard error" },
	OPT_SHARED('h'),
	OPT_SHARED(OPT_VERSION),
	{ 0 } },
};

/* Room for "FILE: record N" in messages about one frame. */
#define WHAT_MAX	1024


struct sender {
	const struct rawsend_opts *opt;
	struct loop	*l;
	struct rawsock	 sock;
	struct jobs	 jobs;		/* -j: the other processes */
	struct txq	 q;		/* the socket's, or the dry run's */
	struct sink	 dry;		/* --dry-run output */
	struct ifstat	 ifs;		/* the interface's drops */
	struct pace	 pace;
	struct framer	 fr;
	struct jsonframe_defaults json;	/* --json: what a line leaves out */
	const char	*ifname;
	const char	*verb;		/* "sent on", "written for" */
	unsigned int	 mtu;
	const char	*what;		/* "line", "record", "frame" */
	int		 err;		/* the send error that ended the run */
	bool		 counted;	/* why ends with the frames sent */
	char		 why[WHAT_MAX + 256];	/* the error that ended it */
	int		 readfd;	/* -r FILE, opened before priv_drop() */
};

static bool
running(const struct sender *s)
{
	return loop_stopped(s->l) == STOP_NONE;
}

static unsigned long long
sent_frames(const struct sender *s)
{
	return s->q.frames + s->jobs.sum.frames;
}

static void
report(const struct sender *s, const char *how)
{
	unsigned long long n = sent_frames(s);

	fprintf(stderr, "%s: %s%llu %s, %llu bytes %s %s\n", getprogname(),
	    how, n, frames(n), s->q.bytes + s->jobs.sum.bytes, s->verb,
	    shown(s->ifname));
}

static void
on_usr1(void *ctx)
{
	report(ctx, "");
}

/* A failed send ends the run; finish() says why, once. */
static void
send_failed(struct sender *s)
{
	if (s->err == 0 && s->why[0] == '\0')
		s->err = errno != 0 ? errno : EIO;
	loop_stop(s->l, STOP_FAILED);
}

/* Any other error ends it too; counted: the message ends with the
 * frames sent before it. */
static void __attribute__((format(printf, 3, 4)))
failed(struct sender *s, bool counted, const char *fmt, ...)
{
	va_list ap;

	if (s->err == 0 && s->why[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(s->why, sizeof(s->why), fmt, ap);
		va_end(ap);
		s->counted = counted;
	}
	loop_stop(s->l, STOP_FAILED);
}

/* What is queued goes out: at the end of each batch of input, and
 * before any wait. */
static void
flush(void *ctx)
{
	struct sender *s = ctx;

	if (txq_flush(&s->q) < 0)
		send_failed(s);
}

static void
too_big(struct sender *s, const char *what)
{
	failed(s, true, "%s exceeds the MTU of %s (%u bytes)", what,
	    shown(s->ifname), s->mtu);
}

static void
bad_record(struct sender *s, unsigned long long recno, const char *why)
{
	failed(s, true, "%s %llu: %s", s->what, recno, why);
}

/*
 * Sends one record COUNT times, as framer.c builds it. The queue keeps a
 * copy, so the record may go as soon as this returns.
 */
static void
send_record(void *ctx, const uint8_t *rec, size_t len,
    unsigned long long recno)
{
	struct sender *s = ctx;
	struct iovec parts[FRAMER_PARTS];
	const uint8_t *frame;
	size_t total;
	char what[WHAT_MAX];
	int n;

	if (!running(s))
		return;
	if ((n = framer_build(&s->fr, rec, len, parts)) == FRAMER_SHORT) {
		bad_record(s, recno, "shorter than an Ethernet header "
		    "(14 bytes)");
		return;
	}
	if (n == FRAMER_BIG) {
		snprintf(what, sizeof(what), "%s %llu", s->what, recno);
		too_big(s, what);
		return;
	}
	if ((frame = txq_copy(&s->q, parts, n, &total)) == NULL) {
		send_failed(s);
		return;
	}
	/* -j: the repeats are shared among the workers (jobs.c). */
	if ((s->opt->jobs > 1 ? jobs_send(&s->jobs, &s->pace, frame, total,
	    s->opt->count) : pace_put(&s->pace, frame, total,
	    s->opt->count)) < 0)
		send_failed(s);
}

/* Before every read of the input: what came so far goes out, then the
 * loop waits for more, taking signals meanwhile. */
static bool
on_ready(void *ctx, int fd)
{
	struct sender *s = ctx;

	flush(s);
	return loop_wait_for(s->l, fd, POLLIN, NULL);
}

static void
send_input(struct sender *s)
{
	struct input_sink sink = { s, send_record, flush, on_ready,
	    &s->json };
	struct input_error e;
	char what[WHAT_MAX];

	if (input_run(STDIN_FILENO, s->opt->framing, framer_maxrec(&s->fr),
	    &sink, &e) == 0 || !running(s))
		return;
	if (e.recno == 0)
		failed(s, false, "reading standard input: %s", e.why);
	else if (strcmp(e.why, "too long") != 0)
		bad_record(s, e.recno, e.why);
	else {
		if (s->opt->framing == FRAMING_WHOLE)
			snprintf(what, sizeof(what), "%s from standard input",
			    s->opt->frames ? "frame" : "payload");
		else
			snprintf(what, sizeof(what), "%s %llu", s->what,
			    e.recno);
		too_big(s, what);
	}
}

static void
send_args(struct sender *s, int argc, char *argv[])
{
	size_t len;
	uint8_t *payload = input_args(s->opt->framing, argc, argv, &len);

	if (len > s->mtu + (s->opt->frames ? FRAME_HDR_LEN : 0))
		too_big(s, "payload");
	else
		send_record(s, payload, len, 1);
	free(payload);
}

static bool
on_capture(void *ctx, const uint8_t *frame, size_t len,
    unsigned long long recno, uint64_t offset_ns)
{
	struct sender *s = ctx;

	if (s->opt->timing && pace_until(&s->pace, offset_ns) < 0)
		send_failed(s);
	send_record(s, frame, len, recno);
	return running(s);
}

static void
send_pcap(struct sender *s, const char *path)
{
	struct replay_sink sink = { s, on_ready, on_capture };
	struct replay_error e;

	if (replay_run(s->readfd, &sink, &e) == 0 || !running(s))
		return;
	if (e.recno == 0)
		failed(s, false, "%s: %s", shown(path), e.why);
	else
		failed(s, true, "%s: record %llu: %s", shown(path), e.recno,
		    e.why);
}

static void
set_framing(struct rawsend_opts *opt, enum framing f)
{
	if (opt->framing_set && opt->framing != f)
		usage_error("-l, -x, -0, --vis and --json exclude one another");
	opt->framing = f;
	opt->framing_set = true;
}

/* -r's file is opened with the privileges we started with, as tcpdump -r
 * opens it, before priv_drop(); it is read only once they are gone. */
static void
open_read(struct sender *s, const struct rawsend_opts *opt,
    const char *written)
{
	struct replay_error e;

	s->readfd = -1;
	if (opt->readfile != NULL && (s->readfd = replay_open(opt->readfile,
	    written, &e)) < 0)
		errx(2, "%s: %s", shown(e.path), e.why);
}

/*
 * The queue: on a socket, opened and checked (up, Ethernet, carrier)
 * before privileges go; or for a dry run a sink, the interface's MAC and
 * MTU read with a harmless ioctl (no privileges), or defaults.
 */
static void
open_output(struct sender *s, const struct rawsend_opts *opt)
{
	const uint8_t *mac = s->sock.mac;	/* or iface_need()'s */

	if (!opt->dry_run) {
		/* Every socket is opened before privileges go. */
		sock_open(&s->sock, &(struct sock_config){
		    .ifname = opt->ifname });
		jobs_open(&s->jobs, (long)opt->jobs, opt->ifname);
		s->ifname = s->sock.ifname;
		s->mtu = s->sock.mtu;
		ifstat_open(&s->ifs, s->ifname);
	} else {
		s->verb = "written for";
		s->ifname = opt->ifname ? opt->ifname : "the dry run";
		s->mtu = 1500;
		if (opt->ifname != NULL)
			iface_need(opt->ifname, s->sock.mac, &s->mtu);
	}
	/* --json's lines are whole frames, tags and all: the command line
	 * only fills in what a line leaves out. */
	s->json = (struct jsonframe_defaults){ .type = opt->type,
	    .vlan_tci = (int)opt->vlan_tci, .vlan_tpid = 0x8100 };
	memcpy(s->json.dst, opt->dst, MAC_LEN);
	memcpy(s->json.src, opt->have_src ? opt->src : mac, MAC_LEN);
	framer_init(&s->fr, opt->dst, opt->have_src ? opt->src : mac,
	    opt->type, opt->framing == FRAMING_JSON ? -1 : opt->vlan_tci,
	    opt->frames, opt->no_pad ? PAD_NONE : opt->pad ? PAD_ALL :
	    PAD_TAGGED, s->mtu);
	if (!opt->dry_run)
		txq_open(&s->q, &s->sock, framer_maxframe(&s->fr));
	open_read(s, opt, opt->dry_run ? opt->writefile : NULL);
	priv_drop(opt->user);
	if (opt->dry_run) {
		/* -w's file belongs to the user we run as (-Z), as
		 * tcpdump's. */
		sink_open(&s->dry, opt->writefile, opt->writefile ? FMT_PCAP :
		    FMT_HEX, false);
		txq_open_dry(&s->q, &s->dry, framer_maxframe(&s->fr));
	}
	sandbox_enter(opt->dry_run ? 0 : SB_SEND |
	    (opt->jobs > 1 ? SB_FORK : 0));
}

/*
 * The one end of every run: the input ended, COUNT was sent, a signal,
 * a lost link or an error. What is queued goes out, then one report.
 */
static int
finish(struct sender *s)
{
	enum loop_stop why;
	unsigned long long n;
	bool failure;

	flush(s);
	if (s->err == 0 && s->why[0] == '\0')
		s->err = s->jobs.sum.err;	/* a -j worker's */
	why = loop_stopped(s->l);
	n = sent_frames(s);
	failure = s->err != 0 || s->why[0] != '\0' || s->jobs.lost;
	if (s->err != 0)
		report_send_failed(s->ifname, n, s->err);
	else if (s->why[0] != '\0' && s->counted)
		warnx("%s; %llu %s sent", s->why, n, frames(n));
	else if (s->why[0] != '\0')
		warnx("%s", s->why);
	else if (s->jobs.lost)
		report(s, "a worker failed: ");
	else if (why == STOP_SIGNAL || s->opt->verbose) {
		struct losses lost = { .iface = ifstat_delta(&s->ifs).tx };

		report(s, why == STOP_SIGNAL ? "interrupted: " : "");
		report_losses(&lost);
	}
	txq_close(&s->q);
	sink_free(&s->dry);
	sock_close(&s->sock);
	ifstat_close(&s->ifs);
	loop_free(s->l);
	return failure ? EXIT_ERROR : EXIT_OK;
}

int
rawsend_main(int argc, char *argv[])
{
	struct rawsend_opts opt = {
		.type = 0xeefa,
		.count = 1,
		.framing = FRAMING_WHOLE,
		.jobs = 1,
		.vlan_tci = -1,
	};
	struct sender s = { .opt = &opt, .what = "line", .verb = "sent on",
	    .sock = { .fd = -1 }, .ifs = { .fd = -1 } };
	char readwhat[WHAT_MAX - 32];
	bool have_interval = false, have_rate = false;
	struct optparse op;
	struct optval v;
	int c;

	memcpy(opt.dst, mac_broadcast, MAC_LEN);
	opt_init(&op, &rawsend_options, &opt);
	while ((c = opt_next(&op, argc, argv, &v)) != -1) {
		switch (c) {
		case '0':
			set_framing(&opt, FRAMING_NUL);
			break;
		case 'a':
			opt.have_src = true;	/* the table set opt.src */
			break;
		case 'l':
			set_framing(&opt, FRAMING_LINES);
			break;
		case 'x':
			set_framing(&opt, FRAMING_HEX);
			break;
		case OPT_INTERVAL:
			opt.gap = v.secs;
			have_interval = true;
			break;
		case OPT_RATE:
			opt.gap = 1.0 / (double)v.n;
			have_rate = true;
			break;
		case OPT_VIS:
			set_framing(&opt, FRAMING_VIS);
			break;
		case OPT_JSON:
			set_framing(&opt, FRAMING_JSON);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (have_interval && have_rate)
		usage_error("--interval and --rate exclude one another");
	if (opt.framing != FRAMING_WHOLE && opt.framing != FRAMING_HEX &&
	    opt.framing != FRAMING_VIS && argc > 0)
		usage_error("-l, -0 and --json read standard input; give no "
		    "PAYLOAD arguments");
	if (opt.readfile != NULL && (argc > 0 || opt.framing_set))
		usage_error("-r sends the frames of a file; give no PAYLOAD, "
		    "-l, -x, -0, --vis or --json");
	if (opt.framing == FRAMING_JSON && opt.frames)
		usage_error("--json's lines describe whole frames: it excludes "
		    "--frame");
	if (opt.framing == FRAMING_JSON)
		opt.frames = true;
	if (opt.timing && opt.readfile == NULL)
		usage_error("--timing needs -r FILE");
	if (opt.pad && opt.no_pad)
		usage_error("--pad and --no-pad exclude one another");
	if (opt.timing && opt.gap > 0)
		usage_error("--timing excludes --interval and --rate");
	if (opt.writefile != NULL && !opt.dry_run)
		usage_error("-w writes what would be sent: it needs --dry-run");
	if (opt.readfile != NULL) {
		opt.frames = true;
		/* Errors about one frame of the file name the file too. */
		snprintf(readwhat, sizeof(readwhat), "%s: record",
		    shown(opt.readfile));
		s.what = readwhat;
	} else if (opt.framing == FRAMING_NUL)
		s.what = "record";
	opt.ifname = opt.dry_run ? opt_iface(opt.ifname) :
	    opt_need_iface(opt.ifname);
	if (opt.jobs > 1 && (opt.framing != FRAMING_WHOLE ||
	    opt.readfile != NULL || opt.dry_run || opt.gap > 0))
		usage_error("-j shares the repeats of one frame: it excludes "
		    "-l, -x, -0, --vis, --json, -r, --dry-run, --interval and "
		    "--rate");

	sock_guard_stdio(opt.readfile != NULL ? strcmp(opt.readfile,
	    "-") == 0 : argc == 0, opt.dry_run && (opt.writefile == NULL ||
	    strcmp(opt.writefile, "-") == 0));
	if (opt.timing || opt.gap > 0)
		(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	/* Before any socket, and before -j forks: every wait of the run
	 * is in this loop, and signals come only through it. */
	s.l = loop_new(-1, true);
	loop_on_usr1(s.l, on_usr1, &s);
	open_output(&s, &opt);
	pace_init(&s.pace, s.l, &s.q, opt.gap);
	if (opt.readfile != NULL)
		send_pcap(&s, opt.readfile);
	else if (argc > 0)
		send_args(&s, argc, argv);
	else
		send_input(&s);
	return finish(&s);
}
