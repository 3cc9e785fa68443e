/*
 * Unit tests for arp.c: the cheatsheet's sample frame against its printed
 * block, each kind of ARP against its line and JSON, frames cut at every
 * length, unusual sizes, and every seed of the fuzz corpus (and, when they
 * are at hand, every frame of tcpdump's ARP captures) through the fuzz
 * harness's checks. Run from the top of the tree, as tests/run.sh does.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arp.h"
#include "frame.h"
#include "unit.h"
/* arp_check(): the promises the fuzzer holds every output to. */
#include "../fuzz/fuzz_arp.c"

#define CORPUS_DIR	"tests/fuzz/corpus/arp"
#define PCAP_DIR	"tests/data/tcpdump-arp"	/* run from the top */

/* The cheatsheet's sample: who-has 140.112.91.20 tell 140.112.91.254. */
static const char sample_hex[] =
    "ffffffffffff" "f0257252f5ca" "0806"
    "0001" "0800" "06" "04" "0001"
    "f0257252f5ca" "8c705bfe" "000000000000" "8c705b14";

/* Its output, as the cheatsheet prints it. */
static const char sample_block[] =
    "---------------- ETHERNET_FRAME ----------------\n"
    "Dest MAC:         ffffffffffff\n"
    "Source MAC:       f0257252f5ca\n"
    "Type:             0806\n"
    "----------------- ARP_HEADER -------------------\n"
    "Hardware type:    0001\n"
    "Protocol type:    0800\n"
    "Hardware size:    06\n"
    "Protocol size:    04\n"
    "Opcode:           0001\n"
    "Source MAC:       f0257252f5ca\n"
    "Source IP:        140.112.91.254\n"
    "Dest MAC:         000000000000\n"
    "Dest IP:          140.112.91.20\n"
    "------------------------------------------------\n"
    "\n";

static uint8_t frame[2048];
static size_t framelen;

/* Sets frame from hex (spaces allowed); returns its length. */
static size_t
from_hex(const char *hex)
{
	framelen = 0;
	for (const char *p = hex; p[0] != '\0';) {
		if (p[0] == ' ') {
			p++;
			continue;
		}
		frame[framelen++] = (uint8_t)(hex_digit(p[0]) << 4 |
		    hex_digit(p[1]));
		p += 2;
	}
	return framelen;
}

enum fmt { BLOCK, LINE, JSON };

/* The frame's first len bytes in a format, NUL-terminated (static). */
static const char *
fmt(enum fmt f, const uint8_t *data, size_t len)
{
	static char out[ARP_TEXT_MAX + 1];
	struct arp_info a;
	size_t n = 0;

	arp_decode(data, len, &a);
	switch (f) {
	case BLOCK: n = arp_print_block(out, &a); break;
	case LINE: n = arp_print_line(out, &a); break;
	case JSON: n = arp_print_json(out, &a); break;
	}
	out[n] = '\0';
	return out;
}

static void
test_sample(void)
{
	from_hex(sample_hex);
	CHECK(framelen == 42, "the sample frame is 42 bytes");
	CHECK_STR(fmt(BLOCK, frame, framelen), sample_block,
	    "sample: the cheatsheet's block, byte for byte");
	CHECK_STR(fmt(LINE, frame, framelen), "request who-has 140.112.91.20 "
	    "tell 140.112.91.254 (f0:25:72:52:f5:ca)\n", "sample: line");
	CHECK_STR(fmt(JSON, frame, framelen), "{\"len\":42,\"truncated\":false,"
	    "\"kind\":\"request\",\"dst\":\"ff:ff:ff:ff:ff:ff\","
	    "\"src\":\"f0:25:72:52:f5:ca\",\"ethertype\":\"0x0806\","
	    "\"vlan\":null,\"htype\":1,\"ptype\":\"0x0800\",\"hlen\":6,"
	    "\"plen\":4,\"op\":1,"
	    "\"sha\":\"f0:25:72:52:f5:ca\",\"spa\":\"140.112.91.254\","
	    "\"tha\":\"00:00:00:00:00:00\",\"tpa\":\"140.112.91.20\"}\n",
	    "sample: json");

	/* Real NICs pad to 60 bytes: the padding changes nothing. */
	memset(frame + 42, 0, 18);
	CHECK_STR(fmt(BLOCK, frame, 60), sample_block,
	    "sample padded to 60 bytes: the same block");
	CHECK(strncmp(fmt(JSON, frame, 60), "{\"len\":60,\"truncated\":false,",
	    28) == 0, "sample padded: len 60, not truncated");
}

