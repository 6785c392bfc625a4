#!/usr/bin/env bash
# Every folded input under ../shared/testdata rendered to SVG (with a few option sets) must be
# well-formed XML (xmllint). Also a file of hostile names and an empty input ("No samples").
# Prints "N passed, M failed". xmllint missing: loud SKIP (a failure in CI).
set -u
cd "$(dirname "$0")/../.."
BUILD=${RF_BUILD:-build}
DATA=../shared/testdata
RENDER=${RF_SVG_RENDER:-$BUILD/tools/bench_svg}
if ! command -v xmllint >/dev/null 2>&1; then
    echo "SKIP xmllint is not installed (apt-get install libxml2-utils)"
    [ "${CI:-}" = "true" ] && { echo "0 passed, 1 failed"; exit 1; }
    echo "0 passed, 0 failed"; exit 0
fi
[ -n "${RF_SVG_RENDER:-}" ] || make -s "$RENDER" >/dev/null || { echo "cannot build $RENDER"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
check() { # input, expected exit status of the renderer, options...
    local in=$1 want=$2; shift 2
    "$RENDER" --render "$in" "$@" >"$tmp/out.svg" 2>"$tmp/err"; local rc=$?
    if [ $rc -ne "$want" ]; then
        fail=$((fail + 1)); echo "FAIL $in $*: renderer exit $rc (want $want): $(head -c 300 "$tmp/err")"; return
    fi
    if xmllint --noout --nonet "$tmp/out.svg" 2>"$tmp/xml"; then pass=$((pass + 1))
    else fail=$((fail + 1)); echo "FAIL $in $*: not well-formed"; head -5 "$tmp/xml"; fi
}
n=0
for f in "$DATA"/flamegraph-pl/test/results/*.txt "$DATA"/inferno/collapse-perf/*.txt \
         "$DATA"/inferno/flamegraph/*/*.txt "$DATA"/inferno/diff-folded/*.txt \
         "$DATA"/inferno/diff-folded/results/*.txt "$DATA"/real/*.folded; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    check "$f" 0
done
[ $n -ge 99 ] || { echo "FAIL only $n folded inputs found under $DATA"; fail=$((fail + 1)); }
f="$DATA"/inferno/collapse-perf/example-perf-stacks-collapsed.txt
check "$f" 0 --inverted --colors java --subtitle 'sub & <title>' --notes 'a -- b -'
check "$f" 0 --reverse --sort weight --truncate left --hash --colors js --minwidth 1%
check "$f" 0 --flamechart --colors python --bgcolors '#102030' --data-budget 5000
check "$DATA"/inferno/flamegraph/differential/perf-cycles-instructions-01-collapsed-all-diff.txt 0 --negate
printf 'root;</script><script>alert(1)</script> 1\nroot;]]>&amp;<svg onload=alert(1)> 2\nroot;\x01\x1f\x7f\xc2\x85\xff\xfe\xed\xa0\x80 3\nroot;\xe2\x80\xae\xef\xbf\xbe\xef\xbf\xbf 4\nroot;-->--<!-- 5\n' >"$tmp/hostile.folded"
check "$tmp/hostile.folded" 0 --title '<b>&</b>' --notes '-->'
: >"$tmp/empty.folded"
check "$tmp/empty.folded" 1
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
