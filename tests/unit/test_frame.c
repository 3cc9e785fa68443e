/* Unit tests for frame.c: MAC and ethertype text forms, header building. */
#include <stdbool.h>
#include <stdint.h>

#include "frame.h"
#include "unit.h"

static const uint8_t mac_sample[MAC_LEN] = {
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc
};

/* mac_parse accepts text and gives mac_sample. */
static int
mac_ok(const char *text)
{
	uint8_t mac[MAC_LEN] = { 0 };

	return mac_parse(text, mac) == 0 &&
	    memcmp(mac, mac_sample, MAC_LEN) == 0;
}

/* mac_parse refuses text and leaves no claim of success. */
static int
mac_bad(const char *text)
{
	uint8_t mac[MAC_LEN];

	return mac_parse(text, mac) == -1;
}

static void
test_mac(void)
{
	uint8_t mac[MAC_LEN];
	char text[MAC_TEXT_LEN];

	CHECK(mac_ok("12:34:56:78:9a:bc"), "mac: colons, lowercase");
	CHECK(mac_ok("12:34:56:78:9A:BC"), "mac: colons, uppercase");
	CHECK(mac_ok("12-34-56-78-9a-bc"), "mac: dashes, lowercase");
	CHECK(mac_ok("12-34-56-78-9A-bc"), "mac: dashes, mixed case");
	CHECK(mac_parse("FF:FF:FF:FF:FF:FF", mac) == 0 &&
	    memcmp(mac, mac_broadcast, MAC_LEN) == 0, "mac: broadcast");
	CHECK(mac_parse("00:00:00:00:00:00", mac) == 0 &&
	    memcmp(mac, "\0\0\0\0\0\0", MAC_LEN) == 0, "mac: all zero");

	CHECK(mac_bad("12:34:56-78:9a:bc"), "mac: mixed separators refused");
	CHECK(mac_bad("12-34:56:78:9a:bc"), "mac: mixed, dash first refused");
	CHECK(mac_bad("12:34:56:78:9a"), "mac: five bytes refused");
	CHECK(mac_bad("12:34:56:78:9a:"), "mac: trailing separator refused");
	CHECK(mac_bad("12:34:56:78:9a:bc:de"), "mac: seven bytes refused");
	CHECK(mac_bad("12:34:56:78:9a:bcd"), "mac: long last byte refused");
	CHECK(mac_bad("12:34:56:78:9a:b"), "mac: short last byte refused");
	CHECK(mac_bad("1:2:3:4:5:6"), "mac: one-digit bytes refused");
	CHECK(mac_bad("123456789abc"), "mac: no separators refused");
	CHECK(mac_bad("12.34.56.78.9a.bc"), "mac: dots refused");
	CHECK(mac_bad("zz:11:22:33:44:55"), "mac: non-hex refused");
	CHECK(mac_bad("12:34:56:78:9a:bg"), "mac: non-hex last digit refused");
	CHECK(mac_bad(" 12:34:56:78:9a:bc"), "mac: leading space refused");
	CHECK(mac_bad("12:34:56:78:9a:bc "), "mac: trailing space refused");
	CHECK(mac_bad("12:34:56:78:9a:bc\n"), "mac: trailing newline refused");
	CHECK(mac_bad("12::34:56:78:9a:bc"), "mac: double separator refused");
	CHECK(mac_bad(""), "mac: empty refused");
	CHECK(mac_bad(":"), "mac: lone colon refused");
	CHECK(mac_bad("zz:11"), "mac: junk refused");

	CHECK_STR(mac_format(mac_sample, text), "12:34:56:78:9a:bc",
	    "mac_format: lowercase with colons");
	CHECK_STR(mac_format(mac_broadcast, text), "ff:ff:ff:ff:ff:ff",
	    "mac_format: broadcast");
	CHECK(mac_format(mac_sample, text) == text, "mac_format returns out");
	CHECK(mac_parse("AB-CD-EF-01-23-45", mac) == 0 &&
	    strcmp(mac_format(mac, text), "ab:cd:ef:01:23:45") == 0,
	    "mac: dashed uppercase formats back lowercase with colons");
}

/* ethertype_parse accepts text as want. */
static int
type_ok(const char *text, bool allow_any, uint16_t want)
{
	const char *why = NULL;
	uint16_t type = 0;

	return ethertype_parse(text, allow_any, &type, &why) == 0 &&
	    type == want;
}

/* ethertype_parse refuses text with a reason containing want_why. */
static int
type_bad(const char *text, bool allow_any, const char *want_why)
{
	const char *why = NULL;
	uint16_t type = 0x1234;

	return ethertype_parse(text, allow_any, &type, &why) == -1 &&
	    why != NULL && strstr(why, want_why) != NULL && type == 0x1234;
}

