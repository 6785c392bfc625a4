#!/usr/bin/env bash
# The TUI driven in a real tmux: the targets are listed (the seeds' four first), navigation with
# arrows and j/k, the details pane follows the selection, Enter opens the form prefilled with
# the defaults, editing a field, a bad value keeps the form with the parser's message, Esc goes
# back; q, Esc, Ctrl-C, SIGTERM and a double Ctrl-C during a run all leave the terminal in
# cooked mode (stty -a in the pane shows icanon and echo); resizing redraws at the new size; no
# TUI without a terminal; and full runs: the file target on a bundled capture, and Linux Perf on
# the hot workload with its live countdown, result screen (output path, top frames) and `o`.
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
rf_require tmux
BIN="$RF_ROOT/$RF_BUILD/resq-flame"
HOT="$RF_ROOT/$RF_BUILD/workloads/hot"
SMALL="$RF_ROOT/tests/analysis/fixtures/small.folded"
[ -x "$BIN" ] || { rf_fail "binary $BIN exists"; rf_summary; }
tmp=$(mktemp -d)
SOCK="rf-tui-$$"
T() { tmux -L "$SOCK" "$@"; }
rf_on_exit "tmux -L '$SOCK' kill-server 2>/dev/null; rm -rf '$tmp'"
cd "$tmp" || exit 1

# A browser stand-in for `o`: records what it was asked to open.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/rf-test-browser" <<EOF
#!/bin/sh
echo "\$1" >"$tmp/opened"
EOF
chmod +x "$tmp/bin/rf-test-browser"

T -f /dev/null new-session -d -s tui -x 100 -y 32 \
    "env -i HOME='$tmp' HISTFILE=/dev/null PATH='$tmp/bin:$PATH' TERM=xterm-256color LANG=C.UTF-8 BROWSER=rf-test-browser bash --norc --noprofile"
T set-option -g window-size manual >/dev/null 2>&1 || true
T send-keys -t tui "PS1='READY\$ '; cd '$tmp'" Enter

