#!/usr/bin/env bats
# Stopping and accounting: how every applet ends (signals, timeouts, a
# stalled reader, an interface gone, a link without carrier, a closed or
# full standard output), and what the receivers say at the end: every frame
# the peer sent is printed, or reported as received but not printed,
# dropped by the kernel, or dropped by the interface, exactly.

load helpers

# Numbered payloads of SIZE bytes (tests/peers/seqcheck.py), N of them.
SIZE=64
N=200000

setup_file() { seq_setup "$SIZE" "$N"; }
teardown_file() { lab_teardown; }

# ours PID: PID (still) runs our rawsock, or a command naming this test's
# directory (a handler): never a stranger that reused a PID.
ours() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(readlink -f "$BIN/rawsock")" ] ||
	    tr '\0' ' ' 2>/dev/null < "/proc/$1/cmdline" |
	    grep -qF "$BATS_TEST_TMPDIR"
}

# PIDs this test started other than through bg_start (the receiver of a
# pipeline, a handler): killed by PID in teardown.
EXTRA_PIDS=()

teardown() {
	local pid f
	for f in "$BATS_TEST_TMPDIR"/*.pid; do
		[ -s "$f" ] && EXTRA_PIDS+=("$(cat "$f")")
	done
	for pid in "${EXTRA_PIDS[@]}"; do
		ours "$pid" || continue
		# A handler's own children (its sleep), listed, killed by PID.
		for f in $(pgrep -P "$pid" 2>/dev/null); do
			kill -KILL "$f" 2>/dev/null || true
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	EXTRA_PIDS=()
	# What a failed test left running is killed outright: bg_cleanup's
	# SIGTERM would wait forever on a process that ignores it.
	for pid in "${BG_PIDS[@]}"; do
		for f in $(pgrep -P "$pid" 2>/dev/null); do
			kill -KILL "$f" 2>/dev/null || true
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	bg_cleanup
	if [ -n "${NS_A:-}" ]; then
		ip -n "$NS_A" link del vc 2>/dev/null || true
		ip -n "$NS_B" link set vb mtu 1500 2>/dev/null || true
		ip -n "$NS_B" link set vb up 2>/dev/null || true
		ip -n "$NS_A" link set va up 2>/dev/null || true
	fi
}


# sig_ready PID SIGNUM: waits (bounded) until PID runs rawsock, catches or
# blocks signal SIGNUM (so sending it cannot kill it by default), and
# sleeps waiting for something. Only then is a signal a fair question.
sig_ready() {
	local pid=$1 bit=$((1 << ($2 - 1))) exe i cgt blk state
	exe=$(readlink -f "$BIN/rawsock")
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$exe" ]; then
			cgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status")
			blk=$(awk '/^SigBlk:/ { print $2 }' "/proc/$pid/status")
			state=$(awk '{ print $3 }' "/proc/$pid/stat")
			if (((0x$cgt | 0x$blk) & bit)) && [ "$state" = S ]; then
				return 0
			fi
		fi
		sleep 0.01
	done
	echo "# process $pid does not catch or block signal $2 (SigCgt $cgt, SigBlk $blk, state $state)" >&2
	return 1
}

# drained FD: waits (bounded) until nothing is left unread in the FIFO open
# on this shell's FD: the process at its other end has read it all.
drained() {
	"$PY" -c 'import fcntl, struct, sys, termios, time
fd, end = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    left = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]
    if left == 0:
        sys.exit(0)
    time.sleep(0.01)
print("# %d bytes still unread in the FIFO" % left, file=sys.stderr)
sys.exit(1)' "$1" "$WAIT_MAX"
}

# slow_start NAME NS CMD...: CMD in NS with its standard output a pipe to a
# reader that reads nothing until the test opens the gate (slow_finish),
# then copies all of it to NAME.txt. CMD's stderr is NAME.err; its own PID
# is in NAME.pid and SLOW_PID, its exit status in NAME.status at the end.
# BG_PID is the pipeline's shell, which ends when both sides have.
slow_start() {
	local name=$1 ns=$2 i
	shift 2
	rm -f "$(T "$name.pid")" "$(T "$name.go")" "$(T "$name.status")"
	bg_start "$name" "$ns" bash -c '
	    pidf=$1 gate=$2 txt=$3 statf=$4 limit=$5
	    shift 5
	    { echo "$BASHPID" > "$pidf"; exec "$@"; } |
	    {
		# The slow reader: nothing read until the gate opens
		# (bounded, so a broken test cannot leave it behind).
		for ((i = 0; i < limit * 100; i++)); do
			[ -e "$gate" ] && break
			sleep 0.01
		done
		cat > "$txt"
	    }
	    echo "${PIPESTATUS[0]}" > "$statf"' _ \
	    "$(T "$name.pid")" "$(T "$name.go")" "$(T "$name.txt")" \
	    "$(T "$name.status")" $((WAIT_MAX * 3)) "$@"
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ -s "$(T "$name.pid")" ] && break
		sleep 0.01
	done
	SLOW_PID=$(cat "$(T "$name.pid")")
	EXTRA_PIDS+=("$SLOW_PID")
}

# slow_finish NAME STATUS: lets the slow reader read, once CMD has ended (or, if it
# cannot end before its output is read, after a bounded wait), then waits
# for the pipeline and checks CMD's exit status is STATUS.
slow_finish() {
	local name=$1 want=$2 pid got
	pid=$(cat "$(T "$name.pid")")
	gone "$pid" 4 || echo "# $name still runs with its reader stalled" >&2
	touch "$(T "$name.go")"
	bg_expect "$BG_PID" 0
	got=$(cat "$(T "$name.status")")
	[ "$got" -eq "$want" ] || {
		echo "# $name exited with $got, not $want" >&2
		return 1
	}
}

# closing_report APPLET FILE WHAT: the receivers' closing report in FILE,
# "APPLET: N frames received but WHAT", "... dropped by the kernel",
# "... dropped by the interface": each at most once, only when N > 0, in
# that order, "frame" when N is 1. Sets NOTDONE, KDROP and IDROP (0 when
# absent).
closing_report() {
	local app=$1 file=$2 what=$3 line n rank last=0 re
	re="^$app: ([0-9]+) (frames?) (received but $what|dropped by the kernel|dropped by the interface)$"
	NOTDONE=0 KDROP=0 IDROP=0
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		n=${BASH_REMATCH[1]}
		case ${BASH_REMATCH[3]} in
		received*) rank=1 NOTDONE=$n ;;
		*kernel) rank=2 KDROP=$n ;;
		*interface) rank=3 IDROP=$n ;;
		esac
		if [ "$n" -eq 0 ] || [ "$rank" -le "$last" ] ||
		    { [ "$n" -eq 1 ] && [ "${BASH_REMATCH[2]}" != frame ]; } ||
		    { [ "$n" -ne 1 ] && [ "${BASH_REMATCH[2]}" != frames ]; }; then
			echo "# bad closing report line: '$line'" >&2
			return 1
		fi
		last=$rank
	done < "$file"
}

# only_lines FILE REGEX...: every line of FILE matches one of the REGEXes.
only_lines() {
	local file=$1 line re ok
	shift
	while IFS= read -r line; do
		ok=0
		for re in "$@"; do
			[[ $line =~ $re ]] && { ok=1; break; }
		done
		[ "$ok" -eq 1 ] || {
			echo "# unexpected line in ${file##*/}: '$line'" >&2
			return 1
		}
	done < "$file"
}

