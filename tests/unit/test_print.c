/*
 * Unit tests for print.c: escape_text against exact strings and against
 * libbsd's strunvis(), which must turn every output back into the input.
 */
#include <stdint.h>
#include <stdlib.h>
/* Pick the NetBSD vis on purpose: <vis.h> warns (an error here) otherwise. */
#define LIBBSD_NETBSD_VIS
#include <vis.h>

#include "print.h"
#include "unit.h"

#define BUF_MAX	4096

/* Escapes len bytes and returns a NUL-terminated copy (static). */
static const char *
esc(const void *src, size_t len)
{
	static char out[BUF_MAX * 4 + 1];
	size_t n = escape_text(out, src, len, ESC_VIS);

	out[n] = '\0';
	return out;
}

/* strunvis() of escape_text()'s output gives back exactly the input. */
static int
roundtrip(const uint8_t *src, size_t len)
{
	static char out[BUF_MAX * 4 + 1], back[BUF_MAX * 4 + 1];
	size_t n;
	int m;

	if (len > BUF_MAX)
		return 0;
	n = escape_text(out, src, len, ESC_VIS);
	if (n > escape_text_max(len))
		return 0;
	out[n] = '\0';
	if (memchr(out, '\0', n) != NULL)
		return 0;
	m = strunvis(back, out);
	return m >= 0 && (size_t)m == len && memcmp(back, src, len) == 0;
}

/* The invisible and bidirectional code points escape_text escapes. */
static int
invisible(unsigned int cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 &&
	    cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/*
 * The output is valid UTF-8 holding nothing a terminal acts on: no C0
 * control, no DEL, no C1 control (U+0080 to U+009F), no surrogate, and
 * none of the invisible or bidirectional code points.
 */
static int
terminal_safe(const char *text, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; i < n;) {
		unsigned int cp, more, min;

		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (s[i] >= 0xc0 && s[i] <= 0xdf)
			cp = s[i] & 0x1f, more = 1, min = 0x80;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			cp = s[i] & 0x0f, more = 2, min = 0x800;
		else if (s[i] >= 0xf0 && s[i] <= 0xf7)
			cp = s[i] & 0x07, more = 3, min = 0x10000;
		else
			return 0;
		if (n - i <= more)
			return 0;
		for (unsigned int k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 &&
		    cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
		    invisible(cp))
			return 0;
		i += more + 1;
	}
	return 1;
}

#define ESC(lit, want, name) CHECK_STR(esc(lit, sizeof(lit) - 1), want, name)
#define RT(lit, name) \
	CHECK(roundtrip((const uint8_t *)(lit), sizeof(lit) - 1), name)

static void
test_escape_exact(void)
{
	ESC("", "", "escape: empty");
	ESC("Boo", "Boo", "escape: plain ASCII");
	ESC(" !~", " !~", "escape: printable ASCII edges");
	ESC("h\xc3\xa9", "h\xc3\xa9", "escape: UTF-8 é passes");
	ESC("\xe2\x82\xac", "\xe2\x82\xac", "escape: UTF-8 € passes");
	ESC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80",
	    "escape: UTF-8 4-byte emoji passes");
	ESC("\xc2\xa0", "\xc2\xa0", "escape: U+00A0 passes (first after C1)");
	ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", "escape: U+10FFFF passes");
	ESC("\xed\x9f\xbf", "\xed\x9f\xbf", "escape: U+D7FF passes");
	ESC("\xc2\x9b", "\\302\\233", "escape: C1 CSI \\xc2\\x9b escaped");
	ESC("\xc2\x80", "\\302\\200", "escape: C1 U+0080 escaped");
	ESC("\xc2\x9f", "\\302\\237", "escape: C1 U+009F escaped");
	ESC("\x9b", "\\233", "escape: raw 8-bit CSI escaped");
	ESC("\xc0\xaf", "\\300\\257", "escape: overlong '/' escaped");
	ESC("\xc1\xbf", "\\301\\277", "escape: overlong c1 escaped");
	ESC("\xe0\x80\xaf", "\\340\\200\\257", "escape: 3-byte overlong");
	ESC("\xf0\x80\x80\xaf", "\\360\\200\\200\\257",
	    "escape: 4-byte overlong");
	ESC("\xed\xa0\x80", "\\355\\240\\200", "escape: surrogate D800");
	ESC("\xed\xbf\xbf", "\\355\\277\\277", "escape: surrogate DFFF");
	ESC("\xf4\x90\x80\x80", "\\364\\220\\200\\200",
	    "escape: above U+10FFFF");
	ESC("\xf5\x80\x80\x80", "\\365\\200\\200\\200", "escape: f5 lead");
	ESC("\xff\xfe", "\\377\\376", "escape: ff fe");
	ESC("\x80", "\\200", "escape: stray continuation byte");
	ESC("\xc3", "\\303", "escape: truncated sequence at end");
	ESC("\xe2\x82", "\\342\\202", "escape: truncated 3-byte at end");
	ESC("\xc3(", "\\303(", "escape: lead byte then ASCII");
	ESC("\xe2\x82(", "\\342\\202(", "escape: 3-byte cut by ASCII");
	ESC("\xf0\x9f\x98", "\\360\\237\\230", "escape: 4-byte cut at end");
	ESC("\0", "\\000", "escape: NUL");
	ESC("a\0b", "a\\000b", "escape: NUL inside");
	ESC("\0001", "\\0001", "escape: NUL then a digit stays 3 digits");
	ESC("\n", "\\n", "escape: newline");
	ESC("a\r\nb", "a\\r\\nb", "escape: CR LF");
	ESC("\t", "\\t", "escape: tab");
	ESC("\\", "\\\\", "escape: backslash");
	ESC("\\n", "\\\\n", "escape: backslash n is not a newline");
	ESC("\x1b[2J", "\\033[2J", "escape: ESC of a terminal sequence");
	ESC("\x1b]0;pwned\x07", "\\033]0;pwned\\007", "escape: OSC title set");
	ESC("\x7f", "\\177", "escape: DEL");
	ESC("\x01\x1f", "\\001\\037", "escape: C0 edges");
	ESC("\x08", "\\010", "escape: backspace");
}