static void
test_ethertype(void)
{
	char list[256];

	CHECK(type_ok("0xEEFA", false, 0xeefa), "type: 0xEEFA");
	CHECK(type_ok("0xeefa", false, 0xeefa), "type: 0xeefa");
	CHECK(type_ok("0XeEfA", false, 0xeefa), "type: 0XeEfA");
	CHECK(type_ok("61178", false, 0xeefa), "type: decimal 61178");
	CHECK(type_ok("1536", false, 0x0600), "type: decimal 1536 (0x0600)");
	CHECK(type_ok("0x0600", false, 0x0600), "type: 0x0600, the minimum");
	CHECK(type_ok("0xffff", false, 0xffff), "type: 0xffff, the maximum");
	CHECK(type_ok("65535", false, 0xffff), "type: 65535");
	CHECK(type_ok("0x00000800", false, 0x0800), "type: leading zeros");
	CHECK(type_ok("ipv4", false, 0x0800), "type: ipv4");
	CHECK(type_ok("IPv4", false, 0x0800), "type: IPv4, any case");
	CHECK(type_ok("arp", false, 0x0806), "type: arp");
	CHECK(type_ok("ARP", false, 0x0806), "type: ARP");
	CHECK(type_ok("ipv6", false, 0x86dd), "type: ipv6");
	CHECK(type_ok("Vlan", false, 0x8100), "type: Vlan");
	CHECK(type_ok("LLDP", false, 0x88cc), "type: LLDP");
	CHECK(type_ok("any", true, ETHERTYPE_ANY), "type: any when allowed");
	CHECK(type_ok("ANY", true, ETHERTYPE_ANY), "type: ANY when allowed");
	CHECK(type_ok("ipv4", true, 0x0800), "type: names still work with any");

	CHECK(type_bad("any", false,
	    "'any' is every ethertype, and one is needed here"),
	    "type: any refused when not allowed, saying why");
	CHECK(type_bad("0x10000", false, "above 0xffff"), "type: 0x10000");
	CHECK(type_bad("65536", false, "above 0xffff"), "type: 65536");
	CHECK(type_bad("0xffffffffffffffffffff", false, "above 0xffff"),
	    "type: huge hex saturates to 'above 0xffff'");
	CHECK(type_bad("99999999999999999999", false, "above 0xffff"),
	    "type: huge decimal saturates to 'above 0xffff'");
	CHECK(type_bad("0x05dc", false, "802.3 length"), "type: 0x05dc");
	CHECK(type_bad("0x05ff", false, "below 0x0600"), "type: 0x05ff");
	CHECK(type_bad("1535", false, "below 0x0600"), "type: 1535");
	CHECK(type_bad("0", false, "below 0x0600"), "type: 0");
	CHECK(type_bad("0x0003", true, "below 0x0600"),
	    "type: 0x0003 is not a way to say any");
	CHECK(type_bad("", false, "not a number"), "type: empty");
	CHECK(type_bad("", true, "'any'"), "type: empty, reason names any");
	CHECK(type_bad("0x", false, "not a number"), "type: bare 0x");
	CHECK(type_bad("0xeefg", false, "not a number"), "type: non-hex digit");
	CHECK(type_bad("eefa", false, "not a number"), "type: hex without 0x");
	CHECK(type_bad("-1", false, "not a number"), "type: negative");
	CHECK(type_bad("+2048", false, "not a number"), "type: plus sign");
	CHECK(type_bad(" 2048", false, "not a number"), "type: leading space");
	CHECK(type_bad("2048 ", false, "not a number"), "type: trailing space");
	CHECK(type_bad("2048x", false, "not a number"), "type: trailing junk");
	CHECK(type_bad("ipv5", false, "not a number"), "type: unknown name");
	CHECK(type_bad("ipv4 ", false, "not a number"), "type: name and space");

	CHECK_STR(ethertype_name(0x0806), "arp", "ethertype_name: arp");
	CHECK_STR(ethertype_name(0xeefa), "rawsock", "ethertype_name: 0xeefa");
	CHECK(ethertype_name(0x1234) == NULL, "ethertype_name: unknown NULL");
	ethertype_list(list, sizeof(list));
	CHECK(strncmp(list, "ipv4 arp ", 9) == 0 && strstr(list, " ipv6 ") &&
	    strstr(list, " vlan ") && strstr(list, " lldp "),
	    "ethertype_list names ipv4 arp ipv6 vlan lldp");
	ethertype_list(list, 10);
	CHECK(strlen(list) < 10, "ethertype_list: stays within a short buffer");
}

static void
test_header(void)
{
	static const uint8_t want[FRAME_HDR_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
		0xee, 0xfa
	};
	uint8_t hdr[FRAME_HDR_LEN];

	frame_header(hdr, mac_broadcast, mac_sample, 0xeefa);
	CHECK_MEM(hdr, sizeof(hdr), want, sizeof(want),
	    "frame_header: dest, src, type in network order");
	CHECK(frame_type(hdr) == 0xeefa, "frame_type reads it back");
	CHECK(hex_digit('a') == 10 && hex_digit('F') == 15 &&
	    hex_digit('0') == 0 && hex_digit('g') == -1 &&
	    hex_digit(':') == -1, "hex_digit");
}

int
main(void)
{
	test_mac();
	test_ethertype();
	test_header();
	return unit_done();
}
