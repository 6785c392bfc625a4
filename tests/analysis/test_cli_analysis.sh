#!/usr/bin/env bash
# diff from SVGs (ours, and flamegraph.pl/inferno ones: hand-made fixtures, see fixtures/README.md),
# --width-from, --fail-on-regression, top (tables computed by hand), hotcold (unit conversion),
# and the filters on the commands that render.
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
BIN="$RF_ROOT/$RF_BUILD/resq-flame"
D="$RF_ROOT/../shared/testdata/inferno/diff-folded"
F="$RF_ROOT/tests/analysis/fixtures"
[ -x "$BIN" ] || { rf_fail "binary $BIN exists"; rf_summary; }
tmp=$(mktemp -d)
rf_on_exit "rm -rf '$tmp'"
cd "$tmp" || exit 1

# ---- diff: SVG round trip -------------------------------------------------------------------
"$BIN" -q file -i "$D/before.txt" -o before.svg && "$BIN" -q file -i "$D/after.txt" -o after.svg
rf_check "render before/after SVGs" test -s before.svg -a -s after.svg
"$BIN" -q diff --before "$D/before.txt" --after "$D/after.txt" --to folded >from_folded.txt
"$BIN" -q diff --before before.svg --after after.svg --to folded >from_svg.txt
rf_check "diff of the SVGs == diff of the folded inputs" cmp -s from_folded.txt from_svg.txt
"$BIN" -q diff --before <(cat before.svg) --after <(cat after.svg) -o diff.svg
rf_expect_eq "diff --before <(cat a.svg) --after <(cat b.svg) works" 0 "$?"
rf_check "diff.svg has the differential title" grep -q 'Differential Flame Graph' diff.svg
grep -o '<title>__fget_light_*[^<]*</title>' diff.svg >titles.txt
rf_check "a new frame's title: after count, before 0, change" grep -q '(12 samples, 15.00%; before 0, 0.00%, +15.00%)' titles.txt
# the diff SVG reads back as the two-column profile
"$BIN" -q collapse diff.svg >diff_back.txt
rf_check "the diff SVG reads back losslessly" cmp -s diff_back.txt from_folded.txt
# --width-from before|max: vanished frames are drawn (0xF1BDE348 only exists before: 1 of 65);
# titles keep the real counts (after 0) and the hues are not swapped (blue: it shrank).
# Before totals 65 (1180 px: 18.2 px for 1), max totals 90 (13.1 px for 1).
vanished='<title>0xF1BDE348 (0 samples, 0.00%; before 1, 1.54%, -1.25%)</title><rect x="10"'
appeared='<title>__fget_light (12 samples, 15.00%; before 0, 0.00%, +15.00%)</title><rect'
"$BIN" -q diff --before before.svg --after after.svg --width-from before -o diff_before.svg
rf_expect_eq "--width-from before: exit 0" 0 "$?"
rf_check "--width-from before draws frames that vanished, with real counts, blue" \
    grep -qF "$vanished width=\"18.2\" height=\"15\" fill=\"#c0c0ff\"" diff_before.svg
if grep -q '<title>__fget_light ' diff_before.svg; then rf_fail "widths from before leave a new frame out"; else rf_pass "widths from before leave a new frame out"; fi
rf_check "--width-from before: subtitle" grep -q '>widths: before; red = grew' diff_before.svg
if grep -q '<title>0xF1BDE348' diff.svg; then rf_fail "widths from after leave the vanished frame out"; else rf_pass "widths from after leave the vanished frame out"; fi
"$BIN" -q diff --before before.svg --after after.svg --width-from after -o diff_after.svg
rf_expect_eq "--width-from after: exit 0" 0 "$?"
rf_check "--width-from after is the default" cmp -s diff.svg diff_after.svg
"$BIN" -q diff --before <(cat before.svg) --after after.svg --width-from max -o diff_max.svg
rf_expect_eq "--width-from max: exit 0" 0 "$?"
rf_check "--width-from max draws frames that vanished" grep -qF "$vanished width=\"13.1\" height=\"15\" fill=\"#c0c0ff\"" diff_max.svg
rf_check "--width-from max draws frames that appeared" grep -qF "$appeared x=\"940.9\" width=\"157.3\" height=\"15\" fill=\"#ff0000\"" diff_max.svg
rf_check "--width-from max: subtitle" grep -q '>widths: max of before and after; red = grew' diff_max.svg
rf_check "--width-from max: the layout is in the data" grep -q '"widthfrom":"max"' diff_max.svg
"$BIN" -q collapse diff_max.svg >diff_max_back.txt
rf_check "the max diff SVG reads back losslessly" cmp -s diff_max_back.txt from_folded.txt
"$BIN" -q diff --before diff_max.svg --after after.svg -o x.svg 2>err.txt
rf_expect_eq "a diff SVG is no --before (bad input: exit 2)" 2 "$?"
"$BIN" -q diff --before before.svg --after after.svg --width-from max --negate -o diff_neg.svg
rf_expect_eq "--width-from max --negate: exit 0" 0 "$?"
rf_check "--negate swaps hues and the change's sign, not the layout" \
    grep -qF '<title>0xF1BDE348 (0 samples, 0.00%; before 1, 1.54%, +1.25%)</title><rect x="10" width="13.1" height="15" fill="#ffc0c0"' diff_neg.svg
