#!/usr/bin/env bash
# make bench: every hot path's throughput (MiB/s) and peak RSS, on real or realistic inputs.
# Inputs are made under build/bench (never committed): the shared 342 MB perf capture unpacked,
# its collapsed form (36 MB of real folded stacks), generated JSON and pprof profiles.
# Numbers vary with machine load: compare runs made on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${RF_BUILD:-build}
T=$B/tools
mkdir -p "$B/bench"
section() { printf '\n== %s\n' "$*"; }

corpus=$B/bench/mixed.perf-script.txt
[ -s "$corpus" ] || tools/gen_perf_corpus.sh mixed "$corpus"
folded=$B/bench/mixed.folded
[ -s "$folded" ] || "$B/resq-flame" collapse -q "$corpus" > "$folded"
inferno=../shared/testdata/inferno/collapse-perf/example-perf-stacks-collapsed.txt

section "perf script -> call tree (stackcollapse-perf.pl compatible), $(du -m "$corpus" | cut -f1) MB real capture"
"$T/bench_perf" --repeat 3 "$corpus"
"$T/bench_perf" --repeat 3 --threads 2 "$corpus"

section "folded -> call tree -> folded"
"$T/bench_folded" "$inferno" 5
"$T/bench_folded" "$folded" 3

section "folded -> SVG (parse + write, writer alone, bytes per drawn frame)"
"$T/bench_svg" "$inferno" "$folded"

section "V8 .cpuprofile (generated, ~100 MiB)"
"$T/bench_json" --runs 3

section "pprof (generated Go-like CPU profile, ~70 MiB protobuf, gzip -6)"
"$T/bench_pprof" --dir "$B/bench"

if command -v chromium >/dev/null 2>&1 && [ -d tests/node_modules/playwright-core ]; then
    section "Chromium: first paint and zoom of a 10k-frame SVG"
    node tools/svg/measure_browser.js || echo "(browser measurement failed)"
fi
