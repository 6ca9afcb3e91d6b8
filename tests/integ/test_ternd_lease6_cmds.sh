#!/bin/bash
# lease6 commands on a Dhcp6 ternd (issue 12): list-commands has them when
# libdhcp_lease_cmds.so / libdhcp_stat_cmds.so are loaded; a lease6-add
# and a lease6-del answered are durable (ternd killed with SIGKILL right
# after the answer, started again: the change is there); a real client's
# (perfdhcp -6) bindings show in lease6-get-all, stat-lease6-get and
# ternctl leases; ternctl lease add/del and stats work against it; /metrics
# has them under Stork's kea_dhcp6_* names (promtool checks the text when
# it is installed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"

tt_init
require_root
require_cmd perfdhcp python3 curl
require_file "$TERND"
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERNCTL"

v6_link srv v6s cli v6c

sock="$TT_DIR/ctl6.sock"
hooks=/usr/lib/x86_64-linux-gnu/kea/hooks
cat >"$TT_DIR/ternd6.json" <<EOF2
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/store/leases6.csv"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "user-context": {"ternd": {"metrics": {"http-port": 9549}}},
  "hooks-libraries": [{"library": "$hooks/libdhcp_lease_cmds.so"},
                      {"library": "$hooks/libdhcp_stat_cmds.so"}],
  "preferred-lifetime": 3000, "valid-lifetime": 4000,
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48,
                  "delegated-len": 56}]}]
}}
EOF2
start6() {
	start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
	wait_for 10 test -S "$sock" ||
		fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
}
ctl() { ctl_raw "$sock" "$1"; }
tctl() { "$TERNCTL" "$@" -s "$sock"; }
start6

# ---- list-commands ----
a=$(ctl '{"command": "list-commands"}')
for c in lease6-add lease6-bulk-apply lease6-del lease6-get lease6-get-all \
	lease6-get-by-duid lease6-get-by-hostname lease6-get-page \
	lease6-resend-ddns lease6-update lease6-wipe stat-lease6-get; do
	echo "$a" | grep -q "\"$c\"" || fail "list-commands lacks $c: $a"
done
echo "$a" | grep -q '"lease4-' && fail "a Dhcp6 ternd lists lease4 commands: $a"

# ---- durable before the answer: SIGKILL right after it ----
out=$(tctl lease add 2001:db8:1::150 01:02:03:04 --iaid 5 --hostname h150.example.org) ||
	fail "ternctl lease add: $out"
[ "$out" = "Lease for address 2001:db8:1::150, subnet-id 1 added." ] || fail "lease add said: $out"
out=$(tctl lease add 2001:db8:8000:200::/56 01:02:03:04 --iaid 6 --subnet 1) ||
	fail "ternctl lease add prefix: $out"
a=$(ctl '{"command": "lease6-add", "arguments": {"ip-address": "2001:db8:1::151", "duid": "01:02:03:05", "iaid": 1}}')
[ "$(json_get "$a" result)" = 0 ] || fail "lease6-add: $a"
out=$(tctl lease del 2001:db8:1::151) || fail "ternctl lease del: $out"
[ "$out" = "IPv6 lease deleted." ] || fail "lease del said: $out"
kill -KILL "$(bg_pid ternd)"
wait "$(bg_pid ternd)" 2>/dev/null
start6
a=$(ctl '{"command": "lease6-get", "arguments": {"ip-address": "2001:db8:1::150"}}')
[ "$(json_get "$a" arguments duid)" = "01:02:03:04" ] &&
	[ "$(json_get "$a" arguments iaid)" = 5 ] &&
	[ "$(json_get "$a" arguments hostname)" = "h150.example.org" ] ||
	fail "the added lease is not there after SIGKILL: $a"
a=$(ctl '{"command": "lease6-get", "arguments": {"ip-address": "2001:db8:8000:200::", "type": "IA_PD"}}')
[ "$(json_get "$a" arguments prefix-len)" = 56 ] || fail "the added prefix is not there: $a"
a=$(ctl '{"command": "lease6-get", "arguments": {"ip-address": "2001:db8:1::151"}}')
[ "$(json_get "$a" result)" = 3 ] || fail "the deleted lease came back: $a"
log "lease6-add and lease6-del survived SIGKILL"

# ---- a real client's bindings ----
run_bounded 30 perfdhcp ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
	-e address-and-prefix -R 3 -r 3 -n 3 -p 10
all() { ctl '{"command": "lease6-get-all"}'; }
count_type() { python3 -c 'import json,sys; a=json.loads(sys.argv[1]); print(sum(1 for l in a["arguments"]["leases"] if l["type"]==sys.argv[2]))' "$(all)" "$1"; }
wait_for 10 eval '[ "$(count_type IA_NA)" -ge 2 ] && [ "$(count_type IA_PD)" -ge 2 ]' ||
	fail "perfdhcp's bindings are not in lease6-get-all: $(all); $(tail -5 "$(bg_log perfdhcp)")"
