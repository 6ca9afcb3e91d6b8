#!/bin/bash
# ternd serves DHCPv6 (issue 12): ISC dhclient -6 gets an address (-N) and
# a delegated prefix (-P) in one exchange, renews them, releases them; the
# store's lease6 rows follow each step; a restarted ternd keeps its DUID.
# Relayed clients: perfdhcp -6 -A1 is served from the subnet its relay
# address names; a relay whose interface-id names a subnet is served from
# it; an LDRA-style relay (link-address ::) is taken as direct, as Kea 2.2
# does (the receiving interface's subnet); the interface-id echoed.
# Namespaces and veths of our own (spec A3 recipe); bounded polls only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd dhclient sqlite3 perfdhcp python3
require_file "$TERND"

v6_link srv v6s cli v6c
# The relay's own address (perfdhcp -A1 uses it as link-address).
ip -n "$(ns cli)" -6 addr add 2001:db8:1::2/64 dev v6c nodad || fail "addr"

db="$TT_DIR/leases6.sqlite"
cat >"$TT_DIR/ternd6.json" <<EOF
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/leases6.csv"},
  "preferred-lifetime": 8, "valid-lifetime": 12,
  "renew-timer": 2, "rebind-timer": 5,
  "option-data": [{"name": "dns-servers", "data": "2001:db8:1::53"},
                  {"name": "domain-search", "data": "example.com"}],
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48,
                  "delegated-len": 56}]},
   {"id": 5, "subnet": "2001:db8:5::/64",
    "relay": {"ip-addresses": ["2001:db8:1::2"]},
    "pools": [{"pool": "2001:db8:5::100-2001:db8:5::1ff"}]},
   {"id": 6, "subnet": "2001:db8:6::/64", "interface-id": "port-6",
    "pools": [{"pool": "2001:db8:6::100-2001:db8:6::1ff"}]}]
}}
EOF
"$TERND" -t "$TT_DIR/ternd6.json" >/dev/null || fail "ternd -t refused the Dhcp6 file"

start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"