static void
test_kinds(void)
{
	from_hex("f0257252f5ca aabbccddeeff 0806 0001 0800 06 04 0002"
	    "aabbccddeeff 8c705b14 f0257252f5ca 8c705bfe");
	CHECK_STR(fmt(LINE, frame, framelen),
	    "reply 140.112.91.20 is-at aa:bb:cc:dd:ee:ff\n", "reply: line");
	CHECK(strstr(fmt(JSON, frame, framelen),
	    "\"kind\":\"reply\"") != NULL, "reply: json kind");
	CHECK(strstr(fmt(BLOCK, frame, framelen),
	    "\nOpcode:           0002\n") != NULL, "reply: block opcode");

	from_hex("ffffffffffff aabbccddeeff 0806 0001 0800 06 04 0001"
	    "aabbccddeeff c0a80001 ffffffffffff c0a80001");
	CHECK_STR(fmt(LINE, frame, framelen),
	    "gratuitous request 192.168.0.1 is-at aa:bb:cc:dd:ee:ff\n",
	    "gratuitous request: line");
	CHECK(strstr(fmt(JSON, frame, framelen), "\"kind\":\"gratuitous\"") !=
	    NULL, "gratuitous: json kind");
	frame[21] = 2;
	CHECK_STR(fmt(LINE, frame, framelen),
	    "gratuitous reply 192.168.0.1 is-at aa:bb:cc:dd:ee:ff\n",
	    "gratuitous reply: line");

	from_hex("ffffffffffff aabbccddeeff 0806 0001 0800 06 04 0001"
	    "aabbccddeeff 00000000 000000000000 c0a80001");
	CHECK_STR(fmt(LINE, frame, framelen),
	    "probe who-has 192.168.0.1 from aa:bb:cc:dd:ee:ff\n",
	    "probe (sender 0.0.0.0): line");
	CHECK(strstr(fmt(JSON, frame, framelen), "\"kind\":\"probe\"") !=
	    NULL, "probe: json kind");

	/* A target MAC that says something is shown, as tcpdump does. */
	from_hex(sample_hex);
	memset(frame + 32, 0xff, 6);
	CHECK_STR(fmt(LINE, frame, framelen), "request who-has 140.112.91.20 "
	    "(ff:ff:ff:ff:ff:ff) tell 140.112.91.254 (f0:25:72:52:f5:ca)\n",
	    "request with a target MAC: line");

	from_hex("ffffffffffff aabbccddeeff 0806 0001 0800 06 04 0003"
	    "aabbccddeeff 00000000 aabbccddeeff 00000000");
	CHECK_STR(fmt(LINE, frame, framelen), "opcode 3 sender 0.0.0.0 "
	    "(aa:bb:cc:dd:ee:ff) target 0.0.0.0 (aa:bb:cc:dd:ee:ff)\n",
	    "opcode 3 (RARP request): by number");
	frame[20] = 0xff;
	frame[21] = 0xff;
	CHECK(strncmp(fmt(LINE, frame, framelen), "opcode 65535 sender ", 20)
	    == 0, "opcode 65535: by number");
	CHECK(strstr(fmt(JSON, frame, framelen),
	    "\"kind\":\"other\",") != NULL &&
	    strstr(fmt(JSON, frame, framelen), "\"op\":65535,") != NULL,
	    "opcode 65535: json kind other, op 65535");
	CHECK(strstr(fmt(BLOCK, frame, framelen),
	    "\nOpcode:           ffff\n") != NULL, "opcode 65535: block");

	/* Not 0x0806 (only the decoder sees such frames): said so. */
	from_hex(sample_hex);
	frame[12] = 0x80;
	frame[13] = 0x35;
	CHECK_STR(fmt(LINE, frame, framelen), "request who-has 140.112.91.20 "
	    "tell 140.112.91.254 (f0:25:72:52:f5:ca) [ethertype 0x8035]\n",
	    "another ethertype: marked in the line");

	CHECK_STR(arp_kind_name(ARP_KIND_SHORT), "short", "kind name short");
	CHECK_STR(arp_kind_name(ARP_KIND_OTHER), "other", "kind name other");
}

