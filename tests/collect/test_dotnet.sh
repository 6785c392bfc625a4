#!/usr/bin/env bash
# resq-flame dotnet with a STAND-IN dotnet-trace (tests/peers/dotnet-trace/dotnet-trace):
# no .NET runtime exists on these machines, so the real dotnet-trace cannot run here. The
# stand-in checks the arguments resq-flame passes (collect --process-id --providers with the
# sample profiler --duration dd:hh:mm:ss -o; convert --format Speedscope) and writes a
# speedscope file shaped like dotnet-trace's (evented, per thread, string start/end values),
# so this tests the collector's plumbing and the parse, not .NET itself.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
rf_require python3 bc
export PATH=$RF_ROOT/tests/peers/dotnet-trace:$PATH
export DOTNET_TRACE_STANDIN_LOG=$W/standin.log
export TMPDIR=$W/tmp
mkdir -p "$TMPDIR"
HOT='ResQ.Simulation!ResQ.Simulation.Engine.HotLoop()'

rf_start_bg app sleep 60   # the "process" to trace: the stand-in only checks that it exists
t0=$(date +%s.%N)
"$RF_BIN" dotnet --pid "$(rf_pid app)" --duration 2s --save-raw "$W/raw.speedscope.json" -o "$W/d.svg" 2>"$W/d.err"
expect_rc "dotnet --pid (stand-in dotnet-trace)" 0 $? "$W/d.err"
t1=$(date +%s.%N)
"$RF_BIN" collapse "$W/d.svg" >"$W/d.folded" 2>/dev/null
expect_share "dotnet: HotLoop dominates" "$W/d.folded" "$HOT" 70
grep -q -- "collect --process-id $(rf_pid app) --providers Microsoft-DotNETCore-SampleProfiler" "$W/standin.log" \
    && rf_pass "collect with the sample profiler provider" || rf_fail "collect with the sample profiler provider" "$(cat "$W/standin.log")"
grep -q -- '--duration 00:00:00:02 ' "$W/standin.log" && rf_pass "--duration as dd:hh:mm:ss" || rf_fail "--duration as dd:hh:mm:ss"
grep -q -- '^convert .*trace.nettrace --format Speedscope' "$W/standin.log" && rf_pass "convert --format Speedscope" \
    || rf_fail "convert --format Speedscope"
# the stand-in ran for the whole duration (not stopped early); the command as a whole did not
# hang (its own start-up, through pyenv's python3 shim, adds about a second per call here)
within "dotnet: dotnet-trace collected for the duration" "$(sed -n 's/^collected \([0-9.]*\) s$/\1/p' "$W/standin.log" | head -1)" 2 10
lasted "dotnet: the command ended after the duration" "$(echo "$t1 - $t0" | bc)" 2 10
grep -q '.NET CPU Flame Graph' "$W/d.svg" && rf_pass "dotnet title" || rf_fail "dotnet title"
grep -q 'speedscope@1.3.2' "$W/raw.speedscope.json" && rf_pass "--save-raw keeps the speedscope file" \
    || rf_fail "--save-raw keeps the speedscope file"

# Ctrl-C during the collection: dotnet-trace is stopped with SIGINT, what it wrote is rendered
env --default-signal=INT "$RF_BIN" dotnet --pid "$(rf_pid app)" --duration 20s -o "$W/int.folded" 2>"$W/int.err" &
RPID=$!
# Ctrl-C once dotnet-trace is collecting (the stand-in's python start-up can take a second)
for _ in $(seq 100); do
    [ "$(grep -c '^collecting$' "$DOTNET_TRACE_STANDIN_LOG")" -ge 2 ] && break
    sleep 0.1
done
sleep 0.5
kill -INT "$RPID"
wait "$RPID"
expect_rc "dotnet: Ctrl-C renders and exits 130" 130 $? "$W/int.err"
expect_share "dotnet: the interrupted trace has HotLoop" "$W/int.folded" "$HOT" 70

# Ctrl-C while dotnet-trace is still starting (the stand-in is told to take 5 s to start): no
# trace exists, so exit 130 saying there is nothing to render, and no output file
DOTNET_TRACE_STANDIN_STARTUP_S=5 env --default-signal=INT "$RF_BIN" dotnet --pid "$(rf_pid app)" --duration 20s \
    -o "$W/early.svg" 2>"$W/early.err" &
RPID=$!
sleep 1
kill -INT "$RPID"
wait "$RPID"
expect_rc "dotnet: Ctrl-C before dotnet-trace started exits 130" 130 $? "$W/early.err"
grep -q 'nothing to render' "$W/early.err" && rf_pass "says there is nothing to render" \
    || rf_fail "says there is nothing to render" "$(cat "$W/early.err")"
[ ! -e "$W/early.svg" ] && rf_pass "no output after an early Ctrl-C" || rf_fail "no output after an early Ctrl-C"

"$RF_BIN" dotnet --duration 1s -o "$W/nopid.svg" 2>"$W/nopid.err"
expect_rc "dotnet without --pid" 1 $? "$W/nopid.err"
rf_stop app

# no dotnet-trace on PATH: exit 3 with how to install it
mkdir -p "$W/emptybin"
rf_start_bg app2 sleep 30
PATH=$W/emptybin "$RF_BIN" dotnet --pid "$(rf_pid app2)" --duration 1s -o "$W/none.svg" 2>"$W/none.err"
expect_rc "dotnet without dotnet-trace" 3 $? "$W/none.err"
grep -q 'dotnet tool install --global dotnet-trace' "$W/none.err" && rf_pass "says how to install it" \
    || rf_fail "says how to install it" "$(cat "$W/none.err")"
rf_stop app2

left=$(find "$TMPDIR" -mindepth 1 | head -3)
[ -z "$left" ] && rf_pass "no temporary files left" || rf_fail "no temporary files left" "$left"
rf_summary
