#!/usr/bin/env bats
# rawecho: answers checked by rawrecv and by an independent python3 peer,
# handlers (failing, hanging, oversize, concurrent), the echo-storm guard
# counted on the wire and every bad input. Counts, timeouts and signals
# are receivers.bats'.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

nocolon() { echo "${1//:/}"; }

@test "rawsend Boo in one namespace, rawecho answers from its MAC, rawrecv sees it" {
	need_lab
	echo_start e "$NS_B" -i vb -c 1 --timeout 5
	[ "$(cat "$(T e.err)")" = "rawecho: listening on vb, ethertype 0xeefa" ]
	recv_start r "$NS_A" -i va -c 1 --timeout 5
	local rpid=$BG_PID
	run -0 inA "$BIN/rawsend" -i va Boo
	bg_expect "$rpid" 0
	run cat "$(T r.out)"
	[ "${lines[0]}" = "$MAC_B == 0xeefa => $MAC_A - OK:" ]
	[ "${lines[1]}" = "Boo" ]
	[ "${#lines[@]}" -eq 2 ]
	# The server prints the request as rawsocketpy's handler would.
	bg_expect "${BG_PIDS[0]}" 0
	run cat "$(T e.out)"
	[ "${lines[0]}" = "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ "${lines[1]}" = "Boo" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a python3 AF_PACKET peer gets its frame back: MACs swapped, payload unchanged" {
	need_lab
	local a b payload
	a=$(nocolon "$MAC_A") b=$(nocolon "$MAC_B")
	echo_start e "$NS_B" -i vb -c 2 --timeout 5
	# Unicast text, then broadcast binary: NUL, 0xff, newline, escape,
	# backslash, invalid UTF-8 and random bytes.
	pyrecv_start p "$NS_A" va 0xeefa 1
	run -0 inA "$PY" "$PEERS/pysend.py" va "${b}${a}eefa426f6f"
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "${a}${b}eefa426f6f" ]

	payload="00ff0a1b5c0d80c0$(head -c 300 /dev/urandom | od -An -v -tx1 | tr -d ' \n')00"
	pyrecv_start p "$NS_A" va 0xeefa 1
	run -0 inA "$PY" "$PEERS/pysend.py" va "ffffffffffff${a}eefa$payload"
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "${a}${b}eefa$payload" ]
	bg_expect "${BG_PIDS[0]}" 0
}

@test "a 1500-byte binary payload comes back byte for byte (rawrecv -o raw)" {
	need_lab
	head -c 1500 /dev/urandom > "$(T in.bin)"
	echo_start e "$NS_B" -i vb -c 1 --timeout 5
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	inA "$BIN/rawsend" -i va < "$(T in.bin)"
	bg_expect "$BG_PID" 0
	cmp "$(T in.bin)" "$(T r.out)"
}

@test "frames of another ethertype, and frames this host sends, are not answered" {
	need_lab
	local before
	echo_start e "$NS_B" -i vb -c 1 --timeout 8 -v
	before=$(rx_packets "$NS_A" va)
	inA "$BIN/rawsend" -i va -t 0x88b5 Boo
	# rawsend on vb itself: the server's own host sent it.
	inB "$BIN/rawsend" -i vb Boo
	# The frame after them is answered: the server was reading all along,
	# and saw neither of the two before it.
	inA "$BIN/rawsend" -i va Last
	bg_expect "${BG_PIDS[0]}" 0
	rx_moves "$NS_A" va $((before + 1))
	[ "$(rx_packets "$NS_A" va)" -eq $((before + 2)) ]
	[ "$(cat "$(T e.out)")" = "$(printf '%s\n%s' "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" Last)" ]
	[ "$(tail -1 "$(T e.err)")" = "rawecho: 1 frame received, 1 answered, 0 failed, 0 ignored" ]
}

@test "-e 'tr a-z A-Z' replies BOO, with RAWSOCK_* in the handler's environment" {
	need_lab
	echo_start e "$NS_B" -i vb -c 1 --timeout 5 -e 'tr a-z A-Z'
	recv_start r "$NS_A" -i va -c 1 --timeout 5
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = "BOO" ]
	[ "$(sed -n 1p "$(T r.out)")" = "$MAC_B == 0xeefa => $MAC_A - OK:" ]

	echo_start e "$NS_B" -i vb -c 1 --timeout 5 -e \
	    'printf "%s %s %s %s" "$RAWSOCK_SRC" "$RAWSOCK_DEST" "$RAWSOCK_TYPE" "$RAWSOCK_IFACE"'
	recv_start r "$NS_A" -i va -c 1 --timeout 5
	inA env RAWSOCK_IFACE=va "$BIN/rawsend" -d "$MAC_B" x
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = "$MAC_A $MAC_B 0xeefa vb" ]
}

