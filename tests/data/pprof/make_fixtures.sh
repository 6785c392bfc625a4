#!/bin/sh
# Regenerates the gzip fixtures of tests/unit/test_inflate.c (run from this directory).
# Source text: ../../../../shared/testdata/real/go119-cpu.raw.txt (6.8 KB of pprof -raw output).
set -e
src=../../../../shared/testdata/real/go119-cpu.raw.txt
cp "$src" go119-cpu.raw.txt
gzip -1 -c go119-cpu.raw.txt > text-gzip1.gz      # GNU gzip: FNAME set, dynamic blocks
gzip -9 -c go119-cpu.raw.txt > text-gzip9.gz
rm go119-cpu.raw.txt
python3 - "$src" <<'PY'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
def gz(d, level, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)   # wbits 31 = gzip wrapper
    return c.compress(d) + c.flush()
open('text-py-stored.gz', 'wb').write(gz(data, 0))                 # stored blocks only
open('text-py-fixed.gz', 'wb').write(gz(data, 9, zlib.Z_FIXED))    # fixed Huffman only
open('text-py-dynamic.gz', 'wb').write(gz(data, 6))                # dynamic Huffman
open('empty-py.gz', 'wb').write(gz(b'', 6))
open('zeros-4m.gz', 'wb').write(gz(b'\0' * (4 << 20), 9))          # a small "bomb"
PY
printf '' | gzip -9 -c > empty-gzip.gz
