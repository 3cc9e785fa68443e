#include <dlfcn.h>
#include <err.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>

#include "filter.h"
#include "pcapfile.h"

/*
 * Debian and Ubuntu name the runtime libpcap.so.0.8; Fedora, Arch,
 * Alpine and openSUSE libpcap.so.1; the bare name is the -dev symlink.
 * rawrecv(1) says this order.
 */
const char *const filter_libpcap_names[] = {
	"libpcap.so.0.8", "libpcap.so.1", "libpcap.so", NULL,
};

static struct libpcap {
	void	*handle;
	pcap_t	*(*open_dead)(int, int);
	int	 (*compile)(pcap_t *, struct bpf_program *, const char *, int,
		    bpf_u_int32);
	char	*(*geterr)(pcap_t *);
	void	 (*freecode)(struct bpf_program *);
	void	 (*close)(pcap_t *);
	int	 (*offline_filter)(const struct bpf_program *,
		    const struct pcap_pkthdr *, const u_char *);
} lib;

/* Opens one library and takes libpcap's functions from it, or says why
 * not in why (a static buffer) and leaves lib alone. */
static bool
try_load(const char *name, const char **why)
{
	static char reason[256];
	struct libpcap l = { 0 };

	if ((l.handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(reason, sizeof(reason), "%s", dlerror());
		*why = reason;
		return false;
	}
	*(void **)&l.open_dead = dlsym(l.handle, "pcap_open_dead");
	*(void **)&l.compile = dlsym(l.handle, "pcap_compile");
	*(void **)&l.geterr = dlsym(l.handle, "pcap_geterr");
	*(void **)&l.freecode = dlsym(l.handle, "pcap_freecode");
	*(void **)&l.close = dlsym(l.handle, "pcap_close");
	*(void **)&l.offline_filter = dlsym(l.handle, "pcap_offline_filter");
	if (!l.open_dead || !l.compile || !l.geterr || !l.freecode ||
	    !l.close || !l.offline_filter) {
		snprintf(reason, sizeof(reason), "%s: lacks a libpcap function",
		    name);
		*why = reason;
		dlclose(l.handle);
		return false;
	}
	lib = l;
	return true;
}

const char *
filter_load(const char *const *names, char *errbuf, size_t errlen)
{
	const char *why = "no library to try";
	size_t n;

	for (size_t i = 0; names[i] != NULL; i++)
		if (try_load(names[i], &why))
			return names[i];
	n = (size_t)snprintf(errbuf, errlen, "filters need libpcap (tried");
	for (size_t i = 0; names[i] != NULL && n < errlen; i++)
		n += (size_t)snprintf(errbuf + n, errlen - n, "%s%s",
		    i ? ", " : " ", names[i]);
	if (n < errlen)
		snprintf(errbuf + n, errlen - n, "): %s", why);
	return NULL;
}

static int
load(char *errbuf, size_t errlen)
{
	if (lib.handle != NULL)
		return 0;
	return filter_load(filter_libpcap_names, errbuf, errlen) != NULL ?
	    0 : -1;
}

int
filter_compile(struct filter *f, const char *expr, char *errbuf,
    size_t errlen)
{
	struct bpf_program *bp;
	pcap_t *p;

	memset(f, 0, sizeof(*f));
	if (load(errbuf, errlen) < 0)
		return -1;
	if ((p = lib.open_dead(DLT_EN10MB, PCAP_SNAPLEN)) == NULL) {
		snprintf(errbuf, errlen, "pcap_open_dead failed");
		return -1;
	}
	if ((bp = calloc(1, sizeof(*bp))) == NULL)
		err(2, "calloc");
	if (lib.compile(p, bp, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(errbuf, errlen, "%s", lib.geterr(p));
		lib.close(p);
		free(bp);
		return -1;
	}
	lib.close(p);
	/* struct bpf_insn and struct sock_filter share one layout. */
	f->prog.len = (unsigned short)bp->bf_len;
	f->prog.filter = (struct sock_filter *)bp->bf_insns;
	f->pcap_prog = bp;
	return 0;
}

int
filter_match(const struct filter *f, const uint8_t *frame, size_t len,
    size_t wirelen)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)wirelen;
	return lib.offline_filter(f->pcap_prog, &h, frame);
}

/* Loads an ancillary word and compares it with k; returns where the
 * jump is, for its offset to the drop to be filled in. */
static size_t
test(struct sock_filter *c, size_t *n, uint32_t what, uint32_t k)
{
	c[(*n)++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    SKF_AD_OFF + what);
	c[*n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k,
	    0, 0);
	return (*n)++;
}

void
filter_ethertype(struct filter *f, uint16_t type, unsigned int flags)
{
	struct sock_filter *c = f->own;
	size_t at[2], nat = 0, n = 0;
	bool on_equal[2];

	memset(f, 0, sizeof(*f));
	if (flags & FILTER_NO_OUTGOING) {
		on_equal[nat] = true;	/* outgoing: drop */
		at[nat++] = test(c, &n, SKF_AD_PKTTYPE, PACKET_OUTGOING);
	}
	if (flags & FILTER_ETHER_ONLY) {
		on_equal[nat] = false;	/* not Ethernet: drop */
		at[nat++] = test(c, &n, SKF_AD_HATYPE, ARPHRD_ETHER);
	}
	c[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12);
	c[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, type,
	    0, 1);
	/* c[n] takes all of the frame, c[n + 1] drops it. */
	for (size_t i = 0; i < nat; i++) {
		uint8_t off = (uint8_t)(n - at[i]);

		if (on_equal[i])
			c[at[i]].jt = off;
		else
			c[at[i]].jf = off;
	}
	c[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffffffffu);
	c[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	f->prog.len = (unsigned short)n;
	f->prog.filter = f->own;
}

void
filter_free(struct filter *f)
{
	if (f->pcap_prog != NULL) {
		lib.freecode(f->pcap_prog);
		free(f->pcap_prog);
	}
	memset(f, 0, sizeof(*f));
}
