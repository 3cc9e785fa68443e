#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>

#include "opts.h"
#include "ring.h"
#include "sock.h"

/* Big enough for any frame the kernel hands a packet socket, GRO included. */
#define RX_BUFSIZE	(65536 + 64)
#define VLAN_TAG_LEN	4
/* Frames one recvmmsg() takes: fewer system calls in a burst, and no wait
 * for the rest when only one is there. */
#define RX_BATCH	32

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
/* Room for a burst of some 100,000 small frames while a busy receiver
 * catches up (8 MiB lost a third of one); memory is used only when queued. */
#define RCVBUF_BYTES	(64 * 1024 * 1024)

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
		err(2, "%s: reading flags", ifname);
	if (!(ifr.ifr_flags & IFF_UP))
		errx(2, "%s: interface is down", ifname);

	ifreq_name(&ifr, ifname);
	if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0)
		err(2, "%s: reading MAC address", ifname);
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER &&
	    ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK)
		errx(2, "%s: not an Ethernet interface", ifname);
	memcpy(s->mac, ifr.ifr_hwaddr.sa_data, MAC_LEN);

	ifreq_name(&ifr, ifname);
	if (ioctl(s->fd, SIOCGIFMTU, &ifr) < 0)
		err(2, "%s: reading MTU", ifname);
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
		if (!cfg->ring && (s->batch = calloc(1,
		    sizeof(*s->batch))) == NULL)
			err(2, "calloc");
		s->rxcap = RX_BUFSIZE - VLAN_TAG_LEN;
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
			err(2, "%s: promiscuous mode", s->ifname);
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
		err(2, "%s: bind", s->ifindex ? s->ifname : "all interfaces");
}

void
sock_close(struct rawsock *s)
{
	ring_close(s->ring);
	s->ring = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->batch);
	s->batch = NULL;
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
			f->ts_ns = (uint64_t)ts.tv_sec * 1000000000u +
			    (uint64_t)ts.tv_nsec;
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
refill(struct rawsock *s)
{
	struct rxbatch *b = s->batch;
	int n;

	for (int i = 0; i < RX_BATCH; i++) {
		b->iov[i] = (struct iovec){ b->buf[i] + VLAN_TAG_LEN, s->rxcap };
		b->msg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->from[i], .msg_namelen = sizeof(b->from[i]),
			.msg_iov = &b->iov[i], .msg_iovlen = 1,
			.msg_control = b->control[i].buf,
			.msg_controllen = sizeof(b->control[i].buf),
		};
	}
	b->n = b->next = 0;
	do
		n = recvmmsg(s->fd, b->msg, RX_BATCH, MSG_DONTWAIT | MSG_TRUNC,
		    NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	b->n = n;
	return 0;
}

int
sock_recv(struct rawsock *s, struct rxframe *f)
{
	struct rxbatch *b = s->batch;
	struct sockaddr_ll *from;
	uint8_t *frame;
	size_t n;
	int i;

	if (s->ring != NULL) {
		int e = 0;
		socklen_t elen = sizeof(e);

		if (ring_next(s->ring, f, s->outgoing, s->vlan_tags))
			return 1;
		/* Nothing in the ring: a vanished interface shows only as
		 * a socket error. */
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &elen) == 0 &&
		    e != 0) {
			errno = e;
			return -1;
		}
		return 0;
	}
	for (;;) {
		if (b->next >= b->n) {
			if (refill(s) < 0)
				return -1;
			if (b->n == 0)
				return 0;
		}
		i = b->next++;
		if (b->from[i].sll_pkttype != PACKET_OUTGOING || s->outgoing)
			break;
	}
	from = &b->from[i];
	frame = b->buf[i] + VLAN_TAG_LEN;
	n = b->msg[i].msg_len;
	memset(f, 0, sizeof(*f));
	f->data = frame;
	f->wirelen = n;
	f->len = n < s->rxcap ? n : s->rxcap;
	f->ifindex = from->sll_ifindex;
	f->pkttype = from->sll_pkttype;
	parse_cmsgs(&b->msg[i].msg_hdr, f);
	if (f->vlan && s->vlan_tags)
		rxframe_put_tag(f);
	return 1;
}

void
rxframe_put_tag(struct rxframe *f)
{
	uint8_t *tagged = (uint8_t *)f->data - VLAN_TAG_LEN;

	if (f->len < 2 * MAC_LEN)
		return;
	memmove(tagged, f->data, 2 * MAC_LEN);
	tagged[12] = (uint8_t)(f->vlan_tpid >> 8);
	tagged[13] = (uint8_t)f->vlan_tpid;
	tagged[14] = (uint8_t)(f->vlan_tci >> 8);
	tagged[15] = (uint8_t)f->vlan_tci;
	f->data = tagged;
	f->len += VLAN_TAG_LEN;
	f->wirelen += VLAN_TAG_LEN;
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
	return s->batch != NULL && s->batch->next < s->batch->n;
}

unsigned long long
sock_drops(struct rawsock *s)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	/* The kernel resets these counters on every read: add them up. */
	if (s->fd >= 0 && s->proto != 0 &&
	    getsockopt(s->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		s->drops += st.tp_drops;
	return s->drops;
}

int
sock_carrier(const struct rawsock *s, bool exact)
{
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr;
	short flags;

	ifreq_name(&ifr, s->ifname);
	if (ioctl(s->fd, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	flags = ifr.ifr_flags;
	if (!(flags & IFF_UP)) {
		errno = ENETDOWN;
		return -1;
	}
	if (flags & IFF_RUNNING && !exact)
		return 1;
	ifreq_name(&ifr, s->ifname);
	ifr.ifr_data = (void *)&link;
	if (ioctl(s->fd, SIOCETHTOOL, &ifr) == 0)
		return link.data != 0;
	return (flags & IFF_RUNNING) != 0;	/* no ethtool: the flags it is */
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
iface_need(const char *ifname, uint8_t mac[MAC_LEN], unsigned int *mtu)
{
	if (iface_info(ifname, mac, mtu) == 0)
		return;
	if (strlen(ifname) >= IF_NAMESIZE)
		errx(2, "'%s': interface name too long (at most %d bytes)",
		    shown(ifname), IF_NAMESIZE - 1);
	if (ifname[0] == '\0')
		errx(2, "'': empty interface name");
	if (errno == ENODEV)
		errx(2, "'%s': no such interface", shown(ifname));
	err(2, "'%s'", shown(ifname));
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