/* UTF-8 of code point cp (below U+10000) into p: its length. */
static size_t
utf8_put(uint8_t *p, unsigned int cp)
{
	if (cp < 0x800) {
		p[0] = (uint8_t)(0xc0 | cp >> 6);
		p[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	p[0] = (uint8_t)(0xe0 | cp >> 12);
	p[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	p[2] = (uint8_t)(0x80 | (cp & 0x3f));
	return 3;
}

/*
 * Invisible and bidirectional code points (zero-width spaces and marks,
 * line and paragraph separators, embeddings, overrides, isolates, the
 * BOM) are valid UTF-8 but would hide or reorder text on a terminal:
 * each becomes the octal escapes of its UTF-8 bytes; their neighbours
 * pass.
 */
/* ESC_READ: the same escapes, but a backslash passes. */
static const char *
esc_read(const void *src, size_t len)
{
	static char out[BUF_MAX * 4 + 1];
	size_t n = escape_text(out, src, len, ESC_READ);

	out[n] = '\0';
	return out;
}
#define ESCR(lit, want, name) \
	CHECK_STR(esc_read(lit, sizeof(lit) - 1), want, name)

static void
test_escape_read(void)
{
	uint8_t b;
	char vis[8];
	int same = 1;

	ESCR("C:\\path\\to\\file", "C:\\path\\to\\file",
	    "read: backslashes pass");
	ESCR("\\n", "\\n", "read: a literal backslash-n passes");
	ESCR("\n", "\\n", "read: a newline is still \\n");
	ESCR("a\x1b[2J\xc2\x9b\xff\xe2\x80\xae\xc3\xa9",
	    "a\\033[2J\\302\\233\\377\\342\\200\\256\xc3\xa9",
	    "read: controls, C1, bad UTF-8 and U+202E escaped as in vis");
	/* Every other byte alone is written as in ESC_VIS. */
	for (int c = 0; c < 256; c++) {
		if (c == '\\')
			continue;
		b = (uint8_t)c;
		strlcpy(vis, esc(&b, 1), sizeof(vis));
		if (strcmp(vis, esc_read(&b, 1)) != 0)
			same = 0;
	}
	CHECK(same, "read: every byte but the backslash as in vis");
}

static void
test_escape_invisible(void)
{
	char want[16];
	uint8_t u[4];
	int exact = 1, rt = 1, pass = 1;
	size_t n;

	ESC("\xe2\x80\xae", "\\342\\200\\256", "escape: U+202E RLO");
	ESC("a\xe2\x80\xae" "b", "a\\342\\200\\256b",
	    "escape: U+202E inside text");
	ESC("\xe2\x80\x8b", "\\342\\200\\213", "escape: U+200B ZWSP");
	ESC("\xe2\x80\x8f", "\\342\\200\\217", "escape: U+200F RLM");
	ESC("\xe2\x80\xa8", "\\342\\200\\250", "escape: U+2028 LS");
	ESC("\xe2\x80\xa9", "\\342\\200\\251", "escape: U+2029 PS");
	ESC("\xe2\x80\xaa", "\\342\\200\\252", "escape: U+202A LRE");
	ESC("\xe2\x81\xa6", "\\342\\201\\246", "escape: U+2066 LRI");
	ESC("\xe2\x81\xa9", "\\342\\201\\251", "escape: U+2069 PDI");
	ESC("\xef\xbb\xbf", "\\357\\273\\277", "escape: U+FEFF BOM");
	ESC("\xe2\x80\x8a", "\xe2\x80\x8a", "escape: U+200A passes");
	ESC("\xe2\x80\x90", "\xe2\x80\x90", "escape: U+2010 passes");
	ESC("\xe2\x80\xa7", "\xe2\x80\xa7", "escape: U+2027 passes");
	ESC("\xe2\x80\xaf", "\xe2\x80\xaf", "escape: U+202F passes");
	ESC("\xe2\x81\xa5", "\xe2\x81\xa5", "escape: U+2065 passes");
	ESC("\xe2\x81\xaa", "\xe2\x81\xaa", "escape: U+206A passes");
	ESC("\xef\xbb\xbe", "\xef\xbb\xbe", "escape: U+FEFE passes");
	ESC("\xef\xbc\x80", "\xef\xbc\x80", "escape: U+FF00 passes");

	/* U+2000 to U+206F and U+FE00 to U+FFFD, one by one. */
	for (unsigned int cp = 0x2000; cp <= 0xfffd; cp++) {
		if (cp == 0x2070)
			cp = 0xfe00;
		n = utf8_put(u, cp);
		if (invisible(cp)) {
			snprintf(want, sizeof(want), "\\%03o\\%03o\\%03o",
			    u[0], u[1], u[2]);
			if (strcmp(esc(u, n), want) != 0)
				exact = 0;
		} else if (strlen(esc(u, n)) != n ||
		    memcmp(esc(u, n), u, n) != 0)
			pass = 0;
		if (!roundtrip(u, n))
			rt = 0;
	}
	CHECK(exact, "escape: every listed code point as its octal bytes");
	CHECK(pass, "escape: the other code points near them pass");
	CHECK(rt, "roundtrip: the code points near and in the list");
	RT("x\xe2\x80\xae\xe2\x81\xa6\xef\xbb\xbf" "y",
	    "roundtrip: override, isolate and BOM in a row");
}

static void
test_escape_roundtrip(void)
{
	uint8_t all[256], buf[BUF_MAX];
	char out[4 * 256 + 1];
	int ok = 1, safe = 1;
	size_t n;

	/* The checkers themselves catch what they are for. */
	CHECK(!terminal_safe("\xc2\x9b", 2) && !terminal_safe("\x9b", 1) &&
	    !terminal_safe("\x1b", 1) && !terminal_safe("\xed\xa0\x80", 3) &&
	    !terminal_safe("\xc3", 1) && terminal_safe("h\xc3\xa9", 3) &&
	    !terminal_safe("\xe2\x80\xae", 3) &&
	    !terminal_safe("\xef\xbb\xbf", 3) &&
	    terminal_safe("\xe2\x80\xaf", 3),
	    "terminal_safe self-test");
	{
		char back[16];

		CHECK(strunvis(back, "\\302\\233a\\n\\\\\\000") == 6 &&
		    memcmp(back, "\xc2\x9b" "a\n\\\0", 6) == 0,
		    "strunvis decodes octal, \\n, \\\\ and NUL escapes");
	}

	RT("", "roundtrip: empty");
	RT("Boo", "roundtrip: plain");
	RT("h\xc3\xa9 \xe2\x82\xac", "roundtrip: UTF-8");
	RT("\xc2\x9b", "roundtrip: C1 CSI");
	RT("\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80", "roundtrip: invalid UTF-8");
	RT("a\0b\0\0001", "roundtrip: NULs and a following digit");
	RT("\\\\n\n\r\t", "roundtrip: backslashes and white space");
	RT("\x1b[31mred\x1b[0m", "roundtrip: terminal colours");

	/* Every byte value alone, then all of them in a row. */
	for (int c = 0; c < 256; c++) {
		uint8_t b = (uint8_t)c;

		all[c] = b;
		if (!roundtrip(&b, 1))
			ok = 0;
		n = escape_text(out, &b, 1, ESC_VIS);
		if (!terminal_safe(out, n))
			safe = 0;
	}
	CHECK(ok, "roundtrip: every single byte");
	CHECK(safe, "every single byte escapes to terminal-safe text");
	CHECK(roundtrip(all, sizeof(all)), "roundtrip: bytes 0 to 255");
	n = escape_text(out, all, sizeof(all), ESC_VIS);
	CHECK(terminal_safe(out, n), "bytes 0 to 255: terminal-safe");
	CHECK(memchr(out, '\n', n) == NULL, "bytes 0 to 255: no newline");

	/* Every pair of bytes: catches a sequence swallowing its neighbour. */
	ok = safe = 1;
	for (int c = 0; c < 65536; c++) {
		uint8_t p[2] = { (uint8_t)(c >> 8), (uint8_t)c };

		if (!roundtrip(p, 2))
			ok = 0;
		n = escape_text(out, p, 2, ESC_VIS);
		if (!terminal_safe(out, n))
			safe = 0;
	}
	CHECK(ok, "roundtrip: every pair of bytes");
	CHECK(safe, "every pair of bytes escapes to terminal-safe text");

	/* Random buffers, biased to UTF-8-ish bytes so sequences form. */
	ok = safe = 1;
	srandom(12345);
	for (int t = 0; t < 2000; t++) {
		static char big[BUF_MAX * 4];
		size_t len = (size_t)(random() % BUF_MAX);

		for (size_t i = 0; i < len; i++) {
			long r = random();

			buf[i] = r & 0x100 ? (uint8_t)(0x80 | (r & 0x7f)) :
			    r & 0x200 ? (uint8_t)(0xc0 | (r & 0x3f)) :
			    (uint8_t)r;
		}
		if (!roundtrip(buf, len))
			ok = 0;
		n = escape_text(big, buf, len, ESC_VIS);
		if (!terminal_safe(big, n))
			safe = 0;
	}
	CHECK(ok, "roundtrip: 2000 random buffers");
	CHECK(safe, "random buffers escape to terminal-safe text");

	/* The worst case fills escape_text_max exactly. */
	memset(buf, 0, 100);
	CHECK(escape_text(out, buf, 100, ESC_VIS) == escape_text_max(100),
	    "escape_text_max: 100 NULs need exactly 400 bytes");
}

/* Runs print_rawpacket and returns a NUL-terminated copy (static). */
static const char *
rawpacket_cut(const void *frame, size_t len, size_t wirelen)
{
	static char out[64 + PRINT_CUT_MAX + 4 * BUF_MAX + 1];
	size_t n = print_rawpacket(out, frame, len, wirelen);

	if (n > print_rawpacket_max(len))
		return "(overran print_rawpacket_max)";
	out[n] = '\0';
	return out;
}

static const char *
rawpacket(const void *frame, size_t len)
{
	return rawpacket_cut(frame, len, len);
}

#define HDR "\xff\xff\xff\xff\xff\xff\x12\x34\x56\x78\x9a\xbc\xee\xfa"
#define HDR_TEXT "12:34:56:78:9a:bc == 0xeefa => ff:ff:ff:ff:ff:ff - OK:\n"
#define RP(lit, want, name) \
	CHECK_STR(rawpacket(lit, sizeof(lit) - 1), want, name)

static void
test_rawpacket(void)
{
	static char big[64 + 4 * (14 + 1500)];
	uint8_t frame[14 + 1500];
	size_t n, lines, hdrlen;

	RP(HDR "Boo", HDR_TEXT "Boo\n", "rawpacket: the seed's Boo");
	RP(HDR, HDR_TEXT "\n", "rawpacket: 14 bytes, empty payload");
	RP("\xaa\xbb\xcc\xdd\xee\x0f\x00\x01\x02\x03\x04\x05\x08\x06"
	    "\x00\x01",
	    "00:01:02:03:04:05 == 0x0806 => aa:bb:cc:dd:ee:0f - OK:\n"
	    "\\000\\001\n", "rawpacket: arp type, binary payload");
	RP(HDR "a\nb\x1b[2J\\\xc2\x9b\xc3\xa9",
	    HDR_TEXT "a\\nb\\033[2J\\\\302\\233\xc3\xa9\n",
	    "rawpacket: payload escaped, backslash and UTF-8 kept");
	RP(HDR "C:\\path\\to\\file", HDR_TEXT "C:\\path\\to\\file\n",
	    "rawpacket: a backslash passes, as rawsocketpy prints it");

	/* Short frames give short fields, as rawsocketpy's slices do. */
	RP("", " == 0x =>  - OK:\n\n", "rawpacket: 0 bytes");
	RP("\x01\x02\x03\x04\x05", " == 0x => 01:02:03:04:05 - OK:\n\n",
	    "rawpacket: 5 bytes");
	RP("\x01\x02\x03\x04\x05\x06",
	    " == 0x => 01:02:03:04:05:06 - OK:\n\n", "rawpacket: 6 bytes");
	RP("\x01\x02\x03\x04\x05\x06\xa7",
	    "a7 == 0x => 01:02:03:04:05:06 - OK:\n\n", "rawpacket: 7 bytes");
	RP("\x01\x02\x03\x04\x05\x06\xa7\xa8\xa9\xaa",
	    "a7:a8:a9:aa == 0x => 01:02:03:04:05:06 - OK:\n\n",
	    "rawpacket: 10 bytes");
	RP("\x01\x02\x03\x04\x05\x06\xa7\xa8\xa9\xaa\xab\xac",
	    "a7:a8:a9:aa:ab:ac == 0x => 01:02:03:04:05:06 - OK:\n\n",
	    "rawpacket: 12 bytes");
	RP("\x01\x02\x03\x04\x05\x06\xa7\xa8\xa9\xaa\xab\xac\xee",
	    "a7:a8:a9:aa:ab:ac == 0xee => 01:02:03:04:05:06 - OK:\n\n",
	    "rawpacket: 13 bytes");

	/* A full-size frame of every byte value stays two lines, and the
	 * payload line is safe for a terminal. */
	memcpy(frame, HDR, 14);
	for (size_t i = 0; i < 1500; i++)
		frame[14 + i] = (uint8_t)i;
	n = print_rawpacket(big, frame, sizeof(frame), sizeof(frame));
	lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += big[i] == '\n';
	hdrlen = sizeof(HDR_TEXT) - 1;
	CHECK(n <= print_rawpacket_max(sizeof(frame)) && lines == 2 &&
	    big[n - 1] == '\n' && memcmp(big, HDR_TEXT, hdrlen) == 0,
	    "rawpacket: 1500 binary bytes give exactly two lines");
	CHECK(terminal_safe(big + hdrlen, n - hdrlen - 1),
	    "rawpacket: binary payload line is terminal-safe");
}

static void
test_cut(void)
{
	static const uint8_t frame[] = HDR "Boo";
	char out[PRINT_CUT_MAX + 1];
	size_t n;

	CHECK(print_cut(out, " ", 64, 64) == 0, "cut: a whole record: nothing");
	n = print_cut(out, " ", 64, 1514);
	CHECK_MEM(out, n, " [|cut 64 of 1514]", 18, "cut: the mark");
	n = print_cut(out, " \\", (size_t)-1 - 1, (size_t)-1);
	CHECK(n <= PRINT_CUT_MAX, "cut: the longest mark fits PRINT_CUT_MAX");
	CHECK_STR(rawpacket_cut(frame, sizeof(frame) - 1, 1514),
	    "12:34:56:78:9a:bc == 0xeefa => ff:ff:ff:ff:ff:ff - OK "
	    "[|cut 17 of 1514]:\nBoo\n", "rawpacket: a cut frame is marked");
}

static void
test_hex(void)
{
	char out[64];
	size_t n;

	n = print_hex(out, (const uint8_t *)"\x00\xff\x12\xab", 4, 4);
	CHECK_MEM(out, n, "00ff12ab\n", 9, "print_hex: lowercase, newline");
	CHECK(n <= print_hex_max(4), "print_hex: within print_hex_max");
	n = print_hex(out, (const uint8_t *)"", 0, 0);
	CHECK_MEM(out, n, "\n", 1, "print_hex: empty is one newline");
	n = print_hex(out, (const uint8_t *)HDR "Boo", 17, 17);
	CHECK_MEM(out, n, "ffffffffffff123456789abceefa426f6f\n", 35,
	    "print_hex: the seed's Boo frame");
	n = print_hex(out, (const uint8_t *)"\x00\xff", 2, 1514);
	CHECK_MEM(out, n, "00ff [|cut 2 of 1514]\n", 22,
	    "print_hex: a cut record is marked");
	n = hex_encode(out, (const uint8_t *)"\x01\x9f", 2);
	CHECK_MEM(out, n, "019f", 4, "hex_encode: no newline");
}

int
main(void)
{
	test_escape_exact();
	test_escape_read();
	test_escape_invisible();
	test_escape_roundtrip();
	test_rawpacket();
	test_cut();
	test_hex();
	return unit_done();
}