# The closing report's lines, for only_lines.
report_res() {
	echo "^$1: [0-9]+ frames? received but $2\$"
	echo "^$1: [0-9]+ frames? dropped by the kernel\$"
	echo "^$1: [0-9]+ frames? dropped by the interface\$"
}

# sent_all STDERR COUNT: rawsend -v said it sent all COUNT numbered frames.
sent_all() {
	[ "$1" = "rawsend: $2 frames, $(($2 * (14 + SIZE))) bytes sent on va" ]
}

# A new veth pair for a test that takes its link away: vc in NS_A, vd in
# NS_B, IPv6 off, up. teardown deletes it.
pair_setup() {
	ip link add vc netns "$NS_A" type veth peer name vd netns "$NS_B"
	inA sysctl -qw net.ipv6.conf.vc.disable_ipv6=1
	inB sysctl -qw net.ipv6.conf.vd.disable_ipv6=1
	ip -n "$NS_A" link set vc up
	ip -n "$NS_B" link set vd up
}

# pcap_of FILE PAYLOAD...: a pcap file of one frame per PAYLOAD, va to
# broadcast, as rawsend writes it.
pcap_of() {
	local file=$1
	shift
	printf '%s\n' "$@" | inA "$BIN/rawsend" -i va -l --dry-run -w "$file"
}

