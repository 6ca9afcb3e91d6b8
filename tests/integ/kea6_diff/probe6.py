#!/usr/bin/env python3
"""kea6_diff: the same DHCPv6 clients against kea-dhcp6 and ternd, and the
comparison of what they answered (tests/integ/test_kea6_diff.sh).

  probe6.py probe IFACE OUT.jsonl [SET]   send every client of SET ("base",
                                          the default, "net", "class" or
                                          "expr"), one line each
  probe6.py compare CONFIG KEA.jsonl TERND.jsonl [--allow TABLE]
  probe6.py expect CONFIG KEA.jsonl SET   what the clients of SET must
                                          have been answered ("expr")

probe: each client of CLIENTS runs SOLICIT then, when it got an ADVERTISE,
REQUEST for what was advertised (direct from port 546 to ff02::1:2, or
wrapped in RELAY-FORW from port 547), a "renew" client then RENEW for what
the REPLY gave; the replies are stored as hex. The "net" set is for
kea6_diff/dhcp6_net.json (shared networks: small pools that fill up, a
reservation in the sibling subnet, networks chosen by interface,
interface-id and relay address), "class" for dhcp6_class.json, "expr"
for dhcp6_expr.json (client classes with test expressions; its clients
may carry their own DUID, nested relays and transaction id: xopt()).

expect: each "expr" client lists what kea-dhcp6's replies must show
(options decoded as the configuration writes them, parts of an IA's
description, or no answer at all for a DROP client), so that the
configuration is seen to exercise every class before ternd is compared.

compare: per client and message, the message type, then every option as a
set (code -> values), with what no client can rely on masked:
  * the server DUID (option 2): its presence only;
  * an address or prefix the server chose: both must lie in the same pool
    or pd-pool of CONFIG (never for a reserved client: then exactly);
  * a status code's message text (RFC 8415 21.13: for humans): the code;
  * in a RELAY-REPL, the relay fields and the echoed interface-id exactly.
TABLE (docs/kea-differences.md) lists further exceptions, rows whose key
starts with "v6:"; `v6:option:CODE` forgives option CODE. Exit 0 on a
match, 1 on differences, 2 on bad input. Standard library only.
"""
import ipaddress
import json
import re
import select
import socket
import struct
import sys
import time

ALL_SERVERS = "ff02::1:2"

# name, relay (None or (link-address, interface-id)), DUID suffix byte,
# IAs ("na"/"pd"), ORO, extra options (code, hex), rapid commit, kind
CLIENTS = [
    ("na", None, 0x01, ["na"], [23, 24], [], False, "solicit"),
    ("na-pd", None, 0x02, ["na", "pd"], [23, 24, 64, 94, 95, 96], [], False,
     "solicit"),
    ("pd-mapt", None, 0x03, ["pd"], [95, 64], [], False, "solicit"),
    ("two-na", None, 0x04, ["na", "na"], [23], [], False, "solicit"),
    ("no-oro", None, 0x05, ["na", "pd"], [], [], False, "solicit"),
    ("rapid", None, 0x06, ["na"], [23, 24], [], True, "solicit"),
    ("reserved", None, 0x99, ["na", "pd"], [23, 24], [], False, "solicit"),
    ("docsis", None, 0x07, ["na"], [23],
     [(17, "0000118b" + "0001" + "0002" + "0020")], False, "solicit"),
    ("vclass", None, 0x08, ["na"], [],
     [(16, "00003039" + "0002" + "7879")], False, "solicit"),
    ("relayed", ("2001:db8:2::1", b"port-2"), 0x21, ["na", "pd"],
     [23, 24, 95], [], False, "solicit"),
    ("ldra", ("::", b"port-9"), 0x22, ["na"], [23, 24], [], False,
     "solicit"),
    # Kea 2.2's subnet selection order: the interface-id of the relay
    # nearest the client before the link-address; an LDRA (::) or a
    # link-local link-address makes the message direct, its interface-id
    # unused.
    ("iid-first", ("2001:db8:2::1", b"port-3"), 0x24, ["na"], [23], [],
     False, "solicit"),
    ("ldra-iid", ("::", b"port-3"), 0x25, ["na"], [23], [], False,
     "solicit"),
    ("ll-link", ("fe80::1", b"port-3"), 0x26, ["na"], [23], [], False,
     "solicit"),
    ("relayed-s46", ("2001:db8:2::1", b"port-2"), 0x23, ["pd"],
     [94, 95, 96, 64], [], False, "solicit"),
    ("info", None, 0x31, [], [23, 24, 32, 95], [], False, "info"),
    ("info-relayed", ("2001:db8:2::1", b"port-2"), 0x32, [], [23, 24, 32],
     [], False, "info"),
]


