#!/bin/sh
# Fails when a test asserts a wall-clock duration ("restore < 1 s"): such a
# test flakes under sanitizers and on a shared machine. Speed lives in bench/.
# A hang guard (give up waiting after N s) is fine: it is not an assertion on
# how long the work took, and it is written with fail_msg / fail, not assert.
set -eu
root="$1"
bad=$(grep -rnE \
	'assert_(true|false)\(.*(\bms|\belapsed[a-z_]*|\bt_[a-z]+|\bt[0-9] *- *t[0-9]|\bdt|\bsecs?|\btook) *[<>]' \
	"$root/tests/unit" "$root/tests/integ" --include='*.c' || true)
if [ -n "$bad" ]; then
	echo "tests assert wall-clock durations (move the figure to bench/):"
	echo "$bad"
	exit 1
fi
# Shell tests: a duration compared with a bound ([ "$ms" -lt 1000 ]).
bad=$(grep -rnE '\[ *"?\$\{?[a-z_]*(ms|elapsed|secs|took|dur)[a-z_]*\}?"? +-(lt|le|gt|ge) ' \
	"$root/tests/integ" --include='*.sh' || true)
if [ -n "$bad" ]; then
	echo "integration tests assert wall-clock durations (move them to bench/):"
	echo "$bad"
	exit 1
fi
echo "no wall-clock assertions in tests/"