static void
test_truncated(void)
{
	const char *s;
	int ok_line = 1, ok_check = 1, ok_short = 1;

	from_hex(sample_hex);
	CHECK_STR(fmt(BLOCK, frame, 30),
	    "---------------- ETHERNET_FRAME ----------------\n"
	    "Dest MAC:         ffffffffffff\n"
	    "Source MAC:       f0257252f5ca\n"
	    "Type:             0806\n"
	    "----------------- ARP_HEADER -------------------\n"
	    "Hardware type:    0001\n"
	    "Protocol type:    0800\n"
	    "Hardware size:    06\n"
	    "Protocol size:    04\n"
	    "Opcode:           0001\n"
	    "Source MAC:       f0257252f5ca\n"
	    "Source IP:        8c70...\n"
	    "Truncated:        30 of 42 bytes\n"
	    "------------------------------------------------\n"
	    "\n", "cut at 30 bytes: block as far as it goes, marked");
	CHECK_STR(fmt(LINE, frame, 30), "request who-has ? tell ? "
	    "(f0:25:72:52:f5:ca) [truncated: 30 of 42 bytes]\n",
	    "cut at 30 bytes: line");
	CHECK_STR(fmt(JSON, frame, 30), "{\"len\":30,\"truncated\":true,"
	    "\"kind\":\"request\",\"dst\":\"ff:ff:ff:ff:ff:ff\","
	    "\"src\":\"f0:25:72:52:f5:ca\",\"ethertype\":\"0x0806\","
	    "\"vlan\":null,\"htype\":1,\"ptype\":\"0x0800\",\"hlen\":6,"
	    "\"plen\":4,\"op\":1,"
	    "\"sha\":\"f0:25:72:52:f5:ca\",\"spa\":\"8c:70\","
	    "\"tha\":null,\"tpa\":null}\n", "cut at 30 bytes: json");
	CHECK_STR(fmt(LINE, frame, 21), "short [truncated: 21 of 42 bytes]\n",
	    "cut inside the opcode: short");
	CHECK_STR(fmt(LINE, frame, 14), "short [truncated: 14 of 22 bytes]\n",
	    "Ethernet header only: short, 22 bytes at least");
	CHECK_STR(fmt(BLOCK, NULL, 0),
	    "---------------- ETHERNET_FRAME ----------------\n"
	    "----------------- ARP_HEADER -------------------\n"
	    "Truncated:        0 of 22 bytes\n"
	    "------------------------------------------------\n"
	    "\n", "empty frame: the frame lines and the mark");
	CHECK_STR(fmt(JSON, NULL, 0), "{\"len\":0,\"truncated\":true,"
	    "\"kind\":\"short\",\"dst\":null,\"src\":null,\"ethertype\":null,"
	    "\"vlan\":null,\"htype\":null,\"ptype\":null,\"hlen\":null,"
	    "\"plen\":null,"
	    "\"op\":null,\"sha\":null,\"spa\":null,\"tha\":null,"
	    "\"tpa\":null}\n",
	    "empty frame: json, all null");

	/* Every cut of the sample, each in a buffer of exactly its size. */
	for (size_t len = 0; len <= 42; len++) {
		uint8_t *p = malloc(len ? len : 1);

		memcpy(p, frame, len);
		if (arp_check(p, len) != NULL)
			ok_check = 0;
		s = fmt(LINE, p, len);
		if ((strstr(s, "[truncated: ") != NULL) != (len < 42))
			ok_line = 0;
		if ((strncmp(s, "short ", 6) == 0) != (len < 22))
			ok_short = 0;
		free(p);
	}
	CHECK(ok_check, "every cut of the sample keeps the promises");
	CHECK(ok_line, "every cut shorter than 42 bytes is marked truncated");
	CHECK(ok_short, "every cut before the opcode's end is short");
}

