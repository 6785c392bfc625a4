#!/usr/bin/env bash
# tools/deps.sh PROFILE...   install what resq-flame needs, from Debian's apt and npm only.
#
# Profiles: build demo test bench fuzz browser peers, or all.
# Idempotent and fast when everything is there: one dpkg-query, no apt-get update. Only when
# a package is missing does it run apt-get update + install (non-interactive), printing one line
# per package with what it is for. As root it installs; otherwise it uses `sudo -n` when that
# works, else prints the exact command to run and exits 3 (exit code 3 = a tool is missing).
# npm packages (playwright-core, bun) go to tests/node_modules from tests/package-lock.json.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../tests/lib/peers.sh
. "$ROOT/tests/lib/peers.sh"   # for rf_find_python_for_austin, shared with the tests

usage() {
    echo "usage: tools/deps.sh PROFILE...   (build demo test bench fuzz browser peers all)" >&2
    exit 1
}
[ $# -gt 0 ] || usage

say() { printf 'deps: %s\n' "$*"; }

# ---- what each profile needs -------------------------------------------------------------
declare -A WHY=()      # Debian package -> what it is for
ORDER=()               # packages in the order they were first asked for
NEED_NODE=0            # node + npm, and tests/node_modules from package-lock.json
CHECK_PERF=0
CHECK_PYTHON=0

pkg() {
    local name=$1; shift
    if [ -z "${WHY[$name]+set}" ]; then ORDER+=("$name"); WHY[$name]="$*"; fi
}

profile_build() {
    pkg gcc                  "C compiler for the header, the CLI and the examples"
    pkg make                 "the build"
    pkg libc6-dev            "C library headers"
    pkg libcurl4-openssl-dev "libcurl: the CLI's HTTP collectors (hce, api, memory, explain)"
}
profile_demo() {
    profile_build
    pkg linux-perf           "perf record/script: make demo profiles tests/workloads/hot.c"
    CHECK_PERF=1
}
profile_fuzz() {
    profile_build
    pkg clang                "clang 14: -fsanitize=fuzzer,address,undefined builds"
    pkg libclang-rt-14-dev   "clang 14's runtimes: libFuzzer, ASan, UBSan, LSan"
}
profile_browser() {
    pkg chromium             "Debian's Chromium, driven by playwright-core for the SVG's JavaScript tests"
    pkg fonts-dejavu-core    "a font, so SVG text renders in headless screenshots"
    NEED_NODE=1
}
profile_peers() {
    pkg curl                 "peer smoke tests talk HTTP to the peers"
    pkg golang-go            "Go 1.19: the pprof peer (runtime/pprof, net/http/pprof) and go tool pprof oracle"
    pkg austin               "Austin 1.0.1: Python frame stack sampler (needs CPython <= 3.8)"
    NEED_NODE=1              # node: the HCE peer and node --cpu-prof/--inspect; bun from npm
    CHECK_PYTHON=1
}
profile_bench() {
    profile_build
    pkg xz-utils             "unpacks the shared bench capture (mixed-workload.perf-script.txt.xz)"
    pkg valgrind             "callgrind: instruction counts that do not depend on machine load"
    pkg hyperfine            "times whole CLI runs over repeated runs"
}
profile_test() {
    profile_build
    profile_demo
    profile_fuzz
    profile_browser
    profile_peers
    pkg libcmocka-dev        "cmocka: the C unit tests (tests/unit/test_*.c)"
    pkg libxml2-utils        "xmllint: every SVG we write must be well-formed XML"
    pkg xz-utils             "xz: compressed test inputs"
    pkg tmux                 "TUI tests: send-keys / capture-pane"
    pkg zsh                  "completion tests: the zsh script loads and registers"
    pkg fish                 "completion tests: fish completes commands, options and choices"
    pkg groff-base           "man page test: resq-flame.1 renders without warnings"
    pkg valgrind             "memcheck runs of the unit tests and the CLI"
}

for p in "$@"; do
    case $p in
        build|demo|test|bench|fuzz|browser|peers) "profile_$p" ;;
        all) profile_test; profile_bench ;;
        -h|--help) usage ;;
        *) echo "deps: unknown profile '$p'" >&2; usage ;;
    esac
done

# node: the image ships Node.js 20 with npm; install the apt candidate only when it is missing
# (npm is checked again after that, since some nodejs packages bring npm and others do not).
if [ "$NEED_NODE" = 1 ] && ! command -v node >/dev/null 2>&1; then
    pkg nodejs "Node.js: the HCE peer, node --cpu-prof / --inspect, playwright-core"
fi

# ---- apt ---------------------------------------------------------------------------------
installed_packages() {
    # Prints the names among "$@" that are fully installed ("ii"); unknown names print nothing.
    dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null | awk '$1 == "ii" { print $2 }'
}

APT_OPTS=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600
          -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
APT_UPDATED=0

