#!/usr/bin/env bats
# rawsend: frames checked byte for byte by independent receivers (python3
# AF_PACKET and tcpdump), streaming, counts, the MTU, and every bad input.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }

teardown() {
	bg_cleanup
	# Undo what a test changed on the lab, even when it failed half-way.
	if [ -n "${NS_A:-}" ]; then
		ip -n "$NS_A" link set va mtu 1500 up 2>/dev/null || true
		ip -n "$NS_B" link set vb mtu 1500 up 2>/dev/null || true
		# The next test needs the carrier back, not only the flag.
		link_state va UP || true
		ip -n "$NS_A" link del hx 2>/dev/null || true
	fi
}

# link_state IFACE STATE: waits (bounded) until va or vb shows operstate
# STATE (UP, DOWN...) in `ip link`; the kernel sets it a moment after the
# carrier changes, and rawsend reads the carrier from it.
link_state() {
	local ns=$NS_A i
	[ "$1" = vb ] && ns=$NS_B
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[[ $(ip -n "$ns" -o link show "$1") == *" state $2 "* ]] &&
		    return 0
		sleep 0.01
	done
	echo "# $1 never reached state $2" >&2
	return 1
}


# asleep PID: waits (bounded) until PID, exec'ed as rawsend, sleeps in a
# system call that waits for its input (open, read or ppoll).
asleep() {
	local i call calls
	case $(uname -m) in
	aarch64 | riscv64) calls=" 56 63 73 " ;;
	*) calls=" 0 257 271 " ;;
	esac
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		if [ "$(cat "/proc/$1/comm" 2>/dev/null)" = rawsend ]; then
			call=$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null) ||
			    true
			[[ $calls == *" $call "* ]] && return 0
		fi
		sleep 0.01
	done
	echo "# $1 never slept waiting for its input" >&2
	return 1
}

# read_bytes PID: the bytes PID has read so far, from any file.
read_bytes() { sed -n 's/^rchar: //p' "/proc/$1/io"; }

# workers PID N: waits (bounded) for the N -j workers of PID and prints
# their PIDs; they are remembered for cleanup.
workers() {
	local i kids=()
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		read -r -a kids < "/proc/$1/task/$1/children" || true
		[ "${#kids[@]}" -ge "$2" ] && break
		sleep 0.01
	done
	[ "${#kids[@]}" -eq "$2" ] || {
		echo "# $1 has ${#kids[@]} workers, not $2" >&2
		return 1
	}
	echo "${kids[*]}"
}

# tcpdump -XX output back to one line of hex per frame.
xx_to_hex() {
	sed -n 's/^[[:space:]]*0x[0-9a-f]*:  \(.\{39\}\).*/\1/p' "$1" |
	    tr -d ' \n'
}

@test "rawsend Boo: exactly ffffffffffff<src>eefa426f6f on the wire (python receiver)" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 1
	run --separate-stderr -0 inA "$BIN/rawsend" -i va Boo
	[ -z "$output" ]
	[ -z "$stderr" ]
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(hdr_a)426f6f" ]
}

@test "-d, -s and -t, byte for byte as tcpdump -XX sees them" {
	need_lab
	local dest
	# vb's MAC, written upper case with dashes: any case, either separator.
	dest=$(tr 'a-f:' 'A-F-' <<< "$MAC_B")
	bg_start td "$NS_B" env TZ=UTC tcpdump -i vb -n -l -XX \
	    --immediate-mode -c 1 'ether proto 0x88b5'
	local tdpid=$BG_PID
	wait_for_line "$(T td.err)" "listening on vb"
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -d "$dest" \
	    -s 02:00:5E:10:20:3f -t 0x88B5 hello world
	[ -z "$output" ]
	[ -z "$stderr" ]
	bg_expect "$tdpid" 0
	[ "$(xx_to_hex "$(T td.out)")" = \
	    "${MAC_B//:/}02005e10203f88b568656c6c6f20776f726c64" ]
}

@test "-t takes ethertype names and decimal" {
	need_lab
	pyrecv_start p "$NS_B" vb 0x88cc 2
	run -0 inA "$BIN/rawsend" -i va -t LLDP x
	run -0 inA "$BIN/rawsend" -i va -t 35020 y
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "ffffffffffff${MAC_A//:/}88cc78
ffffffffffff${MAC_A//:/}88cc79" ]
}

@test "PAYLOAD arguments are joined by single spaces, no newline added" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 1
	run -0 inA "$BIN/rawsend" -i va hello "" world 'a  b'
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(hdr_a)$(printf 'hello  world a  b' | hex)" ]
}

@test "no PAYLOAD: all of stdin is one frame, NULs and newlines kept" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 1
	printf 'a\0b\n\0\n\n' > "$(T in)"
	run -0 inA "$BIN/rawsend" -i va < "$(T in)"
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(hdr_a)6100620a000a0a" ]
}

@test "empty stdin sends a header-only frame of 14 bytes" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 1
	run -0 inA "$BIN/rawsend" -i va < /dev/null
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(hdr_a)" ]
}

@test "-c COUNT sends the frame COUNT times; -v reports frames and bytes" {
	need_lab
	local before
	pyrecv_start p "$NS_B" vb 0xeefa 5
	before=$(rx_packets "$NS_B" vb)
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -c 5 -v Boo
	[ -z "$output" ]
	[ "$stderr" = "rawsend: 5 frames, 85 bytes sent on va" ]
	[ $(($(rx_packets "$NS_B" vb) - before)) -eq 5 ]
	bg_expect "$BG_PID" 0
	run cat "$(T p.out)"
	[ "${#lines[@]}" -eq 5 ]
	[ "$(sort -u "$(T p.out)")" = "$(hdr_a)426f6f" ]
}

@test "-v says 1 frame, singular; without -v stderr stays empty" {
	need_lab
	run --separate-stderr -0 inA "$BIN/rawsend" -i va --verbose Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on va" ]
	run --separate-stderr -0 inA "$BIN/rawsend" -i va Boo
	[ -z "$stderr" ]
	[ -z "$output" ]
}

@test "-c 1000: every frame reaches the peer, more than one batch" {
	need_lab
	local before
	before=$(rx_packets "$NS_B" vb)
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -c 1000 -v x
	[ "$stderr" = "rawsend: 1000 frames, 15000 bytes sent on va" ]
	[ $(($(rx_packets "$NS_B" vb) - before)) -eq 1000 ]
}

