#!/usr/bin/env bats
# Least privilege on every path: each applet in each mode has given up its
# capabilities (and, with -Z, its user) before it reads a byte of untrusted
# input; files it writes belong to the user it runs as; rawecho's handlers
# never run as root unless asked, and leave nothing behind; and once
# start-up is over a seccomp filter holds every applet (Seccomp: 2).

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }

teardown() {
	local pid f
	for pid in "${BG_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	bg_cleanup
	exec 5>&-
	# What a handler left behind, by the PID it wrote down (a build
	# without the sweep leaves these running).
	for f in "${PUB:-/nonexistent}"/*.pid; do
		[ -f "$f" ] || continue
		while read -r pid; do
			[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
		done < "$f"
	done
	if [ -n "${PUB:-}" ]; then
		rm -rf "$PUB"
	fi
}

NOBODY=$(id -u nobody 2>/dev/null || echo 65534)

# A directory anyone may write in (the tests' own are root's alone).
pubdir() {
	PUB=$(mktemp -d /tmp/rawsock-sec.XXXXXX)
	chmod 1777 "$PUB"
}

# waiting PID: PID is rawsock (not yet `ip netns exec` or env before it)
# and sleeps in read, poll or ppoll.
waiting() {
	local call
	[[ $(readlink "/proc/$1/exe" 2>/dev/null) == */rawsock ]] || return 1
	call=$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null || true)
	case $(uname -m):$call in
	x86_64:0 | x86_64:7 | x86_64:271) return 0 ;;
	aarch64:63 | aarch64:73) return 0 ;;
	esac
	return 1
}

# settled PID: waits (bounded) until PID's start-up is over and it waits
# for input: waiting twice in a row, 50 ms apart (a read of /etc/passwd
# for -Z is over long before).
settled() {
	local i
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		if waiting "$1"; then
			sleep 0.05
			waiting "$1" && return 0
		fi
		sleep 0.01
	done
	echo "# $1 never settled: $(cat "/proc/$1/syscall" 2>/dev/null)" >&2
	return 1
}

# dropped PID [UID]: no capability in any set that counts, no_new_privs,
# and, unless the build has sanitizers, the seccomp filter; running as UID
# if given.
dropped() {
	local pid=$1 f want=2
	grep -E '^(Uid|Cap(Prm|Eff|Amb)|NoNewPrivs|Seccomp):' "/proc/$pid/status" |
	    sed 's/^/# /' >&2
	for f in CapPrm CapEff CapAmb; do
		[ "$(field "$pid" "$f")" = 0000000000000000 ]
	done
	[ "$(field "$pid" NoNewPrivs)" = 1 ]
	if [ -n "${2:-}" ]; then
		[ "$(field "$pid" Uid | cut -f1-4 | tr '\t' ' ')" = "$2 $2 $2 $2" ]
	fi
	if [ -n "${CHECK_SECCOMP:-}" ]; then
		is_sanitized && want=0
		[ "$(field "$pid" Seccomp)" = "$want" ]
	fi
	return 0
}

