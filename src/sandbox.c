#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <seccomp.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "sandbox.h"

/*
 * The lists, by mode:
 *   every mode  read write readv writev pread64 close lseek fstat,
 *               newfstatat on a descriptor (AT_EMPTY_PATH), fcntl,
 *               ioctl(TCGETS) (isatty), ppoll poll, signalfd4,
 *               rt_sigprocmask rt_sigreturn, clock_gettime clock_getres
 *               gettimeofday clock_nanosleep nanosleep, brk, mmap and
 *               mprotect without PROT_EXEC, munmap mremap madvise, futex,
 *               getrandom, getpid gettid getuid geteuid getgid getegid,
 *               tgkill of itself (abort), sched_yield, restart_syscall,
 *               exit exit_group
 *   SB_RECV     recvfrom recvmsg recvmmsg getsockopt
 *   SB_SEND     sendto sendmsg sendmmsg getsockopt, ioctl SIOCGIFFLAGS
 *               and SIOCETHTOOL (the link's carrier)
 *   SB_THREADS  clone with CLONE_THREAD, set_robust_list rseq,
 *               rt_sigaction (pthread_create's SIGRT_1)
 *   SB_FORK     clone without CLONE_THREAD (fork), set_robust_list,
 *               sched_setaffinity sched_getaffinity, wait4 waitid, kill,
 *               pipe pipe2, prctl(PR_SET_PDEATHSIG), getppid
 *   SB_HANDLERS pipe2 (a handler's pipes, passed to the spawner with
 *               sendmsg), wait4 (for the spawner, at the end)
 *   SB_STATEFILE relative to the one directory descriptor D given with
 *               SB_STATEDIR(D): openat(D, ...) creating a new file
 *               (O_WRONLY|O_CREAT|O_EXCL), renameat/renameat2(D, .., D,
 *               ..), unlinkat(D, .., 0); fsync fdatasync
 *
 * A filter is inherited across fork and execve and cannot be taken off.
 * So rawecho -e forks its spawner (handler.c) before entering the
 * sandbox: the handlers it starts are confined by their credentials
 * only, while the server, which reads the frames, can neither open a
 * file nor run a program: it asks the spawner, which runs nothing but
 * the CMD it was given at the start.
 */

static const int every[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(close), SCMP_SYS(lseek), SCMP_SYS(fstat),
	SCMP_SYS(fcntl), SCMP_SYS(ppoll), SCMP_SYS(poll), SCMP_SYS(signalfd4),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(gettimeofday), SCMP_SYS(clock_nanosleep),
	SCMP_SYS(nanosleep), SCMP_SYS(brk), SCMP_SYS(munmap),
	SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(futex),
	SCMP_SYS(getrandom), SCMP_SYS(getpid), SCMP_SYS(gettid),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid),
	SCMP_SYS(getegid), SCMP_SYS(sched_yield), SCMP_SYS(restart_syscall),
	SCMP_SYS(exit), SCMP_SYS(exit_group),
};

static const int recv_calls[] = {
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(recvmmsg),
	SCMP_SYS(getsockopt),
};

static const int send_calls[] = {
	SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(getsockopt),
};

/* pthread_create() sets its own SIGRT_1 handler the first time. */
static const int thread_calls[] = {
	SCMP_SYS(set_robust_list), SCMP_SYS(rseq), SCMP_SYS(rt_sigaction),
};

static const int fork_calls[] = {
	SCMP_SYS(set_robust_list), SCMP_SYS(sched_setaffinity),
	SCMP_SYS(sched_getaffinity), SCMP_SYS(wait4), SCMP_SYS(waitid),
	SCMP_SYS(kill), SCMP_SYS(pipe), SCMP_SYS(pipe2),
};

/* rawecho -e: the spawner (handler.c) runs the handlers; the server
 * only makes their pipes, hands them over and, at the end, waits for the
 * spawner. */
static const int ppid_calls[] = {
	SCMP_SYS(getppid),
};

static const int handler_calls[] = {
	SCMP_SYS(pipe2), SCMP_SYS(wait4),
};

static const int statefile_calls[] = {
	SCMP_SYS(fsync), SCMP_SYS(fdatasync),
};

static void
allow(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0) < 0)
			errx(2, "seccomp: cannot allow system call %d",
			    calls[i]);
}

#define ALLOW(ctx, list) allow(ctx, list, sizeof(list) / sizeof(list[0]))

static void
rule(scmp_filter_ctx ctx, uint32_t action, int call, unsigned int n,
    const struct scmp_arg_cmp *cmp)
{
	int e;

	if ((e = seccomp_rule_add_array(ctx, action, call, n, cmp)) < 0)
		errc(2, -e, "seccomp: rule for system call %d", call);
}

/* call, when its arguments pass cmp. */
static void
allow_when(scmp_filter_ctx ctx, int call, struct scmp_arg_cmp cmp)
{
	rule(ctx, SCMP_ACT_ALLOW, call, 1, &cmp);
}

/* call fails with e instead of killing. */
static void
fail(scmp_filter_ctx ctx, int call, int e)
{
	rule(ctx, SCMP_ACT_ERRNO((uint32_t)e), call, 0, NULL);
}

/* The state file's save (rawsniff-arp --state): new files, renames and
 * removals in the directory open on dirfd, nowhere else. */
