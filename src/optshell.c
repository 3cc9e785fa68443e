/*
 * The option tables seen from outside: rawsock --options APPLET dumps one
 * (docs.bats checks --help and the man pages against it), rawsock
 * --complete SHELL prints the bash, zsh or fish completion of every
 * applet from them (completions/ holds the three; completion.bats checks
 * that they are what the binary prints).
 */
#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "opts.h"

static const char *const comp_names[] = {
	[OC_NONE] = "none", [OC_IFACE] = "iface",
	[OC_ETHERTYPE] = "ethertype", [OC_ETHERTYPE_ANY] = "ethertype-any",
	[OC_FILE] = "file", [OC_USER] = "user", [OC_COMMAND] = "command",
	[OC_WORDS] = "words",
};

static const char *
dash(const char *s)
{
	return s != NULL ? s : "-";
}

void
opt_dump(const struct optspec *spec, FILE *fp)
{
	struct optparse p;

	opt_init(&p, spec, NULL);
	for (size_t i = 0; i < p.n; i++) {
		const struct optdef *d = &p.defs[i];

		if (d->key < 256)
			fprintf(fp, "-%c\t", d->key);
		else
			fputs("-\t", fp);
		fprintf(fp, "%s%s\t%s\t%s\t%s\t", d->name ? "--" : "",
		    dash(d->name), dash(d->arg),
		    d->arg ? comp_names[d->comp] : "-", dash(d->words));
		if (d->alias > 0 && d->alias < 256)
			fprintf(fp, "-%c\n", d->alias);
		else
			fputs("-\n", fp);
	}
}

/* The first line of a help text, with only bytes no shell quoting or
 * zsh's _arguments can take for syntax. */
static void
put_desc(FILE *fp, const char *help)
{
	for (const char *h = help; *h != '\0' && *h != '\n'; h++)
		if (strchr("'\"\\[]:$`", *h) == NULL)
			fputc(*h, fp);
}

static void
put_words(FILE *fp, const char *words, const char *sep)
{
	for (const char *w = words; *w != '\0'; w++)
		fputs(*w == ' ' ? sep : (char[2]){ *w, '\0' }, fp);
}

static void
bash_applet(FILE *fp, const char *name, const struct optparse *p,
    const char *ethertypes)
{
	(void)ethertypes;
	fprintf(fp, "'%s|", name);
	for (size_t i = 0, first = 1; i < p->n; i++) {
		const struct optdef *d = &p->defs[i];
		static const char *const kinds[] = {
			[OC_NONE] = "", [OC_IFACE] = "iface",
			[OC_ETHERTYPE] = "type", [OC_ETHERTYPE_ANY] = "typeany",
			[OC_FILE] = "file", [OC_USER] = "user",
			[OC_COMMAND] = "cmd", [OC_WORDS] = "words:",
		};

		for (int pass = 0; pass < 2; pass++) {
			if (pass == 0 && d->key >= 256)
				continue;
			if (pass == 1 && d->name == NULL)
				continue;
			fprintf(fp, "%s%s", first ? "" : " ",
			    d->help == NULL ? "!" : "");
			first = 0;
			if (pass == 0)
				fprintf(fp, "-%c", d->key);
			else
				fprintf(fp, "--%s", d->name);
			if (d->arg == NULL)
				continue;
			fprintf(fp, "=%s", kinds[d->comp]);
			if (d->comp == OC_WORDS)
				put_words(fp, d->words, ",");
		}
	}
	fputs("'\n", fp);
}

static const char bash_head[] =
"# bash completion for rawsock and its applets.             -*- shell-script -*-\n"
"# Made by `rawsock --complete bash` from the option tables: do not edit.\n"
"# Installed as .../bash-completion/completions/rawsock, with a link named\n"
"# after each applet, so bash-completion loads it for any of them. It needs\n"
"# nothing from the bash-completion package.\n"
"\n"
"# One line per applet: NAME|OPTIONS. An option that takes a value ends in\n"
"# '=KIND': iface (interface names), type (ethertype names), typeany (the\n"
"# same and \"any\"), words:A,B (one of those), file, user, cmd, or nothing\n"
"# (a number or a MAC: no guesses). '!' marks another spelling, not offered.\n"
"_rawsock_table=(\n";

