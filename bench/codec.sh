#!/bin/sh
# Codec benchmark: median ns/op (9 runs) and callgrind instructions/op per scenario.
set -eu
build="${1:-build}"
bin="$build/bench/bench_codec"
[ -x "$bin" ] || { echo "codec.sh: $bin not built (make)" >&2; exit 1; }

echo "## bench_codec: ns/op, median of 9 runs"
"$bin" -r 9 -n 2000000

if command -v valgrind >/dev/null 2>&1; then
	echo "## instructions/op (valgrind --tool=callgrind; repeatable on a noisy machine)"
	n=200000
	for s in Load LoadWithOptions Save SaveWithOptions V6ReplyParse; do
		base=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			"$bin" --only "$s" 0 2>&1 | awk '/refs:/ {gsub(",", "", $4); print $4}')
		full=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			"$bin" --only "$s" "$n" 2>&1 | awk '/refs:/ {gsub(",", "", $4); print $4}')
		printf '%-16s %8d instructions/op\n' "$s" $(((full - base) / n))
	done
fi