static void
test_sizes(void)
{
	char want[ARP_TEXT_MAX];

	/* 8-byte hardware and 16-byte protocol addresses: hex, whole. */
	from_hex("ffffffffffff aabbccddeeff 0806 0006 86dd 08 10 0001"
	    "0011223344556677 20010db8000000000000000000000001"
	    "0000000000000000 20010db8000000000000000000000002");
	CHECK_STR(fmt(LINE, frame, framelen), "request who-has "
	    "20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:02 tell "
	    "20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01 "
	    "(00:11:22:33:44:55:66:77) "
	    "[htype 6, ptype 0x86dd, hlen 8, plen 16]\n",
	    "hlen 8, plen 16: line in colon hex, sizes named");
	CHECK(strstr(fmt(BLOCK, frame, framelen),
	    "\nSource MAC:       0011223344556677\n"
	    "Source IP:        20010db8000000000000000000000001\n"
	    "Dest MAC:         0000000000000000\n"
	    "Dest IP:          20010db8000000000000000000000002\n"
	    "------") != NULL, "hlen 8, plen 16: block in hex");
	CHECK(strstr(fmt(JSON, frame, framelen),
	    "\"sha\":\"00:11:22:33:44:55:66:77\","
	    "\"spa\":\"20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01\"")
	    != NULL,
	    "hlen 8, plen 16: json");

	from_hex("ffffffffffff aabbccddeeff 0806 0001 0800 00 00 0001");
	CHECK_STR(fmt(LINE, frame, framelen), "request who-has <empty> tell "
	    "<empty> (<empty>) [htype 1, ptype 0x0800, hlen 0, plen 0]\n",
	    "hlen 0, plen 0: empty addresses");
	CHECK(strstr(fmt(JSON, frame, framelen), "\"sha\":\"\",\"spa\":\"\","
	    "\"tha\":\"\",\"tpa\":\"\"}") != NULL,
	    "hlen 0, plen 0: json empty strings");

	/* The largest sizes, whole and cut: bounded by the frame and by
	 * ARP_TEXT_MAX. */
	from_hex("ffffffffffff aabbccddeeff 0806 0001 0800 ff ff 0001");
	for (size_t i = 22; i < 22 + 4 * 255; i++)
		frame[i] = (uint8_t)i;
	framelen = 22 + 4 * 255;
	CHECK(arp_check(frame, framelen) == NULL,
	    "hlen 255, plen 255, whole: promises kept");
	CHECK(strlen(fmt(LINE, frame, framelen)) < ARP_TEXT_MAX &&
	    strlen(fmt(BLOCK, frame, framelen)) < ARP_TEXT_MAX &&
	    strlen(fmt(JSON, frame, framelen)) < ARP_TEXT_MAX,
	    "hlen 255, plen 255: every format fits ARP_TEXT_MAX");
	CHECK(arp_check(frame, 100) == NULL &&
	    strstr(fmt(LINE, frame, 100), "[truncated: 100 of 1042 bytes]"),
	    "hlen 255, plen 255, cut at 100: marked, promises kept");
	snprintf(want, sizeof(want), "%s", fmt(BLOCK, frame, 100));
	CHECK(strstr(want, "\nSource IP:") == NULL && strstr(want,
	    "\nSource MAC:       161718191a1b1c1d1e1f2021222324252627"
	    "28292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40414243444546"
	    "4748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263...\n")
	    != NULL, "hlen 255, cut at 100: block stops at the frame's end");
}

