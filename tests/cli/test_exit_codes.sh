#!/usr/bin/env bash
# Every exit code of DESIGN.md through the real binary: 0 done, 1 usage, 2 bad input, 3 a tool
# is missing, 4 network/HTTP, 5 target not found, 6 diff regression, 130 interrupted (Ctrl-C
# during a perf collection renders what was collected; during a long parse of stdin it ends
# the run). Also: messages say what failed, and credentials never appear in any output.
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
BIN="$RF_ROOT/$RF_BUILD/resq-flame"
HOT="$RF_ROOT/$RF_BUILD/workloads/hot"
SMALL="$RF_ROOT/tests/analysis/fixtures/small.folded"
[ -x "$BIN" ] || { rf_fail "binary $BIN exists"; rf_summary; }
tmp=$(mktemp -d)
rf_on_exit "rm -rf '$tmp'"
cd "$tmp" || exit 1

# run NAME WANT_CODE CMD... : checks the exit code; stderr is kept in $tmp/err
run() {
    local name=$1 want=$2 got
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    got=$?
    if [ "$got" = "$want" ]; then rf_pass "$name: exit $want"; else
        rf_fail "$name: exit $want" "got $got; stderr: $(head -c 400 "$tmp/err")"
    fi
}
err_has() { # NAME TEXT
    if grep -qF -- "$2" "$tmp/err"; then rf_pass "$1"; else rf_fail "$1" "stderr lacks '$2': $(head -c 400 "$tmp/err")"; fi
}

# ---- 0 ----------------------------------------------------------------------------------------
run "file renders" 0 "$BIN" file -i "$SMALL" -o ok.svg
rf_check "the SVG was written" test -s ok.svg
rf_expect_eq "stderr not a terminal: no summary" "" "$(cat "$tmp/err")"
run "file renders -v" 0 "$BIN" -v file -i "$SMALL" -o ok.svg
err_has "-v: the summary names the output, samples, frames and the top function" "wrote ok.svg: "
run "--help" 0 "$BIN" --help
run "--version" 0 "$BIN" --version
run "hce --help" 0 "$BIN" hce --help
run "-q is silent" 0 "$BIN" -q file -i "$SMALL" -o q.svg
rf_expect_eq "-q: nothing on stderr" "" "$(cat "$tmp/err")"

# ---- 1 ----------------------------------------------------------------------------------------
run "unknown option" 1 "$BIN" file --frob
err_has "unknown option is named" "unknown option '--frob'"
run "bad duration" 1 "$BIN" perf --duration 5x --pid 1
err_has "the message says what was expected" "expected a duration such as 30s, 500ms, 2m or 1h"
run "duration above the maximum" 1 "$BIN" perf --duration 11m --pid 1
err_has "the maximum is explained" "add --force"
run "bad pid" 1 "$BIN" perf --pid abc
run "--group-by label: without a key" 1 "$BIN" collapse --group-by label: "$SMALL"
err_has "the empty label key is explained" "the label key is empty"
run "two different label keys" 1 "$BIN" collapse --group-by label:a --group-by-label b "$SMALL"
err_has "the conflict names both" "--group-by label:a and --group-by-label b"
run "--group-by with a bad value" 1 "$BIN" collapse --group-by fruit "$SMALL"
err_has "the choices are listed" "expected process, thread, none or label:KEY"
run "no command" 1 "$BIN" -q
run "no arguments without a terminal: usage" 1 "$BIN"
err_has "no arguments: the usage is printed" "Usage: resq-flame"

# ---- 2 ----------------------------------------------------------------------------------------
run "missing input file" 2 "$BIN" file -i "$tmp/does-not-exist.folded" -o x.svg
err_has "the missing file is named" "does-not-exist.folded"
printf '{"nodes": [' >broken.cpuprofile
run "truncated JSON" 2 "$BIN" file -i broken.cpuprofile -o x.svg
# a regular file of a whole-document format is read whole and lent to the parser: its errors
# still name file, line and column, and it folds exactly as the same bytes streamed from stdin
REAL_CPU=$RF_ROOT/../shared/testdata/real/node20.cpuprofile
head -c 12000 "$REAL_CPU" >cut.cpuprofile
run "truncated big JSON" 2 "$BIN" collapse -i cut.cpuprofile -o x.folded
err_has "its error names the file and a line:column" "cut.cpuprofile:1:"
rf_check "no output left behind" test ! -e x.folded
run "real cpuprofile read whole" 0 "$BIN" collapse -i "$REAL_CPU" -o whole.folded
run "same bytes streamed" 0 sh -c "cat '$REAL_CPU' | '$BIN' collapse -i - -o stream.folded"
rf_check "read whole = streamed" cmp whole.folded stream.folded
rf_check "and not empty" test -s whole.folded

