#ifndef RAWSOCK_FRAME_H
#define RAWSOCK_FRAME_H
/* Ethernet header building and parsing; MAC and ethertype text forms. Pure. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_LEN		6
#define FRAME_HDR_LEN	14
#define MAC_TEXT_LEN	18	/* "aa:bb:cc:dd:ee:ff" and its NUL */
#define ETHERTYPE_ANY	0x0003	/* ETH_P_ALL: every ethertype */
#define ETHERTYPE_MIN	0x0600	/* below: IEEE 802.3 lengths, not types */
#define VLAN_TAG_LEN	4	/* an 802.1Q or 802.1ad tag */

extern const uint8_t mac_broadcast[MAC_LEN];

/* Accepts aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff, any case. 0 or -1. */
int	mac_parse(const char *text, uint8_t mac[MAC_LEN]);
/* Lowercase with colons; returns out. */
char	*mac_format(const uint8_t mac[MAC_LEN], char out[MAC_TEXT_LEN]);

/*
 * Accepts 0xEEFA, decimal, or a name (ipv4, arp, ...); "any" only when
 * allow_any, giving ETHERTYPE_ANY. On failure returns -1 and sets *why
 * to a reason fit to follow "invalid ethertype 'TEXT': ".
 */
int	ethertype_parse(const char *text, bool allow_any, uint16_t *type,
	    const char **why);
/* The name ethertype_parse takes for type, or NULL. */
const char *ethertype_name(uint16_t type);
/* Lists the names, space-separated, for usage messages and completion. */
void	ethertype_list(char *out, size_t outlen);

/* Writes a 14-byte header into hdr. */
void	frame_header(uint8_t hdr[FRAME_HDR_LEN], const uint8_t dst[MAC_LEN],
	    const uint8_t src[MAC_LEN], uint16_t type);

/* Reads the ethertype at bytes 12-13 of a frame of at least 14 bytes. */
static inline uint16_t
frame_type(const uint8_t *frame)
{
	return (uint16_t)(frame[12] << 8 | frame[13]);
}

/* A received frame; data stays valid until the next receive. */
struct rxframe {
	const uint8_t	*data;
	size_t		 len;		/* bytes in data */
	size_t		 wirelen;	/* bytes the frame had; > len: cut */
	int		 ifindex;
	uint8_t		 pkttype;	/* PACKET_HOST, _BROADCAST, _OUTGOING... */
	bool		 has_ts;
	uint64_t	 ts_ns;		/* kernel receive time, CLOCK_REALTIME */
	bool		 vlan;		/* the kernel had stripped a tag */
	uint16_t	 vlan_tpid;
	uint16_t	 vlan_tci;
};

/* Puts a stripped VLAN tag back between the MACs: the frame moves 4 bytes
 * forward into the room the caller keeps in front of it. */
void	rxframe_put_tag(struct rxframe *f);

/* A hex digit's value plus one, 0 for any other byte: the one hex
 * table, a load per digit where parsers are hot (the JSON reader). */
extern const uint8_t hex_value1[256];

/* Value of one hex digit, or -1. */
static inline int
hex_digit(int c)
{
	return (int)hex_value1[(unsigned char)c] - 1;
}

#endif
