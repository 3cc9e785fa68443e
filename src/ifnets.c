#include <err.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/if_packet.h>

#include "ifnets.h"
#include "stations.h"

static int
index_of(const struct ifnets *w, const char *name)
{
	for (size_t i = 0; i < w->nifs; i++)
		if (strcmp(w->ifs[i].name, name) == 0)
			return w->ifs[i].index;
	return 0;
}

/* getifaddrs() names every interface (AF_PACKET, with its index) and
 * every IPv4 address with its netmask. */
void
ifnets_read(struct ifnets *w)
{
	struct ifaddrs *all, *a;

	if (getifaddrs(&all) < 0)
		err(2, "getifaddrs");
	for (a = all; a != NULL; a = a->ifa_next)
		if (a->ifa_addr != NULL && a->ifa_addr->sa_family ==
		    AF_PACKET && w->nifs < IFACES_MAX) {
			struct ifname *n = &w->ifs[w->nifs];
			const struct sockaddr_ll *ll =
			    (const void *)a->ifa_addr;

			n->index = ll->sll_ifindex;
			/* A name the state file could not hold as it is
			 * goes by its number. */
			if (station_iface_ok(a->ifa_name))
				strlcpy(n->name, a->ifa_name, sizeof(n->name));
			else
				snprintf(n->name, sizeof(n->name), "if%d",
				    n->index);
			w->nifs++;
		}
	for (a = all; a != NULL; a = a->ifa_next)
		if (a->ifa_addr != NULL && a->ifa_netmask != NULL &&
		    a->ifa_addr->sa_family == AF_INET && w->nnets < NETS_MAX) {
			const struct sockaddr_in *in =
			    (const void *)a->ifa_addr;
			const struct sockaddr_in *m =
			    (const void *)a->ifa_netmask;

			w->nets[w->nnets++] = (struct ipnet){
			    index_of(w, a->ifa_name),
			    ntohl(in->sin_addr.s_addr),
			    ntohl(m->sin_addr.s_addr) };
		}
	freeifaddrs(all);
}

const char *
ifnets_name(struct ifnets *w, int index)
{
	for (size_t i = 0; i < w->nifs; i++)
		if (w->ifs[i].index == index)
			return w->ifs[i].name;
	/* Came after start-up: its name cannot be asked for any more. */
	if (w->nifs < IFACES_MAX) {
		struct ifname *n = &w->ifs[w->nifs++];

		n->index = index;
		snprintf(n->name, sizeof(n->name), "if%d", index);
		return n->name;
	}
	return "";
}

/* Outside every network of an interface that has one. */
bool
ifnets_outside(const struct ifnets *w, int index, uint32_t ip)
{
	bool has = false;

	for (size_t i = 0; i < w->nnets; i++)
		if (w->nets[i].index == index) {
			has = true;
			if ((ip & w->nets[i].mask) ==
			    (w->nets[i].addr & w->nets[i].mask))
				return false;
		}
	return has;
}

