#!/usr/bin/env python3
"""kea_diff: make a Kea config runnable in the test's namespace and write its probe plan."""
# Usage: prepare.py CONFIG OUTDIR SRV_IFACE [--server ADDR] [--transfer CIDR]
#
# Writes OUTDIR/config.json (strict JSON, what both servers serve) and
# OUTDIR/plan.json (the relayed clients probe.py sends). Prints one note a
# line on stdout for everything it changed or could not probe. Exit 2 when
# the file cannot be read, 3 when kea-dhcp4 would refuse it for what the
# rewrite hides (the test reports either and goes on).
#
# Changes made so the file can run here (the same file for both servers):
#   interfaces-config.interfaces and every subnet/shared-network "interface"
#   → SRV_IFACE; lease-database → memfile, persist false, name in OUTDIR;
#   hosts-database(s), control-socket, loggers, hooks-libraries,
#   config-control removed; dhcp-ddns → {"enable-updates": false}.
# Everything else is kept as it is.

import argparse
import ipaddress
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keajson  # noqa: E402

MAX_SUBNETS = 6
MAX_CLIENTS_PER_SUBNET = 13
MAX_RESERVATIONS_PER_SUBNET = 4

# Parameter request lists of real clients.
PRL_DHCLIENT = [1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42]
PRL_UDHCPC = [1, 3, 6, 12, 15, 28, 42]
PRL_PXE = [1, 2, 3, 4, 5, 6, 11, 12, 13, 15, 16, 17, 18, 22, 23, 28, 40, 41,
           42, 43, 50, 51, 54, 58, 59, 60, 66, 67, 97, 128, 129, 130, 131,
           132, 133, 134, 135]
PRL_MSFT = [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252]
PRL_DOCSIS = [1, 2, 3, 4, 6, 7, 43, 54, 66, 67, 125]
# Android's: no 12, so a reserved hostname is sent only if the server adds it.
PRL_ANDROID = [1, 3, 6, 15, 26, 28, 51, 58, 59, 43]
# An IP phone's (Aastra/Mitel, vendor class "339" as in Kea's examples).
PRL_PHONE = [1, 3, 6, 15, 42, 43, 66, 125]

BASE_PROFILES = ["plain", "pxe", "msft", "docsis", "client-id", "hostname",
                 "agent", "no-prl", "phone"]


def hx(b):
    return bytes(b).hex()


def opt(code, data):
    return [code, hx(data)]


def prl(codes):
    return opt(55, bytes(codes))


def parse_ident(text):
    """A reservation identifier as Kea's Host::decode does: 'text' or hex."""
    t = text.strip()
    if len(t) >= 2 and t[0] == "'" and t[-1] == "'":
        return t[1:-1].encode()
    if ":" in t or " " in t:
        parts = [p for p in t.replace(" ", ":").split(":")]
        if any(len(p) not in (1, 2) for p in parts):
            raise ValueError("bad identifier %r" % text)
        return bytes(int(p, 16) for p in parts)
    if t.lower().startswith("0x"):
        t = t[2:]
    if len(t) % 2:
        t = "0" + t
    return bytes.fromhex(t)


