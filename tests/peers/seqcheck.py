#!/usr/bin/python3
"""Sequence-numbered payloads for the load tests, and their checker.

  seqcheck.py gen SIZE COUNT [FIRST]
      writes COUNT payloads of SIZE bytes, one hex line each (rawsend -x):
      an 8-byte big-endian sequence number, then bytes derived from it, so
      any change to a payload is seen; NULs and newlines occur in them.

  seqcheck.py check SIZE COUNT FORMAT FILE [DROPS] [FIRST]
      reads what a receiver printed (FORMAT raw: the payloads back to back;
      json: rawrecv -o json lines) and proves that every sequence number
      FIRST..FIRST+COUNT-1 arrived exactly once and unmodified, or, when
      some are missing, that their number equals DROPS (the drops the
      receiver reported; 0 if not given). Prints a one-line summary; exits
      0 when all holds, 1 otherwise, 2 on bad usage.
"""

import hashlib
import json
import struct
import sys


def payload(seq, size):
    head = struct.pack(">Q", seq)
    body = b""
    block = 0
    while len(head) + len(body) < size:
        body += hashlib.blake2b(head + struct.pack(">I", block),
                                digest_size=64).digest()
        block += 1
    return (head + body)[:size]


def gen(size, count, first):
    out = sys.stdout
    for seq in range(first, first + count):
        out.write(payload(seq, size).hex())
        out.write("\n")


def records(fmt, data, size):
    if fmt == "raw":
        for i in range(0, len(data) - len(data) % size, size):
            yield data[i:i + size]
        if len(data) % size:
            yield data[len(data) - len(data) % size:]
    elif fmt == "json":
        for line in data.decode("ascii").splitlines():
            yield bytes.fromhex(json.loads(line)["payload"])
    else:
        raise SystemExit("seqcheck: unknown format '%s'" % fmt)


def check(size, count, fmt, path, drops, first):
    with open(path, "rb") as f:
        data = f.read()
    seen = set()
    dups = corrupt = late = 0
    last = -1
    for rec in records(fmt, data, size):
        seq = struct.unpack(">Q", rec[:8])[0] if len(rec) >= 8 else -1
        if len(rec) != size or not first <= seq < first + count or \
                rec != payload(seq, size):
            corrupt += 1
            continue
        if seq in seen:
            dups += 1
            continue
        if seq < last:
            late += 1
        last = seq
        seen.add(seq)
    missing = count - len(seen)
    ok = dups == 0 and corrupt == 0 and missing == drops
    print("seqcheck: %d of %d arrived once and intact, %d missing, "
          "%d reported dropped, %d duplicated, %d corrupt, %d out of "
          "order: %s" % (len(seen), count, missing, drops, dups, corrupt,
                         late, "ok" if ok else "FAILED"))
    return 0 if ok else 1


def main(argv):
    try:
        if argv[1] == "gen" and len(argv) in (4, 5):
            gen(int(argv[2]), int(argv[3]), int(argv[4]) if len(argv) > 4
                else 0)
            return 0
        if argv[1] == "check" and len(argv) in (6, 7, 8):
            return check(int(argv[2]), int(argv[3]), argv[4], argv[5],
                         int(argv[6]) if len(argv) > 6 else 0,
                         int(argv[7]) if len(argv) > 7 else 0)
    except (IndexError, ValueError):
        pass
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
