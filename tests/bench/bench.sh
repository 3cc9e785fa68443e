#!/bin/bash
# make bench: a benchmark, never a timed test. Measures rawsock against
# trafgen, mausezahn, tcpdump, arping and a Python AF_PACKET loop in a veth
# lab of its own, in one run, and prints one table (metric, ours, peer,
# ours/peer, target, met?). The table goes to $BUILD/bench-results.txt, every
# single measurement to $BUILD/bench-raw.txt. tests/bench/README.md tells
# how to read them.
#
#   BENCH_FRAMES=N  frames a send/receive run, and in the pcap (1000000;
#                   100000 is the quick mode)
#   BENCH_RUNS=N    runs of each send, receive, echo, pipe, formatting and
#                   JSON figure (3); the table shows the median
#   BENCH_STARTS=N  runs of each start-up command (1000)
#   BENCH_PIN=0     do not pin senders and receivers to CPUs
#
# Needs root (namespaces, AF_PACKET). Frames go only over the lab's veth
# pair; the namespaces are removed by a trap, also on failure and Ctrl-C.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD
HERE=$ROOT/tests/bench
PY=/usr/bin/python3		# Debian's, not the slow pyenv shim (TRAPS)
N=${BENCH_FRAMES:-1000000}
RUNS=${BENCH_RUNS:-3}
STARTS=${BENCH_STARTS:-1000}
PIN=${BENCH_PIN:-1}
RAW=$BIN/bench-raw.txt
RES=$BIN/bench-results.txt
SIZES="64 1500"			# whole frames: 14-byte header + payload
# tcpdump stats /etc/localtime for every frame unless TZ is set (TRAPS).
export TZ=UTC
# $EPOCHREALTIME and awk must agree on the decimal point.
export LC_ALL=C

die() { echo "bench: $*" >&2; exit 2; }
say() { echo "bench: $*" >&2; }

for v in N RUNS STARTS; do
	case ${!v} in
	'' | *[!0-9]* | 0) die "$v must be a positive number, not '${!v}'" ;;
	esac
done
[ "$(id -u)" -eq 0 ] || die "needs root for network namespaces (sudo make bench)"
[ -x "$BIN/rawsock" ] || die "$BIN/rawsock is not built (make)"
for t in ip taskset trafgen mausezahn tcpdump "$PY"; do
	command -v "$t" >/dev/null || die "$t is missing (sh tests/deps.sh bench)"
done
APPLETS=$("$BIN/rawsock" --list)
has_applet() { printf '%s\n' "$APPLETS" | grep -qx "$1"; }
# Options are detected from --help, so the script follows the code.
has_opt() { "$BIN/$1" --help 2>&1 | grep -q -e "$2"; }

# An upper bound for every run: a sender slower than 20,000 frames/s is
# broken, not slow.
TIMEOUT=$((30 + N / 20000))

