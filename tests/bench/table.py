#!/usr/bin/python3
"""The arithmetic of the benchmark, kept out of bench.sh.

usage:
  table.py table RAW          the results table from bench-raw.txt
  table.py fastest RAW        the fastest lossless one-process sender of
                              64-byte frames (for the receive runs)
  table.py hyperfine JSON A B raw lines for hyperfine's two commands
  table.py rtt FILE           raw lines from tests/bench/rtt.sh's output

RAW has one measurement a line, "KIND key=value ...", and header lines
starting with "# ". Every figure in the table is the median over the runs,
except frames caught (the fewest) and drops (the most), so that one bad run
shows.
"""
import json
import re
import statistics
import sys

# Header lines of the raw file that the table repeats.
HEADER_KEYS = ("date", "commit", "machine", "load at start", "load at end",
               "frames", "placement", "peers", "receive sender", "rtt",
               "start-up command", "formatting", "json")
ONE_PROCESS = ("rawsend", "trafgen-P1", "mausezahn", "python")
NAMES = {
    "rawsend": "rawsend", "rawsend-j2": "rawsend -j 2",
    "trafgen-P1": "trafgen -P 1", "trafgen-P2": "trafgen -P 2",
    "mausezahn": "mausezahn", "python": "Python send() loop",
}


def parse(path):
    head, recs = [], []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# "):
                head.append(line[2:])
                continue
            words = line.split()
            if not words:
                continue
            rec = {"kind": words[0]}
            for w in words[1:]:
                k, _, v = w.partition("=")
                rec[k] = v
            recs.append(rec)
    return head, recs


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def pick(recs, kind, **match):
    return [r for r in recs if r["kind"] == kind and
            all(r.get(k) == v for k, v in match.items())]


def values(rs, key):
    return [x for x in (num(r.get(key)) for r in rs) if x is not None]


def median(rs, key):
    v = values(rs, key)
    return statistics.median(v) if v else None


def send_rate(recs, size, tool):
    return median(pick(recs, "send", size=str(size), tool=tool), "rate")


def fastest(recs):
    best, best_rate = None, -1
    for t in ONE_PROCESS:
        rs = pick(recs, "send", size="64", tool=t)
        if not rs or any(r.get("counted") != r.get("frames") for r in rs):
            continue
        rate = median(rs, "rate")
        if rate is not None and rate > best_rate:
            best, best_rate = t, rate
    return best or ""


def fmt_num(x, unit=""):
    if x is None:
        return "n/a"
    if isinstance(x, str):
        return x
    if abs(x) >= 1000:
        s = "{:,.0f}".format(x)
    elif abs(x) >= 10 or x == int(x):
        s = "%.0f" % x if x == int(x) else "%.1f" % x
    else:
        s = "%.3g" % x
    return s + unit


class Table:
    def __init__(self):
        self.rows = []

    def add(self, metric, ours, peer, target=None, better="high",
            ratio=True, met=None):
        """TARGET: a ratio bound (("ratio", 1.1)), an absolute bound on
        ours (("abs", 100)), or None. BETTER: high or low, the direction
        in which the target is met."""
        r = None
        if ratio and isinstance(ours, (int, float)) and \
                isinstance(peer, (int, float)) and peer:
            r = ours / peer
        ttext, ok = "—", "—"
        if target is not None:
            kind, bound = target
            sign = ">=" if better == "high" else "<="
            if kind == "ratio":
                ttext = "%s %.2f x" % (sign, bound)
                x = r
            else:
                ttext = "%s %s" % (sign, fmt_num(bound))
                x = ours if isinstance(ours, (int, float)) else None
            if x is None:
                ok = "n/a"
            elif better == "high":
                ok = "yes" if x >= bound else "NO"
            else:
                ok = "yes" if x <= bound else "NO"
        if met is not None:
            ok = met
        self.rows.append((metric, fmt_num(ours), fmt_num(peer),
                          "—" if r is None else "%.2f" % r, ttext, ok))

    def render(self):
        hdr = ("metric", "ours", "peer", "ours/peer", "target", "met?")
        w = [max(len(row[i]) for row in self.rows + [hdr])
             for i in range(len(hdr))]
        out = []
        for row in [hdr, tuple("-" * x for x in w)] + self.rows:
            out.append("  ".join(
                row[i].ljust(w[i]) if i == 0 else row[i].rjust(w[i])
                for i in range(len(hdr))).rstrip())
        return "\n".join(out)


