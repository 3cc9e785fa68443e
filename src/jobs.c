#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "jobs.h"
#include "loop.h"
#include "pace.h"
#include "txq.h"

static void
pin(const struct jobs *j, long job)
{
	cpu_set_t cpus;

	if (j->ncpu <= 0)
		return;
	CPU_ZERO(&cpus);
	CPU_SET((int)(job % j->ncpu), &cpus);
	(void)sched_setaffinity(0, sizeof(cpus), &cpus);
}

/* Reads worker k's result (it has ended, or is about to). */
static void
take(struct jobs *j, long k)
{
	struct job_result r;
	ssize_t n;

	do
		n = read(j->fd[k], &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r)) {
		j->lost = true;	/* killed, or crashed */
		loop_stop(j->l, STOP_FAILED);
	} else {
		j->sum.frames += r.frames;
		j->sum.bytes += r.bytes;
		if (r.err != 0 && j->sum.err == 0)
			j->sum.err = r.err;
		if (r.err != 0)
			loop_stop(j->l, STOP_FAILED);
		else if (r.stopped)
			loop_stop(j->l, STOP_SIGNAL);
	}
	loop_forget(j->l, j->id[k]);
	close(j->fd[k]);
	j->fd[k] = -1;
	j->left--;
}

static void
on_result(void *ctx, short revents)
{
	struct job_reader *r = ctx;

	(void)revents;
	take(r->j, r->k);
}

void
jobs_open(struct jobs *j, long n, const char *ifname)
{
	memset(j, 0, sizeof(*j));
	j->n = n;
	j->out = -1;
	/* Every CPU online, not those this process may use now: a sender
	 * started under taskset still spreads its workers. */
	j->ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	for (long k = 1; k < n; k++)
		sock_open(&j->sock[k], &(struct sock_config){ .ifname = ifname });
}

/* Forks the workers: 0 in the parent, the job number in a worker. */
static long
start(struct jobs *j, struct loop *l)
{
	pid_t parent = getpid();

	j->l = l;
	for (long k = 1; k < j->n; k++) {
		int p[2];

		if (pipe2(p, O_CLOEXEC) < 0)
			err(2, "pipe");
		if ((j->pid[k] = fork()) < 0)
			err(2, "fork");
		if (j->pid[k] == 0) {
			/* A parent gone before this line never sends the
			 * signal: check it is still there after asking. */
			if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
				err(2, "prctl");
			if (getppid() != parent)	/* blocked: the loop
							 * sees it */
				kill(getpid(), SIGTERM);
			/* The other workers' pipes are the parent's. */
			for (long i = 1; i < k; i++) {
				loop_forget(l, j->id[i]);
				close(j->fd[i]);
			}
			close(p[0]);
			j->out = p[1];
			j->left = 0;
			pin(j, k);
			return k;
		}
		close(p[1]);
		j->fd[k] = p[0];
		j->rd[k] = (struct job_reader){ j, k };
		j->id[k] = loop_add(l, p[0], POLLIN, on_result, NULL,
		    &j->rd[k]);
		j->left++;
	}
	pin(j, 0);
	return 0;
}

/* In a worker: hands r to the parent and exits. */
static void __attribute__((noreturn))
report(struct jobs *j, const struct job_result *r)
{
	/* One write under PIPE_BUF: all of it or nothing. */
	if (write(j->out, r, sizeof(*r)) != (ssize_t)sizeof(*r))
		_exit(2);
	_exit(0);
}

/* In the parent: every worker's result, and every worker reaped. */
static void
finish(struct jobs *j)
{
	while (j->left > 0 && loop_stopped(j->l) == STOP_NONE)
		loop_once(j->l);
	for (long k = 1; k < j->n; k++)
		if (j->fd[k] >= 0)
			(void)kill(j->pid[k], SIGTERM);
	/* Each stops within a batch and answers; the loop has stopped, so
	 * these reads block, and signals stay blocked meanwhile. */
	for (long k = 1; k < j->n; k++)
		if (j->fd[k] >= 0)
			take(j, k);
	for (long k = 1; k < j->n; k++) {
		int status;

		while (waitpid(j->pid[k], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			j->lost = true;
			loop_stop(j->l, STOP_FAILED);
		}
	}
}

int
jobs_send(struct jobs *j, struct pace *p, const uint8_t *frame, size_t len,
    long long count)
{
	long k = start(j, p->l);
	long long share = count / j->n + (k < count % j->n);
	int rc, e = 0;

	if (k > 0)
		txq_use(p->q, &j->sock[k]);
	if ((rc = pace_put(p, frame, len, share)) == 0)
		rc = txq_flush(p->q);
	if (rc < 0) {
		e = errno;
		loop_stop(p->l, STOP_FAILED);
	}
	if (k > 0)
		report(j, &(struct job_result){ p->q->frames, p->q->bytes, e,
		    loop_stopped(p->l) == STOP_SIGNAL });
	finish(j);
	errno = e;
	return rc;
}