# --- the lab ---------------------------------------------------------------
NS_A=rsbench-$$-a
NS_B=rsbench-$$-b
TMP=
cleanup() {
	trap - EXIT INT TERM HUP
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
# Ctrl-C reaches the whole foreground group (meter.py and what it started);
# the EXIT trap then removes the lab.
trap 'say interrupted; exit 130' INT TERM HUP
TMP=$(mktemp -d /tmp/rawsock-bench.XXXXXX) || die "mktemp failed"

ip netns add "$NS_A" || die "cannot create namespace $NS_A"
ip netns add "$NS_B" || die "cannot create namespace $NS_B"
ip link add va netns "$NS_A" type veth peer name vb netns "$NS_B" ||
    die "cannot create the veth pair"
for ns in "$NS_A" "$NS_B"; do
	# IPv6 chatter would move the counters we measure by (TRAPS).
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null
done
ip -n "$NS_A" link set va up && ip -n "$NS_B" link set vb up ||
    die "cannot bring the veth pair up"
MAC_A=$(ip netns exec "$NS_A" cat /sys/class/net/va/address)
RX_B=/sys/class/net/vb/statistics/rx_packets	# read inside NS_B
RX_A=/sys/class/net/va/statistics/rx_packets	# read inside NS_A

# --- CPU placement -----------------------------------------------------------
NCPU=$(nproc)
PIN_SEND=() PIN_RECV=()
if [ "$PIN" != 0 ] && [ "$NCPU" -ge 2 ]; then
	# trafgen -P 1 pins itself to CPU 0: every one-process sender goes there.
	PIN_SEND=(taskset -c 0)
	PIN_RECV=(taskset -c 1)
	PLACEMENT="one-process senders on CPU 0 (taskset -c 0); receivers, rawecho and the meter on CPU 1 (taskset -c 1); trafgen -P 2 and rawsend -j 2 on both (trafgen pins itself); start-up, formatting and jsonbench unpinned"
else
	PLACEMENT="not pinned (BENCH_PIN=0 or one CPU)"
fi

# --- frames --------------------------------------------------------------------
payload() { head -c "$(($1 - 14))" /dev/zero | tr '\0' x; }
# Whole frame in hex: broadcast, from va, ethertype 0xEEFA, payload of x.
hexframe() {
	printf 'ffffffffffff%seefa' "${MAC_A//:/}"
	payload "$1" | od -An -v -tx1 | tr -d ' \n'
}
for s in $SIZES; do
	{
		printf '{ fill(0xff, 6), '
		printf '0x%s, ' ${MAC_A//:/ }
		printf 'c16(0xeefa), fill(0x78, %d) }\n' $((s - 14))
	} > "$TMP/trafgen-$s.cfg"
done

# --- raw results ---------------------------------------------------------------
mkdir -p "$BIN"
: > "$RAW"
raw() { echo "$*" >> "$RAW"; }
head_line() { raw "# $*"; }
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit+uncommitted src changes"
head_line "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
head_line "commit: $commit"
head_line "machine: $NCPU CPUs, ${cpu_model:-unknown CPU}, Linux $(uname -r)"
head_line "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
head_line "frames: $N a run, $RUNS runs (median); start-up runs: $STARTS"
head_line "placement: $PLACEMENT"
head_line "peers: $(trafgen -v 2>&1 | head -1); $(tcpdump --version 2>&1 | head -1); $($PY --version 2>&1)"

# meter MODE NS COUNTER FRAMES LOG [meter options] -- CMD...
meter() {
	local mode=$1 ns=$2 counter=$3 frames=$4 log=$5
	shift 5
	ip netns exec "$ns" "${PIN_RECV[@]}" "$PY" "$HERE/meter.py" "$mode" \
	    --counter "$counter" --frames "$frames" --timeout "$TIMEOUT" \
	    --log "$TMP/$log" "$@" 2>>"$TMP/meter.err"
}
# log_err NAME FILE: a receiver's standard error into the raw file.
log_err() { head -5 "$2" | sed "s/^/# $1: /" >> "$RAW"; }
# Value of KEY in a line of key=value pairs.
kv() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

# --- 1. send rate ----------------------------------------------------------------
SENDERS="rawsend"
has_opt rawsend '-j[ ,]' && SENDERS="$SENDERS rawsend-j2"
SENDERS="$SENDERS trafgen-P1 trafgen-P2 mausezahn python"

# sender_cmd TOOL SIZE COUNT: sets CMD to the sender's argv, in NS_A.
sender_cmd() {
	local s=$2 c=$3
	case $1 in
	rawsend) CMD=("${PIN_SEND[@]}" "$BIN/rawsend" -i va -c "$c"
	    "$(payload "$s")") ;;
	rawsend-j2) CMD=("$BIN/rawsend" -i va -j 2 -c "$c" "$(payload "$s")") ;;
	trafgen-P1) CMD=("${PIN_SEND[@]}" trafgen --dev va
	    --conf "$TMP/trafgen-$s.cfg" --num "$c" --cpus 1 --no-sock-mem) ;;
	trafgen-P2) CMD=(trafgen --dev va --conf "$TMP/trafgen-$s.cfg"
	    --num "$c" --cpus 2 --no-sock-mem) ;;
	mausezahn) CMD=("${PIN_SEND[@]}" mausezahn va -c "$c" -a "$MAC_A"
	    -b bcast "ee fa$(payload "$s" | od -An -v -tx1 | tr -s ' \n' ' ')") ;;
	python) CMD=("${PIN_SEND[@]}" "$PY" "$HERE/pysend_loop.py" va
	    "$(hexframe "$s")" "$c") ;;
	esac
	CMD=(ip netns exec "$NS_A" "${CMD[@]}")
}