@test "failing, killed and hanging handlers: one stderr line each, and the server goes on" {
	need_lab
	local pid state
	# -Z root: the pid file goes in the test's own directory, root's alone.
	echo_start e "$NS_B" -i vb -c 1 --timeout 8 -v --handler-timeout 0.5 \
	    -Z root -e "
	    read -r cmd
	    case \$cmd in
	    fail) exit 3 ;;
	    kill) kill -9 \$\$ ;;
	    hang) sleep 30 & echo \$! > '$(T sleep.pid)'; wait ;;
	    esac
	    echo \"ok \$cmd\""
	recv_start r "$NS_A" -i va -c 1 --timeout 8
	for p in fail kill hang good; do
		inA "$BIN/rawsend" -i va "$p"
	done
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = 'ok good\n' ]
	bg_expect "${BG_PIDS[0]}" 0
	run sed 1d "$(T e.err)"
	[ "${lines[0]}" = "rawecho: frame 1 from $MAC_A: handler exited with status 3, no reply" ]
	[ "${lines[1]}" = "rawecho: frame 2 from $MAC_A: handler was killed by signal 9 (Killed), no reply" ]
	[ "${lines[2]}" = "rawecho: frame 3 from $MAC_A: handler ran longer than 0.5 s and was killed, no reply" ]
	[ "${lines[3]}" = "rawecho: 4 frames received, 1 answered, 3 failed, 0 ignored" ]
	[ "${#lines[@]}" -eq 4 ]
	# The hanging handler's sleep was killed with its process group:
	# gone, or a zombie waiting for init.
	pid=$(cat "$(T sleep.pid)")
	state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
	[ -z "$state" ] || [ "$state" = Z ]
}

@test "a handler reply over the MTU is refused whole; empty output sends nothing" {
	need_lab
	local before
	before=$(rx_packets "$NS_A" va)
	echo_start e "$NS_B" -i vb -c 1 --timeout 5 -e \
	    'if [ "$(cat)" = big ]; then head -c 1501 /dev/zero; fi'
	inA "$BIN/rawsend" -i va big
	inA "$BIN/rawsend" -i va quiet
	bg_expect "$BG_PID" 0
	[ "$(sed 1d "$(T e.err)")" = "rawecho: frame 1 from $MAC_A: handler replied 1501 bytes, more than the MTU of vb (1500 bytes), no reply" ]
	[ "$(rx_packets "$NS_A" va)" -eq "$before" ]
}

@test "-j 4: four handlers run at once" {
	need_lab
	mkdir "$(T running)"
	# Each handler waits (bounded) until all four are running: with fewer
	# than four at once none of them answers.
	echo_start e "$NS_B" -i vb -c 4 -j 4 -v --timeout 20 --handler-timeout 15 \
	    -Z root -e "
	    touch '$(T running)'/\$\$
	    i=0
	    while [ \$(ls '$(T running)' | wc -l) -lt 4 ] && [ \$i -lt 1000 ]; do
		sleep 0.01; i=\$((i + 1))
	    done
	    [ \$(ls '$(T running)' | wc -l) -ge 4 ] && cat"
	recv_start r "$NS_A" -i va -c 4 --timeout 20
	inA "$BIN/rawsend" -i va -c 4 Boo
	bg_expect "$BG_PID" 0 20
	[ "$(grep -c '^Boo$' "$(T r.out)")" -eq 4 ]
	bg_expect "${BG_PIDS[0]}" 0
	[ "$(tail -1 "$(T e.err)")" = "rawecho: 4 frames received, 4 answered, 0 failed, 0 ignored" ]
}

@test "-j 1 (the default) answers in arrival order, a slow handler first" {
	need_lab
	echo_start e "$NS_B" -i vb -c 3 --timeout 8 -e 'read -r t; sleep "$t"; echo "$t"'
	recv_start r "$NS_A" -i va -c 3 --timeout 8 -o raw
	for t in 0.4 0.1 0.2; do
		inA "$BIN/rawsend" -i va "$t"
	done
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T r.out)")" = "$(printf '0.4\n0.1\n0.2')" ]
}

