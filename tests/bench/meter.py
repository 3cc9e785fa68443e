#!/usr/bin/python3
"""Times a sender by the frames the receiving interface counts, not by the
sender's own word. Run it inside the receiver's namespace (ip netns exec),
so COUNTER (a /sys/class/net/IF/statistics/rx_packets file) is the
receiving end's; the commands it starts enter their own namespaces.

usage:
  meter.py send [options] -- SENDCMD...
  meter.py recv [options] -- RECVCMD... :: SENDCMD...

send: starts SENDCMD and polls COUNTER until FRAMES more frames are
counted, or the sender has exited and the counter has not moved for IDLE
seconds, or TIMEOUT seconds have passed (the sender is then killed).
recv: first starts RECVCMD and waits for READY on its standard error, then
does the same as send; afterwards it gives the receiver GRACE seconds to
end by itself, then sends SIGINT (receivers print their statistics on it),
then SIGKILL. The CPU seconds reported are the receiver's own (wait4).

Prints one line of key=value pairs: counted (frames), secs (start of the
sender to the last frame counted), first (start to the first frame), rate
(counted / secs), frame_bytes (the mean size of the frames counted, from
rx_bytes), the sender's status and CPU seconds, and in recv mode
the receiver's status, CPU seconds and whether it had to be signalled.
Only processes this script started are ever signalled, by PID.
"""
import argparse
import os
import re
import resource
import signal
import subprocess
import sys
import time

POLL = 0.001    # seconds between counter reads: 1 ms resolution
STARTED = []    # every process started here, ended by PID on the way out


class Stop(Exception):
    pass


def on_signal(sig, frame):
    raise Stop(signal.Signals(sig).name)


def end_started():
    """On a signal or an error: ends what this script started, by PID."""
    for p in STARTED:
        if p.returncode is None:
            reap(p, 0, (signal.SIGTERM, signal.SIGKILL))


def read_counter(fd):
    return int(os.pread(fd, 64, 0))


def spawn(argv, out, err):
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
        stdout=open(out, "wb"), stderr=open(err, "wb"))
    STARTED.append(p)
    return p


def try_reap(proc):
    """Reaps PROC if it has ended, keeping its CPU seconds (wait4: a plain
    poll() would throw the rusage away). True once it has ended."""
    if proc.returncode is not None:
        return True
    pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
    if pid != proc.pid:
        return False
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.cpu = ru.ru_utime + ru.ru_stime
    return True


def reap(proc, limit, sigs=(signal.SIGTERM, signal.SIGKILL)):
    """Waits up to LIMIT seconds for PROC, then signals it (by PID) with
    each of SIGS in turn, 3 s apart. Returns (status, cpu, signalled)."""
    deadline = time.monotonic() + limit
    signalled = ""
    for sig in (None,) + tuple(sigs):
        if sig is not None and proc.returncode is None:
            os.kill(proc.pid, sig)
            signalled = signal.Signals(sig).name
            deadline = time.monotonic() + 3
        while not try_reap(proc) and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.returncode is not None:
            return (proc.returncode, proc.cpu, signalled)
    return (None, 0.0, signalled)


def measure(fd, bfd, frames, sender, timeout, idle):
    """Polls the counter while SENDER runs; returns the figures. BFD is
    rx_bytes beside it, read before and after: bytes / frames tells that
    each sender sent frames of the size asked for."""
    base = read_counter(fd)
    bbase = read_counter(bfd)
    t0 = time.monotonic()
    proc = sender()
    last_val, last_t, first_t = base, t0, None
    timed_out = False
    exited_at = None
    while True:
        now = time.monotonic()
        val = read_counter(fd)
        if val != last_val:
            if first_t is None:
                first_t = now
            last_val, last_t = val, now
        if val - base >= frames:
            break
        if exited_at is None and try_reap(proc):
            exited_at = now
        if exited_at is not None and now - max(last_t, exited_at) > idle:
            break
        if now - t0 > timeout:
            timed_out = True
            break
        time.sleep(POLL)
    counted = last_val - base
    nbytes = read_counter(bfd) - bbase
    secs = last_t - t0
    status, cpu, sig = reap(proc, 0 if timed_out else 30)
    return {
        "counted": counted,
        "secs": "%.6f" % secs,
        "first": "%.6f" % ((first_t or t0) - t0),
        "rate": "%.0f" % (counted / secs if secs > 0 else 0),
        "frame_bytes": "%.1f" % (nbytes / counted if counted else 0),
        "send_status": status,
        "send_cpu": "%.3f" % cpu,
        "send_signalled": sig,
        "timed_out": int(timed_out),
    }


def wait_ready(path, regex, proc, limit):
    deadline = time.monotonic() + limit
    pat = re.compile(regex.encode())
    while time.monotonic() < deadline:
        with open(path, "rb") as f:
            if pat.search(f.read()):
                return True
        if try_reap(proc):
            return False
        time.sleep(0.01)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("send", "recv"))
    ap.add_argument("--counter", required=True)
    ap.add_argument("--frames", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--idle", type=float, default=1.0)
    ap.add_argument("--log", required=True, help="prefix of log files")
    ap.add_argument("--ready", default="listening on")
    ap.add_argument("--recv-out", default=os.devnull)
    ap.add_argument("--grace", type=float, default=3.0)
    argv = sys.argv[1:]
    if "--" not in argv:
        ap.error("no command after --")
    i = argv.index("--")
    a = ap.parse_args(argv[:i])
    cmd = argv[i + 1:]
    if a.mode == "recv":
        if "::" not in cmd:
            ap.error("recv needs RECVCMD... :: SENDCMD...")
        i = cmd.index("::")
        rcmd, scmd = cmd[:i], cmd[i + 1:]
    else:
        rcmd, scmd = None, cmd
    if not scmd:
        ap.error("no sender command")

    fd = os.open(a.counter, os.O_RDONLY)
    bfd = os.open(os.path.join(os.path.dirname(a.counter), "rx_bytes"),
                  os.O_RDONLY)
    res = {}
    recv = None
    if rcmd:
        rerr = a.log + ".recv.err"
        recv = spawn(rcmd, a.recv_out, rerr)
        if not wait_ready(rerr, a.ready, recv, 10):
            st, cpu, sig = reap(recv, 0)
            print("ready=0 recv_status=%s" % st)
            sys.stdout.flush()
            return 1
    res.update(measure(fd, bfd, a.frames,
        lambda: spawn(scmd, a.log + ".out", a.log + ".err"),
        a.timeout, a.idle))
    if recv is not None:
        st, cpu, sig = reap(recv, a.grace,
            (signal.SIGINT, signal.SIGKILL))
        res.update({"recv_status": st, "recv_cpu": "%.3f" % cpu,
            "recv_signalled": sig})
    # What the polling itself cost, on the CPU it shares with receivers.
    ru = resource.getrusage(resource.RUSAGE_SELF)
    res["meter_cpu"] = "%.3f" % (ru.ru_utime + ru.ru_stime)
    print(" ".join("%s=%s" % kv for kv in res.items()))
    return 0


if __name__ == "__main__":
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    try:
        sys.exit(main())
    except Stop as e:
        print("meter.py: stopped by %s" % e, file=sys.stderr)
        sys.exit(130)
    finally:
        end_started()
