# shellcheck shell=bash
# tests/lib/peers.sh: helpers for shell tests that start real peers (servers, workloads).
# Source it from a test run at the project root:   . "${RF_ROOT:-.}/tests/lib/peers.sh"
#
#   rf_free_port                     print a loopback TCP port nobody listens on
#   rf_start_bg NAME CMD...          start CMD in its own process group, output to
#                                    $RF_BUILD/test-logs/NAME.log (RF_BUILD defaults to build); everything started is stopped
#                                    when the test exits (EXIT/INT/TERM traps)
#   rf_pid NAME / rf_log NAME        pid / log path of a started peer
#   rf_stop NAME [SIGNAL]            stop it now: SIGNAL (default TERM) to its process group,
#                                    KILL after 5 s; returns its exit status
#   rf_on_exit CMD                   run CMD (a string, eval'd) at cleanup, e.g. rm -rf a temp dir
#   rf_wait_http URL TIMEOUT         wait until URL answers any HTTP status (TIMEOUT seconds)
#   rf_wait_log NAME REGEX TIMEOUT   wait for a line matching REGEX in NAME's log; print it
#   rf_json_field LINE KEY           print a number or string field of a one-line JSON object
#   rf_require CMD...                rf_skip unless every CMD is on PATH
#   rf_skip REASON                   loud SKIP; exit 0, or exit 1 when CI=true (nothing skips in CI)
#   rf_pass NAME / rf_fail NAME [WHY] / rf_check NAME CMD... / rf_expect_eq NAME WANT GOT
#                                    count results
#   rf_summary                       print "N passed, M failed"; exit 1 on failures or no test
#   rf_find_python_for_austin        print a CPython <= 3.8 that Austin 1.0.1 can profile
#
# Only loopback addresses are used; every wait is bounded.

RF_ROOT=$(cd "${RF_ROOT:-.}" && pwd)
RF_BUILD=${RF_BUILD:-build}
RF_LOG_DIR=${RF_LOG_DIR:-$RF_ROOT/$RF_BUILD/test-logs}
RF_PASSED=0
RF_FAILED=0
declare -A RF__PIDS=()
RF__CLEANUP=()
RF__TRAPS_SET=0

rf_free_port() {
    # Random port in 20000-59999 that is not in LISTEN state (0A) in /proc/net/tcp{,6}.
    # Servers that can bind port 0 and report it (tests/peers/hce/server.js) are race-free;
    # use this only for tools that need a port up front.
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        if ! awk -v p="$(printf '%04X' "$port")" \
                'NR > 1 && $4 == "0A" { split($2, a, ":"); if (a[2] == p) found = 1 } END { exit !found }' \
                /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    echo "rf_free_port: no free port found" >&2
    return 1
}

rf__set_traps() {
    [ "$RF__TRAPS_SET" = 1 ] && return 0
    RF__TRAPS_SET=1
    trap 'rf__cleanup' EXIT
    trap 'rf__cleanup; trap - EXIT; exit 130' INT
    trap 'rf__cleanup; trap - EXIT; exit 143' TERM
}

rf_on_exit() {
    rf__set_traps
    RF__CLEANUP+=("$1")
}

rf_start_bg() {
    local name=$1; shift
    [ $# -gt 0 ] || { echo "rf_start_bg: no command for $name" >&2; return 1; }
    rf__set_traps
    mkdir -p "$RF_LOG_DIR"
    # setsid: the peer gets its own process group, so rf_stop also ends whatever it spawned
    # (perf record's child, a worker). In a script without job control, $! is the peer itself.
    setsid "$@" >"$RF_LOG_DIR/$name.log" 2>&1 </dev/null &
    RF__PIDS[$name]=$!
    echo "$!" >"$RF_LOG_DIR/$name.pid"
}

rf_pid() { echo "${RF__PIDS[$1]:-}"; }
rf_log() { echo "$RF_LOG_DIR/$1.log"; }

rf_stop() {
    local name=$1 signal=${2:-TERM} pid status=0
    pid=${RF__PIDS[$name]:-}
    [ -n "$pid" ] || return 0
    unset 'RF__PIDS[$name]'
    if kill -0 "$pid" 2>/dev/null; then
        kill -"$signal" -- "-$pid" 2>/dev/null || kill -"$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "rf_stop: $name (pid $pid) still running 5 s after SIG$signal; killing it" >&2
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || status=$?
    # Members of the group that outlived the leader (e.g. a grandchild) go too.
    kill -KILL -- "-$pid" 2>/dev/null || true
    return "$status"
}

rf__cleanup() {
    local name cmd
    for name in "${!RF__PIDS[@]}"; do
        if [ "$RF_FAILED" -gt 0 ] && [ -s "$RF_LOG_DIR/$name.log" ]; then
            echo "---- last lines of $RF_LOG_DIR/$name.log ----" >&2
            tail -n 15 "$RF_LOG_DIR/$name.log" >&2
        fi
        rf_stop "$name" || true
    done
    for cmd in "${RF__CLEANUP[@]}"; do eval "$cmd" || true; done
    RF__CLEANUP=()
}

rf_wait_http() {
    local url=$1 timeout=${2:-10} deadline code
    deadline=$(( $(date +%s) + timeout ))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null) || true
        [ -n "$code" ] && [ "$code" != 000 ] && return 0
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "rf_wait_http: $url did not answer within ${timeout}s" >&2
            return 1
        fi
        sleep 0.1
    done
}

