#ifndef RAWSOCK_FILTER_H
#define RAWSOCK_FILTER_H
/*
 * tcpdump-style filter expressions, compiled by libpcap into classic BPF
 * for SO_ATTACH_FILTER. libpcap (and the dozen libraries it pulls in) is
 * loaded with dlopen() only when a filter is given, so plain runs start as
 * fast as /bin/true.
 */

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

/* The longest program filter_ethertype() builds. */
#define FILTER_OWN_MAX	8

struct filter {
	struct sock_fprog prog;
	void	*pcap_prog;	/* libpcap's struct bpf_program, for files */
	struct sock_filter own[FILTER_OWN_MAX]; /* a program of ours */
};

/* What filter_ethertype()'s program drops besides the other types. */
#define FILTER_NO_OUTGOING	0x1	/* the frames the host sends */
#define FILTER_ETHER_ONLY	0x2	/* frames of links that are not
					 * Ethernet (on a tun or ppp device
					 * byte 12 is inside an IP header) */

/* The names libpcap is looked for under, in order; NULL ends them. */
extern const char *const filter_libpcap_names[];
/*
 * Loads the first of names that opens and has libpcap's functions, for
 * filter_compile() to use; returns its name. NULL if none does, with the
 * names tried and the last one's reason in errbuf. filter_compile()
 * calls it with filter_libpcap_names the first time.
 */
const char *filter_load(const char *const *names, char *errbuf,
	    size_t errlen);
/* 0, or -1 with libpcap's reason (or why it could not load) in err. */
int	filter_compile(struct filter *f, const char *expr, char *err,
	    size_t errlen);
/*
 * The one builder of our own programs, no libpcap: frames of one
 * ethertype (the one behind any VLAN tag, which the kernel has taken
 * out), less what flags (FILTER_*) drop. f->prog points into f itself.
 */
void	filter_ethertype(struct filter *f, uint16_t type, unsigned int flags);
/* For frames read from a file: nonzero if the frame passes. */
int	filter_match(const struct filter *f, const uint8_t *frame, size_t len,
	    size_t wirelen);
void	filter_free(struct filter *f);

#endif
