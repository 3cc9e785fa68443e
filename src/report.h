#ifndef RAWSOCK_REPORT_H
#define RAWSOCK_REPORT_H
/*
 * The closing report's lines that every applet shares, written once so
 * that each says the same thing the same way: what was accepted but
 * never handled, what the kernel and the interface dropped, and a link
 * that went away.
 */

#include <stdbool.h>

struct losses {
	unsigned long long unread;	/* accepted, not handled at the end */
	const char	*unread_what;	/* "printed", "answered" */
	unsigned long long kernel;	/* the socket's drops */
	unsigned long long iface;	/* the interface's rx (or tx) drops */
};

/* One line for each count that is not 0:
 * "N frames received but not printed", "N frames dropped by the kernel",
 * "N frames dropped by the interface". */
void	report_losses(const struct losses *l);

/* "IFACE: interface went down or away (N frames received)": whether a
 * socket error (ENETDOWN, ENXIO, ENODEV) says the link went. */
bool	link_gone(int error);
void	report_link_gone(const char *ifname, unsigned long long n,
	    const char *what);

/* How a send that failed ended, after n frames: "IFACE: link lost its
 * carrier (N frames sent)" (ENOLINK), the words of report_link_gone(), or
 * "IFACE: send failed after N frames: WHY". */
void	report_send_failed(const char *ifname, unsigned long long n,
	    int error);

/* "frame" or "frames". */
const char *frames(unsigned long long n);

#endif