@test "-c COUNT with --interval spaces the frames" {
	need_lab
	local start end
	bg_start td "$NS_B" env TZ=UTC tcpdump -i vb -n -l -tt \
	    --immediate-mode -c 3 'ether proto 0xeefa'
	local tdpid=$BG_PID
	wait_for_line "$(T td.err)" "listening on vb"
	start=$(date +%s%N)
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -c 3 \
	    --interval 0.2 -v Boo
	end=$(date +%s%N)
	[ "$stderr" = "rawsend: 3 frames, 51 bytes sent on va" ]
	# Two gaps of 0.2 s; no wait before the first frame or after the last.
	[ $(((end - start) / 1000000)) -ge 400 ]
	[ $(((end - start) / 1000000)) -lt 3000 ]
	bg_expect "$tdpid" 0
	# The receiver's clock agrees: each gap at least 0.19 s.
	awk '!/^[0-9]/ { next } n++ && $1 - prev < 0.19 { bad = 1 }
	    { prev = $1 } END { exit bad || n != 3 }' "$(T td.out)"
}

@test "RAWSOCK_IFACE names the interface; -i wins over it" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 2
	run -0 inA env RAWSOCK_IFACE=va "$BIN/rawsend" one
	run -0 inA env RAWSOCK_IFACE=nosuch0 "$BIN/rawsend" -i va two
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(hdr_a)6f6e65
$(hdr_a)74776f" ]
}

@test "-l streams: each line leaves as it comes from a slow producer" {
	need_lab
	local fd spid rpid
	mkfifo "$(T in)"
	recv_start r "$NS_B" -i vb -c 3 --timeout 10
	rpid=$BG_PID
	bg_start_in s "$NS_A" "$(T in)" "$BIN/rawsend" -i va -l
	spid=$BG_PID
	# Read-write: opening does not wait for rawsend to open its end.
	exec {fd}<> "$(T in)"
	printf 'one\n' >&"$fd"
	wait_for_line "$(T r.out)" '^one$'
	# rawsend has not seen the end of its input, yet the line is out.
	kill -0 "$spid"
	printf 'two\n' >&"$fd"
	wait_for_line "$(T r.out)" '^two$'
	kill -0 "$spid"
	# A last line without a newline still goes, at the end of input.
	printf 'three' >&"$fd"
	exec {fd}>&-
	bg_expect "$spid" 0
	bg_expect "$rpid" 0
	[ ! -s "$(T s.err)" ]
	run cat "$(T r.out)"
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[1]}" = one ]
	[ "${lines[3]}" = two ]
	[ "${lines[5]}" = three ]
}

@test "-l with -c sends each line COUNT times" {
	need_lab
	local before
	before=$(rx_packets "$NS_B" vb)
	pyrecv_start p "$NS_B" vb 0xeefa 4
	printf 'a\nb\n' > "$(T in)"
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -l -c 2 -v \
	    < "$(T in)"
	[ "$stderr" = "rawsend: 4 frames, 60 bytes sent on va" ]
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(hdr_a)61
$(hdr_a)61
$(hdr_a)62
$(hdr_a)62" ]
	[ $(($(rx_packets "$NS_B" vb) - before)) -eq 4 ]
}

@test "a payload of exactly the MTU goes; one byte more is refused, nothing sent" {
	need_lab
	local before
	head -c 1500 /dev/zero | tr '\0' x > "$(T mtu)"
	head -c 1501 /dev/zero | tr '\0' x > "$(T big)"
	pyrecv_start p "$NS_B" vb 0xeefa 2
	run -0 inA "$BIN/rawsend" -i va "$(cat "$(T mtu)")"
	run -0 inA "$BIN/rawsend" -i va < "$(T mtu)"
	bg_expect "$BG_PID" 0
	[ "$(sort -u "$(T p.out)")" = "$(hdr_a)$(hex < "$(T mtu)")" ]

	expect_error "rawsend: payload exceeds the MTU of va (1500 bytes); 0 frames sent" \
	    "$BIN/rawsend" -i va -c 3 "$(cat "$(T big)")"
	# Two arguments that fit alone but not joined.
	expect_error "rawsend: payload exceeds the MTU of va (1500 bytes); 0 frames sent" \
	    "$BIN/rawsend" -i va "$(cat "$(T mtu)")" y
	before="$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)"
	run --separate-stderr -2 inA "$BIN/rawsend" -i va < "$(T big)"
	[ -z "$output" ]
	[ "$stderr" = "rawsend: payload from standard input exceeds the MTU of va (1500 bytes); 0 frames sent" ]
	[ "$before" = "$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)" ]
}

@test "the MTU is the interface's own" {
	need_lab
	ip -n "$NS_A" link set va mtu 1000
	head -c 1001 /dev/zero | tr '\0' x > "$(T big)"
	expect_error "rawsend: payload exceeds the MTU of va (1000 bytes); 0 frames sent" \
	    "$BIN/rawsend" -i va "$(cat "$(T big)")"
	pyrecv_start p "$NS_B" vb 0xeefa 1
	run -0 inA "$BIN/rawsend" -i va "$(head -c 1000 "$(T big)")"
	bg_expect "$BG_PID" 0
}

