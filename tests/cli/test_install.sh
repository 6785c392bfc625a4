#!/usr/bin/env bash
# make install PREFIX=...: the header, the binary, the man page and the three completion scripts
# land where their tools look for them, and the installed pieces work; make uninstall removes
# them all.
set -uo pipefail
. "${RF_ROOT:-.}/tests/lib/peers.sh"
cd "$RF_ROOT" || exit 1
tmp=$(mktemp -d)
rf_on_exit "rm -rf '$tmp'"
P=$tmp/prefix

make -s install BUILD="$RF_BUILD" PREFIX="$P" >"$tmp/install.log" 2>&1
rf_expect_eq "make install: exit 0" 0 "$?"
for f in include/resq_flame.h bin/resq-flame share/man/man1/resq-flame.1 \
         share/bash-completion/completions/resq-flame share/zsh/site-functions/_resq-flame \
         share/fish/vendor_completions.d/resq-flame.fish; do
    rf_check "installed $f" test -s "$P/$f"
done
rf_check "the installed binary runs" "$P/bin/resq-flame" --version
printf 'main;work 3\n' | "$P/bin/resq-flame" -q collapse - >"$tmp/out.folded"
rf_expect_eq "the installed binary works" "main;work 3" "$(cat "$tmp/out.folded")"
rf_check "the installed header compiles" cc -std=c99 -fsyntax-only -I"$P/include" -x c - <<<'#include <resq_flame.h>
int main(void) { return rf_profile_new(0) == 0; }'
got=$(bash -c "source '$P/share/bash-completion/completions/resq-flame'; COMP_WORDS=(resq-flame hc); COMP_CWORD=1; _resq_flame; echo \"\${COMPREPLY[*]}\"")
rf_expect_eq "the installed bash completion completes" "hce" "$got"
if command -v man >/dev/null; then
    MANPATH=$P/share/man man -P cat resq-flame 2>/dev/null | grep -q "resq-flame" \
        && rf_pass "man finds the installed page" || rf_fail "man finds the installed page"
fi

make -s uninstall PREFIX="$P" >/dev/null 2>&1
rf_expect_eq "make uninstall removes every file" "" "$(find "$P" -type f)"
rf_summary
