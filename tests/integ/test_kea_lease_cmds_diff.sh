#!/bin/bash
# Differential test of lease_cmds: kea-dhcp4 with Debian's
# libdhcp_lease_cmds.so and ternd serve the same configuration in turn (in
# a namespace, control socket in the test's directory, each from an empty
# lease database) and get the same commands
# (kea_lease_cmds/commands.txt); their answers are compared field by field
# (kea_lease_cmds/compare.py, which lists its masks). A second round with
# DDNS on (kea_lease_cmds/commands_ddns.txt) also compares the name change
# requests each sends (lease4-resend-ddns, lease4-del with update-ddns) to
# a stand-in for kea-dhcp-ddns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd kea-dhcp4 python3
require_file "$TERND"
hooks=/usr/lib/x86_64-linux-gnu/kea/hooks
require_file "$hooks/libdhcp_lease_cmds.so"
here="$(dirname "$0")/kea_lease_cmds"

netns_add srv
netns_add cl
veth_pair srv eth0 cl eth0
addr_add srv eth0 192.0.2.1/24

D2_PORT=53011
DD="$(dirname "$0")/ddns"

config() { # DIR [DDNS]: the same configuration, its files in DIR
	local ddns=""
	[ -n "${2:-}" ] && ddns='"dhcp-ddns": {"enable-updates": true, "server-ip": "127.0.0.1", "server-port": '$D2_PORT'},'
	cat <<JSON
{"Dhcp4": {
  $ddns
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "memfile", "name": "$1/leases4.csv", "lfc-interval": 0},
  "control-socket": {"socket-type": "unix", "socket-name": "$1/ctl.sock"},
  "hooks-libraries": [{"library": "$hooks/libdhcp_lease_cmds.so"}],
  "valid-lifetime": 3600,
  "subnet4": [
    {"id": 1, "subnet": "192.0.2.0/24",
     "pools": [{"pool": "192.0.2.100 - 192.0.2.109"}]},
    {"id": 2, "subnet": "198.51.100.0/24", "valid-lifetime": 2000,
     "pools": [{"pool": "198.51.100.10 - 198.51.100.20"}]}],
  "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}],
               "severity": "INFO"}]
}}
JSON
}

run() { # NAME DIR COMMANDS [DDNS] CMD...: start, drive the commands, stop
	local name=$1 d=$2 commands=$3 ddns=$4
	shift 4
	mkdir -p "$d"
	config "$d" $ddns >"$d/config.json"
	start_bg "$name" ip netns exec "$(ns srv)" env KEA_PIDFILE_DIR="$d" \
		KEA_LOCKFILE_DIR=none "$@" -c "$d/config.json"
	wait_for 15 test -S "$d/ctl.sock" || fail "$name: no control socket: $(tail -5 "$(bg_log "$name")")"
	python3 "$here/drive.py" "$d/ctl.sock" "$here/$commands" "$d/answers.jsonl" ||
		fail "$name: the commands did not all get an answer"
	stop_bg "$name"
}

run kea "$TT_DIR/kea" commands.txt "" kea-dhcp4
run ternd "$TT_DIR/ternd" commands.txt "" "$TERND" -d
python3 "$here/compare.py" "$TT_DIR/kea/answers.jsonl" "$TT_DIR/ternd/answers.jsonl" >"$TT_DIR/diff.txt"
rc=$?

# DDNS on: the answers, and the NCRs (two: the resend, the del with
# update-ddns; the other commands must send none).
for who in kea ternd; do
	d="$TT_DIR/$who-ddns"
	mkdir -p "$d"
	start_bg "$who-listen" ip netns exec "$(ns srv)" python3 "$DD/ncr_listen.py" 127.0.0.1 "$D2_PORT" "$d/ncr.jsonl"
	wait_file_contains 5 "$d/ncr.jsonl" '^READY$' || fail "NCR listener did not start"
	if [ $who = kea ]; then
		run kea "$d" commands_ddns.txt ddns kea-dhcp4
	else
		run ternd "$d" commands_ddns.txt ddns "$TERND" -d
	fi
	wait_for 10 eval "[ \$(grep -vc '^READY\$' '$d/ncr.jsonl') -ge 2 ]" || fail "$who sent $(grep -vc '^READY$' "$d/ncr.jsonl") NCRs, want 2"
	stop_bg "$who-listen"
	grep -v '^READY$' "$d/ncr.jsonl" >"$d/ncr.txt"
done
python3 "$here/compare.py" "$TT_DIR/kea-ddns/answers.jsonl" "$TT_DIR/ternd-ddns/answers.jsonl" >>"$TT_DIR/diff.txt" || rc=1
if ! diff -u "$TT_DIR/kea-ddns/ncr.txt" "$TT_DIR/ternd-ddns/ncr.txt" >>"$TT_DIR/diff.txt"; then
	rc=1
fi
cat "$TT_DIR/diff.txt" >&2
log "$(wc -l <"$TT_DIR/ternd-ddns/ncr.txt") NCRs alike"
if [ -n "${KEA_DIFF_KEEP:-}" ]; then
	mkdir -p "$KEA_DIFF_KEEP"
	cp "$TT_DIR"/kea/answers.jsonl "$KEA_DIFF_KEEP/kea.jsonl"
	cp "$TT_DIR"/ternd/answers.jsonl "$KEA_DIFF_KEEP/ternd.jsonl"
fi
[ $rc = 0 ] || fail "ternd's lease_cmds answers differ from kea-dhcp4's"
log "PASS"
