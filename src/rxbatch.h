#ifndef RAWSOCK_RXBATCH_H
#define RAWSOCK_RXBATCH_H
/*
 * Receiving without a ring: recvmmsg() in batches of RX_BATCH, with the
 * kernel's receive time and the VLAN tag it stripped. A leaf: it knows a
 * descriptor and frames, nothing above them. Used through sock_recv().
 */

#include <stdbool.h>
#include <stddef.h>

#include "frame.h"

struct rxbatch;

struct rxbatch *rxbatch_new(void);
void	rxbatch_free(struct rxbatch *b);
/*
 * The next frame, from the batch or a new recvmmsg() that does not wait:
 * 1 and *f (valid until the next call), 0 when none is queued, -1 and
 * errno. Every frame taken from the kernel adds 1 to *taken, outgoing
 * ones skipped (outgoing false) included.
 */
int	rxbatch_next(struct rxbatch *b, int fd, struct rxframe *f,
	    bool outgoing, bool vlan_tags, unsigned long long *taken);
/* Frames received but not yet handed over: poll() cannot see them. */
bool	rxbatch_pending(const struct rxbatch *b);

#endif
