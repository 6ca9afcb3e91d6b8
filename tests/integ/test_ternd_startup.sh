#!/bin/bash
# ternd started by hand, without -d (log to syslog): every start-up failure
# is on stderr too, with a non-zero exit; the directories the configuration
# names (store, control socket) are created.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_file "$TERND"

netns_add srv
netns_add c1
veth_pair srv eth0 c1 eth0
addr_add srv eth0 10.62.0.1/24

# cfg NAME STORE CTL: a configuration with this store and control socket.
cfg() {
	cat >"$TT_DIR/$1.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "sqlite", "name": "$2"},
  "control-socket": {"socket-type": "unix", "socket-name": "$3"},
  "subnet4": [{"id": 1, "subnet": "10.62.0.0/24",
               "pools": [{"pool": "10.62.0.10 - 10.62.0.20"}]}]
}}
JSON
	printf '%s' "$TT_DIR/$1.json"
}
: >"$TT_DIR/afile"

# expect_fail NAME CONFIG PATTERN: ternd exits non-zero within 10 s and
# says PATTERN on stderr.
expect_fail() {
	local name=$1 c=$2 pat=$3 rc=0
	run_bounded 10 "$name" ip netns exec "$(ns srv)" "$TERND" -c "$c" || rc=$?
	[ "$rc" != 0 ] || fail "$name: ternd exited 0"
	grep -Eq "$pat" "$(bg_log "$name")" ||
		fail "$name: stderr does not say '$pat': $(cat "$(bg_log "$name")")"
	log "$name: exit $rc, stderr: $(head -1 "$(bg_log "$name")")"
}
expect_fail store "$(cfg store "$TT_DIR/afile/leases.sqlite" "$TT_DIR/ctl.sock")" \
	'directory of .*afile/leases.sqlite.*Not a directory'
expect_fail ctl "$(cfg ctl "$TT_DIR/ok/leases.sqlite" "$TT_DIR/afile/ctl.sock")" \
	'control socket .*afile/ctl.sock.*Not a directory'

# A missing interface, and one without an IPv4 address, are named.
sed 's/"interfaces": \["eth0"\]/"interfaces": ["lan0"]/' "$(cfg noif "$TT_DIR/n/l.sqlite" "$TT_DIR/n/c.sock")" >"$TT_DIR/noif2.json"
expect_fail noif "$TT_DIR/noif2.json" 'interface lan0 \(interfaces-config\) does not exist'
# An empty interface list (as Debian's kea-dhcp4.conf ships it) says so.
sed 's/"interfaces": \["eth0"\]/"interfaces": [ ]/' "$(cfg noifs "$TT_DIR/e/l.sqlite" "$TT_DIR/e/c.sock")" >"$TT_DIR/noifs2.json"
expect_fail noifs "$TT_DIR/noifs2.json" 'interfaces-config lists no interface'
ip -n "$(ns srv)" link add noaddr0 type bridge && ip -n "$(ns srv)" link set noaddr0 up || fail "bridge"
sed 's/"interfaces": \["eth0"\]/"interfaces": ["noaddr0"]/' "$(cfg noaddr "$TT_DIR/m/l.sqlite" "$TT_DIR/m/c.sock")" >"$TT_DIR/noaddr2.json"
expect_fail noaddr "$TT_DIR/noaddr2.json" 'interface noaddr0 has no IPv4 address'

# Directories that do not exist yet are made; ternd serves without -d.
c=$(cfg good "$TT_DIR/var/lib/x/leases.sqlite" "$TT_DIR/run/y/ternd.sock")
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -c "$c"
wait_for 10 test -S "$TT_DIR/run/y/ternd.sock" || fail "no control socket"
[ "$(stat -c %a "$TT_DIR/run/y")" = 755 ] || fail "control dir mode"
[ "$(stat -c %a "$TT_DIR/var/lib/x")" = 750 ] || fail "store dir mode"
[ -f "$TT_DIR/var/lib/x/leases.sqlite" ] || fail "no store"
stop_bg ternd
[ ! -s "$(bg_log ternd)" ] || fail "ternd wrote to stderr while serving: $(cat "$(bg_log ternd)")"
# Kea's logger output: a file (its directory made), as Kea users set it.
sed 's|"subnet4"|"loggers": [{"name": "kea-dhcp4", "severity": "INFO", "output_options": [{"output": "'"$TT_DIR"'/log/k/kea-dhcp4.log"}]}],\n  "subnet4"|' \
	"$(cfg logf "$TT_DIR/f/l.sqlite" "$TT_DIR/f/c.sock")" >"$TT_DIR/logf2.json"
start_bg ternd-logf ip netns exec "$(ns srv)" "$TERND" -c "$TT_DIR/logf2.json"
wait_file_contains 10 "$TT_DIR/log/k/kea-dhcp4.log" 'serving 1 subnets' ||
	fail "no log file: $(cat "$(bg_log ternd-logf)")"
stop_bg ternd-logf
grep -q 'shutting down' "$TT_DIR/log/k/kea-dhcp4.log" || fail "log file incomplete"
log "PASS"
