#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>

#include "opts.h"
#include "ring.h"
#include "rxbatch.h"
#include "sock.h"

/* Room for a burst of some 100,000 small frames while a busy receiver
 * catches up (8 MiB lost a third of one); memory is used only when queued. */
#define RCVBUF_BYTES	(64 * 1024 * 1024)
/* How long the kernel may refuse every frame before we call it an error. */
#define TX_STALL_NS	(5 * 1000000000LL)

static void
ifreq_name(struct ifreq *ifr, const char *ifname)
{
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, ifname, sizeof(ifr->ifr_name));
}

static void
check_interface(struct rawsock *s, const char *ifname)
{
	struct ifreq ifr;

	if (strlen(ifname) >= IF_NAMESIZE)
		errx(2, "'%s': interface name too long (at most %d bytes)",
		    shown(ifname), IF_NAMESIZE - 1);
	if (ifname[0] == '\0')
		errx(2, "'': empty interface name");
	ifreq_name(&ifr, ifname);
	if (ioctl(s->fd, SIOCGIFINDEX, &ifr) < 0) {
		if (errno == ENODEV)
			errx(2, "'%s': no such interface", shown(ifname));
		err(2, "'%s'", shown(ifname));
	}
	s->ifindex = ifr.ifr_ifindex;
	strlcpy(s->ifname, ifname, sizeof(s->ifname));

	if (ioctl(s->fd, SIOCGIFFLAGS, &ifr) < 0)
		err(2, "%s: reading flags", shown(ifname));
	if (!(ifr.ifr_flags & IFF_UP))
		errx(2, "%s: interface is down", shown(ifname));

	ifreq_name(&ifr, ifname);
	if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0)
		err(2, "%s: reading MAC address", shown(ifname));
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER &&
	    ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK)
		errx(2, "%s: not an Ethernet interface", shown(ifname));
	memcpy(s->mac, ifr.ifr_hwaddr.sa_data, MAC_LEN);

	ifreq_name(&ifr, ifname);
	if (ioctl(s->fd, SIOCGIFMTU, &ifr) < 0)
		err(2, "%s: reading MTU", shown(ifname));
	s->mtu = (unsigned int)ifr.ifr_mtu;
}

void
sock_open(struct rawsock *s, const struct sock_config *cfg)
{
	struct sockaddr_ll sll;
	int size = RCVBUF_BYTES, one = 1;

	sock_guard_stdio(false, false);
	memset(s, 0, sizeof(*s));
	s->proto = cfg->proto;
	s->outgoing = cfg->outgoing;
	s->vlan_tags = cfg->vlan_tags;
	/* Protocol 0 queues nothing until bind(), so no frame slips past a
	 * filter attached in between. */
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		if (errno == EPERM || errno == EACCES)
			errx(2, "cannot open a packet socket: %s "
			    "(needs root or CAP_NET_RAW)", strerror(errno));
		err(2, "cannot open a packet socket");
	}
	if (cfg->ifname != NULL)
		check_interface(s, cfg->ifname);

	if (cfg->proto != 0) {
		/* SO_RCVBUFFORCE passes the rmem_max cap when we may. */
		if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		    sizeof(size)) < 0)
			(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &size,
			    sizeof(size));
		if (!cfg->ring && (s->batch = rxbatch_new()) == NULL)
			err(2, "calloc");
		/* Receive times and the VLAN tags the kernel strips. */
		if (setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
		    sizeof(one)) < 0 || setsockopt(s->fd, SOL_PACKET,
		    PACKET_AUXDATA, &one, sizeof(one)) < 0)
			err(2, "setsockopt");
	}
	if (cfg->promisc) {
		/* Membership, unlike IFF_PROMISC, ends when the socket
		 * closes, even if we crash. */
		struct packet_mreq mr = {
			.mr_ifindex = s->ifindex, .mr_type = PACKET_MR_PROMISC,
		};
		if (s->ifindex == 0)
			errx(2, "promiscuous mode needs an interface");
		if (setsockopt(s->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		    sizeof(mr)) < 0)
			err(2, "%s: promiscuous mode", shown(s->ifname));
	}
	if (cfg->ring && cfg->proto != 0)
		s->ring = ring_open(s->fd);
	/* Locked once attached: nobody swaps it after privileges go. */
	if (cfg->filter != NULL && (setsockopt(s->fd, SOL_SOCKET,
	    SO_ATTACH_FILTER, cfg->filter, sizeof(*cfg->filter)) < 0 ||
	    setsockopt(s->fd, SOL_SOCKET, SO_LOCK_FILTER, &one,
	    sizeof(one)) < 0))
		err(2, "attaching the socket filter");

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(cfg->proto);
	sll.sll_ifindex = s->ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		err(2, "%s: bind", s->ifindex ? shown(s->ifname) :
		    "all interfaces");
}

