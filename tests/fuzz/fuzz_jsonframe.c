/*
 * libFuzzer harness for jsonframe.c, the JSON reader that takes lines
 * from standard input (rawsend --json) and from a handler (rawecho
 * --pipe). The first byte picks the room for the frame, the rest is one
 * line. A line is either refused with a reason, or becomes a frame within
 * the room whose JSON, written by print_json, reads back to the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonframe.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_jsonframe: %s\n", what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct jsonframe_defaults d = {
		.dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		.src = { 2, 0, 0, 0, 0, 1 }, .type = 0xeefa, .vlan_tci = -1,
		.vlan_tpid = 0x8100,
	};
	struct frame_meta m = { .pkttype = -1 };
	size_t outmax;
	uint8_t *out, *again;
	const char *why = NULL;
	char *text;
	long n, k;

	if (size < 1)
		return 0;
	outmax = JSONFRAME_HDR_MAX + data[0] * 8u;
	out = malloc(outmax);
	if ((n = jsonframe_decode(&d, (const char *)data + 1, size - 1, out,
	    outmax, &why)) < 0) {
		if (why == NULL || why[0] == '\0')
			fail("refused without a reason");
		free(out);
		return 0;
	}
	if ((size_t)n > outmax || n < FRAME_HDR_LEN)
		fail("a frame outside its room");
	/* A tag cut short: rawrecv writes null for what is missing. */
	if (n < JSONFRAME_HDR_MAX && (frame_type(out) == 0x8100 ||
	    frame_type(out) == 0x88a8)) {
		free(out);
		return 0;
	}
	m.wirelen = (size_t)n;
	text = malloc(print_json_max((size_t)n, 0));
	k = (long)print_json(text, &m, out, (size_t)n);
	again = malloc(outmax);
	if (jsonframe_decode(&d, text, (size_t)k - 1, again, outmax, &why) !=
	    n || memcmp(again, out, (size_t)n) != 0)
		fail("print_json's text does not read back to the frame");
	free(again);
	free(text);
	free(out);
	return 0;
}
