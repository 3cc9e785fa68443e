#!/usr/bin/env bats
# rawsniff-arp --watch: every event class from real ARP (iputils arping:
# requests, replies, -U, -A, -D) and from crafted frames, VLANs, the JSON
# schema, -c counting events, SIGUSR1, the state file across restarts and
# SIGHUP, crash safety (kill -9 while saving), bad state files, and the
# same traffic through Debian's arpwatch.

load helpers

IP_A=198.51.100.1
IP_B=198.51.100.2
# Nobody has these: the kernel answers no request for them.
IP_X=198.51.100.99
HX_X=c6336463

setup_file() {
	lab_setup
	[ -n "${NS_A:-}" ] || return 0
	ip -n "$NS_A" addr add "$IP_A/24" dev va
	ip -n "$NS_B" addr add "$IP_B/24" dev vb
}
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

watch_start() { applet_start "$1" "$NS_B" rawsniff-arp -i vb --watch "${@:2}"; }

# arpf OP SHA SPA TPA [THA]: one ARP frame from SHA (also the Ethernet
# source), broadcast, as rawsend --frame -x takes it.
arpf() {
	echo "ffffffffffff $2 0806 0001 0800 0604 000$1 $2 $3 ${5:-000000000000} $4"
}

# send_frames FILE [ARGS]: the frames of FILE from va, padded to 60 bytes.
send_frames() {
	inA "$BIN/rawsend" -i va -x --frame --pad --interval 0.02 "${@:2}" < "$1"
}

# The events of a line-form output, without the time since the change.
classes() { sed 's/, [0-9]*s since the last change$//' "$1"; }

# stop_expect PID: SIGTERM ends a watch with 0.
stop_expect() { signal_expect "$1" TERM 0; }

@test "arping: a request and its reply are two new stations; -U, -A and -D change and contest them" {
	need_lab
	local m_a=$MAC_A
	watch_start w -o line
	run -0 inA arping -q -c 1 -I va "$IP_B"
	wait_for_line "$(T w.out)" "^new $IP_B "
	# A new NIC on A: -U announces it (request), -A (reply) puts the
	# old one back, and -D probes for B's address, which B has.
	ip -n "$NS_A" link set va address 02:aa:00:00:00:01
	run -0 inA arping -q -U -c 1 -I va "$IP_A"
	wait_for_line "$(T w.out)" "^conflict $IP_A "
	ip -n "$NS_A" link set va address "$m_a"
	sleep 0.1
	run -0 inA arping -q -A -c 1 -I va "$IP_A"
	wait_for_line "$(T w.out)" "^conflict $IP_A $m_a"
	run -1 inA arping -q -D -c 1 -w 1 -I va "$IP_B"
	wait_for_line "$(T w.out)" "^conflict $IP_B "
	stop_expect "$BG_PID"
	# Within the conflict window (10 s) a second MAC is a conflict; the
	# probe for an address in use is one whatever the time.
	cat > "$(T want)" <<-EOF
	new $IP_A $MAC_A on vb
	new $IP_B $MAC_B on vb
	conflict $IP_A 02:aa:00:00:00:01 was $MAC_A on vb
	conflict $IP_A $MAC_A was 02:aa:00:00:00:01 on vb
	conflict $IP_B $MAC_A was $MAC_B on vb
	EOF
	classes "$(T w.out)" | diff "$(T want)" -
}

@test "arping with --conflict-window 0: the same changes are changed and flip-flop, as arpwatch says" {
	need_lab
	local m_a=$MAC_A
	watch_start w -o line --conflict-window 0
	run -0 inA arping -q -c 1 -I va "$IP_B"
	ip -n "$NS_A" link set va address 02:aa:00:00:00:02
	run -0 inA arping -q -U -c 1 -I va "$IP_A"
	ip -n "$NS_A" link set va address "$m_a"
	run -0 inA arping -q -A -c 1 -I va "$IP_A"
	wait_for_line "$(T w.out)" "^flip-flop $IP_A "
	stop_expect "$BG_PID"
	cat > "$(T want)" <<-EOF
	new $IP_A $MAC_A on vb
	new $IP_B $MAC_B on vb
	changed $IP_A 02:aa:00:00:00:02 was $MAC_A on vb
	flip-flop $IP_A $MAC_A was 02:aa:00:00:00:02 on vb
	EOF
	classes "$(T w.out)" | diff "$(T want)" -
}

