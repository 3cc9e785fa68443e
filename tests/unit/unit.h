/* A tiny TAP producer for the C unit tests: one "ok"/"not ok" per check. */
#ifndef RAWSOCK_UNIT_H
#define RAWSOCK_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_n, unit_failed;

#define CHECK(cond, name) do {						\
	unit_n++;							\
	if (cond)							\
		printf("ok %d - %s\n", unit_n, name);			\
	else {								\
		unit_failed++;						\
		printf("not ok %d - %s (%s:%d)\n", unit_n, name,	\
		    __FILE__, __LINE__);				\
	}								\
} while (0)

/* One string of a failed CHECK_STR, as a TAP comment, C-escaped. */
static inline void
unit_show(const char *label, const char *s)
{
	printf("#   %s ", label);
	if (s == NULL) {
		printf("(null)\n");
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			printf("\\n");
		else if (c == '\t')
			printf("\\t");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\%03o", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

/* CHECK that two strings are equal; on failure, shows both. */
#define CHECK_STR(got, want, name) do {					\
	const char *unit_got = (got), *unit_want = (want);		\
	int unit_same = unit_got != NULL && unit_want != NULL &&	\
	    strcmp(unit_got, unit_want) == 0;				\
	CHECK(unit_same, name);						\
	if (!unit_same) {						\
		unit_show("got: ", unit_got);				\
		unit_show("want:", unit_want);				\
	}								\
} while (0)

#define CHECK_MEM(got, gotlen, want, wantlen, name)			\
	CHECK((gotlen) == (wantlen) && memcmp((got), (want), (wantlen)) == 0, name)

static inline int
unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed != 0;
}

#endif