# bg_here NAME CMD...: CMD in this namespace in the background, standard
# input from $(T NAME.in) if that exists; BG_PID is CMD's.
bg_here() {
	local name=$1 in=/dev/null
	shift
	[ -e "$(T "$name.in")" ] && in=$(T "$name.in")
	"$@" > "$(T "$name.out")" 2> "$(T "$name.err")" < "$in" 3>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# A small capture: two frames, one of them tagged.
capture() {
	printf 'one\ntwo\n' | "$BIN/rawsend" --dry-run -l -w "$1"
}

#
# Privileges: dropped on every path, before the first byte is read
#

@test "rawrecv -r: capabilities and no_new_privs go before the capture is parsed" {
	mkfifo "$(T cap)"
	bg_here r "$BIN/rawrecv" -r "$(T cap)"
	exec 5> "$(T cap)"
	settled "$BG_PID"
	dropped "$BG_PID" 0
	capture - >&5
	exec 5>&-
	bg_expect "$BG_PID" 0
	[ "$(sed -n 2p "$(T r.out)")" = one ]
}

@test "rawrecv -r -Z nobody: the capture is parsed as nobody, not silently as root" {
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	mkfifo "$(T cap)"
	bg_here r "$BIN/rawrecv" -r "$(T cap)" -Z nobody
	exec 5> "$(T cap)"
	settled "$BG_PID"
	dropped "$BG_PID" "$NOBODY"
	exec 5>&-
	bg_expect "$BG_PID" 2	# an empty capture
}

@test "rawrecv -r from a cap_net_raw+ep binary: the capability is gone before parsing" {
	command -v setcap > /dev/null || skip "setcap is not installed"
	pubdir
	cp "$BIN/rawsock" "$PUB/rawsock"
	chmod 755 "$PUB/rawsock"
	ln -s rawsock "$PUB/rawrecv"
	setcap cap_net_raw+ep "$PUB/rawsock"
	mkfifo -m 666 "$PUB/cap"
	bg_here r "${AS_NOBODY[@]}" "$PUB/rawrecv" -r "$PUB/cap"
	exec 5> "$PUB/cap"
	settled "$BG_PID"
	dropped "$BG_PID" "$NOBODY"
	exec 5>&-
	bg_expect "$BG_PID" 2
}

@test "rawsend --dry-run -Z nobody: honoured (it was refused), as nobody before the input" {
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	mkfifo "$(T s.in)"
	bg_here s "$BIN/rawsend" --dry-run -l -Z nobody
	exec 5> "$(T s.in)"
	settled "$BG_PID"
	dropped "$BG_PID" "$NOBODY"
	echo hi >&5
	exec 5>&-
	bg_expect "$BG_PID" 0
	[ "$(cat "$(T s.out)")" = ffffffffffff000000000000eefa6869 ]
	# -Z that cannot be honoured is refused with one line.
	run --separate-stderr "${AS_NOBODY[@]}" "$BIN/rawsend" --dry-run \
	    -Z nobody hi
	[ "$status" -eq 2 ]
	[ "$stderr" = "rawsend: -Z 'nobody': switching user needs root" ]
	[ -z "$output" ]
}

@test "rawsend -r FILE: no capability left while it waits for the file's first byte" {
	need_lab
	mkfifo "$(T cap)"
	bg_start s "$NS_A" "$BIN/rawsend" -i va -r "$(T cap)"
	exec 5> "$(T cap)"
	settled "$BG_PID"
	dropped "$BG_PID" 0
	capture - >&5
	exec 5>&-
	bg_expect "$BG_PID" 0
}

@test "rawping -Z nobody: it runs as nobody once it has sent its first request" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	bg_start p "$NS_A" "$BIN/rawping" -i va -c 30 --interval 1 -W 1 -Z nobody
	wait_for_line "$(T p.out)" "^RAWPING "
	settled "$BG_PID"
	dropped "$BG_PID" "$NOBODY"
	expect_error "rawping: -Z: unknown user 'no-such-user-x'" \
	    "$BIN/rawping" -i va -Z no-such-user-x
}

#
# Files written: by the user -Z names, never over the input
#

@test "-w FILE with -Z nobody is created by nobody (rawrecv live, -j, -r; rawsend --dry-run)" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	pubdir
	capture "$(T in.pcap)"
	recv_start r "$NS_B" -i vb -Z nobody -c 1 --timeout 10 -w "$PUB/live.pcap"
	local recv=$BG_PID
	recv_start rj "$NS_B" -i vb -Z nobody -j 2 -c 1 --timeout 10 \
	    -w "$PUB/jobs.pcap"
	local recvj=$BG_PID
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$recv" 0
	bg_expect "$recvj" 0
	run -0 "$BIN/rawrecv" -r "$(T in.pcap)" -Z nobody -w "$PUB/read.pcap"
	ls -ln "$PUB" >&2
	for f in live jobs read; do
		[ "$(stat -c %u "$PUB/$f.pcap")" = "$NOBODY" ]
	done
	run -0 "$BIN/rawsend" --dry-run -Z nobody -w "$PUB/dry.pcap" Boo
	[ "$(stat -c %u "$PUB/dry.pcap")" = "$NOBODY" ]
	cmp "$(T in.pcap)" "$PUB/read.pcap"
	# Where nobody may not write, nothing is created at all.
	expect_error "rawrecv: $(T no.pcap): Permission denied" \
	    "$BIN/rawrecv" -r "$(T in.pcap)" -Z nobody -w "$(T no.pcap)"
	[ ! -e "$(T no.pcap)" ]
}

