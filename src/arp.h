#ifndef RAWSOCK_ARP_H
#define RAWSOCK_ARP_H
/*
 * ARP decoding and its three text forms. Pure: bytes in, text out, into a
 * buffer of ARP_TEXT_MAX bytes. Nothing here reads past the frame, however
 * short it is or whatever sizes its header declares; every address is
 * printed as digits or hex, so no byte of the frame reaches the terminal.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ETHERTYPE_ARP
#define ETHERTYPE_ARP	0x0806
#endif
#define ARP_FIXED_LEN	8	/* htype, ptype, hlen, plen, opcode */
#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2

/*
 * Every formatter's output fits in this many bytes: four addresses of at
 * most 255 bytes each, as colon-separated hex, plus the fixed text.
 */
#define ARP_TEXT_MAX	4096

/*
 * One field: its size, and the bytes the frame has of it (have <= size).
 * p is NULL when the field starts past the end of the frame or its size
 * is unknown (hlen or plen cut off).
 */
struct arp_field {
	const uint8_t	*p;
	size_t		 have;
	size_t		 size;
};

enum arp_kind {
	ARP_KIND_SHORT,		/* the frame ends before the opcode */
	ARP_KIND_REQUEST,
	ARP_KIND_REPLY,
	ARP_KIND_PROBE,		/* request from 0.0.0.0 (RFC 5227) */
	ARP_KIND_GRATUITOUS,	/* request or reply with sender == target */
	ARP_KIND_OTHER		/* any other opcode */
};

struct arp_info {
	size_t		 len;	/* bytes in the frame */
	/* Bytes its headers call for; a lower bound while hlen or plen is
	 * cut off. */
	size_t		 need;
	bool		 truncated;
	/* An 802.1Q or 802.1ad tag, in the frame or stripped by the kernel
	 * (arp_set_vlan); len and need count its 4 bytes, as on the wire. */
	bool		 vlan;
	uint16_t	 vlan_tpid, vlan_tci;
	struct arp_field eth_dst, eth_src, ethertype;
	struct arp_field htype, ptype, hlen, plen, op;
	struct arp_field sha, spa, tha, tpa;
};

/* Decodes an Ethernet frame carrying ARP; any bytes and length will do.
 * One VLAN tag in the frame (TPID 0x8100 or 0x88a8) is read as such. */
void	arp_decode(const uint8_t *frame, size_t len, struct arp_info *a);
/* Adds the tag the kernel took out of the frame (auxdata): it was on the
 * wire, so len and need grow by its 4 bytes. It is the outer tag, so it
 * replaces one found in the frame. */
void	arp_set_vlan(struct arp_info *a, uint16_t tpid, uint16_t tci);
/* Protocol addresses are IPv4 (ptype 0x0800, plen 4): shown dotted, and
 * any other kind as colon-separated hex, as hardware addresses are. */
bool	arp_ipv4(const struct arp_info *a);

static inline bool
arp_complete(const struct arp_field *f)
{
	return f->p != NULL && f->have == f->size;
}

/* The big-endian value of a complete field of 1 or 2 bytes, else -1. */
long	arp_value(const struct arp_field *f);

enum arp_kind arp_kind(const struct arp_info *a);
/* "short", "request", "reply", "probe", "gratuitous" or "other". */
const char *arp_kind_name(enum arp_kind k);

/*
 * The socket cheatsheet's block, byte for byte on a well-formed frame,
 * and a blank line. Returns the length written; no NUL is added.
 */
size_t	arp_print_block(char *dst, const struct arp_info *a);
/* One tcpdump-like line, e.g. "reply 10.0.0.1 is-at aa:bb:cc:dd:ee:ff". */
size_t	arp_print_line(char *dst, const struct arp_info *a);
/* One JSON object on one line, always with the same keys. */
size_t	arp_print_json(char *dst, const struct arp_info *a);

#endif
