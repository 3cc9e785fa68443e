/*
 * rawrecv: receive raw Ethernet frames and print them.
 *
 * usage: rawrecv [-pq] [-c COUNT] [-i IFACE] [-j JOBS] [-o FORMAT] [-r FILE]
 *                [-t ETHERTYPE|any] [-w FILE] [-Z USER] [--busy-poll]
 *                [--timeout SECONDS] [--ts] [--vlan VID] [EXPRESSION]
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include "applet.h"
#include "filter.h"
#include "frame.h"
#include "num.h"
#include "opts.h"
#include "pcapfile.h"
#include "priv.h"
#include "sandbox.h"
#include "report.h"
#include "rxloop.h"
#include "sink.h"
#include "sock.h"

enum { OPT_TS = OPT_OWN, OPT_VLAN };

#define JOBS_MAX	64


struct rawrecv_opts {
	const char	*ifname;
	const char	*user;
	const char	*readfile;
	const char	*writefile;
	uint16_t	 type;
	bool		 type_set;
	long long	 count;		/* 0: no limit */
	double		 timeout;	/* < 0: none */
	enum format	 format;
	bool		 timestamps;
	bool		 promisc;
	long long	 vlan;		/* -1: any */
	bool		 quiet;
	long long	 jobs;
	bool		 busy_poll;
	char		*expression;
};

#define AT(field)	OPT_AT(struct rawrecv_opts, field)

const struct optspec rawrecv_options = {
	.usage =
"usage: rawrecv [-pq] [-c COUNT] [-i IFACE] [-j JOBS] [-o FORMAT] [-r FILE]\n"
"               [-t ETHERTYPE|any] [-w FILE] [-Z USER] [--busy-poll]\n"
"               [--timeout SECONDS] [--ts] [--vlan VID] [EXPRESSION]\n"
"\n"
"Receive raw Ethernet frames and print each in rawsocketpy's RawPacket\n"
"format, 'SRC == 0xTYPE => DEST - OK:' and the escaped payload.\n"
"EXPRESSION is a tcpdump filter, run in the kernel.\n",
	.footer =
"Exit status: 0 done (COUNT frames, end of file, or a signal), 1 timeout\n"
"or too few frames, 2 error.\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .store = AT(ifname),
	    .help = "interface to listen on (default: $RAWSOCK_IFACE)"),
	OPT_SHARED('t', .store = AT(type), .kind = OK_ETHERTYPE_ANY,
	    .comp = OC_ETHERTYPE_ANY,
	    .help = "0xEEFA (default), decimal, a name, or any"),
	OPT_SHARED('c', .store = AT(count),
	    .help = "exit 0 after COUNT frames"),
	OPT_SHARED(OPT_TIMEOUT, .store = AT(timeout)),
	{ 'o', "output", "FORMAT", OK_TEXT, .comp = OC_WORDS,
	    .words = "rawpacket raw hex json vis",
	    .help = "rawpacket (default), raw (payload bytes only),\n"
	    "hex (whole frame, a line each), json (JSON Lines),\n"
	    "vis (payload vis(3)-escaped, a line each)" },
	{ 'w', "write", "FILE", OK_TEXT, .comp = OC_FILE,
	    .store = AT(writefile),
	    .help = "write a pcap file instead (- for stdout)" },
	{ 'r', "read", "FILE", OK_TEXT, .comp = OC_FILE,
	    .store = AT(readfile),
	    .help = "read a pcap file instead of an interface" },
	{ OPT_TS, "ts", NULL, OK_FLAG,
	    .store = AT(timestamps),
	    .help = "put the receive time before each RawPacket" },
	{ OPT_VLAN, "vlan", "VID", OK_RANGE, 0, 4094, .what = "VLAN ID",
	    .store = AT(vlan),
	    .help = "only frames tagged with 802.1Q VLAN VID" },
	{ 'j', "jobs", "JOBS", OK_RANGE, 1, JOBS_MAX,
	    .store = AT(jobs),
	    .help = "spread the frames over JOBS threads by receiving\n"
	    "CPU (PACKET_FANOUT); each CPU's frames keep order" },
	OPT_SHARED(OPT_BUSY_POLL, .store = AT(busy_poll)),
	{ 'p', "promisc", NULL, OK_FLAG,
	    .store = AT(promisc),
	    .help = "promiscuous mode while running" },
	OPT_SHARED('Z', .store = AT(user)),
	OPT_SHARED('q', .store = AT(quiet)),
	OPT_SHARED('h'),
	OPT_SHARED(OPT_VERSION),
	{ 0 } },
};



