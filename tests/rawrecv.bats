#!/usr/bin/env bats
# rawrecv: receiving and printing frames in the veth lab, from rawsend and
# from an independent python sender; formats and every bad input. Counts,
# timeouts and signals are receivers.bats'.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }

teardown() {
	bg_cleanup
	# Undo what a test changed on the lab, even when it failed half-way.
	if [ -n "${NS_A:-}" ]; then
		ip -n "$NS_A" link set va up 2>/dev/null || true
		ip -n "$NS_B" link set vb up 2>/dev/null || true
	fi
}

# A frame to vb from a made-up source, in hex: frame TYPE PAYLOAD-HEX.
SRC=02:00:5e:00:53:01
frame() { echo "${MAC_B//:/}${SRC//:/}$1$2"; }

@test "the seed's fast test: rawsend Boo, rawrecv prints the RawPacket" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5
	run inA "$BIN/rawsend" -i va Boo
	[ "$status" -eq 0 ]
	bg_expect "$BG_PID" 0
	run cat "$BATS_TEST_TMPDIR/r.out"
	[ "${lines[0]}" = "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ "${lines[1]}" = "Boo" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype 0xeefa" ]
}

@test "a frame from an independent python sender is printed exactly" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5
	pysend "$(frame eefa "$(printf 'hello from python' | hex)")"
	bg_expect "$BG_PID" 0
	printf '%s\n' "$SRC == 0xeefa => $MAC_B - OK:" "hello from python" \
	    > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
}

@test "terminal escapes, NULs, newlines and bad UTF-8 are escaped; UTF-8 text and the backslash are not" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5
	printf '\033[2J\033]0;pwned\a|\302\233|\\|\n|\0|\r\t|h\303\251|\377\300\257' \
	    > "$(T payload)"
	pysend "$(frame eefa "$(hex < "$(T payload)")")"
	bg_expect "$BG_PID" 0
	printf '%s\n' "$SRC == 0xeefa => $MAC_B - OK:" \
	    '\033[2J\033]0;pwned\007|\302\233|\|\n|\000|\r\t|h'$'\303\251''|\377\300\257' \
	    > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
	# Two lines, and nothing a terminal would act on.
	[ "$(wc -l < "$(T r.out)")" -eq 2 ]
	# Take away printable ASCII, newlines and the two bytes of the é:
	# nothing may be left.
	sed 1d "$(T r.out)" | LC_ALL=C tr -d ' -~\n\303\251' > "$(T rest)"
	[ ! -s "$(T rest)" ]
}

@test "-o hex prints the whole frame as one line of hex" {
	need_lab
	local f
	f=$(frame 88b5 "00ff10$(printf 'Boo\n' | hex)")
	recv_start r "$NS_B" -i vb -t 0x88b5 -o hex -c 2 --timeout 5
	pysend "$f" 2
	bg_expect "$BG_PID" 0
	printf '%s\n' "$f" "$f" > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
}

@test "-o raw: a 1 KiB random file with NULs, sent from stdin, comes back byte for byte" {
	need_lab
	# Random bytes with NULs and newlines where they are sure to be.
	"$PY" -c 'import os, sys
b = bytearray(os.urandom(1024))
b[0] = b[1] = b[511] = b[1023] = 0
b[100] = 10
sys.stdout.buffer.write(b)' > "$(T file)"
	[ "$(stat -c %s "$(T file)")" -eq 1024 ]
	[ "$(tr -cd '\0' < "$(T file)" | wc -c)" -ge 4 ]
	recv_start r "$NS_B" -i vb -c 1 -o raw --timeout 5
	run -0 inA "$BIN/rawsend" -i va < "$(T file)"
	bg_expect "$BG_PID" 0
	cmp "$(T file)" "$(T r.out)"
}

@test "-o raw: a full 1500-byte payload is never cut (rawsocketpy cuts at 1024)" {
	need_lab
	head -c 1500 /dev/urandom > "$(T file)"
	recv_start r "$NS_B" -i vb -c 2 -o raw --timeout 5
	pysend "$(frame eefa "$(hex < "$(T file)")")"
	run -0 inA "$BIN/rawsend" -i va < "$(T file)"
	bg_expect "$BG_PID" 0
	cat "$(T file)" "$(T file)" > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype 0xeefa" ]
}

@test "-o raw writes payloads only, unseparated" {
	need_lab
	recv_start r "$NS_B" -i vb -c 3 -o raw --timeout 5
	pysend "$(frame eefa 616263)"
	pysend "$(frame eefa "")"
	pysend "$(frame eefa 00640a)"
	bg_expect "$BG_PID" 0
	[ "$(hex < "$(T r.out)")" = 61626300640a ]
}

