#!/bin/bash
# A client behind ISC dhcrelay (which adds option 82) is served by ternd
# from the relay's subnet, not the server's own, and ternd's replies echo
# option 82 unchanged (RFC 3046) - checked on the wire with tcpdump.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc dhcrelay tcpdump
require_file "$TERND"

netns_add srv
netns_add rly
netns_add cli
veth_pair srv up0 rly up1
veth_pair rly down0 cli eth0
addr_add srv up0 10.62.0.1/24
addr_add rly up1 10.62.0.2/24
addr_add rly down0 10.63.0.1/24
# ternd answers the relay at giaddr (10.63.0.1): route it via the relay.
ip -n "$(ns srv)" route add 10.63.0.0/24 via 10.62.0.2
nsx rly sysctl -qw net.ipv4.ip_forward=1

cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["up0"]},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/leases.sqlite"},
  "valid-lifetime": 600,
  "subnet4": [
    {"id": 1, "subnet": "10.62.0.0/24", "pools": [{"pool": "10.62.0.100 - 10.62.0.150"}]},
    {"id": 2, "subnet": "10.63.0.0/24", "pools": [{"pool": "10.63.0.100 - 10.63.0.150"}],
     "option-data": [{"name": "routers", "data": "10.63.0.1"}]}
  ]
}}
JSON
ternd_start srv "$TT_DIR/ternd.json"
start_bg tcpdump ip netns exec "$(ns srv)" tcpdump -l -n -vv -i up0 -s 0 \
	'udp and src port 67 and dst host 10.63.0.1'
wait_file_contains 10 "$(bg_log tcpdump)" 'listening on' || fail "tcpdump did not start"
# -a: add option 82 (circuit id = the receiving interface), -id/-iu: sides.
start_bg dhcrelay ip netns exec "$(ns rly)" dhcrelay -4 -d -a -id down0 -iu up1 10.62.0.1
wait_file_contains 10 "$(bg_log dhcrelay)" 'Listening on|Sending on' || fail "dhcrelay did not start"

udhcpc_run cli eth0 || fail "relayed client got no lease"
ip=$(rec_get cli eth0 udhcpc ip)
log "relayed client bound $ip"
case "$ip" in 10.63.0.1[0-4][0-9] | 10.63.0.150) ;; *) fail "served from the wrong subnet: $ip" ;; esac
[ "$(rec_get cli eth0 udhcpc router)" = 10.63.0.1 ] || fail "subnet 2's router missing"
[ "$(sqlite3 "$TT_DIR/leases.sqlite" "SELECT subnet_id FROM lease4_readable WHERE address = '$ip';")" = 2 ] ||
	fail "lease not in subnet 2"
# OFFER and ACK to the relay both carry the relay's option 82 back.
wait_for 5 eval "[ \$(grep -c 'Agent-Information' '$(bg_log tcpdump)') -ge 2 ]" ||
	fail "option 82 not echoed: $(cat "$(bg_log tcpdump)")"
grep -q 'Circuit-ID' "$(bg_log tcpdump)" || fail "circuit-id not echoed"
log "option 82 echoed in $(grep -c 'Agent-Information' "$(bg_log tcpdump)") replies"
log "PASS"
