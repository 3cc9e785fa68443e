# Shared by every .bats file: paths, the veth lab, background processes.
#
# The lab is two network namespaces, NS_A and NS_B, joined by a veth pair:
# interface "va" in NS_A, "vb" in NS_B. Names are unique to the test file
# and process, so files never share a lab. Call lab_setup from setup_file
# and lab_teardown from teardown_file; call bg_cleanup from teardown.

bats_require_minimum_version 1.5.0

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD
# Debian's python3: the python3 on PATH may be a pyenv shim that takes
# about 85 ms to start.
PY=/usr/bin/python3
PEERS=$ROOT/tests/peers
# Upper bound for any wait in a test, in seconds.
WAIT_MAX=${WAIT_MAX:-10}

is_root() { [ "$(id -u)" -eq 0 ]; }

# T NAME: the path of NAME in this test's own temporary directory.
T() { echo "$BATS_TEST_TMPDIR/$1"; }

# hex: standard input as one line of lowercase hex, no spaces.
hex() { od -An -v -tx1 | tr -d ' \n'; }

# The version the source declares (src/applet.h RAWSOCK_VERSION).
RAWSOCK_VERSION=$(sed -n 's/^#define RAWSOCK_VERSION[[:space:]]*"\(.*\)"/\1/p' \
    "$ROOT/src/applet.h")

# Skips a test that needs the wire when we cannot build a lab.
need_lab() {
	is_root || skip "needs root to create network namespaces"
	[ -n "${NS_A:-}" ] || skip "lab was not set up"
}

lab_setup() {
	is_root || return 0
	local tag
	tag=$(basename "$BATS_TEST_FILENAME" .bats | tr -c 'a-zA-Z0-9\n' '-')
	export NS_A="rs-$tag-$$-a" NS_B="rs-$tag-$$-b"
	ip netns add "$NS_A"
	ip netns add "$NS_B"
	# Created inside the namespaces, so nothing appears in ours.
	ip link add va netns "$NS_A" type veth peer name vb netns "$NS_B"
	local ns
	for ns in "$NS_A" "$NS_B"; do
		# IPv6 chatter (router solicitations, MLD) would pollute captures.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	done
	ip -n "$NS_A" link set va up
	ip -n "$NS_B" link set vb up
	MAC_A=$(ip netns exec "$NS_A" cat /sys/class/net/va/address)
	MAC_B=$(ip netns exec "$NS_B" cat /sys/class/net/vb/address)
	export MAC_A MAC_B
}

lab_teardown() {
	[ -n "${NS_A:-}" ] || return 0
	ip netns del "$NS_A" 2>/dev/null || true
	ip netns del "$NS_B" 2>/dev/null || true
}

# Run a command in a namespace. ip netns exec execs the command, so the PID
# of `inA cmd &`... is NOT the command's: use bg_start for background work.
inA() { ip netns exec "$NS_A" "$@"; }
inB() { ip netns exec "$NS_B" "$@"; }

# bg_start NAME NS CMD...: starts CMD in namespace NS in the background with
# stdout in $BATS_TEST_TMPDIR/NAME.out and stderr in NAME.err; fd 3 closed
# so bats does not wait for it. Sets BG_PID and remembers it for cleanup.
BG_PIDS=()
bg_start() {
	local name=$1 ns=$2
	shift 2
	# The child truncates these only once it runs: a reused name must not
	# show the last run's readiness line meanwhile.
	rm -f "$BATS_TEST_TMPDIR/$name.out" "$BATS_TEST_TMPDIR/$name.err"
	ip netns exec "$ns" "$@" \
	    > "$BATS_TEST_TMPDIR/$name.out" 2> "$BATS_TEST_TMPDIR/$name.err" \
	    < /dev/null 3>&- &
	BG_PID=$!	# ip netns exec becomes the command: this is its PID
	BG_PIDS+=("$BG_PID")
}

# wait_for_line FILE REGEX [SECONDS]: until a line of FILE matches.
wait_for_line() {
	local file=$1 re=$2 limit=${3:-$WAIT_MAX} i
	for ((i = 0; i < limit * 100; i++)); do
		grep -qE -- "$re" "$file" 2>/dev/null && return 0
		sleep 0.01
	done
	echo "timed out after ${limit}s waiting for /$re/ in $file:" >&2
	cat "$file" >&2
	return 1
}

# pyrecv_start NAME NS IFACE ETHERTYPE COUNT [TIMEOUT]: the independent
# python3 receiver (tests/peers/pyrecv.py) in the background, bound.
pyrecv_start() {
	bg_start "$1" "$2" "$PY" "$PEERS/pyrecv.py" "$3" "$4" "$5" "${6:-5}"
	wait_for_line "$(T "$1.err")" "pyrecv: listening"
}

