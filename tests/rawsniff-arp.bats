#!/usr/bin/env bats
# rawsniff-arp: the cheatsheet's sample block byte for byte, real ARP from
# iputils arping (request and reply, gratuitous, probe) in all three
# formats, truncated and odd-sized ARP, non-ARP ignored by the kernel
# filter, tcpdump's ARP captures replayed on the wire, and bad options.
# Counts, timeouts and signals are receivers.bats'; fuzzing is make fuzz's.

load helpers

# Documentation addresses (RFC 5737), found in none of the captures, so the
# kernel never answers a replayed request.
IP_A=198.51.100.1
IP_B=198.51.100.2
PCAP_DIR=${ARP_PCAP_DIR:-$ROOT/tests/data/tcpdump-arp}

# The cheatsheet's sample frame, 42 bytes: who-has 140.112.91.20 tell
# 140.112.91.254, from f0:25:72:52:f5:ca.
SAMPLE=ffffffffffff\
f0257252f5ca\
0806\
0001080006040001\
f0257252f5ca8c705bfe\
0000000000008c705b14

setup_file() {
	lab_setup
	[ -n "${NS_A:-}" ] || return 0
	ip -n "$NS_A" addr add "$IP_A/24" dev va
	ip -n "$NS_B" addr add "$IP_B/24" dev vb
}
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

# sniff_start NAME NS ARGS...: rawsniff-arp in the background, ready.
sniff_start() { applet_start "$1" "$2" rawsniff-arp "${@:3}"; }

# Lowercase hex MAC without colons, as the block prints it.
bare() { echo "${1//:/}"; }

@test "the cheatsheet's sample frame, sent on the veth, prints the sample's block exactly" {
	need_lab
	[ "${#SAMPLE}" -eq 84 ]
	sniff_start s "$NS_B" -i vb -c 1 --timeout 5
	pysend "$SAMPLE"
	bg_expect "$BG_PID" 0
	# The block of python-socket-cheatsheet.rst, then the blank line its
	# final print "...\n" adds.
	cat > "$(T want)" <<-'EOF'
	---------------- ETHERNET_FRAME ----------------
	Dest MAC:         ffffffffffff
	Source MAC:       f0257252f5ca
	Type:             0806
	----------------- ARP_HEADER -------------------
	Hardware type:    0001
	Protocol type:    0800
	Hardware size:    06
	Protocol size:    04
	Opcode:           0001
	Source MAC:       f0257252f5ca
	Source IP:        140.112.91.254
	Dest MAC:         000000000000
	Dest IP:          140.112.91.20
	------------------------------------------------

	EOF
	cmp "$(T want)" "$(T s.out)"
	[ "$(cat "$(T s.err)")" = "rawsniff-arp: listening on vb" ]
}

@test "arping: request and reply, seen by the sender on all interfaces, in all three formats" {
	need_lab
	local f m_a m_b
	for f in block line json; do
		sniff_start "$f" "$NS_A" -o "$f" -c 2 --timeout 5
		[ "$(cat "$(T "$f.err")")" = \
		    "rawsniff-arp: listening on all interfaces" ]
	done
	sniff_start b "$NS_B" -i vb -o line -c 2 --timeout 5
	run -0 inA arping -q -c 1 -I va "$IP_B"
	for f in "${BG_PIDS[@]}"; do
		bg_expect "$f" 0
	done

	printf '%s\n' \
	    "request who-has $IP_B (ff:ff:ff:ff:ff:ff) tell $IP_A ($MAC_A)" \
	    "reply $IP_B is-at $MAC_B" > "$(T want.line)"
	cmp "$(T want.line)" "$(T line.out)"
	# The receiving end sees the same two frames, one each way.
	cmp "$(T want.line)" "$(T b.out)"

	printf '%s\n' \
	    '{"len":42,"truncated":false,"kind":"request","dst":"ff:ff:ff:ff:ff:ff","src":"'"$MAC_A"'","ethertype":"0x0806","vlan":null,"htype":1,"ptype":"0x0800","hlen":6,"plen":4,"op":1,"sha":"'"$MAC_A"'","spa":"'"$IP_A"'","tha":"ff:ff:ff:ff:ff:ff","tpa":"'"$IP_B"'"}' \
	    '{"len":42,"truncated":false,"kind":"reply","dst":"'"$MAC_A"'","src":"'"$MAC_B"'","ethertype":"0x0806","vlan":null,"htype":1,"ptype":"0x0800","hlen":6,"plen":4,"op":2,"sha":"'"$MAC_B"'","spa":"'"$IP_B"'","tha":"'"$MAC_A"'","tpa":"'"$IP_A"'"}' \
	    > "$(T want.json)"
	cmp "$(T want.json)" "$(T json.out)"
	run -0 jq -c 'select(.op == 2) | .sha' "$(T json.out)"
	[ "$output" = "\"$MAC_B\"" ]

	m_a=$(bare "$MAC_A")
	m_b=$(bare "$MAC_B")
	cat > "$(T want.block)" <<-EOF
	---------------- ETHERNET_FRAME ----------------
	Dest MAC:         ffffffffffff
	Source MAC:       $m_a
	Type:             0806
	----------------- ARP_HEADER -------------------
	Hardware type:    0001
	Protocol type:    0800
	Hardware size:    06
	Protocol size:    04
	Opcode:           0001
	Source MAC:       $m_a
	Source IP:        $IP_A
	Dest MAC:         ffffffffffff
	Dest IP:          $IP_B
	------------------------------------------------

	---------------- ETHERNET_FRAME ----------------
	Dest MAC:         $m_a
	Source MAC:       $m_b
	Type:             0806
	----------------- ARP_HEADER -------------------
	Hardware type:    0001
	Protocol type:    0800
	Hardware size:    06
	Protocol size:    04
	Opcode:           0002
	Source MAC:       $m_b
	Source IP:        $IP_B
	Dest MAC:         $m_a
	Dest IP:          $IP_A
	------------------------------------------------

	EOF
	cmp "$(T want.block)" "$(T block.out)"
}

