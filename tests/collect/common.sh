# shellcheck shell=bash
# tests/collect/common.sh: shared by the collector tests (tests/collect/test_*.sh). Source it
# after cd to the project root. Provides $RF_BIN (the CLI), $W (a temporary directory removed
# at exit) and checks on folded output.
. "${RF_ROOT:-.}/tests/lib/peers.sh"
RF_BIN=${RF_BIN:-$RF_ROOT/$RF_BUILD/resq-flame}
if [ ! -x "$RF_BIN" ]; then
    echo "FAIL: $RF_BIN is not built (make cli)"
    exit 1
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/rf-collect.XXXXXX")
rf_on_exit "rm -rf '$W'"

# share FILE FUNC: percentage of the total weight of folded FILE in stacks that have the
# frame FUNC anywhere (exactly FUNC, or "FUNC (file:line)" as Python and JS frames read), one decimal.
share() {
    awk -v f="$2" '{ n = $NF; line = $0; sub(/ [^ ]*$/, "", line); t += n
                     k = split(line, a, ";"); for (i = 1; i <= k; i++) if (a[i] == f || index(a[i], f " (") == 1) { s += n; break } }
                   END { if (t > 0) printf "%.1f\n", 100 * s / t; else print "0" }' "$1"
}

# total FILE: the sum of the weights of folded FILE.
total() { awk '{ t += $NF } END { printf "%.0f\n", t }' "$1"; }

# expect_share NAME FILE FUNC MIN: FUNC holds at least MIN% of FILE's weight.
expect_share() {
    local got
    if [ ! -s "$2" ]; then rf_fail "$1" "no output $2"; return; fi
    got=$(share "$2" "$3")
    if awk -v g="$got" -v m="$4" 'BEGIN { exit !(g >= m) }'; then rf_pass "$1 ($3 $got% >= $4%)"
    else rf_fail "$1" "$3 has $got% of the weight, want >= $4%; top stacks: $(sort -t' ' -k2 -n "$2" | tail -3 | tr '\n' '|')"; fi
}

# expect_rc NAME WANT GOT [STDERR_FILE]
expect_rc() {
    if [ "$2" = "$3" ]; then rf_pass "$1 (exit $3)"
    else rf_fail "$1" "exit $3, want $2${4:+; stderr: $(head -c 600 "$4")}"; fi
}

# within NAME GOT WANT PCT: |GOT - WANT| <= PCT% of WANT
within() {
    if awk -v g="$2" -v w="$3" -v p="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(w > 0 && d <= w * p / 100) }'; then
        rf_pass "$1 ($2 within $4% of $3)"
    else
        rf_fail "$1" "$2 is not within $4% of $3"
    fi
}

# lasted NAME SECONDS MIN MAX: a command's wall time is at least MIN (it collected for the whole
# duration, not less) and at most MAX (it stopped on time, it did not hang). The upper slack is
# generous because process start, the HTTP round trip and the render all add to the wall time
# and a loaded 2-core machine stretches them; the profile's own span is checked separately.
lasted() {
    if awk -v g="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(g >= lo && g <= hi) }'; then
        rf_pass "$1 ($2 s, in [$3, $4])"
    else
        rf_fail "$1" "$2 s is outside [$3, $4] s"
    fi
}

# not_in NAME FILE TEXT: TEXT does not occur in FILE (credentials must never be printed).
not_in() {
    if grep -qF -- "$3" "$2"; then rf_fail "$1" "found '$3' in $2"; else rf_pass "$1"; fi
}

# port_listening PORT: someone listens on TCP PORT (loopback or any).
port_listening() {
    awk -v p="$(printf '%04X' "$1")" 'NR > 1 && $4 == "0A" { split($2, a, ":"); if (a[2] == p) f = 1 } END { exit !f }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