@test "-l: an oversize line is refused by number, with the count already sent" {
	need_lab
	local before
	{
		printf 'a\nb\n'
		head -c 1501 /dev/zero | tr '\0' x
		printf '\nc\n'
	} > "$(T in)"
	recv_start r "$NS_B" -i vb -c 2 --timeout 5
	before=$(rx_packets "$NS_B" vb)
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -l < "$(T in)"
	[ -z "$output" ]
	[ "$stderr" = "rawsend: line 3 exceeds the MTU of va (1500 bytes); 2 frames sent" ]
	bg_expect "$BG_PID" 0
	[ $(($(rx_packets "$NS_B" vb) - before)) -eq 2 ]
	run cat "$(T r.out)"
	[ "${lines[1]}" = a ]
	[ "${lines[3]}" = b ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "-l: an oversize last line without a newline is refused too" {
	need_lab
	local before
	{
		printf 'a\n'
		head -c 1501 /dev/zero | tr '\0' x
	} > "$(T in)"
	before=$(rx_packets "$NS_B" vb)
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -l < "$(T in)"
	[ "$stderr" = "rawsend: line 2 exceeds the MTU of va (1500 bytes); 1 frame sent" ]
	[ $(($(rx_packets "$NS_B" vb) - before)) -eq 1 ]
}

@test "-x and --vis: the MTU counts decoded bytes, not characters; endless blanks are refused as text" {
	need_lab
	local before
	# 1400 bytes with three blanks after each: 7000 characters.
	"$PY" -c 'import sys; sys.stdout.write("".join("%02x   " % (i % 256) for i in range(1400)) + "\n")' > "$(T x1400)"
	[ "$(wc -c < "$(T x1400)")" -eq 7001 ]
	# 1501 bytes the same way, after a line that fits.
	"$PY" -c 'import sys; sys.stdout.write("aa\n" + "".join("%02x   " % (i % 256) for i in range(1501)) + "\n")' > "$(T x1501)"
	# 1500 bytes as vis writes 0xff, 4 characters each: 6000.
	"$PY" -c 'import sys; sys.stdout.write("\\M^?" * 1500 + "\n")' > "$(T v1500)"
	pyrecv_start p "$NS_B" vb 0xeefa 2
	run -0 inA "$BIN/rawsend" -i va -x < "$(T x1400)"
	run -0 inA "$BIN/rawsend" -i va --vis < "$(T v1500)"
	bg_expect "$BG_PID" 0
	run cat "$(T p.out)"
	[ "${lines[0]}" = "$(hdr_a)$(tr -d ' \n' < "$(T x1400)")" ]
	[ "${lines[1]}" = "$(hdr_a)$("$PY" -c 'print("ff" * 1500)')" ]

	before="$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)"
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -x < "$(T x1501)"
	[ -z "$output" ]
	[ "$stderr" = "rawsend: line 2 exceeds the MTU of va (1500 bytes); 1 frame sent" ]
	# A line of nothing but blanks is bounded: refused once past 16
	# characters a byte (and 4096 more), its bytes never known.
	head -c 30000 /dev/zero | tr '\0' ' ' > "$(T blanks)"
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -x < "$(T blanks)"
	[ "$stderr" = "rawsend: line 1: more than 28096 characters of hex text; 0 frames sent" ]
	# --frame -x: the header and the MTU, 1514 bytes, blanks or not.
	"$PY" -c 'import sys; sys.stdout.write("".join("%02x   " % (i % 256) for i in range(1515)) + "\n")' > "$(T f1515)"
	head -c 7570 "$(T f1515)" > "$(T f1514)"
	run -0 inA "$BIN/rawsend" -i va --frame -x < "$(T f1514)"
	run --separate-stderr -2 inA "$BIN/rawsend" -i va --frame -x < "$(T f1515)"
	[ "$stderr" = "rawsend: line 1 exceeds the MTU of va (1500 bytes); 0 frames sent" ]
}

@test "bad MAC addresses: exit 2, one line, nothing sent" {
	expect_error "rawsend: invalid MAC address 'zz:11'" \
	    "$BIN/rawsend" -i va -d zz:11 Boo
	expect_error "rawsend: invalid MAC address '12:34:56:78:9a'" \
	    "$BIN/rawsend" -i va -s 12:34:56:78:9a Boo
	expect_error "rawsend: invalid MAC address '12:34:56-78:9a:bc'" \
	    "$BIN/rawsend" -i va -d 12:34:56-78:9a:bc Boo
	expect_error "rawsend: invalid MAC address '12:34:56:78:9a:bc:de'" \
	    "$BIN/rawsend" -i va --dest=12:34:56:78:9a:bc:de Boo
	expect_error "rawsend: invalid MAC address ''" \
	    "$BIN/rawsend" -i va --source '' Boo
}

@test "bad ethertypes: junk, above 0xffff, an 802.3 length, any" {
	expect_error "rawsend: invalid ethertype 'ipv5': not a number or a known name" \
	    "$BIN/rawsend" -i va -t ipv5 Boo
	expect_error "rawsend: invalid ethertype '0x10000': above 0xffff" \
	    "$BIN/rawsend" -i va -t 0x10000 Boo
	expect_error "rawsend: invalid ethertype '0x05dc': below 0x0600, an IEEE 802.3 length, not a type" \
	    "$BIN/rawsend" -i va -t 0x05dc Boo
	expect_error "rawsend: invalid ethertype '1500': below 0x0600, an IEEE 802.3 length, not a type" \
	    "$BIN/rawsend" -i va --type 1500 Boo
	expect_error "rawsend: invalid ethertype 'any': a frame carries one ethertype ('any' is for receiving, as with rawrecv -t any)" \
	    "$BIN/rawsend" -i va -t any Boo
	expect_error "rawsend: invalid ethertype '': not a number or a known name" \
	    "$BIN/rawsend" -i va -t '' Boo
}

@test "bad counts: zero, negative, junk, overflow" {
	local c
	for c in 0 -1 abc 1x 1.5 1e3 "" " 1" 99999999999999999999 \
	    1000000000001; do
		local why="not a decimal number"
		case $c in
		0) why="too small" ;;
		99999999999999999999 | 1000000000001) why="too large" ;;
		esac
		expect_error "rawsend: invalid count '$c': $why" \
		    "$BIN/rawsend" -i va -c "$c" Boo
	done
}

@test "bad intervals: negative, NaN, infinity, exponent, junk, too large" {
	local s why
	for s in -1 nan inf 1e3 0x10 1s "" . 1.2.3; do
		expect_error "rawsend: invalid interval '$s': not a non-negative decimal number of seconds" \
		    "$BIN/rawsend" -i va --interval "$s" Boo
	done
	expect_error "rawsend: invalid interval '1000001': too large (at most 1000000 seconds)" \
	    "$BIN/rawsend" -i va --interval=1000001 Boo
}

@test "unknown options and options without their value" {
	local u="(see 'rawsend --help')"
	expect_error "rawsend: unknown option '-y' $u" \
	    "$BIN/rawsend" -i va -y Boo
	expect_error "rawsend: unknown option '-y' $u" \
	    "$BIN/rawsend" -i va -ly
	expect_error "rawsend: unknown option '--bogus' $u" \
	    "$BIN/rawsend" -i va --bogus Boo
	expect_error "rawsend: option '--verbose' takes no value $u" \
	    "$BIN/rawsend" -i va --verbose=yes Boo
	expect_error "rawsend: option '--version' takes no value $u" \
	    "$BIN/rawsend" --version=1
	local o
	for o in -c -d -i -s -t; do
		expect_error "rawsend: option '$o' needs a value $u" \
		    "$BIN/rawsend" -i va "$o"
	done
	expect_error "rawsend: option '-c' needs a value $u" \
	    "$BIN/rawsend" -i va -lc
	for o in --count --dest --interface --interval --source --type; do
		expect_error "rawsend: option '$o' needs a value $u" \
		    "$BIN/rawsend" -i va "$o"
	done
}

@test "no interface: neither -i nor RAWSOCK_IFACE" {
	local u="(see 'rawsend --help')"
	expect_error "rawsend: no interface given (use -i IFACE or RAWSOCK_IFACE) $u" \
	    env -u RAWSOCK_IFACE "$BIN/rawsend" Boo
	expect_error "rawsend: no interface given (use -i IFACE or RAWSOCK_IFACE) $u" \
	    env RAWSOCK_IFACE= "$BIN/rawsend" Boo
}

@test "unexpected argument: PAYLOAD with -l" {
	expect_error "rawsend: -l, -0 and --json read standard input; give no PAYLOAD arguments (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -l Boo
}

@test "no such interface, or a name too long for one" {
	need_lab
	expect_error "rawsend: 'nosuch0': no such interface" \
	    "$BIN/rawsend" -i nosuch0 Boo
	expect_error "rawsend: 'abcdefghijklmnop': interface name too long (at most 15 bytes)" \
	    "$BIN/rawsend" -i abcdefghijklmnop Boo
	expect_error "rawsend: '': empty interface name" \
	    "$BIN/rawsend" -i '' Boo
	# The lab's other end lives in the other namespace only.
	expect_error "rawsend: 'vb': no such interface" \
	    "$BIN/rawsend" -i vb Boo
}

