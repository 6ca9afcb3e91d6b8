# Helpers for tests that talk to ternd's (or kea-dhcp4's) control socket.
# Source after lib.sh.

# ctl_raw SOCKET JSON: send one command, print the answer (one command per
# connection, read until the server closes, as Kea's channel does).
ctl_raw() {
	python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(20)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
s.shutdown(socket.SHUT_WR)
buf = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    buf += d
sys.stdout.write(buf.decode())
PY
}

# json_get JSON PATH...: the value at a path of keys and list indexes
# (a string as it is, anything else as JSON; "" when absent).
json_get() {
	python3 - "$@" <<'PY'
import json, sys
v = json.loads(sys.argv[1])
for k in sys.argv[2:]:
    try:
        v = v[int(k)] if isinstance(v, list) else v[k]
    except (KeyError, IndexError, ValueError, TypeError):
        v = None
        break
if v is None:
    print("")
elif isinstance(v, str):
    print(v)
else:
    print(json.dumps(v, sort_keys=True))
PY
}