static const char bash_body[] =
"# _rawsock_line NAME: the table line of applet NAME (\"send\" is \"rawsend\").\n"
"_rawsock_line() {\n"
"\tlocal line\n"
"\tfor line in \"${_rawsock_table[@]}\"; do\n"
"\t\tcase ${line%%|*} in\n"
"\t\t\"$1\" | \"raw$1\") printf '%s\\n' \"$line\"; return 0 ;;\n"
"\t\tesac\n"
"\tdone\n"
"\treturn 1\n"
"}\n"
"\n"
"# _rawsock_reply COMPGEN-ARGS...: one completion per line of compgen,\n"
"# so names with blanks stay whole.\n"
"_rawsock_reply() {\n"
"\tmapfile -t COMPREPLY < <(compgen \"$@\")\n"
"}\n"
"\n"
"_rawsock_complete() {\n"
"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=\"\" applet line opts\n"
"\tlocal kind=\"\" names=\"\" l o\n"
"\tlocal -a words=(\"${COMP_WORDS[@]:0:COMP_CWORD}\")\n"
"\n"
"\tCOMPREPLY=()\n"
"\tapplet=${words[0]##*/}\n"
"\tif [ \"$applet\" = rawsock ]; then\n"
"\t\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
"\t\t\tfor l in \"${_rawsock_table[@]}\"; do\n"
"\t\t\t\tnames=\"$names ${l%%|*}\"\n"
"\t\t\tdone\n"
"\t\t\tcase $cur in\n"
"\t\t\t-*) names=\"--complete --help --list --version\" ;;\n"
"\t\t\tesac\n"
"\t\t\t_rawsock_reply -W \"$names\" -- \"$cur\"\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\t\tif [ \"${words[1]}\" = --complete ]; then\n"
"\t\t\t[ \"$COMP_CWORD\" -eq 2 ] &&\n"
"\t\t\t    _rawsock_reply -W \"bash fish zsh\" -- \"$cur\"\n"
"\t\t\treturn 0\n"
"\t\tfi\n"
"\t\t# \"rawsock APPLET ARGS...\": complete ARGS as APPLET's.\n"
"\t\tapplet=${words[1]}\n"
"\t\twords=(\"${words[@]:1}\")\n"
"\tfi\n"
"\tline=$(_rawsock_line \"$applet\") || return 0\n"
"\topts=${line#*|}\n"
"\n"
"\t# COMP_WORDBREAKS splits \"--type=ar\" into \"--type\" \"=\" \"ar\".\n"
"\tif [ \"$cur\" = \"=\" ]; then\n"
"\t\tcur=\"\"\n"
"\t\tprev=${words[${#words[@]} - 1]}\n"
"\telif [ \"${#words[@]}\" -gt 1 ]; then\n"
"\t\tprev=${words[${#words[@]} - 1]}\n"
"\t\t[ \"$prev\" = \"=\" ] && [ \"${#words[@]}\" -gt 2 ] &&\n"
"\t\t    prev=${words[${#words[@]} - 2]}\n"
"\tfi\n"
"\n"
"\t# Does prev take a value, and of what kind?\n"
"\tfor o in $opts; do\n"
"\t\to=${o#!}\n"
"\t\tcase $o in\n"
"\t\t\"$prev=\"*) kind=${o#*=}; [ -n \"$kind\" ] || kind=none; break ;;\n"
"\t\tesac\n"
"\tdone\n"
"\tcase $kind in\n"
"\tiface)\n"
"\t\tlocal -a ifaces=(/sys/class/net/*)\n"
"\t\t_rawsock_reply -W \"${ifaces[*]##*/}\" -- \"$cur\" ;;\n"
"\ttype)\n"
"\t\t_rawsock_reply -W \"$_rawsock_ethertypes\" -- \"$cur\" ;;\n"
"\ttypeany)\n"
"\t\t_rawsock_reply -W \"$_rawsock_ethertypes any\" -- \"$cur\" ;;\n"
"\twords:*)\n"
"\t\tl=${kind#words:}\n"
"\t\t_rawsock_reply -W \"${l//,/ }\" -- \"$cur\" ;;\n"
"\tfile)\n"
"\t\tcompopt -o filenames 2> /dev/null\n"
"\t\t_rawsock_reply -f -- \"$cur\" ;;\n"
"\tuser)\n"
"\t\t_rawsock_reply -u -- \"$cur\" ;;\n"
"\tcmd)\n"
"\t\t_rawsock_reply -c -- \"$cur\" ;;\n"
"\tnone)\n"
"\t\t;;\n"
"\t*)\n"
"\t\tcase $cur in\n"
"\t\t\"\" | -*)\n"
"\t\t\tnames=\"\"\n"
"\t\t\tfor o in $opts; do\n"
"\t\t\t\tcase $o in\n"
"\t\t\t\t!*) ;;\n"
"\t\t\t\t*) names=\"$names ${o%%=*}\" ;;\n"
"\t\t\t\tesac\n"
"\t\t\tdone\n"
"\t\t\t_rawsock_reply -W \"$names\" -- \"$cur\" ;;\n"
"\t\tesac ;;\n"
"\tesac\n"
"\treturn 0\n"
"}\n"
"\n"
"# Every applet name, and rawsock itself, completes through the table.\n"
"complete -F _rawsock_complete rawsock\n"
"for _rawsock_l in \"${_rawsock_table[@]}\"; do\n"
"\tcomplete -F _rawsock_complete \"${_rawsock_l%%|*}\"\n"
"done\n"
"unset _rawsock_l\n";

