#!/usr/bin/python3
"""Independent sender: every frame of a classic pcap file (Ethernet link
type), sent as captured on an interface through a plain AF_PACKET socket.

usage: pcapreplay.py IFACE FILE...
       pcapreplay.py -n FILE...

Prints one summary line per file on stdout:
  FILE sent=N arp=N arp_tagged=N skipped=N
where arp counts frames with ethertype 0x0806, arp_tagged ARP frames
behind exactly one 802.1Q or 802.1ad tag (the kernel strips one tag on
receive, so a receiver sees those as plain ARP), and skipped the frames the
kernel refused (shorter than 14 bytes, longer than the MTU allows). With
-n nothing is sent: the counts say what would be, and a last line
"total arp=N" adds up arp and arp_tagged over all files.
Exit status 2 if a file is not a pcap file it can read.
"""
import socket
import struct
import sys

VLAN_TPIDS = (0x8100, 0x88A8)
ETH_P_ARP = 0x0806


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("too short for a pcap header")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("not a classic pcap file (magic %s)" % magic.hex())
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0xFFFF
    if linktype != 1:
        raise ValueError("link type %d, not Ethernet" % linktype)
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16
        if off + caplen > len(data):
            break  # a record cut short at the end of the file
        yield data[off:off + caplen]
        off += caplen


def ethertype_at(frame, off):
    if len(frame) < off + 2:
        return None
    return struct.unpack("!H", frame[off:off + 2])[0]


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: pcapreplay.py IFACE FILE...\n"
                         "       pcapreplay.py -n FILE...\n")
        return 2
    dry = sys.argv[1] == "-n"
    if not dry:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((sys.argv[1], 0))
    total = 0
    for path in sys.argv[2:]:
        sent = arp = tagged = skipped = 0
        try:
            for frame in frames(path):
                try:
                    if dry:
                        if len(frame) < 14:
                            raise OSError("too short")
                    else:
                        s.send(frame)
                except OSError:
                    skipped += 1
                    continue
                sent += 1
                t = ethertype_at(frame, 12)
                if t == ETH_P_ARP:
                    arp += 1
                elif t in VLAN_TPIDS and ethertype_at(frame, 16) == ETH_P_ARP:
                    tagged += 1
        except (OSError, ValueError) as e:
            sys.stderr.write("pcapreplay.py: %s: %s\n" % (path, e))
            return 2
        print("%s sent=%d arp=%d arp_tagged=%d skipped=%d"
              % (path, sent, arp, tagged, skipped))
        total += arp + tagged
    if dry:
        print("total arp=%d" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