# ---- 3 ----------------------------------------------------------------------------------------
mkdir -p emptybin
run "perf is not installed" 3 env PATH="$tmp/emptybin" "$BIN" perf --duration 1s -- /bin/true
err_has "the missing tool is named" "perf"
run "neither py-spy nor austin" 3 env PATH="$tmp/emptybin" "$BIN" python --pid $$ --duration 1s

# ---- 4 ----------------------------------------------------------------------------------------
port=$(rf_free_port)
run "explain: nothing listens on the AI endpoint" 4 env RESQ_TOKEN=SECRET-TOKEN-4711 \
    "$BIN" explain --input "$SMALL" --api-url "http://127.0.0.1:$port"
if grep -q SECRET-TOKEN-4711 "$tmp/err" "$tmp/out"; then rf_fail "explain: the token is not printed"; else rf_pass "explain: the token is not printed"; fi
run "hce: service unreachable" 4 env RESQ_TOKEN=SECRET-TOKEN-4712 "$BIN" hce --url "http://127.0.0.1:$port" --duration 1s -o h.svg
if grep -q SECRET-TOKEN-4712 "$tmp/err" "$tmp/out"; then rf_fail "hce: the token is not printed"; else rf_pass "hce: the token is not printed"; fi
run "api: service unreachable (--api-key)" 4 "$BIN" api --url "http://127.0.0.1:$port" --api-key SECRET-KEY-4713 --duration 1s
if grep -q SECRET-KEY-4713 "$tmp/err" "$tmp/out"; then rf_fail "api: the key is not printed"; else rf_pass "api: the key is not printed"; fi

# ---- 5 ----------------------------------------------------------------------------------------
gone=$(( $(cat /proc/sys/kernel/pid_max) - 1 ))
while kill -0 "$gone" 2>/dev/null; do gone=$((gone - 1)); done
run "no such pid" 5 "$BIN" perf --pid "$gone" --duration 1s
err_has "the pid is named" "$gone"
run "pdie: nothing listens on the URL's port" 5 "$BIN" pdie --url "http://127.0.0.1:$port" --duration 1s

# ---- 6 ----------------------------------------------------------------------------------------
printf 'main;work 10\nmain;idle 10\n' >before.folded
printf 'main;work 19\nmain;idle 1\n' >after.folded
run "diff: a frame grew past --fail-on-regression" 6 "$BIN" diff --before before.folded --after after.folded \
    --fail-on-regression 5 -o d.svg
run "diff: within the limit" 0 "$BIN" diff --before before.folded --after after.folded --fail-on-regression 50 -o d.svg

# ---- 130 --------------------------------------------------------------------------------------
# Job control: background jobs get SIGINT like a foreground program on a terminal would.
set -m
# (a) a long parse of stdin: Ctrl-C ends it
mkfifo feed
"$BIN" file -i feed -o stdin.svg 2>"$tmp/err130a" &
parser=$!
yes 'main;parse;work 1' >feed 2>/dev/null &
feeder=$!
sleep 1
kill -INT "$parser"
wait "$parser"
got=$?
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
rf_expect_eq "Ctrl-C during a long parse of stdin: exit 130" 130 "$got"

# (b) a perf collection: stops, renders what was collected, exit 130
if [ -x "$HOT" ] && command -v perf >/dev/null && perf record -o "$tmp/probe.data" -F 99 -g -- true >/dev/null 2>&1; then
    "$BIN" perf --duration 20s -o perf130.svg -- "$HOT" 30 2>"$tmp/err130b" &
    prof=$!
    for _ in $(seq 1 100); do grep -q "recording" "$tmp/err130b" 2>/dev/null && break; sleep 0.1; done
    sleep 1.5
    t0=$SECONDS
    kill -INT "$prof"
    wait "$prof"
    got=$?
    rf_expect_eq "Ctrl-C during perf: exit 130" 130 "$got"
    if [ $((SECONDS - t0)) -le 10 ]; then rf_pass "Ctrl-C stops the 20 s collection early"; else rf_fail "Ctrl-C stops the 20 s collection early"; fi
    rf_check "what was collected is rendered" grep -q compute_hot perf130.svg
    pkill -P "$prof" 2>/dev/null || true
else
    rf_skip_note="perf cannot record here (perf_event_paranoid, or no $HOT: make workloads)"
    echo "SKIP: Ctrl-C during perf: $rf_skip_note" >&2
    [ "${CI:-}" = true ] && rf_fail "Ctrl-C during perf" "$rf_skip_note"
fi
set +m

rf_summary
