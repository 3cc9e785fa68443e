/*
 * libFuzzer harness for the ARP decoder and its three formatters: any
 * bytes, any length. Besides the sanitizers' checks (no read past the
 * frame, no write past ARP_TEXT_MAX), arp_check() holds the formatters to
 * their promises: the block keeps its frame lines, a line is one line, the
 * JSON is one valid object with the fixed keys, and every byte of every
 * output is printable ASCII or a newline.
 *
 * tests/unit/test_arp.c includes this file to run arp_check() over the
 * seed corpus, so a broken promise fails `make units` as well.
 *
 * The seeds in tests/fuzz/corpus/arp/ are frames made by hand (the
 * cheatsheet's sample whole, padded and cut; each kind of ARP; odd sizes)
 * and frames of tcpdump's ARP test captures, named pcap-FILE-N for frame N
 * of FILE.pcap (tcpdump's BSD licence): the ones `fuzz_arp -merge=1` kept
 * out of all 1483 distinct ARP frames there, and a few tcpdump's README
 * describes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arp.h"
#include "jsonread.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const json_keys[] = {
	"len", "truncated", "kind", "dst", "src", "ethertype", "vlan",
	"htype", "ptype", "hlen", "plen", "op", "sha", "spa", "tha", "tpa",
};
#define NKEYS	(sizeof(json_keys) / sizeof(json_keys[0]))
/* "vlan" is null or rawrecv's object. */
static const char *const vlan_keys[] = { "tpid", "id", "pcp", "dei" };

/* One flat object whose keys are json_keys, in that order. */
static const char *
check_json(const char *s, size_t n)
{
	return json_check(s, n, json_keys, NKEYS, vlan_keys, 4) ? NULL :
	    "json: not one valid flat object with the keys of the schema";
}

static bool
printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] < 0x20 || s[i] > 0x7e) && s[i] != '\n')
			return false;
	return true;
}

static size_t
count_newlines(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static bool
field_inside(const struct arp_field *f, const uint8_t *data, size_t len)
{
	if (f->have > f->size)
		return false;
	if (f->p == NULL)
		return f->have == 0;
	return f->p >= data && f->p <= data + len &&
	    f->have <= (size_t)(data + len - f->p);
}

/* NULL when every promise holds for this frame, else the broken one. */
static const char *
arp_check(const uint8_t *data, size_t len)
{
	static const char head[] =
	    "---------------- ETHERNET_FRAME ----------------\n";
	static const char tail[] =
	    "------------------------------------------------\n\n";
	const struct arp_field *fields[12];
	struct arp_info a;
	const char *why = NULL;
	char *buf;
	size_t n;

	arp_decode(data, len, &a);
	if (a.len != len || a.truncated != (len < a.need))
		return "decode: len, need or truncated wrong";
	memcpy(fields, (const struct arp_field *[]){ &a.eth_dst, &a.eth_src,
	    &a.ethertype, &a.htype, &a.ptype, &a.hlen, &a.plen, &a.op, &a.sha,
	    &a.spa, &a.tha, &a.tpa }, sizeof(fields));
	for (size_t i = 0; i < 12; i++)
		if (len > 0 && !field_inside(fields[i], data, len))
			return "decode: a field points outside the frame";

	/* Exactly ARP_TEXT_MAX, so ASan sees any write past it. */
	if ((buf = malloc(ARP_TEXT_MAX)) == NULL)
		return "out of memory";

	n = arp_print_block(buf, &a);
	if (n > ARP_TEXT_MAX || !printable(buf, n))
		why = "block: too long or not printable";
	else if (n < sizeof(head) - 1 + sizeof(tail) - 1 ||
	    memcmp(buf, head, sizeof(head) - 1) != 0 ||
	    memcmp(buf + n - (sizeof(tail) - 1), tail, sizeof(tail) - 1) != 0)
		why = "block: frame lines missing";
	/* 17, and one more for a VLAN tag. */
	else if (count_newlines(buf, n) > 18)
		why = "block: too many lines";
	if (why != NULL)
		goto done;

	n = arp_print_line(buf, &a);
	if (n > ARP_TEXT_MAX || !printable(buf, n))
		why = "line: too long or not printable";
	else if (n < 2 || buf[n - 1] != '\n' || count_newlines(buf, n) != 1)
		why = "line: not exactly one line";
	else if (a.truncated != (memmem(buf, n, "[truncated: ", 12) != NULL))
		why = "line: truncation not marked";
	if (why != NULL)
		goto done;

	n = arp_print_json(buf, &a);
	if (n > ARP_TEXT_MAX || !printable(buf, n))
		why = "json: too long or not printable";
	else if (n < 2 || buf[n - 1] != '\n' || count_newlines(buf, n) != 1)
		why = "json: not exactly one line";
	else
		why = check_json(buf, n - 1);
done:
	free(buf);
	return why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = arp_check(data, size);

	if (why != NULL) {
		fprintf(stderr, "fuzz_arp: %s\n", why);
		abort();
	}
	return 0;
}
