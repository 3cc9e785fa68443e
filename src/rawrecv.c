/*
 * rawrecv: receive raw Ethernet frames and print them.
 *
 * usage: rawrecv -i IFACE [-pq] [-c COUNT] [-j JOBS] [-o FORMAT] [-r FILE]
 *                [-t ETHERTYPE|any] [-w FILE] [-Z USER] [--timeout SECONDS]
 *                [--ts] [--vlan VID] [EXPRESSION]
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
#include "rxloop.h"
#include "sink.h"
#include "sock.h"
#include "wait.h"

static const char usage_text[] =
"usage: rawrecv -i IFACE [-pq] [-c COUNT] [-j JOBS] [-o FORMAT] [-r FILE]\n"
"               [-t ETHERTYPE|any] [-w FILE] [-Z USER] [--timeout SECONDS]\n"
"               [--ts] [--vlan VID] [EXPRESSION]\n"
"\n"
"Receive raw Ethernet frames and print each in rawsocketpy's RawPacket\n"
"format, 'SRC == 0xTYPE => DEST - OK:' and the escaped payload.\n"
"EXPRESSION is a tcpdump filter, run in the kernel.\n"
"\n"
"  -i, --interface IFACE  interface to listen on (default: $RAWSOCK_IFACE)\n"
"  -t, --type ETHERTYPE   0xEEFA (default), decimal, a name, or any\n"
"  -c, --count COUNT      exit 0 after COUNT frames\n"
"      --timeout SECONDS  exit 1 if fewer than COUNT (or no) frames came\n"
"  -o, --output FORMAT    rawpacket (default), raw (payload bytes only),\n"
"                         hex (whole frame, a line each), json (JSON Lines),\n"
"                         vis (payload vis(3)-escaped, a line each)\n"
"  -w, --write FILE       write a pcap file instead (- for stdout)\n"
"  -r, --read FILE        read a pcap file instead of an interface\n"
"      --ts               put the receive time before each RawPacket\n"
"      --vlan VID         only frames tagged with 802.1Q VLAN VID\n"
"  -j, --jobs JOBS        spread the frames over JOBS threads by receiving\n"
"                         CPU (PACKET_FANOUT); each CPU's frames keep order\n"
"  -p, --promisc          promiscuous mode while running\n"
"  -Z, --user USER        after opening the socket, run as USER\n"
"  -q, --quiet            no 'listening on' line on standard error\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Exit status: 0 done (COUNT frames, end of file, or a signal), 1 timeout\n"
"or too few frames, 2 error.\n";

enum { OPT_TIMEOUT = 256, OPT_VERSION, OPT_TS, OPT_VLAN };

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
	int		 vlan;		/* -1: any */
	bool		 quiet;
	long long	 jobs;
	char		*expression;
};

#define JOBS_MAX	64

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
		err(2, "%s", path);
	return fd;
}

/* -r: frames from a pcap file, through the same filters and formats. */
static int
read_file(const struct rawrecv_opts *opt, struct sink *k, struct filter *f)
{
	struct pcap_reader r;
	struct pcap_rec rec;
	const uint8_t *frame;
	const char *why;
	long long got = 0;
	int fd = STDIN_FILENO, n;

	if (strcmp(opt->readfile, "-") != 0 &&
	    (fd = open(opt->readfile, O_RDONLY | O_CLOEXEC)) < 0)
		err(2, "%s", opt->readfile);
	if (pcap_reader_open(&r, fd, &why) < 0)
		errx(2, "%s: %s", opt->readfile, why);
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
		if (++got == opt->count)
			break;
	}
	sink_flush(k);
	if (n < 0)
		errx(2, "%s: record %llu: %s (%lld frame%s printed)",
		    opt->readfile, r.records + 1, why, got,
		    got == 1 ? "" : "s");
	pcap_reader_close(&r);
	return opt->count && got < opt->count ? EXIT_TIMEOUT : EXIT_OK;
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
		.sock = &sock, .count = opt->count, .timeout = opt->timeout,
		.frame = take_frame, .flush = flush_sink, .ctx = &rcv,
	};
	char ready[64], typetext[8];
	int status;

	sock_open(&sock, &(struct sock_config){
	    .ifname = opt->ifname, .proto = ETHERTYPE_ANY, .filter = live,
	    .vlan_tags = true, .promisc = opt->promisc, .ring = true });
	priv_drop(opt->user);
	snprintf(ready, sizeof(ready), "listening on %s, ethertype %s",
	    sock.ifname, type_text(opt->type, typetext));
	loop.where = sock.ifname;
	loop.ready = opt->quiet ? NULL : ready;
	status = rxloop_run(&loop);
	sock_close(&sock);
	return status;
}

