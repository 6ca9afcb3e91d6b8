#!/bin/bash
# Integration test of tern-mgr with real udhcpc against ternd: lease, renew, release, expiry, client restart.
# (test_mgr_recovery.sh runs tern-mgr against kea-dhcp4, test_mgr_v6.sh against kea-dhcp6.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgr_lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
mgr_require udhcpc sqlite3
require_file "$TERND"

netns_add srv
netns_add cli
veth_pair srv s0 cli wan0
addr_add srv s0 10.78.0.1/24
db="$TT_DIR/ternd-leases.sqlite"
cat >"$TT_DIR/ternd.json" <<EOF2
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["s0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "valid-lifetime": 20, "renew-timer": 10, "rebind-timer": 15,
  "subnet4": [{"id": 1, "subnet": "10.78.0.0/24",
    "pools": [{"pool": "10.78.0.100 - 10.78.0.150"}],
    "option-data": [{"name": "routers", "data": "10.78.0.1"},
                    {"name": "domain-name-servers", "data": "10.78.0.1, 10.78.0.2"}]}]
}}
EOF2
ternd_start srv "$TT_DIR/ternd.json"

# A hook that records each event and the address it was given.
cat >"$TT_DIR/hook.sh" <<'EOF2'
#!/bin/sh
echo "$1 $TERN_EVENT $TERN_IFNAME ${TERN_IPAddress:-}" >>"${0%/*}/hook.out"
EOF2
chmod 755 "$TT_DIR/hook.sh"

cat >"$TT_DIR/mgr.json" <<EOF2
{"DHCPv4": {"Client": [{"Alias": "wan", "Enable": true, "Interface": "wan0",
   "ReqOption": [{"Tag": 42, "Enable": true, "Order": 1}],
   "SentOption": [{"Tag": 60, "Value": "7465726e2d746573", "Enable": true}]}]},
 "LeaseAddress": "ipc://$TT_DIR/lease.sock",
 "EventAddress": "ipc://$TT_DIR/events.sock",
 "ControlSocket": "$TT_DIR/mgr.sock",
 "StateDir": "$TT_DIR/state",
 "Hooks": ["$TT_DIR/hook.sh"], "HookTimeout": 5,
 "Plugin": "$MGR_PLUGIN"}
EOF2
mgr_start cli "$TT_DIR/mgr.json"
C=Device.DHCPv4.Client.1

log "lease: address on the interface and in the data model"
wait_for 20 mgr_is $C.DHCPStatus Bound || fail "no lease"
addr=$(mgr_get $C.IPAddress)
case "$addr" in 10.78.0.1[0-5][0-9]) ;; *) fail "IPAddress '$addr'" ;; esac
ip -n "$(ns cli)" -4 -o addr show dev wan0 | grep -q "inet $addr/24 brd 10.78.0.255" ||
	fail "$addr/24 not on wan0"
[ "$(mgr_get $C.SubnetMask)" = 255.255.255.0 ] || fail "SubnetMask"
[ "$(mgr_get $C.IPRouters)" = 10.78.0.1 ] || fail "IPRouters"
[ "$(mgr_get $C.DNSServers)" = 10.78.0.1,10.78.0.2 ] || fail "DNSServers '$(mgr_get $C.DNSServers)'"
[ "$(mgr_get $C.DHCPServer)" = 10.78.0.1 ] || fail "DHCPServer"
left=$(mgr_get $C.LeaseTimeRemaining)
[ "$left" -gt 0 ] && [ "$left" -le 20 ] || fail "LeaseTimeRemaining $left"
"$MGR_CTL" mgr status -s "$TT_DIR/mgr.sock" >&2
wait_file_contains 5 "$TT_DIR/hook.out" "^LEASE_UPDATE LEASE_UPDATE wan0 $addr\$" ||
	fail "hook did not see LEASE_UPDATE"
grep -q '^CLIENT_STARTED CLIENT_STARTED wan0' "$TT_DIR/hook.out" || fail "hook: CLIENT_STARTED"

