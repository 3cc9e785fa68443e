#ifndef RAWSOCK_APPLET_H
#define RAWSOCK_APPLET_H

#define RAWSOCK_VERSION "0.1.0"

/* Exit statuses shared by every applet (documented in every man page). */
enum {
	EXIT_OK = 0,
	EXIT_TIMEOUT = 1,	/* nothing, or too little, arrived in time */
	EXIT_ERROR = 2,		/* usage, bad value, interface, permission, I/O */
	EXIT_NO_APPLET = 127
};

struct optspec;
/* Each applet exports its main and its table of options (opts.h). */
#define APPLET(id, name, summary) int id##_main(int argc, char *argv[]); \
	extern const struct optspec id##_options;
#include "applets.h"
#undef APPLET

/* Prints "NAME VERSION (rawsock)" on stdout and exits 0. */
void print_version(void) __attribute__((noreturn));

#endif
