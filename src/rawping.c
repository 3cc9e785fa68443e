/*
 * rawping: measure round trips to rawecho.
 *
 * usage: rawping -i IFACE [-Dq] [-c COUNT] [-d DEST] [-o FORMAT] [-R ETHERTYPE]
 *                [-s SIZE] [-t ETHERTYPE] [-W SECONDS] [-Z USER] [--busy-poll]
 *                [--histogram] [--interval SECONDS] [--timestamps KIND]
 *                [--vlan VID[:PCP]]
 */
#include <err.h>
#include <math.h>
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
#include "json.h"
#include "put.h"
#include "sandbox.h"
#include "probe.h"
#include "sock.h"
#include "txq.h"
#include "stats.h"
#include "loop.h"
#include "rxloop.h"

enum { OPT_INTERVAL = OPT_OWN, OPT_VLAN, OPT_HISTOGRAM,
    OPT_TIMESTAMPS };

/* Where the send time of a round trip comes from; the receive time is
 * the kernel's stamp in every case. */
enum stamps {
	STAMPS_USER,		/* the clock read just before send() */
	STAMPS_SOFTWARE,	/* the kernel's, as the driver took it */
	STAMPS_HARDWARE,	/* the NIC's */
};

static const char *const stamps_name[] = { "user", "software", "hardware" };

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
	bool		 print_time;	/* -D */
	bool		 json;		/* -o json */
	bool		 busy_poll;
	bool		 histogram;
	enum stamps	 stamps;
};

#define AT(field)	OPT_AT(struct rawping_opts, field)