/* Reads a whole file into a buffer of exactly its size (malloc'd). */
static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc(n > 0 ? (size_t)n : 1)) != NULL &&
	    fread(buf, 1, (size_t)n, fp) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* The line for one seed of the corpus. */
static const char *
seed_line(const char *name)
{
	static char out[ARP_TEXT_MAX + 1];
	char path[512];
	uint8_t *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, name);
	if ((data = slurp(path, &len)) == NULL)
		return "(no such seed)";
	snprintf(out, sizeof(out), "%s", fmt(LINE, data, len));
	free(data);
	return out;
}

static void
test_corpus(void)
{
	DIR *dir = opendir(CORPUS_DIR);
	struct dirent *e;
	int files = 0, bad = 0;

	CHECK(dir != NULL, "the seed corpus " CORPUS_DIR " is there");
	while (dir != NULL && (e = readdir(dir)) != NULL) {
		char path[512];
		const char *why;
		uint8_t *data;
		size_t len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, e->d_name);
		if ((data = slurp(path, &len)) == NULL) {
			bad++;
			continue;
		}
		if ((why = arp_check(data, len)) != NULL) {
			printf("# %s: %s\n", e->d_name, why);
			bad++;
		}
		files++;
		free(data);
	}
	if (dir != NULL)
		closedir(dir);
	CHECK(files >= 20 && bad == 0,
	    "every seed of the corpus keeps the promises");

	/* Real frames, as tcpdump decodes them (its README lists them). */
	CHECK_STR(seed_line("pcap-bgp-4byte-asn-1"),
	    "request who-has 1.0.2.1 tell 1.0.2.2 (02:01:00:01:00:00)\n",
	    "tcpdump capture: a request");
	CHECK_STR(seed_line("pcap-bgp-4byte-asn-2"),
	    "reply 1.0.2.1 is-at e2:c3:b4:8e:87:60\n",
	    "tcpdump capture: its reply");
	CHECK_STR(seed_line("pcap-eapon1-40"),
	    "gratuitous request 169.254.67.194 is-at 00:04:23:57:a5:7a\n",
	    "tcpdump capture: gratuitous ARP");
	CHECK_STR(seed_line("pcap-arp-oobr.part1of3-28"),
	    "request who-has 0.0.0.0 "
	    "(01:01:10:18:00:10:00:00:00:00:00:00:00:00) tell 0.0.192.168 "
	    "(00:1f:29:da:2d:79:c0:a8:01:6e:00:00:00:00) "
	    "[htype 1, ptype 0x0800, hlen 14, plen 4]\n",
	    "tcpdump capture: hlen 14");
	CHECK_STR(seed_line("pcap-arp-oobr.part1of3-13"),
	    "request who-has ? tell ? (?) [htype 1, ptype 0x0800, hlen 134, "
	    "plen 4] [truncated: 60 of 298 bytes]\n",
	    "tcpdump capture: hlen 134, past the frame's end");
}

/* Every frame of one pcap file through arp_check(); -1 if unreadable. */
static int
pcap_frames(const char *path, int *frames)
{
	uint8_t *data;
	size_t len, off = 24;
	int bad = 0, big;

	if ((data = slurp(path, &len)) == NULL || len < 24) {
		free(data);
		return -1;
	}
	if (memcmp(data, "\xd4\xc3\xb2\xa1", 4) == 0)
		big = 0;
	else if (memcmp(data, "\xa1\xb2\xc3\xd4", 4) == 0)
		big = 1;
	else {
		free(data);
		return -1;
	}
	while (off + 16 <= len) {
		const uint8_t *h = data + off + 8;
		uint32_t cap = big ?
		    (uint32_t)h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3] :
		    (uint32_t)h[3] << 24 | h[2] << 16 | h[1] << 8 | h[0];
		uint8_t *copy;

		off += 16;
		if (cap > len - off)
			break;
		/* A copy of exactly its size, for the sanitizers. */
		if ((copy = malloc(cap ? cap : 1)) == NULL)
			break;
		memcpy(copy, data + off, cap);
		bad += arp_check(copy, cap) != NULL;
		free(copy);
		off += cap;
		(*frames)++;
	}
	free(data);
	return bad;
}

