#!/usr/bin/env python3
"""kea_diff: compare what kea-dhcp4 and ternd answered the same clients; print a readable diff."""
# Usage: compare.py KEA.jsonl TERND.jsonl [--plan PLAN] [--allow TABLE] [--max-lines N]
#
# Per client: the outcome (OFFER and ACK received or not), then for OFFER and
# ACK every BOOTP field (op, htype, hlen, hops, flags, ciaddr, yiaddr,
# siaddr, giaddr, chaddr, sname, file), whether the options parsed, and
# every option byte for byte.
# TABLE is docs/kea-differences.md: the first column of each row is a key
# in backquotes, and only what the table lists is forgiven:
#   `option-order`           options are compared as a set (code → value)
#   `yiaddr-pool`            yiaddr may differ when both are in the same pool
#                            (never for a client with a reservation)
#   `field:NAME ternd=V`     field NAME may differ when ternd's value is V
#   `option:CODE ternd=H`    option CODE may differ when ternd sends H
#                            (hex, or "absent"); without ternd=, any value
# Instances of one option code are concatenated before comparing
# (RFC 3396). Output: the diff, "cause: COUNT TEXT" lines (clients per
# cause), and a last line "result: MATCH" or "result: N differences".
# Exit 0 on a match, 1 on differences, 2 on bad input.

import argparse
import ipaddress
import json
import re
import sys

OPTION_NAMES = {
    1: "subnet-mask", 2: "time-offset", 3: "routers", 4: "time-servers",
    5: "name-servers", 6: "domain-name-servers", 7: "log-servers",
    8: "cookie-servers", 9: "lpr-servers", 10: "impress-servers",
    11: "resource-location-servers", 12: "host-name", 13: "boot-size",
    14: "merit-dump", 15: "domain-name", 16: "swap-server", 17: "root-path",
    18: "extensions-path", 19: "ip-forwarding", 20: "non-local-source-routing",
    21: "policy-filter", 22: "max-dgram-reassembly", 23: "default-ip-ttl",
    24: "path-mtu-aging-timeout", 25: "path-mtu-plateau-table",
    26: "interface-mtu", 27: "all-subnets-local", 28: "broadcast-address",
    29: "perform-mask-discovery", 30: "mask-supplier", 31: "router-discovery",
    32: "router-solicitation-address", 33: "static-routes",
    34: "trailer-encapsulation", 35: "arp-cache-timeout",
    36: "ieee802-3-encapsulation", 37: "default-tcp-ttl",
    38: "tcp-keepalive-interval", 39: "tcp-keepalive-garbage",
    40: "nis-domain", 41: "nis-servers", 42: "ntp-servers",
    43: "vendor-encapsulated-options", 44: "netbios-name-servers",
    45: "netbios-dd-server", 46: "netbios-node-type", 47: "netbios-scope",
    48: "font-servers", 49: "x-display-manager", 50: "dhcp-requested-address",
    51: "dhcp-lease-time", 52: "dhcp-option-overload", 53: "dhcp-message-type",
    54: "dhcp-server-identifier", 55: "dhcp-parameter-request-list",
    56: "dhcp-message", 57: "dhcp-max-message-size", 58: "dhcp-renewal-time",
    59: "dhcp-rebinding-time", 60: "vendor-class-identifier",
    61: "dhcp-client-identifier", 62: "nwip-domain-name",
    63: "nwip-suboptions", 64: "nisplus-domain-name", 65: "nisplus-servers",
    66: "tftp-server-name", 67: "boot-file-name", 68: "mobile-ip-home-agent",
    69: "smtp-server", 70: "pop-server", 71: "nntp-server", 72: "www-server",
    73: "finger-server", 74: "irc-server", 75: "streettalk-server",
    76: "streettalk-directory-assistance-server", 77: "user-class",
    78: "slp-directory-agent", 79: "slp-service-scope", 81: "fqdn",
    82: "dhcp-agent-options", 83: "dhcp-isns", 85: "nds-servers",
    86: "nds-tree-name", 87: "nds-context", 88: "bcms-controller-names",
    89: "bcms-controller-address", 90: "authenticate",
    91: "client-last-transaction-time", 92: "associated-ip",
    93: "client-system", 94: "client-ndi", 95: "ldap", 97: "uuid-guid",
    98: "uap-servers", 99: "geoconf-civic", 100: "pcode", 101: "tcode",
    108: "v6-only-preferred", 112: "netinfo-server-address",
    113: "netinfo-server-tag", 114: "v4-captive-portal", 116: "auto-config",
    117: "name-service-search", 118: "subnet-selection", 119: "domain-search",
    120: "sip-server", 121: "classless-static-route", 124: "vivco-suboptions",
    125: "vivso-suboptions", 136: "pana-agent", 137: "v4-lost",
    138: "capwap-ac-v4", 141: "sip-ua-cs-domains", 146: "rdnss-selection",
    159: "v4-portparams", 212: "option-6rd", 213: "v4-access-domain",
}

FIELDS = ["type", "op", "htype", "hlen", "hops", "flags", "ciaddr", "yiaddr",
          "siaddr", "giaddr", "chaddr", "sname_hex", "file_hex", "options_ok"]


def oname(code):
    return "option %d (%s)" % (code, OPTION_NAMES.get(code, "?"))


