#!/bin/bash
# Round trips over a veth pair, in one run: rawping to rawecho, beside
# iputils arping to the kernel's ARP. A benchmark, never a test.
#
# Then, pinned with taskset to two CPUs (0 and 1; one CPU: both on 0), the
# C reference (tests/bench/rttref.c: blocking and busy recv, timed in user
# space) and rawping to rawecho without and with --busy-poll on both ends,
# requests 1 ms apart, so the ratios come from one run on every machine.
#
# iputils arping 20221126 prints every RTT about 0.5 ms too high (TRAPS), so
# both tools are also timed on the wire: tcpdump on va stamps each request
# leaving and each reply arriving, and the difference is the wire RTT.
# Prints a small table (median, p99, min, max in us) and writes it to
# $BUILD/rtt-results.txt, every sample to $BUILD/rtt-raw.txt, the capture to
# $BUILD/rtt.pcap.
#
#   RTT_COUNT=N     rawping requests (1000), RTT_INTERVAL seconds apart (0.01)
#   RTT_ARPING=N    arping requests (500). arping takes whole seconds between
#                   requests only, and parallel arpings each time the others'
#                   replies, so each request is one `arping -f -c 1`, one
#                   after the other, RTT_INTERVAL apart
#
# Needs root. Frames go only over a veth pair between two namespaces of its
# own (rsrtt-PID-a, -b), removed by a trap even on failure or Ctrl-C.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD
COUNT=${RTT_COUNT:-1000}
INTERVAL=${RTT_INTERVAL:-0.01}
ARPS=${RTT_ARPING:-500}
RES=$BIN/rtt-results.txt
RAW=$BIN/rtt-raw.txt
PCAP=$BIN/rtt.pcap
# tcpdump stats /etc/localtime for every frame unless TZ is set (TRAPS).
export TZ=UTC LC_ALL=C

die() { echo "rtt: $*" >&2; exit 2; }

for v in COUNT ARPS; do
	case ${!v} in
	'' | *[!0-9]* | 0) die "$v must be a positive number, not '${!v}'" ;;
	esac
done
[ "$(id -u)" -eq 0 ] || die "needs root for network namespaces"
[ -x "$BIN/rawping" ] && [ -x "$BIN/rawecho" ] ||
    die "$BIN/rawping or rawecho is not built (make)"
for t in ip tcpdump arping; do
	command -v "$t" > /dev/null || die "$t is missing (sh tests/deps.sh bench)"
done

NS_A=rsrtt-$$-a NS_B=rsrtt-$$-b
IP_A=10.201.0.1 IP_B=10.201.0.2
TMP=$(mktemp -d)
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inA() { ip netns exec "$NS_A" "$@"; }
inB() { ip netns exec "$NS_B" "$@"; }

# wait_for FILE REGEX: bounded, 10 s.
wait_for() {
	local i
	for ((i = 0; i < 1000; i++)); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.01
	done
	die "timed out waiting for /$2/ in $1: $(cat "$1")"
}

ip netns add "$NS_A" && ip netns add "$NS_B" || die "cannot create namespaces"
ip link add va netns "$NS_A" type veth peer name vb netns "$NS_B" ||
    die "cannot create the veth pair"
for ns in "$NS_A" "$NS_B"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
ip -n "$NS_A" addr add "$IP_A/24" dev va
ip -n "$NS_B" addr add "$IP_B/24" dev vb
ip -n "$NS_A" link set va up
ip -n "$NS_B" link set vb up
MAC_A=$(inA cat /sys/class/net/va/address)
MAC_B=$(inB cat /sys/class/net/vb/address)

# The server, and the capture that times both tools on the wire.
# `ip netns exec` execs, so $! is the process itself (never run these
# through a shell function: $! would be a subshell, and SIGINT is ignored
# by background jobs of a script anyway; SIGTERM is not).
ip netns exec "$NS_B" "$BIN/rawecho" -i vb > /dev/null 2> "$TMP/echo.err" &
ECHO=$!
PIDS+=("$ECHO")
wait_for "$TMP/echo.err" "listening on"
ip netns exec "$NS_A" tcpdump -i va -nn -B 8192 --time-stamp-precision=nano -w "$TMP/cap" \
    "arp or ether proto 0xeefa" 2> "$TMP/tcpdump.err" &
