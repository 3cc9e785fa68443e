#!/usr/bin/env bats
# rawecho --pipe: one handler for the whole run, frames in and out as JSON
# lines. Stateful handlers, handlers that answer twice or never, that die,
# that write bad lines or never read, and 100,000 requests counted.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

# pipe_start NAME ARGS...: rawecho in NS_B on vb with ARGS.
pipe_start() { echo_start "$1" "$NS_B" -i vb "${@:2}"; }

# accounted NAME: from rawecho -v's closing lines in NAME.err, every
# frame that arrived: written to the handler, failed, ignored, left
# unanswered, or dropped by the kernel or the interface.
accounted() {
	local err=$BATS_TEST_TMPDIR/$1.err n=0 v
	v=$(sed -n 's/^rawecho: [0-9]* frames* received, \([0-9]*\) written to the handler, \([0-9]*\) failed, \([0-9]*\) ignored;.*/\1 + \2 + \3/p' "$err")
	n=$((v))
	for what in "received but not answered" "dropped by the kernel" \
	    "dropped by the interface"; do
		v=$(sed -n "s/^rawecho: \([0-9]*\) frames* $what\$/\1/p" "$err")
		n=$((n + ${v:-0}))
	done
	echo "$n"
}

@test "--pipe jq: the one-liner answers each frame back to its sender" {
	need_lab
	pipe_start e -c 2 --timeout 5 --pipe "jq -c --unbuffered '{dst: .src, payload}'"
	local e=$BG_PID
	recv_start r "$NS_A" -i va -c 2 --timeout 5
	local r=$BG_PID
	inA "$BIN/rawsend" -i va Boo
	inA "$BIN/rawsend" -i va -d "$MAC_B" Two
	bg_expect "$r" 0
	bg_expect "$e" 0
	run cat "$(T r.out)"
	[ "${lines[0]}" = "$MAC_B == 0xeefa => $MAC_A - OK:" ]
	[ "${lines[1]}" = Boo ]
	[ "${lines[2]}" = "$MAC_B == 0xeefa => $MAC_A - OK:" ]
	[ "${lines[3]}" = Two ]
	# The requests are printed as without --pipe.
	run cat "$(T e.out)"
	[ "${lines[1]}" = Boo ]
	[ "${lines[3]}" = Two ]
}