class Planner:
    def __init__(self, server, transfer):
        self.server = server
        self.transfer = ipaddress.ip_network(transfer)
        self.notes = []
        self.clients = []
        self.pools = []
        self.relays = []
        self.nmac = 0

    def note(self, msg):
        self.notes.append(msg)

    def mac(self, s, p):
        self.nmac += 1
        return bytes([0x02, 0x6B, 0x64, s & 0xFF, p & 0xFF, self.nmac & 0xFF])

    def ok_relay(self, addr):
        a = ipaddress.ip_address(addr)
        return not (a in self.transfer or a.is_unspecified or a.is_loopback
                    or a.is_multicast or a.is_link_local or
                    a == ipaddress.ip_address("255.255.255.255"))

    def relay_for(self, sub, net):
        for scope in (sub, net or {}):
            r = scope.get("relay") or {}
            addrs = list(r.get("ip-addresses") or [])
            if r.get("ip-address"):
                addrs.append(r["ip-address"])
            for a in addrs:
                if a != "0.0.0.0":
                    return a, "relay"
        n = ipaddress.ip_network(sub["subnet"], strict=False)
        first = n.network_address + 1 if n.num_addresses > 2 else n.network_address
        return str(first), "first host"

    def add_pools(self, sub):
        for p in sub.get("pools") or []:
            s = p.get("pool", "").replace(" ", "")
            try:
                if "-" in s:
                    lo, hi = s.split("-", 1)
                    lo, hi = ipaddress.ip_address(lo), ipaddress.ip_address(hi)
                else:
                    n = ipaddress.ip_network(s, strict=False)
                    lo, hi = n.network_address, n.broadcast_address
            except ValueError:
                continue
            self.pools.append([str(lo), str(hi)])

    def base_client(self, s, p, prof, gi, label):
        mac = self.mac(s, p)
        o = []
        flags = 0
        relay_opts = []
        if prof == "plain":
            o = [prl(PRL_DHCLIENT)]
        elif prof == "pxe":
            flags = 0x8000  # PXE ROMs ask for broadcast replies
            uuid = bytes([0]) + bytes(range(0x10, 0x20))
            o = [opt(57, (1260).to_bytes(2, "big")), prl(PRL_PXE),
                 opt(97, uuid), opt(93, b"\x00\x00"), opt(94, b"\x01\x02\x01"),
                 opt(60, b"PXEClient:Arch:00000:UNDI:002001")]
        elif prof == "msft":
            name = b"WIN-KD-%d%d" % (s, p)
            # As Windows 10 sends it: 61, 50 absent, 12, 81 (flags 0,
            # ASCII name), 60, 55.
            o = [opt(61, b"\x01" + mac), opt(12, name),
                 opt(81, b"\x00\x00\x00" + name), opt(60, b"MSFT 5.0"),
                 prl(PRL_MSFT)]
        elif prof == "docsis":
            oro = bytes([1, 1, 2])  # vendor 4491 sub-option 1 (ORO): 2
            v = (4491).to_bytes(4, "big") + bytes([len(oro)]) + oro
            o = [opt(60, b"docsis3.0:053b010101"), prl(PRL_DOCSIS),
                 opt(125, v)]
        elif prof == "client-id":
            o = [opt(61, b"\x01" + mac), prl(PRL_DHCLIENT)]
        elif prof == "hostname":
            o = [opt(57, (576).to_bytes(2, "big")), opt(12, b"KD-Host-%d%d" % (s, p)),
                 prl(PRL_UDHCPC)]
        elif prof == "agent":
            o = [prl(PRL_DHCLIENT)]
            circ = b"kd-circuit-%d" % s
            rid = mac
            relay_opts = [opt(82, bytes([1, len(circ)]) + circ + bytes([2, len(rid)]) + rid)]
        elif prof == "no-prl":
            o = []
        elif prof == "phone":
            o = [opt(60, b"339"), prl(PRL_PHONE)]
        return self.client(label + "/" + prof, gi, mac, o, relay_opts, flags)

    def client(self, name, gi, chaddr, o, relay_opts, flags=0):
        if any(c["name"] == name for c in self.clients):
            name += "#%d" % len(self.clients)
        c = {"name": name, "giaddr": gi, "chaddr": hx(chaddr), "flags": flags,
             "options": o, "relay_options": relay_opts}
        self.clients.append(c)
        return c

    def res_client(self, s, k, res, gi, label):
        ids = [i for i in ("hw-address", "client-id", "duid", "circuit-id", "flex-id")
               if i in res]
        if len(ids) != 1:
            return None
        kind = ids[0]
        what = "%s/res-%s(%s)" % (label, kind, res.get("ip-address") or res.get("hostname") or "")
        try:
            val = parse_ident(res[kind])
        except ValueError as e:
            self.note("%s: %s" % (label, e))
            return None
        mac = self.mac(s, 0x80 + k)
        o = [prl(PRL_ANDROID)]
        relay_opts = []
        if kind == "hw-address":
            if not 1 <= len(val) <= 16:
                return None
            mac = val
        elif kind == "client-id":
            o = [opt(61, val)] + o
        elif kind == "duid":
            o = [opt(61, b"\xff" + (1).to_bytes(4, "big") + val)] + o
        elif kind == "circuit-id":
            relay_opts = [opt(82, bytes([1, len(val)]) + val)]
        return self.client(what, gi, mac, o, relay_opts)


def widen_tiny_pools(sub, need, pl):
    """The probe's clients ask at once: a pool smaller than them makes the
    outcome a race (who asks first), not the server's. Widen the last pool
    inside the subnet, past no other pool."""
    pools = [p for p in (sub.get("pools") or []) if isinstance(p, dict)]
    if not pools:
        return
    spans = []
    for p in pools:
        s = str(p.get("pool", "")).replace(" ", "")
        if "-" not in s:
            return
        try:
            lo, hi = (ipaddress.ip_address(x) for x in s.split("-", 1))
        except ValueError:
            return
        spans.append((lo, hi))
    size = sum(int(hi) - int(lo) + 1 for lo, hi in spans)
    if size >= need:
        return
    net = ipaddress.ip_network(sub["subnet"], strict=False)
    lo, hi = spans[-1]
    top = int(hi) + (need - size)
    limit = int(net.broadcast_address) - 1
    for olo, _ in spans:
        if int(olo) > int(hi):
            limit = min(limit, int(olo) - 1)
    top = min(top, limit)
    if top <= int(hi):
        return
    new = "%s-%s" % (lo, ipaddress.ip_address(top))
    pl.note("%s: pool %s-%s widened to %s (the probe's %d clients ask at once)"
            % (sub["subnet"], lo, hi, new, need))
    pools[-1]["pool"] = new


def pick_reservations(res, label, pl):
    """Reservations worth a client, one of each identifier kind first."""
    usable, seen, first, rest = [], set(), [], []
    for r in res:
        if not isinstance(r, dict):
            continue
        if "flex-id" in r:
            pl.note("%s: flex-id reservation not probed (needs the flex_id hook)" % label)
            continue
        usable.append(r)
    for r in usable:
        kind = next((i for i in ("hw-address", "client-id", "duid", "circuit-id") if i in r), None)
        (rest if kind in seen else first).append(r)
        seen.add(kind)
    return first + rest


