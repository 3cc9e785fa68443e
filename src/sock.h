#ifndef RAWSOCK_SOCK_H
#define RAWSOCK_SOCK_H
/*
 * AF_PACKET sockets: the only place that calls socket(), bind(), ioctl()
 * and the send and receive system calls, so batching or rings can change
 * here without touching the applets.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <net/if.h>

#include "frame.h"

struct ring;
struct rxbatch;

struct sock_config {
	const char	*ifname;	/* NULL: every interface (receive only) */
	uint16_t	 proto;		/* 0: send only; ETHERTYPE_ANY: all types */
	bool		 outgoing;	/* also deliver frames this host sends */
	const struct sock_fprog *filter; /* attached before bind, or NULL */
	bool		 vlan_tags;	/* put back 802.1Q tags the kernel took */
	bool		 promisc;	/* promiscuous while the socket is open */
	bool		 ring;		/* receive through a TPACKET_V3 ring:
					 * fast, but a quiet link's frame may
					 * wait up to RING_TIMEOUT_MS */
	bool		 busy_poll;	/* ask the driver to busy poll
					 * (SO_BUSY_POLL, best effort) */
};

struct rawsock {
	int		 fd;
	int		 ifindex;	/* 0: every interface */
	char		 ifname[IF_NAMESIZE];
	uint8_t		 mac[MAC_LEN];
	unsigned int	 mtu;		/* largest payload, header excluded */
	uint16_t	 proto;
	bool		 outgoing;
	bool		 vlan_tags;
	struct rxbatch	*batch;		/* recvmmsg() state, without a ring */
	struct ring	*ring;		/* NULL: recvmmsg() batches */
	unsigned long long taken;	/* frames taken from the kernel */
	unsigned long long accepted;	/* frames the kernel queued for us */
	unsigned long long drops;	/* frames it dropped: no room */
	bool		 busy_poll;	/* the kernel took SO_BUSY_POLL */
};

/* Opens and binds; on failure prints one clear line and exits 2. */
void	sock_open(struct rawsock *s, const struct sock_config *cfg);
void	sock_close(struct rawsock *s);

/*
 * Takes the next queued frame without waiting: 1 and *f, 0 when none is
 * ready, -1 on error (errno set; ENETDOWN/ENXIO when the interface went).
 */
int	sock_recv(struct rawsock *s, struct rxframe *f);
/* The socket's pending error (and clears it), or 0: how a vanished
 * interface shows when poll() says POLLERR. */
int	sock_error(struct rawsock *s);

/*
 * Transmit timestamps: the kernel stamps every frame sent on the socket
 * (software: as the driver takes it; hardware: as the NIC sends it) and
 * queues the stamp on the socket's error queue, where poll() shows
 * POLLERR. 0, or -1 and errno (EOPNOTSUPP: the interface has no such
 * stamps; hardware ones also need the NIC's stamping switched on, which
 * rawsock leaves to hwstamp_ctl(8)).
 */
int	sock_tx_timestamps(struct rawsock *s, bool hardware);
/*
 * The next transmit stamp from the error queue, without waiting: 1 with
 * *key (the frame's number, from 0, counting every frame sent on the
 * socket) and *ns (CLOCK_REALTIME for software stamps, the NIC's clock
 * for hardware ones); 0 when none is queued; -1 and errno.
 */
int	sock_tx_stamp(struct rawsock *s, uint32_t *key, uint64_t *ns);

/* Joins fanout group id: frames spread by receiving CPU. -1 on error. */
int	sock_fanout(struct rawsock *s, int id);

/* Whether frames already taken from the kernel wait for sock_recv(): a
 * poll() on the socket does not see them. */
bool	sock_pending(const struct rawsock *s);

/* Adds the kernel's counts since the last call to s->accepted and
 * s->drops; returns s->drops. */
unsigned long long sock_drops(struct rawsock *s);
/* Frames the kernel queued for us that were not yet taken. */
unsigned long long sock_unread(struct rawsock *s);

/*
 * Whether the socket's link can carry frames: 1 when it has carrier, 0
 * when it is up without one (its peer or cable gone), -1 with errno when
 * it is down (ENETDOWN) or gone (ENODEV). The flags (one cheap ioctl)
 * follow the carrier up to a second late, so when they say no, or when
 * exact, the driver is asked (ethtool, which takes the kernel's rtnl
 * lock): for the start of a run, and for sends the kernel refuses.
 */
int	sock_carrier(const struct rawsock *s, bool exact);

/*
 * Reads an interface's MAC and MTU without privileges (for dry runs).
 * 0, or -1 with errno (ENODEV: no such interface).
 */
int	iface_info(const char *ifname, uint8_t mac[MAC_LEN], unsigned int *mtu);
/* The same, or one line in sock_open()'s words for the same bad names
 * and exit 2. */
void	iface_need(const char *ifname, uint8_t mac[MAC_LEN], unsigned int *mtu);

/*
 * Keeps sockets and files off closed standard descriptors: a socket on
 * descriptor 1 would put what was meant for standard output on the wire.
 * A closed standard input (need_in) or output (need_out) the applet needs
 * is an error (exit 2); any other closed one is held by /dev/null opened
 * the wrong way round, so using it still fails (EBADF). Call it before
 * opening anything; sock_open() calls it too.
 */
void	sock_guard_stdio(bool need_in, bool need_out);

#endif