/* -j: what the receive threads share. */
struct pool {
	const struct rawrecv_opts *opt;
	atomic_llong	 got;		/* frames claimed for output */
	atomic_int	 error;		/* errno of a failed receive, or 0 */
	int		 stopfd;	/* readable once everyone must stop */
	pthread_mutex_t	 lock;		/* one writer of stdout at a time */
};

struct worker {
	struct pool	*pool;
	struct rawsock	 sock;
	struct sink	 sink;
	pthread_t	 thread;
};

static void
pool_stop(struct pool *p)
{
	uint64_t one = 1;

	if (write(p->stopfd, &one, sizeof(one)) < 0)
		err(2, "eventfd");
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	const struct rawrecv_opts *opt = p->opt;
	struct pollfd fds[2] = {
		{ w->sock.fd, POLLIN, 0 }, { p->stopfd, POLLIN, 0 },
	};

	for (;;) {
		struct rxframe fr;
		int r;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			err(2, "poll");
		if (fds[1].revents)
			break;
		while ((r = sock_recv(&w->sock, &fr)) > 0) {
			struct frame_meta m = {
				.has_ts = fr.has_ts, .ts_ns = fr.ts_ns,
				.iface = w->sock.ifname, .pkttype = fr.pkttype,
				.wirelen = fr.wirelen,
			};
			long long n;

			if (!vlan_match(opt, fr.data, fr.len))
				continue;
			/* Claim the frame first: exactly COUNT get out. */
			n = atomic_fetch_add(&p->got, 1) + 1;
			if (opt->count && n > opt->count)
				break;
			sink_frame(&w->sink, &m, fr.data, fr.len);
			if (n == opt->count) {
				pool_stop(p);
				break;
			}
		}
		sink_flush(&w->sink);
		if (r < 0) {
			atomic_store(&p->error, errno);
			pool_stop(p);
			break;
		}
	}
	sink_flush(&w->sink);
	return NULL;
}

static void
pool_progress(void *ctx)
{
	struct worker *w = ctx;
	unsigned long long drops = 0;
	long long got = atomic_load(&w->pool->got);

	for (long long i = 0; i < w->pool->opt->jobs; i++)
		drops += sock_drops(&w[i].sock);
	warnx("%lld frame%s received, %llu dropped by the kernel", got,
	    got == 1 ? "" : "s", drops);
}

/* -j JOBS: one ring socket per thread in a fanout group, one stdout. */
static int
receive_parallel(const struct rawrecv_opts *opt,
    const struct sock_fprog *live, int outfd)
{
	struct pool pool = { .opt = opt };
	struct worker *w = calloc((size_t)opt->jobs, sizeof(*w));
	struct waiter wt;
	unsigned long long drops = 0;
	int status = -1, e;
	char typetext[8];
	long long got;

	if (w == NULL)
		err(2, "calloc");
	if ((pool.stopfd = eventfd(0, EFD_CLOEXEC)) < 0)
		err(2, "eventfd");
	pthread_mutex_init(&pool.lock, NULL);
	for (long long i = 0; i < opt->jobs; i++) {
		w[i].pool = &pool;
		sock_open(&w[i].sock, &(struct sock_config){
		    .ifname = opt->ifname, .proto = ETHERTYPE_ANY,
		    .filter = live, .vlan_tags = true,
		    .promisc = opt->promisc, .ring = true });
		if (sock_fanout(&w[i].sock, getpid()) < 0)
			err(2, "%s: PACKET_FANOUT", w[i].sock.ifname);
		sink_init(&w[i].sink, outfd, opt->format, opt->timestamps);
		if (outfd != STDOUT_FILENO)
			w[i].sink.out.name = opt->writefile;
		if (i > 0)
			w[i].sink.out.len = 0;	/* one pcap header is enough */
		w[i].sink.out.lock = &pool.lock;
	}
	priv_drop(opt->user);
	/* Signals stay blocked in the threads: only the signalfd sees them. */
	waiter_init(&wt, opt->timeout);
	waiter_on_usr1(&wt, pool_progress, w);
	if (!opt->quiet)
		fprintf(stderr, "%s: listening on %s, ethertype %s, %lld jobs\n",
		    getprogname(), w[0].sock.ifname, type_text(opt->type,
		    typetext), opt->jobs);
	for (long long i = 0; i < opt->jobs; i++)
		if ((e = pthread_create(&w[i].thread, NULL, work, &w[i])) != 0)
			errc(2, e, "pthread_create");

	switch (waiter_wait(&wt, pool.stopfd)) {
	case WAKE_SIGNAL:
		status = EXIT_OK;
		break;
	case WAKE_TIMEOUT:
		status = -1;
		break;
	case WAKE_READY:	/* COUNT frames, or a worker failed */
		status = EXIT_OK;
		break;
	}
	pool_stop(&pool);
	for (long long i = 0; i < opt->jobs; i++)
		pthread_join(w[i].thread, NULL);
	if ((e = atomic_load(&pool.error)) != 0)
		errc(2, e, "%s: receive", w[0].sock.ifname);
	got = atomic_load(&pool.got);
	if (opt->count && got > opt->count)
		got = opt->count;
	if (status < 0)
		status = got == 0 || (opt->count && got < opt->count) ?
		    EXIT_TIMEOUT : EXIT_OK;
	for (long long i = 0; i < opt->jobs; i++) {
		drops += sock_drops(&w[i].sock);
		sink_free(&w[i].sink);
		sock_close(&w[i].sock);
	}
	report_drops(drops);
	waiter_close(&wt);
	close(pool.stopfd);
	free(w);
	return status;
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
		filter_ethertype(live, opt->type);
		return;
	}
	if (asprintf(&expr, "(%s) and ether proto 0x%04x", opt->expression,
	    opt->type) < 0)
		err(2, "asprintf");
	if (filter_compile(live, expr, errbuf, sizeof(errbuf)) < 0) {
		free(expr);
		usage_error("invalid filter '%s': %s", shown(opt->expression),
		    errbuf);
	}
	free(expr);
}