@test "-r F -w F (the same path, another name for it, a link): refused, F untouched (rawrecv, rawsend --dry-run)" {
	capture "$(T f.pcap)"
	cp "$(T f.pcap)" "$(T keep.pcap)"
	ln -s f.pcap "$(T link.pcap)"
	ln "$(T f.pcap)" "$(T hard.pcap)"
	local w
	for w in "$(T f.pcap)" "$BATS_TEST_TMPDIR/./f.pcap" "$(T link.pcap)" \
	    "$(T hard.pcap)"; do
		run --separate-stderr "$BIN/rawrecv" -r "$(T f.pcap)" -w "$w"
		echo "# $w: $status [$stderr]" >&2
		[ "$status" -eq 2 ]
		[ "$stderr" = "rawrecv: $w: -r and -w name the same file" ]
		[ -z "$output" ]
		cmp "$(T f.pcap)" "$(T keep.pcap)"
	done
	for w in "$(T f.pcap)" "$(T link.pcap)" "$(T hard.pcap)"; do
		run --separate-stderr "$BIN/rawsend" --dry-run -r "$(T f.pcap)" \
		    -w "$w"
		echo "# rawsend $w: $status [$stderr]" >&2
		[ "$status" -eq 2 ]
		[ "$stderr" = "rawsend: $w: -r and -w name the same file" ]
		cmp "$(T f.pcap)" "$(T keep.pcap)"
	done
}

#
# rawecho's handlers: not root by default, nothing left behind
#

@test "rawecho -e as root without -Z: handlers run as nobody; -Z root keeps root" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	bg_start e "$NS_B" "$BIN/rawecho" -i vb -c 1 --timeout 5 -e 'id -u'
	wait_for_line "$(T e.err)" "listening on"
	local echo=$BG_PID
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	bg_expect "$echo" 0
	[ "$(cat "$(T r.out)")" = "$NOBODY" ]

	bg_start e2 "$NS_B" "$BIN/rawecho" -i vb -c 1 --timeout 5 -Z root \
	    -e 'id -u'
	wait_for_line "$(T e2.err)" "listening on"
	echo=$BG_PID
	recv_start r2 "$NS_A" -i va -c 1 --timeout 5 -o raw
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	bg_expect "$echo" 0
	[ "$(cat "$(T r2.out)")" = 0 ]
}

# dead PID: PID is gone, or at most a zombie for a moment (bounded).
dead() {
	local i state
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)
		[ -z "$state" ] && return 0
		sleep 0.01
	done
	echo "# $1 is still there: $(cat "/proc/$1/stat" 2>/dev/null)" >&2
	return 1
}