# For dhcp6_net.json, in this order: the network "lab" fills subnet 1's two
# addresses and two prefixes, then goes on in subnet 2.
CLIENTS_NET = [
    ("n1", None, 0x41, ["na"], [23, 24, 32, 1000, 1001, 250, 251], [],
     False, "solicit"),
    ("n2", None, 0x42, ["na", "pd"], [23, 24, 32], [], False, "solicit"),
    ("n3-spill", None, 0x43, ["na", "pd"], [23, 24, 32, 1000, 1001, 250],
     [], False, "renew"),
    ("n4-pd-spill", None, 0x44, ["pd"], [23, 24], [], False, "renew"),
    ("n5", None, 0x45, ["na", "na"], [23, 24, 32], [], False, "solicit"),
    ("reserved", None, 0x99, ["na"], [23, 24, 32], [], False, "solicit"),
    ("vendor", None, 0x47, [], [23], [(16, "00003039" + "0002" + "7879")],
     False, "info"),
    ("info", None, 0x46, [], [23, 24, 32, 1000, 1001, 251], [], False,
     "info"),
    ("far1", ("2001:db8:33::1", b"port-3"), 0x51, ["na"], [23, 24], [], True,
     "solicit"),
    ("far2-spill", ("2001:db8:33::1", b"port-3"), 0x52, ["na"], [23, 24], [], True,
     "solicit"),
    ("farther", ("2001:db8:50::1", b"x"), 0x53, ["na"], [23, 24], [],
     False, "renew"),
    ("plain", ("2001:db8:33::1", b"port-9"), 0x54, ["na"], [23, 24, 32], [], False,
     "solicit"),
]

# For dhcp6_class.json: pools for KNOWN and UNKNOWN clients, a subnet and
# a prefix pool for a vendor class (option 16; DOCSIS's tuple wins), a
# pool for a class only a reservation's client-classes name.
ACME = [(16, "00003039" + "0004" + "61636d65")]
DOCSIS = [(16, "0000118b" + "0003" + "666f6f" + "0009" + "646f63736973332e30")]
CLIENTS_CLASS = [
    ("known", None, 0x99, ["na"], [23], [], False, "solicit"),
    ("u1", None, 0x61, ["na"], [23], [], False, "renew"),
    ("u2", None, 0x62, ["na"], [23], [], False, "solicit"),
    ("u3-full", None, 0x63, ["na"], [23], [], False, "solicit"),
    ("acme", None, 0x64, ["na"], [23], ACME, False, "renew"),
    ("docsis-pd", None, 0x65, ["pd"], [23], DOCSIS, False, "solicit"),
    ("plain-pd", None, 0x66, ["pd"], [23], [], False, "solicit"),
    # A reservation's client-classes in a shared network: Kea adds them
    # after the allocation, so the office pool stays shut to its host.
    ("office", None, 0x98, ["na"], [23], [], False, "solicit"),
]

# For dhcp6_expr.json: client classes with test expressions. Each client
# lists what kea-dhcp6's answers must show (reply number, option code,
# value as expect() decodes it or None for absent; for an IA, a part of
# its description), so that every class is seen to take effect.
ORO_ALL = [21, 22, 23, 24, 27, 28, 29, 30, 31, 32, 33, 34, 41, 42, 59, 64]
CABLELABS = "0000118b"
MODEM16 = CABLELABS + "0009" + b"docsis3.0".hex() + "0002" + b"cm".hex()
EROUTER16 = CABLELABS + "000a" + b"eRouter1.0".hex()
DOCSIS_ORO17 = CABLELABS + "0001" + "0002" + "0020"  # sub-option 1: [32]
IPXE15 = "0004" + b"iPXE".hex()
ARCH61 = "0007"
VENDOR17 = "00003039" + "0007" + "0004"  # enterprise 12345, sub-option 7
CLASSES = [(31, "2001:db8::123"), (24, "lab.example"), (27, "2001:db8::27"),
           (29, None), (30, None), (22, None), (21, None), (33, None),
           (34, None), (59, None), (64, None), (42, None), (28, None)]
