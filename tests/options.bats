#!/usr/bin/env bats
# Option parsing from the tables: getopt's own account of a bad option
# (the letter inside a cluster, the long name it matched), and the older
# spellings kept as aliases; these runs stop in the parser, no socket. And
# rawsniff-arp -p, the option added with one table row: over the lab's
# veth pair (root), never another interface.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

# bad APPLET MESSAGE ARGS...: exit 2 and exactly "APPLET: MESSAGE (see
# 'APPLET --help')" on standard error, nothing on standard output.
bad() {
	local a=$1 msg=$2
	shift 2
	run -2 --separate-stderr env -u RAWSOCK_IFACE "$BIN/$a" "$@" < /dev/null
	[ "$stderr" = "$a: $msg (see '$a --help')" ] ||
	    { echo "$a $*: $stderr"; return 1; }
	[ -z "$output" ]
}

@test "a bad letter inside a cluster is named, not the argument before it" {
	bad rawrecv "unknown option '-v'" -i nx0 --vlan=5 -vq
	bad rawrecv "unknown option '-y'" -i nx0 -c 1 -qy
	bad rawrecv "unknown option '-y'" -i nx0 -c 1 -yq
	bad rawsend "unknown option '-y'" -i nx0 --count=2 -lyv
	bad rawping "unknown option '-x'" -i nx0 -c 1 -qx
	bad rawsniff-arp "unknown option '-t'" -c 1 -qt arp
}

@test "a long option is named by its full name, as getopt matched it" {
	bad rawrecv "option '--count' needs a value" -i nx0 --coun
	bad rawrecv "option '--quiet' takes no value" -i nx0 --qui=1
	bad rawsend "option '--verbose' takes no value" -i nx0 -l --verbose=yes
	bad rawecho "option '--reply-type' needs a value" -i nx0 --reply
	bad rawrecv "unknown option '--bogus=1'" -i nx0 -q --bogus=1
	# An ambiguous abbreviation (--timeout, --ts, --type) is unknown.
	bad rawrecv "unknown option '--t'" -i nx0 --t 1
}

@test "a letter that lacks its value at the end of a cluster is named" {
	bad rawsend "option '-c' needs a value" -i nx0 -lc
	bad rawecho "option '-e' needs a value" -i nx0 -qe
}

@test "rawsend -a is the source MAC, and -s still is" {
	local a s
	a=$(env -u RAWSOCK_IFACE "$BIN/rawsend" --dry-run -a 02:00:00:00:00:01 Boo)
	s=$(env -u RAWSOCK_IFACE "$BIN/rawsend" --dry-run -s 02:00:00:00:00:01 Boo)
	[ "$a" = "$s" ]
	[[ $a == ffffffffffff020000000001eefa* ]]
	run -0 "$BIN/rawsend" --help
	[[ $output == *"-a, --source MAC"* ]]
	[[ $output != *"-s,"* ]]
}

@test "rawecho and rawping: -R is the reply type, and -r still is" {
	local a
	for a in rawecho rawping; do
		run -0 "$BIN/$a" --help
		[[ $output == *"-R, --reply-type ETHERTYPE"* ]]
		[[ $output != *"-r,"* ]]
		bad "$a" "option '-R' needs a value" -i nx0 -R
		bad "$a" "option '-r' needs a value" -i nx0 -r
		run -2 --separate-stderr "$BIN/$a" -i nx0 -r bogus
		[ "$stderr" = "$a: invalid ethertype 'bogus': not a number or a known name" ]
		run -2 --separate-stderr "$BIN/$a" -i nx0 -R bogus
		[ "$stderr" = "$a: invalid ethertype 'bogus': not a number or a known name" ]
	done
}

@test "-t any and -R any, where one ethertype is needed: refused, saying why" {
	local e="invalid ethertype"
	expect_error "rawsend: $e 'any': a frame carries one ethertype ('any' is for receiving, as with rawrecv -t any)" \
	    "$BIN/rawsend" -i nx0 -t any Boo
	expect_error "rawecho: $e 'ANY': rawecho answers one ethertype (any would answer every frame, its own replies included)" \
	    "$BIN/rawecho" -i nx0 -t ANY
	expect_error "rawecho: $e 'any': a reply carries one ethertype" \
	    "$BIN/rawecho" -i nx0 -R any
	expect_error "rawping: $e 'any': a request carries one ethertype" \
	    "$BIN/rawping" -i nx0 -t any
	expect_error "rawping: $e 'any': rawping waits for replies of one ethertype (any would take every frame on the link for a reply)" \
	    "$BIN/rawping" -i nx0 -r any
	# Where any is taken, the message still offers it.
	expect_error "rawrecv: $e 'anyx': not a number, a known name or 'any'" \
	    "$BIN/rawrecv" -i nx0 -t anyx
}

@test "rawsniff-arp -p: promiscuous while it runs, by socket membership; it needs -i" {
	bad rawsniff-arp "-p needs -i IFACE: every interface cannot be made promiscuous" -p
	run -0 "$BIN/rawsniff-arp" --help
	[[ $output == *"-p, --promisc "* ]]
	need_lab
	promisc() { ip -n "$NS_B" -d link show vb | grep -o 'promiscuity [0-9]*'; }
	[ "$(promisc)" = "promiscuity 0" ]
	bg_start arp "$NS_B" "$BIN/rawsniff-arp" -i vb -p --timeout 20
	wait_for_line "$BATS_TEST_TMPDIR/arp.err" "listening on"
	[ "$(promisc)" = "promiscuity 1" ]
	kill -KILL "$BG_PID"
	wait "$BG_PID" || true
	[ "$(promisc)" = "promiscuity 0" ]
}
