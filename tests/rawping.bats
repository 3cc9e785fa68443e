#!/usr/bin/env bats
# rawping against rawecho in the veth lab: reply lines and summary, loss,
# duplicates, late and foreign frames, exit statuses and bad input.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

TIME='time=[0-9]+\.[0-9]{3} ms'
RTT='^rtt min/avg/max/mdev = ([0-9]+\.[0-9]{3})/([0-9]+\.[0-9]{3})/([0-9]+\.[0-9]{3})/[0-9]+\.[0-9]{3} ms$'

@test "rawping against rawecho: 0% loss, a line per reply, ping's summary" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10
	run --separate-stderr -0 inA "$BIN/rawping" -i va -c 3 --interval 0.1
	printf '# %s\n' "${lines[@]}" >&2
	[ -z "$stderr" ]
	[ "${#lines[@]}" -eq 8 ]
	[ "${lines[0]}" = "RAWPING ff:ff:ff:ff:ff:ff from $MAC_A va, ethertype 0xeefa: 46 bytes of payload" ]
	[[ "${lines[1]}" =~ ^"60 bytes from $MAC_B: seq=1 "$TIME$ ]]
	[[ "${lines[2]}" =~ ^"60 bytes from $MAC_B: seq=2 "$TIME$ ]]
	[[ "${lines[3]}" =~ ^"60 bytes from $MAC_B: seq=3 "$TIME$ ]]
	[ "${lines[4]}" = "--- ff:ff:ff:ff:ff:ff rawping statistics ---" ]
	[[ "${lines[5]}" =~ ^"3 frames transmitted, 3 received, 0% loss, time "[0-9]+ms$ ]]
	[[ "${lines[6]}" =~ $RTT ]]
	# Sane: min <= avg <= max, all under 100 ms on a veth pair.
	awk -v a="${BASH_REMATCH[1]}" -v b="${BASH_REMATCH[2]}" \
	    -v c="${BASH_REMATCH[3]}" 'BEGIN { exit !(a > 0 && a <= b &&
	    b <= c && c < 100) }'
	# Median and p99, between min and max: of 3, p99 is the max.
	local min=${BASH_REMATCH[1]} max=${BASH_REMATCH[3]}
	[[ "${lines[7]}" =~ ^"rtt median/p99 = "([0-9]+\.[0-9]{3})/([0-9]+\.[0-9]{3})" ms"$ ]]
	awk -v a="$min" -v m="${BASH_REMATCH[1]}" -v p="${BASH_REMATCH[2]}" \
	    -v c="$max" 'BEGIN { exit !(a <= m && m <= p && p == c) }'
	# --interval 0.1: the run took at least 0.2 s.
	[[ "${lines[5]}" =~ time\ ([0-9]+)ms ]]
	[ "${BASH_REMATCH[1]}" -ge 200 ]
}

@test "unicast -d, -s 1500 and -q" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10
	run -0 inA "$BIN/rawping" -i va -c 2 --interval 0.05 -d "$MAC_B" -s 1500
	[ "${lines[0]}" = "RAWPING $MAC_B from $MAC_A va, ethertype 0xeefa: 1500 bytes of payload" ]
	[[ "${lines[1]}" =~ ^"1514 bytes from $MAC_B: seq=1 "$TIME$ ]]
	[ "${lines[3]}" = "--- $MAC_B rawping statistics ---" ]
	run -0 inA "$BIN/rawping" -i va -c 20 --interval 0.01 -q
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[2]}" =~ ^"20 frames transmitted, 20 received, 0% loss" ]]
	[[ "${lines[3]}" =~ $RTT ]]
	[[ "${lines[4]}" =~ ^"rtt median/p99 = " ]]
}

@test "no server: 100% loss, no rtt line, exit 1 after -W" {
	need_lab
	run --separate-stderr -1 inA "$BIN/rawping" -i va -c 2 --interval 0.1 -W 0.3
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" =~ ^"2 frames transmitted, 0 received, 100% loss, time "[0-9]+ms$ ]]
	[ -z "$stderr" ]
}

@test "SIGINT ends an endless rawping with the summary, exit 0" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10
	bg_start p "$NS_A" "$BIN/rawping" -i va --interval 0.05
	wait_for_line "$(T p.out)" "seq=3 "
	kill -INT "$BG_PID"
	bg_expect "$BG_PID" 0
	grep -qE '^[0-9]+ frames transmitted, [0-9]+ received, ' "$(T p.out)"
	grep -qE "$RTT" "$(T p.out)"
}