CLIENTS_EXPR = [
    ("plain", None, 0x71, ["na", "pd"], ORO_ALL, [], False, "solicit",
     {"expect": [(0, 3, "pool 0.0"), (0, 25, "pd-pool 0.1"),
                 (0, 1002, "pd"), (1, 1002, "pd"), (1, 1004, None),
                 (0, 1006, b"all-servers".hex()), (1, 1006, b"all-servers".hex()),
                 (1, 1005, None), (1, 1003, None),
                 (0, 41, "EST5EDT4"), (0, 34, "2001:db8::34"),
                 (0, 23, "2001:db8::53"), (0, 32, None),
                 (1, 41, None), (1, 3, "pref=3000 valid=4000"),
                 (1, 34, "2001:db8::34")] +
      [(1,) + e for e in CLASSES if e[0] != 34]}),
    ("llt", None, 0x72, ["na"], ORO_ALL, [], False, "solicit",
     {"duid": "0001" + "0001" + "2d3e4f50" + "020000000072",
      "expect": [(1, 3, "pool 0.0"), (1, 29, "llt.example"), (1, 34, None),
                 (1, 41, None)]}),
    ("en-acme", None, 0x73, ["na"], ORO_ALL, [], False, "renew",
     {"duid": "0002" + "00003039" + b"acme".hex(),
      "expect": [(1, 3, "T1=2500 T2=4000 [('5 lease', 'pool 0.0 "
                    "pref=5000 valid=7000"), (1, 32, None),
                 (2, 32, "7200"), (2, 31, "2001:db8::123")]}),
    ("modem", None, 0x74, ["na"], ORO_ALL,
     [(16, MODEM16), (17, DOCSIS_ORO17)], False, "renew",
     {"expect": [(2, 3, "pool 0.1"), (2, 28, "2001:db8::28"),
                 (2, 32, "7200"), (1, 3, "pool 0.1"),
                 (1, 23, "2001:db8:1::b53"),
                 (1, 17, "4491:32=20010db80000000000000000000000c1"),
                 (1, 28, "2001:db8::28"), (1, 42, "Europe/Paris"),
                 (1, 27, "2001:db8::27"), (1, 64, None)]}),
    ("modem-no-oro", None, 0x84, ["na"], [], [(16, MODEM16)], False,
     "solicit",
     {"expect": [(1, 3, "pool 0.1"), (1, 42, "Europe/Paris"), (1, 23, None),
                 (1, 28, None)]}),
    ("vendor-only", None, 0x75, ["na"], ORO_ALL, [(17, DOCSIS_ORO17)],
     False, "solicit",
     {"expect": [(1, 3, "pool 0.0"),
                 (1, 17, "4491:32=20010db8000000000000000000000069"),
                 (1, 28, None), (1, 42, None)]}),
    ("erouter", None, 0x76, ["na", "pd"], ORO_ALL, [(16, EROUTER16)],
     False, "solicit",
     {"expect": [(1, 3, "pool 0.1"), (1, 25, "pd-pool 0.0"),
                 (1, 64, "aftr.router.example"), (1, 42, None),
                 (1, 1002, None),
                 (1, 28, "2001:db8::28")]}),
    ("ipxe", None, 0x77, ["na"], ORO_ALL, [(15, IPXE15), (61, ARCH61)],
     False, "solicit",
     {"expect": [(1, 59, "http://[2001:db8::1]/ipxe.cfg"),
                 (1, 42, "America/New_York")]}),
    ("efi", None, 0x78, ["na"], ORO_ALL, [(61, ARCH61)], False, "solicit",
     {"expect": [(1, 59, "http://[2001:db8::1]/ipxe.efi"),
                 (1, 42, "America/New_York"), (1, 34, None)]}),
    ("gold", ("2001:db8:4::1", None), 0x79, ["na"], ORO_ALL,
     [(17, VENDOR17 + b"gold".hex())], False, "solicit",
     {"relays": [("2001:db8:4::1", "fe80::1:79", [])],
      "expect": [(1, 3, "pool 3.0"), (1, 22, "2001:db8::5"),
                 (1, 17, "12345:2=cafe")]}),
    ("lead", ("2001:db8:4::1", None), 0x7a, ["na"], ORO_ALL,
     [(17, VENDOR17 + b"lead".hex())], False, "solicit",
     {"relays": [("2001:db8:4::1", "fe80::1:7a", [])],
      "expect": [(0, 3, "('13 status', '2')"), (0, 22, None),
                 (0, 17, None)]}),
    ("relay-a", ("2001:db8:2::1", b"port-a"), 0x7b, ["na"], ORO_ALL, [],
     False, "solicit",
     {"relays": [("2001:db8:2::1", "fe80::1:7b",
                  [(18, b"port-a"),
                   (37, bytes.fromhex(CABLELABS) + b"cm-1")])],
      "expect": [(1, 3, "pool 1.0"), (1, 3, "pref=1200 valid=2500"),
                 (1, 34, "2001:db8::3737"), (1, 42, None),
                 (1, 23, "2001:db8:2::53"), (1, 24, "relay-a.example")]}),
    ("nested-7", ("2001:db8:30::1", None), 0x7c, ["na"], ORO_ALL, [],
     False, "solicit",
     {"relays": [("2001:db8:30::1", "fe80::aa", []),
                 ("::", "fe80::1:7c", [(18, b"ldra-7")])],
      "expect": [(1, 3, "pool 2.0"), (1, 21, "sip.edge.example"),
                 (1, 1003, "inner"),
                 (1, 23, "2001:db8:7::53"), (1, 42, "Europe/Berlin")]}),
    ("nested-8", ("2001:db8:30::1", None), 0x7d, ["na"], ORO_ALL, [],
     False, "solicit",
     {"relays": [("2001:db8:30::1", "fe80::ab", []),
                 ("::", "fe80::1:7d", [(18, b"ldra-8")])],
      "expect": [(1, 3, "pool 2.1"), (1, 21, None), (1, 1003, None),
                 (1, 23, "2001:db8::53"), (1, 42, None)]}),
    ("voip", ("2001:db8:50::1", None), 0x82, ["na"], ORO_ALL,
     [(16, "00000009" + "0004" + b"voip".hex())], False, "solicit",
     {"relays": [("2001:db8:50::1", "fe80::1:82", [])],
      "expect": [(1, 3, "pool 4.0"), (1, 3, "T1=300 T2=480"),
                 (1, 3, "pref=600 valid=900"),
                 (1, 31, "2001:db8:50::123"), (1, 28, "2001:db8::5028")]}),
    ("campus", ("2001:db8:50::1", None), 0x83, ["na"], ORO_ALL, [], False,
     "solicit",
     {"relays": [("2001:db8:50::1", "fe80::1:83", [])],
      "expect": [(1, 3, "pool 5.0"), (1, 3, "valid=4000"),
                 (1, 31, "2001:db8:50::123"), (1, 28, "2001:db8::5028")]}),
    ("known-vip", None, 0x99, ["na"], ORO_ALL, [], False, "solicit",
     {"expect": [(1, 3, "pool 0.2"), (1, 24, "host.example"),
                 (1, 1004, "vip"), (1, 1005, None),
                 (1, 31, "2001:db8::77")]}),
    ("drop-duid", None, 0x7e, ["na"], ORO_ALL, [], False, "solicit",
     {"duid": "0003dead" + "02000000007e", "expect": [(0, "none", None)]}),
    ("drop-relay", ("2001:db8:2::1", b"blocked"), 0x7f, ["na"], ORO_ALL,
     [], False, "solicit", {"expect": [(0, "none", None)]}),
    ("coffee", None, 0x80, ["na"], ORO_ALL, [], False, "solicit",
     {"xid": 0xc0ffee,
      "expect": [(0, 33, "xid.example"), (1, 33, None)]}),
    ("info-lab", None, 0x81, [], ORO_ALL, [], False, "info",
     {"expect": [(0, 31, "2001:db8::123"), (0, 24, "lab.example"),
                 (0, 27, "2001:db8::27"), (0, 30, None), (0, 1005, None)]}),
]