static void
bash_script(FILE *fp, const struct optapplet *a, size_t n,
    const char *ethertypes)
{
	struct optparse p;

	fputs(bash_head, fp);
	for (size_t i = 0; i < n; i++) {
		opt_init(&p, a[i].spec, NULL);
		bash_applet(fp, a[i].name, &p, ethertypes);
	}
	fprintf(fp, ")\n\n# The names -t takes besides numbers (from "
	    "ethertype_list(), src/frame.c).\n_rawsock_ethertypes='%s'\n\n",
	    ethertypes);
	fputs(bash_body, fp);
}

static void
zsh_action(FILE *fp, const struct optdef *d, const char *ethertypes)
{
	switch (d->comp) {
	case OC_NONE:
		fputs(" ", fp);
		break;
	case OC_IFACE:
		fputs("_rawsock_ifaces", fp);
		break;
	case OC_ETHERTYPE:
		fprintf(fp, "(%s)", ethertypes);
		break;
	case OC_ETHERTYPE_ANY:
		fprintf(fp, "(%s any)", ethertypes);
		break;
	case OC_FILE:
		fputs("_files", fp);
		break;
	case OC_USER:
		fputs("_users", fp);
		break;
	case OC_COMMAND:
		fputs("_command_names -e", fp);
		break;
	case OC_WORDS:
		fprintf(fp, "(%s)", d->words);
		break;
	}
}

static void
zsh_applet(FILE *fp, const char *name, const struct optparse *p,
    const char *ethertypes)
{
	fprintf(fp, "_rawsock_%s() {\n\t_arguments -s -S", name);
	for (size_t i = 0; i < p->n; i++) {
		const struct optdef *d = &p->defs[i];
		bool both = d->key < 256 && d->name != NULL;

		fputs(" \\\n\t    ", fp);
		if (both)
			fprintf(fp, "'(-%c --%s)'{-%c%s,--%s%s}'", d->key, d->name,
			    d->key, d->arg ? "+" : "", d->name, d->arg ? "=" : "");
		else if (d->key < 256)
			fprintf(fp, "'-%c%s", d->key, d->arg ? "+" : "");
		else
			fprintf(fp, "'--%s%s", d->name, d->arg ? "=" : "");
		fputc('[', fp);
		if (d->help != NULL)
			put_desc(fp, d->help);
		else
			fprintf(fp, "same as -%c", d->alias);
		fputc(']', fp);
		if (d->arg != NULL) {
			fprintf(fp, ":%s:", d->arg);
			zsh_action(fp, d, ethertypes);
		}
		fputc('\'', fp);
	}
	fputs("\n}\n\n", fp);
}

static void
zsh_script(FILE *fp, const struct optapplet *a, size_t n,
    const char *ethertypes)
{
	struct optparse p;

	fputs("#compdef rawsock", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, " %s", a[i].name);
	fputs("\n# zsh completion for rawsock and its applets. Made by "
	    "`rawsock --complete zsh`\n# from the option tables: do not "
	    "edit. Installed as site-functions/_rawsock.\n\n"
	    "_rawsock_ifaces() {\n\tlocal -a ifaces\n"
	    "\tifaces=(/sys/class/net/*(N:t))\n"
	    "\tcompadd -a ifaces\n}\n\n", fp);
	for (size_t i = 0; i < n; i++) {
		opt_init(&p, a[i].spec, NULL);
		zsh_applet(fp, a[i].name, &p, ethertypes);
	}
	fputs("local applet=${service##*/}\n"
	    "if [[ $applet == rawsock ]]; then\n"
	    "\tif (( CURRENT == 2 )); then\n"
	    "\t\tif [[ $PREFIX == -* ]]; then\n"
	    "\t\t\tcompadd -- --complete --help --list --version\n"
	    "\t\telse\n\t\t\tcompadd --", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, " %s", a[i].name);
	fputs("\n\t\tfi\n\t\treturn\n\tfi\n"
	    "\tif [[ $words[2] == --complete ]]; then\n"
	    "\t\t(( CURRENT == 3 )) && compadd -- bash fish zsh\n"
	    "\t\treturn\n\tfi\n"
	    "\tapplet=$words[2]\n"
	    "\t[[ $applet == raw* ]] || applet=raw$applet\n"
	    "\tshift words\n\t(( CURRENT-- ))\nfi\n"
	    "(( $+functions[_rawsock_$applet] )) && _rawsock_$applet\n", fp);
}