@test "two servers answer a broadcast: replies, then (DUP!)s, still 0% loss" {
	need_lab
	echo_start e1 "$NS_B" -i vb --timeout 10
	echo_start e2 "$NS_B" -i vb --timeout 10
	run -0 inA "$BIN/rawping" -i va -c 3 --interval 0.2
	printf '# %s\n' "${lines[@]}" >&2
	[ "$(grep -cE "^60 bytes from $MAC_B: seq=[123] $TIME$" <<< "$output")" -eq 3 ]
	[ "$(grep -cE "^60 bytes from $MAC_B: seq=[123] $TIME \(DUP!\)$" <<< "$output")" -ge 2 ]
	[[ "$output" =~ "3 frames transmitted, 3 received, +"[23]" duplicates, 0% loss" ]]
}

@test "foreign frames and late replies are counted, not taken for replies" {
	need_lab
	local g=$BATS_TEST_TMPDIR/gate
	mkdir "$g"
	# Handlers held back by gates: the first reply goes once the second
	# request is out (so it is late), the second once rawping has ended.
	echo_start e "$NS_B" -i vb --timeout 20 -j 2 -Z root --handler-timeout 15 -e "
	    if mkdir '$g/first' 2> /dev/null; then w='$g/1'; else w='$g/2'; fi
	    i=0
	    while [ ! -e \"\$w\" ] && [ \$i -lt 1000 ]; do sleep 0.01; i=\$((i + 1)); done
	    cat"
	bg_start p "$NS_A" "$BIN/rawping" -i va -c 2 --interval 2.5 -W 2
	local ppid=$BG_PID
	wait_for_line "$(T p.out)" "^RAWPING"
	# Frames of the type that are not replies: text, a short rwpg header.
	inB "$BIN/rawsend" -i vb Boo
	inB "$BIN/rawsend" -i vb rwpg
	# The second request printed: the first one's -W is over.
	local i
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ "$(grep -c "^$MAC_A == 0xeefa => " "$(T e.out)")" -ge 2 ] && break
		sleep 0.01
	done
	[ "$(grep -c "^$MAC_A == 0xeefa => " "$(T e.out)")" -eq 2 ]
	touch "$g/1"
	bg_expect "$ppid" 1
	touch "$g/2"
	cat "$(T p.out)" | sed 's/^/# /' >&2
	grep -qE "^60 bytes from $MAC_B: seq=1 $TIME \(late\)$" "$(T p.out)"
	grep -qE '^2 frames transmitted, 0 received, 1 late, 2 foreign, 100% loss' "$(T p.out)"
}

@test "--reply-type: rawping hears replies of the server's reply type only" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10 -r 0x88b5
	run -0 inA "$BIN/rawping" -i va -c 1 --reply-type 0x88b5
	[[ "${lines[3]}" =~ ^"1 frames transmitted, 1 received, 0% loss" ]]
	run -1 inA "$BIN/rawping" -i va -c 1 -W 0.2
}

@test "rawecho beside rawping on the same host does not answer the replies" {
	need_lab
	echo_start ea "$NS_A" -i va --timeout 10 -v
	echo_start eb "$NS_B" -i vb --timeout 10
	run -0 inA "$BIN/rawping" -i va -c 3 --interval 0.1
	[[ "$output" =~ "3 frames transmitted, 3 received, 0% loss" ]]
	[[ "$output" != *DUP* ]]
	kill -TERM "${BG_PIDS[0]}"
	bg_expect "${BG_PIDS[0]}" 0
	[ "$(tail -1 "$(T ea.err)")" = "rawecho: 3 frames received, 0 answered, 0 failed, 3 ignored" ]
}

@test "bad options: status 2, one line on stderr, nothing on the wire" {
	expect_error "rawping: invalid size '23': too small (24 to 65535 bytes) (see 'rawping --help')" \
	    "$BIN/rawping" -i va -s 23
	expect_error "rawping: invalid size '1k': not a decimal number (24 to 65535 bytes) (see 'rawping --help')" \
	    "$BIN/rawping" -i va -s 1k
	expect_error "rawping: invalid wait '0': must be more than 0 (see 'rawping --help')" \
	    "$BIN/rawping" -i va -W 0
	expect_error "rawping: invalid interval 'fast': not a non-negative decimal number of seconds" \
	    "$BIN/rawping" -i va --interval fast
	expect_error "rawping: invalid MAC address 'zz:11'" \
	    "$BIN/rawping" -i va -d zz:11
	expect_error "rawping: invalid ethertype 'any': a request carries one ethertype" \
	    "$BIN/rawping" -i va -t any
	expect_error "rawping: invalid count '0': too small" \
	    "$BIN/rawping" -i va -c 0
	expect_error "rawping: unknown option '-x' (see 'rawping --help')" \
	    "$BIN/rawping" -i va -x
	expect_error "rawping: unexpected argument 'vb' (see 'rawping --help')" \
	    "$BIN/rawping" -i va vb
	expect_error "rawping: no interface given (use -i IFACE or RAWSOCK_IFACE) (see 'rawping --help')" \
	    env -u RAWSOCK_IFACE "$BIN/rawping"
}

