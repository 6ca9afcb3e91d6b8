#!/bin/bash
# expired-leases-processing for a Dhcp6 ternd (issue 12), applied by
# daemon6's reclamation cycle: with max-reclaim-leases 2 the ended
# bindings go two per cycle (unwarned-reclaim-cycles 2: the warning is
# logged), with flush-reclaimed-timer-wait-time 0 their rows are deleted
# instead of kept as expired-reclaimed; a config-set to reclaim-timer-
# wait-time 0 stops automatic reclamation, and leases-reclaim then does it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
tt_init
require_root
require_cmd perfdhcp sqlite3 python3
require_file "$TERND"

v6_link srv v6s cli v6c

db="$TT_DIR/store/leases6.sqlite"
sock="$TT_DIR/ctl6.sock"
# conf EXPIRED-LEASES-PROCESSING
conf() {
	cat <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/store/leases6.csv"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "preferred-lifetime": 2, "valid-lifetime": 3,
  "expired-leases-processing": $1,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48,
                  "delegated-len": 56}]}]
}}
JSON
}
conf '{"reclaim-timer-wait-time": 1, "max-reclaim-leases": 2,
  "unwarned-reclaim-cycles": 2, "flush-reclaimed-timer-wait-time": 0}' >"$TT_DIR/ternd6.json"
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
tlog=$(bg_log ternd)
wait_file_contains 10 "$tlog" 'serving DHCPv6' || fail "ternd did not start: $(tail -5 "$tlog")"
ctl() { ctl_raw "$sock" "$1"; }
stat() { json_get "$(ctl '{"command": "statistic-get", "arguments": {"name": "'"$1"'"}}')" arguments "$1" 0 0; }
rows() { sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE state = ${1:-0};"; }

# ---- 6 clients, an address and a prefix each: 12 bindings for 3 s
run_bounded 30 perf1 ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
	-e address-and-prefix -R 6 -r 6 -n 6 -W 1000000 || true
n=$(rows 0)
[ "$n" -ge 8 ] || fail "too few bindings stored: $n"
# Ended and reclaimed, two per cycle: the rows go (none kept as state 2).
wait_for 30 eval '[ "$(sqlite3 "$db" "SELECT count(*) FROM lease6")" = 0 ]' ||
	fail "not reclaimed: $(sqlite3 "$db" 'SELECT type, state, expire FROM lease6')"
[ "$(stat reclaimed-leases)" = "$n" ] || fail "reclaimed-leases $(stat reclaimed-leases), $n bindings"
grep -q 'reclamation cycles in a row left expired DHCPv6 bindings to the next (max-reclaim-leases 2' "$tlog" ||
	fail "no warning after 2 incomplete cycles: $(grep -i reclam "$tlog")"
log "$n bindings reclaimed two per cycle and deleted; the slow-reclamation warning logged"

# ---- automatic reclamation off; leases-reclaim does it, keeping rows
a=$(ctl "{\"command\": \"config-set\", \"arguments\": $(conf '{"reclaim-timer-wait-time": 0, "hold-reclaimed-time": 3600}')}")
[ "$(json_get "$a" result)" = 0 ] || fail "config-set: $a"
run_bounded 30 perf2 ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
	-e address-and-prefix -R 6 -r 6 -n 6 -W 1000000 || true
n=$(rows 0)
[ "$n" -ge 8 ] || fail "too few bindings stored: $n"
# Past their end (valid 3 s) with no cycle: still bound.
wait_for 10 eval "[ \$(date +%s) -gt \$(sqlite3 '$db' 'SELECT max(expire) FROM lease6') ]" ||
	fail "bindings did not end"
[ "$(rows 0)" = "$n" ] || fail "reclaimed with reclaim-timer-wait-time 0: $(rows 0) of $n left"
a=$(ctl '{"command": "leases-reclaim", "arguments": {"remove": false}}')
[ "$(json_get "$a" text)" = "Reclamation of expired leases is complete." ] || fail "leases-reclaim: $a"
wait_for 10 eval '[ "$(rows 2)" = '"$n"' ]' ||
	fail "leases-reclaim left: $(sqlite3 "$db" 'SELECT type, state FROM lease6')"
a=$(ctl '{"command": "leases-reclaim", "arguments": {"remove": true}}')
[ "$(json_get "$a" result)" = 0 ] || fail "leases-reclaim remove: $a"
[ "$(rows 2)" = "$n" ] || fail "remove deleted reclaimed rows before their hold time"
log "reclaim-timer-wait-time 0: nothing reclaimed until leases-reclaim ($n kept as expired-reclaimed)"
kill -0 "$(bg_pid ternd)" || fail "ternd died"
log "PASS"