@test "interface down: refused, and fine again once it is up" {
	need_lab
	ip -n "$NS_A" link set va down
	expect_error "rawsend: va: interface is down" "$BIN/rawsend" -i va Boo
	# A frame on standard input is not read, let alone sent.
	expect_error "rawsend: va: interface is down" "$BIN/rawsend" -i va
	ip -n "$NS_A" link set va up
	pyrecv_start p "$NS_B" vb 0xeefa 1
	run -0 inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
}

@test "without root or CAP_NET_RAW: one line saying so, exit 2" {
	local cmd=("$BIN/rawsend" -i va Boo)
	if is_root; then
		cmd=(setpriv --reuid=65534 --regid=65534 --clear-groups
		    --inh-caps=-all "${cmd[@]}")
	fi
	expect_error "rawsend: cannot open a packet socket: Operation not permitted (needs root or CAP_NET_RAW)" \
	    "${cmd[@]}"
}

#
# Stopping: signals, links that go, and the one closing report
#

@test "-r FIFO with no writer yet: SIGTERM ends it at once, status 0, the interrupted report" {
	need_lab
	local rx0
	mkfifo "$(T fifo)"
	bg_start s "$NS_A" "$BIN/rawsend" -i va -r "$(T fifo)"
	asleep "$BG_PID"
	signal_expect "$BG_PID" TERM 0
	[ "$(cat "$(T s.err)")" = "rawsend: interrupted: 0 frames, 0 bytes sent on va" ]
	# And once a writer comes, the capture goes out as usual.
	"$BIN/rawsend" --dry-run -c 3 -w "$(T three.pcap)" Boo
	rx0=$(rx_packets "$NS_B" vb)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -r "$(T fifo)" -v
	asleep "$BG_PID"
	cat "$(T three.pcap)" > "$(T fifo)"
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T s.err)")" = "rawsend: 3 frames, 51 bytes sent on va" ]
	[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq 3 ]
}

@test "-r -: SIGUSR1 in a pause inside the pcap header loses no byte" {
	need_lab
	local fd rx0 r0 i
	"$BIN/rawsend" --dry-run -c 3 -w "$(T three.pcap)" Boo
	mkfifo "$(T in)"
	rx0=$(rx_packets "$NS_B" vb)
	bg_start_in s "$NS_A" "$(T in)" "$BIN/rawsend" -i va -r -
	# Read-write: opening does not wait for rawsend to open its end.
	exec {fd}<> "$(T in)"
	asleep "$BG_PID"
	# 10 of the header's 24 bytes, and rawsend has read them.
	r0=$(read_bytes "$BG_PID")
	head -c 10 "$(T three.pcap)" >&"$fd"
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ "$(read_bytes "$BG_PID")" -ge $((r0 + 10)) ] && break
		sleep 0.01
	done
	asleep "$BG_PID"
	kill -USR1 "$BG_PID"
	wait_for_line "$(T s.err)" '^rawsend: 0 frames, 0 bytes sent on va$'
	tail -c +11 "$(T three.pcap)" >&"$fd"
	exec {fd}>&-
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T s.err)")" = "rawsend: 0 frames, 0 bytes sent on va" ]
	[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq 3 ]
}

