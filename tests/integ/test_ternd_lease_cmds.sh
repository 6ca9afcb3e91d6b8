#!/bin/bash
# lease_cmds in a running ternd: real udhcpc clients in namespaces, an
# operator's lease4-add/-del/-update/-get-page/-wipe through the control
# socket and ternctl, each change seen by the clients and in the store at
# once, and a lease4-add that was answered survives kill -9.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"
tt_init
require_root
require_cmd udhcpc sqlite3 python3
require_file "$TERND"
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERNCTL"

netns_add srv
ports=()
for i in 1 2 3; do
	netns_add "c$i"
	veth_pair srv "p-c$i" "c$i" eth0
	ip -n "$(ns "c$i")" link set eth0 address "02:71:00:00:00:0$i"
	ports+=("p-c$i")
done
bridge_add srv br0 "${ports[@]}"
addr_add srv br0 10.71.0.1/24

db="$TT_DIR/leases.sqlite"
sock="$TT_DIR/ctl/ternd.sock"
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$db"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so"}],
  "valid-lifetime": 3600,
  "subnet4": [{"id": 1, "subnet": "10.71.0.0/24",
               "pools": [{"pool": "10.71.0.100 - 10.71.0.102"}]}]
}}
JSON
ternd_start srv "$TT_DIR/ternd.json"

# ask JSON WANT_RESULT: the answer, its result checked.
ask() {
	local a
	a=$(ctl_raw "$sock" "$1") || fail "no answer to $1"
	[ "$(json_get "$a" result)" = "$2" ] || fail "$1 -> $a (want result $2)"
	printf '%s' "$a"
}
in_store() { sqlite3 "$db" "SELECT count(*) FROM lease4_readable WHERE address = '$1';"; }

# 1. An operator's lease holds its address: the allocator starts at .100,
#    yet no client gets it.
a=$(ask '{"command": "lease4-add", "arguments": {"ip-address": "10.71.0.100", "hw-address": "02:71:ff:ff:ff:01", "hostname": "printer.example."}}' 0)
[ "$(json_get "$a" text)" = "Lease for address 10.71.0.100, subnet-id 1 added." ] || fail "add text: $a"
# Answered, so already in the store.
[ "$(lease_field "$db" 10.71.0.100 hwaddr)" = "02:71:ff:ff:ff:01" ] || fail "lease4-add answered before it was stored"
declare -A addr
for i in 1 2; do
	udhcpc_start "c$i" eth0
	wait_file_contains 15 "$(rec_dir "c$i" eth0 udhcpc)/events" '^bound$' || fail "c$i not bound"
	addr[$i]=$(rec_get "c$i" eth0 udhcpc ip)
	ip -n "$(ns "c$i")" addr add "${addr[$i]}/24" dev eth0
	[ "${addr[$i]}" != 10.71.0.100 ] || fail "c$i was given the operator's 10.71.0.100"
done
log "lease4-add kept 10.71.0.100; clients got ${addr[1]} and ${addr[2]}"

# 2. lease4-del: gone from the store when answered, allocatable again: the
#    one free address left is the deleted one.
ask '{"command": "lease4-del", "arguments": {"ip-address": "10.71.0.100"}}' 0 >/dev/null
[ "$(in_store 10.71.0.100)" = 0 ] || fail "lease4-del answered, row still in the store"
ask '{"command": "lease4-get", "arguments": {"ip-address": "10.71.0.100"}}' 3 >/dev/null
udhcpc_start c3 eth0
wait_file_contains 15 "$(rec_dir c3 eth0 udhcpc)/events" '^bound$' || fail "c3 not bound after lease4-del"
addr[3]=$(rec_get c3 eth0 udhcpc ip)
[ "${addr[3]}" = 10.71.0.100 ] || fail "c3 got ${addr[3]}, not the deleted 10.71.0.100"
log "lease4-del freed 10.71.0.100: c3 got it"

