/*
 * Unit tests for input.c: each framing over a memfd and over a pipe,
 * streaming (a record is handed over before the writer has finished),
 * the last record without its delimiter, too-long records named by their
 * number, memory bounded whatever the input, and input_decode.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "input.h"
#include "unit.h"

#define MAXREC	64

/* What a run handed over: the records, joined with '|' for easy checks. */
struct got {
	char		 text[1 << 16];
	size_t		 len;
	unsigned long long records, last_recno;
	unsigned long long batches;
	size_t		 longest;
	bool		 recno_ok;	/* 1, 2, 3... in order */
	int		 ack_fd;	/* streaming: tell the writer (or -1) */
};

static void
on_record(void *ctx, const uint8_t *data, size_t len, unsigned long long recno)
{
	struct got *g = ctx;

	if (recno != g->last_recno + 1)
		g->recno_ok = false;
	g->last_recno = recno;
	g->records++;
	if (len > g->longest)
		g->longest = len;
	if (g->records > 1 && g->len < sizeof(g->text) - 2)
		g->text[g->len++] = '|';
	for (size_t i = 0; i < len && g->len < sizeof(g->text) - 1; i++)
		g->text[g->len++] = data[i] == '\0' ? '@' : (char)data[i];
	g->text[g->len] = '\0';
	if (g->ack_fd >= 0)
		(void)write(g->ack_fd, "k", 1);
}

static void
on_batch(void *ctx)
{
	((struct got *)ctx)->batches++;
}

static void
got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	g->recno_ok = true;
	g->ack_fd = -1;
}

/* A memfd holding the bytes, positioned at the start. */
static int
memfd_with(const void *data, size_t len)
{
	int fd = memfd_create("input", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		perror("memfd");
		exit(2);
	}
	return fd;
}

/* Runs input_run over the bytes; returns its status. */
static int
run(enum framing f, size_t maxlen, const char *data, size_t len,
    struct got *g, struct input_error *e)
{
	struct input_sink sink = {
	    .ctx = g, .record = on_record, .batch_end = on_batch };
	int fd = memfd_with(data, len), rc;

	got_init(g);
	e->recno = 99;
	e->why = NULL;
	rc = input_run(fd, f, maxlen, &sink, e);
	close(fd);
	return rc;
}

#define RUN(f, max, lit, g, e)	run(f, max, lit, sizeof(lit) - 1, g, e)

static void
test_framings(void)
{
	struct got g;
	struct input_error e;

	CHECK(RUN(FRAMING_WHOLE, MAXREC, "a\nb\0c", &g, &e) == 0 &&
	    g.records == 1 && strcmp(g.text, "a\nb@c") == 0,
	    "whole: all of the input, NULs and newlines kept, is one record");
	CHECK(RUN(FRAMING_WHOLE, MAXREC, "", &g, &e) == 0 && g.records == 1 &&
	    g.longest == 0, "whole: empty input is one empty record");
	CHECK(RUN(FRAMING_LINES, MAXREC, "one\ntwo\nthree\n", &g, &e) == 0 &&
	    g.records == 3 && strcmp(g.text, "one|two|three") == 0 &&
	    g.recno_ok, "lines: newlines end records, and are removed");
	CHECK(RUN(FRAMING_LINES, MAXREC, "one\ntwo", &g, &e) == 0 &&
	    g.records == 2 && strcmp(g.text, "one|two") == 0,
	    "lines: a last line without its newline is still a record");
	CHECK(RUN(FRAMING_LINES, MAXREC, "a\n\nb\n", &g, &e) == 0 &&
	    g.records == 3 && strcmp(g.text, "a||b") == 0,
	    "lines: an empty line is an empty record");
	CHECK(RUN(FRAMING_LINES, MAXREC, "", &g, &e) == 0 && g.records == 0,
	    "lines: empty input, no record");
	CHECK(RUN(FRAMING_LINES, MAXREC, "a\0b\n", &g, &e) == 0 &&
	    g.records == 1 && strcmp(g.text, "a@b") == 0,
	    "lines: a NUL inside a line is a byte like any other");
	CHECK(RUN(FRAMING_NUL, MAXREC, "one\0t\nwo\0\0last", &g, &e) == 0 &&
	    g.records == 4 && strcmp(g.text, "one|t\nwo||last") == 0,
	    "-0: NULs end records; newlines are bytes; last one without NUL");
	CHECK(RUN(FRAMING_NUL, MAXREC, "x\0", &g, &e) == 0 && g.records == 1,
	    "-0: a final NUL does not start an empty record");
	CHECK(RUN(FRAMING_HEX, MAXREC, "41 42:43\n44\t45\r\n\n4a4B", &g, &e)
	    == 0 && g.records == 4 && strcmp(g.text, "ABC|DE||JK") == 0,
	    "-x: spaces, colons, tabs and CRLF allowed, any case");
	CHECK(RUN(FRAMING_VIS, MAXREC, "a\\nb\\000\\\\\nc\\303\\251", &g, &e)
	    == 0 && g.records == 2 && strcmp(g.text, "a\nb@\\|c\303\251") == 0,
	    "--vis: escapes undone, one record per line");
}