const struct optspec rawping_options = {
	.usage =
"usage: rawping -i IFACE [-Dq] [-c COUNT] [-d DEST] [-o FORMAT] [-R ETHERTYPE]\n"
"               [-s SIZE] [-t ETHERTYPE] [-W SECONDS] [-Z USER] [--busy-poll]\n"
"               [--histogram] [--interval SECONDS] [--timestamps KIND]\n"
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
	OPT_SHARED(OPT_BUSY_POLL, .store = AT(busy_poll)),
	{ OPT_TIMESTAMPS, "timestamps", "KIND", OK_TEXT, .comp = OC_WORDS,
	    .words = "user software hardware",
	    .help = "where the send time comes from: user (default:\n"
	    "before send()), software (the kernel's transmit\n"
	    "stamp) or hardware (the NIC's)" },
	{ 'D', NULL, NULL, OK_FLAG,
	    .store = AT(print_time),
	    .help = "put the receive time, [seconds.micros], before\n"
	    "each reply" },
	{ 'o', "output", "FORMAT", OK_TEXT, .comp = OC_WORDS,
	    .words = "text json",
	    .help = "text (default), or json: a JSON object a line,\n"
	    "for each reply and for the summary" },
	{ OPT_HISTOGRAM, "histogram", NULL, OK_FLAG,
	    .store = AT(histogram),
	    .help = "end with a histogram of the round trips, a line\n"
	    "per doubling" },
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
	unsigned long long unstamped;	/* replies timed without a TX stamp */
	enum stamps	 stamps;	/* the kind in use, after fallback */
	uint64_t	 start_ns;
	uint64_t	 next_ns;	/* when the next request is due */
	uint64_t	 last_ns;	/* when the last one went */
	bool		 sending;	/* requests are still to go */
	bool		 awaiting;	/* the last request has no reply yet */
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
	p->awaiting = true;
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

/* The stamps waiting on the error queue go to their requests: OPT_ID
 * numbers the frames sent from 0, and every frame sent is a request. */
static void
take_stamps(void *ctx)
{
	struct pinger *p = ctx;
	uint32_t key;
	uint64_t ns;

	while (sock_tx_stamp(&p->sock, &key, &ns) == 1)
		probe_book_stamp(p->book, key + 1, ns);
}

/*
 * From the kernel's transmit stamp to its receive stamp, when both are
 * there and in order (not after what user space saw: user_ms); else
 * user_ms, and the reply is counted as unstamped.
 */
static double
stamped_trip(struct pinger *p, const struct probe_slot *s,
    const struct rxframe *f, double user_ms)
{
	if (s->tx_ns == 0)
		take_stamps(p);	/* a stamp later than its reply */
	if (s->tx_ns != 0 && f->has_ts && f->ts_ns >= s->tx_ns &&
	    (double)(f->ts_ns - s->tx_ns) / 1e6 <= user_ms)
		return (double)(f->ts_ns - s->tx_ns) / 1e6;
	p->unstamped++;
	return user_ms;
}

/* A reply as -o json gives it: {"type":"reply","seq":1,...}. */
static void
json_reply(struct pinger *p, const struct rxframe *f, uint32_t seq,
    double ms, double user_ms, const char *status, uint64_t when)
{
	char mac[MAC_TEXT_LEN], *b = out_reserve(&p->o, 320), *d = b;

	d = put_str(d, "{\"type\":\"reply\",\"seq\":");
	d = json_put_uint(d, seq);
	d = put_str(d, ",\"src\":");
	d = json_put_string(d, mac_format(f->data + MAC_LEN, mac));
	d = put_str(d, ",\"len\":");
	d = json_put_uint(d, f->len + (f->vlan ? VLAN_TAG_LEN : 0));
	d = put_str(d, ",\"ts_ns\":");
	d = json_put_uint(d, when);
	d = put_str(d, ",\"rtt_ns\":");
	d = json_put_uint(d, (unsigned long long)llround(ms * 1e6));
	if (p->stamps != STAMPS_USER) {
		d = put_str(d, ",\"user_rtt_ns\":");
		d = json_put_uint(d, (unsigned long long)llround(user_ms * 1e6));
	}
	d = put_str(d, ",\"status\":");
	d = json_put_string(d, status);
	d = put_str(d, "}\n");
	out_commit(&p->o, (size_t)(d - b));
}

/* note: "" for a reply, else " (DUP!)" or " (late)". */
static void
print_reply(struct pinger *p, const struct rxframe *f, uint32_t seq,
    double ms, double user_ms, const char *note)
{
	char mac[MAC_TEXT_LEN], user[40] = "", stamp[40] = "", *b;
	/* -D: the kernel's receive time, as ping -D prints its own. */
	uint64_t when = f->has_ts ? f->ts_ns : real_ns();
	int n;

	if (p->opt->quiet)
		return;
	if (p->opt->json) {
		json_reply(p, f, seq, ms, user_ms, note[0] == '\0' ? "reply" :
		    note[2] == 'D' ? "dup" : "late", when);
		return;
	}
	if (p->opt->print_time)
		snprintf(stamp, sizeof(stamp), "[%llu.%06llu] ",
		    (unsigned long long)(when / 1000000000u),
		    (unsigned long long)(when % 1000000000u / 1000u));
	/* Stamped: what user space saw beside it, for comparison. */
	if (p->stamps != STAMPS_USER)
		snprintf(user, sizeof(user), " user=%.3f ms", user_ms);
	b = out_reserve(&p->o, 192);
	/* The frame as it came, with the tag the kernel took out. */
	n = snprintf(b, 192, "%s%zu bytes from %s: seq=%u time=%.3f ms%s%s\n",
	    stamp, f->len + (f->vlan ? VLAN_TAG_LEN : 0),
	    mac_format(f->data + MAC_LEN, mac), seq, ms, user, note);
	out_commit(&p->o, n > 0 && n < 192 ? (size_t)n : 0);
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
	double ms, user_ms;

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
		user_ms = round_trip(slot, f, now_mono);
		ms = p->stamps == STAMPS_USER ? user_ms :
		    stamped_trip(p, slot, f, user_ms);
		p->received++;
		if (pr.seq + 1 == p->book->next_seq)
			p->awaiting = false;
		rtt_add(&p->rtt, ms);
		print_reply(p, f, pr.seq, ms, user_ms, "");
		break;
	case PROBE_DUP:
		p->dups++;
		user_ms = round_trip(slot, f, now_mono);
		print_reply(p, f, pr.seq, user_ms, user_ms, " (DUP!)");
		break;
	case PROBE_LATE:
		p->late++;
		if (slot != NULL) {
			user_ms = round_trip(slot, f, now_mono);
			print_reply(p, f, pr.seq, user_ms, user_ms,
			    " (late)");
		}
		break;
	case PROBE_FOREIGN:
		p->foreign++;
		break;
	}
	return 0;
}

