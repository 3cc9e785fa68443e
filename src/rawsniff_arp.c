/*
 * rawsniff-arp: decode ARP frames as the socket cheatsheet prints them.
 *
 * usage: rawsniff-arp [-pq] [-c COUNT] [-i IFACE] [-o FORMAT] [-Z USER]
 *                     [--timeout SECONDS]
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "arp.h"
#include "filter.h"
#include "frame.h"
#include "opts.h"
#include "out.h"
#include "priv.h"
#include "sandbox.h"
#include "rxloop.h"
#include "sock.h"

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
	long long	 vlan;		/* -1: tagged or not */
};

#define AT(field)	OPT_AT(struct rawsniff_arp_opts, field)

enum { OPT_VLAN = OPT_OWN };

const struct optspec rawsniff_arp_options = {
	.usage =
"usage: rawsniff-arp [-pq] [-c COUNT] [-i IFACE] [-o FORMAT] [-Z USER]\n"
"                    [--timeout SECONDS] [--vlan VID]\n"
"\n"
"Print every ARP frame (ethertype 0x0806) the host receives or sends, as\n"
"the socket cheatsheet's ARP sniffer does. Other frames are dropped by a\n"
"filter in the kernel.\n",
	.footer =
"Exit status: 0 done (COUNT frames, or a signal), 1 timeout, 2 error.\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .store = AT(ifname),
	    .help = "interface to listen on (default: all of them)"),
	OPT_SHARED('c', .store = AT(count),
	    .help = "exit 0 after COUNT ARP frames"),
	OPT_SHARED(OPT_TIMEOUT, .store = AT(timeout)),
	{ 'o', "output", "FORMAT", OK_TEXT, .comp = OC_WORDS,
	    .words = "block line json",
	    .help = "block (default: the cheatsheet's), line (one\n"
	    "tcpdump-like line each), json (one object each)" },
	{ 'p', "promisc", NULL, OK_FLAG, .store = AT(promisc),
	    .help = "promiscuous mode while running (needs -i)" },
	{ OPT_VLAN, "vlan", "VID", OK_RANGE, 0, 4094, .what = "VLAN ID",
	    .store = AT(vlan), .help = "only ARP tagged with 802.1Q VLAN VID" },
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

struct sniffer {
	enum arp_output	 format;
	long long	 vlan;
	struct out	 out;
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

static int
take_frame(void *ctx, const struct rxframe *f)
{
	struct sniffer *sn = ctx;

	/* The filter already kept other types out; a frame the kernel let
	 * through some other way is still not ARP. */
	if (!wanted(ctx, f))
		return 0;
	format_frame(&sn->out, sn->format, f);
	return 1;
}

static void
flush_out(void *ctx)
{
	struct sniffer *sn = ctx;

	out_flush(&sn->out);
}

int
rawsniff_arp_main(int argc, char *argv[])
{
	struct rawsniff_arp_opts opt = {
		.timeout = -1,
		.format = ARP_OUT_BLOCK,
		.vlan = -1,
	};
	struct rawsock sock;
	struct filter arp;
	struct sniffer sn;
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
	priv_drop(opt.user);
	sn.format = opt.format;
	sn.vlan = opt.vlan;
	out_init(&sn.out, STDOUT_FILENO, OUT_BUFSIZE);
	loop.where = opt.ifname != NULL ? sock.ifname : "all interfaces";
	snprintf(ready, sizeof(ready), "listening on %s", shown(loop.where));
	status = rxloop_run(&loop, opt.timeout, opt.quiet ? NULL : ready,
	    flush_out);
	out_free(&sn.out);
	sock_close(&sock);
	return status;
}
