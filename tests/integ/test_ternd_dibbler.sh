#!/bin/bash
# ternd serves DHCPv6 (issue 12) to dibbler-client: an address (ia) and a
# delegated prefix (pd) with DNS servers and the domain search list; the
# client renews them (T1 = 2 s: the store's cltt moves) and releases them
# when stopped (the lease6 rows go). Namespaces and veths of our own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd dibbler-client sqlite3
require_file "$TERND"

v6_link srv v6s cli v6c

db="$TT_DIR/leases6.sqlite"
cat >"$TT_DIR/ternd6.json" <<EOF
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/leases6.csv"},
  "preferred-lifetime": 8, "valid-lifetime": 12,
  "renew-timer": 2, "rebind-timer": 5,
  "option-data": [{"name": "dns-servers", "data": "2001:db8:1::53, 2001:db8:1::54"},
                  {"name": "domain-search", "data": "example.com, example.org"}],
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48,
                  "delegated-len": 56}]}]
}}
EOF
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"

# dibbler-client keeps everything in its work directory (-w); its script
# gets the action as $1 and the lease in its environment: record both.
dir="$TT_DIR/dibbler"
mkdir -p "$dir"
: >"$dir/events"
cat >"$dir/script" <<EOF
#!/bin/sh
n=\$(wc -l <"$dir/events")
env | LC_ALL=C sort >"$dir/\$(printf %03d "\$n")-\${1:-unknown}.env"
echo "\${1:-unknown}" >>"$dir/events"
exit 0
EOF
chmod 755 "$dir/script"
cat >"$dir/client.conf" <<EOF
log-level 7
log-mode full
script "$dir/script"
duid-type duid-ll
iface "v6c" {
  ia
  pd
  option dns-server
  option domain
}
EOF
start_bg dibbler ip netns exec "$(ns cli)" dibbler-client run -w "$dir"
wait_file_contains 30 "$dir/events" '^add' ||
	fail "dibbler-client got no lease: $(tail -20 "$(bg_log dibbler)")"
# dibbler ends its lists with a blank.
ev() { sed -n "s/^$1=//p" "$dir"/*-add.env | head -n 1 | sed "s/ *$//"; }
addr=$(ev ADDR1)
prefix="$(ev PREFIX1)/$(ev PREFIX1LEN)"
log "bound: address $addr prefix $prefix dns '$(ev SRV_OPTION23)' domain '$(ev SRV_OPTION24)'"
case "$addr" in 2001:db8:1::1[0-9a-f][0-9a-f]) ;; *) fail "address '$addr' not from the pool" ;; esac
case "$prefix" in 2001:db8:80[0-9a-f][0-9a-f]::/56) ;; *) fail "prefix '$prefix' not from the pd-pool" ;; esac
[ "$(ev SRV_OPTION23)" = "2001:db8:1::53 2001:db8:1::54" ] ||
	fail "DNS servers '$(ev SRV_OPTION23)'"
[ "$(ev SRV_OPTION24)" = "example.com example.org" ] ||
	fail "domain search '$(ev SRV_OPTION24)'"
rows() { sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = $1 AND state = 0;"; }
wait_for 10 eval '[ "$(rows 0)" = 1 ] && [ "$(rows 2)" = 1 ]' ||
	fail "lease6 rows: $(sqlite3 "$db" 'SELECT type, state FROM lease6')"
first_cltt=$(sqlite3 "$db" "SELECT max(cltt) FROM lease6;")

# ---- renew: the rows' cltt moves, the bindings stay ----
wait_for 30 eval "[ \$(sqlite3 '$db' 'SELECT min(cltt) FROM lease6') -gt $first_cltt ]" ||
	fail "no renewal reached the store: $(tail -20 "$(bg_log dibbler)")"
[ "$(rows 0)" = 1 ] && [ "$(rows 2)" = 1 ] || fail "renew changed the bindings"
[ "$(sqlite3 "$db" "SELECT count(*) FROM lease6")" = 2 ] || fail "renew added rows"

# ---- stop: dibbler-client releases what it holds ----
kill -TERM "$(bg_pid dibbler)"
wait_bg dibbler 15 || fail "dibbler-client did not stop"
wait_for 10 eval "[ \$(sqlite3 '$db' 'SELECT count(*) FROM lease6') = 0 ]" ||
	fail "release left rows: $(sqlite3 "$db" 'SELECT type, state FROM lease6')"
log "PASS"