# descendants PID: every process whose chain of parents leads to PID.
descendants() {
	local p
	for p in /proc/[0-9]*; do
		local q=${p#/proc/} i
		for ((i = 0; i < 64 && q > 1; i++)); do
			q=$(awk '{ print $4 }' "/proc/$q/stat" 2>/dev/null || echo 0)
			if [ "$q" = "$1" ]; then
				echo "${p#/proc/}"
				break
			fi
		done
	done
}

@test "rawecho: what a handler starts (setsid, or in the background) dies when it ends" {
	need_lab
	pubdir
	bg_start e "$NS_B" "$BIN/rawecho" -i vb -c 2 --timeout 10 -e "
	    setsid sleep 30 > /dev/null 2>&1 < /dev/null &
	    echo \$! >> '$PUB/h.pid'
	    sleep 30 > /dev/null 2>&1 < /dev/null &
	    echo \$! >> '$PUB/h.pid'
	    cat"
	wait_for_line "$(T e.err)" "listening on"
	local echo=$BG_PID pid
	recv_start r "$NS_A" -i va -c 1 --timeout 5
	inA "$BIN/rawsend" -i va one
	bg_expect "$BG_PID" 0
	[ "$(wc -l < "$PUB/h.pid")" -eq 2 ]
	# The handler is over and the server still runs: nothing of the
	# handler's is left.
	while read -r pid; do
		dead "$pid"
	done < "$PUB/h.pid"
	# Only the spawner is left below the server.
	[ "$(descendants "$echo" | xargs -r -n1 -I{} cat /proc/{}/comm | xargs)" = \
	    rawecho-spawner ]
	kill -0 "$echo"
	# The server's end takes the second handler's with it.
	inA "$BIN/rawsend" -i va two
	bg_expect "$echo" 0
	[ "$(wc -l < "$PUB/h.pid")" -eq 4 ]
	while read -r pid; do
		dead "$pid"
	done < "$PUB/h.pid"
}

#
# The syscall sandbox
#

# bg_in NAME NS INPUT CMD...: CMD in namespace NS ("-": this one) in the
# background with standard input from INPUT; BG_PID is CMD's.
bg_in() {
	local name=$1 ns=$2 input=$3
	shift 3
	if [ "$ns" = - ]; then
		"$@" > "$(T "$name.out")" 2> "$(T "$name.err")" < "$input" 3>&- &
	else
		ip netns exec "$ns" "$@" > "$(T "$name.out")" \
		    2> "$(T "$name.err")" < "$input" 3>&- &
	fi
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# mode NS FIFO UID CMD...: CMD started in NS ("-": here), fed by FIFO if
# it names one (as its standard input, or as a file it opens), holds no
# capability, has no_new_privs and the seccomp filter once it waits for
# input, and runs as UID; then it is stopped.
mode() {
	local ns=$1 fifo=$2 uid=$3 input=/dev/null
	shift 3
	echo "# mode: $*" >&2
	if [ "$fifo" = stdin ]; then
		rm -f "$(T in.fifo)"
		mkfifo -m 644 "$(T in.fifo)"
		input=$(T in.fifo)
	fi
	bg_in m "$ns" "$input" "$@"
	case $fifo in
	stdin) exec 5> "$(T in.fifo)" ;;
	/*) exec 5> "$fifo" ;;
	esac
	settled "$BG_PID"
	CHECK_SECCOMP=1 dropped "$BG_PID" "$uid"
	kill -TERM "$BG_PID"
	exec 5>&-
	# SIGTERM ends each with 0 (rawping: 1 with no reply); never a kill.
	bg_expect "$BG_PID" "0|1"
}

@test "every applet, every mode: no capability, no_new_privs and Seccomp 2 once started" {
	need_lab
	id nobody > /dev/null 2>&1 || skip "no user nobody"
	local fifo=$BATS_TEST_TMPDIR/cap.fifo n=$NOBODY
	pubdir
	mkfifo "$fifo"
	mode "$NS_B" - 0 "$BIN/rawrecv" -i vb
	mode "$NS_B" - 0 "$BIN/rawrecv" -i vb -j 2
	mode "$NS_B" - 0 "$BIN/rawrecv" -i vb -w "$(T live.pcap)"
	mode "$NS_B" - "$n" "$BIN/rawrecv" -i vb -Z nobody -w "$PUB/z.pcap"
	mode "$NS_B" - "$n" "$BIN/rawrecv" -i vb -j 2 -Z nobody
	mode - "$fifo" 0 "$BIN/rawrecv" -r "$fifo"
	mode - "$fifo" "$n" "$BIN/rawrecv" -r "$fifo" -Z nobody -w "$PUB/r.pcap"
	mode - stdin 0 "$BIN/rawrecv" -r -
	mode "$NS_A" stdin 0 "$BIN/rawsend" -i va -l
	mode "$NS_A" stdin "$n" "$BIN/rawsend" -i va -x -Z nobody
	mode "$NS_A" "$fifo" 0 "$BIN/rawsend" -i va -r "$fifo"
	mode - stdin 0 "$BIN/rawsend" --dry-run -l
	mode - stdin 0 "$BIN/rawsend" --dry-run -l -w "$(T dry.pcap)"
	mode - stdin "$n" "$BIN/rawsend" --dry-run -0 -Z nobody -w "$PUB/d.pcap"
	mode - "$fifo" 0 "$BIN/rawsend" --dry-run -r "$fifo"
	mode "$NS_B" - 0 "$BIN/rawecho" -i vb
	mode "$NS_B" - "$n" "$BIN/rawecho" -i vb -e cat
	mode "$NS_B" - 0 "$BIN/rawecho" -i vb -Z root -e cat
	mode "$NS_B" - "$n" "$BIN/rawecho" -i vb -Z nobody
	mode "$NS_B" - "$n" "$BIN/rawecho" -i vb --pipe cat
	mode "$NS_A" - 0 "$BIN/rawping" -i va --interval 5
	mode "$NS_A" - "$n" "$BIN/rawping" -i va --interval 5 -Z nobody
	mode "$NS_B" - 0 "$BIN/rawsniff-arp" -i vb
	mode "$NS_B" - "$n" "$BIN/rawsniff-arp" -Z nobody
	mode "$NS_B" - 0 "$BIN/rawsniff-arp" -i vb --watch --state "$(T arp.state)"
	mode "$NS_B" - "$n" "$BIN/rawsniff-arp" --watch -Z nobody \
	    --state "$PUB/arp.state"
	# SIGTERM saved both, the second as nobody.
	head -1 "$(T arp.state)" | grep -qx "# rawsock arp state 1"
	[ "$(stat -c %U "$PUB/arp.state")" = nobody ]
}

@test "rawsend -j: the sender and its workers are all confined" {
	need_lab
	local pid kid i
	bg_start s "$NS_A" "$BIN/rawsend" -i va -j 2 -c 5000000 Boo
	pid=$BG_PID
	for ((i = 0; i < WAIT_MAX * 100; i++)); do
		kid=$(grep -l "^PPid:[[:space:]]*$pid\$" /proc/[0-9]*/status \
		    2>/dev/null | head -1 | cut -d/ -f3)
		[ -n "$kid" ] && break
		sleep 0.01
	done
	[ -n "$kid" ]
	CHECK_SECCOMP=1 dropped "$pid" 0
	CHECK_SECCOMP=1 dropped "$kid" 0
	bg_expect "$pid" 0
}

