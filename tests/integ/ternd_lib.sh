# Helpers for ternd integration tests: config, start, wait, lease store queries.
# Source after lib.sh.

TERND="${TERN_BUILD:-build}/src/server/ternd"

# ternd_start NS CONFIG [NAME]: run ternd -d in namespace NS and wait until
# it serves (its log says so); NAME defaults to ternd.
ternd_start() {
	local n=$1 cfg=$2 name=${3:-ternd}
	start_bg "$name" ip netns exec "$(ns "$n")" "$TERND" -d -c "$cfg"
	wait_file_contains 10 "$(bg_log "$name")" 'serving [0-9]+ subnets' ||
		fail "$name did not start: $(tail -5 "$(bg_log "$name")")"
}

# ternd_stats NAME: ask ternd for its counters (SIGUSR1) and print the line.
ternd_stats() {
	local name=${1:-ternd} log before
	log=$(bg_log "$name")
	before=$(grep -c 'stats:' "$log")
	kill -USR1 "$(bg_pid "$name")"
	wait_for 5 eval "[ \$(grep -c 'stats:' '$log') -gt $before ]" ||
		fail "no stats from $name"
	grep 'stats:' "$log" | tail -n 1
}

# lease_state DB ADDRESS: the state of ADDRESS in ternd's store ("" if none).
lease_state() {
	sqlite3 "$1" "SELECT state FROM lease4_readable WHERE address = '$2';"
}

# lease_field DB ADDRESS COLUMN: one column of lease4_readable.
lease_field() {
	sqlite3 "$1" "SELECT $3 FROM lease4_readable WHERE address = '$2';"
}
