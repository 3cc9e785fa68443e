#ifndef RAWSOCK_SANDBOX_H
#define RAWSOCK_SANDBOX_H
/*
 * The syscall sandbox (seccomp, through libseccomp): an allow-list
 * installed once start-up is over, after priv_drop() and after the files
 * of the run are open, before the first byte of untrusted input is read.
 *
 * Every mode may read and write the descriptors it holds, wait in the one
 * loop (ppoll, the signalfd), read the clock, sleep, take memory (brk,
 * mmap and mprotect without PROT_EXEC, munmap) and exit. What else it may
 * do comes from the SB_* flags of its mode. A call outside the list kills
 * the process (SECCOMP_RET_KILL_PROCESS), except the calls that would
 * reach something new: socket(), open()/openat()/creat() and
 * execve()/execveat() fail with EPERM, so the caller's own message says
 * what was refused. clone3() fails with ENOSYS, so the C library falls
 * back to clone(), whose flags a filter can check.
 *
 * Off when RAWSOCK_NO_SECCOMP=1 is in the environment, in the sanitizer
 * build (RAWSOCK_SANITIZE, or __SANITIZE_ADDRESS__) and under valgrind
 * (its preload library in LD_PRELOAD): both make calls of their own that
 * no list of ours can foresee.
 */

#define SB_RECV		0x01	/* receive on a socket already open */
#define SB_SEND		0x02	/* send on a socket already open */
#define SB_THREADS	0x04	/* start threads (rawrecv -j) */
#define SB_FORK		0x08	/* fork workers and wait for them */
#define SB_HANDLERS	0x10	/* rawecho -e: hand pipes to the spawner
				 * forked before the filter (handler.h) */
#define SB_STATEFILE	0x20	/* rawsniff-arp --state: create, write and
				 * rename files in one directory only */
/* SB_STATEFILE for the directory open on dirfd (opened before the filter:
 * openat, renameat and unlinkat are allowed relative to it alone). */
#define SB_STATEDIR(dirfd)	(SB_STATEFILE | (unsigned int)(dirfd) << 8)

/* Exits 2 with one line if the filter cannot be installed. With
 * RAWSOCK_SANDBOX_PROBE=PATH in the environment it then tries execve(),
 * socket() and creating PATH, and says how each went on stderr. */
void	sandbox_enter(unsigned int what);

#endif