@test "crafted frames: every class, VLAN-tagged ARP apart, the time since the last change" {
	need_lab
	local a=02000000000a b=02000000000b c=02000000000c
	{
		arpf 1 $a c6336405 $HX_X	# new
		arpf 1 $a c6336405 $HX_X	# nothing: the same
		arpf 1 $b c6336405 $HX_X	# changed
		arpf 1 $a c6336405 $HX_X	# flip-flop
		arpf 1 $c c6336405 $HX_X	# changed
		arpf 1 $b c6336405 $HX_X	# reused
		arpf 1 02000000000d 0a000001 $HX_X	# bogon: not 198.51.100/24
		arpf 1 02000000000e 00000000 c6336405	# probe: conflict
		arpf 2 02000000000f c6336406 c6336407 020000000010 # reply
	} > "$(T frames)"
	watch_start w -o line --conflict-window 0
	send_frames "$(T frames)"
	# The same address on VLAN 5 is another station.
	arpf 1 $c c6336405 $HX_X > "$(T tagged)"
	send_frames "$(T tagged)" --vlan 5
	wait_for_line "$(T w.out)" "vlan 5"
	stop_expect "$BG_PID"
	cat > "$(T want)" <<-'EOF'
	new 198.51.100.5 02:00:00:00:00:0a on vb
	changed 198.51.100.5 02:00:00:00:00:0b was 02:00:00:00:00:0a on vb
	flip-flop 198.51.100.5 02:00:00:00:00:0a was 02:00:00:00:00:0b on vb
	changed 198.51.100.5 02:00:00:00:00:0c was 02:00:00:00:00:0a on vb
	reused 198.51.100.5 02:00:00:00:00:0b was 02:00:00:00:00:0c on vb
	bogon 10.0.0.1 02:00:00:00:00:0d on vb
	conflict 198.51.100.5 02:00:00:00:00:0e was 02:00:00:00:00:0b on vb
	new 198.51.100.6 02:00:00:00:00:0f on vb
	new 198.51.100.7 02:00:00:00:00:10 on vb
	new 198.51.100.5 02:00:00:00:00:0c on vb vlan 5
	EOF
	classes "$(T w.out)" | diff "$(T want)" -
	# Every change says how long the address had its MAC.
	[ "$(grep -c 's since the last change$' "$(T w.out)")" -eq 5 ]
}

@test "without -i: every interface, each event naming its own, bogons by the interface's networks" {
	need_lab
	{
		arpf 1 02000000000a c6336405 $HX_X
		arpf 1 02000000000d 0a000001 $HX_X
	} > "$(T frames)"
	applet_start w "$NS_B" rawsniff-arp --watch -c 2
	[ "$(cat "$(T w.err)")" = "rawsniff-arp: listening on all interfaces" ]
	send_frames "$(T frames)"
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T w.out)")" = "new 198.51.100.5 02:00:00:00:00:0a on vb
bogon 10.0.0.1 02:00:00:00:00:0d on vb" ]
}

@test "two MACs for one address within the window is a conflict; after it, a change" {
	need_lab
	arpf 1 02000000000a c6336408 $HX_X > "$(T f1)"
	arpf 1 02000000000b c6336408 $HX_X > "$(T f2)"
	watch_start w -o line --conflict-window 0.5
	send_frames "$(T f1)"
	send_frames "$(T f2)"
	sleep 0.7
	send_frames "$(T f1)"
	wait_for_line "$(T w.out)" "^flip-flop"
	stop_expect "$BG_PID"
	cat > "$(T want)" <<-'EOF'
	new 198.51.100.8 02:00:00:00:00:0a on vb
	conflict 198.51.100.8 02:00:00:00:00:0b was 02:00:00:00:00:0a on vb
	flip-flop 198.51.100.8 02:00:00:00:00:0a was 02:00:00:00:00:0b on vb
	EOF
	classes "$(T w.out)" | diff "$(T want)" -
}

