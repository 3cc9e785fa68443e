/*
 * A strict JSON reader (RFC 8259) for the fuzz harnesses and unit tests,
 * just enough to say "valid" or not and to hold an object to its schema:
 * top-level keys in order, and the keys of any nested object. Header only:
 * each harness is one file built on its own.
 */
#ifndef RAWSOCK_JSONREAD_H
#define RAWSOCK_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct jp {
	const char	*s, *end;
	int		 depth;
	const char *const *nested;	/* keys of a nested object */
	size_t		 nnested;	/* 0: no nested object allowed */
};

static bool	json_value(struct jp *j);

static void
json_ws(struct jp *j)
{
	while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' ||
	    *j->s == '\n' || *j->s == '\r'))
		j->s++;
}

static bool
json_string(struct jp *j, const char **start, size_t *len)
{
	const char *p;

	if (j->s >= j->end || *j->s != '"')
		return false;
	p = ++j->s;
	while (j->s < j->end && *j->s != '"') {
		unsigned char c = (unsigned char)*j->s;

		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++j->s >= j->end)
				return false;
			if (*j->s == 'u') {
				for (int i = 0; i < 4; i++)
					if (++j->s >= j->end || *j->s == '\0' ||
					    strchr("0123456789abcdefABCDEF",
					    *j->s) == NULL)
						return false;
			} else if (*j->s == '\0' ||
			    strchr("\"\\/bfnrt", *j->s) == NULL)
				return false;
		}
		j->s++;
	}
	if (j->s >= j->end)
		return false;
	if (start != NULL) {
		*start = p;
		*len = (size_t)(j->s - p);
	}
	j->s++;
	return true;
}

/* Integers only: our formats write no fractions or exponents. */
static bool
json_number(struct jp *j)
{
	const char *p;

	if (j->s < j->end && *j->s == '-')
		j->s++;
	if (j->s < j->end && *j->s == '0') {
		j->s++;
		return true;	/* no leading zeros */
	}
	for (p = j->s; j->s < j->end && *j->s >= '0' && *j->s <= '9'; j->s++)
		;
	return j->s > p;
}

static bool
json_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->s) < n || memcmp(j->s, lit, n) != 0)
		return false;
	j->s += n;
	return true;
}

/* An object whose keys are exactly keys[0..nkeys), in that order. */
static bool
json_object(struct jp *j, const char *const *keys, size_t nkeys)
{
	size_t k = 0;

	j->s++;
	if (++j->depth > 8)
		return false;
	json_ws(j);
	for (;;) {
		const char *key;
		size_t len;

		if (!json_string(j, &key, &len))
			return false;
		if (k >= nkeys || len != strlen(keys[k]) ||
		    memcmp(key, keys[k], len) != 0)
			return false;
		k++;
		json_ws(j);
		if (j->s >= j->end || *j->s++ != ':' || !json_value(j))
			return false;
		json_ws(j);
		if (j->s >= j->end)
			return false;
		if (*j->s == ',') {
			j->s++;
			json_ws(j);
			continue;
		}
		if (*j->s++ != '}')
			return false;
		j->depth--;
		return k == nkeys;
	}
}

static bool
json_value(struct jp *j)
{
	json_ws(j);
	if (j->s >= j->end)
		return false;
	switch (*j->s) {
	case '{':
		/* One level down, inside the top object, and only where the
		 * schema has one. */
		return j->depth == 1 && j->nnested > 0 &&
		    json_object(j, j->nested, j->nnested);
	case '"':
		return json_string(j, NULL, NULL);
	case 'n':
		return json_lit(j, "null");
	case 't':
		return json_lit(j, "true");
	case 'f':
		return json_lit(j, "false");
	default:
		return json_number(j);	/* arrays too end here: refused */
	}
}

/*
 * True if s[0..n) is one JSON object with exactly keys, in order, and
 * nothing after it; a nested object must have exactly the nested keys.
 */
static bool
json_check(const char *s, size_t n, const char *const *keys, size_t nkeys,
    const char *const *nested, size_t nnested)
{
	struct jp j = { s, s + n, 0, nested, nnested };

	if (n == 0 || s[0] != '{' || !json_object(&j, keys, nkeys))
		return false;
	json_ws(&j);
	return j.s == j.end;
}

#endif