/* The VLAN ID of a tagged frame, or -1. */
static int
frame_vlan(const uint8_t *frame, size_t len)
{
	uint16_t type;

	if (len < FRAME_HDR_LEN + 4)
		return -1;
	type = frame_type(frame);
	if (type != 0x8100 && type != 0x88a8)
		return -1;
	return (frame[14] << 8 | frame[15]) & 0xfff;
}

/* Ethertype after any VLAN tag. */
static uint16_t
inner_type(const uint8_t *frame, size_t len)
{
	uint16_t type = frame_type(frame);

	if ((type == 0x8100 || type == 0x88a8) && len >= FRAME_HDR_LEN + 4)
		return (uint16_t)(frame[16] << 8 | frame[17]);
	return type;
}

/* --vlan VID: tagged with VID, and of the -t type behind the tag. */
static bool
vlan_match(const struct rawrecv_opts *opt, const uint8_t *frame, size_t len)
{
	if (opt->vlan < 0)
		return true;
	return frame_vlan(frame, len) == opt->vlan &&
	    (opt->type == ETHERTYPE_ANY || inner_type(frame, len) == opt->type);
}

/* "0xeefa" or "any", for the readiness line. */
static const char *
type_text(uint16_t type, char buf[8])
{
	if (type == ETHERTYPE_ANY)
		strlcpy(buf, "any", 8);
	else
		snprintf(buf, 8, "0x%04x", type);
	return buf;
}

static int
open_write(const char *path)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return STDOUT_FILENO;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0)
		err(2, "%s", shown(path));
	return fd;
}

/*
 * After priv_drop(): a -w file is created by the user we run as (-Z), as
 * tcpdump creates it, never left behind owned by root.
 */
static void
open_sink(const struct rawrecv_opts *opt, struct sink *k)
{
	sink_init(k, open_write(opt->writefile), opt->format, opt->timestamps);
	if (opt->writefile != NULL && strcmp(opt->writefile, "-") != 0)
		k->out.name = opt->writefile;
}

/* -r: what the reading shares with the loop's callbacks. */
struct reading {
	struct loop	*loop;
	int		 fd;
	struct sink	*sink;
	long long	 got;
};

/* Before each read: output so far goes out, then the loop waits for
 * input, signals and the deadline alike. */
static bool
wait_input(void *ctx)
{
	struct reading *rd = ctx;

	return loop_wait_for(rd->loop, rd->fd, POLLIN, NULL);
}

static void
flush_reading(void *ctx)
{
	struct reading *rd = ctx;

	sink_flush(rd->sink);
}

static void
reading_progress(void *ctx)
{
	struct reading *rd = ctx;

	warnx("%lld %s received", rd->got,
	    frames((unsigned long long)rd->got));
}

