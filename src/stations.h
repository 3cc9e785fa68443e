#ifndef RAWSOCK_STATIONS_H
#define RAWSOCK_STATIONS_H
/*
 * rawsniff-arp --watch's table: IPv4 address -> MAC, per interface and
 * VLAN, with the MACs the address had before, as arpwatch keeps them. Pure:
 * claims in, events out; the state file is parsed from and formatted to
 * memory, so the fuzzer and the unit tests reach it without a file.
 *
 * Classes, with arpwatch's report names beside them:
 *   new        "new station": the address was never seen here
 *   changed    "changed ethernet address": a MAC it never had
 *   flip-flop  "flip flop": back to the MAC it had just before
 *   reused     "reused old ethernet address": a MAC it had before that
 *   conflict   RFC 5227: a probe (sender 0.0.0.0) for an address in use
 *              by another MAC, or another MAC claiming the address within
 *              the conflict window of the owner's last claim
 *   bogon      "bogon": a new sender outside every IPv4 network of its
 *              interface (when the interface has one)
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "frame.h"

#define STATION_MACS	4	/* MACs remembered per address, newest first */
#define STATIONS_MAX	65536	/* a LAN's worth; more is refused */
#define STATE_LINE_MAX	512	/* bytes in one state file line */
#define STATE_HEADER	"# rawsock arp state 1"

enum st_class {
	ST_NEW, ST_CHANGED, ST_FLIPFLOP, ST_REUSED, ST_CONFLICT, ST_BOGON,
	ST_CLASSES
};

struct station {
	char		 iface[IF_NAMESIZE];	/* "" in no file: "-" */
	int		 vlan;		/* VID, -1: untagged */
	uint32_t	 ip;		/* host order */
	uint8_t		 mac[STATION_MACS][MAC_LEN];
	int		 nmacs;		/* 1 to STATION_MACS */
	uint64_t	 first_ns, last_ns, changed_ns;	/* CLOCK_REALTIME */
};

struct stations {
	struct station	*v;	/* sorted by iface, vlan, ip */
	size_t		 n, cap;
	uint64_t	 window_ns;	/* conflict window; 0: none */
	unsigned long long counts[ST_CLASSES];
	bool		 full;	/* a station was left out: STATIONS_MAX */
};

/* What one frame claims: ip is at mac (sender fields, or a reply's
 * target), or a probe (sender 0.0.0.0) asks who has ip. */
struct claim {
	const char	*iface;
	int		 vlan;		/* VID, -1: untagged */
	uint16_t	 vlan_tpid, vlan_tci;	/* the tag, as it came */
	uint32_t	 ip;
	const uint8_t	*mac;
	bool		 probe;
	bool		 bogon;	/* ip is outside every network of iface */
	uint64_t	 ts_ns;
};

struct st_event {
	enum st_class	 cls;
	const struct station *st;	/* after the change */
	uint8_t		 mac[MAC_LEN], old[MAC_LEN];
	bool		 has_old;
	/* Since the address last changed MAC (or was first seen). */
	uint64_t	 since_ns;
	bool		 has_since;
	uint64_t	 ts_ns;
	uint16_t	 vlan_tpid, vlan_tci;
};

void	stations_init(struct stations *t, uint64_t window_ns);
void	stations_free(struct stations *t);

/* Applies c; true and *ev when it makes an event. */
bool	stations_claim(struct stations *t, const struct claim *c,
	    struct st_event *ev);

/* "new", "changed", "flip-flop", "reused", "conflict", "bogon". */
const char *st_class_name(enum st_class c);

/*
 * The state file: STATE_HEADER, then one station per line:
 *   IP MAC IFACE VLAN FIRST LAST CHANGED [OLDMAC...]
 * IFACE "-" for none, VLAN "-" for untagged, times in Unix seconds, older
 * MACs newest first. Blank lines and lines starting with '#' are skipped.
 * Returns 0, or -1 with the 1-based line in *line and why in *why.
 */
int	stations_load(struct stations *t, const char *text, size_t len,
	    size_t *line, const char **why);
/* Whether name may stand in a state file (and an event) as it is. */
bool	station_iface_ok(const char *name);
/* One station's line, with its '\n'; returns its length (< STATE_LINE_MAX). */
size_t	station_format(char *dst, const struct station *s);

/* Output of one event: a readable line, or one JSON object (the schema
 * in rawsniff-arp(1)). Each fits in ST_TEXT_MAX bytes, '\n' included. */
#define ST_TEXT_MAX	512
size_t	st_event_line(char *dst, const struct st_event *ev);
size_t	st_event_json(char *dst, const struct st_event *ev);

#endif