static void
test_pcaps(void)
{
	const char *dirname = getenv("ARP_PCAP_DIR");
	DIR *dir;
	struct dirent *e;
	int files = 0, frames = 0, bad = 0;

	if (dirname == NULL)
		dirname = PCAP_DIR;
	if ((dir = opendir(dirname)) == NULL) {
		printf("ok %d # skip no tcpdump captures in %s "
		    "(set ARP_PCAP_DIR)\n", ++unit_n, dirname);
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		char path[1024];
		size_t n = strlen(e->d_name);
		int r;

		if (n < 5 || strcmp(e->d_name + n - 5, ".pcap") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirname, e->d_name);
		if ((r = pcap_frames(path, &frames)) != 0) {
			printf("# %s: %d frame(s) broke a promise\n",
			    e->d_name, r);
			bad++;
		}
		files++;
	}
	closedir(dir);
	printf("# %d capture files, %d frames\n", files, frames);
	CHECK(files > 0 && frames > 0 && bad == 0,
	    "every frame of tcpdump's ARP captures keeps the promises");
}

/* The sample with its ptype set to 0x86dd, plen still 4 (arp-scan
 * --arppro=0x86dd): not IPv4, so no dotted quads in any form. */
static void
test_wrong_ptype(void)
{
	from_hex(sample_hex);
	frame[16] = 0x86;
	frame[17] = 0xdd;
	CHECK_STR(fmt(LINE, frame, framelen), "request who-has 8c:70:5b:14 "
	    "tell 8c:70:5b:fe (f0:25:72:52:f5:ca) "
	    "[htype 1, ptype 0x86dd, hlen 6, plen 4]\n",
	    "ptype 0x86dd, plen 4: line in colon hex, not dotted");
	CHECK(strstr(fmt(BLOCK, frame, framelen),
	    "\nProtocol type:    86dd\n") != NULL && strstr(fmt(BLOCK, frame,
	    framelen), "\nSource IP:        8c705bfe\n"
	    "Dest MAC:         000000000000\n"
	    "Dest IP:          8c705b14\n") != NULL,
	    "ptype 0x86dd, plen 4: block in hex, as the MACs");
	CHECK(strstr(fmt(JSON, frame, framelen), "\"ptype\":\"0x86dd\",") &&
	    strstr(fmt(JSON, frame, framelen), "\"spa\":\"8c:70:5b:fe\","
	    "\"tha\":\"00:00:00:00:00:00\",\"tpa\":\"8c:70:5b:14\"}"),
	    "ptype 0x86dd, plen 4: json in colon hex");
	/* IPv4 with plen 16: hex as well. */
	from_hex("ffffffffffff aabbccddeeff 0806 0001 0800 06 10 0001"
	    "aabbccddeeff 0a000001000000000000000000000000"
	    "000000000000 0a000002000000000000000000000000");
	CHECK(strncmp(fmt(LINE, frame, framelen), "request who-has "
	    "0a:00:00:02:00:00:00:00:00:00:00:00:00:00:00:00 tell ", 69) == 0,
	    "ptype 0x0800, plen 16: colon hex");
}

/* The sample as arp-scan --vlan=5 sends it, padded to 64 bytes. */
static const char tagged_hex[] =
    "ffffffffffff" "f0257252f5ca" "8100" "a005" "0806"
    "0001" "0800" "06" "04" "0001"
    "f0257252f5ca" "8c705bfe" "000000000000" "8c705b14"
    "000000000000000000000000000000000000";

