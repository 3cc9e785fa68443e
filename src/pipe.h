#ifndef RAWSOCK_PIPE_H
#define RAWSOCK_PIPE_H
/*
 * rawecho --pipe: one handler for the whole run, a protocol engine
 * rather than a filter. Each frame taken goes to its standard input as a
 * line of rawrecv -o json; each line it writes is a frame to send, in
 * rawsend --json's schema (jsonframe.h), at any time, as many or as few
 * as it likes. The process is handler.c's, started by its spawner with
 * the handlers' credentials; this file moves the bytes, and never blocks:
 * both pipes are watched by the one loop. What the handler has not read
 * yet waits here up to PIPE_BACKLOG bytes; past that the caller stops
 * taking frames (pipe_full()), and they wait in the socket and the
 * kernel, which counts what it drops.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handler.h"
#include "json.h"
#include "jsonframe.h"
#include "loop.h"

#define PIPE_BACKLOG	(256 * 1024)

struct pipe_handler {
	struct handlers	 h;
	struct loop	*loop;
	int		 in, out;	/* our ends; -1 once closed */
	int		 in_id, out_id;
	char		*wbuf;		/* lines it has not read yet */
	size_t		 wlen, wcap;
	char		*rbuf;		/* the start of its next line */
	size_t		 rlen, rcap;
	bool		 skipping;	/* in a line too long to read */
	bool		 closing;	/* pipe_close_input(): no more frames */
	bool		 exited;
	uint8_t		*frame;		/* a line's frame, maxframe bytes */
	size_t		 maxframe;
	struct jsonframe_defaults defaults;
	/* A line's frame, to send; valid during the call. */
	void		(*send)(void *ctx, const uint8_t *frame, size_t len);
	/* The handler is over: ok if it exited 0 after its input ended;
	 * why says how it ended. */
	void		(*ended)(void *ctx, bool ok, const char *why);
	void		*ctx;
	unsigned long long taken;	/* frames handed over */
	unsigned long long written;	/* of them, lines it was given */
	unsigned long long lines;	/* lines it wrote */
	unsigned long long failed;	/* lines that were no frame */
};

/* Before the sandbox: forks handler.c's spawner. maxframe bounds a frame
 * (the MTU, header and tag). */
void	pipe_init(struct pipe_handler *p, struct loop *loop, const char *cmd,
	    const char *ifname, double limit, size_t maxframe,
	    const struct jsonframe_defaults *d);
/* Starts the handler; exit 2 with one line if it cannot be. */
void	pipe_start(struct pipe_handler *p);
/* Hands a frame over (as a JSON line, written at the next pipe_flush()). */
void	pipe_frame(struct pipe_handler *p, const struct frame_meta *m,
	    const uint8_t *frame, size_t len);
/* Whether the caller should take no frame for now. */
bool	pipe_full(const struct pipe_handler *p);
/* Writes what it can of what waits: after every wake-up. */
void	pipe_flush(struct pipe_handler *p);
/* The run is over: its input ends once what waits is written, and from
 * then it has the time limit to exit. */
void	pipe_close_input(struct pipe_handler *p);
/* Lines handed over that it never got. */
unsigned long long pipe_unwritten(const struct pipe_handler *p);
/* Kills it if it still runs, and frees everything. */
void	pipe_free(struct pipe_handler *p);

#endif
