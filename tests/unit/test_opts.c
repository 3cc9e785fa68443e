/* Unit tests for the option tables (opts.c): what opt_init builds for
 * getopt_long, the value opt_next parses for each kind, aliases, and the
 * option lines of --help. Errors exit, so only good command lines here;
 * tests/options.bats runs the bad ones. */
#include <stdlib.h>

#include "opts.h"
#include "unit.h"

enum { OPT_FLAG = OPT_OWN, OPT_WAIT };

static const struct optspec spec = {
	.usage = "usage: t [-q]\n",
	.footer = "Exit status: 0.\n",
	.opts = (const struct optdef[]){
	OPT_SHARED('i', .help = "the interface"),
	OPT_SHARED('t', .kind = OK_ETHERTYPE_ANY),
	OPT_SHARED('c'),
	{ 'a', "source", "MAC", OK_MAC, .help = "source" },
	{ 's', .alias = 'a' },
	{ 'j', "jobs", "JOBS", OK_RANGE, 1, 8, .help = "jobs,\nlong" },
	{ OPT_FLAG, "flag", NULL, OK_FLAG, .help = "a flag" },
	{ OPT_WAIT, "handler-timeout", "SECONDS", OK_POSITIVE_SECONDS,
	    .help = "a long one" },
	OPT_SHARED('q'),
	{ 0 } },
};

static void
test_init(void)
{
	struct optparse p;

	opt_init(&p, &spec, NULL);
	CHECK(p.n == 9, "every row, the alias too");
	CHECK_STR(p.shortopts, ":i:t:c:a:s:j:q", "the short string");
	CHECK_STR(p.longopts[0].name, "interface", "shared name");
	CHECK(p.longopts[0].has_arg == required_argument, "shared value");
	CHECK(p.defs[1].kind == OK_ETHERTYPE_ANY, "the row's kind wins");
	CHECK(p.defs[1].comp == OC_ETHERTYPE, "the shared completion stays");
	CHECK(p.defs[4].alias == 'a' && p.defs[4].help == NULL &&
	    p.defs[4].kind == OK_MAC, "an alias takes its target's row");
}

static void
test_next(void)
{
	char *argv[] = { "t", "-qc", "3", "-s", "02:00:00:00:00:01",
	    "--jobs=8", "-tany", "--flag", "--handler=0.5", "op", NULL };
	int argc = 10, keys[16], n = 0, c;
	struct optparse p;
	struct optval v, vals[16];

	opt_init(&p, &spec, NULL);
	optind = 1;
	while ((c = opt_next(&p, argc, argv, &v)) != -1 && n < 16) {
		vals[n] = v;
		keys[n++] = c;
	}
	CHECK(n == 7, "seven options");
	CHECK(keys[0] == 'q' && keys[1] == 'c' && vals[1].n == 3,
	    "a cluster and its value");
	CHECK(keys[2] == 'a' && vals[2].mac[5] == 1, "-s gives -a's key");
	CHECK(keys[3] == 'j' && vals[3].n == 8, "a range at its top");
	CHECK(keys[4] == 't' && vals[4].type == ETHERTYPE_ANY, "any");
	CHECK(keys[5] == OPT_FLAG && vals[5].text == NULL, "a long flag");
	CHECK(keys[6] == OPT_WAIT && vals[6].secs == 0.5,
	    "an abbreviated long option, seconds");
	CHECK(optind == 9 && strcmp(argv[optind], "op") == 0, "the operand");
}

static void
test_help(void)
{
	struct optparse p;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	opt_init(&p, &spec, NULL);
	opt_help(&p, fp);
	fclose(fp);
	CHECK_STR(buf,
	    "usage: t [-q]\n"
	    "\n"
	    "  -i, --interface IFACE  the interface\n"
	    "  -t, --type ETHERTYPE   0xEEFA (default), decimal, or a name\n"
	    "  -c, --count COUNT      stop after COUNT frames\n"
	    "  -a, --source MAC       source\n"
	    "  -j, --jobs JOBS        jobs,\n"
	    "                         long\n"
	    "      --flag             a flag\n"
	    "      --handler-timeout SECONDS\n"
	    "                         a long one\n"
	    "  -q, --quiet            no 'listening on' line on standard error\n"
	    "\n"
	    "Exit status: 0.\n", "--help: the rows, hidden aliases left out");
	free(buf);
}

int
main(void)
{
	test_init();
	test_next();
	test_help();
	return unit_done();
}
