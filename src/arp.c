#include <string.h>

#include "arp.h"
#include "frame.h"
#include "json.h"
#include "put.h"

/* Takes the next size bytes at *off as a field, as far as the frame has
 * them, and moves *off past it. */
static void
take(struct arp_field *f, const uint8_t *frame, size_t len, size_t *off,
    size_t size)
{
	f->size = size;
	if (*off <= len) {
		f->p = frame + *off;
		f->have = len - *off < size ? len - *off : size;
	} else {
		f->p = NULL;
		f->have = 0;
	}
	*off += size;
}

static void
unknown(struct arp_field *f)
{
	f->p = NULL;
	f->have = 0;
	f->size = 0;
}

/* A tag's first two bytes, where an untagged frame has its ethertype. */
static bool
is_tpid(int type)
{
	return type == 0x8100 || type == 0x88a8;
}

void
arp_decode(const uint8_t *frame, size_t len, struct arp_info *a)
{
	static const uint8_t none[1];
	size_t off = 0;
	long hlen, plen;

	/* NULL + 0 is undefined behaviour; an empty frame is not. */
	if (frame == NULL) {
		frame = none;
		len = 0;
	}
	memset(a, 0, sizeof(*a));
	a->len = len;
	take(&a->eth_dst, frame, len, &off, MAC_LEN);
	take(&a->eth_src, frame, len, &off, MAC_LEN);
	if (len >= off + VLAN_TAG_LEN &&
	    is_tpid(frame[off] << 8 | frame[off + 1])) {
		a->vlan = true;
		a->vlan_tpid = (uint16_t)(frame[off] << 8 | frame[off + 1]);
		a->vlan_tci = (uint16_t)(frame[off + 2] << 8 | frame[off + 3]);
		off += VLAN_TAG_LEN;
	}
	take(&a->ethertype, frame, len, &off, 2);
	take(&a->htype, frame, len, &off, 2);
	take(&a->ptype, frame, len, &off, 2);
	take(&a->hlen, frame, len, &off, 1);
	take(&a->plen, frame, len, &off, 1);
	take(&a->op, frame, len, &off, 2);
	hlen = arp_value(&a->hlen);
	plen = arp_value(&a->plen);
	if (hlen >= 0 && plen >= 0) {
		take(&a->sha, frame, len, &off, (size_t)hlen);
		take(&a->spa, frame, len, &off, (size_t)plen);
		take(&a->tha, frame, len, &off, (size_t)hlen);
		take(&a->tpa, frame, len, &off, (size_t)plen);
	} else {
		/* Without the sizes the addresses cannot be placed. */
		unknown(&a->sha);
		unknown(&a->spa);
		unknown(&a->tha);
		unknown(&a->tpa);
		if (hlen >= 0)
			off += 2 * (size_t)hlen;
	}
	a->need = off;
	a->truncated = len < off;
}

void
arp_set_vlan(struct arp_info *a, uint16_t tpid, uint16_t tci)
{
	if (!a->vlan) {
		a->len += VLAN_TAG_LEN;
		a->need += VLAN_TAG_LEN;
	}
	a->vlan = true;
	a->vlan_tpid = tpid;
	a->vlan_tci = tci;
}

bool
arp_ipv4(const struct arp_info *a)
{
	return arp_value(&a->ptype) == 0x0800 && arp_value(&a->plen) == 4;
}

long
arp_value(const struct arp_field *f)
{
	if (!arp_complete(f) || f->size < 1 || f->size > 2)
		return -1;
	return f->size == 1 ? f->p[0] : (long)(f->p[0] << 8 | f->p[1]);
}

static bool
all_zero(const struct arp_field *f)
{
	for (size_t i = 0; i < f->have; i++)
		if (f->p[i] != 0)
			return false;
	return true;
}

static bool
same_address(const struct arp_field *x, const struct arp_field *y)
{
	return arp_complete(x) && arp_complete(y) && x->size > 0 &&
	    x->size == y->size && memcmp(x->p, y->p, x->size) == 0;
}

