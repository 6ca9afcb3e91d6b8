#!/usr/bin/python3
"""A DHCPv6 relay agent for one exchange (tern integration tests): sends a
RELAY-FORW holding a SOLICIT (link-address LINK-ADDRESS, default :: as an
LDRA, and the interface-id given) to ff02::1:2 on IFACE, prints what the RELAY-REPL holds:
"iid=<echoed interface-id> type=<inner type> addr=<IAADDR>"; exit 1 on no
answer within the timeout.
usage: relay6_probe.py IFACE INTERFACE-ID [LINK-ADDRESS]"""
import socket
import struct
import sys


def opt(code, val):
    return struct.pack("!HH", code, len(val)) + val


def opts(buf):
    i = 0
    while i + 4 <= len(buf):
        code, ln = struct.unpack("!HH", buf[i:i + 4])
        yield code, buf[i + 4:i + 4 + ln]
        i += 4 + ln


def main():
    ifname, iid = sys.argv[1], sys.argv[2].encode()
    link = socket.inet_pton(socket.AF_INET6,
                            sys.argv[3] if len(sys.argv) > 3 else "::")
    duid = b"\x00\x03\x00\x01\x02\x00\x00\x00\x77\x01"
    sol = bytes([1, 0xab, 0xcd, 0xef]) + opt(1, duid) + \
        opt(3, struct.pack("!III", 1, 0, 0))
    fwd = bytes([12, 0]) + link + socket.inet_pton(
        socket.AF_INET6, "fe80::99") + opt(18, iid) + opt(9, sol)
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", 547))
    s.settimeout(5)
    idx = socket.if_nametoindex(ifname)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
    s.sendto(fwd, ("ff02::1:2", 547, 0, idx))
    try:
        rep, _ = s.recvfrom(2048)
    except socket.timeout:
        print("no answer")
        return 1
    if rep[0] != 13:
        print("not a RELAY-REPL: %d" % rep[0])
        return 1
    got_iid, inner = b"", b""
    for code, val in opts(rep[34:]):
        if code == 18:
            got_iid = val
        elif code == 9:
            inner = val
    addr = "-"
    for code, val in opts(inner[4:]):
        if code == 3:
            for c2, v2 in opts(val[12:]):
                if c2 == 5:
                    addr = socket.inet_ntop(socket.AF_INET6, v2[:16])
    print("iid=%s type=%d addr=%s" % (got_iid.decode(errors="replace"),
                                      inner[0] if inner else -1, addr))
    return 0


sys.exit(main())
