#!/usr/bin/env python3
"""Renew leases as a relay would forward them (RFC 2131 RENEWING: ciaddr
set, no server id; client id 1 + mac, as perfdhcp sends it) and print
"ip mac ACK|NAK|none" per lease.

usage: dhcp_renew.py SERVER RELAY < "ip mac" lines
env DHCP_RENEW_TIMES=1: an ACK line adds the lease time, T1 and T2 given
(- when absent); DHCP_RENEW_WAIT: seconds per try (default 2);
DHCP_RENEW_INIT_REBOOT=1: INIT-REBOOT instead (ciaddr 0, the address in
option 50).
"""
import os
import socket
import struct
import sys


def request(ip, mac, relay, xid):
    hw = bytes(int(b, 16) for b in mac.split(":"))
    reboot = bool(os.environ.get("DHCP_RENEW_INIT_REBOOT"))
    ciaddr = bytes(4) if reboot else socket.inet_aton(ip)
    pkt = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0,
                      ciaddr, bytes(4), bytes(4),
                      socket.inet_aton(relay), hw.ljust(16, b"\0"),
                      bytes(64), bytes(128))
    opts = bytes([99, 130, 83, 99, 53, 1, 3, 61, 7, 1]) + hw
    if reboot:
        opts += bytes([50, 4]) + socket.inet_aton(ip)
    return pkt + opts + b"\xff"


def answer(pkt, xid):
    if len(pkt) < 240 or struct.unpack("!I", pkt[4:8])[0] != xid:
        return None
    opts, i, verdict, times = pkt[240:], 0, None, {}
    while i + 1 < len(opts) and opts[i] != 255:
        if opts[i] == 0:
            i += 1
            continue
        if opts[i] == 53:
            verdict = {5: "ACK", 6: "NAK"}.get(opts[i + 2], "other")
        if opts[i] in (51, 58, 59) and opts[i + 1] == 4:
            times[opts[i]] = struct.unpack("!I", opts[i + 2:i + 6])[0]
        i += 2 + opts[i + 1]
    if verdict == "ACK" and os.environ.get("DHCP_RENEW_TIMES"):
        verdict += " " + " ".join(str(times.get(c, "-")) for c in (51, 58, 59))
    return verdict


def main():
    server, relay = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((relay, 67))
    s.settimeout(float(os.environ.get("DHCP_RENEW_WAIT", "2")))
    for line in sys.stdin:
        ip, mac = line.split()
        xid = struct.unpack("!I", os.urandom(4))[0]
        verdict = "none"
        for _ in range(2):  # bounded: two tries of 2 s
            s.sendto(request(ip, mac, relay, xid), (server, 67))
            try:
                while True:
                    got = answer(s.recv(2048), xid)
                    if got:
                        verdict = got
                        break
            except socket.timeout:
                continue
            break
        print(ip, mac, verdict, flush=True)


main()
