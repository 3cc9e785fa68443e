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

struct filter {
	struct sock_fprog prog;
	void	*pcap_prog;	/* libpcap's struct bpf_program, for files */
	struct sock_filter *own; /* a program of ours, not libpcap's */
};

/* 0, or -1 with libpcap's reason (or why it could not load) in err. */
int	filter_compile(struct filter *f, const char *expr, char *err,
	    size_t errlen);
/* Our own program, no libpcap: frames of one ethertype, none outgoing. */
void	filter_ethertype(struct filter *f, uint16_t type);
/* For frames read from a file: nonzero if the frame passes. */
int	filter_match(const struct filter *f, const uint8_t *frame, size_t len,
	    size_t wirelen);
void	filter_free(struct filter *f);

#endif
