#!/bin/bash
# DHCPv6 under a hostile flood (issue 12): malformed, truncated and deeply
# nested relay messages (up to 64 RELAY-FORW levels, twice the limit),
# multicast to ff02::1:2 and unicast, bounded in count and time. ternd
# (running as nobody) survives, its memory stays bounded, and a real
# client (ISC dhclient -6) is served afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"

tt_init
require_root
require_cmd dhclient sqlite3
require_file "$TERND"
BLAST="$TERN_BUILD/tests/integ/udp_blast"
require_file "$BLAST"

v6_link srv v6s cli v6c
ip -n "$(ns cli)" -6 addr add 2001:db8:1::2/64 dev v6c nodad || fail "addr"

db="$TT_DIR/store/leases6.sqlite"
cat >"$TT_DIR/ternd6.json" <<EOF2
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/store/leases6.csv"},
  "user-context": {"ternd": {"user": "nobody"}},
  "preferred-lifetime": 300, "valid-lifetime": 600,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "relay": {"ip-addresses": ["2001:db8:1::2"]},
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::ffff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 40,
                  "delegated-len": 56}]}]
}}
EOF2
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
pid=$(bg_pid ternd)
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = "$(id -u nobody)" ] || fail "ternd runs as uid $uid, not nobody"
rss0=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")

# 2 x 100k hostile datagrams, each run at most 30 s.
corpus="$TERN_SRC/tests/fuzz/dhcp6/corpus"
run_bounded 40 blast1 ip netns exec "$(ns cli)" "$BLAST" "ff02::1:2%v6c" 547 100000 30 "$corpus" ||
	fail "blast failed: $(cat "$(bg_log blast1)")"
run_bounded 40 blast2 ip netns exec "$(ns cli)" "$BLAST" 2001:db8:1::1 547 100000 30 "$corpus" ||
	fail "blast failed: $(cat "$(bg_log blast2)")"
kill -0 "$pid" 2>/dev/null || fail "ternd died under the flood"
rss1=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
kill -USR1 "$pid"
wait_file_contains 10 "$(bg_log ternd)" 'dhcp6: rx' || fail "no counters"
log "flood: $(cat "$(bg_log blast1)" "$(bg_log blast2)" | tr '\n' ' '); RSS ${rss0} kB -> ${rss1} kB"
log "$(grep 'dhcp6: rx' "$(bg_log ternd)" | tail -1)"
grep 'dhcp6: rx' "$(bg_log ternd)" | tail -1 | grep -Eq 'dropped malformed [1-9]' ||
	fail "no malformed datagram was counted: the flood did not reach ternd"
[ "$rss1" -lt $((rss0 + 16384)) ] || fail "memory grew by more than 16 MiB: $rss0 -> $rss1 kB"

# A real client is still served.
dir=$(rec_dir cli v6c dhclient6)
_rec_script "$dir" dhclient
start_bg dhclient6 ip netns exec "$(ns cli)" dhclient -6 -N -P -d -v \
	-sf "$dir/script" -lf "$dir/leases" -pf "$dir/pid" v6c
wait_file_contains 30 "$dir/events" 'BOUND6' ||
	fail "dhclient -6 got no lease after the flood: $(tail -20 "$(bg_log dhclient6)")"
stop_bg dhclient6
kill -0 "$pid" 2>/dev/null || fail "ternd died"
log "PASS"
