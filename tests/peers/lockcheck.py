#!/usr/bin/python3
"""Tries to take the socket filter off another process's packet sockets.

  lockcheck.py PID

Borrows each socket of PID (pidfd_getfd, which needs root or ptrace
rights over PID) and tries to detach its filter and to attach another
one. Prints one line per socket, "FD: detach ERR, attach ERR", with the
errno names, or "ok" where the kernel let it happen. A locked filter
(SO_LOCK_FILTER) answers EPERM to both. Exits 2 when PID has no socket.
"""

import ctypes
import errno
import os
import socket
import struct
import sys

SYS_pidfd_getfd = 438
SO_ATTACH_FILTER = 26
SO_DETACH_FILTER = 27


def attempt(fn):
    try:
        fn()
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def main(argv):
    pid = int(argv[1])
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    # One BPF instruction: "ret #-1", accept everything.
    insn = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0,
                                                   0xffffffff))
    prog = struct.pack("HL", 1, ctypes.addressof(insn))
    found = 0
    for name in sorted(os.listdir("/proc/%d/fd" % pid), key=int):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, name))
        except OSError:
            continue
        if not target.startswith("socket:"):
            continue
        fd = libc.syscall(SYS_pidfd_getfd, pidfd, int(name), 0)
        if fd < 0:
            print("%s: pidfd_getfd: %s" % (name,
                  os.strerror(ctypes.get_errno())))
            continue
        s = socket.socket(fileno=fd)
        if s.family != socket.AF_PACKET:
            s.detach()
            os.close(fd)
            continue
        found += 1
        detach = attempt(lambda: s.setsockopt(socket.SOL_SOCKET,
                                              SO_DETACH_FILTER, 0))
        attach = attempt(lambda: s.setsockopt(socket.SOL_SOCKET,
                                              SO_ATTACH_FILTER, prog))
        print("%s: detach %s, attach %s" % (name, detach, attach))
        s.detach()
        os.close(fd)
    return 0 if found else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
