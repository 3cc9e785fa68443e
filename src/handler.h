#ifndef RAWSOCK_HANDLER_H
#define RAWSOCK_HANDLER_H
/*
 * rawecho's handlers: up to max commands at once, each `/bin/sh -c CMD`
 * with a frame's payload on its standard input and RAWSOCK_SRC,
 * RAWSOCK_DEST, RAWSOCK_TYPE, RAWSOCK_VLAN and RAWSOCK_IFACE in its
 * environment; its
 * standard output is the reply. Nothing here blocks: each handler's
 * pipes and the spawner's socket are watched by the one loop (loop.h),
 * and done() is called as each handler finishes.
 *
 * Handlers are started by a spawner, a process handlers_init() forks
 * before the server enters its sandbox (sandbox.h): a seccomp filter is
 * inherited, so the server's can stay narrow (no open, no execve) while
 * handlers run confined only by their credentials. The server sends the
 * spawner each frame's addresses and type with the two pipe ends over a
 * socketpair; the spawner runs CMD, which it holds from the start, so the
 * server cannot make it run anything else, and reports each exit.
 *
 * A handler runs in a process group of its own, with SIGINT, SIGTERM and
 * SIGPIPE at their defaults and no signal blocked. One that runs past the
 * time limit is killed with its whole group. The spawner is a child
 * subreaper: when a handler is over, its group and whatever it left
 * behind (reparented to the spawner) are killed and reaped, and so is
 * everything when the server ends or dies.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "loop.h"

struct job;
struct handler_result;

typedef void handler_done_fn(void *ctx, const struct handler_result *r);

struct handlers {
	struct loop	*loop;
	handler_done_fn	*done;
	void		*done_ctx;
	const char	*cmd;
	const char	*ifname;
	int		 max;		/* handlers at once */
	int		 running;
	double		 limit;		/* seconds a handler may take */
	size_t		 maxreply;	/* the MTU: longer replies are refused */
	struct job	*job;
	size_t		 envcount;	/* entries in environ at the start */
	pid_t		 spawner;	/* 0: not started */
	int		 ctl;		/* our end of the spawner's socket */
	int		 ctl_id;	/* its handle in the loop */
	bool		 deferred;	/* exits to check at the next wake-up */
};

struct handler_result {
	unsigned long long tag;		/* the caller's number for the frame */
	const uint8_t	*frame;		/* the request, as handlers_start got it */
	size_t		 framelen;
	size_t		 hdrlen;	/* its header, with any VLAN tag */
	bool		 ok;		/* false: failed, and why says how */
	const uint8_t	*reply;		/* valid during the callback only */
	size_t		 replylen;	/* 0: the handler chose not to answer */
	char		 why[160];
};

void	handlers_init(struct handlers *h, struct loop *loop, const char *cmd,
	    const char *ifname, int max, double limit, size_t maxreply,
	    handler_done_fn *done, void *ctx);
/* Starts CMD for frame (copied), whose payload follows hdrlen bytes of
 * header (18: a VLAN tag after the MACs); the caller keeps running < max.
 * A failure to start is reported through done at once. */
void	handlers_start(struct handlers *h, const uint8_t *frame, size_t len,
	    size_t hdrlen, unsigned long long tag);
/*
 * rawecho --pipe: starts CMD once, for the whole run, with only
 * RAWSOCK_IFACE set. *in and *out get our ends of its standard input and
 * output, non-blocking, for the caller to watch and close. Its exit comes
 * to done (frame NULL; ok when it exited with status 0). 0, or an errno.
 * h must have been set up for one handler.
 */
int	handlers_start_stream(struct handlers *h, int *in, int *out);
/* Its input has ended: from now on it has the time limit to exit. */
void	handlers_stream_ending(struct handlers *h);
/* The earliest time limit of a running handler (CLOCK_MONOTONIC); false
 * when none runs. */
bool	handlers_deadline(const struct handlers *h, struct timespec *when);
/* Kills the handlers past their time limit (call it when the time of
 * handlers_deadline() comes); done is called as each one ends. */
void	handlers_expire(struct handlers *h);
/* Kills the running handlers and their groups, and reaps them. */
void	handlers_stop(struct handlers *h);
/* handlers_stop(), then frees what handlers_init() took. */
void	handlers_free(struct handlers *h);

/* Pure helpers, for the tests as well. */

/*
 * Builds a handler's environment in out (room for outcap pointers): the
 * entries of base, except those that add overrides, then add; NULL-ended.
 * Returns the count, or -1 if it does not fit.
 */
int	handler_env(char *const base[], char *const add[], char **out,
	    size_t outcap);
/* "exited with status 3", "killed by signal 9 (Killed)", ... */
void	handler_status_text(int status, char *buf, size_t n);

#endif