"$BIN" -q diff --before before.svg --after after.svg --width-from sideways -o x.svg 2>err.txt
rf_expect_eq "--width-from sideways: usage (1)" 1 "$?"
rf_check "--width-from sideways: the choices are named" grep -q 'expected one of before, after, max' err.txt

# ---- diff of foreign SVGs (flamegraph.pl layout, hand-made) ------------------------------
"$BIN" -q diff --before "$F/flamegraph-pl-small.svg" --after "$F/flamegraph-pl-inverted.svg" --to folded >foreign.txt
rf_expect_eq "flamegraph.pl SVGs diff (same graph twice: no change)" \
    "main;a 2 2|main;a;operator<<(std::ostream&) 5 5|main;c 3 3|main;c;c 4 4|other 1 1|" "$(tr '\n' '|' <foreign.txt)"
"$BIN" collapse "$F/inferno-narrow.svg" 2>err.txt >inferno.txt
rf_check "inferno SVG read from its frames" cmp -s inferno.txt "$F/inferno-narrow.expected.folded"
rf_check "warning about frames those tools drop" grep -q 'too narrow' err.txt

# ---- --fail-on-regression: __fdget_pos_[k]'s share grew the most (+16.83 points) -------------
"$BIN" -q diff --before before.svg --after after.svg -o x.svg --fail-on-regression 10 2>err.txt
rf_expect_eq "--fail-on-regression 10: exit 6" 6 "$?"
rf_check "the regression is named" grep -q "__fdget_pos_\[k\]' grew by 16.83 percentage points" err.txt
rf_check "the SVG is still written" test -s x.svg
"$BIN" -q diff --before before.svg --after after.svg -o x.svg --fail-on-regression 17
rf_expect_eq "--fail-on-regression 17: exit 0" 0 "$?"
"$BIN" diff --before before.svg --after after.svg -o x.svg 2>summary.txt
rf_check "summary names regressions" grep -q 'biggest regressions' summary.txt
# by hand: __srcu_read_unlock_[k] 27/65 = 41.54% before, 21/80 = 26.25% after
rf_check "summary names improvements" grep -q -- '-15.29 pp total  -15.29 pp self  __srcu_read_unlock_\[k\]' summary.txt

# ---- top: tables computed by hand --------------------------------------------------------
printf 'a;b;a;b 4\na;c 2\nx 1\n' >r.folded
cat >want_self.txt <<'T'
FUNCTION   SELF    SELF%  TOTAL   TOTAL%
b             4   57.14%      4   57.14%
c             2   28.57%      2   28.57%
x             1   14.29%      1   14.29%
a             0    0.00%      6   85.71%
total 7 samples, 4 functions shown
T
"$BIN" top -i r.folded >got.txt
rf_check "top (by self) table" cmp -s want_self.txt got.txt
cat >want_total.txt <<'T'
FUNCTION   SELF    SELF%  TOTAL   TOTAL%
a             0    0.00%      6   85.71%
b             4   57.14%      4   57.14%
total 7 samples, 2 functions shown
T
"$BIN" top -i r.folded --by total -N 2 >got.txt
rf_check "top --by total -N 2 (recursion counted once)" cmp -s want_total.txt got.txt
printf '{"unit":"samples","by":"self","total":7,"functions":[\n  {"name":"b","self":4,"self_pct":57.14,"total":4,"total_pct":57.14}\n]}\n' >want.json
"$BIN" top -i r.folded --top 1 --json >got.json
rf_check "top --json" cmp -s want.json got.json
if command -v python3 >/dev/null; then
    rf_check "top --json parses" python3 -c 'import json,sys; json.load(open("got.json"))'
fi
"$BIN" top -i r.folded --hide '^b$' -N 1 >got.txt
rf_check "top with a filter (--hide b: a gets b's time)" grep -q '^a             4   57.14%' got.txt
"$BIN" top -i r.folded -N 1.5 >/dev/null 2>&1
rf_expect_eq "top -N 1.5: usage (1)" 1 "$?"

