/*
 * Unit tests for json.c: whole lines against exact strings (the schema of
 * json.h, key for key), VLAN tags, short frames, every packet type, and
 * interface names that need escaping, each within print_json_max().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>

#include "json.h"
#include "unit.h"

/* print_json into a buffer of exactly print_json_max() bytes. */
static const char *
json(const struct frame_meta *m, const void *frame, size_t len)
{
	static char out[4096];
	size_t max = print_json_max(len, m->iface ? strlen(m->iface) : 0);
	char *buf = malloc(max);
	size_t n = print_json(buf, m, frame, len);

	if (n > max || n >= sizeof(out)) {
		free(buf);
		return "(too long)";
	}
	memcpy(out, buf, n);
	out[n] = '\0';
	free(buf);
	return out;
}

static const uint8_t boo[] =
    "\xff\xff\xff\xff\xff\xff\x12\x34\x56\x78\x9a\xbc\xee\xfa" "Boo";

static void
test_schema(void)
{
	struct frame_meta m = {
		.has_ts = true, .ts_ns = 1700000000123456789ull,
		.iface = "veth0", .pkttype = PACKET_BROADCAST, .wirelen = 17,
	};

	CHECK_STR(json(&m, boo, 17),
	    "{\"ts_ns\":1700000000123456789,\"iface\":\"veth0\","
	    "\"pkttype\":\"broadcast\",\"src\":\"12:34:56:78:9a:bc\","
	    "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"ethertype\":\"0xeefa\","
	    "\"vlan\":null,\"len\":17,\"caplen\":17,\"payload\":\"426f6f\"}\n",
	    "a received frame: every key, in the documented order");

	m = (struct frame_meta){ .pkttype = -1, .wirelen = 100 };
	CHECK_STR(json(&m, boo, 17),
	    "{\"ts_ns\":null,\"iface\":null,\"pkttype\":null,"
	    "\"src\":\"12:34:56:78:9a:bc\",\"dst\":\"ff:ff:ff:ff:ff:ff\","
	    "\"ethertype\":\"0xeefa\",\"vlan\":null,\"len\":100,\"caplen\":17,"
	    "\"payload\":\"426f6f\"}\n",
	    "from a file: no time, interface or type is null; len > caplen");

	m.has_ts = true;
	m.ts_ns = 0;
	m.wirelen = 14;
	CHECK(strncmp(json(&m, boo, 14), "{\"ts_ns\":0,", 11) == 0 &&
	    strstr(json(&m, boo, 14), "\"payload\":\"\"}\n") != NULL,
	    "time 0 is 0, not null; a header-only frame has an empty payload");
}

