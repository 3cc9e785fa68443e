/*
 * libFuzzer harness for input.c: the first byte picks the framing, the
 * second the largest record; the rest is standard input, read by
 * input_run from a memfd. Records must be numbered 1, 2, 3..., never
 * longer than allowed; newline and NUL framings must give back exactly
 * what they read; a refusal names a reason. input_decode runs on the
 * whole rest too, and a decoded --vis record escaped again by escape_text
 * must decode to the same bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "input.h"
#include "print.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	size_t		 maxlen;
	unsigned long long recno;
	uint8_t		*joined;	/* records, delimiters back in */
	size_t		 len;
	int		 delim;
};

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_input: %s\n", what);
	abort();
}

static void
on_record(void *ctx, const uint8_t *p, size_t len, unsigned long long recno)
{
	struct seen *s = ctx;

	if (recno != s->recno + 1)
		fail("records not numbered 1, 2, 3...");
	if (len > s->maxlen)
		fail("a record longer than maxlen");
	if (s->recno > 0)
		s->joined[s->len++] = (uint8_t)s->delim;
	s->recno = recno;
	memcpy(s->joined + s->len, p, len);
	s->len += len;
}

static void
on_batch(void *ctx)
{
	(void)ctx;
}

static int
memfd_with(const uint8_t *data, size_t size)
{
	static int fd = -1;

	if (fd < 0 && (fd = memfd_create("fuzz_input", 0)) < 0)
		fail("memfd_create");
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0)
		fail("memfd write");
	return fd;
}

/* --vis: what decodes, escaped again, decodes to the same bytes. */
static void
check_vis(const uint8_t *data, size_t size)
{
	uint8_t *rec = malloc(size + 1);
	char *esc = NULL;
	const char *why;
	long n, m;

	memcpy(rec, data, size);
	if ((n = input_decode(FRAMING_VIS, rec, size, &why)) >= 0) {
		if ((size_t)n > size)
			fail("vis decoding grew the record");
		esc = malloc(escape_text_max((size_t)n) + 1);
		m = (long)escape_text(esc, rec, (size_t)n, ESC_VIS);
		if ((m = input_decode(FRAMING_VIS, (uint8_t *)esc, (size_t)m,
		    &why)) != n || memcmp(esc, rec, (size_t)n) != 0)
			fail("escape_text then --vis decoding is not the "
			    "identity");
	} else if (why == NULL || why[0] == '\0')
		fail("vis refused without a reason");
	free(esc);
	free(rec);
}

static void
check_hex(const uint8_t *data, size_t size)
{
	uint8_t *rec = malloc(size + 1);
	const char *why;
	long n;

	memcpy(rec, data, size);
	if ((n = input_decode(FRAMING_HEX, rec, size, &why)) >= 0) {
		if ((size_t)n > size / 2)
			fail("hex decoding longer than half the text");
	} else if (why == NULL || why[0] == '\0')
		fail("hex refused without a reason");
	free(rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum framing framings[] = {
		FRAMING_WHOLE, FRAMING_LINES, FRAMING_HEX, FRAMING_VIS,
		FRAMING_NUL,
	};
	struct seen s = { 0 };
	struct input_sink sink = {
		.ctx = &s, .record = on_record, .batch_end = on_batch,
	};
	struct input_error e = { 0, NULL };
	enum framing f;
	int rc;

	if (size < 2)
		return 0;
	f = framings[data[0] % 5];
	s.maxlen = data[1] == 255 ? 2000 : data[1];
	s.delim = f == FRAMING_NUL ? '\0' : '\n';
	data += 2;
	size -= 2;
	if ((s.joined = malloc(size + 1)) == NULL)
		return 0;
	rc = input_run(memfd_with(data, size), f, s.maxlen, &sink, &e);
	if (rc < 0 && (e.why == NULL || e.why[0] == '\0'))
		fail("input_run refused without a reason");
	if (rc < 0 && e.recno != 0 && e.recno != s.recno + 1)
		fail("the bad record is not the one after the last good one");
	if (rc == 0 && (f == FRAMING_LINES || f == FRAMING_NUL)) {
		/* Whatever was read comes back, bar one final delimiter. */
		size_t want = size > 0 && data[size - 1] == s.delim ?
		    size - 1 : size;

		if (s.len != want || memcmp(s.joined, data, want) != 0)
			fail("records do not join back into the input");
	}
	if (rc == 0 && f == FRAMING_WHOLE && (s.recno != 1 || s.len != size ||
	    memcmp(s.joined, data, size) != 0))
		fail("the whole input is not one record");
	free(s.joined);
	check_hex(data, size);
	check_vis(data, size);
	return 0;
}
