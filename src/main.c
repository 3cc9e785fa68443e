/*
 * rawsock: a multi-call binary. The applet is chosen by the basename of
 * argv[0] (rawsend, rawrecv, ...) or by the first argument (rawsock send).
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "applet.h"
#include "opts.h"

struct applet {
	const char *name;
	const char *summary;
	int (*main)(int, char *[]);
	const struct optspec *options;
};

static const struct applet applets[] = {
#define APPLET(id, name, summary) { name, summary, id##_main, &id##_options },
#include "applets.h"
#undef APPLET
};

static const size_t napplets = sizeof(applets) / sizeof(applets[0]);

static const struct applet *
find_applet(const char *name)
{
	for (size_t i = 0; i < napplets; i++) {
		const char *n = applets[i].name;
		/* "rawsock send" works as well as "rawsock rawsend". */
		if (strcmp(name, n) == 0 ||
		    (strncmp(n, "raw", 3) == 0 && strcmp(name, n + 3) == 0))
			return &applets[i];
	}
	return NULL;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: rawsock APPLET [ARGS...]\n"
	    "       rawsock --list | --help | --version | --complete bash|zsh|fish\n"
	    "\napplets:\n");
	for (size_t i = 0; i < napplets; i++)
		fprintf(fp, "  %-14s %s\n", applets[i].name, applets[i].summary);
	fprintf(fp, "\nRun 'rawsock APPLET --help' for an applet's options.\n");
}

/*
 * At exit, whatever stdio still holds for standard output goes out, and a
 * write that failed (a full disk, a closed descriptor) turns the status
 * into 2 with one line; a reader that went away is a quiet exit, as in
 * out.c.
 */
static void
check_stdout(void)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return;
	e = errno;
	if (e == EPIPE)
		return;
	if (e != 0)
		warnx("write error on standard output: %s", strerror(e));
	else
		warnx("write error on standard output");
	_exit(EXIT_ERROR);
}

/* rawsock --complete SHELL: the completion script, from the tables. */
static int
complete(int argc, char *argv[])
{
	struct optapplet list[sizeof(applets) / sizeof(applets[0])];

	for (size_t i = 0; i < napplets; i++)
		list[i] = (struct optapplet){ applets[i].name,
		    applets[i].options };
	if (argc == 3 && opt_complete(argv[2], list, napplets, stdout) == 0)
		return EXIT_OK;
	setprogname("rawsock");
	usage_error("--complete takes bash, zsh or fish");
}

int
main(int argc, char *argv[])
{
	const char *base = argc > 0 && argv[0] ? argv[0] : "rawsock";
	const char *slash = strrchr(base, '/');
	const struct applet *a;

	if (slash)
		base = slash + 1;
	atexit(check_stdout);
	if ((a = find_applet(base)) == NULL) {
		if (argc < 2) {
			usage(stderr);
			return EXIT_ERROR;
		}
		if (strcmp(argv[1], "--list") == 0) {
			for (size_t i = 0; i < napplets; i++)
				puts(applets[i].name);
			return EXIT_OK;
		}
		if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[1], "--complete") == 0)
			return complete(argc, argv);
		/* Hidden: the option table of an applet, for docs.bats. */
		if (strcmp(argv[1], "--options") == 0 && argc == 3 &&
		    (a = find_applet(argv[2])) != NULL) {
			opt_dump(a->options, stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[1], "--version") == 0) {
			setprogname("rawsock");
			print_version();
		}
		if ((a = find_applet(argv[1])) == NULL) {
			fprintf(stderr, "rawsock: unknown applet '%s' "
			    "(rawsock --list names them)\n", shown(argv[1]));
			return EXIT_NO_APPLET;
		}
		argc--;
		argv++;
	}
	/* Every message of err(3) and friends starts with the applet's name. */
	setprogname(a->name);
	/* glibc's err(3) reads its own copy of the name. */
	program_invocation_short_name = (char *)a->name;
	return a->main(argc, argv);
}