@test "a frame of another ethertype is ignored" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5
	pysend "$(frame 88b5 "$(printf other | hex)")"
	pysend "$(frame 0800 "$(printf ipv4 | hex)")"
	pysend "$(frame eefa "$(printf mine | hex)")"
	bg_expect "$BG_PID" 0
	printf '%s\n' "$SRC == 0xeefa => $MAC_B - OK:" mine > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
}

@test "-t picks another ethertype, by number or name" {
	need_lab
	recv_start r "$NS_B" -i vb -t LLDP -c 1 --timeout 5
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype 0x88cc" ]
	pysend "$(frame eefa "$(printf not | hex)")"
	pysend "$(frame 88cc "$(printf lldp | hex)")"
	bg_expect "$BG_PID" 0
	printf '%s\n' "$SRC == 0x88cc => $MAC_B - OK:" lldp > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
}

@test "-t any takes every ethertype, but not frames the host sends itself" {
	need_lab
	recv_start r "$NS_B" -i vb -t any -c 2 --timeout 5
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype any" ]
	# Out of vb, from rawrecv's own namespace: not shown.
	run -0 inB "$BIN/rawsend" -i vb outgoing
	pysend "$(frame 88b5 "$(printf a | hex)")"
	pysend "$(frame eefa "$(printf b | hex)")"
	bg_expect "$BG_PID" 0
	printf '%s\n' "$SRC == 0x88b5 => $MAC_B - OK:" a \
	    "$SRC == 0xeefa => $MAC_B - OK:" b > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
}

@test "RAWSOCK_IFACE names the interface" {
	need_lab
	bg_start r "$NS_B" env RAWSOCK_IFACE=vb "$BIN/rawrecv" -c 1 --timeout 5
	wait_for_line "$(T r.err)" "^rawrecv: listening on vb, ethertype 0xeefa$"
	run -0 inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = Boo ]
}

@test "output is not held back: each frame shows while rawrecv waits for more" {
	need_lab
	recv_start r "$NS_B" -i vb
	run -0 inA "$BIN/rawsend" -i va one
	wait_for_line "$(T r.out)" '^one$'
	run -0 inA "$BIN/rawsend" -i va two
	wait_for_line "$(T r.out)" '^two$'
	kill -0 "$BG_PID"
	kill -TERM "$BG_PID"
	bg_expect "$BG_PID" 0
	[ "$(wc -l < "$(T r.out)")" -eq 4 ]
}

@test "-t any: the listening line names it; SIGINT ends it with exit 0" {
	need_lab
	recv_start r "$NS_B" -i vb -t any --timeout 30
	signal_expect "$BG_PID" INT 0
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype any" ]
	[ ! -s "$(T r.out)" ]
}

@test "rawrecv | head -1: a closed pipe ends it quietly with exit 0" {
	need_lab
	local i
	bg_start pipe "$NS_B" bash -c \
	    '"$1" -i vb --timeout 20 | head -1; echo "${PIPESTATUS[0]}" > "$2"' \
	    _ "$BIN/rawrecv" "$(T status)"
	wait_for_line "$(T pipe.err)" "listening on"
	# head leaves after the first line; a later write finds no reader.
	for ((i = 0; i < 100; i++)); do
		inA "$BIN/rawsend" -i va "frame $i"
		[ -s "$(T status)" ] && break
		sleep 0.05
	done
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T status)")" = 0 ]
	[ "$(cat "$(T pipe.out)")" = "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ "$(cat "$(T pipe.err)")" = "rawrecv: listening on vb, ethertype 0xeefa" ]
}

@test "the interface going down ends rawrecv with one line and exit 2" {
	need_lab
	recv_start r "$NS_B" -i vb
	ip -n "$NS_B" link set vb down
	bg_expect "$BG_PID" 2
	run cat "$(T r.err)"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = "rawrecv: vb: interface went down or away (0 frames received)" ]
}

@test "bad ethertypes: junk, above 0xffff, an 802.3 length, empty" {
	expect_error "rawrecv: invalid ethertype 'ipv5': not a number, a known name or 'any'" \
	    "$BIN/rawrecv" -i va -t ipv5
	expect_error "rawrecv: invalid ethertype '0x10000': above 0xffff" \
	    "$BIN/rawrecv" -i va -t 0x10000
	expect_error "rawrecv: invalid ethertype '0x05dc': below 0x0600, an IEEE 802.3 length, not a type" \
	    "$BIN/rawrecv" -i va -t 0x05dc
	expect_error "rawrecv: invalid ethertype '': not a number, a known name or 'any'" \
	    "$BIN/rawrecv" -i va --type=
}

