"""Send each command of a file (one JSON a line) to a Kea-style control
socket, one connection each, and print the answers in a comparable form:
keys sorted, sample lists reduced to their length and newest value, the
stat-lease4-get timestamp and an empty "text" (which Kea leaves out)
dropped. usage: ask.py SOCKET CASES"""
import json
import socket
import sys


def ask(path, line):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    s.sendall(line.encode())
    s.shutdown(socket.SHUT_WR)
    b = b""
    while True:
        k = s.recv(65536)
        if not k:
            break
        b += k
    s.close()
    return json.loads(b)


def main():
    for line in open(sys.argv[2]):
        line = line.strip()
        if not line:
            continue
        a = ask(sys.argv[1], line)
        args = a.get("arguments")
        if isinstance(args, dict) and "result-set" in args:
            args["result-set"]["timestamp"] = "TS"
        elif isinstance(args, dict):
            a["arguments"] = {k: [len(v), v[0][0]] for k, v in args.items()}
        print(json.dumps(line), json.dumps(a, sort_keys=True))


main()