enum arp_kind
arp_kind(const struct arp_info *a)
{
	long op = arp_value(&a->op);

	if (op < 0)
		return ARP_KIND_SHORT;
	if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)
		return ARP_KIND_OTHER;
	if (op == ARP_OP_REQUEST && arp_complete(&a->spa) &&
	    a->spa.size > 0 && all_zero(&a->spa))
		return ARP_KIND_PROBE;
	if (same_address(&a->spa, &a->tpa))
		return ARP_KIND_GRATUITOUS;
	return op == ARP_OP_REQUEST ? ARP_KIND_REQUEST : ARP_KIND_REPLY;
}

const char *
arp_kind_name(enum arp_kind k)
{
	switch (k) {
	case ARP_KIND_SHORT:		return "short";
	case ARP_KIND_REQUEST:		return "request";
	case ARP_KIND_REPLY:		return "reply";
	case ARP_KIND_PROBE:		return "probe";
	case ARP_KIND_GRATUITOUS:	return "gratuitous";
	case ARP_KIND_OTHER:		return "other";
	}
	return "other";
}

/* Hardware address: colon-separated hex of the bytes the frame has. */
static char *
put_hw(char *d, const struct arp_field *f)
{
	return put_hex(d, f->p, f->have, ':');
}

/* Protocol address: dotted when it is a whole IPv4 address, else
 * colon-separated hex, as a hardware address. */
static char *
put_proto(char *d, const struct arp_field *f, bool ipv4)
{
	if (ipv4 && f->size == 4 && f->have == 4)
		return put_ipv4(d, f->p);
	return put_hw(d, f);
}

/*
 * The block. The cheatsheet prints each label, already padded to 17
 * columns, then print's own space: values start at column 18.
 */
#define BLOCK_VALUE_COL	18

static const char block_eth[] =
    "---------------- ETHERNET_FRAME ----------------\n";
static const char block_arp[] =
    "----------------- ARP_HEADER -------------------\n";
static const char block_end[] =
    "------------------------------------------------\n\n";

static char *
put_label(char *d, const char *label)
{
	size_t n = strlen(label);

	memcpy(d, label, n);
	d += n;
	for (; n < BLOCK_VALUE_COL; n++)
		*d++ = ' ';
	return d;
}

/* One line of the block, if the field starts inside the frame: hex of
 * what is there, "..." when the frame cuts it short. */
static char *
block_field(char *d, const char *label, const struct arp_field *f, bool ip)
{
	if (f->p == NULL || (f->have == 0 && f->size > 0))
		return d;
	d = put_label(d, label);
	if (ip && f->size == 4 && f->have == 4)
		d = put_ipv4(d, f->p);
	else
		d = put_hex(d, f->p, f->have, 0);
	if (f->have < f->size)
		d = put_str(d, "...");
	*d++ = '\n';
	return d;
}

/* The tag's fields; the TPID only when it is not the usual 0x8100. */
static unsigned int
vlan_id(const struct arp_info *a)
{
	return a->vlan_tci & 0xfffu;
}

static unsigned int
vlan_pcp(const struct arp_info *a)
{
	return a->vlan_tci >> 13;
}

static unsigned int
vlan_dei(const struct arp_info *a)
{
	return (a->vlan_tci >> 12) & 1u;
}

/* "VLAN:             5 (pcp 0)", placed where the tag is on the wire. */
static char *
block_vlan(char *d, const struct arp_info *a)
{
	if (!a->vlan)
		return d;
	d = put_label(d, "VLAN:");
	d = put_dec(d, vlan_id(a));
	d = put_dec(put_str(d, " (pcp "), vlan_pcp(a));
	if (vlan_dei(a))
		d = put_str(d, ", dei 1");
	if (a->vlan_tpid != 0x8100)
		d = put_hex4(put_str(d, ", tpid 0x"), a->vlan_tpid);
	return put_str(d, ")\n");
}

static char *
put_truncation(char *d, const struct arp_info *a)
{
	d = put_dec(d, a->len);
	d = put_str(d, " of ");
	d = put_dec(d, a->need);
	return put_str(d, " bytes");
}

