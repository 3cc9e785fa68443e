#include <stdio.h>
#include <string.h>
#include <linux/if_packet.h>

#include "frame.h"
#include "json.h"
#include "print.h"

const char *
pkttype_name(int pkttype)
{
	switch (pkttype) {
	case PACKET_HOST:	return "host";
	case PACKET_BROADCAST:	return "broadcast";
	case PACKET_MULTICAST:	return "multicast";
	case PACKET_OTHERHOST:	return "other";
	case PACKET_OUTGOING:	return "outgoing";
	default:		return "unknown";
	}
}

/* A JSON string: quotes, backslashes and control bytes escaped. */
static char *
put_string(char *d, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	*d++ = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			*d++ = '\\';
			*d++ = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			/* Bytes, not code points: keep the output ASCII. */
			memcpy(d, "\\u00", 4);
			d[4] = hex[c >> 4];
			d[5] = hex[c & 15];
			d += 6;
		} else
			*d++ = (char)c;
	}
	*d++ = '"';
	return d;
}

static char *
put_lit(char *d, const char *s)
{
	size_t n = strlen(s);

	memcpy(d, s, n);
	return d + n;
}

static char *
put_mac(char *d, const uint8_t *mac)
{
	char text[MAC_TEXT_LEN];

	return put_string(d, mac_format(mac, text));
}

size_t
print_json(char *dst, const struct frame_meta *m, const uint8_t *frame,
    size_t len)
{
	static const uint8_t zero[MAC_LEN];
	size_t hdr = FRAME_HDR_LEN;
	uint16_t type = len >= FRAME_HDR_LEN ? frame_type(frame) : 0;
	char *d = dst;

	d = put_lit(d, "{\"ts_ns\":");
	if (m->has_ts)
		d += sprintf(d, "%llu", (unsigned long long)m->ts_ns);
	else
		d = put_lit(d, "null");
	d = put_lit(d, ",\"iface\":");
	d = m->iface ? put_string(d, m->iface) : put_lit(d, "null");
	d = put_lit(d, ",\"pkttype\":");
	d = m->pkttype >= 0 ? put_string(d, pkttype_name(m->pkttype)) :
	    put_lit(d, "null");
	d = put_lit(d, ",\"src\":");
	d = put_mac(d, len >= 12 ? frame + 6 : zero);
	d = put_lit(d, ",\"dst\":");
	d = put_mac(d, len >= 6 ? frame : zero);
	if ((type == 0x8100 || type == 0x88a8) && len >= FRAME_HDR_LEN + 4) {
		uint16_t tci = (uint16_t)(frame[14] << 8 | frame[15]);

		hdr += 4;
		d += sprintf(d, ",\"ethertype\":\"0x%04x\",\"vlan\":{\"tpid\":"
		    "\"0x%04x\",\"id\":%u,\"pcp\":%u,\"dei\":%u}",
		    (unsigned)(frame[16] << 8 | frame[17]), type, tci & 0xfffu,
		    tci >> 13, (tci >> 12) & 1u);
	} else
		d += sprintf(d, ",\"ethertype\":\"0x%04x\",\"vlan\":null", type);
	d += sprintf(d, ",\"len\":%zu,\"caplen\":%zu,\"payload\":\"",
	    m->wirelen, len);
	if (len > hdr)
		d += hex_encode(d, frame + hdr, len - hdr);
	d = put_lit(d, "\"}\n");
	return (size_t)(d - dst);
}
