#!/usr/bin/env bash
# Smoke test of the test peers themselves (tests/peers/hce): if these fail, the CLI tests that
# use them cannot be trusted. Run from the project root (or set RF_ROOT).
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
rf_require node curl

tmp=$(mktemp -d)
rf_on_exit "rm -rf '$tmp'"
export RESQ_TEST_TOKEN="smoke-token-$RANDOM$RANDOM"
export RESQ_TEST_API_KEY="smoke-key-$RANDOM$RANDOM"

# Prints the HTTP status; the body goes to $tmp/body.
http() { curl -s -o "$tmp/body" -w '%{http_code}' --max-time 30 "$@"; }

# ---- HCE server ------------------------------------------------------------------------------
rf_start_bg hce node "$RF_ROOT/tests/peers/hce/server.js" --port 0
if ready=$(rf_wait_log hce '"ready":true' 15); then
    port=$(rf_json_field "$ready" port)
    rf_pass "hce peer starts and reports its port ($port)"
else
    rf_fail "hce peer starts"
    rf_summary
fi
base="http://127.0.0.1:$port"
rf_check "hce peer answers /health" rf_wait_http "$base/health" 10

body='{"durationMs":800,"intervalUs":200}'
code=$(http -X POST -d "$body" "$base/admin/cpu-profile")
rf_expect_eq "cpu-profile without credentials" 401 "$code"
code=$(http -X POST -H "Authorization: Bearer wrong-$RESQ_TEST_TOKEN" -d "$body" "$base/admin/cpu-profile")
rf_expect_eq "cpu-profile with a wrong token" 401 "$code"
code=$(http -X POST -H "x-api-key: $RESQ_TEST_TOKEN" -d "$body" "$base/admin/cpu-profile")
rf_expect_eq "cpu-profile with the token as api key" 401 "$code"
code=$(http -X POST -H "Authorization: Bearer $RESQ_TEST_TOKEN" -d '{"durationMs":-5}' "$base/admin/cpu-profile")
rf_expect_eq "cpu-profile with a bad duration" 400 "$code"

code=$(http -X POST -H "Authorization: Bearer $RESQ_TEST_TOKEN" -H 'content-type: application/json' \
    -d "$body" "$base/admin/cpu-profile")
if [ "$code" = 200 ]; then
    rf_pass "cpu-profile with the bearer token: 200"
    # The busy share of hceHotFunction must be near the 75% the peer is built for.
    if out=$(node -e '
        const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        if (!Array.isArray(p.nodes) || !Array.isArray(p.samples) || !Array.isArray(p.timeDeltas)) throw new Error("no nodes/samples/timeDeltas");
        const name = new Map(p.nodes.map((n) => [n.id, n.callFrame.functionName]));
        let hot = 0, warm = 0;
        for (const s of p.samples) { const f = name.get(s); if (f === "hceHotFunction") hot++; else if (f === "hceWarmFunction") warm++; }
        const share = hot / (hot + warm);
        console.log(`nodes=${p.nodes.length} samples=${p.samples.length} hot share=${share.toFixed(2)}`);
        if (!(p.samples.length > 100 && share > 0.6 && share < 0.9)) process.exit(1);
    ' "$tmp/body" 2>&1); then
        rf_pass "cpu-profile JSON has nodes/samples, hceHotFunction ~75% ($out)"
    else
        rf_fail "cpu-profile JSON shape and split" "$out"
    fi
else
    rf_fail "cpu-profile with the bearer token" "got $code: $(head -c 200 "$tmp/body")"
fi

code=$(http "$base/admin/heap-profile?seconds=1")
rf_expect_eq "heap-profile without credentials" 401 "$code"
code=$(http -H "x-api-key: $RESQ_TEST_API_KEY" "$base/admin/heap-profile?seconds=1")
if [ "$code" = 200 ]; then
    rf_pass "heap-profile with the api key: 200"
    if out=$(node -e '
        const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const total = {};
        (function walk(n) { const f = n.callFrame.functionName; total[f] = (total[f] || 0) + n.selfSize; n.children.forEach(walk); })(p.head);
        const top = Object.entries(total).sort((a, b) => b[1] - a[1])[0];
        console.log(`samples=${p.samples.length} top=${top[0]} ${top[1]} bytes`);
        if (top[0] !== "hceRetainingAllocator" || !(p.samples.length > 0)) process.exit(1);
    ' "$tmp/body" 2>&1); then
        rf_pass "heap-profile's biggest retainer is hceRetainingAllocator ($out)"
    else
        rf_fail "heap-profile content" "$out"
    fi
else
    rf_fail "heap-profile with the api key" "got $code: $(head -c 200 "$tmp/body")"
fi

if grep -q -e "$RESQ_TEST_TOKEN" -e "$RESQ_TEST_API_KEY" "$(rf_log hce)"; then
    rf_fail "hce peer never logs credentials"
else
    rf_pass "hce peer never logs credentials"
fi
rf_check "hce peer stops on SIGTERM" rf_stop hce

# ---- SIGUSR1 inspector target ----------------------------------------------------------------
rf_start_bg target node "$RF_ROOT/tests/peers/hce/inspect_target.js" 30 --debug-port 0
if ready=$(rf_wait_log target '"ready":true' 15); then
    pid=$(rf_json_field "$ready" pid)
    rf_pass "inspect_target starts (pid $pid)"
    kill -USR1 "$pid"
    if line=$(rf_wait_log target 'Debugger listening on ws://127\.0\.0\.1:[0-9]+/' 10); then
        iport=$(printf '%s\n' "$line" | sed -E 's#.*127\.0\.0\.1:([0-9]+)/.*#\1#')
        code=$(http "http://127.0.0.1:$iport/json/list")
        if [ "$code" = 200 ] && grep -q webSocketDebuggerUrl "$tmp/body"; then
            rf_pass "SIGUSR1 opens the inspector on loopback port $iport"
        else
            rf_fail "inspector /json/list" "got $code"
        fi
    else
        rf_fail "SIGUSR1 opens the inspector"
    fi
else
    rf_fail "inspect_target starts"
fi
rf_stop target || true

rf_summary