/* -r: frames from a pcap file, through the same filters and formats. */
static int
read_file(const struct rawrecv_opts *opt, struct sink *k, struct filter *f)
{
	struct reading rd = { .sink = k, .fd = STDIN_FILENO };
	struct pcap_reader r;
	struct pcap_rec rec;
	const uint8_t *frame;
	const char *why;
	enum loop_stop stop;
	int n;

	if (strcmp(opt->readfile, "-") != 0 &&
	    (rd.fd = open(opt->readfile, O_RDONLY | O_CLOEXEC)) < 0)
		err(2, "%s", shown(opt->readfile));
	/* The file is open, as tcpdump -r opens it; what it holds is
	 * parsed with nothing left to lose. */
	priv_drop(opt->user);
	open_sink(opt, k);
	rd.loop = loop_new(opt->timeout, true);
	loop_on_idle(rd.loop, flush_reading, &rd);
	loop_on_usr1(rd.loop, reading_progress, &rd);
	sandbox_enter(0);
	if (pcap_reader_start(&r, rd.fd, wait_input, &rd, &why) < 0) {
		/* A signal or the deadline before the header: no error. */
		if (loop_stopped(rd.loop) != STOP_NONE)
			goto done;
		errx(2, "%s: %s", shown(opt->readfile), why);
	}
	while ((n = pcap_reader_next(&r, &rec, &frame, &why)) > 0) {
		struct frame_meta m = {
			.has_ts = true, .ts_ns = rec.ts_ns, .pkttype = -1,
			.wirelen = rec.wirelen,
		};

		if (opt->type_set && opt->type != ETHERTYPE_ANY &&
		    (rec.caplen < FRAME_HDR_LEN ||
		    inner_type(frame, rec.caplen) != opt->type))
			continue;
		if (opt->vlan >= 0 && frame_vlan(frame, rec.caplen) !=
		    opt->vlan)
			continue;
		if (f->pcap_prog != NULL &&
		    !filter_match(f, frame, rec.caplen, rec.wirelen))
			continue;
		sink_frame(k, &m, frame, rec.caplen);
		if (++rd.got == opt->count) {
			loop_stop(rd.loop, STOP_DONE);
			break;
		}
	}
	sink_flush(k);
	if (n < 0 && loop_stopped(rd.loop) == STOP_NONE)
		errx(2, "%s: record %llu: %s (%lld %s printed)",
		    shown(opt->readfile), r.records + 1, why, rd.got,
		    frames((unsigned long long)rd.got));
done:
	pcap_reader_close(&r);
	stop = loop_stopped(rd.loop);
	loop_free(rd.loop);
	if (stop == STOP_NONE || stop == STOP_DONE)	/* end of file, COUNT */
		return opt->count && rd.got < opt->count ? EXIT_TIMEOUT :
		    EXIT_OK;
	return loop_status(stop, rd.got, opt->count);
}

struct receiver {
	const struct rawrecv_opts *opt;
	struct rawsock	*sock;
	struct sink	*sink;
};

static int
take_frame(void *ctx, const struct rxframe *fr)
{
	struct receiver *r = ctx;
	struct frame_meta m = {
		.has_ts = fr->has_ts, .ts_ns = fr->ts_ns,
		.iface = r->sock->ifname, .pkttype = fr->pkttype,
		.wirelen = fr->wirelen,
	};

	if (!vlan_match(r->opt, fr->data, fr->len))
		return 0;
	sink_frame(r->sink, &m, fr->data, fr->len);
	return 1;
}

static bool
wanted(void *ctx, const struct rxframe *fr)
{
	struct receiver *r = ctx;

	return vlan_match(r->opt, fr->data, fr->len);
}

static void
flush_sink(void *ctx)
{
	struct receiver *r = ctx;

	sink_flush(r->sink);
}

static int
receive(const struct rawrecv_opts *opt, struct sink *k,
    const struct sock_fprog *live)
{
	struct rawsock sock;
	struct receiver rcv = { .opt = opt, .sock = &sock, .sink = k };
	struct rxloop loop = {
		.sock = &sock, .count = opt->count, .frame = take_frame,
		.wanted = wanted, .ctx = &rcv, .sandbox = SB_RECV,
		.spin = opt->busy_poll,
	};
	char ready[128], typetext[8];
	int status;

	sock_open(&sock, &(struct sock_config){
	    .ifname = opt->ifname, .proto = ETHERTYPE_ANY, .filter = live,
	    .vlan_tags = true, .promisc = opt->promisc,
	    /* A ring hands a block over at its timeout at the soonest:
	     * spinning on one would not bring a frame any sooner. */
	    .ring = !opt->busy_poll, .busy_poll = opt->busy_poll });
	priv_drop(opt->user);
	open_sink(opt, k);
	snprintf(ready, sizeof(ready), "listening on %s, ethertype %s",
	    shown(sock.ifname), type_text(opt->type, typetext));
	loop.where = sock.ifname;
	status = rxloop_run(&loop, opt->timeout, opt->quiet ? NULL : ready,
	    flush_sink);
	sock_close(&sock);
	return status;
}

