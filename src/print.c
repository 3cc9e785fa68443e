#include <string.h>

#include "frame.h"
#include "print.h"
#include "put.h"

/*
 * Whether the code point is one of the invisible or bidirectional ones:
 * U+200B-U+200F (zero-width spaces, joiners, direction marks),
 * U+2028-U+202E (line and paragraph separators, embeddings and
 * overrides), U+2066-U+2069 (isolates) and U+FEFF (the BOM). Valid text,
 * but it hides or reorders what a terminal shows.
 */
static int
invisible(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

size_t
utf8_decode(const uint8_t *p, size_t left, uint32_t *cp)
{
	uint8_t c = p[0];
	uint8_t lo = 0x80, hi = 0xbf;
	uint32_t v;
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
	if (p[1] < lo || p[1] > hi)
		return 0;
	v = c & (0x7fu >> n);	/* the lead's payload bits */
	for (size_t i = 1; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
		v = v << 6 | (p[i] & 0x3fu);
	}
	*cp = v;
	return n;
}

/* Length of the valid, printable UTF-8 sequence at p (2 to 4), or 0:
 * C1 controls (U+0080-U+009F, which some terminals read as CSI) and the
 * invisible code points are escaped byte by byte, as \342\200\256. */
static size_t
utf8_seq(const uint8_t *p, size_t left)
{
	uint32_t cp;
	size_t n = utf8_decode(p, left, &cp);

	if (n == 0 || cp < 0xa0 || invisible(cp))
		return 0;
	return n;
}

size_t
escape_text(char *dst, const uint8_t *src, size_t len, enum escape_mode mode)
{
	/* The backslash escapes itself in vis only; -1 matches no byte. */
	const int backslash = mode == ESC_VIS ? '\\' : -1;
	char *d = dst;
	size_t i = 0;

	while (i < len) {
		size_t run = i, n;
		uint8_t c;

		/* Printable ASCII, most of most payloads: copied a run at a
		 * time. */
		while (run < len && src[run] >= 0x20 && src[run] < 0x7f &&
		    src[run] != backslash)
			run++;
		memcpy(d, src + i, run - i);
		d += run - i;
		if ((i = run) == len)
			break;
		c = src[i];
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
