#!/usr/bin/env bats
# The completion scripts: completions/ holds what `rawsock --complete SHELL`
# prints from the option tables, and a real bash, zsh and fish offer the
# options of the tables and, as values, interfaces, ethertypes, formats,
# users, commands and files. No root, no frames.

load helpers

setup_file() {
	[ -x "$BIN/rawsock" ] || {
		echo "# $BIN/rawsock is missing: run make first" >&3
		return 1
	}
}

# complete_in SHELL WORDS...: what SHELL offers for the last word, one a
# line, run in $ROOT (so relative file names complete).
complete_in() {
	local sh=$1
	shift
	cd "$ROOT" || return 2
	case $sh in
	bash)
		bash -c '. completions/rawsock.bash
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			_rawsock_complete; printf "%s\n" "${COMPREPLY[@]}"' _ "$@" ;;
	zsh)
		command -v zsh > /dev/null || skip "zsh is not installed"
		# zpty on a loaded machine (the sanitized suite beside
		# another) now and then never shows the marks: a try that
		# timed out is made again, up to three in all.
		local try rc out
		for try in 1 2 3; do
			rc=0
			out=$(PATH=$BIN:$PATH timeout 20 zsh -f \
			    tests/completion.zsh "$ROOT/completions" "$*") ||
			    rc=$?
			if [ "$rc" -ne 124 ]; then
				[ -z "$out" ] || printf '%s\n' "$out"
				return "$rc"
			fi
		done
		return 124 ;;
	fish)
		command -v fish > /dev/null || skip "fish is not installed"
		timeout 20 fish -N -c 'source completions/rawsock.fish
			complete -C "$argv"' "$@" | cut -f1 ;;
	esac
}

# The ethertype names in the code's table, in its order.
code_ethertypes() {
	sed -nE 's/^[[:space:]]*\{ "([a-z0-9-]+)", 0x[0-9a-f]{4} \},.*/\1/p' \
	    "$ROOT/src/frame.c"
}

# words_of APPLET LETTER: the values the table lists for -LETTER.
words_of() {
	"$BIN/rawsock" --options "$1" | awk -F '\t' -v o="-$2" '$1 == o { print $5 }' |
	    tr ' ' '\n'
}

# values SHELL: the checks every shell passes.
values() {
	local sh=$1 n w
	run -0 complete_in "$sh" rawsend -i ''
	for n in /sys/class/net/*; do
		[[ " ${lines[*]} " == *" ${n##*/} "* ]] ||
		    { echo "$sh: no ${n##*/} in: ${lines[*]}"; return 1; }
	done
	run -0 complete_in "$sh" rawsend -t ''
	[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(code_ethertypes | sort)" ] ||
	    { echo "$sh: ethertypes: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawrecv -t a
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "any arp " ] ||
	    { echo "$sh: rawrecv -t a: ${lines[*]}"; return 1; }
	for a in rawrecv rawsniff-arp; do
		w=$(words_of "$a" o | sort)
		[ -n "$w" ]
		run -0 complete_in "$sh" "$a" -o ''
		[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$w" ] ||
		    { echo "$sh: $a -o: ${lines[*]}"; return 1; }
	done
	run -0 complete_in "$sh" rawsock recv -o j
	[ "${lines[*]}" = json ] || { echo "$sh: rawsock recv -o j: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawrecv -Z roo
	[[ " ${lines[*]} " == *" root "* ]] || { echo "$sh: -Z roo: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawsend -r READM
	[ "${lines[*]}" = README.md ] || { echo "$sh: -r READM: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawecho -e ech
	[[ " ${lines[*]} " == *" echo "* ]] || { echo "$sh: -e ech: ${lines[*]}"; return 1; }
	# -r is a file in rawsend, another spelling of -R in rawecho.
	run -0 complete_in "$sh" rawecho -r ar
	[ "${lines[*]}" = arp ] || { echo "$sh: rawecho -r ar: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawping -R ar
	[ "${lines[*]}" = arp ] || { echo "$sh: rawping -R ar: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawsock --complete ''
	[ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = "bash fish zsh " ] ||
	    { echo "$sh: --complete: ${lines[*]}"; return 1; }
	# A number or a MAC gets no guesses.
	run -0 complete_in "$sh" rawsend -c ''
	[ "${#lines[@]}" -eq 0 ] || { echo "$sh: -c: ${lines[*]}"; return 1; }
	run -0 complete_in "$sh" rawping -d ''
	[ "${#lines[@]}" -eq 0 ] || { echo "$sh: -d: ${lines[*]}"; return 1; }
}

@test "completions/ holds what rawsock --complete prints for each shell" {
	local sh f
	for sh in bash zsh fish; do
		case $sh in
		bash) f=rawsock.bash ;; zsh) f=_rawsock ;; fish) f=rawsock.fish ;;
		esac
		run -0 diff <("$BIN/rawsock" --complete "$sh") "$ROOT/completions/$f"
		[ -z "$output" ] || { echo "completions/$f is stale: $output"; false; }
	done
	run -2 --separate-stderr "$BIN/rawsock" --complete tcsh
	[ "$stderr" = "rawsock: --complete takes bash, zsh or fish (see 'rawsock --help')" ]
}

@test "the scripts parse in their shells" {
	bash -n "$ROOT/completions/rawsock.bash"
	if command -v zsh > /dev/null; then zsh -n "$ROOT/completions/_rawsock"; fi
	if command -v fish > /dev/null; then fish -n "$ROOT/completions/rawsock.fish"; fi
}

@test "bash: the options of the table, and values of each kind" {
	local a want
	for a in $("$BIN/rawsock" --list); do
		# Every spelling but the hidden aliases (column 6).
		want=$("$BIN/rawsock" --options "$a" |
		    awk -F '\t' '$6 == "-" { if ($1 != "-") print $1; if ($2 != "-") print $2 }' |
		    sort)
		run -0 complete_in bash "$a" -
		[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$want" ] ||
		    { echo "$a: ${lines[*]}"; false; }
	done
	run -0 complete_in bash rawrecv --type = a
	[ "${lines[*]}" = "arp any" ]
	values bash
}

@test "zsh: values of each kind" {
	values zsh
}

@test "fish: values of each kind" {
	values fish
}

@test "make install puts the three scripts where the shells look" {
	local d=$BATS_TEST_TMPDIR/dest a
	run -0 make -C "$ROOT" --no-print-directory install BUILD="$BUILD" \
	    DESTDIR="$d" PREFIX=/opt/rs
	cmp "$ROOT/completions/rawsock.bash" "$d/opt/rs/share/bash-completion/completions/rawsock"
	cmp "$ROOT/completions/_rawsock" "$d/opt/rs/share/zsh/site-functions/_rawsock"
	cmp "$ROOT/completions/rawsock.fish" "$d/opt/rs/share/fish/vendor_completions.d/rawsock.fish"
	for a in $("$BIN/rawsock" --list); do
		[ "$(readlink "$d/opt/rs/share/bash-completion/completions/$a")" = rawsock ]
		[ "$(readlink "$d/opt/rs/share/fish/vendor_completions.d/$a.fish")" = rawsock.fish ]
	done
	run -0 make -C "$ROOT" --no-print-directory uninstall BUILD="$BUILD" \
	    DESTDIR="$d" PREFIX=/opt/rs
	[ -z "$(find "$d" -type f -o -type l)" ]
}

@test "the shells' completion runs leave /dev/null a device" {
	# zsh's compinit once renamed its dump file over /dev/null.
	[ -c /dev/null ]
}
