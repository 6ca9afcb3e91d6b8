#!/bin/bash
# 240 control clients at once (idle, partial, garbage, over the size limit, dribbling
# byte by byte, well-formed) against a ternd that perfdhcp keeps busy: every
# well-formed command is answered correctly, idle and partial ones get Kea's
# timeout texts, perfdhcp sees no drop, ternd's
# memory stays bounded and it keeps serving.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
tt_init
require_root
require_cmd perfdhcp python3
require_file "$TERND"

netns_add srv
netns_add cli
veth_pair srv eth0 cli eth0
addr_add srv eth0 10.251.0.1/16
addr_add cli eth0 10.251.0.2/16
sock="$TT_DIR/ctl.sock"
cat >"$TT_DIR/ternd.json" <<JSON
{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "sqlite", "name": "$TT_DIR/leases.sqlite"},
  "control-socket": {"socket-type": "unix", "socket-name": "$sock"},
  "valid-lifetime": 4000,
  "subnet4": [{"id": 1, "subnet": "10.251.0.0/16",
               "pools": [{"pool": "10.251.1.0 - 10.251.255.254"}]}]
}}
JSON
# Under ASan (TERN_SANITIZE) freed memory stays in its quarantine (256 MiB
# by default) and would count in VmRSS: keep it small so the bound below
# measures what ternd holds. No effect on a normal build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8"
ternd_start srv "$TT_DIR/ternd.json"
pid=$(pgrep -P "$(bg_pid ternd)" ternd || bg_pid ternd)
[ -r "/proc/$pid/status" ] || fail "no ternd process"
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
before=$(rss)
log "ternd pid $pid, VmRSS before: $before kB"

# A steady rate for long enough to overlap the control load; -W: wait
# 0.5 s for the last replies.
start_bg perfdhcp ip netns exec "$(ns cli)" timeout -k 2 60 perfdhcp -4 \
	-l eth0 -r 500 -R 10000000 -p 8 -W 500000 10.251.0.1
wait_file_contains 10 "$(bg_log perfdhcp)" . || true
python3 "$(dirname "$0")/ctl_load.py" "$sock" 40 >"$TT_DIR/load.log" 2>&1 ||
	fail "control clients: $(cat "$TT_DIR/load.log")"
log "$(cat "$TT_DIR/load.log")"
after=$(rss)
log "VmRSS after: $after kB"
wait_bg perfdhcp 70 || fail "perfdhcp failed: $(cat "$(bg_log perfdhcp)")"
out=$(bg_log perfdhcp)
read -r sent1 recv1 sent2 recv2 < <(awk '
	/Statistics for: DISCOVER-OFFER/ {s = 1} /Statistics for: REQUEST-ACK/ {s = 2}
	/sent packets:/ {sent[s] = $3} /received packets:/ {recv[s] = $3}
	END {print sent[1], recv[1], sent[2], recv[2]}' "$out")
log "DISCOVER $sent1 -> OFFER $recv1; REQUEST $sent2 -> ACK $recv2"
[ "${sent1:-0}" -ge 2000 ] || fail "perfdhcp sent only ${sent1:-0} DISCOVERs"
[ "$recv1" = "$sent1" ] || fail "OFFERs dropped: $recv1 of $sent1"
[ "$recv2" = "$sent2" ] || fail "ACKs dropped: $recv2 of $sent2"
# The channel buffers at most 64 MiB over all clients (TERND_CTL_BUFFER_BUDGET).
[ $((after - before)) -lt $((160 * 1024)) ] ||
	fail "VmRSS grew from $before to $after kB"
kill -0 "$pid" || fail "ternd died"
ans=$(python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(b"{\"command\": \"status-get\"}")
print(s.makefile("rb").read().decode())' "$sock")
case "$ans" in *'"result": 0'*) ;; *) fail "status-get after the load: $ans" ;; esac
log "PASS"
