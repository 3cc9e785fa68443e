/*
 * libFuzzer harness for the output formats on arbitrary bytes: escape_text
 * (text a terminal cannot act on in both modes; in ESC_VIS undone exactly
 * by strunvis(3) and by rawsend --vis's decoder), print_rawpacket
 * (exactly two lines, with the longest cut mark),
 * print_hex, and print_json (one line of valid JSON with the keys of
 * json.h, in order, plain ASCII), each into a buffer of exactly its
 * *_max() size so that ASan sees any write past it. The first bytes of
 * the input also pick the JSON metadata: timestamp, packet type and an
 * interface name of any bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define LIBBSD_NETBSD_VIS
#include <vis.h>

#include "input.h"
#include "jsonread.h"
#include "json.h"
#include "print.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_print: %s\n", what);
	abort();
}

static void
check_json(const char *s, size_t n)
{
	static const char *const keys[] = {
		"ts_ns", "iface", "pkttype", "src", "dst", "ethertype", "vlan",
		"len", "caplen", "payload",
	};
	static const char *const vlan_keys[] = { "tpid", "id", "pcp", "dei" };

	if (n < 2 || s[n - 1] != '\n' || memchr(s, '\n', n - 1) != NULL)
		fail("json: not exactly one line");
	for (size_t i = 0; i < n - 1; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			fail("json: not printable ASCII");
	if (!json_check(s, n - 1, keys, 10, vlan_keys, 4))
		fail("json: not one valid object with the keys of json.h");
}

/* U+200B-U+200F, U+2028-U+202E, U+2066-U+2069 or U+FEFF at p: decoded
 * to a code point and compared as numbers, not as print.c's bytes, so
 * the check does not repeat what it checks. */
static int
invisible(const unsigned char *p)
{
	unsigned int cp;

	if ((p[0] & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 ||
	    (p[2] & 0xc0) != 0x80)
		return 0;
	cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
	return (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* Escaped text: valid UTF-8 with no C0, DEL or C1 control in it, and
 * none of the invisible or bidirectional code points of print.h. */
static void
check_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			fail("escape_text let a control byte through");
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0)
			fail("escape_text let a C1 control through");
		if (i + 2 < n && invisible((const unsigned char *)s + i))
			fail("escape_text let an invisible code point through");
	}
}

static void
check_escape(const uint8_t *data, size_t size)
{
	size_t max = escape_text_max(size);
	char *esc = malloc(max + 1), *back = malloc(size + 1);
	const char *why;
	size_t n = escape_text(esc, data, size, ESC_VIS);
	long m;

	if (n > max)
		fail("escape_text wrote past escape_text_max");
	check_text(esc, n);
	esc[n] = '\0';
	if (strnunvis(back, size + 1, esc) != (int)size ||
	    memcmp(back, data, size) != 0)
		fail("strunvis does not undo escape_text");
	if ((m = input_decode(FRAMING_VIS, (uint8_t *)esc, n, &why)) !=
	    (long)size || memcmp(esc, data, size) != 0)
		fail("rawsend --vis does not undo escape_text");
	/* ESC_READ lets the backslash pass, and nothing else. */
	n = escape_text(esc, data, size, ESC_READ);
	if (n > max)
		fail("escape_text (ESC_READ) wrote past escape_text_max");
	check_text(esc, n);
	free(esc);
	free(back);
}

static void
check_rawpacket(const uint8_t *data, size_t size)
{
	size_t max = print_rawpacket_max(size), n, lines = 0;
	char *buf = malloc(max);

	n = print_rawpacket(buf, data, size, (size_t)-1);	/* cut: the longest mark */
	if (n > max)
		fail("print_rawpacket wrote past print_rawpacket_max");
	for (size_t i = 0; i < n; i++)
		lines += buf[i] == '\n';
	if (lines != 2 || buf[n - 1] != '\n')
		fail("print_rawpacket: not exactly two lines");
	free(buf);
}

static void
check_hex(const uint8_t *data, size_t size)
{
	size_t max = print_hex_max(size), n;
	char *buf = malloc(max);

	n = print_hex(buf, data, size, size);
	if (n != 2 * size + 1 || buf[n - 1] != '\n')
		fail("print_hex: wrong length");
	for (size_t i = 0; i < n - 1; i++)
		if (strchr("0123456789abcdef", buf[i]) == NULL || buf[i] == 0)
			fail("print_hex: not lowercase hex");
	free(buf);
}

static void
check_print_json(const uint8_t *data, size_t size)
{
	char iface[16];
	struct frame_meta m = { .pkttype = -1 };
	size_t max, n, namelen = 0;
	char *buf;

	/* Byte 0: flags; 1: pkttype; 2-9: time; then a name up to NUL. */
	if (size >= 10) {
		m.has_ts = data[0] & 1;
		if (data[0] & 2)
			m.pkttype = data[1];
		memcpy(&m.ts_ns, data + 2, 8);
		if (data[0] & 4) {
			while (namelen < 15 && 10 + namelen < size &&
			    data[10 + namelen] != '\0') {
				iface[namelen] = (char)data[10 + namelen];
				namelen++;
			}
			iface[namelen] = '\0';
			m.iface = iface;
		}
		m.wirelen = data[0] & 8 ? size + data[1] : size;
	}
	max = print_json_max(size, namelen);
	buf = malloc(max);
	n = print_json(buf, &m, data, size);
	if (n > max)
		fail("print_json wrote past print_json_max");
	check_json(buf, n);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_escape(data, size);
	check_rawpacket(data, size);
	check_hex(data, size);
	check_print_json(data, size);
	return 0;
}
