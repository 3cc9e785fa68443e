/*
 * Unit tests for pcapfile.c: the header and record parsers for every magic
 * number and byte order, the writer read back by the reader (from a memfd
 * and from a pipe fed a byte at a time), and a clear error, never a crash,
 * for a file cut at any byte.
 */
#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "out.h"
#include "pcapfile.h"
#include "unit.h"

static void
put32(uint8_t *p, uint32_t v, bool big)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (big ? 24 - 8 * i : 8 * i));
}

static void
put16(uint8_t *p, uint16_t v, bool big)
{
	p[0] = (uint8_t)(big ? v >> 8 : v);
	p[1] = (uint8_t)(big ? v : v >> 8);
}

/* A file header as libpcap writes it on a machine of either byte order. */
static void
header(uint8_t *h, uint32_t magic, bool big, uint32_t snaplen,
    uint32_t linktype)
{
	put32(h, magic, big);
	put16(h + 4, 2, big);
	put16(h + 6, 4, big);
	put32(h + 8, 0, big);
	put32(h + 12, 0, big);
	put32(h + 16, snaplen, big);
	put32(h + 20, linktype, big);
}

static void
record(uint8_t *r, bool big, uint32_t sec, uint32_t frac, uint32_t caplen,
    uint32_t wirelen)
{
	put32(r, sec, big);
	put32(r + 4, frac, big);
	put32(r + 8, caplen, big);
	put32(r + 12, wirelen, big);
}

static void
test_headers(void)
{
	static const struct {
		uint32_t magic;
		bool big, nsec;
		const char *name;
	} m[] = {
		{ 0xa1b2c3d4, false, false, "little-endian microseconds" },
		{ 0xa1b2c3d4, true, false, "big-endian microseconds" },
		{ 0xa1b23c4d, false, true, "little-endian nanoseconds" },
		{ 0xa1b23c4d, true, true, "big-endian nanoseconds" },
	};
	bool host_big = htobe32(1) == 1;
	uint8_t h[PCAP_HDR_LEN], r[PCAP_REC_LEN];
	struct pcap_info info;
	struct pcap_rec rec;
	const char *why;
	char name[128];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		header(h, m[i].magic, m[i].big, 65535, 1);
		snprintf(name, sizeof(name), "header: %s", m[i].name);
		CHECK(pcap_parse_header(h, sizeof(h), &info, &why) == 0 &&
		    info.nsec == m[i].nsec && info.swapped == (m[i].big !=
		    host_big) && info.linktype == 1 && info.snaplen == 65535,
		    name);

		/* 3.5 seconds past the epoch, in that file's units. */
		record(r, m[i].big, 3, m[i].nsec ? 500000000 : 500000, 60,
		    1514);
		snprintf(name, sizeof(name), "record: %s", m[i].name);
		CHECK(pcap_parse_record(r, &info, &rec, &why) == 0 &&
		    rec.ts_ns == 3500000000ull && rec.caplen == 60 &&
		    rec.wirelen == 1514, name);

		record(r, m[i].big, 1, m[i].nsec ? 1000000000 : 1000000, 1, 1);
		snprintf(name, sizeof(name), "record: a second's worth of "
		    "fraction is corrupt (%s)", m[i].name);
		CHECK(pcap_parse_record(r, &info, &rec, &why) < 0 &&
		    strstr(why, "timestamp") != NULL, name);
	}

	header(h, 0xa1b2c3d4, host_big, 262144, 1);
	pcap_parse_header(h, sizeof(h), &info, &why);
	record(r, host_big, 0, 0, PCAP_SNAPLEN, PCAP_SNAPLEN);
	CHECK(pcap_parse_record(r, &info, &rec, &why) == 0,
	    "record: caplen of 262144 (tcpdump's snaplen) is fine");
	record(r, host_big, 0, 0, PCAP_SNAPLEN + 1, PCAP_SNAPLEN + 1);
	CHECK(pcap_parse_record(r, &info, &rec, &why) < 0 &&
	    strstr(why, "length") != NULL,
	    "record: caplen above it is corrupt");
	record(r, host_big, 0, 0, 0xffffffff, 0xffffffff);
	CHECK(pcap_parse_record(r, &info, &rec, &why) < 0,
	    "record: caplen 0xffffffff is corrupt, not a huge allocation");
	record(r, host_big, 4294967295u, 999999, 20, 10);
	CHECK(pcap_parse_record(r, &info, &rec, &why) == 0 &&
	    rec.wirelen == 20 && rec.ts_ns == 4294967295999999000ull,
	    "record: wirelen below caplen is raised to it; the largest time");

	header(h, 0x0a0d0d0a, false, 0, 0);
	CHECK(pcap_parse_header(h, sizeof(h), &info, &why) < 0 &&
	    strstr(why, "pcapng") != NULL, "header: pcapng named as such");
	header(h, 0xd4c3b2a1 + 1, false, 65535, 1);
	CHECK(pcap_parse_header(h, sizeof(h), &info, &why) < 0 &&
	    strstr(why, "magic") != NULL, "header: bad magic");
	header(h, 0xa1b2c3d4, false, 65535, 101);
	CHECK(pcap_parse_header(h, sizeof(h), &info, &why) < 0 &&
	    strstr(why, "link type") != NULL, "header: link type 101 refused");
	header(h, 0xa1b2c3d4, true, 65535, 113);
	CHECK(pcap_parse_header(h, sizeof(h), &info, &why) < 0 &&
	    strstr(why, "link type") != NULL, "header: Linux SLL refused");
	/* tcpdump's aarp-heapoverflow captures carry FCS bits up top. */
	header(h, 0xa1b2c3d4, false, 65535, 0x30000001);
	CHECK(pcap_parse_header(h, sizeof(h), &info, &why) == 0 &&
	    info.linktype == 1, "header: 0x30000001 is Ethernet (FCS bits)");
	header(h, 0xa1b2c3d4, false, 65535, 1);
	CHECK(pcap_parse_header(h, PCAP_HDR_LEN - 1, &info, &why) < 0 &&
	    strstr(why, "truncated") != NULL, "header: 23 bytes is truncated");
	CHECK(pcap_parse_header(h, 0, &info, &why) < 0 &&
	    strstr(why, "empty") != NULL, "header: empty file");
}