@test "signals come through the loop: no handler of rawsend's own, INT, TERM and USR1 blocked" {
	need_lab
	local fd blk cgt i
	mkfifo "$(T in)"
	bg_start_in s "$NS_A" "$(T in)" "$BIN/rawsend" -i va -l
	exec {fd}<> "$(T in)"
	asleep "$BG_PID"
	# A sanitizer build opens files before it gets there: wait for the
	# mask too (bounded).
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		blk=$((16#$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$BG_PID/status")))
		[ $((blk & 0x4202)) -eq $((0x4202)) ] && break
		sleep 0.01
	done
	grep -E '^Sig(Blk|Ign|Cgt):' "/proc/$BG_PID/status" | sed 's/^/# /' >&2
	cgt=$((16#$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$BG_PID/status")))
	blk=$((16#$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/$BG_PID/status")))
	# SIGINT 2, SIGUSR1 10, SIGTERM 15: bits 1, 9 and 14, blocked and
	# caught by no handler (the sanitizers' own SIGSEGV, SIGBUS and
	# SIGFPE handlers are theirs).
	[ $((cgt & 0x4202)) -eq 0 ]
	[ $((blk & 0x4202)) -eq $((0x4202)) ]
	exec {fd}>&-
	bg_expect "$BG_PID" 0
}

@test "a link without carrier (its peer down) is refused before anything is sent" {
	need_lab
	local before
	ip -n "$NS_B" link set vb down
	link_state va DOWN
	before="$(if_stat "$NS_A" va tx_packets) $(if_stat "$NS_A" va tx_dropped)"
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -c 100 Boo
	[ -z "$output" ]
	[ "$stderr" = "rawsend: va: link has no carrier" ]
	# Refused before standard input is read, as a link that is down.
	run --separate-stderr -2 inA "$BIN/rawsend" -i va -l < /dev/zero
	[ "$stderr" = "rawsend: va: link has no carrier" ]
	[ "$before" = "$(if_stat "$NS_A" va tx_packets) $(if_stat "$NS_A" va tx_dropped)" ]
	# A dry run sends nothing and needs no carrier.
	run --separate-stderr -0 inA "$BIN/rawsend" -i va --dry-run Boo
	[ "$output" = "$(hdr_a)426f6f" ]
	[ -z "$stderr" ]
}

@test "a carrier lost mid-run ends the run: one line, exit 2, every counted frame accounted for" {
	need_lab
	local rx0 drop0 n rx drop
	rx0=$(rx_packets "$NS_B" vb)
	drop0=$(if_stat "$NS_A" va tx_dropped)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -c 1000000000000 Boo
	rx_moves "$NS_B" vb "$rx0"
	ip -n "$NS_B" link set vb down
	bg_expect "$BG_PID" 2
	cat "$(T s.err)" >&2
	[ "$(wc -l < "$(T s.err)")" -eq 1 ]
	n=$(sed -n 's/^rawsend: va: link lost its carrier (\([0-9]*\) frames\{0,1\} sent)$/\1/p' \
	    "$(T s.err)")
	[ -n "$n" ]
	rx=$(($(rx_packets "$NS_B" vb) - rx0))
	drop=$(($(if_stat "$NS_A" va tx_dropped) - drop0))
	echo "# $n counted, $rx delivered, $drop dropped" >&2
	# Each counted frame was delivered, or dropped by va before rawsend
	# saw the carrier go; va counts the frame the kernel refused too.
	[ "$rx" -le "$n" ]
	[ "$n" -le $((rx + drop)) ]
}

@test "its interface going down mid-run: the receivers' words, exit 2" {
	need_lab
	local rx0
	rx0=$(rx_packets "$NS_B" vb)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -c 1000000000000 Boo
	rx_moves "$NS_B" vb "$rx0"
	ip -n "$NS_A" link set va down
	bg_expect "$BG_PID" 2
	cat "$(T s.err)" >&2
	[ "$(wc -l < "$(T s.err)")" -eq 1 ]
	grep -qE '^rawsend: va: interface went down or away \([0-9]+ frames sent\)$' \
	    "$(T s.err)"
}

@test "-v: the report is followed by what the interface dropped meanwhile" {
	need_lab
	local big drop0 rx0
	# vb takes no frame over 1000 bytes: va drops a bigger one.
	ip -n "$NS_B" link set vb mtu 1000
	big=$(printf 'x%.0s' {1..1200} | hex)
	drop0=$(if_stat "$NS_A" va tx_dropped)
	rx0=$(rx_packets "$NS_B" vb)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -c 2 --interval 2 -v Boo
	# Between its two frames, another sender's frame is dropped.
	rx_moves "$NS_B" vb "$rx0"
	run inA "$PY" "$PEERS/pysend.py" va "$(hdr_a)$big"
	[ $(($(if_stat "$NS_A" va tx_dropped) - drop0)) -eq 1 ]
	kill -0 "$BG_PID"
	bg_expect "$BG_PID" 0
	run cat "$(T s.err)"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "rawsend: 2 frames, 34 bytes sent on va" ]
	[ "${lines[1]}" = "rawsend: 1 frame dropped by the interface" ]
}

@test "-j: SIGTERM or SIGINT to the parent alone stops every worker; one line with the total" {
	need_lab
	local sig rx0 n kids k
	for sig in TERM INT; do
		rx0=$(rx_packets "$NS_B" vb)
		bg_start s "$NS_A" "$BIN/rawsend" -i va -j 2 -c 1000000000000 Boo
		rx_moves "$NS_B" vb "$rx0"
		kids=$(workers "$BG_PID" 1)
		BG_PIDS+=($kids)
		signal_expect "$BG_PID" "$sig" 0
		for k in $kids; do
			gone "$k"
		done
		cat "$(T s.err)" >&2
		[ "$(wc -l < "$(T s.err)")" -eq 1 ]
		n=$(sed -n 's/^rawsend: interrupted: \([0-9]*\) frames, .*/\1/p' "$(T s.err)")
		[ "$(cat "$(T s.err)")" = "rawsend: interrupted: $n frames, $((n * 17)) bytes sent on va" ]
		[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq "$n" ]
	done
}

@test "-j: a parent killed outright leaves no worker sending" {
	need_lab
	local rx0 kids k
	rx0=$(rx_packets "$NS_B" vb)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -j 2 -c 1000000000000 Boo
	rx_moves "$NS_B" vb "$rx0"
	kids=$(workers "$BG_PID" 1)
	BG_PIDS+=($kids)
	kill -KILL "$BG_PID"
	for k in $kids; do
		gone "$k"
	done
}

@test "-j: the link going down under the workers: one line with the total, exit 2" {
	need_lab
	local rx0 drop0 n
	rx0=$(rx_packets "$NS_B" vb)
	drop0=$(if_stat "$NS_A" va tx_dropped)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -j 2 -c 1000000000000 Boo
	rx_moves "$NS_B" vb "$rx0"
	BG_PIDS+=($(workers "$BG_PID" 1))
	ip -n "$NS_A" link set va down
	bg_expect "$BG_PID" 2
	cat "$(T s.err)" >&2
	[ "$(wc -l < "$(T s.err)")" -eq 1 ]
	n=$(sed -n 's/^rawsend: va: interface went down or away (\([0-9]*\) frames\{0,1\} sent)$/\1/p' \
	    "$(T s.err)")
	[ -n "$n" ]
	[ $(($(rx_packets "$NS_B" vb) - rx0 +
	    $(if_stat "$NS_A" va tx_dropped) - drop0)) -eq "$n" ]
}

@test "rawsend.c is usage, options and glue: short, no poll, no handlers, one dry-run switch" {
	local src=$ROOT/src/rawsend.c
	[ "$(wc -l < "$src")" -lt 600 ]
	run grep -nE '\<(poll|ppoll|select|signalfd|sigaction|signal|clock_nanosleep|nanosleep)\(' "$src"
	echo "# $output" >&2
	[ "$status" -eq 1 ]
	# The functions that look at dry_run: main and the one that opens the
	# queue.
	run awk '/^[a-z_]+\(/ { fn = $0 } fn != "" && /dry_run/ { seen[fn] = 1 }
	    END { for (f in seen) n++; print n }' "$src"
	[ "$output" -le 2 ]
}

@test "--null, --lines and --hex, spelled long: one frame a record, a line, a hex line" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 5
	printf 'a\0b\0' | inA "$BIN/rawsend" -i va --null
	printf 'c\nd\n' | inA "$BIN/rawsend" -i va --lines
	echo 6566 | inA "$BIN/rawsend" -i va --hex
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$(hdr_a)61" "$(hdr_a)62" \
	    "$(hdr_a)63" "$(hdr_a)64" "$(hdr_a)6566")" ]
}

@test "--write and --read, spelled long: a dry run's pcap file goes on the wire" {
	need_lab
	"$BIN/rawsend" --dry-run -c 2 --write "$(T two.pcap)" Boo
	pyrecv_start p "$NS_B" vb 0xeefa 2
	run --separate-stderr -0 inA "$BIN/rawsend" -i va --read "$(T two.pcap)"
	bg_expect "$BG_PID" 0
	# Without -i the dry run knows no source MAC: zeros, sent as they are.
	local f=ffffffffffff000000000000eefa426f6f
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$f" "$f")" ]
}

@test "--jobs and --user, spelled long: the count shared out, sent as nobody" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	pyrecv_start p "$NS_B" vb 0xeefa 4
	run --separate-stderr -0 inA "$BIN/rawsend" -i va --jobs 2 -c 4 --user nobody Boo
	bg_expect "$BG_PID" 0
	[ "$(grep -c "^$(hdr_a)426f6f$" "$(T p.out)")" -eq 4 ]
}

# sent_by ERRFILE: the frame count of rawsend's report.
sent_by() {
	sed -n 's/^rawsend: [a-z: ]*\([0-9]*\) frames\{0,1\}, .*/\1/p' "$1" |
	    tail -1
}

@test "rawsend -x: hex lines with spaces and colons, and hex PAYLOAD arguments" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 4
	printf 'de ad be ef\n00:01:02:03\nCAFE\n' | inA "$BIN/rawsend" -i va -x
	inA "$BIN/rawsend" -i va -x 'ca fe' ba:be
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$(hdr_a)deadbeef" \
	    "$(hdr_a)00010203" "$(hdr_a)cafe" "$(hdr_a)cafebabe")" ]
}

