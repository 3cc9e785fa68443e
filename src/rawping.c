/*
 * rawping: measure round trips to rawecho.
 *
 * usage: rawping -i IFACE [-q] [-c COUNT] [-d DEST] [-R ETHERTYPE] [-s SIZE]
 *                [-t ETHERTYPE] [-W SECONDS] [-Z USER] [--interval SECONDS]
 *                [--vlan VID[:PCP]]
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
#include "num.h"
#include "opts.h"
#include "out.h"
#include "priv.h"
#include "sandbox.h"
#include "probe.h"
#include "sock.h"
#include "txq.h"
#include "stats.h"
#include "loop.h"
#include "rxloop.h"

enum { OPT_INTERVAL = OPT_OWN, OPT_VLAN };

struct rawping_opts {
	const char	*ifname;
	const char	*user;		/* -Z */
	uint16_t	 type;
	uint16_t	 reply_type;
	bool		 have_reply_type;
	uint8_t		 dst[MAC_LEN];
	long long	 count;		/* 0: until interrupted */
	double		 interval;
	long long	 size;
	double		 wait;
	long long	 vlan_tci;	/* -1: no --vlan */
	bool		 quiet;
};

#define AT(field)	OPT_AT(struct rawping_opts, field)

const struct optspec rawping_options = {
	.usage =
"usage: rawping -i IFACE [-q] [-c COUNT] [-d DEST] [-R ETHERTYPE] [-s SIZE]\n"
"               [-t ETHERTYPE] [-W SECONDS] [-Z USER] [--interval SECONDS]\n"
"               [--vlan VID[:PCP]]\n"
"\n"
"Send echo requests to rawecho servers and report the round trips.\n",
	.footer = "Exit status: 0 a reply came, 1 none did, 2 error.\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .store = AT(ifname),
	    .help = "interface to send on (default: $RAWSOCK_IFACE)"),
	{ 'd', "dest", "MAC", OK_MAC,
	    .store = AT(dst),
	    .help = "where to send (default ff:ff:ff:ff:ff:ff: every\n"
	    "server on the link answers)" },
	OPT_SHARED('t', .store = AT(type),
	    .no_any = "a request carries one ethertype"),
	/* -r is a file in rawsend and rawrecv; here it stays as an alias. */
	{ 'R', "reply-type", "ETHERTYPE", OK_ETHERTYPE, .comp = OC_ETHERTYPE,
	    .help = "the type replies come with (default: -t's)",
	    .no_any = "rawping waits for replies of one ethertype (any would "
	    "take every frame on the link for a reply)" },
	{ 'r', .alias = 'R' },
	OPT_SHARED('c', .store = AT(count),
	    .help = "stop after COUNT requests (default: until ^C)"),
	{ OPT_INTERVAL, "interval", "SECONDS", OK_SECONDS,
	    .store = AT(interval),
	    .help = "wait between requests (default 1)" },
	{ 's', "size", "SIZE", OK_RANGE, PROBE_HDR_LEN, 65535, .unit = " bytes",
	    .usage = true,
	    .store = AT(size),
	    .help = "payload bytes per request (default 46, at least 24)" },
	{ 'W', "wait", "SECONDS", OK_POSITIVE_SECONDS, .usage = true,
	    .store = AT(wait),
	    .help = "how long a reply may take, and how long to wait\n"
	    "after the last request (default 1)" },
	{ OPT_VLAN, "vlan", "VID[:PCP]", OK_VLAN,
	    .store = AT(vlan_tci),
	    .help = "send requests tagged with 802.1Q VLAN VID, and\n"
	    "take only replies tagged with VID" },
	OPT_SHARED('Z', .store = AT(user)),
	OPT_SHARED('q', .store = AT(quiet),
	    .help = "only the first line and the summary"),
	OPT_SHARED('h'),
	OPT_SHARED(OPT_VERSION),
	{ 0 } },
};

#define DEFAULT_SIZE	46	/* the smallest Ethernet payload: no padding */
#define OUT_BUFSIZE	(64 * 1024)


