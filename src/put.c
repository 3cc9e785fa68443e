#include <string.h>

#include "put.h"

const char hexdigits[16] = "0123456789abcdef";

char *
put_str(char *d, const char *s)
{
	size_t n = strlen(s);

	memcpy(d, s, n);
	return d + n;
}

char *
put_dec(char *d, unsigned long long v)
{
	char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*d++ = tmp[--n];
	return d;
}

char *
put_hex(char *d, const uint8_t *p, size_t n, char sep)
{
	for (size_t i = 0; i < n; i++) {
		if (sep && i)
			*d++ = sep;
		*d++ = hexdigits[p[i] >> 4];
		*d++ = hexdigits[p[i] & 15];
	}
	return d;
}

char *
put_hex4(char *d, unsigned int v)
{
	*d++ = hexdigits[(v >> 12) & 15];
	*d++ = hexdigits[(v >> 8) & 15];
	*d++ = hexdigits[(v >> 4) & 15];
	*d++ = hexdigits[v & 15];
	return d;
}

char *
put_ipv4(char *d, const uint8_t p[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			*d++ = '.';
		d = put_dec(d, p[i]);
	}
	return d;
}
