/*
 * rawsend: send raw Ethernet frames.
 *
 * usage: rawsend -i IFACE [-0lvx] [-c COUNT] [-d DEST] [-j JOBS] [-r FILE]
 *                [-s SRC] [-t ETHERTYPE] [-w FILE] [-Z USER] [--dry-run] [--frame]
 *                [--interval SECONDS] [--pad] [--rate PPS] [--timing]
 *                [--vis] [--vlan VID[:PCP]] [PAYLOAD...]
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "applet.h"
#include "frame.h"
#include "input.h"
#include "num.h"
#include "opts.h"
#include "pcapfile.h"
#include "priv.h"
#include "sandbox.h"
#include "sink.h"
#include "sock.h"

static const char usage_text[] =
"usage: rawsend -i IFACE [-0lvx] [-c COUNT] [-d DEST] [-j JOBS] [-r FILE]\n"
"               [-s SRC] [-t ETHERTYPE] [-w FILE] [-Z USER] [--dry-run] [--frame]\n"
"               [--interval SECONDS] [--pad] [--rate PPS] [--timing]\n"
"               [--vis] [--vlan VID[:PCP]] [PAYLOAD...]\n"
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
"      --rate PPS         send at most PPS frames a second, evenly paced\n"
"  -j, --jobs JOBS        share the COUNT repeats among JOBS processes,\n"
"                         one socket and CPU each\n"
"  -l, --lines            one frame per line of standard input, as lines come\n"
"  -x, --hex              one frame per line, the line in hex (spaces and\n"
"                         colons allowed); PAYLOAD arguments in hex too\n"
"      --vis              one frame per line, vis(3)-escaped (rawrecv -o vis)\n"
"  -0, --null             one frame per NUL-terminated record\n"
"      --frame            inputs are whole frames, header included\n"
"  -r, --read FILE        send the frames of a pcap file (- for stdin)\n"
"      --timing           with -r: keep the recorded gaps between frames\n"
"      --vlan VID[:PCP]   insert an 802.1Q tag\n"
"      --pad              pad frames to the 60-byte Ethernet minimum\n"
"      --dry-run          open no socket: write the frames as hex lines, or\n"
"  -w, --write FILE       as a pcap file (- for stdout)\n"
"  -Z, --user USER        after opening the socket, run as USER\n"
"  -v, --verbose          report frames and bytes sent on standard error\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit status: 0 sent, 2 error (nothing is sent after a bad argument).\n";

enum {
	OPT_INTERVAL = 256, OPT_VERSION, OPT_DRYRUN, OPT_FRAME, OPT_PAD,
	OPT_RATE, OPT_TIMING, OPT_VIS, OPT_VLAN,
};

/* Room for "FILE: record N" in messages about one frame. */
#define WHAT_MAX	1024
#define ETH_MIN_FRAME	60	/* without the FCS */
#define VLAN_TAG_LEN	4

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
	bool		 pad;
	bool		 dry_run;
	bool		 have_vlan;
	uint16_t	 vlan_tci;
	bool		 verbose;
	long long	 jobs;
};

#define JOBS_MAX	64

struct sender {
	const struct rawsend_opts *opt;
	struct rawsock	 sock;
	struct txq	 q;		/* real sends */
	struct sink	 dry;		/* --dry-run output */
	const char	*ifname;
	uint8_t		 mac[MAC_LEN];
	unsigned int	 mtu;
	uint8_t		 hdr[FRAME_HDR_LEN + VLAN_TAG_LEN];
	size_t		 hdrlen;
	uint8_t		 tag[VLAN_TAG_LEN];
	uint8_t		*stage;		/* frames assembled whole, one copy
					 * per record however often sent */
	size_t		 staged;	/* bytes of stage in use */
	size_t		 slot;		/* room one frame may need */
	unsigned long long queued;	/* frames handed to q or dry */
	unsigned long long dry_bytes;
	struct timespec	 start;		/* pacing starts here */
	const char	*what;		/* "line", "record", "frame" */
	bool		 hold;		/* -j: assemble the frame, send later */
	const uint8_t	*held;
	size_t		 heldlen;
	struct rawsock	 extra[JOBS_MAX - 1];	/* -j: the other sockets */
	int		 readfd;	/* -r FILE, opened before priv_drop() */
};