/* -j: what the receive threads share. */
struct pool {
	const struct rawrecv_opts *opt;
	atomic_llong	 got;		/* frames claimed for output */
	atomic_int	 error;		/* errno of a failed receive, or 0 */
	int		 stopfd;	/* readable once every worker must stop */
	int		 donefd;	/* readable once a worker is done: COUNT
					 * reached, or its receive failed */
	pthread_mutex_t	 lock;		/* one writer of stdout at a time */
};

struct worker {
	struct pool	*pool;
	struct rawsock	 sock;
	struct sink	 sink;
	struct receiver	 rcv;
	struct rxloop	 rx;
	pthread_t	 thread;
	unsigned long long left;	/* queued at the end, not printed */
	unsigned long long drops;
};

static void
notify(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) < 0)
		err(2, "eventfd");
}

/* Claims the frame first, so that exactly COUNT get out. */
static int
worker_frame(void *ctx, const struct rxframe *fr)
{
	struct worker *w = ctx;
	struct pool *p = w->pool;
	long long n;

	if (!vlan_match(p->opt, fr->data, fr->len))
		return 0;
	n = atomic_fetch_add(&p->got, 1) + 1;
	if (p->opt->count && n > p->opt->count) {
		loop_stop(w->rx.loop, STOP_DONE);
		return 0;
	}
	take_frame(&w->rcv, fr);
	if (n == p->opt->count) {
		notify(p->donefd);
		loop_stop(w->rx.loop, STOP_DONE);
	}
	return 1;
}

static bool
worker_wanted(void *ctx, const struct rxframe *fr)
{
	struct worker *w = ctx;

	return vlan_match(w->pool->opt, fr->data, fr->len);
}

static void
worker_flush(void *ctx)
{
	struct worker *w = ctx;

	sink_flush(&w->sink);
}

static void
worker_stop(void *ctx, short revents)
{
	struct worker *w = ctx;

	(void)revents;
	loop_stop(w->rx.loop, STOP_SIGNAL);
}

/* A worker runs the one loop on its own socket, with no signals: the
 * main thread's loop takes those and tells it through stopfd. */
static void *
work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	enum loop_stop why;

	w->rx.loop = loop_new(-1, false);
	rx_attach(&w->rx);
	loop_add(w->rx.loop, p->stopfd, POLLIN, worker_stop, NULL, w);
	loop_on_idle(w->rx.loop, worker_flush, w);
	why = loop_run(w->rx.loop);
	sink_flush(&w->sink);
	if (why == STOP_FAILED) {
		int none = 0;

		atomic_compare_exchange_strong(&p->error, &none, w->rx.error);
		notify(p->donefd);
	}
	w->left = rx_leftover(&w->rx, &w->drops);
	loop_free(w->rx.loop);
	w->rx.loop = NULL;
	return NULL;
}

struct parallel {
	struct pool	*pool;
	struct worker	*w;
	struct ifstat	 ifs;
	struct loop	*loop;
};

static void
pool_progress(void *ctx)
{
	struct parallel *par = ctx;
	unsigned long long drops = 0;

	for (long long i = 0; i < par->pool->opt->jobs; i++)
		drops += sock_drops(&par->w[i].sock);
	report_progress(atomic_load(&par->pool->got), drops,
	    ifstat_delta(&par->ifs).rx);
}

static void
pool_done(void *ctx, short revents)
{
	struct parallel *par = ctx;

	(void)revents;
	loop_stop(par->loop, atomic_load(&par->pool->error) ? STOP_FAILED :
	    STOP_DONE);
}

