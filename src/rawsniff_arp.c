/*
 * rawsniff-arp: decode ARP frames as the socket cheatsheet prints them.
 *
 * usage: rawsniff-arp [-pqv] [-c COUNT] [-i IFACE] [-o FORMAT] [-Z USER]
 *                     [--timeout SECONDS] [--vlan VID] [--watch]
 *                     [--state FILE] [--conflict-window SECONDS]
 *
 * --watch keeps a table of who has which IPv4 address (stations.h) and
 * prints one event per change instead of every frame, as arpwatch does.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "applet.h"
#include "arp.h"
#include "filter.h"
#include "frame.h"
#include "ifnets.h"
#include "opts.h"
#include "out.h"
#include "priv.h"
#include "sandbox.h"
#include "rxloop.h"
#include "sock.h"
#include "stations.h"

/* The forms of arp.h's printers (sink.h's enum format is rawrecv's). */
enum arp_output { ARP_OUT_BLOCK, ARP_OUT_LINE, ARP_OUT_JSON };

struct rawsniff_arp_opts {
	const char	*ifname;	/* NULL: every interface */
	const char	*user;
	long long	 count;		/* 0: no limit */
	double		 timeout;	/* < 0: none */
	enum arp_output	 format;
	bool		 promisc;
	bool		 quiet;
	bool		 verbose;	/* --watch: the frames too */
	long long	 vlan;		/* -1: tagged or not */
	bool		 watch;
	const char	*state;		/* --state FILE, or NULL */
	double		 window;	/* --conflict-window, seconds */
};

#define AT(field)	OPT_AT(struct rawsniff_arp_opts, field)

enum { OPT_VLAN = OPT_OWN, OPT_WATCH, OPT_STATE, OPT_WINDOW };

/* RFC 5227's DEFEND_INTERVAL: two MACs answering for one address within
 * it are two stations at once, not one that moved. */
#define WINDOW_DEFAULT	10.0

const struct optspec rawsniff_arp_options = {
	.usage =
"usage: rawsniff-arp [-pqv] [-c COUNT] [-i IFACE] [-o FORMAT] [-Z USER]\n"
"                    [--timeout SECONDS] [--vlan VID] [--watch]\n"
"                    [--state FILE] [--conflict-window SECONDS]\n"
"\n"
"Print every ARP frame (ethertype 0x0806) the host receives or sends, as\n"
"the socket cheatsheet's ARP sniffer does. Other frames are dropped by a\n"
"filter in the kernel. With --watch, keep a table of IPv4 address to MAC\n"
"and print one event per change (new, changed, flip-flop, reused,\n"
"conflict, bogon), as arpwatch does.\n",
	.footer =
"Exit status: 0 done (COUNT frames or events, or a signal), 1 timeout,\n"
"2 error.\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .store = AT(ifname),
	    .help = "interface to listen on (default: all of them)"),
	OPT_SHARED('c', .store = AT(count),
	    .help = "exit 0 after COUNT ARP frames (--watch: events)"),
	OPT_SHARED(OPT_TIMEOUT, .store = AT(timeout)),
	{ 'o', "output", "FORMAT", OK_TEXT, .comp = OC_WORDS,
	    .words = "block line json",
	    .help = "block (default: the cheatsheet's), line (one\n"
	    "tcpdump-like line each), json (one object each);\n"
	    "--watch: events as lines, or json" },
	{ 'p', "promisc", NULL, OK_FLAG, .store = AT(promisc),
	    .help = "promiscuous mode while running (needs -i)" },
	{ OPT_VLAN, "vlan", "VID", OK_RANGE, 0, 4094, .what = "VLAN ID",
	    .store = AT(vlan), .help = "only ARP tagged with 802.1Q VLAN VID" },
	{ OPT_WATCH, "watch", NULL, OK_FLAG, .store = AT(watch),
	    .help = "print changes of who has which address, not frames" },
	{ OPT_STATE, "state", "FILE", OK_TEXT, .comp = OC_FILE,
	    .store = AT(state),
	    .help = "--watch: load the table from FILE, save it there on\n"
	    "SIGHUP and at the end" },
	{ OPT_WINDOW, "conflict-window", "SECONDS", OK_SECONDS,
	    .store = AT(window),
	    .help = "--watch: another MAC within SECONDS of the owner's\n"
	    "last claim is a conflict (default 10; 0: never)" },
	{ 'v', "verbose", NULL, OK_FLAG, .store = AT(verbose),
	    .help = "--watch: print the frames too" },
	OPT_SHARED('Z', .store = AT(user)),
	OPT_SHARED('q', .store = AT(quiet)),
	OPT_SHARED('h'),
	OPT_SHARED(OPT_VERSION),
	{ 0 } },
};