int
rawrecv_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "interface", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "promisc", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "read", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "ts", no_argument, NULL, OPT_TS },
		{ "type", required_argument, NULL, 't' },
		{ "user", required_argument, NULL, 'Z' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "vlan", required_argument, NULL, OPT_VLAN },
		{ "write", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct rawrecv_opts opt = {
		.type = 0xeefa,
		.timeout = -1,
		.format = FMT_RAWPACKET,
		.vlan = -1,
		.jobs = 1,
	};
	struct filter f = { 0 }, live = { 0 };
	struct sink k;
	char errbuf[512];
	long long vid;
	const char *why;
	int status, c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:hi:j:o:pqr:t:w:Z:", longopts,
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
		case 'j':
			opt.jobs = opt_range("jobs", optarg, 1, JOBS_MAX);
			break;
		case 'o':
			if (format_parse(optarg, &opt.format) < 0)
				usage_error("invalid output format '%s' (%s)",
				    shown(optarg), FORMAT_NAMES);
			break;
		case 'p':
			opt.promisc = true;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'r':
			opt.readfile = optarg;
			break;
		case 't':
			opt.type = opt_ethertype(optarg, 1);
			opt.type_set = true;
			break;
		case 'w':
			opt.writefile = optarg;
			break;
		case 'Z':
			opt.user = optarg;
			break;
		case OPT_TIMEOUT:
			opt.timeout = opt_seconds("timeout", optarg);
			break;
		case OPT_TS:
			opt.timestamps = true;
			break;
		case OPT_VLAN:
			if (parse_count(optarg, 0, 4094, &vid, &why) < 0)
				errx(2, "invalid VLAN ID '%s': %s (0 to 4094)",
				    shown(optarg), why);
			opt.vlan = (int)vid;
			break;
		case OPT_VERSION:
			print_version();
		default:
			opt_bad(c, optopt, argv[optind - 1]);
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
			    errbuf);
	}
	if (opt.readfile == NULL)
		live_filter(&opt, &f, &live);
	if (opt.writefile != NULL)
		opt.format = FMT_PCAP;
	if (opt.jobs > 1 && opt.readfile != NULL)
		usage_error("-j spreads a live capture: it excludes -r");
	if (opt.readfile == NULL &&
	    (opt.ifname = opt_iface(opt.ifname)) == NULL)
		usage_error("no interface given (use -i IFACE, RAWSOCK_IFACE "
		    "or -r FILE)");

	sock_guard_stdio(opt.readfile != NULL &&
	    strcmp(opt.readfile, "-") == 0, opt.writefile == NULL ||
	    strcmp(opt.writefile, "-") == 0);
	/* A closed reader is an EPIPE from write(), handled in out.c. */
	signal(SIGPIPE, SIG_IGN);
	if (opt.jobs > 1) {
		status = receive_parallel(&opt, live.prog.filter ? &live.prog :
		    NULL, open_write(opt.writefile));
		goto done;
	}
	sink_init(&k, open_write(opt.writefile), opt.format, opt.timestamps);
	if (opt.writefile != NULL && strcmp(opt.writefile, "-") != 0)
		k.out.name = opt.writefile;
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
