#!/usr/bin/env python3
"""Print one line per binding a DHCPv6 REPLY in a pcap gave: "na ADDR" or
"pd PREFIX/LEN", for every IAADDR / IAPREFIX with a valid lifetime > 0
(what the client may use). Reads the pcap written by tcpdump -w (Ethernet
or Linux cooked frames); stdlib only. Relayed REPLYs (RELAY-REPL) are
unwrapped."""
import ipaddress
import struct
import sys


def options(b):
    i = 0
    while i + 4 <= len(b):
        code, ln = struct.unpack_from("!HH", b, i)
        yield code, b[i + 4:i + 4 + ln]
        i += 4 + ln


def bindings(msg, out):
    if not msg:
        return
    t = msg[0]
    if t == 13:  # RELAY-REPL: hop, link, peer, then options
        for code, val in options(msg[34:]):
            if code == 9:
                bindings(val, out)
        return
    if t != 7:  # REPLY
        return
    for code, val in options(msg[4:]):
        if code == 3 and len(val) >= 12:  # IA_NA
            for c2, v2 in options(val[12:]):
                if c2 == 5 and len(v2) >= 24:
                    valid = struct.unpack_from("!I", v2, 20)[0]
                    if valid:
                        out.append("na %s" % ipaddress.IPv6Address(v2[:16]))
        elif code == 25 and len(val) >= 12:  # IA_PD
            for c2, v2 in options(val[12:]):
                if c2 == 26 and len(v2) >= 25:
                    valid = struct.unpack_from("!I", v2, 4)[0]
                    if valid:
                        out.append("pd %s/%d" % (
                            ipaddress.IPv6Address(v2[9:25]), v2[8]))


def main():
    data = open(sys.argv[1], "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack_from(endian + "I", data, off + 8)[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:  # Ethernet
            eth, l3 = struct.unpack_from("!H", frame, 12)[0], frame[14:]
        elif linktype == 113:  # Linux cooked
            eth, l3 = struct.unpack_from("!H", frame, 14)[0], frame[16:]
        else:
            sys.exit("link type %d not read" % linktype)
        if eth != 0x86DD or len(l3) < 48 or l3[6] != 17:
            continue
        udp = l3[40:]
        if struct.unpack_from("!H", udp, 0)[0] != 547:
            continue
        bindings(udp[8:], out)
    for line in out:
        print(line)


main()