@test "a size over the MTU, and a missing interface: status 2, nothing sent" {
	need_lab
	expect_error "rawping: size 1501 exceeds the MTU of va (1500 bytes)" \
	    "$BIN/rawping" -i va -s 1501
	expect_error "rawping: 'nope': no such interface" "$BIN/rawping" -i nope
}

@test "--size and --wait, spelled long: 100-byte requests, answered within the wait" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10
	run -0 inA "$BIN/rawping" -i va -c 1 --size 100 --wait 5
	printf '# %s\n' "${lines[@]}" >&2
	grep -qE "^114 bytes from $MAC_B: seq=1 $TIME$" <<< "$output"
	[[ "$output" =~ "1 frames transmitted, 1 received, 0% loss" ]]
}

@test "--vlan 5:3: requests go tagged, padded to 64 bytes with -s 24; rawecho answers on VLAN 5" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10
	recv_start w "$NS_B" -i vb -c 2 --timeout 5 -o json
	local wpid=$BG_PID
	run --separate-stderr -0 inA "$BIN/rawping" -i va -c 2 --interval 0.1 --vlan 5:3 -s 24
	printf '# %s\n' "${lines[@]}" >&2
	[ "${lines[0]}" = "RAWPING ff:ff:ff:ff:ff:ff from $MAC_A va, ethertype 0xeefa, VLAN 5: 24 bytes of payload" ]
	[[ "${lines[1]}" =~ ^"64 bytes from $MAC_B: seq=1 "$TIME$ ]]
	[[ "${lines[2]}" =~ ^"64 bytes from $MAC_B: seq=2 "$TIME$ ]]
	[[ "${lines[4]}" =~ ^"2 frames transmitted, 2 received, 0% loss" ]]
	bg_expect "$wpid" 0
	run jq -c '[.vlan, .len]' "$(T w.out)"
	[ "${lines[0]}" = '[{"tpid":"0x8100","id":5,"pcp":3,"dei":0},64]' ]
	[ "${lines[1]}" = '[{"tpid":"0x8100","id":5,"pcp":3,"dei":0},64]' ]
}

@test "--vlan VID: replies on another VLAN, or untagged, are foreign" {
	need_lab
	echo_start e "$NS_B" -i vb --timeout 10 --vlan 5
	run -1 inA "$BIN/rawping" -i va -c 1 --vlan 6 -W 0.3
	[[ "$output" =~ "1 frames transmitted, 0 received, 100% loss" ]]
	run -0 inA "$BIN/rawping" -i va -c 1 --vlan 5
	[[ "$output" =~ "1 frames transmitted, 1 received, 0% loss" ]]
	kill -TERM "${BG_PIDS[0]}"
	bg_expect "${BG_PIDS[0]}" 0
	# A peer that answers the tagged request untagged (as rawecho used
	# to): the payload is a good reply, the VLAN is not.
	bg_start m "$NS_B" "$PY" -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind(("vb", 0))
s.settimeout(5)
mac = bytes.fromhex(open("/sys/class/net/vb/address").read().strip().replace(":", ""))
print("listening", file=sys.stderr, flush=True)
while True:
    data, addr = s.recvfrom(2048)
    if addr[2] != socket.PACKET_OUTGOING and data[12:14] == b"\xee\xfa":
        s.send(data[6:12] + mac + data[12:])
        break
'
	local mpid=$BG_PID
	wait_for_line "$(T m.err)" "listening"
	run -1 inA "$BIN/rawping" -i va -c 1 --vlan 5 -W 0.5
	printf '# %s\n' "${lines[@]}" >&2
	[[ "$output" =~ "1 frames transmitted, 0 received, 1 foreign, 100% loss" ]]
	bg_expect "$mpid" 0
}

@test "bad --vlan: status 2, one line on stderr, nothing on the wire" {
	need_lab
	expect_error "rawping: invalid --vlan '4095': VLAN ID too large (0 to 4094)" \
	    "$BIN/rawping" -i va --vlan 4095
	expect_error "rawping: invalid --vlan '-1': VLAN ID not a decimal number (0 to 4094)" \
	    "$BIN/rawping" -i va --vlan -1
	expect_error "rawping: invalid --vlan 'abc': VLAN ID not a decimal number (0 to 4094)" \
	    "$BIN/rawping" -i va --vlan abc
	expect_error "rawping: invalid --vlan '5:8': priority too large (0 to 7)" \
	    "$BIN/rawping" -i va --vlan 5:8
}
