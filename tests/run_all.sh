#!/usr/bin/env bash
# Runs every test suite: compile checks, the C unit tests (cmocka), and every
# tests/*/test_*.sh. Each suite is one pass or fail; the last line is the tally.
#   --unit-only [SCRIPT...]   only the unit binaries, plus the shell tests named (used by
#                 make asan/ubsan/valgrind; make asan adds the CLI's conformance tests)
#   RF_BUILD      build directory (default build); RF_WRAP: command prefix (valgrind)
set -u
cd "$(dirname "$0")/.."
BUILD=${RF_BUILD:-build}
WRAP=${RF_WRAP:-}
UNIT_ONLY=0
EXTRA=()
if [ "${1:-}" = "--unit-only" ]; then UNIT_ONLY=1; shift; EXTRA=("$@"); fi
export RF_ROOT=$PWD RF_BUILD=$BUILD
mkdir -p "$BUILD/test-logs"
pass=0; fail=0; failed=()
run_suite() { # name, command...
    local name=$1; shift
    local log="$BUILD/test-logs/${name//\//_}.log" t0=$SECONDS rc
    "$@" >"$log" 2>&1; rc=$?
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1)); printf 'PASS  %-40s %3ss\n' "$name" $((SECONDS - t0))
        grep -E '^(SKIP|skip)' "$log" | sed 's/^/      /'
    else
        fail=$((fail + 1)); failed+=("$name")
        printf 'FAIL  %-40s %3ss  (log: %s)\n' "$name" $((SECONDS - t0)) "$log"
        tail -n 25 "$log" | sed 's/^/      | /'
    fi
}
if [ $UNIT_ONLY -eq 0 ]; then
    run_suite compile tests/compile/check.sh
fi
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    run_suite "unit/$(basename "$t")" $WRAP "$t"
done
if [ $UNIT_ONLY -eq 0 ]; then
    for t in tests/*/test_*.sh; do
        [ -f "$t" ] || continue
        run_suite "${t#tests/}" bash "$t"
    done
fi
for t in ${EXTRA[@]+"${EXTRA[@]}"}; do
    run_suite "${t#tests/}" bash "$t"
done
echo
[ $fail -gt 0 ] && printf 'failed: %s\n' "${failed[*]}"
echo "suites: $pass passed, $fail failed"
[ $fail -eq 0 ]
