/*
 * Unit tests for stations.c: arpwatch's classes over a sequence of claims
 * (the MAC history, the conflict window, probes, keys by interface and
 * VLAN), the state file's round trip, its refusals by line, and the table's
 * limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stations.h"
#include "unit.h"

#define S	1000000000ULL

static const uint8_t A[6] = { 2, 0, 0, 0, 0, 0xa }, B[6] = { 2, 0, 0, 0, 0, 0xb },
    C[6] = { 2, 0, 0, 0, 0, 0xc }, D[6] = { 2, 0, 0, 0, 0, 0xd };

/* The class of the event ip@mac at t makes, or "-" for none. */
static const char *
claim(struct stations *t, uint32_t ip, const uint8_t *mac, uint64_t when,
    bool probe, int vlan)
{
	struct claim c = { .iface = "va", .vlan = vlan, .ip = ip, .mac = mac,
	    .probe = probe, .ts_ns = when };
	struct st_event ev;

	return stations_claim(t, &c, &ev) ? st_class_name(ev.cls) : "-";
}

static int
load(struct stations *t, const char *text, size_t *line, const char **why)
{
	return stations_load(t, text, strlen(text), line, why);
}

int
main(void)
{
	struct stations t;
	size_t line;
	const char *why;
	char buf[STATE_LINE_MAX + 64], ev[ST_TEXT_MAX];
	struct claim c = { .iface = "va", .vlan = -1, .ip = 7, .mac = B,
	    .ts_ns = 500 * S };
	struct st_event e;

	stations_init(&t, 0);
	CHECK_STR(claim(&t, 1, A, 100 * S, false, -1), "new", "first: new");
	CHECK_STR(claim(&t, 1, A, 101 * S, false, -1), "-", "same: nothing");
	CHECK_STR(claim(&t, 1, B, 102 * S, false, -1), "changed", "changed");
	CHECK_STR(claim(&t, 1, A, 103 * S, false, -1), "flip-flop",
	    "back to the one before: flip-flop");
	CHECK_STR(claim(&t, 1, C, 104 * S, false, -1), "changed", "changed");
	CHECK_STR(claim(&t, 1, B, 105 * S, false, -1), "reused",
	    "an older one: reused");
	CHECK_STR(claim(&t, 1, D, 106 * S, true, -1), "conflict",
	    "a probe for it: conflict");
	CHECK_STR(claim(&t, 1, B, 107 * S, true, -1), "-",
	    "the owner's own probe: nothing");
	CHECK_STR(claim(&t, 2, D, 107 * S, true, -1), "-",
	    "a probe for a free address: nothing");
	CHECK_STR(claim(&t, 1, A, 108 * S, false, 5), "new",
	    "another VLAN: another station");
	CHECK(t.n == 2, "two stations");
	CHECK(t.counts[ST_NEW] == 2 && t.counts[ST_CHANGED] == 2 &&
	    t.counts[ST_FLIPFLOP] == 1 && t.counts[ST_REUSED] == 1 &&
	    t.counts[ST_CONFLICT] == 1, "counts by class");
	buf[station_format(buf, &t.v[0])] = '\0';
	CHECK_STR(buf, "0.0.0.1 02:00:00:00:00:0b va - 100 105 105 "
	    "02:00:00:00:00:0c 02:00:00:00:00:0a\n", "the state line");
	c.bogon = true;
	CHECK(stations_claim(&t, &c, &e) && e.cls == ST_BOGON, "bogon");
	ev[st_event_line(ev, &e)] = '\0';
	CHECK_STR(ev, "bogon 0.0.0.7 02:00:00:00:00:0b on va\n",
	    "a bogon's line");
	stations_free(&t);

	stations_init(&t, 10 * S);
	claim(&t, 1, A, 100 * S, false, -1);
	CHECK_STR(claim(&t, 1, B, 109 * S, false, -1), "conflict",
	    "within the window: conflict");
	CHECK_STR(claim(&t, 1, A, 120 * S, false, -1), "flip-flop",
	    "after it: flip-flop");
	stations_free(&t);

	stations_init(&t, 0);
	CHECK(load(&t, STATE_HEADER "\n# c\n\n1.2.3.4 02:00:00:00:00:0a va 5 "
	    "1 3 2 02:00:00:00:00:0b\n", &line, &why) == 0 && t.n == 1 &&
	    t.v[0].vlan == 5 && t.v[0].nmacs == 2, "a good file");
	buf[station_format(buf, &t.v[0])] = '\0';
	CHECK_STR(buf, "1.2.3.4 02:00:00:00:00:0a va 5 1 3 2 "
	    "02:00:00:00:00:0b\n", "written back as read");
	CHECK_STR(claim(&t, 0x01020304, B, 4 * S, false, 5), "flip-flop",
	    "the loaded history counts");
	stations_free(&t);

	stations_init(&t, 0);
	CHECK(load(&t, STATE_HEADER "\n1.2.3.4 02:00:00:00:00:0a va - 1 3 2\n"
	    "01.2.3.4 02:00:00:00:00:0a va - 1 3 2\n", &line, &why) < 0 &&
	    line == 3 && strcmp(why, "bad IPv4 address") == 0,
	    "a leading zero: refused on its line");
	stations_free(&t);
	stations_init(&t, 0);
	CHECK(load(&t, STATE_HEADER "\n1.2.3.4 02:00:00:00:00:0a va - "
	    "1 3 2 02:00:00:00:00:01 02:00:00:00:00:02 02:00:00:00:00:03 "
	    "02:00:00:00:00:04\n", &line, &why) < 0 && line == 2,
	    "more than three old MACs: refused");
	stations_free(&t);
	stations_init(&t, 0);
	CHECK(load(&t, STATE_HEADER "\n1.2.3.4 02:00:00:00:00:0a va - "
	    "10000000000 10000000000 10000000000\n", &line, &why) < 0 &&
	    strcmp(why, "bad time (Unix seconds)") == 0,
	    "a time past 2286: refused");
	stations_free(&t);

	/* The limit: one more station is left out, and said so. */
	stations_init(&t, 0);
	for (uint32_t ip = 0; ip <= STATIONS_MAX; ip++)
		claim(&t, ip, A, S, false, -1);
	CHECK(t.n == STATIONS_MAX && t.full, "at most STATIONS_MAX stations");
	stations_free(&t);

	return unit_done();
}
