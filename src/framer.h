#ifndef RAWSOCK_FRAMER_H
#define RAWSOCK_FRAMER_H
/*
 * Frames as a sender builds them from its records: a payload behind a
 * header (an 802.1Q tag in it if asked), or, for records that are whole
 * frames already, the frame with the tag put in after its MACs; padded
 * (framer_padding, the one rule every sender follows), and checked against
 * the MTU as the kernel checks. Pure: a frame comes back as pieces,
 * nothing copied.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "frame.h"

#define FRAMER_PARTS	4	/* header, tag, payload, padding */
#define ETH_MIN_FRAME	60	/* without the FCS */
#define FRAMER_TAG_LEN	4
/* A tagged frame's minimum: once a switch takes the tag out, the 60. */
#define ETH_MIN_TAGGED	(ETH_MIN_FRAME + FRAMER_TAG_LEN)

/*
 * How frames are padded. A receiving Linux kernel drops a tagged frame
 * shorter than 20 bytes (measured on veth), and a switch that takes the
 * tag out of a 60-byte one forwards a runt: tagged frames are padded to
 * 64 bytes unless told not to. Untagged ones only when asked (--pad): a
 * real NIC pads them itself.
 */
enum framer_pad {
	PAD_TAGGED,	/* the default: tagged frames to 64 bytes */
	PAD_ALL,	/* --pad: untagged ones to 60 as well */
	PAD_NONE,	/* --no-pad: as given, even if it cannot arrive */
};

struct framer {
	uint8_t		 hdr[FRAME_HDR_LEN + FRAMER_TAG_LEN];
	size_t		 hdrlen;
	uint8_t		 tag[FRAMER_TAG_LEN];
	bool		 tagged;	/* insert tag */
	bool		 whole;		/* records are whole frames */
	enum framer_pad	 pad;
	unsigned int	 mtu;
};

/* vlan_tci < 0: no tag. */
void	framer_init(struct framer *f, const uint8_t dst[MAC_LEN],
	    const uint8_t src[MAC_LEN], uint16_t type, int vlan_tci,
	    bool whole, enum framer_pad pad, unsigned int mtu);
/* Tags the frames with tpid (0x8100 or 0x88a8) and tci from now on. */
void	framer_tag(struct framer *f, uint16_t tpid, uint16_t tci);

/* The zeros to add to a frame of len bytes, tagged or not (the one
 * padding rule). */
size_t	framer_padding(size_t len, bool tagged, enum framer_pad pad);

/* The longest record worth reading, and the longest frame built. */
size_t	framer_maxrec(const struct framer *f);
size_t	framer_maxframe(const struct framer *f);

enum { FRAMER_SHORT = -1, FRAMER_BIG = -2 };

/*
 * The frame for record rec in parts[]: the number of parts, FRAMER_SHORT
 * for a whole frame shorter than a header, or FRAMER_BIG when it exceeds
 * the MTU (a whole frame tagged on the wire may carry 4 bytes more, as
 * the kernel allows, so a tagged full-size capture replays as it was).
 */
int	framer_build(const struct framer *f, const uint8_t *rec, size_t len,
	    struct iovec parts[FRAMER_PARTS]);

#endif