/* -j JOBS: one ring socket per thread in a fanout group, one stdout. */
static int
receive_parallel(const struct rawrecv_opts *opt,
    const struct sock_fprog *live)
{
	struct pool pool = { .opt = opt };
	struct parallel par = { .pool = &pool };
	struct worker *w = calloc((size_t)opt->jobs, sizeof(*w));
	struct losses l = { .unread_what = "printed" };
	enum loop_stop why;
	char typetext[8];
	long long got;
	int e, outfd;

	if (w == NULL)
		err(2, "calloc");
	par.w = w;
	if ((pool.stopfd = eventfd(0, EFD_CLOEXEC)) < 0 ||
	    (pool.donefd = eventfd(0, EFD_CLOEXEC)) < 0)
		err(2, "eventfd");
	pthread_mutex_init(&pool.lock, NULL);
	for (long long i = 0; i < opt->jobs; i++) {
		w[i].pool = &pool;
		sock_open(&w[i].sock, &(struct sock_config){
		    .ifname = opt->ifname, .proto = ETHERTYPE_ANY,
		    .filter = live, .vlan_tags = true,
		    .promisc = opt->promisc, .ring = true });
		if (sock_fanout(&w[i].sock, getpid()) < 0)
			err(2, "%s: PACKET_FANOUT", shown(w[i].sock.ifname));
	}
	/* Every socket is open: privileges go before the -w file is
	 * created (open_sink()). */
	priv_drop(opt->user);
	outfd = open_write(opt->writefile);
	for (long long i = 0; i < opt->jobs; i++) {
		sink_init(&w[i].sink, outfd, opt->format, opt->timestamps);
		if (outfd != STDOUT_FILENO)
			w[i].sink.out.name = opt->writefile;
		if (i > 0)
			w[i].sink.out.len = 0;	/* one pcap header is enough */
		w[i].sink.out.lock = &pool.lock;
		w[i].rcv = (struct receiver){ .opt = opt, .sock = &w[i].sock,
		    .sink = &w[i].sink };
		w[i].rx = (struct rxloop){ .sock = &w[i].sock,
		    .where = w[i].sock.ifname, .frame = worker_frame,
		    .wanted = worker_wanted, .ctx = &w[i] };
	}
	/* The pcap header goes out before any worker can write a record. */
	sink_flush(&w[0].sink);
	ifstat_open(&par.ifs, opt->ifname);
	/* Before the threads start: they inherit the blocked signals, so
	 * only this loop sees them. */
	par.loop = loop_new(opt->timeout, true);
	/* And the filter, which no thread can then escape. */
	sandbox_enter(SB_RECV | SB_THREADS);
	loop_add(par.loop, pool.donefd, POLLIN, pool_done, NULL, &par);
	loop_on_usr1(par.loop, pool_progress, &par);
	if (!opt->quiet)
		fprintf(stderr, "%s: listening on %s, ethertype %s, %lld jobs\n",
		    getprogname(), shown(w[0].sock.ifname), type_text(opt->type,
		    typetext), opt->jobs);
	for (long long i = 0; i < opt->jobs; i++)
		if ((e = pthread_create(&w[i].thread, NULL, work, &w[i])) != 0)
			errc(2, e, "pthread_create");

	why = loop_run(par.loop);
	notify(pool.stopfd);
	for (long long i = 0; i < opt->jobs; i++)
		pthread_join(w[i].thread, NULL);
	got = atomic_load(&pool.got);
	if (opt->count && got > opt->count)
		got = opt->count;
	if ((e = atomic_load(&pool.error)) != 0) {
		struct rxloop failed = { .where = w[0].sock.ifname, .error = e };

		why = STOP_FAILED;
		rx_report_error(&failed, (unsigned long long)got);
	}
	for (long long i = 0; i < opt->jobs; i++) {
		l.unread += w[i].left;
		l.kernel += w[i].drops;
		sink_free(&w[i].sink);
		sock_close(&w[i].sock);
	}
	if (why == STOP_DONE)
		l.unread = 0;	/* frames past COUNT are not missed */
	l.iface = ifstat_delta(&par.ifs).rx;
	report_losses(&l);
	ifstat_close(&par.ifs);
	loop_free(par.loop);
	close(pool.stopfd);
	close(pool.donefd);
	free(w);
	return loop_status(why, got, opt->count);
}

