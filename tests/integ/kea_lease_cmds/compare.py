#!/usr/bin/env python3
"""Compare kea-dhcp4's (or kea-dhcp6's) and ternd's answers to the same
lease_cmds commands, field by field. Masks (values that differ by nature, not by behaviour):
  - "cltt" of a lease whose command gave no "expire": the clock at the
    command (each server read its own), replaced by "<now>" when it is
    within 600 s of the run.
  - the "timestamp" of a stat-leaseN-get result set: the clock at the
    command.
  - the order of the leases of lease4-get-all with "subnets" and of the
    lease4-get-by-* lists: kea's memfile gives its index's order there
    (by subnet, or by the key, then the order the leases were added in),
    which no database promises; ternd gives them by address (get-all
    with "subnets": subnet after subnet, as listed). Both lists are
    compared sorted by (subnet's place in the list, address).
Nothing else is masked: result, text (Kea's wording and <wire> positions),
every key of every lease, the order of lease4-get-all and lease4-get-page
(by address in both), "count".
A third argument names a file of documented differences (docs/control.md):
a command line, then a line "ternd: RESULT TEXT" with the answer ternd gives
instead of Kea's; those commands are checked against it.
Prints each difference; exit status 1 if any."""
import ipaddress
import json
import sys
import time


def mask(v, now):
    if isinstance(v, dict):
        return {k: ("<now>" if (k == "cltt" and isinstance(x, int)
                                and abs(x - now) < 600) or
                    (k == "timestamp" and isinstance(x, str)) else
                    mask(x, now))
                for k, x in v.items()}
    if isinstance(v, list):
        return [mask(x, now) for x in v]
    return v


def addr_key(lease):
    return int(ipaddress.ip_address(lease.get("ip-address", "0.0.0.0")))


def unordered(command, answer):
    """The answer with its lease list sorted where Kea's order is its
    index's, not a promise (see the masks above)."""
    cmd = json.loads(command)
    name = cmd.get("command", "")
    args = cmd.get("arguments") or {}
    if not (name.startswith(("lease4-get-by-", "lease6-get-by-")) or
            (name in ("lease4-get-all", "lease6-get-all")
             and "subnets" in args)):
        return answer
    leases = (answer.get("arguments") or {}).get("leases")
    if not isinstance(leases, list):
        return answer
    order = args.get("subnets") if isinstance(args.get("subnets"), list) else []

    def key(lease):
        sid = lease.get("subnet-id")
        return (order.index(sid) if sid in order else 0, addr_key(lease))

    answer = dict(answer)
    answer["arguments"] = dict(answer["arguments"])
    answer["arguments"]["leases"] = sorted(leases, key=key)
    return answer


def diff(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append("%s.%s: only ternd has it: %r" % (path, k, b[k]))
            elif k not in b:
                out.append("%s.%s: only kea has it: %r" % (path, k, a[k]))
            else:
                diff(a[k], b[k], "%s.%s" % (path, k), out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append("%s: kea has %d elements, ternd %d"
                       % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, "%s[%d]" % (path, i), out)
    elif a != b or type(a) is not type(b):
        out.append("%s: kea %r, ternd %r" % (path, a, b))


def documented(path):
    """{command: (result, text)} of the differences file."""
    out = {}
    if not path:
        return out
    command = None
    for line in open(path):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("ternd: "):
            result, text = line[len("ternd: "):].split(" ", 1)
            out[command] = (int(result), text)
        else:
            command = line
    return out


def main():
    now = time.time()
    known = documented(sys.argv[3] if len(sys.argv) > 3 else None)
    kea = [json.loads(l) for l in open(sys.argv[1])]
    ternd = [json.loads(l) for l in open(sys.argv[2])]
    if len(kea) != len(ternd):
        print("kea answered %d commands, ternd %d" % (len(kea), len(ternd)))
        return 1
    bad = 0
    for k, t in zip(kea, ternd):
        out = []
        if k["command"] in known:
            want = known.pop(k["command"])
            got = (t["answer"].get("result"), t["answer"].get("text"))
            if got != want:
                bad += 1
                print("DIFFERENT (documented): %s\n  ternd %r, want %r"
                      % (k["command"], got, want))
            continue
        diff(unordered(k["command"], mask(k["answer"], now)),
             unordered(t["command"], mask(t["answer"], now)), "answer", out)
        if out:
            bad += 1
            print("DIFFERENT: %s" % k["command"])
            for line in out:
                print("  " + line)
    for c in known:
        bad += 1
        print("documented difference never seen: %s" % c)
    print("%d commands, %d answers differ" % (len(kea), bad))
    return 1 if bad else 0


sys.exit(main())
