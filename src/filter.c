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

#define LIBPCAP	"libpcap.so.0.8"

static struct {
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

static int
load(char *errbuf, size_t errlen)
{
	if (lib.handle != NULL)
		return 0;
	if ((lib.handle = dlopen(LIBPCAP, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(errbuf, errlen, "filters need libpcap: %s", dlerror());
		return -1;
	}
	*(void **)&lib.open_dead = dlsym(lib.handle, "pcap_open_dead");
	*(void **)&lib.compile = dlsym(lib.handle, "pcap_compile");
	*(void **)&lib.geterr = dlsym(lib.handle, "pcap_geterr");
	*(void **)&lib.freecode = dlsym(lib.handle, "pcap_freecode");
	*(void **)&lib.close = dlsym(lib.handle, "pcap_close");
	*(void **)&lib.offline_filter = dlsym(lib.handle,
	    "pcap_offline_filter");
	if (!lib.open_dead || !lib.compile || !lib.geterr || !lib.freecode ||
	    !lib.close || !lib.offline_filter) {
		snprintf(errbuf, errlen, "%s lacks a needed function", LIBPCAP);
		return -1;
	}
	return 0;
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
