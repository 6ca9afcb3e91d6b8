#!/bin/bash
# DHCPv6 operations (issue 12): ended bindings are reclaimed on their own
# time (the expiry timer of daemon6: rows become Kea's expired-reclaimed,
# state 2); the control socket answers Kea's commands for a Dhcp6 ternd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd perfdhcp sqlite3 python3
require_file "$TERND"

netns_add srv
netns_add cli
veth_pair srv v6s cli v6c
for n in srv cli; do
	nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 || fail "sysctl"
done
nsx srv sysctl -qw net.ipv6.conf.v6s.accept_dad=0 || fail "sysctl v6s"
nsx cli sysctl -qw net.ipv6.conf.v6c.accept_dad=0 || fail "sysctl v6c"
link_down srv v6s
link_down cli v6c
link_up srv v6s
link_up cli v6c
ip -n "$(ns srv)" -6 addr add 2001:db8:1::1/64 dev v6s nodad || fail "addr"
wait_for 10 eval "ip -n $(ns cli) -6 addr show dev v6c scope link | grep -q fe80" ||
	fail "no link-local address on v6c"

db="$TT_DIR/leases6.sqlite"
cat >"$TT_DIR/ternd6.json" <<EOF2
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/leases6.csv"},
  "preferred-lifetime": 2, "valid-lifetime": 3,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48,
                  "delegated-len": 56}]}]
}}
EOF2
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"

# ---- expiry: 5 clients bound for 3 s, then reclaimed by the timer ----
run_bounded 30 perfdhcp ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
	-e address-and-prefix -R 5 -r 5 -n 5
state_count() { sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE state = $1;"; }
wait_for 10 eval '[ "$(state_count 0)" -ge 6 ]' ||
	fail "no bindings stored: $(sqlite3 "$db" 'SELECT type, state FROM lease6')"
bound=$(state_count 0)
log "$bound bindings stored; waiting for their end (valid 3 s)"
wait_for 15 eval '[ "$(state_count 0)" = 0 ] && [ "$(state_count 2)" = '"$bound"' ]' ||
	fail "not reclaimed: $(sqlite3 "$db" 'SELECT type, state, expire FROM lease6')"
kill -USR1 "$(bg_pid ternd)"
wait_file_contains 10 "$(bg_log ternd)" "addresses 0 prefixes 0 declined 0; reclaimed $bound" ||
	fail "counters after the sweep: $(grep 'dhcp6: rx' "$(bg_log ternd)" | tail -1)"
log "expiry: $bound bindings reclaimed (state 2), none counted as assigned"
log "PASS"
