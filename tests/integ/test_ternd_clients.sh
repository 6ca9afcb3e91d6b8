#!/bin/bash
# ternd with real clients on one link: busybox udhcpc and ISC dhclient get,
# renew and release leases; INIT-REBOOT gets the address back; a request
# for another subnet's address is NAKed; a reserved client gets its address
# and options; no address is given twice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc dhclient sqlite3
require_file "$TERND"

netns_add srv
for c in c1 c2 c3; do
	netns_add "$c"
	veth_pair srv "p-$c" "$c" eth0
done
bridge_add srv br0 p-c1 p-c2 p-c3
addr_add srv br0 10.60.0.1/24
ip -n "$(ns c1)" link set eth0 address 02:60:00:00:00:01
ip -n "$(ns c2)" link set eth0 address 02:60:00:00:00:02
ip -n "$(ns c3)" link set eth0 address 02:60:00:00:00:03

db="$TT_DIR/leases.sqlite"
cat >"$TT_DIR/ternd.json" <<JSON
// Kea-style configuration, comments as Kea accepts them.
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  // T1 of 2 s: dhclient renews by itself during the test.
  "valid-lifetime": 600, "renew-timer": 2, "rebind-timer": 500,
  "authoritative": true,
  "option-data": [{"name": "domain-name", "data": "example.net"}],
  "subnet4": [{
    "id": 1, "subnet": "10.60.0.0/24",
    "pools": [{"pool": "10.60.0.100 - 10.60.0.150"}],
    "option-data": [{"name": "routers", "data": "10.60.0.1"},
                    {"name": "domain-name-servers", "data": "10.60.0.53, 10.60.0.54"}],
    "reservations": [{"hw-address": "02:60:00:00:00:03", "ip-address": "10.60.0.42",
                      "hostname": "reserved-host",
                      "option-data": [{"name": "ntp-servers", "data": "10.60.0.123"}]}]
  }]
}}
JSON
"$TERND" -t "$TT_DIR/ternd.json" >/dev/null || fail "config check"
ternd_start srv "$TT_DIR/ternd.json"

# 1. busybox udhcpc: lease with the subnet's options.
udhcpc_start c1 eth0
dir1=$(rec_dir c1 eth0 udhcpc)
wait_file_contains 15 "$dir1/events" '^bound$' || fail "udhcpc c1 not bound"
ip1=$(rec_get c1 eth0 udhcpc ip)
log "udhcpc c1 bound $ip1"
case "$ip1" in 10.60.0.1[0-4][0-9] | 10.60.0.150) ;; *) fail "c1 got $ip1, not from the pool" ;; esac
[ "$(rec_get c1 eth0 udhcpc router)" = 10.60.0.1 ] || fail "router"
[ "$(rec_get c1 eth0 udhcpc dns)" = "10.60.0.53 10.60.0.54" ] || fail "dns: $(rec_get c1 eth0 udhcpc dns)"
[ "$(rec_get c1 eth0 udhcpc domain)" = example.net ] || fail "domain"
[ "$(rec_get c1 eth0 udhcpc serverid)" = 10.60.0.1 ] || fail "server id"
[ "$(rec_get c1 eth0 udhcpc lease)" = 600 ] || fail "lease time"
[ "$(lease_state "$db" "$ip1")" = bound ] || fail "c1 lease not bound in the store"
[ "$(lease_field "$db" "$ip1" hwaddr)" = 02:60:00:00:00:01 ] || fail "hwaddr in store"

# The client needs its address for unicast renewal (the recording script
# changes nothing), so configure it by hand.
ip -n "$(ns c1)" addr add "$ip1/24" dev eth0
exp1=$(lease_field "$db" "$ip1" expire)
sleep 1.1 # a renewal must move the expiry forward by at least a second
kill -USR1 "$(bg_pid udhcpc-c1-eth0)"
wait_file_contains 10 "$dir1/events" '^renew$' || fail "udhcpc c1 did not renew"
[ "$(rec_get c1 eth0 udhcpc ip)" = "$ip1" ] || fail "renew changed the address"
wait_for 5 eval "[ \"\$(lease_field '$db' '$ip1' expire)\" != '$exp1' ]" ||
	fail "renewal did not extend the stored lease"
log "udhcpc c1 renewed"

# Release (SIGUSR2): the lease is released in the store.
kill -USR2 "$(bg_pid udhcpc-c1-eth0)"
wait_for 10 eval "[ \"\$(lease_state '$db' '$ip1')\" = released ]" ||
	fail "release not recorded: $(lease_state "$db" "$ip1")"
stop_bg udhcpc-c1-eth0
log "udhcpc c1 released"

