#!/usr/bin/env bats
# Hardening: least privilege proved from /proc, file capabilities instead of
# root, hostile input and output (huge, closed, full, vanishing), signals,
# interfaces removed under a running applet, frames of every size and full
# of terminal escapes, and valgrind. rawsend's own signals and interfaces
# lost are in rawsend.bats.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }

teardown() {
	local pid
	# What a failed test left running is killed outright: bg_cleanup's
	# SIGTERM would wait forever on a process that ignores it.
	for pid in "${BG_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	bg_cleanup
	exec 5>&-
	if [ -n "${NS_A:-}" ]; then
		ip -n "$NS_A" link del hx 2>/dev/null || true
		ip -n "$NS_A" link set va mtu 1500 up 2>/dev/null || true
		ip -n "$NS_B" link set vb mtu 1500 up 2>/dev/null || true
	fi
	if [ -n "${CAPDIR:-}" ]; then
		rm -rf "$CAPDIR"
	fi
}

# has_applet APPLET: every applet is built, so one missing is a failure.
has_applet() {
	"$BIN/rawsock" --list | grep -qx "$1" || {
		echo "# $1 is not in rawsock --list" >&2
		return 1
	}
}

# in_lab CMD...: CMD in NS_A when there is a lab (so -i va names the lab's
# interface, never one of this namespace), else here.
in_lab() {
	if [ -n "${NS_A:-}" ]; then
		ip netns exec "$NS_A" "$@"
	else
		"$@"
	fi
}

# one_error WANT: the last `run` failed as a bad input must: status 2,
# nothing on stdout, and the one line WANT on stderr, exactly.
one_error() {
	echo "# status $status, stdout [$output], stderr [$stderr], want [$1]" >&2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$stderr" = "$1" ]
}

# A copy of the binary that nobody may run, in a directory nobody may enter
# (the tests' own temporary directories are root's alone).
capdir() {
	CAPDIR=$(mktemp -d /tmp/rawsock-caps.XXXXXX)
	chmod 755 "$CAPDIR"
	cp "$BIN/rawsock" "$CAPDIR/rawsock"
	chmod 755 "$CAPDIR/rawsock"
	ln -s rawsock "$CAPDIR/rawsend"
	ln -s rawsock "$CAPDIR/rawrecv"
}

AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# Runs a command with standard input closed, standard output closed, or
# standard output on /dev/full (inside run, which takes standard output
# over): no_stdout inA CMD...
no_stdin() { "$@" <&-; }
no_stdout() { "$@" >&-; }
full_stdout() { "$@" > /dev/full; }

#
# Least privilege
#

@test "rawrecv: once listening it holds no capability, an empty bounding set, and no_new_privs" {
	need_lab
	recv_start r "$NS_B" -i vb -t any --timeout 30 'not arp'
	no_caps "$BG_PID"
	[ "$(field "$BG_PID" Uid)" = "$(printf '0\t0\t0\t0')" ]
	# Still works: frames come through the locked filter.
	run -0 inA "$BIN/rawsend" -i va Boo
	wait_for_line "$(T r.out)" '^Boo$'
}

@test "rawrecv: its socket filter is locked; nobody can take it off or swap it" {
	need_lab
	# The check is real: with no filter at all there is nothing to lock,
	# and another filter goes on.
	recv_start r1 "$NS_B" -i vb -t any --timeout 30
	run -0 "$PY" "$PEERS/lockcheck.py" "$BG_PID"
	[[ $output =~ ^[0-9]+:\ detach\ ENOENT,\ attach\ ok$ ]]
	recv_start r2 "$NS_B" -i vb -t any --timeout 30 'not arp'
	run -0 "$PY" "$PEERS/lockcheck.py" "$BG_PID"
	[[ $output =~ ^[0-9]+:\ detach\ EPERM,\ attach\ EPERM$ ]]
	# The ethertype is a filter too, locked the same.
	recv_start r3 "$NS_B" -i vb --timeout 30
	run -0 "$PY" "$PEERS/lockcheck.py" "$BG_PID"
	[[ $output =~ ^[0-9]+:\ detach\ EPERM,\ attach\ EPERM$ ]]
}

@test "-Z nobody: rawrecv and rawsend run as nobody, with nobody's groups, and no capability" {
	need_lab
	local ids groups
	ids=$(printf '%s\t%s\t%s\t%s' "$(id -u nobody)" "$(id -u nobody)" \
	    "$(id -u nobody)" "$(id -u nobody)")
	groups=$(id -G nobody)
	recv_start r "$NS_B" -i vb -Z nobody -c 2 --timeout 10
	local recv=$BG_PID
	no_caps "$recv"
	[ "$(field "$recv" Uid)" = "$ids" ]
	[ "$(field "$recv" Gid)" = "$(printf '%s\t%s\t%s\t%s' \
	    "$(id -g nobody)" "$(id -g nobody)" "$(id -g nobody)" \
	    "$(id -g nobody)")" ]
	# initgroups(): nobody's own supplementary groups, not root's.
	[ "$(field "$recv" Groups | xargs)" = "$groups" ]

	mkfifo "$(T in)"
	bg_start_in s "$NS_A" "$(T in)" "$BIN/rawsend" -i va -l -Z nobody
	exec 5> "$(T in)"
	blocked_on_stdin "$BG_PID"
	no_caps "$BG_PID"
	[ "$(field "$BG_PID" Uid)" = "$ids" ]
	[ "$(field "$BG_PID" Groups | xargs)" = "$groups" ]
	printf 'one\ntwo\n' >&5
	exec 5>&-
	bg_expect "$BG_PID" 0
	bg_expect "$recv" 0
	[ "$(sed -n '2p;4p' "$(T r.out)" | xargs)" = "one two" ]
}

