#!/usr/bin/env bats
# The receivers' shared contract, checked the same way for rawrecv,
# rawsniff-arp and rawecho: -c, --timeout, -q, SIGINT, SIGTERM and
# SIGUSR1, and the exit statuses 0, 1 and 2. Each test loops over the
# three; what differs (the frame each one counts, its output) is below.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

RECEIVERS=(rawrecv rawsniff-arp rawecho)

# An ARP request, 28 bytes, for rawsniff-arp: who-has 198.51.100.2 tell
# 198.51.100.1 (documentation addresses nobody in the lab holds).
ARP=0001080006040001\
02005e005301c6336401\
000000000000c6336402

# opts APPLET: its options beside -i vb (rawsniff-arp: one line a frame).
opts() {
	case $1 in
	rawsniff-arp) echo "-o line" ;;
	esac
}

# per_frame APPLET: lines of standard output for each frame.
per_frame() {
	case $1 in
	rawsniff-arp) echo 1 ;;
	*) echo 2 ;;	# the header line, then the payload
	esac
}

# listening APPLET: its readiness line for vb.
listening() {
	case $1 in
	rawsniff-arp) echo "rawsniff-arp: listening on vb" ;;
	*) echo "$1: listening on vb, ethertype 0xeefa" ;;
	esac
}

# rx_start APPLET ARGS...: APPLET on vb in the background, ready.
rx_start() {
	local a=$1
	shift
	# shellcheck disable=SC2046
	bg_start "$a" "$NS_B" "$BIN/$a" -i vb $(opts "$a") "$@"
	wait_for_line "$(T "$a.err")" "listening on"
}

# send_to APPLET N: N frames from va that APPLET counts, one at a time.
send_to() {
	local a=$1 n=$2 i
	for ((i = 1; i <= n; i++)); do
		case $a in
		rawsniff-arp) inA "$BIN/rawsend" -i va -t arp -x "$ARP" ;;
		*) inA "$BIN/rawsend" -i va "Boo$i" ;;
		esac
	done
}

# wait_for_lines FILE N: until FILE has N lines (bounded by WAIT_MAX).
wait_for_lines() {
	local i
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ "$(wc -l < "$1")" -ge "$2" ] && return 0
		sleep 0.01
	done
	echo "# $1 has $(wc -l < "$1") lines, not $2" >&2
	return 1
}

@test "--timeout with nothing received: exit 1, nothing on stdout, the listening line" {
	need_lab
	local a
	for a in "${RECEIVERS[@]}"; do
		# shellcheck disable=SC2046
		run --separate-stderr -1 inB "$BIN/$a" -i vb $(opts "$a") --timeout 0.3
		[ -z "$output" ]
		[ "$stderr" = "$(listening "$a")" ]
		# shellcheck disable=SC2046
		run --separate-stderr -1 inB "$BIN/$a" -i vb $(opts "$a") -c 1 --timeout 0.2
		[ -z "$output" ]
	done
}

@test "-q and --quiet: no listening line" {
	need_lab
	local a q
	for a in "${RECEIVERS[@]}"; do
		for q in -q --quiet; do
			run --separate-stderr -1 inB "$BIN/$a" -i vb "$q" --timeout 0.2
			[ -z "$stderr" ]
			[ -z "$output" ]
		done
	done
}

@test "-c COUNT: exit 0 right after COUNT frames, without a timeout" {
	need_lab
	local a
	for a in "${RECEIVERS[@]}"; do
		# No --timeout: only the count can end it.
		rx_start "$a" -c 2
		send_to "$a" 3
		bg_expect "$BG_PID" 0
		[ "$(wc -l < "$(T "$a.out")")" -eq $((2 * $(per_frame "$a"))) ]
	done
}

@test "--count COUNT --timeout: fewer than COUNT by then exits 1, printing what came" {
	need_lab
	local a
	for a in "${RECEIVERS[@]}"; do
		rx_start "$a" --count 3 --timeout 3
		send_to "$a" 2
		# Both printed before the timeout: the status is the timeout's.
		wait_for_lines "$(T "$a.out")" $((2 * $(per_frame "$a")))
		bg_expect "$BG_PID" 1
		[ "$(wc -l < "$(T "$a.out")")" -eq $((2 * $(per_frame "$a"))) ]
	done
}

@test "--timeout without -c: frames came, so exit 0 at the timeout" {
	need_lab
	local a
	for a in "${RECEIVERS[@]}"; do
		rx_start "$a" --timeout 2
		send_to "$a" 1
		wait_for_lines "$(T "$a.out")" "$(per_frame "$a")"
		bg_expect "$BG_PID" 0
		[ "$(wc -l < "$(T "$a.out")")" -eq "$(per_frame "$a")" ]
	done
}

@test "SIGTERM and SIGINT end it with exit 0, after a frame and before any" {
	need_lab
	local a sig
	for a in "${RECEIVERS[@]}"; do
		for sig in TERM INT; do
			rx_start "$a"
			send_to "$a" 1
			wait_for_lines "$(T "$a.out")" "$(per_frame "$a")"
			signal_expect "$BG_PID" "$sig" 0
			[ "$(wc -l < "$(T "$a.out")")" -eq "$(per_frame "$a")" ]
			[ "$(head -1 "$(T "$a.err")")" = "$(listening "$a")" ]

			rx_start "$a" --timeout 30
			signal_expect "$BG_PID" "$sig" 0
			[ ! -s "$(T "$a.out")" ]
		done
	done
}

@test "SIGUSR1 reports the count on stderr and it goes on" {
	need_lab
	local a
	for a in "${RECEIVERS[@]}"; do
		rx_start "$a" -c 2
		send_to "$a" 1
		wait_for_lines "$(T "$a.out")" "$(per_frame "$a")"
		kill -USR1 "$BG_PID"
		wait_for_line "$(T "$a.err")" "^$a: 1 frame received"
		kill -0 "$BG_PID"
		send_to "$a" 1
		bg_expect "$BG_PID" 0
		[ "$(wc -l < "$(T "$a.out")")" -eq $((2 * $(per_frame "$a"))) ]
	done
}

@test "status 2: a bad count or timeout, an unknown interface" {
	need_lab
	local a
	for a in "${RECEIVERS[@]}"; do
		expect_error "$a: invalid count '0': too small" "$BIN/$a" -i va -c 0
		expect_error "$a: invalid timeout 'nan': not a non-negative decimal number of seconds" \
		    "$BIN/$a" -i va --timeout nan
		expect_error "$a: 'nope': no such interface" "$BIN/$a" -i nope
	done
}
