#!/usr/bin/env python3
"""Play relay agent for a DDNS plan: bind, renew and release clients one after the other; write each reply as a JSON line."""
# Usage: ncr_probe.py PLAN OUT
#
# PLAN: {"server": ADDR, "server_id": ADDR, "giaddr": ADDR, "steps": [[ACTION, CLIENT], ...],
#        "clients": {NAME: {"chaddr": HEX, "options": [[CODE, HEX], ...],
#                           "renew_options": [[CODE, HEX], ...]}}}
# ACTION: "bind" (DISCOVER, OFFER, REQUEST, ACK), "renew" (REQUEST with
# ciaddr, renew_options when given), "release" (RELEASE with ciaddr).
# Steps run one at a time so the server sends its NCRs in plan order.
# Each reply: {"step", "client", "type", "yiaddr", "81", "12"}.
import json
import select
import socket
import struct
import sys
import time

MAGIC = b"\x63\x82\x53\x63"


def build(c, xid, mtype, giaddr, ciaddr, opts):
    chaddr = bytes.fromhex(c["chaddr"])
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, len(chaddr), 1, xid,
                      0, 0, socket.inet_aton(ciaddr), bytes(4), bytes(4),
                      socket.inet_aton(giaddr), chaddr, bytes(64), bytes(128))
    o = bytearray(MAGIC)
    o += bytes([53, 1, mtype])
    for code, data in opts:
        b = bytes.fromhex(data)
        o += bytes([code, len(b)]) + b
    o.append(255)
    pkt = hdr + bytes(o)
    return pkt + bytes(max(0, 300 - len(pkt)))


def parse(pkt):
    if len(pkt) < 240 or pkt[236:240] != MAGIC:
        return None
    xid = struct.unpack("!I", pkt[4:8])[0]
    r = {"xid": xid, "yiaddr": socket.inet_ntoa(pkt[16:20]), "opts": {}}
    i = 240
    while i < len(pkt):
        code = pkt[i]
        if code == 0:
            i += 1
            continue
        if code == 255 or i + 1 >= len(pkt):
            break
        n = pkt[i + 1]
        r["opts"].setdefault(code, b"")
        r["opts"][code] += pkt[i + 2:i + 2 + n]
        i += 2 + n
    return r


class Probe:
    def __init__(self, plan):
        self.plan = plan
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.s.bind((plan["giaddr"], 67))
        self.xid = 0x1000
        self.leases = {}

    def exchange(self, pkt, xid, want):
        for _ in range(3):
            self.s.sendto(pkt, (self.plan["server"], 67))
            end = time.time() + 1.0
            while time.time() < end:
                rd, _, _ = select.select([self.s], [], [], end - time.time())
                if not rd:
                    break
                d, _ = self.s.recvfrom(4096)
                r = parse(d)
                if r and r["xid"] == xid and r["opts"].get(53, b"\0")[0] in want:
                    return r
        return None

    def run(self, out):
        for k, (action, name) in enumerate(self.plan["steps"]):
            c = self.plan["clients"][name]
            self.xid += 1
            gi = self.plan["giaddr"]
            rec = {"step": k, "client": name, "action": action}
            if action == "bind":
                off = self.exchange(build(c, self.xid, 1, gi, "0.0.0.0", c["options"]),
                                    self.xid, (2,))
                rec["offer81"] = off["opts"].get(81, b"").hex() if off else None
                r = None
                if off:
                    sid = off["opts"].get(54, b"").hex()
                    extra = [[54, sid], [50, socket.inet_aton(off["yiaddr"]).hex()]]
                    own = [o for o in c["options"] if o[0] != 50]
                    r = self.exchange(build(c, self.xid, 3, gi, "0.0.0.0",
                                            extra + own), self.xid, (5, 6))
            elif action == "renew":
                ip = self.leases.get(name, "0.0.0.0")
                opts = [o for o in c.get("renew_options", c["options"]) if o[0] != 50]
                r = self.exchange(build(c, self.xid, 3, gi, ip, opts), self.xid, (5, 6))
            else:
                ip = self.leases.get(name, "0.0.0.0")
                sid = self.plan["server_id"]
                self.s.sendto(build(c, self.xid, 7, gi, ip,
                                    [[54, socket.inet_aton(sid).hex()]] +
                                    [o for o in c["options"] if o[0] == 61]),
                              (self.plan["server"], 67))
                r = None
            if r:
                rec["type"] = r["opts"].get(53, b"\0")[0]
                rec["yiaddr"] = r["yiaddr"]
                rec["81"] = r["opts"].get(81, b"").hex() if 81 in r["opts"] else None
                rec["12"] = r["opts"].get(12, b"").hex() if 12 in r["opts"] else None
                if rec["type"] == 5:
                    self.leases[name] = r["yiaddr"]
            out.write(json.dumps(rec, sort_keys=True) + "\n")
            out.flush()


def main():
    plan = json.load(open(sys.argv[1]))
    with open(sys.argv[2], "w") as out:
        Probe(plan).run(out)


if __name__ == "__main__":
    main()