say "send: $N frames a run, $RUNS runs, senders: $SENDERS"
for r in $(seq "$RUNS"); do
	for s in $SIZES; do
		for t in $SENDERS; do
			sender_cmd "$t" "$s" "$N"
			out=$(meter send "$NS_B" "$RX_B" "$N" "send-$t-$s-$r" \
			    -- "${CMD[@]}")
			raw "send size=$s tool=$t run=$r frames=$N $out"
			say "send ${s}B $t run $r/$RUNS: $(kv rate "$out") frames/s" \
			    "($(kv counted "$out") counted, status $(kv send_status "$out"))"
		done
	done
done

# --- 2. receive --------------------------------------------------------------
# Against the fastest one-process sender of 64-byte frames: a sender on both
# CPUs of a 2-CPU machine would leave the receiver none of its own.
FASTEST=$("$PY" "$HERE/table.py" fastest "$RAW")
[ -n "$FASTEST" ] || FASTEST=rawsend
head_line "receive sender: $FASTEST (64-byte frames)"
RECEIVERS="rawrecv-raw rawrecv-file tcpdump"
say "receive: $RECEIVERS against $FASTEST"
for r in $(seq "$RUNS"); do
	for t in $RECEIVERS; do
		out_file=/dev/null
		case $t in
		rawrecv-raw) RCMD=("$BIN/rawrecv" -i vb -c "$N" -o raw) ;;
		rawrecv-file) RCMD=("$BIN/rawrecv" -i vb -c "$N")
		    out_file=$TMP/recv.txt ;;
		tcpdump) RCMD=(tcpdump -i vb -nn -w /dev/null -c "$N") ;;
		esac
		RCMD=(ip netns exec "$NS_B" "${PIN_RECV[@]}" "${RCMD[@]}")
		sender_cmd "$FASTEST" 64 "$N"
		log=recv-$t-$r
		out=$(meter recv "$NS_B" "$RX_B" "$N" "$log" \
		    --recv-out "$out_file" -- "${RCMD[@]}" :: "${CMD[@]}")
		err=$TMP/$log.recv.err
		drops=0 caught= est=0
		case $t in
		tcpdump)
			caught=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$err")
			drops=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$err")
			;;
		rawrecv-*)
			d=$(sed -n 's/.*: \([0-9]*\) frames\{0,1\} dropped by the kernel.*/\1/p' "$err")
			drops=${d:-0}
			caught=$(sed -n 's/.*: \([0-9]*\) frames\{0,1\} received.*/\1/p' "$err")
			if [ "$t" = rawrecv-file ] && [ -f "$out_file" ]; then
				caught=$(($(wc -l < "$out_file") / 2))
			elif [ -z "$caught" ] && [ "$(kv recv_status "$out")" = 0 ] &&
			    [ -z "$(kv recv_signalled "$out")" ]; then
				caught=$N	# -c N reached
			elif [ -z "$caught" ]; then
				# Ended by SIGINT short of N: what reached vb less
				# what the socket dropped, an estimate.
				caught=$(($(kv counted "$out") - drops)) est=1
			fi
			;;
		esac
		rm -f "$TMP/recv.txt"
		raw "recv tool=$t run=$r frames=$N sender=$FASTEST caught=${caught:-0}" \
		    "drops=${drops:-0} estimated=$est $out"
		log_err "$log" "$err"
		say "receive $t run $r/$RUNS: caught ${caught:-0}, drops" \
		    "${drops:-0}, $(kv recv_cpu "$out") CPU s"
	done
done

# --- 2b. echo (issue 7: a 100,000-frame burst, no loss, >= 500 k/s) -----------
if has_applet rawecho; then
	ECHO_N=100000
	[ "$N" -lt "$ECHO_N" ] && ECHO_N=$N
	say "echo: rawecho answering a $ECHO_N-frame burst from rawsend"
	for r in $(seq "$RUNS"); do
		RCMD=(ip netns exec "$NS_B" "${PIN_RECV[@]}" "$BIN/rawecho"
		    -i vb -v -c "$ECHO_N")
		sender_cmd rawsend 64 "$ECHO_N"
		# Replies are counted where they arrive: va, in NS_A.
		out=$(meter recv "$NS_A" "$RX_A" "$ECHO_N" "echo-$r" \
		    -- "${RCMD[@]}" :: "${CMD[@]}")
		err=$TMP/echo-$r.recv.err
		d=$(sed -n 's/.*: \([0-9]*\) frames\{0,1\} dropped by the kernel.*/\1/p' "$err")
		a=$(sed -n 's/.* received, \([0-9]*\) answered.*/\1/p' "$err")
		raw "echo tool=rawecho run=$r frames=$ECHO_N answered=${a:-}" \
		    "drops=${d:-0} $out"
		log_err "echo-$r" "$err"
		say "echo run $r/$RUNS: $(kv counted "$out") replies," \
		    "$(kv rate "$out") frames/s"
	done
