#ifndef RAWSOCK_RING_H
#define RAWSOCK_RING_H
/*
 * A TPACKET_V3 receive ring: the kernel writes frames into shared memory
 * in blocks and we read them without a system call each, the way tcpdump
 * and netsniff-ng keep up with a full link. Used through sock_recv().
 */

#include <stdbool.h>

#include "frame.h"

/* How long the kernel holds a block that is not full: a quiet link's
 * frame may wait this long. */
#define RING_TIMEOUT_MS	1

struct ring;

/* Sets up the ring on a socket not yet bound; exits 2 on failure. */
struct ring *ring_open(int fd);
/* Like sock_recv(): 1 and *f, 0 when no frame is ready. Every frame
 * taken adds 1 to *taken, outgoing ones skipped included. */
int	ring_next(struct ring *r, struct rxframe *f, bool outgoing,
	    bool vlan_tags, unsigned long long *taken);
void	ring_close(struct ring *r);

#endif
