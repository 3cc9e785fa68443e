#!/usr/bin/python3
"""Independent receiver: prints each whole frame of ETHERTYPE (or every
type, with 'any') arriving on IFACE as one line of hex, until COUNT frames
or TIMEOUT seconds. Says "pyrecv: listening" on stderr once bound.

usage: pyrecv.py IFACE ETHERTYPE|any COUNT TIMEOUT
"""
import select
import socket
import sys
import time

iface, etype, count, timeout = sys.argv[1:5]
proto = 0x0003 if etype == "any" else int(etype, 0)
count, deadline = int(count), time.monotonic() + float(timeout)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
s.bind((iface, 0))
print("pyrecv: listening", file=sys.stderr, flush=True)
got = 0
while got < count:
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([s], [], [], left)[0]:
        sys.exit(1)
    data, addr = s.recvfrom(65536)
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    print(data.hex(), flush=True)
    got += 1
