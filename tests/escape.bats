#!/usr/bin/env bats
# No raw byte from the user or the link on any terminal: option letters,
# file names, interface names (from -i, RAWSOCK_IFACE and the kernel),
# arguments and payloads all reach standard error and the text formats on
# standard output through the one escaping function (escape_text, shown()),
# which also escapes the invisible and bidirectional code points
# U+200B-U+200F, U+2028-U+202E, U+2066-U+2069 and U+FEFF.

load helpers

unset RAWSOCK_IFACE

# Interface names the kernel takes, full of what a terminal acts on. Two
# veth pairs that are up (E-D and F-R), one that stays down (W, peer wp)
# and a tun device (T), which is not Ethernet; all in NS_A.
IE=$'e\e[2Jx'
ID=$'d\x7fx'
IF=$'f\xffx'
IR=$'r\xe2\x80\xaex'
IW=$'w\e]0;t\ax'
IT=$'t\e[7mx'
# The same, as messages must show them.
SE='e\033[2Jx'
SD='d\177x'
SF='f\377x'
SR='r\342\200\256x'
SW='w\033]0;t\007x'
ST='t\033[7mx'

setup_file() {
	lab_setup
	is_root || return 0
	ip -n "$NS_A" link add "$IE" type veth peer name "$ID"
	ip -n "$NS_A" link add "$IF" type veth peer name "$IR"
	ip -n "$NS_A" link add "$IW" type veth peer name wp
	ip -n "$NS_A" tuntap add name "$IT" mode tun
	local i
	for i in "$IE" "$ID" "$IF" "$IR" "$IT"; do
		ip -n "$NS_A" link set "$i" up
	done
}

teardown_file() { lab_teardown; }

teardown() {
	bg_cleanup
	if [ -n "${NS_A:-}" ]; then
		ip -n "$NS_A" link del "$IGONE" 2>/dev/null || true
		ip -n "$NS_A" link del "$IO" 2>/dev/null || true
	fi
}

# Made for the link-gone tests and removed in teardown.
IGONE=$'g\e[5mx'
SGONE='g\033[5mx'

APPS=(rawsend rawrecv rawsniff-arp rawecho rawping)

