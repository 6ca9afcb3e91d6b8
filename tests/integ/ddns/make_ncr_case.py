#!/usr/bin/env python3
"""Write the configurations and the client plan of the NCR differential test (test_ddns_kea_ncr.sh)."""
# Usage: make_ncr_case.py OUTDIR IFACE NCR_PORT SERVER GIADDR
# OUTDIR/<label>.json for each configuration, OUTDIR/plan.json.
# "with-ddns" is Kea's own example (kea-doc) with the interface, the lease
# file and dhcp-ddns's addresses made local; the others vary the ddns-*
# parameters over the same subnet.
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "kea_diff"))
import keajson  # noqa: E402

EXAMPLE = "/usr/share/doc/kea/examples/kea4/with-ddns.json"


def hx(b):
    return b.hex()


def fqdn_ascii(flags, name):
    return hx(bytes([flags, 0, 0]) + name)


def fqdn_wire(flags, labels, full):
    w = b"".join(bytes([len(x)]) + x for x in labels) + (b"\0" if full else b"")
    return hx(bytes([flags, 0, 0]) + w)


def main():
    out, iface, port, server, gi = sys.argv[1:6]
    base = keajson.load(EXAMPLE)["Dhcp4"]
    base["interfaces-config"] = {"interfaces": [iface]}
    base["lease-database"] = {"type": "memfile", "persist": False}
    base.pop("loggers", None)
    for s in base["subnet4"]:
        s["interface"] = iface
        s["id"] = 1
    base["dhcp-ddns"].update({"server-ip": "127.0.0.1", "server-port": int(port),
                              "sender-ip": "127.0.0.1", "sender-port": 0})
    configs = {"with-ddns": base}

    d = json.loads(json.dumps(base))
    for k in list(d):
        if k.startswith("ddns-") or k.startswith("hostname-char"):
            del d[k]
    configs["defaults"] = d

    d = json.loads(json.dumps(configs["defaults"]))
    d.update({"ddns-qualifying-suffix": "example.org",
              "ddns-replace-client-name": "when-not-present",
              "ddns-update-on-renew": True,
              "ddns-use-conflict-resolution": False,
              "ddns-generated-prefix": "dyn"})
    d["subnet4"][0]["match-client-id"] = False
    configs["suffix-renew"] = d

    d = json.loads(json.dumps(configs["defaults"]))
    d.update({"ddns-override-client-update": True, "ddns-override-no-update": True,
              "ddns-qualifying-suffix": "lan.example.com."})
    d["subnet4"][0]["ddns-send-updates"] = True
    d["shared-networks"] = []
    configs["overrides"] = d

    for label, d4 in configs.items():
        with open(os.path.join(out, label + ".json"), "w") as f:
            json.dump({"Dhcp4": d4}, f, indent=1)

    def mac(i):
        return "02:dd:00:00:00:%02x" % i

    def req(i):
        return [50, hx(bytes([192, 0, 2, 100 + i]))]

    clients = {
        # Windows: 81 with flags 0, ASCII, partial; 12 too.
        "win": [[61, "01" + mac(1).replace(":", "")], [12, hx(b"WIN-Alpha")],
                [81, fqdn_ascii(0, b"WIN-Alpha")]],
        # dhclient's "fqdn.server-update on": S, wire, partial.
        "laptop": [[81, fqdn_wire(0x05, [b"Laptop"], False)]],
        # A full name in wire form, S set.
        "full": [[81, fqdn_wire(0x05, [b"host", b"Other", b"org"], True)]],
        # The client asks for no update (N).
        "noupd": [[81, fqdn_wire(0x0c, [b"quiet"], False)]],
        # Only option 12.
        "h12": [[12, hx(b"KD-Host")]],
        # Option 12 with a domain, and a client-id.
        "h12fq": [[61, "01" + mac(6).replace(":", "")], [12, hx(b"pc.Example.net")]],
        # RFC 4361 client-id (255, IAID, DUID) with S.
        "duid": [[61, "ff00000001" + "0001000127a7f0c2" + mac(7).replace(":", "")],
                 [81, fqdn_wire(0x01, [b"duidhost"], False)]],
        # Characters the sanitizer replaces.
        "dirty": [[81, fqdn_ascii(0x01, b"my_pc.home")]],
        # No name at all: no NCR.
        "anon": [[55, "0103060f"]],
    }
    plan = {"server": server, "server_id": server, "giaddr": gi, "clients": {}, "steps": []}
    for i, (name, opts) in enumerate(clients.items(), 1):
        c = {"chaddr": mac(i).replace(":", ""), "options": [req(i)] + opts}
        plan["clients"][name] = c
    # A renewal with another name: the old one is removed, the new added.
    plan["clients"]["laptop"]["renew_options"] = [
        [81, fqdn_wire(0x05, [b"laptop2"], False)]]
    for name in clients:
        plan["steps"].append(["bind", name])
    for name in ("win", "laptop", "h12"):
        plan["steps"].append(["renew", name])
    for name in clients:
        plan["steps"].append(["release", name])
    with open(os.path.join(out, "plan.json"), "w") as f:
        json.dump(plan, f, indent=1)


if __name__ == "__main__":
    main()