static void
test_errors(void)
{
	struct got g;
	struct input_error e;
	char *big;
	size_t n = 3 * MAXREC;

	CHECK(RUN(FRAMING_HEX, MAXREC, "41\nzz\n42\n", &g, &e) < 0 &&
	    e.recno == 2 && g.records == 1 && strcmp(g.text, "A") == 0 &&
	    strstr(e.why, "not hex") != NULL,
	    "-x: a bad line is named by number; the lines before went out");
	CHECK(RUN(FRAMING_HEX, MAXREC, "41\n414\n", &g, &e) < 0 &&
	    e.recno == 2 && strstr(e.why, "odd number") != NULL,
	    "-x: an odd number of digits is refused");
	CHECK(RUN(FRAMING_VIS, MAXREC, "ok\nbad\\q\n", &g, &e) < 0 &&
	    e.recno == 2 && g.records == 1,
	    "--vis: a bad escape names its line");

	big = malloc(n + 16);
	memset(big, 'a', n);
	CHECK(run(FRAMING_WHOLE, MAXREC, big, MAXREC, &g, &e) == 0 &&
	    g.longest == MAXREC, "whole: exactly maxlen bytes is fine");
	CHECK(run(FRAMING_WHOLE, MAXREC, big, MAXREC + 1, &g, &e) < 0 &&
	    e.recno == 1 && strcmp(e.why, "too long") == 0 && g.records == 0,
	    "whole: one byte more is too long, nothing handed over");

	/* "x\n" then a line of n 'a's, then "y\n". */
	memcpy(big, "x\n", 2);
	memset(big + 2, 'a', n);
	memcpy(big + 2 + n, "\ny\n", 3);
	CHECK(run(FRAMING_LINES, MAXREC, big, n + 5, &g, &e) < 0 &&
	    e.recno == 2 && strcmp(e.why, "too long") == 0 &&
	    g.records == 1 && strcmp(g.text, "x") == 0,
	    "lines: a too-long line is named by number after the good ones");
	CHECK(run(FRAMING_LINES, MAXREC, big, n + 2, &g, &e) < 0 &&
	    e.recno == 2 && strcmp(e.why, "too long") == 0,
	    "lines: a too-long last line without a newline too");
	memset(big + 2, 'a', MAXREC);
	memcpy(big + 2 + MAXREC, "\ny", 2);
	CHECK(run(FRAMING_LINES, MAXREC, big, MAXREC + 5, &g, &e) == 0 &&
	    g.records == 3 && g.longest == MAXREC,
	    "lines: a line of exactly maxlen bytes is fine");

	/* Hex: the text fits, the decoded record does not. */
	memcpy(big, "00\n", 3);
	memset(big + 3, '0', 2 * (MAXREC + 1));
	CHECK(run(FRAMING_HEX, MAXREC, big, 3 + 2 * (MAXREC + 1), &g, &e) < 0 &&
	    e.recno == 2 && strcmp(e.why, "too long") == 0 && g.records == 1,
	    "-x: maxlen counts decoded bytes: maxlen+1 in hex is too long");
	CHECK(run(FRAMING_HEX, MAXREC, big, 3 + 2 * MAXREC, &g, &e) == 0 &&
	    g.longest == MAXREC, "-x: maxlen bytes in hex is fine");
	free(big);
}

