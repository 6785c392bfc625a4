#!/usr/bin/env bash
# Real V8/JSC profiles from the real runtimes, folded by resq_flame.h and checked against an
# independent reading of the same JSON (check.js, plain JSON.parse):
#   node --cpu-prof / --heap-prof, bun --cpu-prof (and bun --heap-prof, which must be refused
#   as a heap snapshot). Totals must equal the sample count (or bytes, or microseconds), the
#   known hot function must dominate, and byte-at-a-time feeding must give the same output.
# Prints "N passed, M failed"; exits non-zero on failure. A missing runtime is a loud SKIP
# (exit 0), unless CI=true.
#   RF_TEST_CFLAGS: extra compiler flags for the driver (e.g. the header's dev-hook defines)
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${RF_BUILD:-build}
HERE=$ROOT/tests/v8
pass=0; fail=0; skipped=0
ok()   { pass=$((pass + 1)); echo "ok   $*"; }
bad()  { fail=$((fail + 1)); echo "FAIL $*"; }
skip() {
    skipped=$((skipped + 1)); echo "SKIP $* (install it: tools/deps.sh test)"
    if [ "${CI:-}" = true ]; then fail=$((fail + 1)); echo "FAIL (CI=true: nothing may be skipped)"; fi
}
check() { if [ "$1" = "$2" ]; then ok "$3 ($1)"; else bad "$3: got '$1', want '$2'"; fi; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$BUILD/tests"
FOLD=$BUILD/tests/v8_fold
if ! ${CC:-cc} -std=c99 -O2 -Wall -Wextra -pedantic -Werror ${RF_TEST_CFLAGS:-} -I. "$HERE/fold.c" -o "$FOLD"; then
    bad "cannot build tests/v8/fold.c"; echo "$pass passed, $fail failed"; exit 1
fi

sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }          # total of a folded file
leaf() { awk -v f="$2" '{ n = split($0, a, " "); st = substr($0, 1, length($0) - length(a[n]) - 1);
                          k = split(st, fr, ";"); if (fr[k] == f) s += a[n] } END { printf "%d\n", s }' "$1"; }

cpu_checks() { # label, profile file, hot function
    local label=$1 prof=$2 hot=$3 want n hotn total
    if ! "$FOLD" --format cpuprofile "$prof" >"$TMP/f" 2>"$TMP/e"; then bad "$label: parse: $(cat "$TMP/e")"; return; fi
    read -r n hotn total < <(node "$HERE/check.js" cpu "$prof" "$hot")
    check "$(sum "$TMP/f")" "$n" "$label: folded total = samples in the file"
    check "$(leaf "$TMP/f" "$hot")" "$hotn" "$label: samples with $hot on top"
    # the hot function dominates: more than half of all samples
    if [ $((hotn * 2)) -gt "$n" ]; then ok "$label: $hot dominates ($hotn of $n)"; else bad "$label: $hot has only $hotn of $n samples"; fi
    if "$FOLD" --format cpuprofile --time "$prof" >"$TMP/t" 2>"$TMP/e"; then
        check "$(sum "$TMP/t")" "$total" "$label: time-weighted total (us)"
    else bad "$label: --time: $(cat "$TMP/e")"; fi
    if "$FOLD" --format cpuprofile --chunk 1 "$prof" >"$TMP/f1" 2>"$TMP/e" && cmp -s "$TMP/f" "$TMP/f1"; then
        ok "$label: byte-at-a-time = one shot"
    else bad "$label: byte-at-a-time differs"; fi
    "$FOLD" --format cpuprofile --names loc "$prof" >"$TMP/l" 2>/dev/null
    if grep -q "$hot (hot.js:[0-9]*) " "$TMP/l"; then ok "$label: location names ($hot (hot.js:N))"; else bad "$label: no '$hot (hot.js:N)' frame"; fi
}

# ---- node ----
if command -v node >/dev/null 2>&1; then
    mkdir -p "$TMP/node"
    if (cd "$TMP/node" && node --cpu-prof --cpu-prof-interval 500 --cpu-prof-dir=. "$HERE/hot.js" >/dev/null); then
        cpu_checks "node $(node --version) --cpu-prof" "$(ls "$TMP"/node/*.cpuprofile | head -1)" hotLoop
    else bad "node --cpu-prof did not run"; fi
    mkdir -p "$TMP/nodeheap"
    if (cd "$TMP/nodeheap" && node --heap-prof --heap-prof-interval 4096 --heap-prof-dir=. "$HERE/heap.js" >/dev/null); then
        prof=$(ls "$TMP"/nodeheap/*.heapprofile | head -1)
        if "$FOLD" --format heapprofile "$prof" >"$TMP/h" 2>"$TMP/e"; then
            read -r total hotb < <(node "$HERE/check.js" heap "$prof" makeObjs)
            check "$(sum "$TMP/h")" "$total" "node --heap-prof: folded total = sum of selfSize (bytes)"
            check "$(leaf "$TMP/h" makeObjs)" "$hotb" "node --heap-prof: bytes with makeObjs on top"
            if [ $((hotb * 2)) -gt "$total" ]; then ok "node --heap-prof: makeObjs dominates"; else bad "node --heap-prof: makeObjs has $hotb of $total bytes"; fi
            "$FOLD" --format heapprofile --chunk 1 "$prof" >"$TMP/h1" 2>/dev/null
            if cmp -s "$TMP/h" "$TMP/h1"; then ok "node --heap-prof: byte-at-a-time = one shot"; else bad "node --heap-prof: byte-at-a-time differs"; fi
        else bad "node --heap-prof: parse: $(cat "$TMP/e")"; fi
    else bad "node --heap-prof did not run"; fi
else
    skip "node not found: node --cpu-prof / --heap-prof checks"
fi

# ---- bun (from npm, in tests/node_modules) ----
BUN=${BUN:-}
[ -z "$BUN" ] && [ -x "$ROOT/tests/node_modules/.bin/bun" ] && BUN=$ROOT/tests/node_modules/.bin/bun
[ -z "$BUN" ] && command -v bun >/dev/null 2>&1 && BUN=$(command -v bun)
if [ -n "$BUN" ] && "$BUN" --version >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
    mkdir -p "$TMP/bun"
    if (cd "$TMP/bun" && "$BUN" --cpu-prof --cpu-prof-interval 500 --cpu-prof-dir=. "$HERE/hot.js" >/dev/null 2>&1); then
        cpu_checks "bun $("$BUN" --version) --cpu-prof" "$(ls "$TMP"/bun/*.cpuprofile | head -1)" hotLoop
    else bad "bun --cpu-prof did not run"; fi
    mkdir -p "$TMP/bunheap"
    if (cd "$TMP/bunheap" && "$BUN" --heap-prof --heap-prof-dir=. "$HERE/heap.js" >/dev/null 2>&1) && ls "$TMP"/bunheap/* >/dev/null 2>&1; then
        prof=$(ls "$TMP"/bunheap/* | head -1)
        "$FOLD" --format heapprofile "$prof" >/dev/null 2>"$TMP/e"; rc=$?
        if [ $rc -eq 2 ] && grep -q "heap snapshot" "$TMP/e"; then ok "bun --heap-prof: refused as a heap snapshot"
        else bad "bun --heap-prof: want a 'heap snapshot' error, got rc $rc: $(cat "$TMP/e")"; fi
    else bad "bun --heap-prof did not run"; fi
else
    skip "bun (or node) not found: bun --cpu-prof checks"
fi

echo "$pass passed, $fail failed${skipped:+, $skipped skipped}"
[ $fail -eq 0 ]