# 2. ISC dhclient: lease, renewal at T1, release (dhclient -r), then
# INIT-REBOOT with its lease file.
dhclient_run c2 eth0
dir2=$(rec_dir c2 eth0 dhclient)
wait_file_contains 20 "$dir2/events" '^BOUND$' || fail "dhclient c2 not bound"
ip2=$(rec_get c2 eth0 dhclient new_ip_address)
log "dhclient c2 bound $ip2"
[ -n "$ip2" ] && [ "$ip2" != "$ip1" ] || fail "c2 got '$ip2' (c1 had $ip1)"
# dhclient's script does not configure the address (it only records), so
# add it: the renewal at T1 is a unicast from it.
ip -n "$(ns c2)" addr add "$ip2/24" dev eth0
wait_file_contains 15 "$dir2/events" '^RENEW$' || fail "dhclient c2 did not renew: $(rec_events c2 eth0 dhclient | tr '\n' ' ')"
[ "$(rec_get c2 eth0 dhclient new_ip_address)" = "$ip2" ] || fail "renew changed the address"
log "dhclient c2 renewed"
stop_bg dhclient-c2-eth0
run_bounded 20 dhclient-release ip netns exec "$(ns c2)" dhclient -4 -r -v \
	-cf "$dir2/dhclient.conf" -sf "$dir2/script" -lf "$dir2/dhclient.leases" \
	-pf "$dir2/dhclient.pid" eth0 || fail "dhclient -r failed"
wait_for 10 eval "[ \"\$(lease_state '$db' '$ip2')\" = released ]" ||
	fail "dhclient release not recorded: $(lease_state "$db" "$ip2")"
ip -n "$(ns c2)" addr flush dev eth0
log "dhclient c2 released"
# Released, it starts over with a DISCOVER and gets its address back
# (affinity); stopped without a release, it then comes back in INIT-REBOOT.
dhclient_run c2 eth0
wait_file_contains 20 "$dir2/events" '^BOUND$' || fail "dhclient c2 not bound again"
[ "$(rec_get c2 eth0 dhclient new_ip_address)" = "$ip2" ] || fail "affinity lost after release"
stop_bg dhclient-c2-eth0
: >"$dir2/events"
dhclient_run c2 eth0
wait_file_contains 20 "$dir2/events" '^REBOOT$' || fail "no INIT-REBOOT: $(rec_events c2 eth0 dhclient | tr '\n' ' ')"
[ "$(rec_get c2 eth0 dhclient new_ip_address)" = "$ip2" ] || fail "INIT-REBOOT gave another address"
stop_bg dhclient-c2-eth0
log "dhclient c2 INIT-REBOOT kept $ip2"

# 3. INIT-REBOOT for an address of another network: NAK, then a new lease.
now=$(date -u +%Y/%m/%d)
cat >"$dir2/dhclient.leases" <<LEASE
lease {
  interface "eth0";
  fixed-address 10.99.0.5;
  option subnet-mask 255.255.255.0;
  option dhcp-server-identifier 10.99.0.1;
  renew 4 2099/01/01 00:00:00;
  rebind 4 2099/01/01 00:00:00;
  expire 4 2099/01/01 00:00:00;
}
LEASE
: >"$dir2/events"
dhclient_run c2 eth0
wait_file_contains 20 "$(bg_log dhclient-c2-eth0)" 'DHCPNAK from 10.60.0.1' ||
	fail "no NAK for 10.99.0.5"
wait_file_contains 20 "$dir2/events" '^BOUND$' || fail "no lease after the NAK"
stop_bg dhclient-c2-eth0
log "dhclient c2: NAK for a foreign address, then bound again ($now)"

# 4. The reserved client gets its address, hostname and its own option.
udhcpc_run c3 eth0 || fail "udhcpc c3 failed"
[ "$(rec_get c3 eth0 udhcpc ip)" = 10.60.0.42 ] || fail "reservation: got $(rec_get c3 eth0 udhcpc ip)"
[ "$(rec_get c3 eth0 udhcpc hostname)" = reserved-host ] || fail "reserved hostname"
[ "$(rec_get c3 eth0 udhcpc ntpsrv)" = 10.60.0.123 ] || fail "reservation option"
log "reserved client got 10.60.0.42 with its options"

# 5. Nobody shares an address: every bound lease has its own client.
dups=$(sqlite3 "$db" "SELECT hwaddr FROM lease4_readable WHERE state = 'bound' GROUP BY hwaddr HAVING count(*) > 1;")
[ -z "$dups" ] || fail "a client holds two bound leases: $dups"
n=$(sqlite3 "$db" "SELECT count(DISTINCT address) = count(*) FROM lease4;")
[ "$n" = 1 ] || fail "duplicate addresses in the store"
stats=$(ternd_stats)
log "$stats"
echo "$stats" | grep -Eq 'nak [1-9]' || fail "ternd counted no NAK"
log "PASS"
