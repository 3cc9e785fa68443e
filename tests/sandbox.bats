#!/usr/bin/env bats
# Least privilege on every path: each applet in each mode has given up its
# capabilities (and, with -Z, its user) before it reads a byte of untrusted
# input; files it writes belong to the user it runs as; rawecho's handlers
# never run as root unless asked, and leave nothing behind.

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

T() { echo "$BATS_TEST_TMPDIR/$1"; }

is_sanitized() { grep -qa __asan_init "$BIN/rawsock"; }

# field PID NAME: the value of a line of /proc/PID/status.
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }

NOBODY=$(id -u nobody 2>/dev/null || echo 65534)
AS_NOBODY=(setpriv --reuid="$NOBODY" --regid="$(id -g nobody 2>/dev/null ||
    echo 65534)" --clear-groups)

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

@test "rawrecv -r F -w F (the same path, another name for it, a link): refused, F untouched" {
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
	run --separate-stderr "$BIN/rawrecv" -r "$(T f.pcap)" -w "$(T f.pcap)"
	[ "$status" -eq 2 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
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
	[ -z "$(descendants "$echo")" ]
	kill -0 "$echo"
	# The server's end takes the second handler's with it.
	inA "$BIN/rawsend" -i va two
	bg_expect "$echo" 0
	[ "$(wc -l < "$PUB/h.pid")" -eq 4 ]
	while read -r pid; do
		dead "$pid"
	done < "$PUB/h.pid"
}

