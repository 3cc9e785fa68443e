#ifndef RAWSOCK_TXQ_H
#define RAWSOCK_TXQ_H
/*
 * The transmit queue every sender shares: frames go to the kernel in
 * batches of TXQ_BATCH with sendmmsg(2). The kernel's ENOBUFS and EAGAIN
 * are waited out, never dropped; frames and bytes count what the kernel
 * accepted.
 */

#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

struct rawsock;

#define TXQ_BATCH 256
#define TXQ_PARTS 4	/* header, VLAN tag, payload, padding */

struct txq {
	struct rawsock	*sock;
	unsigned int	 n;
	unsigned long long frames;
	unsigned long long bytes;
	struct mmsghdr	 msg[TXQ_BATCH];
	struct iovec	 iov[TXQ_BATCH][TXQ_PARTS];
};

/* Frames are (header, payload) pairs whose memory must stay valid until
 * txq_flush(). */
void	txq_init(struct txq *q, struct rawsock *s);
/* 0, or -1 with errno when a flush it triggered failed. */
int	txq_add(struct txq *q, const void *hdr, size_t hdrlen,
	    const void *payload, size_t len);
/* The same for a frame in nparts (at most TXQ_PARTS) pieces. */
int	txq_addv(struct txq *q, const struct iovec *parts, int nparts);
int	txq_flush(struct txq *q);

#endif