#define OUT_BUFSIZE	(256 * 1024)


static enum arp_output
parse_format(const char *text)
{
	if (strcmp(text, "block") == 0)
		return ARP_OUT_BLOCK;
	if (strcmp(text, "line") == 0)
		return ARP_OUT_LINE;
	if (strcmp(text, "json") == 0)
		return ARP_OUT_JSON;
	usage_error("invalid output format '%s' (block, line or json)",
	    shown(text));
}

static void
format_frame(struct out *o, enum arp_output fmt, const struct rxframe *f)
{
	struct arp_info a;
	char *d = out_reserve(o, ARP_TEXT_MAX);

	arp_decode(f->data, f->len, &a);
	if (f->vlan)
		arp_set_vlan(&a, f->vlan_tpid, f->vlan_tci);
	switch (fmt) {
	case ARP_OUT_BLOCK:
		out_commit(o, arp_print_block(d, &a));
		break;
	case ARP_OUT_LINE:
		out_commit(o, arp_print_line(d, &a));
		break;
	case ARP_OUT_JSON:
		out_commit(o, arp_print_json(d, &a));
		break;
	}
}

struct watch {
	struct stations	 table;
	struct ifnets	 nets;
	const char	*state;		/* the path, for messages */
	int		 dirfd;		/* its directory; -1: no --state */
	char		 base[NAME_MAX + 1], tmp[NAME_MAX + 8];
	unsigned long long frames;
	bool		 save_failed;
	bool		 told_full;	/* the table's limit was reported */
};

struct sniffer {
	enum arp_output	 format;
	long long	 vlan;
	struct out	 out;
	struct watch	*watch;		/* NULL: print frames */
	bool		 verbose;
	struct rxloop	*rx;
	struct rawsock	*sock;
};

/* ARP, and with --vlan only that VLAN's: the kernel hands the tag over
 * beside the frame (auxdata), not in it. */
static bool
wanted(void *ctx, const struct rxframe *f)
{
	struct sniffer *sn = ctx;

	if (f->len < FRAME_HDR_LEN || frame_type(f->data) != ETHERTYPE_ARP)
		return false;
	return sn->vlan < 0 || (f->vlan && (f->vlan_tci & 0xfff) == sn->vlan);
}

static uint32_t
ip_of(const struct arp_field *f)
{
	return (uint32_t)f->p[0] << 24 | (uint32_t)f->p[1] << 16 |
	    (uint32_t)f->p[2] << 8 | f->p[3];
}

/* A MAC a station can have: not zero, not broadcast or multicast. */
static bool
station_mac(const uint8_t *m)
{
	static const uint8_t zero[MAC_LEN];

	return (m[0] & 1) == 0 && memcmp(m, zero, MAC_LEN) != 0;
}

static void
put_event(struct sniffer *sn, const struct st_event *ev)
{
	char *d = out_reserve(&sn->out, ST_TEXT_MAX);

	out_commit(&sn->out, sn->format == ARP_OUT_JSON ?
	    st_event_json(d, ev) : st_event_line(d, ev));
	if (++sn->rx->got == sn->rx->count)
		loop_stop(sn->rx->loop, STOP_DONE);
}