@test "bad counts and timeouts" {
	local c s
	for c in 0 -1 abc 1.5 "" 99999999999999999999; do
		local why="not a decimal number"
		case $c in
		0) why="too small" ;;
		99999999999999999999) why="too large" ;;
		esac
		expect_error "rawrecv: invalid count '$c': $why" \
		    "$BIN/rawrecv" -i va -c "$c"
	done
	for s in -1 nan inf 1e3 abc "" 1s; do
		expect_error "rawrecv: invalid timeout '$s': not a non-negative decimal number of seconds" \
		    "$BIN/rawrecv" -i va --timeout "$s"
	done
	expect_error "rawrecv: invalid timeout '99999999999999999999': too large (at most 1000000 seconds)" \
	    "$BIN/rawrecv" -i va --timeout 99999999999999999999
}

@test "bad output format, unknown options, options without their value" {
	local u="(see 'rawrecv --help')" o
	expect_error "rawrecv: invalid output format 'bogus' (rawpacket, raw, hex, json or vis) $u" \
	    "$BIN/rawrecv" -i va -o bogus
	expect_error "rawrecv: unknown option '-y' $u" "$BIN/rawrecv" -i va -y
	expect_error "rawrecv: unknown option '--bogus' $u" \
	    "$BIN/rawrecv" -i va --bogus
	expect_error "rawrecv: option '--quiet' takes no value $u" \
	    "$BIN/rawrecv" -i va --quiet=yes
	for o in -c -i -o -t; do
		expect_error "rawrecv: option '$o' needs a value $u" \
		    "$BIN/rawrecv" -i va "$o"
	done
	for o in --count --interface --output --timeout --type; do
		expect_error "rawrecv: option '$o' needs a value $u" \
		    "$BIN/rawrecv" -i va "$o"
	done
}

@test "no interface: neither -i nor RAWSOCK_IFACE" {
	expect_error "rawrecv: no interface given (use -i IFACE, RAWSOCK_IFACE or -r FILE) (see 'rawrecv --help')" \
	    env -u RAWSOCK_IFACE "$BIN/rawrecv" -c 1
}

@test "unexpected arguments are a filter expression, refused when bad" {
	# Say what is wrong with the words given; libpcap gives the reason.
	expect_error "rawrecv: invalid filter 'foo bar': can't parse filter expression: syntax error (see 'rawrecv --help')" \
	    "$BIN/rawrecv" -i va foo bar
}

@test "no such interface, or a name too long for one" {
	need_lab
	expect_error "rawrecv: 'nosuch0': no such interface" \
	    "$BIN/rawrecv" -i nosuch0
	expect_error "rawrecv: 'abcdefghijklmnop': interface name too long (at most 15 bytes)" \
	    "$BIN/rawrecv" -i abcdefghijklmnop
	expect_error "rawrecv: 'vb': no such interface" "$BIN/rawrecv" -i vb
}

@test "interface down: refused with one line" {
	need_lab
	ip -n "$NS_A" link set va down
	expect_error "rawrecv: va: interface is down" "$BIN/rawrecv" -i va
}

@test "without root or CAP_NET_RAW: one line saying so, exit 2" {
	local cmd=("$BIN/rawrecv" -i va -c 1)
	if is_root; then
		cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups
		    --inh-caps=-all "${cmd[@]}")
	fi
	expect_error "rawrecv: cannot open a packet socket: Operation not permitted (needs root or CAP_NET_RAW)" \
	    "${cmd[@]}"
}

@test "--promisc, --jobs and --user, spelled long: received as nobody over two threads" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	recv_start r "$NS_B" -i vb --promisc --jobs 2 --user nobody -c 2 --timeout 8
	[ "$(cat "$(T r.err)")" = "rawrecv: listening on vb, ethertype 0xeefa, 2 jobs" ]
	# Promiscuous while it runs (a membership, counted by the kernel).
	ip -d -n "$NS_B" link show vb | grep -qE " promiscuity [1-9]"
	inA "$BIN/rawsend" -i va -d 02:00:5e:00:53:09 one
	inA "$BIN/rawsend" -i va two
	bg_expect "$BG_PID" 0
	[ "$(grep -c -e '^one$' -e '^two$' "$(T r.out)")" -eq 2 ]
	ip -d -n "$NS_B" link show vb | grep -q " promiscuity 0 "
}

