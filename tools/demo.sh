#!/usr/bin/env bash
# tools/demo.sh [OUTPUT]: what `make demo` runs. Profiles the bundled workload
# tests/workloads/hot.c (main -> run -> compute_hot ~70% / compute_warm ~30%) with real
# `perf record -F 499 -g` for 2 s and renders it with build/resq-flame; when perf cannot record
# here (no perf, perf_event_paranoid, a container without perf events), it renders the bundled
# capture tests/data/example-perf-stacks.txt.gz instead and says why.
# OUTPUT defaults to flamegraph.svg. $RF_BUILD is the build directory (default build),
# $RESQ_FLAME overrides the CLI, $MAKE the make command.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
out=${1:-flamegraph.svg}
make_cmd=${MAKE:-make}
build=${RF_BUILD:-build}
cli=${RESQ_FLAME:-$build/resq-flame}
workload=$build/workloads/hot

# Up to date already when make demo runs this; building here keeps tools/demo.sh usable alone.
if [ -z "${RESQ_FLAME:-}" ]; then
    $make_cmd --no-print-directory -s BUILD="$build" "$cli" "$workload"
else
    $make_cmd --no-print-directory -s BUILD="$build" "$workload"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

first_line() { grep -v '^$' "$1" | head -n 1 || true; }

why_not_perf=""
if ! command -v perf >/dev/null 2>&1; then
    why_not_perf="perf is not installed (tools/deps.sh demo installs linux-perf)"
elif ! perf record -q -F 499 -g -o "$tmp/perf.data" -- "$workload" 2 >"$tmp/hot.out" 2>"$tmp/perf.err"; then
    why_not_perf="perf record failed (perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?')): $(first_line "$tmp/perf.err")"
elif ! perf script -i "$tmp/perf.data" >"$tmp/perf.txt" 2>>"$tmp/perf.err" || [ ! -s "$tmp/perf.txt" ]; then
    why_not_perf="perf script produced no samples: $(first_line "$tmp/perf.err")"
fi

if [ -z "$why_not_perf" ]; then
    samples=$(grep -c 'cpu-clock\|cycles' "$tmp/perf.txt" || true)
    echo "demo: profiled $workload for 2 s with perf record -F 499 -g ($samples samples)"
    "$cli" file --input - -o "$out" \
        --title "perf: tests/workloads/hot.c (compute_hot ~70%, compute_warm ~30%)" <"$tmp/perf.txt"
else
    echo "demo: $why_not_perf"
    echo "demo: rendering the bundled capture tests/data/example-perf-stacks.txt.gz instead"
    gzip -dc tests/data/example-perf-stacks.txt.gz |
        "$cli" file --input - -o "$out" \
            --title "Bundled perf capture (FlameGraph's example-perf-stacks)" \
            --subtitle "perf could not record here; see tests/data/README.md"
fi

if [ "$out" != - ]; then
    abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
    echo "demo: wrote $abs ($(wc -c <"$out") bytes); open file://$abs in a browser"
fi
