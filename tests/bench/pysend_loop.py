#!/usr/bin/python3
"""Independent sender for the benchmark: a plain Python AF_PACKET send()
loop, the way a rawsocketpy user would write one, sending one whole frame
COUNT times. ENOBUFS (the device queue is full) is waited out by retrying,
so the loop is lossless like rawsend.

usage: pysend_loop.py IFACE HEXFRAME COUNT
"""
import errno
import socket
import sys

iface, frame, count = sys.argv[1], bytes.fromhex(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
send = s.send
left = count
while left > 0:
    try:
        send(frame)
        left -= 1
    except OSError as e:
        if e.errno != errno.ENOBUFS:
            raise
