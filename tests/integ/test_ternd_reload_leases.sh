#!/bin/bash
# Leases across reconfigurations: a lease whose subnet a new configuration
# removes (here: renumbered, subnet 1 becomes subnet 7 over the same
# addresses) stays in the store and its address is given to no other
# client; when a reload brings subnet 1 back, the lease is its client's
# again; a lease left without a subnet is deleted from the store when it
# expires, not before.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc sqlite3
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERND" "$TERNCTL"

netns_add srv
for c in c1 c2 c3; do
	netns_add "$c"
	veth_pair srv "p-$c" "$c" eth0
done
bridge_add srv br0 p-c1 p-c2 p-c3
addr_add srv br0 10.70.0.1/24
ip -n "$(ns c1)" link set eth0 address 02:70:00:00:00:01
ip -n "$(ns c2)" link set eth0 address 02:70:00:00:00:02
ip -n "$(ns c3)" link set eth0 address 02:70:00:00:00:03
db="$TT_DIR/leases.sqlite"
sock="$TT_DIR/ctl.sock"

# conf ID LIFETIME: one subnet of two addresses under subnet id ID.
conf() {
	cat <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "valid-lifetime": $2, "authoritative": true,
  "subnet4": [{"id": $1, "subnet": "10.70.0.0/24",
               "pools": [{"pool": "10.70.0.100 - 10.70.0.101"}]}]
}}
JSON
}
conf 1 600 >"$TT_DIR/ternd.json"
conf 7 12 >"$TT_DIR/renumbered.json"
ternd_start srv "$TT_DIR/ternd.json"
tlog=$(bg_log ternd)

udhcpc_run c1 eth0 || fail "c1 got no lease"
ip1=$(rec_get c1 eth0 udhcpc ip)
log "c1 has $ip1 in subnet 1"

# Subnet 1 removed (its addresses now subnet 7's): c1's lease stays.
"$TERNCTL" config set -s "$sock" "$TT_DIR/renumbered.json" ||
	fail "config-set of the renumbered configuration"
[ "$(lease_field "$db" "$ip1" "state || ' ' || hwaddr || ' ' || subnet_id")" = \
	"bound 02:70:00:00:00:01 1" ] || fail "c1's lease changed in the store"
udhcpc_run c2 eth0 || fail "c2 got no lease"
ip2=$(rec_get c2 eth0 udhcpc ip)
[ "$ip2" != "$ip1" ] || fail "c2 was given c1's address $ip1"
log "c2 has $ip2 in subnet 7"
# The pool's last address is c1's: a third client gets nothing.
if udhcpc_run c3 eth0; then
	fail "c3 got $(rec_get c3 eth0 udhcpc ip): c1's address was given away"
fi
log "c3 got no address: $ip1 is still c1's"

# SIGHUP with subnet 1 back: c1's lease is found again; c2's lease (subnet
# 7, gone now) is kept until it expires.
before=$(grep -c 'SIGHUP: new configuration in use' "$tlog")
kill -HUP "$(bg_pid ternd)"
wait_for 5 eval "[ \$(grep -c 'SIGHUP: new configuration in use' '$tlog') -gt $before ]" ||
	fail "SIGHUP not applied: $(tail -3 "$tlog")"
[ "$(lease_state "$db" "$ip2")" = bound ] || fail "c2's lease left the store before it expired"
udhcpc_run c1 eth0 -r "$ip1" || fail "c1 got no lease after subnet 1 came back"
[ "$(rec_get c1 eth0 udhcpc ip)" = "$ip1" ] || fail "c1 got $(rec_get c1 eth0 udhcpc ip), not its $ip1"
log "subnet 1 back: c1 has $ip1 again"
if udhcpc_run c3 eth0; then
	fail "c3 got $(rec_get c3 eth0 udhcpc ip) while c2's lease on $ip2 runs"
fi
# c2's lease (12 s) ends: deleted from the store, its address free again.
wait_for 30 eval "[ -z \"\$(lease_state '$db' '$ip2')\" ]" ||
	fail "c2's lease without a subnet was not deleted when it expired: $(lease_state "$db" "$ip2")"
udhcpc_run c3 eth0 || fail "c3 got no lease after c2's lease ended"
[ "$(rec_get c3 eth0 udhcpc ip)" = "$ip2" ] || fail "c3 got $(rec_get c3 eth0 udhcpc ip)"
[ "$(lease_field "$db" "$ip1" "state || ' ' || hwaddr")" = "bound 02:70:00:00:00:01" ] ||
	fail "c1's lease: $(lease_field "$db" "$ip1" "state || ' ' || hwaddr")"
kill -0 "$(bg_pid ternd)" || fail "ternd died"
log "PASS"