@test "rawsend --vis: escapes undone, one frame per line" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 3
	printf '%s\n' 'a\000b\nc' 'back\\slash\t' 'h\303\251 é' |
	    inA "$BIN/rawsend" -i va --vis
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$(hdr_a)6100620a63" \
	    "$(hdr_a)$(printf 'back\\slash\t' | hex)" \
	    "$(hdr_a)$(printf 'h\303\251 \303\251' | hex)")" ]
}

@test "rawsend -0: NUL-delimited payloads, newlines kept, last one without its NUL" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 4
	printf 'one\0t\nwo\0\0last' | inA "$BIN/rawsend" -i va -0
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$(hdr_a)$(printf one | hex)" \
	    "$(hdr_a)$(printf 't\nwo' | hex)" "$(hdr_a)" \
	    "$(hdr_a)$(printf last | hex)")" ]
}

@test "rawsend --frame: whole frames, in hex or raw, go out exactly as given" {
	need_lab
	local f1=02000000000b02000000000a88b568656c6c6f
	local f2=ffffffffffff0200000000aa08060001080006040001
	local f3=${MAC_B//:/}0200000000cc0800000102ff
	pyrecv_start p "$NS_B" vb any 3
	printf '%s\n' "$f1" "$f2" | inA "$BIN/rawsend" -i va --frame -x
	printf '%s' "$f3" | xxd -r -p | inA "$BIN/rawsend" -i va --frame
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$f1" "$f2" "$f3")" ]
	# A tag goes in after the MACs of a whole frame too.
	run -0 "$BIN/rawsend" --dry-run --frame -x --vlan 3 "$f1"
	[ "$output" = "02000000000b02000000000a8100000388b568656c6c6f$(printf '%082d' 0)" ]
}

@test "rawsend --frame: a record shorter than a header is refused by number" {
	need_lab
	expect_error "rawsend: line 1: shorter than an Ethernet header (14 bytes); 0 frames sent" \
	    sh -c "echo 0102 | '$BIN/rawsend' -i va --frame -x"
}

@test "rawsend --pad: 60 bytes on the wire; longer frames untouched; with a tag, 64 in all" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 2
	inA "$BIN/rawsend" -i va --pad hi
	head -c 46 /dev/zero | tr '\0' x | inA "$BIN/rawsend" -i va --pad
	bg_expect "$BG_PID" 0
	mapfile -t got < "$(T p.out)"
	[ "${got[0]}" = "$(hdr_a)6869$(printf '%088d' 0)" ]
	[ "${got[1]}" = "$(hdr_a)$(printf '%046d' 0 | tr 0 x | hex)" ]
	recv_start h "$NS_B" -i vb -t any -c 1 --timeout 5 -o hex
	inA "$BIN/rawsend" -i va --pad --vlan 9:2 hi
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T h.out)")" = \
	    "ffffffffffff${MAC_A//:/}81004009eefa6869$(printf '%088d' 0)" ]
}

@test "rawsend --vlan: tiny tagged payloads arrive, padded to 64 bytes; --no-pad sends them as given" {
	need_lab
	local n
	# A receiving kernel drops tagged frames under 20 bytes: without the
	# padding, payloads of 0 and 1 byte exit 0 and never arrive.
	recv_start r "$NS_B" -i vb -c 4 --timeout 5 -o hex --vlan 5
	inA "$BIN/rawsend" -i va --vlan 5 < /dev/null
	inA "$BIN/rawsend" -i va --vlan 5 x
	inA "$BIN/rawsend" -i va --vlan 5 -x 0102
	head -c 46 /dev/zero | tr '\0' y | inA "$BIN/rawsend" -i va --vlan 5
	bg_expect "$BG_PID" 0
	mapfile -t got < "$(T r.out)"
	[ "${got[0]}" = "ffffffffffff${MAC_A//:/}81000005eefa$(printf '%092d' 0)" ]
	[ "${got[1]}" = "ffffffffffff${MAC_A//:/}81000005eefa78$(printf '%090d' 0)" ]
	[ "${got[2]}" = "ffffffffffff${MAC_A//:/}81000005eefa0102$(printf '%088d' 0)" ]
	[ "${got[3]}" = "ffffffffffff${MAC_A//:/}81000005eefa$(printf '%046d' 0 | tr 0 y | hex)" ]
	# --frame records with a tag of their own, 802.1Q or 802.1ad, too.
	recv_start r "$NS_B" -i vb -t any -c 2 --timeout 5 -o hex
	inA "$BIN/rawsend" -i va --frame -x "ffffffffffff${MAC_A//:/}81000007eefa"
	inA "$BIN/rawsend" -i va --frame -x "ffffffffffff${MAC_A//:/}88a80007eefa01"
	bg_expect "$BG_PID" 0
	mapfile -t got < "$(T r.out)"
	[ "${got[0]}" = "ffffffffffff${MAC_A//:/}81000007eefa$(printf '%092d' 0)" ]
	[ "${got[1]}" = "ffffffffffff${MAC_A//:/}88a80007eefa01$(printf '%090d' 0)" ]
	# --no-pad: as given; the kernel over there drops the 18-byte one.
	run -0 "$BIN/rawsend" --dry-run --no-pad --vlan 5 x
	[ "$output" = "ffffffffffff00000000000081000005eefa78" ]
	recv_start r "$NS_B" -i vb -c 2 --timeout 3 -o hex --vlan 5
	inA "$BIN/rawsend" -i va --vlan 5 --no-pad < /dev/null
	inA "$BIN/rawsend" -i va --vlan 5 --no-pad -x 0102
	bg_expect "$BG_PID" 1
	[ "$(cat "$(T r.out)")" = "ffffffffffff${MAC_A//:/}81000005eefa0102" ]
	expect_error "rawsend: --pad and --no-pad exclude one another (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --pad --no-pad x
}

