#!/usr/bin/python3
"""rawsocketpy 0.4.0's print(packet), reimplemented from its rules, as the
reference for rawrecv's RawPacket text on payloads rawsocketpy prints
legibly; and a seeded generator of such payloads.

usage: rawpacket_ref.py gen SEED COUNT   payloads, one hex line each:
                                         printable ASCII heavy in
                                         backslashes, and valid UTF-8 of
                                         1 to 4 bytes a character, with no
                                         control, C1 or invisible code point
       rawpacket_ref.py show < FRAMES    each whole frame (a hex line) as
                                         rawsocketpy prints it: two lines

rawsocketpy: to_str(src) + " == 0x" + to_str(type, "") + " => " +
to_str(dst) + " - OK:\\n" + data.decode('utf-8'), then print's "\\n";
to_str() joins the bytes' two-digit hex with the separator (":").
"""
import random
import sys

# Valid text that hides or reorders what a terminal shows: rawrecv escapes
# it, so rawsocketpy's text is not the reference there.
INVISIBLE = set(range(0x200b, 0x2010)) | set(range(0x2028, 0x202f)) | \
    set(range(0x2066, 0x206a)) | {0xfeff}


def to_str(data, separator=":"):
    return separator.join("{:02x}".format(b) for b in data)


def show(frame):
    dest, src, typ, data = frame[0:6], frame[6:12], frame[12:14], frame[14:]
    text = (to_str(src) + " == 0x" + to_str(typ, "") + " => " +
            to_str(dest) + " - OK:\n" + data.decode("utf-8"))
    return text + "\n"


def character(rng):
    r = rng.random()
    if r < 0.2:
        return "\\"
    if r < 0.3:
        return rng.choice("nt0r\\")	# what follows a backslash in escapes
    if r < 0.65:
        return chr(rng.randrange(0x20, 0x7f))
    # One of the 2, 3 and 4-byte ranges, evenly.
    lo, hi = rng.choice([(0xa0, 0x7ff), (0x800, 0xffff),
                         (0x10000, 0x10ffff)])
    while True:
        cp = rng.randrange(lo, hi + 1)
        if not 0xd800 <= cp <= 0xdfff and cp not in INVISIBLE:
            return chr(cp)


def gen(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        text = "".join(character(rng) for _ in range(rng.randrange(1, 200)))
        print(text.encode("utf-8").hex())


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 2 and sys.argv[1] == "show":
        out = sys.stdout.buffer
        for line in sys.stdin:
            out.write(show(bytes.fromhex(line.strip())).encode("utf-8"))
    else:
        sys.exit(__doc__)


main()
