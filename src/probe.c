#include <string.h>

#include "probe.h"

static const uint8_t magic[4] = { 'r', 'w', 'p', 'g' };

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
probe_build(uint8_t *buf, size_t len, const struct probe *p)
{
	memcpy(buf, magic, sizeof(magic));
	put32(buf + 4, p->id);
	put32(buf + 8, p->seq);
	put32(buf + 12, 0);
	put32(buf + 16, (uint32_t)(p->sent_ns >> 32));
	put32(buf + 20, (uint32_t)p->sent_ns);
	for (size_t i = PROBE_HDR_LEN; i < len; i++)
		buf[i] = (uint8_t)i;
}

int
probe_parse(const uint8_t *buf, size_t buflen, size_t len, struct probe *p)
{
	if (len < PROBE_HDR_LEN || buflen < len ||
	    memcmp(buf, magic, sizeof(magic)) != 0 || get32(buf + 12) != 0)
		return -1;
	/* The filler proves the payload came back unchanged. */
	for (size_t i = PROBE_HDR_LEN; i < len; i++)
		if (buf[i] != (uint8_t)i)
			return -1;
	p->id = get32(buf + 4);
	p->seq = get32(buf + 8);
	p->sent_ns = (uint64_t)get32(buf + 16) << 32 | get32(buf + 20);
	return 0;
}

void
probe_book_init(struct probe_book *b, uint32_t id, double wait)
{
	memset(b, 0, sizeof(*b));
	b->id = id;
	b->next_seq = 1;
	b->wait_ns = (uint64_t)(wait * 1e9);
}

void
probe_book_sent(struct probe_book *b, uint64_t mono_ns, uint64_t real_ns)
{
	struct probe_slot *s = &b->slot[b->next_seq & (PROBE_WINDOW - 1)];

	s->seq = b->next_seq++;
	s->used = true;
	s->answered = false;
	s->mono_ns = mono_ns;
	s->real_ns = real_ns;
	s->tx_ns = 0;
}

void
probe_book_stamp(struct probe_book *b, uint32_t seq, uint64_t tx_ns)
{
	struct probe_slot *s = &b->slot[seq & (PROBE_WINDOW - 1)];

	if (s->used && s->seq == seq && seq != 0 && seq < b->next_seq)
		s->tx_ns = tx_ns;
}

enum probe_verdict
probe_book_match(struct probe_book *b, const struct probe *p,
    uint64_t now_ns, const struct probe_slot **slot)
{
	struct probe_slot *s;

	*slot = NULL;
	/* Another sender's id, or a seq we never sent (seq 0 never is). */
	if (p->id != b->id || p->seq == 0 || p->seq >= b->next_seq)
		return PROBE_FOREIGN;
	s = &b->slot[p->seq & (PROBE_WINDOW - 1)];
	if (!s->used || s->seq != p->seq)
		return PROBE_LATE;	/* its record was reused long ago */
	/* A forged or mangled time cannot pass for one of ours. */
	if (p->sent_ns != s->mono_ns)
		return PROBE_FOREIGN;
	*slot = s;
	if (s->answered)
		return PROBE_DUP;
	if (now_ns - s->mono_ns > b->wait_ns)
		return PROBE_LATE;
	s->answered = true;
	return PROBE_REPLY;
}