@test "-Z with an unknown user: exit 2, one line, nothing sent" {
	need_lab
	expect_error "rawsend: -Z: unknown user 'no-such-user-x'" \
	    "$BIN/rawsend" -i va -Z no-such-user-x Boo
	expect_error "rawrecv: -Z: unknown user 'no-such-user-x'" \
	    "$BIN/rawrecv" -i va -Z no-such-user-x -c 1
	expect_error "rawsend: -Z: unknown user ''" \
	    "$BIN/rawsend" -i va -Z '' Boo
}

@test "file capabilities: cap_net_raw+ep lets nobody send and receive, and is dropped once the socket is open" {
	need_lab
	command -v setcap > /dev/null || skip "setcap is not installed"
	capdir
	# Without the capability, nobody is told which one is missing.
	expect_error "rawsend: cannot open a packet socket: Operation not permitted (needs root or CAP_NET_RAW)" \
	    "${AS_NOBODY[@]}" "$CAPDIR/rawsend" -i va Boo
	expect_error "rawrecv: cannot open a packet socket: Operation not permitted (needs root or CAP_NET_RAW)" \
	    "${AS_NOBODY[@]}" "$CAPDIR/rawrecv" -i va -c 1

	setcap cap_net_raw+ep "$CAPDIR/rawsock"
	bg_start r "$NS_B" "${AS_NOBODY[@]}" "$CAPDIR/rawrecv" -i vb -c 1 \
	    --timeout 10
	wait_for_line "$(T r.err)" "listening on"
	[ "$(field "$BG_PID" Uid | cut -f1)" = 65534 ]
	no_caps "$BG_PID" any-bounding-set
	run --separate-stderr -0 inA "${AS_NOBODY[@]}" "$CAPDIR/rawsend" -i va \
	    -v Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on va" ]
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = Boo ]
	# -Z switches users only for root.
	expect_error "rawsend: -Z 'nobody': switching user needs root" \
	    "${AS_NOBODY[@]}" "$CAPDIR/rawsend" -i va -Z nobody Boo
}

@test "make install SETCAP=1 gives the installed binary cap_net_raw+ep; nobody can use it" {
	need_lab
	command -v getcap > /dev/null || skip "getcap is not installed"
	local san=
	is_sanitized && san=1	# the same build, not a plain one on top
	CAPDIR=$(mktemp -d /tmp/rawsock-caps.XXXXXX)
	chmod 755 "$CAPDIR"
	run -0 make -s -C "$ROOT" BUILD="$BUILD" SANITIZE="$san" install \
	    DESTDIR="$CAPDIR/plain" PREFIX=/usr
	run -0 getcap "$CAPDIR/plain/usr/bin/rawsock"
	[ -z "$output" ]
	run -0 make -s -C "$ROOT" BUILD="$BUILD" SANITIZE="$san" install \
	    DESTDIR="$CAPDIR/caps" PREFIX=/usr SETCAP=1
	run -0 getcap "$CAPDIR/caps/usr/bin/rawsock"
	[ "$output" = "$CAPDIR/caps/usr/bin/rawsock cap_net_raw=ep" ]
	chmod -R a+rX "$CAPDIR"
	run --separate-stderr -0 inA "${AS_NOBODY[@]}" \
	    "$CAPDIR/caps/usr/bin/rawsend" -i va -v Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on va" ]
}

@test "rawecho: once listening it holds no capability and has no_new_privs" {
	need_lab
	has_applet rawecho
	bg_start e "$NS_B" "$BIN/rawecho" -i vb --timeout 30
	wait_for_line "$(T e.err)" "listening on"
	no_caps "$BG_PID"
}

@test "rawsniff-arp: once listening it holds no capability and has no_new_privs" {
	need_lab
	has_applet rawsniff-arp
	bg_start a "$NS_B" "$BIN/rawsniff-arp" -i vb --timeout 30
	wait_for_line "$(T a.err)" "listening on"
	no_caps "$BG_PID"
}

@test "rawsniff-arp: its ARP filter is locked" {
	need_lab
	has_applet rawsniff-arp
	bg_start a "$NS_B" "$BIN/rawsniff-arp" -i vb --timeout 30
	wait_for_line "$(T a.err)" "listening on"
	run -0 "$PY" "$PEERS/lockcheck.py" "$BG_PID"
	[[ $output =~ ^[0-9]+:\ detach\ EPERM,\ attach\ EPERM$ ]]
}

@test "rawping: once it has sent its first request it holds no capability" {
	need_lab
	has_applet rawping
	bg_start p "$NS_A" "$BIN/rawping" -i va -c 30 --interval 1 -W 1
	wait_for_line "$(T p.out)" "^RAWPING "
	no_caps "$BG_PID"
}

#
# Bad input: each answered with one line and exit 2, nothing sent
#

