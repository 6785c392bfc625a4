#!/usr/bin/env python3
"""set_frame_filters.py IN OUT DROP [KEEP]: copy a pprof profile (gzipped or not) to OUT
(gzipped) with Profile.drop_frames = DROP and, when given, Profile.keep_frames = KEEP.

Go's runtime never sets these fields, so test_go_oracle.sh makes such profiles with this script
and compares resq-flame's fold with `go tool pprof -raw`, which applies them. The strings are
appended to the string table and the two fields appended to the message: a later occurrence of
a scalar field wins in protobuf, and repeated string_table entries concatenate.
"""
import gzip
import sys


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def count_strings(buf):
    """Number of string_table (field 6) entries in a Profile message."""
    i = n = 0
    while i < len(buf):
        key, i = read_varint(buf, i)
        num, wire = key >> 3, key & 7
        if wire == 0:
            _, i = read_varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        elif wire == 2:
            size, i = read_varint(buf, i)
            i += size
            if num == 6:
                n += 1
        else:
            sys.exit("set_frame_filters.py: unsupported wire type %d" % wire)
    return n


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__.strip().splitlines()[0])
    data = open(sys.argv[1], "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    index = count_strings(data)
    extra = bytearray()
    for num, pattern in ((7, sys.argv[3]), (8, sys.argv[4] if len(sys.argv) == 5 else None)):
        if pattern is None:
            continue
        raw = pattern.encode()
        extra += varint(6 << 3 | 2) + varint(len(raw)) + raw
        extra += varint(num << 3) + varint(index)
        index += 1
    with gzip.open(sys.argv[2], "wb") as f:
        f.write(data + bytes(extra))


main()
