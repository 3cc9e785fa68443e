#!/usr/bin/python3
"""Independent reflector: sends every frame of ETHERTYPE arriving on IFACE
back out of IFACE unchanged (same source MAC, same destination, same
payload), as a looped cable or a misbehaving switch would, until COUNT
frames or TIMEOUT seconds. Says "reflect: listening" on stderr once bound
and "reflect: N frames reflected" at the end; exits 0 after COUNT, 1 at
the timeout.

usage: reflect.py IFACE ETHERTYPE COUNT TIMEOUT
"""
import select
import socket
import sys
import time

iface, etype, count, timeout = sys.argv[1:5]
proto = int(etype, 0)
count, deadline = int(count), time.monotonic() + float(timeout)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
s.bind((iface, proto))
print("reflect: listening", file=sys.stderr, flush=True)
done = 0
status = 0
while done < count:
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([s], [], [], left)[0]:
        status = 1
        break
    data, addr = s.recvfrom(65536)
    # Only what came in: never our own copies (there are none for a
    # socket bound to one type, but a loop here must be impossible).
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    s.send(data)
    done += 1
print("reflect: %d frames reflected" % done, file=sys.stderr, flush=True)
sys.exit(status)