static void
fish_quote(FILE *fp, const char *help)
{
	fputc('\'', fp);
	for (const char *h = help; *h != '\0' && *h != '\n'; h++) {
		if (*h == '\'' || *h == '\\')
			fputc('\\', fp);
		fputc(*h, fp);
	}
	fputc('\'', fp);
}

static void
fish_applet(FILE *fp, const char *cmd, const char *cond,
    const struct optparse *p, const char *ethertypes)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct optdef *d = &p->defs[i];

		fprintf(fp, "complete -c %s%s", cmd, cond);
		if (d->key < 256)
			fprintf(fp, " -s %c", d->key);
		if (d->name != NULL)
			fprintf(fp, " -l %s", d->name);
		if (d->arg != NULL) {
			switch (d->comp) {
			case OC_NONE:
				fputs(" -x", fp);
				break;
			case OC_IFACE:
				fputs(" -x -a '(__rawsock_ifaces)'", fp);
				break;
			case OC_ETHERTYPE:
				fprintf(fp, " -x -a '%s'", ethertypes);
				break;
			case OC_ETHERTYPE_ANY:
				fprintf(fp, " -x -a '%s any'", ethertypes);
				break;
			case OC_FILE:
				fputs(" -r -F", fp);
				break;
			case OC_USER:
				fputs(" -x -a '(__fish_complete_users)'", fp);
				break;
			case OC_COMMAND:
				fputs(" -x -a '(__fish_complete_command)'", fp);
				break;
			case OC_WORDS:
				fprintf(fp, " -x -a '%s'", d->words);
				break;
			}
		}
		if (d->help != NULL) {
			fputs(" -d ", fp);
			fish_quote(fp, d->help);
		}
		fputc('\n', fp);
	}
}

static void
fish_script(FILE *fp, const struct optapplet *a, size_t n,
    const char *ethertypes)
{
	struct optparse p;
	char cond[256];

	fputs("# fish completion for rawsock and its applets. Made by "
	    "`rawsock --complete fish`\n# from the option tables: do not "
	    "edit. Installed in vendor_completions.d as\n# rawsock.fish and "
	    "once per applet name.\n\n"
	    "function __rawsock_ifaces\n"
	    "\tfor i in /sys/class/net/*\n"
	    "\t\tstring replace -r '.*/' '' -- $i\n"
	    "\tend\nend\n\n"
	    "complete -c rawsock -f\n"
	    "complete -c rawsock -n __fish_use_subcommand -x -a '", fp);
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s%s", i > 0 ? " " : "", a[i].name);
	fputs("'\ncomplete -c rawsock -n __fish_use_subcommand -l list "
	    "-d 'name the applets'\n"
	    "complete -c rawsock -n __fish_use_subcommand -l help\n"
	    "complete -c rawsock -n __fish_use_subcommand -l version\n"
	    "complete -c rawsock -n __fish_use_subcommand -l complete -x "
	    "-a 'bash fish zsh'\n", fp);
	for (size_t i = 0; i < n; i++) {
		opt_init(&p, a[i].spec, NULL);
		fprintf(fp, "\ncomplete -c %s -f\n", a[i].name);
		fish_applet(fp, a[i].name, "", &p, ethertypes);
		snprintf(cond, sizeof(cond),
		    " -n '__fish_seen_subcommand_from %s %s'", a[i].name,
		    strncmp(a[i].name, "raw", 3) == 0 ? a[i].name + 3 :
		    a[i].name);
		fish_applet(fp, "rawsock", cond, &p, ethertypes);
	}
}

int
opt_complete(const char *shell, const struct optapplet *a, size_t n,
    FILE *fp)
{
	char ethertypes[512];

	ethertype_list(ethertypes, sizeof(ethertypes));
	if (strcmp(shell, "bash") == 0)
		bash_script(fp, a, n, ethertypes);
	else if (strcmp(shell, "zsh") == 0)
		zsh_script(fp, a, n, ethertypes);
	else if (strcmp(shell, "fish") == 0)
		fish_script(fp, a, n, ethertypes);
	else
		return -1;
	return 0;
}
