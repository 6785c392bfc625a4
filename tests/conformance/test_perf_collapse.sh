#!/usr/bin/env bash
# perf script -> folded must match stackcollapse-perf.pl byte for byte:
#  - FlameGraph's own suite: 13 captures x 6 options = 78 expected outputs
#    (../shared/testdata/flamegraph-pl/test/results, what `stackcollapse-perf.pl --OPT` prints);
#  - two captures made here: inlined frames (perf-inline.folded, no option) and a
#    sched:sched_switch capture with --tid (perf-sched_switch.tid.folded).
# The collapser is `resq-flame collapse` when the CLI is built, else the benchmark tool's
# --fold mode (same header, same parser); RF_COLLAPSE="cmd args" overrides both.
# Prints "N passed, M failed", shows a diff of the first mismatch, exits 1 on any failure.
set -u
cd "${RF_ROOT:-$(dirname "$0")/../..}"
BUILD=${RF_BUILD:-build}
DATA=../shared/testdata
if [ -n "${RF_COLLAPSE:-}" ]; then
    read -r -a CMD <<<"$RF_COLLAPSE"
elif [ -x "$BUILD/resq-flame" ]; then
    CMD=("$BUILD/resq-flame" collapse --format perf)
elif [ -x "$BUILD/tools/bench_perf" ]; then
    CMD=("$BUILD/tools/bench_perf" --fold)
else
    echo "FAIL: neither $BUILD/resq-flame nor $BUILD/tools/bench_perf is built (run make)"
    exit 1
fi
echo "collapser: ${CMD[*]}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
shown=0
check() { # expected-file, input, options...
    local want=$1 in=$2
    shift 2
    if [ ! -f "$want" ] || [ ! -f "$in" ]; then
        echo "FAIL missing test data: $want / $in"
        fail=$((fail + 1))
        return
    fi
    "${CMD[@]}" "$@" "$in" >"$tmp/got" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq 0 ] && cmp -s "$tmp/got" "$want"; then
        pass=$((pass + 1))
        return
    fi
    fail=$((fail + 1))
    echo "FAIL $(basename "$in") $* (exit $rc)"
    if [ $shown -eq 0 ]; then
        shown=1
        echo "--- first mismatch: diff expected got (first 40 lines); stderr:"
        head -5 "$tmp/err"
        diff "$want" "$tmp/got" | head -40
    fi
}
for in in "$DATA"/flamegraph-pl/test/perf-*.txt; do
    base=$(basename "$in" .txt)
    for opt in pid tid kernel jit all addrs; do
        check "$DATA/flamegraph-pl/test/results/$base-collapsed-$opt.txt" "$in" "--$opt"
    done
done
check "$DATA/real/perf-inline.folded" "$DATA/real/perf-script-inline.txt"
check "$DATA/real/perf-sched_switch.tid.folded" "$DATA/real/perf-script-sched_switch.txt" --tid
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -eq 80 ]
