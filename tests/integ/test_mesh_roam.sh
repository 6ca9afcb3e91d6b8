#!/bin/bash
# ternd mesh mode, roaming: a client leased at node 1 moves to node 2 and
# keeps its address (RENEWLEASE/LEASEACK); its RELEASE reaches the owner; a
# REQUEST for another client's address gets a NAK with option 54.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ternd_lib.sh"
. "$(dirname "$0")/mesh_lib.sh"
tt_init
require_root
require_cmd udhcpc python3 sqlite3
require_file "$TERND"

mesh_hook_init
mesh_link_init
for i in 1 2; do
	mesh_node_add "$i"
done
mesh_client_add 1 c1
mesh_client_add 2 c2
for i in 1 2; do
	mesh_start "$i"
done
for i in 1 2; do
	wait_file_contains 15 "$(bg_log "ternd-n$i")" 'is ours' ||
		fail "n$i claimed no block"
done

# c1 gets a lease at n1 and keeps running to renew later.
mesh_bind c1
dir1=$(rec_dir c1 eth0 udhcpc)
ip1=$MESH_IP
mesh_ours 1 | grep -x "$(mesh_block_of "$ip1")" >/dev/null || fail "c1 got $ip1, not from n1"
log "c1 bound $ip1 at n1"

# c1 roams to n2 and renews: n2 asks n1, n1 says yes, n2 ACKs.
mesh_client_move c1 1 2
kill -USR1 "$(bg_pid udhcpc-c1-eth0)"
wait_file_contains 10 "$dir1/events" '^renew$' || fail "c1 not renewed at n2"
[ "$(rec_get c1 eth0 udhcpc ip)" = "$ip1" ] || fail "roaming changed the address"
st2=$(mesh_stats 2)
echo "$st2" | grep -E 'forwarded [1-9] acked [1-9] ' >/dev/null || fail "n2 did not forward: $st2"
st1=$(mesh_stats 1)
echo "$st1" | grep -E 'renewals answered [1-9]' >/dev/null || fail "n1 did not answer: $st1"
[ "$(lease_state "$TT_DIR/n1/leases.sqlite" "$ip1")" = bound ] ||
	fail "owner n1 lost the binding"
log "c1 renewed $ip1 through n2"

# c2 at n2 asks for c1's address (INIT-REBOOT): NAK, with server id.
nsx c2 python3 - "$ip1" >"$TT_DIR/nak.out" <<'PY' || fail "no answer to c2: $(cat "$TT_DIR/nak.out")"
import socket, struct, sys, time
want = socket.inet_aton(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, 25, b"eth0")
s.bind(("0.0.0.0", 68))
s.settimeout(1.0)
mac = bytes.fromhex("027000000002")
xid = 0x7e57c0de
pkt = struct.pack("!BBBBIHH4s4s4s4s16s64s128s4s", 1, 1, 6, 0, xid, 0, 0,
                  bytes(4), bytes(4), bytes(4), bytes(4), mac + bytes(10),
                  bytes(64), bytes(128), bytes([99, 130, 83, 99]))
pkt += bytes([53, 1, 3, 50, 4]) + want + bytes([255])
for _ in range(5):
    s.sendto(pkt, ("255.255.255.255", 67))
    end = time.time() + 1.0
    while time.time() < end:
        try:
            data = s.recv(1500)
        except socket.timeout:
            break
        if len(data) < 240 or struct.unpack("!I", data[4:8])[0] != xid:
            continue
        opts, i = {}, 240
        while i < len(data) and data[i] != 255:
            if data[i] == 0:
                i += 1
                continue
            opts[data[i]] = data[i + 2:i + 2 + data[i + 1]]
            i += 2 + data[i + 1]
        print("type", opts.get(53, b"\0")[0], "sid", socket.inet_ntoa(opts.get(54, bytes(4))))
        sys.exit(0)
sys.exit(1)
PY
log "c2 asking for $ip1: $(cat "$TT_DIR/nak.out")"
grep -q '^type 6 sid 10.70.0.1$' "$TT_DIR/nak.out" || fail "expected a NAK with option 54: $(cat "$TT_DIR/nak.out")"
echo "$(mesh_stats 2)" | grep -E 'naked [1-9] ' >/dev/null || fail "n2 did not get LEASENAK"

# c1 releases at n2: the owner n1 learns it.
kill -USR2 "$(bg_pid udhcpc-c1-eth0)"
wait_for 10 eval "[ \"\$(lease_state '$TT_DIR/n1/leases.sqlite' '$ip1')\" = released ]" ||
	fail "owner did not record the release: $(lease_state "$TT_DIR/n1/leases.sqlite" "$ip1")"
wait_file_contains 5 "$TT_DIR/hook.log" "^release $ip1 02:70:00:00:00:01" || fail "no release hook"
stop_bg udhcpc-c1-eth0
log "PASS"
