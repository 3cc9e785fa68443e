/* Unit tests for guard.c: what rawecho takes for an echo of a reply. */
#include <stdint.h>
#include <stdlib.h>

#include "guard.h"
#include "unit.h"

#define S	1000000000ULL	/* one second in ns */

static const uint8_t us[MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t peer[MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t other[MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t mcast[MAC_LEN] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e };

static int
echo(const struct guard *g, const uint8_t *dst, const uint8_t *src,
    const char *payload, uint64_t now)
{
	return guard_is_echo(g, dst, src, (const uint8_t *)payload,
	    strlen(payload), now);
}

static void
note(struct guard *g, const uint8_t *dst, const char *payload, uint64_t now)
{
	guard_note(g, dst, (const uint8_t *)payload, strlen(payload), now);
}

int
main(void)
{
	struct guard *g = malloc(sizeof(*g));
	char buf[32];

	guard_init(g, 1);
	CHECK(!echo(g, us, peer, "Boo", 10 * S), "nothing sent: no echo");
	note(g, peer, "Boo", 10 * S);
	CHECK(echo(g, us, peer, "Boo", 10 * S + 1000), "our reply, back "
	    "unicast from its receiver: an echo");
	CHECK(!echo(g, mac_broadcast, peer, "Boo", 10 * S + 1000),
	    "broadcast is never an echo (rawsend -c 10 Boo)");
	CHECK(!echo(g, mcast, peer, "Boo", 10 * S + 1000),
	    "multicast is never an echo");
	CHECK(!echo(g, us, other, "Boo", 10 * S + 1000),
	    "same payload from another MAC: not an echo");
	CHECK(!echo(g, us, peer, "Boo!", 10 * S + 1000),
	    "another payload: not an echo");
	CHECK(!echo(g, us, peer, "Bo", 10 * S + 1000),
	    "a prefix: not an echo");
	CHECK(echo(g, us, peer, "Boo", 11 * S), "at the window's end: echo");
	CHECK(!echo(g, us, peer, "Boo", 11 * S + 1), "past the window: not");

	/* A frame this host broadcast comes back from anyone. */
	note(g, mac_broadcast, "hello", 20 * S);
	CHECK(echo(g, us, peer, "hello", 20 * S + 5), "reply to a broadcast "
	    "we sent: an echo");
	CHECK(echo(g, us, other, "hello", 20 * S + 5), "from any MAC");

	/* Refreshing keeps an echo recognised. */
	note(g, peer, "again", 30 * S);
	note(g, peer, "again", 30 * S + S / 2);
	CHECK(echo(g, us, peer, "again", 31 * S + S / 4), "refreshed");

	/* Many payloads: each bucket keeps the newest. */
	for (int i = 0; i < 100000; i++) {
		snprintf(buf, sizeof(buf), "p%d", i);
		note(g, peer, buf, 40 * S + (uint64_t)i);
	}
	CHECK(echo(g, us, peer, "p99999", 40 * S + 100000), "newest kept");
	CHECK(!echo(g, us, peer, "never", 40 * S + 100000), "unknown not");

	guard_init(g, 0);
	note(g, peer, "Boo", 50 * S);
	CHECK(!echo(g, us, peer, "Boo", 50 * S), "--guard 0 turns it off");

	CHECK(mac_is_group(mac_broadcast) && mac_is_group(mcast) &&
	    !mac_is_group(peer), "group addresses");
	free(g);
	return unit_done();
}
