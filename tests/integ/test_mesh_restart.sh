#!/bin/bash
# ternd mesh mode, restart: a node's leases survive in its store, its node
# id (derived from bat0's MAC) is persisted, and after learning it claims
# the blocks holding its leases again, so its clients keep their addresses.
# The mesh settings come from the configuration (user-context.ternd.mesh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/mesh_lib.sh"
tt_init
require_root
require_cmd udhcpc sqlite3
require_file "$TERND"

export MESH_AUTO_ID=1 MESH_VIA_CONFIG=1
mesh_hook_init
mesh_link_init
mesh_node_add 1
mesh_node_add 2
mesh_client_add 1 c1
mesh_start 1
mesh_start 2
wait_file_contains 15 "$(bg_log ternd-n1)" 'is ours' || fail "n1 claimed no block"
idfile="$TT_DIR/n1/mesh-node-id"
[ -s "$idfile" ] || fail "node id not persisted"
mac=$(if_mac n1 bat0 | tr -d :)
[ "$(cat "$idfile")" = "${mac}0000" ] || fail "node id $(cat "$idfile") is not MAC $mac + 0000"

mesh_bind c1
dir1=$(rec_dir c1 eth0 udhcpc)
ip1=$MESH_IP
blk=$(mesh_block_of "$ip1")
log "c1 bound $ip1 (block $blk)"

# Restart n1 with another MAC: same id (persisted), same lease.
stop_bg ternd-n1
log1=$(bg_log ternd-n1)
skip=$(wc -l <"$log1")
ip -n "$(ns n1)" link set bat0 address 02:99:99:99:99:99
mesh_start 1
since() { tail -n +"$((skip + 1))" "$log1"; }
since | grep "node ${mac}0000 on bat0" >/dev/null || fail "node id changed"
since | grep 'restored 1 bound leases' >/dev/null || fail "lease not restored"
wait_for 15 eval "since | grep 'learning phase over'" >/dev/null || fail "no learning end"
wait_for 15 eval "since | grep 'block $blk .* is ours'" >/dev/null ||
	fail "n1 did not claim block $blk again"
log "n1 claimed block $blk again after learning"
kill -USR1 "$(bg_pid udhcpc-c1-eth0)"
wait_file_contains 10 "$dir1/events" '^renew$' || fail "c1 not renewed after the restart"
[ "$(rec_get c1 eth0 udhcpc ip)" = "$ip1" ] || fail "c1 changed address"
mesh_ours 2 | grep -x "$blk" >/dev/null && fail "n2 took n1's block"
stop_bg udhcpc-c1-eth0
log "PASS"