static int
memfd(void)
{
	int fd = memfd_create("pcap", MFD_CLOEXEC);

	if (fd < 0)
		exit(2);
	return fd;
}

#define NFRAMES	2000

/* Frame i: its length and its bytes, for writing and checking. */
static size_t
frame_len(int i)
{
	if (i == 0)
		return 0;
	if (i == 1)
		return 65535;
	return (size_t)(i * 37) % 1600;
}

static void
frame_fill(uint8_t *f, int i, size_t len)
{
	for (size_t k = 0; k < len; k++)
		f[k] = (uint8_t)(i * 7 + k);
}

static size_t
write_file(int fd)
{
	static uint8_t f[65535];
	struct out o;
	off_t size;

	out_init(&o, fd, 4096);
	pcap_write_header(&o);
	for (int i = 0; i < NFRAMES; i++) {
		size_t len = frame_len(i);

		frame_fill(f, i, len);
		pcap_write_record(&o, 1700000000123456789ull + (uint64_t)i *
		    1000000001ull, f, len, len + (size_t)(i % 3));
	}
	out_flush(&o);
	out_free(&o);
	size = lseek(fd, 0, SEEK_CUR);
	return (size_t)size;
}

/* Reads every frame back; true when each is exactly as written. */
static bool
read_back(int fd, const char **err)
{
	static uint8_t want[65535];
	struct pcap_reader r;
	struct pcap_rec rec;
	const uint8_t *frame;
	int i = 0, n;

	*err = NULL;
	if (pcap_reader_open(&r, fd, err) < 0 || !r.info.nsec ||
	    r.info.linktype != 1 || r.info.snaplen != PCAP_SNAPLEN)
		return false;
	while ((n = pcap_reader_next(&r, &rec, &frame, err)) > 0) {
		size_t len = frame_len(i);

		frame_fill(want, i, len);
		if (rec.caplen != len || rec.wirelen != len + (size_t)(i % 3) ||
		    rec.ts_ns != 1700000000123456789ull + (uint64_t)i *
		    1000000001ull || memcmp(frame, want, len) != 0 ||
		    r.records != (unsigned long long)i + 1)
			break;
		i++;
	}
	pcap_reader_close(&r);
	return n == 0 && i == NFRAMES;
}