static void
claim(struct sniffer *sn, struct claim *c)
{
	struct st_event ev;

	/* COUNT events, and not one more from the same frame. */
	if (sn->rx->count > 0 && sn->rx->got >= sn->rx->count)
		return;
	if (stations_claim(&sn->watch->table, c, &ev))
		put_event(sn, &ev);
	else if (sn->watch->table.full && !sn->watch->told_full) {
		sn->watch->told_full = true;
		warnx("table full (%d stations): new addresses are not "
		    "watched", STATIONS_MAX);
	}
}

/*
 * The table learns from the sender of every Ethernet/IPv4 ARP frame and
 * from the target of a reply; a sender 0.0.0.0 is a probe (RFC 5227)
 * for the target address.
 */
static void
watch_frame(struct sniffer *sn, const struct rxframe *f)
{
	struct watch *w = sn->watch;
	struct arp_info a;
	struct claim c = { .vlan = -1 };
	long op;

	w->frames++;
	arp_decode(f->data, f->len, &a);
	if (f->vlan)
		arp_set_vlan(&a, f->vlan_tpid, f->vlan_tci);
	if (!arp_ipv4(&a) || arp_value(&a.htype) != 1 ||
	    arp_value(&a.hlen) != MAC_LEN || !arp_complete(&a.sha) ||
	    !arp_complete(&a.spa) || !arp_complete(&a.tha) ||
	    !arp_complete(&a.tpa))
		return;
	op = arp_value(&a.op);
	c.iface = ifnets_name(&w->nets, f->ifindex);
	if (a.vlan) {
		c.vlan = a.vlan_tci & 0xfff;
		c.vlan_tpid = a.vlan_tpid;
		c.vlan_tci = a.vlan_tci;
	}
	c.ts_ns = f->has_ts ? f->ts_ns : real_ns();
	if (ip_of(&a.spa) == 0) {
		if (op != ARP_OP_REQUEST || !station_mac(a.sha.p))
			return;
		c.probe = true;
		c.ip = ip_of(&a.tpa);
		c.mac = a.sha.p;
		claim(sn, &c);
		return;
	}
	if (station_mac(a.sha.p) && ip_of(&a.spa) != 0xffffffff) {
		c.ip = ip_of(&a.spa);
		c.mac = a.sha.p;
		c.bogon = ifnets_outside(&w->nets, f->ifindex, c.ip);
		claim(sn, &c);
	}
	if (op == ARP_OP_REPLY && station_mac(a.tha.p) &&
	    ip_of(&a.tpa) != 0 && ip_of(&a.tpa) != 0xffffffff) {
		c.ip = ip_of(&a.tpa);
		c.mac = a.tha.p;
		c.bogon = ifnets_outside(&w->nets, f->ifindex, c.ip);
		claim(sn, &c);
	}
}

static int
take_frame(void *ctx, const struct rxframe *f)
{
	struct sniffer *sn = ctx;

	/* The filter already kept other types out; a frame the kernel let
	 * through some other way is still not ARP. */
	if (!wanted(ctx, f))
		return 0;
	if (sn->watch == NULL || sn->verbose)
		format_frame(&sn->out, sn->format == ARP_OUT_JSON ||
		    sn->watch == NULL ? sn->format : ARP_OUT_BLOCK, f);
	if (sn->watch == NULL)
		return 1;
	/* Events count toward COUNT, not frames (put_event). */
	watch_frame(sn, f);
	return 0;
}

static void
flush_out(void *ctx)
{
	struct sniffer *sn = ctx;

	out_flush(&sn->out);
}

/* The state file. */

/* Opens FILE's directory (kept for the saves: the sandbox allows new
 * files relative to it alone) and loads the table from FILE if it is
 * there. A file that is not a state file, or is one but broken anywhere,
 * is refused as a whole. */