@test "--write and --read, spelled long: a capture read back" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5 --write "$(T r.pcap)"
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	run --separate-stderr -0 "$BIN/rawrecv" --read "$(T r.pcap)"
	[ "${lines[0]}" = "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ "${lines[1]}" = Boo ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a record cut short in a file (caplen < len) is marked in rawpacket, hex and vis; a whole one is not; rawsend refuses the cut ones" {
	local f
	f="ffffffffffff${SRC//:/}eefa$(printf 'C:\\x\n' | hex)"
	printf '1000 %s 1514\n2000 %s\n' "$f" "$f" | mkpcap "$(T cut.pcap)"
	run -0 --separate-stderr "$BIN/rawrecv" -r "$(T cut.pcap)"
	printf '# %s\n' "${lines[@]}" >&2
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "$SRC == 0xeefa => ff:ff:ff:ff:ff:ff - OK [|cut 19 of 1514]:" ]
	[ "${lines[1]}" = 'C:\x\n' ]
	[ "${lines[2]}" = "$SRC == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ "${lines[3]}" = 'C:\x\n' ]
	run -0 --separate-stderr "$BIN/rawrecv" -r "$(T cut.pcap)" --ts
	[ "${lines[0]}" = "0.000001000 $SRC == 0xeefa => ff:ff:ff:ff:ff:ff - OK [|cut 19 of 1514]:" ]
	[ "${#lines[@]}" -eq 4 ]
	run -0 --separate-stderr "$BIN/rawrecv" -r "$(T cut.pcap)" -o hex
	[ "${lines[0]}" = "$f [|cut 19 of 1514]" ]
	[ "${lines[1]}" = "$f" ]
	[ "${#lines[@]}" -eq 2 ]
	run -0 --separate-stderr "$BIN/rawrecv" -r "$(T cut.pcap)" -o vis
	[ "${lines[0]}" = 'C:\\x\n \[|cut 19 of 1514]' ]
	[ "${lines[1]}" = 'C:\\x\n' ]
	[ "${#lines[@]}" -eq 2 ]
	run -0 --separate-stderr "$BIN/rawrecv" -r "$(T cut.pcap)" -o json
	[ "$(jq -c '[.len, .caplen]' <<< "${lines[0]}")" = "[1514,19]" ]
	[ "$(jq -c '[.len, .caplen]' <<< "${lines[1]}")" = "[19,19]" ]
	# Sent back, a cut record is refused, never sent as if whole.
	"$BIN/rawrecv" -r "$(T cut.pcap)" -o vis > "$(T vis)"
	run -2 --separate-stderr "$BIN/rawsend" --dry-run --vis < "$(T vis)"
	[ -z "$output" ]
	[ "$stderr" = "rawsend: line 1: unknown escape '\\['; 0 frames sent" ]
	"$BIN/rawrecv" -r "$(T cut.pcap)" -o hex > "$(T hex)"
	run -2 --separate-stderr "$BIN/rawsend" --dry-run --frame -x < "$(T hex)"
	[ -z "$output" ]
	[[ $stderr == "rawsend: line 1: not hex "*"; 0 frames sent" ]]
	# The whole record alone goes through.
	sed -n 2p "$(T vis)" > "$(T whole)"
	run -0 "$BIN/rawsend" --dry-run --vis < "$(T whole)"
}

@test "-o json never invents a value: a field the record does not hold in full is null (0 to 18 bytes, tagged and not)" {
	local p q n want got
	p="ffffffffffff${SRC//:/}eefa426f6f21"	# 18 bytes
	q="ffffffffffff${SRC//:/}8100b0640806aa"	# 19 bytes, VID 100
	for n in 0 1 5 6 11 12 13 14 16 17 18; do
		echo "$n -${p:0:$((2 * n))} 18"
		echo "$n -${q:0:$((2 * n))} 19"
	done | mkpcap "$(T short.pcap)"
	run -0 --separate-stderr "$BIN/rawrecv" -r "$(T short.pcap)" -o json
	[ "${#lines[@]}" -eq 22 ]
	local i=0 dst src type vlan pay
	for n in 0 1 5 6 11 12 13 14 16 17 18; do
		dst=null src=null type=null
		[ "$n" -ge 6 ] && dst='"ff:ff:ff:ff:ff:ff"'
		[ "$n" -ge 12 ] && src="\"$SRC\""
		[ "$n" -ge 14 ] && type='"0xeefa"'
		pay=""
		[ "$n" -gt 14 ] && pay=${p:28:$((2 * n - 28))}
		want="[$dst,$src,$type,null,18,$n,\"$pay\"]"
		got=$(jq -c '[.dst, .src, .ethertype, .vlan, .len, .caplen,
		    .payload]' <<< "${lines[i]}")
		echo "# $n bytes: $got, want $want" >&2
		[ "$got" = "$want" ]
		# The tagged frame: its type and tag only once both are whole.
		type=null vlan=null
		[ "$n" -ge 18 ] && type='"0x0806"' vlan=100
		want="[$dst,$src,$type,$vlan,19,$n,\"\"]"
		got=$(jq -c '[.dst, .src, .ethertype, .vlan.id, .len, .caplen,
		    .payload]' <<< "${lines[i + 1]}")
		echo "# tagged, $n bytes: $got, want $want" >&2
		[ "$got" = "$want" ]
		i=$((i + 2))
	done
}
