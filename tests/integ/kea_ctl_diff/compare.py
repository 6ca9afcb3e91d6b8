#!/usr/bin/env python3
"""Send every case of cases.txt to kea-dhcp4 and to ternd, mask what
legitimately differs (README.md lists every mask), compare field by field.
usage: compare.py CASES EXPECTED KEA_DIR TERND_DIR
Each DIR holds that server's ctl.sock. Exit 1 when a case differs and is not
in EXPECTED, or is in EXPECTED and matches."""
import json, re, socket, sys

cases_file, expected_file, kea_dir, ternd_dir = sys.argv[1:5]
TS = re.compile(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}')
MASK = '<masked>'


def ask(d, text):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(15)
    s.connect(d + '/ctl.sock')
    s.sendall(text.replace('@DIR@', d).encode())
    got = b''
    while True:
        b = s.recv(65536)
        if not b:
            break
        got += b
    s.close()
    return got.decode(errors='replace')


def scrub(v, d):
    """Masks that apply anywhere: the server's directory, timestamps."""
    if isinstance(v, str):
        return TS.sub('<timestamp>', v.replace(d, '@DIR@'))
    if isinstance(v, list):
        return [scrub(x, d) for x in v]
    if isinstance(v, dict):
        return {k: scrub(x, d) for k, x in v.items()}
    return v


def mask(cmd, a):
    """Masks per command (README.md)."""
    if not isinstance(a, dict):
        return a
    args = a.get('arguments')
    if cmd == 'status-get' and isinstance(args, dict):
        for k in ('pid', 'uptime', 'reload'):
            if isinstance(args.get(k), int):
                args[k] = MASK
    if cmd == 'version-get':
        if isinstance(a.get('text'), str):
            a['text'] = MASK
        if isinstance(args, dict) and isinstance(args.get('extended'), str):
            args['extended'] = MASK
    if cmd == 'build-report' and isinstance(a.get('text'), str):
        a['text'] = MASK
    if cmd == 'config-write' and isinstance(args, dict) and isinstance(args.get('size'), int):
        args['size'] = MASK
    if isinstance(args, dict):
        for k in ('cltt',):
            if isinstance(args.get(k), int):
                args[k] = MASK
    return a


def diff(a, b, path, out):
    if type(a) != type(b):
        out.append(f'{path or "."}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}')
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f'{path}.{k}: only ternd')
            elif k not in b:
                out.append(f'{path}.{k}: only kea')
            else:
                diff(a[k], b[k], f'{path}.{k}', out)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f'{path or "."}: {len(a)} elements != {len(b)}')
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f'{path}[{i}]', out)
    elif a != b:
        out.append(f'{path or "."}: {json.dumps(a)[:80]} != {json.dumps(b)[:80]}')


def command_of(text):
    try:
        v = json.loads(text)
        return v.get('command') if isinstance(v, dict) else None
    except ValueError:
        m = re.match(r'\s*\{\s*"command"\s*:\s*"([^"]*)"', text)
        return m.group(1) if m else None


expected = {}
for line in open(expected_file):
    line = line.strip()
    if line and not line.startswith('#'):
        name, _, why = line.partition(' ')
        expected[name] = why.strip()

bad = 0
names = set()
for line in open(cases_file):
    line = line.rstrip('\n')
    if not line.strip() or line.startswith('#'):
        continue
    name, _, text = line.partition(' ')
    names.add(name)
    ka, ta = ask(kea_dir, text), ask(ternd_dir, text)
    cmd = command_of(text)
    out = []
    try:
        kv = mask(cmd, scrub(json.loads(ka), kea_dir))
        tv = mask(cmd, scrub(json.loads(ta), ternd_dir))
        diff(kv, tv, '', out)
    except ValueError:
        if ka != ta:
            out.append(f'not JSON: kea {ka[:80]!r} ternd {ta[:80]!r}')
    if out and name not in expected:
        bad += 1
        print(f'DIFF {name}: ' + '; '.join(out[:6]))
        print(f'  kea:   {ka[:400]}')
        print(f'  ternd: {ta[:400]}')
    elif not out and name in expected:
        bad += 1
        print(f'NOW MATCHES {name}: remove it from expected-diff.txt')
    elif out:
        print(f'expected diff {name}: ' + '; '.join(out[:3]))
    else:
        print(f'match {name}')
for name in expected:
    if name not in names:
        bad += 1
        print(f'UNKNOWN {name} in expected-diff.txt')
sys.exit(1 if bad else 0)