@test "-j 4: a slow handler does not hold up the others" {
	need_lab
	# The slow handler answers only once the other two answers have
	# reached rawrecv (bounded): one at a time, it would hold them up.
	recv_start r "$NS_A" -i va -c 3 --timeout 20 -o raw
	echo_start e "$NS_B" -i vb -c 3 -j 4 --timeout 20 --handler-timeout 15 \
	    -Z root -e "
	    read -r t
	    i=0
	    while [ \"\$t\" = slow ] && [ \$(grep -c fast '$(T r.out)') -lt 2 ] &&
		[ \$i -lt 1000 ]; do
		sleep 0.01; i=\$((i + 1))
	    done
	    echo \"\$t\""
	for t in slow fast1 fast2; do
		inA "$BIN/rawsend" -i va "$t"
	done
	bg_expect "${BG_PIDS[0]}" 0 20
	[ "$(sort "$(T r.out)" | tr '\n' ' ')" = "fast1 fast2 slow " ]
	[ "$(tail -1 "$(T r.out)")" = slow ]
}

# storm_count EA_REPORT ARGS...: rawecho ARGS on both ends while va sends
# rawsend -c 10 Boo; waits until vb has answered all ten, va has received
# the ten answers and va's server reports EA_REPORT (its counts: nothing
# left in flight), then stops both; prints the frames each end received.
storm_count() {
	local a0 b0 ea_report=$1
	shift
	a0=$(rx_packets "$NS_A" va) b0=$(rx_packets "$NS_B" vb)
	echo_start ea "$NS_A" -i va --timeout 20 -v "$@"
	local ea=$BG_PID
	echo_start eb "$NS_B" -i vb --timeout 20 -v "$@"
	local eb=$BG_PID
	inA "$BIN/rawsend" -i va -c 10 Boo
	usr1_until "$eb" "$(T eb.err)" "^rawecho: 10 frames received, 10 answered, "
	rx_moves "$NS_A" va $((a0 + 9))
	usr1_until "$ea" "$(T ea.err)" "^rawecho: $ea_report\$"
	signal_expect "$ea" TERM 0
	signal_expect "$eb" TERM 0
	echo "$(( $(rx_packets "$NS_A" va) - a0 )) $(( $(rx_packets "$NS_B" vb) - b0 ))"
}

@test "two rawecho on one link do not storm: 10 requests, 10 replies on the wire" {
	need_lab
	run -0 storm_count "10 frames received, 0 answered, 0 failed, 10 ignored"
	echo "# va and vb received: $output" >&2
	[ "$output" = "10 10" ]
	[ "$(tail -1 "$(T ea.err)")" = "rawecho: 10 frames received, 0 answered, 0 failed, 10 ignored" ]
	[ "$(tail -1 "$(T eb.err)")" = "rawecho: 10 frames received, 10 answered, 0 failed, 0 ignored" ]
}

@test "...nor with handlers that rewrite the payload" {
	need_lab
	local a0 b0 ea eb
	a0=$(rx_packets "$NS_A" va) b0=$(rx_packets "$NS_B" vb)
	echo_start ea "$NS_A" -i va --timeout 20 -v -e cat
	ea=$BG_PID
	echo_start eb "$NS_B" -i vb --timeout 20 -v -e 'tr a-z A-Z'
	eb=$BG_PID
	inA "$BIN/rawsend" -i va Boo
	# vb answers BOO; va's server, seeing a payload its host never sent,
	# answers BOO back; vb recognises its own reply and stops there.
	usr1_until "$eb" "$(T eb.err)" "^rawecho: 2 frames received, 1 answered, 0 failed, 1 ignored$"
	usr1_until "$ea" "$(T ea.err)" "^rawecho: 1 frame received, 1 answered, 0 failed, 0 ignored$"
	signal_expect "$ea" TERM 0
	signal_expect "$eb" TERM 0
	[ $(( $(rx_packets "$NS_A" va) - a0 )) -eq 1 ]
	[ $(( $(rx_packets "$NS_B" vb) - b0 )) -eq 2 ]
	[ "$(tail -1 "$(T ea.err)")" = "rawecho: 1 frame received, 1 answered, 0 failed, 0 ignored" ]
	[ "$(tail -1 "$(T eb.err)")" = "rawecho: 2 frames received, 1 answered, 0 failed, 1 ignored" ]
}

@test "the storm test would catch a storm: --guard 0 bounces frames" {
	need_lab
	local a0 n ea eb
	a0=$(rx_packets "$NS_A" va)
	echo_start ea "$NS_A" -i va --timeout 20 --guard 0
	ea=$BG_PID
	echo_start eb "$NS_B" -i vb --timeout 20 --guard 0
	eb=$BG_PID
	inA "$BIN/rawsend" -i va Boo
	rx_moves "$NS_A" va $((a0 + 100))
	signal_expect "$ea" TERM 0
	signal_expect "$eb" TERM 0
	n=$(( $(rx_packets "$NS_A" va) - a0 ))
	echo "# va received $n frames" >&2
	[ "$n" -gt 100 ]
}

@test "--reply-type: replies go out as another type, and cannot storm even unguarded" {
	need_lab
	# va's server listens for 0xeefa: it never sees the 0xeefb answers.
	run -0 storm_count "0 frames received, 0 answered, 0 failed, 0 ignored" \
	    -r 0xeefb --guard 0
	[ "$output" = "10 10" ]
	[ "$(head -1 "$(T eb.err)")" = "rawecho: listening on vb, ethertype 0xeefa, replies 0xeefb" ]
	echo_start e "$NS_B" -i vb -c 1 --timeout 5 --reply-type 0x88b5
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -t 0x88b5
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	[ "$(sed -n 1p "$(T r.out)")" = "$MAC_B == 0x88b5 => $MAC_A - OK:" ]
}

@test "the guard's documented price: a unicast payload repeated within --guard" {
	need_lab
	local a0
	a0=$(rx_packets "$NS_A" va)
	echo_start e "$NS_B" -i vb --timeout 20 -v
	inA "$BIN/rawsend" -i va -d "$MAC_B" -c 3 Boo
	usr1_until "$BG_PID" "$(T e.err)" "^rawecho: 3 frames received, 1 answered, 0 failed, 2 ignored$"
	signal_expect "$BG_PID" TERM 0
	[ $(( $(rx_packets "$NS_A" va) - a0 )) -eq 1 ]
	a0=$(rx_packets "$NS_A" va)
	echo_start e "$NS_B" -i vb --timeout 20 -v --guard 0
	inA "$BIN/rawsend" -i va -d "$MAC_B" -c 3 Boo
	usr1_until "$BG_PID" "$(T e.err)" "^rawecho: 3 frames received, 3 answered, 0 failed, 0 ignored$"
	rx_moves "$NS_A" va $((a0 + 2))
	signal_expect "$BG_PID" TERM 0
	[ $(( $(rx_packets "$NS_A" va) - a0 )) -eq 3 ]
}

@test "frames from a group source MAC or from the server's own MAC are never answered" {
	need_lab
	local a0
	a0=$(rx_packets "$NS_A" va)
	echo_start e "$NS_B" -i vb -c 1 --timeout 8 -v
	# A reply to a group address would be a broadcast; a frame from our
	# own MAC is one of ours come back (as every frame does on lo).
	inA "$BIN/rawsend" -i va -s ff:ff:ff:ff:ff:ff Boo
	inA "$BIN/rawsend" -i va -s "$MAC_B" Boo
	# The frame after them is answered: both were seen and ignored.
	inA "$BIN/rawsend" -i va Last
	bg_expect "$BG_PID" 0
	rx_moves "$NS_A" va "$a0"
	[ "$(rx_packets "$NS_A" va)" -eq $((a0 + 1)) ]
	[ "$(tail -1 "$(T e.err)")" = "rawecho: 3 frames received, 1 answered, 0 failed, 2 ignored" ]
}

@test "SIGTERM while a handler runs: exit 0, and the report names the frame not answered" {
	need_lab
	echo_start e "$NS_B" -i vb -v -e 'sleep 30'
	inA "$BIN/rawsend" -i va Boo
	wait_for_line "$(T e.out)" '^Boo$'
	signal_expect "$BG_PID" TERM 0
	# The handler killed at the end never answered: the report says so.
	[ "$(tail -2 "$(T e.err)" | head -1)" = "rawecho: 1 frame received, 0 answered, 0 failed, 0 ignored" ]
	[ "$(tail -1 "$(T e.err)")" = "rawecho: 1 frame received but not answered" ]
}

@test "bad options: status 2, one line on stderr, nothing on the wire" {
	expect_error "rawecho: invalid jobs '0': too small (1 to 256)" \
	    "$BIN/rawecho" -i va -j 0
	expect_error "rawecho: invalid jobs 'x': not a decimal number (1 to 256)" \
	    "$BIN/rawecho" -i va -j x
	expect_error "rawecho: invalid handler-timeout '0': must be more than 0 (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va --handler-timeout 0
	expect_error "rawecho: invalid guard '-1': not a non-negative decimal number of seconds" \
	    "$BIN/rawecho" -i va --guard -1
	expect_error "rawecho: invalid ethertype 'any': rawecho answers one ethertype (any would answer every frame, its own replies included)" \
	    "$BIN/rawecho" -i va -t any
	expect_error "rawecho: invalid ethertype '0x05dc': below 0x0600, an IEEE 802.3 length, not a type" \
	    "$BIN/rawecho" -i va -r 0x05dc
	expect_error "rawecho: empty handler command (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va -e ''
	expect_error "rawecho: invalid count '0': too small" \
	    "$BIN/rawecho" -i va -c 0
	expect_error "rawecho: unknown option '--bogus' (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va --bogus
	expect_error "rawecho: option '-e' needs a value (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va -e
	expect_error "rawecho: unexpected argument 'Boo' (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va Boo
	expect_error "rawecho: no interface given (use -i IFACE or RAWSOCK_IFACE) (see 'rawecho --help')" \
	    env -u RAWSOCK_IFACE "$BIN/rawecho"
}

@test "bad interface and user: status 2, one line" {
	need_lab
	expect_error "rawecho: 'nope': no such interface" "$BIN/rawecho" -i nope
	expect_error "rawecho: -Z: unknown user 'no-such-user-x'" \
	    "$BIN/rawecho" -i va -Z no-such-user-x
}

@test "-Z nobody: handlers run as nobody, without capabilities" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	echo_start e "$NS_B" -i vb -c 1 --timeout 5 -Z nobody -e \
	    'printf "%s %s" "$(id -un)" "$(grep ^CapEff /proc/self/status | cut -f2)"'
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T r.out)")" = "nobody 0000000000000000" ]
}