@test "interface names far beyond IFNAMSIZ, from -i and RAWSOCK_IFACE, and empty ones" {
	need_lab
	local long16 long
	long16=abcdefghijklmnop
	long=$(printf 'x%.0s' {1..4000})
	# Messages quote at most 200 bytes of an argument.
	local cut="${long:0:200}..."
	expect_error "rawsend: '$cut': interface name too long (at most 15 bytes)" \
	    "$BIN/rawsend" -i "$long" Boo
	expect_error "rawrecv: '$cut': interface name too long (at most 15 bytes)" \
	    "$BIN/rawrecv" -i "$long"
	expect_error "rawsend: '$long16': interface name too long (at most 15 bytes)" \
	    env RAWSOCK_IFACE="$long16" "$BIN/rawsend" Boo
	expect_error "rawrecv: '$long16': interface name too long (at most 15 bytes)" \
	    env RAWSOCK_IFACE="$long16" "$BIN/rawrecv" -c 1
	expect_error "rawrecv: '': empty interface name" "$BIN/rawrecv" -i ''
	# A dry run opens no socket but names the same problems.
	expect_error "rawsend: '$cut': interface name too long (at most 15 bytes)" \
	    "$BIN/rawsend" --dry-run -i "$long" Boo
	expect_error "rawsend: '': empty interface name" \
	    "$BIN/rawsend" --dry-run -i '' Boo
}

@test "MACs with trailing junk, leading blanks, a missing or an extra part" {
	local m
	for m in '12:34:56:78:9a:bc:' '12:34:56:78:9a:bcx' '12:34:56:78:9a:bc ' \
	    ' 12:34:56:78:9a:bc' '12:34:56:78:9a:bc0' '+2:34:56:78:9a:bc' \
	    '0x12:34:56:78:9a:bc' '1:2:3:4:5:6' '12:34:56:78:9a:b' \
	    '12::56:78:9a:bc' '12:34:56:78:9a:bc:de:f0' 'ff:ff:ff:ff:ff:fg'; do
		expect_error "rawsend: invalid MAC address '$m'" \
		    "$BIN/rawsend" -i va -d "$m" Boo
		expect_error "rawsend: invalid MAC address '$m'" \
		    "$BIN/rawsend" -i va -s "$m" Boo
	done
}

@test "ethertypes with trailing junk or leading blanks, in rawsend and rawrecv" {
	local t
	for t in '0xeefa ' ' 0xeefa' '0xeefaz' 'ipv4x' 'arp ' '0x' '0x-eefa' \
	    '+1536' '1536.0' '1536 ' 'any '; do
		expect_error "rawsend: invalid ethertype '$t': not a number or a known name" \
		    "$BIN/rawsend" -i va -t "$t" Boo
		expect_error "rawrecv: invalid ethertype '$t': not a number, a known name or 'any'" \
		    "$BIN/rawrecv" -i va -t "$t"
	done
	expect_error "rawsend: invalid ethertype '0xeefa0': above 0xffff" \
	    "$BIN/rawsend" -i va -t 0xeefa0 Boo
	expect_error "rawrecv: invalid ethertype '99999999999999999999': above 0xffff" \
	    "$BIN/rawrecv" -i va -t 99999999999999999999
}

# bad_arg WANT APPLET ARGS...: APPLET ARGS fails as a bad input must,
# with exactly the one line WANT.
bad_arg() {
	local want=$1 a=$2
	shift 2
	run --separate-stderr in_lab "$BIN/$a" "$@"
	one_error "$want"
}

# why_int VALUE: why a whole number option refuses VALUE, given that
# 99999999999999999999 overflows and 0 is below every range here.
why_int() {
	case $1 in
	99999999999999999999) echo "too large" ;;
	0) echo "too small" ;;
	*) echo "not a decimal number" ;;
	esac
}

# why_secs VALUE: why a number of seconds is refused.
why_secs() {
	case $1 in
	99999999999999999999) echo "too large (at most 1000000 seconds)" ;;
	*) echo "not a non-negative decimal number of seconds" ;;
	esac
}

# why_vlan VALUE: why rawsend's --vlan ID[:PRIORITY] is refused.
why_vlan() {
	case $1 in
	1:99999999999999999999) echo "priority too large (0 to 7)" ;;
	1:) echo "priority not a decimal number (0 to 7)" ;;
	99999999999999999999 | 4095) echo "VLAN ID too large (0 to 4094)" ;;
	*) echo "VLAN ID not a decimal number (0 to 4094)" ;;
	esac
}

LONG_NAME=$(printf 'x%.0s' {1..4000})
# The one line for an interface name of 4000 x: cut, and refused.
long_name() {
	echo "$1: '$(printf 'x%.0s' {1..200})...': interface name too long (at most 15 bytes)"
}

@test "overflowing, negative, NaN and infinite numbers in the other options" {
	local x=99999999999999999999 r
	for r in "$x" -1 nan inf 1.5 1e3 '' 0; do
		bad_arg "rawsend: invalid rate '$r': $(why_int "$r") (1 to 100000000)" \
		    rawsend -i va --rate "$r" Boo
		bad_arg "rawsend: invalid jobs '$r': $(why_int "$r") (1 to 64)" \
		    rawsend -i va -j "$r" Boo
		bad_arg "rawrecv: invalid jobs '$r': $(why_int "$r") (1 to 64)" \
		    rawrecv -i va -j "$r"
	done
	for r in "$x" "1:$x" -1 nan inf 4095 1: :1 ''; do
		bad_arg "rawsend: invalid --vlan '$r': $(why_vlan "$r")" \
		    rawsend -i va --vlan "$r" Boo
	done
	for r in "$x" -1 nan inf 4095 ''; do
		bad_arg "rawrecv: invalid VLAN ID '$r': $(why_vlan "$r" | sed 's/^VLAN ID //')" \
		    rawrecv -i va --vlan "$r"
	done
	for r in infinity Infinity NaN 1e-3 0x1 -0 "$x"; do
		bad_arg "rawrecv: invalid timeout '$r': $(why_secs "$r")" \
		    rawrecv -i va --timeout "$r"
		bad_arg "rawsend: invalid interval '$r': $(why_secs "$r")" \
		    rawsend -i va --interval "$r" Boo
	done
}

