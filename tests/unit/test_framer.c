/* Unit tests for framer.c: frames built from records as rawsend sends
 * them, and the MTU as the kernel counts it. */
#include <string.h>

#include "framer.h"
#include "unit.h"

static const uint8_t dst[MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t src[MAC_LEN] = { 2, 0, 0, 0, 0, 0x0a };

/* Joins the parts, as the queue copies them. */
static size_t
join(const struct iovec *parts, int n, uint8_t *out)
{
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		memcpy(out + len, parts[i].iov_base, parts[i].iov_len);
		len += parts[i].iov_len;
	}
	return len;
}

int
main(void)
{
	struct framer f;
	struct iovec parts[FRAMER_PARTS];
	uint8_t out[2000], rec[1600];
	static const uint8_t boo[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0x0a,
		0xee, 0xfa, 'B', 'o', 'o',
	};
	static const uint8_t tagged[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0x0a,
		0x81, 0x00, 0x60, 0x05, 0x08, 0x06, 'h', 'i',
	};
	int n;

	framer_init(&f, dst, src, 0xeefa, -1, false, PAD_TAGGED, 1500);
	n = framer_build(&f, (const uint8_t *)"Boo", 3, parts);
	CHECK(n > 0, "a payload makes a frame");
	CHECK_MEM(out, join(parts, n, out), boo, sizeof(boo),
	    "header, then the payload, nothing else");
	CHECK(framer_maxrec(&f) == 1500, "a payload may be the MTU");

	framer_init(&f, dst, src, 0x0806, 3 << 13 | 5, false, PAD_NONE, 1500);
	n = framer_build(&f, (const uint8_t *)"hi", 2, parts);
	CHECK_MEM(out, join(parts, n, out), tagged, sizeof(tagged),
	    "--vlan 5:3 --no-pad: the tag between the MACs and the ethertype");
	framer_init(&f, dst, src, 0x0806, 3 << 13 | 5, false, PAD_TAGGED, 1500);
	n = framer_build(&f, (const uint8_t *)"hi", 2, parts);
	CHECK(join(parts, n, out) == ETH_MIN_TAGGED && out[63] == 0 &&
	    memcmp(out, tagged, sizeof(tagged)) == 0,
	    "a tagged frame is padded to 64 bytes by default");
	framer_init(&f, dst, src, 0x0806, -1, false, PAD_TAGGED, 1500);
	framer_tag(&f, 0x88a8, 5);
	n = framer_build(&f, (const uint8_t *)"hi", 2, parts);
	CHECK(join(parts, n, out) == ETH_MIN_TAGGED && out[12] == 0x88 &&
	    out[13] == 0xa8 && out[15] == 5 && out[16] == 0x08,
	    "framer_tag: an 802.1ad tag, padded the same");
	CHECK(framer_padding(0, false, PAD_TAGGED) == 0 &&
	    framer_padding(63, true, PAD_TAGGED) == 1 &&
	    framer_padding(64, true, PAD_ALL) == 0 &&
	    framer_padding(20, true, PAD_NONE) == 0 &&
	    framer_padding(59, false, PAD_ALL) == 1,
	    "the padding rule: tagged to 64, untagged only with --pad");

	framer_init(&f, dst, src, 0xeefa, -1, false, PAD_ALL, 1500);
	n = framer_build(&f, (const uint8_t *)"Boo", 3, parts);
	CHECK(join(parts, n, out) == ETH_MIN_FRAME && out[59] == 0 &&
	    memcmp(out, boo, sizeof(boo)) == 0, "--pad: 60 bytes, zeros");

	framer_init(&f, dst, src, 0xeefa, -1, true, PAD_TAGGED, 1500);
	CHECK(framer_build(&f, boo, 13, parts) == FRAMER_SHORT,
	    "a whole frame shorter than a header is refused");
	n = framer_build(&f, boo, sizeof(boo), parts);
	CHECK_MEM(out, join(parts, n, out), boo, sizeof(boo),
	    "a whole frame goes as it is");
	memset(rec, 0, sizeof(rec));
	memcpy(rec, boo, FRAME_HDR_LEN);
	CHECK(framer_build(&f, rec, 1514, parts) > 0 &&
	    framer_build(&f, rec, 1515, parts) == FRAMER_BIG,
	    "a whole untagged frame: at most the MTU after its header");
	rec[12] = 0x81;
	rec[13] = 0x00;
	CHECK(framer_build(&f, rec, 1518, parts) > 0 &&
	    framer_build(&f, rec, 1519, parts) == FRAMER_BIG,
	    "a whole tagged frame: 4 bytes more, as the kernel allows");

	framer_init(&f, dst, src, 0xeefa, 7, true, PAD_TAGGED, 1500);
	memcpy(rec, boo, FRAME_HDR_LEN);
	n = framer_build(&f, rec, 1514, parts);
	CHECK(n > 0 && join(parts, n, out) == 1518 && out[12] == 0x81 &&
	    out[15] == 7 && out[16] == 0xee,
	    "--frame --vlan: the tag goes in after the MACs");
	CHECK(framer_build(&f, rec, 1515, parts) == FRAMER_BIG,
	    "and counts against the MTU");
	CHECK(framer_maxframe(&f) >= 1500 + FRAME_HDR_LEN + 8,
	    "room for the longest frame built");
	return unit_done();
}
