#!/usr/bin/env bash
# resq-flame bun with the real Bun (npm's bun in tests/node_modules/.bin, or one on PATH):
#  - --cmd / -- CMD: the program runs under bun --cpu-prof and is stopped after the duration
#    (a preload turns SIGINT into a normal exit so that Bun writes the profile);
#  - --inspect ws://...: Bun's inspector (ScriptProfiler) on a bun started with
#    --inspect=127.0.0.1:PORT/PATH.
# bunHotFunction (tests/peers/bun/target.js) must dominate each profile.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
export PATH=$RF_ROOT/tests/node_modules/.bin:$PATH
rf_require bun bc
TARGET=tests/peers/bun/target.js
export TMPDIR=$W/tmp
mkdir -p "$TMPDIR"

# ---- --cmd: stopped after the duration ----------------------------------------------------------------
t0=$(date +%s.%N)
"$RF_BIN" bun --duration 2s --save-raw "$W/cmd.cpuprofile" -o "$W/cmd.folded" -- "$TARGET" 30 2>"$W/cmd.err"
expect_rc "bun -- target.js (stopped after 2 s)" 0 $? "$W/cmd.err"
t1=$(date +%s.%N)
expect_share "bun --cpu-prof: bunHotFunction dominates" "$W/cmd.folded" bunHotFunction 55
awk -v d="$(echo "$t1 - $t0" | bc)" 'BEGIN { exit !(d < 6) }' && rf_pass "the 30 s program was stopped after the duration" \
    || rf_fail "the 30 s program was stopped after the duration"
# the V8-format profile of Bun: startTime/endTime in microseconds
span=$(node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1]));console.log((p.endTime-p.startTime)/1e6)' \
    "$W/cmd.cpuprofile" 2>/dev/null)
within "bun: the profile spans the 2 s" "${span:-0}" 2 10

# --cmd "bun PROGRAM ARGS" that ends by itself before the duration
"$RF_BIN" bun --cmd "bun $TARGET 1" --duration 10s -o "$W/short.svg" 2>"$W/short.err"
expect_rc "bun --cmd \"bun target.js 1\" (ends on its own)" 0 $? "$W/short.err"
grep -q 'Bun CPU Flame Graph' "$W/short.svg" && rf_pass "bun title" || rf_fail "bun title"
"$RF_BIN" collapse "$W/short.svg" >"$W/short.folded" 2>/dev/null
expect_share "bun --cmd: bunHotFunction dominates" "$W/short.folded" bunHotFunction 55

"$RF_BIN" bun --duration 1s -o "$W/none.svg" 2>"$W/none.err"
expect_rc "bun without a program" 1 $? "$W/none.err"

# ---- --inspect ------------------------------------------------------------------------------------------
IP=$(rf_free_port)
rf_start_bg bun-insp bun "--inspect=127.0.0.1:$IP/resqprof" "$TARGET" 60
rf_wait_log bun-insp '"ready":true' 15 >/dev/null || { rf_fail "bun --inspect starts"; rf_summary; }
t0=$(date +%s.%N)
"$RF_BIN" bun --inspect "ws://127.0.0.1:$IP/resqprof" --duration 2s -o "$W/insp.folded" --save-raw "$W/insp.json" \
    2>"$W/insp.err"
expect_rc "bun --inspect ws://127.0.0.1:PORT/PATH" 0 $? "$W/insp.err"
t1=$(date +%s.%N)
expect_share "bun inspector: bunHotFunction dominates" "$W/insp.folded" bunHotFunction 55
grep -q 'ScriptProfiler.trackingComplete' "$W/insp.json" && rf_pass "--save-raw keeps the trackingComplete message" \
    || rf_fail "--save-raw keeps the trackingComplete message"
# JSC's sample timestamps are mostly 0 (FORMATS.md 11.2), so the window is timed from outside
lasted "bun inspector: sampled for the 2 s" "$(echo "$t1 - $t0" | bc)" 2 5
"$RF_BIN" bun --inspect "ws://127.0.0.1:$IP/wrongpath" --duration 1s -o "$W/wrong.svg" 2>"$W/wrong.err"
expect_rc "bun --inspect with a wrong path" 4 $? "$W/wrong.err"
kill -0 "$(rf_pid bun-insp)" 2>/dev/null && rf_pass "the bun process still runs" || rf_fail "the bun process still runs"
rf_stop bun-insp

left=$(find "$TMPDIR" -mindepth 1 | head -3)
[ -z "$left" ] && rf_pass "no temporary files left" || rf_fail "no temporary files left" "$left"
rf_summary
