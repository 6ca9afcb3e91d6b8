#!/bin/bash
# Integration test of tern-mgr with real dibbler-client against ternd
# (issue 12; kea-dhcp6 before): IA_NA, IA_PD, DNS, domain, MAP-T and the
# LEASE_UPDATE event, as the TR-181 model shows them; ternd's lease6 rows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgr_lib.sh"

tt_init
mgr_require dibbler-client sqlite3
require_file "$TERND"

netns_add srv
netns_add cli
veth_pair srv s0 cli wan0
addr6_add srv s0 fd00:250::1/64
ternd6_start srv s0

cat >"$TT_DIR/mgr.json" <<EOF2
{"DHCPv6": {"Client": [{"Alias": "wan6", "Enable": true, "Interface": "wan0",
   "RequestAddresses": true, "RequestPrefixes": true, "RapidCommit": false,
   "RequestedOptions": "23,24,95"}]},
 "LeaseAddress": "ipc://$TT_DIR/lease.sock",
 "EventAddress": "ipc://$TT_DIR/events.sock",
 "ControlSocket": "$TT_DIR/mgr.sock",
 "StateDir": "$TT_DIR/state",
 "Plugin": "$MGR_PLUGIN"}
EOF2
# The subscriber first, so it sees the first LEASE_UPDATE.
start_bg evsub "$MGR_EVSUB" "ipc://$TT_DIR/events.sock" 60000 "LEASE_UPDATE DHCPv6"
wait_file_contains 5 "$(bg_log evsub)" '^READY' || fail "subscriber"
mgr_start cli "$TT_DIR/mgr.json"
C=Device.DHCPv6.Client.1

log "lease: address, prefix, DNS and MAP-T"
wait_for 40 mgr_nonempty $C.IANAAddress || fail "no IA_NA address"
addr=$(mgr_get $C.IANAAddress)
case "$addr" in fd00:250::1[0-9a-f][0-9a-f][0-9a-f]) ;; *) fail "IANAAddress '$addr'" ;; esac
wait_for 10 eval "ip -n $(ns cli) -6 -o addr show dev wan0 | grep -q 'inet6 $addr/'" ||
	fail "$addr not on wan0"
wait_for 10 mgr_nonempty $C.IAPDPrefix || fail "no prefix"
case "$(mgr_get $C.IAPDPrefix)" in fd00:99*::/56) ;; *) fail "IAPDPrefix $(mgr_get $C.IAPDPrefix)" ;; esac
[ "$(mgr_get $C.DNSServers)" = fd00:250::1 ] || fail "DNSServers '$(mgr_get $C.DNSServers)'"
[ "$(mgr_get $C.DomainSearch)" = example.net ] || fail "DomainSearch '$(mgr_get $C.DomainSearch)'"
[ "$(mgr_get $C.MapAssigned)" = true ] || fail "MapAssigned '$(mgr_get $C.MapAssigned)'"
[ "$(mgr_get $C.MapTransportMode)" = Translation ] || fail "MapTransportMode"
[ "$(mgr_get $C.MapRuleIPv4Prefix)" = 192.0.2.0/24 ] || fail "MapRuleIPv4Prefix"
[ "$(mgr_get $C.MapRuleIPv6Prefix)" = 2001:db8::/32 ] || fail "MapRuleIPv6Prefix"
[ "$(mgr_get $C.MapBRPrefix)" = 2001:db8:ffff::/64 ] || fail "MapBRPrefix"
[ "$(mgr_get $C.MapPSID)" = 1234 ] || fail "MapPSID"
[ "$(mgr_get $C.MapPSIDLen)" = 16 ] || fail "MapPSIDLen"
[ "$(mgr_get $C.MapIpv4Address)" = 192.0.2.0 ] || fail "MapIpv4Address"
[ "$(mgr_get $C.MapIsFMR)" = true ] || fail "MapIsFMR"
mgr_nonempty $C.DUID || fail "no DUID"
db="$TT_DIR/leases6.sqlite"
wait_for 10 eval "[ \$(sqlite3 '$db' \"SELECT count(*) FROM lease6 WHERE type = 0 AND state = 0\") = 1 ]" ||
	fail "no address row in ternd's lease6"
[ "$(sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = 2 AND state = 0")" = 1 ] ||
	fail "no prefix row in ternd's lease6"
"$MGR_CTL" mgr status -s "$TT_DIR/mgr.sock" >&2

log "event: the subscriber saw LEASE_UPDATE with the lease"
wait_bg evsub 10 || fail "no LEASE_UPDATE event"
grep -q '^TERN-MGR/1 LEASE_UPDATE DHCPv6 1 wan0$' "$(bg_log evsub)" || fail "event header"
grep -q "^IANAAddress=$addr$" "$(bg_log evsub)" || fail "event lease"
grep -q '^MapPSID=1234$' "$(bg_log evsub)" || fail "event MAP-T"

log "renew: Renew=true, the lease stays (lifetimes do not count)"
mgr_set $C.Renew true || fail "set Renew"
wait_file_contains 10 "$(bg_log mgr)" 'DHCPv6 LEASE_RENEW' || fail "no LEASE_RENEW"
[ "$(mgr_get $C.IANAAddress)" = "$addr" ] || fail "address changed on renew"

log "disable: the client stops, the lease is cleared"
mgr_set $C.Enable false || fail "set Enable"
wait_for 10 mgr_is $C.IANAAddress "" || fail "lease not cleared"
mgr_is $C.Status Disabled || fail "Status"
mgr_is $C.X_TERN_Pid 0 || fail "dibbler still running"
grep -q '"Enable": false' "$TT_DIR/mgr.json" || fail "Enable not persisted"
log "PASS"