# 3. lease4-update: host name and valid-lft in get and in the store; the
#    client renews to the same lease (which its renewal then rewrites, as
#    Kea's does).
ask "{\"command\": \"lease4-update\", \"arguments\": {\"ip-address\": \"${addr[1]}\", \"hw-address\": \"02:71:00:00:00:01\", \"hostname\": \"renamed.example.\", \"valid-lft\": 7200}}" 0 >/dev/null
a=$(ask "{\"command\": \"lease4-get\", \"arguments\": {\"ip-address\": \"${addr[1]}\"}}" 0)
[ "$(json_get "$a" arguments hostname)" = renamed.example. ] || fail "update: hostname: $a"
[ "$(json_get "$a" arguments valid-lft)" = 7200 ] || fail "update: valid-lft: $a"
[ "$(lease_field "$db" "${addr[1]}" hostname)" = renamed.example. ] || fail "update: hostname not in the store"
[ "$(lease_field "$db" "${addr[1]}" valid_lifetime)" = 7200 ] || fail "update: valid_lifetime not in the store"
kill -USR1 "$(bg_pid udhcpc-c1-eth0)"
wait_file_contains 10 "$(rec_dir c1 eth0 udhcpc)/events" '^renew$' || fail "c1 did not renew after lease4-update"
[ "$(rec_get c1 eth0 udhcpc ip)" = "${addr[1]}" ] || fail "c1 moved after lease4-update"
! grep -q '^nak' "$(rec_dir c1 eth0 udhcpc)/events" || fail "c1 NAKed after lease4-update"
log "lease4-update: get and store agree, the client renewed"

# 4. get-page walks every lease, by address, one at a time.
all=$(json_get "$(ask '{"command": "lease4-get-all"}' 0)" arguments leases)
want=$(python3 -c 'import json,sys; print(" ".join(l["ip-address"] for l in json.loads(sys.argv[1])))' "$all")
walked="" from=start
while :; do
	a=$(ctl_raw "$sock" "{\"command\": \"lease4-get-page\", \"arguments\": {\"from\": \"$from\", \"limit\": 1}}")
	[ "$(json_get "$a" result)" = 3 ] && break
	from=$(json_get "$a" arguments leases 0 ip-address)
	[ -n "$from" ] || fail "page: $a"
	walked="${walked:+$walked }$from"
done
[ "$walked" = "$want" ] || fail "get-page walked '$walked', get-all has '$want'"
[ "$want" = "10.71.0.100 10.71.0.101 10.71.0.102" ] || fail "get-all: '$want'"
log "get-page walked: $walked"

# 5. ternctl: the table and the JSON hold the clients' leases.
"$TERNCTL" leases -c "$TT_DIR/ternd.json" >"$TT_DIR/leases.txt" || fail "ternctl leases failed"
cat "$TT_DIR/leases.txt" >&2
for i in 1 2 3; do
	grep -E "^${addr[$i]//./\\.} +02:71:00:00:00:0$i .* 1 +bound " "$TT_DIR/leases.txt" >/dev/null ||
		fail "ternctl leases lacks c$i's ${addr[$i]}"
done
"$TERNCTL" leases -s "$sock" --mac 02:71:00:00:00:02 --json >"$TT_DIR/leases.json" || fail "ternctl leases --json"
[ "$(python3 -c 'import json,sys; print(" ".join(l["ip-address"] for l in json.load(open(sys.argv[1]))))' "$TT_DIR/leases.json")" = "${addr[2]}" ] ||
	fail "ternctl leases --mac --json: $(cat "$TT_DIR/leases.json")"
out=$("$TERNCTL" lease add -s "$sock" 10.71.0.150 02:71:ff:ff:ff:02 2>&1) && fail "ternctl lease add outside the pools succeeded"
case "$out" in *"in no pool"*) ;; *) fail "ternctl lease add outside the pools: $out" ;; esac
out=$("$TERNCTL" lease del -s "$sock" "${addr[2]}") || fail "ternctl lease del: $out"
[ "$out" = "IPv4 lease deleted." ] || fail "ternctl lease del: $out"
[ "$(in_store "${addr[2]}")" = 0 ] || fail "ternctl lease del: row still stored"
out=$("$TERNCTL" lease add -s "$sock" "${addr[2]}" 02:71:00:00:00:02 --hostname two --valid-lft 600) || fail "ternctl lease add: $out"
[ "$(lease_field "$db" "${addr[2]}" valid_lifetime)" = 600 ] || fail "ternctl lease add: not stored"
out=$("$TERNCTL" leases -s "$sock" --subnet 1) || fail "ternctl leases --subnet"
grep -E "^${addr[2]//./\\.} .* two +1 +bound " <<<"$out" >/dev/null || fail "ternctl leases --subnet lacks the added lease: $out"
rc=0
"$TERNCTL" lease del -s "$sock" 10.71.0.99 >/dev/null || rc=$?
[ $rc = 3 ] || fail "ternctl lease del of no lease: exit $rc, want 3"
log "ternctl leases / lease add / lease del work"
# reload and config get find the socket from the configuration (-c).
out=$("$TERNCTL" reload -c "$TT_DIR/ternd.json" 2>&1) || fail "ternctl reload -c: $out"
out=$("$TERNCTL" config get -c "$TT_DIR/ternd.json") || fail "ternctl config get -c: $out"
grep -q '10.71.0.100 - 10.71.0.102' <<<"$out" || fail "ternctl config get -c: no pool in $out"
log "ternctl reload -c / config get -c work"