fi

# --- 2c. pipe and exec: one handler for the run against a shell a frame ----
# rawecho --pipe cat: cat hands each request line back, so each reply is
# the request itself (broadcast, the requester's src), sent from vb and
# counted at va. rawecho -e cat runs a shell for each frame: a few hundred a
# second, so a small burst (the 64 MB socket buffer holds it all).
if has_applet rawecho && has_opt rawecho '--pipe'; then
	PIPE_N=100000 EXEC_N=500
	[ "$N" -lt "$PIPE_N" ] && PIPE_N=$N
	[ "$N" -lt "$EXEC_N" ] && EXEC_N=$N
	say "pipe: rawecho --pipe cat answering a $PIPE_N-frame burst," \
	    "rawecho -e cat a $EXEC_N-frame one"
	for r in $(seq "$RUNS"); do
		for t in pipe exec; do
			if [ "$t" = pipe ]; then
				n=$PIPE_N handler=(--pipe cat)
			else
				n=$EXEC_N handler=(-e cat)
			fi
			RCMD=(ip netns exec "$NS_B" "${PIN_RECV[@]}" "$BIN/rawecho"
			    -i vb -v -c "$n" "${handler[@]}")
			sender_cmd rawsend 64 "$n"
			out=$(meter recv "$NS_A" "$RX_A" "$n" "$t-$r" \
			    -- "${RCMD[@]}" :: "${CMD[@]}")
			err=$TMP/$t-$r.recv.err
			if [ "$t" = pipe ]; then
				a=$(sed -n 's/.* \([0-9]*\) repl\(y\|ies\) sent.*/\1/p' "$err")
				lf=$(sed -n 's/.* \([0-9]*\) lines\{0,1\} failed.*/\1/p' "$err")
				d=$(sed -n 's/.* \([0-9]*\) dropped by the kernel.*/\1/p' "$err")
				extra="sent=${a:-} line_failed=${lf:-} drops=${d:-0}"
			else
				a=$(sed -n 's/.* received, \([0-9]*\) answered.*/\1/p' "$err")
				extra="answered=${a:-}"
			fi
			raw "$t tool=rawecho-$t run=$r frames=$n $extra $out"
			log_err "$t-$r" "$err"
			say "$t run $r/$RUNS: $(kv counted "$out") replies," \
			    "$(kv rate "$out") frames/s"
		done
	done
fi

# --- 3. RTT: rawping vs arping (tests/bench/rtt.sh, issue 4) -------------------
if has_applet rawping && [ -f "$HERE/rtt.sh" ]; then
	say "rtt: tests/bench/rtt.sh (rawping to rawecho beside arping)"
	# Bounded like everything else; --foreground keeps Ctrl-C reaching it.
	BUILD=$BUILD timeout --foreground -k 15 "${BENCH_RTT_LIMIT:-600}" \
	    bash "$HERE/rtt.sh" > "$TMP/rtt.out" 2>"$TMP/rtt.err" ||
	    say "rtt.sh failed: $(tail -1 "$TMP/rtt.err")"
	head_line "rtt: tests/bench/rtt.sh, its own lab, placement: not pinned, but for the rows marked pinned (taskset)"
	sed 's/^/# rtt.sh: /' "$TMP/rtt.out" >> "$RAW"
	"$PY" "$HERE/table.py" rtt "$TMP/rtt.out" >> "$RAW"
else
	why="no rawping applet"
	has_applet rawping && why="no tests/bench/rtt.sh"
	head_line "rtt: not measured ($why)"
fi

# --- 4. start-up, size, libraries ------------------------------------------------
if has_opt rawsend '--dry-run'; then
	START=("$BIN/rawsend" --dry-run x)