static void
test_vlan(void)
{
	static const char vlan_block[] =
	    "---------------- ETHERNET_FRAME ----------------\n"
	    "Dest MAC:         ffffffffffff\n"
	    "Source MAC:       f0257252f5ca\n"
	    "VLAN:             5 (pcp 5)\n"
	    "Type:             0806\n"
	    "----------------- ARP_HEADER -------------------\n";
	static const char line[] = "request who-has 140.112.91.20 "
	    "tell 140.112.91.254 (f0:25:72:52:f5:ca)\n";
	static char out[ARP_TEXT_MAX + 1];
	struct arp_info a;

	/* The tag in the frame (a capture, or one the kernel kept). */
	from_hex(tagged_hex);
	CHECK(framelen == 64, "the tagged sample is 64 bytes");
	CHECK(strncmp(fmt(BLOCK, frame, framelen), vlan_block,
	    sizeof(vlan_block) - 1) == 0 && strstr(fmt(BLOCK, frame,
	    framelen), "Dest IP:          140.112.91.20\n") != NULL,
	    "tag in the frame: block has a VLAN line, the ARP decoded");
	CHECK_STR(fmt(LINE, frame, framelen), "vlan 5, p 5, request who-has "
	    "140.112.91.20 tell 140.112.91.254 (f0:25:72:52:f5:ca)\n",
	    "tag in the frame: line as tcpdump's, vlan and p first");
	CHECK(strncmp(fmt(JSON, frame, framelen), "{\"len\":64,"
	    "\"truncated\":false,\"kind\":\"request\","
	    "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"src\":\"f0:25:72:52:f5:ca\","
	    "\"ethertype\":\"0x0806\",\"vlan\":{\"tpid\":\"0x8100\",\"id\":5,"
	    "\"pcp\":5,\"dei\":0},\"htype\":1,", 172) == 0,
	    "tag in the frame: json as rawrecv's, len with the tag");

	/* DEI set, 802.1ad TPID. */
	frame[12] = 0x88;
	frame[13] = 0xa8;
	frame[14] = 0x10;
	CHECK(strstr(fmt(BLOCK, frame, framelen),
	    "\nVLAN:             5 (pcp 0, dei 1, tpid 0x88a8)\n") != NULL,
	    "802.1ad tag with DEI: block names both");
	CHECK(strncmp(fmt(LINE, frame, framelen),
	    "vlan 5 (tpid 0x88a8), p 0, DE, request who-has ", 47) == 0,
	    "802.1ad tag with DEI: line names both");
	CHECK(strstr(fmt(JSON, frame, framelen), "\"vlan\":{\"tpid\":"
	    "\"0x88a8\",\"id\":5,\"pcp\":0,\"dei\":1}") != NULL,
	    "802.1ad tag with DEI: json");

	/* The tag the kernel stripped: counted in len, shown the same. */
	from_hex(sample_hex);
	memset(frame + 42, 0, 18);
	arp_decode(frame, 60, &a);
	arp_set_vlan(&a, 0x8100, 0x0005);
	out[arp_print_block(out, &a)] = '\0';
	CHECK(strstr(out, "\nSource MAC:       f0257252f5ca\n"
	    "VLAN:             5 (pcp 0)\nType:             0806\n") != NULL,
	    "stripped tag: block has its VLAN line");
	out[arp_print_line(out, &a)] = '\0';
	CHECK(strncmp(out, "vlan 5, p 0, ", 13) == 0 &&
	    strcmp(out + 13, line) == 0, "stripped tag: line");
	out[arp_print_json(out, &a)] = '\0';
	CHECK(strncmp(out, "{\"len\":64,", 10) == 0 && strstr(out,
	    "\"vlan\":{\"tpid\":\"0x8100\",\"id\":5,\"pcp\":0,\"dei\":0}"),
	    "stripped tag: json, len 64 as on the wire");
	CHECK(!a.truncated, "stripped tag: not truncated");

	/* A tag cut short is no tag: its TPID shows as the ethertype. */
	from_hex(tagged_hex);
	CHECK_STR(fmt(LINE, frame, 15), "short [ethertype 0x8100] "
	    "[truncated: 15 of 22 bytes]\n", "tag cut short: short");
}

int
main(void)
{
	test_sample();
	test_kinds();
	test_truncated();
	test_sizes();
	test_wrong_ptype();
	test_vlan();
	test_corpus();
	test_pcaps();
	return unit_done();
}
