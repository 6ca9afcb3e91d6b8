#!/bin/bash
# tern-mgr's control socket with many clients at once: idle ones (more than
# its 64-connection limit), one sending a line too long, one that sends a
# request and never reads, one dribbling a request byte by byte; all the
# while ternctl's requests and every well-formed client are answered, and
# tern-mgr's own work goes on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mgr_lib.sh"
tt_init
mgr_require python3

netns_add gw
netns_add isp
veth_pair gw wan0 isp e0
sock="$TT_DIR/mgr.sock"
cat >"$TT_DIR/mgr.json" <<JSON
{"DHCPv4": {"Client": [{"Alias": "wan", "Enable": true, "Interface": "wan0"}]},
 "DHCPv6": {"Client": [{"Alias": "wan6", "Enable": false, "Interface": "wan0"}]},
 "LeaseAddress": "ipc://$TT_DIR/lease.sock", "EventAddress": "",
 "ControlSocket": "$sock", "StateDir": "$TT_DIR/state", "Plugin": "$MGR_PLUGIN"}
JSON
start_bg mgr ip netns exec "$(ns gw)" "$MGR_BIN" -d -c "$TT_DIR/mgr.json"
wait_for 10 "$MGR_CTL" mgr status -s "$sock" || fail "tern-mgr did not start"

python3 - "$sock" "$MGR_CTL" >"$TT_DIR/load.log" 2>&1 <<'PY' || fail "control clients: $(cat "$TT_DIR/load.log")"
import socket, subprocess, sys, time
path, ctl = sys.argv[1], sys.argv[2]

def dial():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s

def answer(s):
    s.settimeout(10)
    got = b''
    while True:
        try:
            b = s.recv(65536)
        except ConnectionResetError:  # the server closed with bytes unread
            b = b''

        if not b:
            return got.decode()
        got += b

# One line too long: exactly the 1023 bytes tern-mgr reads, with no newline
# (more could meet a closed socket: it answers and closes at 1023).
longl = dial(); longl.sendall(b'G' * 1023)
a = answer(longl)
assert a == 'ERR EINVAL line too long\n', a
# One that asks for everything and never reads its answer.
lazy = dial(); lazy.sendall(b'GET \n')
# More idle clients than the limit: the oldest are closed to make room,
# the others when they have been silent 2 s.
idle = [dial() for _ in range(100)]
# One dribbling a request byte by byte, interleaved with the others.
slow = dial()
req = b'GET Device.DHCPv4.ClientNumberOfEntries\n'
well = []
for i, ch in enumerate(req):
    slow.sendall(bytes([ch]))
    if i % 8 == 0:
        s = dial(); s.sendall(b'GET Device.DHCPv4.ClientNumberOfEntries\n'); well.append(s)
    # ternctl (5 s receive timeout) is answered while all that is open.
    if i % 16 == 0:
        r = subprocess.run([ctl, 'mgr', 'status', '-s', path], capture_output=True, timeout=30)
        assert r.returncode == 0, r
a = answer(slow)
assert a == 'Device.DHCPv4.ClientNumberOfEntries=1\nOK\n', a
for s in well:
    a = answer(s)
    assert a == 'Device.DHCPv4.ClientNumberOfEntries=1\nOK\n', a
closed = sum(1 for s in idle if answer(s) == '')
assert closed == 100, closed
print('answered', len(well) + 2, 'clients; idle closed', closed)
PY
log "$(cat "$TT_DIR/load.log")"
"$MGR_CTL" mgr status -s "$sock" >/dev/null || fail "tern-mgr does not answer afterwards"
pid=$(bg_pid mgr)
kill -TERM "$pid"
wait_bg mgr 10 || fail "tern-mgr did not stop cleanly"
log "PASS"