# bad_numbers APPLET ARGS...: the common numeric options of another applet.
bad_numbers() {
	local a=$1 v
	shift
	for v in 99999999999999999999 -1 nan inf; do
		bad_arg "$a: invalid count '$v': $(why_int "$v")" \
		    "$a" -i va "$@" -c "$v"
	done
}

@test "rawecho: overflowing counts, NaN and infinite timeouts, junk ethertypes" {
	has_applet rawecho
	local v
	bad_numbers rawecho
	for v in nan inf -1 1e3; do
		bad_arg "rawecho: invalid timeout '$v': $(why_secs "$v")" \
		    rawecho -i va --timeout "$v"
		bad_arg "rawecho: invalid guard '$v': $(why_secs "$v")" \
		    rawecho -i va --guard "$v"
	done
	bad_arg "rawecho: invalid ethertype '0xeefaz': not a number or a known name" \
	    rawecho -i va -t 0xeefaz
	bad_arg "$(long_name rawecho)" rawecho -i "$LONG_NAME"
}

@test "rawping: overflowing counts and sizes, NaN and infinite intervals, junk MACs" {
	has_applet rawping
	local v
	bad_numbers rawping
	for v in nan inf -1 1e3; do
		bad_arg "rawping: invalid interval '$v': $(why_secs "$v")" \
		    rawping -i va --interval "$v"
		bad_arg "rawping: invalid wait '$v': $(why_secs "$v")" \
		    rawping -i va -W "$v"
	done
	bad_arg "rawping: invalid size '99999999999999999999': too large (24 to 65535 bytes) (see 'rawping --help')" \
	    rawping -i va -s 99999999999999999999
	bad_arg "rawping: invalid MAC address '12:34:56:78:9a:bc:'" \
	    rawping -i va -d 12:34:56:78:9a:bc:
	bad_arg "$(long_name rawping)" rawping -i "$LONG_NAME"
}

@test "rawsniff-arp: overflowing counts, NaN and infinite timeouts" {
	has_applet rawsniff-arp
	local v
	bad_numbers rawsniff-arp
	for v in nan inf -1 1e3; do
		bad_arg "rawsniff-arp: invalid timeout '$v': $(why_secs "$v")" \
		    rawsniff-arp -i va --timeout "$v"
	done
	bad_arg "$(long_name rawsniff-arp)" rawsniff-arp -i "$LONG_NAME"
}

#
# Hostile standard input and output
#

# huge_stdin WANT ARGS...: 2 GiB without a newline or a NUL on rawsend's
# standard input: refused at once with the one line WANT, in bounded memory
# (streamed, never slurped), nothing sent.
huge_stdin() {
	local want=$1 st rss rx0 t0 ps
	shift
	rx0=$(rx_packets "$NS_B" vb)
	t0=$SECONDS
	set +e
	head -c 2G /dev/zero | tr '\0' x | ip netns exec "$NS_A" timeout 60 \
	    /usr/bin/time -o "$(T rss)" -f %M "$BIN/rawsend" -i va "$@" \
	    > "$(T out)" 2> "$(T err)"
	ps=("${PIPESTATUS[@]}")
	set -e
	st=${ps[2]}
	rss=$(tail -1 "$(T rss)")
	echo "# rawsend $*: status $st in $((SECONDS - t0))s (producer ${ps[1]}), max RSS $rss KiB: $(cat "$(T err)")" >&2
	[ "$st" -eq 2 ]
	[ "$(cat "$(T err)")" = "$want" ]
	[ ! -s "$(T out)" ]
	# At once: it left most of the input unread, so the producer was
	# still writing when it went (SIGPIPE), whatever the clock says.
	[ "${ps[1]}" -eq $((128 + 13)) ]
	is_sanitized || [ "$rss" -lt 16384 ]
	[ "$(rx_packets "$NS_B" vb)" -eq "$rx0" ]
}

@test "2 GiB of standard input in one line or record: refused at once, naming it, in bounded memory" {
	need_lab
	local mtu="exceeds the MTU of va (1500 bytes); 0 frames sent"
	huge_stdin "rawsend: payload from standard input $mtu"
	huge_stdin "rawsend: line 1 $mtu" -l
	huge_stdin "rawsend: line 1: more than 28096 characters of hex text; 0 frames sent" -x
	huge_stdin "rawsend: line 1 $mtu" --vis
	huge_stdin "rawsend: line 1 $mtu" --json
	huge_stdin "rawsend: record 1 $mtu" -0
	huge_stdin "rawsend: line 1 $mtu" -l --frame
}