@test "rawsend --dry-run opens no socket: nobody may run it, and nothing reaches the wire" {
	need_lab
	local before after
	before="$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)"
	run --separate-stderr -0 inA "${AS_NOBODY[@]}" "$BIN/rawsend" -i va --dry-run \
	    -c 2 --vlan 5 hello
	after="$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)"
	[ "$before" = "$after" ]
	[ -z "$stderr" ]
	[ "$output" = "$(printf '%s\n' \
	    "ffffffffffff${MAC_A//:/}81000005eefa68656c6c6f$(printf '%082d' 0)" \
	    "ffffffffffff${MAC_A//:/}81000005eefa68656c6c6f$(printf '%082d' 0)")" ]
	# The same command without --dry-run needs the privilege it lacks.
	run --separate-stderr -2 inA "${AS_NOBODY[@]}" "$BIN/rawsend" -i va hello
	[ "$stderr" = "rawsend: cannot open a packet socket: Operation not permitted (needs root or CAP_NET_RAW)" ]
}

@test "rawsend -r --timing keeps the recorded gaps; without it frames go at once" {
	need_lab
	local h
	h=$(hdr_a)
	printf '%s\n' "1000000000000000000 ${h}01" \
	    "1000000000200000000 ${h}02" "1000000000500000000 ${h}03" \
	    "1000000000600000000 ${h}04" | mkpcap "$(T t.pcap)"
	# The gaps each frame should keep, checked from receive times.
	check_gaps() {
		"$PY" - "$1" "$2" <<'EOF'
import json, sys
ts = [json.loads(l)["ts_ns"] for l in open(sys.argv[1])]
assert len(ts) == 4, ts
gaps = [(b - a) / 1e9 for a, b in zip(ts, ts[1:])]
want = [0.2, 0.3, 0.1] if sys.argv[2] == "timing" else [0, 0, 0]
for g, w in zip(gaps, want):
    assert w - 0.01 <= g <= w + 0.15, (gaps, want)
print("ok", gaps)
EOF
	}
	recv_start r "$NS_B" -i vb -c 4 --timeout 5 -o json
	run -0 inA "$BIN/rawsend" -i va -r "$(T t.pcap)" --timing
	bg_expect "$BG_PID" 0
	check_gaps "$(T r.out)" timing
	recv_start f "$NS_B" -i vb -c 4 --timeout 5 -o json
	run -0 inA "$BIN/rawsend" -i va -r "$(T t.pcap)"
	bg_expect "$BG_PID" 0
	check_gaps "$(T f.out)" fast
	# A dry run keeps them too, without privileges: its pcap records
	# the times the frames would have left.
	"${AS_NOBODY[@]}" "$BIN/rawsend" --dry-run -r - --timing -w - < "$(T t.pcap)" |
	    "$BIN/rawrecv" -r - -o json > "$(T d.out)"
	check_gaps "$(T d.out)" timing
}

@test "rawsend --rate paces frames evenly" {
	need_lab
	recv_start r "$NS_B" -i vb -c 11 --timeout 5 -o json
	run -0 inA "$BIN/rawsend" -i va -c 11 --rate 50 x
	bg_expect "$BG_PID" 0
	"$PY" - "$(T r.out)" <<'EOF'
import json, sys
ts = [json.loads(l)["ts_ns"] for l in open(sys.argv[1])]
span = (ts[-1] - ts[0]) / 1e9
assert 0.19 <= span <= 0.35, span
print("ok", span)
EOF
}

@test "rawsend -x: odd or non-hex digits, in arguments and lines: exit 2, one line, nothing sent" {
	need_lab
	expect_error "rawsend: invalid PAYLOAD 'abc': odd number of hex digits" \
	    "$BIN/rawsend" -i va -x abc
	expect_error "rawsend: invalid PAYLOAD 'zz': not hex (0-9 a-f, spaces and colons only)" \
	    "$BIN/rawsend" -i va -x zz
	expect_error "rawsend: invalid PAYLOAD 'a bc': odd number of hex digits in a byte" \
	    "$BIN/rawsend" -i va -x 'a bc'
	expect_error "rawsend: line 1: not hex (0-9 a-f, spaces and colons only); 0 frames sent" \
	    sh -c "printf '0x41\n' | '$BIN/rawsend' -i va -x"
	expect_error "rawsend: line 1: odd number of hex digits; 0 frames sent" \
	    sh -c "printf '414\n42\n' | '$BIN/rawsend' -i va -x"
}

@test "rawsend -x: a bad line after good ones names its number and the frames sent" {
	need_lab
	pyrecv_start p "$NS_B" vb 0xeefa 3 1
	run --separate-stderr -2 inA sh -c "printf '41\n42\nzz\n43\n' | '$BIN/rawsend' -i va -x"
	[ "$stderr" = "rawsend: line 3: not hex (0-9 a-f, spaces and colons only); 2 frames sent" ]
	[ -z "$output" ]
	bg_expect "$BG_PID" 1
	[ "$(cat "$(T p.out)")" = "$(printf '%s\n' "$(hdr_a)41" "$(hdr_a)42")" ]
}

@test "rawsend --vis: bad escapes are refused, not guessed at" {
	need_lab
	local bad want
	local -A why=(
		['\q']="unknown escape '\\q'"
		['ab\']="backslash at the end (write \\\\ for one)"
		['\x']="incomplete escape '\\x' (hex digits expected)"
		['\M']="incomplete escape '\\M' (\\M-c or \\M^c expected)"
		['\^']="incomplete escape '\\^'"
		['\400']="octal escape above \\377"
		['\8']="unknown escape '\\8'"
	)
	for bad in "${!why[@]}"; do
		expect_error "rawsend: line 1: ${why[$bad]}; 0 frames sent" \
		    sh -c "printf '%s\n' '$bad' | '$BIN/rawsend' -i va --vis"
		# Quoted as frames are shown: a backslash doubled.
		expect_error "rawsend: invalid PAYLOAD '${bad//\\/\\\\}': ${why[$bad]}" \
		    "$BIN/rawsend" -i va --vis "$bad"
	done
}

@test "rawsend --vlan out of range or junk: exit 2, one line, nothing sent" {
	need_lab
	expect_error "rawsend: invalid --vlan '4095': VLAN ID too large (0 to 4094)" \
	    "$BIN/rawsend" -i va --vlan 4095 x
	expect_error "rawsend: invalid --vlan '9:8': priority too large (0 to 7)" \
	    "$BIN/rawsend" -i va --vlan 9:8 x
	expect_error "rawsend: invalid --vlan 'junk': VLAN ID not a decimal number (0 to 4094)" \
	    "$BIN/rawsend" -i va --vlan junk x
	expect_error "rawsend: invalid --vlan '-1': VLAN ID not a decimal number (0 to 4094)" \
	    "$BIN/rawsend" -i va --vlan -1 x
	expect_error "rawsend: invalid --vlan '5:': priority not a decimal number (0 to 7)" \
	    "$BIN/rawsend" -i va --vlan 5: x
	expect_error "rawrecv: invalid VLAN ID '4095': too large (0 to 4094)" \
	    "$BIN/rawrecv" -i va --vlan 4095
	expect_error "rawrecv: invalid VLAN ID '1:2': not a decimal number (0 to 4094)" \
	    "$BIN/rawrecv" -i va --vlan 1:2
}

@test "rawsend: options that exclude one another: exit 2, one line, nothing sent" {
	need_lab
	expect_error "rawsend: -w writes what would be sent: it needs --dry-run (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -w "$(T x.pcap)" x
	[ ! -e "$(T x.pcap)" ]
	expect_error "rawsend: --timing needs -r FILE (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --timing x
	expect_error "rawsend: --interval and --rate exclude one another (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va --interval 1 --rate 5 x
	printf '%s\n' "1 $(hdr_a)01" | mkpcap "$(T f.pcap)"
	expect_error "rawsend: -r sends the frames of a file; give no PAYLOAD, -l, -x, -0, --vis or --json (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -r "$(T f.pcap)" x
	expect_error "rawsend: -r sends the frames of a file; give no PAYLOAD, -l, -x, -0, --vis or --json (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -r "$(T f.pcap)" -x
	expect_error "rawsend: -l, -x, -0, --vis and --json exclude one another (see 'rawsend --help')" \
	    "$BIN/rawsend" -i va -x --vis
}

@test "rawsend: no capability left while it waits for its first byte of input" {
	need_lab
	local rx0
	mkfifo "$(T in)"
	bg_start_in s "$NS_A" "$(T in)" "$BIN/rawsend" -i va -l
	exec 5> "$(T in)"
	blocked_on_stdin "$BG_PID"
	no_caps "$BG_PID"
	# ... and then sends what comes.
	rx0=$(rx_packets "$NS_B" vb)
	echo one >&5
	rx_moves "$NS_B" vb "$rx0"
	exec 5>&-
	bg_expect "$BG_PID" 0
}

@test "rawsend: SIGINT and SIGTERM mid-run stop it cleanly, reporting what the kernel took" {
	need_lab
	local sig rx0 n
	for sig in INT TERM; do
		rx0=$(rx_packets "$NS_B" vb)
		bg_start s "$NS_A" "$BIN/rawsend" -i va -c 1000000000000 Boo
		rx_moves "$NS_B" vb "$rx0"
		signal_expect "$BG_PID" "$sig" 0
		n=$(sent_by "$(T s.err)")
		[ "$(cat "$(T s.err)")" = "rawsend: interrupted: $n frames, $((n * 17)) bytes sent on va" ]
		# Every frame it counts reached the peer; none it did not.
		[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq "$n" ]
	done
}

@test "rawsend -l waiting for a line that does not come: SIGTERM ends it at once" {
	need_lab
	local rx0
	mkfifo "$(T in)"
	rx0=$(rx_packets "$NS_B" vb)
	bg_start_in s "$NS_A" "$(T in)" "$BIN/rawsend" -i va -l
	exec 5> "$(T in)"
	echo one >&5
	rx_moves "$NS_B" vb "$rx0"
	blocked_on_stdin "$BG_PID"
	signal_expect "$BG_PID" TERM 0
	[ "$(cat "$(T s.err)")" = "rawsend: interrupted: 1 frame, 17 bytes sent on va" ]
}

@test "rawsend: SIGTERM stops it even when its input never makes it wait (-0 < /dev/zero)" {
	need_lab
	local rx0 n
	rx0=$(rx_packets "$NS_B" vb)
	# Endless empty records, and reads that never block.
	bg_start_in s "$NS_A" /dev/zero "$BIN/rawsend" -i va -0
	rx_moves "$NS_B" vb "$rx0"
	signal_expect "$BG_PID" TERM 0
	n=$(sent_by "$(T s.err)")
	[ "$(cat "$(T s.err)")" = "rawsend: interrupted: $n frames, $((n * 14)) bytes sent on va" ]
	[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq "$n" ]
}

@test "rawsend --timing: a long recorded gap holds off neither SIGUSR1 nor SIGTERM" {
	need_lab
	local rx0
	# Two frames 1000 seconds apart.
	"$PY" -c 'import struct, sys
frame = bytes.fromhex("ffffffffffff020000000001eefa426f6f")
out = sys.stdout.buffer
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for sec in (1000, 2000):
    out.write(struct.pack("<IIII", sec, 0, len(frame), len(frame)) + frame)' \
	    > "$(T gap.pcap)"
	rx0=$(rx_packets "$NS_B" vb)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -r "$(T gap.pcap)" --timing
	rx_moves "$NS_B" vb "$rx0"
	kill -USR1 "$BG_PID"
	wait_for_line "$(T s.err)" '^rawsend: 1 frame, 17 bytes sent on va$'
	signal_expect "$BG_PID" TERM 0
	run cat "$(T s.err)"
	[ "${lines[1]}" = "rawsend: interrupted: 1 frame, 17 bytes sent on va" ]
	[ "$(rx_packets "$NS_B" vb)" -eq $((rx0 + 1)) ]
}

@test "rawsend: SIGUSR1 prints progress and it goes on" {
	need_lab
	local rx0 n i
	rx0=$(rx_packets "$NS_B" vb)
	bg_start s "$NS_A" "$BIN/rawsend" -i va -c 1000000000000 Boo
	rx_moves "$NS_B" vb "$rx0"
	kill -USR1 "$BG_PID"
	wait_for_line "$(T s.err)" '^rawsend: [0-9]+ frames, [0-9]+ bytes sent on va$'
	n=$(sent_by "$(T s.err)")
	[ "$n" -gt 0 ]
	# Still sending after the report.
	rx0=$(rx_packets "$NS_B" vb)
	rx_moves "$NS_B" vb "$rx0"
	kill -0 "$BG_PID"
	signal_expect "$BG_PID" TERM 0
	run cat "$(T s.err)"
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[1]} == "rawsend: interrupted: "* ]]
	[ "$(sent_by "$(T s.err)")" -gt "$n" ]
}