/* Many records: more than one read, records split across reads. */
static void
test_many(void)
{
	size_t n = 200000, len = 0;
	char *buf = malloc(n * 8);
	struct got *g = malloc(sizeof(*g));
	struct input_sink sink = {
	    .ctx = g, .record = on_record, .batch_end = on_batch };
	struct input_error e;
	int fd;

	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "%zu\n", i % 1000);
	fd = memfd_with(buf, len);
	got_init(g);
	CHECK(input_run(fd, FRAMING_LINES, MAXREC, &sink, &e) == 0 &&
	    g->records == n && g->recno_ok && g->last_recno == n,
	    "200000 lines over many reads: every one, numbered in order");
	CHECK(g->batches > 1,
	    "batch_end comes between reads, not only at the end");
	close(fd);
	free(buf);
	free(g);
}

/*
 * Streaming: the writer sends one line, then waits for the reader to hand
 * it over before it sends the next. A reader that waited for the end would
 * get "late" instead of "two".
 */
static void
test_streaming(enum framing f, const char *first, const char *second,
    const char *name)
{
	int data[2], ack[2];
	struct got *g = malloc(sizeof(*g));
	struct input_sink sink = {
	    .ctx = g, .record = on_record, .batch_end = on_batch };
	struct input_error e;
	pid_t pid;
	int rc, status;

	if (pipe(data) < 0 || pipe(ack) < 0)
		exit(2);
	if ((pid = fork()) == 0) {
		struct pollfd p = { ack[0], POLLIN, 0 };
		char c;

		close(data[0]);
		close(ack[1]);
		(void)write(data[1], first, strlen(first) + (f == FRAMING_NUL));
		if (poll(&p, 1, 3000) == 1 && read(ack[0], &c, 1) == 1)
			(void)write(data[1], second, strlen(second));
		else
			(void)write(data[1], "late", 4);
		_exit(0);
	}
	close(data[1]);
	close(ack[0]);
	got_init(g);
	g->ack_fd = ack[1];
	rc = input_run(data[0], f, MAXREC, &sink, &e);
	waitpid(pid, &status, 0);
	CHECK(rc == 0 && g->records == 2 && strstr(g->text, "late") == NULL,
	    name);
	close(data[0]);
	close(ack[1]);
	free(g);
}

/*
 * Memory stays bounded: an endless line (or an endless whole input) ends
 * in "too long" after a bounded read, with memory use that does not grow.
 */