@test "a pcap file of 2 GiB of junk on standard input: refused at once" {
	need_lab
	set +e
	head -c 2G /dev/zero | inA timeout 60 "$BIN/rawsend" -i va -r - \
	    > "$(T out)" 2> "$(T err)"
	local ps=("${PIPESTATUS[@]}")
	set -e
	[ "${ps[1]}" -eq 2 ]
	[ "$(cat "$(T err)")" = "rawsend: -: not a pcap capture (bad magic number)" ]
	[ ! -s "$(T out)" ]
	# At once: the producer was still writing when rawsend went.
	[ "${ps[0]}" -eq $((128 + 13)) ]
}

@test "standard input closed: rawsend says so when it needs it, and sends nothing" {
	need_lab
	local rx0
	rx0=$(rx_packets "$NS_B" vb)
	run --separate-stderr -2 no_stdin inA timeout -k 1 10 "$BIN/rawsend" -i va
	[ "$stderr" = "rawsend: standard input is closed" ]
	run --separate-stderr -2 no_stdin inA timeout -k 1 10 "$BIN/rawsend" -i va -l
	[ "$stderr" = "rawsend: standard input is closed" ]
	run --separate-stderr -2 no_stdin inA timeout -k 1 10 "$BIN/rawsend" -i va -r -
	[ "$stderr" = "rawsend: standard input is closed" ]
	run --separate-stderr -2 no_stdin timeout -k 1 10 "$BIN/rawrecv" -r -
	[ "$stderr" = "rawrecv: standard input is closed" ]
	[ -z "$output" ]
	[ "$(rx_packets "$NS_B" vb)" -eq "$rx0" ]
	# A PAYLOAD needs no standard input; the socket does not take its
	# place.
	run --separate-stderr -0 no_stdin inA timeout -k 1 10 "$BIN/rawsend" -i va -v Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on va" ]
	[ "$(rx_packets "$NS_B" vb)" -eq $((rx0 + 1)) ]
}

@test "standard output closed: refused at start, and what was meant for it never goes on the wire" {
	need_lab
	local rxa rxb
	rxa=$(rx_packets "$NS_A" va)
	rxb=$(rx_packets "$NS_B" vb)
	run --separate-stderr -2 no_stdout inA timeout -k 1 10 "$BIN/rawrecv" -i va -t any -c 1
	[ "$stderr" = "rawrecv: standard output is closed" ]
	run --separate-stderr -2 no_stdout timeout -k 1 10 "$BIN/rawsend" --dry-run Boo
	[ "$stderr" = "rawsend: standard output is closed" ]
	run --separate-stderr -2 no_stdout timeout -k 1 10 "$BIN/rawsend" --dry-run -w - Boo
	[ "$stderr" = "rawsend: standard output is closed" ]
	# Sending needs no standard output.
	run --separate-stderr -0 no_stdout inA timeout -k 1 10 "$BIN/rawsend" -i va -v Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on va" ]
	# Nor does rawrecv -w FILE; the frame lands in the file, and the
	# socket never takes standard output's place.
	bg_start w "$NS_B" bash -c 'exec "$@" >&-' _ "$BIN/rawrecv" -i vb -c 1 \
	    --timeout 10 -w "$(T cap.pcap)"
	wait_for_line "$(T w.err)" "listening on"
	run -0 inA "$BIN/rawsend" -i va Boo2
	bg_expect "$BG_PID" 0
	run -0 "$BIN/rawrecv" -r "$(T cap.pcap)"
	[ "${lines[1]}" = Boo2 ]
	[ "$(rx_packets "$NS_A" va)" -eq "$rxa" ]
	[ "$(rx_packets "$NS_B" vb)" -eq $((rxb + 2)) ]
}

@test "standard output full (/dev/full): exit 2 with one line, not silence" {
	need_lab
	local want="write error on standard output: No space left on device"
	bg_start r "$NS_B" bash -c 'exec "$@" > /dev/full' _ "$BIN/rawrecv" \
	    -i vb --timeout 20
	wait_for_line "$(T r.err)" "listening on"
	run -0 inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 2
	[ "$(sed 1d "$(T r.err)")" = "rawrecv: $want" ]

	run --separate-stderr -2 full_stdout "$BIN/rawsend" --dry-run -c 3 Boo
	[ "$stderr" = "rawsend: $want" ]
	"$BIN/rawsend" --dry-run -w "$(T f.pcap)" Boo
	run --separate-stderr -2 full_stdout "$BIN/rawrecv" -r "$(T f.pcap)" \
	    -o json
	[ "$stderr" = "rawrecv: $want" ]
}

