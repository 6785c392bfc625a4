#!/usr/bin/env bash
# resq-flame hce against real Node peers on loopback:
#  - the HTTP route (tests/peers/hce/server.js profiles itself with node:inspector): token,
#    API key, wrong token (exit 4, the token never printed), no credentials, nothing listening;
#  - the inspector route on a plain node process (tests/peers/hce/inspect_target.js): SIGUSR1
#    with --pid (the inspector is closed again afterwards), and --inspect with an http:// and
#    a ws:// URL of a node started with --inspect.
# Each profile must be dominated by the peer's known hot function.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
rf_require node

TOKEN="tok-$RANDOM$RANDOM-secret"
KEY="key-$RANDOM$RANDOM-secret"

# ---- HTTP route ----------------------------------------------------------------------------
RESQ_TEST_TOKEN=$TOKEN RESQ_TEST_API_KEY=$KEY rf_start_bg hce-server node tests/peers/hce/server.js 0
ready=$(rf_wait_log hce-server '"ready":true' 15) || { rf_fail "hce server starts"; rf_summary; }
PORT=$(rf_json_field "$ready" port)
URL=http://127.0.0.1:$PORT

t0=$(date +%s.%N)
RESQ_TOKEN=$TOKEN "$RF_BIN" hce --url "$URL" --duration 2s -o "$W/token.folded" 2>"$W/token.err"
expect_rc "hce with a bearer token" 0 $? "$W/token.err"
t1=$(date +%s.%N)
expect_share "hce token: hceHotFunction dominates" "$W/token.folded" hceHotFunction 50
grep -q 'durationMs=2000 ' "$(rf_log hce-server)" && rf_pass "hce asked the service for 2000 ms" \
    || rf_fail "hce asked the service for 2000 ms" "$(tail -2 "$(rf_log hce-server)")"
lasted "hce 2 s run took about 2 s" "$(echo "$t1 - $t0" | bc)" 2 5

# A fresh server: the peer profiles itself, and V8 leaves optimized code that existed before
# Profiler.start out of a profile (its time goes to the caller), so a second profile of the
# same server process would not show hceHotFunction. (The inspector route below avoids that
# with a GC before starting the profiler.)
rf_stop hce-server
RESQ_TEST_TOKEN=$TOKEN RESQ_TEST_API_KEY=$KEY rf_start_bg hce-server node tests/peers/hce/server.js 0
ready=$(rf_wait_log hce-server '"ready":true' 15) || { rf_fail "hce server restarts"; rf_summary; }
URL=http://127.0.0.1:$(rf_json_field "$ready" port)
RESQ_API_KEY=$KEY "$RF_BIN" hce --url "$URL" --duration 2000 -o "$W/key.svg" 2>"$W/key.err"
expect_rc "hce with an API key (--duration 2000 = 2 s)" 0 $? "$W/key.err"
grep -q 'ResQ HCE — CPU Flame Graph' "$W/key.svg" && rf_pass "hce SVG has the HCE title" \
    || rf_fail "hce SVG has the HCE title"
"$RF_BIN" collapse "$W/key.svg" >"$W/key.folded" 2>/dev/null
expect_share "hce api key: hceHotFunction dominates" "$W/key.folded" hceHotFunction 50

"$RF_BIN" hce --url "$URL" --duration 1s --token "wrong-$TOKEN" --save-raw "$W/raw.json" -o "$W/bad.svg" \
    >"$W/bad.out" 2>"$W/bad.err"
expect_rc "hce with a wrong token" 4 $? "$W/bad.err"
grep -q '401' "$W/bad.err" && rf_pass "the 401 status is reported" || rf_fail "the 401 status is reported" "$(cat "$W/bad.err")"
not_in "the wrong token is not printed" "$W/bad.err" "wrong-$TOKEN"
not_in "the wrong token is not printed on stdout" "$W/bad.out" "wrong-$TOKEN"
[ ! -e "$W/bad.svg" ] && [ ! -e "$W/raw.json" ] && rf_pass "nothing written on a 401" || rf_fail "nothing written on a 401"

env -u RESQ_TOKEN -u RESQ_API_KEY "$RF_BIN" hce --url "$URL" --duration 1s -o "$W/none.svg" 2>"$W/none.err"
expect_rc "hce without credentials" 1 $? "$W/none.err"
grep -q 'RESQ_TOKEN' "$W/none.err" && rf_pass "says which credentials to set" || rf_fail "says which credentials to set"

DEAD=$(rf_free_port)
RESQ_TOKEN=$TOKEN "$RF_BIN" hce --url "http://127.0.0.1:$DEAD" --duration 1s -o "$W/dead.svg" 2>"$W/dead.err"
expect_rc "hce with nothing listening" 4 $? "$W/dead.err"
rf_stop hce-server

