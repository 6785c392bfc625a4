#!/usr/bin/env bash
# Builds every tests/fuzz/fuzz_*.c with libFuzzer + ASan + UBSan and runs each for SECONDS.
#   tests/fuzz/run.sh [SECONDS] [NAME...]     (default 60 s each, every harness)
# Everything goes to $RF_BUILD/fuzz (default build/fuzz): binaries, corpus-NAME/ (seeded from
# the test data, grown by the fuzzer, kept between runs), logs, and any reproducer
# (NAME-crash-*, NAME-leak-*, NAME-timeout-*, NAME-oom-*). Prints one line per harness and
# exits 1 when any harness found a problem, 3 when clang's fuzzer runtime is missing.
# Replay a reproducer: build/fuzz/fuzz_NAME build/fuzz/fuzz_NAME-crash-...
# shellcheck disable=SC2059,SC2317  # option bytes are printf escapes; seeds_* are called by name
set -u
cd "$(dirname "$0")/../.." || exit 2
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
case $SECONDS_EACH in ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number, got '$SECONDS_EACH'" >&2; exit 2;; esac
OUT=${RF_BUILD:-build}/fuzz
CLANG=${FUZZ_CC:-clang}
# The header is copied first, so one run fuzzes one version of it even while it is being edited.
mkdir -p "$OUT/include"
cp resq_flame.h "$OUT/include/resq_flame.h"
CFLAGS_FUZZ=("-fsanitize=fuzzer,address,undefined" -fno-sanitize-recover=all -g -O1 "-I$OUT/include")
DATA=../shared/testdata

# The fuzzer runtime is a separate Debian package (libclang-rt-14-dev): probe it first so a
# missing runtime reads as "missing", not as a compile error in a harness.
probe_runtime() {
    command -v "$CLANG" >/dev/null 2>&1 || { echo "$CLANG is not installed (run: tools/deps.sh fuzz)"; return 1; }
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n'\
'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
        >"$OUT/probe.c"
    "$CLANG" "${CFLAGS_FUZZ[@]}" "$OUT/probe.c" -o "$OUT/probe" >"$OUT/probe.log" 2>&1 ||
        { echo "$CLANG cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing? run: tools/deps.sh fuzz): $(tail -n 1 "$OUT/probe.log")"; return 1; }
}
if ! why=$(probe_runtime); then
    echo "run.sh: $why" >&2
    exit 3
fi

# ---- build, two at a time (each is one ~10 s compile of the whole header) -----------------
if [ $# -gt 0 ]; then names=("$@"); else
    names=(); for f in tests/fuzz/fuzz_*.c; do names+=("$(basename "$f" .c)"); done
fi
build_one() {
    local n=$1
    [ -f "tests/fuzz/$n.c" ] || { echo "no tests/fuzz/$n.c" >"$OUT/$n.build.log"; return 1; }
    if [ "$OUT/$n" -nt "tests/fuzz/$n.c" ] && cmp -s "$OUT/include/resq_flame.h" "$OUT/$n.h"; then return 0; fi
    rm -f "$OUT/$n"
    "$CLANG" "${CFLAGS_FUZZ[@]}" "tests/fuzz/$n.c" -o "$OUT/$n" >"$OUT/$n.build.log" 2>&1 &&
        cp "$OUT/include/resq_flame.h" "$OUT/$n.h"
}
pids=(); for n in "${names[@]}"; do
    build_one "$n" & pids+=($!)
    if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait
build_failed=0
for n in "${names[@]}"; do
    if [ ! -x "$OUT/$n" ]; then
        echo "run.sh: $n does not build:" >&2; tail -n 20 "$OUT/$n.build.log" >&2; build_failed=1
    fi
done
[ $build_failed -eq 0 ] || exit 1

# ---- seeds -----------------------------------------------------------------------------
# Every seed is cut to the harness's -max_len at a line end (text formats), so the fuzzer
# starts from whole records rather than a chopped last line.
seed() { # corpus-dir, option-byte (octal escape or ""), file, max-len
    local dir=$1 opt=$2 file=$3 max=$4 name
    [ -f "$file" ] || return 0
    name=$(basename "$file")-${opt//\\/o}
    { printf "$opt"; case $file in
        *.gz|*.pb) head -c "$((max - 1))" "$file";;
        *) if [ "$(stat -c %s "$file")" -lt "$max" ]; then cat "$file"
           else head -c "$((max - 1))" "$file" | sed '$d'; fi;;
      esac; } >"$dir/seed-$name"
}
seed_text() { # corpus-dir, option-byte, literal text, tag
    { printf "$2"; printf '%s' "$3"; } >"$1/seed-$4-${2//\\/o}"
}

