#!/usr/bin/env python3
"""kea_examples: what kea-dhcp4 -t needs to check a Kea configuration here."""
# Usage:
#   prep.py ifaces CONFIG            the interfaces CONFIG names, one a line:
#                                    "eth0" or "eth0 192.0.2.1" (an address
#                                    the file wants on it)
#   prep.py hooks CONFIG OUT HOOKDIR CONFIG with every hook library moved to
#                                    HOOKDIR (same file name) when it is
#                                    there, removed when not; written as
#                                    strict JSON to OUT, a note a line on
#                                    stdout for each library
#
# kea-dhcp4 -t checks that each interface exists and dlopen()s each hook
# library (kea-config spec, header), so the test creates the interfaces in
# a private namespace and, for a file whose hooks are elsewhere than
# Debian's directory, checks a copy pointing there. The file is read with
# kea_diff's reader of Kea's dialect.

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kea_diff"))
import keajson  # noqa: E402


def interfaces(obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "interfaces" and isinstance(v, list):
                for e in v:
                    if isinstance(e, str) and e != "*":
                        out.add(e)
            elif k in ("interface", "4o6-interface") and isinstance(v, str) and v:
                out.add(v)
            elif k not in ("user-context", "parameters"):
                interfaces(v, out)
    elif isinstance(obj, list):
        for e in obj:
            interfaces(e, out)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "ifaces":
        try:
            cfg = keajson.load(sys.argv[2])
        except (OSError, ValueError):
            return 0  # kea-dhcp4 will say what is wrong with it
        names = set()
        interfaces(cfg, names)
        for n in sorted(names):
            name, _, addr = n.partition("/")
            print(name, addr) if addr else print(name)
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "hooks":
        cfg = keajson.load(sys.argv[2])
        d4 = None
        for m in ("Dhcp4", "Dhcp6"):  # the map of kea-dhcp4 or kea-dhcp6
            if isinstance(cfg, dict) and isinstance(cfg.get(m), dict):
                d4 = cfg[m]
        libs = d4.get("hooks-libraries") if isinstance(d4, dict) else None
        kept = []
        for lib in libs if isinstance(libs, list) else []:
            path = lib.get("library", "") if isinstance(lib, dict) else ""
            here = os.path.join(sys.argv[4], os.path.basename(path))
            if path and os.path.exists(here):
                lib["library"] = here
                kept.append(lib)
                print("hook %s checked as %s" % (path, here))
            else:
                print("hook %s not installed here: left out of Kea's check" % path)
        if isinstance(libs, list):
            d4["hooks-libraries"] = kept
        keajson.dump(cfg, sys.argv[3])
        return 0
    print(__doc__.splitlines()[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