# ---- inspector route: SIGUSR1 (--pid) ----------------------------------------------------------
rf_start_bg target node tests/peers/hce/inspect_target.js 60 --debug-port 0
ready=$(rf_wait_log target '"ready":true' 15) || { rf_fail "inspect target starts"; rf_summary; }
TPID=$(rf_json_field "$ready" pid)
"$RF_BIN" hce --pid "$TPID" --duration 2s --save-raw "$W/pid.cpuprofile" -o "$W/pid.folded" 2>"$W/pid.err"
expect_rc "hce --pid (SIGUSR1 + inspector)" 0 $? "$W/pid.err"
expect_share "hce --pid: inspectTargetHotFunction dominates" "$W/pid.folded" inspectTargetHotFunction 45
# a second attach to the same (by now long optimized) process must see the function too
"$RF_BIN" hce --pid "$TPID" --duration 1s -o "$W/pid2.folded" 2>"$W/pid2.err"
expect_rc "hce --pid again" 0 $? "$W/pid2.err"
expect_share "hce --pid again: inspectTargetHotFunction dominates" "$W/pid2.folded" inspectTargetHotFunction 45
grep -q 'any local user can run code' "$W/pid.err" && rf_pass "warns before opening the inspector" \
    || rf_fail "warns before opening the inspector" "$(cat "$W/pid.err")"
IPORT=$(sed -n 's#.*Debugger listening on ws://127.0.0.1:\([0-9]*\)/.*#\1#p' "$(rf_log target)" | head -1)
if [ -n "$IPORT" ] && ! port_listening "$IPORT" && grep -q 'Debugger ending' "$(rf_log target)"; then
    rf_pass "the inspector is closed again (port $IPORT)"
else
    rf_fail "the inspector is closed again" "port '$IPORT'; log: $(tail -3 "$(rf_log target)" | tr '\n' '|')"
fi
kill -0 "$TPID" 2>/dev/null && rf_pass "the target still runs" || rf_fail "the target still runs"
# the profile covers the duration (V8 start/end times are in microseconds)
span=$(node -e 'const p=JSON.parse(require("fs").readFileSync(process.argv[1])).result.profile;console.log((p.endTime-p.startTime)/1e6)' "$W/pid.cpuprofile" 2>/dev/null)
within "hce --pid profile spans the 2 s" "${span:-0}" 2 10
rf_stop target

# not a node process: no SIGUSR1 (it would kill it)
rf_start_bg sleeper sleep 30
"$RF_BIN" hce --pid "$(rf_pid sleeper)" --duration 1s -o "$W/sleep.svg" 2>"$W/sleep.err"
expect_rc "hce --pid of a non-node process is refused" 1 $? "$W/sleep.err"
kill -0 "$(rf_pid sleeper)" 2>/dev/null && rf_pass "the non-node process was not signalled" \
    || rf_fail "the non-node process was not signalled"
rf_stop sleeper
"$RF_BIN" hce --pid 999999999 --duration 1s -o "$W/nopid.svg" 2>"$W/nopid.err"
expect_rc "hce --pid of no process" 5 $? "$W/nopid.err"

# ---- inspector route: --inspect URL ------------------------------------------------------------
IP=$(rf_free_port)
rf_start_bg itarget node "--inspect=127.0.0.1:$IP" tests/peers/hce/inspect_target.js 60
rf_wait_log itarget 'Debugger listening on ws://' 15 >"$W/ws.line" || { rf_fail "node --inspect starts"; rf_summary; }
WSURL=$(sed -n 's#.*\(ws://[^ ]*\).*#\1#p' "$W/ws.line")
"$RF_BIN" hce --inspect "http://127.0.0.1:$IP" --duration 2s -o "$W/insp.folded" 2>"$W/insp.err"
expect_rc "hce --inspect http://host:port (via /json/list)" 0 $? "$W/insp.err"
expect_share "hce --inspect: inspectTargetHotFunction dominates" "$W/insp.folded" inspectTargetHotFunction 45
"$RF_BIN" hce --inspect "$WSURL" --duration 1s -o "$W/ws.folded" 2>"$W/ws.err"
expect_rc "hce --inspect ws://... directly" 0 $? "$W/ws.err"
expect_share "hce --inspect ws: inspectTargetHotFunction dominates" "$W/ws.folded" inspectTargetHotFunction 45
port_listening "$IP" && rf_pass "an inspector opened by the user stays open" || rf_fail "an inspector opened by the user stays open"
rf_stop itarget

rf_summary