@test "--exec, --jobs and --user, spelled long: the handler's reply, as nobody" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	echo_start e "$NS_B" -i vb -c 1 --timeout 5 --jobs 2 --user nobody \
	    --exec 'printf "%s " "$(id -un)"; tr a-z A-Z'
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T r.out)")" = "nobody BOO" ]
}

@test "a tagged request is answered on its VLAN: same VID, PCP, DEI and TPID, printed as rawrecv prints it" {
	need_lab
	local a b
	a=$(nocolon "$MAC_A") b=$(nocolon "$MAC_B")
	echo_start e "$NS_B" -i vb -c 2 --timeout 5
	recv_start w "$NS_B" -i vb -c 2 --timeout 5
	local wpid=$BG_PID
	recv_start r "$NS_A" -i va -c 2 --timeout 5 -o json
	local rpid=$BG_PID
	inA "$BIN/rawsend" -i va -d "$MAC_B" --vlan 5:3 hello
	run -0 pysend "${b}${a}88a8b007eefa414243"
	bg_expect "$rpid" 0
	bg_expect "$wpid" 0
	run jq -c '[.src, .dst, .ethertype, .vlan, .len, .payload[0:10]]' "$(T r.out)"
	[ "${lines[0]}" = "[\"$MAC_B\",\"$MAC_A\",\"0xeefa\",{\"tpid\":\"0x8100\",\"id\":5,\"pcp\":3,\"dei\":0},64,\"68656c6c6f\"]" ]
	[ "${lines[1]}" = "[\"$MAC_B\",\"$MAC_A\",\"0xeefa\",{\"tpid\":\"0x88a8\",\"id\":7,\"pcp\":5,\"dei\":1},64,\"4142430000\"]" ]
	bg_expect "${BG_PIDS[0]}" 0
	# The server shows each request with its tag, as rawrecv beside it.
	cmp "$(T e.out)" "$(T w.out)"
	[ "$(sed -n 1p "$(T e.out)")" = "$MAC_A == 0x8100 => $MAC_B - OK:" ]
}

