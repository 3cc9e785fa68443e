#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "opts.h"
#include "pipe.h"

#define READ_CHUNK	(64 * 1024)
/* Reads per wake-up, so a handler that writes without end cannot starve
 * the rest of the loop. */
#define READS_PER_WAKE	16

static void	handler_exited(void *ctx, const struct handler_result *r);

void
pipe_init(struct pipe_handler *p, struct loop *loop, const char *cmd,
    const char *ifname, double limit, size_t maxframe,
    const struct jsonframe_defaults *d)
{
	*p = (struct pipe_handler){ .loop = loop, .in = -1, .out = -1,
	    .in_id = -1, .out_id = -1, .maxframe = maxframe,
	    .defaults = *d };
	/* Room for the backlog and one more frame's line. */
	p->wcap = PIPE_BACKLOG + print_json_max(maxframe, IFNAMSIZ);
	/* The longest line a frame can take (jsonframe.h), and a read. */
	p->rcap = 6 * maxframe + 1024 + READ_CHUNK;
	if ((p->wbuf = malloc(p->wcap)) == NULL ||
	    (p->rbuf = malloc(p->rcap)) == NULL ||
	    (p->frame = malloc(maxframe)) == NULL)
		err(2, "malloc");
	handlers_init(&p->h, loop, cmd, ifname, 1, limit, 1, handler_exited, p);
}

static void
close_in(struct pipe_handler *p)
{
	if (p->in < 0)
		return;
	loop_forget(p->loop, p->in_id);
	close(p->in);
	p->in = p->in_id = -1;
	handlers_stream_ending(&p->h);
}

static void
close_out(struct pipe_handler *p)
{
	if (p->out < 0)
		return;
	loop_forget(p->loop, p->out_id);
	close(p->out);
	p->out = p->out_id = -1;
}

static unsigned long long
count_lines(const char *s, size_t len)
{
	unsigned long long n = 0;
	const char *nl;

	while (len > 0 && (nl = memchr(s, '\n', len)) != NULL) {
		n++;
		len -= (size_t)(nl + 1 - s);
		s = nl + 1;
	}
	return n;
}

void
pipe_flush(struct pipe_handler *p)
{
	size_t off = 0;
	ssize_t n;

	while (p->in >= 0 && off < p->wlen) {
		if ((n = write(p->in, p->wbuf + off, p->wlen - off)) < 0 &&
		    errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			/* It closed its input: what waits is never read. */
			close_in(p);
			break;
		}
		p->written += count_lines(p->wbuf + off, (size_t)n);
		off += (size_t)n;
	}
	if (p->in < 0)
		off = p->wlen;
	memmove(p->wbuf, p->wbuf + off, p->wlen - off);
	p->wlen -= off;
	if (p->in >= 0 && p->wlen == 0 && p->closing)
		close_in(p);
	else if (p->in >= 0)
		loop_watch(p->loop, p->in_id, p->wlen > 0 ? POLLOUT : 0);
}

/* One line it wrote: a frame to send, or a failure that says why. */
static void
line(struct pipe_handler *p, const char *text, size_t len)
{
	const char *why;
	long n;

	p->lines++;
	if (len > 0 && text[len - 1] == '\r')
		len--;
	if ((n = jsonframe_decode(&p->defaults, text, len, p->frame,
	    p->maxframe, &why)) < 0) {
		p->failed++;
		warnx("handler line %llu: %s, not sent", p->lines,
		    strcmp(why, "too long") == 0 ? "longer than the MTU" :
		    why);
		return;
	}
	p->send(p->ctx, p->frame, (size_t)n);
}

/* The complete lines in rbuf; a line that fills it is refused whole. */
static void
lines(struct pipe_handler *p, bool end)
{
	size_t start = 0;
	char *nl;

	while ((nl = memchr(p->rbuf + start, '\n', p->rlen - start)) != NULL) {
		size_t len = (size_t)(nl - (p->rbuf + start));

		if (!p->skipping)
			line(p, p->rbuf + start, len);
		p->skipping = false;
		start += len + 1;
	}
	if (end && start < p->rlen && !p->skipping) {
		line(p, p->rbuf + start, p->rlen - start);
		start = p->rlen;
	}
	memmove(p->rbuf, p->rbuf + start, p->rlen - start);
	p->rlen -= start;
	if (p->rlen + READ_CHUNK > p->rcap) {
		p->lines++;
		p->failed++;
		warnx("handler line %llu: longer than any frame, not sent",
		    p->lines);
		p->skipping = true;
		p->rlen = 0;
	}
}

static void
drain(struct pipe_handler *p, int reads)
{
	for (int i = 0; i < reads && p->out >= 0; i++) {
		ssize_t n = read(p->out, p->rbuf + p->rlen, READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			lines(p, true);
			close_out(p);
			return;
		}
		p->rlen += (size_t)n;
		lines(p, false);
	}
}

static void
on_in(void *ctx, short revents)
{
	(void)revents;
	pipe_flush(ctx);
}

static void
on_out(void *ctx, short revents)
{
	(void)revents;
	drain(ctx, READS_PER_WAKE);
}

void
pipe_start(struct pipe_handler *p)
{
	int e;

	if ((e = handlers_start_stream(&p->h, &p->in, &p->out)) != 0)
		errx(2, "could not start the handler: /bin/sh: %s",
		    strerror(e));
	p->in_id = loop_add(p->loop, p->in, 0, on_in, NULL, p);
	p->out_id = loop_add(p->loop, p->out, POLLIN, on_out, NULL, p);
}

/* From handler.c: it has exited. What it wrote before is read first. */
static void
handler_exited(void *ctx, const struct handler_result *r)
{
	struct pipe_handler *p = ctx;
	bool ok = r->ok && p->closing;

	p->exited = true;
	close_in(p);
	/* Bounded: a stray it left may still hold its output open. */
	drain(p, 64);
	close_out(p);
	p->ended(p->ctx, ok, r->ok && !p->closing ?
	    "exited with status 0 before its input ended" : r->why);
}

void
pipe_frame(struct pipe_handler *p, const struct frame_meta *m,
    const uint8_t *frame, size_t len)
{
	size_t need = p->wlen + print_json_max(len, m->iface != NULL ?
	    strlen(m->iface) : 0);
	char *w;

	/* A frame over the MTU (a peer with a larger one) still fits. */
	if (need > p->wcap) {
		if ((w = realloc(p->wbuf, need)) == NULL)
			err(2, "realloc");
		p->wbuf = w;
		p->wcap = need;
	}
	p->wlen += print_json(p->wbuf + p->wlen, m, frame, len);
	p->taken++;
}

bool
pipe_full(const struct pipe_handler *p)
{
	return p->in < 0 || p->closing || p->wlen >= PIPE_BACKLOG;
}

void
pipe_close_input(struct pipe_handler *p)
{
	p->closing = true;
	pipe_flush(p);
}

unsigned long long
pipe_unwritten(const struct pipe_handler *p)
{
	return p->taken - p->written;
}

void
pipe_free(struct pipe_handler *p)
{
	close_in(p);
	close_out(p);
	handlers_free(&p->h);
	free(p->wbuf);
	free(p->rbuf);
	free(p->frame);
	p->wbuf = p->rbuf = NULL;
	p->frame = NULL;
}
