/*
 * Unit tests for jsonframe.c, the JSON reader: what print_json writes reads
 * back to the same bytes (tags, 802.3 lengths, empty payloads), defaults
 * fill what a line leaves out, and every kind of bad line is refused with
 * a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonframe.h"
#include "unit.h"

#define OUTMAX	(1500 + JSONFRAME_HDR_MAX)

static const struct jsonframe_defaults defaults = {
	.dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.src = { 0x02, 0, 0, 0, 0, 0x0a },
	.type = 0xeefa, .vlan_tci = -1, .vlan_tpid = 0x8100,
};

static uint8_t out[OUTMAX];
static const char *why;

static long
decode(const char *line)
{
	why = NULL;
	return jsonframe_decode(&defaults, line, strlen(line), out, OUTMAX,
	    &why);
}

/* print_json, then the reader: the same bytes back. */
static int
round_trip(const uint8_t *frame, size_t len)
{
	struct frame_meta m = { .has_ts = true, .ts_ns = 1, .iface = "va",
	    .pkttype = 0, .wirelen = len };
	char *text = malloc(print_json_max(len, 2));
	size_t n = print_json(text, &m, frame, len);
	long got;

	text[n - 1] = '\0';	/* the newline */
	got = decode(text);
	free(text);
	return got == (long)len && memcmp(out, frame, len) == 0;
}

static void
test_round_trips(void)
{
	uint8_t f[200];
	int ok = 1;

	srand(7);
	for (int i = 0; i < 2000; i++) {
		size_t len = 14 + (size_t)rand() % 150;

		for (size_t k = 0; k < len; k++)
			f[k] = (uint8_t)rand();
		if (i % 3 == 0) {	/* tagged */
			f[12] = i % 2 ? 0x81 : 0x88;
			f[13] = i % 2 ? 0x00 : 0xa8;
			if (len < 18)
				len = 18;
		} else if (f[12] == 0x81 || f[12] == 0x88)
			f[12] = 0x08;
		ok &= round_trip(f, len);
	}
	CHECK(ok, "2000 random frames, a third tagged, read back as written");
}

static void
test_defaults(void)
{
	static const uint8_t want[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0x02, 0, 0, 0, 0, 0x0a, 0xee, 0xfa, 'h', 'i' };
	static const uint8_t tagged[] = { 0x02, 0, 0, 0, 0, 0x0b,
	    0x02, 0, 0, 0, 0, 0x0a, 0x88, 0xa8, 0xa0, 0x05, 0x08, 0x06 };
	struct jsonframe_defaults d = defaults;
	long n;

	n = decode("{\"text\":\"hi\"}");
	CHECK(n == sizeof(want) && memcmp(out, want, sizeof(want)) == 0,
	    "text with every other key from the defaults");
	n = decode("{}");
	CHECK(n == 14 && memcmp(out, want, 14) == 0, "{} is the defaults' "
	    "empty frame");
	n = decode(" { \"dst\" : \"02:00:00:00:00:0B\" , \"ethertype\" : 2054,"
	    "\"vlan\":{\"id\":5,\"pcp\":5,\"tpid\":\"0x88a8\"} } \r");
	CHECK(n == sizeof(tagged) && memcmp(out, tagged, sizeof(tagged)) == 0,
	    "blanks, a number ethertype, an 802.1ad tag");
	n = decode("{\"ethertype\":\"arp\",\"payload\":\"\"}");
	CHECK(n == 14 && out[12] == 0x08 && out[13] == 0x06, "a name");
	n = decode("{\"text\":\"\\u00e9\\ud83d\\ude00\\udcff\\n\"}");
	CHECK(n == 14 + 2 + 4 + 1 + 1 && memcmp(out + 14,
	    "\xc3\xa9\xf0\x9f\x98\x80\xff\n", 8) == 0,
	    "text: escapes, a surrogate pair, \\udcff as the byte 0xff");
	d.vlan_tci = 7;
	n = jsonframe_decode(&d, "{}", 2, out, OUTMAX, &why);
	CHECK(n == 18 && out[12] == 0x81 && out[15] == 7, "--vlan's tag");
	n = jsonframe_decode(&d, "{\"vlan\":null}", 13, out, OUTMAX, &why);
	CHECK(n == 14, "vlan null: untagged, whatever --vlan says");
	n = decode("{\"ts_ns\":1.5e9,\"iface\":\"va\",\"pkttype\":null,"
	    "\"len\":[1,{\"a\":true}],\"caplen\":false}");
	CHECK(n == 14, "capture keys read and ignored, whatever they hold");
	d.need_dst = true;
	n = jsonframe_decode(&d, "{}", 2, out, OUTMAX, &why);
	CHECK(n < 0 && strstr(why, "no dst") != NULL, "need_dst: no dst");
}

