#!/usr/bin/env python3
"""Play a relay agent through a fixed scenario of DHCPv4 exchanges (for the hook library tests): print one line per step with the reply."""
# Usage: relay_play.py SERVER GIADDR SCENARIO [--timeout 1.0]
#
# Runs where GIADDR is a local address: one UDP socket on GIADDR:67 sends
# each request to SERVER:67 as a relay would (giaddr, hops 1, option 82
# with circuit-id and remote-id added last) and reads the reply sent back
# to GIADDR:67. Transaction ids are fixed, so two servers given the same
# scenario see the same packets. Scenarios:
#   events   DORA, DISCOVER of a bound client, renewal, a second client's
#            DORA and RELEASE, a DECLINE, a NAK, a RELEASE of nothing, a
#            third client's DORA (its lease left to expire)
#   bootp    a BOOTP request (no option 53) from a client with no lease
# Output: "STEP TYPE yiaddr=A len=N opts=C,C,... values=C:HEX,... hdr=HEX"
# per step ("none" when the server stayed silent); exit 0.

import socket
import struct
import sys

MAGIC = b"\x63\x82\x53\x63"
NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK",
         6: "NAK", 7: "RELEASE", 8: "INFORM"}


def packet(mac, xid, mtype, giaddr, ciaddr="0.0.0.0", opts=(), rai=True):
    chaddr = bytes.fromhex(mac.replace(":", ""))
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 1, xid, 0, 0,
                      socket.inet_aton(ciaddr), bytes(4), bytes(4),
                      socket.inet_aton(giaddr), chaddr, bytes(64), bytes(128))
    o = bytearray(MAGIC)
    if mtype:
        o += bytes([53, 1, mtype])
    for code, data in opts:
        o += bytes([code, len(data)]) + data
    if rai:
        circuit, remote = b"port-7", bytes.fromhex("0a0b0c")
        sub = bytes([1, len(circuit)]) + circuit + bytes([2, len(remote)]) + remote
        o += bytes([82, len(sub)]) + sub
    o.append(255)
    pkt = hdr + bytes(o)
    return pkt + bytes(max(0, 300 - len(pkt)))


def parse(buf):
    if len(buf) < 240 or buf[236:240] != MAGIC:
        return None
    r = {"yiaddr": socket.inet_ntoa(buf[16:20]), "len": len(buf), "opts": [],
         # op htype hlen (hops aside: docs/kea-differences.md) xid secs
         # flags ciaddr siaddr giaddr chaddr sname file
         "hdr": buf[0:3].hex() + buf[4:16].hex() + buf[20:236].hex()}
    i = 240
    while i < len(buf):
        c = buf[i]
        if c == 0:
            i += 1
            continue
        if c == 255 or i + 1 >= len(buf):
            break
        n = buf[i + 1]
        r["opts"].append((c, buf[i + 2:i + 2 + n]))
        i += 2 + n
    r["type"] = next((d[0] for c, d in r["opts"] if c == 53), 0)
    return r


class Relay:
    def __init__(self, server, giaddr, timeout):
        self.server, self.giaddr, self.timeout = server, giaddr, timeout
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.bind((giaddr, 67))
        self.s.settimeout(timeout)

    def ask(self, step, pkt, want_reply=True):
        xid = pkt[4:8]
        self.s.sendto(pkt, (self.server, 67))
        r = None
        if want_reply:
            try:
                while True:
                    buf, _ = self.s.recvfrom(4096)
                    if buf[4:8] == xid and buf[0] == 2:
                        r = parse(buf)
                        break
            except socket.timeout:
                pass
        if r is None:
            print(f"{step} none", flush=True)
        else:
            kind = NAMES.get(r["type"], "BOOTREPLY" if not r["type"] else str(r["type"]))
            codes = ",".join(str(c) for c, _ in r["opts"])
            # The options as a set (their order is a known difference,
            # docs/kea-differences.md), the header's other fields.
            values = ",".join(f"{c}:{d.hex()}" for c, d in sorted(r["opts"]))
            print(f"{step} {kind} yiaddr={r['yiaddr']} len={r['len']} opts={codes} "
                  f"values={values} hdr={r['hdr']}", flush=True)
        return r


def sid_of(r):
    return next(d for c, d in r["opts"] if c == 54)


def dora(rl, step, mac, xid, extra=()):
    off = rl.ask(step + "-discover", packet(mac, xid, 1, rl.giaddr, opts=extra))
    if not off:
        sys.exit(f"{step}: no OFFER")
    ip = socket.inet_aton(off["yiaddr"])
    ack = rl.ask(step + "-request", packet(mac, xid + 1, 3, rl.giaddr,
                                           opts=list(extra) + [(54, sid_of(off)), (50, ip)]))
    return ack, sid_of(off)


def events(rl):
    cid_a = bytes.fromhex("0102aabbcc0001")
    a, sid = dora(rl, "a", "02:aa:bb:cc:00:01", 0x1100, [(61, cid_a)])
    ip_a = a["yiaddr"]
    rl.ask("a-discover-bound", packet("02:aa:bb:cc:00:01", 0x1110, 1, rl.giaddr,
                                      opts=[(61, cid_a)]))
    rl.ask("a-renew", packet("02:aa:bb:cc:00:01", 0x1120, 3, rl.giaddr, ciaddr=ip_a,
                             opts=[(61, cid_a)]))
    b, _ = dora(rl, "b", "02:aa:bb:cc:00:02", 0x2200)
    rl.ask("b-release", packet("02:aa:bb:cc:00:02", 0x2210, 7, rl.giaddr,
                               ciaddr=b["yiaddr"], opts=[(54, sid)]), want_reply=False)
    rl.ask("a-decline", packet("02:aa:bb:cc:00:01", 0x1130, 4, rl.giaddr,
                               opts=[(61, cid_a), (54, sid),
                                     (50, socket.inet_aton(ip_a))]), want_reply=False)
    # INIT-REBOOT for an address of the subnet outside its pool: NAK.
    rl.ask("c-nak", packet("02:aa:bb:cc:00:03", 0x3300, 3, rl.giaddr,
                           opts=[(50, socket.inet_aton(NAK_ADDR))]))
    rl.ask("d-release-nothing", packet("02:aa:bb:cc:00:04", 0x4400, 7, rl.giaddr,
                                       ciaddr=NAK_ADDR, opts=[(54, sid)]),
           want_reply=False)
    # A lease left to expire, with a host name (Kea keeps it lowered).
    dora(rl, "e", "02:aa:bb:cc:00:06", 0x6600, [(12, b"Host-E")])


def bootp(rl):
    rl.ask("bootp", packet("02:aa:bb:cc:00:05", 0x5500, 0, rl.giaddr, rai=False))


NAK_ADDR = "0.0.0.0"

if __name__ == "__main__":
    args = sys.argv[1:]
    timeout = 1.0
    if "--timeout" in args:
        i = args.index("--timeout")
        timeout = float(args[i + 1])
        del args[i:i + 2]
    server, giaddr, scenario = args[:3]
    if len(args) > 3:
        NAK_ADDR = args[3]
    rl = Relay(server, giaddr, timeout)
    {"events": events, "bootp": bootp}[scenario](rl)