screen() { T capture-pane -p -t tui; }
# on_screen GREP-ARGS...: grep the screen (captured first: grep -q must not cut the pipe under pipefail)
on_screen() { local text; text=$(screen); grep "$@" <<<"$text"; }
# wait_for TEXT [SECONDS]: the screen shows TEXT
wait_for() {
    local deadline=$((SECONDS + ${2:-5}))
    while [ $SECONDS -le "$deadline" ]; do
        on_screen -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
# wait_exit: the shell printed the TUI's exit code (a line of its own, not the typed command)
wait_exit() {
    local deadline=$((SECONDS + ${1:-10}))
    while [ $SECONDS -le "$deadline" ]; do
        on_screen -qE '^EXIT=[0-9]+$' && return 0
        sleep 0.1
    done
    return 1
}
expect_screen() { # NAME TEXT [SECONDS]
    if wait_for "$2" "${3:-5}"; then rf_pass "$1"; else
        rf_fail "$1" "screen lacks '$2'"
        screen | sed 's/^/      | /' >&2
    fi
}
expect_not_screen() { # NAME TEXT
    if on_screen -qF -- "$1"; then rf_fail "$2" "screen still shows '$1'"; else rf_pass "$2"; fi
}
# fresh_prompt: a cleared pane, so that an old EXIT= line cannot be taken for a new one
fresh_prompt() {
    T send-keys -t tui "clear" Enter
    for _ in $(seq 1 50); do on_screen -qE '^EXIT=' || return 0; sleep 0.1; done
}
start_tui() {
    fresh_prompt
    T send-keys -t tui "'$BIN'; echo \"EXIT=\$?\"" Enter
    wait_for "Coordination HCE" 5
}
# cooked NAME: after the TUI exited, the pane's terminal is back in cooked mode
n_stty=0
cooked() {
    n_stty=$((n_stty + 1))
    wait_exit 10 || { rf_fail "$1: the TUI exited"; return; }
    T send-keys -t tui "stty -a >'$tmp/stty.$n_stty'" Enter
    for _ in $(seq 1 50); do [ -s "$tmp/stty.$n_stty" ] && break; sleep 0.1; done
    sleep 0.2
    if tr ' ;' '\n\n' <"$tmp/stty.$n_stty" | grep -qx icanon && tr ' ;' '\n\n' <"$tmp/stty.$n_stty" | grep -qx echo; then
        rf_pass "$1: terminal in cooked mode (icanon echo)"
    else
        rf_fail "$1: terminal in cooked mode (icanon echo)" "$(grep -o -- '-*icanon\|-*echo ' "$tmp/stty.$n_stty" | tr '\n' ' ')"
    fi
    if on_screen -q '\[?1049\|\[0m'; then rf_fail "$1: no escape sequences left on screen"; fi
}
exit_code_was() { # NAME CODE
    if on_screen -qx "EXIT=$2"; then rf_pass "$1"; else rf_fail "$1" "$(screen | grep 'EXIT=' | tail -1)"; fi
}
wait_for 'READY$' 5 || { rf_fail "tmux shell started"; rf_summary; }

# ---- the list and the details pane ----------------------------------------------------------
start_tui
expect_screen "the TUI starts on a terminal" "choose a profiling target"
for row in "Coordination HCE       hce      Node.js/Bun service via HTTP metrics" \
           "Infrastructure API     api      Rust backend via pprof" \
           "Intelligence PDIE      python   Python AI engine via py-spy" \
           "Linux Perf             perf     System-wide profiling via perf record"; do
    expect_screen "seed target listed: ${row%% *}" "$row"
done
for engine in bun dotnet offcpu hotcold memory file; do
    if on_screen -qE "  $engine +[A-Z.]"; then rf_pass "other target listed: $engine"; else rf_fail "other target listed: $engine"; fi
done
# the seeds' four come first, in their order
order=$(screen | grep -nE 'Coordination HCE|Infrastructure API|Intelligence PDIE|Linux Perf ' | cut -d: -f1 | tr '\n' ' ')
lines=($order)
if [ "${#lines[@]}" -ge 4 ] && [ "${lines[0]}" -lt "${lines[1]}" ] && [ "${lines[1]}" -lt "${lines[2]}" ] && [ "${lines[2]}" -lt "${lines[3]}" ]; then
    rf_pass "the four seed targets first, in the seeds' order"; else rf_fail "the four seed targets first" "$order"; fi
expect_screen "HCE selected first" "▶ Coordination HCE"
expect_screen "details pane: HCE command" "Coordination HCE — resq-flame hce"
expect_screen "details pane: HCE default URL and duration" "Defaults: url http://localhost:5000, duration 5 s"
expect_screen "details pane: overhead" "Overhead:"
T send-keys -t tui j
expect_screen "j moves down" "▶ Infrastructure API"
expect_screen "details follow the selection (api)" "Infrastructure API — resq-flame api"
expect_screen "details: api's default URL" "url http://localhost:8080, duration 30 s"
T send-keys -t tui Down
expect_screen "Down moves down" "▶ Intelligence PDIE"
expect_screen "details follow the selection (pdie)" "resq-flame pdie"
T send-keys -t tui k
expect_screen "k moves up" "▶ Infrastructure API"
T send-keys -t tui Up
expect_screen "Up moves up" "▶ Coordination HCE"
T send-keys -t tui Up
expect_screen "Up at the top stays" "▶ Coordination HCE"
expect_screen "key help" "q/Esc quit"

# ---- the form ---------------------------------------------------------------------------------
T send-keys -t tui Enter
expect_screen "Enter opens the form" "Coordination HCE (hce)"
expect_screen "form: URL prefilled" "URL                http://localhost:5000"
expect_screen "form: duration prefilled" "Duration           5s"
expect_screen "form: output prefilled" "Output             flamegraph.svg"
expect_screen "form: the command line it will run" "Command: resq-flame hce --url http://localhost:5000 --duration 5s -o flamegraph.svg"
T send-keys -t tui Escape
expect_screen "Esc goes back to the list" "choose a profiling target"
T send-keys -t tui j j j Enter
expect_screen "Linux Perf form" "Linux Perf (perf)"
expect_screen "perf form: pid or command" "PID or command"
T send-keys -t tui -l "sleep 9"
expect_screen "typing fills the focused field" "PID or command     sleep 9"
expect_screen "the command line follows" "--cmd 'sleep 9'"
T send-keys -t tui BSpace
T send-keys -t tui -l "7"
expect_screen "Backspace edits" "PID or command     sleep 7"
T send-keys -t tui Up C-u
T send-keys -t tui -l "5x"
expect_screen "another field edited" "Duration           5x"
T send-keys -t tui Enter
expect_screen "a bad value stays in the form with the parser's message" "expected a duration such as 30s, 500ms, 2m or 1h"
expect_screen "still the form" "Linux Perf (perf)"
T send-keys -t tui C-u
T send-keys -t tui -l "1234"
T send-keys -t tui Down C-u
T send-keys -t tui -l "1234567890123"
T send-keys -t tui Enter
expect_screen "a pid that cannot be: the parser's message" "expected a process id"
T send-keys -t tui Escape
expect_screen "Esc from the form" "choose a profiling target"

# ---- resize -----------------------------------------------------------------------------------
T resize-window -t tui -x 64 -y 20
sleep 0.5
last=$(screen | sed -n '20p')
case "$last" in *"q/Esc quit"*) rf_pass "resize: redrawn at 20 rows (key bar on the last row)" ;;
    *) rf_fail "resize: redrawn at 20 rows" "row 20: '$last'" ;; esac
