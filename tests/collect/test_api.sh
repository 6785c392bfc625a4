#!/usr/bin/env bash
# resq-flame api against a real Go HTTP server (tests/peers/goserver: runtime/pprof CPU
# profile at GET /admin/profile?seconds=N behind x-api-key, while goserverHotFunction burns
# ~75% of the CPU): the hot function dominates; the profile covers the duration; a wrong key
# gives exit 4 with the status and without the key; nothing listening gives exit 4.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
. tests/collect/gopeer.sh

KEY="gokey-$RANDOM$RANDOM"
RESQ_TEST_API_KEY=$KEY rf_start_bg goserver "$GOSERVER"
ready=$(rf_wait_log goserver '"ready":true' 15) || { rf_fail "goserver starts"; rf_summary; }
URL=http://127.0.0.1:$(rf_json_field "$ready" port)

t0=$(date +%s.%N)
RESQ_API_KEY=$KEY "$RF_BIN" api --url "$URL" --duration 2s --save-raw "$W/cpu.pb.gz" -o "$W/api.svg" 2>"$W/api.err"
expect_rc "api with x-api-key" 0 $? "$W/api.err"
t1=$(date +%s.%N)
"$RF_BIN" collapse "$W/api.svg" >"$W/api.folded" 2>/dev/null
expect_share "api: goserverHotFunction dominates" "$W/api.folded" main.goserverHotFunction 55
expect_share "api: goserverWarmFunction is there" "$W/api.folded" main.goserverWarmFunction 10
grep -q 'ResQ API' "$W/api.svg" && rf_pass "api title" || rf_fail "api title"
lasted "api: the request lasted the 2 s asked for" "$(echo "$t1 - $t0" | bc)" 2 5
grep -q '/admin/profile 2 s' "$(rf_log goserver)" && rf_pass "api asked for seconds=2" || rf_fail "api asked for seconds=2"
# the raw profile is the gzipped pprof the server sent, readable again
"$RF_BIN" collapse "$W/cpu.pb.gz" >"$W/raw.folded" 2>/dev/null
expect_share "--save-raw keeps the pprof" "$W/raw.folded" main.goserverHotFunction 55
# CPU nanoseconds sampled are less than or equal to the wall time (one goroutine burns)
awk -v t="$(total "$W/raw.folded")" 'BEGIN { exit !(t > 1.2e9 && t < 2.4e9) }' \
    && rf_pass "api: about 2 s of CPU sampled" || rf_fail "api: about 2 s of CPU sampled" "$(total "$W/raw.folded") ns"

"$RF_BIN" api --url "$URL" --duration 1s --api-key "wrong-$KEY" -o "$W/bad.svg" >"$W/bad.out" 2>"$W/bad.err"
expect_rc "api with a wrong key" 4 $? "$W/bad.err"
grep -q 'HTTP 401' "$W/bad.err" && rf_pass "the 401 status is reported" || rf_fail "the 401 status is reported" "$(cat "$W/bad.err")"
grep -q 'unauthorized' "$W/bad.err" && rf_pass "the start of the body is shown" || rf_fail "the start of the body is shown"
not_in "the key is not printed" "$W/bad.err" "wrong-$KEY"
not_in "the key is not printed on stdout" "$W/bad.out" "wrong-$KEY"
[ ! -e "$W/bad.svg" ] && rf_pass "nothing written on a 401" || rf_fail "nothing written on a 401"
rf_stop goserver

# a Go service with only net/http/pprof: the fallback route; --sample-type picks pprof's
# "samples" column (counts, not nanoseconds)
RESQ_TEST_API_KEY=$KEY rf_start_bg goserver2 "$GOSERVER" -no-admin-profile
ready=$(rf_wait_log goserver2 '"ready":true' 15) || { rf_fail "goserver -no-admin-profile starts"; rf_summary; }
URL=http://127.0.0.1:$(rf_json_field "$ready" port)
RESQ_API_KEY=$KEY "$RF_BIN" api --url "$URL" --duration 1s --sample-type samples -o "$W/fb.folded" 2>"$W/fb.err"
expect_rc "api falls back to /debug/pprof/profile" 0 $? "$W/fb.err"
grep -q '/debug/pprof/profile' "$W/fb.err" && rf_pass "says it fell back" || rf_fail "says it fell back" "$(cat "$W/fb.err")"
grep -q '/debug/pprof/profile 1 s' "$(rf_log goserver2)" && rf_pass "fallback asked for seconds=1" || rf_fail "fallback asked for seconds=1"
expect_share "fallback: goserverHotFunction dominates" "$W/fb.folded" main.goserverHotFunction 55
awk -v t="$(total "$W/fb.folded")" 'BEGIN { exit !(t >= 50 && t <= 150) }' \
    && rf_pass "--sample-type samples: about 100 samples, not nanoseconds" \
    || rf_fail "--sample-type samples: about 100 samples, not nanoseconds" "total $(total "$W/fb.folded")"
rf_stop goserver2

DEAD=$(rf_free_port)
RESQ_API_KEY=$KEY "$RF_BIN" api --url "http://127.0.0.1:$DEAD" --duration 1s -o "$W/dead.svg" 2>"$W/dead.err"
expect_rc "api with nothing listening" 4 $? "$W/dead.err"
grep -q 'connection refused' "$W/dead.err" && rf_pass "says the connection was refused" || rf_fail "says the connection was refused"
rf_summary