else
	START=("$BIN/rawsend" --help)
fi
head_line "start-up command: ${START[*]#$ROOT/}"
say "start-up: $STARTS runs of '${START[*]#$ROOT/}' and /bin/true"
if command -v hyperfine >/dev/null; then
	hyperfine -N --style none --warmup 50 --runs "$STARTS" \
	    --export-json "$TMP/start.json" \
	    "'${START[0]}' ${START[*]:1}" /bin/true >/dev/null 2>&1 ||
	    say "hyperfine failed"
	"$PY" "$HERE/table.py" hyperfine "$TMP/start.json" rawsend true >> "$RAW"
else
	# No hyperfine: a loop, each run a fork and exec from bash.
	for t in rawsend true; do
		[ "$t" = true ] && cmd=(/bin/true) || cmd=("${START[@]}")
		t0=$EPOCHREALTIME
		for ((i = 0; i < STARTS; i++)); do "${cmd[@]}" >/dev/null; done
		t1=$EPOCHREALTIME
		raw "start tool=$t mean_ms=$(awk -v a="$t0" -v b="$t1" \
		    -v n="$STARTS" 'BEGIN { printf "%.4f", (b - a) * 1000 / n }')"
	done
fi
strip -o "$TMP/rawsock.stripped" "$BIN/rawsock" &&
    raw "size tool=rawsock bytes=$(stat -c %s "$TMP/rawsock.stripped")"
for p in trafgen arping tcpdump; do
	f=$(command -v "$p") && strip -o "$TMP/$p.stripped" "$f" 2>/dev/null &&
	    raw "size tool=$p bytes=$(stat -c %s "$TMP/$p.stripped")"
done
for p in "$BIN/rawsock" "$(command -v tcpdump)" "$(command -v trafgen)"; do
	raw "libs tool=$(basename "$p") count=$(ldd "$p" | grep -c '=>')"
done

# --- 5. formatting ------------------------------------------------------------
PCAP=$TMP/frames.pcap
if has_opt rawrecv '-r, --read'; then
	say "formatting: writing a $N-frame pcap"
	if ! { has_opt rawsend '--dry-run' &&
	    "$BIN/rawsend" --dry-run -c "$N" -w "$PCAP" "$(payload 64)"; }; then
		"$PY" "$HERE/pcapgen.py" "$PCAP" "$(hexframe 64)" "$N" ||
		    die "cannot write $PCAP"
	fi
	FMTS="rawpacket hex json tcpdump"
	for r in $(seq "$RUNS"); do
		for f in $FMTS; do
			if [ "$f" = tcpdump ]; then
				cmd=(tcpdump -r "$PCAP" -nn -e -q -A)
			else
				cmd=("$BIN/rawrecv" -r "$PCAP" -o "$f")
			fi
			t0=$EPOCHREALTIME
			"${cmd[@]}" >/dev/null 2>>"$TMP/fmt.err"
			st=$?
			t1=$EPOCHREALTIME
			secs=$(awk -v a="$t0" -v b="$t1" \
			    'BEGIN { printf "%.6f", b - a }')
			raw "fmt tool=$f run=$r frames=$N secs=$secs status=$st"
			say "formatting $f run $r/$RUNS: $secs s"
		done
	done
else
	head_line "formatting: not measured (rawrecv has no -r)"
fi

# --- 5b. JSON: print_json and jsonframe_decode of one 64-byte frame -----------
JSONBENCH=$BIN/bench/jsonbench
if [ -x "$JSONBENCH" ]; then
	say "json: $JSONBENCH, $RUNS runs"
	for r in $(seq "$RUNS"); do
		out=$("$JSONBENCH" 2>>"$TMP/json.err") ||
		    say "jsonbench failed: $(tail -1 "$TMP/json.err")"
		case $out in
		json\ *) raw "$out run=$r" ;;
		esac
		say "json run $r/$RUNS: format $(kv format_ns "$out") ns," \
		    "parse $(kv parse_ns "$out") ns"
	done
else
	head_line "json: not measured (no ${JSONBENCH#$ROOT/}: make $BUILD/bench/jsonbench)"
fi

head_line "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" "$HERE/table.py" table "$RAW" > "$RES" || die "table.py failed"
cat "$RES"
say "table in ${RES#$ROOT/}, every measurement in ${RAW#$ROOT/}"