static void
allow_statedir(scmp_filter_ctx ctx, int dirfd)
{
	scmp_datum_t d = (scmp_datum_t)dirfd;
	const struct scmp_arg_cmp create[] = {
		SCMP_A0(SCMP_CMP_EQ, d, 0),
		SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_EXCL,
		    O_WRONLY | O_CREAT | O_EXCL),
	};
	const struct scmp_arg_cmp both[] = {
		SCMP_A0(SCMP_CMP_EQ, d, 0), SCMP_A2(SCMP_CMP_EQ, d, 0),
	};
	const struct scmp_arg_cmp unlink[] = {
		SCMP_A0(SCMP_CMP_EQ, d, 0), SCMP_A2(SCMP_CMP_EQ, 0, 0),
	};

	/* Any other open fails, as without SB_STATEFILE (EPERM). */
	const struct scmp_arg_cmp elsewhere[] = { SCMP_A0(SCMP_CMP_NE, d, 0) };
	const struct scmp_arg_cmp not_new[][2] = {
		{ SCMP_A0(SCMP_CMP_EQ, d, 0),
		  SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, 0) },
		{ SCMP_A0(SCMP_CMP_EQ, d, 0),
		  SCMP_A2(SCMP_CMP_MASKED_EQ, O_EXCL, 0) },
		{ SCMP_A0(SCMP_CMP_EQ, d, 0),
		  SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDONLY) },
		{ SCMP_A0(SCMP_CMP_EQ, d, 0),
		  SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR) },
	};

	ALLOW(ctx, statefile_calls);
	rule(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(openat), 1, elsewhere);
	for (size_t i = 0; i < sizeof(not_new) / sizeof(not_new[0]); i++)
		rule(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(openat), 2,
		    not_new[i]);
	rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 2, create);
	rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(renameat), 2, both);
	rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(renameat2), 2, both);
	rule(ctx, SCMP_ACT_ALLOW, SCMP_SYS(unlinkat), 2, unlink);
}

static bool
sandbox_wanted(void)
{
#if defined(RAWSOCK_SANITIZE) || defined(__SANITIZE_ADDRESS__)
	return false;
#else
	const char *off = getenv("RAWSOCK_NO_SECCOMP");
	const char *preload = getenv("LD_PRELOAD");

	if (off != NULL && strcmp(off, "1") == 0)
		return false;
	return preload == NULL || strstr(preload, "/vgpreload_") == NULL;
#endif
}

static void
say(const char *what, int r)
{
	if (r < 0)
		warnx("sandbox probe: %s: %s", what, strerror(errno));
	else
		warnx("sandbox probe: %s: allowed", what);
}

/* The test hook: harmless with or without a filter (nothing to run, a
 * socket closed at once, a file the user may create anyway). */
static void
probe(const char *path)
{
	char *argv[] = { "/nonexistent/rawsock-probe", NULL };
	int fd;

	say("execve", execve(argv[0], argv, argv + 1));
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	say("socket", fd);
	if (fd >= 0)
		close(fd);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	say("open O_CREAT", fd);
	if (fd >= 0)
		close(fd);
}

void
sandbox_enter(unsigned int what)
{
	scmp_filter_ctx ctx;
	const char *path;
	int e;

	if (!sandbox_wanted())
		goto probe;
	ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		errx(2, "seccomp: cannot set up a filter");
	ALLOW(ctx, every);
	/* Memory, never executable memory. */
	allow_when(ctx, SCMP_SYS(mmap),
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	allow_when(ctx, SCMP_SYS(mprotect),
	    SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* fstat() is newfstatat(fd, "", AT_EMPTY_PATH): no paths. */
	allow_when(ctx, SCMP_SYS(newfstatat),
	    SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH));
	/* isatty() */
	allow_when(ctx, SCMP_SYS(ioctl), SCMP_A1(SCMP_CMP_EQ, TCGETS, 0));
	/* abort() signals this process only. */
	allow_when(ctx, SCMP_SYS(tgkill),
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0));
	fail(ctx, SCMP_SYS(open), EPERM);
	/* SB_STATEFILE allows some, in its one directory. */
	if (!(what & SB_STATEFILE))
		fail(ctx, SCMP_SYS(openat), EPERM);
	fail(ctx, SCMP_SYS(creat), EPERM);
	fail(ctx, SCMP_SYS(execve), EPERM);
	fail(ctx, SCMP_SYS(execveat), EPERM);
	/* glibc falls back to clone(), whose flags a filter can see. */
	fail(ctx, SCMP_SYS(clone3), ENOSYS);
	fail(ctx, SCMP_SYS(socket), EPERM);
	if (what & SB_RECV)
		ALLOW(ctx, recv_calls);
	if (what & SB_SEND) {
		ALLOW(ctx, send_calls);
		/* The carrier, read once per batch (txq.c). */
		allow_when(ctx, SCMP_SYS(ioctl),
		    SCMP_A1(SCMP_CMP_EQ, SIOCGIFFLAGS, 0));
		allow_when(ctx, SCMP_SYS(ioctl),
		    SCMP_A1(SCMP_CMP_EQ, SIOCETHTOOL, 0));
	}
	if (what & SB_THREADS) {
		ALLOW(ctx, thread_calls);
		allow_when(ctx, SCMP_SYS(clone),
		    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	}
	if (what & SB_FORK) {
		ALLOW(ctx, fork_calls);
		allow_when(ctx, SCMP_SYS(clone),
		    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
		/* A worker dies with its parent, and looks that it is
		 * still there (jobs.c). */
		ALLOW(ctx, ppid_calls);
		allow_when(ctx, SCMP_SYS(prctl),
		    SCMP_A0(SCMP_CMP_EQ, PR_SET_PDEATHSIG, 0));
	}
	if (what & SB_HANDLERS)
		ALLOW(ctx, handler_calls);
	if (what & SB_STATEFILE)
		allow_statedir(ctx, (int)(what >> 8));
	if ((e = seccomp_load(ctx)) < 0)
		errc(2, -e, "seccomp: cannot install the filter");
	seccomp_release(ctx);
probe:
	if ((path = getenv("RAWSOCK_SANDBOX_PROBE")) != NULL && *path != '\0')
		probe(path);
}
