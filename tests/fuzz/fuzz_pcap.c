/*
 * libFuzzer harness for pcapfile.c: arbitrary bytes as a pcap file. The
 * pure parsers run on the first bytes; then the reader goes through the
 * whole file from a memfd. Each frame it hands over must lie inside its
 * buffer, within the snapshot length, with wirelen >= caplen; an error
 * must name its reason. The frames read are written again with
 * pcap_write_record and read back: the same frames, times and lengths.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "out.h"
#include "pcapfile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES	4096

struct copy {
	uint64_t	 ts_ns;
	uint32_t	 caplen, wirelen;
	uint8_t		*frame;
};

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_pcap: %s\n", what);
	abort();
}

/* One reusable memfd per use, emptied and refilled. */
static int
memfd_with(int *fd, const uint8_t *data, size_t size)
{
	if (*fd < 0 && (*fd = memfd_create("fuzz_pcap", 0)) < 0)
		fail("memfd_create");
	if (ftruncate(*fd, 0) < 0 || (size > 0 && pwrite(*fd, data, size, 0)
	    != (ssize_t)size) || lseek(*fd, 0, SEEK_SET) != 0)
		fail("memfd write");
	return *fd;
}

static void
check_parsers(const uint8_t *data, size_t size)
{
	struct pcap_info info;
	struct pcap_rec rec;
	const char *why = NULL;

	if (pcap_parse_header(data, size, &info, &why) < 0) {
		if (why == NULL || why[0] == '\0')
			fail("header refused without a reason");
		return;
	}
	if (size < PCAP_HDR_LEN || info.linktype != PCAP_LINKTYPE_ETHERNET)
		fail("header taken when short or not Ethernet");
	if (size < PCAP_HDR_LEN + PCAP_REC_LEN)
		return;
	if (pcap_parse_record(data + PCAP_HDR_LEN, &info, &rec, &why) < 0) {
		if (why == NULL || why[0] == '\0')
			fail("record refused without a reason");
		return;
	}
	if (rec.caplen > PCAP_SNAPLEN || rec.wirelen < rec.caplen)
		fail("record lengths out of bounds");
}

/* Reads fd to its end or first error; the frames in c[], their count. */
static int
read_all(int fd, struct copy *c, size_t *n, unsigned long long *records)
{
	struct pcap_reader r;
	struct pcap_rec rec;
	const uint8_t *frame;
	const char *why = NULL;
	int rc;

	*n = 0;
	*records = 0;
	if (pcap_reader_open(&r, fd, &why) < 0) {
		if (why == NULL || why[0] == '\0')
			fail("open refused without a reason");
		pcap_reader_close(&r);
		return -1;
	}
	while ((rc = pcap_reader_next(&r, &rec, &frame, &why)) > 0) {
		if (frame < r.buf || frame + rec.caplen > r.buf + r.end)
			fail("frame outside the reader's buffer");
		if (rec.caplen > PCAP_SNAPLEN || rec.wirelen < rec.caplen)
			fail("frame lengths out of bounds");
		if (*n < MAX_FRAMES) {
			c[*n] = (struct copy){ rec.ts_ns, rec.caplen,
			    rec.wirelen, malloc(rec.caplen + 1) };
			memcpy(c[*n].frame, frame, rec.caplen);
			(*n)++;
		}
	}
	if (rc < 0 && (why == NULL || why[0] == '\0'))
		fail("record refused without a reason");
	*records = r.records;
	pcap_reader_close(&r);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int in = -1, again = -1;
	static struct copy c[MAX_FRAMES], d[MAX_FRAMES];
	size_t n = 0, m = 0;
	unsigned long long records, records2;
	struct out o;

	check_parsers(data, size);
	if (read_all(memfd_with(&in, data, size), c, &n, &records) < 0 &&
	    records == 0 && n == 0)
		return 0;
	if (records != n && n < MAX_FRAMES)
		fail("record count differs from the frames handed over");

	/* What was read, written by us and read again, is the same. */
	memfd_with(&again, NULL, 0);
	out_init(&o, again, 65536);
	pcap_write_header(&o);
	for (size_t i = 0; i < n; i++)
		pcap_write_record(&o, c[i].ts_ns, c[i].frame, c[i].caplen,
		    c[i].wirelen);
	out_flush(&o);
	out_free(&o);
	lseek(again, 0, SEEK_SET);
	if (read_all(again, d, &m, &records2) != 0 || m != n)
		fail("our own file does not read back whole");
	for (size_t i = 0; i < n; i++) {
		if (d[i].caplen != c[i].caplen ||
		    d[i].wirelen != c[i].wirelen ||
		    d[i].ts_ns != c[i].ts_ns ||
		    memcmp(d[i].frame, c[i].frame, c[i].caplen) != 0)
			fail("a frame changed on the way through our writer");
		free(c[i].frame);
		free(d[i].frame);
	}
	return 0;
}
