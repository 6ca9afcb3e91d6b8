#!/usr/bin/env python3
"""kea_diff: play the relay agent for every client of a plan and record the server's replies as JSON lines."""
# Usage: probe.py PLAN [--out FILE] [--port 67] [--timeout 1.0] [--tries 2]
#
# Runs inside the test's "relay" namespace, where every giaddr of the plan is
# a local address. One UDP socket on port 67 sends each client's relayed
# DISCOVER (giaddr, hops 1, option 82 added last as a relay does) to the
# server and gets the replies sent to giaddr:67; after an OFFER it sends the
# REQUEST (option 54 and 50 from the OFFER). All clients run at once, each
# with bounded retries. Writes one JSON line per client, in plan order, to
# FILE (default stdout).

import argparse
import json
import select
import socket
import struct
import sys
import time
import zlib

MAGIC = b"\x63\x82\x53\x63"
TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK",
         6: "NAK", 7: "RELEASE", 8: "INFORM"}


def build(c, xid, mtype, extra):
    chaddr = bytes.fromhex(c["chaddr"])
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, len(chaddr), 1, xid,
                      0, c["flags"], bytes(4), bytes(4), bytes(4),
                      socket.inet_aton(c["giaddr"]), chaddr, bytes(64), bytes(128))
    o = bytearray(MAGIC)
    o += bytes([53, 1, mtype])
    for code, data in extra + c["options"] + c["relay_options"]:
        b = bytes.fromhex(data)
        while True:  # RFC 3396: a long value goes in several instances
            o += bytes([code, min(len(b), 255)]) + b[:255]
            b = b[255:]
            if not b:
                break
    o.append(255)
    pkt = hdr + bytes(o)
    return pkt + bytes(max(0, 300 - len(pkt)))


def parse_opts(buf, out):
    """Options of one area in wire order; returns False when malformed."""
    i = 0
    while i < len(buf):
        code = buf[i]
        if code == 0:
            i += 1
            continue
        if code == 255:
            return True
        if i + 1 >= len(buf) or i + 2 + buf[i + 1] > len(buf):
            return False
        n = buf[i + 1]
        out.append([code, buf[i + 2 : i + 2 + n].hex()])
        i += 2 + n
    return True


def cstr(b):
    return b.split(b"\0", 1)[0].decode("latin-1")


def parse(pkt, src):
    if len(pkt) < 240 or pkt[236:240] != MAGIC:
        return None
    (op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr,
     chaddr, sname, file_) = struct.unpack("!BBBBIHH4s4s4s4s16s64s128s", pkt[:236])
    opts = []
    ok = parse_opts(pkt[240:], opts)
    over = next((int(v, 16) for c, v in opts if c == 52 and len(v) == 2), 0)
    # RFC 2131 4.1: with overload (52), file then sname carry options too.
    if over & 1:
        ok = parse_opts(file_, opts) and ok
    if over & 2:
        ok = parse_opts(sname, opts) and ok
    mt = next((int(v, 16) for c, v in opts if c == 53 and len(v) == 2), 0)
    return {
        "type": TYPES.get(mt, str(mt)), "src": "%s:%d" % src, "len": len(pkt),
        "op": op, "htype": htype, "hlen": hlen, "hops": hops, "xid": xid,
        "secs": secs, "flags": flags,
        "ciaddr": socket.inet_ntoa(ciaddr), "yiaddr": socket.inet_ntoa(yiaddr),
        "siaddr": socket.inet_ntoa(siaddr), "giaddr": socket.inet_ntoa(giaddr),
        "chaddr": chaddr[:hlen].hex() if hlen <= 16 else chaddr.hex(),
        "sname": "" if over & 2 else cstr(sname), "file": "" if over & 1 else cstr(file_),
        "sname_hex": sname.rstrip(b"\0").hex(), "file_hex": file_.rstrip(b"\0").hex(),
        "options_ok": ok, "options": opts,
    }


class Client:
    def __init__(self, c, i):
        self.c = c
        self.xid = zlib.crc32(("%d/%s" % (i, c["name"])).encode()) & 0xFFFFFFFF
        self.state = "discover"
        self.tries = 0
        self.next = 0.0
        self.offer = None
        self.ack = None
        self.extra = 0
        self.req_opts = []

    def packet(self):
        if self.state == "discover":
            return build(self.c, self.xid, 1, [])
        return build(self.c, self.xid, 3, self.req_opts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plan")
    ap.add_argument("--out")
    ap.add_argument("--port", type=int, default=67)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--tries", type=int, default=2)
    a = ap.parse_args()
    with open(a.plan) as f:
        plan = json.load(f)
    server = (plan["server"], a.port)

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", a.port))
    cl = [Client(c, i) for i, c in enumerate(plan["clients"])]
    byxid = {c.xid: c for c in cl}
    if len(byxid) != len(cl):
        sys.exit("probe: xid collision")

    while True:
        now = time.monotonic()
        live = [c for c in cl if c.state in ("discover", "request")]
        if not live:
            break
        for c in live:
            if now >= c.next:
                if c.tries >= a.tries:
                    c.state = "no-" + ("offer" if c.state == "discover" else "ack")
                    continue
                c.tries += 1
                c.next = now + a.timeout
                s.sendto(c.packet(), server)
        live = [c for c in cl if c.state in ("discover", "request")]
        if not live:
            break
        wait = max(0.0, min(c.next for c in live) - time.monotonic())
        r, _, _ = select.select([s], [], [], wait)
        if not r:
            continue
        pkt, src = s.recvfrom(4096)
        rep = parse(pkt, src)
        if rep is None or rep["op"] != 2:
            continue
        c = byxid.get(rep["xid"])
        if c is None:
            continue
        if c.state == "discover" and rep["type"] == "OFFER":
            c.offer = rep
            sid = next((v for k, v in rep["options"] if k == 54), None)
            c.req_opts = [[50, socket.inet_aton(rep["yiaddr"]).hex()]]
            if sid is not None:
                c.req_opts.insert(0, [54, sid])
            c.state, c.tries, c.next = "request", 0, 0.0
        elif c.state == "request" and rep["type"] in ("ACK", "NAK"):
            c.ack = rep
            c.state = "done"
        else:
            c.extra += 1  # a retransmission's late answer, or unexpected
    out = open(a.out, "w") if a.out else sys.stdout
    for c in cl:
        print(json.dumps({"name": c.c["name"], "giaddr": c.c["giaddr"],
                          "chaddr": c.c["chaddr"], "result": c.state,
                          "offer": c.offer, "ack": c.ack, "extra": c.extra},
                         sort_keys=True), file=out)
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