@test "gratuitous ARP (arping -U, arping -A) is named as such" {
	need_lab
	sniff_start l "$NS_B" -i vb -o line -c 2 --timeout 5
	sniff_start j "$NS_B" -i vb -o json -c 2 --timeout 5
	run -0 inA arping -q -U -c 1 -I va "$IP_A"
	run -0 inA arping -q -A -c 1 -I va "$IP_A"
	bg_expect "${BG_PIDS[0]}" 0
	bg_expect "${BG_PIDS[1]}" 0
	printf '%s\n' "gratuitous request $IP_A is-at $MAC_A" \
	    "gratuitous reply $IP_A is-at $MAC_A" > "$(T want)"
	cmp "$(T want)" "$(T l.out)"
	run -0 jq -r '"\(.kind) \(.op) \(.spa) \(.tpa)"' "$(T j.out)"
	[ "${lines[0]}" = "gratuitous 1 $IP_A $IP_A" ]
	[ "${lines[1]}" = "gratuitous 2 $IP_A $IP_A" ]
}

@test "an ARP probe (arping -D, from 0.0.0.0) is named as such, and its answer shown" {
	need_lab
	sniff_start l "$NS_B" -i vb -o line -c 2 --timeout 5
	# The address is in use: arping -D says so with status 1.
	run -1 inA arping -q -D -c 1 -I va "$IP_B"
	bg_expect "$BG_PID" 0
	printf '%s\n' \
	    "probe who-has $IP_B (ff:ff:ff:ff:ff:ff) from $MAC_A" \
	    "reply $IP_B is-at $MAC_B" > "$(T want)"
	cmp "$(T want)" "$(T l.out)"
}

