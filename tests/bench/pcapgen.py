#!/usr/bin/python3
"""Writes a pcap file of COUNT copies of one frame (given in hex), for the
formatting benchmark when rawsend cannot write one itself (--dry-run -w).
Timestamps step by one microsecond from a fixed start, so the file is the
same on every run.

usage: pcapgen.py FILE HEXFRAME COUNT
"""
import struct
import sys

path, frame, count = sys.argv[1], bytes.fromhex(sys.argv[2]), int(sys.argv[3])
START = 1700000000
with open(path, "wb") as f:
    # Classic pcap, microsecond timestamps, snaplen 262144, Ethernet.
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    n = len(frame)
    chunk = []
    for i in range(count):
        chunk.append(struct.pack("<IIII", START + i // 1000000,
                                 i % 1000000, n, n))
        chunk.append(frame)
        if len(chunk) >= 20000:
            f.write(b"".join(chunk))
            chunk = []
    f.write(b"".join(chunk))
