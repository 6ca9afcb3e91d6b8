#!/bin/bash
# The statistic-* and stat-lease4-get commands of ternd and of Debian's
# kea-dhcp4 2.2, same configuration, same commands (stats_kea/cases.jsonl,
# good and bad arguments): the same results, texts, statistic names,
# values and sample counts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 /usr/bin/python3
require_file "$TERND" /usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_stat_cmds.so
here=$(dirname "$0")/stats_kea

netns_add srv
addr_add srv lo 10.62.0.1/24
for s in kea ternd; do
	cat >"$TT_DIR/$s.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["lo"]},
  "lease-database": {"type": "memfile", "persist": false},
  "control-socket": {"socket-type": "unix", "socket-name": "$TT_DIR/$s.sock"},
  "hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_stat_cmds.so"}],
  "subnet4": [{"id": 1, "subnet": "10.62.0.0/24", "pools": [{"pool": "10.62.0.10 - 10.62.0.19"}]},
              {"id": 3, "subnet": "10.63.0.0/24", "pools": [{"pool": "10.63.0.10 - 10.63.0.10"}]}]
}}
JSON
done
mkdir -p "$TT_DIR/kea-run"
start_bg kea ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR/kea-run" \
	KEA_LOCKFILE_DIR="$TT_DIR/kea-run" kea-dhcp4 -c "$TT_DIR/kea.json"
ternd_start srv "$TT_DIR/ternd.json"
wait_for 10 test -S "$TT_DIR/kea.sock" || fail "kea-dhcp4 did not open its socket"

# At start: the same statistics (names, values, one sample each).
echo '{"command":"statistic-get-all"}' >"$TT_DIR/all.jsonl"
for s in kea ternd; do
	/usr/bin/python3 "$here/ask.py" "$TT_DIR/$s.sock" "$TT_DIR/all.jsonl" \
		>"$TT_DIR/$s.all" || fail "$s: statistic-get-all"
done
diff -u "$TT_DIR/kea.all" "$TT_DIR/ternd.all" >&2 || fail "statistic-get-all differs"
n=$(grep -o '"subnet\[' "$TT_DIR/ternd.all" | wc -l)
[ "$n" = 14 ] || fail "statistic-get-all: $n subnet statistics, not 14"

for s in kea ternd; do
	/usr/bin/python3 "$here/ask.py" "$TT_DIR/$s.sock" "$here/cases.jsonl" \
		>"$TT_DIR/$s.out" || fail "$s: commands"
done
diff -u "$TT_DIR/kea.out" "$TT_DIR/ternd.out" >&2 || fail "answers differ"
log "$(wc -l <"$TT_DIR/ternd.out") commands: the same answers as kea-dhcp4"
log "PASS"
