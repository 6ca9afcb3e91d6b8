#!/bin/bash
# The hook libraries follow a reconfiguration: after config-set moves the
# forensic log (legal_log) to another directory and names another
# run_script script, a new lease is logged in the new log only and runs
# the new script only; leases before the swap stay where they were written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc
TERNCTL="${TERN_BUILD:-build}/src/ctl/ternctl"
require_file "$TERND" "$TERNCTL"

netns_add srv
for c in c1 c2; do
	netns_add "$c"
	veth_pair srv "p-$c" "$c" eth0
done
bridge_add srv br0 p-c1 p-c2
addr_add srv br0 10.72.0.1/24
ip -n "$(ns c1)" link set eth0 address 02:72:00:00:00:01
ip -n "$(ns c2)" link set eth0 address 02:72:00:00:00:02
sock="$TT_DIR/ctl.sock"

# conf N: legal log in legalN/, script recordN.sh (writes to outN/).
conf() {
	mkdir -p "$TT_DIR/legal$1" "$TT_DIR/out$1"
	cat >"$TT_DIR/record$1.sh" <<EOF
#!/bin/sh
{ echo "call \$1"; /usr/bin/env; } >>"$TT_DIR/out$1/calls"
EOF
	chmod 755 "$TT_DIR/record$1.sh"
	cat >"$TT_DIR/conf$1.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["br0"]},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/leases.sqlite"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "valid-lifetime": 600,
  "hooks-libraries": [
    {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_legal_log.so",
     "parameters": {"path": "$TT_DIR/legal$1", "base-name": "forensic"}},
    {"library": "/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_run_script.so",
     "parameters": {"name": "$TT_DIR/record$1.sh", "sync": false}}],
  "subnet4": [{"id": 1, "subnet": "10.72.0.0/24",
               "pools": [{"pool": "10.72.0.100 - 10.72.0.150"}]}]
}}
JSON
}
conf 1
conf 2
"$TERND" -t "$TT_DIR/conf1.json" >/dev/null || fail "config check"
ternd_start srv "$TT_DIR/conf1.json"

udhcpc_run c1 eth0 || fail "c1 got no lease"
wait_for 10 grep -q '=02:72:00:00:00:01' "$TT_DIR/out1/calls" 2>/dev/null ||
	fail "record1.sh not run for c1"
wait_for 10 eval "cat '$TT_DIR'/legal1/forensic* 2>/dev/null | grep -q '02:72:00:00:00:01'" ||
	fail "c1 not in legal1"

"$TERNCTL" config set -s "$sock" "$TT_DIR/conf2.json" || fail "config set"
udhcpc_run c2 eth0 || fail "c2 got no lease"
wait_for 10 grep -q '=02:72:00:00:00:02' "$TT_DIR/out2/calls" 2>/dev/null ||
	fail "record2.sh not run for c2: $(cat "$TT_DIR"/out*/calls)"
wait_for 10 eval "cat '$TT_DIR'/legal2/forensic* 2>/dev/null | grep -q '02:72:00:00:00:02'" ||
	fail "c2 not in legal2"
grep -q '=02:72:00:00:00:02' "$TT_DIR/out1/calls" && fail "the old script ran for c2"
cat "$TT_DIR"/legal1/forensic* | grep -q '02:72:00:00:00:02' && fail "c2 in the old forensic log"
grep -q '=02:72:00:00:00:01' "$TT_DIR/out2/calls" && fail "the new script ran for c1"
kill -0 "$(bg_pid ternd)" || fail "ternd died"
log "PASS"
