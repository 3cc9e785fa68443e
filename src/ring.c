#include <err.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "ring.h"

/*
 * 32 blocks of 256 KiB: 8 MiB holds some 50,000 small frames while the
 * output catches up, yet stays small enough to set up fast and to stay in
 * cache (64 MiB cost three times tcpdump's CPU here, in page faults and
 * misses, and no fewer drops).
 */
#define BLOCK_SIZE	(1u << 18)
#define BLOCK_NR	32u
#define FRAME_SIZE	2048u	/* only a unit of accounting in V3 */

struct ring {
	uint8_t		*map;
	size_t		 maplen;
	unsigned int	 block;		/* block being read */
	struct tpacket_block_desc *bd;	/* it, once the kernel handed it over */
	uint32_t	 left;		/* frames left in it */
	struct tpacket3_hdr *next;	/* the next of them */
};

struct ring *
ring_open(int fd)
{
	struct tpacket_req3 req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = BLOCK_NR,
		.tp_frame_size = FRAME_SIZE,
		.tp_frame_nr = BLOCK_SIZE / FRAME_SIZE * BLOCK_NR,
		.tp_retire_blk_tov = RING_TIMEOUT_MS,
	};
	int version = TPACKET_V3;
	struct ring *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		err(2, "calloc");
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version,
	    sizeof(version)) < 0)
		err(2, "PACKET_VERSION");
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		err(2, "PACKET_RX_RING");
	r->maplen = (size_t)BLOCK_SIZE * BLOCK_NR;
	r->map = mmap(NULL, r->maplen, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (r->map == MAP_FAILED)
		err(2, "mmap of the receive ring");
	return r;
}

/* Gives the block back to the kernel and moves on to the next one. */
static void
release(struct ring *r)
{
	__atomic_store_n(&r->bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
	    __ATOMIC_RELEASE);
	r->bd = NULL;
	r->block = (r->block + 1) % BLOCK_NR;
}

int
ring_next(struct ring *r, struct rxframe *f, bool outgoing, bool vlan_tags,
    unsigned long long *taken)
{
	for (;;) {
		struct tpacket3_hdr *h;
		struct sockaddr_ll *sll;
		uint8_t *frame;

		if (r->bd != NULL && r->left == 0)
			release(r);	/* the caller is done with its frames */
		if (r->bd == NULL) {
			struct tpacket_block_desc *bd = (void *)(r->map +
			    (size_t)r->block * BLOCK_SIZE);

			if (!(__atomic_load_n(&bd->hdr.bh1.block_status,
			    __ATOMIC_ACQUIRE) & TP_STATUS_USER))
				return 0;
			r->bd = bd;
			r->left = bd->hdr.bh1.num_pkts;
			r->next = (void *)((uint8_t *)bd +
			    bd->hdr.bh1.offset_to_first_pkt);
			continue;
		}
		h = r->next;
		r->left--;
		++*taken;
		r->next = (void *)((uint8_t *)h + h->tp_next_offset);
		sll = (void *)((uint8_t *)h +
		    TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
		if (sll->sll_pkttype == PACKET_OUTGOING && !outgoing)
			continue;
		frame = (uint8_t *)h + h->tp_mac;
		memset(f, 0, sizeof(*f));
		f->data = frame;
		f->len = h->tp_snaplen;
		f->wirelen = h->tp_len;
		f->ifindex = sll->sll_ifindex;
		f->pkttype = sll->sll_pkttype;
		f->has_ts = true;
		f->ts_ns = (uint64_t)h->tp_sec * 1000000000u + h->tp_nsec;
		if (h->tp_status & TP_STATUS_VLAN_VALID) {
			f->vlan = true;
			f->vlan_tci = (uint16_t)h->hv1.tp_vlan_tci;
			f->vlan_tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
			    (uint16_t)h->hv1.tp_vlan_tpid : 0x8100;
		}
		/* The kernel leaves padding before the frame (tp_mac sits
		 * past the header, the address and 16 bytes of slack), so a
		 * stripped tag goes back in place. */
		if (f->vlan && vlan_tags && f->len >= 2 * MAC_LEN &&
		    h->tp_mac >= TPACKET_ALIGN(sizeof(*h)) +
		    sizeof(struct sockaddr_ll) + VLAN_TAG_LEN)
			rxframe_put_tag(f);
		return 1;
	}
}

void
ring_close(struct ring *r)
{
	if (r == NULL)
		return;
	munmap(r->map, r->maplen);
	free(r);
}
