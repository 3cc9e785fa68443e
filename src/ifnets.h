#ifndef RAWSOCK_IFNETS_H
#define RAWSOCK_IFNETS_H
/*
 * The host's interfaces by index, and their IPv4 networks, read once at
 * start-up (getifaddrs(), a netlink socket): the sandbox allows no new
 * socket later, so names and networks are looked up here afterwards.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#define IFACES_MAX	1024
#define NETS_MAX	4096

struct ifname {
	int		 index;
	char		 name[IF_NAMESIZE];
};

struct ipnet {
	int		 index;
	uint32_t	 addr, mask;	/* host order */
};

struct ifnets {
	struct ifname	 ifs[IFACES_MAX];
	size_t		 nifs;
	struct ipnet	 nets[NETS_MAX];
	size_t		 nnets;
};

/* Exits 2 with one line if the kernel will not say. A name that could
 * not stand in a state file as it is (station_iface_ok) is "ifN". */
void	ifnets_read(struct ifnets *w);
/* The interface's name; "ifN" for one that came after ifnets_read(). */
const char *ifnets_name(struct ifnets *w, int index);
/* ip (host order) is outside every IPv4 network of an interface that has
 * one. */
bool	ifnets_outside(const struct ifnets *w, int index, uint32_t ip);

#endif
