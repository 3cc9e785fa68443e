#!/usr/bin/env bats
# The docs agree with the code: for every applet of `rawsock --list`, its
# --help, its man page's SYNOPSIS and option list, and rawsock(1)'s table
# of every option follow the applet's option table (rawsock --options);
# the man pages are clean mdoc; the README has the set-up commands. The
# completion scripts are checked in completion.bats. No root.

load helpers

setup_file() {
	[ -x "$BIN/rawsock" ] || {
		echo "# $BIN/rawsock is missing: run make first" >&3
		return 1
	}
}

# Applets, then "rawsock" itself.
applets() { "$BIN/rawsock" --list; }

help_of() {
	if [ "$1" = rawsock ]; then
		"$BIN/rawsock" --help
	else
		"$BIN/rawsock" "$1" --help
	fi
}

# The table of APPLET (rawsock --options): -L --long ARG COMPLETION WORDS
# ALIAS-OF, tab-separated, '-' for none.
table() { "$BIN/rawsock" --options "$1"; }

# Every spelling the table shows (not the hidden aliases), sorted.
table_opts() {
	table "$1" | awk -F '\t' '$6 == "-" {
	    if ($1 != "-") print $1; if ($2 != "-") print $2 }' | sort
}

# What a synopsis names: the letter, else the long name; not -h, --version.
table_synopsis() {
	table "$1" | awk -F '\t' '$6 == "-" && $1 != "-h" && $2 != "--version" {
	    print ($1 != "-" ? $1 : $2) }' | sort
}

# Options named by the usage lines of --help (up to the first blank
# line), with "[-lv]" as -l and -v, sorted.
usage_opts() {
	help_of "$1" | sed '/^$/q; s/^usage: [^ ]*//' | split_opts
}

# The options of WORDS on stdin, a cluster such as -0lvx letter by letter.
split_opts() {
	grep -oE -- '--?[a-zA-Z0-9][-a-zA-Z0-9]*' |
	    sed -E '/^--/b; s/^-//; s/./-&\n/g' | sed '/^$/d' | sort
}

# Options in the table of --help: the lines that start with blanks and a
# dash; the option column ends at the first two blanks.
help_opts() {
	help_of "$1" | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
	    grep -oE -- '--?[a-zA-Z0-9][-a-zA-Z0-9]*' | sort -u
}

# Options in the man page's SYNOPSIS, from the mdoc source, sorted.
synopsis_opts() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$ROOT/man/$1.1" |
	    grep -oE 'Fl -?[a-zA-Z0-9][-a-zA-Z0-9]*' | sed 's/^Fl /-/' |
	    split_opts
}

# Options the man page describes: its ".It Fl ..." items.
man_opts() {
	grep -E '^\.It Fl ' "$ROOT/man/$1.1" |
	    grep -oE 'Fl -?[a-zA-Z0-9][-a-zA-Z0-9]*' | sed 's/^Fl /-/' | sort -u
}

