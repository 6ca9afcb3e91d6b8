#!/bin/bash
# ternd mesh mode: three nodes on one mesh link learn, claim disjoint
# blocks, serve their own clients from their own blocks and never give an
# address twice; malformed and foreign-swarm packets are dropped and counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/mesh_lib.sh"
tt_init
require_root
require_cmd udhcpc python3
require_file "$TERND"
require_file "$TERN_BUILD/src/ctl/ternctl"

mesh_hook_init
mesh_link_init
for i in 1 2 3; do
	mesh_node_add "$i"
	mesh_client_add "$i" "c$i"
	mesh_client_add "$i" "c$((i + 3))"
done
for i in 1 2 3; do
	mesh_start "$i"
done
for i in 1 2 3; do
	wait_file_contains 15 "$(bg_log "ternd-n$i")" 'learning phase over' ||
		fail "n$i never ended learning"
	wait_file_contains 15 "$(bg_log "ternd-n$i")" 'is ours' ||
		fail "n$i claimed no block"
done
wait_file_contains 5 "$TT_DIR/hook.log" '^endlearning' || fail "no endlearning hook"

# Disjoint ownership.
disjoint() {
	local all
	all=$( { mesh_ours 1; mesh_ours 2; mesh_ours 3; } | sort -n)
	[ -z "$(echo "$all" | uniq -d)" ] || fail "a block is owned twice: $(echo $all)"
}
disjoint
log "blocks: n1 $(mesh_ours 1 | tr '\n' ' ') n2 $(mesh_ours 2 | tr '\n' ' ') n3 $(mesh_ours 3 | tr '\n' ' ')"

# Clients of each node get addresses from that node's blocks.
: >"$TT_DIR/addrs"
for c in 1 2 3 4 5 6; do
	i=$(((c - 1) % 3 + 1))
	udhcpc_run "c$c" eth0 || fail "c$c got no lease from n$i"
	ip=$(rec_get "c$c" eth0 udhcpc ip)
	b=$(mesh_block_of "$ip")
	mesh_ours "$i" | grep -x "$b" >/dev/null ||
		fail "c$c got $ip (block $b) from n$i, which owns $(mesh_ours "$i" | tr '\n' ' ')"
	[ "$(rec_get "c$c" eth0 udhcpc router)" = 10.70.0.1 ] || fail "c$c: router option"
	echo "$ip" >>"$TT_DIR/addrs"
	log "c$c (n$i) got $ip, block $b"
done
[ -z "$(sort "$TT_DIR/addrs" | uniq -d)" ] ||
	fail "an address was given twice: $(sort "$TT_DIR/addrs" | tr '\n' ' ')"
wait_file_contains 5 "$TT_DIR/hook.log" '^lease 10\.70\.0\.' || fail "no lease hook"
# Two leases use up half a block and the spare target is 2: nodes claim
# more blocks; ownership stays disjoint while they do.
for _ in 1 2 3 4 5 6; do
	sleep 0.5
	disjoint
done

# The control socket: blocks as the log says, run-time options served.
mesh_ctl 1 blocks >"$TT_DIR/blocks1" || fail "ternctl mesh blocks"
cat "$TT_DIR/blocks1" >&2
for b in $(mesh_ours 1); do
	grep -Eq "^ +$b +10\.70\.0\.[0-9]+ +ours +0200000000010000 " "$TT_DIR/blocks1" ||
		fail "block $b not shown as ours"
done
for b in $(mesh_ours 2); do
	grep -Eq "^ +$b +[0-9.]+ +claimed +0200000000020000 " "$TT_DIR/blocks1" ||
		fail "n2's block $b not shown as claimed by n2"
done
mesh_ctl 1 set-option 42:4:10.70.0.123 || fail "set-option"
mesh_ctl 1 set-option 53:1:5 2>/dev/null && fail "set-option accepted option 53"
[ "$(mesh_ctl 1 options)" = 42:4:10.70.0.123 ] || fail "options: $(mesh_ctl 1 options)"
mesh_client_add 1 c7
udhcpc_run c7 eth0 -O ntpsrv || fail "c7 got no lease"
[ "$(rec_get c7 eth0 udhcpc ntpsrv)" = 10.70.0.123 ] ||
	fail "run-time option not served: $(rec_get c7 eth0 udhcpc ntpsrv)"
mesh_ctl 1 remove-option 42 || fail "remove-option"
[ -z "$(mesh_ctl 1 options)" ] || fail "option not removed"
mesh_ctl 1 remove-option 42 2>/dev/null && fail "removed an absent option"
python3 - "$TT_DIR/n1/ctl.sock" <<'PY' || fail "status-get"
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b'{"command": "status-get"}')
a = json.loads(s.makefile().read())
assert a["result"] == 0 and a["arguments"]["mesh"] is True, a
assert a["arguments"]["leases-bound"] == 3, a  # c1, c4, c7
PY

# Hostile mesh packets from n2's link-local address to everyone.
nsx n2 python3 - <<'PY' || fail "sending hostile packets"
import socket, struct
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 25, b"bat0")  # SO_BINDTODEVICE
idx = socket.if_nametoindex("bat0")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
def hdr(net, plen, bs, cmd, cnt):
    return bytes([9] * 8) + socket.inet_aton(net) + bytes([plen, bs, cmd, cnt])
claim = struct.pack(">IHB", 5, 60, 0)
pkts = [hdr("10.70.0.0", 24, 4, 1, 2) + claim,  # count 2, one entry
        hdr("10.70.0.0", 24, 4, 7, 0),          # unknown command
        b"\x01\x02\x03",                        # short
        hdr("10.99.0.0", 24, 4, 1, 1) + claim,  # another swarm
        hdr("10.70.0.0", 24, 8, 1, 1) + claim]  # another block size
for p in pkts:
    s.sendto(p, ("ff02::1234", 1234, 0, idx))
PY
st=$(mesh_stats 1)
log "n1 $st"
echo "$st" | grep 'malformed 3 foreign 2' >/dev/null || fail "drops not counted: $st"
for i in 1 2 3; do
	kill -0 "$(bg_pid "ternd-n$i")" || fail "ternd-n$i died"
done
log "PASS"
