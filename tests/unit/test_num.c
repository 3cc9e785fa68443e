/* Unit tests for num.c: counts and seconds, refused unless exact. */
#include <stdint.h>
#include <time.h>

#include "num.h"
#include "unit.h"

static int
count_ok(const char *text, long long want)
{
	const char *why = NULL;
	long long v = -1;

	return parse_count(text, 1, 1000000000000LL, &v, &why) == 0 &&
	    v == want;
}

static int
count_bad(const char *text, const char *want_why)
{
	const char *why = NULL;
	long long v = 42;

	return parse_count(text, 1, 1000000000000LL, &v, &why) == -1 &&
	    why != NULL && strcmp(why, want_why) == 0 && v == 42;
}

static void
test_count(void)
{
	const char *why = NULL;
	long long v = -1;

	CHECK(count_ok("1", 1), "count: 1");
	CHECK(count_ok("42", 42), "count: 42");
	CHECK(count_ok("007", 7), "count: leading zeros");
	CHECK(count_ok("1000000000000", 1000000000000LL), "count: the maximum");
	CHECK(count_bad("0", "too small"), "count: 0 below the minimum");
	CHECK(count_bad("1000000000001", "too large"), "count: above maximum");
	CHECK(count_bad("99999999999999999999", "too large"),
	    "count: 99999999999999999999 overflows to 'too large'");
	CHECK(count_bad("-1", "not a decimal number"), "count: negative");
	CHECK(count_bad("-0", "not a decimal number"), "count: -0");
	CHECK(count_bad("+1", "not a decimal number"), "count: plus sign");
	CHECK(count_bad(" 1", "not a decimal number"), "count: leading space");
	CHECK(count_bad("1 ", "not a decimal number"), "count: trailing space");
	CHECK(count_bad("1x", "not a decimal number"), "count: trailing junk");
	CHECK(count_bad("0x10", "not a decimal number"), "count: hex");
	CHECK(count_bad("1e3", "not a decimal number"), "count: exponent");
	CHECK(count_bad("1.5", "not a decimal number"), "count: fraction");
	CHECK(count_bad("nan", "not a decimal number"), "count: nan");
	CHECK(count_bad("inf", "not a decimal number"), "count: inf");
	CHECK(count_bad("", "not a decimal number"), "count: empty");
	CHECK(count_bad("abc", "not a decimal number"), "count: letters");
	CHECK(parse_count("0", 0, 10, &v, &why) == 0 && v == 0,
	    "count: 0 when the minimum allows it");
}

static int
secs_ok(const char *text, double want)
{
	const char *why = NULL;
	double v = -1;

	return parse_seconds(text, &v, &why) == 0 && v == want;
}

static int
secs_bad(const char *text, const char *want_why)
{
	const char *why = NULL;
	double v = 42;

	return parse_seconds(text, &v, &why) == -1 && why != NULL &&
	    strstr(why, want_why) != NULL && v == 42;
}

static void
test_seconds(void)
{
	static const char nonum[] = "not a non-negative decimal number";
	struct timespec ts;

	CHECK(secs_ok("0", 0), "seconds: 0");
	CHECK(secs_ok("1", 1), "seconds: 1");
	CHECK(secs_ok("0.25", 0.25), "seconds: 0.25");
	CHECK(secs_ok(".5", 0.5), "seconds: .5");
	CHECK(secs_ok("2.", 2), "seconds: 2.");
	CHECK(secs_ok("000.5", 0.5), "seconds: leading zeros");
	CHECK(secs_ok("1000000", 1e6), "seconds: the maximum");
	CHECK(secs_bad("1000000.5", "too large"), "seconds: above maximum");
	CHECK(secs_bad("99999999999999999999", "too large"),
	    "seconds: 99999999999999999999 is too large");
	CHECK(secs_bad("-1", nonum), "seconds: negative");
	CHECK(secs_bad("-0", nonum), "seconds: -0");
	CHECK(secs_bad("+1", nonum), "seconds: plus sign");
	CHECK(secs_bad("nan", nonum), "seconds: nan");
	CHECK(secs_bad("NaN", nonum), "seconds: NaN");
	CHECK(secs_bad("inf", nonum), "seconds: inf");
	CHECK(secs_bad("infinity", nonum), "seconds: infinity");
	CHECK(secs_bad("1e3", nonum), "seconds: exponent");
	CHECK(secs_bad("1E-3", nonum), "seconds: negative exponent");
	CHECK(secs_bad("0x10", nonum), "seconds: hex");
	CHECK(secs_bad("0x1p3", nonum), "seconds: hex float");
	CHECK(secs_bad("1s", nonum), "seconds: trailing junk");
	CHECK(secs_bad("1 ", nonum), "seconds: trailing space");
	CHECK(secs_bad(" 1", nonum), "seconds: leading space");
	CHECK(secs_bad("1,5", nonum), "seconds: comma");
	CHECK(secs_bad("1.2.3", nonum), "seconds: two dots");
	CHECK(secs_bad(".", nonum), "seconds: lone dot");
	CHECK(secs_bad("", nonum), "seconds: empty");

	ts = timespec_from_seconds(1.5);
	CHECK(ts.tv_sec == 1 && ts.tv_nsec == 500000000L,
	    "timespec_from_seconds(1.5)");
	ts = timespec_from_seconds(0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "timespec_from_seconds(0)");
	ts = timespec_from_seconds(0.001);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 999999L &&
	    ts.tv_nsec <= 1000001L, "timespec_from_seconds(0.001)");
	ts = timespec_from_seconds(1e6);
	CHECK(ts.tv_sec == 1000000 && ts.tv_nsec == 0,
	    "timespec_from_seconds(1e6)");
	ts = timespec_from_seconds(0.9999999999);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000L,
	    "timespec_from_seconds keeps tv_nsec below a second");

	ts = timespec_from_ns(1999999999u);
	CHECK(ts.tv_sec == 1 && ts.tv_nsec == 999999999L,
	    "timespec_from_ns(1999999999)");
	ts = timespec_from_ns(0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "timespec_from_ns(0)");
	ts = (struct timespec){ 1700000000, 123456789L };
	CHECK(ns_from_timespec(&ts) == 1700000000123456789ull,
	    "ns_from_timespec of a realtime stamp");
	CHECK(ns_from_timespec(&(struct timespec){ 0, 0 }) == 0,
	    "ns_from_timespec(0)");
}

int
main(void)
{
	test_count();
	test_seconds();
	return unit_done();
}