@test "a reader that leaves (| head -1): quiet exit 0 from a busy rawrecv, rawrecv -r and rawsend --dry-run" {
	need_lab
	bg_start pipe "$NS_B" bash -c \
	    '"$1" -i vb -o hex | head -1; echo "${PIPESTATUS[0]}" > "$2"' \
	    _ "$BIN/rawrecv" "$(T status)"
	wait_for_line "$(T pipe.err)" "listening on"
	# A busy stream: the reader is gone while frames keep coming.
	bg_start flood "$NS_A" "$BIN/rawsend" -i va -c 1000000000000 Boo
	local flood=$BG_PID
	bg_expect "${BG_PIDS[0]}" 0
	kill -TERM "$flood"
	[ "$(cat "$(T status)")" = 0 ]
	[ "$(cat "$(T pipe.out)")" = "$(hdr_a)426f6f" ]
	[ "$(cat "$(T pipe.err)")" = "rawrecv: listening on vb, ethertype 0xeefa" ]

	run --separate-stderr -0 bash -c \
	    '"$1" --dry-run -c 10000000 Boo | head -1; exit "${PIPESTATUS[0]}"' \
	    _ "$BIN/rawsend"
	[ "$output" = "ffffffffffff000000000000eefa426f6f" ]
	[ -z "$stderr" ]
	"$BIN/rawsend" --dry-run -c 100000 -w "$(T many.pcap)" Boo
	run --separate-stderr -0 bash -c \
	    '"$1" -r "$2" | head -1; exit "${PIPESTATUS[0]}"' \
	    _ "$BIN/rawrecv" "$(T many.pcap)"
	[ "$output" = "00:00:00:00:00:00 == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ -z "$stderr" ]
}

#
# Signals
#

@test "rawrecv: SIGUSR1 prints the counts and it goes on receiving" {
	need_lab
	recv_start r "$NS_B" -i vb --timeout 30
	run -0 inA "$BIN/rawsend" -i va -c 3 Boo
	wait_for_line "$(T r.out)" 'Boo'
	local i
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ "$(grep -c '^Boo$' "$(T r.out)")" -eq 3 ] && break
		sleep 0.01
	done
	kill -USR1 "$BG_PID"
	wait_for_line "$(T r.err)" '^rawrecv: 3 frames received, 0 dropped by the kernel$'
	run -0 inA "$BIN/rawsend" -i va after
	wait_for_line "$(T r.out)" '^after$'
	signal_expect "$BG_PID" INT 0
	[ "$(wc -l < "$(T r.err)")" -eq 2 ]
	[ "$(wc -l < "$(T r.out)")" -eq 8 ]
}

#
# Interfaces that vanish under a running applet
#

@test "rawrecv: its interface deleted under it: exit 2 with one line, at once, no spin" {
	need_lab
	extra_pair
	bg_start r "$NS_B" /usr/bin/time -o "$(T time)" -f '%e %U %S' \
	    "$BIN/rawrecv" -i hy -t any --timeout 30
	wait_for_line "$(T r.err)" "listening on"
	run -0 inA "$BIN/rawsend" -i hx Boo
	wait_for_line "$(T r.out)" '^Boo$'
	ip -n "$NS_A" link del hx
	bg_expect "$BG_PID" 2
	run cat "$(T r.err)"
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[1]} =~ ^rawrecv:\ hy:\ interface\ went\ down\ or\ away\ \(1\ frames?\ received\)$ ]]
	# Wall clock, user and system seconds: it neither hung nor spun.
	local wall user sys
	read -r wall user sys < <(tail -1 "$(T time)")
	echo "# $wall s, $user s user, $sys s system" >&2
	awk -v u="$user" -v s="$sys" 'BEGIN { exit !(u + s < 0.5) }'
}

#
# Frames of every size, and full of terminal escapes
#

FORMATS=(rawpacket raw hex json vis)

# recv_formats COUNT: one rawrecv per output format on vb (NAME.out for
# each format, and ts.out for rawpacket --ts), each for COUNT frames.
recv_formats() {
	local f
	RECV_PIDS=()
	for f in "${FORMATS[@]}"; do
		recv_start "$f" "$NS_B" -i vb -c "$1" --timeout 10 -o "$f"
		RECV_PIDS+=("$BG_PID")
	done
	recv_start ts "$NS_B" -i vb -c "$1" --timeout 10 --ts
	RECV_PIDS+=("$BG_PID")
}

recv_formats_done() {
	local pid
	for pid in "${RECV_PIDS[@]}"; do
		bg_expect "$pid" 0
	done
}