struct pinger {
	const struct rawping_opts *opt;
	struct rawsock	 sock;
	struct txq	 q;
	struct out	 o;
	struct loop	*loop;
	struct rxloop	 rx;
	struct probe_book *book;
	struct rtt_stats rtt;
	struct framer	 fr;		/* header, any tag, padding */
	uint8_t		*payload;
	unsigned long long sent;
	unsigned long long received;
	unsigned long long dups;
	unsigned long long late;
	unsigned long long foreign;
	uint64_t	 start_ns;
	uint64_t	 next_ns;	/* when the next request is due */
	uint64_t	 last_ns;	/* when the last one went */
	bool		 sending;	/* requests are still to go */
};

static void
send_probe(struct pinger *p)
{
	struct probe pr = { .id = p->book->id, .seq = p->book->next_seq };
	struct iovec parts[FRAMER_PARTS];
	uint64_t real;
	int n;

	/* Both clocks just before the frame goes: the payload carries the
	 * monotonic one; the realtime one pairs with the kernel's receive
	 * timestamp. */
	pr.sent_ns = mono_ns();
	real = real_ns();
	probe_build(p->payload, (size_t)p->opt->size, &pr);
	n = framer_build(&p->fr, p->payload, (size_t)p->opt->size, parts);
	if (txq_addv(&p->q, parts, n) < 0 || txq_flush(&p->q) < 0) {
		/* The one stop path says why. */
		if (p->rx.error == 0)
			p->rx.error = errno;
		loop_stop(p->loop, STOP_FAILED);
		return;
	}
	probe_book_sent(p->book, pr.sent_ns, real);
	p->sent++;
}

/*
 * The round trip in ms. The kernel's receive stamp is CLOCK_REALTIME, so
 * it is paired with the realtime send time; if the wall clock stepped in
 * between, the result falls outside [0, what user space saw], and the
 * monotonic pair is used instead.
 */
static double
round_trip(const struct probe_slot *s, const struct rxframe *f,
    uint64_t now_mono)
{
	uint64_t user = now_mono - s->mono_ns;

	if (f->has_ts && f->ts_ns >= s->real_ns &&
	    f->ts_ns - s->real_ns <= user)
		return (double)(f->ts_ns - s->real_ns) / 1e6;
	return (double)user / 1e6;
}

static void
print_reply(struct pinger *p, const struct rxframe *f, uint32_t seq,
    double ms, const char *note)
{
	char mac[MAC_TEXT_LEN], *b;
	int n;

	if (p->opt->quiet)
		return;
	b = out_reserve(&p->o, 128);
	/* The frame as it came, with the tag the kernel took out. */
	n = snprintf(b, 128, "%zu bytes from %s: seq=%u time=%.3f ms%s\n",
	    f->len + (f->vlan ? VLAN_TAG_LEN : 0), mac_format(f->data + MAC_LEN, mac), seq, ms, note);
	out_commit(&p->o, n > 0 && n < 128 ? (size_t)n : 0);
}

/* A reply comes on the requests' VLAN (the kernel hands the tag beside
 * the frame), or untagged (VLAN 0, priority only, too) without --vlan. */
static bool
on_our_vlan(const struct pinger *p, const struct rxframe *f)
{
	int vid = f->vlan ? f->vlan_tci & 0xfff : 0;

	return vid == (p->opt->vlan_tci < 0 ? 0 : p->opt->vlan_tci & 0xfff);
}

