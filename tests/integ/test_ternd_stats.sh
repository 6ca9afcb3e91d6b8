#!/bin/bash
# Kea's statistics in ternd: busybox udhcpc and perfdhcp clients get
# leases, then statistic-get / statistic-get-all / stat-lease4-get show
# exactly what was exchanged (DORAs, a release), the statistic-* commands
# answer with Kea's texts, ternctl stats prints them, and the /metrics
# endpoint is scraped by Debian's real Prometheus server (Stork's names)
# and passes promtool check metrics.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc perfdhcp jq curl prometheus promtool /usr/bin/python3
require_file "$TERND"
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERNCTL"

netns_add srv
for c in c1 c2 pc; do
	netns_add "$c"
	veth_pair srv "p-$c" "$c" eth0
done
bridge_add srv br0 p-c1 p-c2 p-pc
addr_add srv br0 10.61.0.1/16
addr_add pc eth0 10.61.0.2/16
ip -n "$(ns c1)" link set eth0 address 02:61:00:00:00:01
ip -n "$(ns c2)" link set eth0 address 02:61:00:00:00:02

sock="$TT_DIR/ternd.sock"
mport=19547
pport=19090
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/leases.sqlite"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "hooks-libraries": [{"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_stat_cmds.so"}],
  "valid-lifetime": 600,
  "subnet4": [{"id": 1, "subnet": "10.61.0.0/16",
               "pools": [{"pool": "10.61.1.0 - 10.61.255.254"}]}],
  "user-context": {"ternd": {"metrics": {"http-host": "127.0.0.1", "http-port": $mport}}}
}}
JSON
ternd_start srv "$TT_DIR/ternd.json"

# ctl JSON: one command over the control socket, the answer on stdout.
ctl() {
	/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
s.shutdown(socket.SHUT_WR)
b = b""
while True:
    k = s.recv(65536)
    if not k:
        break
    b += k
sys.stdout.write(b.decode())' "$sock" "$1"
}
# stat NAME: the newest value of a statistic ("null" when there is none).
stat() {
	ctl "{\"command\":\"statistic-get\",\"arguments\":{\"name\":\"$1\"}}" |
		jq -r --arg n "$1" '.arguments[$n][0][0]'
}
# expect NAME VALUE
expect() {
	local v
	v=$(stat "$1")
	[ "$v" = "$2" ] || fail "$1 is $v, expected $2"
}
# text JSON: the text of the answer; result JSON: its result.
text() { ctl "$1" | jq -r .text; }
result() { ctl "$1" | jq -r .result; }

# 1. At start: every Kea name, zeros, the pool size, one sample each.
all=$(ctl '{"command":"statistic-get-all"}')
for n in pkt4-received pkt4-discover-received pkt4-offer-received \
	pkt4-request-received pkt4-ack-received pkt4-nak-received \
	pkt4-release-received pkt4-decline-received pkt4-inform-received \
	pkt4-unknown-received pkt4-sent pkt4-offer-sent pkt4-ack-sent \
	pkt4-nak-sent pkt4-parse-failed pkt4-receive-drop \
	cumulative-assigned-addresses declined-addresses \
	reclaimed-declined-addresses reclaimed-leases v4-allocation-fail \
	v4-allocation-fail-classes v4-allocation-fail-no-pools \
	v4-allocation-fail-shared-network v4-allocation-fail-subnet \
	v4-reservation-conflicts 'subnet[1].total-addresses' \
	'subnet[1].assigned-addresses' 'subnet[1].cumulative-assigned-addresses' \
	'subnet[1].declined-addresses' 'subnet[1].reclaimed-declined-addresses' \
	'subnet[1].reclaimed-leases' 'subnet[1].v4-reservation-conflicts'; do
	echo "$all" | jq -e --arg n "$n" '.arguments | has($n)' >/dev/null ||
		fail "statistic-get-all lacks $n"
done
[ "$(echo "$all" | jq '.arguments | length')" = 33 ] ||
	fail "statistic-get-all has $(echo "$all" | jq '.arguments | length') statistics, not 33"
echo "$all" | jq -e '.arguments["pkt4-received"][0][1] |
	test("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}$")' \
	>/dev/null || fail "timestamp not in Kea's format: $(echo "$all" | jq '.arguments["pkt4-received"]')"
expect 'subnet[1].total-addresses' 65279
expect pkt4-received 0
log "statistic-get-all: Kea's 33 names at start"

# 2. Two udhcpc DORAs.
udhcpc_start c1 eth0
udhcpc_start c2 eth0
wait_file_contains 15 "$(rec_dir c1 eth0 udhcpc)/events" '^bound$' || fail "c1 not bound"
wait_file_contains 15 "$(rec_dir c2 eth0 udhcpc)/events" '^bound$' || fail "c2 not bound"
wait_for 5 eval '[ "$(stat pkt4-ack-sent)" = 2 ]' || fail "pkt4-ack-sent $(stat pkt4-ack-sent), not 2"
expect pkt4-discover-received 2
expect pkt4-request-received 2
expect pkt4-received 4
expect pkt4-offer-sent 2
expect pkt4-sent 4
expect 'subnet[1].assigned-addresses' 2
expect 'subnet[1].cumulative-assigned-addresses' 2
expect cumulative-assigned-addresses 2
log "2 DORAs: 2 discover, 2 request, 2 offer, 2 ack; assigned 2"

