#!/bin/bash
# Two ternd servers, one PostgreSQL lease database, both loaded by
# perfdhcp at once with no pool preference (the worst case: both pick the
# same next address): every ACK on the wire is its client's row and no
# address is ACKed to two clients; the races were real (lost ones logged)
# and ternd-db-races-lost counts them: one per REQUEST left unanswered.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
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
	pg_servers_config "" 2 "$TT_DIR/ternd$i.json" "$TT_DIR/ctl$i.sock"
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

# ternd-db-races-lost: every lost race withheld its ACK (never answered),
# so at each site the REQUESTs perfdhcp sent = the ACKs it received + the
# NAKs on the wire + the server's statistic;
# the logs' running total ("N so far", rate-limited) never exceeds it.
stat() {
	ctl_raw "$TT_DIR/ctl$1.sock" "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"$2\"}}" |
		python3 -c 'import json,sys; a=json.load(sys.stdin)["arguments"]; print(next(iter(a.values()))[0][0] if a else "none")'
}
sum=0
for i in 1 2; do
	s=$(stat "$i" ternd-db-races-lost)
	read -r _ _ req ack < <(perf_counts "perf$i")
	nak=$(pg_msgs "$TT_DIR/cap$i.pcap" NACK)
	logged=$(grep -o '([0-9]* so far)' "$(bg_log "ternd$i")" | tr -dc '0-9\n' | tail -n 1)
	log "site $i: ternd-db-races-lost $s; REQUEST $req ACK $ack, NAKs on the wire $nak; last logged total ${logged:-none}"
	[ "$s" = $((req - ack - nak)) ] ||
		fail "site $i: ternd-db-races-lost $s, but $((req - ack - nak)) REQUESTs went unanswered"
	[ -z "$logged" ] || [ "$logged" -le "$s" ] ||
		fail "site $i: the log counted $logged lost races, the statistic $s"
	[ "$s" = 0 ] || [ -n "$logged" ] || fail "site $i: $s lost races, none logged"
	sum=$((sum + s))
done
[ "$sum" -gt 0 ] || fail "ternd-db-races-lost is 0 at both servers"
log "PASS"
