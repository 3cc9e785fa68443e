#include <string.h>
#include <linux/if_packet.h>

#include "frame.h"
#include "json.h"
#include "print.h"
#include "put.h"

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

/* \uXXXX, four lowercase hex digits. */
static char *
put_u(char *d, unsigned int v)
{
	return put_hex4(put_str(d, "\\u"), v);
}

char *
json_put_string(char *d, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t left = strlen(s), n;
	uint32_t cp;

	*d++ = '"';
	while (left > 0) {
		uint8_t c = *p;

		if (c == '"' || c == '\\') {
			*d++ = '\\';
			*d++ = (char)c;
			n = 1;
		} else if (c >= 0x20 && c < 0x7f) {
			*d++ = (char)c;
			n = 1;
		} else if (c < 0x80) {
			d = put_u(d, c);	/* controls and DEL */
			n = 1;
		} else if ((n = utf8_decode(p, left, &cp)) == 0) {
			/* Python's surrogateescape: U+DC80-U+DCFF. */
			d = put_u(d, 0xdc00u | c);
			n = 1;
		} else if (cp < 0x10000) {
			d = put_u(d, cp);
		} else {
			cp -= 0x10000;
			d = put_u(put_u(d, 0xd800u | cp >> 10), 0xdc00u |
			    (cp & 0x3ffu));
		}
		p += n;
		left -= n;
	}
	*d++ = '"';
	return d;
}

char *
json_put_uint(char *d, unsigned long long v)
{
	return put_dec(d, v);
}

char *
json_put_bool(char *d, bool v)
{
	return put_str(d, v ? "true" : "false");
}

char *
json_put_null(char *d)
{
	return put_str(d, "null");
}

char *
json_put_hex16(char *d, unsigned int v)
{
	d = put_hex4(put_str(d, "\"0x"), v);
	*d++ = '"';
	return d;
}

char *
json_put_vlan(char *d, unsigned int tpid, unsigned int tci)
{
	d = json_put_hex16(put_str(d, "{\"tpid\":"), tpid);
	d = json_put_uint(put_str(d, ",\"id\":"), tci & 0xfffu);
	d = json_put_uint(put_str(d, ",\"pcp\":"), (tci >> 13) & 7u);
	d = json_put_uint(put_str(d, ",\"dei\":"), (tci >> 12) & 1u);
	*d++ = '}';
	return d;
}

/* A MAC address the frame holds in full, else null: never a made-up
 * value for bytes that are not there. */
static char *
put_mac(char *d, const uint8_t *frame, size_t len, size_t at)
{
	char text[MAC_TEXT_LEN];

	if (len < at + MAC_LEN)
		return json_put_null(d);
	return json_put_string(d, mac_format(frame + at, text));
}

/* "ethertype" and "vlan"; returns where the payload starts (len when
 * there is none: the header, or the tag, is cut short). */
static char *
put_type(char *d, const uint8_t *frame, size_t len, size_t *hdr)
{
	uint16_t type, tci;

	*hdr = len;
	d = put_str(d, ",\"ethertype\":");
	if (len < FRAME_HDR_LEN)
		return json_put_null(put_str(json_put_null(d), ",\"vlan\":"));
	type = frame_type(frame);
	if (type != 0x8100 && type != 0x88a8) {
		*hdr = FRAME_HDR_LEN;
		d = json_put_hex16(d, type);
		return json_put_null(put_str(d, ",\"vlan\":"));
	}
	/* A tag cut before the inner type: neither is known. */
	if (len < FRAME_HDR_LEN + 4)
		return json_put_null(put_str(json_put_null(d), ",\"vlan\":"));
	*hdr = FRAME_HDR_LEN + 4;
	tci = (uint16_t)(frame[14] << 8 | frame[15]);
	d = json_put_hex16(d, (unsigned int)(frame[16] << 8 | frame[17]));
	return json_put_vlan(put_str(d, ",\"vlan\":"), type, tci);
}

size_t
print_json(char *dst, const struct frame_meta *m, const uint8_t *frame,
    size_t len)
{
	size_t hdr;
	char *d = dst;

	d = put_str(d, "{\"ts_ns\":");
	d = m->has_ts ? json_put_uint(d, m->ts_ns) : json_put_null(d);
	d = put_str(d, ",\"iface\":");
	d = m->iface ? json_put_string(d, m->iface) : json_put_null(d);
	d = put_str(d, ",\"pkttype\":");
	d = m->pkttype >= 0 ? json_put_string(d, pkttype_name(m->pkttype)) :
	    json_put_null(d);
	d = put_mac(put_str(d, ",\"src\":"), frame, len, MAC_LEN);
	d = put_mac(put_str(d, ",\"dst\":"), frame, len, 0);
	d = put_type(d, frame, len, &hdr);
	d = json_put_uint(put_str(d, ",\"len\":"), m->wirelen);
	d = json_put_uint(put_str(d, ",\"caplen\":"), len);
	d = put_str(d, ",\"payload\":\"");
	if (len > hdr)
		d = put_hex(d, frame + hdr, len - hdr, 0);
	d = put_str(d, "\"}\n");
	return (size_t)(d - dst);
}
