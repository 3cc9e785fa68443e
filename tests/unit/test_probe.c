/* Unit tests for probe.c: rawping's payload and reply matching. */
#include <stdint.h>
#include <stdlib.h>

#include "probe.h"
#include "unit.h"

#define MS	1000000ULL

int
main(void)
{
	struct probe_book *b = malloc(sizeof(*b));
	const struct probe_slot *slot;
	struct probe p = { 0xdeadbeef, 7, 0x0102030405060708ULL }, q;
	uint8_t buf[64], want[24] = {
		'r', 'w', 'p', 'g', 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 7,
		0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 };

	probe_build(buf, 46, &p);
	CHECK_MEM(buf, 24, want, 24, "header layout, big-endian");
	CHECK(buf[24] == 24 && buf[45] == 45, "filler is the offset");
	CHECK(probe_parse(buf, 46, 46, &q) == 0 && q.id == p.id &&
	    q.seq == p.seq && q.sent_ns == p.sent_ns, "parse round trip");
	memset(buf + 46, 0, 14);
	CHECK(probe_parse(buf, 60, 46, &q) == 0, "NIC padding accepted");
	CHECK(probe_parse(buf, 45, 46, &q) < 0, "short reply refused");
	buf[30] ^= 0x20;
	CHECK(probe_parse(buf, 46, 46, &q) < 0, "changed filler refused");
	buf[30] ^= 0x20;
	buf[0] = 'R';
	CHECK(probe_parse(buf, 46, 46, &q) < 0, "bad magic refused");
	CHECK(probe_parse(buf, 20, 20, &q) < 0, "below the header refused");

	probe_book_init(b, 42, 1.0);
	CHECK(b->next_seq == 1, "seq starts at 1");
	probe_book_sent(b, 1000 * MS, 5000 * MS);	/* seq 1 */
	probe_book_sent(b, 2000 * MS, 6000 * MS);	/* seq 2 */
	probe_book_sent(b, 3000 * MS, 7000 * MS);	/* seq 3 */

	/* Transmit stamps go to their request, none to a seq not sent. */
	probe_book_stamp(b, 1, 5000 * MS + 7);
	probe_book_stamp(b, 4, 1);
	probe_book_stamp(b, 0, 1);
	CHECK(b->slot[1].tx_ns == 5000 * MS + 7 && b->slot[2].tx_ns == 0 &&
	    b->slot[4].tx_ns == 0 && b->slot[0].tx_ns == 0,
	    "transmit stamp kept for its request only");
	q = (struct probe){ 42, 1, 1000 * MS };
	CHECK(probe_book_match(b, &q, 1000 * MS + 50, &slot) == PROBE_REPLY &&
	    slot != NULL && slot->real_ns == 5000 * MS, "reply matched");
	CHECK(probe_book_match(b, &q, 1000 * MS + 90, &slot) == PROBE_DUP,
	    "second reply: duplicate");
	q = (struct probe){ 43, 2, 2000 * MS };
	CHECK(probe_book_match(b, &q, 2001 * MS, &slot) == PROBE_FOREIGN,
	    "another id: foreign");
	q = (struct probe){ 42, 4, 2000 * MS };
	CHECK(probe_book_match(b, &q, 2001 * MS, &slot) == PROBE_FOREIGN,
	    "a seq never sent: foreign");
	q = (struct probe){ 42, 0, 2000 * MS };
	CHECK(probe_book_match(b, &q, 2001 * MS, &slot) == PROBE_FOREIGN,
	    "seq 0: foreign");
	q = (struct probe){ 42, 2, 2000 * MS + 1 };
	CHECK(probe_book_match(b, &q, 2001 * MS, &slot) == PROBE_FOREIGN,
	    "wrong send time: foreign");
	q = (struct probe){ 42, 2, 2000 * MS };
	CHECK(probe_book_match(b, &q, 3001 * MS, &slot) == PROBE_LATE,
	    "after the wait: late");
	CHECK(probe_book_match(b, &q, 3002 * MS, &slot) == PROBE_LATE,
	    "late stays late");
	q = (struct probe){ 42, 3, 3000 * MS };
	CHECK(probe_book_match(b, &q, 4000 * MS, &slot) == PROBE_REPLY,
	    "exactly at the wait: in time");

	/* Past the window, an old seq's record is gone. */
	for (int i = 0; i < PROBE_WINDOW; i++)
		probe_book_sent(b, 5000 * MS + (uint64_t)i, 0);
	q = (struct probe){ 42, 3, 3000 * MS };
	CHECK(probe_book_match(b, &q, 6000 * MS, &slot) == PROBE_LATE &&
	    slot == NULL, "untracked old seq: late");
	free(b);
	return unit_done();
}
