#ifndef RAWSOCK_PRINT_H
#define RAWSOCK_PRINT_H
/*
 * Output formats. Pure: bytes in, text out, into a buffer the caller sizes
 * with the matching *_max() function. Nothing here writes or allocates.
 */

#include <stddef.h>
#include <stdint.h>

/*
 * Escapes bytes for a terminal: valid UTF-8 text passes through; control
 * bytes, DEL, C1 controls, NUL, invalid UTF-8, backslash and the invisible
 * or bidirectional code points (U+200B-U+200F, U+2028-U+202E,
 * U+2066-U+2069, U+FEFF) become C-style escapes (\n \t \r \\ and \ooo,
 * a code point as the octal escapes of its UTF-8 bytes) that strunvis(3)
 * reverses exactly.
 */
size_t	escape_text(char *dst, const uint8_t *src, size_t len);
static inline size_t
escape_text_max(size_t len)
{
	return len * 4;
}

/* rawsocketpy 0.4.0's print(packet): "SRC == 0xTYPE => DST - OK:\n"
 * then the escaped payload and "\n". */
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