@test "-o json: one object per event with exactly the documented keys, types and values" {
	need_lab
	{
		arpf 1 02000000000a c6336405 $HX_X
		arpf 1 02000000000b c6336405 $HX_X
	} > "$(T frames)"
	watch_start w -o json --conflict-window 0 -c 3
	send_frames "$(T frames)"
	arpf 1 02000000000c c6336409 $HX_X > "$(T tagged)"
	send_frames "$(T tagged)" --vlan 7:3
	bg_expect "$BG_PID" 0
	[ "$(wc -l < "$(T w.out)")" -eq 3 ]
	# Every line: the keys in this order, with these types.
	run -0 jq -e -s 'all(.[]; (keys_unsorted == ["event","ts_ns","iface",
	    "vlan","ip","mac","old_mac","since_change_s","first_seen_s"]) and
	    (.ts_ns | type == "number") and (.first_seen_s | type == "number")
	    and (.iface == "vb"))' "$(T w.out)"
	run -0 jq -c -s 'map([.event, .ip, .mac, .old_mac, .since_change_s,
	    .vlan])' "$(T w.out)"
	[ "$output" = '[["new","198.51.100.5","02:00:00:00:00:0a",null,null,null],["changed","198.51.100.5","02:00:00:00:00:0b","02:00:00:00:00:0a",0,null],["new","198.51.100.9","02:00:00:00:00:0c",null,null,{"tpid":"0x8100","id":7,"pcp":3,"dei":0}]]' ]
	# ts_ns is the frame's time: within the minute around now.
	run -0 jq -e -s --argjson now "$(date +%s)" \
	    'all(.[]; (.ts_ns / 1e9 - $now | fabs) < 60)' "$(T w.out)"
}

@test "-v: the frames too, in the block form (or JSON with -o json); -c counts events, not frames" {
	need_lab
	{
		arpf 1 02000000000a c6336405 $HX_X
		arpf 1 02000000000a c6336405 $HX_X
		arpf 1 02000000000b c6336406 $HX_X
	} > "$(T frames)"
	watch_start w -v -c 2
	send_frames "$(T frames)"
	bg_expect "$BG_PID" 0
	[ "$(grep -c '^---------------- ETHERNET_FRAME' "$(T w.out)")" -eq 3 ]
	[ "$(grep -c '^new ' "$(T w.out)")" -eq 2 ]
	watch_start j -v -o json -c 1
	send_frames "$(T frames)"
	bg_expect "$BG_PID" 0
	# The frame's object, then the event's.
	run -0 jq -c -s 'map(has("event"))' "$(T j.out)"
	[ "$output" = '[false,true]' ]
}

@test "SIGUSR1: the table's size and the count of each class; the run goes on" {
	need_lab
	{
		arpf 1 02000000000a c6336405 $HX_X
		arpf 1 02000000000b c6336405 $HX_X
		arpf 1 02000000000c c6336406 $HX_X
	} > "$(T frames)"
	watch_start w --conflict-window 0
	send_frames "$(T frames)"
	wait_for_line "$(T w.out)" "198.51.100.6"
	usr1_until "$BG_PID" "$(T w.err)" "stations"
	grep -qx "rawsniff-arp: 2 stations, 2 new, 1 changed, 0 flip-flop, 0 reused, 0 conflict, 0 bogon" "$(T w.err)"
	grep -qx "rawsniff-arp: 3 frames received, 0 dropped by the kernel" "$(T w.err)"
	stop_expect "$BG_PID"
}

@test "--state: saved at the end, loaded by the next run, which reports only what changed" {
	need_lab
	local st=$BATS_TEST_TMPDIR/arp.state
	{
		arpf 1 02000000000a c6336405 $HX_X
		arpf 1 02000000000b c6336406 $HX_X
	} > "$(T frames)"
	watch_start w --state "$st"
	[ ! -e "$st" ]
	send_frames "$(T frames)"
	wait_for_line "$(T w.out)" "198.51.100.6"
	stop_expect "$BG_PID"
	head -1 "$st" | grep -qx "# rawsock arp state 1"
	run -0 sh -c "sed 1d '$st' | cut -d' ' -f1-4"
	[ "$output" = "198.51.100.5 02:00:00:00:00:0a vb -
198.51.100.6 02:00:00:00:00:0b vb -" ]
	# The next run knows both: only the change shows, with the MAC from
	# the file, and the file keeps the old MAC as history.
	arpf 1 02000000000c c6336405 $HX_X >> "$(T frames)"
	watch_start w2 --state "$st" --conflict-window 0
	send_frames "$(T frames)"
	wait_for_line "$(T w2.out)" "changed"
	stop_expect "$BG_PID"
	classes "$(T w2.out)" > "$(T got)"
	[ "$(cat "$(T got)")" = "changed 198.51.100.5 02:00:00:00:00:0c was 02:00:00:00:00:0a on vb" ]
	grep -q '^198.51.100.5 02:00:00:00:00:0c vb - .* 02:00:00:00:00:0a$' "$st"
	# A person may edit it: comments and blank lines are skipped.
	printf '# mine\n\n10.1.2.3 02:00:00:00:00:99 vb 5 100 300 200\n' >> "$st"
	watch_start w3 --state "$st" --timeout 0.2
	bg_expect "$BG_PID" 1
	grep -q '^10.1.2.3 02:00:00:00:00:99 vb 5 100 300 200$' "$st"
	[ ! -e "$BATS_TEST_TMPDIR/.arp.state.tmp" ]
}

@test "SIGHUP saves the state and the run goes on" {
	need_lab
	local st=$BATS_TEST_TMPDIR/arp.state i
	arpf 1 02000000000a c6336405 $HX_X > "$(T frames)"
	watch_start w --state "$st"
	send_frames "$(T frames)"
	wait_for_line "$(T w.out)" "198.51.100.5"
	kill -HUP "$BG_PID"
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ -e "$st" ] && break
		sleep 0.01
	done
	grep -q '^198.51.100.5 02:00:00:00:00:0a vb ' "$st"
	kill -0 "$BG_PID"
	arpf 1 02000000000b c6336406 $HX_X > "$(T frames)"
	send_frames "$(T frames)"
	wait_for_line "$(T w.out)" "198.51.100.6"
	stop_expect "$BG_PID"
	[ "$(grep -c '^198' "$st")" -eq 2 ]
}