static void
test_pkttypes(void)
{
	static const struct { int type; const char *name; } t[] = {
		{ PACKET_HOST, "\"host\"" },
		{ PACKET_BROADCAST, "\"broadcast\"" },
		{ PACKET_MULTICAST, "\"multicast\"" },
		{ PACKET_OTHERHOST, "\"other\"" },
		{ PACKET_OUTGOING, "\"outgoing\"" },
		{ 42, "\"unknown\"" },
		{ -1, "null" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct frame_meta m = { .pkttype = t[i].type, .wirelen = 17 };
		char want[64], name[64];

		snprintf(want, sizeof(want), "\"pkttype\":%s,", t[i].name);
		snprintf(name, sizeof(name), "pkttype %d is %s", t[i].type,
		    t[i].name);
		CHECK(strstr(json(&m, boo, 17), want) != NULL, name);
	}
}

static void
test_vlan(void)
{
	/* 802.1Q, PCP 5, DEI 1, VID 100, then ARP. */
	static const uint8_t q[] = "\x01\x02\x03\x04\x05\x06\x0a\x0b\x0c\x0d"
	    "\x0e\x0f\x81\x00\xb0\x64\x08\x06\xaa";
	/* 802.1ad S-tag VID 4094 in front of a C-tag. */
	static const uint8_t ad[] = "\x01\x02\x03\x04\x05\x06\x0a\x0b\x0c\x0d"
	    "\x0e\x0f\x88\xa8\x0f\xfe\x81\x00\x00\x02\x08\x06";
	struct frame_meta m = { .pkttype = -1, .wirelen = 19 };

	CHECK(strstr(json(&m, q, 19), "\"ethertype\":\"0x0806\",\"vlan\":"
	    "{\"tpid\":\"0x8100\",\"id\":100,\"pcp\":5,\"dei\":1},\"len\":19,"
	    "\"caplen\":19,\"payload\":\"aa\"}") != NULL,
	    "802.1Q: inner ethertype, tag fields, payload after the tag");
	m.wirelen = 22;
	CHECK(strstr(json(&m, ad, 22), "\"ethertype\":\"0x8100\",\"vlan\":"
	    "{\"tpid\":\"0x88a8\",\"id\":4094,\"pcp\":0,\"dei\":0},\"len\":22,"
	    "\"caplen\":22,\"payload\":\"00020806\"}") != NULL,
	    "802.1ad: the outer tag with its TPID; the inner one is payload");
	m.wirelen = 16;
	CHECK(strstr(json(&m, q, 16), "\"ethertype\":null,\"vlan\":null,"
	    "\"len\":16,\"caplen\":16,\"payload\":\"\"}") != NULL,
	    "a tag cut before the inner type: ethertype and vlan null");
	m.wirelen = 17;
	CHECK(strstr(json(&m, ad, 17), "\"ethertype\":null,\"vlan\":null,"
	    "\"len\":17,\"caplen\":17,\"payload\":\"\"}") != NULL,
	    "an 802.1ad tag cut before the inner type: null too");
	m.wirelen = 18;
	CHECK(strstr(json(&m, q, 18), "\"ethertype\":\"0x0806\",\"vlan\":"
	    "{\"tpid\":\"0x8100\",\"id\":100,\"pcp\":5,\"dei\":1},\"len\":18,"
	    "\"caplen\":18,\"payload\":\"\"}") != NULL,
	    "a whole tag and no payload: both known, payload empty");
}

static void
test_short(void)
{
	struct frame_meta m = { .pkttype = -1 };

	CHECK(strstr(json(&m, boo, 0), "\"src\":null,\"dst\":null,"
	    "\"ethertype\":null,\"vlan\":null,\"len\":0,\"caplen\":0,"
	    "\"payload\":\"\"}") != NULL,
	    "an empty frame: nothing known, empty payload");
	CHECK(strstr(json(&m, boo, 1), "\"src\":null,\"dst\":null,"
	    "\"ethertype\":null,") != NULL, "1 byte: no MAC is whole");
	CHECK(strstr(json(&m, boo, 6), "\"src\":null,"
	    "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"ethertype\":null,") != NULL,
	    "6 bytes: the destination only");
	CHECK(strstr(json(&m, boo, 11), "\"src\":null,"
	    "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"ethertype\":null,") != NULL,
	    "11 bytes: the destination only");
	CHECK(strstr(json(&m, boo, 13), "\"src\":\"12:34:56:78:9a:bc\","
	    "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"ethertype\":null,\"vlan\":null,"
	    "\"len\":0,\"caplen\":13,\"payload\":\"\"}") != NULL,
	    "13 bytes: both MACs, no type");
	CHECK(strstr(json(&m, boo, 14), "\"ethertype\":\"0xeefa\",\"vlan\":"
	    "null,\"len\":0,\"caplen\":14,\"payload\":\"\"}") != NULL,
	    "14 bytes: the whole header, empty payload");
}

static void
test_iface_names(void)
{
	static const struct { const char *name, *want; } t[] = {
		{ "a\"b", "\"iface\":\"a\\\"b\"," },
		{ "a\\b", "\"iface\":\"a\\\\b\"," },
		{ "tab\there", "\"iface\":\"tab\\u0009here\"," },
		{ "\x01\x1f\x7f", "\"iface\":\"\\u0001\\u001f\\u007f\"," },
		{ "io\xc3\xa9", "\"iface\":\"io\\u00e9\"," },
		{ "\xe2\x82\xac\xf0\x9f\x98\x80",
		    "\"iface\":\"\\u20ac\\ud83d\\ude00\"," },
		{ "\xc2\x9b\xe2\x80\xae", "\"iface\":\"\\u009b\\u202e\"," },
		{ "\xff\xfe", "\"iface\":\"\\udcff\\udcfe\"," },
		{ "a\xc3", "\"iface\":\"a\\udcc3\"," },
		{ "\xc0\xaf\xed\xa0\x80",
		    "\"iface\":\"\\udcc0\\udcaf\\udced\\udca0\\udc80\"," },
		{ "</script>", "\"iface\":\"</script>\"," },
		{ "", "\"iface\":\"\"," },
	};
	/* The worst name: 15 bytes (IFNAMSIZ - 1), each six on output (a
	 * control or a byte that is not UTF-8; UTF-8 takes at most three a
	 * byte: \ud83d\ude00 for four). */
	static const char worst[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x09"
	    "\x0a\x0b\x0c\x0d\x0e\x0f";

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct frame_meta m = { .iface = t[i].name, .pkttype = 0,
		    .wirelen = 17 };
		char name[96];

		snprintf(name, sizeof(name), "interface name escaped: %s",
		    t[i].want);
		CHECK(strstr(json(&m, boo, 17), t[i].want) != NULL, name);
	}
	{
		struct frame_meta m = { .iface = worst, .pkttype = 0,
		    .has_ts = true, .ts_ns = UINT64_MAX, .wirelen = SIZE_MAX };

		CHECK(strcmp(json(&m, boo, 17), "(too long)") != 0,
		    "the longest line fits print_json_max()");
	}
	{
		/* Output is plain ASCII whatever the name. */
		char name[16];
		struct frame_meta m = { .iface = name, .pkttype = 0 };
		int bad = 0;

		for (int c = 1; c < 256; c++) {
			const char *s;

			name[0] = (char)c;
			name[1] = '\0';
			s = json(&m, boo, 17);
			for (; *s; s++)
				if ((unsigned char)*s >= 0x7f ||
				    ((unsigned char)*s < 0x20 && *s != '\n'))
					bad++;
		}
		CHECK(bad == 0,
		    "every byte 1-255 as a name: the line is ASCII");
		/* Every pair, and 4-byte sequences, within the sizing. */
		bad = 0;
		for (int c = 0; c < 65536; c++) {
			name[0] = (char)(c >> 8 | 1);
			name[1] = (char)(c | 1);
			memcpy(name + 2, "\xf4\x8f\xbf\xbf\xf0\x90\x80\x80", 8);
			name[10] = '\0';
			if (strcmp(json(&m, boo, 17), "(too long)") == 0)
				bad++;
		}
		CHECK(bad == 0, "every pair of bytes, then 4-byte UTF-8: fits");
	}
}

static void
test_payload(void)
{
	uint8_t frame[14 + 256];
	struct frame_meta m = { .pkttype = -1, .wirelen = sizeof(frame) };
	const char *s, *p;
	int ok = 1;

	memcpy(frame, boo, 14);
	for (int i = 0; i < 256; i++)
		frame[14 + i] = (uint8_t)i;
	s = json(&m, frame, sizeof(frame));
	p = strstr(s, "\"payload\":\"");
	if (p == NULL)
		ok = 0;
	else {
		p += 11;
		for (int i = 0; i < 256 && ok; i++) {
			char want[3];

			snprintf(want, sizeof(want), "%02x", i);
			ok = memcmp(p + 2 * i, want, 2) == 0;
		}
		ok = ok && strcmp(p + 512, "\"}\n") == 0;
	}
	CHECK(ok, "every byte value in the payload, as lowercase hex");
}

int
main(void)
{
	test_schema();
	test_pkttypes();
	test_vlan();
	test_short();
	test_iface_names();
	test_payload();
	return unit_done();
}