static int
take(void *ctx, const struct rxframe *f)
{
	struct pinger *p = ctx;
	const struct probe_slot *slot;
	uint64_t now_mono = mono_ns();
	struct probe pr;
	double ms;

	/* Our own requests, come back unchanged (on lo every frame does, and
	 * a reflecting switch port sends them back), are never replies. */
	if (f->len < FRAME_HDR_LEN || f->pkttype == PACKET_OTHERHOST ||
	    f->pkttype == PACKET_OUTGOING ||
	    memcmp(f->data + MAC_LEN, p->sock.mac, MAC_LEN) == 0 ||
	    !on_our_vlan(p, f) || probe_parse(f->data + FRAME_HDR_LEN, f->len - FRAME_HDR_LEN,
	    (size_t)p->opt->size, &pr) < 0) {
		p->foreign++;
		return 0;
	}
	switch (probe_book_match(p->book, &pr, now_mono, &slot)) {
	case PROBE_REPLY:
		ms = round_trip(slot, f, now_mono);
		p->received++;
		rtt_add(&p->rtt, ms);
		print_reply(p, f, pr.seq, ms, "");
		break;
	case PROBE_DUP:
		p->dups++;
		print_reply(p, f, pr.seq, round_trip(slot, f, now_mono),
		    " (DUP!)");
		break;
	case PROBE_LATE:
		p->late++;
		if (slot != NULL)
			print_reply(p, f, pr.seq, round_trip(slot, f,
			    now_mono), " (late)");
		break;
	case PROBE_FOREIGN:
		p->foreign++;
		break;
	}
	return 0;
}

static void
summary(struct pinger *p)
{
	char mac[MAC_TEXT_LEN], line[160];
	uint64_t elapsed = mono_ns() - p->start_ns;
	int n;

	printf("--- %s rawping statistics ---\n", mac_format(p->opt->dst, mac));
	printf("%llu frames transmitted, %llu received", p->sent, p->received);
	if (p->dups > 0)
		printf(", +%llu duplicate%s", p->dups, p->dups == 1 ? "" : "s");
	if (p->late > 0)
		printf(", %llu late", p->late);
	if (p->foreign > 0)
		printf(", %llu foreign", p->foreign);
	printf(", %g%% loss, time %llums\n", loss_percent(p->sent,
	    p->received), (unsigned long long)(elapsed / 1000000u));
	if (p->received > 0) {
		n = (int)rtt_format(line, sizeof(line), &p->rtt);
		printf("%.*s\n", n, line);
	}
	if (fflush(stdout) != 0 && errno != EPIPE)
		err(2, "write error on standard output");
}

/* SIGUSR1: the counts so far, as iputils ping gives them on SIGQUIT. */
static void
progress(void *ctx)
{
	struct pinger *p = ctx;

	fprintf(stderr, "%s: %llu/%llu frames, %g%% loss\n", getprogname(),
	    p->received, p->sent, loss_percent(p->sent, p->received));
}

static void tick(void *ctx);

/* Sets the timer for the next request or, after the last one, for the
 * end of the wait; ends the run once every request has its reply. */
static void
schedule(struct pinger *p)
{
	uint64_t linger = (uint64_t)(p->opt->wait * 1e9);
	struct timespec when;

	if (!p->sending && (p->received >= p->sent ||
	    mono_ns() >= p->last_ns + linger)) {
		loop_stop(p->loop, STOP_DONE);
		return;
	}
	when = timespec_from_ns(p->sending ? p->next_ns : p->last_ns + linger);
	loop_timer(p->loop, &when, tick, p);
}

/* Sends on an absolute schedule; replies come in between. */
static void
tick(void *ctx)
{
	struct pinger *p = ctx;
	uint64_t now = mono_ns();

	if (p->sending && now >= p->next_ns) {
		send_probe(p);
		p->last_ns = now;
		p->next_ns += (uint64_t)(p->opt->interval * 1e9);
		/* After a stall, do not send a burst to catch up. */
		if (p->next_ns < now)
			p->next_ns = now;
		if (p->opt->count > 0 &&
		    p->sent >= (unsigned long long)p->opt->count)
			p->sending = false;
	}
}

static void
after_wake(void *ctx)
{
	struct pinger *p = ctx;

	out_flush(&p->o);
	if (loop_stopped(p->loop) == STOP_NONE)
		schedule(p);
}

