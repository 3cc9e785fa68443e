#ifndef RAWSOCK_REPLAY_H
#define RAWSOCK_REPLAY_H
/*
 * Replaying a capture: the records of a pcap file, a FIFO or standard
 * input ("-"), handed over as they come, each with its offset from the
 * first (for --timing). The caller waits before every read, the first
 * included: a FIFO that has no writer yet is opened without blocking, so
 * nothing ever blocks out of the caller's event loop.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct replay_sink {
	void	*ctx;
	/* Before each read: true once fd has input (or its end), false to
	 * stop as at the end. */
	bool	(*ready)(void *ctx, int fd);
	/* One record, valid until the next read; false stops. */
	bool	(*record)(void *ctx, const uint8_t *frame, size_t len,
		    unsigned long long recno, uint64_t offset_ns);
};

struct replay_error {
	const char	*path;		/* the file replay_open() names */
	unsigned long long recno;	/* 0: the file itself */
	const char	*why;
};

/* Opens path ("-": standard input) without waiting for a FIFO's writer,
 * before privileges go: the descriptor, or -1 and e->why. A path that
 * names the same file as written (a dry run's -w, or NULL) is refused:
 * writing would truncate what is still to be read. */
int	replay_open(const char *path, const char *written,
	    struct replay_error *e);
/* Reads fd (closed at the end): 0 at the end, or when told to stop;
 * -1 and *e. */
int	replay_run(int fd, const struct replay_sink *k, struct replay_error *e);

#endif
