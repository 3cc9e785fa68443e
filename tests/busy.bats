#!/usr/bin/env bats
# --busy-poll (rawping, rawecho, rawrecv), rawping's transmit timestamps
# (--timestamps) and its statistics (median and p99, -D, -o json,
# --histogram). Every spinning process is bounded by -c and --timeout (or
# rawping's -c and -W), so a failure never leaves one spinning; the two
# ends are pinned to different CPUs when there are two.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

TIME='time=([0-9]+\.[0-9]{3}) ms'

# CPU N: taskset to CPU N modulo the CPUs we may use, so the two ends
# spin on different CPUs where there are two.
CPU() {
	local n
	n=$(nproc)
	echo taskset -c $(($1 % n))
}

# ready_start NAME NS CMD...: bg_start, then waits for the readiness line.
ready_start() {
	bg_start "$1" "$2" "${@:3}"
	wait_for_line "$(T "$1.err")" "listening on"
}

# stop_time PID SIG: sends SIG to PID (a child of this shell, bounded by
# its own -c or --timeout), waits for it, and sets STOP_SECS to the time
# from the signal to its exit and STOP_RC to its status.
stop_time() {
	local pid=$1 t0 t1
	STOP_RC=0
	t0=$EPOCHREALTIME
	kill -"$2" "$pid"
	wait "$pid" || STOP_RC=$?
	t1=$EPOCHREALTIME
	STOP_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	echo "# SIG$2 to exit: $STOP_SECS s, status $STOP_RC" >&2
}

# stopped_soon: the last stop_time's process exited 0 within the bound
# (100 ms nominal; 0.3 s leaves room for a loaded machine).
stopped_soon() {
	[ "$STOP_RC" -eq 0 ] && awk -v t="$STOP_SECS" 'BEGIN { exit !(t < 0.3) }'
}

@test "--busy-poll rawping against --busy-poll rawecho: every reply, counted exactly" {
	need_lab
	ready_start e "$NS_B" $(CPU 1) "$BIN/rawecho" -i vb --busy-poll -c 50 --timeout 10
	run --separate-stderr -0 inA $(CPU 0) "$BIN/rawping" -i va -d "$MAC_B" \
	    --busy-poll -c 50 --interval 0.002 -q
	printf '# %s\n' "${lines[@]}" "$stderr" >&2
	# Pinned: only the note on where it spins.
	[[ -z "$stderr" || "$stderr" =~ ^"rawping: --busy-poll on CPU 0 only: " ]]
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[2]}" =~ ^"50 frames transmitted, 50 received, 0% loss" ]]
	[[ "${lines[4]}" =~ ^"rtt median/p99 = "[0-9.]+/[0-9.]+" ms"$ ]]
	# rawecho answered exactly 50 and ended on its own, exit 0.
	bg_expect "$BG_PID" 0
}

@test "--busy-poll rawping stops on SIGINT at once, with the summary" {
	need_lab
	ready_start e "$NS_B" $(CPU 1) "$BIN/rawecho" -i vb --busy-poll --timeout 20
	local echo_pid=$BG_PID
	bg_start p "$NS_A" $(CPU 0) "$BIN/rawping" -i va --busy-poll -c 2000 --interval 0.005
	wait_for_line "$(T p.out)" "seq=5 "
	stop_time "$BG_PID" INT
	stopped_soon
	grep -qE '^[0-9]+ frames transmitted, [0-9]+ received, ' "$(T p.out)"
	grep -qE '^rtt median/p99 = ' "$(T p.out)"
	# And the spinning rawecho too: SIGINT is read on its spinning path.
	stop_time "$echo_pid" INT
	stopped_soon
}

@test "--busy-poll rawecho: SIGTERM, --timeout and -c end it as they do without" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb --busy-poll --timeout 0.3
	bg_expect "$BG_PID" 1 5
	ready_start e "$NS_B" "$BIN/rawecho" -i vb --busy-poll --timeout 10 -v
	# -v says what the kernel took (root may set SO_BUSY_POLL).
	grep -qx "rawecho: vb: busy polling (SO_BUSY_POLL set: drivers with NAPI are polled too)" "$(T e.err)"
	stop_time "$BG_PID" TERM
	stopped_soon
}

