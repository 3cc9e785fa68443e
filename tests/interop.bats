#!/usr/bin/env bats
# Scripting and interop: JSON Lines checked by python3 and jq,
# pcap files exchanged with the real tcpdump, round trips through vis and
# pcap, stdin framings, VLAN tags, padding, dry runs without privileges,
# replay timing, kernel filters, and bad capture files and inputs.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }

teardown() {
	bg_cleanup
	# The bridge test's second veth pair, gone with vc even on failure.
	if [ -n "${NS_A:-}" ]; then
		ip -n "$NS_A" link del vc 2>/dev/null || true
	fi
	if [ -n "${OPEN_DIR:-}" ]; then
		rm -rf "$OPEN_DIR"
	fi
}

# A directory nobody may read and write (bats' own is root's only).
open_dir() {
	OPEN_DIR=$(mktemp -d /tmp/rawsock-interop.XXXXXX)
	chmod 777 "$OPEN_DIR"
}

# tcpdump_start NAME NS IFACE COUNT FILTER...: tcpdump writing NAME.pcap.
tcpdump_start() {
	local name=$1 ns=$2 ifc=$3 count=$4
	shift 4
	bg_start "$name" "$ns" tcpdump -i "$ifc" -U -Z root -c "$count" \
	    -w "$(T "$name.pcap")" "$@"
	wait_for_line "$(T "$name.err")" "listening on $ifc"
}

# tcpdump -XX output of FILE, one line of hex per frame.
xx_frames() {
	TZ=UTC tcpdump -r "$1" -nn -XX 2>/dev/null | awk '
	    /^[^ \t]/ { if (f != "") print f; f = ""; next }
	    /^[ \t]+0x[0-9a-f]+:/ {
		s = substr($0, index($0, ":") + 3, 39); gsub(/ /, "", s)
		f = f s
	    }
	    END { if (f != "") print f }'
}

# An independent pcap reader: "caplen wirelen ts_ns hex" per record.
pcap_frames() {
	"$PY" - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
for e in "<>":
    magic, = struct.unpack(e + "I", d[:4])
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        break
else:
    sys.exit("pcap_frames: bad magic")
scale = 1 if magic == 0xa1b23c4d else 1000
off = 24
while off < len(d):
    sec, frac, cap, wire = struct.unpack(e + "IIII", d[off:off + 16])
    print(cap, wire, sec * 10**9 + frac * scale, d[off + 16:off + 16 + cap].hex())
    off += 16 + cap
EOF
}

# ---------------------------------------------------------------- JSON

@test "-o json: valid JSON for all 256 byte values and NULs; every field as json.h says" {
	need_lab
	recv_start r "$NS_B" -i vb -c 4 --timeout 5 -o json
	"$PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' |
	    inA "$BIN/rawsend" -i va
	head -c 100 /dev/zero | inA "$BIN/rawsend" -i va -d "$MAC_B"
	inA "$BIN/rawsend" -i va -d 01:80:c2:00:00:0e '"quote" \back'
	inA "$BIN/rawsend" -i va -d 02:00:00:00:00:99 other
	bg_expect "$BG_PID" 0
	# Two real JSON parsers, line by line.
	"$PY" -m json.tool --json-lines "$(T r.out)" > /dev/null
	jq -e . "$(T r.out)" > /dev/null
	"$PY" - "$(T r.out)" "$MAC_A" "$MAC_B" <<'EOF'
import json, sys, time
path, mac_a, mac_b = sys.argv[1:4]
keys = ["ts_ns", "iface", "pkttype", "src", "dst", "ethertype", "vlan",
        "len", "caplen", "payload"]
want = [("ff:ff:ff:ff:ff:ff", "broadcast", bytes(range(256))),
        (mac_b, "host", bytes(100)),
        ("01:80:c2:00:00:0e", "multicast", b'"quote" \\back'),
        ("02:00:00:00:00:99", "other", b"other")]
raw = open(path, "rb").read()
raw.decode("ascii")                       # plain ASCII, whatever the payload
lines = raw.split(b"\n")
assert lines[-1] == b"" and len(lines) == 5, lines
now = time.time_ns()
for line, (dst, pkttype, payload) in zip(lines, want):
    o = json.loads(line)
    assert list(o) == keys, list(o)
    # python ints are exact: jq 1.6 would round a 19-digit ts_ns
    assert type(o["ts_ns"]) is int and abs(now - o["ts_ns"]) < 10 * 10**9, o
    assert o["iface"] == "vb" and o["pkttype"] == pkttype, o
    assert o["src"] == mac_a and o["dst"] == dst, o
    assert o["ethertype"] == "0xeefa" and o["vlan"] is None, o
    assert o["len"] == o["caplen"] == 14 + len(payload), o
    assert bytes.fromhex(o["payload"]) == payload, o
print("ok")
EOF
}