@test "rawsend: its interface going down mid-run: exit 2, reporting what the kernel took" {
	need_lab
	extra_pair
	local rx0 drop0 n
	rx0=$(rx_packets "$NS_B" hy)
	drop0=$(inA cat /sys/class/net/hx/statistics/tx_dropped)
	bg_start s "$NS_A" "$BIN/rawsend" -i hx -c 1000000000000 Boo
	rx_moves "$NS_B" hy "$rx0"
	ip -n "$NS_A" link set hx down
	bg_expect "$BG_PID" 2
	n=$(sed -n 's/^rawsend: hx: interface went down or away (\([0-9]*\) frames sent)$/\1/p' \
	    "$(T s.err)")
	cat "$(T s.err)" >&2
	[ "$(wc -l < "$(T s.err)")" -eq 1 ]
	[ -n "$n" ]
	# Delivered, or dropped by the veth as it went down: nothing the
	# count includes is unaccounted for.
	[ $(($(rx_packets "$NS_B" hy) - rx0 +
	    $(inA cat /sys/class/net/hx/statistics/tx_dropped) - drop0)) -eq "$n" ]
}

@test "rawsend: its interface deleted mid-run: exit 2 with one line" {
	need_lab
	extra_pair
	local rx0
	rx0=$(rx_packets "$NS_B" hy)
	bg_start s "$NS_A" "$BIN/rawsend" -i hx -c 1000000000000 Boo
	rx_moves "$NS_B" hy "$rx0"
	ip -n "$NS_A" link del hx
	bg_expect "$BG_PID" 2
	cat "$(T s.err)" >&2
	[ "$(wc -l < "$(T s.err)")" -eq 1 ]
	grep -qE '^rawsend: hx: interface went down or away \([0-9]+ frames sent\)$' \
	    "$(T s.err)"
}