@test "a tagged 2-byte request gets a reply that arrives: padded to 64 bytes" {
	need_lab
	echo_start e "$NS_B" -i vb -c 1 --timeout 5
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o hex
	run -0 pysend "$(nocolon "$MAC_B")$(nocolon "$MAC_A")81000005eefa6869"
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T r.out)")" = "$(nocolon "$MAC_A")$(nocolon "$MAC_B")81000005eefa6869$(printf '%088d' 0)" ]
}

@test "-e: a handler's reply goes out on the request's VLAN, RAWSOCK_VLAN says which" {
	need_lab
	echo_start e "$NS_B" -i vb -c 2 --timeout 5 -e \
	    'printf "vlan=%s type=%s " "$RAWSOCK_VLAN" "$RAWSOCK_TYPE"; cat'
	recv_start r "$NS_A" -i va -c 2 --timeout 5 -o json
	inA env RAWSOCK_VLAN=9 "$BIN/rawsend" -i va -d "$MAC_B" --vlan 12:1 Boo
	# Untagged: empty, whatever the server's own environment said.
	inA "$BIN/rawsend" -i va -d "$MAC_B" Two
	bg_expect "$BG_PID" 0
	run jq -r '"\(.vlan.id) \(.vlan.pcp) \(.payload)"' "$(T r.out)"
	# The request came padded to 64 bytes: Boo and 43 zeros.
	[ "${lines[0]}" = "12 1 $(printf 'vlan=12 type=0xeefa Boo' | hex)$(printf '%086d' 0)" ]
	[ "${lines[1]}" = "null null $(printf 'vlan= type=0xeefa Two' | hex)" ]
}

