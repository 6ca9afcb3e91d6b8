#!/usr/bin/env python3
"""Send every command of a file to a Kea-style control socket, one per
connection (kea-dhcp4 answers one command, then closes), and write the
answers as JSON lines: {"command": text, "answer": parsed or raw}."""
import json
import socket
import sys


def ask(path, text):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(path)
    s.sendall(text.encode())
    buf = b""
    dec = json.JSONDecoder()
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
        # Kea ends its answer with the JSON value, not with EOF alone.
        try:
            dec.raw_decode(buf.decode())
            break
        except ValueError:
            continue
    s.close()
    return buf.decode()


def main():
    sock, commands, out = sys.argv[1:4]
    with open(commands) as f, open(out, "w") as o:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            raw = ask(sock, line)
            try:
                ans = json.loads(raw)
            except ValueError:
                ans = {"unparsable": raw}
            o.write(json.dumps({"command": line, "answer": ans}) + "\n")


main()
