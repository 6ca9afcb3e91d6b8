#!/usr/bin/env python3
"""Stand in for kea-dhcp-ddns: receive name change requests and write each one's JSON as a line."""
# Usage: ncr_listen.py ADDR PORT OUT
# Checks the framing (2-byte big-endian length, then exactly that many bytes
# of JSON) and that the JSON parses; a bad datagram is written as
# "BAD <hex>" so the test sees it.
import json
import socket
import sys


def main():
    addr, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, port))
    with open(out, "a", buffering=1) as f:
        f.write("READY\n")
        while True:
            d, _ = s.recvfrom(65535)
            ok = len(d) >= 2 and int.from_bytes(d[:2], "big") == len(d) - 2
            if ok:
                try:
                    json.loads(d[2:].decode())
                except ValueError:
                    ok = False
            f.write((d[2:].decode() if ok else "BAD " + d.hex()) + "\n")


if __name__ == "__main__":
    main()
