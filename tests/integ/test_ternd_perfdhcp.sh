#!/bin/bash
# A short perfdhcp run (ISC's load generator, acting as a relay) against
# ternd at a modest rate: every DISCOVER gets its OFFER and every REQUEST
# its ACK (zero drops), and every ACKed lease is in the store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd perfdhcp sqlite3
require_file "$TERND"

netns_add srv
netns_add cli
veth_pair srv eth0 cli eth0
addr_add srv eth0 10.250.0.1/16
addr_add cli eth0 10.250.0.2/16
db="$TT_DIR/leases.sqlite"
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "valid-lifetime": 4000,
  "subnet4": [{"id": 1, "subnet": "10.250.0.0/16",
               "pools": [{"pool": "10.250.1.0 - 10.250.255.254"}],
               "option-data": [{"name": "routers", "data": "10.250.0.1"}]}]
}}
JSON
ternd_start srv "$TT_DIR/ternd.json"
# 1000 exchanges/s for 3 s; -W: wait 0.5 s for the last replies.
run_bounded 60 perfdhcp ip netns exec "$(ns cli)" perfdhcp -4 -l eth0 -r 1000 \
	-R 10000000 -p 3 -W 500000 10.250.0.1 || true
out=$(bg_log perfdhcp)
read -r sent1 recv1 sent2 recv2 < <(awk '
	/Statistics for: DISCOVER-OFFER/ {s = 1} /Statistics for: REQUEST-ACK/ {s = 2}
	/sent packets:/ {sent[s] = $3} /received packets:/ {recv[s] = $3}
	END {print sent[1], recv[1], sent[2], recv[2]}' "$out")
log "DISCOVER $sent1 -> OFFER $recv1; REQUEST $sent2 -> ACK $recv2"
[ "${sent1:-0}" -ge 2500 ] || fail "perfdhcp sent only ${sent1:-0} DISCOVERs: $(tail -20 "$out")"
[ "$recv1" = "$sent1" ] || fail "OFFERs dropped: $recv1 of $sent1"
[ "$recv2" = "$sent2" ] || fail "ACKs dropped: $recv2 of $sent2"
bound=$(sqlite3 "$db" "SELECT count(*) FROM lease4 WHERE state = 2;")
[ "$bound" -ge "$recv2" ] || fail "store has $bound bound leases for $recv2 ACKs"
log "zero drops; $bound leases bound in the store"
log "PASS"