SETS = {"base": CLIENTS, "net": CLIENTS_NET, "class": CLIENTS_CLASS,
        "expr": CLIENTS_EXPR}


def opt(code, val):
    return struct.pack("!HH", code, len(val)) + val


def opts(buf):
    out, i = [], 0
    while i + 4 <= len(buf):
        code, ln = struct.unpack("!HH", buf[i:i + 4])
        out.append((code, buf[i + 4:i + 4 + ln]))
        i += 4 + ln
    return out


def duid(k):
    return bytes([0, 3, 0, 1, 2, 0, 0, 0, 0, k])  # DUID-LL


def ia_opts(ias, offered=None):
    out = b""
    for n, kind in enumerate(ias):
        iaid = 100 + n
        inner = b""
        if offered and (kind, iaid) in offered:
            inner = offered[(kind, iaid)]
        out += opt(3 if kind == "na" else 25,
                   struct.pack("!III", iaid, 0, 0) + inner)
    return out


def xopt(c):
    """A client's extras (the "expr" set): "duid" (hex, instead of the
    DUID-LL of its byte), "relays" (outermost first: (link-address,
    peer-address, [(code, bytes)]), instead of one relay), "xid" (the
    first message's transaction id), "expect" (what kea-dhcp6's answers
    must show: see expect())."""
    return c[8] if len(c) > 8 else {}


def build(c, mtype, xid, server_id=None, offered=None):
    name, relay, k, ias, oro, extra, rapid, _ = c[:8]
    x = xopt(c)
    body = opt(1, bytes.fromhex(x["duid"]) if "duid" in x else duid(k))
    if server_id:
        body += opt(2, server_id)
    if oro:
        body += opt(6, b"".join(struct.pack("!H", x) for x in oro))
    body += opt(8, b"\0\0")
    if rapid and mtype == 1:
        body += opt(14, b"")
    for code, hx in extra:
        body += opt(code, bytes.fromhex(hx))
    if mtype != 11:
        body += ia_opts(ias, offered)
    msg = bytes([mtype]) + xid.to_bytes(3, "big") + body
    if relay:
        levels = x.get("relays") or [
            (relay[0], "fe80::1:%x" % k, [(18, relay[1])])]
        # Innermost first: hop-count 0 next to the client.
        for hop, (link, peer, ropts) in enumerate(reversed(levels)):
            msg = bytes([12, hop]) + \
                socket.inet_pton(socket.AF_INET6, link) + \
                socket.inet_pton(socket.AF_INET6, peer) + \
                b"".join(opt(rc, rv) for rc, rv in ropts) + opt(9, msg)
    return msg


