#!/bin/bash
# DHCPv6 operations (issue 12): ended bindings are reclaimed on their own
# time (the expiry timer of daemon6: rows become Kea's expired-reclaimed,
# state 2); the control socket answers Kea's commands for a Dhcp6 ternd
# (status-get, version-get, config-get, list-commands, Kea's DHCPv6
# statistics, shutdown); ternd runs as user-context.ternd's user.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/ternd_ctl_lib.sh"

tt_init
require_root
require_cmd perfdhcp sqlite3 python3
require_file "$TERND"

v6_link srv v6s cli v6c

db="$TT_DIR/store/leases6.sqlite"
sock="$TT_DIR/ctl6.sock"
cat >"$TT_DIR/ternd6.json" <<EOF2
{"Dhcp6": {
  "interfaces-config": {"interfaces": ["v6s"]},
  "lease-database": {"type": "memfile", "name": "$TT_DIR/store/leases6.csv"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "user-context": {"ternd": {"user": "nobody"}},
  "preferred-lifetime": 2, "valid-lifetime": 3,
  "expired-leases-processing": {"reclaim-timer-wait-time": 3600},
  "subnet6": [{"id": 1, "subnet": "2001:db8:1::/64", "interface": "v6s",
    "pools": [{"pool": "2001:db8:1::100-2001:db8:1::1ff"}],
    "pd-pools": [{"prefix": "2001:db8:8000::", "prefix-len": 48,
                  "delegated-len": 56}]}]
}}
EOF2
start_bg ternd ip netns exec "$(ns srv)" "$TERND" -d -c "$TT_DIR/ternd6.json"
wait_file_contains 10 "$(bg_log ternd)" 'serving DHCPv6' ||
	fail "ternd did not start: $(tail -5 "$(bg_log ternd)")"
chmod 755 "$TT_DIR"
pid=$(bg_pid ternd)
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = "$(id -u nobody)" ] || fail "ternd runs as uid $uid, not nobody"
ctl() { ctl_raw "$sock" "$1"; }
stat() { json_get "$(ctl '{"command": "statistic-get", "arguments": {"name": "'"$1"'"}}')" arguments "$1" 0 0; }

# ---- expiry: 5 clients bound for 3 s, then reclaimed by leases-reclaim
# (the timer waits an hour here, so the checks while bound do not race a
# reclamation on a loaded machine; integ.ternd_v6_expiry has the timer) ----
run_bounded 30 perfdhcp ip netns exec "$(ns cli)" perfdhcp -6 -l v6c \
	-e address-and-prefix -R 5 -r 5 -n 5
state_count() { sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE state = $1;"; }
wait_for 10 eval '[ "$(state_count 0)" -ge 6 ]' ||
	fail "no bindings stored: $(sqlite3 "$db" 'SELECT type, state FROM lease6')"
bound=$(state_count 0)
log "$bound bindings stored; waiting for their end (valid 3 s)"
# ---- the control socket while bound ----
a=$(ctl '{"command": "status-get"}')
[ "$(json_get "$a" result)" = 0 ] && [ "$(json_get "$a" arguments pid)" = "$pid" ] ||
	fail "status-get: $a"
a=$(ctl '{"command": "version-get"}')
[ "$(json_get "$a" result)" = 0 ] && [ -n "$(json_get "$a" text)" ] || fail "version-get: $a"
a=$(ctl '{"command": "list-commands"}')
for c in status-get version-get config-get shutdown statistic-get statistic-get-all; do
	echo "$a" | grep -q "\"$c\"" || fail "list-commands lacks $c: $a"
done
a=$(ctl '{"command": "config-get"}')
[ "$(json_get "$a" arguments Dhcp6 valid-lifetime)" = 3 ] || fail "config-get: $a"
na=$(sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = 0")
pd=$(sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE type = 2")
[ "$(stat 'subnet[1].assigned-nas')" = "$na" ] || fail "assigned-nas $(stat 'subnet[1].assigned-nas') != $na rows"
[ "$(stat 'subnet[1].assigned-pds')" = "$pd" ] || fail "assigned-pds $(stat 'subnet[1].assigned-pds') != $pd rows"
[ "$(stat 'subnet[1].cumulative-assigned-nas')" = "$na" ] || fail "cumulative-assigned-nas"
[ "$(stat 'cumulative-assigned-pds')" = "$pd" ] || fail "cumulative-assigned-pds"
[ "$(stat 'subnet[1].total-nas')" = 256 ] || fail "total-nas: $(stat 'subnet[1].total-nas')"
[ "$(stat 'subnet[1].total-pds')" = 256 ] || fail "total-pds: $(stat 'subnet[1].total-pds')"
[ "$(stat pkt6-solicit-received)" -ge 5 ] || fail "pkt6-solicit-received: $(stat pkt6-solicit-received)"
[ "$(stat pkt6-reply-sent)" -ge "$na" ] || fail "pkt6-reply-sent: $(stat pkt6-reply-sent)"
[ "$(stat pkt6-advertise-sent)" -ge 5 ] || fail "pkt6-advertise-sent: $(stat pkt6-advertise-sent)"
log "control socket: status, version, config, statistics agree with the store"
running() { sqlite3 "$db" "SELECT count(*) FROM lease6 WHERE expire > strftime('%s', 'now')"; }
wait_for 10 eval '[ "$(running)" = 0 ]' || fail "bindings did not end"
a=$(ctl '{"command": "leases-reclaim", "arguments": {"remove": false}}')
[ "$(json_get "$a" result)" = 0 ] || fail "leases-reclaim: $a"
wait_for 15 eval '[ "$(state_count 0)" = 0 ] && [ "$(state_count 2)" = '"$bound"' ]' ||
	fail "not reclaimed: $(sqlite3 "$db" 'SELECT type, state, expire FROM lease6')"
kill -USR1 "$(bg_pid ternd)"
wait_file_contains 10 "$(bg_log ternd)" "addresses 0 prefixes 0 declined 0; reclaimed $bound" ||
	fail "counters after the sweep: $(grep 'dhcp6: rx' "$(bg_log ternd)" | tail -1)"
log "expiry: $bound bindings reclaimed (state 2), none counted as assigned"
[ "$(stat 'subnet[1].assigned-nas')" = 0 ] || fail "assigned-nas after expiry: $(stat 'subnet[1].assigned-nas')"
[ "$(stat 'reclaimed-leases')" = "$bound" ] || fail "reclaimed-leases: $(stat reclaimed-leases)"
a=$(ctl '{"command": "shutdown"}')
[ "$(json_get "$a" result)" = 0 ] || fail "shutdown: $a"
wait_for 10 eval "! kill -0 $pid 2>/dev/null" || fail "ternd did not stop after shutdown"
log "PASS"
