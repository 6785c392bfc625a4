#!/usr/bin/env bash
# resq-flame perf / offcpu / hotcold --pid with the real perf on the C workloads of
# tests/workloads (built by `make workloads`):
#  - perf on a command (-- CMD and --cmd) and on a --pid: compute_hot holds ~70% of build/workloads/hot
#    (499 and 997 Hz: with 2 s at 99 Hz the share varies by +-3% per sigma);
#  - offcpu --pid on build/workloads/offcpu: blocking_wait dominates, and the off-CPU share of
#    the window matches the workload's own report (wall - CPU time) within 15% (run three
#    times: the switch-ins come from --switch-events, since this machine loses the idle task's
#    sched_switch tracepoints on one CPU and a capture that relied on them came out at 1-50%);
#  - hotcold --pid: both halves in one graph;
#  - the recording lasts the duration; perf script text kept with --save-raw; no temp files left.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
rf_require perf bc
HOT=$RF_ROOT/$RF_BUILD/workloads/hot
OFF=$RF_ROOT/$RF_BUILD/workloads/offcpu
[ -x "$HOT" ] || HOT=$RF_ROOT/build/workloads/hot
[ -x "$OFF" ] || OFF=$RF_ROOT/build/workloads/offcpu
[ -x "$HOT" ] && [ -x "$OFF" ] || { rf_fail "workloads built (make workloads)"; rf_summary; }
# perf must be usable here (root, or perf_event_paranoid low enough)
if ! perf record -q -o "$W/probe.data" -e cpu-clock -- true >/dev/null 2>"$W/probe.err"; then
    rf_skip "perf cannot record here: $(head -c 200 "$W/probe.err")"
fi
export TMPDIR=$W/tmp
mkdir -p "$TMPDIR"

