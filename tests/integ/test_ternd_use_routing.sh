#!/bin/bash
# interfaces-config "outbound-interface": "use-routing" with udp sockets
# (Kea's Dhcpv4Srv::adjustIfaceData): ternd's replies to a relay leave by
# the routing table, not through the interface the request came in on.
# ternd's host has two links to the relay: requests come in on up0, whose
# default route also reaches the relay; the routing table sends the relay's
# subnet over side0. Default (same-as-inbound): the replies leave on up0;
# use-routing: on side0. Checked on the wire with tcpdump, and the relayed
# client is bound both times.
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
veth_pair srv side0 rly side1
veth_pair rly down0 cli eth0
addr_add srv up0 10.62.0.1/24
addr_add srv side0 10.64.0.1/24
addr_add rly up1 10.62.0.2/24
addr_add rly side1 10.64.0.2/24
addr_add rly down0 10.63.0.1/24
ip -n "$(ns srv)" route add default via 10.62.0.2 dev up0
ip -n "$(ns srv)" route add 10.63.0.0/24 via 10.64.0.2 dev side0
nsx rly sysctl -qw net.ipv4.ip_forward=1
nsx rly sysctl -qw net.ipv4.conf.all.rp_filter=0
nsx rly sysctl -qw net.ipv4.conf.side1.rp_filter=0

# write_cfg NAME OUTBOUND: ternd's configuration, udp sockets on up0.
write_cfg() {
	cat >"$TT_DIR/$1.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["up0"], "dhcp-socket-type": "udp",
                        "outbound-interface": "$2"},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/$1.sqlite"},
  "valid-lifetime": 600,
  "subnet4": [
    {"id": 1, "subnet": "10.62.0.0/24", "pools": [{"pool": "10.62.0.100 - 10.62.0.150"}]},
    {"id": 2, "subnet": "10.63.0.0/24", "pools": [{"pool": "10.63.0.100 - 10.63.0.150"}]}
  ]
}}
JSON
}

start_bg dhcrelay ip netns exec "$(ns rly)" dhcrelay -4 -d -id down0 -iu up1 -iu side1 10.62.0.1
wait_file_contains 10 "$(bg_log dhcrelay)" 'Listening on|Sending on' || fail "dhcrelay did not start"

# serve NAME OUTBOUND: ternd with that setting, tcpdump on both links, one
# relayed client; the replies each link saw are in NAME-up0 / NAME-side0.
serve() {
	local name=$1 ifc
	write_cfg "$name" "$2"
	for ifc in up0 side0; do
		start_bg "$name-$ifc" ip netns exec "$(ns srv)" tcpdump -l -n -i "$ifc" -s 0 \
			'udp and src port 67 and dst host 10.63.0.1'
		wait_file_contains 10 "$(bg_log "$name-$ifc")" 'listening on' ||
			fail "tcpdump on $ifc did not start"
	done
	ternd_start srv "$TT_DIR/$name.json" "ternd-$name"
	ip netns exec "$(ns cli)" ip addr flush dev eth0
	udhcpc_run cli eth0 || fail "$name: relayed client got no lease"
	case "$(rec_get cli eth0 udhcpc ip)" in
	10.63.0.1[0-4][0-9] | 10.63.0.150) ;;
	*) fail "$name: served from the wrong subnet: $(rec_get cli eth0 udhcpc ip)" ;;
	esac
	# OFFER and ACK, each seen on one link.
	wait_for 5 eval "[ \$(cat '$(bg_log "$name-up0")' '$(bg_log "$name-side0")' | grep -c '10.62.0.1.67 >') -ge 2 ]" ||
		fail "$name: replies not seen: $(cat "$(bg_log "$name-up0")" "$(bg_log "$name-side0")")"
	stop_bg "ternd-$name"
	stop_bg "$name-up0"
	stop_bg "$name-side0"
}

serve inbound same-as-inbound
n_up=$(grep -c '10.62.0.1.67 >' "$(bg_log inbound-up0)")
n_side=$(grep -c '10.62.0.1.67 >' "$(bg_log inbound-side0)")
log "same-as-inbound: $n_up replies on up0, $n_side on side0"
[ "$n_up" -ge 2 ] && [ "$n_side" -eq 0 ] || fail "same-as-inbound replies left by side0"

serve routed use-routing
n_up=$(grep -c '10.62.0.1.67 >' "$(bg_log routed-up0)")
n_side=$(grep -c '10.62.0.1.67 >' "$(bg_log routed-side0)")
log "use-routing: $n_up replies on up0, $n_side on side0 (source still 10.62.0.1)"
[ "$n_side" -ge 2 ] && [ "$n_up" -eq 0 ] || fail "use-routing replies did not follow the route"
log "PASS"
