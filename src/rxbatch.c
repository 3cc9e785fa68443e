#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include "num.h"
#include "rxbatch.h"

/* Big enough for any frame the kernel hands a packet socket, GRO included. */
#define RX_BUFSIZE	(65536 + 64)
/* Frames one recvmmsg() takes: fewer system calls in a burst, and no wait
 * for the rest when only one is there. */
#define RX_BATCH	32
#define RX_CAP		(RX_BUFSIZE - VLAN_TAG_LEN)

union rxcontrol {
	struct cmsghdr	align;
	char		buf[CMSG_SPACE(sizeof(struct timespec)) +
			    CMSG_SPACE(sizeof(struct tpacket_auxdata))];
};

struct rxbatch {
	int		 n, next;	/* frames received, and handed over */
	struct mmsghdr	 msg[RX_BATCH];
	struct iovec	 iov[RX_BATCH];
	struct sockaddr_ll from[RX_BATCH];
	union rxcontrol	 control[RX_BATCH];
	/* Each frame has room in front to put a stripped VLAN tag back. */
	uint8_t		 buf[RX_BATCH][RX_BUFSIZE];
};
struct rxbatch *
rxbatch_new(void)
{
	return calloc(1, sizeof(struct rxbatch));
}

void
rxbatch_free(struct rxbatch *b)
{
	free(b);
}

/* Reads the receive time and the stripped VLAN tag from the cmsgs. */
static void
parse_cmsgs(struct msghdr *msg, struct rxframe *f)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL;
	    c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			f->has_ts = true;
			f->ts_ns = ns_from_timespec(&ts);
		} else if (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata aux;

			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			if (aux.tp_status & TP_STATUS_VLAN_VALID) {
				f->vlan = true;
				f->vlan_tci = aux.tp_vlan_tci;
				f->vlan_tpid = (aux.tp_status &
				    TP_STATUS_VLAN_TPID_VALID) ?
				    aux.tp_vlan_tpid : 0x8100;
			}
		}
	}
}

/* Receives what is waiting, up to RX_BATCH frames. 0, or -1 and errno. */
static int
refill(struct rxbatch *b, int fd)
{
	int n;

	for (int i = 0; i < RX_BATCH; i++) {
		b->iov[i] = (struct iovec){ b->buf[i] + VLAN_TAG_LEN, RX_CAP };
		b->msg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->from[i], .msg_namelen = sizeof(b->from[i]),
			.msg_iov = &b->iov[i], .msg_iovlen = 1,
			.msg_control = b->control[i].buf,
			.msg_controllen = sizeof(b->control[i].buf),
		};
	}
	b->n = b->next = 0;
	do
		n = recvmmsg(fd, b->msg, RX_BATCH, MSG_DONTWAIT | MSG_TRUNC,
		    NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	b->n = n;
	return 0;
}

int
rxbatch_next(struct rxbatch *b, int fd, struct rxframe *f, bool outgoing,
    bool vlan_tags, unsigned long long *taken)
{
	struct sockaddr_ll *from;
	size_t n;
	int i;

	for (;;) {
		if (b->next >= b->n) {
			if (refill(b, fd) < 0)
				return -1;
			if (b->n == 0)
				return 0;
		}
		i = b->next++;
		++*taken;
		if (b->from[i].sll_pkttype != PACKET_OUTGOING || outgoing)
			break;
	}
	from = &b->from[i];
	n = b->msg[i].msg_len;
	memset(f, 0, sizeof(*f));
	f->data = b->buf[i] + VLAN_TAG_LEN;
	f->wirelen = n;
	f->len = n < RX_CAP ? n : RX_CAP;
	f->ifindex = from->sll_ifindex;
	f->pkttype = from->sll_pkttype;
	parse_cmsgs(&b->msg[i].msg_hdr, f);
	if (f->vlan && vlan_tags)
		rxframe_put_tag(f);
	return 1;
}

bool
rxbatch_pending(const struct rxbatch *b)
{
	return b != NULL && b->next < b->n;
}