# Command lines of the examples in FILE: in the README, the lines of code
# blocks after a prompt (A# B# # $); in a man page, those of .Bd -literal
# blocks and of .Dl, with \e as a backslash.
example_lines() {
	case $1 in
	*.md)
		awk '/^```/ { code = !code; next }
		    code && sub(/^(A# |B# |# |\$ )/, "")' "$1" ;;
	*)
		awk '/^\.Bd -literal/ { lit = 1; next } /^\.Ed/ { lit = 0 }
		    /^\.Dl [#$] / { sub(/^\.Dl /, ""); lit_line = 1 }
		    (lit || lit_line) && sub(/^[#$] /, "") { print }
		    { lit_line = 0 }' "$1" | sed 's/\\e/\\/g' ;;
	esac
}

# bad_example_opts FILE: "APPLET OPTION" for each option an example of
# FILE gives an applet that its --help does not list. Quoted strings are
# dropped (an unclosed quote runs to the end of the line), the rest is cut
# at | ; & ( ) into simple commands.
bad_example_opts() {
	local line seg w a o rest opts c
	local -A known=()
	for a in $(applets); do
		known[$a]=" $(help_opts "$a" | tr '\n' ' ') "
	done
	example_lines "$1" |
	    sed -E "s/'[^']*'/Q/g; s/'.*//; s/\"[^\"]*\"/Q/g; s/\".*//" |
	    tr '|;&()' '\n\n\n\n\n' |
	    while read -r w rest; do
		while [[ $w == [A-Z]*=* ]]; do read -r w rest <<< "$rest"; done
		[ -n "$w" ] && [ -n "${known[$w]:-}" ] || continue
		opts=${known[$w]}
		for o in $rest; do
			[ "$o" = -- ] && break
			case $o in
			--[a-zA-Z]*)
				o=${o%%=*}
				[[ $opts == *" $o "* ]] || echo "$w $o" ;;
			-[a-zA-Z0-9]*)
				[[ $opts == *" $o "* ]] && continue
				for ((c = 1; c < ${#o}; c++)); do
					[[ $opts == *" -${o:c:1} "* ]] ||
					    echo "$w -${o:c:1} (in $o)"
				done ;;
			esac
		done
	    done
}

# same WHAT LEFT_NAME LEFT RIGHT_NAME RIGHT: the two lists are equal, or a
# diff that names the applet and both sides.
same() {
	[ "$3" = "$5" ] && return 0
	echo "$1: $2 and $4 differ:"
	diff <(printf '%s\n' "$3") <(printf '%s\n' "$5") | sed 's/^/  /'
	return 1
}

@test "every applet has a man page, a README section and a place in rawsock(1)" {
	local a bad=0
	run -0 applets
	[ "${#lines[@]}" -ge 2 ]
	for a in $(applets); do
		[ -f "$ROOT/man/$a.1" ] || { echo "no man/$a.1"; bad=1; }
		grep -q "^\.Xr $a 1" "$ROOT/man/rawsock.1" ||
		    { echo "rawsock.1 does not list $a"; bad=1; }
		grep -qE "^#+ .*\<$a\>" "$ROOT/README.md" ||
		    { echo "README.md has no section for $a"; bad=1; }
	done
	[ "$bad" -eq 0 ]
}

@test "each applet's --help, usage, man SYNOPSIS and option list follow its table" {
	local a t bad=0
	for a in $(applets); do
		t=$(table_opts "$a")
		[ -n "$t" ] || { echo "$a: an empty table"; bad=1; }
		same "$a" "the table" "$t" "--help" "$(help_opts "$a")" || bad=1
		same "$a" "the table" "$t" "man/$a.1" "$(man_opts "$a")" || bad=1
		t=$(table_synopsis "$a")
		same "$a" "the table" "$t" "the usage of --help" \
		    "$(usage_opts "$a")" || bad=1
		same "$a" "the table" "$t" "the SYNOPSIS of man/$a.1" \
		    "$(synopsis_opts "$a")" || bad=1
	done
	# rawsock's own options: its usage, its SYNOPSIS, its page.
	same rawsock "the usage" "$(usage_opts rawsock)" "the SYNOPSIS" \
	    "$(synopsis_opts rawsock)" || bad=1
	for a in $(usage_opts rawsock); do
		man_opts rawsock | grep -qx -- "$a" ||
		    { echo "rawsock.1 does not describe $a"; bad=1; }
	done
	[ "$bad" -eq 0 ]
}

@test "rawsock(1)'s table of every option follows the applets' tables" {
	local a i=0 col want got bad=0
	# Its rows: ".It Fl c , Fl -count Ta Ar count Ta yes Ta ..." with a
	# column per applet in the order of --list.
	local rows
	rows=$(sed -n '/^\.Ss The options of every applet/,/^\.El/p' \
	    "$ROOT/man/rawsock.1" | grep -E '^\.It Fl ')
	[ -n "$rows" ]
	for a in $(applets); do
		i=$((i + 1))
		# -L --long CELL, for the rows where the applet has the option.
		got=$(awk -F ' Ta ' -v c=$((i + 1)) '{
		    o = $1; sub(/^\.It /, "", o); s = "-"; l = "-"
		    n = split(o, w, / , /)
		    for (k = 1; k <= n; k++) {
			sub(/^Fl /, "-", w[k])
			if (w[k] ~ /^--/) l = w[k]; else s = w[k]
		    }
		    if ($c != "\\(en") print s, l, $c }' <<< "$rows" | sort)
		want=$(table "$a" | awk -F '\t' '{
		    if ($6 != "-") cell = "= Fl " substr($6, 2)
		    else if ($3 != "-") cell = "Ar " tolower($3)
		    else cell = "yes"
		    print $1, $2, cell }' | sort)
		same "$a" "its table" "$want" "the table of rawsock.1" "$got" ||
		    bad=1
	done
	[ "$bad" -eq 0 ]
}

@test "the values the tables offer for completion are ones the code takes" {
	local a o w n
	for a in $(applets); do
		# The value is checked before -h ends the run.
		while IFS=$'\t' read -r o l _ _ w _; do
			[ "$w" != - ] || continue
			[ "$o" != - ] || o=$l	# a long option only
			for n in $w; do
				run "$BIN/rawsock" "$a" "$o" "$n" -h
				[ "$status" -eq 0 ] || { echo "$a $o $n: $output"; false; }
			done
			run "$BIN/rawsock" "$a" "$o" no-such-value -h
			[ "$status" -eq 2 ]
		done < <(table "$a")
		table "$a" | cut -f4 | grep -qx ethertype || continue
		for n in $("$BIN/rawsock" --complete bash |
		    sed -n "s/^_rawsock_ethertypes='\(.*\)'$/\1/p"); do
			run "$BIN/rawsock" "$a" -t "$n" -h
			[ "$status" -eq 0 ] || { echo "$a -t $n: $output"; false; }
		done
	done
}

@test "man pages pass mandoc -Tlint without warnings" {
	command -v mandoc > /dev/null ||
	    skip "mandoc is not installed (sudo make check installs it)"
	local m
	for m in "$ROOT"/man/*.1; do
		run mandoc -Tlint -W warning "$m"
		[ -z "$output" ] || echo "$output"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
}

@test "man pages render with man -l, without complaint" {
	command -v man > /dev/null || skip "man is not installed"
	local m
	for m in "$ROOT"/man/*.1; do
		run --separate-stderr env MANWIDTH=80 man -l "$m"
		[ "$status" -eq 0 ]
		[ -z "$stderr" ] || { echo "$m: $stderr"; false; }
		[[ "$output" == *NAME* ]]
	done
}

@test "every man page has the sections, the exit statuses and RAWSOCK_IFACE" {
	local m s bad=0
	for m in "$ROOT"/man/*.1; do
		for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT "EXIT STATUS" \
		    EXAMPLES "SEE ALSO" "SECURITY CONSIDERATIONS"; do
			grep -qx "\.Sh $s" "$m" ||
			    { echo "${m##*/}: no $s"; bad=1; }
		done
		grep -q '^\.It Ev RAWSOCK_IFACE' "$m" ||
		    { echo "${m##*/}: no RAWSOCK_IFACE"; bad=1; }
		for s in 0 1 2; do
			sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$m" |
			    grep -qx "\.It $s" ||
			    { echo "${m##*/}: exit status $s missing"; bad=1; }
		done
		grep -q 'CAP_NET_RAW' "$m" ||
		    { echo "${m##*/}: says nothing of CAP_NET_RAW"; bad=1; }
	done
	grep -q 127 "$ROOT/man/rawsock.1" || { echo "rawsock.1: no 127"; bad=1; }
	[ "$bad" -eq 0 ]
}

@test "the README gives the two set-up commands" {
	grep -qF 'sudo make demo' "$ROOT/README.md"
	grep -qF 'sudo make check' "$ROOT/README.md"
}

@test "the examples in the README and the man pages give applets only options they know" {
	local f out bad=0
	for f in "$ROOT/README.md" "$ROOT"/man/*.1; do
		out=$(bad_example_opts "$f")
		[ -z "$out" ] || { echo "${f##*/}: $out"; bad=1; }
	done
	# The check itself sees options: a made-up one is caught.
	printf '```\nA# rawsend --no-such-opt -qz Boo\n```\n' > "$BATS_TEST_TMPDIR/t.md"
	out=$(bad_example_opts "$BATS_TEST_TMPDIR/t.md")
	[ "$out" = "$(printf 'rawsend --no-such-opt\nrawsend -q (in -qz)\nrawsend -z (in -qz)')" ]
	[ "$bad" -eq 0 ]
}

@test "every man page says when privileges go, and how -Z switches user" {
	local m a sec bad=0
	for m in "$ROOT"/man/*.1; do
		sec=$(sed -n '/^\.Sh SECURITY CONSIDERATIONS/,/^\.Sh /p' "$m")
		for s in PR_SET_NO_NEW_PRIVS SECBIT_NOROOT; do
			grep -q "$s" <<< "$sec" ||
			    { echo "${m##*/}: SECURITY says nothing of $s"; bad=1; }
		done
	done
	for a in $(applets); do
		help_opts "$a" | grep -qx -- -Z || continue
		sed -n '/^\.Sh SECURITY CONSIDERATIONS/,/^\.Sh /p' \
		    "$ROOT/man/$a.1" | grep -q initgroups ||
		    { echo "$a.1: -Z, but SECURITY does not say how"; bad=1; }
	done
	[ "$bad" -eq 0 ]
}

@test "the README: a Performance table naming machine and date, the make targets it names exist" {
	local perf t
	perf=$(sed -n '/^## Performance$/,/^## /p' "$ROOT/README.md")
	[ -n "$perf" ]
	grep -qE '^  date: ' <<< "$perf"
	grep -qE '^  machine: ' <<< "$perf"
	grep -qE '^metric +ours +peer' <<< "$perf"
	for t in 'make install SETCAP=1' 'make fuzz' 'make bench' \
	    'make check SANITIZE=1'; do
		grep -qF "$t" "$ROOT/README.md" || { echo "README: no '$t'"; false; }
	done
	grep -qF 'ifeq ($(SETCAP),1)' "$ROOT/Makefile"
	grep -qF 'ifeq ($(SANITIZE),1)' "$ROOT/Makefile"
	grep -qE '^fuzz:' "$ROOT/Makefile"
	grep -qE '^bench:' "$ROOT/Makefile"
	grep -qx '## Security' "$ROOT/README.md"
}

@test "the README stays short: 300 lines at most" {
	[ "$(wc -l < "$ROOT/README.md")" -le 300 ]
}