static void
put_rtt_key(char **d, const char *key, double ms)
{
	*d = put_str(*d, key);
	*d = json_put_uint(*d, (unsigned long long)llround(ms * 1e6));
}

/* -o json's last line: the counts, and the round trips in ns. */
static void
json_summary(struct pinger *p, uint64_t elapsed)
{
	char mac[MAC_TEXT_LEN], line[768], *d = line;
	const struct rtt_stats *r = &p->rtt;

	d = put_str(d, "{\"type\":\"summary\",\"dest\":");
	d = json_put_string(d, mac_format(p->opt->dst, mac));
	d = put_str(d, ",\"transmitted\":");
	d = json_put_uint(d, p->sent);
	d = put_str(d, ",\"received\":");
	d = json_put_uint(d, p->received);
	d = put_str(d, ",\"duplicates\":");
	d = json_put_uint(d, p->dups);
	d = put_str(d, ",\"late\":");
	d = json_put_uint(d, p->late);
	d = put_str(d, ",\"foreign\":");
	d = json_put_uint(d, p->foreign);
	d = put_str(d, ",\"time_ns\":");
	d = json_put_uint(d, elapsed);
	d = put_str(d, ",\"timestamps\":");
	d = json_put_string(d, stamps_name[p->stamps]);
	d = put_str(d, ",\"unstamped\":");
	d = json_put_uint(d, p->unstamped);
	d = put_str(d, ",\"rtt_ns\":");
	if (r->n == 0)
		d = json_put_null(d);
	else {
		put_rtt_key(&d, "{\"min\":", r->min);
		put_rtt_key(&d, ",\"avg\":", rtt_avg(r));
		put_rtt_key(&d, ",\"max\":", r->max);
		put_rtt_key(&d, ",\"mdev\":", rtt_mdev(r));
		put_rtt_key(&d, ",\"median\":", rtt_quantile(r, 0.5));
		put_rtt_key(&d, ",\"p99\":", rtt_quantile(r, 0.99));
		d = put_str(d, "}");
	}
	d = put_str(d, "}\n");
	fwrite(line, 1, (size_t)(d - line), stdout);
}

/* ", N replies without a stamp, timed from user space", or "". */
static const char *
unstamped_note(const struct pinger *p, char *buf, size_t n)
{
	buf[0] = '\0';
	if (p->unstamped > 0)
		snprintf(buf, n, " (%llu repl%s without a stamp, timed from "
		    "user space)", p->unstamped, p->unstamped == 1 ? "y" : "ies");
	return buf;
}

static void
histogram_line(void *ctx, const char *text)
{
	(void)ctx;
	printf("%s\n", text);
}

static void
summary(struct pinger *p)
{
	char mac[MAC_TEXT_LEN], line[160];
	uint64_t elapsed = mono_ns() - p->start_ns;
	int n;

	if (p->opt->json) {
		json_summary(p, elapsed);
		goto flush;
	}
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
		n = (int)rtt_format_percentiles(line, sizeof(line), &p->rtt);
		printf("%.*s\n", n, line);
	}
	/* Which clocks the times came from, when not the usual ones. */
	if (p->stamps != STAMPS_USER)
		printf("timestamps: %s, kernel transmit to receive%s\n",
		    stamps_name[p->stamps], unstamped_note(p, line,
		    sizeof(line)));
	if (p->opt->histogram && p->received > 0) {
		printf("rtt histogram:\n");
		rtt_histogram(&p->rtt, histogram_line, NULL);
	}
