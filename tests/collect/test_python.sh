#!/usr/bin/env bash
# resq-flame python / pdie / memory --lang python against a real CPython workload
# (tests/peers/python/busy.py). Uses py-spy when installed, else austin (Debian's austin 1.0.1
# reads CPython <= 3.8 only, so the workload runs on a 3.8 interpreter: pyenv's, here).
#  - python --pid: py_hot_function dominates; the wall time sampled is the duration;
#  - pdie --url: the process is found by the port it listens on; nothing listening -> exit 5;
#  - memory --lang python: py_retaining_allocator holds the allocated bytes;
#  - Ctrl-C renders what was collected (exit 130); the target is never left stopped;
#  - neither tool on PATH -> exit 3 naming both.
set -u
cd "${RF_ROOT:-.}" || exit 1
. tests/collect/common.sh
command -v py-spy >/dev/null 2>&1 || command -v austin >/dev/null 2>&1 || rf_skip "neither py-spy nor austin is installed"
if command -v py-spy >/dev/null 2>&1; then PY=$(command -v python3); else PY=$(rf_find_python_for_austin) || rf_skip "austin needs CPython <= 3.8 and none was found (pyenv install 3.8)"; fi
BUSY=tests/peers/python/busy.py
export TMPDIR=$W/tmp
mkdir -p "$TMPDIR"

not_stopped() { # the target's state is not T (stopped) or t (traced)
    local st
    st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)
    if [ -n "$st" ] && [ "$st" != T ] && [ "$st" != t ]; then rf_pass "$2 (state $st)"; else rf_fail "$2" "state '$st'"; fi
}

# ---- python --pid ---------------------------------------------------------------------------------
rf_start_bg busy "$PY" "$BUSY" 30
ready=$(rf_wait_log busy '"ready": true' 15) || { rf_fail "busy.py starts"; rf_summary; }
BPID=$(rf_json_field "$ready" pid)
"$RF_BIN" python --pid "$BPID" --duration 2s --save-raw "$W/py.raw" -o "$W/py.folded" 2>"$W/py.err"
expect_rc "python --pid" 0 $? "$W/py.err"
expect_share "python: py_hot_function dominates" "$W/py.folded" py_hot_function 55
expect_share "python: py_warm_function is there" "$W/py.folded" py_warm_function 10
if command -v py-spy >/dev/null 2>&1; then
    rf_pass "(py-spy: the duration is py-spy's own --duration)"
else
    # austin's metric is wall time in microseconds
    within "python: the wall time sampled is the duration" "$(total "$W/py.folded")" 2000000 10
fi
[ -s "$W/py.raw" ] && rf_pass "--save-raw keeps the raw profile" || rf_fail "--save-raw keeps the raw profile"
not_stopped "$BPID" "the target is running after profiling"

# Ctrl-C after 1 s of a 20 s run: renders what was collected, exit 130. (A background job
# starts with SIGINT ignored, which resq-flame respects: env gives it the default back.)
env --default-signal=INT "$RF_BIN" python --pid "$BPID" --duration 20s -o "$W/int.folded" 2>"$W/int.err" &
RPID=$!
sleep 1.5
kill -INT "$RPID"
wait "$RPID"
expect_rc "python: Ctrl-C renders and exits 130" 130 $? "$W/int.err"
expect_share "python: the interrupted profile has the hot function" "$W/int.folded" py_hot_function 50
not_stopped "$BPID" "the target is running after Ctrl-C"
rf_stop busy

"$RF_BIN" python --duration 1s -o "$W/nopid.svg" 2>"$W/nopid.err"
expect_rc "python without --pid" 1 $? "$W/nopid.err"

# ---- pdie: the process behind --url's port ------------------------------------------------------------
rf_start_bg pdie "$PY" "$BUSY" 30 --listen
ready=$(rf_wait_log pdie '"ready": true' 15) || { rf_fail "busy.py --listen starts"; rf_summary; }
PPORT=$(rf_json_field "$ready" port)
"$RF_BIN" pdie --url "http://127.0.0.1:$PPORT" --duration 2s -o "$W/pdie.svg" 2>"$W/pdie.err"
expect_rc "pdie --url (process found by its port)" 0 $? "$W/pdie.err"
grep -q "process $(rf_pid pdie) listens on port $PPORT" "$W/pdie.err" && rf_pass "pdie names the process it found" \
    || rf_fail "pdie names the process it found" "$(head -3 "$W/pdie.err")"
grep -q 'ResQ PDIE' "$W/pdie.svg" && rf_pass "pdie title" || rf_fail "pdie title"
"$RF_BIN" collapse "$W/pdie.svg" >"$W/pdie.folded" 2>/dev/null
expect_share "pdie: py_hot_function dominates" "$W/pdie.folded" py_hot_function 55
rf_stop pdie
DEAD=$(rf_free_port)
"$RF_BIN" pdie --url "http://127.0.0.1:$DEAD" --duration 1s -o "$W/dead.svg" 2>"$W/dead.err"
expect_rc "pdie with nothing listening on the port" 5 $? "$W/dead.err"

# ---- memory --lang python -------------------------------------------------------------------------
if command -v austin >/dev/null 2>&1 && PY38=$(rf_find_python_for_austin); then
    rf_start_bg alloc "$PY38" "$BUSY" 30 --alloc
    ready=$(rf_wait_log alloc '"ready": true' 15) || { rf_fail "busy.py --alloc starts"; rf_summary; }
    "$RF_BIN" memory --lang python --pid "$(rf_json_field "$ready" pid)" --duration 2s -o "$W/mem.svg" 2>"$W/mem.err"
    expect_rc "memory --lang python" 0 $? "$W/mem.err"
    "$RF_BIN" collapse "$W/mem.svg" >"$W/mem.folded" 2>/dev/null
    expect_share "memory python: py_retaining_allocator holds the bytes" "$W/mem.folded" py_retaining_allocator 80
    grep -q 'bytes' "$W/mem.svg" && rf_pass "memory python counts bytes" || rf_fail "memory python counts bytes"
    not_stopped "$(rf_json_field "$ready" pid)" "the allocating target is running after profiling"
    rf_stop alloc
else
    rf_skip "memory --lang python needs austin and a CPython <= 3.8"
fi

# ---- neither tool --------------------------------------------------------------------------------
mkdir -p "$W/emptybin"
rf_start_bg busy2 "$PY" "$BUSY" 10
ready=$(rf_wait_log busy2 '"ready": true' 15)
PATH=$W/emptybin "$RF_BIN" python --pid "$(rf_json_field "$ready" pid)" --duration 1s -o "$W/none.svg" 2>"$W/none.err"
expect_rc "python with neither py-spy nor austin" 3 $? "$W/none.err"
grep -q 'py-spy' "$W/none.err" && grep -q 'austin' "$W/none.err" && rf_pass "the message names both tools" \
    || rf_fail "the message names both tools" "$(cat "$W/none.err")"
rf_stop busy2

left=$(find "$TMPDIR" -mindepth 1 | head -3)
[ -z "$left" ] && rf_pass "no temporary files left" || rf_fail "no temporary files left" "$left"
rf_summary