# 6. lease4-wipe empties the subnet, store included.
a=$(ask '{"command": "lease4-wipe", "arguments": {"subnet-id": 1}}' 0)
[ "$(json_get "$a" text)" = "Deleted 3 IPv4 lease(s) from subnet(s) 1" ] || fail "wipe: $a"
[ "$(sqlite3 "$db" 'SELECT count(*) FROM lease4;')" = 0 ] || fail "wipe: rows left in the store"
ask '{"command": "lease4-get-all"}' 3 >/dev/null
for i in 1 2 3; do stop_bg "udhcpc-c$i-eth0"; done

# 7. An added lease expires on its own time (the expiry timer follows it,
#    even with no other lease and no DHCP traffic to re-arm it).
ask '{"command": "lease4-add", "arguments": {"ip-address": "10.71.0.102", "hw-address": "02:71:ff:ff:ff:04", "valid-lft": 2}}' 0 >/dev/null
wait_for 15 eval '[ "$(lease_state "$db" 10.71.0.102)" = expired ]' ||
	fail "a 2-second lease4-add lease did not expire: $(lease_state "$db" 10.71.0.102)"
a=$(ask '{"command": "lease4-get", "arguments": {"ip-address": "10.71.0.102"}}' 0)
[ "$(json_get "$a" arguments state)" = 2 ] || fail "expired lease: $a"
ask '{"command": "lease4-del", "arguments": {"ip-address": "10.71.0.102"}}' 0 >/dev/null
log "a lease4-add lease expired on time and reads as state 2"

# 7b. After a reconfiguration the commands act on the new engine: a lease
#     added before config-reload is found, deleted, and added again.
ask '{"command": "lease4-add", "arguments": {"ip-address": "10.71.0.100", "hw-address": "02:71:ff:ff:ff:05"}}' 0 >/dev/null
ask '{"command": "config-reload"}' 0 >/dev/null
a=$(ask '{"command": "lease4-get", "arguments": {"ip-address": "10.71.0.100"}}' 0)
[ "$(json_get "$a" arguments hw-address)" = "02:71:ff:ff:ff:05" ] || fail "after config-reload: $a"
ask '{"command": "lease4-del", "arguments": {"ip-address": "10.71.0.100"}}' 0 >/dev/null
[ "$(in_store 10.71.0.100)" = 0 ] || fail "lease4-del after config-reload: row still stored"
ask '{"command": "lease4-add", "arguments": {"ip-address": "10.71.0.100", "hw-address": "02:71:ff:ff:ff:06"}}' 0 >/dev/null
ask '{"command": "lease4-del", "arguments": {"ip-address": "10.71.0.100"}}' 0 >/dev/null
log "lease commands after config-reload act on the new engine"

# 8. Durability: answered, then kill -9 at once; the lease is there after
#    the restart.
ask '{"command": "lease4-add", "arguments": {"ip-address": "10.71.0.101", "hw-address": "02:71:ff:ff:ff:03", "valid-lft": 86400}}' 0 >/dev/null
kill -KILL "$(bg_pid ternd)"
wait_for 5 eval "! kill -0 $(bg_pid ternd) 2>/dev/null" || fail "ternd survived SIGKILL"
[ "$(lease_field "$db" 10.71.0.101 hwaddr)" = "02:71:ff:ff:ff:03" ] || fail "an answered lease4-add was lost by kill -9"
ternd_start srv "$TT_DIR/ternd.json" ternd2
a=$(ask '{"command": "lease4-get", "arguments": {"ip-address": "10.71.0.101"}}' 0)
[ "$(json_get "$a" arguments hw-address)" = "02:71:ff:ff:ff:03" ] || fail "after restart: $a"
log "lease4-add answered, kill -9, restart: the lease is there"
log "PASS"