flush:
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
	/* --busy-poll spins only while a reply is awaited, in time: between
	 * a reply and the next request it sleeps, which leaves the CPU to
	 * the kernel's own work there (a softirq deferred to ksoftirqd
	 * waits for a spinning process to be preempted: milliseconds). */
	if (p->opt->busy_poll)
		loop_spin(p->loop, p->awaiting && mono_ns() <
		    p->last_ns + (uint64_t)(p->opt->wait * 1e9));
	if (loop_stopped(p->loop) == STOP_NONE)
		schedule(p);
}

static enum loop_stop
run(struct pinger *p)
{
	p->next_ns = p->start_ns = mono_ns();
	p->sending = true;
	p->rx = (struct rxloop){ .loop = p->loop, .sock = &p->sock,
	    .where = p->sock.ifname, .frame = take, .ctx = p,
	    .errqueue = p->stamps != STAMPS_USER ? take_stamps : NULL };
	rx_attach(&p->rx);
	loop_on_idle(p->loop, after_wake, p);
	loop_on_usr1(p->loop, progress, p);
	schedule(p);
	return loop_run(p->loop);
}

static enum stamps
stamps_parse(const char *text)
{
	for (size_t i = 0; i < sizeof(stamps_name) / sizeof(stamps_name[0]);
	    i++)
		if (strcmp(text, stamps_name[i]) == 0)
			return (enum stamps)i;
	usage_error("invalid timestamps '%s' (user, software, hardware)",
	    shown(text));
}

/*
 * Asks for the stamps of --timestamps, before the sandbox; where the
 * interface has none of the kind, says so and takes the next best.
 * Hardware receive stamps are not read (they need the NIC's stamping
 * switched on, and its clock is not the system's): hardware falls back to
 * software, and software to user.
 */
static enum stamps
stamps_open(struct rawsock *s, enum stamps want)
{
	if (want == STAMPS_HARDWARE) {
		if (sock_tx_timestamps(s, true) < 0)
			warnx("%s: no hardware timestamps (%s): using software "
			    "ones", shown(s->ifname), strerror(errno));
		else
			warnx("%s: hardware receive stamps are not read: using "
			    "software ones", shown(s->ifname));
		want = STAMPS_SOFTWARE;
	}
	if (want == STAMPS_SOFTWARE && sock_tx_timestamps(s, false) < 0) {
		warnx("%s: no software transmit timestamps (%s): timing from "
		    "user space", shown(s->ifname), strerror(errno));
		want = STAMPS_USER;
	}
	return want;
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
		case 'o':
			if (strcmp(v.text, "json") == 0)
				opt.json = true;
			else if (strcmp(v.text, "text") != 0)
				usage_error("invalid output format '%s' (text, "
				    "json)", shown(v.text));
			break;
		case OPT_TIMESTAMPS:
			opt.stamps = stamps_parse(v.text);
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
	    .filter = &replies.prog, .busy_poll = opt.busy_poll });
	p.stamps = stamps_open(&p.sock, opt.stamps);
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
	loop_spin(p.loop, opt.busy_poll);
	sandbox_enter(SB_RECV | SB_SEND);

	if (opt.vlan_tci >= 0)
		snprintf(vlan, sizeof(vlan), ", VLAN %lld", opt.vlan_tci & 0xfff);
	if (!opt.json)
		printf("RAWPING %s from %s %s, ethertype 0x%04x%s: %lld bytes "
		    "of payload\n", mac_format(opt.dst, dst),
		    mac_format(p.sock.mac, mac), shown(p.sock.ifname), opt.type,
		    vlan, opt.size);
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
