/*
 * libFuzzer harness for the option parsers: mac_parse, ethertype_parse,
 * parse_count and parse_seconds on arbitrary strings. Besides the
 * sanitizers' checks, each answer must keep its promise: a parsed MAC
 * prints back to the same bytes, an ethertype is a real type (or 'any'
 * when allowed), a count lies in its range, seconds are finite and within
 * SECONDS_MAX; a refusal always comes with a reason.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "num.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_parse: %s: '%s'\n", what, text);
	abort();
}

static void
check_mac(const char *text)
{
	uint8_t mac[MAC_LEN], again[MAC_LEN];
	char out[MAC_TEXT_LEN];

	if (mac_parse(text, mac) < 0)
		return;
	if (strlen(text) != 17)
		fail("mac_parse took a string not 17 bytes long", text);
	mac_format(mac, out);
	if (strlen(out) != 17 || mac_parse(out, again) < 0 ||
	    memcmp(mac, again, MAC_LEN) != 0)
		fail("mac_format does not parse back to the same MAC", text);
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? out[i] != ':' : (out[i] != text[i] &&
		    out[i] != (text[i] | 0x20)))
			fail("mac_format is not the lowercase of the input",
			    text);
}

static void
check_ethertype(const char *text)
{
	for (int any = 0; any < 2; any++) {
		const char *why = NULL;
		uint16_t type;

		if (ethertype_parse(text, any, &type, &why) < 0) {
			if (why == NULL || why[0] == '\0')
				fail("ethertype refused without a reason",
				    text);
			continue;
		}
		if (type == ETHERTYPE_ANY && !any)
			fail("'any' taken where it is not allowed", text);
		if (type != ETHERTYPE_ANY && type < ETHERTYPE_MIN)
			fail("an 802.3 length taken as an ethertype", text);
	}
}

static void
check_count(const char *text)
{
	static const long long bounds[][2] = {
		{ 1, 1000000000000LL }, { 0, 4094 }, { 0, 7 }, { 1, 1 },
	};

	for (size_t i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		const char *why = NULL;
		long long v;

		if (parse_count(text, bounds[i][0], bounds[i][1], &v,
		    &why) < 0) {
			if (why == NULL || why[0] == '\0')
				fail("count refused without a reason", text);
			continue;
		}
		if (v < bounds[i][0] || v > bounds[i][1])
			fail("count outside its range", text);
		if (text[0] < '0' || text[0] > '9')
			fail("count taken without a leading digit", text);
	}
}

static void
check_seconds(const char *text)
{
	const char *why = NULL;
	struct timespec ts;
	double s;

	if (parse_seconds(text, &s, &why) < 0) {
		if (why == NULL || why[0] == '\0')
			fail("seconds refused without a reason", text);
		return;
	}
	if (!isfinite(s) || s < 0 || s > SECONDS_MAX)
		fail("seconds not finite, negative or too large", text);
	ts = timespec_from_seconds(s);
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
		fail("timespec_from_seconds out of range", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';	/* what argv gives: up to the first NUL */
	check_mac(text);
	check_ethertype(text);
	check_count(text);
	check_seconds(text);
	free(text);
	return 0;
}