TCPDUMP=$!
PIDS+=("$TCPDUMP")
wait_for "$TMP/tcpdump.err" "listening on"

echo "rtt: rawping, $COUNT requests ${INTERVAL}s apart" >&2
inA "$BIN/rawping" -i va -d "$MAC_B" -c "$COUNT" --interval "$INTERVAL" \
    > "$TMP/rawping.out" || die "rawping failed: $(tail -3 "$TMP/rawping.out")"

echo "rtt: arping, $ARPS requests" >&2
for ((k = 0; k < ARPS; k++)); do
	inA arping -f -c 1 -w 1 -I va "$IP_B" >> "$TMP/arping.out" 2>&1
	sleep "$INTERVAL"
done

# Not --immediate-mode: waking tcpdump for every frame competes with
# rawecho for the CPUs and doubled rawping's RTT here. libpcap hands over
# its ring a block at a time, at the latest after its 1 s timeout, and
# loses the block in hand at exit: wait for it.
sleep 1.5
kill -TERM "$TCPDUMP"	# it flushes the file and exits
wait "$TCPDUMP" 2>/dev/null

cp "$TMP/cap" "$PCAP"

# Pinned: the server on CPU_B, the client on CPU_A; the unpinned rawecho
# goes first, or it would answer these requests too.
kill -TERM "$ECHO"
wait "$ECHO" 2>/dev/null
CPU_A=0 CPU_B=$(($(nproc) > 1 ? 1 : 0))
if [ -x "$BIN/bench/rttref" ]; then
	for m in block busy; do
		echo "rtt: C reference, $m recv, $COUNT requests 1 ms apart" >&2
		ip netns exec "$NS_B" taskset -c "$CPU_B" "$BIN/bench/rttref" \
		    echo vb "$m" 60 2> "$TMP/ref.err" &
		REF=$!
		PIDS+=("$REF")
		wait_for "$TMP/ref.err" "listening on"
		inA taskset -c "$CPU_A" "$BIN/bench/rttref" ping va "$MAC_B" "$m" \
		    "$COUNT" > "$TMP/ref.$m" || echo "rtt: rttref $m failed" >&2
		kill -TERM "$REF"
		wait "$REF" 2>/dev/null
	done
fi
# The third: kernel transmit stamps too (--timestamps software).
for k in 0 1 2; do
	b=$( ((k > 0)) && echo --busy-poll)
	ts=$( ((k == 2)) && echo "--timestamps software")
	echo "rtt: rawping ${b:-blocking} $ts, pinned, $COUNT requests 1 ms apart" >&2
	ip netns exec "$NS_B" taskset -c "$CPU_B" "$BIN/rawecho" -i vb $b \
	    --timeout 120 > /dev/null 2> "$TMP/echo2.err" &
	E=$!
	PIDS+=("$E")
	wait_for "$TMP/echo2.err" "listening on"
	inA taskset -c "$CPU_A" "$BIN/rawping" -i va -d "$MAC_B" $b $ts \
	    -c "$COUNT" --interval 0.001 > "$TMP/pin$k.out" 2>/dev/null ||
	    echo "rtt: rawping $b pinned failed" >&2
	kill -TERM "$E"
	wait "$E" 2>/dev/null
done

# Samples, one per line, in us.
sed -nE 's/.* time=([0-9.]+) ms.*/\1/p' "$TMP/rawping.out" |
    awk '{ printf "%.3f\n", $1 * 1000 }' > "$TMP/s.rawping"
for f in pin0 pin1 pin2; do
	sed -nE 's/.* time=([0-9.]+) ms.*/\1/p' "$TMP/$f.out" 2>/dev/null |
	    awk '{ printf "%.3f\n", $1 * 1000 }' > "$TMP/s.rawping_$f"
