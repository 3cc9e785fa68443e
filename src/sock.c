#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>

#include "num.h"
#include "opts.h"
#include "ring.h"
#include "rxbatch.h"
#include "sock.h"

/* Room for a burst of some 100,000 small frames while a busy receiver
 * catches up (8 MiB lost a third of one); memory is used only when queued. */
#define RCVBUF_BYTES	(64 * 1024 * 1024)
/* SO_BUSY_POLL: how long one receive may poll the driver; and how many
 * frames one poll may take (the kernel's default is 8). */
#define BUSY_POLL_USECS		50
#define BUSY_POLL_BUDGET	64

static void
ifreq_name(struct ifreq *ifr, const char *ifname)
{
	memset(ifr, 0, sizeof(*ifr));
	strlcpy(ifr->ifr_name, ifname, sizeof(ifr->ifr_name));
}

/* Why ifname names no interface we can use: its name, or errno. */
static void __attribute__((noreturn))
iface_refuse(const char *ifname)
{
	if (strlen(ifname) >= IF_NAMESIZE)
		errx(2, "'%s': interface name too long (at most %d bytes)",
		    shown(ifname), IF_NAMESIZE - 1);
	if (ifname[0] == '\0')
		errx(2, "'': empty interface name");
	if (errno == ENODEV)
		errx(2, "'%s': no such interface", shown(ifname));
	err(2, "'%s'", shown(ifname));
}

static void
check_interface(struct rawsock *s, const char *ifname)
{
	struct ifreq ifr;

	/* A name ifreq would cut short must not reach the kernel. */
	if (strlen(ifname) >= IF_NAMESIZE || ifname[0] == '\0')
		iface_refuse(ifname);
	ifreq_name(&ifr, ifname);
	if (ioctl(s->fd, SIOCGIFINDEX, &ifr) < 0)
		iface_refuse(ifname);
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

/*
 * Busy polling in the driver, where it has a NAPI context to poll (veth
 * has none without XDP, so there the spinning loop alone does the work).
 * Raising these needs CAP_NET_ADMIN: refused, the loop still spins.
 */
static bool
set_busy_poll(int fd)
{
	int usecs = BUSY_POLL_USECS, one = 1, budget = BUSY_POLL_BUDGET;

	if (setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL, &usecs,
	    sizeof(usecs)) < 0)
		return false;
	(void)setsockopt(fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one,
	    sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget,
	    sizeof(budget));
	return true;
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
	if (cfg->busy_poll && cfg->proto != 0)
		s->busy_poll = set_busy_poll(s->fd);
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

/* Whether the interface can stamp what it sends (ETHTOOL_GET_TS_INFO). */
static bool
iface_stamps(const struct rawsock *s, unsigned int want)
{
	struct ethtool_ts_info info = { .cmd = ETHTOOL_GET_TS_INFO };
	struct ifreq ifr;

	ifreq_name(&ifr, s->ifname);
	ifr.ifr_data = (void *)&info;
	if (ioctl(s->fd, SIOCETHTOOL, &ifr) < 0)
		return false;
	return (info.so_timestamping & want) == want;
}

int
sock_tx_timestamps(struct rawsock *s, bool hardware)
{
	unsigned int want = hardware ? SOF_TIMESTAMPING_TX_HARDWARE |
	    SOF_TIMESTAMPING_RAW_HARDWARE : SOF_TIMESTAMPING_TX_SOFTWARE |
	    SOF_TIMESTAMPING_SOFTWARE;
	/* OPT_ID numbers the stamps, OPT_TSONLY leaves the frame out. */
	int flags = (int)(want | SOF_TIMESTAMPING_OPT_ID |
	    SOF_TIMESTAMPING_OPT_TSONLY);

	if (s->ifindex == 0 || !iface_stamps(s, want)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPING, &flags,
	    sizeof(flags));
}

int
sock_tx_stamp(struct rawsock *s, uint32_t *key, uint64_t *ns)
{
	union {
		struct cmsghdr	align;
		/* SO_TIMESTAMPNS adds its own stamp in front. */
		char		buf[CMSG_SPACE(sizeof(struct timespec)) +
				    CMSG_SPACE(sizeof(struct scm_timestamping)) +
				    CMSG_SPACE(sizeof(struct sock_extended_err) +
				    sizeof(struct sockaddr_ll))];
	} control;
	uint8_t data[64];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg;
	bool have_key, have_ts;

	/* Messages that are no stamp are read past, not returned. */
again:
	have_key = have_ts = false;
	msg = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
	if (recvmsg(s->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
		if (errno == EINTR)
			goto again;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
	    c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPING) {
			struct scm_timestamping st;
			/* [0] software, [2] the NIC's raw clock. */
			const struct timespec *t;

			memcpy(&st, CMSG_DATA(c), sizeof(st));
			t = st.ts[2].tv_sec || st.ts[2].tv_nsec ? &st.ts[2] :
			    &st.ts[0];
			*ns = ns_from_timespec(t);
			have_ts = *ns != 0;
		} else if (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_TX_TIMESTAMP) {
			struct sock_extended_err ee;

			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (ee.ee_errno == ENOMSG &&
			    ee.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) {
				*key = ee.ee_data;
				have_key = true;
			}
		}
	}
	if (!have_key || !have_ts)
		goto again;
	return 1;
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
	if (iface_info(ifname, mac, mtu) < 0)
		iface_refuse(ifname);
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