# probe_says FILE EXECVE SOCKET OPEN: the three lines of
# RAWSOCK_SANDBOX_PROBE in FILE.
probe_says() {
	local p
	p=$(sed -n 's/^[a-z-]*: sandbox probe: //p' "$1")
	echo "# $1: $p" >&2
	[ "$p" = "execve: $2
socket: $3
open O_CREAT: $4" ]
}

@test "the probe: no applet may execve, open a socket or create a file once started" {
	need_lab
	! is_sanitized || skip "the sanitizer build has no sandbox"
	local no="Operation not permitted" f
	pubdir
	capture "$(T in.pcap)"
	f=$PUB/probe
	env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawrecv" -r "$(T in.pcap)" \
	    > /dev/null 2> "$(T rr.err)"
	probe_says "$(T rr.err)" "$no" "$no" "$no"
	env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawsend" --dry-run Boo \
	    > /dev/null 2> "$(T sd.err)"
	probe_says "$(T sd.err)" "$no" "$no" "$no"
	inA env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawsend" -i va Boo \
	    2> "$(T s.err)"
	probe_says "$(T s.err)" "$no" "$no" "$no"
	inA env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawsend" -i va -j 2 -c 4 Boo \
	    2> "$(T sj.err)"
	probe_says "$(T sj.err)" "$no" "$no" "$no"
	# The receivers and rawping find nothing in 0.2 s: status 1.
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawrecv" -i vb -q \
	    --timeout 0.2 2> "$(T r.err)" || [ $? -eq 1 ]
	probe_says "$(T r.err)" "$no" "$no" "$no"
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawrecv" -i vb -q -j 2 \
	    --timeout 0.2 2> "$(T rj.err)" || [ $? -eq 1 ]
	probe_says "$(T rj.err)" "$no" "$no" "$no"
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawsniff-arp" -i vb -q \
	    --timeout 0.2 2> "$(T a.err)" || [ $? -eq 1 ]
	probe_says "$(T a.err)" "$no" "$no" "$no"
	# --state may create files in its own directory, and nowhere else.
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawsniff-arp" -i vb -q \
	    --watch --state "$(T arp.state)" --timeout 0.2 2> "$(T w.err)" ||
	    [ $? -eq 1 ]
	probe_says "$(T w.err)" "$no" "$no" "$no"
	head -1 "$(T arp.state)" | grep -qx "# rawsock arp state 1"
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawecho" -i vb -q \
	    --timeout 0.2 2> "$(T e.err)" || [ $? -eq 1 ]
	probe_says "$(T e.err)" "$no" "$no" "$no"
	inA env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawping" -i va -q -c 1 -W 0.2 \
	    > /dev/null 2> "$(T p.err)" || [ $? -eq 1 ]
	probe_says "$(T p.err)" "$no" "$no" "$no"
	# rawecho -e: its handlers come from a spawner forked before the
	# filter; the server itself is as confined as the others.
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawecho" -i vb -q -e cat \
	    --timeout 0.2 2> "$(T ee.err)" || [ $? -eq 1 ]
	probe_says "$(T ee.err)" "$no" "$no" "$no"
	inB env RAWSOCK_SANDBOX_PROBE="$f" "$BIN/rawecho" -i vb -q --pipe cat \
	    --timeout 0.2 2> "$(T ep.err)" || [ $? -eq 1 ]
	probe_says "$(T ep.err)" "$no" "$no" "$no"
	[ ! -e "$f" ]
}

@test "rawecho -e: the server is confined, its handlers only by their credentials" {
	need_lab
	! is_sanitized || skip "the sanitizer build has no sandbox"
	local echo spawner
	pubdir
	bg_start e "$NS_B" "$BIN/rawecho" -i vb -c 1 --timeout 10 -e \
	    "grep -E '^(Uid|CapEff|NoNewPrivs|Seccomp):' /proc/self/status |
	    cut -f2 | tr '\n' ' '; cat"
	wait_for_line "$(T e.err)" "listening on"
	echo=$BG_PID
	settled "$echo"
	CHECK_SECCOMP=1 dropped "$echo" "$NOBODY"
	# The spawner: forked before the filter, with no capability.
	spawner=$(grep -l "^PPid:[[:space:]]*$echo\$" /proc/[0-9]*/status |
	    cut -d/ -f3)
	[ "$(cat "/proc/$spawner/comm")" = rawecho-spawner ]
	dropped "$spawner" "$NOBODY"
	[ "$(field "$spawner" Seccomp)" = 0 ]
	recv_start r "$NS_A" -i va -c 1 --timeout 5 -o raw
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	bg_expect "$echo" 0
	[ "$(cat "$(T r.out)")" = "$NOBODY 0000000000000000 1 0 Boo" ]
	# The spawner went with the server.
	[ ! -e "/proc/$spawner" ] || [ "$(awk '{ print $3 }' "/proc/$spawner/stat")" = Z ]
}

@test "RAWSOCK_NO_SECCOMP=1 turns the filter off, and only the filter" {
	need_lab
	pubdir
	bg_start r "$NS_B" env RAWSOCK_NO_SECCOMP=1 \
	    RAWSOCK_SANDBOX_PROBE="$PUB/probe" "$BIN/rawrecv" -i vb -c 1 \
	    --timeout 10
	wait_for_line "$(T r.err)" "listening on"
	settled "$BG_PID"
	dropped "$BG_PID" 0
	[ "$(field "$BG_PID" Seccomp)" = 0 ]
	probe_says "$(T r.err)" "No such file or directory" allowed allowed
	inA "$BIN/rawsend" -i va Boo
	bg_expect "$BG_PID" 0
	# Anything but 1 leaves it on.
	RAWSOCK_NO_SECCOMP=yes RAWSOCK_SANDBOX_PROBE="$PUB/p2" \
	    "$BIN/rawsend" --dry-run Boo > /dev/null 2> "$(T s.err)"
	is_sanitized || probe_says "$(T s.err)" "Operation not permitted" \
	    "Operation not permitted" "Operation not permitted"
}

@test "valgrind: rawecho -e with its spawner, clean (the sandbox steps aside)" {
	need_lab
	command -v valgrind > /dev/null || skip "valgrind is not installed"
	! is_sanitized || skip "valgrind cannot run a sanitized build"
	# --vgdb=no: nobody could not remove root's vgdb pipes at the end.
	bg_start e "$NS_B" valgrind -q --vgdb=no --error-exitcode=99 \
	    --leak-check=full --errors-for-leak-kinds=definite \
	    "$BIN/rawecho" -i vb -c 2 --timeout 30 -e 'tr a-z A-Z'
	wait_for_line "$(T e.err)" "listening on" 30
	recv_start r "$NS_A" -i va -c 2 --timeout 30 -o raw
	inA "$BIN/rawsend" -i va -c 2 --interval 0.2 boo
	bg_expect "$BG_PID" 0
	bg_expect "${BG_PIDS[0]}" 0
	[ "$(cat "$(T r.out)")" = BOOBOO ]
	[ "$(cat "$(T e.err)")" = "rawecho: listening on vb, ethertype 0xeefa" ]
}
