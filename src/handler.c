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
#include <sys/signalfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
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
#define ENV_VARS	5
/* Strays killed per sweep, and sweeps: each one killed hands its own
 * children to us, found by the next sweep. */
#define STRAYS_MAX	64
#define SWEEPS_MAX	64

struct job {
	struct handlers	*h;
	bool		 busy;
	bool		 stream;	/* handlers_start_stream()'s, no frame */
	bool		 exited;
	bool		 timedout;
	bool		 deferred;	/* exited while we waited for a start */
	pid_t		 pid;
	int		 in;		/* its standard input; -1 when closed */
	int		 out;		/* its standard output; -1 at EOF */
	int		 in_id, out_id;	/* their handles in the loop */
	int		 status;	/* its wait status, from the spawner */
	uint8_t		*frame;
	size_t		 framelen;
	size_t		 hdrlen;	/* the payload starts here */
	size_t		 inoff;		/* payload bytes written so far */
	uint8_t		*reply;		/* maxreply bytes */
	size_t		 replylen;	/* bytes kept */
	size_t		 replytotal;	/* bytes it wrote, kept or not */
	struct timespec	 deadline;
	unsigned long long tag;
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

/*
 * What the server and the spawner tell each other, one message a packet
 * (SOCK_SEQPACKET). START carries the handler's two pipe ends.
 */
enum msg_type {
	MSG_START = 1,	/* server: run CMD for this frame (and two fds) */
	MSG_STARTED,	/* spawner: pid, or status an errno */
	MSG_EXITED,	/* spawner: pid's wait status */
	MSG_KILL,	/* server: pid ran out of time */
	MSG_DONE,	/* server: pid is over; kill what is left of it */
};

struct msg {
	int		 type;
	pid_t		 pid;
	int		 status;
	uint16_t	 ethertype;
	uint8_t		 stream;	/* START: no frame, RAWSOCK_IFACE only */
	uint8_t		 spare;
	int		 vlan;		/* the VLAN ID; -1: untagged */
	uint8_t		 dst[MAC_LEN], src[MAC_LEN];
};
/* No padding: every byte sent is one the sender set. */
_Static_assert(sizeof(struct msg) == 4 * sizeof(int) + 4 + 2 * MAC_LEN,
    "struct msg has padding");

/* Sends m, with fds[0..nfds) if any; -1 and errno on failure. */
static int
msg_send(int sock, const struct msg *m, const int *fds, int nfds)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(2 * sizeof(int))];
	} c;
	struct iovec iov = { (void *)m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > 0) {
		struct cmsghdr *cm;

		memset(&c, 0, sizeof(c));
		mh.msg_control = c.buf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	while ((n = sendmsg(sock, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(*m) ? 0 : -1;
}

/* 1 and a message (with up to two fds, -1 when absent), 0 at EOF, -1 and
 * errno (EAGAIN with flags MSG_DONTWAIT and nothing there). */
static int
msg_recv(int sock, struct msg *m, int fds[2], int flags)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(2 * sizeof(int))];
	} c;
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
	    .msg_control = c.buf, .msg_controllen = sizeof(c.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	fds[0] = fds[1] = -1;
	while ((n = recvmsg(sock, &mh, flags | MSG_CMSG_CLOEXEC)) < 0 &&
	    errno == EINTR)
		;
	if (n <= 0)
		return (int)n;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(2 * sizeof(int)))
			memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
	if ((size_t)n != sizeof(*m)) {
		close_fd(&fds[0]);
		close_fd(&fds[1]);
		errno = EPROTO;
		return -1;
	}
	return 1;
}

/*
 * The spawner's side: the only process that starts handlers, and their
 * parent. At each SIGCHLD (from a signalfd) a handler's exit is peeked at
 * (WNOWAIT) and reported, and it stays a zombie, holding its pid and so
 * its process group, until the server says it is over: then the group is
 * killed, the zombie reaped, and every stray swept.
 */
struct child {
	pid_t	 pid;		/* 0: a free slot */
	bool	 reported;	/* its exit went to the server */
};

struct spawner {
	const struct handlers *h;
	int		 sock;
	struct child	*kids;
	char		 var[ENV_VARS][48];
	char		**envp;
};

/* Whether pid is one of the spawner's handlers (running or a zombie). */
static bool
is_handler(const struct spawner *sp, pid_t pid)
{
	for (int i = 0; i < sp->h->max; i++)
		if (sp->kids[i].pid == pid)
			return true;
	return false;
}

/* Our children that are no handler: what handlers left behind. From
 * /proc, which has no children list on every kernel. */