# text_clean FILE...: every line of each FILE is text fit for a terminal:
# valid UTF-8 with no C0 control (the newline ends lines), no DEL, no C1
# control and none of the invisible or bidirectional code points. A file
# NAME may have NAME.cmd beside it, the command that wrote it.
text_clean() {
	"$PY" - "$@" <<'EOF'
import os, re, sys
bad = re.compile('[\x00-\x1f\x7f\x80-\x9f\u200b-\u200f\u2028-\u202e'
                 '\u2066-\u2069\ufeff]')
ok = True
for name in sys.argv[1:]:
    with open(name, 'rb') as f:
        data = f.read()
    for n, line in enumerate(data.split(b'\n'), 1):
        why = None
        try:
            m = bad.search(line.decode('utf-8'))
            if m:
                why = 'U+%04X' % ord(m.group())
        except UnicodeDecodeError:
            why = 'invalid UTF-8'
        if why:
            ok = False
            cmd = ''
            if os.path.exists(name + '.cmd'):
                cmd = open(name + '.cmd', 'rb').read().decode('ascii',
                                                              'replace')
            print('# %s line %d: %s in %r\n#   from %s' % (name, n, why,
                  line[:160], cmd.strip()), file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}

# one_line WANT CMD...: CMD exits 2 with exactly the line WANT on stderr
# and nothing on stdout. Runs in NS_A when there is a lab, and is killed
# if it outlives WAIT_MAX.
one_line() {
	local want=$1
	shift
	if [ -n "${NS_A:-}" ]; then
		run --separate-stderr timeout "$WAIT_MAX" \
		    ip netns exec "$NS_A" "$@" < /dev/null
	else
		run --separate-stderr timeout "$WAIT_MAX" "$@" < /dev/null
	fi
	printf '# %s\n# status %s, stdout [%s]\n# stderr [%s]\n# want   [%s]\n' \
	    "$*" "$status" "$output" "$stderr" "$want" >&2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$stderr" = "$want" ]
}

#
# 4. Raw bytes from argv, the environment, file and interface names
#

@test "a bad short option is shown escaped: ESC, a newline, 0xff, DEL, a C1 lead" {
	local a
	for a in "${APPS[@]}"; do
		one_line "$a: unknown option '-\\033' (see '$a --help')" \
		    "$BIN/$a" -$'\e'
		one_line "$a: unknown option '-\\n' (see '$a --help')" \
		    "$BIN/$a" -$'\n'
		one_line "$a: unknown option '-\\377' (see '$a --help')" \
		    "$BIN/$a" -$'\xff'
		one_line "$a: unknown option '-\\177' (see '$a --help')" \
		    "$BIN/$a" -$'\x7f'
		one_line "$a: unknown option '-\\302' (see '$a --help')" \
		    "$BIN/$a" -$'\xc2\x9b'
	done
}

@test "file names that cannot be opened are shown escaped (-r, -w, --dry-run -w)" {
	need_lab
	local p s
	p="$BATS_TEST_TMPDIR/"$'no\e[2Jdir\n/f\xe2\x80\xae\xff'
	s="$BATS_TEST_TMPDIR/"'no\033[2Jdir\n/f\342\200\256\377'
	one_line "rawsend: $s: No such file or directory" \
	    "$BIN/rawsend" --dry-run -r "$p"
	one_line "rawsend: $s: No such file or directory" \
	    "$BIN/rawsend" -i va -r "$p"
	one_line "rawsend: $s: No such file or directory" \
	    "$BIN/rawsend" --dry-run -w "$p" Boo
	one_line "rawrecv: $s: No such file or directory" \
	    "$BIN/rawrecv" -r "$p"
	one_line "rawrecv: $s: No such file or directory" \
	    "$BIN/rawrecv" -i va -w "$p"
	one_line "rawrecv: $s: No such file or directory" \
	    "$BIN/rawrecv" -i va -j 2 -w "$p"
}

@test "file names in errors about their contents are shown escaped" {
	local p s
	p="$BATS_TEST_TMPDIR/"$'bad\e]0;x\a\xe2\x80\xae'
	s="$BATS_TEST_TMPDIR/"'bad\033]0;x\007\342\200\256'
	echo "not a pcap file at all, no" > "$p"
	run --separate-stderr "$BIN/rawsend" --dry-run -r "$p"
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "rawsend: $s: "* ]]
	run --separate-stderr "$BIN/rawrecv" -r "$p"
	[ "$status" -eq 2 ]
	[[ $stderr == "rawrecv: $s: "* ]]
	# A record cut short, and a frame too short to send.
	"$BIN/rawsend" --dry-run -w "$p" Boo
	truncate -s -2 "$p"
	run --separate-stderr "$BIN/rawsend" --dry-run -r "$p"
	[ "$status" -eq 2 ]
	[[ $stderr == "rawsend: $s: record 1: "* ]]
	run --separate-stderr "$BIN/rawrecv" -r "$p"
	[ "$status" -eq 2 ]
	[[ $stderr == "rawrecv: $s: record 1: "* ]]
	"$PY" -c 'import struct, sys
sys.stdout.buffer.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0,
    65535, 1) + struct.pack("<IIII", 0, 0, 3, 3) + b"abc")' > "$p"
	run --separate-stderr "$BIN/rawsend" --dry-run -r "$p"
	[ "$status" -eq 2 ]
	[[ $stderr == "rawsend: $s: record 1: "* ]]
}

@test "write errors name the file escaped" {
	local p s
	p="$BATS_TEST_TMPDIR/"$'full\e[2J\n'
	s="$BATS_TEST_TMPDIR/"'full\033[2J\n'
	ln -s /dev/full "$p"
	"$BIN/rawsend" --dry-run -w "$(T ok.pcap)" Boo
	one_line "rawsend: write error on $s: No space left on device" \
	    "$BIN/rawsend" --dry-run -w "$p" Boo
	one_line "rawrecv: write error on $s: No space left on device" \
	    "$BIN/rawrecv" -r "$(T ok.pcap)" -w "$p"
}

@test "an interface that is down, from -i and RAWSOCK_IFACE, is named escaped" {
	need_lab
	local a
	for a in "${APPS[@]}"; do
		one_line "$a: $SW: interface is down" "$BIN/$a" -i "$IW"
		# rawsniff-arp listens on every interface without -i.
		[ "$a" = rawsniff-arp ] && continue
		one_line "$a: $SW: interface is down" \
		    env RAWSOCK_IFACE="$IW" "$BIN/$a"
	done
	one_line "rawsend: $SW: interface is down" "$BIN/rawsend" -i "$IW" Boo
}

@test "an interface that is not Ethernet is named escaped" {
	need_lab
	local a
	for a in "${APPS[@]}"; do
		one_line "$a: $ST: not an Ethernet interface" \
		    "$BIN/$a" -i "$IT"
	done
}