# json_field FILE KEY: KEY of the one JSON object in FILE.
json_field() {
	"$PY" -c 'import json, sys
print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

@test "a frame of exactly 14 bytes (no payload) in every format" {
	need_lab
	recv_formats 1
	run -0 inA "$BIN/rawsend" -i va < /dev/null
	recv_formats_done
	printf '%s\n\n' "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" > "$(T want)"
	cmp "$(T want)" "$(T rawpacket.out)"
	[ ! -s "$(T raw.out)" ]
	[ "$(cat "$(T hex.out)")" = "$(hdr_a)" ]
	[ "$(json_field "$(T json.out)" len)" = 14 ]
	[ "$(json_field "$(T json.out)" payload)" = "" ]
	[ "$(cat "$(T vis.out)")" = "" ]
	[ "$(wc -c < "$(T vis.out)")" -eq 1 ]
	[[ $(head -1 "$(T ts.out)") =~ ^[0-9]+\.[0-9]{9}\ $MAC_A\ ==\ 0xeefa ]]
}

# max_frame MTU: a payload of the MTU, random, in every format, uncut.
max_frame() {
	local mtu=$1
	ip -n "$NS_A" link set va mtu "$mtu"
	ip -n "$NS_B" link set vb mtu "$mtu"
	head -c "$mtu" /dev/urandom > "$(T payload)"
	recv_formats 1
	run -0 inA "$BIN/rawsend" -i va < "$(T payload)"
	recv_formats_done
	cmp "$(T payload)" "$(T raw.out)"
	[ "$(cat "$(T hex.out)")" = "$(hdr_a)$(hex < "$(T payload)")" ]
	[ "$(json_field "$(T json.out)" len)" = $((mtu + 14)) ]
	[ "$(json_field "$(T json.out)" payload)" = "$(hex < "$(T payload)")" ]
	# vis undone by rawsend --vis gives the payload back, and the
	# RawPacket's second line is the same escaped text, but for the
	# backslash, which RawPacket lets pass (vis writes it \\).
	run -0 inA "$BIN/rawsend" --dry-run -i va --vis < "$(T vis.out)"
	[ "$output" = "$(hdr_a)$(hex < "$(T payload)")" ]
	[ "$(wc -l < "$(T rawpacket.out)")" -eq 2 ]
	[ "$(sed -n 2p "$(T rawpacket.out)")" = "$(sed 's/\\\\/\\/g' "$(T vis.out)")" ]
}

@test "a frame of the interface's maximum size in every format, never cut (MTU 1500)" {
	need_lab
	max_frame 1500
}

@test "a frame of the largest MTU a veth takes (65535) in every format, never cut" {
	need_lab
	max_frame 65535
}

# The worst a payload can hold for a terminal: CSI (clear, colour, the
# alternate screen), OSC (title, hyperlink) ended by BEL and by ST, DCS, a
# C1 CSI both as UTF-8 (\302\233) and as a bare byte, backspace, carriage
# return, DEL, NUL; and UTF-8 text, which passes.
EVIL='\033[2J\033[31mred\033]0;pwned\007\033]8;;http://x/\033\\link\033P+q\033\\|\302\233?1049h|\233|\010\r\177\000|h\303\251'

# no_controls FILE: FILE holds printable ASCII, newlines and the two bytes
# of the é only: nothing a terminal would act on.
no_controls() {
	LC_ALL=C tr -d ' -~\n\303\251' < "$1" > "$1.rest"
	if [ -s "$1.rest" ]; then
		echo "# control bytes reach the terminal from $1:" >&2
		od -c "$1.rest" | head >&2
		return 1
	fi
}

# evil_check: the outputs of recv_formats (or the same names from -r).
evil_check() {
	local f
	for f in rawpacket vis hex json ts; do
		no_controls "$(T "$f.out")"
	done
	[ "$(wc -l < "$(T rawpacket.out)")" -eq 2 ]
	[ "$(wc -l < "$(T ts.out)")" -eq 2 ]
	[ "$(wc -l < "$(T vis.out)")" -eq 1 ]
	[ "$(wc -l < "$(T json.out)")" -eq 1 ]
	# Escaped, not lost: each way back gives the payload.
	cmp "$(T payload)" "$(T raw.out)"
	[ "$(json_field "$(T json.out)" payload)" = "$(hex < "$(T payload)")" ]
	run -0 "$BIN/rawsend" --dry-run --vis < "$(T vis.out)"
	[ "${output:28}" = "$(hex < "$(T payload)")" ]
	[ "$(sed -n 2p "$(T rawpacket.out)")" = "$(sed 's/\\\\/\\/g' "$(T vis.out)")" ]
}

@test "payloads full of terminal escapes never reach standard output raw (rawpacket, --ts, vis, json, hex)" {
	need_lab
	printf "$EVIL" > "$(T payload)"
	recv_formats 1
	run -0 inA "$BIN/rawsend" -i va < "$(T payload)"
	recv_formats_done
	evil_check
}

@test "the same escapes read from a pcap file (rawrecv -r) never reach standard output raw" {
	printf "$EVIL" > "$(T payload)"
	"$BIN/rawsend" --dry-run -w "$(T evil.pcap)" < "$(T payload)"
	local f
	for f in "${FORMATS[@]}"; do
		"$BIN/rawrecv" -r "$(T evil.pcap)" -o "$f" > "$(T "$f.out")"
	done
	"$BIN/rawrecv" -r "$(T evil.pcap)" --ts > "$(T ts.out)"
	evil_check
}

@test "rawecho: a request full of terminal escapes is printed escaped" {
	need_lab
	has_applet rawecho
	printf "$EVIL" > "$(T payload)"
	bg_start e "$NS_B" "$BIN/rawecho" -i vb -c 1 --timeout 10
	wait_for_line "$(T e.err)" "listening on"
	run -0 inA "$BIN/rawsend" -i va < "$(T payload)"
	bg_expect "$BG_PID" 0
	no_controls "$(T e.out)"
	[ "$(wc -l < "$(T e.out)")" -eq 2 ]
}

@test "rawsniff-arp: an ARP frame with odd lengths and escape bytes prints nothing raw" {
	need_lab
	has_applet rawsniff-arp
	local f fmt pid
	for fmt in block line json; do
		bg_start "a-$fmt" "$NS_B" "$BIN/rawsniff-arp" -i vb -c 3 \
		    --timeout 10 -o "$fmt"
		wait_for_line "$(T "a-$fmt.err")" "listening on"
	done
	# Ethernet/IPv4 with escape bytes for addresses; odd hardware and
	# protocol lengths; a frame cut short after the ARP header.
	for f in \
	    "00010800060400011b5b324a9b071b5d1b5b324a9b07000000000000" \
	    "000108000a0400021b5b324a9b071b5d1b5b1b5b324a9b071b5d1b5b0a0d07080000" \
	    "0001080006ff0001"; do
		run -0 inA "$BIN/rawsend" -i va -t arp -x "$f"
	done
	# However it counts the cut frame, each ends by --timeout at last.
	for pid in "${BG_PIDS[@]}"; do
		bg_expect "$pid" "0|1" 15
	done
	for fmt in block line json; do
		cat "$(T "a-$fmt.err")" >&2
		no_controls "$(T "a-$fmt.out")"
		[ -s "$(T "a-$fmt.out")" ]
	done
}

#
# valgrind: a representative run of each applet, clean
#

VALGRIND=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite)

