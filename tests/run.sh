#!/usr/bin/env bash
# Runs the C unit tests and the bats suite as TAP, and ends with the line
# "N passed, N failed, N skipped". Exits 1 if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
export BUILD
pass=0 fail=0 skip=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Reads TAP from $out; a runner that died without saying so is a failure.
tally() {
	local rc=$1 name=$2 line failed_before=$fail
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"not ok"*) fail=$((fail + 1)) ;;
		"ok "*"# skip"*) skip=$((skip + 1)) ;;
		"ok "*) pass=$((pass + 1)) ;;
		esac
	done < "$out"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq "$failed_before" ]; then
		echo "not ok - $name exited with status $rc"
		fail=$((fail + 1))
	fi
}

for t in "$BUILD"/unit/test_*; do
	[ -x "$t" ] || continue
	echo "# unit: ${t##*/}"
	"$t" > "$out" 2>&1
	tally $? "${t##*/}"
done

files=(tests/*.bats)
if [ -n "${BATS_FILES:-}" ]; then
	read -r -a files <<< "$BATS_FILES"
fi
echo "# bats: ${files[*]}"
bats --tap "${files[@]}" > "$out" 2>&1
tally $? bats

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