# ---- v6res: host reservations (kea6_diff/dhcp6_res.json) -------------
# In this order: global hosts (addresses outside the subnet's pools, a
# prefix, options and client-classes; one by hw-address from the DUID-LL
# giving options only), a subnet host, hw-address before duid (Kea's
# default host-reservation-identifiers), out-of-pool (the pools skip the
# reservation check: another client takes the reserved address first),
# reservations-in-subnet false (the same), the default (the reserved
# address kept for its host), a network's reservation-mode "global" and a
# subnet of it turning its own reservations back on, Kea's single query
# in a network of three subnets.
R2, R3, R4 = ("2001:db8:2::1", b"r"), ("2001:db8:3::1", b"r"), \
    ("2001:db8:4::1", b"r")
R5, R6 = ("2001:db8:5::1", b"r"), ("2001:db8:6::1", b"r")
RSOO = ("0041000d03657270076578616d706c6500"   # 65 erp-local-domain
        "00170010" + "20010db8" + "0" * 22 + "99"  # 23 2001:db8::99
        "006e0002abcd" "006e0001ef"                 # 110 twice
        "0015000401616200")                         # 21 (not enabled)
CLIENTS_RES = [
    ("g-host", None, 0x71, ["na", "pd"], [23, 24, 31], [], False, "renew"),
    ("g-hw-opts", None, 0x72, ["na"], [23, 24], [], False, "solicit"),
    ("s-host", None, 0x74, ["na"], [23], [], False, "solicit"),
    ("hw-first", None, 0x75, ["na"], [23], [], False, "renew"),
    ("oop-other", R2, 0x82, ["na"], [23], [], False, "solicit"),
    ("oop-host", R2, 0x81, ["na"], [23], [], False, "solicit"),
    # out-of-pool: a reserved address and prefix outside the pools are
    # its host's.
    ("oop-outside", R2, 0x83, ["na", "pd"], [23], [], False, "renew"),
    ("nosub-other", R3, 0x92, ["na"], [23], [], False, "solicit"),
    ("nosub-host", R3, 0x91, ["na"], [23], [], False, "solicit"),
    ("insub-other", R4, 0xa2, ["na"], [23], [], False, "solicit"),
    ("insub-host", R4, 0xa1, ["na"], [23], [], False, "renew"),
    ("mode-global", R5, 0xb1, ["na"], [23], [], False, "solicit"),
    # A global host's client-classes in a shared network: Kea adds them
    # in initContext, so the class's option 31 comes.
    ("net-global-classes", R5, 0xb2, ["na"], [23, 31], [], False,
     "solicit"),
    # One client through two subnets of a network: first where global
    # hosts are off (a pool address), then where they are on: Kea's
    # removeNonreservedLeases6 moves it to its global host's address.
    ("switch-before", ("2001:db8:8::1", b"r"), 0x95, ["na"], [23], [],
     False, "solicit"),
    ("switch-after", ("2001:db8:9::1", b"r"), 0x95, ["na"], [23], [],
     False, "renew"),
    ("net-subnet-host", R6, 0xc1, ["na"], [23], [], False, "solicit"),
    # A network of 3 subnets, more than the client's 2 identifiers: Kea
    # fetches the hosts in one query per identifier type, the last type
    # found (duid) wins over hw-address.
    ("net-single-query", ("2001:db8:7::1", b"r"), 0xd1, ["na"], [23], [],
     False, "solicit"),
    # mac-sources ["rfc6939", "remote-id", "docsis-modem", "duid"]: the
    # hardware address of a hw-address host from the nearest relay's
    # option 79, its remote-id, the client's CableLabs device-id, else
    # the DUID-LL (the last client: a relay option 79 the host does not
    # know hides the DUID's address, which its host would match).
    ("mac-rfc6939", ("2001:db8:4::1", b"r", [(79, "00010a00000000e1")]),
     0xe1, ["na"], [23], [], False, "solicit"),
    ("mac-remote-id", ("2001:db8:4::1", b"r",
                       [(37, "000000090b00000000e2")]),
     0xe2, ["na"], [23], [], False, "solicit"),
    ("mac-docsis-modem", None, 0xe3, ["na"], [23],
     [(17, "0000118b" + "0024" + "0006" + "0c00000000e3")], False,
     "solicit"),
    ("mac-first-source", ("2001:db8:4::1", b"r", [(79, "00010f00000000e4")]),
     0xe4, ["na"], [23], [], False, "solicit"),
    # relay-supplied-options ["dns-servers", "110"] (65 always): the
    # relay's option 66 gives 65, 23 (unless the reply has its own), 110
    # (the first of the two), never 21.
    ("rsoo", ("2001:db8:3::1", b"r", [(66, RSOO)]), 0xf1, [], [23], [],
     False, "info"),
    ("rsoo-no-oro", ("2001:db8:3::1", b"r", [(66, RSOO)]), 0xf2, ["na"],
     [], [], False, "solicit"),
]
SETS["res"] = CLIENTS_RES

