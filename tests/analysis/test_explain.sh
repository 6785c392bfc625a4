#!/usr/bin/env bash
# `resq-flame explain` against a real local HTTP server (explain_server.py on a random
# loopback port): success (bearer token and x-api-key), text/plain answers, 401, 500, timeout,
# unreachable endpoint, --offline and --json. No output may ever contain the token or key.
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
rf_require python3
BIN="$RF_ROOT/$RF_BUILD/resq-flame"
IN="$RF_ROOT/../shared/testdata/inferno/diff-folded/before.txt"
[ -x "$BIN" ] || { rf_fail "binary $BIN exists"; rf_summary; }
tmp=$(mktemp -d)
rf_on_exit "rm -rf '$tmp'"
export EXPECT_TOKEN="tok-$RANDOM$RANDOM-secret" EXPECT_KEY="key-$RANDOM$RANDOM-secret" REQ_LOG="$tmp/requests.jsonl"
unset RESQ_TOKEN RESQ_API_KEY

rf_start_bg explain python3 "$RF_ROOT/tests/analysis/explain_server.py"
if ready=$(rf_wait_log explain '"ready": true' 15); then
    port=$(rf_json_field "$ready" port)
    rf_pass "explain server starts (port $port)"
else
    rf_fail "explain server starts"
    rf_summary
fi
url="http://127.0.0.1:$port"

run() { # runs the CLI; stdout -> $tmp/out, stderr -> $tmp/err, status -> $rc; checks no secret leaked
    "$BIN" explain -i "$IN" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if grep -q -e "$EXPECT_TOKEN" -e "$EXPECT_KEY" -e "wrong-$EXPECT_TOKEN" "$tmp/out" "$tmp/err"; then
        rf_fail "no credential in the output of: explain $*"
    fi
}

# success, bearer from --token
run --api-url "$url" --token "$EXPECT_TOKEN"
rf_expect_eq "bearer token: exit 0" 0 "$rc"
rf_expect_eq "the answer is printed" "Most time is spent in __srcu_read_unlock_[k].|Look there first.|" "$(tr '\n' '|' <"$tmp/out")"
rf_check "the request is the documented JSON" python3 - "$REQ_LOG" <<'PY'
import json, sys
req = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert req["schema"] == "resq-flame.explain.v1"
assert req["profile"]["unit"] == "samples" and req["profile"]["total"] == 65
assert req["top_self"][0] == {"name": "__srcu_read_unlock_[k]", "self": 27, "self_pct": 41.54, "total": 27, "total_pct": 41.54}, req["top_self"][0]
assert req["top_total"][0]["name"] == "dd" and req["top_total"][0]["total"] == 65
assert req["hot_paths"][0]["frames"][-1] == "__srcu_read_unlock_[k]" and req["hot_paths"][0]["self"] == 20
assert set(req["categories"]) == {"gc_pct", "idle_pct", "lock_pct", "syscall_pct"}
assert req["question"]
PY

# the token from the environment; x-api-key from the environment with --auth x-api-key
RESQ_TOKEN="$EXPECT_TOKEN" run --api-url "$url"
rf_expect_eq "\$RESQ_TOKEN: exit 0" 0 "$rc"
RESQ_API_KEY="$EXPECT_KEY" run --api-url "$url" --auth x-api-key
rf_expect_eq "\$RESQ_API_KEY as x-api-key: exit 0" 0 "$rc"
rf_check "x-api-key answer printed" grep -q 'Most time is spent in' "$tmp/out"

# text/plain answers, --json
run --api-url "$url" --api-path /text/api/explain
rf_expect_eq "text/plain answer" "0:Plain text answer." "$rc:$(cat "$tmp/out")"
run --api-url "$url/" --token "$EXPECT_TOKEN" --json
rf_check "--json answer parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["source"]=="endpoint" and d["explanation"].startswith("Most")' "$tmp/out"

# 401: clear message, exit 4, the echoed (wrong) token is redacted
run --api-url "$url" --token "wrong-$EXPECT_TOKEN"
rf_expect_eq "401: exit 4" 4 "$rc"
rf_check "401: says the credentials were refused" grep -q 'HTTP 401: the credentials were refused' "$tmp/err"
rf_check "401: the server's echo of the token is redacted" grep -q '\[redacted\]' "$tmp/err"
run --api-url "$url"
rf_expect_eq "no credentials at all: exit 4" 4 "$rc"

# 500: exit 4, message, and the labelled local fallback
run --api-url "$url" --api-path /fail/api/explain --token "$EXPECT_TOKEN"
rf_expect_eq "500: exit 4" 4 "$rc"
rf_check "500: the server's error is shown" grep -q 'HTTP 500 (server says: model overloaded)' "$tmp/err"
rf_check "500: fallback reading, labelled" grep -q '^Local reading (FALLBACK' "$tmp/out"

# timeout
t0=$SECONDS
run --api-url "$url" --api-path /slow/api/explain --timeout 1 --token "$EXPECT_TOKEN"
rf_expect_eq "timeout: exit 4" 4 "$rc"
rf_check "timeout: message" grep -q 'no complete answer within 1 s' "$tmp/err"
rf_check "timeout: gave up within 4 s" test $((SECONDS - t0)) -le 4
rf_check "timeout: fallback reading" grep -q 'FALLBACK' "$tmp/out"

# unreachable
dead=$(rf_free_port)
run --api-url "http://127.0.0.1:$dead" --token "$EXPECT_TOKEN"
rf_expect_eq "unreachable: exit 4" 4 "$rc"
rf_check "unreachable: message" grep -q 'connection refused: nothing is listening there' "$tmp/err"
rf_check "unreachable: fallback reading" grep -q 'Hottest functions by their own time' "$tmp/out"
run --api-url "http://user:$EXPECT_TOKEN@127.0.0.1:$dead/" --token x
rf_expect_eq "credentials in the URL are not printed either (exit 4)" 4 "$rc"

# --offline: no request at all
n0=$(wc -l <"$REQ_LOG")
run --offline --api-url "$url" --token "$EXPECT_TOKEN"
rf_expect_eq "--offline: exit 0" 0 "$rc"
rf_check "--offline: labelled" grep -q '^Local reading (--offline' "$tmp/out"
rf_check "--offline: suggests a next step" grep -q '^Suggested next step: system calls' "$tmp/out"
rf_expect_eq "--offline sends nothing" "$n0" "$(wc -l <"$REQ_LOG")"
rf_summary
