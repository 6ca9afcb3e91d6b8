#!/bin/bash
# DHCPv6 on PostgreSQL, the database stopped under perfdhcp -6 load and
# started again once REQUESTs met it down: ternd -6 reconnects by itself
# (max-reconnect-tries / reconnect-wait-time), sends no REPLY for a
# binding the database does not have, and serves again afterwards. Then
# on-fail: with the attempts used up, stop-retry-exit makes it exit with
# the error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg_lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd perfdhcp tcpdump python3
require_file "$TERND"
here=$(dirname "$0")

pg_init
pg_run pg
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
v6_link srv v6s cli v6c

# config TRIES WAIT_MS FILE
config() {
	cat >"$3" <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "postgresql", "name": "leases",
    "host": "$PG_SOCK", "port": $PG_PORT, "user": "postgres",
    "connect-timeout": 2, "max-reconnect-tries": $1,
    "reconnect-wait-time": $2, "on-fail": "stop-retry-exit"},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::1:0/112"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 40,
                  "delegated-len": 56}]}]
}}
JSON
}
start6() {
	start_bg "$1" ip netns exec "$(ns srv)" "$TERND" -d -c "$2"
	wait_file_contains 10 "$(bg_log "$1")" 'serving DHCPv6' ||
		fail "$1 did not start: $(tail -5 "$(bg_log "$1")")"
}
load() { # NAME RATE SECS MAC
	start_bg "$1" ip netns exec "$(ns cli)" timeout 90 perfdhcp -6 -l v6c \
		-e address-and-prefix -r "$2" -p "$3" -R 100000 -b "mac=$4"
}
rows() { pg_sql "SELECT count(*) FROM ternd_lease6"; }

config 40 250 "$TT_DIR/ternd6.json"
start6 ternd "$TT_DIR/ternd6.json"
start_bg cap ip netns exec "$(ns srv)" tcpdump -i v6s -n -U --immediate-mode \
	-B 8192 -w "$TT_DIR/cap.pcap" udp port 547
wait_file_contains 10 "$(bg_log cap)" 'listening on' || fail "tcpdump did not start"

load perf 100 8 00:0c:01:00:00:00
wait_for 20 eval '[ "$(rows)" -ge 100 ]' || fail "no load reached the database"
pg_halt pg
n0=$(tcpdump -r "$TT_DIR/cap.pcap" -n 2>/dev/null | grep -c -i 'request') || true
log "PostgreSQL stopped under load ($n0 REQUESTs so far)"
# Started again once REQUESTs have met the database down.
wait_for 20 eval '[ "$(tcpdump -r "$TT_DIR/cap.pcap" -n 2>/dev/null | grep -c -i request)" -ge $((n0 + 50)) ]' ||
	fail "no REQUEST while the database was down"
pg_run pg2
log "PostgreSQL started again"
wait_bg perf 90 || true
log "during: $(grep -E 'sent packets|received packets' "$(bg_log perf)" | tr '\n' ' ')"

# Recovered on its own: a new load is served.
load perf2 50 3 00:0c:03:00:00:00
wait_bg perf2 60 || true
sent=$(awk '/sent packets:/ {s = $3} END {print s + 0}' "$(bg_log perf2)")
got=$(awk '/received packets:/ {g = $3} END {print g + 0}' "$(bg_log perf2)")
log "after: REQUEST $sent -> REPLY $got"
[ "$sent" -gt 0 ] && [ "$got" -ge $((sent * 9 / 10)) ] || fail "not recovered: $got REPLYs for $sent REQUESTs"
_alive "$(bg_pid ternd)" || fail "ternd exited"
grep -q 'lease store failed' "$(bg_log ternd)" && fail "the store failed for good"
grep -q 'lease database connection lost' "$(bg_log ternd)" || fail "the loss was not logged"
grep -q 'lease database reconnected' "$(bg_log ternd)" || fail "the reconnection was not logged"
stop_bg cap
# Every binding a REPLY gave is a row of its client.
python3 "$here/rebind6.py" list "$TT_DIR/cap.pcap" | sort -u >"$TT_DIR/replied"
pg_sql "SELECT CASE type WHEN 'IA_NA' THEN 'na ' || host(address)
	ELSE 'pd ' || address::text END || ' ' || replace(duid, ':', '') ||
	' ' || iaid FROM ternd_lease6_readable WHERE state = 'bound'" |
	sort -u >"$TT_DIR/rows"
[ -s "$TT_DIR/replied" ] || fail "no REPLY captured"
missing=$(comm -23 "$TT_DIR/replied" "$TT_DIR/rows" | head -5)
[ -z "$missing" ] || fail "REPLYed but not a row: $missing"
log "$(wc -l <"$TT_DIR/replied") bindings REPLYed, each its client's row"

# The database gone for good: on-fail stop-retry-exit.
stop_bg ternd
config 2 100 "$TT_DIR/ternd6-exit.json"
start6 ternd-exit "$TT_DIR/ternd6-exit.json"
pg_halt pg2
load perf3 20 3 00:0c:04:00:00:00
rc=0
wait_bg ternd-exit 60 || rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "ternd did not exit on failure (rc $rc)"
grep -q 'on-fail says exit' "$(bg_log ternd-exit)" || fail "no on-fail log line"
log "database gone for good: ternd -6 exited ($rc), as on-fail stop-retry-exit says"
wait_bg perf3 60 || true
log "PASS"
