#!/usr/bin/python3
"""Independent sender: one whole frame, given in hex, sent the way
rawsocketpy sends (a plain AF_PACKET socket bound to the interface).

usage: pysend.py IFACE HEXFRAME [COUNT]
"""
import socket
import sys

iface, frame = sys.argv[1], bytes.fromhex(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
for _ in range(count):
    s.send(frame)