@test "readiness lines name the interface escaped (rawrecv, -j, rawecho, rawsniff-arp)" {
	need_lab
	run --separate-stderr inA "$BIN/rawrecv" -i "$IE" --timeout 0.2
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "rawrecv: listening on $SE, ethertype 0xeefa" ]
	run --separate-stderr inA "$BIN/rawrecv" -i "$IR" -t any -j 2 \
	    --timeout 0.2
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "rawrecv: listening on $SR, ethertype any, 2 jobs" ]
	run --separate-stderr inA "$BIN/rawecho" -i "$ID" --timeout 0.2
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "rawecho: listening on $SD, ethertype 0xeefa" ]
	run --separate-stderr inA "$BIN/rawsniff-arp" -i "$IF" --timeout 0.2
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "rawsniff-arp: listening on $SF" ]
}

@test "rawsend -v, and its MTU error, name the interface escaped" {
	need_lab
	run --separate-stderr inA "$BIN/rawsend" -v -i "$IE" Boo
	[ "$status" -eq 0 ]
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on $SE" ]
	run --separate-stderr inA env RAWSOCK_IFACE="$IR" "$BIN/rawsend" -v Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes sent on $SR" ]
	run --separate-stderr inA "$BIN/rawsend" --dry-run -v -i "$IE" Boo
	[ "$stderr" = "rawsend: 1 frame, 17 bytes written for $SE" ]
	head -c 1501 /dev/zero > "$(T big)"
	run --separate-stderr inA "$BIN/rawsend" -i "$IE" < "$(T big)"
	[ "$status" -eq 2 ]
	[ "$stderr" = "rawsend: payload from standard input exceeds the MTU of $SE (1500 bytes); 0 frames sent" ]
}

@test "rawping's header line on stdout, and its MTU error, name the interface escaped" {
	need_lab
	local mac
	mac=$(inA cat /sys/class/net/"$IE"/address)
	run --separate-stderr inA "$BIN/rawping" -i "$IE" -c 1 -W 0.2
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "RAWPING ff:ff:ff:ff:ff:ff from $mac $SE, ethertype 0xeefa: 46 bytes of payload" ]
	one_line "rawping: size 2000 exceeds the MTU of $SE (1500 bytes)" \
	    "$BIN/rawping" -i "$IE" -s 2000
}

@test "an interface deleted under rawrecv is named escaped (report_link_gone)" {
	need_lab
	ip -n "$NS_A" link add "$IGONE" type veth peer name gp
	ip -n "$NS_A" link set "$IGONE" up
	ip -n "$NS_A" link set gp up
	bg_start r "$NS_A" "$BIN/rawrecv" -i "$IGONE" -t any --timeout 10
	wait_for_line "$(T r.err)" "listening on"
	ip -n "$NS_A" link del "$IGONE"
	bg_expect "$BG_PID" 2
	run cat "$(T r.err)"
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[1]} =~ ^rawrecv:\ g\\033\[5mx:\ interface\ went\ down\ or\ away\ \(0\ frames\ received\)$ ]]
}

@test "an interface going down under rawsend is named escaped" {
	need_lab
	ip -n "$NS_A" link add "$IGONE" type veth peer name gp
	ip -n "$NS_A" link set "$IGONE" up
	ip -n "$NS_A" link set gp up
	local rx0
	rx0=$(rx_packets "$NS_A" gp)
	bg_start s "$NS_A" "$BIN/rawsend" -i "$IGONE" -c 1000000000000 Boo
	rx_moves "$NS_A" gp "$rx0"
	ip -n "$NS_A" link set "$IGONE" down
	bg_expect "$BG_PID" 2
	cat "$(T s.err)" >&2
	[ "$(wc -l < "$(T s.err)")" -eq 1 ]
	grep -qE "^rawsend: g\\\\033\\[5mx: interface went down or away \([0-9]+ frames sent\)$" \
	    "$(T s.err)"
}

@test "a filter libpcap refuses: its message is escaped too" {
	run --separate-stderr "$BIN/rawrecv" -r /dev/null "ether host "$'\e[2J'
	[ "$status" -eq 2 ]
	[[ $stderr == "rawrecv: invalid filter 'ether host \\033[2J': "* ]]
	text_clean <(printf '%s\n' "$stderr")
}

#
# 5. Invisible and bidirectional code points
#

