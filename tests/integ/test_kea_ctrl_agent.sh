#!/bin/bash
# Debian's real kea-ctrl-agent fronts ternd's control socket as its dhcp4
# service: curl (POST) and kea-shell get version-get, config-get,
# status-get, list-commands, statistics and leases from ternd through it,
# as Stork would; a lease deleted through it is gone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-ctrl-agent kea-shell curl python3
require_file "$TERND"

netns_add srv
netns_add cli
veth_pair srv eth0 cli eth0
addr_add srv eth0 10.252.0.1/24
sock="$TT_DIR/ternd.sock"
hooks=/usr/lib/x86_64-linux-gnu/kea/hooks
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "memfile", "persist": false},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "hooks-libraries": [{"library": "$hooks/libdhcp_lease_cmds.so"},
                      {"library": "$hooks/libdhcp_stat_cmds.so"}],
  "subnet4": [{"id": 7, "subnet": "10.252.0.0/24",
               "pools": [{"pool": "10.252.0.100 - 10.252.0.109"}]}]
}}
JSON
port=18000
cat >"$TT_DIR/ca.json" <<JSON
{"Control-agent": {
  "http-host": "127.0.0.1", "http-port": $port,
  "control-sockets": {"dhcp4": {"socket-type": "unix", "socket-name": "$sock"}},
  "loggers": [{"name": "kea-ctrl-agent", "severity": "INFO",
               "output_options": [{"output": "stdout"}]}]
}}
JSON
ternd_start srv "$TT_DIR/ternd.json"
tpid=$(pgrep -P "$(bg_pid ternd)" ternd || bg_pid ternd)
start_bg ca ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$TT_DIR" \
	KEA_LOCKFILE_DIR="$TT_DIR" kea-ctrl-agent -c "$TT_DIR/ca.json"

# post COMMAND: the CA's HTTP answer to {"command": COMMAND, "service": ["dhcp4"]}.
post() {
	ip netns exec "$(ns srv)" curl -s --max-time 10 -X POST \
		-H 'Content-Type: application/json' \
		-d "{\"command\": \"$1\", \"service\": [\"dhcp4\"]}" \
		"http://127.0.0.1:$port/"
}
wait_for 10 eval 'post version-get | grep -q result' ||
	fail "kea-ctrl-agent does not answer: $(tail -5 "$(bg_log ca)")"

# check NAME ANSWER PYTHON: the CA's list, its one element as a, asserted.
check() {
	python3 - "$2" "$tpid" "$("$TERND" -V | awk '{print $2}')" <<PY || fail "$1: $2"
import json, sys
l = json.loads(sys.argv[1]); pid = int(sys.argv[2]); version = sys.argv[3]
assert isinstance(l, list) and len(l) == 1, l
a = l[0]
$3
PY
	log "$1 through kea-ctrl-agent: ok"
}
check version-get "$(post version-get)" '
assert a["result"] == 0 and a["text"] == version, a
assert a["arguments"]["extended"].startswith(version + "\n"), a'
check status-get "$(post status-get)" '
g = a["arguments"]
assert a["result"] == 0 and g["pid"] == pid, a
assert g["multi-threading-enabled"] is False and g["sockets"] == {"status": "ready"}, a
assert g["uptime"] >= 0 and g["reload"] >= 0, a'
check config-get "$(post config-get)" '
d = a["arguments"]["Dhcp4"]
assert a["result"] == 0, a
assert d["subnet4"][0]["subnet"] == "10.252.0.0/24" and d["subnet4"][0]["id"] == 7, d
libs = [h["library"] for h in d["hooks-libraries"]]
assert any("libdhcp_lease_cmds" in x for x in libs) and any("libdhcp_stat_cmds" in x for x in libs), libs'
check list-commands "$(post list-commands)" '
c = a["arguments"]
assert a["result"] == 0 and "text" not in a, a
assert c == sorted(c), c
for n in ("build-report", "config-get", "config-test", "config-write", "dhcp-disable",
          "dhcp-enable", "leases-reclaim", "list-commands", "shutdown", "status-get", "version-get"):
    assert n in c, (n, c)'
check unknown "$(post foo-bar)" '
assert a == {"result": 2, "text": "'"'"'foo-bar'"'"' command not supported."}, a'

