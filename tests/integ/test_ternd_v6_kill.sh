#!/bin/bash
# DHCPv6 durability (issue 12): ternd under perfdhcp -6 load (addresses and
# prefixes, 4-message exchanges at a bounded rate for a bounded time) is
# killed with SIGKILL in the middle of it. Every binding a captured REPLY
# gave (IAADDR / IAPREFIX with a valid lifetime) must be a row of lease6
# after the kill, and a restarted ternd restores them all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd perfdhcp tcpdump sqlite3 python3
require_file "$TERND"

v6_link srv v6s cli v6c

db="$TT_DIR/leases6.sqlite"
cat >"$TT_DIR/ternd6.json" <<EOF2
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/leases6.csv"},
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::1:0/112"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 40,
                  "delegated-len": 56}]}]
}}
EOF2
# The store's path: beside the memfile name (docs/config.md, Dhcp6).
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
start_bg cap ip netns exec "$(ns srv)" tcpdump -i v6s -n -U --immediate-mode -B 8192 \
	-w "$TT_DIR/cap.pcap" udp src port 547
wait_file_contains 10 "$(bg_log cap)" 'listening on' || fail "tcpdump did not start"

rows() { sqlite3 "$db" "SELECT count(*) FROM lease6;" 2>/dev/null || echo 0; }

# Load: 600 exchanges/s for at most 20 s, each asking an address and a
# prefix. Killed once a few hundred bindings are stored.
start_bg perf ip netns exec "$(ns cli)" timeout 60 perfdhcp -6 -l v6c \
	-e address-and-prefix -r 600 -p 20 -R 100000
wait_for 30 eval '[ "$(rows)" -ge 2000 ]' ||
	fail "no load reached the store: $(tail -5 "$(bg_log perf)")"
kill -KILL "$(bg_pid ternd)"
wait_for 5 eval "! kill -0 $(bg_pid ternd) 2>/dev/null" || fail "ternd survived SIGKILL"
log "ternd killed with $(rows) rows stored"
stop_bg perf
# tcpdump writes what it has read: give it until the file stops growing.
size() { stat -c %s "$TT_DIR/cap.pcap"; }
last=-1
for _ in $(seq 50); do
	cur=$(size)
	[ "$cur" = "$last" ] && break
	last=$cur
	sleep 0.2
done
stop_bg cap

python3 "$(dirname "$0")/reply6_bindings.py" "$TT_DIR/cap.pcap" | sort -u >"$TT_DIR/replied"
sqlite3 "$db" "SELECT CASE type WHEN 0 THEN 'na ' ELSE 'pd ' END ||
	lower(hex(address)) || '/' || prefix_len FROM lease6;" >"$TT_DIR/rows.hex"
# Rows as the parser prints them (compressed IPv6 text).
python3 - "$TT_DIR/rows.hex" >"$TT_DIR/rows" <<'PY'
import ipaddress, sys
for line in open(sys.argv[1]):
    kind, rest = line.split()
    h, plen = rest.split("/")
    a = ipaddress.IPv6Address(bytes.fromhex(h))
    print("na %s" % a if kind == "na" else "pd %s/%s" % (a, plen))
PY
sort -u -o "$TT_DIR/rows" "$TT_DIR/rows"
na=$(grep -c '^na ' "$TT_DIR/replied") || true
pd=$(grep -c '^pd ' "$TT_DIR/replied") || true
log "REPLYs gave $na addresses and $pd prefixes; lease6 has $(wc -l <"$TT_DIR/rows") rows"
[ "$na" -ge 200 ] && [ "$pd" -ge 200 ] ||
	fail "too few REPLYs captured ($na, $pd): $(tail -5 "$(bg_log perf)")"
missing=$(comm -23 "$TT_DIR/replied" "$TT_DIR/rows")
[ -z "$missing" ] ||
	fail "$(echo "$missing" | wc -l) REPLYed bindings lost by kill -9: $(echo "$missing" | head -5)"

# A restart restores every row.
n=$(wc -l <"$TT_DIR/rows")
start_bg ternd2 ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd2)" "serving DHCPv6.* $n leases restored" ||
	fail "restart did not restore the $n rows: $(tail -5 "$(bg_log ternd2)")"
log "PASS"
