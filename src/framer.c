#include <string.h>

#include "framer.h"

static const uint8_t zeros[ETH_MIN_TAGGED];

void
framer_init(struct framer *f, const uint8_t dst[MAC_LEN],
    const uint8_t src[MAC_LEN], uint16_t type, int vlan_tci, bool whole,
    enum framer_pad pad, unsigned int mtu)
{
	memset(f, 0, sizeof(*f));
	f->whole = whole;
	f->pad = pad;
	f->mtu = mtu;
	f->hdrlen = FRAME_HDR_LEN;
	frame_header(f->hdr, dst, src, type);
	if (vlan_tci >= 0)
		framer_tag(f, 0x8100, (uint16_t)vlan_tci);
}

void
framer_tag(struct framer *f, uint16_t tpid, uint16_t tci)
{
	f->tag[0] = (uint8_t)(tpid >> 8);
	f->tag[1] = (uint8_t)tpid;
	f->tag[2] = (uint8_t)(tci >> 8);
	f->tag[3] = (uint8_t)tci;
	/* The tag goes between the MACs and the ethertype. */
	if (!f->tagged)
		memcpy(f->hdr + 2 * MAC_LEN + FRAMER_TAG_LEN,
		    f->hdr + 2 * MAC_LEN, 2);
	memcpy(f->hdr + 2 * MAC_LEN, f->tag, FRAMER_TAG_LEN);
	f->hdrlen = FRAME_HDR_LEN + FRAMER_TAG_LEN;
	f->tagged = true;
}

static bool
is_tpid(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8;
}

size_t
framer_padding(size_t len, bool tagged, enum framer_pad pad)
{
	size_t min = pad == PAD_NONE ? 0 : tagged ? ETH_MIN_TAGGED :
	    pad == PAD_ALL ? ETH_MIN_FRAME : 0;

	return len < min ? min - len : 0;
}

size_t
framer_maxrec(const struct framer *f)
{
	/* A whole frame may carry its header and a VLAN tag. */
	return f->whole ? f->mtu + FRAME_HDR_LEN + FRAMER_TAG_LEN : f->mtu;
}

size_t
framer_maxframe(const struct framer *f)
{
	/* Header, a tag added to a whole frame that has one, padding. */
	return f->mtu + FRAME_HDR_LEN + 2 * FRAMER_TAG_LEN + ETH_MIN_TAGGED;
}

int
framer_build(const struct framer *f, const uint8_t *rec, size_t len,
    struct iovec parts[FRAMER_PARTS])
{
	size_t total, pad;
	bool tagged = f->tagged;
	int n = 0;

	if (f->whole) {
		size_t body;

		if (len < FRAME_HDR_LEN)
			return FRAMER_SHORT;
		body = len - FRAME_HDR_LEN;
		tagged = f->tagged || is_tpid(frame_type(rec));
		if (f->tagged)
			body += FRAMER_TAG_LEN;
		if (body > f->mtu + (tagged ? FRAMER_TAG_LEN : 0))
			return FRAMER_BIG;
		if (f->tagged) {
			parts[n++] = (struct iovec){ (void *)rec, 2 * MAC_LEN };
			parts[n++] = (struct iovec){ (void *)f->tag,
			    FRAMER_TAG_LEN };
			parts[n++] = (struct iovec){ (void *)(rec + 2 * MAC_LEN),
			    len - 2 * MAC_LEN };
			total = len + FRAMER_TAG_LEN;
		} else {
			parts[n++] = (struct iovec){ (void *)rec, len };
			total = len;
		}
	} else {
		parts[n++] = (struct iovec){ (void *)f->hdr, f->hdrlen };
		parts[n++] = (struct iovec){ (void *)rec, len };
		total = f->hdrlen + len;
	}
	if ((pad = framer_padding(total, tagged, f->pad)) > 0)
		parts[n++] = (struct iovec){ (void *)zeros, pad };
	return n;
}