# Every listed code point, each between two letters.
INVIS=$'a\u200bb\u200cc\u200dd\u200ee\u200ff\u2028g\u2029h\u202ai\u202bj\u202ck\u202dl\u202em\u2066n\u2067o\u2068p\u2069q\ufeffr'
INVIS_SHOWN='a\342\200\213b\342\200\214c\342\200\215d\342\200\216e\342\200\217f\342\200\250g\342\200\251h\342\200\252i\342\200\253j\342\200\254k\342\200\255l\342\200\256m\342\201\246n\342\201\247o\342\201\250p\342\201\251q\357\273\277r'

@test "invisible and bidirectional code points in payloads: escaped in rawpacket, --ts and vis; vis gives them back" {
	need_lab
	printf '%s' "$INVIS" > "$(T payload)"
	[ "$(wc -c < "$(T payload)")" -eq 69 ]
	local f pids=()
	for f in rawpacket vis; do
		recv_start "$f" "$NS_B" -i vb -c 1 --timeout 10 -o "$f"
		pids+=("$BG_PID")
	done
	recv_start ts "$NS_B" -i vb -c 1 --timeout 10 --ts
	pids+=("$BG_PID")
	echo_start e "$NS_B" -i vb -c 1 --timeout 10
	pids+=("$BG_PID")
	run -0 inA "$BIN/rawsend" -i va < "$(T payload)"
	for f in "${pids[@]}"; do
		bg_expect "$f" 0
	done
	[ "$(cat "$(T vis.out)")" = "$INVIS_SHOWN" ]
	[ "$(sed -n 2p "$(T rawpacket.out)")" = "$INVIS_SHOWN" ]
	[ "$(sed -n 2p "$(T ts.out)")" = "$INVIS_SHOWN" ]
	[ "$(sed -n 2p "$(T e.out)")" = "$INVIS_SHOWN" ]
	text_clean "$(T vis.out)" "$(T rawpacket.out)" "$(T ts.out)" \
	    "$(T e.out)"
	# rawrecv -o vis | rawsend --vis: the same payload again.
	recv_start raw "$NS_B" -i vb -c 1 --timeout 10 -o raw
	run -0 inA "$BIN/rawsend" -i va --vis < "$(T vis.out)"
	bg_expect "$BG_PID" 0
	cmp "$(T payload)" "$(T raw.out)"
}

@test "invisible and bidirectional code points in a pcap file: escaped by rawrecv -r; vis gives them back" {
	printf '%s' "$INVIS" > "$(T payload)"
	"$BIN/rawsend" --dry-run -w "$(T p.pcap)" < "$(T payload)"
	"$BIN/rawrecv" -r "$(T p.pcap)" -o vis > "$(T vis.out)"
	[ "$(cat "$(T vis.out)")" = "$INVIS_SHOWN" ]
	"$BIN/rawrecv" -r "$(T p.pcap)" > "$(T rp.out)"
	[ "$(sed -n 2p "$(T rp.out)")" = "$INVIS_SHOWN" ]
	run -0 "$BIN/rawsend" --dry-run --vis < "$(T vis.out)"
	[ "${output:28}" = "$(od -An -v -tx1 < "$(T payload)" | tr -d ' \n')" ]
}

@test "invisible and bidirectional code points in arguments: escaped in messages" {
	one_line "rawsend: invalid MAC address '$INVIS_SHOWN'" \
	    "$BIN/rawsend" --dry-run -d "$INVIS"
	one_line "rawecho: unexpected argument '$INVIS_SHOWN' (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va "$INVIS"
}

#
# Every applet, every hostile argument: no control byte on a terminal
#

# What a terminal acts on, or what hides text: ESC sequences (CSI, OSC
# ended by BEL and by ST), a newline, the other C0 controls, DEL, a C1
# CSI as UTF-8 and as a bare byte, invalid UTF-8 (0xff, an overlong, a
# surrogate), the invisible and bidirectional code points, and every byte
# from 0x01 to 0xff in one argument (an argument cannot hold a NUL).
ALL=$(printf "$(printf '\\%03o' $(seq 1 255))")
HOSTILE=(
	$'\e[2J\e]0;pwned\a\e]8;;http://x/\e\\'
	$'one\ntwo'
	$'\r\t\b\v\f\x01\x1f'
	$'\x7f'
	$'\xc2\x9b31m'
	$'\x9b'
	$'\xff\xfe\xc0\xaf\xed\xa0\x80'
	$'\xe2\x80\xae'
	$'\xef\xbb\xbf'
	"$INVIS"
	"$ALL"
)

