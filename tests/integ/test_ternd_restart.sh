#!/bin/bash
# Durability: every lease ternd ACKed survives kill -9. Real udhcpc clients
# and a perfdhcp burst get leases, ternd is killed with SIGKILL right after
# the last ACK, restarted from its store, and the clients renew the same
# addresses; the store holds at least as many bound leases as ACKs seen.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc perfdhcp sqlite3
require_file "$TERND"

netns_add srv
netns_add pc
veth_pair srv p-pc pc eth0
ports=(p-pc)
for i in 1 2 3; do
	netns_add "c$i"
	veth_pair srv "p-c$i" "c$i" eth0
	ip -n "$(ns "c$i")" link set eth0 address "02:64:00:00:00:0$i"
	ports+=("p-c$i")
done
bridge_add srv br0 "${ports[@]}"
addr_add srv br0 10.64.0.1/16
addr_add pc eth0 10.64.0.2/16

db="$TT_DIR/leases.sqlite"
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "valid-lifetime": 3600,
  "subnet4": [{"id": 1, "subnet": "10.64.0.0/16",
               "pools": [{"pool": "10.64.1.0 - 10.64.255.254"}]}]
}}
JSON
ternd_start srv "$TT_DIR/ternd.json"

declare -A addr
for i in 1 2 3; do
	udhcpc_start "c$i" eth0
done
for i in 1 2 3; do
	wait_file_contains 15 "$(rec_dir "c$i" eth0 udhcpc)/events" '^bound$' || fail "c$i not bound"
	addr[$i]=$(rec_get "c$i" eth0 udhcpc ip)
	ip -n "$(ns "c$i")" addr add "${addr[$i]}/16" dev eth0
done
log "real clients bound: ${addr[*]}"

# A burst of 400 exchanges from perfdhcp (a relay with random MACs).
run_bounded 60 perfdhcp ip netns exec "$(ns pc)" perfdhcp -4 -l eth0 -r 400 \
	-R 1000000 -n 400 -p 5 10.64.0.1 || true
acks=$(awk '/Statistics for: REQUEST-ACK/ {s = 1} s && /received packets:/ {print $3; exit}' "$(bg_log perfdhcp)")
[ "${acks:-0}" -gt 300 ] || fail "perfdhcp got only '${acks:-0}' ACKs: $(tail -30 "$(bg_log perfdhcp)")"

# SIGKILL: no clean shutdown, no last flush.
kill -KILL "$(bg_pid ternd)"
wait_for 5 eval "! kill -0 $(bg_pid ternd) 2>/dev/null" || fail "ternd survived SIGKILL"
bound=$(sqlite3 "$db" "SELECT count(*) FROM lease4 WHERE state = 2;")
log "perfdhcp received $acks ACKs; the store holds $bound bound leases after kill -9"
[ "$bound" -ge $((acks + 3)) ] || fail "ACKed leases lost: $bound bound < $acks + 3"

ternd_start srv "$TT_DIR/ternd.json" ternd2
grep -E "restored [0-9]+ bound leases" "$(bg_log ternd2)" | tail -n 1 | sed 's/^/[restart] /' >&2
for i in 1 2 3; do
	dir=$(rec_dir "c$i" eth0 udhcpc)
	kill -USR1 "$(bg_pid "udhcpc-c$i-eth0")"
	wait_file_contains 10 "$dir/events" '^renew$' || fail "c$i did not renew after the restart"
	[ "$(rec_get "c$i" eth0 udhcpc ip)" = "${addr[$i]}" ] || fail "c$i lost ${addr[$i]}"
	[ "$(lease_field "$db" "${addr[$i]}" hwaddr)" = "02:64:00:00:00:0$i" ] || fail "store owner of ${addr[$i]}"
done
! grep -q '^nak' "$(rec_dir c1 eth0 udhcpc)/events" || fail "NAK after restart"
log "every client renewed its address after kill -9 and restart"
log "PASS"