seeds_inflate() { local d=$1 f
    for f in tests/data/pprof/*.gz "$DATA"/real/*.pb.gz "$DATA"/flamegraph-pl/example-perf-stacks.txt.gz; do
        [ -f "$f" ] && head -c "$2" "$f" >"$d/seed-$(basename "$f")"
    done
}
seeds_pprof() { local d=$1 f o
    for f in "$DATA"/real/go119-*.pb.gz "$DATA"/real/mini-handmade.pb; do
        for o in '\000' '\001' '\006' '\010' '\030' '\047'; do seed "$d" "$o" "$f" "$2"; done
    done
    # the same profiles uncompressed: the raw protobuf path
    for f in "$DATA"/real/go119-*.pb.gz; do
        [ -f "$f" ] && { printf '\000'; gzip -dc "$f"; } | head -c "$2" >"$d/seed-$(basename "$f" .gz)-raw"
    done
    # with drop_frames/keep_frames set, and an option byte that plugs in the harness's engine
    if [ -f "$DATA"/real/go119-cpu.pb.gz ] && command -v python3 >/dev/null; then
        python3 tests/pprof/set_frame_filters.py "$DATA"/real/go119-cpu.pb.gz "$d/.filters.pb.gz" runtime main &&
            { printf '\060'; gzip -dc "$d/.filters.pb.gz"; } | head -c "$2" >"$d/seed-go119-cpu-filters-raw"
        rm -f "$d/.filters.pb.gz"
    fi
}
seeds_perf() { local d=$1 f o
    for f in "$DATA"/flamegraph-pl/test/perf-*.txt "$DATA"/real/perf-script-inline.txt \
             "$DATA"/real/perf-script-sched_switch.txt; do
        for o in '\000' '\003' '\010' '\020' '\040' '\204'; do seed "$d" "$o" "$f" "$2"; done
    done
    [ -f tests/data/example-perf-stacks.txt.gz ] &&
        { printf '\000'; gzip -dc tests/data/example-perf-stacks.txt.gz | head -c "$(($2 - 1))" | sed '$d'; } \
            >"$d/seed-example-perf-stacks"
}
seeds_text() { local d=$1 f o
    for f in "$DATA"/real/bpftrace-*.txt; do
        for o in '\000' '\003' '\200'; do seed "$d" "$o" "$f" "$2"; done
    done
    seed "$d" '\001' "$DATA"/flamegraph-pl/example-dtrace-stacks.txt "$2"
    seed "$d" '\003' "$DATA"/flamegraph-pl/example-dtrace-stacks.txt "$2"
    for f in "$DATA"/real/austin*.txt; do
        for o in '\002' '\003' '\006' '\012' '\022' '\042' '\102'; do seed "$d" "$o" "$f" "$2"; done
    done
    # auto-detection must also recognise folded and perf text
    for f in "$DATA"/inferno/flamegraph/*/*.txt "$DATA"/real/perf-inline.folded \
             "$DATA"/flamegraph-pl/test/perf-dd-stacks-01.txt; do
        seed "$d" '\003' "$f" "$2"
    done
}
json_docs() { # the speedscope and JSC shapes the unit tests cover, plus a real Bun stack trace
    local d=$1 jsc
    seed_text "$d" "$2" '{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"main","file":"main.c","line":10},{"name":"leaf"}]},"profiles":[{"type":"sampled","name":"cpu","unit":"milliseconds","startValue":0,"endValue":3,"samples":[[0,1],[0],[0,1]],"weights":[1,1.5,2]},{"type":"evented","name":"wall","unit":"nanoseconds","startValue":0,"endValue":9,"events":[{"type":"O","frame":0,"at":0},{"type":"O","frame":1,"at":2},{"type":"C","frame":1,"at":5},{"type":"C","frame":0,"at":9}]}],"activeProfileIndex":0,"exporter":"speedscope@1.3.2"}' speedscope
    seed_text "$d" "$2" '{"samples":{"stackTraces":[{"timestamp":0,"stackFrames":[{"name":"leaf"},{"name":"mid"},{"name":""}]},{"stackFrames":[{"name":"mid","line":3,"column":7,"url":"/a/b.js"}],"timestamp":1.5},{"stackFrames":[]}]}}' jsc
    jsc=$(sed -n 's/^first stackTrace: //p' "$DATA"/real/bun_cdp_log.txt 2>/dev/null | head -n 1)
    [ -n "$jsc" ] && seed_text "$d" "$2" "{\"method\":\"ScriptProfiler.trackingComplete\",\"params\":{\"samples\":{\"stackTraces\":[$jsc]}}}" bun
}
seeds_json() { local d=$1 o f
    for o in '\000' '\005' '\020' '\041' '\060' '\300' '\316'; do json_docs "$d" "$o"; done
    for f in "$DATA"/real/*.cpuprofile "$DATA"/real/*.heapprofile; do seed "$d" '\004' "$f" "$2"; done
}
seeds_v8() { local d=$1 f o
    for f in "$DATA"/real/*.cpuprofile; do
        for o in '\000' '\002' '\004' '\010' '\020' '\040'; do seed "$d" "$o" "$f" "$2"; done
    done
    for f in "$DATA"/real/*.heapprofile; do
        for o in '\001' '\005' '\041'; do seed "$d" "$o" "$f" "$2"; done
    done
}

seeds_svg() { local d=$1 f o
    for f in "$DATA"/inferno/flamegraph/*/*.txt "$DATA"/inferno/diff-folded/*.txt "$DATA"/real/*.folded \
             "$DATA"/flamegraph-pl/test/results/perf-java-stacks-02-collapsed-all.txt tests/golden/small.folded; do
        for o in '\000' '\003' '\026' '\054' '\161'; do seed "$d" "$o" "$f" 4096; done
    done
    for f in tests/golden/*.svg; do seed "$d" '\200' "$f" "$2"; done
}

# Per harness: -max_len (big enough for a few records of the format, small enough to keep
# thousands of executions a second) and the dictionary, if any.
max_len_of() { case $1 in fuzz_inflate) echo 8192;; fuzz_v8|fuzz_pprof|fuzz_svg) echo 32768;; fuzz_json) echo 16384;; *) echo 4096;; esac; }
dict_of() { case $1 in fuzz_json|fuzz_v8) echo "-dict=tests/fuzz/json.dict";; esac; }

# ---- run -------------------------------------------------------------------------------
status=0
printf '%-14s %9s %8s %6s %8s  %s\n' harness runs exec/s cov corpus result
for n in "${names[@]}"; do
    corpus=$OUT/corpus-${n#fuzz_}
    max=$(max_len_of "$n")
    mkdir -p "$corpus"
    if declare -F "seeds_${n#fuzz_}" >/dev/null; then "seeds_${n#fuzz_}" "$corpus" "$max"; fi
    rm -f "$OUT/$n"-crash-* "$OUT/$n"-leak-* "$OUT/$n"-timeout-* "$OUT/$n"-oom-* "$OUT/$n"-slow-unit-*
    log=$OUT/$n.log
    # shellcheck disable=SC2046
    "$OUT/$n" "$corpus" -max_total_time="$SECONDS_EACH" -max_len="$max" -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/$n-" $(dict_of "$n") \
        >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -aoE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    files=$(find "$corpus" -type f | wc -l)
    artifact=$(ls "$OUT/$n"-crash-* "$OUT/$n"-leak-* "$OUT/$n"-timeout-* "$OUT/$n"-oom-* 2>/dev/null | head -n 1)
    if [ $rc -eq 0 ] && [ -z "$artifact" ]; then result=ok; else
        status=1
        what=$(grep -a -m 1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [^ ]+( [^ ]+)?|runtime error: .*|deadly signal' "$log" | head -n 1)
        result="FAIL (exit $rc${what:+: $what}) reproducer: ${artifact:-none} log: $log"
    fi
    printf '%-14s %9s %8s %6s %8s  %s\n' "$n" "${runs:-?}" "${eps:-?}" "${cov:-?}" "$files" "$result"
done
exit $status
