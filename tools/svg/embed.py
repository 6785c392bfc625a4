#!/usr/bin/env python3
"""Turns tools/svg/flamegraph.js into the C string-literal lines that resq_flame.h embeds.

  python3 tools/svg/embed.py                 print the lines (between the marker comments)
  python3 tools/svg/embed.py --check FILE    exit 1 unless FILE holds exactly these lines
  python3 tools/svg/embed.py --update FILE   replace the block in FILE with these lines

The block sits between the lines `/* [rf:svg-js begin] */` and `/* [rf:svg-js end] */`.
Each JavaScript line becomes one element of a string array (C99 only promises 4095 bytes
per literal, so one literal per line). The script is shrunk a little: indentation, blank
lines and whole-line comments go; nothing inside a line is touched, so no tokenizer is
needed. Stdlib only.
"""
import os
import sys

BEGIN = "/* [rf:svg-js begin] */"
END = "/* [rf:svg-js end] */"
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "flamegraph.js")


def js_lines(text):
    out = []
    in_block = False
    for raw in text.split("\n"):
        line = raw.strip()
        if in_block:
            if line.endswith("*/") and "*/" not in line[:-2]:
                in_block = False
                continue
            if "*/" in line:
                raise SystemExit("embed.py: '*/' inside a line of a block comment: %r" % raw)
            continue
        if not line or line.startswith("//"):
            continue
        if line.startswith("/*") and "*/" not in line:
            in_block = True
            continue
        if line.startswith("/*") and line.endswith("*/") and line.find("*/") == len(line) - 2:
            continue
        out.append(line)
    return out


def c_literal(line):
    if "]]>" in line:
        raise SystemExit("embed.py: the script must not contain ']]>' (it sits in a CDATA section)")
    for ch in line:
        if ord(ch) < 0x20 or ord(ch) > 0x7e:
            raise SystemExit("embed.py: non-ASCII or control character in %r; use a \\u escape" % line)
    s = line.replace("\\", "\\\\").replace('"', '\\"')
    s = s.replace("??", "?\\?")  # no trigraphs
    return '    "%s\\n",' % s


def block():
    with open(SOURCE, encoding="ascii") as f:
        lines = js_lines(f.read())
    body = [c_literal(l) for l in lines]
    for b in body:
        if len(b) > 4000:
            raise SystemExit("embed.py: a line is too long for a portable C string literal")
    return [BEGIN, "static const char *const rf__svg_js[] = {"] + body + ["};", END]


def split(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        text = f.read().split("\n")
    try:
        b = text.index(BEGIN)
        e = text.index(END, b)
    except ValueError:
        raise SystemExit("embed.py: %s has no %s ... %s block" % (path, BEGIN, END))
    return text, b, e


def main(argv):
    lines = block()
    if len(argv) == 1:
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    if len(argv) == 3 and argv[1] == "--check":
        text, b, e = split(argv[2])
        if text[b:e + 1] != lines:
            sys.stderr.write("embed.py: the script embedded in %s differs from tools/svg/flamegraph.js;\n"
                             "  run: python3 tools/svg/embed.py --update %s\n" % (argv[2], argv[2]))
            return 1
        return 0
    if len(argv) == 3 and argv[1] == "--update":
        text, b, e = split(argv[2])
        text[b:e + 1] = lines
        with open(argv[2], "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("\n".join(text))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