rows() { sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = $1 AND state = 0;"; }
duid6() { sqlite3 "$db" "SELECT value FROM meta WHERE key = 'server-duid6';"; }

# ---- address and prefix in one exchange ----
dir=$(rec_dir cli v6c dhclient6)
_rec_script "$dir" dhclient
start_bg dhclient6 ip netns exec "$(ns cli)" dhclient -6 -N -P -d -v \
	-sf "$dir/script" -lf "$dir/leases" -pf "$dir/pid" v6c
wait_file_contains 30 "$dir/events" 'BOUND6' ||
	fail "dhclient -6 got no lease: $(tail -20 "$(bg_log dhclient6)")"
# dhclient -6 calls its script once per binding (reason BOUND6): read
# every call's recorded environment.
ev6() { cat "$dir"/*-BOUND6.env 2>/dev/null | sed -n "s/^$1=//p" | head -n 1; }
wait_for 10 eval '[ -n "$(ev6 new_ip6_address)" ] && [ -n "$(ev6 new_ip6_prefix)" ]' ||
	fail "dhclient bound without an address and a prefix: $(ls "$dir")"
addr=$(ev6 new_ip6_address)
prefix=$(ev6 new_ip6_prefix)
log "bound: address $addr prefix $prefix"
case "$addr" in 2001:db8:1::1[0-9a-f][0-9a-f]) ;; *) fail "address $addr not from the pool" ;; esac
case "$prefix" in 2001:db8:80[0-9a-f][0-9a-f]::/56) ;; *) fail "prefix $prefix not from the pd-pool" ;; esac
[ "$(ev6 new_dhcp6_name_servers)" = 2001:db8:1::53 ] ||
	fail "no DNS server option"
[ "$(rows 0)" = 1 ] || fail "no address row in lease6"
[ "$(rows 2)" = 1 ] || fail "no prefix row in lease6"
[ -n "$(duid6)" ] || fail "no server DUID kept in the store"
first_cltt=$(sqlite3 "$db" "SELECT max(cltt) FROM lease6;")

# ---- renew (T1 = 2 s): the rows' cltt moves ----
wait_file_contains 30 "$dir/events" 'RENEW6|REBIND6' ||
	fail "dhclient did not renew: $(tail -20 "$(bg_log dhclient6)")"
wait_for 10 eval "[ \$(sqlite3 '$db' 'SELECT min(cltt) FROM lease6') -gt $first_cltt ]" ||
	fail "the renewal did not reach the store"
grep -q 'RENEW6' "$dir/events" || fail "renewed by REBIND, not RENEW"
[ "$(rows 0)" = 1 ] && [ "$(rows 2)" = 1 ] || fail "renew changed the bindings"
stop_bg dhclient6

# ---- restart: leases and DUID survive ----
duid_before=$(duid6)
stop_bg ternd
start_bg ternd2 ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd2)" 'serving DHCPv6.* 2 leases restored' ||
	fail "restart did not restore the 2 leases: $(tail -5 "$(bg_log ternd2)")"
[ "$(duid6)" = "$duid_before" ] || fail "the server DUID changed across a restart"

# ---- release (-r with -N -P releases both, spec A3) ----
run_bounded 30 release ip netns exec "$(ns cli)" dhclient -6 -N -P -r -v \
	-sf "$dir/script" -lf "$dir/leases" -pf "$dir/pid" v6c ||
	fail "dhclient -r failed: $(tail -20 "$(bg_log release)")"
wait_for 10 eval "[ \$(sqlite3 '$db' 'SELECT count(*) FROM lease6') = 0 ]" ||
	fail "release left rows: $(sqlite3 "$db" 'SELECT type, hex(address) FROM lease6')"

TT_DONE_MSG=ok
stop_bg dhclient6 2>/dev/null

# ---- relayed: perfdhcp -6 -A1 (relay address 2001:db8:1::2 -> subnet 5) ----
# One client (-R 1) for 3 s; exit 3 only says an exchange was still open
# when the period ended: the store decides.
run_bounded 30 perfdhcp ip netns exec "$(ns cli)" perfdhcp -6 -l v6c -A1 \
	-R 1 -r 1 -p 3
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 3 ] ||
	fail "perfdhcp -6 -A1 failed ($rc): $(cat "$(bg_log perfdhcp)")"
wait_for 10 eval "[ \$(sqlite3 '$db' 'SELECT count(*) FROM lease6 WHERE subnet_id = 5') = 1 ]" ||
	fail "the relayed client has no lease from subnet 5: $(sqlite3 "$db" 'SELECT subnet_id, hex(address) FROM lease6')"

# ---- relayed (a link-address no subnet holds), interface-id "port-6" ->
# subnet 6; an LDRA (link-address ::) with the same interface-id is taken
# as direct, as kea-dhcp6 2.2 does: subnet 1, the receiving interface's ----
probe() {
	run_bounded 20 "probe-$1" ip netns exec "$(ns cli)" python3 \
		"$(dirname "$0")/relay6_probe.py" v6c port-6 "$2" ||
		fail "no RELAY-REPL: $(cat "$(bg_log "probe-$1")")"
	tail -n 1 "$(bg_log "probe-$1")"
}
out=$(probe relay 2001:db8:ffff::1)
log "relay probe: $out"
case "$out" in
"iid=port-6 type=2 addr=2001:db8:6::1"[0-9a-f][0-9a-f]) ;;
*) fail "relay reply wrong: $out (want interface-id echoed, ADVERTISE from subnet 6)" ;;
esac
out=$(probe ldra ::)
log "LDRA probe: $out"
case "$out" in
"iid=port-6 type=2 addr=2001:db8:1::1"[0-9a-f][0-9a-f]) ;;
*) fail "LDRA reply wrong: $out (want interface-id echoed, ADVERTISE from subnet 1)" ;;
esac

log "PASS"
