#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes every `(component ... binary "..." ...)` (or, with --core,
`(module ... binary ...)`) form of the given .wast files as one binary file
in OUT_DIR: seed inputs for the fuzz targets. Quoted forms and text forms
are ignored; malformed ones are kept (they are good seeds too).

Usage: wast_binaries.py [--core] OUT_DIR FILE.wast...
"""
import os
import re
import sys

STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)


def unescape(body):
    """Bytes of a wast string literal's body."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
            continue
        e = body[i + 1]
        if e in '0123456789abcdefABCDEF' and i + 2 < len(body):
            out.append(int(body[i + 1:i + 3], 16))
            i += 3
        elif e == 'u':
            end = body.index('}', i)
            out += chr(int(body[i + 3:end], 16)).encode('utf-8')
            i = end + 1
        else:
            out += {'n': b'\n', 't': b'\t', 'r': b'\r', '\\': b'\\',
                    "'": b"'", '"': b'"'}.get(e, e.encode())
            i += 2
    return bytes(out)


def strip_comments(text):
    text = re.sub(r'\(;.*?;\)', ' ', text, flags=re.S)
    # line comments, but not inside strings: drop ';;' to end of line when
    # the line has no quote before it (good enough for the test suites)
    lines = []
    for line in text.split('\n'):
        at = line.find(';;')
        if at >= 0 and '"' not in line[:at]:
            line = line[:at]
        lines.append(line)
    return '\n'.join(lines)


def binaries(text, keyword):
    head = re.compile(r'\(\s*' + keyword +
                      r'(?:\s+\$[^\s()]+)?(?:\s+definition)?\s+binary\b')
    for m in head.finditer(text):
        at = m.end()
        data = bytearray()
        while True:
            s = STRING.match(text, at + len(text[at:]) - len(text[at:].lstrip()))
            if not s:
                break
            data += unescape(s.group(1))
            at = s.end()
        yield bytes(data)


def main(argv):
    core = '--core' in argv
    args = [a for a in argv if a != '--core']
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = args[0]
    os.makedirs(out_dir, exist_ok=True)
    count = 0
    for path in args[1:]:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = strip_comments(f.read())
        stem = os.path.splitext(os.path.basename(path))[0]
        for i, data in enumerate(binaries(text, 'module' if core else 'component')):
            with open(os.path.join(out_dir, '%s.%d.wasm' % (stem, i)), 'wb') as f:
                f.write(data)
            count += 1
    print('wast_binaries: %d binaries in %s' % (count, out_dir))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