# 3. A release decrements assigned-addresses, not the cumulative count.
# udhcpc unicasts it from its address (its recording script configures
# nothing, so the test does).
ip -n "$(ns c1)" addr add "$(rec_get c1 eth0 udhcpc ip)/16" dev eth0
kill -USR2 "$(bg_pid udhcpc-c1-eth0)"
wait_for 5 eval '[ "$(stat pkt4-release-received)" = 1 ]' || fail "no release counted"
expect 'subnet[1].assigned-addresses' 1
expect 'subnet[1].cumulative-assigned-addresses' 2
expect pkt4-received 5
# The samples: newest first, 2 then 1.
ctl '{"command":"statistic-get","arguments":{"name":"subnet[1].assigned-addresses"}}' |
	jq -e '[.arguments["subnet[1].assigned-addresses"][][0]][0:2] == [1, 2]' >/dev/null ||
	fail "assigned-addresses samples: $(stat 'subnet[1].assigned-addresses')"
log "release: assigned 1, cumulative 2"

# 4. stat-lease4-get (libdhcp_stat_cmds configured).
a=$(ctl '{"command":"stat-lease4-get"}')
[ "$(echo "$a" | jq -r .text)" = "stat-lease4-get[all subnets]: 1 rows found" ] || fail "stat-lease4-get: $a"
echo "$a" | jq -e '.arguments["result-set"].rows == [[1, 65279, 2, 1, 0]] and
	.arguments["result-set"].columns == ["subnet-id", "total-addresses",
	"cumulative-assigned-addresses", "assigned-addresses", "declined-addresses"]' \
	>/dev/null || fail "stat-lease4-get result-set: $a"
a=$(ctl '{"command":"stat-lease4-get","arguments":{"subnet-id":9}}')
[ "$(echo "$a" | jq -c '[.result, .text]')" = '[3,"stat-lease4-get[subnet-id=9]: no matching data, subnet-id: 9 does not exist"]' ] ||
	fail "stat-lease4-get subnet 9: $a"
log "stat-lease4-get: [1, 65279, 2, 1, 0]"

# 5. perfdhcp (a relay): every exchange it reports is counted.
before_d=$(stat pkt4-discover-received)
before_r=$(stat pkt4-request-received)
before_o=$(stat pkt4-offer-sent)
before_a=$(stat pkt4-ack-sent)
run_bounded 60 perfdhcp ip netns exec "$(ns pc)" perfdhcp -4 -l eth0 -r 200 \
	-R 10000000 -p 2 -W 500000 10.61.0.1 || true
