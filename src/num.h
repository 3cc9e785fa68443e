#ifndef RAWSOCK_NUM_H
#define RAWSOCK_NUM_H
/* Bounded number parsing for options. Pure: errors come back as reasons. */

#include <stdint.h>
#include <time.h>

#define SECONDS_MAX	1e6	/* about 11.5 days: longer is surely a typo */

/* Decimal integer in [min, max], digits only. 0, or -1 and *why. */
int	parse_count(const char *text, long long min, long long max,
	    long long *value, const char **why);

/* Non-negative decimal seconds ("1", "0.25", ".5"); no sign, exponent,
 * NaN or infinity; at most SECONDS_MAX. 0, or -1 and *why. */
int	parse_seconds(const char *text, double *seconds, const char **why);

struct timespec	timespec_from_seconds(double seconds);
/* Nanoseconds, as rawsock counts time, and the kernel's timespec. */
struct timespec	timespec_from_ns(uint64_t ns);
uint64_t	ns_from_timespec(const struct timespec *ts);

#endif
