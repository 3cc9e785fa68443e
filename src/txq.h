#ifndef RAWSOCK_TXQ_H
#define RAWSOCK_TXQ_H
/*
 * The transmit queue every sender shares: frames go to the kernel in
 * batches of TXQ_BATCH with sendmmsg(2). The kernel's ENOBUFS and EAGAIN
 * are waited out, never dropped; frames and bytes count what the kernel
 * accepted. Behind the same calls, a dry run hands the frames to a sink
 * (hex lines or pcap) instead, each stamped with the time it would have
 * left, so a sender is the same code either way.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

struct rawsock;
struct sink;

#define TXQ_BATCH 256
#define TXQ_PARTS 4	/* header, VLAN tag, payload, padding */

struct txq {
	struct rawsock	*sock;		/* NULL: a dry run into sink */
	struct sink	*sink;
	bool		 carrier;	/* send only while the link has one */
	unsigned int	 n;		/* frames queued */
	unsigned long long frames;	/* taken by the kernel (or the sink) */
	unsigned long long bytes;
	uint8_t		*arena;		/* txq_copy()'s frames */
	size_t		 slot;		/* room for one frame there */
	size_t		 used;
	struct mmsghdr	 msg[TXQ_BATCH];
	struct iovec	 iov[TXQ_BATCH][TXQ_PARTS];
};

/* Frames are (header, payload) pairs whose memory must stay valid until
 * txq_flush(). */
void	txq_init(struct txq *q, struct rawsock *s);

/*
 * A queue for a sender that owns its run: frames of up to framemax bytes
 * copied once into the queue's own memory (txq_copy), and a link that
 * must keep its carrier: one without is refused here (one line, exit 2),
 * and a flush that finds it gone fails with ENOLINK. The flags are read
 * once per batch. SIGPIPE is ignored from here on: output to a pipe whose
 * reader left is an EPIPE, never a death.
 */
void	txq_open(struct txq *q, struct rawsock *s, size_t framemax);
/* A server's queue: the copy arena, and no carrier asked for (a server
 * waits for its link; a reply to a link that went fails the flush). */
void	txq_open_server(struct txq *q, struct rawsock *s, size_t framemax);
/* The same for a dry run: the frames go to k, flushed by txq_flush(). */
void	txq_open_dry(struct txq *q, struct sink *k, size_t framemax);
/* Sends through s from now on (a -j worker's own socket). */
void	txq_use(struct txq *q, struct rawsock *s);
void	txq_close(struct txq *q);

/*
 * Joins a frame's nparts pieces into the queue's memory (the kernel takes
 * one piece faster than several) and returns it, *len its length. The copy
 * may be queued any number of times; it stays valid until the next
 * txq_copy() after a flush. NULL with errno when a flush it needed failed.
 */
const uint8_t *txq_copy(struct txq *q, const struct iovec *parts, int nparts,
	    size_t *len);

/* 0, or -1 with errno when a flush it triggered failed. */
int	txq_add(struct txq *q, const void *hdr, size_t hdrlen,
	    const void *payload, size_t len);
/* The same for a frame in nparts (at most TXQ_PARTS) pieces. */
int	txq_addv(struct txq *q, const struct iovec *parts, int nparts);
/* Sends what is queued (writes out a dry run's sink); 0, or -1 with errno:
 * ENOLINK when the link lost its carrier, ENETDOWN, ENXIO or ENODEV when
 * the interface went down or away. The frames not sent are dropped. */
int	txq_flush(struct txq *q);

#endif
