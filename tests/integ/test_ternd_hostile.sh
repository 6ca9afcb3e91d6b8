#!/bin/bash
# Hostile input and limits: ternd runs as an unprivileged user, survives a
# flood of malformed, truncated and mutated packets (counted, memory
# bounded), reports pool exhaustion without crashing, and real clients are
# served throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc
BLAST="$TERN_BUILD/tests/integ/udp_blast"
require_file "$TERND" "$BLAST"
id nobody >/dev/null 2>&1 || skip "needs user nobody"

netns_add srv
netns_add atk
ports=(p-atk)
veth_pair srv p-atk atk eth0
for i in 1 2 3; do
	netns_add "c$i"
	veth_pair srv "p-c$i" "c$i" eth0
	ports+=("p-c$i")
done
bridge_add srv br0 "${ports[@]}"
addr_add srv br0 10.65.0.1/24
addr_add atk eth0 10.65.0.9/24

mkdir -p "$TT_DIR/store"
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/store/leases.sqlite"},
  "valid-lifetime": 600,
  "user-context": {"ternd": {"user": "nobody"}},
  // Two addresses for three clients: the third finds the pool exhausted.
  "subnet4": [{"id": 1, "subnet": "10.65.0.0/24",
               "pools": [{"pool": "10.65.0.100 - 10.65.0.101"}]}]
}}
JSON
chmod 755 "$TT_DIR"
ternd_start srv "$TT_DIR/ternd.json"
pid=$(pgrep -f -P "$(bg_pid ternd)" "$TERND" || bg_pid ternd)
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = "$(id -u nobody)" ] || fail "ternd runs as uid $uid, not nobody"
log "ternd runs as nobody (uid $uid)"

udhcpc_run c1 eth0 || fail "c1 got no lease before the flood"
rss0=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")

# 200k hostile datagrams (broadcast and unicast), at most 60 s.
corpus="$TERN_SRC/tests/fuzz/dhcp4/corpus $TERN_SRC/tests/fuzz/engine/corpus $TERN_SRC/tests/fuzz/dhcp4_roundtrip/corpus"
# shellcheck disable=SC2086
run_bounded 70 blast1 ip netns exec "$(ns atk)" "$BLAST" 10.65.0.255 67 100000 30 $corpus ||
	fail "blast failed: $(cat "$(bg_log blast1)")"
# shellcheck disable=SC2086
run_bounded 70 blast2 ip netns exec "$(ns atk)" "$BLAST" 10.65.0.1 67 100000 30 $corpus ||
	fail "blast failed"
kill -0 "$pid" 2>/dev/null || fail "ternd died under the flood"
rss1=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
log "flood: $(cat "$(bg_log blast1)" "$(bg_log blast2)" | tr '\n' ' '); RSS ${rss0} kB -> ${rss1} kB"
[ "$rss1" -lt $((rss0 + 16384)) ] || fail "memory grew by more than 16 MiB: $rss0 -> $rss1 kB"
stats=$(ternd_stats)
log "$stats"

# Real clients are still served: c2 gets the last address, c3 finds none.
udhcpc_run c2 eth0 || fail "c2 got no lease after the flood"
ip2=$(rec_get c2 eth0 udhcpc ip)
case "$ip2" in 10.65.0.100 | 10.65.0.101) ;; *) fail "c2 got $ip2" ;; esac
if udhcpc_run c3 eth0; then
	fail "c3 got a lease from an exhausted pool: $(rec_get c3 eth0 udhcpc ip)"
fi
wait_file_contains 5 "$(bg_log ternd)" 'pool exhausted' || fail "no exhaustion log line"
kill -0 "$pid" 2>/dev/null || fail "ternd died"
log "pool exhaustion logged, ternd alive"
log "PASS"
