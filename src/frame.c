#include <string.h>
#include <strings.h>
#include <stdio.h>

#include "frame.h"
#include "put.h"

const uint8_t mac_broadcast[MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

const uint8_t hex_value1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static const struct {
	const char *name;
	uint16_t type;
} ethertypes[] = {
	{ "ipv4", 0x0800 },
	{ "arp", 0x0806 },
	{ "wol", 0x0842 },
	{ "rarp", 0x8035 },
	{ "vlan", 0x8100 },
	{ "ipv6", 0x86dd },
	{ "mpls", 0x8847 },
	{ "pppoe-disc", 0x8863 },
	{ "pppoe", 0x8864 },
	{ "eapol", 0x888e },
	{ "qinq", 0x88a8 },
	{ "lldp", 0x88cc },
	{ "macsec", 0x88e5 },
	{ "ptp", 0x88f7 },
	{ "rawsock", 0xeefa },
};

int
mac_parse(const char *text, uint8_t mac[MAC_LEN])
{
	const char *p = text;
	char sep = 0;

	for (int i = 0; i < MAC_LEN; i++) {
		int hi = hex_digit((unsigned char)p[0]);
		int lo = hi < 0 ? -1 : hex_digit((unsigned char)p[1]);

		if (lo < 0)
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
		p += 2;
		if (i == MAC_LEN - 1)
			break;
		/* One separator style throughout: all ':' or all '-'. */
		if (sep == 0 && (*p == ':' || *p == '-'))
			sep = *p;
		if (sep == 0 || *p != sep)
			return -1;
		p++;
	}
	return *p == '\0' ? 0 : -1;
}

char *
mac_format(const uint8_t mac[MAC_LEN], char out[MAC_TEXT_LEN])
{
	*put_hex(out, mac, MAC_LEN, ':') = '\0';
	return out;
}

/* Strict unsigned parse: decimal or 0x-hex, digits only, no sign or space. */
static int
parse_u32(const char *text, unsigned long *value)
{
	const char *p = text;
	unsigned long v = 0;
	int base = 10, digits = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++, digits++) {
		int d = hex_digit((unsigned char)*p);

		if (d < 0 || d >= base)
			return -1;
		v = v * (unsigned)base + (unsigned)d;
		if (v > 0xffffffffUL)
			v = 0xffffffffUL + 1;	/* saturate: "too large" */
	}
	if (digits == 0)
		return -1;
	*value = v;
	return 0;
}

int
ethertype_parse(const char *text, bool allow_any, uint16_t *type,
    const char **why)
{
	unsigned long v;

	if (strcasecmp(text, "any") == 0) {
		if (!allow_any) {
			*why = "'any' is every ethertype, and one is "
			    "needed here";
			return -1;
		}
		*type = ETHERTYPE_ANY;
		return 0;
	}
	for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++) {
		if (strcasecmp(text, ethertypes[i].name) == 0) {
			*type = ethertypes[i].type;
			return 0;
		}
	}
	if (parse_u32(text, &v) < 0) {
		*why = allow_any ? "not a number, a known name or 'any'" :
		    "not a number or a known name";
		return -1;
	}
	if (v > 0xffff) {
		*why = "above 0xffff";
		return -1;
	}
	if (v < ETHERTYPE_MIN) {
		*why = "below 0x0600, an IEEE 802.3 length, not a type";
		return -1;
	}
	*type = (uint16_t)v;
	return 0;
}

const char *
ethertype_name(uint16_t type)
{
	for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++)
		if (ethertypes[i].type == type)
			return ethertypes[i].name;
	return NULL;
}

void
ethertype_list(char *out, size_t outlen)
{
	size_t used = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++) {
		int n = snprintf(out + used, outlen - used, "%s%s",
		    i ? " " : "", ethertypes[i].name);
		if (n < 0 || (size_t)n >= outlen - used)
			return;
		used += (size_t)n;
	}
}

void
frame_header(uint8_t hdr[FRAME_HDR_LEN], const uint8_t dst[MAC_LEN],
    const uint8_t src[MAC_LEN], uint16_t type)
{
	memcpy(hdr, dst, MAC_LEN);
	memcpy(hdr + MAC_LEN, src, MAC_LEN);
	hdr[12] = (uint8_t)(type >> 8);
	hdr[13] = (uint8_t)type;
}

void
rxframe_put_tag(struct rxframe *f)
{
	uint8_t *tagged = (uint8_t *)f->data - VLAN_TAG_LEN;

	if (f->len < 2 * MAC_LEN)
		return;
	memmove(tagged, f->data, 2 * MAC_LEN);
	tagged[12] = (uint8_t)(f->vlan_tpid >> 8);
	tagged[13] = (uint8_t)f->vlan_tpid;
	tagged[14] = (uint8_t)(f->vlan_tci >> 8);
	tagged[15] = (uint8_t)f->vlan_tci;
	f->data = tagged;
	f->len += VLAN_TAG_LEN;
	f->wirelen += VLAN_TAG_LEN;
}