@test "-Z nobody: the state file is read and written as nobody" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	local d
	d=$(mktemp -d /tmp/rawsock-watch.XXXXXX)
	chmod 1777 "$d"
	watch_start w -Z nobody --state "$d/arp.state" --timeout 0.3
	bg_expect "$BG_PID" 1
	[ "$(stat -c %U "$d/arp.state")" = nobody ]
	# A directory nobody cannot write to is refused at the start.
	chmod 755 "$d"
	expect_error "rawsniff-arp: $d: cannot save the state there: Permission denied" \
	    "$BIN/rawsniff-arp" --watch -i va -Z nobody --state "$d/arp.state"
	rm -rf "$d"
}

@test "kill -9 at any moment of a save: the file is the old table or the new one, never torn" {
	need_lab
	local st=$BATS_TEST_TMPDIR/arp.state i n pid before after
	# A table big enough that a save takes a while: 5000 stations.
	{
		echo "# rawsock arp state 1"
		for ((i = 0; i < 5000; i++)); do
			printf '10.%d.%d.1 02:00:00:00:%02x:%02x - - 100 100 100\n' \
			    $((i / 256)) $((i % 256)) $((i / 256)) $((i % 256))
		done
	} > "$st"
	for ((n = 0; n < 12; n++)); do
		before=$(grep -c '^[0-9]' "$st")
		arpf 1 "0200000001$(printf %02x $n)" \
		    "c63364$(printf %02x $((n + 10)))" $HX_X > "$(T frames)"
		watch_start w --state "$st"
		pid=$BG_PID
		send_frames "$(T frames)"
		wait_for_line "$(T w.out)" "^new "
		for ((i = 0; i < 20 + RANDOM % 200; i++)); do
			kill -HUP "$pid" 2>/dev/null || break
		done
		sleep "0.00$((RANDOM % 10))"
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null || true
		after=$(grep -c '^[0-9]' "$st")
		echo "# round $n: $before -> $after" >&2
		[ "$after" -eq "$before" ] || [ "$after" -eq $((before + 1)) ]
		# Whatever it holds, the next run loads it.
		inB "$BIN/rawsniff-arp" -i vb -q --watch --state "$st" \
		    --timeout 0 2> "$(T load.err)" || [ $? -eq 1 ]
		[ ! -s "$(T load.err)" ]
	done
	# The saves that came through are there.
	[ "$(grep -c '^[0-9]' "$st")" -gt 5000 ]
}