def load_table(path):
    """Allowances from the markdown table: a list of (kind, arg, ternd)."""
    allow = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*`([^`]+)`", line)
            if not m:
                continue
            words = m.group(1).split()
            kind, _, arg = words[0].partition(":")
            ternd = None
            for w in words[1:]:
                if w.startswith("ternd="):
                    ternd = w[len("ternd="):]
            allow.append((kind, arg, ternd))
    return allow


def load_jsonl(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                d = json.loads(line)
                out[d["name"]] = d
    return out


class Cmp:
    def __init__(self, allow, pools, strict):
        self.allow = allow
        self.pools = [(ipaddress.ip_address(a), ipaddress.ip_address(b)) for a, b in pools]
        self.strict = strict  # client names whose yiaddr must be equal
        self.diffs = []  # (client, where, cause, kea, ternd)
        self.allowed = 0

    def has(self, kind, arg=""):
        return any(k == kind and a == arg for k, a, _ in self.allow)

    def allowed_by(self, kind, arg, ternd_val):
        for k, a, t in self.allow:
            if k == kind and a == arg and (t is None or t == ternd_val):
                return True
        return False

    def add(self, client, where, cause, kv, tv, kind=None, arg=None, tval=None):
        if kind and self.allowed_by(kind, arg, tval):
            self.allowed += 1
            return
        self.diffs.append((client, where, cause, kv, tv))

    def same_pool(self, a, b):
        a, b = ipaddress.ip_address(a), ipaddress.ip_address(b)
        return any(lo <= a <= hi and lo <= b <= hi for lo, hi in self.pools)

    def msg(self, client, where, k, t):
        for f in FIELDS:
            kv, tv = k.get(f), t.get(f)
            if kv == tv:
                continue
            name = f.replace("_hex", "")
            if (f == "yiaddr" and client not in self.strict and self.has("yiaddr-pool")
                    and self.same_pool(kv, tv)):
                self.allowed += 1
                continue
            shown_k, shown_t = kv, tv
            if f in ("sname_hex", "file_hex"):
                shown_k, shown_t = repr(k.get(name)), repr(t.get(name))
            self.add(client, where, "field %s differs" % name, shown_k, shown_t,
                     "field", name, str(tv))
        ko, to = merge(k["options"]), merge(t["options"])
        for code in sorted(set(ko) | set(to)):
            kv, tv = ko.get(code), to.get(code)
            if kv == tv:
                continue
            if kv is None:
                cause = "%s sent by ternd only" % oname(code)
            elif tv is None:
                cause = "%s sent by Kea only" % oname(code)
            else:
                cause = "%s value differs" % oname(code)
            self.add(client, where, cause, kv or "-", tv or "-", "option", str(code),
                     tv if tv is not None else "absent")
        korder = [c for c, _ in k["options"]]
        torder = [c for c, _ in t["options"]]
        if korder != torder and not self.has("option-order") and set(ko) == set(to):
            self.add(client, where, "option order differs", " ".join(map(str, korder)),
                     " ".join(map(str, torder)))

    def client(self, name, k, t):
        if k is None or t is None:
            self.add(name, "-", "client missing from one run",
                     "present" if k else "missing", "present" if t else "missing")
            return
        if k["result"] != t["result"]:
            self.add(name, "-", "outcome differs (%s vs %s)" % (k["result"], t["result"]),
                     k["result"], t["result"])
        for where in ("offer", "ack"):
            if k.get(where) and t.get(where):
                self.msg(name, where.upper(), k[where], t[where])


def merge(opts):
    out = {}
    for code, val in opts:
        out[code] = out.get(code, "") + val
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kea")
    ap.add_argument("ternd")
    ap.add_argument("--plan")
    ap.add_argument("--allow")
    ap.add_argument("--max-lines", type=int, default=0, help="0: every diff line")
    a = ap.parse_args()
    try:
        kea, ternd = load_jsonl(a.kea), load_jsonl(a.ternd)
        allow = load_table(a.allow) if a.allow else []
        pools, strict = [], set()
        if a.plan:
            with open(a.plan) as f:
                plan = json.load(f)
            pools = plan.get("pools", [])
            strict = {c["name"] for c in plan["clients"] if "/res-" in c["name"]}
    except (OSError, ValueError, KeyError) as e:
        print("compare: %s" % e, file=sys.stderr)
        return 2

    cmp = Cmp(allow, pools, strict)
    names = list(kea) + [n for n in ternd if n not in kea]
    for n in names:
        cmp.client(n, kea.get(n), ternd.get(n))

    shown = 0
    last = None
    for client, where, cause, kv, tv in cmp.diffs:
        if a.max_lines and shown >= a.max_lines:
            print("  ... %d more difference lines" % (len(cmp.diffs) - shown))
            break
        if client != last:
            print("client %s" % client)
            last = client
        print("  %-5s %s: kea %s | ternd %s" % (where, cause, kv, tv))
        shown += 1

    per_cause = {}
    for client, _, cause, _, _ in cmp.diffs:
        per_cause.setdefault(cause, set()).add(client)
    for cause, cl in sorted(per_cause.items(), key=lambda x: (-len(x[1]), x[0])):
        print("cause: %d %s" % (len(cl), cause))
    bad = {d[0] for d in cmp.diffs}
    print("clients: %d, with differences: %d; differences: %d (allowed by the table: %d)"
          % (len(names), len(bad), len(cmp.diffs), cmp.allowed))
    print("result: %s" % ("MATCH" if not cmp.diffs else "%d differences" % len(cmp.diffs)))
    return 0 if not cmp.diffs else 1


if __name__ == "__main__":
    sys.exit(main())