na=$(count_type IA_NA)
pd=$(count_type IA_PD)
log "lease6-get-all: $na addresses, $pd prefixes"
client=$(python3 -c 'import json,sys; a=json.loads(sys.argv[1]); print([l for l in a["arguments"]["leases"] if l["duid"] != "01:02:03:04"][0]["ip-address"])' "$(all)")
tctl leases >"$TT_DIR/leases.txt" || fail "ternctl leases failed"
head -1 "$TT_DIR/leases.txt" | grep -q '^address/prefix  *type  *iaid  *duid' ||
	fail "ternctl leases header: $(head -1 "$TT_DIR/leases.txt")"
grep -q "^$client " "$TT_DIR/leases.txt" || fail "ternctl leases lacks $client: $(cat "$TT_DIR/leases.txt")"
grep -q '^2001:db8:8000:200::/56  *IA_PD  *6  *01:02:03:04 ' "$TT_DIR/leases.txt" ||
	fail "ternctl leases lacks the prefix: $(cat "$TT_DIR/leases.txt")"
[ "$(($(wc -l <"$TT_DIR/leases.txt") - 1))" = "$((na + pd))" ] ||
	fail "ternctl leases: $(($(wc -l <"$TT_DIR/leases.txt") - 1)) rows, $((na + pd)) leases"
n=$(tctl leases --json --duid 01:02:03:04 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 2 ] || fail "ternctl leases --duid: $n leases, want 2"
tctl leases --mac 02:00:00:00:00:01 2>/dev/null && fail "ternctl leases --mac accepted for DHCPv6"
a=$(ctl '{"command": "stat-lease6-get"}')
[ "$(json_get "$a" arguments result-set rows 0 3)" = "$na" ] &&
	[ "$(json_get "$a" arguments result-set rows 0 7)" = "$pd" ] ||
	fail "stat-lease6-get: $a (want $na addresses, $pd prefixes)"
tctl stats --json >"$TT_DIR/stats.json" || fail "ternctl stats"
python3 - "$TT_DIR/stats.json" "$na" <<'PY' || fail "ternctl stats: $(cat "$TT_DIR/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))
# the operator's address and one per REQUEST answered
assert s["pkt6-request-received"] + 1 == int(sys.argv[2]), s
assert s["pkt6-received"] >= 2 * s["pkt6-request-received"], s
assert s["subnet[1].assigned-nas"] == int(sys.argv[2]), s
PY
# ---- /metrics ----
scrape() { ip netns exec "$(ns srv)" curl -sf --max-time 5 http://127.0.0.1:9549/metrics; }
want_na="kea_dhcp6_na_assigned_total{prefix=\"2001:db8:1::/64\",subnet=\"2001:db8:1::/64\",subnet_id=\"1\"} $na"
wait_for 10 eval 'scrape | grep -qxF "$want_na"' ||
	fail "/metrics lacks '$want_na': $(scrape | grep -v '^#')"
scrape >"$TT_DIR/metrics.txt"
for l in "kea_dhcp6_pd_assigned_total{prefix=\"2001:db8:1::/64\",subnet=\"2001:db8:1::/64\",subnet_id=\"1\"} $pd" \
	'kea_dhcp6_na_total{prefix="2001:db8:1::/64",subnet="2001:db8:1::/64",subnet_id="1"} 256' \
	'kea_dhcp6_global6_allocation_fail_total 0'; do
	grep -qxF "$l" "$TT_DIR/metrics.txt" || fail "/metrics lacks '$l': $(cat "$TT_DIR/metrics.txt")"
done
grep -q '^kea_dhcp6_packets_received_total{operation="solicit"} [1-9]' "$TT_DIR/metrics.txt" ||
	fail "/metrics: no solicit counted: $(cat "$TT_DIR/metrics.txt")"
grep -q 'kea_dhcp4_' "$TT_DIR/metrics.txt" && fail "/metrics of a Dhcp6 ternd has kea_dhcp4_ names"
if command -v promtool >/dev/null; then
	# Parsed whole (exit 1 on a format error) and linted (exit 3): Stork
	# declares its *_total metrics gauges, that one lint is expected.
	promtool check metrics <"$TT_DIR/metrics.txt" >"$TT_DIR/promtool.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "promtool check metrics ($rc): $(cat "$TT_DIR/promtool.out")"
	other=$(grep -v 'non-counter metrics should not have "_total" suffix$' "$TT_DIR/promtool.out")
	[ -z "$other" ] || fail "promtool check metrics: $other"
else
	log "promtool not installed: the text is not linted"
fi

out=$(tctl lease del 2001:db8:1::199)
[ $? = 3 ] && [ "$out" = "IPv6 lease not found." ] || fail "lease del of nothing: $out"
stop_bg ternd
log "PASS"