@test "--vlan VID: only requests tagged with VID are served" {
	need_lab
	local a0
	a0=$(rx_packets "$NS_A" va)
	echo_start e "$NS_B" -i vb -c 1 --timeout 5 -v --vlan 5
	inA "$BIN/rawsend" -i va untagged
	inA "$BIN/rawsend" -i va --vlan 6 six
	inA "$BIN/rawsend" -i va --vlan 5 five
	bg_expect "${BG_PIDS[0]}" 0
	rx_moves "$NS_A" va "$a0"
	[ "$(rx_packets "$NS_A" va)" -eq $((a0 + 1)) ]
	sed -n 2p "$(T e.out)" | grep -q '^\\000\\005\\356\\372five\\000'
	grep -qx "rawecho: 1 frame received, 1 answered, 0 failed, 0 ignored" "$(T e.err)"
}

@test "tagged replies keep the guard: two rawecho on one VLAN do not storm" {
	need_lab
	local a0 b0 ea eb
	a0=$(rx_packets "$NS_A" va) b0=$(rx_packets "$NS_B" vb)
	echo_start ea "$NS_A" -i va --timeout 20 -v
	ea=$BG_PID
	echo_start eb "$NS_B" -i vb --timeout 20 -v
	eb=$BG_PID
	inA "$BIN/rawsend" -i va --vlan 5 -c 10 Boo
	# vb answers the ten on VLAN 5. va's server never saw rawsend's tagged
	# frames (its filter reads the type at byte 12, the tag there on the
	# way out), so it answers the first reply, and its guard the rest; vb
	# knows that answer for the echo of its own reply.
	usr1_until "$eb" "$(T eb.err)" "^rawecho: 11 frames received, 10 answered, 0 failed, 1 ignored$"
	usr1_until "$ea" "$(T ea.err)" "^rawecho: 10 frames received, 1 answered, 0 failed, 9 ignored$"
	sleep 0.3
	signal_expect "$ea" TERM 0
	signal_expect "$eb" TERM 0
	[ $(( $(rx_packets "$NS_A" va) - a0 )) -eq 10 ]
	[ $(( $(rx_packets "$NS_B" vb) - b0 )) -eq 11 ]
}

@test "bad --vlan: status 2, one line on stderr, nothing on the wire" {
	need_lab
	expect_error "rawecho: invalid VLAN ID '4095': too large (0 to 4094)" \
	    "$BIN/rawecho" -i va --vlan 4095
	expect_error "rawecho: invalid VLAN ID '-1': not a decimal number (0 to 4094)" \
	    "$BIN/rawecho" -i va --vlan -1
	expect_error "rawecho: invalid VLAN ID 'abc': not a decimal number (0 to 4094)" \
	    "$BIN/rawecho" -i va --vlan abc
	expect_error "rawecho: invalid VLAN ID '5:8': not a decimal number (0 to 4094)" \
	    "$BIN/rawecho" -i va --vlan 5:8
}
