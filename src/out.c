#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "out.h"

void
out_init(struct out *o, int fd, size_t cap)
{
	o->fd = fd;
	o->name = "standard output";
	o->lock = NULL;
	o->len = 0;
	o->cap = cap;
	if ((o->buf = malloc(cap)) == NULL)
		err(2, "malloc");
}

void
out_flush(struct out *o)
{
	size_t done = 0;

	if (o->len == 0)
		return;
	if (o->lock != NULL)
		pthread_mutex_lock(o->lock);
	while (done < o->len) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			exit(0);	/* the reader has what it wanted */
		if (n <= 0)
			err(2, "write error on %s", shown(o->name));
		done += (size_t)n;
	}
	if (o->lock != NULL)
		pthread_mutex_unlock(o->lock);
	o->len = 0;
}

char *
out_reserve(struct out *o, size_t n)
{
	if (o->cap - o->len < n) {
		out_flush(o);
		if (o->cap < n) {
			char *b = realloc(o->buf, n);

			if (b == NULL)
				err(2, "realloc");
			o->buf = b;
			o->cap = n;
		}
	}
	return o->buf + o->len;
}

void
out_write(struct out *o, const void *data, size_t n)
{
	memcpy(out_reserve(o, n), data, n);
	o->len += n;
}

void
out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
}