void
sock_close(struct rawsock *s)
{
	ring_close(s->ring);
	s->ring = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	rxbatch_free(s->batch);
	s->batch = NULL;
}

int
sock_recv(struct rawsock *s, struct rxframe *f)
{
	if (s->ring != NULL)
		return ring_next(s->ring, f, s->outgoing, s->vlan_tags,
		    &s->taken);
	return rxbatch_next(s->batch, s->fd, f, s->outgoing, s->vlan_tags,
	    &s->taken);
}

int
sock_error(struct rawsock *s)
{
	int e = 0;
	socklen_t elen = sizeof(e);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		return errno;
	return e;
}

int
sock_fanout(struct rawsock *s, int id)
{
	/* By CPU, not flow hash: frames without IP all hash alike. */
	int arg = (id & 0xffff) | PACKET_FANOUT_CPU << 16;

	return setsockopt(s->fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg));
}

bool
sock_pending(const struct rawsock *s)
{
	return rxbatch_pending(s->batch);
}

unsigned long long
sock_drops(struct rawsock *s)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	/* The kernel resets these counters on every read: add them up.
	 * tp_packets counts the dropped frames too. */
	if (s->fd >= 0 && s->proto != 0 &&
	    getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
		s->drops += st.tp_drops;
		s->accepted += st.tp_packets - st.tp_drops;
	}
	return s->drops;
}

unsigned long long
sock_unread(struct rawsock *s)
{
	sock_drops(s);
	return s->accepted > s->taken ? s->accepted - s->taken : 0;
}

void
txq_init(struct txq *q, struct rawsock *s)
{
	memset(q, 0, sizeof(*q));
	q->sock = s;
}

int
txq_addv(struct txq *q, const struct iovec *parts, int nparts)
{
	unsigned int i = q->n++;

	memcpy(q->iov[i], parts, (size_t)nparts * sizeof(*parts));
	q->msg[i].msg_hdr = (struct msghdr){
		.msg_iov = q->iov[i], .msg_iovlen = (size_t)nparts,
	};
	if (q->n == TXQ_BATCH)
		return txq_flush(q);
	return 0;
}

int
txq_add(struct txq *q, const void *hdr, size_t hdrlen, const void *payload,
    size_t len)
{
	struct iovec parts[2] = {
		{ (void *)hdr, hdrlen }, { (void *)payload, len },
	};

	return txq_addv(q, parts, 2);
}

int
iface_info(const char *ifname, uint8_t mac[MAC_LEN], unsigned int *mtu)
{
	struct ifreq ifr;
	int fd, e;

	if (strlen(ifname) >= IF_NAMESIZE || ifname[0] == '\0') {
		errno = ENODEV;
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	ifreq_name(&ifr, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, MAC_LEN);
	ifreq_name(&ifr, ifname);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		goto fail;
	*mtu = (unsigned int)ifr.ifr_mtu;
	close(fd);
	return 0;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

void
sock_guard_stdio(bool need_in, bool need_out)
{
	static const char *const names[] = { "input", "output", "error" };

	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		int held;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if ((fd == STDIN_FILENO && need_in) ||
		    (fd == STDOUT_FILENO && need_out))
			errx(2, "standard %s is closed", names[fd]);
		/* Not close-on-exec: children need the place held too. */
		held = open("/dev/null", fd == STDIN_FILENO ? O_WRONLY :
		    O_RDONLY);
		if (held < 0)
			err(2, "/dev/null");
		if (held != fd) {
			if (dup2(held, fd) < 0)
				err(2, "dup2");
			close(held);
		}
	}
}

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Waits before retrying a refused send: short at first, then longer. */
static void
backoff(unsigned int *tries)
{
	struct timespec ts = { 0, 1000L << (*tries < 10 ? *tries : 10) };

	(*tries)++;
	nanosleep(&ts, NULL);
}

int
txq_flush(struct txq *q)
{
	unsigned int done = 0, tries = 0;
	long long stalled_since = 0;

	while (done < q->n) {
		int n = sendmmsg(q->sock->fd, q->msg + done, q->n - done, 0);

		if (n > 0) {
			for (unsigned int i = done; i < done + (unsigned)n; i++)
				q->bytes += q->msg[i].msg_len;
			q->frames += (unsigned)n;
			done += (unsigned)n;
			tries = 0;
			stalled_since = 0;
			continue;
		}
		if (n == 0)
			errno = EIO;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
			/* The kernel's queue is full, not the frame bad. */
			if (stalled_since == 0)
				stalled_since = now_ns();
			else if (now_ns() - stalled_since > TX_STALL_NS)
				goto fail;
			if (errno == EAGAIN) {
				struct pollfd p = { q->sock->fd, POLLOUT, 0 };
				(void)poll(&p, 1, 100);
			} else
				backoff(&tries);
			continue;
		}
fail:
		/* Keep the unsent frames out of the next batch. */
		q->n = 0;
		return -1;
	}
	q->n = 0;
	return 0;
}