@test "truncated and odd-sized ARP from pysend and rawsend (hex and binary) decode without a crash" {
	need_lab
	local f sizes big
	for f in block line json; do
		sniff_start "$f" "$NS_B" -i vb -o "$f" -c 5 --timeout 5
	done
	# The sample cut after 30 bytes, inside the sender's IP address.
	pysend "${SAMPLE:0:60}"
	# 16 bytes: the Ethernet header and the hardware type only.
	pysend "${SAMPLE:0:32}"
	# 8-byte hardware and 16-byte protocol addresses, whole (rawsend -x).
	sizes="000686dd08100001 0011223344556677 20010db8000000000000000000000001"
	sizes+=" 0000000000000000 20010db8000000000000000000000002"
	run -0 inA "$BIN/rawsend" -i va -t arp -x "$sizes"
	# hlen and plen 255, in an 86-byte payload: the addresses run far
	# past the frame's end (rawsend, binary payload on stdin).
	big=$("$PY" -c 'import sys
sys.stdout.buffer.write(bytes.fromhex("00010800ffff0001") + bytes(range(78)))' |
	    od -An -v -tx1 | tr -d ' \n')
	[ "${#big}" -eq 172 ]
	"$PY" -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' \
	    "$big" | inA "$BIN/rawsend" -i va -t arp
	# InARP reply (opcode 9), normal sizes.
	pysend "${SAMPLE:0:40}0009${SAMPLE:44}"
	for f in "${BG_PIDS[@]}"; do
		bg_expect "$f" 0
	done

	printf '%s\n' \
	    "request who-has ? tell ? (f0:25:72:52:f5:ca) [truncated: 30 of 42 bytes]" \
	    "short [truncated: 16 of 22 bytes]" \
	    "request who-has 20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:02 tell 20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01 (00:11:22:33:44:55:66:77) [htype 6, ptype 0x86dd, hlen 8, plen 16]" \
	    "request who-has ? tell ? (?) [htype 1, ptype 0x0800, hlen 255, plen 255] [truncated: 100 of 1042 bytes]" \
	    "opcode 9 sender 140.112.91.254 (f0:25:72:52:f5:ca) target 140.112.91.20 (00:00:00:00:00:00)" \
	    > "$(T want)"
	cmp "$(T want)" "$(T line.out)"

	run -0 jq -c '[.len, .truncated, .kind, .hlen, .plen, .op, .spa]' \
	    "$(T json.out)"
	[ "${lines[0]}" = '[30,true,"request",6,4,1,"8c:70"]' ]
	[ "${lines[1]}" = '[16,true,"short",null,null,null,null]' ]
	[ "${lines[2]}" = '[70,false,"request",8,16,1,"20:01:0d:b8:00:00:00:00:00:00:00:00:00:00:00:01"]' ]
	[ "${lines[3]}" = '[100,true,"request",255,255,1,null]' ]
	[ "${lines[4]}" = '[42,false,"other",6,4,9,"140.112.91.254"]' ]

	[ "$(grep -c -- '-- ETHERNET_FRAME --' "$(T block.out)")" -eq 5 ]
	run -0 grep '^Truncated:' "$(T block.out)"
	[ "${lines[*]}" = "Truncated:        30 of 42 bytes Truncated:        16 of 22 bytes Truncated:        100 of 1042 bytes" ]
	grep -qx 'Source MAC:       0011223344556677' "$(T block.out)"
	grep -qx 'Dest IP:          20010db8000000000000000000000002' \
	    "$(T block.out)"
	grep -qx 'Opcode:           0009' "$(T block.out)"
}

@test "non-ARP frames are ignored, filtered by the kernel" {
	need_lab
	local arp=${SAMPLE:28}
	sniff_start l "$NS_B" -i vb -o line -c 1 --timeout 5
	# The socket carries the filter: ld hatype; jeq 1; ldh [12];
	# jeq 0x0806 (2054); ret all; ret 0.
	run -0 inB ss -0 -b -p
	[[ "$output" == *"bpf filter (6):"*"0x28 0 0 12, 0x15 0 1 2054,"* ]]
	# An ARP body behind other ethertypes: IPv4, RARP, a local type.
	pysend "${SAMPLE:0:24}0800$arp"
	pysend "${SAMPLE:0:24}8035$arp"
	pysend "${SAMPLE:0:24}88b5$arp"
	run -0 inA "$BIN/rawsend" -i va -t ipv4 not-arp
	pysend "$SAMPLE"
	bg_expect "$BG_PID" 0
	echo "request who-has 140.112.91.20 tell 140.112.91.254 (f0:25:72:52:f5:ca)" \
	    > "$(T want)"
	cmp "$(T want)" "$(T l.out)"
}

