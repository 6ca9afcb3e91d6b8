#!/bin/bash
# Integration test of tern-mgr's recovery: after kill -9, running clients are re-adopted without a new exchange, dead ones restarted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgr_lib.sh"

tt_init
mgr_require udhcpc dibbler-client kea-dhcp4
require_file "$TERND"

# Clients outlive a killed tern-mgr: remember their pids and stop them
# on the way out too (only if they still are udhcpc / dibbler-client).
CLIENT_PIDS=()
mgr_cleanup() {
	local rc=$? p
	for p in "${CLIENT_PIDS[@]}"; do
		grep -qa 'udhcpc\|dibbler' "/proc/$p/cmdline" 2>/dev/null &&
			kill -KILL "$p" 2>/dev/null
	done
	(exit "$rc")
	tt_cleanup
}
trap 'mgr_cleanup' EXIT

netns_add srv
netns_add cli
veth_pair srv s0 cli wan0
addr_add srv s0 10.79.0.1/24
addr6_add srv s0 fd00:250::1/64
kea4_start srv s0 10.79.0.0/24 "10.79.0.100 - 10.79.0.150" 600
ternd6_start srv s0

cat >"$TT_DIR/mgr.json" <<EOF2
{"DHCPv4": {"Client": [{"Interface": "wan0"}]},
 "DHCPv6": {"Client": [{"Interface": "wan0", "RequestedOptions": "23,24,95"}]},
 "LeaseAddress": "ipc://$TT_DIR/lease.sock",
 "EventAddress": "ipc://$TT_DIR/events.sock",
 "ControlSocket": "$TT_DIR/mgr.sock",
 "StateDir": "$TT_DIR/state",
 "Plugin": "$MGR_PLUGIN"}
EOF2
mgr_start cli "$TT_DIR/mgr.json"
C4=Device.DHCPv4.Client.1
C6=Device.DHCPv6.Client.1

wait_for 30 mgr_is $C4.DHCPStatus Bound || fail "no v4 lease"
wait_for 40 mgr_nonempty $C6.IAPDPrefix || fail "no v6 lease"
wait_for 10 mgr_is $C6.MapAssigned true || fail "no MAP-T"
addr4=$(mgr_get $C4.IPAddress)
addr6=$(mgr_get $C6.IANAAddress)
pd=$(mgr_get $C6.IAPDPrefix)
pid4=$(mgr_get $C4.X_TERN_Pid)
pid6=$(mgr_get $C6.X_TERN_Pid)
CLIENT_PIDS+=("$pid4" "$pid6")
# The state files are written atomically, in the documented format.
head -n 1 "$TT_DIR/state/v4-wan0.state" | grep -qx 'tern-mgr-state 1' || fail "v4 state file"
head -n 1 "$TT_DIR/state/v6-wan0.state" | grep -qx 'tern-mgr-state 1' || fail "v6 state file"
# kea logs a DISCOVER's offer as DHCP4_LEASE_ADVERT; ternd counts what
# it receives (T1 is 1000 s: a re-adopted dibbler sends nothing).
adv4=$(grep -c DHCP4_LEASE_ADVERT "$(bg_log kea4)")
rx6=$(ternd6_rx)

log "kill -9 tern-mgr while both clients run, then restart it"
kill -KILL "$(bg_pid mgr)"
wait_bg mgr 5
mgr_start cli "$TT_DIR/mgr.json"
wait_file_contains 10 "$(bg_log mgr)" "DHCPv4 client pid $pid4 re-adopted" || fail "v4 not re-adopted"
wait_file_contains 10 "$(bg_log mgr)" "DHCPv6 client pid $pid6 re-adopted" || fail "v6 not re-adopted"
[ "$(mgr_get $C4.X_TERN_Pid)" = "$pid4" ] || fail "v4 client replaced"
[ "$(mgr_get $C6.X_TERN_Pid)" = "$pid6" ] || fail "v6 client replaced"
[ "$(mgr_get $C4.IPAddress)" = "$addr4" ] || fail "v4 lease not restored"
[ "$(mgr_get $C4.DHCPStatus)" = Bound ] || fail "v4 status not restored"
[ "$(mgr_get $C6.IANAAddress)" = "$addr6" ] || fail "v6 address not restored"
[ "$(mgr_get $C6.IAPDPrefix)" = "$pd" ] || fail "v6 prefix not restored"
[ "$(mgr_get $C6.MapPSID)" = 1234 ] || fail "MAP-T not restored"
# A renew through the re-adopted client still reaches the new manager.
mgr_set $C4.Renew true || fail "Renew"
wait_file_contains 10 "$(bg_log mgr)" 'DHCPv4 LEASE_RENEW' || fail "no renew after re-adoption"
[ "$(grep -c DHCP4_LEASE_ADVERT "$(bg_log kea4)")" = "$adv4" ] || fail "new DISCOVER after restart"
[ "$(ternd6_rx)" = "$rx6" ] || fail "new DHCPv6 exchange after restart"

log "kill -9 tern-mgr and udhcpc: the dead client is restarted"
kill -KILL "$(bg_pid mgr)"
wait_bg mgr 5
kill -KILL "$pid4"
mgr_start cli "$TT_DIR/mgr.json"
wait_file_contains 10 "$(bg_log mgr)" "DHCPv6 client pid $pid6 re-adopted" || fail "v6 not re-adopted (2)"
wait_for 10 eval "p=\$(mgr_get $C4.X_TERN_Pid); [ -n \"\$p\" ] && [ \"\$p\" != 0 ] && [ \"\$p\" != $pid4 ]" ||
	fail "udhcpc not restarted"
CLIENT_PIDS+=("$(mgr_get $C4.X_TERN_Pid)")
wait_for 20 mgr_is $C4.DHCPStatus Bound || fail "no v4 lease from the new udhcpc"

log "clean stop"
stop_bg mgr
# A zombie (waiting for init to reap it) counts as stopped.
wait_for 5 eval "! _alive $pid6" || fail "dibbler left running"
log "PASS"
