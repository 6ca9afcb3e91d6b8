#!/bin/bash
# A Kea memfile "name" is honoured: ternd keeps its SQLite store beside it
# (NAME.csv -> NAME.sqlite), creating the directory, so two configurations
# with different names never share leases. Both servers here have a pool of
# one address: with a shared store the second would find it taken.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc sqlite3
require_file "$TERND"

netns_add srv
netns_add c1
netns_add c2
veth_pair srv p-c1 c1 eth0
veth_pair srv p-c2 c2 eth0
bridge_add srv br0 p-c1 p-c2
addr_add srv br0 10.61.0.1/24
ip -n "$(ns c1)" link set eth0 address 02:61:00:00:00:01
ip -n "$(ns c2)" link set eth0 address 02:61:00:00:00:02

# write_cfg SITE: a Kea file whose memfile lives in a directory not yet made.
write_cfg() {
	cat >"$TT_DIR/$1.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/$1/var/kea-leases4.csv",
                     "lfc-interval": 3600},
  "valid-lifetime": 600,
  "subnet4": [{"id": 1, "subnet": "10.61.0.0/24",
               "pools": [{"pool": "10.61.0.100 - 10.61.0.100"}]}]
}}
JSON
}
write_cfg a
write_cfg b

ternd_start srv "$TT_DIR/a.json" ternd-a
udhcpc_run c1 eth0 || fail "c1 got no lease from server a"
[ "$(rec_get c1 eth0 udhcpc ip)" = 10.61.0.100 ] || fail "c1: $(rec_get c1 eth0 udhcpc ip)"
stop_bg ternd-a
dba="$TT_DIR/a/var/kea-leases4.sqlite"
[ -f "$dba" ] || fail "server a's store is not at $dba: $(ls -R "$TT_DIR/a" 2>&1)"
[ "$(lease_state "$dba" 10.61.0.100)" = bound ] || fail "lease not in $dba"
[ ! -e "$TT_DIR/a/var/kea-leases4.csv" ] || fail "ternd wrote Kea's CSV path"
grep -q "$dba" "$(bg_log ternd-a)" || fail "the log does not name the store"

# Server b, another configuration: its own store, so its one address is free.
ternd_start srv "$TT_DIR/b.json" ternd-b
udhcpc_run c2 eth0 || fail "c2 got no lease from server b (shared store?)"
[ "$(rec_get c2 eth0 udhcpc ip)" = 10.61.0.100 ] || fail "c2: $(rec_get c2 eth0 udhcpc ip)"
stop_bg ternd-b
dbb="$TT_DIR/b/var/kea-leases4.sqlite"
[ "$(lease_field "$dbb" 10.61.0.100 hwaddr)" = 02:61:00:00:00:02 ] ||
	fail "b's store: $(sqlite3 "$dbb" 'SELECT * FROM lease4_readable')"
[ "$(lease_field "$dba" 10.61.0.100 hwaddr)" = 02:61:00:00:00:01 ] ||
	fail "a's store changed: $(sqlite3 "$dba" 'SELECT * FROM lease4_readable')"
log "two memfile names, two stores"
log "PASS"