static const uint8_t zeros[ETH_MIN_FRAME];

/* Set by signal handlers, read between frames: the only globals. */
static volatile sig_atomic_t got_stop, got_usr1;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_stop = 1;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: reads return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	/* --dry-run | head: a closed reader is an EPIPE, a quiet exit 0
	 * in out.c, not a death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
}

static unsigned long long
sent_frames(const struct sender *s)
{
	return s->opt->dry_run ? s->queued : s->q.frames;
}

static void
send_failed(struct sender *s)
{
	int e = errno;
	unsigned long long n = sent_frames(s);

	errx(2, "%s: send failed after %llu frame%s: %s", s->ifname, n,
	    n == 1 ? "" : "s", strerror(e));
}

static void
report(struct sender *s, const char *how)
{
	unsigned long long n = sent_frames(s);

	fprintf(stderr, "%s: %s%llu frame%s, %llu bytes %s %s\n",
	    getprogname(), how, n, n == 1 ? "" : "s",
	    s->opt->dry_run ? s->dry_bytes : s->q.bytes,
	    s->opt->dry_run ? "written for" : "sent on", s->ifname);
}

/* Nonzero once SIGINT or SIGTERM asked us to stop; SIGUSR1 reports. */
static int
stopping(struct sender *s)
{
	if (got_usr1) {
		got_usr1 = 0;
		report(s, "");
	}
	return got_stop;
}

static void
flush(struct sender *s)
{
	if (s->opt->dry_run)
		sink_flush(&s->dry);
	else if (txq_flush(&s->q) < 0)
		send_failed(s);
}

/*
 * Frame k of a paced run leaves at start + k * gap on an absolute clock,
 * so a long run never drifts; when we fall behind, the late frames go out
 * in one batch.
 */
static void
pace(struct sender *s)
{
	struct timespec due, now;
	double at;

	if (s->queued == 0) {
		clock_gettime(CLOCK_MONOTONIC, &s->start);
		return;
	}
	at = (double)s->queued * s->opt->gap;
	due = timespec_from_seconds(at);
	due.tv_sec += s->start.tv_sec;
	due.tv_nsec += s->start.tv_nsec;
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > due.tv_sec ||
	    (now.tv_sec == due.tv_sec && now.tv_nsec >= due.tv_nsec))
		return;
	flush(s);	/* what is due goes out before we sleep */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due,
	    NULL) == EINTR && !stopping(s))
		;
}

/*
 * Joins a frame's parts in the staging area: the kernel copies one
 * contiguous buffer faster than several pieces. Frames stay staged until
 * the queue is flushed, and the queue holds at most TXQ_BATCH of them.
 */
static const uint8_t *
assemble(struct sender *s, const struct iovec *parts, int nparts, size_t *len)
{
	uint8_t *frame;

	if (s->staged + s->slot > TXQ_BATCH * s->slot)
		flush(s);	/* frees every staged frame */
	if (s->q.n == 0)
		s->staged = 0;	/* everything staged before has gone */
	frame = s->stage + s->staged;
	*len = 0;
	for (int i = 0; i < nparts; i++) {
		memcpy(frame + *len, parts[i].iov_base, parts[i].iov_len);
		*len += parts[i].iov_len;
	}
	s->staged += s->slot;
	return frame;
}

/* Hands one whole frame to the kernel or the dry run. */
static void
put_frame(struct sender *s, const uint8_t *frame, size_t len)
{
	if (s->opt->gap > 0)
		pace(s);
	if (s->opt->dry_run) {
		struct frame_meta m = { .pkttype = -1, .has_ts = true,
		    .wirelen = len };
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		m.ts_ns = (uint64_t)now.tv_sec * 1000000000u +
		    (uint64_t)now.tv_nsec;
		sink_frame(&s->dry, &m, frame, len);
		s->dry_bytes += len;
	} else {
		struct iovec iov = { (void *)frame, len };

		if (txq_addv(&s->q, &iov, 1) < 0)
			send_failed(s);
	}
	s->queued++;
}

