#!/bin/bash
# Two ternd servers, one PostgreSQL lease database, both loaded by
# perfdhcp at once with no pool preference (the worst case: both pick the
# same next address): every ACK on the wire is its client's row and no
# address is ACKed to two clients; the races were real (lost ones logged).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
tt_init
require_root
require_cmd perfdhcp tcpdump
require_file "$TERND"

pg_init
pg_run pg
pg_sql "SELECT 1" >/dev/null 2>&1 && fail "database leases exists already"
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
pg_two_sites
for i in 1 2; do
	pg_servers_config "" 2 "$TT_DIR/ternd$i.json"
	ternd_start "srv$i" "$TT_DIR/ternd$i.json" "ternd$i"
	pg_capture "$i"
done
[ "$(pg_sql 'SELECT version FROM ternd_schema')" = 2 ] || fail "no schema"

# 300 exchanges/s at each server for 4 s.
pg_load 1 300 4 00:0c:01:00:00:00
pg_load 2 300 4 00:0c:02:00:00:00
wait_bg perf1 60 || true
wait_bg perf2 60 || true
stop_bg cap1
stop_bg cap2
# Without a preference the server that falls behind loses most races,
# often all of them (each costs its client the ACK, never a duplicate):
# only the sum is asserted.
total=0
for i in 1 2; do
	read -r d o r a < <(perf_counts "perf$i")
	log "site $i: DISCOVER $d -> OFFER $o; REQUEST $r -> ACK $a"
	total=$((total + a))
done
[ "$total" -ge 1000 ] || fail "only $total ACKs in all"
pg_check_acks "$TT_DIR/cap1.pcap" "$TT_DIR/cap2.pcap"
lost=$(cat "$(bg_log ternd1)" "$(bg_log ternd2)" | grep -c 'lost to other servers') || true
log "lost-race reports in the logs: $lost"
[ "$lost" -gt 0 ] || fail "no race was lost: the test did not test the guard"
log "PASS"
