#!/usr/bin/env bash
# Builds `perf script` corpora for bench_perf (never commit the outputs; they live in build/).
#
#   tools/gen_perf_corpus.sh [mixed|deep|unique] [OUT]
#
#   mixed   (default) the realistic corpus: ../shared/testdata/bench/mixed-workload.perf-script.txt.xz
#           unpacked (342 MB, 400k samples, mean depth 12, 44,613 unique stacks).
#           OUT default: build/bench/mixed.perf-script.txt
#   deep    the same samples with every stack repeated 8 times through renamed frames
#           ("f" -> "f", "f'1" ... "f'7"): mean depth ~100, max ~1000; 1/4 of the samples
#           (about 600 MB). OUT default: build/bench/deep.perf-script.txt
#   unique  the same samples with symbols made distinct per process id modulo 4096
#           ("f" -> "f#1234"): ~100x the unique frames and stacks, same size as mixed.
#           OUT default: build/bench/unique.perf-script.txt
#
# The perturbations keep perf's line shapes (TAB, right-aligned hex address, sym+0xoff,
# " (module)"), so they measure the same parser paths on different shapes.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-mixed}
src=../shared/testdata/bench/mixed-workload.perf-script.txt.xz
[ -f "$src" ] || { echo "gen_perf_corpus: $src not found" >&2; exit 1; }
mkdir -p build/bench
case "$mode" in
mixed)
    out=${2:-build/bench/mixed.perf-script.txt}
    xz -dc "$src" >"$out.tmp"
    ;;
deep)
    out=${2:-build/bench/deep.perf-script.txt}
    # keep every 4th sample; print its frame lines 8 times, renaming the copies
    xz -dc "$src" | awk '
        /^[^\t]/ && !/^$/ { hdr = $0; n = 0; s++; next }
        /^\t/ { fr[n++] = $0; next }
        /^$/ {
            if (s % 4 == 0 && hdr != "") {
                print hdr
                for (r = 0; r < 8; r++)
                    for (i = 0; i < n; i++) {
                        line = fr[i]
                        if (r > 0) sub(/\+0x/, "'"'"'" r "+0x", line)
                        print line
                    }
                print ""
            }
            hdr = ""; n = 0
        }' >"$out.tmp"
    ;;
unique)
    out=${2:-build/bench/unique.perf-script.txt}
    xz -dc "$src" | awk '
        /^[^\t]/ && !/^$/ { split($0, f, " "); tag = "#" (($2 + 0) % 4096); print; next }
        /^\t/ { sub(/\+0x/, tag "+0x"); print; next }
        { print }' >"$out.tmp"
    ;;
*)
    echo "usage: $0 [mixed|deep|unique] [OUT]" >&2
    exit 1
    ;;
esac
mv "$out.tmp" "$out"
echo "$out: $(wc -c <"$out") bytes"