# For kea6_diff/dhcp6_res_early.json (early-global-reservations-lookup):
# a global host's class picks the subnet (gold); one in a subnet without
# reservations-global is still KNOWN (its KNOWN pool and a class testing
# KNOWN) though its options are not used; no host: UNKNOWN.
CLIENTS_RES_EARLY = [
    ("early-gold", None, 0x71, ["na"], [23, 24, 31], [], False, "renew"),
    ("early-known", None, 0x72, ["na"], [23, 24, 31], [], False, "solicit"),
    ("early-unknown", None, 0x73, ["na"], [23, 24, 31], [], False,
     "solicit"),
]
SETS["res-early"] = CLIENTS_RES_EARLY

# A relay tuple of three: (link-address, interface-id, [(code, hex)])
# adds those options to the RELAY-FORW.
_build_base = build


def build(c, mtype, xid, server_id=None, offered=None):
    relay = c[1]
    if not relay or len(relay) < 3:
        return _build_base(c, mtype, xid, server_id, offered)
    msg = _build_base((c[0], relay[:2]) + tuple(c[2:]), mtype, xid,
                      server_id, offered)
    extra = b"".join(opt(code, bytes.fromhex(hx)) for code, hx in relay[2])
    return msg[:34] + extra + msg[34:]


def unwrap(rep):
    """The innermost message of a reply and the relay levels."""
    levels = []
    while rep and rep[0] == 13 and len(rep) >= 34:
        o = opts(rep[34:])
        levels.append({"hop": rep[1], "link": rep[2:18].hex(),
                       "peer": rep[18:34].hex(),
                       "opts": [(c, v.hex()) for c, v in o if c != 9]})
        inner = [v for c, v in o if c == 9]
        rep = inner[0] if inner else b""
    return rep, levels


def exchange(socks, ifidx, c, msg, xid, timeout=2.0):
    s = socks[1 if c[1] else 0]
    s.sendto(msg, (ALL_SERVERS, 547, 0, ifidx))
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.time()))
        if not r:
            break
        rep, _ = s.recvfrom(4096)
        inner, _ = unwrap(rep)
        if len(inner) >= 4 and int.from_bytes(inner[1:4], "big") == xid:
            return rep
    return None


def held(inner):
    """Server id and the IAADDR / IAPREFIX options per (kind, iaid)."""
    sid, got = None, {}
    for code, v in opts(inner[4:]):
        if code == 2:
            sid = v
        elif code in (3, 25) and len(v) >= 12:
            kind = "na" if code == 3 else "pd"
            iaid = struct.unpack("!I", v[:4])[0]
            got[(kind, iaid)] = b"".join(opt(sc, sv)
                                         for sc, sv in opts(v[12:])
                                         if sc in (5, 26))
    return sid, got


def probe(ifname, out, clients=CLIENTS):
    ifidx = socket.if_nametoindex(ifname)
    socks = []
    for port in (546, 547):
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifidx)
        s.bind(("::", port))
        socks.append(s)
    xid = 0x100
    with open(out, "w") as f:
        for c in clients:
            rec = {"client": c[0], "replies": []}
            if "xid" in xopt(c):
                xid = xopt(c)["xid"] - 1
            xid += 1
            first = 11 if c[7] == "info" else 1
            rep = exchange(socks, ifidx, c, build(c, first, xid), xid)
            rec["replies"].append(rep.hex() if rep else None)
            inner, _ = unwrap(rep) if rep else (b"", [])
            if rep and inner[0] == 2:  # ADVERTISE: REQUEST what it holds
                sid, offered = None, {}
                n_ia = {"na": 0, "pd": 0}
                for code, v in opts(inner[4:]):
                    if code == 2:
                        sid = v
                    elif code in (3, 25) and len(v) >= 12:
                        kind = "na" if code == 3 else "pd"
                        iaid = struct.unpack("!I", v[:4])[0]
                        keep = b"".join(opt(sc, sv) for sc, sv in opts(v[12:])
                                        if sc in (5, 26))
                        offered[(kind, iaid)] = keep
                        n_ia[kind] += 1
                xid += 1
                rep2 = exchange(socks, ifidx, c,
                                build(c, 3, xid, sid, offered), xid)
                rec["replies"].append(rep2.hex() if rep2 else None)
                inner2, _ = unwrap(rep2) if rep2 else (b"", [])
                if c[7] == "renew" and inner2 and inner2[0] == 7:
                    sid, got = held(inner2)
                    xid += 1
                    rep3 = exchange(socks, ifidx, c,
                                    build(c, 5, xid, sid, got), xid)
                    rec["replies"].append(rep3.hex() if rep3 else None)
            f.write(json.dumps(rec) + "\n")
    return 0


