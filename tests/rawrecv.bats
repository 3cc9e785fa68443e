#!/usr/bin/env bats
# rawrecv: receiving and printing frames in the veth lab.

load helpers

setup_file() { lab_setup; }
teardown_file() { lab_teardown; }
teardown() { bg_cleanup; }

@test "the seed's fast test: rawsend Boo, rawrecv prints the RawPacket" {
	need_lab
	recv_start r "$NS_B" -i vb -c 1 --timeout 5
	run inA "$BIN/rawsend" -i va Boo
	[ "$status" -eq 0 ]
	run bg_wait "$BG_PID"
	[ "$status" -eq 0 ]
	run cat "$BATS_TEST_TMPDIR/r.out"
	[ "${lines[0]}" = "$MAC_A == 0xeefa => ff:ff:ff:ff:ff:ff - OK:" ]
	[ "${lines[1]}" = "Boo" ]
	[ "${#lines[@]}" -eq 2 ]
}
