#!/usr/bin/env bash
# Output files are written to a temporary name and renamed: a failure never leaves a
# truncated file, never clobbers an existing one, and leaves no temporary behind.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/peers.sh
B=${RF_BUILD:-build}
RF=$B/resq-flame
[ -x "$RF" ] || rf_skip "no $RF (run make)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
folded=../shared/testdata/inferno/collapse-perf/example-perf-stacks-collapsed.txt

# a good render, then the same target with bad input: the old file must survive byte for byte
"$RF" -q file --input "$folded" -o "$work/out.svg"
rf_check "render writes the SVG" test -s "$work/out.svg"
cp "$work/out.svg" "$work/before.svg"
printf '{"nodes": [ truncated' > "$work/bad.cpuprofile"
"$RF" -q file --input "$work/bad.cpuprofile" -o "$work/out.svg" 2>"$work/err"; rc=$?
rf_expect_eq "bad input exits 2" 2 "$rc"
rf_check "bad input names the file" grep -q "bad.cpuprofile" "$work/err"
rf_check "bad input leaves the existing SVG unchanged" cmp -s "$work/out.svg" "$work/before.svg"
rf_check "no temporary file is left behind" test -z "$(find "$work" -name '*.tmp-*')"

# an empty input still writes an SVG that says so, and exits non-zero
: > "$work/empty.folded"
"$RF" -q file --input "$work/empty.folded" -o "$work/empty.svg" 2>/dev/null; rc=$?
rf_expect_eq "empty input exits 2" 2 "$rc"
rf_check "empty input SVG says No samples" grep -q "No samples" "$work/empty.svg"

# an unwritable target directory: a clear error, nothing created
"$RF" -q file --input "$folded" -o "$work/missing-dir/x.svg" 2>"$work/err"; rc=$?
rf_expect_eq "unwritable target exits 2" 2 "$rc"
rf_check "the error names the target" grep -q "missing-dir/x.svg" "$work/err"

# -o - writes to stdout; --to folded and the .folded extension pick the folded writer
"$RF" -q file --input "$folded" -o - > "$work/stdout.svg"
rf_check "-o - writes the SVG to stdout" grep -q "<svg" "$work/stdout.svg"
"$RF" -q file --input "$folded" -o "$work/x.folded"
rf_check ".folded extension writes folded stacks" cmp -s "$work/x.folded" <("$RF" -q collapse "$folded")
"$RF" -q file --input - --to folded -o - < "$folded" > "$work/stdin.folded"
rf_check "stdin input and --to folded" cmp -s "$work/stdin.folded" "$work/x.folded"
# several inputs are merged
"$RF" -q collapse "$folded" "$folded" > "$work/twice.folded"
rf_check "two inputs merge (counts double)" test "$(awk '{s+=$NF} END {print s}' "$work/twice.folded")" = "$(awk '{s+=2*$NF} END {print s}' "$work/x.folded")"
# --open: BROWSER by absolute path, with its own argument and %s; a missing one is reported
printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/opened"\n' "$work" > "$work/browser"
chmod +x "$work/browser"
BROWSER="/nonexistent/browser:$work/browser --new-window %s" "$RF" file --input "$folded" -o "$work/open.svg" --open 2>"$work/err"
for _ in $(seq 50); do [ -s "$work/opened" ] && break; sleep 0.1; done
rf_check "--open runs BROWSER given by absolute path, skipping a missing entry" \
    test "$(cat "$work/opened" 2>/dev/null)" = "$(printf -- '--new-window\n%s' "$work/open.svg")"
BROWSER=/nonexistent/browser "$RF" file --input "$folded" -o "$work/open2.svg" --open 2>"$work/err"; rc=$?
rf_expect_eq "a missing BROWSER is a note, not a failure" 0 "$rc"
rf_check "the note says to open the file by hand" grep -q "open2.svg in a browser yourself" "$work/err"
rf_summary
