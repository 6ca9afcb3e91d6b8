#!/bin/bash
# Differential test of lease_cmds and stat_cmds for DHCPv6: kea-dhcp6 with
# Debian's libdhcp_lease_cmds.so and libdhcp_stat_cmds.so and ternd serve
# the same Dhcp6 configuration in turn (in a namespace, memfile and control
# socket in the test's directory, each from an empty lease database) and get
# the same commands (kea_lease6_cmds/commands.txt: good, bad, missing and
# extra arguments, paging, bulk-apply, wipe by subnet); their answers are
# compared field by field (kea_lease_cmds/compare.py, which lists its
# masks). The differences docs/control.md documents are listed, with the
# answer ternd must give, in kea_lease6_cmds/differences.txt.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp6 python3
require_file "$TERND"
hooks=/usr/lib/x86_64-linux-gnu/kea/hooks
require_file "$hooks/libdhcp_lease_cmds.so"
require_file "$hooks/libdhcp_stat_cmds.so"
here="$(dirname "$0")/kea_lease6_cmds"
v4="$(dirname "$0")/kea_lease_cmds"

netns_add srv
netns_add cl
veth_pair srv eth0 cl eth0
nsx srv sysctl -qw net.ipv6.conf.all.accept_dad=0 || fail "sysctl"
ip -n "$(ns srv)" -6 addr add 2001:db8:1::1/64 dev eth0 nodad || fail "addr"

config() { # DIR: the same configuration, its files in DIR
	cat <<JSON
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "memfile", "name": "$1/leases6.csv", "lfc-interval": 0},
  "control-socket": {"socket-type": "unix", "socket-name": "$1/ctl.sock"},
  "server-id": {"type": "EN", "enterprise-id": 2495, "identifier": "0102030405", "persist": false},
  "hooks-libraries": [{"library": "$hooks/libdhcp_lease_cmds.so"},
                      {"library": "$hooks/libdhcp_stat_cmds.so"}],
  "preferred-lifetime": 3000, "valid-lifetime": 3600,
  "subnet6": [
    {"id": 1, "subnet": "2001:db8:1::/64", "interface": "eth0",
     "pools": [{"pool": "2001:db8:1::100 - 2001:db8:1::1ff"}],
     "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48, "delegated-len": 56}]},
    {"id": 2, "subnet": "2001:db8:2::/64", "valid-lifetime": 2000, "preferred-lifetime": 1500,
     "pools": [{"pool": "2001:db8:2::10 - 2001:db8:2::20"}]}],
  "loggers": [{"name": "kea-dhcp6", "output_options": [{"output": "stdout"}],
               "severity": "INFO"}]
}}
JSON
}

run() { # NAME DIR CMD...: start, drive the commands, stop
	local name=$1 d=$2
	shift 2
	mkdir -p "$d"
	config "$d" >"$d/config.json"
	start_bg "$name" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$d" \
		KEA_LOCKFILE_DIR=none "$@" -c "$d/config.json"
	wait_for 15 test -S "$d/ctl.sock" || fail "$name: no control socket: $(tail -5 "$(bg_log "$name")")"
	python3 "$v4/drive.py" "$d/ctl.sock" "$here/commands.txt" "$d/answers.jsonl" ||
		fail "$name: the commands did not all get an answer"
	stop_bg "$name"
}

run kea "$TT_DIR/kea" kea-dhcp6
run ternd "$TT_DIR/ternd" "$TERND" -d
python3 "$v4/compare.py" "$TT_DIR/kea/answers.jsonl" "$TT_DIR/ternd/answers.jsonl" \
	"$here/differences.txt" >"$TT_DIR/diff.txt"
rc=$?
cat "$TT_DIR/diff.txt" >&2
if [ -n "${KEA_DIFF_KEEP:-}" ]; then
	mkdir -p "$KEA_DIFF_KEEP"
	cp "$TT_DIR"/kea/answers.jsonl "$KEA_DIFF_KEEP/kea6.jsonl"
	cp "$TT_DIR"/ternd/answers.jsonl "$KEA_DIFF_KEEP/ternd6.jsonl"
fi
[ $rc = 0 ] || fail "ternd's lease6 answers differ from kea-dhcp6's"
log "PASS"