log "renew: Renew=true makes udhcpc send a REQUEST"
# ternd stores each ACK's new expiry: a renewal moves it.
exp0=$(lease_field "$db" "$addr" expire)
sleep 1.1
mgr_set $C.Renew true || fail "set Renew"
wait_for 5 eval "[ \"\$(lease_field '$db' '$addr' expire)\" != '$exp0' ]" ||
	fail "no REQUEST after Renew"
wait_file_contains 5 "$(bg_log mgr)" 'LEASE_RENEW' || fail "no LEASE_RENEW"

log "udhcpc killed: tern-mgr restarts it"
pid=$(mgr_get $C.X_TERN_Pid)
[ "$pid" -gt 0 ] || fail "no pid"
kill -KILL "$pid"
wait_for 15 eval "p=\$(mgr_get $C.X_TERN_Pid); [ -n \"\$p\" ] && [ \"\$p\" != 0 ] && [ \"\$p\" != $pid ]" ||
	fail "udhcpc not restarted"
wait_for 20 mgr_is $C.DHCPStatus Bound || fail "no lease after restart"
# No zombie left behind by the manager.
mpid=$(bg_pid mgr) # ip netns exec execs: this is tern-mgr
! ps -o stat= --ppid "$mpid" | grep -q Z || fail "zombie child"

log "release: X_RDK_Release clears the lease and stops the client"
mgr_set $C.X_RDK_Release true || fail "set X_RDK_Release"
wait_for 10 mgr_is $C.IPAddress "" || fail "IPAddress not cleared after release"
wait_for 10 eval "[ \"\$(lease_state '$db' '$addr')\" = released ]" ||
	fail "no RELEASE at the server: $(lease_state "$db" "$addr")"
ip -n "$(ns cli)" -4 -o addr show dev wan0 | grep -q "inet 10.78" && fail "address left after release"

log "restart: X_RDK_Restart gets a new lease"
mgr_set $C.X_RDK_Restart true || fail "set X_RDK_Restart"
wait_for 20 mgr_is $C.DHCPStatus Bound || fail "no lease after restart"
# The released address comes back to the same client (affinity).
[ "$(mgr_get $C.IPAddress)" = "$addr" ] || fail "affinity: got $(mgr_get $C.IPAddress), had $addr"

log "server gone: the lease expires and the data model is cleared"
stop_bg ternd
wait_for 40 mgr_is $C.IPAddress "" || fail "lease not cleared after expiry"
[ "$(mgr_get $C.DNSServers)" = "" ] || fail "DNSServers stale"
ip -n "$(ns cli)" -4 -o addr show dev wan0 | grep -q "inet 10.78" && fail "address left after expiry"
wait_file_contains 5 "$TT_DIR/hook.out" '^LEASE_DEL' || fail "hook did not see LEASE_DEL"

log "bad input: counted and dropped"
before=$(mgr_get Device.X_TERN_Manager.DroppedBadSize)
"$MGR_PUSH" "ipc://$TT_DIR/lease.sock" short wan0 >/dev/null || fail "push short"
"$MGR_PUSH" "ipc://$TT_DIR/lease.sock" badver wan0 >/dev/null || fail "push badver"
"$MGR_PUSH" "ipc://$TT_DIR/lease.sock" v4 eth9 >/dev/null || fail "push unmanaged"
wait_for 5 eval "[ \$(mgr_get Device.X_TERN_Manager.DroppedBadSize) -gt $before ]" || fail "short not counted"
wait_for 5 eval "[ \$(mgr_get Device.X_TERN_Manager.DroppedInvalid) -ge 1 ]" || fail "badver not counted"
wait_for 5 eval "[ \$(mgr_get Device.X_TERN_Manager.DroppedUnmanaged) -ge 1 ]" || fail "unmanaged not counted"
grep -q 'Message size unexpected' "$(bg_log mgr)" || fail "size message not logged"

log "clean shutdown stops udhcpc"
upid=$(mgr_get $C.X_TERN_Pid)
stop_bg mgr
[ "$upid" = 0 ] || ! _alive "$upid" || fail "udhcpc $upid left running"
log "PASS"
