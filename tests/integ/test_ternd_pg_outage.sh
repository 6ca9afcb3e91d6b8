#!/bin/bash
# PostgreSQL stopped for 10 s under perfdhcp load, then started again:
# ternd reconnects by itself (max-reconnect-tries / reconnect-wait-time),
# sends no ACK for a lease the database does not have, duplicates nothing,
# and serves again afterwards. Then on-fail: with the attempts used up,
# stop-retry-exit makes ternd exit with the error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
tt_init
require_root
require_cmd perfdhcp tcpdump
require_file "$TERND"

pg_init
pg_run pg
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
pg_two_sites
pg_servers_config "" 1 "$TT_DIR/ternd.json"
ternd_start srv1 "$TT_DIR/ternd.json" ternd
pg_capture 1

pg_load 1 200 16 00:0c:01:00:00:00
wait_for 20 eval '[ "$(pg_sql "SELECT count(*) FROM ternd_lease4")" -ge 300 ]' ||
	fail "no load reached the database"
pg_halt pg
log "PostgreSQL stopped under load"
sleep 10
pg_run pg2
log "PostgreSQL started again"
wait_bg perf1 90 || true
read -r d o r a < <(perf_counts perf1)
log "during: DISCOVER $d -> OFFER $o; REQUEST $r -> ACK $a"

# Recovered on its own: a new load is served.
pg_load 1 100 3 00:0c:03:00:00:00
wait_bg perf1 60 || true
read -r d o r a2 < <(perf_counts perf1)
log "after: DISCOVER $d -> OFFER $o; REQUEST $r -> ACK $a2"
[ "$a2" -ge $((r * 9 / 10)) ] || fail "not recovered: $a2 ACKs for $r REQUESTs"
_alive "$(bg_pid ternd)" || fail "ternd exited"
grep -q 'lease store failed' "$(bg_log ternd)" && fail "the store failed for good"
grep -q 'lease database connection lost' "$(bg_log ternd)" || fail "the loss was not logged"
grep -q 'lease database reconnected' "$(bg_log ternd)" || fail "the reconnection was not logged"
stop_bg cap1
pg_check_acks "$TT_DIR/cap1.pcap"

stop_bg ternd
sed -e 's/"max-reconnect-tries": 40/"max-reconnect-tries": 2/' \
	-e 's/"reconnect-wait-time": 250/"reconnect-wait-time": 100/' \
	"$TT_DIR/ternd.json" >"$TT_DIR/ternd-exit.json"
ternd_start srv1 "$TT_DIR/ternd-exit.json" ternd-exit
pg_halt pg2
pg_load 1 50 3 00:0c:04:00:00:00
rc=0
wait_bg ternd-exit 60 || rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "ternd did not exit on failure (rc $rc)"
grep -q 'on-fail says exit' "$(bg_log ternd-exit)" || fail "no on-fail log line"
log "database gone for good: ternd exited ($rc), as on-fail stop-retry-exit says"
wait_bg perf1 60 || true
log "PASS"