@test "tcpdump's ARP captures, replayed on the wire, all decode in every format" {
	need_lab
	[ -d "$PCAP_DIR" ] || skip "no captures in $PCAP_DIR (set ARP_PCAP_DIR)"
	local n f
	# What the receiver must see: every 0x0806 frame, and those behind
	# one VLAN tag (the kernel strips it on receive).
	run -0 "$PY" "$PEERS/pcapreplay.py" -n "$PCAP_DIR"/*.pcap
	n=${lines[-1]#total arp=}
	[ "$n" -gt 2000 ]
	for f in block line json; do
		sniff_start "$f" "$NS_B" -i vb -o "$f" -c "$n" --timeout 30
	done
	run -0 inA "$PY" "$PEERS/pcapreplay.py" va "$PCAP_DIR"/*.pcap
	for f in "${BG_PIDS[@]}"; do
		bg_expect "$f" 0
	done
	for f in block line json; do
		# Nothing on stderr but the readiness line: no drops, no cuts.
		# vb counts the tagged frames that no protocol took after the
		# sockets saw them in rx_dropped, and the report says so.
		[ "$(grep -v '^rawsniff-arp: [0-9]* frames\{0,1\} dropped by the interface$' \
		    "$(T "$f.err")")" = "rawsniff-arp: listening on vb" ]
	done
	[ "$(wc -l < "$(T line.out)")" -eq "$n" ]
	[ "$(grep -c -- '-- ETHERNET_FRAME --' "$(T block.out)")" -eq "$n" ]
	[ "$(grep -c '^------------------------------------------------$' \
	    "$(T block.out)")" -eq "$n" ]
	[ "$(wc -l < "$(T json.out)")" -eq "$n" ]
	# Every line is one valid JSON object.
	run -0 jq -c -e 'select(.ethertype == "0x0806") | .kind' "$(T json.out)"
	[ "${#lines[@]}" -eq "$n" ]
	# Some frames as tcpdump decodes them (see the captures' README).
	grep -qFx "request who-has 1.0.2.1 tell 1.0.2.2 (02:01:00:01:00:00)" \
	    "$(T line.out)"
	grep -qFx "reply 1.0.2.1 is-at e2:c3:b4:8e:87:60" "$(T line.out)"
	grep -qFx "gratuitous request 169.254.67.194 is-at 00:04:23:57:a5:7a" \
	    "$(T line.out)"
	grep -qFx "reply 10.40.1.1 is-at 74:83:ef:07:d0:a9" "$(T line.out)"
}

@test "without -i it listens on all interfaces" {
	need_lab
	run --separate-stderr -1 inB "$BIN/rawsniff-arp" -c 1 --timeout 0.2
	[ -z "$output" ]
	[ "$stderr" = "rawsniff-arp: listening on all interfaces" ]
}

@test "output is not held back: each frame shows while rawsniff-arp waits for more" {
	need_lab
	sniff_start l "$NS_B" -o line
	pysend "$SAMPLE"
	wait_for_line "$(T l.out)" "^request who-has 140\.112\.91\.20 "
	pysend "${SAMPLE:0:40}0002${SAMPLE:44}"
	wait_for_line "$(T l.out)" "^reply 140\.112\.91\.254 is-at "
	kill -TERM "$BG_PID"
	bg_expect "$BG_PID" 0
}

@test "-h and --version: exit 0 on stdout" {
	run --separate-stderr -0 "$BIN/rawsniff-arp" -h
	[[ "$output" == "usage: rawsniff-arp "* ]]
	[ -z "$stderr" ]
	run --separate-stderr -0 "$BIN/rawsock" sniff-arp --version
	[ "$output" = "rawsniff-arp $RAWSOCK_VERSION (rawsock)" ]
}

@test "bad options and values: exit 2, one line on stderr, nothing on stdout" {
	local a=rawsniff-arp see="(see 'rawsniff-arp --help')"
	expect_error "$a: invalid output format 'xml' (block, line or json) $see" \
	    "$BIN/rawsniff-arp" -o xml
	expect_error "$a: option '-o' needs a value $see" "$BIN/rawsniff-arp" -o
	expect_error "$a: invalid count '0': too small" "$BIN/rawsniff-arp" -c 0
	expect_error "$a: invalid count 'ten': not a decimal number" \
	    "$BIN/rawsniff-arp" -c ten
	expect_error "$a: invalid timeout '-1': not a non-negative decimal number of seconds" \
	    "$BIN/rawsniff-arp" --timeout -1
	expect_error "$a: unknown option '--bogus' $see" \
	    "$BIN/rawsniff-arp" --bogus
	expect_error "$a: unknown option '-t' $see" "$BIN/rawsniff-arp" -t arp
	expect_error "$a: unexpected argument 'extra' $see" \
	    "$BIN/rawsniff-arp" extra
	if is_root; then
		expect_error "$a: 'nope': no such interface" \
		    "$BIN/rawsniff-arp" -i nope
	fi
}

@test "--vlan VID: only the ARP tagged with VID; bad VIDs refused" {
	local a=rawsniff-arp see="(see 'rawsniff-arp --help')"
	expect_error "$a: invalid VLAN ID '4095': too large (0 to 4094)" \
	    "$BIN/rawsniff-arp" --vlan 4095
	expect_error "$a: invalid VLAN ID 'x': not a decimal number (0 to 4094)" \
	    "$BIN/rawsniff-arp" --vlan x
	expect_error "$a: option '--vlan' needs a value $see" \
	    "$BIN/rawsniff-arp" --vlan
	need_lab
	# who-has 198.51.100.2 tell 198.51.100.1, then .3 and .4.
	local req=0001080006040001020000000001c6336401000000000000c63364
	sniff_start s "$NS_B" -i vb -o line --vlan 5 -c 1 --timeout 10
	# Untagged, then on VLAN 6, then on VLAN 5: only the last is shown.
	# --pad: the receiving kernel drops tagged frames under 60 bytes.
	inA "$BIN/rawsend" -i va -t arp -x "${req}02"
	inA "$BIN/rawsend" -i va -t arp --vlan 6 --pad -x "${req}03"
	inA "$BIN/rawsend" -i va -t arp --vlan 5 --pad -x "${req}04"
	bg_expect "$BG_PID" 0
	run cat "$(T s.out)"
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == "vlan 5, p 0, request who-has 198.51.100.4 tell 198.51.100.1 "* ]]
}

@test "tagged ARP (as arp-scan --vlan=5 sends it) shows its tag in every format, len as rawrecv's" {
	need_lab
	# who-has 198.51.100.9 tell 198.51.100.1, padded to 60 bytes before
	# the tag: the receiving kernel drops tagged frames under 60 bytes.
	local req=0001080006040001020000000001c6336401000000000000c6336409
	local f pad=000000000000000000000000000000000000 m_a=02:00:00:00:00:01
	for f in block line json; do
		sniff_start "$f" "$NS_B" -i vb -o "$f" -c 2 --timeout 5
	done
	recv_start r "$NS_B" -i vb -t arp -o json -c 2 --timeout 5
	# Untagged first: its block is as before, byte for byte.
	inA "$BIN/rawsend" -i va -t arp -x "$req$pad"
	inA "$BIN/rawsend" -i va -t arp --vlan 5:3 -x "$req$pad"
	for f in "${BG_PIDS[@]}"; do
		bg_expect "$f" 0
	done
	run cat "$(T line.out)"
	[ "${lines[0]}" = "request who-has 198.51.100.9 tell 198.51.100.1 ($m_a)" ]
	[ "${lines[1]}" = "vlan 5, p 3, request who-has 198.51.100.9 tell 198.51.100.1 ($m_a)" ]
	run -0 jq -c '[.len, .vlan]' "$(T json.out)"
	[ "${lines[0]}" = '[60,null]' ]
	[ "${lines[1]}" = '[64,{"tpid":"0x8100","id":5,"pcp":3,"dei":0}]' ]
	# rawrecv counts the same bytes and writes the same tag.
	run -0 jq -c '[.len, .vlan]' "$(T r.out)"
	[ "${lines[0]}" = '[60,null]' ]
	[ "${lines[1]}" = '[64,{"tpid":"0x8100","id":5,"pcp":3,"dei":0}]' ]
	# The block: a VLAN line where the tag is, none for the untagged.
	[ "$(grep -c '^VLAN:' "$(T block.out)")" -eq 1 ]
	m_a=$(bare "$(inA cat /sys/class/net/va/address)")
	cat > "$(T want)" <<-EOF
	---------------- ETHERNET_FRAME ----------------
	Dest MAC:         ffffffffffff
	Source MAC:       $m_a
	VLAN:             5 (pcp 3)
	Type:             0806
	----------------- ARP_HEADER -------------------
	Hardware type:    0001
	Protocol type:    0800
	Hardware size:    06
	Protocol size:    04
	Opcode:           0001
	Source MAC:       020000000001
	Source IP:        198.51.100.1
	Dest MAC:         000000000000
	Dest IP:          198.51.100.9
	------------------------------------------------

	EOF
	# The second block (lines 17 to 34) is the tagged frame's.
	sed -n 17,34p "$(T block.out)" | cmp "$(T want)" -
}

@test "ARP for another protocol (ptype 0x86dd, as arp-scan --arppro=0x86dd) shows its addresses in hex, not dotted" {
	need_lab
	# The request of the --vlan test with ptype 0x86dd, plen still 4.
	local req=000186dd06040001020000000001c6336401000000000000c6336409 f
	for f in block line json; do
		sniff_start "$f" "$NS_B" -i vb -o "$f" -c 1 --timeout 5
	done
	inA "$BIN/rawsend" -i va -t arp -x "$req"
	for f in "${BG_PIDS[@]}"; do
		bg_expect "$f" 0
	done
	[ "$(cat "$(T line.out)")" = "request who-has c6:33:64:09 tell c6:33:64:01 (02:00:00:00:00:01) [htype 1, ptype 0x86dd, hlen 6, plen 4]" ]
	run -0 jq -c '[.ptype, .spa, .tpa]' "$(T json.out)"
	[ "$output" = '["0x86dd","c6:33:64:01","c6:33:64:09"]' ]
	grep -qx 'Source IP:        c6336401' "$(T block.out)"
	grep -qx 'Dest IP:          c6336409' "$(T block.out)"
}