static void
test_bounded(enum framing f, const char *name)
{
	int p[2];
	struct got *g = malloc(sizeof(*g));
	struct input_sink sink = {
	    .ctx = g, .record = on_record, .batch_end = on_batch };
	struct input_error e;
	struct rusage before, after;
	pid_t pid;
	int rc;

	if (pipe(p) < 0)
		exit(2);
	if ((pid = fork()) == 0) {
		static char chunk[65536];

		memset(chunk, f == FRAMING_HEX ? '0' : 'a', sizeof(chunk));
		close(p[0]);
		signal(SIGPIPE, SIG_DFL);
		for (int i = 0; i < 16384; i++)	/* 1 GiB at most */
			if (write(p[1], chunk, sizeof(chunk)) < 0)
				_exit(0);
		_exit(1);
	}
	close(p[1]);
	got_init(g);
	getrusage(RUSAGE_SELF, &before);
	rc = input_run(p[0], f, 1500, &sink, &e);
	getrusage(RUSAGE_SELF, &after);
	close(p[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	CHECK(rc < 0 && e.recno == 1 && strcmp(e.why, "too long") == 0 &&
	    g->records == 0 && after.ru_maxrss - before.ru_maxrss < 4096,
	    name);
	free(g);
}

static long
decode(enum framing f, const char *in, char *out, const char **why)
{
	size_t len = strlen(in);
	long n;

	memcpy(out, in, len + 1);
	*why = NULL;
	n = input_decode(f, (uint8_t *)out, len, why);
	if (n >= 0)
		out[n] = '\0';
	return n;
}

static void
test_decode(void)
{
	char out[256];
	const char *why;
	static const char *const bad_vis[] = {
		"\\q", "ab\\", "\\x", "\\xg", "\\M", "\\M-", "\\Mx", "\\^",
		"\\400", "\\777", "\\8", "a\\ b",
	};

	CHECK(decode(FRAMING_HEX, "de:AD be\tef", out, &why) == 4 &&
	    memcmp(out, "\xde\xad\xbe\xef", 4) == 0,
	    "decode hex: separators and upper case");
	CHECK(decode(FRAMING_HEX, "", out, &why) == 0, "decode hex: empty");
	CHECK(decode(FRAMING_HEX, "abc", out, &why) < 0 && why != NULL,
	    "decode hex: odd digit count refused");
	CHECK(decode(FRAMING_HEX, "a bc", out, &why) < 0 && why != NULL,
	    "decode hex: a separator inside a byte refused");
	CHECK(decode(FRAMING_HEX, "0x41", out, &why) < 0 && why != NULL,
	    "decode hex: 0x prefix refused");
	CHECK(decode(FRAMING_HEX, "g0", out, &why) < 0 &&
	    strstr(why, "not hex") != NULL, "decode hex: non-hex refused");
	CHECK(decode(FRAMING_VIS, "a\\tb\\r\\n\\\\\\001\\377\\s\\E\\x41",
	    out, &why) == 11 &&
	    memcmp(out, "a\tb\r\n\\\001\377 \033A", 11) == 0,
	    "decode vis: C-style, octal, \\s, \\E and hex escapes");
	CHECK(decode(FRAMING_VIS, "\\M-a\\M^A\\^A", out, &why) == 3 &&
	    memcmp(out, "\341\201\001", 3) == 0,
	    "decode vis: meta and control");
	CHECK(decode(FRAMING_VIS, "h\303\251\\0", out, &why) == 4 &&
	    memcmp(out, "h\303\251\0", 4) == 0,
	    "decode vis: raw UTF-8 passes, \\0 is a NUL");
	for (size_t i = 0; i < sizeof(bad_vis) / sizeof(bad_vis[0]); i++) {
		char name[80];

		snprintf(name, sizeof(name), "decode vis: '%s' refused",
		    bad_vis[i]);
		CHECK(decode(FRAMING_VIS, bad_vis[i], out, &why) < 0 &&
		    why != NULL && why[0] != '\0', name);
	}
	{
		uint8_t nul[3] = { 'a', 0, 'b' };

		CHECK(input_decode(FRAMING_VIS, nul, 3, &why) < 0,
		    "decode vis: a raw NUL refused");
		CHECK(input_decode(FRAMING_LINES, nul, 3, &why) == 3 &&
		    input_decode(FRAMING_NUL, nul, 3, &why) == 3 &&
		    input_decode(FRAMING_WHOLE, nul, 3, &why) == 3,
		    "decode: other framings leave bytes as they are");
	}
}

/* -x counts bytes against maxlen, not characters: blanks between bytes
 * are free, up to 16 characters a byte (and 4096 more) of text. */
static void
test_hex_blanks(void)
{
	size_t n = 6 * MAXREC, blanks = 16 * MAXREC + 4097;
	char *text = malloc(blanks + 1);
	struct input_error e;
	struct got g;

	for (size_t i = 0; i < MAXREC; i++)
		memcpy(text + 6 * i, "41    ", 6);
	text[n - 1] = '\n';
	CHECK(run(FRAMING_HEX, MAXREC, text, n, &g, &e) == 0 &&
	    g.records == 1 && g.longest == MAXREC,
	    "-x: maxlen bytes with four blanks after each: one whole record");
	memcpy(text + n - 1, "41\n", 3);
	CHECK(run(FRAMING_HEX, MAXREC, text, n + 2, &g, &e) < 0 &&
	    e.recno == 1 && strcmp(e.why, "too long") == 0,
	    "-x: one byte more, with blanks: too long");
	memset(text, ' ', blanks);
	CHECK(run(FRAMING_HEX, MAXREC, text, blanks, &g, &e) < 0 &&
	    e.recno == 1 && strcmp(e.why, "more than 5120 characters of hex "
	    "text") == 0 && g.records == 0,
	    "-x: a line of blanks past the bound: refused as text");
	free(text);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_framings();
	test_errors();
	test_hex_blanks();
	test_many();
	test_decode();
	test_streaming(FRAMING_LINES, "one\n", "two\n",
	    "lines stream: a line is handed over as soon as it ends");
	test_streaming(FRAMING_HEX, "41\n", "42\n",
	    "-x streams too");
	test_streaming(FRAMING_NUL, "one", "two",
	    "-0 streams too");
	test_streaming(FRAMING_VIS, "o\\n\n", "t\n", "--vis streams too");
	test_bounded(FRAMING_LINES,
	    "lines: an endless line ends in 'too long', memory bounded");
	test_bounded(FRAMING_WHOLE,
	    "whole: endless input ends in 'too long', memory bounded");
	test_bounded(FRAMING_HEX,
	    "-x: an endless hex line ends in 'too long', memory bounded");
	return unit_done();
}
