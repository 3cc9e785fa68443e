/* Unit tests for handler.c's pure parts: environment and status text. */
#include <signal.h>
#include <sys/wait.h>

#include "handler.h"
#include "unit.h"

int
main(void)
{
	char *base[] = { "PATH=/bin", "RAWSOCK_IFACE=eth9", "HOME=/root",
	    "RAWSOCK_SRCX=keep", NULL };
	char *add[] = { "RAWSOCK_SRC=02:00:00:00:00:0a", "RAWSOCK_IFACE=vb",
	    NULL };
	char *out[8], *tiny[3], buf[64];
	int n;

	n = handler_env(base, add, out, 8);
	CHECK(n == 5, "count");
	CHECK_STR(out[0], "PATH=/bin", "base kept");
	CHECK_STR(out[1], "HOME=/root", "overridden entry dropped");
	CHECK_STR(out[2], "RAWSOCK_SRCX=keep", "a longer name is not a match");
	CHECK_STR(out[3], "RAWSOCK_SRC=02:00:00:00:00:0a", "added");
	CHECK_STR(out[4], "RAWSOCK_IFACE=vb", "override added");
	CHECK(out[5] == NULL, "NULL-ended");
	CHECK(handler_env(base, add, tiny, 3) == -1, "too small: -1");

	handler_status_text(3 << 8, buf, sizeof(buf));
	CHECK_STR(buf, "exited with status 3", "exit status");
	handler_status_text(SIGKILL, buf, sizeof(buf));
	CHECK_STR(buf, "was killed by signal 9 (Killed)", "signal");
	return unit_done();
}