@test "--busy-poll rawping: -W after the last request, no server: exit 1" {
	need_lab
	run --separate-stderr -1 inA "$BIN/rawping" -i va --busy-poll -c 2 --interval 0.05 -W 0.2
	[[ "${lines[2]}" =~ ^"2 frames transmitted, 0 received, 100% loss" ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "--busy-poll rawrecv: every frame, counted exactly; SIGINT at once" {
	need_lab
	ready_start r "$NS_B" $(CPU 1) "$BIN/rawrecv" -i vb --busy-poll -c 5 --timeout 10 -o hex
	inA "$BIN/rawsend" -i va -c 5 hello
	bg_expect "$BG_PID" 0
	[ "$(wc -l < "$(T r.out)")" -eq 5 ]
	ready_start r "$NS_B" "$BIN/rawrecv" -i vb --busy-poll --timeout 10
	stop_time "$BG_PID" INT
	stopped_soon
}

@test "--busy-poll on one CPU: a note saying which, and the run still works" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb -c 2 --timeout 10
	run --separate-stderr -0 inA taskset -c 0 "$BIN/rawping" -i va --busy-poll -c 2 --interval 0.01 -q
	[ "$stderr" = "rawping: --busy-poll on CPU 0 only: a peer on the same CPU would starve" ]
	[[ "$output" =~ "2 frames transmitted, 2 received" ]]
}

@test "--timestamps software: kernel transmit to receive, > 0 and <= what user space saw" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb -c 10 --timeout 10
	run --separate-stderr -0 inA "$BIN/rawping" -i va -c 10 --interval 0.02 --timestamps software
	printf '# %s\n' "${lines[@]}" >&2
	[ -z "$stderr" ]
	local n=0 l
	for l in "${lines[@]}"; do
		[[ $l =~ ^"60 bytes from $MAC_B: seq="[0-9]+" "$TIME" user="([0-9.]+)" ms"$ ]] || continue
		n=$((n + 1))
		awk -v s="${BASH_REMATCH[1]}" -v u="${BASH_REMATCH[2]}" \
		    'BEGIN { exit !(s > 0 && s <= u) }'
	done
	[ "$n" -eq 10 ]
	[ "${lines[-1]}" = "timestamps: software, kernel transmit to receive" ]
}

@test "--timestamps hardware on veth: says there are none, uses software ones" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb -c 2 --timeout 10
	run --separate-stderr -0 inA "$BIN/rawping" -i va -c 2 --interval 0.02 --timestamps hardware
	[ "$stderr" = "rawping: va: no hardware timestamps (Operation not supported): using software ones" ]
	[ "${lines[-1]}" = "timestamps: software, kernel transmit to receive" ]
	[[ "$output" =~ "2 frames transmitted, 2 received" ]]
}

@test "-D: each reply starts with its receive time, [seconds.micros]" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb -c 3 --timeout 10
	local now=${EPOCHREALTIME%.*}
	run -0 inA "$BIN/rawping" -i va -c 3 --interval 0.02 -D
	[[ "${lines[1]}" =~ ^\[([0-9]+)\.[0-9]{6}\]" 60 bytes from $MAC_B: seq=1 "$TIME$ ]]
	# Within a few seconds of now.
	[ $((BASH_REMATCH[1] - now)) -ge 0 ] && [ $((BASH_REMATCH[1] - now)) -le 5 ]
	[[ "${lines[3]}" =~ ^\[[0-9]+\.[0-9]{6}\]" 60 bytes from $MAC_B: seq=3 " ]]
}

@test "-o json: an object a reply and one for the summary, with median and p99" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb -c 3 --timeout 10
	run --separate-stderr -0 inA "$BIN/rawping" -i va -c 3 --interval 0.02 -o json
	printf '# %s\n' "${lines[@]}" >&2
	[ "${#lines[@]}" -eq 4 ]
	"$PY" -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert [r["type"] for r in rows] == ["reply"] * 3 + ["summary"], rows
assert [r["seq"] for r in rows[:3]] == [1, 2, 3]
assert all(r["status"] == "reply" and r["len"] == 60 and r["rtt_ns"] > 0
           and r["src"] == sys.argv[1] for r in rows[:3])
s = rows[3]
assert (s["transmitted"], s["received"], s["duplicates"]) == (3, 3, 0), s
assert s["timestamps"] == "user" and s["dest"] == "ff:ff:ff:ff:ff:ff"
r = s["rtt_ns"]
assert 0 < r["min"] <= r["median"] <= r["p99"] <= r["max"], r
assert r["min"] == min(x["rtt_ns"] for x in rows[:3]), (r, rows)
' "$MAC_B" <<< "$output"
	# No reply: rtt_ns is null, exit 1.
	run --separate-stderr -1 inA "$BIN/rawping" -i va -c 1 -W 0.1 -o json
	[[ "$output" =~ ^'{"type":"summary",'.*'"received":0,'.*'"rtt_ns":null}'$ ]]
}

@test "--histogram: a line per doubling, the counts add up to the replies" {
	need_lab
	ready_start e "$NS_B" "$BIN/rawecho" -i vb -c 20 --timeout 10
	run -0 inA "$BIN/rawping" -i va -c 20 --interval 0.005 -q --histogram
	printf '# %s\n' "${lines[@]}" >&2
	[ "${lines[5]}" = "rtt histogram:" ]
	local sum
	sum=$(printf '%s\n' "${lines[@]:6}" |
	    awk '/^  \[[0-9.]+, [0-9.]+\) us  [0-9]+/ { s += $4 } END { print s + 0 }')
	[ "$sum" -eq 20 ]
}

@test "bad values of the new options: one line, exit 2" {
	expect_error "rawping: invalid timestamps 'kernel' (user, software, hardware) (see 'rawping --help')" \
	    "$BIN/rawping" -i va --timestamps kernel
	expect_error "rawping: invalid output format 'xml' (text, json) (see 'rawping --help')" \
	    "$BIN/rawping" -i va -o xml
	expect_error "rawping: option '--busy-poll' takes no value (see 'rawping --help')" \
	    "$BIN/rawping" -i va --busy-poll=1
	expect_error "rawrecv: --busy-poll spins on one socket: it excludes -j (see 'rawrecv --help')" \
	    "$BIN/rawrecv" -i vb --busy-poll -j 2
}
