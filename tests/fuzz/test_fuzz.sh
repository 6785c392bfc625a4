#!/usr/bin/env bash
# Bounded fuzzing for CI: every libFuzzer harness for FUZZ_SECONDS (default 15) through
# tests/fuzz/run.sh (seeded corpus, ASan + UBSan). One result per harness: it fails on a crash,
# leak, timeout or out-of-memory (the reproducer stays in $RF_BUILD/fuzz/), and when a harness
# did not really run (fewer than 100 executions, or no coverage). Prints "N passed, M failed".
# No clang fuzzer runtime: loud SKIP (a failure under CI=true).
set -u
cd "${RF_ROOT:-$(dirname "$0")/../..}" || exit 1
# shellcheck source=../lib/peers.sh
. tests/lib/peers.sh
SECS=${FUZZ_SECONDS:-15}
out=$(tests/fuzz/run.sh "$SECS" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -eq 3 ]; then
    rf_skip "clang's libFuzzer runtime is missing (run: tools/deps.sh fuzz): $(printf '%s\n' "$out" | tail -n 1)"
fi
harnesses=0
while read -r name runs _eps cov _corpus result; do
    case $name in fuzz_*) ;; *) continue;; esac
    harnesses=$((harnesses + 1))
    if [ "$result" != ok ]; then
        rf_fail "$name" "$result"
    elif ! [ "$runs" -ge 100 ] 2>/dev/null || ! [ "$cov" -gt 0 ] 2>/dev/null; then
        rf_fail "$name" "only $runs executions, coverage $cov in ${SECS}s"
    else
        rf_pass "$name: $runs executions in ${SECS}s, coverage $cov"
    fi
done <<<"$out"
n_src=$(find tests/fuzz -maxdepth 1 -name 'fuzz_*.c' | wc -l)
rf_expect_eq "every harness ran" "$n_src" "$harnesses"
[ $rc -eq 0 ] || [ "$RF_FAILED" -gt 0 ] || rf_fail "run.sh" "exit $rc"
rf_summary
