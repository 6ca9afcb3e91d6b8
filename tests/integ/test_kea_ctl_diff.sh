#!/bin/bash
# Differential control-channel test: kea-dhcp4 and ternd run the same
# configuration (lease_cmds, stat_cmds hooks) each in its namespace; every
# case of kea_ctl_diff/cases.txt goes to both and the answers are compared
# field by field after the masks of kea_ctl_diff/README.md. A difference
# must be listed in kea_ctl_diff/expected-diff.txt with its reason; a listed
# case that matches fails too (the list must shrink as ternd catches up).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 python3
require_file "$TERND"
here=$(cd "$(dirname "$0")/kea_ctl_diff" && pwd)

netns_add kea
netns_add ternd
veth_pair kea eth0 ternd eth0
addr_add kea eth0 10.253.0.1/24
addr_add ternd eth0 10.253.0.2/24
mkdir -p "$TT_DIR/kea" "$TT_DIR/ternd"
for s in kea ternd; do
	sed "s|@DIR@|$TT_DIR/$s|g" "$here/config.json" >"$TT_DIR/$s/config.json"
done
start_bg kea ip netns exec "$(ns kea)" env KEA_PIDFILE_DIR="$TT_DIR/kea" \
	KEA_LOCKFILE_DIR="$TT_DIR/kea" kea-dhcp4 -c "$TT_DIR/kea/config.json"
ternd_start ternd "$TT_DIR/ternd/config.json"
ready() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall(b"{\"command\": \"status-get\"}")
assert b"result" in s.makefile("rb").read()' "$1/ctl.sock" 2>/dev/null
}
wait_for 15 ready "$TT_DIR/kea" ||
	fail "kea-dhcp4 did not open its socket: $(tail -5 "$(bg_log kea)")"
wait_for 5 ready "$TT_DIR/ternd" || fail "ternd's socket does not answer"
python3 "$here/compare.py" "$here/cases.txt" "$here/expected-diff.txt" \
	"$TT_DIR/kea" "$TT_DIR/ternd" >"$TT_DIR/compare.log" 2>&1
rc=$?
cat "$TT_DIR/compare.log" >&2
[ $rc = 0 ] || fail "kea and ternd answer differently (see above)"
log "$(grep -c '^match' "$TT_DIR/compare.log") cases match, $(grep -c '^expected diff' "$TT_DIR/compare.log") differ as listed"
log "PASS"