# bg_start_in NAME NS INPUT CMD...: bg_start with standard input from INPUT.
bg_start_in() {
	local name=$1 ns=$2 input=$3
	shift 3
	rm -f "$(T "$name.out")" "$(T "$name.err")"
	ip netns exec "$ns" "$@" > "$(T "$name.out")" 2> "$(T "$name.err")" \
	    < "$input" 3>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# echo_start NAME NS ARGS...: rawecho in the background, ready to answer.
echo_start() { applet_start "$1" "$2" rawecho "${@:3}"; }

# The header rawsend puts in front of a payload from va by default:
# broadcast, va's MAC, 0xeefa.
hdr_a() { echo "ffffffffffff${MAC_A//:/}eefa"; }

# ASan's shadow memory makes RSS meaningless, and valgrind cannot run it.
is_sanitized() { grep -qa __asan_init "$BIN/rawsock"; }

# AS_NOBODY CMD...: an array, so that ip netns exec can run it too: CMD
# as nobody, with no groups, so no capability of any kind.
AS_NOBODY=(setpriv --reuid="$(id -u nobody 2>/dev/null || echo 65534)" \
    --regid="$(id -g nobody 2>/dev/null || echo 65534)" --clear-groups)

# field PID NAME: the value of a line of /proc/PID/status.
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }

# no_caps PID [any-bounding-set]: PID holds no capability and can gain none
# (no_new_privs); the bounding set is empty too, unless told otherwise (a
# process that never was root cannot empty it, and needs not: no_new_privs
# already keeps execve from granting anything).
no_caps() {
	local pid=$1 f
	grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs):' "/proc/$pid/status" |
	    sed 's/^/# /' >&2
	for f in CapInh CapPrm CapEff CapAmb; do
		[ "$(field "$pid" "$f")" = 0000000000000000 ]
	done
	[ "$(field "$pid" NoNewPrivs)" = 1 ]
	if [ -z "${2:-}" ]; then
		[ "$(field "$pid" CapBnd)" = 0000000000000000 ]
	fi
}

# blocked_on_stdin PID: waits (bounded) until PID sleeps in read(0, ...),
# or in the ppoll() of its event loop, which waits for standard input
# before every read; that is, waits for its standard input.
blocked_on_stdin() {
	local i nr ppoll call
	case $(uname -m) in
	x86_64) nr=0 ppoll=271 ;;
	aarch64 | riscv64) nr=63 ppoll=73 ;;
	*) nr='[0-9]*' ppoll=none ;;	# any call on descriptor 0
	esac
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		call=$(cut -d' ' -f1,2 "/proc/$1/syscall" 2>/dev/null || true)
		# shellcheck disable=SC2053
		[[ $call == $nr\ 0x0 || ${call%% *} == "$ppoll" ]] && return 0
		sleep 0.01
	done
	echo "# $1 never waited for its standard input" >&2
	return 1
}

# A second veth pair in the lab: hx in NS_A, hy in NS_B.
extra_pair() {
	ip link add hx netns "$NS_A" type veth peer name hy netns "$NS_B"
	ip -n "$NS_A" link set hx up
	ip -n "$NS_B" link set hy up
}

# mkpcap OUT [LINKTYPE [MAGIC [ENDIAN]]] < "TS_NS HEX [WIRELEN]" lines:
# a classic pcap file (microseconds, little-endian by default); HEX "-" is
# an empty record. The script goes in -c: standard input carries the frames.
MKPCAP_PY='
import struct, sys
out = sys.argv[1]
link = int(sys.argv[2], 0) if len(sys.argv) > 2 else 1
magic = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0xa1b2c3d4
e = sys.argv[4] if len(sys.argv) > 4 else "<"
scale = 1 if magic == 0xa1b23c4d else 1000
d = struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 262144, link)
for line in sys.stdin:
    f = line.split()
    ts, frame = int(f[0]), bytes.fromhex(f[1].replace("-", ""))
    wire = int(f[2]) if len(f) > 2 else len(frame)
    d += struct.pack(e + "IIII", ts // 10**9, ts % 10**9 // scale,
                     len(frame), wire) + frame
open(out, "wb").write(d)
'
mkpcap() { "$PY" -c "$MKPCAP_PY" "$@"; }

# gone PID [SECONDS]: waits (bounded) until PID is no more (or a zombie);
# 1 if it still runs then. Never kills.
gone() {
	local pid=$1 limit=${2:-$WAIT_MAX} i state
	for ((i = 0; i < limit * 100; i++)); do
		state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
		[ -z "$state" ] || [ "$state" = Z ] && return 0
		sleep 0.01
	done
	echo "# process $pid still runs" >&2
	return 1
}

# pysend HEXFRAME [COUNT]: the python3 sender (tests/peers/pysend.py), va.
pysend() { inA "$PY" "$PEERS/pysend.py" va "$@"; }

# recv_start NAME NS ARGS...: rawrecv in the background, ready to receive.
recv_start() { applet_start "$1" "$2" rawrecv "${@:3}"; }