rf_wait_log() {
    local name=$1 regex=$2 timeout=${3:-10} deadline line log
    log=$(rf_log "$name")
    deadline=$(( $(date +%s) + timeout ))
    while :; do
        line=$(grep -E -m 1 -- "$regex" "$log" 2>/dev/null) && { echo "$line"; return 0; }
        local pid=${RF__PIDS[$name]:-}
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            echo "rf_wait_log: $name exited before printing /$regex/; its log:" >&2
            tail -n 15 "$log" >&2
            return 1
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "rf_wait_log: no line matching /$regex/ in $log within ${timeout}s" >&2
            return 1
        fi
        sleep 0.1
    done
}

rf_json_field() {
    # Good enough for the flat one-line JSON objects our peers and workloads print.
    local line=$1 key=$2
    printf '%s\n' "$line" | sed -n -E "s/.*\"$key\"[[:space:]]*:[[:space:]]*(\"([^\"]*)\"|([-0-9.eE+]+|true|false|null)).*/\2\3/p"
}

rf_skip() {
    # "SKIP:" starts a line so that tests/run_all.sh repeats it in its summary.
    echo "################################################################" >&2
    echo "SKIP: $*" >&2
    echo "################################################################" >&2
    if [ "${CI:-}" = true ]; then
        echo "FAIL: CI=true and .ci/run installs every peer, so a skip in CI is a failure" >&2
        exit 1
    fi
    exit 0
}

rf_require() {
    local cmd
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null 2>&1 || rf_skip "$cmd is not installed (run: tools/deps.sh test)"
    done
}

rf_pass() { RF_PASSED=$((RF_PASSED + 1)); echo "ok - $1"; }
rf_fail() {
    RF_FAILED=$((RF_FAILED + 1))
    echo "FAIL - $1${2:+: $2}"
}
rf_check() {
    local name=$1; shift
    if "$@"; then rf_pass "$name"; else rf_fail "$name" "command failed: $*"; fi
}

rf_expect_eq() {
    if [ "$2" = "$3" ]; then rf_pass "$1"; else rf_fail "$1" "got '$3', want '$2'"; fi
}

rf_summary() {
    echo "$RF_PASSED passed, $RF_FAILED failed"
    [ "$RF_FAILED" -eq 0 ] && [ "$RF_PASSED" -gt 0 ] && exit 0
    [ "$RF_PASSED" -eq 0 ] && [ "$RF_FAILED" -eq 0 ] && echo "no test ran" >&2
    exit 1
}

rf_find_python_for_austin() {
    # A real interpreter binary, not a pyenv shim: austin must start and read the process
    # that really runs Python. The image ships pyenv's 3.8 under /root/.pyenv/versions.
    local pyenv_root=${PYENV_ROOT:-$HOME/.pyenv} candidate pyenv_pythons=()
    mapfile -t pyenv_pythons < <(printf '%s\n' "$pyenv_root"/versions/3.[678].*/bin/python3.[678] | sort -rV)
    for candidate in "${pyenv_pythons[@]}" \
        /usr/bin/python3.8 /usr/local/bin/python3.8 /usr/bin/python3.7 /usr/local/bin/python3.7; do
        [ -x "$candidate" ] || continue
        if "$candidate" -c 'import sys; sys.exit(not ((3, 0) <= sys.version_info[:2] <= (3, 8)))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
