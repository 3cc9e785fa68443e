/*
 * The only list of applets. Adding an applet is one file that defines
 * NAME_main() plus one line here: APPLET(c_identifier, "command-name", "summary").
 */
APPLET(rawsend, "rawsend", "send raw Ethernet frames")
APPLET(rawrecv, "rawrecv", "receive raw Ethernet frames and print them")