# ensure_packages NAME...: installs those of NAME... that are missing; exit 3 when it cannot.
ensure_packages() {
    local name missing=() still=() sudo=() log="$ROOT/build/deps-apt.log"
    declare -A have=()
    while read -r name; do have[$name]=1; done < <(installed_packages "$@")
    for name in "$@"; do [ -n "${have[$name]+set}" ] || missing+=("$name"); done
    [ ${#missing[@]} -gt 0 ] || return 0
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            say "missing Debian packages: ${missing[*]}"
            say "run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install ${APT_OPTS[*]} ${missing[*]}"
            exit 3
        fi
    fi
    mkdir -p "$ROOT/build"
    for name in "${missing[@]}"; do say "installing $name: ${WHY[$name]:-}"; done
    export DEBIAN_FRONTEND=noninteractive
    if [ "$APT_UPDATED" = 0 ]; then
        "${sudo[@]}" apt-get update -q >"$log" 2>&1 || { tail -n 20 "$log" >&2; say "apt-get update failed (log: $log)"; exit 3; }
        APT_UPDATED=1
    fi
    if ! "${sudo[@]}" apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        say "apt-get install failed (full log: $log)"
        exit 3
    fi
    have=()
    while read -r name; do have[$name]=1; done < <(installed_packages "${missing[@]}")
    for name in "${missing[@]}"; do [ -n "${have[$name]+set}" ] || still+=("$name"); done
    if [ ${#still[@]} -gt 0 ]; then say "still missing after apt-get: ${still[*]} (log: $log)"; exit 3; fi
}

start=$EPOCHREALTIME
ensure_packages "${ORDER[@]}"
[ "$APT_UPDATED" = 1 ] || say "$*: all ${#ORDER[@]} Debian packages present"
if [ "$NEED_NODE" = 1 ] && ! command -v npm >/dev/null 2>&1; then
    pkg npm "npm: installs tests/package-lock.json into tests/node_modules"
    ensure_packages npm
fi

# ---- npm: tests/node_modules -------------------------------------------------------------
if [ "$NEED_NODE" = 1 ]; then
    node_major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$node_major" -lt 20 ]; then
        say "NOTE: node $(node --version) is older than 20, which playwright-core needs"
    fi
    stamp="$ROOT/tests/node_modules/.rf-lock.sha256"
    want=$(sha256sum <"$ROOT/tests/package-lock.json" | cut -d' ' -f1)
    bun_bin="$ROOT/tests/node_modules/.bin/bun"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$bun_bin" --version >/dev/null 2>&1; then
        say "installing npm packages into tests/node_modules (npm ci: playwright-core, bun)"
        mkdir -p "$ROOT/build"
        if ! npm ci --prefix "$ROOT/tests" --no-audit --no-fund --loglevel=error \
                >"$ROOT/build/deps-npm.log" 2>&1; then
            tail -n 20 "$ROOT/build/deps-npm.log" >&2
            say "npm ci failed (full log: build/deps-npm.log)"
            exit 3
        fi
        # bun's real binary comes from an optional dependency and is put in place by bun's
        # postinstall script; run that script again if the install skipped scripts.
        if ! "$bun_bin" --version >/dev/null 2>&1; then
            (cd "$ROOT/tests/node_modules/bun" && node install.js) >>"$ROOT/build/deps-npm.log" 2>&1 || true
        fi
        if ! "$bun_bin" --version >/dev/null 2>&1; then
            say "tests/node_modules/.bin/bun does not run (see build/deps-npm.log)"
            exit 3
        fi
        echo "$want" >"$stamp"
    fi
fi

# ---- checks that installing cannot fix ---------------------------------------------------
if [ "$CHECK_PERF" = 1 ] && command -v perf >/dev/null 2>&1; then
    # perf stat opens the same kinds of events as perf record in 10 ms (record takes ~1 s).
    tmp=$(mktemp -d)
    if ! perf stat -x, -e cpu-clock -- true >"$tmp/err" 2>&1; then
        say "NOTE: perf cannot open events here (perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?'), uid $(id -u)): $(grep -v '^$' "$tmp/err" | head -n 1 || true)"
        say "NOTE: perf tests will skip (and fail under CI=true); make demo uses the bundled capture."
        say "      fix as root: sysctl kernel.perf_event_paranoid=1 (or -1), or run as root"
    elif ! perf stat -x, -e sched:sched_switch -- true >"$tmp/err" 2>&1; then
        say "NOTE: perf cannot trace sched:sched_switch (offcpu/hotcold tests will skip): $(grep -v '^$' "$tmp/err" | head -n 1 || true)"
    fi
    rm -rf "$tmp"
fi

if [ "$CHECK_PYTHON" = 1 ]; then
    if ! rf_find_python_for_austin >/dev/null; then
        say "NOTE: no CPython <= 3.8 found (Debian 12 ships 3.11; Austin 1.0.1 cannot read it);"
        say "      the austin tests will skip (and fail under CI=true). The image's pyenv 3.8 is expected."
    fi
fi
say "$*: ready in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
exit 0
