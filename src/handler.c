#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "frame.h"
#include "handler.h"
#include "num.h"
#include <sys/time.h>	/* libbsd: timespeccmp */

extern char **environ;

/* Bytes of a handler's output read per wake-up, so `yes` cannot starve
 * the rest of the loop. */
#define READ_CHUNK	16384
#define READS_PER_WAKE	16
#define ENV_VARS	4
/* Strays killed per sweep, and sweeps: each one killed hands its own
 * children to us, found by the next sweep. */
#define STRAYS_MAX	64
#define SWEEPS_MAX	64

struct job {
	struct handlers	*h;
	bool		 busy;
	bool		 exited;
	bool		 timedout;
	pid_t		 pid;
	int		 pidfd;		/* -1 once reaped */
	int		 in;		/* its standard input; -1 when closed */
	int		 out;		/* its standard output; -1 at EOF */
	int		 pid_id, in_id, out_id;	/* their handles in the loop */
	int		 status;	/* from waitpid() */
	uint8_t		*frame;
	size_t		 framelen;
	size_t		 inoff;		/* payload bytes written so far */
	uint8_t		*reply;		/* maxreply bytes */
	size_t		 replylen;	/* bytes kept */
	size_t		 replytotal;	/* bytes it wrote, kept or not */
	struct timespec	 deadline;
	unsigned long long tag;
	char		 var[ENV_VARS][48];
	char		**envp;
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Closes one of a job's descriptors and stops watching it. */
static void
drop_fd(struct job *j, int *fd, int *id)
{
	if (*id >= 0)
		loop_forget(j->h->loop, *id);
	*id = -1;
	close_fd(fd);
}

int
handler_env(char *const base[], char *const add[], char **out, size_t outcap)
{
	size_t n = 0;

	for (size_t i = 0; base[i] != NULL; i++) {
		bool overridden = false;

		for (size_t k = 0; add[k] != NULL && !overridden; k++) {
			const char *eq = strchr(add[k], '=');
			size_t namelen = eq ? (size_t)(eq - add[k]) + 1 : 0;

			overridden = namelen > 0 &&
			    strncmp(base[i], add[k], namelen) == 0;
		}
		if (overridden)
			continue;
		if (n + 1 >= outcap)
			return -1;
		out[n++] = base[i];
	}
	for (size_t k = 0; add[k] != NULL; k++) {
		if (n + 1 >= outcap)
			return -1;
		out[n++] = add[k];
	}
	out[n] = NULL;
	return (int)n;
}

void
handler_status_text(int status, char *buf, size_t n)
{
	if (WIFEXITED(status))
		snprintf(buf, n, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "was killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, n, "ended with wait status %#x", status);
}

void
handlers_init(struct handlers *h, struct loop *loop, const char *cmd,
    const char *ifname, int max, double limit, size_t maxreply,
    handler_done_fn *done, void *ctx)
{
	int fd;

	*h = (struct handlers){
		.loop = loop, .cmd = cmd, .ifname = ifname, .max = max,
		.limit = limit, .maxreply = maxreply, .done = done,
		.done_ctx = ctx,
	};
	/* A closed 0, 1 or 2 would let a pipe take its number, and the
	 * handler lose its standard input or output to it. */
	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 && fd <= 2)
		(void)fcntl(fd, F_SETFD, 0);
	if (fd > 2)
		close(fd);
	/* What a handler leaves behind (a `setsid cmd &`) is reparented to
	 * us, not to init, so that release() can find it and kill it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		err(2, "prctl(PR_SET_CHILD_SUBREAPER)");
	while (environ[h->envcount] != NULL)
		h->envcount++;
	if ((h->job = calloc((size_t)max, sizeof(*h->job))) == NULL)
		err(2, "malloc");
	for (int i = 0; i < max; i++) {
		struct job *j = &h->job[i];

		j->h = h;
		j->pidfd = j->in = j->out = -1;
		j->pid_id = j->in_id = j->out_id = -1;
		if ((j->reply = malloc(maxreply)) == NULL ||
		    (j->envp = calloc(h->envcount + ENV_VARS + 1,
		    sizeof(char *))) == NULL)
			err(2, "malloc");
	}
}

/* Whether pid is a running handler's shell (not yet reaped). */
static bool
is_handler(const struct handlers *h, pid_t pid)
{
	for (int i = 0; i < h->max; i++)
		if (h->job[i].busy && !h->job[i].exited &&
		    h->job[i].pid == pid)
			return true;
	return false;
}

/* Our children that are no running handler's shell: what handlers left
 * behind. From /proc, which has no children list on every kernel. */
static int
strays(const struct handlers *h, pid_t *pids, int max)
{
	pid_t self = getpid();
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if ((dir = opendir("/proc")) == NULL)
		return 0;
	while (n < max && (d = readdir(dir)) != NULL) {
		char path[sizeof(d->d_name) + 16], buf[512], *p;
		ssize_t len;
		int fd, pid, ppid;
		char state;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "PID (COMM) STATE PPID ...": COMM may hold anything. */
		if (sscanf(buf, "%d", &pid) != 1 ||
		    (p = strrchr(buf, ')')) == NULL ||
		    sscanf(p + 1, " %c %d", &state, &ppid) != 2 ||
		    ppid != self || is_handler(h, pid))
			continue;
		pids[n++] = pid;
	}
	closedir(dir);
	return n;
}

/* Kills and reaps every stray, and the strays' own children, until none
 * is left (bounded). */
static void
sweep(const struct handlers *h)
{
	pid_t pids[STRAYS_MAX];
	int n;

	for (int round = 0; round < SWEEPS_MAX; round++) {
		if ((n = strays(h, pids, STRAYS_MAX)) == 0)
			return;
		for (int i = 0; i < n; i++) {
			kill(pids[i], SIGKILL);
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
}

/* A handler is over: what it started dies with it, in its process group
 * or reparented to us. */
static void
release(struct handlers *h, struct job *j)
{
	if (j->pid > 0)
		kill(-j->pid, SIGKILL);
	drop_fd(j, &j->pidfd, &j->pid_id);
	drop_fd(j, &j->in, &j->in_id);
	drop_fd(j, &j->out, &j->out_id);
	free(j->frame);
	j->frame = NULL;
	j->busy = false;
	h->running--;
	sweep(h);
}

static void
report(struct job *j, bool ok, const char *why)
{
	struct handler_result r = {
		.tag = j->tag, .frame = j->frame, .framelen = j->framelen,
		.ok = ok, .reply = j->reply, .replylen = ok ? j->replylen : 0,
	};

	strlcpy(r.why, why, sizeof(r.why));
	j->h->done(j->h->done_ctx, &r);
}

/* Sets up the child's side: pipes on 0 and 1, signals as a shell expects
 * them, and a process group of its own so a time limit kills it all. */
static int
spawn(struct handlers *h, struct job *j, int in, int out)
{
	char *argv[] = { "sh", "-c", (char *)h->cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	int e;

	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	e = posix_spawn(&j->pid, "/bin/sh", &fa, &attr, argv, j->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return e;
}

static void on_pid(void *ctx, short revents);
static void on_in(void *ctx, short revents);
static void on_out(void *ctx, short revents);

void
handlers_start(struct handlers *h, const uint8_t *frame, size_t len,
    unsigned long long tag)
{
	struct job *j = NULL;
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, e;
	char *add[ENV_VARS + 1], mac[MAC_TEXT_LEN], why[160];

	for (int i = 0; i < h->max && j == NULL; i++)
		if (!h->job[i].busy)
			j = &h->job[i];
	if (j == NULL)
		errx(2, "internal error: no free handler slot");
	*j = (struct job){
		.h = h, .busy = true, .pidfd = -1, .in = -1, .out = -1,
		.pid_id = -1, .in_id = -1, .out_id = -1,
		.reply = j->reply, .envp = j->envp, .tag = tag,
		.framelen = len,
	};
	h->running++;
	if ((j->frame = malloc(len)) == NULL)
		err(2, "malloc");
	memcpy(j->frame, frame, len);

	snprintf(j->var[0], sizeof(j->var[0]), "RAWSOCK_SRC=%s",
	    mac_format(frame + MAC_LEN, mac));
	snprintf(j->var[1], sizeof(j->var[1]), "RAWSOCK_DEST=%s",
	    mac_format(frame, mac));
	snprintf(j->var[2], sizeof(j->var[2]), "RAWSOCK_TYPE=0x%04x",
	    frame_type(frame));
	snprintf(j->var[3], sizeof(j->var[3]), "RAWSOCK_IFACE=%s", h->ifname);
	for (int i = 0; i < ENV_VARS; i++)
		add[i] = j->var[i];
	add[ENV_VARS] = NULL;
	if (handler_env(environ, add, j->envp,
	    h->envcount + ENV_VARS + 1) < 0)
		errx(2, "internal error: handler environment");

	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		snprintf(why, sizeof(why), "could not start: pipe: %s",
		    strerror(errno));
		goto fail;
	}
	/* Our ends never block the loop; the handler's ends stay blocking. */
	(void)fcntl(inp[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(outp[0], F_SETFL, O_NONBLOCK);
	if ((e = spawn(h, j, inp[0], outp[1])) != 0) {
		snprintf(why, sizeof(why), "could not start /bin/sh: %s",
		    strerror(e));
		goto fail;
	}
	close_fd(&inp[0]);
	close_fd(&outp[1]);
	j->in = inp[1];
	j->out = outp[0];
	if ((j->pidfd = pidfd_open(j->pid, 0)) < 0) {
		/* Without a pidfd we cannot wait for it in the loop. */
		snprintf(why, sizeof(why), "pidfd_open: %s", strerror(errno));
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		(void)waitpid(j->pid, NULL, 0);
		goto fail;
	}
	j->deadline = mono_after(h->limit);
	j->pid_id = loop_add(h->loop, j->pidfd, POLLIN, on_pid, NULL, j);
	j->out_id = loop_add(h->loop, j->out, POLLIN, on_out, NULL, j);
	if (len <= FRAME_HDR_LEN)
		close_fd(&j->in);	/* an empty payload: EOF at once */
	else
		j->in_id = loop_add(h->loop, j->in, POLLOUT, on_in, NULL, j);
	return;
fail:
	close_fd(&inp[0]);
	close_fd(&inp[1]);
	close_fd(&outp[0]);
	close_fd(&outp[1]);
	report(j, false, why);
	release(h, j);
}

bool
handlers_deadline(const struct handlers *h, struct timespec *when)
{
	bool any = false;

	for (int i = 0; i < h->max; i++) {
		const struct job *j = &h->job[i];

		/* A killed handler is waited for without a further limit:
		 * SIGKILL cannot be ignored. */
		if (!j->busy || j->timedout)
			continue;
		if (!any || timespeccmp(&j->deadline, when, <))
			*when = j->deadline;
		any = true;
	}
	return any;
}

static void
feed(struct job *j)
{
	size_t len = j->framelen - FRAME_HDR_LEN;

	while (j->inoff < len) {
		ssize_t n = write(j->in, j->frame + FRAME_HDR_LEN + j->inoff,
		    len - j->inoff);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0)
			break;	/* it closed its input: it wants no more */
		j->inoff += (size_t)n;
	}
	drop_fd(j, &j->in, &j->in_id);
}

static void
drain(struct handlers *h, struct job *j)
{
	uint8_t scratch[READ_CHUNK];

	for (int i = 0; i < READS_PER_WAKE; i++) {
		size_t room = h->maxreply - j->replylen;
		uint8_t *to = room > 0 ? j->reply + j->replylen : scratch;
		ssize_t n = read(j->out, to, room > 0 ? room : sizeof(scratch));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			drop_fd(j, &j->out, &j->out_id);
			return;
		}
		/* Past the MTU only the count grows: a reply is sent
		 * whole or not at all. */
		if (room > 0)
			j->replylen += (size_t)n;
		j->replytotal += (size_t)n;
	}
}

static void
reap(struct job *j)
{
	int status;
	pid_t r;

	while ((r = waitpid(j->pid, &status, WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == j->pid) {
		j->exited = true;
		j->status = status;
		drop_fd(j, &j->pidfd, &j->pid_id);
	} else if (r < 0) {
		j->exited = true;
		j->status = 0x7f00;	/* unknown; treated as a failure */
		drop_fd(j, &j->pidfd, &j->pid_id);
	}
}

static void
finish(struct handlers *h, struct job *j)
{
	char why[160];
	bool ok = false;

	if (j->timedout)
		snprintf(why, sizeof(why), "ran longer than %g s and was "
		    "killed", h->limit);
	else if (!WIFEXITED(j->status) || WEXITSTATUS(j->status) != 0)
		handler_status_text(j->status, why, sizeof(why));
	else if (j->replytotal > h->maxreply)
		snprintf(why, sizeof(why), "replied %zu bytes, more than the "
		    "MTU of %s (%zu bytes)", j->replytotal, h->ifname,
		    h->maxreply);
	else {
		ok = true;
		why[0] = '\0';
	}
	report(j, ok, why);
	release(h, j);
}

/* Done when it has exited and its output ended; a killed one whose
 * output some stray process holds is done too. */
static void
check(struct job *j)
{
	if (j->busy && j->exited && (j->out < 0 || j->timedout))
		finish(j->h, j);
}

static void
on_pid(void *ctx, short revents)
{
	struct job *j = ctx;

	(void)revents;
	reap(j);
	check(j);
}

static void
on_in(void *ctx, short revents)
{
	struct job *j = ctx;

	(void)revents;
	if (j->in >= 0)
		feed(j);
}

static void
on_out(void *ctx, short revents)
{
	struct job *j = ctx;

	(void)revents;
	if (j->out >= 0)
		drain(j->h, j);
	check(j);
}

void
handlers_expire(struct handlers *h)
{
	struct timespec now = mono_now();

	for (int i = 0; i < h->max; i++) {
		struct job *j = &h->job[i];

		if (!j->busy)
			continue;
		if (!j->timedout && timespeccmp(&now, &j->deadline, >=)) {
			j->timedout = true;
			kill(-j->pid, SIGKILL);
			if (!j->exited)
				kill(j->pid, SIGKILL);
			drop_fd(j, &j->in, &j->in_id);
		}
		check(j);
	}
}

void
handlers_stop(struct handlers *h)
{
	for (int i = 0; i < h->max; i++) {
		struct job *j = &h->job[i];

		if (!j->busy)
			continue;
		kill(-j->pid, SIGKILL);
		if (!j->exited) {
			kill(j->pid, SIGKILL);
			while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		release(h, j);
	}
}

void
handlers_free(struct handlers *h)
{
	handlers_stop(h);
	for (int i = 0; i < h->max; i++) {
		free(h->job[i].reply);
		free(h->job[i].envp);
	}
	free(h->job);
	h->job = NULL;
	h->max = 0;
}
