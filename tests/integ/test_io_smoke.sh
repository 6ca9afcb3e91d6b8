#!/bin/bash
# Integration test of ternd's I/O layer alone: real DHCP clients get leases from io_echo via packet-socket unicast and broadcast replies.
. "$(dirname "$0")/lib.sh"

ECHO="${TERN_BUILD:-}/tests/integ/io_echo"
OFFER=10.77.0.50

tt_init
require_root
require_file "$ECHO"
require_cmd udhcpc dhclient flock timeout

netns_add srv
netns_add cli
veth_pair srv s0 cli c0
addr_add srv s0 10.77.0.1/24
# A second address: "s0/10.77.1.1" must pick it as the server id.
addr_add srv s0 10.77.1.1/24

# start_echo NAME ARGS...: io_echo in srv, ready when it printed READY.
start_echo() {
	local name=$1
	shift
	start_bg "$name" ip netns exec "$(ns srv)" "$ECHO" -t 120 -o "$OFFER" "$@"
	wait_file_contains 10 "$(bg_log "$name")" '^READY' ||
		fail "$name did not start"
}

# expect_log NAME ERE: the fixture's output has a matching line.
expect_log() {
	grep -Eq -- "$2" "$(bg_log "$1")" ||
		fail "$1: no line matching '$2'"
}

# expect_lease KIND VAR VALUE: the recorded bound lease has VAR=VALUE.
expect_lease() {
	local got
	got=$(rec_get cli c0 "$1" "$2")
	[ "$got" = "$3" ] || fail "$1: $2='$got', want '$3'"
}

s0_index=$(nsx srv cat /sys/class/net/s0/ifindex)

# 1. udhcpc without -B: replies unicast to chaddr through the packet
#    socket, while the client has no address and listens on a raw socket.
#    The fixture drops root after opening, as ternd does: the open
#    sockets (packet socket included) must keep working.
log "udhcpc, unicast to chaddr (TERND_DEST_HWADDR), privileges dropped"
nobody_uid=$(id -u nobody 2>/dev/null) || skip "no user nobody"
start_echo echo1 -u nobody s0
udhcpc_run cli c0 || fail "udhcpc (hwaddr) exited $?"
stop_bg echo1
expect_log echo1 "^PRIVDROP uid=$nobody_uid "
expect_log echo1 "^RX type=1 .* ifindex=$s0_index if_addr=10\.77\.0\.1 src=0\.0\.0\.0:68 "
expect_log echo1 '^TX type=2 dest=hwaddr to=10\.77\.0\.50:68'
expect_log echo1 '^TX type=5 dest=hwaddr to=10\.77\.0\.50:68'
expect_log echo1 '^STATS .* tx_err=0 tx_again=0 tx_invalid=0 '
rec_events cli c0 udhcpc | grep -qx bound || fail "udhcpc: no bound event"
expect_lease udhcpc ip "$OFFER"
expect_lease udhcpc serverid 10.77.0.1
expect_lease udhcpc mask 24
expect_lease udhcpc router 10.77.0.1
expect_lease udhcpc lease 3600

# 2. udhcpc -B sets the broadcast flag: replies to 255.255.255.255 out
#    of s0, sent from the chosen server id ("name/addr").
log "udhcpc -B, broadcast (TERND_DEST_BROADCAST), server id 10.77.1.1"
rm -rf "$(rec_dir cli c0 udhcpc)"
start_echo echo2 s0/10.77.1.1
udhcpc_run cli c0 -B || fail "udhcpc (broadcast) exited $?"
stop_bg echo2
expect_log echo2 '^RX type=1 flags=8000|^RX type=1 xid=[0-9a-f]+ flags=8000'
expect_log echo2 '^TX type=2 dest=broadcast to=255\.255\.255\.255:68'
expect_log echo2 '^TX type=5 dest=broadcast to=255\.255\.255\.255:68'
expect_log echo2 '^STATS .* tx_err=0 tx_again=0 tx_invalid=0 '
expect_lease udhcpc ip "$OFFER"
expect_lease udhcpc serverid 10.77.1.1

# 3. ISC dhclient (LPF raw socket, no broadcast flag): hwaddr again.
log "ISC dhclient, unicast to chaddr"
start_echo echo3 s0
dhclient_run cli c0
wait_file_contains 30 "$(rec_dir cli c0 dhclient)/events" '^BOUND$' ||
	fail "dhclient: no BOUND (events: $(rec_events cli c0 dhclient | tr '\n' ' '))"
stop_bg dhclient-cli-c0
stop_bg echo3
expect_log echo3 '^TX type=2 dest=hwaddr'
expect_log echo3 '^TX type=5 dest=hwaddr'
expect_lease dhclient new_ip_address "$OFFER"
expect_lease dhclient new_dhcp_server_identifier 10.77.0.1
expect_lease dhclient new_subnet_mask 255.255.255.0

# 4. Renewal: a bound client unicasts its REQUEST from ciaddr, the reply
#    goes back by the kernel's UDP path (TERND_DEST_CIADDR, ARP works now).
log "udhcpc renew, unicast to ciaddr (TERND_DEST_CIADDR)"
rm -rf "$(rec_dir cli c0 udhcpc)"
start_echo echo4 s0
udhcpc_start cli c0
wait_file_contains 10 "$(rec_dir cli c0 udhcpc)/events" '^bound$' ||
	fail "udhcpc (renew case): no bound"
# What a real script would do with the lease (ours records only).
addr_add cli c0 "$OFFER/24"
kill -USR1 "$(bg_pid udhcpc-cli-c0)"
wait_file_contains 10 "$(rec_dir cli c0 udhcpc)/events" '^renew$' ||
	fail "udhcpc: no renew (events: $(rec_events cli c0 udhcpc | tr '\n' ' '))"
stop_bg udhcpc-cli-c0
stop_bg echo4
expect_log echo4 "^RX type=3 .* src=10\.77\.0\.50:68 "
expect_log echo4 '^TX type=5 dest=ciaddr to=10\.77\.0\.50:68'
expect_log echo4 '^STATS .* tx_err=0 tx_again=0 tx_invalid=0 '
ip -n "$(ns cli)" addr flush dev c0

# 5. Relay: perfdhcp acts as a relay agent (giaddr = its address, listens
#    on port 67), so every reply takes TERND_DEST_RELAY.
if command -v perfdhcp >/dev/null; then
	log "perfdhcp as relay (TERND_DEST_RELAY)"
	addr_add cli c0 10.77.0.2/24
	start_echo echo5 s0
	run_bounded 60 perfdhcp ip netns exec "$(ns cli)" \
		perfdhcp -4 -l c0 -r 20 -n 20 -W 500000 10.77.0.1 ||
		log "perfdhcp exited $? (drops are judged below)"
	stop_bg echo5
	expect_log echo5 "^RX type=1 .* src=10\.77\.0\.2:67 "
	expect_log echo5 '^TX type=2 dest=relay to=10\.77\.0\.2:67'
	expect_log echo5 '^TX type=5 dest=relay to=10\.77\.0\.2:67'
	expect_log echo5 '^STATS .* tx_err=0 tx_again=0 tx_invalid=0 '
	grep -Eq 'received packets: [1-9]' "$(bg_log perfdhcp)" ||
		fail "perfdhcp received no replies"
else
	log "perfdhcp not installed: relay path not tested"
fi

log "PASS"