static void
test_roundtrip(void)
{
	int fd = memfd(), p[2];
	const char *err;
	size_t size = write_file(fd);
	uint8_t *file = malloc(size);
	pid_t pid;

	CHECK(pread(fd, file, size, 0) == (ssize_t)size,
	    "writer: file written");
	CHECK(memcmp(file, "\x4d\x3c\xb2\xa1\x02\x00\x04\x00", 8) == 0 ||
	    memcmp(file, "\xa1\xb2\x3c\x4d\x00\x02\x00\x04", 8) == 0,
	    "writer: nanosecond magic, version 2.4");
	lseek(fd, 0, SEEK_SET);
	CHECK(read_back(fd, &err), "reader: 2000 frames from 0 to 65535 bytes "
	    "come back as written, more than one buffer's worth");
	close(fd);

	/* From a pipe, in small pieces: short reads everywhere. */
	if (pipe(p) < 0)
		exit(2);
	if ((pid = fork()) == 0) {
		close(p[0]);
		for (size_t off = 0; off < size; off += 7)
			if (write(p[1], file + off,
			    size - off < 7 ? size - off : 7) < 0)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	CHECK(read_back(p[0], &err), "reader: the same through a pipe, 7 bytes "
	    "at a time");
	close(p[0]);
	waitpid(pid, NULL, 0);
	free(file);
}

/*
 * Every cut of a small file: a clean end only at a record boundary,
 * else the right error, after the records that were whole.
 */
static void
test_truncation(void)
{
	uint8_t file[PCAP_HDR_LEN + 3 * (PCAP_REC_LEN + 20)];
	size_t bounds[4], size = PCAP_HDR_LEN;
	bool all_ok = true;

	header(file, 0xa1b2c3d4, htobe32(1) == 1, 65535, 1);
	bounds[0] = size;
	for (int i = 0; i < 3; i++) {
		record(file + size, htobe32(1) == 1, 10, 0, 20, 20);
		memset(file + size + PCAP_REC_LEN, i, 20);
		size += PCAP_REC_LEN + 20;
		bounds[i + 1] = size;
	}
	for (size_t cut = 0; cut <= size; cut++) {
		int fd = memfd();
		struct pcap_reader r;
		struct pcap_rec rec;
		const uint8_t *frame;
		const char *why = NULL;
		unsigned long long whole = 0;
		int n = -1, open_rc;
		bool ok;

		if (write(fd, file, cut) != (ssize_t)cut)
			exit(2);
		lseek(fd, 0, SEEK_SET);
		for (int i = 1; i < 4; i++)
			if (cut >= bounds[i])
				whole = (unsigned long long)i;
		if ((open_rc = pcap_reader_open(&r, fd, &why)) == 0)
			while ((n = pcap_reader_next(&r, &rec, &frame,
			    &why)) > 0)
				;
		if (cut < PCAP_HDR_LEN)
			ok = open_rc < 0 && why != NULL && strstr(why,
			    cut == 0 ? "empty" : "truncated") != NULL;
		else if (cut == bounds[0] || cut == bounds[1] ||
		    cut == bounds[2] || cut == bounds[3])
			ok = open_rc == 0 && n == 0 && r.records == whole;
		else
			ok = open_rc == 0 && n < 0 && r.records == whole &&
			    strstr(why, "truncated record") != NULL &&
			    ((cut - PCAP_HDR_LEN) % (PCAP_REC_LEN + 20) <
			    PCAP_REC_LEN) == (strstr(why, "header") != NULL);
		if (!ok) {
			printf("# cut at %zu: open %d, next %d, records %llu, "
			    "%s\n", cut, open_rc, n, open_rc == 0 ? r.records :
			    0, why ? why : "-");
			all_ok = false;
		}
		pcap_reader_close(&r);
		close(fd);
	}
	CHECK(all_ok, "a file cut at any byte: clean end only at a record "
	    "boundary, else 'truncated record (header)' after the whole ones");
}

int
main(void)
{
	test_headers();
	test_roundtrip();
	test_truncation();
	return unit_done();
}
