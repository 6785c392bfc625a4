#!/usr/bin/env bash
# Differential test of the pprof reader against Go's own tool: fresh CPU, heap, block and
# mutex profiles from tests/peers/gopprof (goroutines, pprof labels, inlining, recursion) are
# folded by resq-flame and by `go tool pprof -raw` + raw_to_folded.py (conversion documented
# there), and must agree exactly for each sample type that matters.
# Needs Debian's golang-go and python3; without go it SKIPs loudly (fails when CI=true).
# FOLD_CFLAGS: extra flags for building fold_pprof.c (development before the header splice).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${RF_BUILD:-build}
case $BUILD in /*) W=$BUILD/test-artifacts/gopprof ;; *) W=$ROOT/$BUILD/test-artifacts/gopprof ;; esac
pass=0
fail=0
if ! command -v go >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: go (golang-go) or python3 missing in CI"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP: *** go (golang-go) or python3 not installed: the pprof oracle test did NOT run ***"
    exit 0
fi
mkdir -p "$W"
# No network, no downloaded toolchains, all caches inside the build tree.
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=mod GO111MODULE=on GOTELEMETRY=off
export HOME=$W/home GOCACHE=$W/gocache GOPATH=$W/gopath
mkdir -p "$HOME"

die() { echo "FAIL: $*"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }

(cd tests/peers/gopprof && go build -o "$W/gopprof" .) || die "cannot build tests/peers/gopprof"
"$W/gopprof" -cpu "$W/cpu.pb.gz" -heap "$W/heap.pb.gz" -block "$W/block.pb.gz" \
    -mutex "$W/mutex.pb.gz" -duration 1s || die "gopprof failed"
${CC:-cc} -std=c99 -O2 -Wall -Wextra -Werror ${FOLD_CFLAGS:-} -I. tests/pprof/fold_pprof.c \
    -o "$W/fold_pprof" || die "cannot build tests/pprof/fold_pprof.c"

# check NAME PROFILE ORACLE_COLUMN TAGROOT -- FOLD_PPROF_ARGS...
check() {
    local name=$1 prof=$2 col=$3 tag=$4
    shift 5
    local raw="$W/$name.raw" want="$W/$name.want" got="$W/$name.got"
    if ! go tool pprof -symbolize=none -raw ${tag:+-tagroot=$tag} "$W/$prof" >"$raw" 2>"$raw.err"; then
        echo "FAIL $name: go tool pprof: $(head -c 300 "$raw.err")"; fail=$((fail + 1)); return
    fi
    python3 tests/pprof/raw_to_folded.py "$raw" "$col" $tag >"$want" || {
        echo "FAIL $name: raw_to_folded.py"; fail=$((fail + 1)); return; }
    if ! "$W/fold_pprof" "$@" "$W/$prof" >"$got"; then
        echo "FAIL $name: fold_pprof $*"; fail=$((fail + 1)); return
    fi
    agree "$name" "$want" "$got"
}

# agree NAME WANT GOT: the oracle's fold (non-empty) and ours are identical.
agree() {
    if [ ! -s "$2" ]; then
        echo "FAIL $1: the oracle produced no stacks (workload too short?)"; fail=$((fail + 1))
    elif cmp -s "$2" "$3"; then
        echo "ok   $1 ($(wc -l <"$2") stacks)"; pass=$((pass + 1))
    else
        echo "FAIL $1: differs from go tool pprof -raw"; diff "$2" "$3" | head -20; fail=$((fail + 1))
    fi
}

check cpu cpu.pb.gz "" "" --
check cpu-samples cpu.pb.gz samples "" -- -s samples
check cpu-tagroot cpu.pb.gz "" handler -- -g handler
check heap-inuse_space heap.pb.gz "" "" --
check heap-alloc_space heap.pb.gz alloc_space "" -- -s alloc_space
check heap-alloc_objects heap.pb.gz 0 "" -- -s 0
check heap-inuse_objects heap.pb.gz inuse_objects "" -- -s inuse_objects
check block-delay block.pb.gz "" "" --
check block-contentions block.pb.gz contentions "" -- -s contentions
check mutex-delay mutex.pb.gz "" "" --
check mutex-contentions mutex.pb.gz contentions "" -- -s contentions

# The CLI, once it reads pprof: its default fold must equal the oracle's too.
if [ -x "$BUILD/resq-flame" ] && "$BUILD/resq-flame" collapse --format pprof "$W/cpu.pb.gz" >"$W/cli.got" 2>"$W/cli.err"; then
    for prof in cpu heap block mutex; do
        if "$BUILD/resq-flame" collapse --format pprof "$W/$prof.pb.gz" >"$W/cli-$prof.got" &&
            cmp -s "$W/cli-$prof.got" "$W/$([ $prof = heap ] && echo heap-inuse_space || ([ $prof = cpu ] && echo cpu) || echo $prof-delay).want"; then
            echo "ok   cli-$prof"; pass=$((pass + 1))
        else
            echo "FAIL cli-$prof: resq-flame collapse --format pprof differs from go tool pprof -raw"
            fail=$((fail + 1))
        fi
    done
    # goroutine labels as root frames, in both spellings the CLI takes
    for spelling in "--group-by label:handler" "--group-by-label handler"; do
        if "$BUILD/resq-flame" collapse --format pprof $spelling "$W/cpu.pb.gz" >"$W/cli-tagroot.got" 2>"$W/cli-tagroot.err"; then
            agree "cli-tagroot ($spelling)" "$W/cpu-tagroot.want" "$W/cli-tagroot.got"
        else
            echo "FAIL cli-tagroot ($spelling): $(head -c 300 "$W/cli-tagroot.err")"; fail=$((fail + 1))
        fi
    done
else
    echo "note: build/resq-flame cannot collapse pprof yet; compared through tests/pprof/fold_pprof.c only"
fi

# drop_frames/keep_frames (Go's runtime never sets them): copies of the profiles with patterns
# set by set_frame_filters.py; go tool pprof applies them (RemoveUninteresting), so must the CLI.
# frame_filters NAME PROFILE ORACLE_COLUMN DROP [KEEP]
frame_filters() {
    local name=$1 prof=$2 col=$3
    shift 3
    local in="$W/$name.pb.gz" raw="$W/$name.raw" want="$W/$name.want" got="$W/$name.got"
    python3 tests/pprof/set_frame_filters.py "$W/$prof" "$in" "$@" || { echo "FAIL $name: set_frame_filters.py"; fail=$((fail + 1)); return; }
    if ! go tool pprof -symbolize=none -raw "$in" >"$raw" 2>"$raw.err" ||
        ! python3 tests/pprof/raw_to_folded.py "$raw" "$col" >"$want"; then
        echo "FAIL $name: oracle: $(head -c 300 "$raw.err")"; fail=$((fail + 1)); return
    fi
    if ! "$BUILD/resq-flame" collapse --format pprof "$in" >"$got" 2>"$got.err"; then
        echo "FAIL $name: resq-flame collapse: $(head -c 300 "$got.err")"; fail=$((fail + 1)); return
    fi
    agree "$name" "$want" "$got"
}
frame_filters drop-fib cpu.pb.gz "" 'main\.fib'
frame_filters drop-inlined cpu.pb.gz "" 'main\.add'                      # add is inlined: lines trimmed
frame_filters drop-keep cpu.pb.gz "" 'main\.handler.*|runtime/pprof\.Do' 'main\.handler'
frame_filters drop-root cpu.pb.gz "" 'main\.handler'                     # root frames stay
frame_filters drop-methods cpu.pb.gz "" 'crypto/sha256\.'                # "pkg.(*T).m" is tested as "pkg."
frame_filters drop-heap heap.pb.gz "" 'main\.allocate.*'
frame_filters drop-invalid cpu.pb.gz "" 'main\.(fib'                     # not compiled: nothing dropped
if [ -s "$W/drop-fib.got" ] && ! cmp -s "$W/drop-fib.got" "$W/cpu.want" && cmp -s "$W/drop-invalid.got" "$W/cpu.want"; then
    echo "ok   drop_frames changed the fold, an invalid pattern did not"; pass=$((pass + 1))
else
    echo "FAIL drop_frames had no effect, or an invalid pattern had one"; fail=$((fail + 1))
fi
grep -q "drop_frames pattern is not valid" "$W/drop-invalid.got.err" && { echo "ok   invalid drop_frames warned"; pass=$((pass + 1)); } \
    || { echo "FAIL invalid drop_frames: no warning"; fail=$((fail + 1)); }

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
