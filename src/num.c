#include <stdlib.h>
#include <string.h>

#include "num.h"

int
parse_count(const char *text, long long min, long long max,
    long long *value, const char **why)
{
	const char *errstr;
	long long v;

	/* strtonum takes a sign and leading blanks: we want digits only. */
	if (text[0] < '0' || text[0] > '9') {
		*why = "not a decimal number";
		return -1;
	}
	v = strtonum(text, min, max, &errstr);
	if (errstr != NULL) {
		*why = strcmp(errstr, "invalid") == 0 ? "not a decimal number" :
		    strcmp(errstr, "too large") == 0 ? "too large" : "too small";
		return -1;
	}
	*value = v;
	return 0;
}

int
parse_seconds(const char *text, double *seconds, const char **why)
{
	size_t digits = 0, dots = 0;
	char *end;
	double v;

	for (const char *p = text; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.')
			dots++;
		else {
			*why = "not a non-negative decimal number of seconds";
			return -1;
		}
	}
	if (digits == 0 || dots > 1) {
		*why = "not a non-negative decimal number of seconds";
		return -1;
	}
	v = strtod(text, &end);
	if (*end != '\0' || v > SECONDS_MAX) {
		*why = "too large (at most 1000000 seconds)";
		return -1;
	}
	*seconds = v;
	return 0;
}

struct timespec
timespec_from_seconds(double seconds)
{
	struct timespec ts;

	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

struct timespec
timespec_from_ns(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / 1000000000u),
	    (long)(ns % 1000000000u) };
}

uint64_t
ns_from_timespec(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}
