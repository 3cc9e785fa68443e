#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
/* NetBSD argument order for strnunvis(dst, dlen, src). */
#ifndef LIBBSD_NETBSD_VIS
#define LIBBSD_NETBSD_VIS
#endif
#include <vis.h>

#include "frame.h"
#include "input.h"
#include "opts.h"

#define READ_CHUNK	(128 * 1024)

static long
decode_hex(uint8_t *data, size_t len, const char **why)
{
	size_t out = 0;
	int hi = -1;

	for (size_t i = 0; i < len; i++) {
		int c = data[i], d;

		if (c == ' ' || c == ':' || c == '\t' || c == '\r') {
			if (hi >= 0) {
				*why = "odd number of hex digits in a byte";
				return -1;
			}
			continue;
		}
		if ((d = hex_digit(c)) < 0) {
			*why = "not hex (0-9 a-f, spaces and colons only)";
			return -1;
		}
		if (hi < 0)
			hi = d;
		else {
			data[out++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0) {
		*why = "odd number of hex digits";
		return -1;
	}
	return (long)out;
}

/*
 * strunvis(3) is lenient: it reads "\q" as "q", drops a backslash at the
 * end and wraps "\777" into a byte. Refuse what vis(3) never writes, so
 * a mangled line is an error, not a different frame. NULL when all is well.
 */
static const char *
vis_check(const uint8_t *p, size_t len)
{
	static char why[64];

	for (size_t i = 0; i < len; i++) {
		size_t left, k;
		int c;

		if (p[i] != '\\')
			continue;
		if (++i == len)
			return "backslash at the end (write \\\\ for one)";
		c = p[i];
		left = len - i - 1;	/* bytes after c */
		switch (c) {
		case '\\': case 'E': case 'a': case 'b': case 'f': case 'n':
		case 'r': case 's': case 't': case 'v':
			continue;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			for (k = 1; k < 3 && k <= left && p[i + k] >= '0' &&
			    p[i + k] <= '7'; k++)
				;
			if (k == 3 && c > '3')
				return "octal escape above \\377";
			i += k - 1;
			continue;
		case 'x':
			if (left == 0 || hex_digit(p[i + 1]) < 0)
				return "incomplete escape '\\x' (hex digits "
				    "expected)";
			continue;
		case '^':
			if (left == 0)
				return "incomplete escape '\\^'";
			i++;	/* the next byte is literal */
			continue;
		case 'M':
			if (left < 2 || (p[i + 1] != '-' && p[i + 1] != '^'))
				return "incomplete escape '\\M' (\\M-c or "
				    "\\M^c expected)";
			i += 2;
			continue;
		default:
			if (c > 0x20 && c < 0x7f)
				snprintf(why, sizeof(why), "unknown escape "
				    "'\\%c'", c);
			else
				snprintf(why, sizeof(why), "unknown escape "
				    "(backslash before byte 0x%02x)", c);
			return why;
		}
	}
	return NULL;
}

static long
decode_vis(uint8_t *data, size_t len, const char **why)
{
	char *tmp = malloc(len + 1);
	int n;

	if (tmp == NULL) {
		*why = strerror(errno);
		return -1;
	}
	/* strnunvis wants a string: the record cannot hold a NUL unescaped,
	 * since vis never writes one. */
	if (memchr(data, '\0', len) != NULL) {
		free(tmp);
		*why = "raw NUL byte in vis text";
		return -1;
	}
	if ((*why = vis_check(data, len)) != NULL) {
		free(tmp);
		return -1;
	}
	memcpy(tmp, data, len);
	tmp[len] = '\0';
	n = strnunvis((char *)data, len + 1, tmp);
	free(tmp);
	if (n < 0) {
		*why = "invalid vis escape";
		return -1;
	}
	return n;
}

long
input_decode(enum framing framing, uint8_t *data, size_t len,
    const char **why)
{
	switch (framing) {
	case FRAMING_HEX:
		return decode_hex(data, len, why);
	case FRAMING_VIS:
		return decode_vis(data, len, why);
	default:
		return (long)len;
	}
}

uint8_t *
input_args(enum framing framing, int argc, char *argv[], size_t *len)
{
	char *text = args_join(argc, argv, len);
	char *quoted = strdup(text);	/* decoding works in place */
	const char *why;
	long n;

	if (quoted == NULL)
		err(2, "strdup");
	if ((n = input_decode(framing, (uint8_t *)text, *len, &why)) < 0) {
		const char *q = shown(quoted);	/* a static copy */

		/* Freed before exit, or LeakSanitizer calls them lost. */
		free(quoted);
		free(text);
		errx(2, "invalid PAYLOAD '%s': %s", q, why);
	}
	free(quoted);
	*len = (size_t)n;
	return (uint8_t *)text;
}

/*
 * Longest undecoded text read as one record: memory stays bounded by it.
 * Hex may have any number of blanks between its bytes, so it gets room
 * for 16 characters a byte; past that, it is a record too long if it has
 * more than maxlen bytes of digits, else text too long. No vis escape is
 * longer than 4 characters ("\M^?"), so longer vis text is more than
 * maxlen bytes: that is "too long", as for -l and -0, whose text is their
 * bytes.
 */
static size_t
text_limit(enum framing framing, size_t maxlen)
{
	switch (framing) {
	case FRAMING_HEX:
		return 16 * maxlen + 4096;
	case FRAMING_VIS:
		return 4 * maxlen + 64;
	case FRAMING_JSON:	/* "\udcff" per byte, and the other keys */
		return 6 * maxlen + 1024;
	default:
		return maxlen;
	}
}

/* Why text longer than text_limit() is refused. */
static const char *
text_too_long(enum framing framing, size_t maxlen, const uint8_t *text,
    size_t len)
{
	static char why[80];
	size_t digits = 0;

	if (framing != FRAMING_HEX)
		return "too long";
	for (size_t i = 0; i < len; i++)
		digits += hex_digit(text[i]) >= 0;
	if (digits / 2 > maxlen)
		return "too long";
	snprintf(why, sizeof(why), "more than %zu characters of hex text",
	    text_limit(framing, maxlen));
	return why;
}

static int
one_record(enum framing framing, uint8_t *rec, size_t len, size_t maxlen,
    unsigned long long recno, const struct input_sink *sink,
    uint8_t *scratch, struct input_error *e)
{
	long n;

	e->recno = recno;
	if (len > text_limit(framing, maxlen)) {
		e->why = text_too_long(framing, maxlen, rec, len);
		return -1;
	}
	/* A JSON line becomes its frame in scratch: the frame may be
	 * longer than the line ("{}" is 14 bytes). */
	if (framing == FRAMING_JSON) {
		if ((n = jsonframe_decode(sink->json, (const char *)rec, len,
		    scratch, maxlen, &e->why)) < 0)
			return -1;
		sink->record(sink->ctx, scratch, (size_t)n, recno);
		return 0;
	}
	if ((n = input_decode(framing, rec, len, &e->why)) < 0)
		return -1;
	if ((size_t)n > maxlen)
		goto too_long;
	sink->record(sink->ctx, rec, (size_t)n, recno);
	return 0;
too_long:
	e->why = "too long";
	return -1;
}

int
input_run(int fd, enum framing framing, size_t maxlen,
    const struct input_sink *sink, struct input_error *e)
{
	size_t limit = text_limit(framing, maxlen);
	/* Whole input: one byte past the limit tells "too long" unread. */
	size_t cap = framing == FRAMING_WHOLE ? limit + 1 :
	    limit + 1 + READ_CHUNK;
	int delim = framing == FRAMING_NUL ? '\0' : '\n';
	/* JSON's frames are built after the text, in maxlen bytes more. */
	size_t scratch = framing == FRAMING_JSON ? maxlen : 0;
	uint8_t *buf = malloc(cap + scratch);
	unsigned long long recno = 0;
	size_t len = 0;
	int rc = -1;

	e->recno = 0;
	if (buf == NULL) {
		e->why = strerror(errno);
		return -1;
	}
	for (;;) {
		ssize_t n;
		size_t start = 0;
		uint8_t *end;

		if (sink->ready != NULL && !sink->ready(sink->ctx, fd)) {
			rc = 0;
			goto out;
		}
		if ((n = read(fd, buf + len, cap - len)) < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e->why = strerror(errno);
			goto out;
		}
		len += (size_t)n;
		if (framing == FRAMING_WHOLE) {
			if (len > limit) {
				e->recno = 1;
				e->why = "too long";
				goto out;
			}
			if (n > 0)
				continue;
			if (one_record(framing, buf, len, maxlen, 1, sink,
			    buf + cap, e) < 0)
				goto out;
			sink->batch_end(sink->ctx);
			rc = 0;
			goto out;
		}
		while ((end = memchr(buf + start, delim, len - start)) != NULL) {
			size_t reclen = (size_t)(end - (buf + start));

			if (one_record(framing, buf + start, reclen, maxlen,
			    ++recno, sink, buf + cap, e) < 0) {
				sink->batch_end(sink->ctx);
				goto out;
			}
			start += reclen + 1;
		}
		/* A last record without its delimiter is still a record. */
		if (n == 0 && start < len) {
			if (one_record(framing, buf + start, len - start,
			    maxlen, ++recno, sink, buf + cap, e) < 0) {
				sink->batch_end(sink->ctx);
				goto out;
			}
			start = len;
		}
		sink->batch_end(sink->ctx);
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len > limit) {
			e->recno = recno + 1;
			e->why = text_too_long(framing, maxlen, buf, len);
			goto out;
		}
		if (n == 0) {
			rc = 0;
			goto out;
		}
	}
out:
	free(buf);
	return rc;
}