static void
too_big(struct sender *s, const char *what)
{
	unsigned long long n;

	flush(s);
	n = sent_frames(s);
	errx(2, "%s exceeds the MTU of %s (%u bytes); %llu frame%s sent",
	    what, s->ifname, s->mtu, n, n == 1 ? "" : "s");
}

static void
bad_record(struct sender *s, unsigned long long recno, const char *why)
{
	unsigned long long n;

	flush(s);
	n = sent_frames(s);
	errx(2, "%s %llu: %s; %llu frame%s sent", s->what, recno, why, n,
	    n == 1 ? "" : "s");
}

/*
 * A whole frame fits when what follows its first 14 bytes (our tag
 * included) is at most the MTU, or 4 more when the frame on the wire is
 * 802.1Q-tagged, as the kernel allows: a tagged full-size capture can be
 * replayed as it was.
 */
static bool
frame_fits(const struct sender *s, const uint8_t *rec, size_t len)
{
	size_t body = len - FRAME_HDR_LEN;
	bool tagged = s->opt->have_vlan || frame_type(rec) == 0x8100;

	if (s->opt->have_vlan)
		body += VLAN_TAG_LEN;
	return body <= s->mtu + (tagged ? VLAN_TAG_LEN : 0);
}

/*
 * Sends one record COUNT times: a payload behind our header, or with
 * --frame a whole frame, tag and padding added as asked.
 */
static void
send_record(struct sender *s, const uint8_t *rec, size_t len,
    unsigned long long recno)
{
	struct iovec parts[TXQ_PARTS];
	const uint8_t *frame;
	size_t total;
	int n = 0;

	if (s->opt->frames) {
		if (len < FRAME_HDR_LEN)
			bad_record(s, recno, "shorter than an Ethernet header "
			    "(14 bytes)");
		if (!frame_fits(s, rec, len)) {
			char what[WHAT_MAX];

			snprintf(what, sizeof(what), "%s %llu", s->what, recno);
			too_big(s, what);
		}
		if (s->opt->have_vlan) {
			parts[n++] = (struct iovec){ (void *)rec, 2 * MAC_LEN };
			parts[n++] = (struct iovec){ s->tag, VLAN_TAG_LEN };
			parts[n++] = (struct iovec){ (void *)(rec + 2 * MAC_LEN),
			    len - 2 * MAC_LEN };
			total = len + VLAN_TAG_LEN;
		} else {
			parts[n++] = (struct iovec){ (void *)rec, len };
			total = len;
		}
	} else {
		parts[n++] = (struct iovec){ s->hdr, s->hdrlen };
		parts[n++] = (struct iovec){ (void *)rec, len };
		total = s->hdrlen + len;
	}
	if (s->opt->pad && total < ETH_MIN_FRAME)
		parts[n++] = (struct iovec){ (void *)zeros,
		    ETH_MIN_FRAME - total };
	frame = assemble(s, parts, n, &total);
	if (s->hold) {
		s->held = frame;
		s->heldlen = total;
		return;
	}
	for (long long i = 0; i < s->opt->count && !stopping(s); i++)
		put_frame(s, frame, total);
}

static void
on_record(void *ctx, const uint8_t *data, size_t len, unsigned long long recno)
{
	send_record(ctx, data, len, recno);
}

static int	finish(struct sender *);

static void
on_batch_end(void *ctx)
{
	flush(ctx);
	/* Input that never blocks would never see EINTR: stop here. */
	if (got_stop)
		exit(finish(ctx));
}

static int
on_interrupt(void *ctx)
{
	return stopping(ctx);
}

static void
send_input(struct sender *s)
{
	struct input_sink sink = { s, on_record, on_batch_end, on_interrupt };
	struct input_error e;
	/* A whole frame may carry its header and a VLAN tag. */
	size_t maxlen = s->opt->frames ? s->mtu + FRAME_HDR_LEN +
	    VLAN_TAG_LEN : s->mtu;

	if (input_run(STDIN_FILENO, s->opt->framing, maxlen, &sink, &e) == 0)
		return;
	if (e.recno == 0)
		errx(2, "reading standard input: %s", e.why);
	if (strcmp(e.why, "too long") == 0) {
		char what[WHAT_MAX];

		if (s->opt->framing == FRAMING_WHOLE)
			snprintf(what, sizeof(what), "%s from standard input",
			    s->opt->frames ? "frame" : "payload");
		else
			snprintf(what, sizeof(what), "%s %llu", s->what,
			    e.recno);
		too_big(s, what);
	}
	bad_record(s, e.recno, e.why);
}

