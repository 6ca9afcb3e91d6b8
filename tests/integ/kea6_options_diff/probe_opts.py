#!/usr/bin/env python3
"""kea6_options_diff: INFORMATION-REQUESTs asking for every option of
dhcp6_opts.json, sent to kea-dhcp6 and to ternd, and the option bytes of
the REPLYs compared (tests/integ/test_kea6_options_diff.sh).

  probe_opts.py probe IFACE OUT.json     send every client, store replies
  probe_opts.py compare KEA.json TERND.json

compare: per client, every option of the REPLY but the server's DUID (2)
and the echoed client DUID (1), in the order sent (Kea packs its options
in code order, ternd too), must be byte for byte the same, and each
option the client asked for that the file configures must be there; the
whole REPLY's codes must come in the same order (1 and 2 included). Exit 0 on a match, 1 on differences.
Standard library only.
"""
import json
import select
import socket
import struct
import sys
import time

ALL_SERVERS = "ff02::1:2"

# Codes of dhcp6_opts.json the engine of either server answers from
# option-data (not the ones it writes itself: 1 2 3 4 5 6 8 9 13 14 17 18
# 25 26 67).
CONFIGURED = [7, 11, 12, 15, 16, 19, 20, 21, 22, 23, 24, 27, 28, 29, 30, 31,
              32, 33, 34, 36, 37, 38, 39, 40, 41, 42, 43, 46, 47, 48, 51, 52,
              53, 57, 58, 59, 60, 61, 62, 64, 65, 66, 74, 79, 80, 82, 83, 87,
              88, 94, 95, 96, 103, 135, 143, 200, 201, 210, 211, 212,
              999]
DOCSIS_ORO = [2, 10, 32, 33, 34, 36, 37, 38, 1026]

# name, DUID suffix, ORO, vendor-opts to send (enterprise, sub-options)
CLIENTS = [
    ("first-half", 0x41, CONFIGURED[:29],
     (4491, [(1, b"".join(struct.pack("!H", c) for c in DOCSIS_ORO))])),
    ("second-half", 0x42, CONFIGURED[29:], (2495, [])),
    ("unconfigured", 0x43, [150, 151, 9999], None),
]


def opt(code, val):
    return struct.pack("!HH", code, len(val)) + val


def opts(buf):
    out, i = [], 0
    while i + 4 <= len(buf):
        code, ln = struct.unpack("!HH", buf[i:i + 4])
        out.append((code, buf[i + 4:i + 4 + ln]))
        i += 4 + ln
    return out


def build(c, xid):
    name, k, oro, vendor = c
    body = opt(1, bytes([0, 3, 0, 1, 2, 0, 0, 0, 0, k]))
    body += opt(6, b"".join(struct.pack("!H", x) for x in oro))
    body += opt(8, b"\0\0")
    if vendor:
        ent, subs = vendor
        body += opt(17, struct.pack("!I", ent) +
                    b"".join(opt(sc, sv) for sc, sv in subs))
    return bytes([11]) + xid.to_bytes(3, "big") + body


def probe(ifname, out):
    ifidx = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifidx)
    s.bind(("::", 546))
    res, xid = {}, 0x200
    for c in CLIENTS:
        xid += 1
        rep = None
        for _ in range(3):  # a lost datagram is sent again, 3 times at most
            s.sendto(build(c, xid), (ALL_SERVERS, 547, 0, ifidx))
            end = time.time() + 2.0
            while rep is None and time.time() < end:
                r, _, _ = select.select([s], [], [],
                                        max(0, end - time.time()))
                if not r:
                    break
                data, _ = s.recvfrom(65535)
                if len(data) >= 4 and data[0] == 7 and \
                        int.from_bytes(data[1:4], "big") == xid:
                    rep = data
            if rep is not None:
                break
        res[c[0]] = rep.hex() if rep else None
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
    return 0 if all(res.values()) else 1


def listed(hexrep):
    rep = bytes.fromhex(hexrep)
    return [(c, v.hex()) for c, v in opts(rep[4:]) if c not in (1, 2)]


def codes(hexrep):
    return [c for c, _ in opts(bytes.fromhex(hexrep)[4:])]


def compare(kea_f, ternd_f):
    kea, ternd = json.load(open(kea_f)), json.load(open(ternd_f))
    bad = n = 0
    for name, _, oro, vendor in CLIENTS:
        if not kea.get(name) or not ternd.get(name):
            print("%s: no REPLY (kea %s, ternd %s)" %
                  (name, bool(kea.get(name)), bool(ternd.get(name))))
            bad += 1
            continue
        k, t = listed(kea[name]), listed(ternd[name])
        if codes(kea[name]) != codes(ternd[name]):
            print("%s: option order: kea %s\n%s                ternd %s" %
                  (name, codes(kea[name]), " " * len(name),
                   codes(ternd[name])))
            bad += 1
        kc = {c for c, _ in k}
        for code in oro:
            if code in CONFIGURED and code not in kc:
                print("%s: kea-dhcp6 did not send option %d" % (name, code))
                bad += 1
        if vendor and 17 not in kc:
            print("%s: kea-dhcp6 sent no vendor-opts" % name)
            bad += 1
        for i in range(max(len(k), len(t))):
            a = k[i] if i < len(k) else None
            b = t[i] if i < len(t) else None
            n += 1
            if a != b:
                print("%s: kea %s\n%s  ternd %s" %
                      (name, a, " " * len(name), b))
                bad += 1
        print("%s: %d options compared" % (name, len(k)))
    print("%d options compared, %d differences" % (n, bad))
    return 1 if bad else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "probe":
        return probe(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "compare":
        return compare(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