# bg_start NAME NS "${FROM_FIFO[@]}" FIFO CMD...: CMD with its standard
# input from FIFO (bg_start gives it /dev/null); exec keeps BG_PID CMD's.
FROM_FIFO=(sh -c 'f=$1; shift; exec "$@" < "$f"' _)

# show FILE...: FILEs into the test's output, for a failure's diagnosis.
show() {
	local f
	for f in "$@"; do
		echo "# ${f##*/}:" >&2
		sed 's/^/#   /' "$f" >&2
	done
}

# went_away LINE APPLET IFACE VERB: LINE is "APPLET: IFACE: interface went
# down or away (N frames VERB)", "frame" when N is 1.
went_away() {
	local re="^$2: $3: interface went down or away \\(([0-9]+) (frames?) $4\\)\$"
	[[ $1 =~ $re ]] || {
		echo "# not the line wanted: '$1'" >&2
		return 1
	}
	if [ "${BASH_REMATCH[1]}" -eq 1 ]; then
		[ "${BASH_REMATCH[2]}" = frame ]
	else
		[ "${BASH_REMATCH[2]}" = frames ]
	fi
}

# alive PID: PID still runs; if not, says how it ended.
alive() {
	local rc=0
	kill -0 "$1" 2>/dev/null && return 0
	wait "$1" 2>/dev/null || rc=$?
	echo "# process $1 is gone (status $rc)" >&2
	return 1
}

# ---------------------------------------------------------------------
# The closing report: nothing received goes unaccounted.

# slow_recv_check: the identity after a slow_start'ed rawrecv -o hex that
# saw all N frames sent: printed + not printed + kernel + interface drops.
slow_recv_check() {
	local printed
	sed 's/^/# /' "$(T r.err)" >&2
	printed=$(wc -l < "$(T r.txt)")
	mapfile -t res < <(report_res rawrecv "not printed")
	only_lines "$(T r.err)" '^rawrecv: listening on vb, ethertype 0xeefa$' \
	    "${res[@]}"
	closing_report rawrecv "$(T r.err)" "not printed"
	echo "# printed $printed, not printed $NOTDONE, dropped by the kernel $KDROP, by the interface $IDROP: $((printed + NOTDONE + KDROP + IDROP)) of $N" >&2
	[ $((printed + NOTDONE + KDROP + IDROP)) -eq "$N" ]
}

@test "a stalled reader and SIGTERM while frames are queued: every frame printed or reported" {
	need_lab
	slow_start r "$NS_B" "$BIN/rawrecv" -i vb -o hex
	wait_for_line "$(T r.err)" "listening on"
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -x -v < "$SEQ"
	sent_all "$stderr" "$N"
	# The reader still reads nothing: frames wait in the pipe, in
	# rawrecv and in the kernel.
	[ ! -e "$(T r.go)" ]
	kill -TERM "$SLOW_PID"
	slow_finish r 0
	slow_recv_check
}

@test "a stalled reader and --timeout while frames are queued: every frame printed or reported" {
	need_lab
	slow_start r "$NS_B" "$BIN/rawrecv" -i vb -o hex --timeout 2
	wait_for_line "$(T r.err)" "listening on"
	# Sent well within the 2 s (0.2 s here), so all of it counts.
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -x -v < "$SEQ"
	sent_all "$stderr" "$N"
	# Frames came, so the timeout ends it with 0.
	slow_finish r 0
	slow_recv_check
}

@test "rawecho with a stalled standard output: every request answered or reported" {
	need_lab
	local n=100000 re line received answered failed ignored
	slow_start e "$NS_B" "$BIN/rawecho" -i vb -v --timeout 3
	wait_for_line "$(T e.err)" "listening on"
	run --separate-stderr -0 inA "$BIN/rawsend" -i va -c "$n" -v Boo
	[ "$stderr" = "rawsend: $n frames, $((n * 17)) bytes sent on va" ]
	slow_finish e 0
	sed 's/^/# /' "$(T e.err)" >&2
	re='^rawecho: ([0-9]+) frames? received, ([0-9]+) answered, ([0-9]+) failed, ([0-9]+) ignored$'
	mapfile -t res < <(report_res rawecho "not answered")
	only_lines "$(T e.err)" '^rawecho: listening on vb, ethertype 0xeefa$' \
	    "$re" "${res[@]}"
	[ "$(grep -cE "$re" "$(T e.err)")" -eq 1 ]
	line=$(grep -E "$re" "$(T e.err)")
	[[ $line =~ $re ]]
	received=${BASH_REMATCH[1]} answered=${BASH_REMATCH[2]}
	failed=${BASH_REMATCH[3]} ignored=${BASH_REMATCH[4]}
	[ $((answered + failed + ignored)) -eq "$received" ]
	closing_report rawecho "$(T e.err)" "not answered"
	echo "# received $received, not answered $NOTDONE, dropped by the kernel $KDROP, by the interface $IDROP: $((received + NOTDONE + KDROP + IDROP)) of $n" >&2
	[ $((received + NOTDONE + KDROP + IDROP)) -eq "$n" ]
}

