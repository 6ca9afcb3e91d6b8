#!/bin/bash
# interfaces-config "service-sockets-max-retries" / "-retry-wait-time"
# (Kea's CfgIface::openSocketsWithRetry): while another socket holds port
# 67, ternd tries again that many times, that far apart, each failure
# logged; when the retries are exhausted it says so on stderr and exits
# non-zero; when the port comes free in time it serves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd udhcpc python3
require_file "$TERND"

netns_add srv
netns_add c1
veth_pair srv eth0 c1 eth0
addr_add srv eth0 10.62.0.1/24

# cfg NAME RETRIES WAIT_MS: the configuration file's path.
cfg() {
	cat >"$TT_DIR/$1.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"],
                        "service-sockets-require-all": true,
                        "service-sockets-max-retries": $2,
                        "service-sockets-retry-wait-time": $3},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/$1.sqlite"},
  "subnet4": [{"id": 1, "subnet": "10.62.0.0/24",
               "pools": [{"pool": "10.62.0.10 - 10.62.0.20"}]}]
}}
JSON
	printf '%s' "$TT_DIR/$1.json"
}

# hold NAME: a socket on 0.0.0.0:67 (no SO_REUSEADDR) in srv: ternd's
# bind fails with EADDRINUSE until it goes.
hold() {
	start_bg "$1" ip netns exec "$(ns srv)" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 67))
print("held", flush=True)
time.sleep(300)'
	wait_file_contains 10 "$(bg_log "$1")" held || fail "$1: port 67 not held"
}

hold holder
# No retries (Kea's default): the first failure ends the start.
rc=0
run_bounded 20 none ip netns exec "$(ns srv)" "$TERND" -c "$(cfg none 0 100)" || rc=$?
[ "$rc" != 0 ] || fail "none: ternd exited 0"
grep -q 'cannot open the DHCP sockets: Address already in use' "$(bg_log none)" ||
	fail "none: $(cat "$(bg_log none)")"
! grep -q 'trying again' "$(bg_log none)" || fail "none: retried"

# Two retries, 100 ms apart: three attempts, then a non-zero exit.
rc=0
run_bounded 20 two ip netns exec "$(ns srv)" "$TERND" -d -c "$(cfg two 2 100)" || rc=$?
[ "$rc" != 0 ] || fail "two: ternd exited 0"
[ "$(grep -c 'trying again in 100 ms' "$(bg_log two)")" = 2 ] ||
	fail "two: not two retries: $(cat "$(bg_log two)")"
grep -q 'after 2 retries (service-sockets-max-retries): giving up' "$(bg_log two)" ||
	fail "two: no final error: $(cat "$(bg_log two)")"
log "two: exit $rc after $(grep -c 'trying again' "$(bg_log two)") retries"

# Without -d (the log goes to syslog) the final error is on stderr too.
rc=0
run_bounded 20 quiet ip netns exec "$(ns srv)" "$TERND" -c "$(cfg quiet 1 50)" || rc=$?
[ "$rc" != 0 ] || fail "quiet: ternd exited 0"
grep -q 'giving up' "$(bg_log quiet)" || fail "quiet: stderr: $(cat "$(bg_log quiet)")"

# The port comes free during the retries: ternd serves.
start_bg late ip netns exec "$(ns srv)" "$TERND" -d -c "$(cfg late 100 100)"
wait_file_contains 10 "$(bg_log late)" 'trying again' || fail "late: no retry: $(cat "$(bg_log late)")"
stop_bg holder
wait_file_contains 15 "$(bg_log late)" 'serving [0-9]+ subnets' ||
	fail "late: did not start: $(tail -5 "$(bg_log late)")"
udhcpc_run c1 eth0 || fail "late: no lease"
log "late: served $(rec_get c1 eth0 udhcpc ip) after $(grep -c 'trying again' "$(bg_log late)") retries"
stop_bg late
log "PASS"