def build(head, recs):
    t = Table()
    notes = []
    # 1. send
    for size in (64, 1500):
        tgt = size == 64
        me = send_rate(recs, size, "rawsend")
        for peer, bound in (("trafgen-P1", 1.1), ("python", 1.5),
                            ("mausezahn", None)):
            t.add("send %dB frames/s: rawsend vs %s" % (size, NAMES[peer]),
                  me, send_rate(recs, size, peer),
                  ("ratio", bound) if tgt and bound else None)
        j2 = send_rate(recs, size, "rawsend-j2")
        t.add("send %dB frames/s: rawsend -j 2 vs trafgen -P 2" % size,
              j2 if j2 is not None else "n/a (no -j)",
              send_rate(recs, size, "trafgen-P2"),
              ("ratio", 1.0) if tgt else None,
              met="NO (no -j)" if tgt and j2 is None else None)
    # Frames per CPU second of the sender (all its processes, and the
    # receiving kernel work that veth does on its CPU): less sensitive to
    # other load on the machine than the wall-clock rates above.
    def per_cpu(size, tool):
        v = [num(r["counted"]) / num(r["send_cpu"])
             for r in pick(recs, "send", size=str(size), tool=tool)
             if num(r.get("send_cpu"))]
        return statistics.median(v) if v else None
    for ours, peer in (("rawsend", "trafgen-P1"), ("rawsend", "python")):
        t.add("send 64B frames per sender CPU s: %s vs %s"
              % (NAMES[ours], NAMES[peer]),
              per_cpu(64, ours), per_cpu(64, peer))
    for r in pick(recs, "send"):
        if r.get("counted") != r.get("frames"):
            notes.append("send %sB %s run %s: %s of %s frames reached vb"
                         % (r["size"], NAMES.get(r["tool"], r["tool"]),
                            r["run"], r.get("counted"), r.get("frames")))
        if num(r.get("frame_bytes")) not in (None, 0.0, num(r["size"])):
            notes.append("send %sB %s run %s: frames of %s bytes on average"
                         % (r["size"], NAMES.get(r["tool"], r["tool"]),
                            r["run"], r.get("frame_bytes")))
        if r.get("send_status") not in ("0", None):
            notes.append("send %sB %s run %s: exit status %s"
                         % (r["size"], NAMES.get(r["tool"], r["tool"]),
                            r["run"], r.get("send_status")))
    # 2. receive
    rec = pick(recs, "recv")
    if rec:
        frames = num(rec[0].get("frames"))
        td = pick(recs, "recv", tool="tcpdump")

        def per_m(rs):
            v = [num(r["recv_cpu"]) / num(r["caught"]) * 1e6
                 for r in rs if num(r.get("caught")) and
                 num(r.get("recv_cpu")) is not None]
            return statistics.median(v) if v else None
        for tool, what in (("rawrecv-raw", "rawrecv -o raw >/dev/null"),
                           ("rawrecv-file", "rawrecv (RawPacket) >file")):
            rs = pick(recs, "recv", tool=tool)
            d, dp = values(rs, "drops"), values(td, "drops")
            t.add("receive, kernel drops (most): %s vs tcpdump -w" % what,
                  max(d) if d else None, max(dp) if dp else None,
                  ("abs", 0), better="low", ratio=False)
            c, cp = values(rs, "caught"), values(td, "caught")
            t.add("receive, frames caught (fewest): %s vs tcpdump -w" % what,
                  min(c) if c else None, min(cp) if cp else None,
                  ("abs", frames), ratio=False)
            t.add("receive, CPU s per 1M frames: %s vs tcpdump -w" % what,
                  per_m(rs), per_m(td), ("ratio", 1.0), better="low")
        for r in rec:
            if r.get("estimated") == "1":
                notes.append("receive %s run %s: frames caught estimated "
                             "(rx_packets - drops): it was stopped by %s"
                             % (r["tool"], r["run"], r.get("recv_signalled")))
            elif r.get("recv_signalled"):
                notes.append("receive %s run %s: stopped by %s"
                             % (r["tool"], r["run"], r["recv_signalled"]))
    # 2b. echo
    ec = pick(recs, "echo")
    if ec:
        frames = num(ec[0].get("frames"))
        c = values(ec, "counted")
        t.add("echo: replies to a %d-frame burst (fewest)" % frames,
              min(c) if c else None, None, ("abs", frames), ratio=False)
        t.add("echo: replies/s (rawsend burst to rawecho and back)",
              median(ec, "rate"), None, ("abs", 500000), ratio=False)
        d = values(ec, "drops")
        t.add("echo: rawecho kernel drops (most)", max(d) if d else None,
              None, ("abs", 0), better="low", ratio=False)
        for r in ec:
            if r.get("recv_signalled"):
                notes.append("echo run %s: rawecho answered %s of %s and "
                             "was stopped by %s" % (r["run"],
                             r.get("answered") or "?", r.get("frames"),
                             r["recv_signalled"]))
    # 2c. rawecho --pipe cat (one handler) against -e cat (one a frame)
    pp, ex = pick(recs, "pipe"), pick(recs, "exec")
    if pp:
        frames = num(pp[0].get("frames"))
        c = values(pp, "counted")
        t.add("echo: rawecho --pipe cat replies to a %d-frame burst (fewest)"
              % frames, min(c) if c else None, None, ("abs", frames),
              ratio=False)
        t.add("echo: rawecho --pipe cat replies/s", median(pp, "rate"),
              None, ("abs", 200000), ratio=False)
        t.add("echo: replies/s, rawecho --pipe cat vs -e cat (%s frames)"
              % (ex[0].get("frames") if ex else "?"), median(pp, "rate"),
              median(ex, "rate"), ("ratio", 100.0))
        for r in pp + ex:
            if r.get("recv_signalled"):
                notes.append("%s run %s: rawecho %s sent %s replies of %s "
                             "and was stopped by %s" % (r["kind"], r["run"],
                             "--pipe" if r["kind"] == "pipe" else "-e",
                             r.get("sent") or r.get("answered") or "?",
                             r.get("frames"), r["recv_signalled"]))
            if r.get("line_failed") not in (None, "", "0"):
                notes.append("pipe run %s: %s handler lines failed"
                             % (r["run"], r["line_failed"]))
    # 3. rtt: rawping as it reports itself against arping on the wire
    # (arping's printed RTT is 0.5 ms too high), then both on the wire.
    rtt = {r["tool"]: r for r in pick(recs, "rtt")}
    def rtt_of(tool, key, *fallback):
        for t_ in (tool,) + fallback:
            if t_ in rtt and num(rtt[t_].get(key)) is not None:
                return num(rtt[t_][key])
        return None
    if rtt:
        t.add("RTT median, us: rawping (its own) vs arping (wire)",
              rtt_of("rawping", "median_us", "rawping_wire"),
              rtt_of("arping_wire", "median_us", "arping"),
              ("ratio", 1.0), better="low")
        t.add("RTT p99, us: rawping (its own) vs arping (wire)",
              rtt_of("rawping", "p99_us", "rawping_wire"),
              rtt_of("arping_wire", "p99_us", "arping"))
        if "rawping_wire" in rtt and "arping_wire" in rtt:
            t.add("RTT median, us, both on the wire: rawping vs arping",
                  rtt_of("rawping_wire", "median_us"),
                  rtt_of("arping_wire", "median_us"))
        # The pinned rows (issue 15): against the C reference of the same
        # run, and busy polling against arping's wire RTT.
        if "rawping_busy" in rtt:
            t.add("RTT median, us, pinned: rawping --busy-poll vs busy C "
                  "reference", rtt_of("rawping_busy", "median_us"),
                  rtt_of("rttref_busy", "median_us"), ("ratio", 1.5),
                  better="low")
            t.add("RTT median, us: rawping --busy-poll (pinned) vs arping "
                  "(wire)", rtt_of("rawping_busy", "median_us"),
                  rtt_of("arping_wire", "median_us", "arping"),
                  ("ratio", 0.25), better="low")
        if "rawping_txstamp" in rtt:
            t.add("RTT median, us: rawping --busy-poll --timestamps software "
                  "(pinned) vs arping (wire)",
                  rtt_of("rawping_txstamp", "median_us"),
                  rtt_of("arping_wire", "median_us", "arping"))
        if "rawping_pinned" in rtt:
            t.add("RTT median, us, pinned: rawping vs blocking C reference",
                  rtt_of("rawping_pinned", "median_us"),
                  rtt_of("rttref_block", "median_us"), ("ratio", 1.2),
                  better="low")
    else:
        t.add("RTT median, us: rawping vs arping", "n/a", "n/a",
              ("ratio", 1.0), better="low", met="n/a")
    # 4. start-up, size, libraries
    st = {r["tool"]: r for r in pick(recs, "start")}
    if st:
        key = "median_ms" if st.get("rawsend", {}).get("median_ms") \
            else "mean_ms"
        t.add("start-up, exec to exit, ms (%s): rawsend vs /bin/true"
              % key.split("_")[0],
              num(st.get("rawsend", {}).get(key)),
              num(st.get("true", {}).get(key)), ("ratio", 1.2), better="low")
    sz = {r["tool"]: num(r["bytes"]) for r in pick(recs, "size")}
    if "rawsock" in sz:
        kb = lambda b: None if b is None else b / 1000
        t.add("stripped binary, KB: rawsock vs trafgen", kb(sz["rawsock"]),
              kb(sz.get("trafgen")), ("abs", 100), better="low")
    lib = {r["tool"]: num(r["count"]) for r in pick(recs, "libs")}
    if "rawsock" in lib:
        t.add("shared libraries (ldd): rawsock vs tcpdump", lib["rawsock"],
              lib.get("tcpdump"))
    # 5. formatting
    fm = pick(recs, "fmt")
    if fm:
        def rate(tool):
            rs = pick(recs, "fmt", tool=tool)
            s = median(rs, "secs")
            return num(rs[0]["frames"]) / s if rs and s else None
        peer = rate("tcpdump")
        for f, bound in (("rawpacket", 10.0), ("hex", None), ("json", None)):
            t.add("rawrecv -r, frames/s: -o %s vs tcpdump -nn -e -q -A" % f,
                  rate(f), peer, ("ratio", bound) if bound else None)
        for r in fm:
            if r.get("status") != "0":
                notes.append("formatting %s run %s: exit status %s"
                             % (r["tool"], r["run"], r.get("status")))
    # 5b. JSON writer and reader, ns per 64-byte frame (jsonbench.c)
    js = pick(recs, "json")
    if js:
        t.add("JSON format 64-byte frame (ns)", median(js, "format_ns"),
              None, ("abs", 500), better="low", ratio=False)
        t.add("JSON parse 64-byte frame (ns)", median(js, "parse_ns"),
              None, ("abs", 500), better="low", ratio=False)
    out = ["rawsock benchmark"]
    out += ["  " + h for h in head if ": " in h and
            h.split(": ")[0] in HEADER_KEYS]
    out += ["", t.render()]
    if notes:
        out += ["", "notes:"] + ["  " + n for n in notes]
    return "\n".join(out) + "\n"


