#include <string.h>

#include "frame.h"
#include "print.h"
#include "put.h"

/*
 * Whether the valid 3-byte sequence at p is one of the invisible or
 * bidirectional code points: U+200B-U+200F (zero-width spaces, joiners,
 * direction marks), U+2028-U+202E (line and paragraph separators,
 * embeddings and overrides), U+2066-U+2069 (isolates) and U+FEFF (the
 * BOM). Valid text, but it hides or reorders what a terminal shows.
 */
static int
invisible(const uint8_t *p)
{
	if (p[0] == 0xe2 && p[1] == 0x80)
		return (p[2] >= 0x8b && p[2] <= 0x8f) ||
		    (p[2] >= 0xa8 && p[2] <= 0xae);
	if (p[0] == 0xe2 && p[1] == 0x81)
		return p[2] >= 0xa6 && p[2] <= 0xa9;
	return p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf;
}

/* Length of the valid, printable UTF-8 sequence at p (2 to 4), or 0. */
static size_t
utf8_seq(const uint8_t *p, size_t left)
{
	uint8_t c = p[0];
	uint8_t lo = 0x80, hi = 0xbf;
	size_t n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;	/* stray continuation, overlong lead, > U+10FFFF */
	if (left < n)
		return 0;
	/* Second-byte ranges that rule out overlongs, surrogates and
	 * code points past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	else if (c == 0xc2)
		lo = 0xa0;	/* U+0080-U+009F are C1 controls: escape */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	if (n == 3 && invisible(p))
		return 0;	/* escaped byte by byte, as \342\200\256 */
	return n;
}

size_t
escape_text(char *dst, const uint8_t *src, size_t len, enum escape_mode mode)
{
	char *d = dst;
	size_t i = 0;

	while (i < len) {
		uint8_t c = src[i];
		size_t n;

		if (c >= 0x20 && c < 0x7f && (c != '\\' || mode == ESC_READ)) {
			*d++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_seq(src + i, len - i)) != 0) {
			memcpy(d, src + i, n);
			d += n;
			i += n;
			continue;
		}
		*d++ = '\\';
		switch (c) {
		case '\\': *d++ = '\\'; break;
		case '\n': *d++ = 'n'; break;
		case '\t': *d++ = 't'; break;
		case '\r': *d++ = 'r'; break;
		default:
			/* Always three octal digits, so a following digit
			 * cannot extend the escape when it is read back. */
			*d++ = (char)('0' + (c >> 6));
			*d++ = (char)('0' + ((c >> 3) & 7));
			*d++ = (char)('0' + (c & 7));
		}
		i++;
	}
	return (size_t)(d - dst);
}

size_t
hex_encode(char *dst, const uint8_t *src, size_t len)
{
	return (size_t)(put_hex(dst, src, len, 0) - dst);
}

size_t
print_cut(char *dst, const char *lead, size_t len, size_t wirelen)
{
	char *d = dst;

	if (wirelen <= len)
		return 0;
	d = put_str(put_str(d, lead), "[|cut ");
	d = put_str(put_dec(d, len), " of ");
	d = put_str(put_dec(d, wirelen), "]");
	return (size_t)(d - dst);
}

size_t
print_rawpacket(char *dst, const uint8_t *frame, size_t len, size_t wirelen)
{
	/* Like rawsocketpy's slices, a short frame gives short fields. */
	size_t dlen = len < 6 ? len : 6;
	size_t slen = len < 12 ? (len > 6 ? len - 6 : 0) : 6;
	size_t tlen = len < 14 ? (len > 12 ? len - 12 : 0) : 2;
	size_t hdr = dlen + slen + tlen;
	char *d = dst;

	/* rawsocketpy's to_str(): hex bytes joined by a colon, or not. */
	d = put_hex(d, frame + 6, slen, ':');
	d = put_str(d, " == 0x");
	d = put_hex(d, frame + 12, tlen, 0);
	d = put_str(d, " => ");
	d = put_hex(d, frame, dlen, ':');
	d = put_str(d, " - OK");
	d += print_cut(d, " ", len, wirelen);
	d = put_str(d, ":\n");
	d += escape_text(d, frame + hdr, len - hdr, ESC_READ);
	*d++ = '\n';
	return (size_t)(d - dst);
}

size_t
print_hex(char *dst, const uint8_t *src, size_t len, size_t wirelen)
{
	size_t n = hex_encode(dst, src, len);

	n += print_cut(dst + n, " ", len, wirelen);
	dst[n] = '\n';
	return n + 1;
}