size_t
arp_print_block(char *dst, const struct arp_info *a)
{
	char *d = dst;

	d = put_str(d, block_eth);
	d = block_field(d, "Dest MAC:", &a->eth_dst, false);
	d = block_field(d, "Source MAC:", &a->eth_src, false);
	d = block_vlan(d, a);
	d = block_field(d, "Type:", &a->ethertype, false);
	d = put_str(d, block_arp);
	d = block_field(d, "Hardware type:", &a->htype, false);
	d = block_field(d, "Protocol type:", &a->ptype, false);
	d = block_field(d, "Hardware size:", &a->hlen, false);
	d = block_field(d, "Protocol size:", &a->plen, false);
	d = block_field(d, "Opcode:", &a->op, false);
	d = block_field(d, "Source MAC:", &a->sha, false);
	d = block_field(d, "Source IP:", &a->spa, arp_ipv4(a));
	d = block_field(d, "Dest MAC:", &a->tha, false);
	d = block_field(d, "Dest IP:", &a->tpa, arp_ipv4(a));
	if (a->truncated) {
		d = put_label(d, "Truncated:");
		d = put_truncation(d, a);
		*d++ = '\n';
	}
	d = put_str(d, block_end);
	return (size_t)(d - dst);
}

/* Addresses in a line: "?" when cut off, "<empty>" when of size 0. */
static char *
line_addr(char *d, const struct arp_info *a, const struct arp_field *f,
    bool proto)
{
	if (!arp_complete(f))
		return put_str(d, "?");
	if (f->size == 0)
		return put_str(d, "<empty>");
	return proto ? put_proto(d, f, arp_ipv4(a)) : put_hw(d, f);
}

/* tcpdump's "vlan 5, p 0, " (and "DE, " when set) before the ARP. */
static char *
line_vlan(char *d, const struct arp_info *a)
{
	if (!a->vlan)
		return d;
	d = put_dec(put_str(d, "vlan "), vlan_id(a));
	if (a->vlan_tpid != 0x8100)
		d = put_str(put_hex4(put_str(d, " (tpid 0x"), a->vlan_tpid),
		    ")");
	d = put_str(put_dec(put_str(d, ", p "), vlan_pcp(a)), ", ");
	return vlan_dei(a) ? put_str(d, "DE, ") : d;
}

static bool
usual_sizes(const struct arp_info *a)
{
	return arp_value(&a->htype) == 1 && arp_value(&a->ptype) == 0x0800 &&
	    arp_value(&a->hlen) == MAC_LEN && arp_value(&a->plen) == 4;
}

size_t
arp_print_line(char *dst, const struct arp_info *a)
{
	enum arp_kind kind = arp_kind(a);
	long op = arp_value(&a->op), type = arp_value(&a->ethertype);
	char *d = dst;

	d = line_vlan(d, a);
	switch (kind) {
	case ARP_KIND_SHORT:
		d = put_str(d, "short");
		break;
	case ARP_KIND_REQUEST:
	case ARP_KIND_PROBE:
		d = put_str(d, kind == ARP_KIND_PROBE ? "probe who-has " :
		    "request who-has ");
		d = line_addr(d, a, &a->tpa, true);
		/* As tcpdump: the target MAC only when it says something. */
		if (arp_complete(&a->tha) && !all_zero(&a->tha)) {
			d = put_str(d, " (");
			d = line_addr(d, a, &a->tha, false);
			*d++ = ')';
		}
		if (kind == ARP_KIND_PROBE)
			d = put_str(d, " from ");
		else {
			d = put_str(d, " tell ");
			d = line_addr(d, a, &a->spa, true);
			d = put_str(d, " (");
		}
		d = line_addr(d, a, &a->sha, false);
		if (kind != ARP_KIND_PROBE)
			*d++ = ')';
		break;
	case ARP_KIND_GRATUITOUS:
	case ARP_KIND_REPLY:
		if (kind == ARP_KIND_GRATUITOUS)
			d = put_str(d, op == ARP_OP_REQUEST ?
			    "gratuitous request " : "gratuitous reply ");
		else
			d = put_str(d, "reply ");
		d = line_addr(d, a, &a->spa, true);
		d = put_str(d, " is-at ");
		d = line_addr(d, a, &a->sha, false);
		break;
	case ARP_KIND_OTHER:
		d = put_str(d, "opcode ");
		d = put_dec(d, (unsigned long)op);
		d = put_str(d, " sender ");
		d = line_addr(d, a, &a->spa, true);
		d = put_str(d, " (");
		d = line_addr(d, a, &a->sha, false);
		d = put_str(d, ") target ");
		d = line_addr(d, a, &a->tpa, true);
		d = put_str(d, " (");
		d = line_addr(d, a, &a->tha, false);
		*d++ = ')';
		break;
	}
	if (type >= 0 && type != ETHERTYPE_ARP) {
		d = put_str(d, " [ethertype 0x");
		d = put_hex4(d, (unsigned int)type);
		*d++ = ']';
	}
	if (kind != ARP_KIND_SHORT && !usual_sizes(a)) {
		/* Not SHORT: the four values before the opcode are there. */
		d = put_str(d, " [htype ");
		d = put_dec(d, (unsigned long)arp_value(&a->htype));
		d = put_str(d, ", ptype 0x");
		d = put_hex4(d, (unsigned int)arp_value(&a->ptype));
		d = put_str(d, ", hlen ");
		d = put_dec(d, (unsigned long)arp_value(&a->hlen));
		d = put_str(d, ", plen ");
		d = put_dec(d, (unsigned long)arp_value(&a->plen));
		*d++ = ']';
	}
	if (a->truncated) {
		d = put_str(d, " [truncated: ");
		d = put_truncation(d, a);
		*d++ = ']';
	}
	*d++ = '\n';
	return (size_t)(d - dst);
}

