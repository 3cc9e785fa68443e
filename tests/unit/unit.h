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

#define CHECK_STR(got, want, name)					\
	CHECK(strcmp((got), (want)) == 0, name)

#define CHECK_MEM(got, gotlen, want, wantlen, name)			\
	CHECK((gotlen) == (wantlen) && memcmp((got), (want), (wantlen)) == 0, name)

static inline int
unit_done(void)
{
	printf("1..%d\n", unit_n);
	return unit_failed != 0;
}

#endif
