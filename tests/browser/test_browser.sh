#!/usr/bin/env bash
# Browser tests (Playwright + Debian's Chromium) of every tests/browser/test_*.js.
# Prints "N passed, M failed"; exits non-zero on failure. A missing peer (node, chromium,
# playwright-core) is a loud SKIP with exit 0, except in CI (CI=true), where it fails.
set -u
cd "$(dirname "$0")/../.."
BUILD=${RF_BUILD:-build}
export RF_ROOT=$PWD RF_BUILD=$BUILD
skip() {
    echo "SKIP browser tests: $1"
    if [ "${CI:-}" = "true" ]; then echo "0 passed, 1 failed"; exit 1; fi
    echo "0 passed, 0 failed"
    exit 0
}
command -v node >/dev/null 2>&1 || skip "node is not installed (run: tools/deps.sh test)"
[ -x "${RF_CHROMIUM:-/usr/bin/chromium}" ] || skip "${RF_CHROMIUM:-/usr/bin/chromium} is missing (run: tools/deps.sh test)"
[ -f tests/node_modules/playwright-core/package.json ] || skip "playwright-core is missing (run: tools/deps.sh test)"
if [ -z "${RF_SVG_RENDER:-}" ] && ! make -s "$BUILD/tools/bench_svg" >/dev/null; then
    echo "cannot build $BUILD/tools/bench_svg"; echo "0 passed, 1 failed"; exit 1
fi
pass=0; fail=0
for t in tests/browser/test_*.js; do
    out=$(node "$t" 2>&1); rc=$?
    echo "$out"
    p=$(echo "$out" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1/p' | tail -1)
    f=$(echo "$out" | sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2/p' | tail -1)
    case "$out" in *"SKIP browser tests"*) [ "${CI:-}" = "true" ] && f=$((${f:-0} + 1)) ;; esac
    pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
    [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ] && fail=$((fail + 1))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
