#!/usr/bin/env bats
# Every output reads back: rawsend --json takes the JSON Lines rawrecv
# writes, so captures come back byte for byte and jq edits frames between.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

# randpcap OUT N SEED: N random frames of 64 to 300 bytes, every third
# tagged (802.1Q or 802.1ad, any VID, PCP and DEI), untagged ones with an
# ethertype above 0x9000 (nothing the kernel takes for itself).
randpcap() {
	"$PY" - "$@" <<'PYEOF'
import random, struct, sys
out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
d = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)
for i in range(n):
    size = r.randint(64, 300)
    dst = bytes([r.randrange(256) & 0xfe]) + r.randbytes(5)
    src = bytes([r.randrange(256) & 0xfe]) + r.randbytes(5)
    body = r.randbytes(size - 14)
    if i % 3 == 0:
        tpid = r.choice([0x8100, 0x88a8])
        tag = struct.pack(">HH", tpid, r.randrange(65536))
        frame = dst + src + tag + struct.pack(">H", r.randint(0x9000, 0xfffe)) + body[4:]
    else:
        frame = dst + src + struct.pack(">H", r.randint(0x9000, 0xfffe)) + body
    d += struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame
open(out, "wb").write(d)
PYEOF
}

@test "rawrecv -o json | rawsend --json: 1,000 random frames, a third tagged, arrive byte for byte" {
	need_lab
	randpcap "$(T in.pcap)" 1000 13
	recv_start rx "$NS_B" -i vb -t any -c 1000 -w "$(T out.pcap)"
	inA bash -c "'$BIN/rawrecv' -r '$(T in.pcap)' -o json |
	    '$BIN/rawsend' -i va --json"
	bg_expect "$BG_PID" 0
	"$BIN/rawrecv" -r "$(T in.pcap)" -o hex > "$(T sent)"
	"$BIN/rawrecv" -r "$(T out.pcap)" -o hex > "$(T got)"
	[ "$(wc -l < "$(T got)")" -eq 1000 ]
	cmp "$(T sent)" "$(T got)"
}

