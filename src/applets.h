/*
 * The only list of applets. Adding an applet is one file that defines
 * NAME_main() plus one line here: APPLET(c_identifier, "command-name", "summary").
 */
APPLET(rawsend, "rawsend", "send raw Ethernet frames")
APPLET(rawrecv, "rawrecv", "receive raw Ethernet frames and print them")
APPLET(rawsniff_arp, "rawsniff-arp", "decode ARP frames as the socket cheatsheet prints them")
APPLET(rawecho, "rawecho", "answer raw Ethernet frames: an L2 echo server")
APPLET(rawping, "rawping", "measure round trips to rawecho")