/*
 * The socket takes every ethertype and a filter picks ours: a socket bound
 * to one type gets frames only after the kernel has thrown their VLAN tag
 * away, and tags are part of what we show. The expression, if any, is
 * joined to the type check in one program.
 */
static void
live_filter(const struct rawrecv_opts *opt, const struct filter *user,
    struct filter *live)
{
	char errbuf[512], *expr;

	if (opt->type == ETHERTYPE_ANY) {
		live->prog = user->prog;	/* borrowed, freed with user */
		return;
	}
	if (opt->expression == NULL) {
		filter_ethertype(live, opt->type, FILTER_NO_OUTGOING);
		return;
	}
	if (asprintf(&expr, "(%s) and ether proto 0x%04x", opt->expression,
	    opt->type) < 0)
		err(2, "asprintf");
	if (filter_compile(live, expr, errbuf, sizeof(errbuf)) < 0) {
		free(expr);
		usage_error("invalid filter '%s': %s", shown(opt->expression),
		    shown(errbuf));
	}
	free(expr);
}

int
rawrecv_main(int argc, char *argv[])
{
	struct rawrecv_opts opt = {
		.type = 0xeefa,
		.timeout = -1,
		.format = FMT_RAWPACKET,
		.vlan = -1,
		.jobs = 1,
	};
	struct filter f = { 0 }, live = { 0 };
	struct sink k;
	struct optparse op;
	struct optval v;
	char errbuf[512];
	int status, c;

	opt_init(&op, &rawrecv_options, &opt);
	while ((c = opt_next(&op, argc, argv, &v)) != -1) {
		switch (c) {
		case 'o':
			if (format_parse(v.text, &opt.format) < 0)
				usage_error("invalid output format '%s' (%s)",
				    shown(v.text), FORMAT_NAMES);
			break;
		case 't':
			opt.type_set = true;	/* the table set opt.type */
			break;
		}
	}
	if (optind < argc) {
		size_t len;

		opt.expression = args_join(argc - optind, argv + optind, &len);
		/* A bad expression is a usage error, found before any socket
		 * is opened. */
		if (filter_compile(&f, opt.expression, errbuf,
		    sizeof(errbuf)) < 0)
			usage_error("invalid filter '%s': %s", shown(opt.expression),
			    shown(errbuf));
	}
	if (opt.readfile == NULL)
		live_filter(&opt, &f, &live);
	if (opt.writefile != NULL)
		opt.format = FMT_PCAP;
	if (opt.jobs > 1 && opt.readfile != NULL)
		usage_error("-j spreads a live capture: it excludes -r");
	if (opt.busy_poll && (opt.jobs > 1 || opt.readfile != NULL))
		usage_error("--busy-poll spins on one socket: it excludes %s",
		    opt.jobs > 1 ? "-j" : "-r");
	if (opt.readfile == NULL &&
	    (opt.ifname = opt_iface(opt.ifname)) == NULL)
		usage_error("no interface given (use -i IFACE, RAWSOCK_IFACE "
		    "or -r FILE)");
	/* -r F -w F would truncate what it is about to read. */
	if (pcap_same_file(opt.readfile, opt.writefile))
		errx(2, "%s: -r and -w name the same file",
		    shown(opt.writefile));

	sock_guard_stdio(opt.readfile != NULL &&
	    strcmp(opt.readfile, "-") == 0, opt.writefile == NULL ||
	    strcmp(opt.writefile, "-") == 0);
	/* A closed reader is an EPIPE from write(), handled in out.c. */
	signal(SIGPIPE, SIG_IGN);
	if (opt.jobs > 1) {
		status = receive_parallel(&opt, live.prog.filter ? &live.prog :
		    NULL);
		goto done;
	}
	if (opt.readfile != NULL)
		status = read_file(&opt, &k, &f);
	else
		status = receive(&opt, &k, live.prog.filter ? &live.prog : NULL);
	sink_free(&k);
done:
	filter_free(&f);
	filter_free(&live);
	free(opt.expression);
	return status;
}