static void
send_args(struct sender *s, int argc, char *argv[])
{
	size_t len;
	char *text = args_join(argc, argv, &len);
	char *quoted = strdup(text);	/* decoding works in place */
	const char *why;
	long n;

	if (quoted == NULL)
		err(2, "strdup");
	if ((n = input_decode(s->opt->framing, (uint8_t *)text, len,
	    &why)) < 0) {
		const char *q = shown(quoted);	/* a static copy */

		/* Freed before exit, or LeakSanitizer calls them lost. */
		free(quoted);
		free(text);
		errx(2, "invalid PAYLOAD '%s': %s", q, why);
	}
	free(quoted);
	if ((size_t)n > s->mtu + (s->opt->frames ? FRAME_HDR_LEN : 0)) {
		free(text);
		too_big(s, "payload");
	}
	send_record(s, (uint8_t *)text, (size_t)n, 1);
	flush(s);
	free(text);
}

/* Waits until a recorded frame's offset from the first one (--timing). */
static void
replay_wait(struct sender *s, const struct timespec *start,
    uint64_t offset_ns)
{
	struct timespec due = *start;

	due.tv_sec += (time_t)(offset_ns / 1000000000u);
	due.tv_nsec += (long)(offset_ns % 1000000000u);
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	/* A long gap must not hold off SIGINT, SIGTERM or SIGUSR1. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due,
	    NULL) == EINTR && !stopping(s))
		;
}

static void
send_pcap(struct sender *s, const char *path)
{
	struct pcap_reader r;
	struct pcap_rec rec;
	struct timespec start;
	const uint8_t *frame;
	const char *why;
	uint64_t first = 0;
	int fd = s->readfd, n = 0;
	unsigned long long bad = 0;	/* a record read whole but refused */

	for (;;) {
		errno = 0;
		if (pcap_reader_open(&r, fd, &why) == 0)
			break;
		pcap_reader_close(&r);
		if (errno != EINTR)
			errx(2, "%s: %s", path, why);
		if (stopping(s))
			return;	/* a signal before the header: nothing sent */
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
again:
	while (!stopping(s)) {
		errno = 0;	/* so EINTR below is this read's */
		if ((n = pcap_reader_next(&r, &rec, &frame, &why)) <= 0)
			break;
		if (rec.caplen < rec.wirelen) {
			why = "frame was cut short when captured";
			bad = r.records;
			n = -1;
			break;
		}
		if (s->opt->timing) {
			if (r.records == 1)
				first = rec.ts_ns;
			else if (rec.ts_ns > first) {
				flush(s);
				replay_wait(s, &start, rec.ts_ns - first);
			}
		}
		send_record(s, frame, rec.caplen, r.records);
		/* The reader's buffer moves on: send before reading on. */
		flush(s);
	}
	if (n < 0 && errno == EINTR && !stopping(s))
		goto again;	/* SIGUSR1 only */
	if (n < 0 && !got_stop) {
		unsigned long long sent = sent_frames(s);

		errx(2, "%s: record %llu: %s; %llu frame%s sent", path,
		    bad ? bad : r.records + 1, why, sent, sent == 1 ? "" : "s");
	}
	pcap_reader_close(&r);
	if (fd != STDIN_FILENO)
		close(fd);
}

/* One -j worker: its share of the repeats on its own socket and CPU. */
static void
work(struct sender *s, struct rawsock *sock, long long count, long job)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t cpus;

	if (ncpu > 0) {
		CPU_ZERO(&cpus);
		CPU_SET((int)(job % ncpu), &cpus);
		(void)sched_setaffinity(0, sizeof(cpus), &cpus);
	}
	if (sock != &s->sock) {
		s->sock = *sock;
		txq_init(&s->q, &s->sock);
	}
	for (long long i = 0; i < count && !stopping(s); i++)
		put_frame(s, s->held, s->heldlen);
	flush(s);
}

