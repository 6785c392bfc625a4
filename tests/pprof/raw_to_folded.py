#!/usr/bin/env python3
"""`go tool pprof -raw` text -> folded stacks (the oracle side of test_go_oracle.sh).

usage: raw_to_folded.py RAW_TEXT COLUMN [TAGROOT_KEY]

-raw prints "Samples:", a header "type/unit[dflt] ...", then one line per sample:
"  v0 v1 ...: id id id" with location ids LEAF FIRST (label lines below it are ignored);
then "Locations": "ID: 0xADDR [M=n] [[F]] name file:line s=N[(sysname)]" where the first line
is Line[0], the innermost inlined function, and 13-space continuation lines are the functions
it was inlined into, the last one the real caller; then "Mappings": "ID: start/limit/offset file".
Folding: reverse the ids (root first) and expand each location caller-before-callee (its lines
in reverse); unsymbolized locations become basename(mapping file)+0x(addr-start+offset), as the
decoder names them. With -tagroot=KEY pprof itself adds root locations "0x0 VALUES KEY:0"; they
become "KEY=VALUES" ("KEY=?" for samples without the label). Samples with 0 in COLUMN (name
or 0-based number; "" = the [dflt] column, else the last) are dropped, equal stacks are summed,
lines are sorted bytewise.
"""
import re
import sys

LOC = re.compile(r'^\s*(\d+): (0x[0-9a-f]+) (M=(\d+) )?(\[F\] )?(.*)$')
LINE = re.compile(r'^(.*) (\S*):(-?\d+) s=(-?\d+)(\(.*\))?$')


def main():
    text, col = open(sys.argv[1]).read().split('\n'), sys.argv[2]
    tagroot = sys.argv[3] if len(sys.argv) > 3 else None
    i = text.index('Samples:') + 1
    types = text[i].split()
    i += 1
    if col == '':
        dflt = [k for k, t in enumerate(types) if t.endswith('[dflt]')]
        c = dflt[0] if dflt else len(types) - 1
    elif col.isdigit():
        c = int(col)
    else:
        c = [t.split('/')[0] for t in types].index(col)
    samples = []
    while text[i] != 'Locations':
        line = text[i]
        i += 1
        if ':' in line and not line.startswith(' ' * 16):
            vals, ids = line.split(':', 1)
            samples.append(([int(v) for v in vals.split()], [int(x) for x in ids.split()]))
    i += 1
    locs, cur = {}, None
    while text[i] != 'Mappings':
        line = text[i]
        i += 1
        if line.startswith(' ' * 13) and not LOC.match(line):
            locs[cur]['lines'].append(LINE.match(line.strip()).groups())
            continue
        m = LOC.match(line)
        cur = int(m.group(1))
        rest = m.group(6)
        locs[cur] = {'addr': int(m.group(2), 16), 'map': m.group(4), 'lines': []}
        if rest:  # "" = no line information
            locs[cur]['lines'].append(LINE.match(rest).groups())
    maps = {}
    for line in text[i + 1:]:
        m = re.match(r'^(\d+): (0x[0-9a-f]+)/(0x[0-9a-f]+)/(0x[0-9a-f]+) (\S*)', line)
        if m:
            maps[m.group(1)] = [int(m.group(k), 16) for k in (2, 3, 4)] + [m.group(5)]

    def frames(loc):
        if tagroot and loc['map'] is None and loc['addr'] == 0 and len(loc['lines']) == 1 \
                and loc['lines'][0][1] == tagroot:
            return [tagroot + '=' + (loc['lines'][0][0] or '?')]
        if not loc['lines']:
            mp = maps.get(loc['map'])
            if mp and mp[3] and mp[0] <= loc['addr'] < mp[1]:
                return ['%s+0x%x' % (mp[3].rsplit('/', 1)[-1], loc['addr'] - mp[0] + mp[2])]
            return ['0x%x' % loc['addr']]
        return [ln[0] for ln in reversed(loc['lines'])]

    acc = {}
    for vals, ids in samples:
        if vals[c] == 0:
            continue
        stack = ';'.join(f for lid in reversed(ids) for f in frames(locs[lid]))
        acc[stack] = acc.get(stack, 0) + vals[c]
    for k in sorted(acc, key=lambda s: s.encode()):
        print(k, acc[k])


main()
