#!/bin/bash
# Differential control-channel test for DHCPv6 (issue 12): kea-dhcp6 and
# ternd run the same Dhcp6 configuration each in its namespace; every case
# of kea6_ctl_diff/cases.txt (config-test/-set/-reload good and bad,
# config-write, dhcp-disable/-enable, leases-reclaim, status-get,
# list-commands, build-report, unknown commands) goes to both and the
# answers are compared field by field after the masks of
# kea_ctl_diff/README.md (kea_ctl_diff/compare.py). A difference must be
# listed in kea6_ctl_diff/expected-diff.txt with its reason; a listed case
# that matches fails too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp6 python3
require_file "$TERND"
here=$(cd "$(dirname "$0")/kea6_ctl_diff" && pwd)
cmp=$(cd "$(dirname "$0")/kea_ctl_diff" && pwd)/compare.py

netns_add kea
netns_add ternd
veth_pair kea eth0 ternd eth0
for n in kea ternd; do
	nsx "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0 ||
		fail "sysctl"
done
link_down kea eth0
link_down ternd eth0
link_up kea eth0
link_up ternd eth0
for n in kea ternd; do
	wait_for 10 eval "ip -n $(ns $n) -6 -o addr show dev eth0 scope link | grep -q fe80" ||
		fail "no link-local address in $n"
done
mkdir -p "$TT_DIR/kea" "$TT_DIR/ternd"
for s in kea ternd; do
	sed "s|@DIR@|$TT_DIR/$s|g" "$here/config.json" >"$TT_DIR/$s/config.json"
done
start_bg kea ip netns exec "$(ns kea)" env KEA_PIDFILE_DIR="$TT_DIR/kea" \
	KEA_LOCKFILE_DIR="$TT_DIR/kea" kea-dhcp6 -c "$TT_DIR/kea/config.json"
start_bg ternd ip netns exec "$(ns ternd)" "$TERND" -d -c "$TT_DIR/ternd/config.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
ready() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall(b"{\"command\": \"status-get\"}")
assert b"result" in s.makefile("rb").read()' "$1/ctl.sock" 2>/dev/null
}
wait_for 15 ready "$TT_DIR/kea" ||
	fail "kea-dhcp6 did not open its socket: $(tail -5 "$(bg_log kea)")"
wait_for 5 ready "$TT_DIR/ternd" || fail "ternd's socket does not answer"
python3 "$cmp" "$here/cases.txt" "$here/expected-diff.txt" \
	"$TT_DIR/kea" "$TT_DIR/ternd" >"$TT_DIR/compare.log" 2>&1
rc=$?
cat "$TT_DIR/compare.log" >&2
[ $rc = 0 ] || fail "kea-dhcp6 and ternd answer differently (see above)"
# What the commands did, beyond their answers: the written file is
# the configuration in use, and ternd still serves after the shutdown
# refused.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["Dhcp6"]["valid-lifetime"] == 4000' \
	"$TT_DIR/ternd/written.json" || fail "config-write wrote: $(head -c 300 "$TT_DIR/ternd/written.json")"
grep -q 'SIGHUP\|config-reload: new configuration in use' "$(bg_log ternd)" ||
	fail "config-reload not applied: $(tail -3 "$(bg_log ternd)")"
kill -0 "$(bg_pid ternd)" || fail "ternd died"
log "$(grep -c '^match' "$TT_DIR/compare.log") cases match, $(grep -c '^expected diff' "$TT_DIR/compare.log") differ as listed"
log "PASS"
