#ifndef RAWSOCK_INPUT_H
#define RAWSOCK_INPUT_H
/*
 * Framing of standard input into records (payloads or whole frames):
 * all of it as one record, or records ended by newlines or NULs, each
 * line optionally in hex or vis(3) form, or each line a frame in JSON. Streams: each record is handed
 * over as soon as its delimiter arrives, and memory stays bounded by the
 * largest record allowed, whatever the input.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonframe.h"

enum framing {
	FRAMING_WHOLE,		/* all of the input is one record */
	FRAMING_LINES,		/* -l: newline-delimited, bytes as they are */
	FRAMING_HEX,		/* -x: newline-delimited hex */
	FRAMING_VIS,		/* --vis: newline-delimited vis(3) escapes */
	FRAMING_NUL,		/* -0: NUL-delimited */
	FRAMING_JSON,		/* --json: a frame per line, jsonframe.h */
};

struct input_sink {
	void	*ctx;
	/* A record, valid until batch_end(); recno counts from 1. */
	void	(*record)(void *ctx, const uint8_t *data, size_t len,
		    unsigned long long recno);
	/* No further record is ready: send what you have. */
	void	(*batch_end)(void *ctx);
	/* If not NULL, before each read: waits until fd has input (or its
	 * end) and returns true, or false to end the input early, as its
	 * end would. Reads then never block, so the caller's event loop
	 * sees signals while the input is idle. */
	bool	(*ready)(void *ctx, int fd);
	/* FRAMING_JSON: what a line leaves out. */
	const struct jsonframe_defaults *json;
};

struct input_error {
	unsigned long long recno;	/* 0: not about one record */
	const char	*why;
};

/*
 * Reads fd to its end, handing each record to sink. Records longer than
 * maxlen (after decoding) are refused; under FRAMING_JSON a record is a
 * whole frame, and maxlen counts its header and tag. 0 at the end, -1 and *e on the
 * first bad record or read error; records before it were handed over.
 */
int	input_run(int fd, enum framing framing, size_t maxlen,
	    const struct input_sink *sink, struct input_error *e);

/*
 * PAYLOAD arguments: joined by single spaces and decoded as framing asks
 * (hex, vis). The bytes (to free), *len their length; a bad one is one
 * line quoting it ("invalid PAYLOAD 'TEXT': WHY") and exit 2.
 */
uint8_t	*input_args(enum framing framing, int argc, char *argv[], size_t *len);

/*
 * Decodes one record in place (hex or vis; others are left as they are).
 * Returns the new length, or -1 and *why. Pure, for arguments and fuzzing.
 */
long	input_decode(enum framing framing, uint8_t *data, size_t len,
	    const char **why);

#endif
