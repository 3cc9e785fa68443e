/*
 * make bench's JSON microbenchmark: the cost of one frame through the JSON
 * writer (print_json, as rawrecv -o json and rawecho --pipe write a frame)
 * and through the reader (jsonframe_decode, as rawsend --json and rawecho
 * --pipe read one), for a 64-byte frame as rawrecv would see it on vb.
 * Timed with CLOCK_MONOTONIC over LOOPS calls each, after a check that the
 * line reads back to the same bytes.
 *
 * usage: jsonbench [LOOPS]	(default 2000000)
 * prints: json format_ns=X parse_ns=Y loops=N line_bytes=L
 */
#include <linux/if_packet.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "jsonframe.h"

#define FRAME_LEN	64
#define OUTMAX		(1500 + JSONFRAME_HDR_MAX)

static const struct jsonframe_defaults defaults = {
	.dst = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	.need_dst = true,
	.src = { 0x02, 0, 0, 0, 0, 0x0a },
	.type = 0xeefa, .vlan_tci = -1, .vlan_tpid = 0x8100,
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* bench.sh's broadcast test frame: ethertype 0xEEFA, payload of 'x'. */
static void
make_frame(uint8_t *f)
{
	static const uint8_t hdr[14] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0xee, 0xfa };

	memcpy(f, hdr, sizeof(hdr));
	memset(f + sizeof(hdr), 'x', FRAME_LEN - sizeof(hdr));
}

int
main(int argc, char *argv[])
{
	static uint8_t frame[FRAME_LEN], out[OUTMAX];
	struct frame_meta m = { .has_ts = true, .ts_ns = 1764640000123456789ULL,
	    .iface = "vb", .pkttype = PACKET_BROADCAST, .wirelen = FRAME_LEN };
	long long loops = 2000000;
	volatile size_t sink = 0;	/* keeps the loops from being elided */
	const char *errstr, *why = NULL;
	double t0, fmt, parse;
	char *line;
	size_t n;

	if (argc > 2)
		errx(2, "usage: jsonbench [LOOPS]");
	if (argc == 2) {
		loops = strtonum(argv[1], 1, 1000000000, &errstr);
		if (errstr != NULL)
			errx(2, "loops is %s: %s", errstr, argv[1]);
	}
	make_frame(frame);
	if ((line = malloc(print_json_max(FRAME_LEN, strlen(m.iface)))) == NULL)
		err(2, "malloc");
	n = print_json(line, &m, frame, FRAME_LEN);
	/* The reader takes a line without its newline. */
	if (jsonframe_decode(&defaults, line, n - 1, out, sizeof(out), &why) !=
	    FRAME_LEN || memcmp(out, frame, FRAME_LEN) != 0)
		errx(1, "the line does not read back: %s", why ? why : "bytes");

	t0 = now_ns();
	for (long long i = 0; i < loops; i++)
		sink += print_json(line, &m, frame, FRAME_LEN);
	fmt = (now_ns() - t0) / (double)loops;

	t0 = now_ns();
	for (long long i = 0; i < loops; i++)
		sink += (size_t)jsonframe_decode(&defaults, line, n - 1, out,
		    sizeof(out), &why);
	parse = (now_ns() - t0) / (double)loops;

	printf("json format_ns=%.1f parse_ns=%.1f loops=%lld line_bytes=%zu\n",
	    fmt, parse, loops, n);
	free(line);
	return sink == 0;
}
