/*
 * Unit tests for filter.c's builder of our own programs: run through a
 * small interpreter of the classic BPF it emits, every program must make
 * the kernel's decision that the hand-written programs it replaced made
 * (rawrecv -t, rawecho, rawsniff-arp), for every packet type, link type
 * and ethertype tried.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <net/if_arp.h>
#include <linux/filter.h>
#include <linux/if_packet.h>

#include "filter.h"
#include "unit.h"

struct pkt {
	uint32_t	pkttype, hatype;
	uint16_t	type;
};

/* The instructions the programs use; anything else fails the test. */
static long
run(const struct sock_filter *c, size_t len, const struct pkt *p)
{
	uint32_t a = 0;

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *i = &c[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k == (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE))
				a = p->pkttype;
			else if (i->k == (uint32_t)(SKF_AD_OFF + SKF_AD_HATYPE))
				a = p->hatype;
			else
				return -1;
			break;
		case BPF_LD | BPF_H | BPF_ABS:
			if (i->k != 12)
				return -1;
			a = p->type;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == i->k ? i->jt : i->jf;
			break;
		case BPF_RET | BPF_K:
			return i->k;
		default:
			return -1;
		}
	}
	return -1;	/* ran off the end: the kernel refuses that */
}

/* The programs as they were written by hand. */
static const struct sock_filter old_recv[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 2, 0),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x88b5, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, 0),
	BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
};
static const struct sock_filter old_echo[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x88b5, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffffffffu),
	BPF_STMT(BPF_RET | BPF_K, 0),
};
static const struct sock_filter old_arp[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_HATYPE),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARPHRD_ETHER, 0, 3),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0806, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

#define LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Whether f decides as old does on every frame of the grid. */
static bool
same(const struct filter *f, const struct sock_filter *old, size_t oldlen)
{
	static const uint32_t pkttypes[] = { PACKET_HOST, PACKET_BROADCAST,
	    PACKET_MULTICAST, PACKET_OTHERHOST, PACKET_OUTGOING };
	static const uint32_t hatypes[] = { ARPHRD_ETHER, ARPHRD_LOOPBACK,
	    ARPHRD_NONE, ARPHRD_PPP };
	static const uint16_t types[] = { 0x0000, 0x0800, 0x0806, 0x86dd,
	    0x8100, 0x88b5, 0xffff };

	if (f->prog.filter != f->own || f->prog.len > FILTER_OWN_MAX)
		return false;
	for (size_t i = 0; i < LEN(pkttypes); i++)
		for (size_t j = 0; j < LEN(hatypes); j++)
			for (size_t k = 0; k < LEN(types); k++) {
				struct pkt p = { pkttypes[i], hatypes[j],
				    types[k] };
				long got = run(f->prog.filter, f->prog.len, &p);

				if (got < 0 || got != run(old, oldlen, &p))
					return false;
			}
	return true;
}

/* libpcap under the names of several distributions: the first that
 * loads and has its functions is taken, in the documented order. */
static void
test_load(void)
{
	static const char *const absent[] = {
		"libpcap.so.absent-1", "libpcap.so.absent-2", NULL };
	static const char *const fallback[] = {
		"libpcap.so.absent-1", "libc.so.6", "libpcap.so.0.8", NULL };
	struct filter f;
	char err[512];
	const char *got;

	CHECK(strcmp(filter_libpcap_names[0], "libpcap.so.0.8") == 0 &&
	    strcmp(filter_libpcap_names[1], "libpcap.so.1") == 0 &&
	    strcmp(filter_libpcap_names[2], "libpcap.so") == 0 &&
	    filter_libpcap_names[3] == NULL,
	    "libpcap: Debian's soname, then others', then the bare name");
	got = filter_load(absent, err, sizeof(err));
	CHECK(got == NULL && strncmp(err, "filters need libpcap (tried "
	    "libpcap.so.absent-1, libpcap.so.absent-2): libpcap.so.absent-2: ",
	    87) == 0, "libpcap: none loads, the names tried are said");
	got = filter_load(fallback, err, sizeof(err));
	CHECK_STR(got, "libpcap.so.0.8",
	    "libpcap: an absent name, then one without libpcap's functions, "
	    "then the one that has them");
	CHECK(filter_compile(&f, "arp", err, sizeof(err)) == 0,
	    "libpcap: the library loaded compiles");
	filter_free(&f);
}

int
main(void)
{
	struct filter f;

	test_load();

	filter_ethertype(&f, 0x88b5, FILTER_NO_OUTGOING);
	CHECK(same(&f, old_recv, LEN(old_recv)),
	    "rawrecv -t: one type, none outgoing");
	filter_free(&f);
	filter_ethertype(&f, 0x88b5, 0);
	CHECK(same(&f, old_echo, LEN(old_echo)),
	    "rawecho: one type, outgoing too");
	CHECK(f.prog.len == LEN(old_echo) &&
	    memcmp(f.own, old_echo, sizeof(old_echo)) == 0,
	    "rawecho: the very program it was");
	filter_ethertype(&f, 0x0806, FILTER_ETHER_ONLY);
	CHECK(same(&f, old_arp, LEN(old_arp)),
	    "rawsniff-arp: ARP on Ethernet links only");
	CHECK(f.prog.len == LEN(old_arp) &&
	    memcmp(f.own, old_arp, sizeof(old_arp)) == 0,
	    "rawsniff-arp: the very program it was (its bats test reads it)");
	filter_ethertype(&f, 0x0806, FILTER_ETHER_ONLY | FILTER_NO_OUTGOING);
	CHECK(f.prog.len <= FILTER_OWN_MAX && run(f.prog.filter, f.prog.len,
	    &(struct pkt){ PACKET_OUTGOING, ARPHRD_ETHER, 0x0806 }) == 0 &&
	    run(f.prog.filter, f.prog.len,
	    &(struct pkt){ PACKET_HOST, ARPHRD_PPP, 0x0806 }) == 0 &&
	    run(f.prog.filter, f.prog.len,
	    &(struct pkt){ PACKET_HOST, ARPHRD_ETHER, 0x0806 }) == 0xffffffff,
	    "both flags: both drops");
	return unit_done();
}
