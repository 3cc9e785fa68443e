#!/usr/bin/env bats
# The multi-call binary: applet list, dispatch, --help, --version, errors.
# Nothing here needs the wire, so it all runs without root.

load helpers

# The applets, from the one list of them.
applets() {
	sed -n 's/^APPLET.[a-z_]*, *"\([^"]*\)".*/\1/p' "$ROOT/src/applets.h"
}

@test "rawsock --list names exactly the applets of src/applets.h" {
	run --separate-stderr -0 "$BIN/rawsock" --list
	[ "$output" = "$(applets)" ]
	[ -z "$stderr" ]
	[ "${#lines[@]}" -ge 2 ]
}

@test "make links every applet, and only applets, to rawsock" {
	local a f
	for a in $(applets); do
		[ -L "$BIN/$a" ]
		[ "$(readlink "$BIN/$a")" = rawsock ]
	done
	# No link for anything that is not an applet (no stubs).
	for f in "$BIN"/*; do
		[ -L "$f" ] || continue
		applets | grep -qxF "${f##*/}"
	done
}

@test "each applet answers --version by its link name" {
	local a
	[ -n "$RAWSOCK_VERSION" ]
	for a in $(applets); do
		run --separate-stderr -0 "$BIN/$a" --version
		[ "$output" = "$a $RAWSOCK_VERSION (rawsock)" ]
		[ -z "$stderr" ]
	done
}

@test "dispatch goes by the basename of argv[0], wherever the link is" {
	local a
	mkdir "$BATS_TEST_TMPDIR/bin"
	for a in $(applets); do
		ln -s "$BIN/rawsock" "$BATS_TEST_TMPDIR/bin/$a"
		run --separate-stderr -0 "$BATS_TEST_TMPDIR/bin/$a" --version
		[ "$output" = "$a $RAWSOCK_VERSION (rawsock)" ]
		# And through PATH, where argv[0] has no directory at all.
		run --separate-stderr -0 env PATH="$BATS_TEST_TMPDIR/bin" \
		    "$a" --version
		[ "$output" = "$a $RAWSOCK_VERSION (rawsock)" ]
	done
}

@test "rawsock APPLET and rawsock NAME-without-raw dispatch alike" {
	local a
	for a in $(applets); do
		run --separate-stderr -0 "$BIN/rawsock" "$a" --version
		[ "$output" = "$a $RAWSOCK_VERSION (rawsock)" ]
	done
	run --separate-stderr -0 "$BIN/rawsock" send --version
	[ "$output" = "rawsend $RAWSOCK_VERSION (rawsock)" ]
	run --separate-stderr -0 "$BIN/rawsock" rawsend --version
	[ "$output" = "rawsend $RAWSOCK_VERSION (rawsock)" ]
	run --separate-stderr -0 "$BIN/rawsock" recv --version
	[ "$output" = "rawrecv $RAWSOCK_VERSION (rawsock)" ]
}

@test "a dispatched applet gets its own arguments and its own name in errors" {
	run --separate-stderr -2 "$BIN/rawsock" send -d zz:11 Boo
	[ -z "$output" ]
	[ "$stderr" = "rawsend: invalid MAC address 'zz:11'" ]
	run --separate-stderr -2 "$BIN/rawsend" -d zz:11 Boo
	[ -z "$output" ]
	[ "$stderr" = "rawsend: invalid MAC address 'zz:11'" ]
	run --separate-stderr -2 "$BIN/rawsock" recv -c 0
	[ -z "$output" ]
	[ "$stderr" = "rawrecv: invalid count '0': too small" ]
}

@test "an unknown applet exits 127 with one line on stderr" {
	run --separate-stderr -127 "$BIN/rawsock" nope --help
	[ -z "$output" ]
	[ "$stderr" = "rawsock: unknown applet 'nope' (rawsock --list names them)" ]
	run --separate-stderr -127 "$BIN/rawsock" ""
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$stderr" = "rawsock: unknown applet '' (rawsock --list names them)" ]
	# "raw" alone, or the multi-call binary's own name, is no applet.
	run --separate-stderr -127 "$BIN/rawsock" raw
	[ "${#stderr_lines[@]}" -eq 1 ]
	run --separate-stderr -127 "$BIN/rawsock" rawsock --list
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ -z "$output" ]
}

@test "a link of an unknown name behaves as rawsock" {
	ln -s "$BIN/rawsock" "$BATS_TEST_TMPDIR/other"
	run --separate-stderr -0 "$BATS_TEST_TMPDIR/other" --list
	[ "$output" = "$(applets)" ]
	run --separate-stderr -127 "$BATS_TEST_TMPDIR/other" nope
	[ "$stderr" = "rawsock: unknown applet 'nope' (rawsock --list names them)" ]
}

@test "every applet's -h and --help print its usage on stdout, exit 0" {
	local a opt
	for a in $(applets); do
		for opt in -h --help; do
			run --separate-stderr -0 "$BIN/$a" "$opt"
			[ -z "$stderr" ]
			[[ ${lines[0]} == "usage: $a "* ]]
			# The same text through the multi-call binary.
			local direct=$output
			run --separate-stderr -0 "$BIN/rawsock" "$a" "$opt"
			[ "$output" = "$direct" ]
		done
	done
}

@test "rawsock with no arguments prints usage on stderr and exits 2" {
	local a
	run --separate-stderr -2 "$BIN/rawsock"
	[ -z "$output" ]
	[[ ${stderr_lines[0]} == "usage: rawsock "* ]]
	for a in $(applets); do
		grep -qE "^  $a +[a-z]" <<< "$stderr"
	done
}

@test "rawsock -h, --help and --version" {
	local a opt
	for opt in -h --help; do
		run --separate-stderr -0 "$BIN/rawsock" "$opt"
		[ -z "$stderr" ]
		[[ ${lines[0]} == "usage: rawsock "* ]]
		for a in $(applets); do
			grep -qE "^  $a +[a-z]" <<< "$output"
		done
	done
	run --separate-stderr -0 "$BIN/rawsock" --version
	[ "$output" = "rawsock $RAWSOCK_VERSION (rawsock)" ]
	[ -z "$stderr" ]
}

@test "one event loop: no applet polls or reads a signalfd itself" {
	# Waiting (poll, ppoll, epoll_wait, select) and signals (signalfd)
	# belong to the one shared loop, never to src/raw*.c.
	run grep -nE '\b(poll|ppoll|epoll_wait|select)[[:space:]]*\(' \
	    "$ROOT"/src/raw*.c
	printf '# %s\n' "${lines[@]}" >&2
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	run grep -l signalfd "$ROOT"/src/raw*.c
	printf '# %s\n' "${lines[@]}" >&2
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "no include cycle in src/: no two units include each other's header" {
	run "$PY" "$ROOT/tests/include_cycles.py" "$ROOT/src"
	printf '# %s\n' "${lines[@]}" >&2
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
