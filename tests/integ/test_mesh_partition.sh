#!/bin/bash
# ternd mesh mode, partition and heal: with the mesh link split, both
# nodes claim the only claimable block and lease from it; after the heal
# the larger node id keeps it, the loser's renewals are forwarded (ACK when
# the winner has the address free, NAK when it leased it meanwhile) and no
# address stays with two clients.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/mesh_lib.sh"
tt_init
require_root
require_cmd udhcpc sqlite3
require_file "$TERND"

export MESH_POOL="10.70.0.8 - 10.70.0.11" # block 2 only
mesh_hook_init
mesh_link_init
mesh_node_add 1
mesh_node_add 2
mesh_client_add 1 c1
mesh_client_add 1 c4
mesh_client_add 2 c2
link_down mesh m2 # the partition
mesh_start 1
mesh_start 2
for i in 1 2; do
	wait_file_contains 15 "$(bg_log "ternd-n$i")" 'block 2 .* is ours' ||
		fail "n$i did not claim block 2"
done
log "both sides own block 2"

mesh_bind c1
ip1=$MESH_IP
mesh_bind c4
ip4=$MESH_IP
mesh_bind c2
ip2=$MESH_IP
log "partitioned: c1 $ip1, c4 $ip4 at n1; c2 $ip2 at n2"
[ "$ip1" = "$ip2" ] || [ "$ip4" = "$ip2" ] || fail "no duplicate address during the partition"

# Heal: n2 (larger node id) keeps block 2, n1 yields.
link_up mesh m2
wait_file_contains 15 "$(bg_log ternd-n1)" 'block 2 .* is no longer ours' ||
	fail "n1 did not yield block 2"
grep -q 'block 2 .* is no longer ours' "$(bg_log ternd-n2)" && fail "n2 lost block 2"
echo "$(mesh_stats 1)" | grep 'conflicts won 0 lost [1-9]' >/dev/null || fail "n1 did not count the lost conflict"

# n1's clients renew through n2: the one whose address c2 holds is NAKed
# (the duplicate ends), the other keeps its address, now bound at n2.
for c in c1 c4; do
	ip=$(rec_get "$c" eth0 udhcpc ip)
	kill -USR1 "$(bg_pid "udhcpc-$c-eth0")"
	if [ "$ip" = "$ip2" ]; then
		wait_file_contains 10 "$(rec_dir "$c" eth0 udhcpc)/events" '^nak$' ||
			fail "$c not NAKed: $(rec_events "$c" eth0 udhcpc | tr '\n' ' ')"
		log "$c ($ip, also c2's) NAKed"
	else
		wait_file_contains 10 "$(rec_dir "$c" eth0 udhcpc)/events" '^renew$' ||
			fail "$c not renewed"
		[ "$(rec_get "$c" eth0 udhcpc ip)" = "$ip" ] || fail "$c changed address"
		[ "$(lease_field "$TT_DIR/n2/leases.sqlite" "$ip" hwaddr)" = \
			"02:70:00:00:00:0${c#c}" ] || fail "the winner did not bind $c's $ip"
		log "$c kept $ip through the winner"
	fi
done
[ "$(lease_field "$TT_DIR/n2/leases.sqlite" "$ip2" hwaddr)" = 02:70:00:00:00:02 ] ||
	fail "c2 lost its address"
st=$(mesh_stats 1)
log "n1 $st"
# Retransmitted renewals are forwarded again: at least one of each.
echo "$st" | grep -E 'forwarded [2-9] acked [1-9] naked [1-9] ' >/dev/null || fail "forwarding counters: $st"
for c in c1 c2 c4; do
	stop_bg "udhcpc-$c-eth0"
done
log "PASS"