@test "rawsend --json: keys a line leaves out come from -d, -a, -t and --vlan; vlan null is untagged" {
	run --separate-stderr "$BIN/rawsend" --dry-run --json -d 02:00:00:00:00:0b \
	    -a 02:00:00:00:00:0a -t arp --vlan 7:1 <<'EOF'
{"text":"hi"}
{"vlan":null,"payload":"00ff"}
{"dst":"02:00:00:00:00:0c","src":"02:00:00:00:00:0d","ethertype":"0x88b5","vlan":{"tpid":"0x88a8","id":5,"pcp":5,"dei":1},"text":"é"}
{"ethertype":35000,"ts_ns":1,"iface":"va","pkttype":"host","len":99,"caplen":99}
EOF
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# Tagged frames are padded to 64 bytes, as every sender pads them.
	[ "${lines[0]}" = 02000000000b02000000000a8100200708066869$(printf '%088d' 0) ]
	[ "${lines[1]}" = 02000000000b02000000000a080600ff ]
	[ "${lines[2]}" = 02000000000c02000000000d88a8b00588b5c3a9$(printf '%088d' 0) ]
	[ "${lines[3]}" = 02000000000b02000000000a8100200788b8$(printf '%092d' 0) ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "rawsend --json: each line goes out as soon as it is complete" {
	need_lab
	mkfifo "$(T in)"
	recv_start rx "$NS_B" -i vb -o hex -c 2
	local rx=$BG_PID
	bg_start tx "$NS_A" bash -c "exec '$BIN/rawsend' -i va --json < '$(T in)'"
	local tx=$BG_PID
	exec 5> "$(T in)"
	echo '{"text":"first"}' >&5
	# The first frame arrives while the input is still open.
	wait_for_line "$(T rx.out)" "$(printf first | hex)"
	echo '{"text":"second"}' >&5
	exec 5>&-
	bg_expect "$tx" 0
	bg_expect "$rx" 0
}

@test "rawsend --json: a bad line stops the run, names the line and the frames sent before it" {
	need_lab
	local good='{"text":"ok"}' bad want line
	while IFS= read -r bad; do
		want=${bad%%	*} line=${bad#*	}
		recv_start rx "$NS_B" -i vb -o hex --timeout 5
		run --separate-stderr inA "$BIN/rawsend" -i va --json \
		    <<< "$good"$'\n'"$good"$'\n'"$line"$'\n'"$good"
		echo "# $line -> $status [$stderr]" >&2
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "rawsend: line 3: $want; 2 frames sent" ]
		kill -INT "$BG_PID"
		bg_expect "$BG_PID" 0
		[ "$(wc -l < "$(T rx.out)")" -eq 2 ]
	done <<'EOF'
not a JSON object	["text"]
not a JSON object	text
unknown key 'dts' (keys: dst, src, ethertype, vlan, payload, text)	{"dts":"02:00:00:00:00:0b"}
dst: not a MAC address	{"dst":"02:00:00:00:0b"}
dst: not a MAC address	{"dst":null}
src: not a MAC address	{"src":2}
ethertype: not 0x0000-0xffff or a known name	{"ethertype":"0x10000"}
ethertype: not 0x0000-0xffff or a known name	{"ethertype":-5}
vlan: id is not 0-4095	{"vlan":{"id":4096}}
vlan: no id	{"vlan":{"pcp":1}}
vlan: not an object or null	{"vlan":5}
payload: odd number of hex digits	{"payload":"abc"}
payload: not a string of hex digits	{"payload":"zz"}
both payload and text	{"payload":"00","text":"a"}
a key given twice	{"text":"a","text":"b"}
text: not a string	{"text":7}
lone high surrogate in a \u escape	{"text":"\ud800"}
text after the object	{"text":"a"} x
unterminated string	{"text":"a}
EOF
	# Bytes that are not UTF-8 in a JSON string.
	recv_start rx "$NS_B" -i vb -o hex --timeout 5
	run --separate-stderr inA "$BIN/rawsend" -i va --json \
	    <<< "$good"$'\n'"$good"$'\n{"text":"\xff"}'
	[ "$status" -eq 2 ]
	[ "$stderr" = "rawsend: line 3: not UTF-8; 2 frames sent" ]
}

@test "rawsend --json: a frame over the MTU is refused as under -l" {
	need_lab
	local big
	big=$(head -c 1501 /dev/zero | hex)
	run --separate-stderr inA "$BIN/rawsend" -i va --json \
	    <<< "{\"text\":\"a\"}"$'\n'"{\"payload\":\"$big\"}"
	[ "$status" -eq 2 ]
	[ "$stderr" = "rawsend: line 2 exceeds the MTU of va (1500 bytes); 1 frame sent" ]
	big=$(head -c 1500 /dev/zero | hex)
	run --separate-stderr inA "$BIN/rawsend" -i va --json <<< "{\"payload\":\"$big\"}"
	[ "$status" -eq 0 ]
}

@test "rawsend --json: -w writes the frames as pcap; bad combinations are usage errors" {
	"$BIN/rawsend" --dry-run --json -w "$(T out.pcap)" <<< '{"dst":"02:00:00:00:00:0b","text":"hi"}'
	run "$BIN/rawrecv" -r "$(T out.pcap)" -o hex
	[ "$output" = 02000000000b000000000000eefa6869 ]
	expect_error "rawsend: -l, -0 and --json read standard input; give no PAYLOAD arguments (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --json hi
	expect_error "rawsend: --json's lines describe whole frames: it excludes --frame (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --json --frame
	expect_error "rawsend: -l, -x, -0, --vis and --json exclude one another (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --json -l
	expect_error "rawsend: -r sends the frames of a file; give no PAYLOAD, -l, -x, -0, --vis or --json (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --json -r /dev/null
}

@test "jq edits frames between rawrecv -o json and rawsend --json" {
	need_lab
	recv_start rx "$NS_B" -i vb -o hex -c 1 -t 0x88b5
	local rx=$BG_PID
	bg_start edit "$NS_A" bash -c "'$BIN/rawrecv' -i va -c 1 -o json |
	    jq -c --unbuffered '.dst = .src | .ethertype = \"0x88b5\" |
	    del(.src, .payload) | .text = \"edited\"' |
	    '$BIN/rawsend' -i va --json"
	local edit=$BG_PID
	wait_for_line "$(T edit.err)" "listening on"
	inB "$BIN/rawsend" -i vb hello
	bg_expect "$edit" 0
	bg_expect "$rx" 0
	[ "$(cat "$(T rx.out)")" = "${MAC_B//:/}${MAC_A//:/}88b5$(printf edited | hex)" ]
}