wide=$(screen | python3 -c 'import sys; print(sum(1 for l in sys.stdin.buffer.read().decode("utf-8", "replace").splitlines() if len(l) > 64))')
rf_expect_eq "resize: nothing drawn past 64 columns" 0 "$wide"
T resize-window -t tui -x 120 -y 40
sleep 0.5
last=$(screen | sed -n '40p')
case "$last" in *"q/Esc quit"*) rf_pass "resize back: key bar on row 40" ;; *) rf_fail "resize back: key bar on row 40" "'$last'" ;; esac
T resize-window -t tui -x 30 -y 8
expect_screen "a tiny window says so" "Too small (30x8)"
T resize-window -t tui -x 100 -y 32
expect_screen "and recovers" "choose a profiling target"

# ---- quitting ---------------------------------------------------------------------------------
T send-keys -t tui q
cooked "q"
exit_code_was "q: exit 0" 0
start_tui
T send-keys -t tui Escape
cooked "Esc"
exit_code_was "Esc: exit 0" 0
start_tui
T send-keys -t tui C-c
cooked "Ctrl-C in the list"
exit_code_was "Ctrl-C: exit 130" 130
start_tui
shell_pid=$(T display-message -p -t tui '#{pane_pid}')
tui_pid=$(pgrep -P "$shell_pid" | head -1)
if [ -n "$tui_pid" ]; then kill -TERM "$tui_pid"; fi
cooked "SIGTERM"
exit_code_was "SIGTERM: killed by the signal" 143

# ---- no terminal ------------------------------------------------------------------------------
"$BIN" </dev/null >"$tmp/notty.out" 2>"$tmp/notty.err"
rf_expect_eq "stdin and stdout not a terminal: exit 1" 1 "$?"
rf_check "... with the usage" grep -q "Usage: resq-flame" "$tmp/notty.err"
fresh_prompt
T send-keys -t tui "echo | '$BIN'; echo \"EXIT=\$?\"" Enter
wait_exit 5
exit_code_was "stdin not a terminal (in the pane): exit 1" 1
fresh_prompt
T send-keys -t tui "'$BIN' | cat; echo \"EXIT=\${PIPESTATUS[0]}\"" Enter
wait_exit 5
exit_code_was "stdout not a terminal (in the pane): exit 1" 1

# ---- a full run: the file target on a bundled capture ---------------------------------------
start_tui
T send-keys -t tui G
expect_screen "G: the last target" "▶ Profile file"
T send-keys -t tui Enter
expect_screen "file form" "Input file"
T send-keys -t tui -l "$SMALL"
T send-keys -t tui Down C-u
T send-keys -t tui -l "$tmp/tui-file.svg"
T send-keys -t tui Enter
expect_screen "file run: result screen" "Profile file: done" 15
expect_screen "file run: the output path" "Wrote $tmp/tui-file.svg"
expect_screen "file run: top frames" "Top "
rf_check "file run: the SVG exists" test -s "$tmp/tui-file.svg"
top_tui=$(screen | sed -n 's/^ *1 *[0-9.]*% *[0-9.]*% *//p' | head -1)
top_cli=$("$BIN" top --input "$tmp/tui-file.svg" -N 1 --json 2>/dev/null | grep -o '"name":"[^"]*"' | head -1 | cut -d'"' -f4)
if [ -n "$top_tui" ] && [ "$top_tui" = "$top_cli" ]; then rf_pass "file run: the hottest frame is the one 'top' names ($top_cli)"
else rf_fail "file run: hottest frame" "TUI '$top_tui', top '$top_cli'"; fi
T send-keys -t tui o
for _ in $(seq 1 30); do [ -s "$tmp/opened" ] && break; sleep 0.1; done
rf_expect_eq "o opens the SVG" "$tmp/tui-file.svg" "$(cat "$tmp/opened" 2>/dev/null)"
T send-keys -t tui Enter
expect_screen "Enter on the result: back to the list" "choose a profiling target"

