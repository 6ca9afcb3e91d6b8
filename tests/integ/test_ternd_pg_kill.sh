#!/bin/bash
# Two ternd servers on one PostgreSQL database, each preferring its own
# half of the pool, both under perfdhcp; one is killed with SIGKILL in the
# middle of it. No lease it ACKed is lost (every captured ACK is a row),
# no address went to two clients, and its clients renew at the other.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
tt_init
require_root
require_cmd perfdhcp tcpdump python3
require_file "$TERND"

pg_init
pg_run pg
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
pg_two_sites
for i in 1 2; do
	pg_servers_config $((i - 1)) 2 "$TT_DIR/ternd$i.json"
	ternd_start "srv$i" "$TT_DIR/ternd$i.json" "ternd$i"
	pg_capture "$i"
done

pg_load 1 300 4 00:0c:01:00:00:00
pg_load 2 300 4 00:0c:02:00:00:00
# Under load: wait until server 1 has ACKed a few hundred, then kill it.
wait_for 20 eval '[ "$(pg_sql "SELECT count(*) FROM ternd_lease4")" -ge 400 ]' ||
	fail "no load reached the database"
kill -KILL "$(bg_pid ternd1)"
log "server 1 killed with $(pg_sql 'SELECT count(*) FROM ternd_lease4') rows stored"
wait_bg perf1 60 || true
wait_bg perf2 60 || true
stop_bg cap1
stop_bg cap2
for i in 1 2; do
	read -r d o r a < <(perf_counts "perf$i")
	log "site $i: DISCOVER $d -> OFFER $o; REQUEST $r -> ACK $a"
done
pg_check_acks "$TT_DIR/cap1.pcap" "$TT_DIR/cap2.pcap"

# Server 1's clients, moved to site 2, renew there (RENEWING, as a relay
# forwards it): the other server reads nothing from server 1, the row in
# the database says the address is theirs.
pg_acks "$TT_DIR/cap1.pcap" | sort -u | head -n 50 >"$TT_DIR/moved"
n=$(wc -l <"$TT_DIR/moved")
[ "$n" -ge 20 ] || fail "server 1 ACKed only $n leases before its death"
ip netns exec "$(ns cli2)" timeout 120 python3 "$(dirname "$0")/dhcp_renew.py" \
	10.250.0.1 10.250.0.2 <"$TT_DIR/moved" >"$TT_DIR/renewed"
acks=$(grep -c ' ACK$' "$TT_DIR/renewed") || true
log "$acks of $n of server 1's clients renewed at server 2"
[ "$acks" = "$n" ] || fail "renewals: $(grep -v ' ACK$' "$TT_DIR/renewed" | head -5)"
# The renewals are rows of the same clients, with a later end.
while read -r ip mac _; do
	row=$(pg_sql "SELECT hwaddr FROM ternd_lease4_readable
		WHERE host(address) = '$ip' AND remaining > 3900")
	[ "$row" = "$mac" ] || fail "$ip: row says '$row', not $mac renewed"
done <"$TT_DIR/renewed"
log "PASS"
