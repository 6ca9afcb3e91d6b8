#!/usr/bin/env python3
"""kea6_diff: the same DHCPv6 clients against kea-dhcp6 and ternd, and the
comparison of what they answered (tests/integ/test_kea6_diff.sh).

  probe6.py probe IFACE OUT.jsonl [SET]   send every client of SET ("base",
                                          the default, or "net"), one line each
  probe6.py compare CONFIG KEA.jsonl TERND.jsonl [--allow TABLE]

probe: each client of CLIENTS runs SOLICIT then, when it got an ADVERTISE,
REQUEST for what was advertised (direct from port 546 to ff02::1:2, or
wrapped in RELAY-FORW from port 547), a "renew" client then RENEW for what
the REPLY gave; the replies are stored as hex. The "net" set is for
kea6_diff/dhcp6_net.json (shared networks: small pools that fill up, a
reservation in the sibling subnet, networks chosen by interface,
interface-id and relay address).

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

SETS = {"base": CLIENTS, "net": CLIENTS_NET, "class": CLIENTS_CLASS}


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


def build(c, mtype, xid, server_id=None, offered=None):
    name, relay, k, ias, oro, extra, rapid, _ = c
    body = opt(1, duid(k))
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
        link, iid = relay
        peer = socket.inet_pton(socket.AF_INET6, "fe80::1:%x" % k)
        msg = bytes([12, 0]) + socket.inet_pton(socket.AF_INET6, link) + \
            peer + opt(18, iid) + opt(9, msg)
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


def main(argv):
    if len(argv) >= 4 and argv[1] == "probe":
        return probe(argv[2], argv[3],
                     SETS[argv[4]] if len(argv) >= 5 else CLIENTS)
    if len(argv) >= 5 and argv[1] == "compare":
        allow = argv[6] if len(argv) >= 7 and argv[5] == "--allow" else None
        return compare(argv[2], argv[3], argv[4], allow)
    print(__doc__)
    return 2


sys.exit(main(sys.argv))
