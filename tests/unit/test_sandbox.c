/*
 * Unit tests for sandbox.c: each check forks a child that enters a mode's
 * filter and makes one call; the parent sees whether it was allowed, failed
 * with which errno, or killed the child (SIGSYS). Skipped whole where the
 * sandbox is off (the sanitizer build, valgrind).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>

#include "sandbox.h"
#include "unit.h"

#define ALLOWED	100	/* the call succeeded */
#define KILLED	-1	/* the filter killed the process */

static const char *newfile;
static int statedir = -1;	/* SB_STATEDIR's directory */

/* SB_STATEFILE: new files, renames and removals in statedir only. */
static int
try_state_create(void)
{
	return openat(statedir, "new", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
}

static int
try_state_read(void)
{
	return openat(statedir, "new", O_RDONLY);
}

static int
try_state_trunc(void)
{
	return openat(statedir, "new", O_WRONLY | O_CREAT | O_TRUNC, 0600);
}

static int
try_state_rename(void)
{
	return renameat(statedir, "missing", statedir, "other");
}

static int
try_rename_out(void)
{
	return renameat(statedir, "missing", AT_FDCWD, "other");
}

static int
try_state_unlink(void)
{
	return unlinkat(statedir, "missing", 0);
}

static int
try_unlink_elsewhere(void)
{
	return unlinkat(AT_FDCWD, "missing", 0);
}

static int
try_state_rmdir(void)
{
	return unlinkat(statedir, "missing", AT_REMOVEDIR);
}

static int
try_fsync(void)
{
	return fsync(statedir);
}

static int
try_socket(void)
{
	return socket(AF_INET, SOCK_DGRAM, 0);
}

static int
try_unix_socket(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int
try_create(void)
{
	return open(newfile, O_WRONLY | O_CREAT | O_EXCL, 0600);
}

static int
try_open_read(void)
{
	return open("/etc/passwd", O_RDONLY);
}

static int
try_execve(void)
{
	char *argv[] = { "/nonexistent/rawsock-unit", NULL };

	return execve(argv[0], argv, argv + 1);
}

static int
try_pipe(void)
{
	int fds[2];

	return pipe2(fds, O_CLOEXEC);
}

static int
try_clone3(void)
{
	return (int)syscall(SYS_clone3, NULL, 0);
}

static int
try_getppid(void)
{
	return getppid();
}

static int
try_ptrace(void)
{
	return (int)syscall(SYS_ptrace, 0, 0, 0, 0);
}

static int
try_mmap(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? -1 : 0;
}

static int
try_mmap_exec(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? -1 : 0;
}

static int
try_malloc(void)
{
	void *p = malloc(1 << 20);	/* mmap'd by malloc */

	free(p);
	return p == NULL ? -1 : 0;
}

static int
try_recv(void)
{
	char b[1];

	return (int)recvfrom(-1, b, 1, 0, NULL, NULL);
}

static int
try_send(void)
{
	return (int)sendto(-1, "", 1, 0, NULL, 0);
}

static int
try_write_bad(void)
{
	return (int)write(-1, "", 1);
}

static int
try_isatty(void)
{
	struct termios t;

	return ioctl(-1, TCGETS, &t);
}

static int
try_other_ioctl(void)
{
	int n;

	return ioctl(-1, FIONREAD, &n);
}

static int
try_fork(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void *
nothing(void *arg)
{
	return arg;
}

static int
try_thread(void)
{
	pthread_t t;

	if ((errno = pthread_create(&t, NULL, nothing, NULL)) != 0)
		return -1;
	return pthread_join(t, NULL) == 0 ? 0 : -1;
}

/* ALLOWED, KILLED, or the errno of the failed call. */
static int
outcome(unsigned int mode, int (*call)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return -2;
	if (pid == 0) {
		sandbox_enter(mode);
		_exit(call() >= 0 ? ALLOWED : errno);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -2;
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSYS ? KILLED : -3;
	return WEXITSTATUS(status);
}

int
main(void)
{
	char path[] = "/tmp/rawsock-unit-sandbox.XXXXXX";
	int fd;

	unsetenv("RAWSOCK_NO_SECCOMP");
	unsetenv("RAWSOCK_SANDBOX_PROBE");
	if ((fd = mkstemp(path)) < 0)
		return 2;
	close(fd);
	unlink(path);
	newfile = path;

	/* Off in this build (sanitizers) or here (valgrind): nothing to
	 * test. */
	if (outcome(0, try_socket) == ALLOWED) {
		printf("ok 1 # skip the sandbox is off in this build\n1..1\n");
		return 0;
	}

	CHECK(outcome(0, try_socket) == EPERM, "socket: EPERM");
	CHECK(outcome(0, try_unix_socket) == EPERM, "AF_UNIX socket: EPERM");
	CHECK(outcome(0, try_create) == EPERM, "open O_CREAT: EPERM");
	CHECK(outcome(0, try_open_read) == EPERM, "open for reading: EPERM");
	CHECK(outcome(0, try_execve) == EPERM, "execve: EPERM");
	CHECK(outcome(0, try_clone3) == ENOSYS, "clone3: ENOSYS");
	CHECK(outcome(0, try_getppid) == KILLED, "a call off the list kills");
	CHECK(outcome(0, try_ptrace) == KILLED, "ptrace kills");
	CHECK(outcome(0, try_mmap) == ALLOWED, "mmap of memory");
	CHECK(outcome(0, try_malloc) == ALLOWED, "malloc of a large block");
	CHECK(outcome(0, try_mmap_exec) == KILLED, "mmap PROT_EXEC kills");
	CHECK(outcome(0, try_write_bad) == EBADF, "write is allowed");
	CHECK(outcome(0, try_isatty) == EBADF, "ioctl TCGETS (isatty)");
	CHECK(outcome(0, try_other_ioctl) == KILLED, "any other ioctl kills");
	CHECK(outcome(0, try_recv) == KILLED, "no receiving without SB_RECV");
	CHECK(outcome(0, try_send) == KILLED, "no sending without SB_SEND");
	CHECK(outcome(0, try_fork) == KILLED, "no fork without SB_FORK");
	CHECK(outcome(0, try_thread) == KILLED, "no thread without SB_THREADS");

	CHECK(outcome(SB_RECV, try_recv) == EBADF, "SB_RECV: recvfrom");
	CHECK(outcome(SB_RECV, try_send) == KILLED, "SB_RECV: no sendto");
	CHECK(outcome(SB_SEND, try_send) == EBADF, "SB_SEND: sendto");
	CHECK(outcome(SB_SEND, try_recv) == KILLED, "SB_SEND: no recvfrom");
	CHECK(outcome(SB_THREADS, try_thread) == ALLOWED, "SB_THREADS: a thread");
	CHECK(outcome(SB_THREADS, try_fork) == KILLED, "SB_THREADS: no fork");
	CHECK(outcome(SB_FORK, try_fork) == ALLOWED, "SB_FORK: fork and wait");
	CHECK(outcome(SB_FORK, try_execve) == EPERM, "SB_FORK: no execve");

	/* rawecho -e's server: handlers come from the spawner forked
	 * before the filter, so the server itself runs nothing. */
	CHECK(outcome(SB_HANDLERS, try_pipe) == ALLOWED, "SB_HANDLERS: pipe2");
	CHECK(outcome(SB_HANDLERS, try_execve) == EPERM,
	    "SB_HANDLERS: no execve");
	CHECK(outcome(SB_HANDLERS, try_open_read) == EPERM,
	    "SB_HANDLERS: no open");
	CHECK(outcome(SB_HANDLERS, try_socket) == EPERM,
	    "SB_HANDLERS: no socket");
	CHECK(outcome(SB_HANDLERS, try_fork) == KILLED, "SB_HANDLERS: no fork");
	CHECK(outcome(SB_HANDLERS, try_ptrace) == KILLED,
	    "SB_HANDLERS: ptrace kills");

	{
		char dir[] = "/tmp/rawsock-unit-state.XXXXXX";
		unsigned int st;

		if (mkdtemp(dir) == NULL ||
		    (statedir = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
			return 2;
		st = SB_RECV | SB_STATEDIR(statedir);
		CHECK(outcome(st, try_state_create) == ALLOWED,
		    "SB_STATEFILE: a new file in its directory");
		CHECK(outcome(st, try_state_read) == EPERM,
		    "SB_STATEFILE: no reading there");
		CHECK(outcome(st, try_state_trunc) == EPERM,
		    "SB_STATEFILE: no truncating an old file");
		CHECK(outcome(st, try_create) == EPERM,
		    "SB_STATEFILE: no new file elsewhere");
		CHECK(outcome(st, try_state_rename) == ENOENT,
		    "SB_STATEFILE: renameat within its directory");
		CHECK(outcome(st, try_rename_out) == KILLED,
		    "SB_STATEFILE: no renaming out of it");
		CHECK(outcome(st, try_state_unlink) == ENOENT,
		    "SB_STATEFILE: unlinkat there");
		CHECK(outcome(st, try_unlink_elsewhere) == KILLED,
		    "SB_STATEFILE: no unlinking elsewhere");
		CHECK(outcome(st, try_state_rmdir) == KILLED,
		    "SB_STATEFILE: no removing directories");
		CHECK(outcome(st, try_fsync) == ALLOWED, "SB_STATEFILE: fsync");
		CHECK(outcome(SB_RECV, try_fsync) == KILLED,
		    "no fsync without SB_STATEFILE");
		CHECK(outcome(SB_RECV, try_state_create) == EPERM,
		    "no new file in it without SB_STATEFILE");
		unlinkat(statedir, "new", 0);
		close(statedir);
		rmdir(dir);
	}

	setenv("RAWSOCK_NO_SECCOMP", "1", 1);
	CHECK(outcome(0, try_socket) == ALLOWED, "RAWSOCK_NO_SECCOMP=1: off");
	setenv("RAWSOCK_NO_SECCOMP", "0", 1);
	CHECK(outcome(0, try_socket) == EPERM, "RAWSOCK_NO_SECCOMP=0: on");
	unlink(path);
	return unit_done();
}
