#!/usr/bin/env python3
"""DHCPv6 bindings on the wire, by client, and rebinding them.

reply6_clients.py-like listing: `rebind6.py list PCAP` prints one line per
binding a REPLY in the pcap gave (valid lifetime > 0):
"na|pd ADDR[/LEN] DUIDHEX IAID". `rebind6.py rebind IFACE` reads such
lines on stdin and, for each, sends a REBIND (no server identifier: any
server may answer, RFC 8415 §18.2.5) with that client's DUID, IAID and
binding to ff02::1:2 on IFACE, waits for the REPLY (bounded: 3 tries of
1 s) and prints the input line followed by the valid lifetime the REPLY
gave that binding ("0" when it gave none, "none" when no REPLY came).
stdlib only."""
import ipaddress
import os
import socket
import struct
import sys


def options(b):
    i = 0
    while i + 4 <= len(b):
        code, ln = struct.unpack_from("!HH", b, i)
        yield code, b[i + 4:i + 4 + ln]
        i += 4 + ln


def ia_bindings(code, val):
    """(kind, text, valid) of every IAADDR / IAPREFIX in an IA option."""
    if code == 3 and len(val) >= 12:
        for c2, v2 in options(val[12:]):
            if c2 == 5 and len(v2) >= 24:
                yield "na", str(ipaddress.IPv6Address(v2[:16])), \
                    struct.unpack_from("!I", v2, 20)[0]
    elif code == 25 and len(val) >= 12:
        for c2, v2 in options(val[12:]):
            if c2 == 26 and len(v2) >= 25:
                yield "pd", "%s/%d" % (ipaddress.IPv6Address(v2[9:25]),
                                       v2[8]), \
                    struct.unpack_from("!I", v2, 4)[0]


def reply_lines(msg):
    if not msg or msg[0] != 7:
        return []
    duid, out = None, []
    opts = list(options(msg[4:]))
    for code, val in opts:
        if code == 1:
            duid = val.hex()
    for code, val in opts:
        if code in (3, 25) and len(val) >= 12:
            iaid = struct.unpack_from("!I", val, 0)[0]
            for kind, text, valid in ia_bindings(code, val):
                if valid:
                    out.append("%s %s %s %d" % (kind, text, duid, iaid))
    return out


def list_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack_from(endian + "I", data, off + 8)[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            eth, l3 = struct.unpack_from("!H", frame, 12)[0], frame[14:]
        elif linktype == 113:
            eth, l3 = struct.unpack_from("!H", frame, 14)[0], frame[16:]
        else:
            sys.exit("link type %d not read" % linktype)
        if eth != 0x86DD or len(l3) < 48 or l3[6] != 17:
            continue
        udp = l3[40:]
        if struct.unpack_from("!H", udp, 0)[0] != 547:
            continue
        for line in reply_lines(udp[8:]):
            print(line)


def opt(code, val):
    return struct.pack("!HH", code, len(val)) + val


def rebind(iface):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.bind(("::", 546))
    s.settimeout(1.0)
    idx = socket.if_nametoindex(iface)
    for line in sys.stdin:
        kind, text, duid, iaid = line.split()
        xid = os.urandom(3)
        if kind == "na":
            a = ipaddress.IPv6Address(text).packed
            ia = opt(3, struct.pack("!III", int(iaid), 0, 0) +
                     opt(5, a + struct.pack("!II", 0, 0)))
        else:
            net = ipaddress.IPv6Network(text)
            ia = opt(25, struct.pack("!III", int(iaid), 0, 0) +
                     opt(26, struct.pack("!IIB", 0, 0, net.prefixlen) +
                         net.network_address.packed))
        msg = bytes([6]) + xid + opt(1, bytes.fromhex(duid)) + \
            opt(8, b"\0\0") + ia
        got = "none"
        for _ in range(3):
            s.sendto(msg, ("ff02::1:2", 547, 0, idx))
            try:
                while True:
                    b, _src = s.recvfrom(2048)
                    if len(b) > 4 and b[0] == 7 and b[1:4] == xid:
                        break
            except socket.timeout:
                continue
            got = "0"
            for code, val in options(b[4:]):
                if code in (3, 25):
                    for k2, t2, valid in ia_bindings(code, val):
                        if k2 == kind and t2 == text:
                            got = str(valid)
            break
        print("%s %s" % (line.strip(), got), flush=True)


if sys.argv[1] == "list":
    list_pcap(sys.argv[2])
else:
    rebind(sys.argv[2])