need_valgrind() {
	command -v valgrind > /dev/null || skip "valgrind is not installed"
	! is_sanitized || skip "valgrind cannot run a sanitized build"
}

@test "valgrind: rawsend --dry-run with several options and framings" {
	need_valgrind
	run -0 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run -d 12:34:56:78:9a:bc \
	    -s 02:00:00:00:00:01 -t ipv4 -c 3 --vlan 5:3 --pad hello world
	[ "${#lines[@]}" -eq 3 ]
	run -0 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run -l --rate 100000 \
	    -w "$(T l.pcap)" < <(printf 'a\n\nbb\n')
	run -0 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run -x \
	    < <(printf '00 11:22\nff\n')
	[ "${#lines[@]}" -eq 2 ]
	run -0 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run --vis \
	    < <(printf 'a\\000b\\n\n')
	[ "$output" = "ffffffffffff000000000000eefa6100620a" ]
	run -0 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run -0 < <(printf 'a\0bc\0')
	[ "${#lines[@]}" -eq 2 ]
	run -0 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run -r "$(T l.pcap)" \
	    --frame
	[ "${#lines[@]}" -eq 3 ]
	# Error paths too.
	run -2 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run -x < <(printf 'zz\n')
	run -2 "${VALGRIND[@]}" "$BIN/rawsend" --dry-run \
	    < <(head -c 3000 /dev/zero)
}

@test "valgrind: rawrecv -r of a small pcap, in every format, with a filter" {
	need_valgrind
	local f
	printf 'one\ntwo\n\033[2J\n' | "$BIN/rawsend" --dry-run -l --vlan 7 \
	    -w "$(T s.pcap)"
	for f in "${FORMATS[@]}"; do
		run -0 "${VALGRIND[@]}" "$BIN/rawrecv" -r "$(T s.pcap)" -o "$f"
	done
	run -0 "${VALGRIND[@]}" "$BIN/rawrecv" -r "$(T s.pcap)" --ts -c 2
	run -0 "${VALGRIND[@]}" "$BIN/rawrecv" -r "$(T s.pcap)" --vlan 7 \
	    'ether broadcast'
	[ "${#lines[@]}" -eq 6 ]
	run -0 "${VALGRIND[@]}" "$BIN/rawrecv" -r - -w "$(T copy.pcap)" \
	    < "$(T s.pcap)"
	cmp "$(T s.pcap)" "$(T copy.pcap)"
	head -c 100 "$(T s.pcap)" > "$(T cut.pcap)"
	run -2 "${VALGRIND[@]}" "$BIN/rawrecv" -r "$(T cut.pcap)"
}

@test "valgrind: a real send and receive in the lab, both under valgrind" {
	need_lab
	need_valgrind
	bg_start r "$NS_B" "${VALGRIND[@]}" "$BIN/rawrecv" -i vb -c 4 \
	    --timeout 30 -o json 'ether proto 0xeefa'
	wait_for_line "$(T r.err)" "listening on" 30
	run -0 inA "${VALGRIND[@]}" "$BIN/rawsend" -i va -l -v < <(printf 'a\nbb\n')
	run -0 inA "${VALGRIND[@]}" "$BIN/rawsend" -i va -c 2 --interval 0.01 Boo
	bg_expect "$BG_PID" 0
	[ "$(wc -l < "$(T r.out)")" -eq 4 ]
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype 0xeefa" ]
}

@test "valgrind: rawecho answering rawping, both under valgrind" {
	need_lab
	need_valgrind
	has_applet rawecho
	has_applet rawping
	bg_start e "$NS_B" "${VALGRIND[@]}" "$BIN/rawecho" -i vb -c 3 \
	    --timeout 30
	wait_for_line "$(T e.err)" "listening on" 30
	run -0 inA "${VALGRIND[@]}" "$BIN/rawping" -i va -c 3 --interval 0.1 \
	    -W 2
	bg_expect "$BG_PID" 0
}

@test "valgrind: rawsniff-arp decoding ARP frames" {
	need_lab
	need_valgrind
	has_applet rawsniff-arp
	bg_start a "$NS_B" "${VALGRIND[@]}" "$BIN/rawsniff-arp" -i vb -c 2 \
	    --timeout 30
	wait_for_line "$(T a.err)" "listening on" 30
	run -0 inA "$BIN/rawsend" -i va -t arp -x \
	    "0001080006040001${MAC_A//:/}c0000201000000000000c0000202"
	run -0 inA "$BIN/rawsend" -i va -t arp -x "0001080006040002"
	bg_expect "$BG_PID" 0
}

@test "bad arguments are quoted escaped: no terminal escape reaches stderr" {
	run --separate-stderr "$BIN/rawsend" -d $'\e]0;owned\a\n' Boo
	[ "$status" -eq 2 ]
	[ "$stderr" = "rawsend: invalid MAC address '\\033]0;owned\\007\\n'" ]
	run --separate-stderr -127 "$BIN/rawsock" $'\e[2J'
	[ "$stderr" = "rawsock: unknown applet '\\033[2J' (rawsock --list names them)" ]
	run --separate-stderr "$BIN/rawrecv" -r /dev/null $'\xc2\x9b31m'
	[ "$status" -eq 2 ]
	[[ "$stderr" == "rawrecv: invalid filter '\\302\\23331m': "* ]]
}
