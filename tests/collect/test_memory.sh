#!/usr/bin/env bash
# resq-flame memory against real peers on loopback:
#  - --lang go: the pprof heap profile of tests/peers/goserver from /admin/heap (x-api-key), and
#    from /debug/pprof/heap when /admin/heap answers 404 (jemalloc_pprof in Rust services writes
#    the same format); main.goserverRetainingAllocator holds the in-use bytes;
#  - --lang node: heap sampling over the inspector that SIGUSR1 opens in a plain node process
#    (tests/peers/nodeheap/retain.js); nodeRetainingAllocator holds the sampled bytes, and the
#    inspector is closed again.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
. tests/collect/gopeer.sh
rf_require node

KEY="memkey-$RANDOM$RANDOM"

# ---- go: /admin/heap ---------------------------------------------------------------------------
RESQ_TEST_API_KEY=$KEY rf_start_bg goserver "$GOSERVER"
ready=$(rf_wait_log goserver '"ready":true' 15) || { rf_fail "goserver starts"; rf_summary; }
URL=http://127.0.0.1:$(rf_json_field "$ready" port)
RESQ_API_KEY=$KEY "$RF_BIN" memory --lang go --url "$URL" -o "$W/go.svg" --save-raw "$W/heap.pb.gz" 2>"$W/go.err"
expect_rc "memory --lang go (/admin/heap)" 0 $? "$W/go.err"
"$RF_BIN" collapse "$W/go.svg" >"$W/go.folded" 2>/dev/null
expect_share "go heap: goserverRetainingAllocator holds the in-use bytes" "$W/go.folded" main.goserverRetainingAllocator 80
# 32 MiB retained; heap sampling scales the samples back to bytes
awk -v t="$(total "$W/go.folded")" 'BEGIN { exit !(t > 24e6 && t < 48e6) }' && rf_pass "go heap: about 32 MiB in use" \
    || rf_fail "go heap: about 32 MiB in use" "$(total "$W/go.folded") bytes"
grep -q 'bytes' "$W/go.svg" && rf_pass "go heap counts bytes" || rf_fail "go heap counts bytes"
grep -q 'Memory Flame Graph' "$W/go.svg" && rf_pass "memory title" || rf_fail "memory title"
[ -s "$W/heap.pb.gz" ] && rf_pass "--save-raw keeps the heap profile" || rf_fail "--save-raw keeps the heap profile"
"$RF_BIN" memory --lang go --url "$URL" --api-key "bad-$KEY" -o "$W/bad.svg" 2>"$W/bad.err"
expect_rc "memory --lang go with a wrong key" 4 $? "$W/bad.err"
not_in "the key is not printed" "$W/bad.err" "bad-$KEY"
rf_stop goserver

# ---- go: fallback to /debug/pprof/heap -------------------------------------------------------------
RESQ_TEST_API_KEY=$KEY rf_start_bg goserver2 "$GOSERVER" -no-admin-heap
ready=$(rf_wait_log goserver2 '"ready":true' 15) || { rf_fail "goserver -no-admin-heap starts"; rf_summary; }
URL=http://127.0.0.1:$(rf_json_field "$ready" port)
RESQ_API_KEY=$KEY "$RF_BIN" memory --lang rust --url "$URL" -o "$W/fb.folded" 2>"$W/fb.err"
expect_rc "memory --lang rust falls back to /debug/pprof/heap" 0 $? "$W/fb.err"
grep -q '/debug/pprof/heap' "$W/fb.err" && rf_pass "says it fell back" || rf_fail "says it fell back" "$(cat "$W/fb.err")"
expect_share "fallback heap: goserverRetainingAllocator holds the bytes" "$W/fb.folded" main.goserverRetainingAllocator 80
rf_stop goserver2

# ---- node: heap sampling over the inspector ------------------------------------------------------------
rf_start_bg nodeheap node tests/peers/nodeheap/retain.js 60 --debug-port 0
ready=$(rf_wait_log nodeheap '"ready":true' 15) || { rf_fail "retain.js starts"; rf_summary; }
NPID=$(rf_json_field "$ready" pid)
"$RF_BIN" memory --lang node --pid "$NPID" --duration 2s -o "$W/node.folded" 2>"$W/node.err"
expect_rc "memory --lang node --pid" 0 $? "$W/node.err"
expect_share "node heap: nodeRetainingAllocator holds the sampled bytes" "$W/node.folded" nodeRetainingAllocator 80
IPORT=$(sed -n 's#.*Debugger listening on ws://127.0.0.1:\([0-9]*\)/.*#\1#p' "$(rf_log nodeheap)" | head -1)
[ -n "$IPORT" ] && ! port_listening "$IPORT" && rf_pass "the inspector is closed again" \
    || rf_fail "the inspector is closed again" "port '$IPORT'"
kill -0 "$NPID" 2>/dev/null && rf_pass "the node process still runs" || rf_fail "the node process still runs"
"$RF_BIN" memory --lang node --duration 1s -o "$W/x.svg" 2>"$W/x.err"
expect_rc "memory --lang node without --pid or --inspect" 1 $? "$W/x.err"
rf_stop nodeheap

rf_summary
