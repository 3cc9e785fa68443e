#include <string.h>

#include "guard.h"

/* FNV-1a: fast, and a collision only costs one unanswered frame. */
static uint64_t
payload_hash(const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
guard_init(struct guard *g, double window)
{
	memset(g, 0, sizeof(*g));
	g->window_ns = (uint64_t)(window * 1e9);
}

static bool
fresh(const struct guard *g, const struct guard_slot *s, uint64_t now_ns)
{
	return s->used && now_ns - s->when_ns <= g->window_ns;
}

void
guard_note(struct guard *g, const uint8_t dst[MAC_LEN],
    const uint8_t *payload, size_t len, uint64_t now_ns)
{
	uint64_t h;
	struct guard_slot *b, *victim;

	if (g->window_ns == 0)
		return;
	h = payload_hash(payload, len);
	b = g->slot[h & (GUARD_BUCKETS - 1)];
	victim = &b[0];
	for (int i = 0; i < GUARD_WAYS; i++) {
		struct guard_slot *s = &b[i];

		/* The same payload to the same peer again: refresh it. */
		if (s->used && s->hash == h && s->len == len &&
		    memcmp(s->dst, dst, MAC_LEN) == 0) {
			victim = s;
			break;
		}
		/* Otherwise the free, stale or oldest slot makes room. */
		if (!fresh(g, s, now_ns)) {
			if (fresh(g, victim, now_ns))
				victim = s;
		} else if (fresh(g, victim, now_ns) &&
		    s->when_ns < victim->when_ns)
			victim = s;
	}
	victim->used = true;
	victim->hash = h;
	victim->len = (uint32_t)len;
	victim->when_ns = now_ns;
	memcpy(victim->dst, dst, MAC_LEN);
}

bool
guard_is_echo(const struct guard *g, const uint8_t dst[MAC_LEN],
    const uint8_t src[MAC_LEN], const uint8_t *payload, size_t len,
    uint64_t now_ns)
{
	const struct guard_slot *b;
	uint64_t h;

	/* No reply is ever sent to a group address. */
	if (g->window_ns == 0 || mac_is_group(dst))
		return false;
	h = payload_hash(payload, len);
	b = g->slot[h & (GUARD_BUCKETS - 1)];
	for (int i = 0; i < GUARD_WAYS; i++) {
		const struct guard_slot *s = &b[i];

		if (fresh(g, s, now_ns) && s->hash == h && s->len == len &&
		    (memcmp(s->dst, src, MAC_LEN) == 0 || mac_is_group(s->dst)))
			return true;
	}
	return false;
}
