#include <err.h>
#include <errno.h>
#include <string.h>

#include "opts.h"
#include "report.h"

const char *
frames(unsigned long long n)
{
	return n == 1 ? "frame" : "frames";
}

void
report_losses(const struct losses *l)
{
	if (l->unread > 0)
		warnx("%llu %s received but not %s", l->unread,
		    frames(l->unread), l->unread_what);
	if (l->kernel > 0)
		warnx("%llu %s dropped by the kernel", l->kernel,
		    frames(l->kernel));
	if (l->iface > 0)
		warnx("%llu %s dropped by the interface", l->iface,
		    frames(l->iface));
}

bool
link_gone(int error)
{
	return error == ENETDOWN || error == ENXIO || error == ENODEV;
}

void
report_link_gone(const char *ifname, unsigned long long n, const char *what)
{
	warnx("%s: interface went down or away (%llu %s %s)", shown(ifname), n,
	    frames(n), what);
}

void
report_send_failed(const char *ifname, unsigned long long n, int error)
{
	if (error == ENOLINK)
		warnx("%s: link lost its carrier (%llu %s sent)", shown(ifname),
		    n, frames(n));
	else if (link_gone(error))
		report_link_gone(ifname, n, "sent");
	else
		warnx("%s: send failed after %llu %s: %s", shown(ifname), n,
		    frames(n), strerror(error));
}