# ---- hotcold: on-CPU in ns + off-CPU in us -> one graph in ns --------------------------------
cat >on.json <<'J'
{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"main"},{"name":"compute"},{"name":"parse"}]},
 "profiles":[{"type":"sampled","name":"on","unit":"nanoseconds","startValue":0,"endValue":9000,"samples":[[0,1],[0,2],[0]],"weights":[6000,2000,1000]}]}
J
cat >off.json <<'J'
{"$schema":"https://www.speedscope.app/file-format-schema.json","shared":{"frames":[{"name":"main"},{"name":"read"},{"name":"futex_wait"}]},
 "profiles":[{"type":"sampled","name":"off","unit":"microseconds","startValue":0,"endValue":12,"samples":[[0,1],[0,2]],"weights":[5,7]}]}
J
"$BIN" -q hotcold --on on.json --off off.json --to folded -o hc.folded
rf_expect_eq "hotcold folded (off-CPU us -> ns, annotated _[w])" \
    "off-CPU_[w];main_[w];futex_wait_[w] 7000|off-CPU_[w];main_[w];read_[w] 5000|on-CPU;main 1000|on-CPU;main;compute 6000|on-CPU;main;parse 2000|" \
    "$(tr '\n' '|' <hc.folded)"
"$BIN" -q hotcold --on on.json --off off.json -o hc.svg
rf_check "hotcold SVG in nanoseconds" grep -q '<title>off-CPU (12,000 nanoseconds, 57.14%)</title>' hc.svg
rf_check "hotcold SVG labels hide the annotation" grep -q '<title>futex_wait (7,000 nanoseconds' hc.svg
"$BIN" -q hotcold --on on.json --off r.folded -o x.svg 2>/dev/null
rf_expect_eq "hotcold with mismatched units: bad input (2)" 2 "$?"
"$BIN" -q hotcold --on on.json -o x.svg 2>/dev/null
rf_expect_eq "hotcold without --off: usage (1)" 1 "$?"

# ---- filters on the rendering commands ---------------------------------------------------------
rf_expect_eq "collapse --focus" "a;c 2|" "$("$BIN" collapse r.folded --focus '^c$' | tr '\n' '|')"
rf_expect_eq "collapse --ignore" "a;b;a;b 4|x 1|" "$("$BIN" collapse r.folded --ignore '^c$' | tr '\n' '|')"
rf_expect_eq "collapse --skip-after b" "a;c 2|b;a;b 4|x 1|" "$("$BIN" collapse r.folded --skip-after b | tr '\n' '|')"
rf_expect_eq "collapse --base b" "a;c 2|b;a;b 4|x 1|" "$("$BIN" collapse r.folded --base b | tr '\n' '|')"
rf_expect_eq "collapse --collapse-recursion --hide b" "a 4|a;c 2|x 1|" \
    "$("$BIN" collapse r.folded --collapse-recursion --hide b | tr '\n' '|')"
"$BIN" collapse r.folded --focus '(' >/dev/null 2>err.txt
rf_expect_eq "bad regex: usage (1)" 1 "$?"
rf_check "bad regex message" grep -q 'not a valid regular expression' err.txt
"$BIN" -q file -i r.folded --reverse -o rev.svg && "$BIN" -q collapse rev.svg >rev_back.txt
rf_check "--reverse SVG reads back as the original stacks" cmp -s rev_back.txt <("$BIN" collapse r.folded)
printf 'java-1/2;main;f 3\njava-1/3;main 1\n' >tid.folded
rf_expect_eq "--group-by none (perf --tid roots)" "main 1|main;f 3|" \
    "$("$BIN" collapse tid.folded --tid --group-by none | tr '\n' '|')"
rf_expect_eq "--group-by process (perf --tid roots)" "java-1;main 1|java-1;main;f 3|" \
    "$("$BIN" collapse tid.folded --tid --group-by process | tr '\n' '|')"
"$BIN" collapse r.folded --group-by thread >/dev/null 2>&1
rf_expect_eq "--group-by thread without thread frames: usage (1)" 1 "$?"
# top aligns by terminal columns: CJK names take two columns per character
printf 'main;\xe5\x87\xa6\xe7\x90\x86\xe9\x96\xa2\xe6\x95\xb0;\xe8\xa8\x88\xe7\xae\x97 5\nmain;abc 3\n' > cjk.folded
"$BIN" top -i cjk.folded > cjk.txt
rf_expect_eq "top: a 2-character CJK name is padded to the 8 columns of the widest" \
    "$(printf '\xe8\xa8\x88\xe7\xae\x97          5   62.50%%      5   62.50%%')" "$(sed -n 2p cjk.txt)"
rf_expect_eq "top: an ASCII row lines up with it" "abc           3   37.50%      3   37.50%" "$(sed -n 3p cjk.txt)"
rf_summary