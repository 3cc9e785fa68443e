#!/usr/bin/env bats
# The docs agree with the code: for every applet of `rawsock --list`, its
# --help, its man page and the bash completion name the same options; the
# man pages are clean mdoc; the README has the set-up commands. No root.

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

# Options named, in order, by the usage lines of --help (up to the first
# blank line): "[-lv]" stays one word, as in the man page's SYNOPSIS.
usage_opts() {
	help_of "$1" | sed '/^$/q; s/^usage: [^ ]*//' |
	    grep -oE -- '--?[a-zA-Z0-9][-a-zA-Z0-9]*'
}

# Options in the table of --help: the lines that start with blanks and a
# dash; the option column ends at the first two blanks.
help_opts() {
	help_of "$1" | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
	    grep -oE -- '--?[a-zA-Z0-9][-a-zA-Z0-9]*' | sort -u
}

# Options in the man page's SYNOPSIS, in order, from the mdoc source.
synopsis_opts() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$ROOT/man/$1.1" |
	    grep -oE 'Fl -?[a-zA-Z0-9][-a-zA-Z0-9]*' | sed 's/^Fl /-/'
}

# Options the man page describes: its ".It Fl ..." items.
man_opts() {
	grep -E '^\.It Fl ' "$ROOT/man/$1.1" |
	    grep -oE 'Fl -?[a-zA-Z0-9][-a-zA-Z0-9]*' | sed 's/^Fl /-/' | sort -u
}

# complete WORDS...: what the completion offers for the last word.
complete_words() {
	bash -c '. "$1/completions/rawsock.bash"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_rawsock_complete; printf "%s\n" "${COMPREPLY[@]}"' \
	    _ "$ROOT" "$@"
}