@test "--pipe: a stateful handler numbers its replies across frames" {
	need_lab
	pipe_start e -c 5 --timeout 10 --pipe "$PY -c '
import json, sys
n = 0
for line in sys.stdin:
    n += 1
    f = json.loads(line)
    print(json.dumps({\"dst\": f[\"src\"], \"text\": \"reply %d to %s\" % (n, bytes.fromhex(f[\"payload\"]).decode())}), flush=True)
'"
	local e=$BG_PID
	recv_start r "$NS_A" -i va -c 5 --timeout 10 -o raw
	local r=$BG_PID i
	for i in a b c d e; do inA "$BIN/rawsend" -i va "$i"; done
	bg_expect "$r" 0
	bg_expect "$e" 0
	[ "$(cat "$(T r.out)")" = "reply 1 to areply 2 to breply 3 to creply 4 to dreply 5 to e" ]
}

@test "--pipe: a handler may answer twice, never, or speak first" {
	need_lab
	# Twice.
	pipe_start e -c 1 --timeout 5 -v --pipe "jq -c --unbuffered '{dst: .src, text: \"one\"}, {dst: .src, text: \"two\"}'"
	local e=$BG_PID
	recv_start r "$NS_A" -i va -c 2 --timeout 5 -o raw
	local r=$BG_PID
	inA "$BIN/rawsend" -i va hi
	bg_expect "$r" 0
	bg_expect "$e" 0
	[ "$(cat "$(T r.out)")" = onetwo ]
	grep -qx "rawecho: 1 frame received, 1 written to the handler, 0 failed, 0 ignored; 2 replies sent, 0 lines failed; 0 dropped by the kernel" "$(T e.err)"
	# Never: every frame is handed over, nothing is sent, exit 0.
	pipe_start e -c 3 --timeout 5 -v --pipe "cat > /dev/null"
	e=$BG_PID
	run -0 inA "$BIN/rawsend" -i va -c 3 hi
	bg_expect "$e" 0
	grep -qx "rawecho: 3 frames received, 3 written to the handler, 0 failed, 0 ignored; 0 replies sent, 0 lines failed; 0 dropped by the kernel" "$(T e.err)"
	# First: a line of its own before any frame comes.
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	r=$BG_PID
	pipe_start e --timeout 1 --pipe "echo '{\"dst\":\"$MAC_A\",\"text\":\"hello\"}'; cat > /dev/null"
	bg_expect "$r" 0
	[ "$(cat "$(T r.out)")" = hello ]
	bg_expect "$BG_PID" 1
}

@test "--pipe: a handler that dies mid-run: its status, exit 2" {
	need_lab
	pipe_start e --timeout 10 --pipe 'read -r line; exit 3'
	local e=$BG_PID
	inA "$BIN/rawsend" -i va hi
	bg_expect "$e" 2
	grep -qx "rawecho: handler exited with status 3" "$(T e.err)"
	# Status 0 before its input ended is no better.
	pipe_start e --timeout 10 --pipe 'read -r line'
	e=$BG_PID
	inA "$BIN/rawsend" -i va hi
	bg_expect "$e" 2
	grep -qx "rawecho: handler exited with status 0 before its input ended" "$(T e.err)"
	# Killed.
	pipe_start e --timeout 10 --pipe 'read -r line; kill -9 $$'
	e=$BG_PID
	inA "$BIN/rawsend" -i va hi
	bg_expect "$e" 2
	grep -qx "rawecho: handler was killed by signal 9 (Killed)" "$(T e.err)"
}

@test "--pipe: a handler that ignores the end of its input is killed after --handler-timeout" {
	need_lab
	pipe_start e -c 1 --handler-timeout 0.5 --pipe 'cat > /dev/null; exec sleep 30'
	local e=$BG_PID
	inA "$BIN/rawsend" -i va hi
	bg_expect "$e" 2 5
	grep -qx "rawecho: handler did not exit within 0.5 s of the end of its input and was killed" "$(T e.err)"
}

@test "--pipe: each bad line is counted and named, and the server goes on" {
	need_lab
	pipe_start e -c 1 --timeout 5 -v --pipe "cat > /dev/null; printf '%s\n' \
	    '{\"text\":\"no dst\"}' 'garbage' '{\"dst\":\"$MAC_A\",\"dts\":1}' \
	    '{\"dst\":\"$MAC_A\",\"payload\":\"$(head -c 1501 /dev/zero | hex)\"}' \
	    '{\"dst\":\"$MAC_A\",\"text\":\"fine\"}'"
	local e=$BG_PID
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	local r=$BG_PID
	inA "$BIN/rawsend" -i va -d "$MAC_B" hi
	bg_expect "$r" 0
	bg_expect "$e" 0
	[ "$(cat "$(T r.out)")" = fine ]
	run grep -v "listening on" "$(T e.err)"
	[ "${lines[0]}" = "rawecho: handler line 1: no dst (a reply names its destination), not sent" ]
	[ "${lines[1]}" = "rawecho: handler line 2: not a JSON object, not sent" ]
	[ "${lines[2]}" = "rawecho: handler line 3: unknown key 'dts' (keys: dst, src, ethertype, vlan, payload, text), not sent" ]
	[ "${lines[3]}" = "rawecho: handler line 4: longer than the MTU, not sent" ]
	[ "${lines[4]}" = "rawecho: 1 frame received, 1 written to the handler, 0 failed, 0 ignored; 1 reply sent, 4 lines failed; 0 dropped by the kernel" ]
	[ "${#lines[@]}" -eq 5 ]
}

@test "--pipe: src and ethertype default to the interface's MAC and -R; stderr passes through; nobody runs it" {
	need_lab
	pipe_start e -c 1 --timeout 5 -R 0x88b5 --pipe 'id -u >&2; jq -c --unbuffered "{dst: .src, text: \"x\"}"'
	local e=$BG_PID
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -t 0x88b5 -o hex
	local r=$BG_PID
	inA "$BIN/rawsend" -i va hi
	bg_expect "$r" 0
	bg_expect "$e" 0
	[ "$(cat "$(T r.out)")" = "${MAC_A//:/}${MAC_B//:/}88b578" ]
	grep -qx 65534 "$(T e.err)"
}

@test "--pipe: a handler that never reads stalls neither SIGINT nor the report" {
	need_lab
	pipe_start e -v --pipe 'exec sleep 30'
	local e=$BG_PID
	run -0 inA "$BIN/rawsend" -i va -c 20000 hi
	kill -INT "$e"
	bg_expect "$e" 0 3
	# Every frame is accounted for: handed over, waiting, or dropped.
	cat "$(T e.err)" >&2
	[ "$(accounted e)" -eq 20000 ]
}

@test "--pipe: 100,000 requests through cat: received + reported = sent" {
	need_lab
	pipe_start e -v --timeout 30 --pipe cat
	local e=$BG_PID
	run -0 inA "$BIN/rawsend" -i va -d "$MAC_B" -c 100000 hi
	sleep 1
	kill -INT "$e"
	bg_expect "$e" 0 10
	cat "$(T e.err)" >&2
	[ "$(accounted e)" -eq 100000 ]
}

@test "--pipe: bad uses are usage errors" {
	expect_error "rawecho: -e and --pipe exclude one another (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va -e cat --pipe cat
	expect_error "rawecho: -j runs -e's handlers at once; --pipe has one (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va -j 2 --pipe cat
	expect_error "rawecho: empty handler command (see 'rawecho --help')" \
	    "$BIN/rawecho" -i va --pipe ''
}

@test "--pipe: SIGUSR1 reports the counts, and the run goes on" {
	need_lab
	pipe_start e --pipe "jq -c --unbuffered '{dst: .src, payload}'"
	local e=$BG_PID
	run -0 inA "$BIN/rawsend" -i va -c 3 hi
	usr1_until "$e" "$(T e.err)" "^rawecho: 3 frames received, 3 written to the handler, 0 failed, 0 ignored; 3 replies sent, 0 lines failed; 0 dropped by the kernel$"
	kill -0 "$e"
	kill -INT "$e"
	bg_expect "$e" 0
}

@test "--pipe --timeout with no frame at all: the handler's input ends, exit 1 in time" {
	need_lab
	pipe_start e --timeout 0.3 --pipe cat
	bg_expect "$BG_PID" 1 3
}

@test "--pipe with VLANs: requests show their tag; --vlan serves one VLAN and tags what a line leaves untagged" {
	need_lab
	# The handler keeps the request's tag: the reply goes back on it.
	pipe_start e -c 1 --timeout 5 --pipe "jq -c --unbuffered '{dst: .src, payload, vlan}'"
	local e=$BG_PID
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o json
	local r=$BG_PID
	inA "$BIN/rawsend" -i va --vlan 5:3 hi
	bg_expect "$r" 0
	bg_expect "$e" 0
	[ "$(jq -c '[.vlan.id, .vlan.pcp, .payload]' "$(T r.out)")" = "[5,3,\"6869$(printf '%088d' 0)\"]" ]
	# --vlan 7: only VLAN 7 is served, and a line without vlan goes on it.
	pipe_start e -c 1 --timeout 5 --vlan 7 --pipe "jq -c --unbuffered '{dst: .src, text: \"x\"}'"
	e=$BG_PID
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o json
	r=$BG_PID
	inA "$BIN/rawsend" -i va --vlan 5 other
	inA "$BIN/rawsend" -i va --vlan 7 mine
	bg_expect "$r" 0
	bg_expect "$e" 0
	[ "$(jq -c '[.vlan.id, .len]' "$(T r.out)")" = "[7,64]" ]
}
