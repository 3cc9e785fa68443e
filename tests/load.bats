#!/usr/bin/env bats
# Nothing lost: numbered frames sent as fast as rawsend can, beside a second
# flow, each proved to arrive exactly once and intact by an independent
# checker (tests/peers/seqcheck.py), or, when the kernel dropped some, the
# drops rawrecv reports proved equal to the frames missing. The counts
# rawsend reports are checked against the kernel's own (rx_packets).

load helpers

# Payloads of SIZE bytes, N of them; big enough to fill rawrecv's ring.
SIZE=64
N=200000

setup_file() { seq_setup "$SIZE" "$N"; }
teardown_file() { lab_teardown; }
teardown() {
	local pid
	# What a failed test left running is killed outright: bg_cleanup's
	# SIGTERM would wait forever on a process that ignores it.
	for pid in "${BG_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	bg_cleanup
}

# seqcheck FILE N DROPS [FORMAT]: every payload 0..N-1 once and intact in
# FILE (rawrecv -o raw, or json), or DROPS of them missing.
seqcheck() {
	run "$PY" "$ROOT/tests/peers/seqcheck.py" check "$SIZE" "$2" \
	    "${4:-raw}" "$1" "$3"
	echo "# $output" >&2
	[ "$status" -eq 0 ]
}

# settle PID ERRFILE N [SECONDS]: asks the rawrecv PID for its counts
# (SIGUSR1, which must leave it running) until the frames it received and
# those the kernel dropped add up to N; then ends it with SIGTERM (exit 0).
# Sets GOT (frames received) and DROPPED (the drops of its final report).
settle() {
	local pid=$1 err=$2 n=$3 limit=${4:-60} re i j asked line
	re='^rawrecv: ([0-9]+) frames? received, ([0-9]+) dropped by the kernel$'
	GOT=0
	DROPPED=0
	for ((i = 0; i < limit * 10; i++)); do
		asked=$(grep -cE "$re" "$err" || true)
		kill -USR1 "$pid"
		for ((j = 0; j < 500; j++)); do
			[ "$(grep -cE "$re" "$err" || true)" -gt "$asked" ] &&
			    break
			sleep 0.01
		done
		line=$(grep -E "$re" "$err" | tail -1)
		[[ $line =~ $re ]] || { echo "# no answer to SIGUSR1" >&2; return 1; }
		GOT=${BASH_REMATCH[1]}
		if ((GOT + BASH_REMATCH[2] >= n)); then
			break
		fi
		sleep 0.1
	done
	kill -0 "$pid"	# SIGUSR1 left it running
	signal_expect "$pid" TERM 0
	line=$(grep -E '^rawrecv: [0-9]+ frames? dropped by the kernel$' "$err" |
	    tail -1)
	[[ $line =~ ([0-9]+) ]] && DROPPED=${BASH_REMATCH[1]}
	# What SIGTERM reported covers what SIGUSR1 last saw.
	echo "# received $GOT, dropped $DROPPED of $n" >&2
	((GOT + DROPPED == n))
}

# The count of frames a rawsend stopped by a signal says it sent.
interrupted_count() {
	sed -n 's/^rawsend: interrupted: \([0-9]*\) frames\{0,1\}, .*/\1/p' "$1"
}

@test "200,000 numbered frames at full speed beside a second flow: each arrives once, intact, or is reported dropped" {
	need_lab
	local rx0 flow flowed
	rx0=$(rx_packets "$NS_B" vb)
	recv_start r "$NS_B" -i vb -o raw
	local recv=$BG_PID
	# The second flow: another ethertype on the same link, as fast as
	# it goes, until it is stopped after the numbered frames are out.
	bg_start flow "$NS_A" "$BIN/rawsend" -i va -t 0x88b5 -c 1000000000000 Boo
	flow=$BG_PID
	rx_moves "$NS_B" vb "$rx0"

	run --separate-stderr -0 inA "$BIN/rawsend" -i va -x -v < "$SEQ"
	# -v: the count the kernel accepted, header and payload bytes.
	[ "$stderr" = "rawsend: $N frames, $((N * (14 + SIZE))) bytes sent on va" ]
	kill -0 "$flow"	# the second flow ran all along
	signal_expect "$flow" TERM 0
	flowed=$(interrupted_count "$(T flow.err)")
	[ "$flowed" -gt 0 ]

	settle "$recv" "$(T r.err)" "$N"
	# The kernel delivered to vb exactly what both senders say it took.
	[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq $((N + flowed)) ]
	seqcheck "$(T r.out)" "$N" "$DROPPED"
}

@test "a stalled reader: the kernel drops, and rawrecv's drop report equals the frames missing" {
	need_lab
	local rx0
	rx0=$(rx_packets "$NS_B" vb)
	recv_start r "$NS_B" -i vb -o json
	local recv=$BG_PID
	# Stopped, it reads nothing while the frames come: its ring fills.
	kill -STOP "$recv"
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -x -v < "$SEQ"
	[ "$stderr" = "rawsend: $N frames, $((N * (14 + SIZE))) bytes sent on va" ]
	[ $(($(rx_packets "$NS_B" vb) - rx0)) -eq "$N" ]
	kill -CONT "$recv"
	settle "$recv" "$(T r.err)" "$N"
	[ "$DROPPED" -gt 0 ]
	seqcheck "$(T r.out)" "$N" "$DROPPED" json
}

@test "rawecho at a bounded rate: every numbered request answered once, intact, or reported dropped" {
	need_lab
	"$BIN/rawsock" --list | grep -qx rawecho
	local n=50000 echo_pid answered received failed echodrops=0 line
	head -n "$n" "$SEQ" > "$(T seq50k.hex)"
	bg_start echo "$NS_B" "$BIN/rawecho" -i vb -r 0x88b6 -v -c "$n" \
	    --timeout 120
	echo_pid=$BG_PID
	wait_for_line "$(T echo.err)" "listening on"
	recv_start r "$NS_A" -i va -t 0x88b6 -o raw
	local recv=$BG_PID

	run --separate-stderr -0 inA "$BIN/rawsend" -i va -x -v --rate 25000 \
	    < "$(T seq50k.hex)"
	[ "$stderr" = "rawsend: $n frames, $((n * (14 + SIZE))) bytes sent on va" ]
	# All answered: exit 0 at COUNT; else the timeout ends it (1).
	bg_expect "$echo_pid" "0|1" 150
	sed 's/^/# /' "$(T echo.err)" >&2
	line=$(grep -E '^rawecho: [0-9]+ frames? received, [0-9]+ answered, [0-9]+ failed' \
	    "$(T echo.err)")
	[[ $line =~ ([0-9]+)\ frames?\ received,\ ([0-9]+)\ answered,\ ([0-9]+)\ failed ]]
	received=${BASH_REMATCH[1]}
	answered=${BASH_REMATCH[2]}
	failed=${BASH_REMATCH[3]}
	line=$(grep -E '^rawecho: [0-9]+ frames? dropped by the kernel$' \
	    "$(T echo.err)" || true)
	[[ $line =~ ([0-9]+) ]] && echodrops=${BASH_REMATCH[1]}
	# What rawecho missed, it says it missed.
	[ $((received + echodrops)) -eq "$n" ]
	[ $((answered + failed)) -eq "$received" ]

	settle "$recv" "$(T r.err)" "$answered"
	seqcheck "$(T r.out)" "$n" $((echodrops + failed + DROPPED))
}
