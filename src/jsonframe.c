#include <stdio.h>
#include <string.h>

#include "jsonframe.h"
#include "opts.h"
#include "print.h"

#define DEPTH_MAX	32	/* nesting of the values we skip */
#define SHORT_MAX	64	/* a MAC, an ethertype, a key */

/* A cursor over one line; why is the first error. */
struct reader {
	const char	*p, *end;
	const char	*why;
	bool		 nul;		/* a string held \u0000 */
};

static bool
fail(struct reader *r, const char *why)
{
	if (r->why == NULL)
		r->why = why;
	return false;
}

static inline void
blanks(struct reader *r)
{
	/* Most calls find no blank: one test for them. */
	if (r->p < r->end && (unsigned char)*r->p > ' ')
		return;
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Skips blanks, then takes c if it is next. */
static bool
take(struct reader *r, char c)
{
	blanks(r);
	if (r->p < r->end && *r->p == c) {
		r->p++;
		return true;
	}
	return false;
}

static int
peek(struct reader *r)
{
	blanks(r);
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

static bool
word(struct reader *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return fail(r, "not JSON");
	r->p += n;
	return true;
}

static size_t
utf8_put(uint8_t *d, unsigned long cp)
{
	if (cp < 0x80) {
		d[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (uint8_t)(0xc0 | cp >> 6);
		d[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (uint8_t)(0xe0 | cp >> 12);
		d[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (uint8_t)(0xf0 | cp >> 18);
	d[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

static bool
hex4(struct reader *r, unsigned long *v)
{
	*v = 0;
	if (r->end - r->p < 4)
		return fail(r, "incomplete \\u escape");
	for (int i = 0; i < 4; i++) {
		int d = hex_digit((unsigned char)*r->p++);

		if (d < 0)
			return fail(r, "bad \\u escape");
		*v = *v << 4 | (unsigned long)d;
	}
	return true;
}

/*
 * The code point of a \u escape (the "\u" read), a surrogate pair taken
 * whole. A lone U+DC80-U+DCFF is the byte 0x80-0xff it stands for, as
 * rawrecv writes a byte that is not UTF-8 (Python's surrogateescape):
 * *raw is set then.
 */
static bool
escape_u(struct reader *r, unsigned long *cp, bool *raw)
{
	unsigned long lo;

	*raw = false;
	if (!hex4(r, cp))
		return false;
	if (*cp >= 0xdc80 && *cp <= 0xdcff) {
		*cp -= 0xdc00;
		*raw = true;
		return true;
	}
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return fail(r, "lone low surrogate in a \\u escape");
	if (*cp < 0xd800 || *cp > 0xdbff)
		return true;
	if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
		return fail(r, "lone high surrogate in a \\u escape");
	r->p += 2;
	if (!hex4(r, &lo))
		return false;
	if (lo < 0xdc00 || lo > 0xdfff)
		return fail(r, "lone high surrogate in a \\u escape");
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return true;
}

/* Bytes that stand for themselves in a string: printable ASCII but the
 * quote and the backslash. Most of every line is runs of them. */
static const uint8_t plain_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	/* 0x80-0xff: none */
};


static inline bool
plain(unsigned char c)
{
	return plain_byte[c];
}

/*
 * A string, its bytes decoded into d (at most cap; NULL to skip it).
 * Past cap, *n is cap + 1 and the rest is only checked.
 */
static bool
string(struct reader *r, uint8_t *d, size_t cap, size_t *n)
{
	uint8_t tmp[4];

	*n = 0;
	if (!take(r, '"'))
		return fail(r, "not JSON");
	for (;;) {
		const uint8_t *s = (const uint8_t *)r->p, *run = s;
		unsigned long cp;
		size_t k;
		bool raw;

		while (s < (const uint8_t *)r->end && plain(*s))
			s++;
		if ((k = (size_t)(s - run)) > 0) {
			if (d != NULL && *n < cap)
				memcpy(d + *n, run, k < cap - *n ? k : cap - *n);
			*n += k;
			r->p = (const char *)s;
		}
		if (r->p == r->end)
			return fail(r, "unterminated string");
		if (*s == '"')
			break;
		if (*s < 0x20)
			return fail(r, "control character in a string");
		if (*s == '\\') {
			if (r->end - r->p < 2)
				return fail(r, "incomplete escape");
			r->p += 2;
			switch (s[1]) {
			case '"': case '\\': case '/': cp = s[1]; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (!escape_u(r, &cp, &raw))
					return false;
				if (raw) {
					tmp[0] = (uint8_t)cp;
					k = 1;
					goto put;
				}
				break;
			default:
				return fail(r, "bad escape in a string");
			}
			k = utf8_put(tmp, cp);
		} else {
			uint32_t u;

			/* DEL stands for itself too; the rest is UTF-8. */
			k = *s < 0x80 ? 1 : utf8_decode(s,
			    (size_t)(r->end - r->p), &u);
			if (k == 0)
				return fail(r, "not UTF-8");
			r->p += k;
			memcpy(tmp, s, k);
		}
put:
		for (size_t i = 0; i < k; i++, ++*n) {
			r->nul |= tmp[i] == 0;
			if (d != NULL && *n < cap)
				d[*n] = tmp[i];
		}
	}
	r->p++;
	if (d != NULL && *n > cap)
		*n = cap + 1;
	return true;
}

/*
 * The fast way through a string that needs no decoding, as nearly all
 * do: at its opening quote, the bytes up to the closing one when they are
 * all plain; *text and *len then, past the string. False, and nothing
 * read, otherwise: string() takes it the long way.
 */
static bool
plain_string(struct reader *r, const char **text, size_t *len)
{
	const char *p, *c;

	blanks(r);
	if (r->p == r->end || *r->p != '"')
		return false;
	/* Strings here are short: a byte at a time beats a call. */
	for (c = p = r->p + 1; c < r->end && plain_byte[(unsigned char)*c]; c++)
		;
	if (c == r->end || *c != '"')
		return false;
	*text = p;
	*len = (size_t)(c - p);
	r->p = c + 1;
	return true;
}

/* A string of at most SHORT_MAX - 1 bytes, as a C string; *len its
 * length if not NULL. */
static bool
short_string(struct reader *r, char buf[SHORT_MAX], const char *toolong,
    size_t *len)
{
	const char *text;
	size_t n;

	r->nul = false;
	if (plain_string(r, &text, &n)) {
		if (n >= SHORT_MAX)
			return fail(r, toolong);
		memcpy(buf, text, n);
	} else if (!string(r, (uint8_t *)buf, SHORT_MAX - 1, &n))
		return false;
	if (n >= SHORT_MAX || r->nul)
		return fail(r, toolong);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return true;
}

struct name {
	const char	*text;
	size_t		 len;
};
#define NAME(s)	{ s, sizeof(s) - 1 }

/* The index of key among names, or count. */
static size_t
lookup(const struct name *names, size_t count, const char *key, size_t len)
{
	size_t k;

	for (k = 0; k < count; k++)
		if (names[k].len == len && names[k].text[0] == key[0] &&
		    memcmp(names[k].text, key, len) == 0)
			break;
	return k;
}

/*
 * A number. *v is its value when it is a whole number in 0..UINT32_MAX
 * written without fraction or exponent; *whole says if it is.
 */
static bool
number(struct reader *r, unsigned long long *v, bool *whole)
{
	const char *start = r->p;

	*v = 0;
	*whole = true;
	if (r->p < r->end && *r->p == '-') {
		r->p++;
		*whole = false;
	}
	if (r->p == r->end || *r->p < '0' || *r->p > '9')
		return fail(r, "not JSON");
	if (*r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' &&
	    r->p[1] <= '9')
		return fail(r, "number with a leading zero");
	const char *digits = r->p;
	unsigned long long val = 0;

	for (; r->p < r->end && *r->p >= '0' && *r->p <= '9'; r->p++)
		val = val * 10 + (unsigned)(*r->p - '0');
	/* Past ten digits the value may have wrapped: not a small one. */
	if (r->p - digits > 10 || val > 0xffffffffULL)
		*whole = false;
	*v = val;
	if (r->p < r->end && *r->p == '.') {
		*whole = false;
		if (++r->p == r->end || *r->p < '0' || *r->p > '9')
			return fail(r, "not JSON");
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		*whole = false;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p == r->end || *r->p < '0' || *r->p > '9')
			return fail(r, "not JSON");
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	}
	return r->p > start;
}

static bool	skip_value(struct reader *r, int depth);

/* Objects and arrays we only read past. */
static bool
skip_container(struct reader *r, int depth, char close)
{
	size_t n;

	if (depth >= DEPTH_MAX)
		return fail(r, "nested too deep");
	if (take(r, close))
		return true;
	do {
		if (close == '}' && (!string(r, NULL, 0, &n) || !take(r, ':')))
			return fail(r, "not JSON");
		if (!skip_value(r, depth + 1))
			return false;
	} while (take(r, ','));
	return take(r, close) || fail(r, "not JSON");
}

static bool
skip_value(struct reader *r, int depth)
{
	unsigned long long v;
	const char *text;
	bool whole;
	size_t n;

	switch (peek(r)) {
	case '"':	return plain_string(r, &text, &n) ||
			    string(r, NULL, 0, &n);
	case '{':	r->p++; return skip_container(r, depth, '}');
	case '[':	r->p++; return skip_container(r, depth, ']');
	case 't':	return word(r, "true", 4);
	case 'f':	return word(r, "false", 5);
	case 'n':	return word(r, "null", 4);
	default:	return number(r, &v, &whole);
	}
}

static bool
is_null(struct reader *r)
{
	return peek(r) == 'n' && word(r, "null", 4);
}

/* A whole number 0..max, as a number. */
static bool
small_number(struct reader *r, unsigned long max, unsigned long *v,
    const char *what)
{
	unsigned long long n;
	bool whole;

	if (peek(r) == '"' || peek(r) == '{' || peek(r) == '[' ||
	    peek(r) == 't' || peek(r) == 'f' || peek(r) == 'n')
		return fail(r, what);
	if (!number(r, &n, &whole))
		return false;
	if (!whole || n > max)
		return fail(r, what);
	*v = (unsigned long)n;
	return true;
}

/* aa:bb:cc:dd:ee:ff as rawrecv writes it, straight from the line. */
static bool
mac_colons(const char *t, size_t len, uint8_t mac[MAC_LEN])
{
	unsigned int bad = 0;

	if (len != MAC_TEXT_LEN - 1)
		return false;
	for (int i = 0; i < MAC_LEN; i++) {
		unsigned int hi = (unsigned int)hex_digit(t[3 * i]);
		unsigned int lo = (unsigned int)hex_digit(t[3 * i + 1]);

		bad |= hi | lo;
		if (i < MAC_LEN - 1 && t[3 * i + 2] != ':')
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return bad <= 0xf;
}

static bool
mac_value(struct reader *r, uint8_t mac[MAC_LEN], const char *what)
{
	char buf[SHORT_MAX];
	const char *text;
	size_t len;

	if (peek(r) != '"')
		return fail(r, what);
	if (plain_string(r, &text, &len)) {
		/* Other spellings (dashes, upper case) the long way. */
		if (mac_colons(text, len, mac))
			return true;
		if (len >= SHORT_MAX)
			return fail(r, what);
		memcpy(buf, text, len);
		buf[len] = '\0';
	} else if (!short_string(r, buf, what, NULL))
		return fail(r, what);
	return mac_parse(buf, mac) == 0 || fail(r, what);
}

/*
 * An ethertype: a number, or a string holding 0x and up to four hex
 * digits (any value: a captured 802.3 frame has a length there) or a
 * name ethertype_parse knows.
 */
static bool
type_value(struct reader *r, uint16_t *type, const char *what)
{
	char text[SHORT_MAX];
	unsigned long v = 0;
	const char *why;
	size_t i;

	if (peek(r) != '"') {
		if (!small_number(r, 0xffff, &v, what))
			return false;
		*type = (uint16_t)v;
		return true;
	}
	if (!short_string(r, text, what, NULL))
		return false;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		for (i = 2; text[i] != '\0' && i < 6; i++) {
			int d = hex_digit((unsigned char)text[i]);

			if (d < 0)
				return fail(r, what);
			v = v << 4 | (unsigned long)d;
		}
		if (i == 2 || text[i] != '\0')
			return fail(r, what);
		*type = (uint16_t)v;
		return true;
	}
	return ethertype_parse(text, false, type, &why) == 0 ||
	    fail(r, what);
}

struct parsed {
	uint8_t		 dst[MAC_LEN], src[MAC_LEN];
	uint16_t	 type, tpid;
	long		 tci;		/* -1: untagged */
	size_t		 payload;	/* bytes at out + JSONFRAME_HDR_MAX */
};

static bool
vlan_value(struct reader *r, struct parsed *f)
{
	static const struct name keys[] = { NAME("tpid"), NAME("id"),
	    NAME("pcp"), NAME("dei") };
	static const unsigned long max[] = { 0, 4095, 7, 1 };
	unsigned long v[4] = { 0x8100, 0, 0, 0 };
	unsigned int seen = 0;
	char key[SHORT_MAX];
	uint16_t tpid;

	if (is_null(r)) {
		f->tci = -1;
		return true;
	}
	if (r->why != NULL || !take(r, '{'))
		return fail(r, "vlan: not an object or null");
	if (!take(r, '}'))
		do {
			size_t k, len;

			if (!short_string(r, key, "vlan: unknown key", &len) ||
			    !take(r, ':'))
				return fail(r, "not JSON");
			if ((k = lookup(keys, 4, key, len)) == 4)
				return fail(r, "vlan: unknown key (tpid, id, "
				    "pcp and dei are its keys)");
			if (seen & 1u << k)
				return fail(r, "vlan: a key given twice");
			seen |= 1u << k;
			if (k == 0) {
				if (!type_value(r, &tpid, "vlan: tpid is not "
				    "0x8100 or 0x88a8"))
					return false;
				if (tpid != 0x8100 && tpid != 0x88a8)
					return fail(r, "vlan: tpid is not "
					    "0x8100 or 0x88a8");
				v[0] = tpid;
			} else if (!small_number(r, max[k], &v[k], k == 1 ?
			    "vlan: id is not 0-4095" : k == 2 ?
			    "vlan: pcp is not 0-7" : "vlan: dei is not 0 or 1"))
				return false;
		} while (take(r, ','));
	if (!take(r, '}'))
		return fail(r, "not JSON");
	if (!(seen & 2u))
		return fail(r, "vlan: no id");
	f->tpid = (uint16_t)v[0];
	f->tci = (long)(v[2] << 13 | v[3] << 12 | v[1]);
	return true;
}


static bool
hex_payload(struct reader *r, uint8_t *d, size_t cap, size_t *n)
{
	const char *p, *q;
	unsigned int bad = 0;
	size_t len;

	if (peek(r) != '"')
		return fail(r, "payload: not a string of hex digits");
	/* Hex is plain ASCII: decoded straight from the line. */
	p = r->p + 1;
	if ((q = memchr(p, '"', (size_t)(r->end - p))) == NULL)
		return fail(r, "unterminated string");
	len = (size_t)(q - p);
	*n = len / 2;
	/* Decoded first, judged after: one pass, no branch per byte. */
	/* A digit's value is 0-15; anything else comes out as ~0. */
	for (size_t i = 0; i < *n && i < cap; i++) {
		unsigned int hi = (unsigned int)hex_digit(p[2 * i]);
		unsigned int lo = (unsigned int)hex_digit(p[2 * i + 1]);

		bad |= hi | lo;
		d[i] = (uint8_t)(hi << 4 | lo);
	}
	for (size_t i = 2 * (*n < cap ? *n : cap); i < len; i++)
		bad |= (unsigned int)hex_digit(p[i]);
	if (bad > 0xf)
		return fail(r, "payload: not a string of hex digits");
	if (len % 2 != 0)
		return fail(r, "payload: odd number of hex digits");
	if (*n > cap)
		return fail(r, "too long");
	r->p = q + 1;
	return true;
}

/* In the order rawrecv writes them, so lookup() finds them soonest. */
enum key { K_TS, K_IFACE, K_PKTTYPE, K_SRC, K_DST, K_TYPE, K_VLAN, K_LEN,
	K_CAPLEN, K_PAYLOAD, K_TEXT, K_COUNT };

static const struct name key_names[K_COUNT] = { NAME("ts_ns"),
	NAME("iface"), NAME("pkttype"), NAME("src"), NAME("dst"),
	NAME("ethertype"), NAME("vlan"), NAME("len"), NAME("caplen"),
	NAME("payload"), NAME("text") };

static bool
unknown_key(struct reader *r, const char *key)
{
	static _Thread_local char why[4 * SHORT_MAX + 96];

	snprintf(why, sizeof(why), "unknown key '%s' (keys: dst, src, "
	    "ethertype, vlan, payload, text)", shown(key));
	return fail(r, why);
}

static bool
member(struct reader *r, struct parsed *f, unsigned int *seen, uint8_t *pay,
    size_t cap)
{
	char buf[SHORT_MAX];
	const char *key = buf;
	size_t k, len;

	if (peek(r) != '"')
		return fail(r, "not JSON");
	/* A key is looked up where it stands, unless it has escapes. */
	if (!plain_string(r, &key, &len) &&
	    !short_string(r, buf, "unknown key", &len))
		return false;
	if (!take(r, ':'))
		return fail(r, "not JSON");
	if ((k = lookup(key_names, K_COUNT, key, len)) == K_COUNT) {
		if (key != buf) {
			if (len >= SHORT_MAX)
				len = SHORT_MAX - 1;
			memcpy(buf, key, len);
			buf[len] = '\0';
		}
		return unknown_key(r, buf);
	}
	if (*seen & 1u << k)
		return fail(r, "a key given twice");
	*seen |= 1u << k;
	switch (k) {
	case K_DST:
		return mac_value(r, f->dst, "dst: not a MAC address");
	case K_SRC:
		return mac_value(r, f->src, "src: not a MAC address");
	case K_TYPE:
		return type_value(r, &f->type, "ethertype: not 0x0000-0xffff "
		    "or a known name");
	case K_VLAN:
		return vlan_value(r, f);
	case K_PAYLOAD:
		if (*seen & 1u << K_TEXT)
			return fail(r, "both payload and text");
		return hex_payload(r, pay, cap, &f->payload);
	case K_TEXT:
		if (*seen & 1u << K_PAYLOAD)
			return fail(r, "both payload and text");
		if (peek(r) != '"')
			return fail(r, "text: not a string");
		if (!string(r, pay, cap, &f->payload))
			return false;
		return f->payload <= cap || fail(r, "too long");
	default:
		return skip_value(r, 0);
	}
}

long
jsonframe_decode(const struct jsonframe_defaults *d, const char *line,
    size_t len, uint8_t *out, size_t outmax, const char **why)
{
	struct reader r = { line, line + len, NULL, false };
	struct parsed f = { .type = d->type, .tpid = d->vlan_tpid,
	    .tci = d->vlan_tci };
	uint8_t *pay = out + JSONFRAME_HDR_MAX;
	size_t cap = outmax > JSONFRAME_HDR_MAX ? outmax - JSONFRAME_HDR_MAX :
	    0;
	unsigned int seen = 0;
	size_t hdr;

	memcpy(f.dst, d->dst, MAC_LEN);
	memcpy(f.src, d->src, MAC_LEN);
	if (!take(&r, '{')) {
		*why = "not a JSON object";
		return -1;
	}
	if (!take(&r, '}')) {
		do {
			if (!member(&r, &f, &seen, pay, cap))
				goto bad;
		} while (take(&r, ','));
		if (!take(&r, '}')) {
			fail(&r, "not JSON");
			goto bad;
		}
	}
	blanks(&r);
	if (r.p != r.end) {
		fail(&r, "text after the object");
		goto bad;
	}
	if (d->need_dst && !(seen & 1u << K_DST)) {
		fail(&r, "no dst (a reply names its destination)");
		goto bad;
	}
	hdr = f.tci >= 0 ? JSONFRAME_HDR_MAX : FRAME_HDR_LEN;
	memmove(out + hdr, pay, f.payload);
	memcpy(out, f.dst, MAC_LEN);
	memcpy(out + MAC_LEN, f.src, MAC_LEN);
	if (f.tci >= 0) {
		out[12] = (uint8_t)(f.tpid >> 8);
		out[13] = (uint8_t)f.tpid;
		out[14] = (uint8_t)(f.tci >> 8);
		out[15] = (uint8_t)f.tci;
	}
	out[hdr - 2] = (uint8_t)(f.type >> 8);
	out[hdr - 1] = (uint8_t)f.type;
	return (long)(hdr + f.payload);
bad:
	*why = r.why;
	return -1;
}