# ---------------------------------------------------------------- VLAN

@test "--vlan VID:PCP: the tag on the wire (tcpdump), in -o hex and json, and rawrecv --vlan VID takes only it" {
	need_lab
	# --no-pad: the frames exactly as written (padding is rawsend.bats').
	local a=${MAC_A//:/}
	tcpdump_start td "$NS_B" vb 3 vlan
	local tdpid=$BG_PID
	recv_start h "$NS_B" -i vb -t any -c 4 --timeout 5 -o hex
	local hpid=$BG_PID
	recv_start j "$NS_B" -i vb -t any -c 4 --timeout 5 -o json
	local jpid=$BG_PID
	# Default ethertype: the kernel would hide the tag from it.
	recv_start v "$NS_B" -i vb --vlan 100 -c 1 --timeout 5 -o hex
	local vpid=$BG_PID
	inA "$BIN/rawsend" -i va --no-pad --vlan 100:5 -t 0x88b5 wrongtype
	inA "$BIN/rawsend" -i va --no-pad --vlan 101:5 wrongvid
	inA "$BIN/rawsend" -i va untagged
	inA "$BIN/rawsend" -i va --no-pad --vlan 100:5 tagged
	bg_expect "$tdpid" 0
	bg_expect "$hpid" 0
	bg_expect "$jpid" 0
	bg_expect "$vpid" 0
	local want1="ffffffffffff${a}8100a06488b5$(printf wrongtype | hex)"
	local want2="ffffffffffff${a}8100a065eefa$(printf wrongvid | hex)"
	local want3="ffffffffffff${a}eefa$(printf untagged | hex)"
	local want4="ffffffffffff${a}8100a064eefa$(printf tagged | hex)"
	[ "$(cat "$(T h.out)")" = "$(printf '%s\n' "$want1" "$want2" "$want3" "$want4")" ]
	[ "$(cat "$(T v.out)")" = "$want4" ]
	[ "$(xx_frames "$(T td.pcap)")" = "$(printf '%s\n' "$want1" "$want2" "$want4")" ]
	run jq -c '[.ethertype, .vlan, .len, .payload]' "$(T j.out)"
	[ "${lines[0]}" = "[\"0x88b5\",{\"tpid\":\"0x8100\",\"id\":100,\"pcp\":5,\"dei\":0},27,\"$(printf wrongtype | hex)\"]" ]
	[ "${lines[1]}" = "[\"0xeefa\",{\"tpid\":\"0x8100\",\"id\":101,\"pcp\":5,\"dei\":0},26,\"$(printf wrongvid | hex)\"]" ]
	[ "${lines[2]}" = "[\"0xeefa\",null,22,\"$(printf untagged | hex)\"]" ]
	[ "${lines[3]}" = "[\"0xeefa\",{\"tpid\":\"0x8100\",\"id\":100,\"pcp\":5,\"dei\":0},24,\"$(printf tagged | hex)\"]" ]
}

@test "--vlan VID with -t any and a filter; a tag survives rawrecv -w into tcpdump -r" {
	need_lab
	recv_start w "$NS_B" -i vb -t any --vlan 7 -c 1 --timeout 5 \
	    -w "$(T w.pcap)" ether src "$MAC_A"
	inA "$BIN/rawsend" -i va --no-pad -s 02:00:00:00:00:99 --vlan 7 notme
	inA "$BIN/rawsend" -i va --no-pad --vlan 8 wrongvid
	inA "$BIN/rawsend" -i va --no-pad --vlan 7:7 -t 0x0800 seven
	bg_expect "$BG_PID" 0
	run -0 env TZ=UTC tcpdump -r "$(T w.pcap)" -nn -e
	[[ "$output" == *"ethertype 802.1Q (0x8100), length 23: vlan 7, p 7, ethertype IPv4"* ]]
	[ "$(xx_frames "$(T w.pcap)")" = \
	    "ffffffffffff${MAC_A//:/}8100e0070800$(printf seven | hex)" ]
}

# ---------------------------------------------------------------- round trips

@test "round trip: rawrecv -o vis | rawsend --vis gives back every payload byte for byte" {
	need_lab
	local i
	"$PY" - "$BATS_TEST_TMPDIR" <<'EOF'
import sys
d = sys.argv[1]
payloads = [bytes(range(256)), b"\0\0\n\n\r\t", "back\\slash \"q\" h\u00e9 \u2603".encode(),
            b"\x1b[31mred\xc2\x9b\xff\xfe\\000", b""]
for i, p in enumerate(payloads):
    open("%s/p%d" % (d, i), "wb").write(p)
EOF
	recv_start v "$NS_B" -i vb -c 5 --timeout 5 -o vis
	for i in 0 1 2 3 4; do
		inA "$BIN/rawsend" -i va < "$(T p$i)"
	done
	bg_expect "$BG_PID" 0
	[ "$(wc -l < "$(T v.out)")" -eq 5 ]
	# One printable line per frame: no control byte in the vis text.
	! LC_ALL=C grep -q '[[:cntrl:]]' "$(T v.out)"
	pyrecv_start p "$NS_A" va 0xeefa 5
	run -0 inB "$BIN/rawsend" -i vb --vis < "$(T v.out)"
	bg_expect "$BG_PID" 0
	mapfile -t got < "$(T p.out)"
	[ "${#got[@]}" -eq 5 ]
	for i in 0 1 2 3 4; do
		[ "${got[$i]}" = "ffffffffffff${MAC_B//:/}eefa$(hex < "$(T p$i)")" ]
	done
}

@test "replay: a capture rawrecv -w wrote on vb, sent again by rawsend -r, reaches tcpdump identical" {
	need_lab
	recv_start w "$NS_B" -i vb -t any -c 4 --timeout 5 -w "$(T cap.pcap)"
	inA "$BIN/rawsend" -i va hello
	inA "$BIN/rawsend" -i va -d 02:00:00:00:00:0b -s 02:00:00:00:00:0a \
	    -t 0x88b5 other
	inA "$BIN/rawsend" -i va --no-pad --vlan 7:1 tagged
	"$PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)' |
	    inA "$BIN/rawsend" -i va
	bg_expect "$BG_PID" 0
	run -0 pcap_frames "$(T cap.pcap)"
	[ "${#lines[@]}" -eq 4 ]
	local a=${MAC_A//:/} want
	want=$(printf '%s\n' "$(hdr_a)$(printf hello | hex)" \
	    "02000000000b02000000000a88b5$(printf other | hex)" \
	    "ffffffffffff${a}81002007eefa$(printf tagged | hex)" \
	    "$(hdr_a)$("$PY" -c 'print(bytes(range(256)).hex() * 4)')")
	[ "$(pcap_frames "$(T cap.pcap)" | cut -d' ' -f4)" = "$want" ]
	[ "$(xx_frames "$(T cap.pcap)")" = "$want" ]

	# The replay, from the other end, to an independent receiver.
	tcpdump_start td "$NS_B" vb 4 ether src "$MAC_A" or ether src 02:00:00:00:00:0a
	local tdpid=$BG_PID
	run --separate-stderr -0 inA "$BIN/rawsend" -i va --no-pad -r "$(T cap.pcap)" -v
	[ "$stderr" = "rawsend: 4 frames, $((19 + 19 + 24 + 1038)) bytes sent on va" ]
	bg_expect "$tdpid" 0
	[ "$(xx_frames "$(T td.pcap)")" = "$want" ]
}

@test "replay: a full-size 802.1Q frame (1518 bytes) captured with its tag goes out again" {
	need_lab
	recv_start w "$NS_B" -i vb -t any -c 1 --timeout 5 -w "$(T cap.pcap)"
	head -c 1500 /dev/urandom > "$(T big)"
	inA "$BIN/rawsend" -i va --vlan 10:3 < "$(T big)"
	bg_expect "$BG_PID" 0
	local want
	want="ffffffffffff${MAC_A//:/}8100600aeefa$(hex < "$(T big)")"
	[ "$(xx_frames "$(T cap.pcap)")" = "$want" ]
	tcpdump_start td "$NS_B" vb 1 vlan
	local tdpid=$BG_PID
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -r "$(T cap.pcap)"
	bg_expect "$tdpid" 0
	[ "$(xx_frames "$(T td.pcap)")" = "$want" ]
	# One byte more is more than the kernel takes, tag or not.
	expect_error "rawsend: line 1 exceeds the MTU of va (1500 bytes); 0 frames sent" \
	    sh -c "echo '${want}00' | '$BIN/rawsend' -i va --frame -x"
}

@test "bridge: rawrecv -w - | rawsend -r - carries frames from one link to another as they come" {
	need_lab
	ip link add vc netns "$NS_A" type veth peer name vd netns "$NS_B"
	ip -n "$NS_A" link set vc up
	ip -n "$NS_B" link set vd up
	pyrecv_start p "$NS_A" vc any 3 10
	local ppid=$BG_PID
	bg_start br "$NS_B" sh -c "'$BIN/rawrecv' -i vb -t any -c 3 \
	    --timeout 10 -w - | '$BIN/rawsend' -i vd -r -"
	local brpid=$BG_PID
	wait_for_line "$(T br.err)" "listening on vb"
	# Each frame crosses before the next is sent: the bridge streams.
	inA "$BIN/rawsend" -i va one
	wait_for_line "$(T p.out)" .
	printf 'two\0\n\377' | inA "$BIN/rawsend" -i va -t 0x88b5
	wait_for_line "$(T p.out)" 88b5
	inA "$BIN/rawsend" -i va -d "$MAC_B" -s 02:00:00:00:00:0a three
	bg_expect "$ppid" 0
	bg_expect "$brpid" 0
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' \
	    "$(hdr_a)$(printf one | hex)" \
	    "ffffffffffff${MAC_A//:/}88b574776f000aff" \
	    "${MAC_B//:/}02000000000aeefa$(printf three | hex)")" ]
	[ ! -s "$(T br.out)" ]
	ip -n "$NS_A" link del vc
	run ip -n "$NS_B" link show vd
	[ "$status" -ne 0 ]
}

@test "rawsend --dry-run -w: as nobody, read by tcpdump -r -XX and by rawrecv -r in every format" {
	need_lab
	local before after
	before=$(rx_packets "$NS_B" vb)
	printf 'ff ad be ef\n00:01:02\n' | inA "${AS_NOBODY[@]}" "$BIN/rawsend" -i va \
	    --dry-run -x -d 02:00:00:00:00:0b -t 0x88b5 -w - > "$(T f.pcap)"
	after=$(rx_packets "$NS_B" vb)
	[ "$before" = "$after" ]
	local a=${MAC_A//:/}
	local f1="02000000000b${a}88b5ffadbeef" f2="02000000000b${a}88b5000102"
	run --separate-stderr -0 env TZ=UTC tcpdump -r "$(T f.pcap)" -nn -e
	[ "$stderr" = "reading from file $(T f.pcap), link-type EN10MB (Ethernet), snapshot length 262144" ]
	[[ "${lines[0]}" == *" $MAC_A > 02:00:00:00:00:0b, ethertype Unknown (0x88b5), length 18: "* ]]
	[ "$(xx_frames "$(T f.pcap)")" = "$(printf '%s\n' "$f1" "$f2")" ]

	# rawrecv -r needs no privileges either.
	run --separate-stderr -0 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - < "$(T f.pcap)"
	[ "$output" = "$(printf '%s\n' \
	    "$MAC_A == 0x88b5 => 02:00:00:00:00:0b - OK:" '\377\255\276\357' \
	    "$MAC_A == 0x88b5 => 02:00:00:00:00:0b - OK:" '\000\001\002')" ]
	[ -z "$stderr" ]
	run -0 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -o hex < "$(T f.pcap)"
	[ "$output" = "$(printf '%s\n' "$f1" "$f2")" ]
	run -0 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -o vis < "$(T f.pcap)"
	[ "$output" = "$(printf '%s\n' '\377\255\276\357' '\000\001\002')" ]
	[ "$("${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -o raw < "$(T f.pcap)" | hex)" = \
	    ffadbeef000102 ]
	"${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -o json < "$(T f.pcap)" > "$(T f.json)"
	"$PY" - "$(T f.json)" "$MAC_A" <<'EOF'
import json, sys, time
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2, lines
for line, payload in zip(lines, ["ffadbeef", "000102"]):
    o = json.loads(line)
    assert abs(time.time_ns() - o["ts_ns"]) < 10 * 10**9, o
    assert o["iface"] is None and o["pkttype"] is None, o
    assert (o["src"], o["dst"], o["ethertype"]) == (sys.argv[2], "02:00:00:00:00:0b", "0x88b5"), o
    assert o["len"] == o["caplen"] == 14 + len(payload) // 2, o
    assert o["payload"] == payload and o["vlan"] is None, o
print("ok")
EOF
	# Written again by rawrecv: the very same file.
	"${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -w - < "$(T f.pcap)" | cmp - "$(T f.pcap)"
	# And rawrecv -r FILE by name, as nobody.
	open_dir
	cp "$(T f.pcap)" "$OPEN_DIR/f.pcap"
	chmod 644 "$OPEN_DIR/f.pcap"
	run -0 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r "$OPEN_DIR/f.pcap" -o hex
	[ "$output" = "$(printf '%s\n' "$f1" "$f2")" ]
	# -w FILE written by nobody.
	run -0 "${AS_NOBODY[@]}" "$BIN/rawsend" --dry-run -w "$OPEN_DIR/g.pcap" hi
	[ "$(pcap_frames "$OPEN_DIR/g.pcap" | cut -d' ' -f1,2,4)" = \
	    "16 16 ffffffffffff000000000000eefa6869" ]
}

@test "a capture tcpdump -w wrote in the lab: rawrecv -r reads every byte and time exactly" {
	need_lab
	tcpdump_start td "$NS_B" vb 3 ether src "$MAC_A"
	inA "$BIN/rawsend" -i va hello
	inA "$BIN/rawsend" -i va -d "$MAC_B" --pad hi
	"$PY" -c 'import sys; sys.stdout.buffer.write(bytes(range(256)))' |
	    inA "$BIN/rawsend" -i va -t 0x88b5
	bg_expect "$BG_PID" 0
	local f1 f2 f3
	f1="$(hdr_a)$(printf hello | hex)"
	f2="${MAC_B//:/}${MAC_A//:/}eefa6869$(printf '%088d' 0)"
	f3="ffffffffffff${MAC_A//:/}88b5$("$PY" -c 'print(bytes(range(256)).hex())')"
	run -0 "$BIN/rawrecv" -r "$(T td.pcap)" -o hex
	[ "$output" = "$(printf '%s\n' "$f1" "$f2" "$f3")" ]
	[ "$("$BIN/rawrecv" -r "$(T td.pcap)" -t any -o raw | hex)" = \
	    "${f1:28}${f2:28}${f3:28}" ]
	# Times: tcpdump's microseconds, ours in nanoseconds.
	"$BIN/rawrecv" -r "$(T td.pcap)" -t any -o json > "$(T td.json)"
	TZ=UTC tcpdump -r "$(T td.pcap)" -tt -nn 2>/dev/null | grep "^[0-9]" |
	    cut -d' ' -f1 | tr -d . | sed 's/$/000/' > "$(T td.times)"
	"$PY" -c 'import json, sys
for l in open(sys.argv[1]): print(json.loads(l)["ts_ns"])' "$(T td.json)" |
	    diff - "$(T td.times)"
	# -t filters by ethertype in a file too.
	run -0 "$BIN/rawrecv" -r "$(T td.pcap)" -t 0x88b5 -o hex
	[ "$output" = "$f3" ]
}

@test "rawrecv -w FILE: tcpdump -r reads it, nanosecond times and all" {
	need_lab
	recv_start w "$NS_B" -i vb -c 3 --timeout 5 -w "$(T w.pcap)"
	inA "$BIN/rawsend" -i va one
	head -c 1500 /dev/urandom > "$(T big)"
	inA "$BIN/rawsend" -i va < "$(T big)"
	inA "$BIN/rawsend" -i va -d "$MAC_B" three
	bg_expect "$BG_PID" 0
	[ ! -s "$(T w.out)" ]
	run --separate-stderr -0 tcpdump -r "$(T w.pcap)" -nn
	[ "$stderr" = "reading from file $(T w.pcap), link-type EN10MB (Ethernet), snapshot length 262144" ]
	[ "$(xx_frames "$(T w.pcap)")" = "$(printf '%s\n' \
	    "$(hdr_a)$(printf one | hex)" "$(hdr_a)$(hex < "$(T big)")" \
	    "${MAC_B//:/}${MAC_A//:/}eefa$(printf three | hex)")" ]
	# The header, read by python: nanosecond magic, v2.4, Ethernet.
	run -0 "$PY" -c 'import struct, sys
print(*struct.unpack("<IHHiIII", open(sys.argv[1], "rb").read(24)))' "$(T w.pcap)"
	[ "$output" = "2712812621 2 4 0 0 262144 1" ]
	# tcpdump's nanosecond times are rawrecv's.
	TZ=UTC tcpdump -r "$(T w.pcap)" --time-stamp-precision=nano -tt -nn \
	    2>/dev/null | grep '^[0-9]' | cut -d' ' -f1 | tr -d . > "$(T t1)"
	"$BIN/rawrecv" -r "$(T w.pcap)" -o json |
	    "$PY" -c 'import json, sys, time
for l in sys.stdin:
    t = json.loads(l)["ts_ns"]
    assert abs(time.time_ns() - t) < 10 * 10**9, t
    print(t)' > "$(T t2)"
	diff "$(T t1)" "$(T t2)"
}

# ---------------------------------------------------------------- rawsend inputs

# ---------------------------------------------------------------- rawrecv options

@test "rawrecv --ts: the kernel receive time before each RawPacket line" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5 --ts
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	run cat "$(T r.out)"
	[[ "${lines[0]}" =~ ^([0-9]+)\.([0-9]{9})\ (.*)$ ]]
	[ "${BASH_REMATCH[3]}" = "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ $((${BASH_REMATCH[1]} - $(date +%s))) -le 5 ]
	[ $(($(date +%s) - ${BASH_REMATCH[1]})) -le 5 ]
	[ "${lines[1]}" = Boo ]
}

@test "rawrecv -p: promiscuous by socket membership, undone when it ends, even by SIGKILL" {
	need_lab
	promisc() { ip -n "$NS_B" -d link show vb | grep -o 'promiscuity [0-9]*'; }
	[ "$(promisc)" = "promiscuity 0" ]
	recv_start r "$NS_B" -i vb -p
	[ "$(promisc)" = "promiscuity 1" ]
	# No IFF_PROMISC flag is left to undo.
	! ip -n "$NS_B" link show vb | grep -q PROMISC
	kill -KILL "$BG_PID"
	local rc=0
	wait "$BG_PID" || rc=$?
	[ "$rc" -eq $((128 + 9)) ]
	[ "$(promisc)" = "promiscuity 0" ]
}

@test "rawrecv -Z nobody: receives after giving up root" {
	need_lab
	recv_start r "$NS_B" -i vb -c 2 --timeout 5 -Z nobody
	grep -q '^Uid:[[:space:]]*65534' "/proc/$BG_PID/status"
	inA "$BIN/rawsend" -i va -Z nobody one
	inA "$BIN/rawsend" -i va two
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = one ]
	[ "$(sed -n 4p "$(T r.out)")" = two ]
}

# ---------------------------------------------------------------- filters

@test "filter 'ether src MAC and not arp' with -t any: only matching frames, and -c counts only them" {
	need_lab
	recv_start f "$NS_B" -i vb -t any -c 2 --timeout 5 -o hex \
	    ether src "$MAC_A" and not arp
	local fpid=$BG_PID
	inA "$BIN/rawsend" -i va -s 02:00:00:00:00:99 wrongsrc
	inA "$BIN/rawsend" -i va -t arp 0001080006040001
	inA "$BIN/rawsend" -i va good1
	wait_for_line "$(T f.out)" .
	inA "$BIN/rawsend" -i va -t 0x88b5 -s 02:00:00:00:00:99 wrongsrc2
	inA "$BIN/rawsend" -i va -t arp 0001080006040002
	# Four frames came, two passed: -c 2 is not reached yet.
	kill -0 "$fpid"
	inA "$BIN/rawsend" -i va -t 0x88b5 good2
	bg_expect "$fpid" 0
	[ "$(cat "$(T f.out)")" = "$(printf '%s\n' \
	    "$(hdr_a)$(printf good1 | hex)" \
	    "ffffffffffff${MAC_A//:/}88b5$(printf good2 | hex)")" ]
}

@test "filters apply to rawrecv -r files too" {
	local f=ffffffffffff02000000000a
	printf '%s\n' "1 ${f}0806aa" "2 ${f}eefabb" "3 ${f}88b5cc" |
	    mkpcap "$(T f.pcap)"
	run -0 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -t any -o hex 'not arp' < "$(T f.pcap)"
	[ "$output" = "$(printf '%s\n' "${f}eefabb" "${f}88b5cc")" ]
	run -0 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -t any -c 1 -o hex ether proto 0x88b5 \
	    < "$(T f.pcap)"
	[ "$output" = "${f}88b5cc" ]
}

@test "a bad filter expression: exit 2, one line naming it, before any socket (as nobody too)" {
	need_lab
	expect_error "rawrecv: invalid filter 'ether src zz': unknown ether host 'zz' (see 'rawrecv --help')" \
	    "$BIN/rawrecv" -i va ether src zz
	expect_error "rawrecv: invalid filter 'ether src and': can't parse filter expression: syntax error (see 'rawrecv --help')" \
	    "$BIN/rawrecv" -i va 'ether src and'
	# nobody cannot open a packet socket: the filter is refused first.
	run --separate-stderr -2 inA "${AS_NOBODY[@]}" "$BIN/rawrecv" -i va 'ether src zz'
	[ "$stderr" = "rawrecv: invalid filter 'ether src zz': unknown ether host 'zz' (see 'rawrecv --help')" ]
	[ -z "$output" ]
	run --separate-stderr -2 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - 'vlan and and' < /dev/null
	[ "$stderr" = "rawrecv: invalid filter 'vlan and and': can't parse filter expression: syntax error (see 'rawrecv --help')" ]
}

@test "no frame that fails the filter slips through while rawrecv starts" {
	need_lab
	local i before
	# A stream of frames the filter refuses, running all through the test.
	bg_start flood "$NS_A" "$BIN/rawsend" -i va -s 02:00:00:00:00:99 \
	    -c 1000000 --rate 20000 junk
	# It is on the wire: a receiver without the filter sees it at once.
	run -0 inB "$BIN/rawrecv" -q -i vb -c 1 --timeout 5 -o hex
	[ "$output" = "ffffffffffff020000000099eefa$(printf junk | hex)" ]
	before=$(rx_packets "$NS_B" vb)
	for i in 1 2 3 4 5; do
		run -1 inB "$BIN/rawrecv" -q -i vb --timeout 0.3 -o hex \
		    ether src "$MAC_A"
		[ -z "$output" ]
		run -1 inB "$BIN/rawrecv" -q -i vb -t any --timeout 0.2 -o hex \
		    ether src "$MAC_A"
		[ -z "$output" ]
		run -1 inB "$BIN/rawrecv" -q -i vb --vlan 0 --timeout 0.2 \
		    -o hex ether src "$MAC_A"
		[ -z "$output" ]
	done
	# Thousands of refused frames arrived meanwhile.
	[ $(($(rx_packets "$NS_B" vb) - before)) -gt 1000 ]
}

# ---------------------------------------------------------------- bad pcap files

@test "bad capture files: one line naming the file and the problem, exit 2, for rawrecv -r and rawsend -r" {
	need_lab
	local d=$BATS_TEST_TMPDIR f h
	h=$(hdr_a)
	printf '%s\n' "1 ${h}01" "2 ${h}02" | mkpcap "$d/good.pcap"
	head -c 10 "$d/good.pcap" > "$d/hdr.pcap"
	head -c $((24 + 16 + 15 + 5)) "$d/good.pcap" > "$d/rechdr.pcap"
	head -c $((24 + 16 + 15 + 16 + 10)) "$d/good.pcap" > "$d/rec.pcap"
	{ printf 'GIF8'; tail -c +5 "$d/good.pcap"; } > "$d/magic.pcap"
	"$PY" -c 'import struct, sys
sys.stdout.buffer.write(struct.pack("<IIIHHqI", 0x0a0d0d0a, 28, 0x1a2b3c4d, 1, 0, -1, 28))' > "$d/ng.pcap"
	printf '%s\n' "1 ${h}01" | mkpcap "$d/sll.pcap" 101
	: > "$d/empty.pcap"
	printf '%s\n' "1 ${h}01" "2 ${h}02 100" | mkpcap "$d/cut.pcap"
	local -A why=(
		[hdr]="truncated pcap file header"
		[magic]="not a pcap capture (bad magic number)"
		[ng]="pcapng is not supported (tcpdump -r FILE -w OUT writes classic pcap)"
		[sll]="link type is not Ethernet"
		[empty]="empty file, not a pcap capture"
	)
	for f in "${!why[@]}"; do
		run --separate-stderr -2 "${AS_NOBODY[@]}" "$BIN/rawrecv" -r - < "$d/$f.pcap"
		[ "$stderr" = "rawrecv: -: ${why[$f]}" ]
		[ -z "$output" ]
		expect_error "rawrecv: $d/$f.pcap: ${why[$f]}" \
		    "$BIN/rawrecv" -r "$d/$f.pcap"
		expect_error "rawsend: $d/$f.pcap: ${why[$f]}" \
		    "$BIN/rawsend" -i va -r "$d/$f.pcap"
	done
	# Cut inside the second record: the first went out, and we say so.
	for f in rechdr rec; do
		[ "$f" = rechdr ] && why[$f]="truncated record header" ||
		    why[$f]="truncated record"
		run --separate-stderr -2 "$BIN/rawrecv" -r "$d/$f.pcap" -o hex
		[ "$output" = "${h}01" ]
		[ "$stderr" = "rawrecv: $d/$f.pcap: record 2: ${why[$f]} (1 frame printed)" ]
		pyrecv_start p "$NS_B" vb 0xeefa 2 1
		run --separate-stderr -2 inA "$BIN/rawsend" -i va -r "$d/$f.pcap"
		[ "$stderr" = "rawsend: $d/$f.pcap: record 2: ${why[$f]}; 1 frame sent" ]
		bg_expect "$BG_PID" 1
		[ "$(cat "$(T p.out)")" = "${h}01" ]
	done
	# A frame cut short by the capture cannot be sent as it was.
	pyrecv_start p "$NS_B" vb 0xeefa 2 1
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -r "$d/cut.pcap"
	[ "$stderr" = "rawsend: $d/cut.pcap: record 2: frame was cut short when captured; 1 frame sent" ]
	bg_expect "$BG_PID" 1
	[ "$(cat "$(T p.out)")" = "${h}01" ]
	# A file that does not exist.
	expect_error "rawrecv: $d/none.pcap: No such file or directory" \
	    "$BIN/rawrecv" -r "$d/none.pcap"
	expect_error "rawsend: $d/none.pcap: No such file or directory" \
	    "$BIN/rawsend" -i va -r "$d/none.pcap"
}

@test "tcpdump's own captures: rawrecv -r reads all 16 in every format, tcpdump agrees on every byte" {
	local dir=$ROOT/tests/data/tcpdump-arp f o n
	[ "$(ls "$dir"/*.pcap | wc -l)" -eq 16 ]
	for f in "$dir"/*.pcap; do
		n=$(pcap_frames "$f" | wc -l)
		for o in rawpacket raw hex json vis; do
			"${AS_NOBODY[@]}" "$BIN/rawrecv" -r - -o "$o" < "$f" \
			    > "$(T out)" 2> "$(T err)"
			[ ! -s "$(T err)" ]
		done
		# A record cut short by the snapshot length says so.
		[ "$("$BIN/rawrecv" -r "$f" -o hex)" = "$(pcap_frames "$f" |
		    awk '{ print $4 ($1 < $2 ? " [|cut " $1 " of " $2 "]" : "") }')" ]
		[ "$("$BIN/rawrecv" -r "$f" -o rawpacket | wc -l)" -eq $((2 * n)) ]
		[ "$("$BIN/rawrecv" -r "$f" -o vis | wc -l)" -eq "$n" ]
		"$BIN/rawrecv" -r "$f" -o json > "$(T j)"
		"$PY" -m json.tool --json-lines "$(T j)" > /dev/null
		"$PY" - "$(T j)" <<'EOF' > "$(T j.lens)"
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    print(o["caplen"], o["len"], o["ts_ns"])
EOF
		diff "$(T j.lens)" <(pcap_frames "$f" | cut -d' ' -f1-3)
		# Written again as pcap: tcpdump prints the same, byte for byte.
		"$BIN/rawrecv" -r "$f" -w "$(T again.pcap)"
		diff <(TZ=UTC tcpdump -r "$f" -nn -tt -e -XX 2>/dev/null) \
		    <(TZ=UTC tcpdump -r "$(T again.pcap)" -nn -tt -e -XX 2>/dev/null)
	done
}

# ---------------------------------------------------------------- bad inputs

@test "-j: rawsend shares -c among processes, rawrecv spreads over threads, counts exact" {
	need_lab
	recv_start r "$NS_B" -i vb -j 2 -c 1000 --timeout 10 -o raw
	run --separate-stderr inA "$BIN/rawsend" -i va -j 2 -c 1000 -v x
	[ "$status" -eq 0 ]
	[ "$stderr" = "rawsend: 1000 frames, 15000 bytes sent on va" ]
	bg_expect "$BG_PID" 0
	[ "$(wc -c < "$BATS_TEST_TMPDIR/r.out")" -eq 1000 ]
}

@test "-j: what it cannot share is refused before anything is sent" {
	need_lab
	expect_error "rawsend: -j shares the repeats of one frame: it excludes -l, -x, -0, --vis, --json, -r, --dry-run, --interval and --rate (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -j 2 -l
	expect_error "rawsend: -j shares the repeats of one frame: it excludes -l, -x, -0, --vis, --json, -r, --dry-run, --interval and --rate (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -j 2 --rate 10 Boo
	expect_error "rawrecv: -j spreads a live capture: it excludes -r (see 'rawrecv --help')" \
	    "$BIN/rawrecv" -j 2 -r /dev/null
}
