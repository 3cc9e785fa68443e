#include <string.h>

#include "framer.h"

static const uint8_t zeros[ETH_MIN_FRAME];

void
framer_init(struct framer *f, const uint8_t dst[MAC_LEN],
    const uint8_t src[MAC_LEN], uint16_t type, int vlan_tci, bool whole,
    bool pad, unsigned int mtu)
{
	memset(f, 0, sizeof(*f));
	f->whole = whole;
	f->pad = pad;
	f->mtu = mtu;
	f->hdrlen = FRAME_HDR_LEN;
	frame_header(f->hdr, dst, src, type);
	if (vlan_tci < 0)
		return;
	f->tagged = true;
	f->tag[0] = 0x81;
	f->tag[1] = 0x00;
	f->tag[2] = (uint8_t)(vlan_tci >> 8);
	f->tag[3] = (uint8_t)vlan_tci;
	/* The tag goes between the MACs and the ethertype. */
	memcpy(f->hdr + 2 * MAC_LEN + FRAMER_TAG_LEN, f->hdr + 2 * MAC_LEN, 2);
	memcpy(f->hdr + 2 * MAC_LEN, f->tag, FRAMER_TAG_LEN);
	f->hdrlen += FRAMER_TAG_LEN;
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
	return f->mtu + FRAME_HDR_LEN + 2 * FRAMER_TAG_LEN + ETH_MIN_FRAME;
}

int
framer_build(const struct framer *f, const uint8_t *rec, size_t len,
    struct iovec parts[FRAMER_PARTS])
{
	size_t total;
	int n = 0;

	if (f->whole) {
		size_t body;
		bool tagged;

		if (len < FRAME_HDR_LEN)
			return FRAMER_SHORT;
		body = len - FRAME_HDR_LEN;
		tagged = f->tagged || frame_type(rec) == 0x8100;
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
	if (f->pad && total < ETH_MIN_FRAME)
		parts[n++] = (struct iovec){ (void *)zeros,
		    ETH_MIN_FRAME - total };
	return n;
}