# sweep CMD...: runs CMD in NS_A, standard input from SWEEP_IN (default
# /dev/null), killed after 5 seconds; keeps its stdout and stderr as
# $SWEEP/N.out and N.err (with N.out.cmd and N.err.cmd naming CMD) for
# text_clean. Exit statuses do not matter here, only what was printed.
SWEEP_N=0
sweep() {
	local f="$SWEEP/$SWEEP_N"
	SWEEP_N=$((SWEEP_N + 1))
	printf '%q ' "$@" > "$f.out.cmd"
	cp "$f.out.cmd" "$f.err.cmd"
	timeout 5 ip netns exec "$NS_A" "$@" < "${SWEEP_IN:-/dev/null}" \
	    > "$f.out" 2> "$f.err" 3>&- || true
}

# sweep_check: text_clean over every output sweep kept, bar the formats
# that are bytes by contract (-o raw, pcap), whose commands say so.
sweep_check() {
	local f files=()
	for f in "$SWEEP"/*.out "$SWEEP"/*.err; do
		[[ $f == *.out && -e $f.raw ]] && continue
		files+=("$f")
	done
	echo "# $SWEEP_N commands, ${#files[@]} outputs checked" >&2
	[ "${#files[@]}" -gt 0 ]
	text_clean "${files[@]}"
}

@test "hostile option letters (every byte but letters, digits and '-'): every applet prints clean text" {
	need_lab
	SWEEP=$(T sweep)
	mkdir -p "$SWEEP"
	local a b c
	for a in "${APPS[@]}"; do
		for b in $(seq 1 255); do
			printf -v c "\\$(printf '%03o' "$b")"
			[[ $c == [A-Za-z0-9-] ]] && continue
			sweep "$BIN/$a" -"$c" --timeout 0.1
			sweep "$BIN/$a" -i va -"$c"x --timeout 0.1
		done
	done
	sweep_check
}

@test "hostile arguments in every option, operand, file name and interface name: every applet prints clean text" {
	need_lab
	SWEEP=$(T sweep)
	mkdir -p "$SWEEP" "$(T files)"
	local h nodir="$(T nodir)" f link name
	for h in "${HOSTILE[@]}"; do
		# A file name: no '/', and short enough for the file system.
		name=${h//\//}
		name=${name:0:150}
		f="$(T files)/$name"
		for a in "${APPS[@]}"; do
			sweep "$BIN/$a" --"$h" --timeout 0.1
			sweep "$BIN/$a" --"$h"=1 --timeout 0.1
			sweep "$BIN/$a" -i va --timeout 0.1 -c 1 "$h"
			sweep "$BIN/$a" -i "$h" --timeout 0.1 -c 1
			sweep env RAWSOCK_IFACE="$h" "$BIN/$a" --timeout 0.1
		done
		sweep "$BIN/rawsock" "$h"
		# The applet name from argv[0], as a link of that name.
		link="$(T files)/link-$name"
		ln -sf "$BIN/rawsock" "$link"
		sweep "$link" --timeout 0.1
		# rawsend
		sweep "$BIN/rawsend" --dry-run -i "$h" Boo
		for o in -t -d -s -c -j --interval --rate --vlan -Z; do
			sweep "$BIN/rawsend" -i va "$o" "$h" Boo
		done
		sweep "$BIN/rawsend" --dry-run -r "$f"
		sweep "$BIN/rawsend" -i va -r "$f"
		sweep "$BIN/rawsend" --dry-run -w "$nodir/$h" Boo
		sweep "$BIN/rawsend" --dry-run -x "$h"
		sweep "$BIN/rawsend" --dry-run --frame "$h"
		sweep "$BIN/rawsend" --dry-run -v "$h"
		sweep "$BIN/rawsend" -i va -v "$h"
		printf '%s\n' "$h" > "$(T in)"
		for o in --vis -x -l -0 "--frame -l"; do
			# shellcheck disable=SC2086
			SWEEP_IN=$(T in) sweep "$BIN/rawsend" --dry-run -v $o
		done
		# rawrecv
		for o in -t -c -j -o --timeout --vlan -Z; do
			sweep "$BIN/rawrecv" -i va --timeout 0.1 "$o" "$h"
		done
		sweep "$BIN/rawrecv" -r "$f"
		sweep "$BIN/rawrecv" -r "$nodir/$h"
		sweep "$BIN/rawrecv" -i va -w "$nodir/$h" --timeout 0.1
		sweep "$BIN/rawrecv" -i va -j 2 -w "$nodir/$h" --timeout 0.1
		sweep "$BIN/rawrecv" -r /dev/null "$h"
		sweep "$BIN/rawrecv" -r /dev/null "ether host $h"
		sweep "$BIN/rawrecv" -r /dev/null "ether proto $h"
		sweep "$BIN/rawrecv" -i va --timeout 0.1 "$h"
		# rawsniff-arp
		for o in -c -o --timeout -Z; do
			sweep "$BIN/rawsniff-arp" -i va --timeout 0.1 "$o" "$h"
		done
		# rawecho (never -e: that would run the text)
		for o in -t -r -c -j --guard --handler-timeout --timeout -Z; do
			sweep "$BIN/rawecho" -i va --timeout 0.1 "$o" "$h"
		done
		# rawping
		for o in -d -t -r -c -s -W --interval; do
			sweep "$BIN/rawping" -i va -c 1 -W 0.1 "$o" "$h"
		done
	done
	# Files that exist, named with every hostile text, holding junk.
	"$BIN/rawsend" --dry-run -w "$(T files)/ok.pcap" Boo
	for h in "${HOSTILE[@]}"; do
		name=${h//\//}
		f="$(T files)/${name:0:150}"
		echo "junk, not a pcap file" > "$f"
		sweep "$BIN/rawsend" --dry-run -r "$f"
		sweep "$BIN/rawrecv" -r "$f"
		printf '%s' "$h" | "$BIN/rawsend" --dry-run -w "$f"
		truncate -s -1 "$f"
		sweep "$BIN/rawsend" --dry-run -r "$f"
		sweep "$BIN/rawrecv" -r "$f"
		ln -sf /dev/full "$f"
		sweep "$BIN/rawsend" --dry-run -w "$f" Boo
		sweep "$BIN/rawrecv" -r "$(T files)/ok.pcap" -w "$f"
	done
	sweep_check
}

@test "hostile interface names from the kernel (up, down, not Ethernet, from -i and RAWSOCK_IFACE): every applet prints clean text" {
	need_lab
	SWEEP=$(T sweep)
	mkdir -p "$SWEEP"
	local i
	head -c 1501 /dev/zero > "$(T big)"
	for i in "$IE" "$ID" "$IF" "$IR" "$IW" "$IT"; do
		sweep "$BIN/rawsend" -v -i "$i" Boo
		sweep env RAWSOCK_IFACE="$i" "$BIN/rawsend" -v Boo
		sweep "$BIN/rawsend" --dry-run -v -i "$i" Boo
		SWEEP_IN=$(T big) sweep "$BIN/rawsend" -i "$i"
		SWEEP_IN=$(T big) sweep "$BIN/rawsend" --dry-run -i "$i"
		sweep "$BIN/rawrecv" -i "$i" --timeout 0.2
		sweep env RAWSOCK_IFACE="$i" "$BIN/rawrecv" --timeout 0.2
		sweep "$BIN/rawrecv" -i "$i" -j 2 -t any --timeout 0.2
		sweep "$BIN/rawrecv" -i "$i" -p --timeout 0.2
		sweep "$BIN/rawsniff-arp" -i "$i" --timeout 0.2
		sweep "$BIN/rawecho" -v -i "$i" --timeout 0.2
		sweep env RAWSOCK_IFACE="$i" "$BIN/rawecho" --timeout 0.2
		sweep "$BIN/rawping" -i "$i" -c 2 --interval 0.1 -W 0.1
		sweep env RAWSOCK_IFACE="$i" "$BIN/rawping" -c 1 -W 0.1
		sweep "$BIN/rawping" -i "$i" -s 2000
	done
	sweep_check
}

@test "payloads of every byte 0x00-0xff and the listed code points over hostile interfaces: text formats and messages are clean" {
	need_lab
	SWEEP=$(T sweep)
	mkdir -p "$SWEEP"
	{
		for b in $(seq 0 255); do printf "\\$(printf '%03o' "$b")"; done
		printf '%s' "$INVIS" "$HOSTILE"
	} > "$(T payload)"
	local f pids=() n=0
	# Receivers on ID, the far end of IE; rawecho answers on IR.
	for f in rawpacket vis hex json; do
		bg_start "r$n" "$NS_A" "$BIN/rawrecv" -i "$ID" -c 2 --timeout 10 -o "$f"
		wait_for_line "$(T "r$n.err")" "listening on"
		pids+=("$BG_PID") n=$((n + 1))
	done
	bg_start "r$n" "$NS_A" "$BIN/rawrecv" -i "$ID" -c 2 --timeout 10 --ts
	wait_for_line "$(T "r$n.err")" "listening on"
	pids+=("$BG_PID") n=$((n + 1))
	bg_start "r$n" "$NS_A" "$BIN/rawrecv" -i "$ID" -c 2 -j 2 --timeout 10
	wait_for_line "$(T "r$n.err")" "listening on"
	pids+=("$BG_PID") n=$((n + 1))
	bg_start "r$n" "$NS_A" "$BIN/rawecho" -i "$IR" -c 1 -v --timeout 10
	wait_for_line "$(T "r$n.err")" "listening on"
	pids+=("$BG_PID") n=$((n + 1))
	for f in block line json; do
		bg_start "r$n" "$NS_A" "$BIN/rawsniff-arp" -i "$ID" -c 1 \
		    --timeout 10 -o "$f"
		wait_for_line "$(T "r$n.err")" "listening on"
		pids+=("$BG_PID") n=$((n + 1))
	done
	sweep "$BIN/rawsend" -v -i "$IE" -c 2 --rate 100 -r /dev/null
	SWEEP_IN=$(T payload) sweep "$BIN/rawsend" -v -i "$IE" -c 2
	# An ARP frame whose addresses are escape bytes, for rawsniff-arp.
	sweep "$BIN/rawsend" -v -i "$IE" -t arp -x \
	    "00010800060400011b5b324a9b071b5d1b5b324a9b07e280aeefbbbf0000"
	# rawping through rawecho, both on hostile names.
	sweep "$BIN/rawping" -i "$IF" -c 1 -W 1 -s 64
	for f in "${pids[@]}"; do
		bg_expect "$f" 0 15
	done
	for ((f = 0; f < n; f++)); do
		cp "$(T "r$f.out")" "$SWEEP/r$f.out"
		cp "$(T "r$f.err")" "$SWEEP/r$f.err"
	done
	# The same payload from a pcap file and a dry run, in every text
	# format; -o raw and -w are bytes by contract and stay unchecked.
	"$BIN/rawsend" --dry-run -w "$(T p.pcap)" < "$(T payload)"
	for f in rawpacket vis hex json; do
		sweep "$BIN/rawrecv" -r "$(T p.pcap)" -o "$f"
	done
	sweep "$BIN/rawrecv" -r "$(T p.pcap)" --ts
	sweep "$BIN/rawrecv" -r "$(T p.pcap)" -o raw
	touch "$SWEEP/$((SWEEP_N - 1)).out.raw"
	SWEEP_IN=$(T payload) sweep "$BIN/rawsend" --dry-run -v
	# And it all came through: the receivers printed something.
	[ -s "$SWEEP/r0.out" ] && [ -s "$SWEEP/r1.out" ]
	# rawecho answered rawping, and each rawsniff-arp printed the frame.
	for ((f = n - 4; f < n; f++)); do
		[ -s "$(T "r$f.out")" ]
	done
	sweep_check
}

#
# 6. RawPacket text is rawsocketpy's wherever rawsocketpy is legible
#

REF=$PEERS/rawpacket_ref.py

@test "RawPacket: 240 seeded payloads of ASCII, backslashes and UTF-8 print byte for byte as rawsocketpy's (rawrecv and rawecho)" {
	need_lab
	"$PY" "$REF" gen 13 240 > "$(T payloads)"
	[ "$(wc -l < "$(T payloads)")" -eq 240 ]
	# Backslashes and multi-byte characters are really there.
	run -0 "$PY" -c 'import sys
d = bytes.fromhex(sys.stdin.read())
print(d.count(b"\\"), d.count(b"\xf0"))' < "$(T payloads)"
	echo "# backslashes, 4-byte characters: $output" >&2
	[ "${output% *}" -gt 4000 ] && [ "${output#* }" -gt 500 ]
	sed "s/^/$(hdr_a)/" "$(T payloads)" > "$(T frames)"
	# Two frames more from the independent sender.
	local f1 f2
	f1="${MAC_B//:/}020000005301eefa$(printf 'C:\\py\\%s' $'\xc3\xa9' | hex)"
	f2="${MAC_B//:/}020000005301eefa$(printf '\\\\n\\' | hex)"
	printf '%s\n' "$f1" "$f2" >> "$(T frames)"
	"$PY" "$REF" show < "$(T frames)" > "$(T want)"
	[ "$(wc -l < "$(T want)")" -eq 484 ]
	recv_start r "$NS_B" -i vb -c 242 --timeout 10
	local rpid=$BG_PID
	echo_start e "$NS_B" -i vb -c 242 --timeout 10
	local epid=$BG_PID
	run -0 inA "$BIN/rawsend" -i va -x < "$(T payloads)"
	pysend "$f1"
	pysend "$f2"
	bg_expect "$rpid" 0
	bg_expect "$epid" 0
	cmp "$(T want)" "$(T r.out)"
	cmp "$(T want)" "$(T e.out)"
}

@test "RawPacket: exact cases; a backslash passes, a literal \\n reads as a newline (vis tells them apart), controls, bad UTF-8 and U+202E stay escaped" {
	need_lab
	local p
	# A literal backslash-n, a real newline, a control byte, invalid
	# UTF-8 and U+202E, one frame each (NUL-separated records).
	printf 'C:\\path\\to\\file\0\\n\0\n\0a\001b\0\377\376\0x\342\200\256y\0' \
	    > "$(T records)"
	recv_start r "$NS_B" -i vb -c 6 --timeout 10
	local rpid=$BG_PID
	recv_start v "$NS_B" -i vb -c 6 --timeout 10 -o vis
	local vpid=$BG_PID
	run -0 inA "$BIN/rawsend" -i va -0 < "$(T records)"
	bg_expect "$rpid" 0
	bg_expect "$vpid" 0
	p="$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:"
	printf '%s\n' "$p" 'C:\path\to\file' "$p" '\n' "$p" '\n' \
	    "$p" 'a\001b' "$p" '\377\376' "$p" 'x\342\200\256y' > "$(T want)"
	cmp "$(T want)" "$(T r.out)"
	[ "$(wc -l < "$(T r.out)")" -eq 12 ]
	printf '%s\n' 'C:\\path\\to\\file' '\\n' '\n' 'a\001b' '\377\376' \
	    'x\342\200\256y' > "$(T vwant)"
	cmp "$(T vwant)" "$(T v.out)"
	text_clean "$(T r.out)" "$(T v.out)"
}

#
# 7. Interface names in JSON are text
#

# Made for the JSON test and removed in teardown: "ioé" in UTF-8.
IO=$'io\xc3\xa9'

@test "-o json: interface names are text: ioé as io\\u00e9 (jq reads ioé), U+202E as \\u202e, a byte not UTF-8 as \\udcff (Python's surrogateescape gives it back)" {
	need_lab
	ip -n "$NS_A" link add "$IO" type veth peer name iop
	ip -n "$NS_A" link set "$IO" up
	ip -n "$NS_A" link set iop up
	local pids=() n
	bg_start r0 "$NS_A" "$BIN/rawrecv" -i "$IO" -c 1 --timeout 10 -o json
	pids+=("$BG_PID")
	bg_start r1 "$NS_A" "$BIN/rawrecv" -i "$IF" -c 1 --timeout 10 -o json
	pids+=("$BG_PID")
	bg_start r2 "$NS_A" "$BIN/rawrecv" -i "$IR" -c 1 --timeout 10 -o json
	pids+=("$BG_PID")
	for n in 0 1 2; do
		wait_for_line "$(T "r$n.err")" "listening on"
	done
	run -0 inA "$BIN/rawsend" -i iop Boo
	run -0 inA "$BIN/rawsend" -i "$IR" Boo	# reaches IF, its peer
	run -0 inA "$BIN/rawsend" -i "$IF" Boo	# and IR
	for n in "${pids[@]}"; do
		bg_expect "$n" 0
	done
	cat "$(T r0.out)" "$(T r1.out)" "$(T r2.out)" >&2
	grep -qF '"iface":"io\u00e9",' "$(T r0.out)"
	[ "$(jq -r .iface "$(T r0.out)")" = "$IO" ]
	grep -qF '"iface":"f\udcffx",' "$(T r1.out)"
	grep -qF '"iface":"r\u202ex",' "$(T r2.out)"
	[ "$(jq -r .iface "$(T r2.out)")" = $'r\u202ex' ]
	# Plain ASCII on the terminal, and the bytes back in Python.
	[ -z "$(cat "$(T r0.out)" "$(T r1.out)" "$(T r2.out)" |
	    LC_ALL=C tr -d ' -~\n')" ]
	"$PY" - "$(T r0.out)" "$(T r1.out)" "$(T r2.out)" <<'EOF2'
import json, sys
want = [b"io\xc3\xa9", b"f\xffx", b"r\xe2\x80\xaex"]
for name, w in zip(sys.argv[1:], want):
    got = json.loads(open(name).read())["iface"].encode("utf-8",
                                                        "surrogateescape")
    assert got == w, (got, w)
EOF2
}