def rtt_lines(path):
    """Median and p99, in us, from rtt.sh's output: each line naming
    rawping or arping with a 'median' figure (and maybe 'p99'), a line
    saying 'wire' being the tcpdump-timed figure (tool_wire). Otherwise the
    last line of a kind wins: for rawping, the RTT it reports itself."""
    found = {}
    unit_us = {"us": 1, "µs": 1, "ms": 1000, "s": 1e6, "ns": 1e-3}
    with open(path, errors="replace") as f:
        for line in f:
            low = line.lower()
            tool = "rttref" if "rttref" in low else \
                "rawping" if "rawping" in low else \
                "arping" if "arping" in low else None
            if tool is None:
                continue
            # The pinned rows: the C reference, and rawping beside it.
            tag = "_wire" if "wire" in low else \
                "_txstamp" if "software" in low else \
                "_busy" if "busy" in low else \
                "_block" if "blocking" in low else \
                "_pinned" if "pinned" in low else ""
            fig = {}
            for k in ("median", "p99"):
                m = re.search(k + r"[^0-9]*([0-9.]+)\s*(us|µs|ms|ns|s)?\b",
                              line, re.I)
                if m:
                    fig[k] = float(m.group(1)) * \
                        unit_us.get((m.group(2) or "us").lower(), 1)
            if "median" in fig:
                found[tool + tag] = fig
    for tool, fig in found.items():
        print("rtt tool=%s median_us=%.1f p99_us=%s" % (
            tool, fig["median"],
            "%.1f" % fig["p99"] if "p99" in fig else ""))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "table":
        head, recs = parse(sys.argv[2])
        sys.stdout.write(build(head, recs))
    elif cmd == "fastest":
        print(fastest(parse(sys.argv[2])[1]))
    elif cmd == "hyperfine":
        with open(sys.argv[2]) as f:
            res = json.load(f)["results"]
        for name, r in zip(sys.argv[3:], res):
            print("start tool=%s median_ms=%.4f mean_ms=%.4f stddev_ms=%.4f "
                  "runs=%d" % (name, r["median"] * 1e3, r["mean"] * 1e3,
                               r["stddev"] * 1e3, len(r["times"])))
    elif cmd == "rtt":
        rtt_lines(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