# ---- compare ------------------------------------------------------------


def pools_of(config):
    """(subnet id, [(lo, hi)], [(prefix network, delegated-len)],
    reserved addresses and prefixes) per subnet."""
    d = json.load(open(config))["Dhcp6"]
    out = []
    subnets = list(d.get("subnet6", []))
    for n in d.get("shared-networks", []):
        subnets += n.get("subnet6", [])
    for s in subnets:
        pools = []
        for p in s.get("pools", []):
            t = p["pool"].replace(" ", "")
            if "-" in t:
                lo, hi = t.split("-")
                pools.append((int(ipaddress.IPv6Address(lo)),
                              int(ipaddress.IPv6Address(hi))))
            else:
                n = ipaddress.IPv6Network(t)
                pools.append((int(n.network_address),
                              int(n.broadcast_address)))
        pd = [(ipaddress.IPv6Network("%s/%d" % (p["prefix"], p["prefix-len"])),
               p["delegated-len"]) for p in s.get("pd-pools", [])]
        out.append((pools, pd))
    return out


def pool_key(pools, code, v):
    """Which pool an IAADDR / IAPREFIX value lies in (None: none)."""
    if code == 5:
        a = int(ipaddress.IPv6Address(v[:16]))
        for i, (pp, _) in enumerate(pools):
            for j, (lo, hi) in enumerate(pp):
                if lo <= a <= hi:
                    return "pool %d.%d" % (i, j)
    else:
        plen = v[8]
        net = ipaddress.IPv6Network((v[9:25], plen), strict=False)
        for i, (_, pd) in enumerate(pools):
            for j, (n, dl) in enumerate(pd):
                if plen == dl and net.subnet_of(n):
                    return "pd-pool %d.%d" % (i, j)
    return None


def norm_opts(buf, pools, reserved, where):
    """Options of buf as sorted (label, value) pairs, masked as the module
    says."""
    out = []
    for code, v in opts(buf):
        if code == 2:
            out.append(("2 server-id", "present"))
        elif code == 13 and len(v) >= 2:
            out.append(("13 status", str(struct.unpack("!H", v[:2])[0])))
        elif code in (3, 25) and len(v) >= 12:
            iaid, t1, t2 = struct.unpack("!III", v[:12])
            sub = norm_opts(v[12:], pools, reserved, where)
            out.append(("%d IA iaid=%d" % (code, iaid),
                        "T1=%d T2=%d %s" % (t1, t2, sub)))
        elif code in (5, 26):
            if code == 5:
                life, val = v[16:24], v[:16]
                rest = v[24:]
            else:
                life, val = v[:8], v[8:25]
                rest = v[25:]
            pref, valid = struct.unpack("!II", life)
            pk = pool_key(pools, code, v)
            shown = val.hex() if reserved or pk is None else pk
            out.append(("%d lease" % code, "%s pref=%d valid=%d %s" % (
                shown, pref, valid, norm_opts(rest, pools, reserved, where))))
        else:
            out.append(("%d" % code, v.hex()))
    return sorted(out)


def describe(hexrep, pools, reserved):
    if hexrep is None:
        return {"type": "none"}
    inner, levels = unwrap(bytes.fromhex(hexrep))
    d = {"type": inner[0] if inner else -1,
         "opts": norm_opts(inner[4:], pools, reserved, "top"),
         # Kea packs a message's options in code order: so must ternd.
         "order": [c for c, _ in opts(inner[4:])]}
    if levels:
        d["relays"] = levels
    return d