static void
load_state(struct watch *w, const char *path)
{
	char dir[PATH_MAX], base[PATH_MAX];
	const char *dname;
	struct stat st;
	char *text;
	size_t line, got = 0;
	const char *why;
	int fd;

	w->state = path;
	if (strlen(path) >= sizeof(dir) || *path == '\0')
		errx(2, "%s: bad state file name", shown(path));
	strlcpy(dir, path, sizeof(dir));
	strlcpy(base, path, sizeof(base));
	strlcpy(w->base, basename(base), sizeof(w->base));
	if (strcmp(w->base, "/") == 0 || strcmp(w->base, ".") == 0 ||
	    strcmp(w->base, "..") == 0 || strlen(w->base) + 6 > NAME_MAX)
		errx(2, "%s: bad state file name", shown(path));
	snprintf(w->tmp, sizeof(w->tmp), ".%s.tmp", w->base);
	dname = dirname(dir);
	if ((w->dirfd = open(dname, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		err(2, "%s", shown(dname));
	if (faccessat(w->dirfd, ".", W_OK | X_OK, AT_EACCESS) < 0)
		err(2, "%s: cannot save the state there", shown(dname));
	if ((fd = openat(w->dirfd, w->base, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return;		/* the first run */
		err(2, "%s", shown(path));
	}
	if (fstat(fd, &st) < 0)
		err(2, "%s", shown(path));
	if (!S_ISREG(st.st_mode))
		errx(2, "%s: not a regular file", shown(path));
	if (st.st_size > (off_t)STATIONS_MAX * STATE_LINE_MAX)
		errx(2, "%s: too large for a state file", shown(path));
	if ((text = malloc((size_t)st.st_size + 1)) == NULL)
		err(2, "malloc");
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, text + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(2, "%s", shown(path));
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (stations_load(&w->table, text, got, &line, &why) < 0)
		errx(2, "%s:%zu: %s", shown(path), line, why);
	free(text);
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The table in a new file beside FILE, on disk, then renamed over it: a
 * crash at any moment leaves the old table or the new one. */
static int
write_state(struct watch *w)
{
	char buf[64 * 1024];
	size_t len;
	int fd, e;

	if (unlinkat(w->dirfd, w->tmp, 0) < 0 && errno != ENOENT)
		return -1;
	fd = openat(w->dirfd, w->tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	len = (size_t)snprintf(buf, sizeof(buf), "%s\n", STATE_HEADER);
	for (size_t i = 0; i < w->table.n; i++) {
		if (len + STATE_LINE_MAX > sizeof(buf)) {
			if (write_all(fd, buf, len) < 0)
				goto fail;
			len = 0;
		}
		len += station_format(buf + len, &w->table.v[i]);
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (renameat(w->dirfd, w->tmp, w->dirfd, w->base) < 0)
		goto fail_closed;
	/* The rename itself on disk. */
	return fsync(w->dirfd);
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	errno = e;
fail_closed:
	e = errno;
	unlinkat(w->dirfd, w->tmp, 0);
	errno = e;
	return -1;
}

static void
save_state(struct watch *w)
{
	if (w->dirfd < 0)
		return;
	if (write_state(w) < 0) {
		warn("%s: cannot save the state", shown(w->state));
		w->save_failed = true;
	}
}

static void
on_hup(void *ctx)
{
	struct sniffer *sn = ctx;

	save_state(sn->watch);
}

/* SIGUSR1: the table and what it reported so far, then the frames. */
static void
on_usr1(void *ctx)
{
	struct sniffer *sn = ctx;
	const struct stations *t = &sn->watch->table;
	char line[256], *d = line;

	d += snprintf(d, sizeof(line), "%zu stations", t->n);
	for (int k = 0; k < ST_CLASSES; k++)
		d += snprintf(d, sizeof(line) - (size_t)(d - line), ", %llu %s",
		    t->counts[k], st_class_name((enum st_class)k));
	warnx("%s", line);
	report_progress((long long)sn->watch->frames, sock_drops(sn->sock),
	    0);
}

static void
watch_setup(void *ctx, struct loop *l)
{
	struct sniffer *sn = ctx;

	loop_on_usr1(l, on_usr1, sn);
	loop_on_hup(l, on_hup, sn);
}

static void
check_watch_options(const struct rawsniff_arp_opts *opt)
{
	if (opt->watch)
		return;
	if (opt->state != NULL)
		usage_error("--state needs --watch");
	if (opt->verbose)
		usage_error("-v needs --watch");
	if (opt->window != WINDOW_DEFAULT)
		usage_error("--conflict-window needs --watch");
}

int
rawsniff_arp_main(int argc, char *argv[])
{
	struct rawsniff_arp_opts opt = {
		.timeout = -1,
		.format = ARP_OUT_BLOCK,
		.vlan = -1,
		.window = WINDOW_DEFAULT,
	};
	struct rawsock sock;
	struct filter arp;
	struct sniffer sn = { .watch = NULL };
	struct watch *w = NULL;
	struct rxloop loop = {
		.sock = &sock, .frame = take_frame, .wanted = wanted,
		.ctx = &sn,
		.sandbox = SB_RECV,
	};
	struct optparse op;
	struct optval v;
	char ready[128];
	int status, c;

	/* The table fills opt; what is left is the applet's own. */
	opt_init(&op, &rawsniff_arp_options, &opt);
	while ((c = opt_next(&op, argc, argv, &v)) != -1)
		if (c == 'o')
			opt.format = parse_format(v.text);
	opt_no_operands(argc, argv, optind);
	if (opt.promisc && opt.ifname == NULL)
		usage_error("-p needs -i IFACE: every interface cannot be "
		    "made promiscuous");
	check_watch_options(&opt);
	loop.count = opt.count;

	sock_guard_stdio(false, true);
	/* A closed reader is an EPIPE from write(), handled in out.c. */
	signal(SIGPIPE, SIG_IGN);
	/* Every type, outgoing too, so the host's own ARP shows as in
	 * tcpdump; the kernel keeps everything but Ethernet ARP out of the
	 * socket (the link type matters when listening on every interface).
	 * sock_open attaches the filter before bind, so no other frame is
	 * ever queued. */
	filter_ethertype(&arp, ETHERTYPE_ARP, FILTER_ETHER_ONLY);
	sock_open(&sock, &(struct sock_config){
	    .ifname = opt.ifname, .proto = ETHERTYPE_ANY, .outgoing = true,
	    .promisc = opt.promisc, .filter = &arp.prog });
	if (opt.watch) {
		if ((w = calloc(1, sizeof(*w))) == NULL)
			err(2, "calloc");
		stations_init(&w->table, (uint64_t)(opt.window * 1e9));
		w->dirfd = -1;
		ifnets_read(&w->nets);
	}
	priv_drop(opt.user);
	/* After priv_drop(), as rawrecv's -w file: the state is read and
	 * written by the user we run as. */
	if (w != NULL && opt.state != NULL) {
		load_state(w, opt.state);
		loop.sandbox |= SB_STATEDIR(w->dirfd);
	}
	sn.format = opt.format;
	sn.vlan = opt.vlan;
	sn.watch = w;
	sn.verbose = opt.verbose;
	sn.rx = &loop;
	sn.sock = &sock;
	if (w != NULL)
		loop.setup = watch_setup;
	out_init(&sn.out, STDOUT_FILENO, OUT_BUFSIZE);
	loop.where = opt.ifname != NULL ? sock.ifname : "all interfaces";
	snprintf(ready, sizeof(ready), "listening on %s", shown(loop.where));
	status = rxloop_run(&loop, opt.timeout, opt.quiet ? NULL : ready,
	    flush_out);
	out_free(&sn.out);
	if (w != NULL) {
		save_state(w);
		if (w->save_failed)
			status = EXIT_ERROR;
		if (w->dirfd >= 0)
			close(w->dirfd);
		stations_free(&w->table);
		free(w);
	}
	sock_close(&sock);
	return status;
}