static void
test_refused(void)
{
	static const char *const bad[] = {
		"", "[]", "\"x\"", "{", "{\"dst\"}", "{\"dst\":}",
		"{\"dts\":\"ff:ff:ff:ff:ff:ff\"}",
		"{\"dst\":\"ff:ff:ff:ff:ff\"}", "{\"dst\":null}",
		"{\"src\":1}", "{\"ethertype\":\"0x10000\"}",
		"{\"ethertype\":65536}", "{\"ethertype\":-1}",
		"{\"ethertype\":1.0}", "{\"ethertype\":\"any\"}",
		"{\"vlan\":5}", "{\"vlan\":{}}", "{\"vlan\":{\"id\":4096}}",
		"{\"vlan\":{\"id\":1,\"pcp\":8}}",
		"{\"vlan\":{\"id\":1,\"dei\":2}}",
		"{\"vlan\":{\"id\":1,\"tpid\":\"0x0800\"}}",
		"{\"vlan\":{\"id\":1,\"vid\":2}}",
		"{\"payload\":\"abc\"}", "{\"payload\":\"zz\"}",
		"{\"payload\":12}", "{\"payload\":\"00\",\"text\":\"a\"}",
		"{\"text\":\"a\",\"payload\":\"00\"}", "{\"text\":null}",
		"{\"text\":\"\\ud800\"}", "{\"text\":\"\\udc00\"}",
		"{\"text\":\"\\x\"}", "{\"text\":\"\xff\"}",
		"{\"text\":\"\xc0\xaf\"}", "{\"text\":\"a\nb\"}",
		"{\"text\":\"abc}", "{} {}", "{\"dst\":\"ff:ff:ff:ff:ff:ff\","
		"\"dst\":\"ff:ff:ff:ff:ff:ff\"}", "{,}", "{\"len\":01}",
		"{\"len\":tru}", "{\"len\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		"[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
	};
	int ok = 1;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long n = decode(bad[i]);

		if (n >= 0 || why == NULL || why[0] == '\0') {
			ok = 0;
			unit_show("accepted", bad[i]);
		}
	}
	CHECK(ok, "every bad line refused with a reason");
	decode("{\"dts\":1}");
	CHECK(strstr(why, "unknown key 'dts'") != NULL, "a typo is named");
}

static void
test_too_long(void)
{
	size_t n = 2 * 1501 + 20;
	char *line = malloc(n);
	long got;

	strcpy(line, "{\"payload\":\"");
	memset(line + 12, 'a', 2 * 1501);
	strcpy(line + 12 + 2 * 1501, "\"}");
	got = decode(line);
	CHECK(got < 0 && strcmp(why, "too long") == 0, "1501 bytes: too long");
	line[12 + 2 * 1500] = '"';
	line[12 + 2 * 1500 + 1] = '}';
	line[12 + 2 * 1500 + 2] = '\0';
	CHECK(decode(line) == 1514, "1500 bytes fit");
	free(line);
}

int
main(void)
{
	test_round_trips();
	test_defaults();
	test_refused();
	test_too_long();
	printf("1..%d\n", unit_n);
	return unit_failed != 0;
}