/* JSON values: a number, or null when the frame does not have it all. */
static char *
json_num(char *d, const char *key, const struct arp_field *f)
{
	long v = arp_value(f);

	d = put_str(d, key);
	return v < 0 ? json_put_null(d) : json_put_uint(d, (unsigned long)v);
}

/* Ethertypes as rawrecv's JSON writes them: "0x0806". */
static char *
json_type(char *d, const char *key, const struct arp_field *f)
{
	long v = arp_value(f);

	d = put_str(d, key);
	return v < 0 ? json_put_null(d) : json_put_hex16(d, (unsigned int)v);
}

/* An address as a string of what the frame has of it; null when none of
 * it is there. */
static char *
json_addr(char *d, const char *key, const struct arp_info *a,
    const struct arp_field *f, bool proto)
{
	/* Colon-separated hex of up to 255 bytes, or 0x and hex. */
	char text[3 * 255 + 3];

	d = put_str(d, key);
	if (f->p == NULL || (f->have == 0 && f->size > 0))
		return json_put_null(d);
	*(proto ? put_proto(text, f, arp_ipv4(a)) : put_hw(text, f)) = '\0';
	return json_put_string(d, text);
}

size_t
arp_print_json(char *dst, const struct arp_info *a)
{
	char *d = dst;

	d = json_put_uint(put_str(d, "{\"len\":"), a->len);
	d = json_put_bool(put_str(d, ",\"truncated\":"), a->truncated);
	d = json_put_string(put_str(d, ",\"kind\":"),
	    arp_kind_name(arp_kind(a)));
	d = json_addr(d, ",\"dst\":", a, &a->eth_dst, false);
	d = json_addr(d, ",\"src\":", a, &a->eth_src, false);
	d = json_type(d, ",\"ethertype\":", &a->ethertype);
	d = put_str(d, ",\"vlan\":");
	d = a->vlan ? json_put_vlan(d, a->vlan_tpid, a->vlan_tci) :
	    json_put_null(d);
	d = json_num(d, ",\"htype\":", &a->htype);
	d = json_type(d, ",\"ptype\":", &a->ptype);
	d = json_num(d, ",\"hlen\":", &a->hlen);
	d = json_num(d, ",\"plen\":", &a->plen);
	d = json_num(d, ",\"op\":", &a->op);
	d = json_addr(d, ",\"sha\":", a, &a->sha, false);
	d = json_addr(d, ",\"spa\":", a, &a->spa, true);
	d = json_addr(d, ",\"tha\":", a, &a->tha, false);
	d = json_addr(d, ",\"tpa\":", a, &a->tpa, true);
	d = put_str(d, "}\n");
	return (size_t)(d - dst);
}