# The usage in the README: the line that starts with APPLET and a bracket
# (in a code block or inline code), and the indented lines after it that
# go on with brackets; options in order, as usage_opts gives them.
readme_usage_opts() {
	awk -v a="$1" '
	    { sub(/^`/, "") }
	    on && /^ +\[/ { print; next }
	    { on = 0 }
	    index($0, a " ") == 1 && $0 ~ ("^" a " (-i [A-Z]+ )?\\[") {
		on = 1; print substr($0, length(a) + 1)
	    }' "$ROOT/README.md" |
	    grep -oE -- '--?[a-zA-Z0-9][-a-zA-Z0-9]*'
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

@test "every applet has a man page, a completion, a README section and a place in rawsock(1)" {
	local a bad=0
	run -0 applets
	[ "${#lines[@]}" -ge 2 ]
	for a in $(applets); do
		[ -f "$ROOT/man/$a.1" ] || { echo "no man/$a.1"; bad=1; }
		grep -q "^\.Xr $a 1" "$ROOT/man/rawsock.1" ||
		    { echo "rawsock.1 does not list $a"; bad=1; }
		[ -n "$(complete_words "$a" -)" ] ||
		    { echo "the completion knows no options of $a"; bad=1; }
		grep -qE "^#+ .*\<$a\>" "$ROOT/README.md" ||
		    { echo "README.md has no section for $a"; bad=1; }
	done
	[ "$bad" -eq 0 ]
}

@test "each applet's --help, man page and completion name the same options" {
	local a h bad=0
	for a in $(applets); do
		h=$(help_opts "$a")
		[ -n "$h" ] || { echo "$a --help lists no options"; bad=1; }
		same "$a" "--help" "$h" "man/$a.1" "$(man_opts "$a")" ||
		    bad=1
		same "$a" "--help" "$h" "the completion" \
		    "$(complete_words "$a" - | sort -u)" || bad=1
		# "rawsock APPLET" completes the same as APPLET.
		same "$a" "the completion of $a" \
		    "$(complete_words "$a" -)" "that of rawsock $a" \
		    "$(complete_words rawsock "$a" -)" || bad=1
	done
	[ "$bad" -eq 0 ]
}

@test "each man page's SYNOPSIS follows its applet's usage, option for option" {
	local a bad=0
	for a in rawsock $(applets); do
		same "$a" "the usage of --help" "$(usage_opts "$a")" \
		    "the SYNOPSIS of man/$a.1" "$(synopsis_opts "$a")" ||
		    bad=1
	done
	[ "$bad" -eq 0 ]
}

@test "rawsock: its options are in rawsock(1) and its completion; applets complete after it" {
	local u o bad=0
	u=$(usage_opts rawsock | sort -u)
	for o in $u; do
		man_opts rawsock | grep -qx -- "$o" ||
		    { echo "rawsock.1 does not describe $o"; bad=1; }
	done
	same rawsock "--help" "$u" "the completion" \
	    "$(complete_words rawsock - | sort -u)" || bad=1
	same rawsock "rawsock --list" "$(applets | sort)" \
	    "the completion of 'rawsock '" \
	    "$(complete_words rawsock '' | sort)" || bad=1
	[ "$bad" -eq 0 ]
}

@test "every option in an applet's --help is one the applet knows" {
	local a o bad=0
	for a in $(applets); do
		for o in $(help_opts "$a"); do
			# A bogus option after it makes any run stop in the
			# option parser, before a socket is opened.
			run --separate-stderr env -u RAWSOCK_IFACE timeout 10 \
			    "$BIN/rawsock" "$a" "$o" --no-such-opt --no-such-opt \
			    < /dev/null
			if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
				echo "$a $o: status $status"
				bad=1
			fi
			case $stderr in
			*"unknown option '$o'"*)
				echo "$a does not know its own $o"; bad=1 ;;
			esac
		done
	done
	[ "$bad" -eq 0 ]
}

@test "completion: interfaces, ethertypes, formats, files and users as values" {
	local n
	run -0 complete_words rawsend -i ''
	for n in /sys/class/net/*; do
		[[ " ${lines[*]} " == *" ${n##*/} "* ]]
	done
	run -0 complete_words rawsend --interface = ''
	[ "${#lines[@]}" -gt 0 ]

	run -0 complete_words rawsend -t ''
	[[ " ${lines[*]} " == *" arp "* ]]
	[[ " ${lines[*]} " != *" any "* ]]
	run -0 complete_words rawrecv --type = a
	[ "${lines[*]}" = "arp any" ]
	run -0 complete_words rawrecv -o ''
	[[ " ${lines[*]} " == *" rawpacket "* ]]
	# -r is a file for rawsend, an ethertype for rawecho.
	run -0 complete_words rawsend -r "$ROOT/READM"
	[ "${lines[*]}" = "$ROOT/README.md" ]
	if "$BIN/rawsock" --list | grep -qx rawecho; then
		run -0 complete_words rawecho -r ar
		[ "${lines[*]}" = arp ]
	fi
	run -0 complete_words rawrecv -Z roo
	[[ " ${lines[*]} " == *" root "* ]]
	# A value that is a number or a MAC gets no guesses.
	run -0 complete_words rawsend -c ''
	[ "${#lines[@]}" -eq 0 ]
	run -0 complete_words rawsend -d ''
	[ "${#lines[@]}" -eq 0 ]
}

@test "completion: the ethertype names and formats are the ones the code takes" {
	local code a n f
	# The names in the code's table, in its order.
	code=$(sed -nE 's/^[[:space:]]*\{ "([a-z0-9-]+)", 0x[0-9a-f]{4} \},.*/\1/p' \
	    "$ROOT/src/frame.c")
	[ -n "$code" ]
	same ethertypes "src/frame.c" "$code" "the completion" \
	    "$(complete_words rawsend -t '')"
	for a in $(applets); do
		# The value of -t or -o is checked before -h ends the run.
		if help_opts "$a" | grep -qx -- -t; then
			for n in $(complete_words "$a" -t ''); do
				run "$BIN/rawsock" "$a" -t "$n" -h
				[ "$status" -eq 0 ] ||
				    { echo "$a -t $n: $output"; false; }
			done
			run "$BIN/rawsock" "$a" -t no-such-type -h
			[ "$status" -eq 2 ]
		fi
		if help_opts "$a" | grep -qx -- -o; then
			f=$(complete_words "$a" -o '')
			[ -n "$f" ] || { echo "$a: no formats complete"; false; }
			for n in $f; do
				run "$BIN/rawsock" "$a" -o "$n" -h
				[ "$status" -eq 0 ] ||
				    { echo "$a -o $n: $output"; false; }
			done
			run "$BIN/rawsock" "$a" -o no-such-format -h
			[ "$status" -eq 2 ]
		fi
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

@test "the README's usage of each applet follows its --help, option for option" {
	local a bad=0
	for a in $(applets); do
		same "$a" "the usage of --help" "$(usage_opts "$a")" \
		    "the usage in README.md" "$(readme_usage_opts "$a")" ||
		    bad=1
	done
	[ "$bad" -eq 0 ]
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