def compare(config, kea, ternd, allow):
    pools = pools_of(config)
    forgiven = set()
    if allow:
        for line in open(allow):
            m = re.match(r"\|\s*`v6:option:(\d+)`", line)
            if m:
                forgiven.add(m.group(1))
    k = [json.loads(x) for x in open(kea)]
    t = [json.loads(x) for x in open(ternd)]
    if len(k) != len(t):
        print("result: bad input (%d vs %d clients)" % (len(k), len(t)))
        return 2
    diffs = 0
    for a, b in zip(k, t):
        reserved = a["client"].startswith("reserved")
        for n in range(max(len(a["replies"]), len(b["replies"]))):
            ra = a["replies"][n] if n < len(a["replies"]) else None
            rb = b["replies"][n] if n < len(b["replies"]) else None
            da, db = describe(ra, pools, reserved), describe(rb, pools,
                                                            reserved)
            if da["type"] != db["type"]:
                print("%s #%d: type kea=%s ternd=%s" % (
                    a["client"], n, da["type"], db["type"]))
                diffs += 1
                continue
            if da.get("relays") != db.get("relays"):
                print("%s #%d: relay levels kea=%s ternd=%s" % (
                    a["client"], n, da.get("relays"), db.get("relays")))
                diffs += 1
            qa = [c for c in da.get("order", []) if str(c) not in forgiven]
            qb = [c for c in db.get("order", []) if str(c) not in forgiven]
            if qa != qb:
                print("%s #%d: option order kea=%s ternd=%s" % (
                    a["client"], n, qa, qb))
                diffs += 1
            oa, ob = dict(da.get("opts", [])), dict(db.get("opts", []))
            for key in sorted(set(oa) | set(ob)):
                if oa.get(key) == ob.get(key):
                    continue
                if key.split()[0] in forgiven:
                    print("%s #%d: option %s differs (forgiven): kea=%s "
                          "ternd=%s" % (a["client"], n, key, oa.get(key),
                                        ob.get(key)))
                    continue
                print("%s #%d: option %s kea=%s ternd=%s" % (
                    a["client"], n, key, oa.get(key, "absent"),
                    ob.get(key, "absent")))
                diffs += 1
        print("%s: %d messages compared" % (a["client"], len(a["replies"])))
    print("result: MATCH" if not diffs else "result: %d differences" % diffs)
    return 0 if not diffs else 1


ADDR_LISTS = {22, 23, 27, 28, 31, 34}
NAME_LISTS = {21, 24, 29, 30, 33, 64}
TEXTS = {41, 42, 59, 1002, 1003, 1004, 1005}  # 100x: option-def strings


def decode(code, v):
    """One option's value as a person writes it in the configuration."""
    if code in ADDR_LISTS:
        return ", ".join(str(ipaddress.IPv6Address(v[i:i + 16]))
                         for i in range(0, len(v) - 15, 16))
    if code in NAME_LISTS:
        names, i, labels = [], 0, []
        while i < len(v):
            n = v[i]
            i += 1
            if n == 0:
                names.append(".".join(labels))
                labels = []
                continue
            labels.append(v[i:i + n].decode("ascii", "replace"))
            i += n
        if labels:
            names.append(".".join(labels))
        return ", ".join(names)
    if code in TEXTS:
        return v.decode("utf-8", "replace")
    if code == 32 and len(v) == 4:
        return str(struct.unpack("!I", v)[0])
    if code == 17 and len(v) >= 4:
        return "%d:" % struct.unpack("!I", v[:4])[0] + ",".join(
            "%d=%s" % (sc, sv.hex()) for sc, sv in opts(v[4:]))
    return v.hex()


def expect(config, replies, clients):
    """Check what kea-dhcp6 answered against the clients' "expect" lists:
    a configuration whose classes change nothing would compare equal on
    any server. Exit 0 when every expectation holds, 1 otherwise."""
    pools = pools_of(config)
    recs = {r["client"]: r for r in (json.loads(x) for x in open(replies))}
    bad = checked = 0
    for c in clients:
        for n, code, want in xopt(c).get("expect", []):
            checked += 1
            rec = recs.get(c[0], {"replies": []})
            rep = rec["replies"][n] if n < len(rec["replies"]) else None
            if code == "none":
                if rep is not None:
                    print("%s #%d: answered, expected no answer" % (c[0], n))
                    bad += 1
                continue
            if rep is None:
                print("%s #%d: no answer" % (c[0], n))
                bad += 1
                continue
            inner, _ = unwrap(bytes.fromhex(rep))
            if code in (3, 25):
                d = describe(rep, pools, False)
                got = [v for k, v in d["opts"] if k.startswith("%d IA" % code)]
                ok = any(want in v for v in got)
            else:
                vals = [decode(oc, ov) for oc, ov in opts(inner[4:])
                        if oc == code]
                got = vals[0] if vals else None
                ok = got == want
            if not ok:
                print("%s #%d: option %s is %s, expected %s" % (
                    c[0], n, code, got, want))
                bad += 1
    print("expect: %d checked, %s" % (checked, "all hold" if not bad else
                                      "%d do not hold" % bad))
    return 0 if not bad else 1


def main(argv):
    if len(argv) >= 5 and argv[1] == "expect":
        return expect(argv[2], argv[3], SETS[argv[4]])
    if len(argv) >= 4 and argv[1] == "probe":
        return probe(argv[2], argv[3],
                     SETS[argv[4]] if len(argv) >= 5 else CLIENTS)
    if len(argv) >= 5 and argv[1] == "compare":
        allow = argv[6] if len(argv) >= 7 and argv[5] == "--allow" else None
        return compare(argv[2], argv[3], argv[4], allow)
    print(__doc__)
    return 2


sys.exit(main(sys.argv))