@test "a bad state file is refused with its line number, exit 2, nothing on stdout" {
	need_lab
	local st=$BATS_TEST_TMPDIR/bad.state h="# rawsock arp state 1"
	bad() {
		printf "$1" > "$st"
		expect_error "rawsniff-arp: $st:$2" "$BIN/rawsniff-arp" --watch \
		    -i va --state "$st"
	}
	bad '' "1: empty (want \"$h\")"
	bad 'hello\n' "1: not a state file (want \"$h\")"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 1 2 1\n10.0.0.256 02:00:00:00:00:01 va - 1 2 1\n" \
	    "3: bad IPv4 address"
	bad "$h\n\n# c\n10.0.0.1 02:00:00:00:00:0g va - 1 2 1\n" "4: bad MAC address"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va 4095 1 2 1\n" "2: bad VLAN (0 to 4094, or -)"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 v/a - 1 2 1\n" "2: bad interface name"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 3 2 1\n" \
	    "2: times out of order (FIRST <= CHANGED <= LAST)"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - -1 2 1\n" "2: bad time (Unix seconds)"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 1 99999999999999999999 1\n" \
	    "2: bad time (Unix seconds)"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 1 2\n" \
	    "2: want IP MAC IFACE VLAN FIRST LAST CHANGED [OLDMAC...]"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 1 2 1 02:00:00:00:00:01\n" \
	    "2: a MAC listed twice"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 1 2 1\n10.0.0.1 02:00:00:00:00:02 va - 1 2 1\n" \
	    "3: station listed twice"
	bad "$h\n10.0.0.1 02:00:00:00:00:01 va - 1 2 1" \
	    "2: last line has no newline (a torn file?)"
	bad "$h\n10.0.0.1 02:00\0:00:00:00:01 va - 1 2 1\n" "2: NUL byte"
	bad "$h\n$(head -c 600 /dev/zero | tr '\0' x)\n" "2: line too long"
	mkdir "$(T dir.state)"
	expect_error "rawsniff-arp: $(T dir.state): not a regular file" \
	    "$BIN/rawsniff-arp" --watch -i va --state "$(T dir.state)"
}

@test "bad options: --state, -v and --conflict-window need --watch; bad values" {
	local see="(see 'rawsniff-arp --help')"
	expect_error "rawsniff-arp: --state needs --watch $see" \
	    "$BIN/rawsniff-arp" --state /tmp/x
	expect_error "rawsniff-arp: -v needs --watch $see" "$BIN/rawsniff-arp" -v
	expect_error "rawsniff-arp: --conflict-window needs --watch $see" \
	    "$BIN/rawsniff-arp" --conflict-window 3
	run --separate-stderr "$BIN/rawsniff-arp" --watch --conflict-window x
	[ "$status" -eq 2 ]
	[[ "$stderr" == "rawsniff-arp: "*"conflict-window"* ]]
	expect_error "rawsniff-arp: /nonexistent/dir: No such file or directory" \
	    "$BIN/rawsniff-arp" --watch -i va --state /nonexistent/dir/arp.state
}

@test "arpwatch reads the same traffic from rawrecv -w and reports the same changes" {
	need_lab
	command -v arpwatch > /dev/null || skip "arpwatch is not installed"
	local a=02000000000a b=02000000000b c=02000000000c
	{
		arpf 1 $a c6336405 $HX_X
		arpf 1 $b c6336405 $HX_X
		arpf 1 $a c6336405 $HX_X
		arpf 1 $c c6336405 $HX_X
		arpf 1 $b c6336405 $HX_X
		arpf 1 02000000000d c6336406 $HX_X
		arpf 1 02000000000e 0a000001 $HX_X
	} > "$(T frames)"
	watch_start w -o line --conflict-window 0
	recv_start r "$NS_B" -i vb -t arp -w "$(T arp.pcap)"
	send_frames "$(T frames)"
	wait_for_line "$(T w.out)" "^bogon"
	stop_expect "${BG_PIDS[0]}"
	stop_expect "${BG_PIDS[1]}"
	: > "$(T arp.dat)"
	# -d: reports on stderr, not mailed. Reading a file, arpwatch has no
	# interface and so no network of its own: it never finds a bogon
	# (even with -n), and calls the outsider a new station.
	arpwatch -d -Q -r "$(T arp.pcap)" -f "$(T arp.dat)" \
	    > "$(T aw.out)" 2>&1 || true
	# Its names, as rawsniff-arp spells them: "class ip".
	sed -n -e 's/^Subject: \(.*\) (\([0-9.]*\)).*/\1 \2/p' \
	    -e 's/^arpwatch: \(reused old ethernet address\|bogon\) \([0-9.]*\) .*/\1 \2/p' \
	    "$(T aw.out)" | sed -e 's/^new station/new/' \
	    -e 's/^changed ethernet address/changed/' -e 's/^flip flop/flip-flop/' \
	    -e 's/^reused old ethernet address/reused/' > "$(T aw)"
	cut -d' ' -f1,2 "$(T w.out)" | sed 's/^bogon/new/' > "$(T rs)"
	echo "# arpwatch:" >&2; cat "$(T aw)" >&2
	diff "$(T aw)" "$(T rs)"
	[ "$(wc -l < "$(T rs)")" -eq 7 ]
	grep -qx "bogon 10.0.0.1" <(cut -d' ' -f1,2 "$(T w.out)")
}