# ---- a full run: Linux Perf on the hot workload, with the countdown ---------------------------
perf_ok=0
if [ -x "$HOT" ] && command -v perf >/dev/null && perf record -o "$tmp/probe.data" -F 99 -g -- true >/dev/null 2>&1; then perf_ok=1; fi
if [ $perf_ok = 1 ]; then
    T send-keys -t tui g j j j Enter
    expect_screen "perf form again" "Linux Perf (perf)"
    T send-keys -t tui -l "$HOT 30"
    T send-keys -t tui Up C-u
    T send-keys -t tui -l "4s"
    T send-keys -t tui Down Down C-u
    T send-keys -t tui -l "$tmp/tui-perf.svg"
    T send-keys -t tui Enter
    expect_screen "perf run: the running screen" "Linux Perf: running" 5
    expect_screen "perf run: a live countdown" "s left" 5
    left1=$(on_screen -o "[0-9.]* s left" | head -1)
    sleep 1.2
    left2=$(on_screen -o "[0-9.]* s left" | head -1)
    if [ -n "$left1" ] && [ -n "$left2" ] && [ "$left1" != "$left2" ]; then rf_pass "perf run: the countdown counts ($left1 -> $left2)"
    else rf_fail "perf run: the countdown counts" "'$left1' then '$left2'"; fi
    expect_screen "perf run: result screen" "Linux Perf: done" 20
    expect_screen "perf run: output path" "Wrote $tmp/tui-perf.svg"
    if on_screen -qE '^ +1 +[0-9.]+% +[0-9.]+% +compute_hot$'; then rf_pass "perf run: compute_hot is the top frame"
    else rf_fail "perf run: compute_hot is the top frame"; screen | sed 's/^/      | /' >&2; fi
    expect_screen "perf run: compute_warm listed too" "compute_warm"
    # Ctrl-C during a run: stops early, renders, shows "interrupted"; the TUI goes on
    T send-keys -t tui r
    expect_screen "r: the form again" "Linux Perf (perf)"
    T send-keys -t tui Up Up C-u
    T send-keys -t tui -l "30s"
    T send-keys -t tui Enter
    expect_screen "second run counting" "s left" 10
    sleep 1
    T send-keys -t tui C-c
    expect_screen "Ctrl-C during a run: stopped and rendered" "Linux Perf: interrupted" 15
    expect_screen "Ctrl-C during a run: what was collected is written" "(interrupted: what was collected)"
    # a double Ctrl-C quits at once and restores the terminal
    T send-keys -t tui r Enter
    expect_screen "third run counting" "s left" 10
    T send-keys -t tui C-c
    sleep 0.2
    T send-keys -t tui C-c
    cooked "double Ctrl-C during a run"
    exit_code_was "double Ctrl-C: exit 130" 130
else
    echo "SKIP: the Linux Perf run (perf cannot record here, or no $HOT: make workloads)" >&2
    [ "${CI:-}" = true ] && rf_fail "Linux Perf run through the TUI" "perf cannot record"
    T send-keys -t tui q
    cooked "q after the file run"
fi

# Not the TUI: a command on a terminal ends with the one-line summary on stderr (which is silent
# when stderr is not a terminal: tests/cli/test_exit_codes.sh)
T send-keys -t tui "clear; '$BIN' file -i '$SMALL' -o term.svg" Enter
expect_screen "on a terminal: the summary names the output" "resq-flame: wrote term.svg:" 10
expect_screen "on a terminal: the summary names the top function" "; top: "

rf_summary
