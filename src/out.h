#ifndef RAWSOCK_OUT_H
#define RAWSOCK_OUT_H
/*
 * Buffered output to a file descriptor: formatters write straight into
 * the buffer, and it goes out in large writes. A closed pipe (EPIPE) ends
 * the program quietly with status 0, as `rawrecv | head -1` expects; any
 * other write error is reported and exits 2.
 */

#include <pthread.h>
#include <stddef.h>

struct out {
	int	 fd;
	const char *name;	/* for messages: "standard output" or a file */
	pthread_mutex_t *lock;	/* shared fd: whole buffers, one at a time */
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

void	out_init(struct out *o, int fd, size_t cap);
/* Room for at least n more bytes at the returned pointer; may flush. */
char	*out_reserve(struct out *o, size_t n);
static inline void
out_commit(struct out *o, size_t n)
{
	o->len += n;
}
void	out_write(struct out *o, const void *data, size_t n);
void	out_flush(struct out *o);
void	out_free(struct out *o);

#endif