# applet_start NAME NS APPLET ARGS...: a receiving applet in the
# background, once its readiness line shows.
applet_start() {
	local name=$1 ns=$2 applet=$3
	shift 3
	bg_start "$name" "$ns" "$BIN/$applet" "$@"
	wait_for_line "$BATS_TEST_TMPDIR/$name.err" "listening on"
}

# bg_wait PID [SECONDS]: waits for PID to end (bounded) and returns its
# status; kills it and returns 124 if it outlives the limit.
bg_wait() {
	local pid=$1 limit=${2:-$WAIT_MAX} i
	for ((i = 0; i < limit * 100; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			return
		fi
		sleep 0.01
	done
	kill "$pid" 2>/dev/null
	# One that ignores SIGTERM gets SIGKILL after a second.
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 124
}

# Ends what this test started, by PID only.
bg_cleanup() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	BG_PIDS=()
}

# rx_packets NS IFACE: frames the interface has received.
rx_packets() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"
}

# expect_error WANT CMD...: CMD fails as every bad input must: status 2,
# exactly the one line WANT on stderr, nothing on stdout, and nothing on
# the wire (rx_packets of both lab ends unchanged). Runs in NS_A when there
# is a lab, so interface names are the lab's (va); without root it runs
# here, where argument errors still come before any socket is opened.
expect_error() {
	local want=$1 before="" after=""
	shift
	if [ -n "${NS_A:-}" ]; then
		before="$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)"
		run --separate-stderr ip netns exec "$NS_A" "$@" < /dev/null
		after="$(rx_packets "$NS_A" va) $(rx_packets "$NS_B" vb)"
	else
		run --separate-stderr "$@" < /dev/null
	fi
	printf '# %s\n# status %s, stdout [%s], stderr [%s], rx %s -> %s\n' \
	    "$*" "$status" "$output" "$stderr" "$before" "$after" >&2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ "$stderr" = "$want" ]
	[ "$before" = "$after" ]
}

# bg_expect PID STATUS [SECONDS]: bg_wait for PID (SECONDS at most) and
# check its exit status; STATUS may list the statuses allowed, as "0|1".
# Call it directly, never through `run`: run's subshell cannot wait for
# this shell's children, so `run bg_wait PID` fails while PID still runs.
bg_expect() {
	local rc=0
	bg_wait "$1" "${3:-$WAIT_MAX}" || rc=$?
	case "|$2|" in
	*"|$rc|"*) ;;
	*)
		echo "# process $1 exited with $rc, not $2" >&2
		return 1
		;;
	esac
}

# usr1_until PID FILE REGEX: asks PID for its progress report (SIGUSR1)
# until a line of FILE, its stderr, matches REGEX; bounded by WAIT_MAX.
usr1_until() {
	local pid=$1 file=$2 re=$3 i j
	for ((i = 0; i < WAIT_MAX * 10; i++)); do
		kill -USR1 "$pid" 2>/dev/null || break
		for ((j = 0; j < 10; j++)); do
			grep -qE -- "$re" "$file" 2>/dev/null && return 0
			sleep 0.01
		done
	done
	echo "# process $pid never reported /$re/ in $file:" >&2
	cat "$file" >&2
	return 1
}

# signal_expect PID SIG STATUS: sends SIG and expects PID to exit with
# STATUS within WAIT_MAX seconds; one that ignores the signal is killed.
signal_expect() {
	local pid=$1 sig=$2 want=$3 i rc=0
	kill -"$sig" "$pid"
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.01
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null || true
		echo "# process $pid ignored SIG$sig" >&2
		return 1
	fi
	wait "$pid" || rc=$?
	[ "$rc" -eq "$want" ] || {
		echo "# process $pid exited with $rc after SIG$sig, not $want" >&2
		return 1
	}
}

# if_stat NS IFACE COUNTER: one of the interface's statistics.
if_stat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }

# counter_moves NS IFACE COUNTER FROM: waits (bounded) until the counter
# passes FROM; rx_moves and tx_moves for the packet counts.
counter_moves() {
	local i
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ "$(if_stat "$1" "$2" "$3")" -gt "$4" ] && return 0
		sleep 0.01
	done
	echo "# $3 of $2 in $1 did not move" >&2
	return 1
}
rx_moves() { counter_moves "$1" "$2" rx_packets "$3"; }
tx_moves() { counter_moves "$1" "$2" tx_packets "$3"; }

# seq_setup SIZE N: the lab, and N numbered payloads of SIZE bytes
# (tests/peers/seqcheck.py) as hex lines in $SEQ; for setup_file.
seq_setup() {
	lab_setup
	is_root || return 0
	export SEQ="$BATS_FILE_TMPDIR/seq.hex"
	"$PY" "$PEERS/seqcheck.py" gen "$1" "$2" > "$SEQ"
}
