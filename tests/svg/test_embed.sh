#!/usr/bin/env bash
# The script embedded in resq_flame.h must be exactly what tools/svg/embed.py makes of
# tools/svg/flamegraph.js, and that file must parse as JavaScript.
set -u
cd "$(dirname "$0")/../.."
pass=0; fail=0
if python3 tools/svg/embed.py --check resq_flame.h; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
if command -v node >/dev/null 2>&1; then
    if node --check tools/svg/flamegraph.js; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
else
    echo "SKIP node is not installed: flamegraph.js syntax not checked"
    [ "${CI:-}" = "true" ] && fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
