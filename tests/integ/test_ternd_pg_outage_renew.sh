#!/bin/bash
# Renewals while the lease database is unreachable (docs/lease-store.md,
# "When the database is unreachable"): PostgreSQL stopped for 10 s; the
# clients whose leases the database holds renew (RENEWING, as a relay
# forwards it) and get ACKs at once whose lease time is no more than what
# the database already holds; a stranger asking for a stored address and
# new clients get no ACK; ternd's statistics count it all (statistic-get
# and /metrics); after the restart every ACK on the wire is its client's
# row and the renewed rows were not written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
. "$(dirname "$0")/pg_lib.sh"
tt_init
require_root
require_cmd perfdhcp tcpdump curl python3
require_file "$TERND"

pg_init
pg_run pg
psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U postgres -c "CREATE DATABASE leases"
pg_two_sites
sock="$TT_DIR/ctl.sock"
mport=$((20000 + $$ % 20000))
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "lease-database": {"type": "postgresql", "name": "leases",
    "host": "$PG_SOCK", "port": $PG_PORT, "user": "postgres",
    "connect-timeout": 2, "max-reconnect-tries": 60,
    "reconnect-wait-time": 250, "on-fail": "stop-retry-exit"},
  "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
  "user-context": {"ternd": {"metrics": {"http-host": "127.0.0.1", "http-port": $mport}}},
  "subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
               "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
               "option-data": [{"name": "routers", "data": "10.250.0.1"}]}]
}}
JSON
ternd_start srv1 "$TT_DIR/ternd.json" ternd
stat() {
	ctl_raw "$sock" "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"$1\"}}" |
		python3 -c 'import json,sys; a=json.load(sys.stdin)["arguments"]; print(next(iter(a.values()))[0][0] if a else "none")'
}
[ "$(stat ternd-renewals-from-store)" = 0 ] || fail "ternd-renewals-from-store is not 0 at start"
pg_capture 1

# Leases the database holds.
pg_load 1 100 2 00:0c:01:00:00:00
wait_bg perf1 60 || true
pg_sql "SELECT host(address) || ' ' || hwaddr FROM ternd_lease4_readable
	WHERE state = 'bound' ORDER BY address LIMIT 20" >"$TT_DIR/stored"
[ "$(wc -l <"$TT_DIR/stored")" = 20 ] || fail "fewer than 20 leases stored"
pg_sql "SELECT '0.0.0.0'::inet + address || ' ' || expire FROM ternd_lease4
	ORDER BY address" | sed 's|/32||' | sort >"$TT_DIR/ends-before"

pg_halt pg
t0=$(date +%s)
log "PostgreSQL stopped"
# New clients during the outage: no ACK (their leases cannot be stored).
pg_load 1 50 2 00:0c:05:00:00:00
wait_bg perf1 30 || true
read -r d o r a < <(perf_counts perf1)
log "new clients during the outage: DISCOVER $d -> OFFER $o; REQUEST $r -> ACK $a"
[ "$r" -gt 0 ] || fail "perfdhcp sent no REQUEST"
[ "$a" = 0 ] || fail "$a ACKs for new clients while the database was down"
wait_for 20 eval '[ "$(stat ternd-db-connection-losses)" -ge 1 ]' ||
	fail "ternd-db-connection-losses did not count the loss"

# The stored clients renew; one stranger asks for a stored address.
now=$(date +%s)
{ cat "$TT_DIR/stored"; echo "$(head -1 "$TT_DIR/stored" | cut -d' ' -f1) 00:0c:99:00:00:01"; } |
	ip netns exec "$(ns cli1)" env DHCP_RENEW_TIMES=1 DHCP_RENEW_WAIT=1 \
	timeout 60 python3 "$(dirname "$0")/dhcp_renew.py" 10.250.0.1 10.250.0.2 >"$TT_DIR/renewed"
