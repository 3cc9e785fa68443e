#ifndef RAWSOCK_PRINT_H
#define RAWSOCK_PRINT_H
/*
 * Output formats. Pure: bytes in, text out, into a buffer the caller sizes
 * with the matching *_max() function. Nothing here writes or allocates.
 */

#include <stddef.h>
#include <stdint.h>

/*
 * The one escaper of bytes shown as text. Valid UTF-8 text passes
 * through; control bytes, DEL, C1 controls, NUL, invalid UTF-8 and the
 * invisible or bidirectional code points (U+200B-U+200F, U+2028-U+202E,
 * U+2066-U+2069, U+FEFF) become C-style escapes (\n \t \r and \ooo, a
 * code point as the octal escapes of its UTF-8 bytes). The mode decides
 * the backslash:
 *   ESC_VIS   escaped as \\, so strunvis(3) and rawsend --vis reverse the
 *             text exactly (-o vis, and messages through shown());
 *   ESC_READ  passed as it is, so text rawsocketpy prints legibly comes
 *             out byte for byte as rawsocketpy's (RawPacket); a payload
 *             holding a backslash and "n" then reads as an escaped newline.
 */
/* The length (2 to 4) of the valid UTF-8 sequence at p, with its code
 * point in *cp; 0 for an invalid, overlong, surrogate or cut one, or a
 * byte below 0x80. The one UTF-8 reader, for escape_text and JSON. */
size_t	utf8_decode(const uint8_t *p, size_t left, uint32_t *cp);

enum escape_mode { ESC_VIS, ESC_READ };
size_t	escape_text(char *dst, const uint8_t *src, size_t len,
	    enum escape_mode mode);
static inline size_t
escape_text_max(size_t len)
{
	return len * 4;
}

/*
 * The mark of a record cut short (wirelen > len), as tcpdump's "[|ether]":
 * lead then "[|cut LEN of WIRELEN]"; nothing for a whole record. The text
 * formats put it where a reader sees it: RawPacket before the header's
 * colon, hex after the hex, vis after " \\" (an escape rawsend --vis
 * refuses, so a cut record is never sent again as if whole).
 */
#define PRINT_CUT_MAX	64	/* lead of up to 8 bytes, two 20-digit sizes */
size_t	print_cut(char *dst, const char *lead, size_t len, size_t wirelen);

/* rawsocketpy 0.4.0's print(packet): "SRC == 0xTYPE => DST - OK:\n"
 * then the payload escaped in ESC_READ mode and "\n"; a frame cut short
 * says so before the colon. */
size_t	print_rawpacket(char *dst, const uint8_t *frame, size_t len,
	    size_t wirelen);
static inline size_t
print_rawpacket_max(size_t len)
{
	return 64 + PRINT_CUT_MAX + escape_text_max(len);
}

/* Lowercase hex of the bytes, no separators, the mark of a cut record,
 * then "\n". */
size_t	print_hex(char *dst, const uint8_t *src, size_t len, size_t wirelen);
static inline size_t
print_hex_max(size_t len)
{
	return len * 2 + PRINT_CUT_MAX + 1;
}

/* Lowercase hex without the newline. */
size_t	hex_encode(char *dst, const uint8_t *src, size_t len);

#endif