def walk_subnets(d4):
    for net in d4.get("shared-networks") or []:
        for sub in net.get("subnet4") or []:
            yield sub, net
    for sub in d4.get("subnet4") or []:
        yield sub, None


def rewrite(cfg, outdir, iface, notes):
    d4 = cfg.get("Dhcp4")
    if not isinstance(d4, dict):
        raise ValueError("no Dhcp4 map")
    ic = d4.setdefault("interfaces-config", {})
    ic["interfaces"] = [iface]
    for net in d4.get("shared-networks") or []:
        if "interface" in net:
            net["interface"] = iface
    for sub, _ in walk_subnets(d4):
        if "interface" in sub:
            sub["interface"] = iface
    ld = d4.get("lease-database") or {}
    if ld.get("type", "memfile") != "memfile":
        notes.append("lease-database %s replaced by memfile" % ld.get("type"))
    d4["lease-database"] = {"type": "memfile", "persist": False,
                            "name": os.path.join(outdir, "leases4.csv")}
    for k in ("hosts-database", "hosts-databases"):
        if k in d4:
            del d4[k]
            notes.append("%s removed (its reservations are not probed)" % k)
    if "hooks-libraries" in d4:
        libs = [os.path.basename(h.get("library", "?")) for h in d4["hooks-libraries"]]
        del d4["hooks-libraries"]
        if libs:
            notes.append("hooks removed: %s" % ", ".join(libs))
    if "config-control" in d4:
        del d4["config-control"]
        notes.append("config-control removed (config backend)")
    for k in ("control-socket", "loggers"):
        d4.pop(k, None)
    if "dhcp-ddns" in d4:
        if (d4["dhcp-ddns"] or {}).get("enable-updates"):
            notes.append("dhcp-ddns enable-updates turned off")
        d4["dhcp-ddns"] = {"enable-updates": False}
    return d4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("config")
    ap.add_argument("outdir")
    ap.add_argument("iface")
    ap.add_argument("--server", default="198.18.250.1")
    ap.add_argument("--transfer", default="198.18.250.0/24")
    a = ap.parse_args()

    try:
        cfg = keajson.load(a.config)
    except keajson.KeaRefuses as e:
        print(e)
        return 3
    except (OSError, ValueError) as e:
        print("cannot read: %s" % e)
        return 2
    try:
        if not isinstance(cfg, dict):
            raise ValueError("not a JSON object")
        pl = Planner(a.server, a.transfer)
        d4 = rewrite(cfg, os.path.abspath(a.outdir), a.iface, pl.notes)
    except (OSError, ValueError) as e:
        print("cannot read: %s" % e)
        return 2

    used_relays = {}
    nsub = 0
    gres = list(d4.get("reservations") or [])
    for sub, net in walk_subnets(d4):
        try:
            ipaddress.ip_network(sub.get("subnet", ""), strict=False)
        except ValueError:
            continue
        widen_tiny_pools(sub, MAX_CLIENTS_PER_SUBNET, pl)
        pl.add_pools(sub)
        if nsub >= MAX_SUBNETS:
            pl.note("subnet %s not probed (more than %d subnets)" % (sub["subnet"], MAX_SUBNETS))
            continue
        gi, how = pl.relay_for(sub, net)
        label = sub["subnet"]
        if not pl.ok_relay(gi):
            pl.note("subnet %s not probed: relay address %s unusable here" % (label, gi))
            continue
        nsub += 1
        s = nsub
        n = 0
        if gi in used_relays:
            pl.note("subnet %s: same relay %s as %s, only its reservations probed"
                    % (label, gi, used_relays[gi]))
        else:
            used_relays[gi] = label
            pl.relays.append(gi)
            for p, prof in enumerate(BASE_PROFILES):
                pl.base_client(s, p, prof, gi, label)
                n += 1
        res = list(sub.get("reservations") or [])
        if s == 1 and gres:
            res += gres
        res = pick_reservations(res, label, pl)
        room = min(MAX_RESERVATIONS_PER_SUBNET, MAX_CLIENTS_PER_SUBNET - n)
        if len(res) > room:
            pl.note("%s: %d reservations not probed (cap)" % (label, len(res) - room))
        for k, r in enumerate(res[:room]):
            pl.res_client(s, k, r, gi, label)
    if gres and nsub == 0:
        pl.note("global reservations not probed (no subnet)")

    os.makedirs(a.outdir, exist_ok=True)
    keajson.dump(cfg, os.path.join(a.outdir, "config.json"))
    plan = {"config": a.config, "server": a.server, "relays": pl.relays,
            "pools": pl.pools, "clients": pl.clients, "notes": pl.notes}
    with open(os.path.join(a.outdir, "plan.json"), "w") as f:
        json.dump(plan, f, indent=1)
        f.write("\n")
    for m in pl.notes:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