static int
strays(const struct spawner *sp, pid_t *pids, int max)
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
		    ppid != self || is_handler(sp, pid))
			continue;
		pids[n++] = pid;
	}
	closedir(dir);
	return n;
}

/* Kills and reaps every stray, and the strays' own children, until none
 * is left (bounded). */
static void
sweep(const struct spawner *sp)
{
	pid_t pids[STRAYS_MAX];
	int n;

	for (int round = 0; round < SWEEPS_MAX; round++) {
		if ((n = strays(sp, pids, STRAYS_MAX)) == 0)
			return;
		for (int i = 0; i < n; i++) {
			kill(pids[i], SIGKILL);
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
}

/* A handler is over: its group dies while its zombie still holds the
 * group's id, then the zombie is reaped and the strays swept. */
static void
bury(struct spawner *sp, struct child *k)
{
	kill(-k->pid, SIGKILL);
	kill(k->pid, SIGKILL);
	while (waitpid(k->pid, NULL, 0) < 0 && errno == EINTR)
		;
	*k = (struct child){ 0 };
	sweep(sp);
}

/* Signals as a shell expects them, and a process group of its own so a
 * time limit kills it all. */
static int
spawn(struct spawner *sp, const struct msg *m, int in, int out, pid_t *pid)
{
	const struct handlers *h = sp->h;
	char *argv[] = { "sh", "-c", (char *)h->cmd, NULL };
	char *add[ENV_VARS + 1], mac[MAC_TEXT_LEN];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	int e, n = 0;

	snprintf(sp->var[0], sizeof(sp->var[0]), "RAWSOCK_SRC=%s",
	    mac_format(m->src, mac));
	snprintf(sp->var[1], sizeof(sp->var[1]), "RAWSOCK_DEST=%s",
	    mac_format(m->dst, mac));
	snprintf(sp->var[2], sizeof(sp->var[2]), "RAWSOCK_TYPE=0x%04x",
	    m->ethertype);
	snprintf(sp->var[3], sizeof(sp->var[3]), "RAWSOCK_IFACE=%s", h->ifname);
	/* Set even when untagged: none of the server's own may leak in. */
	if (m->vlan >= 0)
		snprintf(sp->var[4], sizeof(sp->var[4]), "RAWSOCK_VLAN=%d",
		    m->vlan);
	else
		strlcpy(sp->var[4], "RAWSOCK_VLAN=", sizeof(sp->var[4]));
	/* A stream's handler serves every frame: no addresses of one,
	 * only RAWSOCK_IFACE. */
	for (int i = 0; i < ENV_VARS; i++)
		if (!m->stream || i == 3)
			add[n++] = sp->var[i];
	add[n] = NULL;
	if (handler_env(environ, add, sp->envp, h->envcount + ENV_VARS + 1) < 0)
		return E2BIG;

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
	e = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, sp->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return e;
}

static void
spawner_start(struct spawner *sp, const struct msg *m, int fds[2])
{
	struct msg r = { .type = MSG_STARTED };
	struct child *k = NULL;
	pid_t pid = 0;

	for (int i = 0; i < sp->h->max && k == NULL; i++)
		if (sp->kids[i].pid == 0)
			k = &sp->kids[i];
	if (k == NULL || fds[0] < 0 || fds[1] < 0)
		r.status = EPROTO;
	else if ((r.status = spawn(sp, m, fds[0], fds[1], &pid)) == 0)
		k->pid = r.pid = pid;
	close_fd(&fds[0]);
	close_fd(&fds[1]);
	if (msg_send(sp->sock, &r, NULL, 0) < 0)
		_exit(2);
}

/* After a SIGCHLD: says how each handler that exited did, and keeps
 * the zombie. */
static void
spawner_exited(struct spawner *sp)
{
	for (int i = 0; i < sp->h->max; i++) {
		struct child *k = &sp->kids[i];
		struct msg r = { .type = MSG_EXITED, .pid = k->pid };
		siginfo_t si = { 0 };

		if (k->pid == 0 || k->reported)
			continue;
		if (waitid(P_PID, (id_t)k->pid, &si, WEXITED | WNOHANG |
		    WNOWAIT) < 0)
			r.status = 0x7f00;	/* unknown: a failure */
		else if (si.si_pid == 0)
			continue;		/* still running */
		else if (si.si_code == CLD_EXITED)
			r.status = W_EXITCODE(si.si_status, 0);
		else
			r.status = W_EXITCODE(0, si.si_status) |
			    (si.si_code == CLD_DUMPED ? WCOREFLAG : 0);
		k->reported = true;
		if (msg_send(sp->sock, &r, NULL, 0) < 0)
			_exit(2);
	}
}

static struct child *
find_child(struct spawner *sp, pid_t pid)
{
	for (int i = 0; i < sp->h->max; i++)
		if (pid > 0 && sp->kids[i].pid == pid)
			return &sp->kids[i];
	return NULL;
}

static void __attribute__((noreturn))
spawner_main(const struct handlers *h, int sock)
{
	struct spawner sp = { .h = h, .sock = sock };
	struct pollfd pfd[2];
	sigset_t chld;

	(void)prctl(PR_SET_NAME, "rawecho-spawner", 0, 0, 0);
	/* What a handler leaves behind (a `setsid cmd &`) is reparented to
	 * us, not to init, so that sweep() finds it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		err(2, "prctl(PR_SET_CHILD_SUBREAPER)");
	if ((sp.kids = calloc((size_t)h->max, sizeof(*sp.kids))) == NULL ||
	    (sp.envp = calloc(h->envcount + ENV_VARS + 1,
	    sizeof(char *))) == NULL)
		err(2, "malloc");
	/* Exits come through a signalfd, as the server's signals do. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0 ||
	    (pfd[1].fd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		err(2, "spawner: signalfd");
	pfd[0] = (struct pollfd){ .fd = sock, .events = POLLIN };
	pfd[1].events = POLLIN;
	for (;;) {
		struct signalfd_siginfo si;
		struct msg m;
		int fds[2], r;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			err(2, "spawner: poll");
		}
		if (pfd[1].revents != 0) {
			while (read(pfd[1].fd, &si, sizeof(si)) > 0)
				;
			spawner_exited(&sp);
		}
		if (pfd[0].revents == 0)
			continue;
		if ((r = msg_recv(sock, &m, fds, MSG_DONTWAIT)) < 0 &&
		    errno == EAGAIN)
			continue;
		if (r <= 0)
			break;	/* the server is gone: so is everything */
		switch (m.type) {
		case MSG_START:
			spawner_start(&sp, &m, fds);
			break;
		case MSG_KILL:
			if (find_child(&sp, m.pid) != NULL) {
				kill(-m.pid, SIGKILL);
				kill(m.pid, SIGKILL);
			}
			break;
		case MSG_DONE: {
			struct child *k = find_child(&sp, m.pid);

			if (k != NULL)
				bury(&sp, k);
			else
				sweep(&sp);
			break;
		}
		default:
			close_fd(&fds[0]);
			close_fd(&fds[1]);
			break;
		}
	}
	for (int i = 0; i < h->max; i++)
		if (sp.kids[i].pid != 0)
			bury(&sp, &sp.kids[i]);
	sweep(&sp);
	free(sp.kids);
	free(sp.envp);
	_exit(0);
}

static void on_ctl(void *ctx, short revents);
static bool ctl_pending(void *ctx);
static void check(struct job *j);
static void on_in(void *ctx, short revents);
static void on_out(void *ctx, short revents);

void
handlers_init(struct handlers *h, struct loop *loop, const char *cmd,
    const char *ifname, int max, double limit, size_t maxreply,
    handler_done_fn *done, void *ctx)
{
	int fd, sv[2];

	*h = (struct handlers){
		.loop = loop, .cmd = cmd, .ifname = ifname, .max = max,
		.limit = limit, .maxreply = maxreply, .done = done,
		.done_ctx = ctx, .ctl = -1, .ctl_id = -1,
	};
	/* A closed 0, 1 or 2 would let a pipe take its number, and the
	 * handler lose its standard input or output to it. */
	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 && fd <= 2)
		(void)fcntl(fd, F_SETFD, 0);
	if (fd > 2)
		close(fd);
	while (environ[h->envcount] != NULL)
		h->envcount++;
	if ((h->job = calloc((size_t)max, sizeof(*h->job))) == NULL)
		err(2, "malloc");
	for (int i = 0; i < max; i++) {
		struct job *j = &h->job[i];

		j->h = h;
		j->in = j->out = -1;
		j->in_id = j->out_id = -1;
		if ((j->reply = malloc(maxreply)) == NULL)
			err(2, "malloc");
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		err(2, "socketpair");
	if ((h->spawner = fork()) < 0)
		err(2, "fork");
	if (h->spawner == 0) {
		/* Nothing of the server's but its socket: not the packet
		 * socket, not the signalfd. */
		if (sv[1] != 3 && dup3(sv[1], 3, O_CLOEXEC) < 0)
			_exit(2);
		(void)close_range(4, ~0U, 0);
		spawner_main(h, 3);
	}
	close(sv[1]);
	h->ctl = sv[0];
	h->ctl_id = loop_add(loop, h->ctl, POLLIN, on_ctl, ctl_pending, h);
}

/* The server's side of the spawner's socket. */
static void
ctl_send(struct handlers *h, const struct msg *m, const int *fds, int nfds)
{
	if (msg_send(h->ctl, m, fds, nfds) < 0)
		err(2, "handler spawner");
}

static struct job *
find_job(struct handlers *h, pid_t pid)
{
	for (int i = 0; i < h->max; i++)
		if (h->job[i].busy && !h->job[i].exited && pid > 0 &&
		    h->job[i].pid == pid)
			return &h->job[i];
	return NULL;
}

/* One message from the spawner. An exit read while handlers_start()
 * waits is only noted, and checked at the next wake-up. */
static void
ctl_take(struct handlers *h, const struct msg *m, bool now)
{
	struct job *j;

	if (m->type != MSG_EXITED || (j = find_job(h, m->pid)) == NULL)
		return;
	j->exited = true;
	j->status = m->status;
	if (now)
		check(j);
	else
		j->deferred = h->deferred = true;
}

static bool
ctl_pending(void *ctx)
{
	const struct handlers *h = ctx;

	return h->deferred;
}

static void
on_ctl(void *ctx, short revents)
{
	struct handlers *h = ctx;
	struct msg m;
	int fds[2], r;

	(void)revents;
	if (h->deferred) {
		h->deferred = false;
		for (int i = 0; i < h->max; i++)
			if (h->job[i].deferred) {
				h->job[i].deferred = false;
				check(&h->job[i]);
			}
	}
	while ((r = msg_recv(h->ctl, &m, fds, MSG_DONTWAIT)) > 0) {
		close_fd(&fds[0]);
		close_fd(&fds[1]);
		ctl_take(h, &m, true);
	}
	if (r == 0 || (r < 0 && errno != EAGAIN))
		errx(2, "the handler spawner ended");
}

/* Asks the spawner to start CMD and waits for its answer: the pid, or
 * the errno of the failed start. */
static int
ctl_start(struct handlers *h, const uint8_t *frame, size_t hdrlen, int in,
    int out, pid_t *pid)
{
	struct msg m = { .type = MSG_START, .vlan = -1,
	    .stream = frame == NULL };
	int fds[2] = { in, out }, r;

	if (frame != NULL) {
		/* The type is the one behind any tag. */
		m.ethertype = frame_type(frame + hdrlen - FRAME_HDR_LEN);
		if (hdrlen > FRAME_HDR_LEN)
			m.vlan = (frame[14] << 8 | frame[15]) & 0xfff;
		memcpy(m.dst, frame, MAC_LEN);
		memcpy(m.src, frame + MAC_LEN, MAC_LEN);
	}
	ctl_send(h, &m, fds, 2);
	for (;;) {
		if ((r = msg_recv(h->ctl, &m, fds, 0)) <= 0)
			errx(2, "the handler spawner ended");
		close_fd(&fds[0]);
		close_fd(&fds[1]);
		if (m.type == MSG_STARTED)
			break;
		ctl_take(h, &m, false);
	}
	*pid = m.pid;
	return m.status;
}

static void
release(struct handlers *h, struct job *j)
{
	/* Over: the spawner kills what is left of it and reaps it. */
	if (j->pid > 0)
		ctl_send(h, &(struct msg){ .type = MSG_DONE, .pid = j->pid },
		    NULL, 0);
	drop_fd(j, &j->in, &j->in_id);
	drop_fd(j, &j->out, &j->out_id);
	free(j->frame);
	j->frame = NULL;
	j->busy = false;
	j->deferred = false;
	h->running--;
}

static void
report(struct job *j, bool ok, const char *why)
{
	struct handler_result r = {
		.tag = j->tag, .frame = j->frame, .framelen = j->framelen,
		.hdrlen = j->hdrlen, .ok = ok, .reply = j->reply,
		.replylen = ok ? j->replylen : 0,
	};

	strlcpy(r.why, why, sizeof(r.why));
	j->h->done(j->h->done_ctx, &r);
}

void
handlers_start(struct handlers *h, const uint8_t *frame, size_t len,
    size_t hdrlen, unsigned long long tag)
{
	struct job *j = NULL;
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, e;
	char why[160];

	for (int i = 0; i < h->max && j == NULL; i++)
		if (!h->job[i].busy)
			j = &h->job[i];
	if (j == NULL)
		errx(2, "internal error: no free handler slot");
	*j = (struct job){
		.h = h, .busy = true, .in = -1, .out = -1,
		.in_id = -1, .out_id = -1, .reply = j->reply, .tag = tag,
		.framelen = len, .hdrlen = hdrlen,
	};
	h->running++;
	if ((j->frame = malloc(len)) == NULL)
		err(2, "malloc");
	memcpy(j->frame, frame, len);

	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		snprintf(why, sizeof(why), "could not start: pipe: %s",
		    strerror(errno));
		goto fail;
	}
	/* Our ends never block the loop; the handler's ends stay blocking. */
	(void)fcntl(inp[1], F_SETFL, O_NONBLOCK);
	(void)fcntl(outp[0], F_SETFL, O_NONBLOCK);
	if ((e = ctl_start(h, frame, hdrlen, inp[0], outp[1],
	    &j->pid)) != 0) {
		j->pid = 0;
		snprintf(why, sizeof(why), "could not start /bin/sh: %s",
		    strerror(e));
		goto fail;
	}
	close_fd(&inp[0]);
	close_fd(&outp[1]);
	j->in = inp[1];
	j->out = outp[0];
	j->deadline = mono_after(h->limit);
	j->out_id = loop_add(h->loop, j->out, POLLIN, on_out, NULL, j);
	if (len <= hdrlen)
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

int
handlers_start_stream(struct handlers *h, int *in, int *out)
{
	struct job *j = &h->job[0];
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, e;

	*j = (struct job){
		.h = h, .busy = true, .stream = true, .in = -1, .out = -1,
		.in_id = -1, .out_id = -1, .reply = j->reply,
	};
	/* No limit until its input ends (handlers_stream_ending()). */
	j->deadline = (struct timespec){ .tv_sec = INT32_MAX };
	if (pipe2(inp, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(outp, O_CLOEXEC | O_NONBLOCK) < 0) {
		e = errno;
		goto fail;
	}
	/* The handler's ends block, as a shell's standard streams do. */
	(void)fcntl(inp[0], F_SETFL, 0);
	(void)fcntl(outp[1], F_SETFL, 0);
	if ((e = ctl_start(h, NULL, 0, inp[0], outp[1], &j->pid)) != 0)
		goto fail;
	h->running++;
	close_fd(&inp[0]);
	close_fd(&outp[1]);
	*in = inp[1];
	*out = outp[0];
	return 0;
fail:
	close_fd(&inp[0]);
	close_fd(&inp[1]);
	close_fd(&outp[0]);
	close_fd(&outp[1]);
	*j = (struct job){ .h = h, .in = -1, .out = -1, .in_id = -1,
	    .out_id = -1, .reply = j->reply };
	return e;
}

void
handlers_stream_ending(struct handlers *h)
{
	if (h->job[0].stream && h->job[0].busy)
		h->job[0].deadline = mono_after(h->limit);
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
	size_t len = j->framelen - j->hdrlen;

	while (j->inoff < len) {
		ssize_t n = write(j->in, j->frame + j->hdrlen + j->inoff,
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
finish(struct handlers *h, struct job *j)
{
	char why[160];
	bool ok = false;

	if (j->timedout && j->stream)
		snprintf(why, sizeof(why), "did not exit within %g s of the "
		    "end of its input and was killed", h->limit);
	else if (j->timedout)
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
			if (!j->exited)
				ctl_send(h, &(struct msg){ .type = MSG_KILL,
				    .pid = j->pid }, NULL, 0);
			drop_fd(j, &j->in, &j->in_id);
		}
		check(j);
	}
}

void
handlers_stop(struct handlers *h)
{
	/* Each release() has the spawner kill and reap what it ran. */
	for (int i = 0; i < h->max; i++)
		if (h->job[i].busy)
			release(h, &h->job[i]);
}

void
handlers_free(struct handlers *h)
{
	handlers_stop(h);
	/* At the end of its socket the spawner kills what is left, reaps it
	 * and exits: nothing a handler started outlives the server. */
	if (h->spawner > 0) {
		loop_forget(h->loop, h->ctl_id);
		close_fd(&h->ctl);
		while (waitpid(h->spawner, NULL, 0) < 0 && errno == EINTR)
			;
		h->spawner = 0;
	}
	for (int i = 0; i < h->max; i++)
		free(h->job[i].reply);
	free(h->job);
	h->job = NULL;
	h->max = 0;
}
