/*
 * Unit tests for put.c and json.c's writer: the small writers every
 * output format is made of, each checked for its exact bytes and for
 * the end it returns.
 */
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "put.h"
#include "unit.h"

static char buf[256];

/* What a writer wrote, as a string. */
static const char *
text(const char *end)
{
	buf[end - buf] = '\0';
	return buf;
}

int
main(void)
{
	static const uint8_t mac[] = { 0x00, 0x1a, 0xff, 0x0f, 0xa0, 0x09 };
	int c;

	CHECK(memcmp(hexdigits, "0123456789abcdef", 16) == 0, "hex digits");
	CHECK_STR(text(put_hex(buf, mac, 6, ':')), "00:1a:ff:0f:a0:09",
	    "hex joined by a colon");
	CHECK_STR(text(put_hex(buf, mac, 6, 0)), "001aff0fa009",
	    "hex without a separator");
	CHECK_STR(text(put_hex(buf, mac, 0, ':')), "", "no bytes, no text");
	CHECK_STR(text(put_hex(buf, mac, 1, ':')), "00", "one byte, no colon");
	CHECK_STR(text(put_hex4(buf, 0x0806)), "0806", "four hex digits");
	CHECK_STR(text(put_hex4(buf, 0x1abcd)), "abcd", "only the low 16 bits");
	CHECK_STR(text(put_dec(buf, 0)), "0", "decimal zero");
	CHECK_STR(text(put_dec(buf, 18446744073709551615ull)),
	    "18446744073709551615", "decimal of the largest value");
	CHECK_STR(text(put_str(buf, "a\"b")), "a\"b", "a string as it is");

	CHECK_STR(text(json_put_string(buf, "a\"b\\c")), "\"a\\\"b\\\\c\"",
	    "json: quote and backslash escaped");
	CHECK_STR(text(json_put_string(buf, "\t\x7f\xc3\xa9")),
	    "\"\\u0009\\u007f\\u00e9\"",
	    "json: controls and DEL as \\u00XX, UTF-8 as its code point");
	CHECK_STR(text(json_put_string(buf, "\xf0\x9f\x98\x80\xff")),
	    "\"\\ud83d\\ude00\\udcff\"",
	    "json: a surrogate pair above U+FFFF, a bad byte as \\udcXX");
	CHECK_STR(text(json_put_string(buf, "")), "\"\"", "json: empty string");
	CHECK_STR(text(json_put_uint(buf, 42)), "42", "json: number");
	CHECK_STR(text(json_put_bool(buf, true)), "true", "json: true");
	CHECK_STR(text(json_put_bool(buf, false)), "false", "json: false");
	CHECK_STR(text(json_put_null(buf)), "null", "json: null");
	CHECK_STR(text(json_put_hex16(buf, 0x88a8)), "\"0x88a8\"",
	    "json: ethertype");
	c = 0;
	for (unsigned v = 1; v < 256; v++) {
		char s[2] = { (char)v, 0 };
		long n = json_put_string(buf, s) - buf;

		if (n != (v < 0x20 || v >= 0x7f ? 8 : v == '"' || v == '\\' ?
		    4 : 3))
			c = 1;
	}
	CHECK(c == 0, "json: every byte in the length it is sized for");
	return unit_done();
}