out=$(bg_log perfdhcp)
read -r sent1 recv1 sent2 recv2 < <(awk '
	/Statistics for: DISCOVER-OFFER/ {s = 1} /Statistics for: REQUEST-ACK/ {s = 2}
	/sent packets:/ {sent[s] = $3} /received packets:/ {recv[s] = $3}
	END {print sent[1], recv[1], sent[2], recv[2]}' "$out")
log "perfdhcp: DISCOVER $sent1 -> OFFER $recv1; REQUEST $sent2 -> ACK $recv2"
[ "${sent1:-0}" -ge 200 ] || fail "perfdhcp sent only ${sent1:-0} DISCOVERs"
expect pkt4-discover-received $((before_d + sent1))
expect pkt4-request-received $((before_r + sent2))
expect pkt4-offer-sent $((before_o + recv1))
expect pkt4-ack-sent $((before_a + recv2))
expect 'subnet[1].assigned-addresses' $((1 + recv2))
acks=$(stat pkt4-ack-sent)

# 6. The commands' texts (Kea's) and what they do.
[ "$(text '{"command":"statistic-reset","arguments":{"name":"pkt4-nak-sent"}}')" = "Statistic 'pkt4-nak-sent' reset." ] || fail "reset text"
[ "$(text '{"command":"statistic-reset","arguments":{"name":"nope"}}')" = "No 'nope' statistic found" ] || fail "reset unknown"
[ "$(result '{"command":"statistic-reset","arguments":{"name":"nope"}}')" = 1 ] || fail "reset unknown result"
[ "$(text '{"command":"statistic-get"}')" = "Missing mandatory 'name' parameter." ] || fail "get no name"
[ "$(ctl '{"command":"statistic-get","arguments":{"name":"nope"}}' | jq -c .arguments)" = '{}' ] || fail "get unknown"
[ "$(text '{"command":"statistic-sample-count-set","arguments":{"name":"pkt4-sent","max-samples":3}}')" = "Statistic 'pkt4-sent' count limit is set." ] || fail "count-set text"
n=$(ctl '{"command":"statistic-get","arguments":{"name":"pkt4-sent"}}' | jq '.arguments["pkt4-sent"] | length')
[ "$n" -le 3 ] || fail "pkt4-sent keeps $n samples after max-samples 3"
[ "$(text '{"command":"statistic-sample-count-set-all","arguments":{"max-samples":0}}')" = "'max-samples' parameter must not be zero" ] || fail "count-set-all 0"
[ "$(text '{"command":"statistic-sample-age-set","arguments":{"name":"pkt4-received","duration":1245}}')" = "Statistic 'pkt4-received' duration limit is set." ] || fail "age-set text"
[ "$(text '{"command":"statistic-remove","arguments":{"name":"pkt4-nak-received"}}')" = "Statistic 'pkt4-nak-received' removed." ] || fail "remove text"
[ "$(text '{"command":"statistic-remove","arguments":{"name":"pkt4-nak-received"}}')" = "No 'pkt4-nak-received' statistic found" ] || fail "remove twice"
log "statistic-* texts as Kea's"

# 6b. A reconfiguration (config-reload, the same file): the global
# statistics go on, the subnet ones start again (Kea recreates them), the
# leases moved to the new engine counted as assigned.
cum=$(stat cumulative-assigned-addresses)
assigned=$(stat 'subnet[1].assigned-addresses')
[ "$(result '{"command":"config-reload"}')" = 0 ] || fail "config-reload: $(ctl '{"command":"config-reload"}')"
expect pkt4-ack-sent "$acks"
expect cumulative-assigned-addresses "$cum"
expect 'subnet[1].cumulative-assigned-addresses' 0
expect 'subnet[1].assigned-addresses' "$assigned"
expect 'subnet[1].total-addresses' 65279
log "config-reload: globals go on (ack $acks, cumulative $cum), subnet[1] recreated"

# 7. ternctl stats: the table and the JSON, socket from the configuration.
"$TERNCTL" stats -c "$TT_DIR/ternd.json" >"$TT_DIR/table" || fail "ternctl stats failed"
grep -Eq "^pkt4-ack-sent +$acks\$" "$TT_DIR/table" || fail "ternctl stats table: $(cat "$TT_DIR/table")"
grep -Eq '^subnet\[1\]\.total-addresses +65279$' "$TT_DIR/table" || fail "ternctl stats: no subnet row"
"$TERNCTL" stats --json -s "$sock" | jq -e --argjson a "$acks" '.["pkt4-ack-sent"] == $a' >/dev/null ||
	fail "ternctl stats --json: $("$TERNCTL" stats --json -s "$sock")"
log "ternctl stats: table and JSON"

# 8. /metrics: promtool's check, Stork's names and labels, and a real
# Prometheus scraping it.
nsx srv curl -sf "http://127.0.0.1:$mport/metrics" >"$TT_DIR/metrics" || fail "no /metrics"
# promtool parses the whole text (exit 1 on any format error) and lints
# it (exit 3). Stork declares its *_total metrics as gauges, and ternd keeps
# Stork's names and types, so that one lint is expected, and only it.
promtool check metrics <"$TT_DIR/metrics" >"$TT_DIR/promtool.out" 2>&1
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 3 ] || fail "promtool check metrics ($rc): $(cat "$TT_DIR/promtool.out")"
other=$(grep -v 'non-counter metrics should not have "_total" suffix$' "$TT_DIR/promtool.out")
[ -z "$other" ] || fail "promtool check metrics: $other"
grep -q '^# TYPE kea_dhcp4_packets_sent_total gauge$' "$TT_DIR/metrics" || fail "no TYPE line"
grep -q '^kea_dhcp4_addresses_total{prefix="10.61.0.0/16",subnet="10.61.0.0/16",subnet_id="1"} 65279$' \
	"$TT_DIR/metrics" || fail "per-subnet labels: $(grep addresses_total "$TT_DIR/metrics")"
nsx srv curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/other" | grep -q 404 || fail "not 404"
cat >"$TT_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: ternd
    static_configs:
      - targets: ['127.0.0.1:$mport']
YML
start_bg prometheus ip netns exec "$(ns srv)" prometheus \
	--config.file="$TT_DIR/prometheus.yml" --storage.tsdb.path="$TT_DIR/tsdb" \
	--web.listen-address="127.0.0.1:$pport"
q="http://127.0.0.1:$pport/api/v1/query?query=kea_dhcp4_packets_sent_total%7Boperation%3D%22ack%22%7D"
prom_acks() { nsx srv curl -sf "$q" | jq -r '.data.result[0].value[1]'; }
wait_for 30 eval '[ "$(prom_acks)" = "$acks" ]' ||
	fail "Prometheus has kea_dhcp4_packets_sent_total{operation=\"ack\"} $(prom_acks), not $acks"
log "Prometheus scraped ack $acks; promtool check metrics passed"

stop_bg udhcpc-c2-eth0
log "PASS"