# ---- perf on a command ----------------------------------------------------------------------------
t0=$(date +%s.%N)
"$RF_BIN" perf --duration 2s -F 499 -o "$W/cmd.folded" --save-raw "$W/cmd.perf.txt" -- "$HOT" 5 2>"$W/cmd.err"
expect_rc "perf -- CMD" 0 $? "$W/cmd.err"
t1=$(date +%s.%N)
expect_share "perf -- hot: compute_hot ~70%" "$W/cmd.folded" compute_hot 60
expect_share "perf -- hot: compute_warm ~30%" "$W/cmd.folded" compute_warm 20
# the samples span the 2 s asked for (first to last sample time in the perf script text)
span() { awk '/cpu-clock/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = $i + 0; if (!f) f = t; l = t } }
              END { printf "%.3f", l - f }' "$1"; }
within "perf records for the duration" "$(span "$W/cmd.perf.txt")" 2 10
awk -v d="$(echo "$t1 - $t0" | bc)" 'BEGIN { exit !(d < 8) }' && rf_pass "the 5 s command was stopped after the 2 s duration" \
    || rf_fail "the 5 s command was stopped after the 2 s duration"
grep -q 'cpu-clock' "$W/cmd.perf.txt" && rf_pass "--save-raw keeps the perf script text" || rf_fail "--save-raw keeps the perf script text"
"$RF_BIN" collapse "$W/cmd.perf.txt" >"$W/cmd.re.folded" 2>/dev/null
expect_share "the saved text renders again" "$W/cmd.re.folded" compute_hot 60

"$RF_BIN" perf --cmd "$HOT 1" --duration 5s -o "$W/cmd2.svg" 2>"$W/cmd2.err"
expect_rc "perf --cmd \"CMD ARGS\" that ends before the duration" 0 $? "$W/cmd2.err"
grep -q "perf: $HOT 1" "$W/cmd2.svg" && rf_pass "title names the command" || rf_fail "title names the command"

# ---- perf --pid ---------------------------------------------------------------------------------------
rf_start_bg hot "$HOT" 8
sleep 0.3
"$RF_BIN" perf --pid "$(rf_pid hot)" --duration 2s -F 997 --call-graph fp -o "$W/pid.folded" --save-raw "$W/pid.perf.txt" \
    2>"$W/pid.err"
expect_rc "perf --pid -F 997" 0 $? "$W/pid.err"
expect_share "perf --pid: compute_hot ~70%" "$W/pid.folded" compute_hot 60
within "perf --pid records for the duration" "$(span "$W/pid.perf.txt")" 2 10
kill -0 "$(rf_pid hot)" 2>/dev/null && rf_pass "the profiled process still runs" || rf_fail "the profiled process still runs"
"$RF_BIN" perf --pid "$(rf_pid hot)" --duration 1s --call-graph lbr -o "$W/bad.svg" 2>"$W/bad.err"
expect_rc "perf --call-graph lbr is refused" 1 $?
rf_stop hot

# ---- offcpu --pid ------------------------------------------------------------------------------------
for run in 1 2 3; do
    rf_start_bg "offcpu$run" "$OFF" 3
    sleep 0.5
    "$RF_BIN" offcpu --pid "$(rf_pid "offcpu$run")" --duration 2s -o "$W/off.folded" 2>"$W/off.err"
    expect_rc "offcpu --pid (run $run)" 0 $? "$W/off.err"
    rf_wait_log "offcpu$run" '"workload":"offcpu"' 10 >"$W/off.json"
    expect_share "offcpu: blocking_wait dominates (run $run)" "$W/off.folded" blocking_wait 70
    # off-CPU share of the 2 s window (weights in µs) vs the workload's (wall - CPU) / wall
    got=$(awk -v t="$(total "$W/off.folded")" 'BEGIN { printf "%.3f", t / 2e6 }')
    want=$(awk -v o="$(rf_json_field "$(cat "$W/off.json")" off_cpu_s)" -v w="$(rf_json_field "$(cat "$W/off.json")" wall_s)" \
        'BEGIN { printf "%.3f", o / w }')
    within "offcpu: off-CPU share matches the workload's report (run $run)" "$got" "$want" 15
    rf_stop "offcpu$run"
done
grep -q '^offcpu;_start;' "$W/off.folded" && ! grep -qv '^offcpu;' "$W/off.folded" && rf_pass "offcpu keeps only the target's stacks" \
    || rf_fail "offcpu keeps only the target's stacks" "$(cut -d';' -f1 "$W/off.folded" | sort -u | head -5 | tr '\n' ' ')"

# ---- hotcold --pid -----------------------------------------------------------------------------------
rf_start_bg offcpu2 "$OFF" 4
sleep 0.5
"$RF_BIN" hotcold --pid "$(rf_pid offcpu2)" --duration 2s -o "$W/hc.folded" 2>"$W/hc.err"
expect_rc "hotcold --pid" 0 $? "$W/hc.err"
on=$(awk '/^on-CPU;/ { t += $NF } END { printf "%.0f", t }' "$W/hc.folded")
off=$(awk '/^off-CPU_\[w\];/ { t += $NF } END { printf "%.0f", t }' "$W/hc.folded")
grep -q '^on-CPU;.*burn_cpu' "$W/hc.folded" && rf_pass "hotcold: burn_cpu on-CPU" || rf_fail "hotcold: burn_cpu on-CPU" "$(head -3 "$W/hc.folded")"
grep -q '^off-CPU_\[w\];.*blocking_wait' "$W/hc.folded" && rf_pass "hotcold: blocking_wait off-CPU" || rf_fail "hotcold: blocking_wait off-CPU"
# nanoseconds: on + off is about the 2 s window
within "hotcold: on-CPU + off-CPU time covers the window" "$((on + off))" 2000000000 15
rf_stop offcpu2

left=$(find "$TMPDIR" -mindepth 1 | head -3)
[ -z "$left" ] && rf_pass "no temporary files left" || rf_fail "no temporary files left" "$left"
rf_summary
