#!/usr/bin/env bash
# Shell completions (bash, zsh, fish) and the manual page, both generated from the option and
# command tables: the committed resq-flame.1 is what `help --roff` prints, roff without
# warnings; each script parses, and bash and fish complete commands, options (command-aware:
# collapse --pid is a flag, perf --pid takes a process id), choices and file names for real.
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
BIN="$RF_ROOT/$RF_BUILD/resq-flame"
[ -x "$BIN" ] || { rf_fail "binary $BIN exists"; rf_summary; }
tmp=$(mktemp -d)
rf_on_exit "rm -rf '$tmp'"
cd "$tmp" || exit 1

# ---- the manual page --------------------------------------------------------------------------
"$BIN" help --roff >man.1
rf_expect_eq "help --roff: exit 0" 0 "$?"
rf_check "examples/resq-flame/resq-flame.1 is the generated page (regenerate: resq-flame help --roff)" \
    cmp -s man.1 "$RF_ROOT/examples/resq-flame/resq-flame.1"
if command -v groff >/dev/null; then
    groff -ww -z -man man.1 2>groff.err
    rf_expect_eq "groff: no warnings" "" "$(cat groff.err)"
    groff -man -Tutf8 man.1 2>/dev/null | sed 's/\x08.//g' >man.txt
    for cmd in hce api pdie python perf bun dotnet file collapse offcpu diff hotcold memory explain top; do
        grep -q "^       $cmd " man.txt || grep -q "^       $cmd\$" man.txt || rf_fail "man page documents $cmd"
    done
    rf_check "man page: exit status 130" grep -q "Interrupted; whatever was collected" man.txt
    rf_check "man page: the duration rule" grep -q "bare number of 1000 or more is milliseconds" man.txt
else
    echo "SKIP: groff is not installed: the man page is not rendered" >&2
    [ "${CI:-}" = true ] && rf_fail "groff installed"
fi

# ---- errors -------------------------------------------------------------------------------------
"$BIN" completions >/dev/null 2>err.txt
rf_expect_eq "completions without a shell: exit 1" 1 "$?"
"$BIN" completions tcsh >/dev/null 2>err.txt
rf_expect_eq "completions tcsh: exit 1" 1 "$?"
rf_check "... naming the shells it knows" grep -q "expected bash, zsh or fish" err.txt

for sh in bash zsh fish; do
    "$BIN" completions "$sh" >"c.$sh"
    rf_expect_eq "completions $sh: exit 0" 0 "$?"
    for word in hce api pdie python perf bun dotnet file collapse offcpu diff hotcold memory explain top \
                --duration --url --api-key --call-graph --save-raw --title --fail-on-regression; do
        want=$word
        [ "$sh" = fish ] && [ "${word#--}" != "$word" ] && want="-l ${word#--}"
        grep -q -- "$want" "c.$sh" || rf_fail "completions $sh mentions $word"
    done
done

# ---- bash: for real ---------------------------------------------------------------------------
bash -n c.bash
rf_expect_eq "bash: the script parses" 0 "$?"
cat >drive.bash <<'EOF'
source ./c.bash
comp() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _resq_flame; echo "${COMPREPLY[*]}"; }
EOF
bcomp() { bash -c "source ./drive.bash; comp $*"; }
rf_expect_eq "bash: commands" "hce help hotcold" "$(bcomp resq-flame h | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
rf_expect_eq "bash: options of the command" "--url" "$(bcomp resq-flame hce --ur)"
rf_expect_eq "bash: choices" "fp dwarf" "$(bcomp resq-flame perf --call-graph "''")"
rf_expect_eq "bash: --lang" "rust go node python" "$(bcomp resq-flame memory --lang "''")"
rf_expect_eq "bash: an option's value is not the command" "hce" "$(bcomp resq-flame -o perf hc)"
rf_expect_eq "bash: collapse --pid is its flag" "--pid" "$(bcomp resq-flame collapse --pi)"
rf_expect_eq "bash: no --url for perf" "" "$(bcomp resq-flame perf --ur)"
rf_expect_eq "bash: shells" "bash zsh fish" "$(bcomp resq-flame completions "''")"
touch input-one.folded
rf_expect_eq "bash: files for --input" "input-one.folded" "$(bcomp resq-flame file --input inp)"
pids=$(bcomp resq-flame perf --pid "$$")
case " $pids " in *" $$ "*) rf_pass "bash: process ids for perf --pid" ;; *) rf_fail "bash: process ids for perf --pid" "$pids" ;; esac

# ---- zsh and fish ----------------------------------------------------------------------------
if command -v zsh >/dev/null; then
    zsh -n c.zsh
    rf_expect_eq "zsh: the script parses" 0 "$?"
    zsh -f -c 'autoload -U compinit; compinit -u -d ./zcompdump; source ./c.zsh; (( $+functions[_resq_flame] )) && [[ $_comps[resq-flame] == _resq_flame ]]'
    rf_expect_eq "zsh: loads and registers _resq_flame for resq-flame" 0 "$?"
else
    echo "SKIP: zsh is not installed (apt-get install zsh)" >&2
    [ "${CI:-}" = true ] && rf_fail "zsh installed"
fi
if command -v fish >/dev/null; then
    fish -n c.fish
    rf_expect_eq "fish: the script parses" 0 "$?"
    fcomp() { fish -N -c "source ./c.fish; complete -C '$1'" | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'; }
    rf_expect_eq "fish: commands" "hce help hotcold" "$(fcomp 'resq-flame h')"
    rf_expect_eq "fish: choices" "dwarf fp" "$(fcomp 'resq-flame perf --call-graph ')"
    rf_expect_eq "fish: command-aware options" "--pid" "$(fcomp 'resq-flame collapse --pi')"
    rf_expect_eq "fish: no --url for perf" "" "$(fcomp 'resq-flame perf --ur')"
    rf_expect_eq "fish: --url for hce" "--url" "$(fcomp 'resq-flame hce --ur')"
else
    echo "SKIP: fish is not installed (apt-get install fish)" >&2
    [ "${CI:-}" = true ] && rf_fail "fish installed"
fi

rf_summary
