#!/usr/bin/env bash
# What `sudo make demo` runs: a throwaway veth pair between two network
# namespaces, frames sent with rawsend on one end and printed by rawrecv on
# the other, then everything removed again, even on failure or Ctrl-C.
# usage: [BUILD=build] bash tests/demo.sh
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=$PWD/${BUILD:-build}
# Upper bound for every wait, in seconds: the demo never hangs.
WAIT_MAX=5

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: creating network namespaces needs root; run:" \
	    "sudo make demo" >&2
	exit 2
fi
if [ ! -x "$BIN/rawsend" ] || [ ! -x "$BIN/rawrecv" ]; then
	echo "demo.sh: $BIN/rawsend or $BIN/rawrecv is missing; run: make" >&2
	exit 2
fi

# Unique names, so a demo never meets another demo or a test lab.
NS_A="rawsock-demo-$$-a"
NS_B="rawsock-demo-$$-b"
# Fixed, locally administered MACs keep the output the same on every run.
MAC_A=02:00:00:00:00:0a
MAC_B=02:00:00:00:00:0b
TMP=$(mktemp -d)
RECV_PID=""

cleanup() {
	# Only the receiver we started, by its own PID.
	if [ -n "$RECV_PID" ]; then
		kill "$RECV_PID" 2>/dev/null
		wait "$RECV_PID" 2>/dev/null
	fi
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "demo.sh: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "demo.sh: $*" >&2
	exit 1
}

ip netns add "$NS_A" || fail "cannot create namespace $NS_A"
ip netns add "$NS_B" || fail "cannot create namespace $NS_B"
# Created inside the namespaces: nothing appears in the host's own.
ip link add veth0 address "$MAC_A" netns "$NS_A" type veth \
    peer name veth1 address "$MAC_B" netns "$NS_B" ||
    fail "cannot create the veth pair"
for ns in "$NS_A" "$NS_B"; do
	# Without IPv6 the link stays silent: only our frames cross it.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$NS_A" link set veth0 up || fail "cannot bring veth0 up"
ip -n "$NS_B" link set veth1 up || fail "cannot bring veth1 up"
export PATH="$BIN:$PATH"

# receive ARGS...: starts rawrecv on veth1 in the background (run directly
# by ip netns exec, so $! is rawrecv's own PID) and waits until it listens.
# Its standard output goes to $TMP/$RECV_OUT.
RECV_OUT=out
receive() {
	if [ "$RECV_OUT" = out ]; then
		printf 'B# rawrecv %s &\n' "$*"
	else
		printf 'B# rawrecv %s > %s &\n' "$*" "$RECV_OUT"
	fi
	# The child truncates err only once it runs: remove the last one now,
	# or its "listening on" could pass for the new receiver's.
	rm -f "$TMP/err"
	ip netns exec "$NS_B" rawrecv "$@" > "$TMP/$RECV_OUT" 2> "$TMP/err" \
	    < /dev/null &
	RECV_PID=$!
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		grep -q 'listening on' "$TMP/err" 2>/dev/null && break
		kill -0 "$RECV_PID" 2>/dev/null || break
		sleep 0.01
	done
	grep 'listening on' "$TMP/err" || { cat "$TMP/err" >&2
		fail "rawrecv did not start"; }
}

# send: runs the shell command on standard input in namespace A.
send() {
	local cmd
	cmd=$(cat)
	printf 'A# %s\n' "$cmd"
	# Its messages (rawsend -v) in order with the rest of the output.
	ip netns exec "$NS_A" sh -c "$cmd" < /dev/null 2>&1 ||
	    fail "the sender failed"
}

# received: waits (bounded) for rawrecv to end and shows what it printed.
received() {
	local status
	# rawrecv's own --timeout ends it first; this bound is a safety net.
	for ((i = 0; i < (WAIT_MAX + 2) * 100; i++)); do
		kill -0 "$RECV_PID" 2>/dev/null || break
		sleep 0.01
	done
	kill -0 "$RECV_PID" 2>/dev/null && fail "rawrecv did not finish"
	wait "$RECV_PID"
	status=$?
	RECV_PID=""
	[ "$RECV_OUT" = out ] && cat "$TMP/out"
	grep -v 'listening on' "$TMP/err"
	echo "(rawrecv exited with status $status)"
	[ "$status" -eq 0 ] || fail "rawrecv failed"
}

heading() {
	printf '\n== %s\n' "$*"
}

echo "rawsock demo: veth0 ($MAC_A) in namespace $NS_A (A)"
echo "          and veth1 ($MAC_B) in namespace $NS_B (B)"

heading "1. Text: the arguments are the payload, sent as one frame"
receive -i veth1 -c 1 --timeout "$WAIT_MAX"
send <<'EOF'
rawsend -i veth0 Boo
EOF
received

heading "2. One frame per line of standard input, with -l (and -v)"
receive -i veth1 -c 3 --timeout "$WAIT_MAX"
send <<'EOF'
printf 'one\ntwo\nthree\n' | rawsend -i veth0 -l -v
EOF
received

heading "3. Binary payload: escaped, so each frame is two lines"
receive -i veth1 -c 1 --timeout "$WAIT_MAX"
send <<'EOF'
printf 'nul\0 esc\033[31m red\\ \377 caf\303\251\tend\n' | rawsend -i veth0
EOF
received

heading "4. Another ethertype and destination, printed with -o hex"
receive -i veth1 -t 0x88b5 -o hex -c 1 --timeout "$WAIT_MAX"
send <<EOF
rawsend -i veth0 -t 0x88b5 -d $MAC_B hello
EOF
received

heading "5. A file, byte for byte, with -o raw"
cd "$TMP" || fail "cannot enter $TMP"
RECV_OUT=copy.bin
receive -i veth1 -o raw -c 1 --timeout "$WAIT_MAX"
send <<'EOF'
head -c 1024 /dev/urandom > file.bin; rawsend -i veth0 < file.bin
EOF
received
echo "$ cmp file.bin copy.bin"
cmp file.bin copy.bin || fail "the copy differs"
echo "file.bin and copy.bin are identical ($(wc -c < copy.bin) bytes)"
cd - > /dev/null || exit 1

heading "Done: removing the namespaces and the veth pair"