/*
 * -j JOBS: the frame is built once, then JOBS processes send COUNT
 * repeats between them and the parent adds up what the kernel accepted.
 */
static void
send_parallel(struct sender *s)
{
	long long jobs = s->opt->jobs, count = s->opt->count;
	pid_t pids[JOBS_MAX];
	int fds[JOBS_MAX][2];
	bool failed = false;

	for (long job = 1; job < jobs; job++) {
		long long share = count / jobs + (job < count % jobs);

		if (pipe(fds[job]) < 0)
			err(2, "pipe");
		if ((pids[job] = fork()) < 0)
			err(2, "fork");
		if (pids[job] == 0) {
			unsigned long long done[2];

			close(fds[job][0]);
			work(s, &s->extra[job - 1], share, job);
			done[0] = s->q.frames;
			done[1] = s->q.bytes;
			if (write(fds[job][1], done, sizeof(done)) < 0)
				_exit(2);
			_exit(0);
		}
		close(fds[job][1]);
	}
	work(s, &s->sock, count / jobs + (count % jobs > 0), 0);
	for (long job = 1; job < jobs; job++) {
		unsigned long long done[2] = { 0, 0 };
		int status;

		if (read(fds[job][0], done, sizeof(done)) != sizeof(done))
			failed = true;	/* the worker said why on stderr */
		close(fds[job][0]);
		while (waitpid(pids[job], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = true;
		s->q.frames += done[0];
		s->q.bytes += done[1];
	}
	if (failed) {
		report(s, "a worker failed: ");
		exit(2);
	}
}

static void
parse_vlan(struct rawsend_opts *opt, const char *text)
{
	char buf[32], *pcp;
	long long vid, prio = 0;
	const char *why;

	if (strlcpy(buf, text, sizeof(buf)) >= sizeof(buf))
		errx(2, "invalid --vlan '%s': too long", shown(text));
	if ((pcp = strchr(buf, ':')) != NULL)
		*pcp++ = '\0';
	if (parse_count(buf, 0, 4094, &vid, &why) < 0)
		errx(2, "invalid --vlan '%s': VLAN ID %s (0 to 4094)",
		    shown(text), why);
	if (pcp != NULL && parse_count(pcp, 0, 7, &prio, &why) < 0)
		errx(2, "invalid --vlan '%s': priority %s (0 to 7)",
		    shown(text), why);
	opt->have_vlan = true;
	opt->vlan_tci = (uint16_t)(prio << 13 | vid);
}

static void
set_framing(struct rawsend_opts *opt, enum framing f)
{
	if (opt->framing_set && opt->framing != f)
		usage_error("-l, -x, -0 and --vis exclude one another");
	opt->framing = f;
	opt->framing_set = true;
}

static void
stage_init(struct sender *s)
{
	/* Header, a tag added to a whole frame that has one, padding. */
	s->slot = s->mtu + FRAME_HDR_LEN + 2 * VLAN_TAG_LEN + ETH_MIN_FRAME;
	if ((s->stage = reallocarray(NULL, TXQ_BATCH, s->slot)) == NULL)
		err(2, "malloc");
}

/* -r's file is opened with the privileges we started with, as tcpdump -r
 * opens it, right before priv_drop(); it is read only once they are
 * gone. */
static void
open_read(struct sender *s, const struct rawsend_opts *opt)
{
	/* A dry run's -w would truncate what is still to be read. */
	if (opt->dry_run && pcap_same_file(opt->readfile, opt->writefile))
		errx(2, "%s: -r and -w name the same file",
		    shown(opt->writefile));
	s->readfd = STDIN_FILENO;
	if (opt->readfile != NULL && strcmp(opt->readfile, "-") != 0 &&
	    (s->readfd = open(opt->readfile, O_RDONLY | O_CLOEXEC)) < 0)
		err(2, "%s", opt->readfile);
}

/* Interface, MAC and MTU: from the socket, or for a dry run from a
 * harmless ioctl (no privileges), or defaults. */
static void
open_output(struct sender *s, const struct rawsend_opts *opt)
{
	if (!opt->dry_run) {
		sock_open(&s->sock, &(struct sock_config){
		    .ifname = opt->ifname });
		/* Every socket is opened before privileges go. */
		for (long long i = 1; i < opt->jobs; i++)
			sock_open(&s->extra[i - 1], &(struct sock_config){
			    .ifname = opt->ifname });
		txq_init(&s->q, &s->sock);
		s->ifname = s->sock.ifname;
		memcpy(s->mac, s->sock.mac, MAC_LEN);
		s->mtu = s->sock.mtu;
		open_read(s, opt);
		priv_drop(opt->user);
		stage_init(s);
		sandbox_enter(SB_SEND | (opt->jobs > 1 ? SB_FORK : 0));
		return;
	}
	s->ifname = opt->ifname ? opt->ifname : "the dry run";
	s->mtu = 1500;
	if (opt->ifname != NULL && iface_info(opt->ifname, s->mac,
	    &s->mtu) < 0) {
		/* The same words as sock_open() for the same bad names. */
		if (strlen(opt->ifname) >= IF_NAMESIZE)
			errx(2, "'%s': interface name too long (at most %d "
			    "bytes)", shown(opt->ifname), IF_NAMESIZE - 1);
		if (opt->ifname[0] == '\0')
			errx(2, "'': empty interface name");
		if (errno == ENODEV)
			errx(2, "'%s': no such interface", shown(opt->ifname));
		err(2, "'%s'", shown(opt->ifname));
	}
	stage_init(s);
	open_read(s, opt);
	/* -w's file belongs to the user we run as (-Z), as tcpdump's. */
	priv_drop(opt->user);
	if (opt->writefile != NULL && strcmp(opt->writefile, "-") != 0) {
		int fd = open(opt->writefile, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0644);

		if (fd < 0)
			err(2, "%s", opt->writefile);
		sink_init(&s->dry, fd, FMT_PCAP, false);
		s->dry.out.name = opt->writefile;
	} else
		sink_init(&s->dry, STDOUT_FILENO,
		    opt->writefile ? FMT_PCAP : FMT_HEX, false);
	sandbox_enter(0);
}

/* The end of a run, whole or cut short by a signal: say what went. */
static int
finish(struct sender *s)
{
	flush(s);
	if (got_stop)
		report(s, "interrupted: ");
	else if (s->opt->verbose)
		report(s, "");
	if (s->opt->dry_run) {
		sink_flush(&s->dry);
		sink_free(&s->dry);
	} else
		sock_close(&s->sock);
	free(s->stage);
	return EXIT_OK;
}

int
rawsend_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "dest", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, OPT_DRYRUN },
		{ "frame", no_argument, NULL, OPT_FRAME },
		{ "help", no_argument, NULL, 'h' },
		{ "hex", no_argument, NULL, 'x' },
		{ "interface", required_argument, NULL, 'i' },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "jobs", required_argument, NULL, 'j' },
		{ "lines", no_argument, NULL, 'l' },
		{ "null", no_argument, NULL, '0' },
		{ "pad", no_argument, NULL, OPT_PAD },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "read", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 's' },
		{ "timing", no_argument, NULL, OPT_TIMING },
		{ "type", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'Z' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "vis", no_argument, NULL, OPT_VIS },
		{ "vlan", required_argument, NULL, OPT_VLAN },
		{ "write", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct rawsend_opts opt = {
		.type = 0xeefa,
		.count = 1,
		.framing = FRAMING_WHOLE,
		.jobs = 1,
	};
	struct sender s = { .opt = &opt, .what = "line" };
	char readwhat[WHAT_MAX - 32];
	bool have_interval = false, have_rate = false;
	int c;

	memcpy(opt.dst, mac_broadcast, MAC_LEN);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":0c:d:hi:j:lr:s:t:vw:xZ:", longopts,
	    NULL)) != -1) {
		switch (c) {
		case '0':
			set_framing(&opt, FRAMING_NUL);
			break;
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
		case 'j':
			opt.jobs = opt_range("jobs", optarg, 1, JOBS_MAX);
			break;
		case 'l':
			set_framing(&opt, FRAMING_LINES);
			break;
		case 'r':
			opt.readfile = optarg;
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
		case 'w':
			opt.writefile = optarg;
			break;
		case 'x':
			set_framing(&opt, FRAMING_HEX);
			break;
		case 'Z':
			opt.user = optarg;
			break;
		case OPT_DRYRUN:
			opt.dry_run = true;
			break;
		case OPT_FRAME:
			opt.frames = true;
			break;
		case OPT_INTERVAL:
			opt.gap = opt_seconds("interval", optarg);
			have_interval = true;
			break;
		case OPT_PAD:
			opt.pad = true;
			break;
		case OPT_RATE:
			opt.gap = 1.0 / (double)opt_range("rate", optarg, 1,
			    100000000);
			have_rate = true;
			break;
		case OPT_TIMING:
			opt.timing = true;
			break;
		case OPT_VIS:
			set_framing(&opt, FRAMING_VIS);
			break;
		case OPT_VLAN:
			parse_vlan(&opt, optarg);
			break;
		case OPT_VERSION:
			print_version();
		default:
			opt_bad(c, optopt, argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (have_interval && have_rate)
		usage_error("--interval and --rate exclude one another");
	if (opt.framing != FRAMING_WHOLE && opt.framing != FRAMING_HEX &&
	    opt.framing != FRAMING_VIS && argc > 0)
		usage_error("-l and -0 read payloads from standard input; "
		    "give no PAYLOAD arguments");
	if (opt.readfile != NULL && (argc > 0 || opt.framing_set))
		usage_error("-r sends the frames of a file; give no PAYLOAD, "
		    "-l, -x, -0 or --vis");
	if (opt.timing && opt.readfile == NULL)
		usage_error("--timing needs -r FILE");
	if (opt.timing && opt.gap > 0)
		usage_error("--timing excludes --interval and --rate");
	if (opt.writefile != NULL && !opt.dry_run)
		usage_error("-w writes what would be sent: it needs --dry-run");
	if (opt.readfile != NULL) {
		opt.frames = true;
		/* Errors about one frame of the file name the file too. */
		snprintf(readwhat, sizeof(readwhat), "%s: record",
		    opt.readfile);
		s.what = readwhat;
	} else if (opt.framing == FRAMING_NUL)
		s.what = "record";
	opt.ifname = opt_iface(opt.ifname);
	if (opt.ifname == NULL && !opt.dry_run)
		usage_error("no interface given (use -i IFACE or "
		    "RAWSOCK_IFACE)");
	if (opt.jobs > 1 && (opt.framing != FRAMING_WHOLE ||
	    opt.readfile != NULL || opt.dry_run || opt.gap > 0))
		usage_error("-j shares the repeats of one frame: it excludes "
		    "-l, -x, -0, --vis, -r, --dry-run, --interval and --rate");

	sock_guard_stdio(opt.readfile != NULL ? strcmp(opt.readfile,
	    "-") == 0 : argc == 0, opt.dry_run && (opt.writefile == NULL ||
	    strcmp(opt.writefile, "-") == 0));
	if (opt.timing || opt.gap > 0)
		(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	catch_signals();
	open_output(&s, &opt);
	s.hdrlen = FRAME_HDR_LEN;
	frame_header(s.hdr, opt.dst, opt.have_src ? opt.src : s.mac, opt.type);
	if (opt.have_vlan) {
		s.tag[0] = 0x81;
		s.tag[1] = 0x00;
		s.tag[2] = (uint8_t)(opt.vlan_tci >> 8);
		s.tag[3] = (uint8_t)opt.vlan_tci;
		/* The tag goes between the MACs and the ethertype. */
		memcpy(s.hdr + 2 * MAC_LEN + VLAN_TAG_LEN, s.hdr + 2 * MAC_LEN,
		    2);
		memcpy(s.hdr + 2 * MAC_LEN, s.tag, VLAN_TAG_LEN);
		s.hdrlen += VLAN_TAG_LEN;
	}

	s.hold = opt.jobs > 1;
	if (opt.readfile != NULL)
		send_pcap(&s, opt.readfile);
	else if (argc > 0)
		send_args(&s, argc, argv);
	else
		send_input(&s);
	if (s.hold && s.held != NULL)
		send_parallel(&s);
	return finish(&s);
}
