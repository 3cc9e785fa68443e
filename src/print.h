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
enum escape_mode { ESC_VIS, ESC_READ };
size_t	escape_text(char *dst, const uint8_t *src, size_t len,
	    enum escape_mode mode);
static inline size_t
escape_text_max(size_t len)
{
	return len * 4;
}

/* rawsocketpy 0.4.0's print(packet): "SRC == 0xTYPE => DST - OK:\n"
 * then the payload escaped in ESC_READ mode and "\n". */
size_t	print_rawpacket(char *dst, const uint8_t *frame, size_t len);
static inline size_t
print_rawpacket_max(size_t len)
{
	return 64 + escape_text_max(len);
}

/* Lowercase hex of the bytes, no separators, then "\n". */
size_t	print_hex(char *dst, const uint8_t *src, size_t len);
static inline size_t
print_hex_max(size_t len)
{
	return len * 2 + 1;
}

/* Lowercase hex without the newline. */
size_t	hex_encode(char *dst, const uint8_t *src, size_t len);

#endif
