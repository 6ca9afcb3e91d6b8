"""Reader for Kea 2.2's JSON dialect (comments, extra commas, <?include?>) for the kea_diff test tools."""
# Kea's lexer (src/bin/dhcp4/dhcp4_lexer.ll) accepts `#`, `//` and `/* */`
# comments between tokens, trailing and doubled commas (with a warning) and
# `<?include "file"?>` spliced into the token stream. This turns such text
# into strict JSON and parses it; it is tolerant on purpose (kea-dhcp4 -t is
# the judge of validity), it only needs to read what Kea reads.
#
# Strings are bytes to Kea: files are read as Latin-1 (one character per
# byte, so UTF-8 passes through untouched) and `\u00XX` is the byte XX; the
# lexer refuses any other `\uXXXX` (KeaRefuses). dump() writes the bytes back.

import json
import os
import re

_INCLUDE = re.compile(r'<\?\s*include\s+"([^"\n]*)"\s*\?>')
# Kea's numbers: leading zeros (0400) and bare fractions (.5) are fine.
_NUMBER = re.compile(r"-?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?")
MAX_INCLUDE_DEPTH = 10


class KeaJsonError(ValueError):
    pass


class KeaRefuses(KeaJsonError):
    """Text kea-dhcp4 itself would refuse (where Python's JSON would not)."""


def _strip(text, path, depth):
    """Drop comments and splice includes; strings are copied untouched."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif c == "#" or text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise KeaJsonError("%s: comment not closed" % path)
            out.append(" ")
            i = j + 2
        elif text.startswith("<?", i):
            m = _INCLUDE.match(text, i)
            if not m:
                raise KeaJsonError("%s: bad <?include?> directive" % path)
            if depth >= MAX_INCLUDE_DEPTH:
                raise KeaJsonError("%s: too many nested includes" % path)
            name = m.group(1)
            # Kea opens the name as given (relative to its working
            # directory); also try beside the including file.
            cands = [name]
            if not os.path.isabs(name):
                cands.append(os.path.join(os.path.dirname(path), name))
            for cand in cands:
                if os.path.exists(cand):
                    with open(cand, encoding="latin-1") as f:
                        out.append(_strip(f.read(), cand, depth + 1))
                    break
            else:
                raise KeaJsonError("%s: can't open include file %s" % (path, name))
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _drop_extra_commas(text):
    """Remove commas followed by another comma, '}' or ']' (Kea warns only)."""
    out = []
    i, n = 0, len(text)
    pending = False
    while i < n:
        c = text[i]
        if c.isspace():
            out.append(c)
            i += 1
            continue
        if c == ",":
            pending = True
            i += 1
            continue
        if pending and c not in "}]":
            out.append(",")
        pending = False
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif c in "-.0123456789":
            m = _NUMBER.match(text, i)
            tok = m.group(0)
            try:
                num = float(tok) if any(x in tok for x in ".eE") else int(tok)
            except ValueError:
                raise KeaJsonError("bad number %r" % tok)
            out.append(repr(num))
            i = m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


_ESCAPE = re.compile(r"\\(u(?!00)[0-9A-Fa-f]{4}|.)")


def _check_escapes(text):
    """Kea's lexer decodes only \\u00XX; anything else is its syntax error."""
    i, n = 0, len(text)
    while i < n:
        if text[i] != '"':
            i += 1
            continue
        j = i + 1
        while j < n and text[j] != '"':
            if text[j] == "\\":
                m = _ESCAPE.match(text, j)
                if m and m.group(1).startswith("u") and len(m.group(1)) == 5:
                    raise KeaRefuses("unsupported unicode escape \\%s (Kea 2.2 knows only \\u00XX)"
                                     % m.group(1))
                j += 2
            else:
                j += 1
        i = j + 1


def loads(text, path="<string>"):
    t = _drop_extra_commas(_strip(text, path, 0))
    _check_escapes(t)
    return json.loads(t)


def load(path):
    with open(path, encoding="latin-1") as f:
        return loads(f.read(), path)


def dump(obj, path):
    """Strict JSON, every string byte as it was read."""
    with open(path, "w", encoding="latin-1") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)
        f.write("\n")
