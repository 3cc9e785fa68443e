#ifndef RAWSOCK_JOBS_H
#define RAWSOCK_JOBS_H
/*
 * -j JOBS, parallel sending: the repeats of one frame shared among JOBS
 * processes, each with a socket of its own and pinned to a CPU of its
 * own where there are enough. Workers say nothing themselves: each hands
 * the parent one result through a pipe, and the parent, which sends a
 * share too, reads them in its event loop, stops the others when the run
 * stops (a signal, a failure) and reports once for all. A worker gets
 * SIGTERM when its parent dies, however it dies.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sock.h"

#define JOBS_MAX	64

struct pace;

struct job_result {
	unsigned long long frames, bytes;
	int		 err;		/* the errno that ended the share, or 0 */
	bool		 stopped;	/* a signal ended it */
};

struct jobs;

struct job_reader {
	struct jobs	*j;
	long		 k;
};

struct jobs {
	long		 n;		/* processes, the parent included */
	struct rawsock	 sock[JOBS_MAX];	/* [1, n): the workers' */
	struct loop	*l;
	pid_t		 pid[JOBS_MAX];
	int		 fd[JOBS_MAX];	/* the parent's end of each pipe */
	int		 id[JOBS_MAX];	/* their loop handles */
	struct job_reader rd[JOBS_MAX];	/* and what the loop calls back with */
	int		 out;		/* a worker's end of its pipe */
	long		 left;		/* workers not heard from */
	struct job_result sum;		/* what the workers reported */
	bool		 lost;		/* one ended without a word */
	long		 ncpu;		/* CPUs online, read before the
					 * sandbox: it cannot open /sys */
};

/* Opens the sockets of the n - 1 workers on ifname, before privileges
 * go (n 1: none). */
void	jobs_open(struct jobs *j, long n, const char *ifname);

/*
 * Sends frame count times in all: forks the workers (p's loop was made
 * before, so signals are blocked in all of them), sends this process's
 * share through p, then waits in the loop for the workers' results, in
 * j->sum and j->lost; when the loop stops, those still sending get
 * SIGTERM and are read and reaped. Returns in the parent only: 0, or -1
 * and errno when its own share failed.
 */
int	jobs_send(struct jobs *j, struct pace *p, const uint8_t *frame,
	    size_t len, long long count);

#endif