n=0
while read -r ip mac verdict lt t1 t2; do
	if [ "$mac" = 00:0c:99:00:00:01 ]; then
		[ "$verdict" != ACK ] || fail "a stranger got an ACK for $ip"
		continue
	fi
	[ "$verdict" = ACK ] || fail "$ip $mac: $verdict during the outage"
	end=$(awk -v a="$ip" '$1 == a {print $2}' "$TT_DIR/ends-before")
	[ -n "$end" ] || fail "$ip: no stored end"
	left=$((end - now))
	[ "$lt" -gt 0 ] && [ "$lt" -le "$left" ] ||
		fail "$ip: lease time $lt, the database holds $left s"
	[ "$t1" -lt "$t2" ] && [ "$t2" -lt "$lt" ] || fail "$ip: T1 $t1 T2 $t2 lease $lt"
	n=$((n + 1))
done <"$TT_DIR/renewed"
[ "$n" = 20 ] || fail "only $n renewals answered"
log "20 renewals ACKed from the stored leases (e.g. $(head -1 "$TT_DIR/renewed")), the stranger not"
# INIT-REBOOT (a client back from a reboot, its own address in option 50).
head -5 "$TT_DIR/stored" | ip netns exec "$(ns cli1)" env DHCP_RENEW_TIMES=1 \
	DHCP_RENEW_WAIT=1 DHCP_RENEW_INIT_REBOOT=1 timeout 60 \
	python3 "$(dirname "$0")/dhcp_renew.py" 10.250.0.1 10.250.0.2 >"$TT_DIR/rebooted"
while read -r ip mac verdict lt _; do
	end=$(awk -v a="$ip" '$1 == a {print $2}' "$TT_DIR/ends-before")
	[ "$verdict" = ACK ] && [ "$lt" -le $((end - now)) ] ||
		fail "INIT-REBOOT $ip $mac: $verdict $lt"
done <"$TT_DIR/rebooted"
[ "$(grep -c ' ACK ' "$TT_DIR/rebooted")" = 5 ] || fail "INIT-REBOOT: $(cat "$TT_DIR/rebooted")"

s=$(stat ternd-renewals-from-store)
[ "$s" -ge 25 ] || fail "ternd-renewals-from-store $s, not >= 25"
w=$(stat ternd-acks-withheld-outage)
[ "$w" -ge 1 ] || fail "ternd-acks-withheld-outage $w"
f=$(stat ternd-db-commits-failed)
[ "$f" -ge 1 ] || fail "ternd-db-commits-failed $f"
nsx srv1 curl -sf "http://127.0.0.1:$mport/metrics" >"$TT_DIR/metrics" || fail "no /metrics"
grep -q "^ternd_dhcp4_renewals_from_store_total [1-9]" "$TT_DIR/metrics" ||
	fail "/metrics: $(grep ternd_ "$TT_DIR/metrics")"
log "statistics: renewals from store $s, ACKs withheld $w, commits failed $f"

# The outage lasts 10 s in all.
left=$((t0 + 10 - $(date +%s)))
[ "$left" -gt 0 ] && sleep "$left"
pg_run pg2
log "PostgreSQL started again"
wait_file_contains 60 "$(bg_log ternd)" 'lease database reconnected' ||
	fail "no reconnection"
[ "$(stat ternd-db-reconnect-attempts)" -ge 1 ] || fail "ternd-db-reconnect-attempts is 0"
pg_load 1 100 2 00:0c:03:00:00:00
wait_bg perf1 60 || true
read -r d o r a2 < <(perf_counts perf1)
[ "$a2" -ge $((r * 9 / 10)) ] || fail "not recovered: $a2 ACKs for $r REQUESTs"
stop_bg cap1
pg_check_acks "$TT_DIR/cap1.pcap"
# Nothing was written for the renewals answered from the store.
pg_sql "SELECT '0.0.0.0'::inet + address || ' ' || expire FROM ternd_lease4
	ORDER BY address" | sed 's|/32||' | sort >"$TT_DIR/ends-after"
while read -r ip _; do
	[ "$(grep "^$ip " "$TT_DIR/ends-before")" = "$(grep "^$ip " "$TT_DIR/ends-after")" ] ||
		fail "$ip: the row changed for a renewal answered from the store"
done <"$TT_DIR/stored"
grep -q 'renewals answered from the stored lease' "$(bg_log ternd)" || fail "not logged"
log "PASS"