static enum loop_stop
run(struct pinger *p)
{
	p->next_ns = p->start_ns = mono_ns();
	p->sending = true;
	p->rx = (struct rxloop){ .loop = p->loop, .sock = &p->sock,
	    .where = p->sock.ifname, .frame = take, .ctx = p };
	rx_attach(&p->rx);
	loop_on_idle(p->loop, after_wake, p);
	loop_on_usr1(p->loop, progress, p);
	schedule(p);
	return loop_run(p->loop);
}

static uint32_t
random_id(void)
{
	uint32_t id;

	/* The id tells our replies from another rawping's on the link. */
	do
		id = arc4random();
	while (id == 0);
	return id;
}

int
rawping_main(int argc, char *argv[])
{
	struct rawping_opts opt = {
		.type = 0xeefa,
		.interval = 1,
		.size = DEFAULT_SIZE,
		.wait = 1,
		.vlan_tci = -1,
	};
	struct pinger p = { .opt = &opt };
	struct filter replies;
	char mac[MAC_TEXT_LEN], dst[MAC_TEXT_LEN], vlan[24] = "";
	enum loop_stop why;
	struct optparse op;
	struct optval v;
	int c;

	memcpy(opt.dst, mac_broadcast, MAC_LEN);
	opt_init(&op, &rawping_options, &opt);
	while ((c = opt_next(&op, argc, argv, &v)) != -1) {
		switch (c) {
		case 'R':
			opt.reply_type = v.type;
			opt.have_reply_type = true;
			break;
		}
	}
	opt_no_operands(argc, argv, optind);
	opt.ifname = opt_need_iface(opt.ifname);
	if (!opt.have_reply_type)
		opt.reply_type = opt.type;

	signal(SIGPIPE, SIG_IGN);
	/* One socket: it sends the requests and receives only incoming
	 * frames of the reply type. Bound to every type, as a socket bound
	 * to one gets a tagged frame only once the kernel has thrown its
	 * tag away (and called it a frame for another host). */
	filter_ethertype(&replies, opt.reply_type, FILTER_NO_OUTGOING);
	sock_open(&p.sock, &(struct sock_config){
	    .ifname = opt.ifname, .proto = ETHERTYPE_ANY,
	    .filter = &replies.prog });
	priv_drop(opt.user);
	if ((unsigned long long)opt.size > p.sock.mtu)
		errx(2, "size %lld exceeds the MTU of %s (%u bytes)", opt.size,
		    shown(p.sock.ifname), p.sock.mtu);
	if ((p.payload = malloc((size_t)opt.size)) == NULL ||
	    (p.book = malloc(sizeof(*p.book))) == NULL)
		err(2, "malloc");
	probe_book_init(p.book, random_id(), opt.wait);
	rtt_init(&p.rtt);
	txq_init(&p.q, &p.sock);
	framer_init(&p.fr, opt.dst, p.sock.mac, opt.type, (int)opt.vlan_tci,
	    false, PAD_TAGGED, p.sock.mtu);
	out_init(&p.o, STDOUT_FILENO, OUT_BUFSIZE);
	p.loop = loop_new(-1, true);
	sandbox_enter(SB_RECV | SB_SEND);

	if (opt.vlan_tci >= 0)
		snprintf(vlan, sizeof(vlan), ", VLAN %lld", opt.vlan_tci & 0xfff);
	printf("RAWPING %s from %s %s, ethertype 0x%04x%s: %lld bytes of "
	    "payload\n", mac_format(opt.dst, dst), mac_format(p.sock.mac, mac),
	    shown(p.sock.ifname), opt.type, vlan, opt.size);
	fflush(stdout);
	why = run(&p);
	out_flush(&p.o);
	if (why == STOP_FAILED)
		rx_report_error(&p.rx, p.received);
	summary(&p);
	loop_free(p.loop);
	out_free(&p.o);
	free(p.payload);
	free(p.book);
	sock_close(&p.sock);
	if (why == STOP_FAILED)
		return EXIT_ERROR;
	return p.received > 0 ? EXIT_OK : EXIT_TIMEOUT;
}
