#!/usr/bin/env bats
# The README's examples are real: each fenced block after a line
# "<!-- example: NAME -->" is run in the lab and its output compared.
#
# In a block, "A# CMD" runs CMD in NS_A, "B# CMD" in NS_B (as root), and
# "$ CMD" in NS_A as nobody (it needs no privileges); a CMD ending in " &"
# runs in the background and must print its "listening on" line, which the
# test waits for. Every other line is expected output (stdout and stderr of
# all the commands). The README's veth0/veth1 are the lab's va/vb, whose
# MACs are set to the README's 02:00:00:00:00:0a/0b. Lines are compared as
# a multiset, since background and foreground output interleave; measured
# times (decimal figures, "time Nms") match any value.

load helpers

# The README's commands are the applets' names.
export PATH="$BIN:$PATH"

README_MAC_A=02:00:00:00:00:0a
README_MAC_B=02:00:00:00:00:0b

setup_file() {
	lab_setup
	[ -n "${NS_A:-}" ] || return 0
	ip -n "$NS_A" link set va down
	ip -n "$NS_A" link set va address "$README_MAC_A"
	ip -n "$NS_A" link set va up
	ip -n "$NS_B" link set vb down
	ip -n "$NS_B" link set vb address "$README_MAC_B"
	ip -n "$NS_B" link set vb up
}
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

# The names of the marked examples, in README order.
example_names() {
	sed -n 's/^<!-- example: \([a-z0-9-]*\) -->$/\1/p' "$ROOT/README.md"
}

# example_block NAME: the lines of the fenced block after NAME's marker.
example_block() {
	awk -v m="<!-- example: $1 -->" '
	    $0 == m { want = 1; next }
	    want && /^```/ { if (code) exit; code = 1; next }
	    want && !code && NF { exit }
	    code { print }' "$ROOT/README.md"
}

# The README's names for the lab's.
to_lab() { sed 's/\<veth0\>/va/g; s/\<veth1\>/vb/g'; }

# Measured times match any value.
normalize() {
	sed -E 's/[0-9]+\.[0-9]+/N/g; s/time [0-9]+ms/time Nms/' | LC_ALL=C sort
}

# run_example NAME: runs the block, compares, prints both sides on failure.
run_example() {
	local name=$1 line cmd ns n=0 pid
	local -a pids=() names=()
	local dir=$BATS_TEST_TMPDIR/work exp=$BATS_TEST_TMPDIR/expected
	local act=$BATS_TEST_TMPDIR/actual
	mkdir -p "$dir" && chmod 1777 "$dir"
	: > "$exp"; : > "$act"
	run example_block "$name"
	[ "${#lines[@]}" -gt 0 ] || { echo "no example '$name'"; return 1; }
	cd "$dir"
	while IFS= read -r line; do
		case $line in
		'A# '*) ns=$NS_A ;;
		'B# '*) ns=$NS_B ;;
		'$ '*) ns=user ;;
		*) printf '%s\n' "$line" | to_lab >> "$exp"; continue ;;
		esac
		cmd=$(printf '%s\n' "${line#* }" | to_lab)
		echo "# $line" >&2
		if [[ $cmd == *' &' ]]; then
			n=$((n + 1))
			[ "$ns" != user ] || { echo "a \$ example in the background"; return 1; }
			bg_start "bg$n" "$ns" bash -c "exec ${cmd% &}"
			pids+=("$BG_PID") names+=("bg$n")
			wait_for_line "$BATS_TEST_TMPDIR/bg$n.err" "listening on" ||
			    { echo "'$cmd' printed no 'listening on' line"; return 1; }
		elif [ "$ns" = user ]; then
			ip netns exec "$NS_A" setpriv --reuid=65534 --regid=65534 \
			    --clear-groups --inh-caps=-all \
			    timeout "$WAIT_MAX" bash -c "$cmd" < /dev/null >> "$act" 2>&1
		else
			ip netns exec "$ns" timeout "$WAIT_MAX" bash -c "$cmd" \
			    < /dev/null >> "$act" 2>&1
		fi
	done < <(example_block "$name")
	for ((i = 0; i < ${#pids[@]}; i++)); do
		bg_expect "${pids[i]}" 0 || { echo "'${names[i]}' failed"; return 1; }
		cat "$BATS_TEST_TMPDIR/${names[i]}.out" \
		    "$BATS_TEST_TMPDIR/${names[i]}.err" >> "$act"
	done
	cd "$BATS_TEST_TMPDIR"
	if [ "$(normalize < "$exp")" != "$(normalize < "$act")" ]; then
		echo "README example '$name': expected (sorted), then got:"
		normalize < "$exp"
		echo "---"
		normalize < "$act"
		return 1
	fi
}

@test "the README marks its examples, and this file runs each of them" {
	local names ran
	names=$(example_names | LC_ALL=C sort)
	ran=$(grep -oE '^	run_example [a-z0-9-]+$' "$BATS_TEST_FILENAME" |
	    sed 's/.* //' | LC_ALL=C sort)
	[ -n "$names" ]
	[ "$names" = "$ran" ] || {
		echo "marked in README.md:"; echo "$names"
		echo "run here:"; echo "$ran"; false
	}
	# Every code block with a prompt line is a marked example.
	run awk '/^<!-- example: / { m = 1; next }
	    /^```/ { if (code) { if (p && !mk) print "unmarked block at line " start;
		code = 0 } else { code = 1; mk = m; p = 0; start = NR } m = 0; next }
	    code && /^(A# |B# |\$ )/ { p = 1 }
	    !code && NF { m = m && 0 }' "$ROOT/README.md"
	[ -z "$output" ] || { echo "$output"; false; }
}

@test "README example: rawsend" {
	need_lab
	run_example rawsend
}

@test "README example: rawsend-dry-run" {
	need_lab
	run_example rawsend-dry-run
}

@test "README example: rawsend-json" {
	need_lab
	run_example rawsend-json
}

@test "README example: rawrecv" {
	need_lab
	run_example rawrecv
}

@test "README example: rawsniff-arp" {
	need_lab
	run_example rawsniff-arp
}

@test "README example: rawecho" {
	need_lab
	run_example rawecho
}

@test "README example: rawecho-pipe" {
	need_lab
	run_example rawecho-pipe
}

@test "README example: rawping" {
	need_lab
	run_example rawping
}

@test "README example: escaped" {
	need_lab
	run_example escaped
}

@test "README example: timeout" {
	need_lab
	run_example timeout
}

@test "the README's set-up commands are the Makefile's targets, and the demo is tests/demo.sh" {
	grep -qE '^demo:' "$ROOT/Makefile"
	grep -qE '^check:' "$ROOT/Makefile"
	grep -qF 'tests/demo.sh' "$ROOT/Makefile"
	grep -qF 'sudo make demo' "$ROOT/README.md"
	grep -qF 'sudo make check' "$ROOT/README.md"
}