done
sed -nE 's/^Unicast reply from .* ([0-9.]+)ms$/\1/p' "$TMP/arping.out" |
    awk '{ printf "%.3f\n", $1 * 1000 }' > "$TMP/s.arping"
# Wire: each request from va, then the reply to it from vb.
tcpdump -r "$TMP/cap" -nn -e -tt --time-stamp-precision=nano 2>/dev/null |
    awk -v a="$MAC_A" -v b="$MAC_B" -v ipa="$IP_A" -v ipb="$IP_B" \
    -v dir="$TMP" '
	function pair(kind, is_req, is_rep) {
		if (is_req)
			req[kind] = $1
		else if (is_rep && req[kind] != "") {
			printf "%.3f\n", ($1 - req[kind]) * 1e6 > (dir "/s." kind)
			req[kind] = ""
		}
	}
	/ethertype Unknown \(0xeefa\)/ {
		pair("rawping_wire", $2 == a, $2 == b)
	}
	/ethertype ARP/ {
		pair("arping_wire", $2 == a && / Request who-has / &&
		    index($0, "tell " ipa ","),
		    $2 == b && index($0, " Reply " ipb " is-at "))
	}'

# stats FILE: median p99 min max n (nearest rank).
stats() {
	sort -n "$1" | awk '{ v[NR] = $1 }
	    END {
		if (NR == 0) { print "- - - - 0"; exit }
		m = int((NR + 1) / 2); p = int(NR * 0.99); if (p < NR * 0.99) p++
		printf "%.1f %.1f %.1f %.1f %d\n", v[m], v[p], v[1], v[NR], NR
	    }'
}

row() {
	local label=$1 file=$2 med p99 min max n
	[ -f "$file" ] || : > "$file"
	read -r med p99 min max n < <(stats "$file")
	printf '%-36s median %7s us  p99 %7s us  min %7s us  max %8s us  n=%d\n' \
	    "$label" "$med" "$p99" "$min" "$max" "$n"
}

{
	echo "RTT over a veth pair ($NS_A va -> $NS_B vb), $(uname -r), $(nproc) CPUs"
	echo "  requests: rawping $COUNT (${INTERVAL}s apart, to rawecho), arping $ARPS (to the kernel's ARP)"
	# bench.sh takes the last rawping line and prefers arping's wire line.
	row "rawping, wire (tcpdump)" "$TMP/s.rawping_wire"
	row "rawping, as it reports" "$TMP/s.rawping"
	row "arping, as it prints (+0.5 ms bug)" "$TMP/s.arping"
	row "arping, wire (tcpdump)" "$TMP/s.arping_wire"
	echo "  pinned (taskset: client CPU $CPU_A, server CPU $CPU_B), requests 1 ms apart:"
	for m in block busy; do
		read -r _ _ _ med _ _ p99 _ _ min _ _ n < "$TMP/ref.$m" 2>/dev/null ||
		    med=- p99=- min=- n=0
		printf '%-36s median %7s us  p99 %7s us  min %7s us  n=%d\n' \
		    "rttref, $([ $m = busy ] && echo busy || echo blocking) recv, pinned" \
		    "$med" "$p99" "$min" "$n"
	done
	row "rawping, pinned, as it reports" "$TMP/s.rawping_pin0"
	row "rawping --busy-poll, pinned, as it reports" "$TMP/s.rawping_pin1"
	row "rawping --busy-poll --timestamps software, pinned" "$TMP/s.rawping_pin2"
	grep -E '^[0-9]+ frames transmitted' "$TMP/rawping.out" |
	    sed 's/^/  rawping summary: /'
} | tee "$RES"
for k in rawping rawping_wire arping arping_wire; do
	[ -f "$TMP/s.$k" ] && sed "s/^/$k /" "$TMP/s.$k"
done > "$RAW"
echo "rtt: table in $RES, samples in $RAW, capture in $PCAP" >&2
