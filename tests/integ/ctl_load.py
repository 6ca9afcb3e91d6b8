#!/usr/bin/env python3
"""240 control clients at once against ternd's socket (tests/integ/
test_ternd_ctl_clients.sh): some never send, some send part of a command
and wait (both get Kea's timeout answers), some send garbage, some a
command over the size limit, some dribble a command byte by byte, some send
well-formed commands. Every client that should get an answer gets the
right one; prints a summary; exits non-zero on any miss."""
import json, selectors, socket, sys, time

path = sys.argv[1]
per = int(sys.argv[2]) if len(sys.argv) > 2 else 40
deadline = time.monotonic() + 90  # a bound on the test, not an assertion

WELL = [b'{"command": "status-get"}', b'{"command":"list-commands"}',
        b'{"command":"version-get","service":["dhcp4"]}',
        b'{"command":"config-get"}', b'{"command":"foo-bar"}']
HUGE = b'{"command": "status-get", "arguments": {"x": "' + b'a' * (1100 * 1024)

sel = selectors.DefaultSelector()
clients = []


class C:
    def __init__(self, kind, payload, expect):
        self.kind, self.out, self.expect = kind, payload, expect
        self.got = b''
        self.done = False
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.setblocking(False)
        self.next_at = 0.0
        # A dribbling client writes on its own clock (below), the others
        # when the socket takes more.
        w = payload and kind != 'slow'
        sel.register(self.s, selectors.EVENT_READ | (selectors.EVENT_WRITE if w else 0), self)


TIMEOUT = 'Connection over control channel timed out'
for i in range(per):
    # Kea's two timeout texts, after 10 s without progress.
    clients.append(C('idle', b'', {'result': 1, 'text': TIMEOUT}))
    clients.append(C('partial', b'{"command": "status-get"',
                     {'result': 1, 'text': TIMEOUT + ', discarded partial command of 24 bytes'}))
    clients.append(C('garbage', b'hello\n', {'result': 1, 'text': 'invalid first character h'}))
    clients.append(C('huge', HUGE, {'result': 1, 'text': 'Command too large: more than 1048576 bytes'}))
    clients.append(C('slow', b'  {"command": "status-get"}', {'result': 0}))
    clients.append(C('well', WELL[i % len(WELL)], {'result': 2 if b'foo-bar' in WELL[i % len(WELL)] else 0}))

expected = [c for c in clients if c.expect]
slow = [c for c in clients if c.kind == 'slow']
while time.monotonic() < deadline and not all(c.done for c in expected):
    now = time.monotonic()
    for c in slow:
        if c.out and now >= c.next_at:
            try:
                c.out = c.out[c.s.send(c.out[:1]):]
            except BlockingIOError:
                pass
            c.next_at = now + 0.005
    for key, ev in sel.select(timeout=0.005):
        c = key.data
        if ev & selectors.EVENT_READ:
            try:
                b = c.s.recv(65536)
            except (BlockingIOError, ConnectionResetError):
                b = None
            if b == b'' or b is None and c.kind == 'huge':
                sel.unregister(c.s)
                c.done = True
            elif b:
                c.got += b
        if ev & selectors.EVENT_WRITE and c.out and not c.done:
            try:
                k = c.s.send(c.out)
                c.out = c.out[k:]
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                c.out = b''
            if not c.out:
                sel.modify(c.s, selectors.EVENT_READ, c)

bad = []
for c in expected:
    try:
        a = json.loads(c.got.decode())
    except ValueError:
        bad.append((c.kind, c.got[:200]))
        continue
    if any(a.get(k) != v for k, v in c.expect.items()):
        bad.append((c.kind, a))
kinds = {}
for c in expected:
    kinds[c.kind] = kinds.get(c.kind, 0) + (c.done and c.got != b'')
print('answered:', kinds)
for c in clients:
    c.s.close()
if bad:
    print('wrong or missing answers:', len(bad), bad[:5])
    sys.exit(1)