# kea-shell (python urllib, arguments on stdin) prints the CA's body.
for cmd in version-get status-get config-get list-commands; do
	out=$(ip netns exec "$(ns srv)" timeout 20 kea-shell --host 127.0.0.1 \
		--port "$port" --service dhcp4 "$cmd" </dev/null) ||
		fail "kea-shell $cmd failed: $out"
	case "$cmd" in
	version-get) check "kea-shell $cmd" "$out" 'assert a["text"] == version, a' ;;
	status-get) check "kea-shell $cmd" "$out" 'assert a["arguments"]["pid"] == pid, a' ;;
	config-get) check "kea-shell $cmd" "$out" 'assert "Dhcp4" in a["arguments"], a' ;;
	list-commands) check "kea-shell $cmd" "$out" 'assert "status-get" in a["arguments"], a' ;;
	esac
done

# dhcp-disable through the agent: ternd drops queries until dhcp-enable.
postj() {
	ip netns exec "$(ns srv)" curl -s --max-time 10 -X POST \
		-H 'Content-Type: application/json' -d "$1" "http://127.0.0.1:$port/"
}
check dhcp-disable "$(postj '{"command": "dhcp-disable", "service": ["dhcp4"]}')" '
assert a == {"result": 0, "text": "DHCPv4 service disabled"}, a'
! udhcpc_run cli eth0 || fail "a lease while DHCP was disabled"
check dhcp-enable "$(postj '{"command": "dhcp-enable", "service": ["dhcp4"]}')" '
assert a == {"result": 0, "text": "DHCP service successfully enabled"}, a'
udhcpc_run cli eth0 || fail "no lease after dhcp-enable"
log "dhcp-disable dropped the client's queries, dhcp-enable served them"

# Statistics and leases through the agent (what Stork reads), and a lease
# deleted through it is gone.
check statistic-get-all "$(post statistic-get-all)" '
g = a["arguments"]
assert a["result"] == 0, a
assert g["pkt4-ack-sent"][0][0] >= 1 and g["pkt4-request-received"][0][0] >= 1, g
assert g["subnet[7].assigned-addresses"][0][0] == 1, g["subnet[7].assigned-addresses"]
assert g["subnet[7].total-addresses"][0][0] == 10, g["subnet[7].total-addresses"]'
out=$(echo '"name": "pkt4-ack-sent"' | ip netns exec "$(ns srv)" timeout 20 \
	kea-shell --host 127.0.0.1 --port "$port" --service dhcp4 statistic-get) ||
	fail "kea-shell statistic-get failed: $out"
check "kea-shell statistic-get" "$out" '
assert a["result"] == 0 and a["arguments"]["pkt4-ack-sent"][0][0] >= 1, a'
check stat-lease4-get "$(post stat-lease4-get)" '
r = a["arguments"]["result-set"]
assert a["result"] == 0 and r["rows"][0][0] == 7 and r["rows"][0][3] == 1, a'
out=$(ip netns exec "$(ns srv)" timeout 20 kea-shell --host 127.0.0.1 \
	--port "$port" --service dhcp4 lease4-get-all </dev/null) ||
	fail "kea-shell lease4-get-all failed: $out"
check "kea-shell lease4-get-all" "$out" '
l = a["arguments"]["leases"]
assert a["result"] == 0 and len(l) == 1 and l[0]["subnet-id"] == 7, a
assert l[0]["ip-address"].startswith("10.252.0.10"), l'
leased=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[0]["arguments"]["leases"][0]["ip-address"])' "$out")
check lease4-del "$(postj '{"command": "lease4-del", "service": ["dhcp4"], "arguments": {"ip-address": "'"$leased"'"}}')" '
assert a == {"result": 0, "text": "IPv4 lease deleted."}, a'
check "lease4-get after del" "$(postj '{"command": "lease4-get", "service": ["dhcp4"], "arguments": {"ip-address": "'"$leased"'"}}')" '
assert a == {"result": 3, "text": "Lease not found."}, a'
check "statistic after del" "$(postj '{"command": "statistic-get", "service": ["dhcp4"], "arguments": {"name": "subnet[7].assigned-addresses"}}')" '
assert a["arguments"]["subnet[7].assigned-addresses"][0][0] == 0, a'
log "statistics and leases through kea-ctrl-agent; a lease deleted through it is gone"

# shutdown with an exit value: ternd answers, stops cleanly, exits with it.
check shutdown "$(postj '{"command": "shutdown", "service": ["dhcp4"], "arguments": {"exit-value": 3}}')" '
assert a == {"result": 0, "text": "Shutting down."}, a'
wait_bg ternd 10
rc=$?
[ "$rc" = 3 ] || fail "ternd exited with $rc after shutdown {exit-value: 3}"
[ ! -e "$sock" ] || fail "ternd left its socket behind"
stop_bg ca
log "PASS"
