#!/usr/bin/env bash
# Compile checks for the header: C99 and C++11 with gcc and clang under
# -Wall -Wextra -pedantic -Werror (and the stricter set for C), two translation
# units linked together, RF_STATIC in two units, a custom RF_MALLOC, RF_NO_STDIO,
# and the README's example program. Prints "N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
out=${RF_BUILD:-build}/compile
mkdir -p "$out"
pass=0; fail=0
check() { # description, command...
    local desc=$1; shift
    if "$@" >"$out/last.log" 2>&1; then pass=$((pass + 1)); echo "ok   $desc"
    else fail=$((fail + 1)); echo "FAIL $desc"; sed 's/^/     /' "$out/last.log" | head -20; fi
}
WARN="-Wall -Wextra -pedantic -Werror"
STRICT_C="$WARN -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual"
impl="$out/impl.c"
printf '#define RESQ_FLAME_IMPLEMENTATION\n#include "resq_flame.h"\n#include "resq_flame.h"\nint main(void) { return 0; }\n' > "$impl"
cp "$impl" "$out/impl.cpp"
for cc in gcc clang; do
    command -v $cc >/dev/null || { echo "SKIP $cc not installed"; continue; }
    check "$cc -std=c99 strict" $cc -std=c99 $STRICT_C -I. -c "$impl" -o "$out/impl.o"
    check "$cc -std=c11" $cc -std=c11 $WARN -I. -c "$impl" -o "$out/impl.o"
done
for cxx in g++ clang++; do
    command -v $cxx >/dev/null || { echo "SKIP $cxx not installed"; continue; }
    check "$cxx -std=c++11" $cxx -std=c++11 $WARN -Wshadow -I. -c "$out/impl.cpp" -o "$out/impl.o"
    check "$cxx -std=c++17" $cxx -std=c++17 $WARN -I. -c "$out/impl.cpp" -o "$out/impl.o"
done
# two translation units: one implementation, one user of the declarations
printf '#include "resq_flame.h"\nint user(void);\nint user(void) { rf_profile *p = rf_profile_new(0); int c = rf_profile_columns(p); rf_profile_free(p); return c; }\n' > "$out/user.c"
printf '#define RESQ_FLAME_IMPLEMENTATION\n#include "resq_flame.h"\nint user(void);\nint main(void) { return user() == 1 ? 0 : 1; }\n' > "$out/main2.c"
check "two translation units link" sh -c "gcc -std=c99 $WARN -I. $out/user.c $out/main2.c -o $out/two && $out/two"
# RF_STATIC: a private copy in each of two units, no clashes
printf '#define RF_STATIC\n#define RESQ_FLAME_IMPLEMENTATION\n#include "resq_flame.h"\nint a(void);\nint a(void) { return rf_profile_columns(0); }\n' > "$out/s1.c"
printf '#define RF_STATIC\n#define RESQ_FLAME_IMPLEMENTATION\n#include "resq_flame.h"\nint a(void);\nint main(void) { return a() == rf_profile_columns(0) ? 0 : 1; }\n' > "$out/s2.c"
check "RF_STATIC in two units" sh -c "gcc -std=c99 $STRICT_C -I. $out/s1.c $out/s2.c -o $out/static && $out/static"
# custom allocator macros and no stdio
printf '#include <stdlib.h>\nstatic int alloc_calls;\n#define RF_MALLOC(s) (alloc_calls++, malloc(s))\n#define RF_REALLOC(p,s) realloc(p,s)\n#define RF_FREE(p) free(p)\n#define RF_NO_STDIO\n#define RESQ_FLAME_IMPLEMENTATION\n#include "resq_flame.h"\nint main(void) { rf_profile *p = rf_profile_new(0); rf_profile_free(p); return alloc_calls > 0 ? 0 : 1; }\n' > "$out/alloc.c"
check "RF_MALLOC + RF_NO_STDIO" sh -c "gcc -std=c99 $WARN -I. $out/alloc.c -o $out/alloc && $out/alloc"
printf '#define RF_MALLOC(s) malloc(s)\n#define RESQ_FLAME_IMPLEMENTATION\n#include "resq_flame.h"\n' > "$out/partial.c"
check "partial RF_MALLOC set is rejected" sh -c "! gcc -std=c99 -I. -c $out/partial.c -o $out/partial.o"
# the README example (between the markers) must compile and work
if [ -f README.md ]; then
    sed -n '/<!-- example:begin -->/,/<!-- example:end -->/p' README.md | sed '1,2d;$d' | sed '$d' > "$out/readme.c"
    check "README example compiles" gcc -std=c99 $WARN -I. "$out/readme.c" -o "$out/readme"
    check "README example renders" sh -c "printf 'main;work 3\nmain;idle 1\n' | $out/readme > $out/readme.svg && grep -q '<svg' $out/readme.svg"
fi
# only rf_ symbols are exported
check "exports only rf_ symbols" sh -c "gcc -std=c99 -I. -c $impl -o $out/impl.o && ! nm -g --defined-only $out/impl.o | awk '{print \$3}' | grep -v -e '^rf_' -e '^main\$'"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