# Interface drops are not easy to cause on veth (its receive work runs on
# the sender's CPU, so a slow reader does not make it drop): a frame
# longer than the receiving end's MTU is one the kernel counts in that
# end's rx_dropped, every time. The sender sees ENOBUFS for it, which the
# python sender ignores.
@test "frames the interface drops (longer than its MTU) are reported as dropped by the interface" {
	need_lab
	local d0 k=7
	ip -n "$NS_B" link set vb mtu 1000
	recv_start r "$NS_B" -i vb -o hex
	d0=$(if_stat "$NS_B" vb rx_dropped)
	inA "$PY" -c 'import errno, socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("va", 0))
frame = b"\xff" * 6 + bytes.fromhex(sys.argv[1].replace(":", "")) + b"\xee\xfa" + b"x" * 1200
for _ in range(int(sys.argv[2])):
    try:
        s.send(frame)
    except OSError as e:
        if e.errno != errno.ENOBUFS:
            raise' "$MAC_A" "$k"
	run -0 inA "$BIN/rawsend" -i va Boo
	wait_for_line "$(T r.out)" 426f6f
	# The lab dropped exactly those k, as the kernel counts them.
	[ $(($(if_stat "$NS_B" vb rx_dropped) - d0)) -eq "$k" ]
	signal_expect "$BG_PID" TERM 0
	run cat "$(T r.err)"
	printf '# %s\n' "${lines[@]}" >&2
	[ "${lines[0]}" = "rawrecv: listening on vb, ethertype 0xeefa" ]
	[ "${lines[1]}" = "rawrecv: $k frames dropped by the interface" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(wc -l < "$(T r.out)")" -eq 1 ]
}

# Drops are not guaranteed: on this kernel a veth's backlog is drained on
# the sender's CPU as it sends, so the runs below may see none, and then
# only the absence of the line is checked.
@test "a flood on one CPU: the interface's drops during the run are reported exactly" {
	need_lab
	local try d0 d1 delta
	for try in 1 2 3; do
		d0=$(if_stat "$NS_B" vb rx_dropped)
		bg_start r "$NS_B" sh -c 'exec "$0" "$@" > /dev/null' \
		    taskset -c 0 "$BIN/rawrecv" -i vb -o raw
		wait_for_line "$(T r.err)" "listening on"
		local rpid=$BG_PID
		run -0 inA taskset -c 0 "$BIN/rawsend" -i va -c 1000000 Boo
		signal_expect "$rpid" TERM 0
		d1=$(if_stat "$NS_B" vb rx_dropped)
		delta=$((d1 - d0))
		sed 's/^/# /' "$(T r.err)" >&2
		closing_report rawrecv "$(T r.err)" "not printed"
		echo "# run $try: rx_dropped of vb moved by $delta, reported $IDROP" >&2
		[ "$IDROP" -eq "$delta" ]
		if [ "$delta" -gt 0 ]; then
			break
		fi
	done
	# With no drops, IDROP 0 above means no such line at all.
}

# ---------------------------------------------------------------------
# rawrecv -r - from a live pipe: frames shown as they come; signals.

@test "rawrecv -r - from a pipe kept open: the frame shows at once; SIGUSR1 reports, SIGTERM and SIGINT end it with 0" {
	need_lab
	local sig fd want
	pcap_of "$(T one.pcap)" hello
	want=$("$BIN/rawrecv" -r "$(T one.pcap)" -o hex)
	for sig in TERM INT; do
		rm -f "$(T fifo)"
		mkfifo "$(T fifo)"
		bg_start r "$NS_B" "${FROM_FIFO[@]}" "$(T fifo)" "$BIN/rawrecv" -r - -o hex
		local rpid=$BG_PID
		exec {fd}<>"$(T fifo)"
		cat "$(T one.pcap)" >&"$fd"
		# The writer stays, idle: the frame must not wait for more.
		wait_for_line "$(T r.out)" "^$want\$"
		if [ "$sig" = TERM ]; then
			kill -USR1 "$rpid"
			alive "$rpid"
			wait_for_line "$(T r.err)" '^rawrecv: 1 frame received$'
			alive "$rpid"
		fi
		signal_expect "$rpid" "$sig" 0
		exec {fd}>&-
		[ "$(cat "$(T r.out)")" = "$want" ]
		if [ "$sig" = TERM ]; then
			[ "$(cat "$(T r.err)")" = "rawrecv: 1 frame received" ]
		else
			[ ! -s "$(T r.err)" ]
		fi
	done
}

@test "SIGUSR1 to rawrecv -r - reading a pipe: a count on stderr, and it reads on" {
	need_lab
	local fd i two=$((24 + 2 * (16 + 14 + 3)))
	# The header and two records of 16 + 14 + 3 bytes each...
	pcap_of "$(T three.pcap)" one two six
	mkfifo "$(T fifo)"
	bg_start r "$NS_B" "${FROM_FIFO[@]}" "$(T fifo)" "$BIN/rawrecv" -r - -o hex
	local rpid=$BG_PID
	exec {fd}<>"$(T fifo)"
	head -c "$two" "$(T three.pcap)" >&"$fd"
	drained "$fd"
	sig_ready "$rpid" 10
	# ...are read: ask until the count covers them (bounded).
	for ((i = 0; i < 20; i++)); do
		alive "$rpid"
		kill -USR1 "$rpid"
		sleep 0.1
		if grep -qx 'rawrecv: 2 frames received' "$(T r.err)"; then
			break
		fi
	done
	alive "$rpid"
	grep -qx 'rawrecv: 2 frames received' "$(T r.err)"
	# It goes on: the third record, another count, then the end.
	tail -c +$((two + 1)) "$(T three.pcap)" >&"$fd"
	drained "$fd"
	for ((i = 0; i < 20; i++)); do
		alive "$rpid"
		kill -USR1 "$rpid"
		sleep 0.1
		if grep -qx 'rawrecv: 3 frames received' "$(T r.err)"; then
			break
		fi
	done
	alive "$rpid"
	exec {fd}>&-
	bg_expect "$rpid" 0
	[ "$(wc -l < "$(T r.out)")" -eq 3 ]
	only_lines "$(T r.err)" '^rawrecv: [0-3] frames? received$'
	grep -qx 'rawrecv: 3 frames received' "$(T r.err)"
}

# ---------------------------------------------------------------------
# rawsend: stopping while it waits for input; input in pieces.

@test "rawsend -r - fed a pcap in two writes, SIGUSR1 in the middle of the header: every record sent" {
	need_lab
	local fd words=(a bb ccc dddd eeeee) total
	pcap_of "$(T five.pcap)" "${words[@]}"
	"$BIN/rawrecv" -r "$(T five.pcap)" -o hex > "$(T want)"
	[ "$(wc -l < "$(T want)")" -eq 5 ]
	recv_start r "$NS_B" -i vb -c 5 --timeout "$WAIT_MAX" -o hex
	local rpid=$BG_PID
	mkfifo "$(T fifo)"
	bg_start s "$NS_A" "${FROM_FIFO[@]}" "$(T fifo)" "$BIN/rawsend" -i va -r -
	local spid=$BG_PID
	exec {fd}<>"$(T fifo)"
	head -c 10 "$(T five.pcap)" >&"$fd"
	drained "$fd"
	# It has the first 10 bytes of the 24-byte header, and waits.
	sig_ready "$spid" 10
	kill -USR1 "$spid"
	wait_for_line "$(T s.err)" '^rawsend: 0 frames, 0 bytes sent on va$'
	alive "$spid"
	tail -c +11 "$(T five.pcap)" >&"$fd"
	exec {fd}>&-
	bg_expect "$spid" 0 || { show "$(T s.err)"; false; }
	bg_expect "$rpid" 0
	cmp "$(T want)" "$(T r.out)"
	[ "$(cat "$(T s.err)")" = "rawsend: 0 frames, 0 bytes sent on va" ]
}

# ---------------------------------------------------------------------
# rawrecv -j: one pcap file from several threads.

@test "rawrecv -j 2 -w FILE with frames on both CPUs: one valid pcap file of exactly COUNT frames" {
	need_lab
	local magic order n=2000 got
	# The magic number rawrecv -w writes, from a single-job run.
	recv_start r "$NS_B" -i vb -w "$(T single.pcap)" -c 1 --timeout "$WAIT_MAX"
	run -0 inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	magic=$(od -An -tx1 -N4 "$(T single.pcap)" | tr -d ' ')
	[ "$magic" = d4c3b2a1 ] || [ "$magic" = 4d3cb2a1 ]
	# Which thread writes first is a race: each order, then both at once.
	# On veth the receive work runs on the sender's CPU, and -j's fanout
	# goes by that CPU: a sender pinned to each CPU feeds each thread.
	for order in "1 0" "0 1" both both; do
		rm -f "$(T j.pcap)"
		recv_start r "$NS_B" -i vb -j 2 -w "$(T j.pcap)" -c "$n" \
		    --timeout "$WAIT_MAX"
		local rpid=$BG_PID
		if [ "$order" = both ]; then
			bg_start s0 "$NS_A" taskset -c 0 "$BIN/rawsend" -i va \
			    -c $((n * 3 / 4)) Boo
			local s0=$BG_PID
			bg_start s1 "$NS_A" taskset -c 1 "$BIN/rawsend" -i va \
			    -c $((n * 3 / 4)) Boo
			bg_expect "$s0" 0
			bg_expect "$BG_PID" 0
		else
			# Half from one CPU, then the rest from the other:
			# more than COUNT in all.
			run -0 inA taskset -c "${order% *}" "$BIN/rawsend" -i va \
			    -c $((n / 2)) Boo
			run -0 inA taskset -c "${order#* }" "$BIN/rawsend" -i va \
			    -c "$n" Boo
		fi
		bg_expect "$rpid" 0
		echo "# CPUs $order: magic $(od -An -tx1 -N4 "$(T j.pcap)")" >&2
		[ "$(od -An -tx1 -N4 "$(T j.pcap)" | tr -d ' ')" = "$magic" ]
		run --separate-stderr -0 "$BIN/rawrecv" -r "$(T j.pcap)" -o hex
		[ -z "$stderr" ]
		[ "${#lines[@]}" -eq "$n" ]
		if command -v tcpdump > /dev/null; then
			got=$(TZ=UTC tcpdump -nn -r "$(T j.pcap)" 2> /dev/null |
			    grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.')
			[ "$got" -eq "$n" ]
		fi
	done
}

# ---------------------------------------------------------------------
# A link without carrier.

# ---------------------------------------------------------------------
# rawping at full speed must still hear signals.

# ping_stop SIG STATUS [RX0]: an endless rawping -q --interval 0, once it
# sends (and, given RX0, once replies have moved va's rx_packets past it),
# is ended by SIG with STATUS, its summary on stdout.
ping_stop() {
	local sig=$1 want=$2 rx0=${3:-} tx0
	tx0=$(if_stat "$NS_A" va tx_packets)
	bg_start p "$NS_A" "$BIN/rawping" -i va --interval 0 -q
	local ppid=$BG_PID
	wait_for_line "$(T p.out)" '^RAWPING '
	tx_moves "$NS_A" va "$tx0"
	[ -z "$rx0" ] || rx_moves "$NS_A" va "$rx0"
	signal_expect "$ppid" "$sig" "$want"
	sed 's/^/# /' "$(T p.out)" >&2
	grep -qx -- '--- ff:ff:ff:ff:ff:ff rawping statistics ---' "$(T p.out)"
	grep -qE '^[0-9]+ frames transmitted, [0-9]+ received' "$(T p.out)"
}

@test "rawping --interval 0 without -c: SIGINT and SIGTERM end it, 0 with replies, 1 without" {
	need_lab
	local sig
	# The server's own output (a RawPacket per request) is not wanted.
	bg_start e "$NS_B" sh -c 'exec "$0" "$@" > /dev/null' "$BIN/rawecho" -i vb
	local epid=$BG_PID
	wait_for_line "$(T e.err)" "listening on"
	for sig in INT TERM; do
		ping_stop "$sig" 0 "$(rx_packets "$NS_A" va)"
	done
	signal_expect "$epid" TERM 0
	for sig in INT TERM; do
		ping_stop "$sig" 1
		grep -qE '^[0-9]+ frames transmitted, 0 received' "$(T p.out)"
	done
}

# ---------------------------------------------------------------------
# rawrecv -j under a flood it cannot keep up with.

# -o raw to /dev/null keeps up with two floods on this machine; JSON at
# the lowest priority does not: its ring always has a full block next.
@test "rawrecv -j 2 under two floods it cannot keep up with: SIGTERM ends it with 0 while they go on" {
	need_lab
	local rx0
	bg_start r "$NS_B" sh -c 'exec "$0" "$@" > /dev/null' nice -n 19 \
	    "$BIN/rawrecv" -i vb -j 2 -o json
	local rpid=$BG_PID
	wait_for_line "$(T r.err)" "listening on"
	rx0=$(rx_packets "$NS_B" vb)
	# Bounded by their count; stopped by PID below.
	bg_start f0 "$NS_A" taskset -c 0 "$BIN/rawsend" -i va -c 50000000 Boo
	local f0=$BG_PID
	bg_start f1 "$NS_A" taskset -c 1 "$BIN/rawsend" -i va -c 50000000 Boo
	local f1=$BG_PID
	rx_moves "$NS_B" vb "$rx0"
	signal_expect "$rpid" TERM 0
	show "$(T r.err)"
	# The floods were still running when it ended.
	kill -0 "$f0"
	kill -0 "$f1"
	signal_expect "$f0" TERM 0
	signal_expect "$f1" TERM 0
}

# ---------------------------------------------------------------------
# rawsend -j: one process to stop, one line to say so.

@test "rawsend -j 2 when its interface goes away: one line, exit 2, no worker left" {
	need_lab
	local tx0 workers w i
	pair_setup
	tx0=$(if_stat "$NS_A" vc tx_packets)
	bg_start s "$NS_A" "$BIN/rawsend" -i vc -j 2 -c 1000000000 Boo
	local spid=$BG_PID
	tx_moves "$NS_A" vc "$tx0"
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		workers=$(pgrep -P "$spid" || true)
		[ -n "$workers" ] && break
		sleep 0.01
	done
	# Killed by PID in teardown, should they outlive their parent.
	EXTRA_PIDS+=($workers)
	ip -n "$NS_A" link del vc
	bg_expect "$spid" 2
	for w in $workers; do
		gone "$w" || { echo "# worker $w outlived rawsend" >&2; false; }
	done
	run cat "$(T s.err)"
	printf '# %s\n' "${lines[@]}" >&2
	[ "${#lines[@]}" -eq 1 ]
	went_away "${lines[0]}" rawsend vc sent
}

# ---------------------------------------------------------------------
# rawping hears replies, not echoes of itself.

@test "rawping does not take its own requests, reflected back unchanged, for replies" {
	need_lab
	bg_start m "$NS_B" "$PY" "$PEERS/reflect.py" vb 0xeefa 3 "$WAIT_MAX"
	local mpid=$BG_PID
	wait_for_line "$(T m.err)" "reflect: listening"
	run --separate-stderr inA "$BIN/rawping" -i va -c 3 --interval 0.1 -W 0.5
	printf '# %s\n' "${lines[@]}" >&2
	bg_expect "$mpid" 0
	# The reflector did send all three back.
	[ "$(tail -1 "$(T m.err)")" = "reflect: 3 frames reflected" ]
	[ "$status" -eq 1 ]
	grep -q '^3 frames transmitted, 0 received, ' <<< "$output"
	[[ $output != *"bytes from"* ]]
}

# ---------------------------------------------------------------------
# Standard output closed or full: refused at once, said once.

@test "rawecho and rawsniff-arp with standard output closed: exit 2 at once, one line, nothing sent" {
	need_lab
	local a rx0 i
	for a in rawecho rawsniff-arp; do
		rx0=$(rx_packets "$NS_A" va)
		bg_start c "$NS_B" sh -c 'exec "$0" "$@" >&-' "$BIN/$a" -i vb \
		    --timeout 5
		local cpid=$BG_PID
		# It must exit at once; today it starts listening instead.
		for ((i = 0; i < WAIT_MAX * 100; i++)); do
			kill -0 "$cpid" 2>/dev/null || break
			grep -q "listening on" "$(T c.err)" && break
			sleep 0.01
		done
		# A request (for rawecho), an ARP frame (for rawsniff-arp).
		run -0 inA "$BIN/rawsend" -i va Boo
		inA "$PY" "$PEERS/pysend.py" va "ffffffffffff${MAC_A//:/}08060001080006040001${MAC_A//:/}c6336401000000000000c6336402"
		bg_expect "$cpid" 2
		sed 's/^/# /' "$(T c.err)" >&2
		[ "$(cat "$(T c.err)")" = "$a: standard output is closed" ]
		# Nothing came back to va.
		[ "$(rx_packets "$NS_A" va)" -eq "$rx0" ]
	done
}

@test "--help and --version to a full standard output: exit 2 and the write error" {
	local a opt
	for a in rawsend rawrecv rawsniff-arp rawecho rawping rawsock; do
		for opt in --help --version; do
			run --separate-stderr sh -c 'exec "$0" "$1" > /dev/full' \
			    "$BIN/$a" "$opt"
			echo "# $a $opt: status $status, stderr [$stderr]" >&2
			[ "$status" -eq 2 ]
			[ -z "$output" ]
			[ "$stderr" = "$a: write error on standard output: No space left on device" ]
		done
	done
}

# ---------------------------------------------------------------------
# The interface taken away under every receiving applet.

@test "the interface deleted under every receiving applet: each exits 2 with one line" {
	need_lab
	local i name
	pair_setup
	recv_start r1 "$NS_B" -i vd
	local r1=$BG_PID
	recv_start r2 "$NS_B" -i vd -j 2
	local r2=$BG_PID
	bg_start sn "$NS_B" "$BIN/rawsniff-arp" -i vd
	local sn=$BG_PID
	wait_for_line "$(T sn.err)" "listening on"
	# A handler busy for 3 s with the one request in flight.
	# -Z root: the handler writes in root's test directory.
	bg_start e "$NS_B" "$BIN/rawecho" -i vd -Z root -e \
	    "echo \$\$ > '$(T h.pid)'; sleep 3; echo done > '$(T h.done)'"
	local e=$BG_PID
	wait_for_line "$(T e.err)" "listening on"
	run -0 inA "$BIN/rawsend" -i vc Boo
	wait_for_line "$(T e.out)" '^Boo$'
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		[ -s "$(T h.pid)" ] && break
		sleep 0.01
	done
	[ -s "$(T h.pid)" ]
	# rawping on the other end, of a type rawecho does not answer, so
	# the busy handler has nothing queued behind it.
	bg_start p "$NS_A" "$BIN/rawping" -i vc --interval 0.2 -t 0x88b5
	local p=$BG_PID
	wait_for_line "$(T p.out)" '^RAWPING '

	ip -n "$NS_A" link del vc

	# Every status first, then what each said, then the checks.
	local rc_e=0 rc_r1=0 rc_r2=0 rc_sn=0 rc_p=0 busy=yes
	bg_wait "$e" || rc_e=$?
	# Gone before its busy handler was done?
	[ ! -e "$(T h.done)" ] || busy=no
	bg_wait "$r1" || rc_r1=$?
	bg_wait "$r2" || rc_r2=$?
	bg_wait "$sn" || rc_sn=$?
	bg_wait "$p" || rc_p=$?
	echo "# statuses: rawrecv $rc_r1, rawrecv -j 2 $rc_r2, rawsniff-arp $rc_sn, rawecho $rc_e (handler still busy: $busy), rawping $rc_p" >&2
	show "$(T r1.err)" "$(T r2.err)" "$(T sn.err)" "$(T e.err)" \
	    "$(T p.err)" "$(T p.out)"
	[ "$rc_e" -eq 2 ]
	[ "$busy" = yes ]
	[ "$rc_r1" -eq 2 ]
	[ "$rc_r2" -eq 2 ]
	[ "$rc_sn" -eq 2 ]
	[ "$rc_p" -eq 2 ]
	run cat "$(T r1.err)"
	[ "${#lines[@]}" -eq 2 ]
	went_away "${lines[1]}" rawrecv vd received
	run cat "$(T r2.err)"
	[ "${#lines[@]}" -eq 2 ]
	went_away "${lines[1]}" rawrecv vd received
	run cat "$(T sn.err)"
	[ "${#lines[@]}" -eq 2 ]
	went_away "${lines[1]}" rawsniff-arp vd received
	run cat "$(T e.err)"
	# One message; then the closing report accounts for the request
	# whose handler was killed.
	[ "${#lines[@]}" -eq 3 ]
	went_away "${lines[1]}" rawecho vd received
	[ "${lines[2]}" = "rawecho: 1 frame received but not answered" ]
	run cat "$(T p.err)"
	[ "${#lines[@]}" -eq 1 ]
	went_away "${lines[0]}" rawping vc received
	grep -qx -- '--- ff:ff:ff:ff:ff:ff rawping statistics ---' "$(T p.out)"
	grep -qE '^[0-9]+ frames transmitted, [0-9]+ received' "$(T p.out)"
}
