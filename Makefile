# resq-flame — build, test, benchmark. `make help` lists the targets.
CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -pedantic -Werror
STRICT  := $(WARN) -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes
BUILD   ?= build
PREFIX  ?= /usr/local
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CLI_SRC := $(wildcard examples/resq-flame/*.c examples/resq-flame/collect/*.c)
CLI_HDR := $(wildcard examples/resq-flame/*.h examples/resq-flame/collect/*.h)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOLS_SRC := $(wildcard tools/bench_*.c tools/gen_*.c)
TOOLS_BIN := $(patsubst tools/%.c,$(BUILD)/tools/%,$(TOOLS_SRC))
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)

.PHONY: all cli examples test unit check-compile check-symbols demo bench asan ubsan valgrind \
        fuzz install uninstall clean deps-build deps-test deps-demo deps-bench deps-fuzz deps-all \
        workloads help
all: cli examples

help:
	@echo "make            build build/resq-flame and the examples"
	@echo "make demo       profile a bundled workload with perf (or render a bundled capture)"
	@echo "make test       every test (installs what it needs: tools/deps.sh test)"
	@echo "make bench      throughput benchmarks (MiB/s, peak RSS)"
	@echo "make asan|ubsan|valgrind|fuzz   the unit suite under sanitizers / valgrind / libFuzzer"
	@echo "make install PREFIX=/usr/local  header, binary, man page, completions"

deps-build:
	@tools/deps.sh build
deps-test:
	@tools/deps.sh test
deps-demo:
	@tools/deps.sh demo
deps-bench:
	@tools/deps.sh bench
deps-fuzz:
	@tools/deps.sh fuzz
deps-all:
	@tools/deps.sh all

# Profiling workloads: fixed flags, never $(CFLAGS) (-O2 would change the profile's shape).
WORKLOAD_CFLAGS := -std=c99 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -pedantic -Werror
WORKLOADS := $(BUILD)/workloads/hot $(BUILD)/workloads/offcpu
workloads: $(WORKLOADS)
$(BUILD)/workloads/%: tests/workloads/%.c | $(BUILD)/.dirs
	@mkdir -p $(@D)
	$(CC) $(WORKLOAD_CFLAGS) $< -o $@

cli: $(BUILD)/resq-flame
$(BUILD)/resq-flame: $(CLI_SRC) $(CLI_HDR) resq_flame.h | $(BUILD)/.dirs
	$(CC) -std=c99 $(CFLAGS) $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -Iexamples/resq-flame \
	    $(CLI_SRC) -o $@ $(CURL_LIBS) -lpthread -lm

examples: $(BUILD)/minimal $(BUILD)/embed_service
$(BUILD)/minimal: examples/minimal.c resq_flame.h | $(BUILD)/.dirs
	$(CC) -std=c99 $(CFLAGS) $(STRICT) -I. $< -o $@
$(BUILD)/embed_service: examples/embed_service.c resq_flame.h | $(BUILD)/.dirs
	$(CC) -std=gnu99 $(CFLAGS) $(WARN) -fno-omit-frame-pointer -rdynamic -I. $< -o $@ -lpthread -ldl

# A stamp file, not the directory: build/ may already exist (CI tees its log there) without
# the subdirectories the rules write into.
$(BUILD)/.dirs:
	@mkdir -p $(BUILD)/tests $(BUILD)/tools $(BUILD)/test-logs $(BUILD)/test-artifacts
	@touch $@

# ---- tests -------------------------------------------------------------------
unit: $(UNIT_BIN)
$(BUILD)/tests/test_%: tests/unit/test_%.c resq_flame.h tests/unit/rf_test.h | $(BUILD)/.dirs
	$(CC) -std=c99 $(CFLAGS) $(WARN) $(TEST_CFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -Itests/unit $< -o $@ -lcmocka -lpthread -lm

# the allocator test compiles the CLI's allocator in
$(BUILD)/tests/test_alloc: examples/resq-flame/alloc.c

# Compile checks: C99 and C++11 on gcc and clang, the stricter warning set,
# two translation units, RF_STATIC, a custom RF_MALLOC, the README example.
check-compile: | $(BUILD)/.dirs
	@tests/compile/check.sh

check-symbols: | $(BUILD)/.dirs
	@tests/compile/check_symbols.sh

test: deps-test all unit $(TOOLS_BIN) workloads
	@tests/run_all.sh

demo: deps-demo all $(BUILD)/workloads/hot
	@RF_BUILD=$(BUILD) tools/demo.sh

bench: deps-bench all $(TOOLS_BIN)
	@tools/bench.sh

$(BUILD)/tools/bench_pprof: examples/resq-flame/alloc.c
$(BUILD)/tools/%: tools/%.c resq_flame.h | $(BUILD)/.dirs
	$(CC) -std=c99 -O2 -g $(WARN) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. $< -o $@ -lpthread -lm

# make asan also runs the CLI's byte-for-byte collapse suite and the SVG well-formedness suite
# on sanitized binaries (its SVG renderer is the bench_svg tool: built here with CC carrying
# $(SAN), since the tools rule has fixed flags).
asan:
	$(MAKE) BUILD=build/asan CFLAGS="-O1 -g $(SAN)" unit cli
	$(MAKE) BUILD=build/asan CC="$(CC) $(SAN)" build/asan/tools/bench_svg
	RF_BUILD=build/asan RF_SVG_RENDER=build/asan/tools/bench_svg tests/run_all.sh --unit-only \
	    tests/conformance/test_perf_collapse.sh tests/svg/test_xmllint.sh
ubsan:
	$(MAKE) BUILD=build/ubsan CFLAGS="-O1 -g -fsanitize=undefined -fno-sanitize-recover=all" unit cli
	RF_BUILD=build/ubsan tests/run_all.sh --unit-only
valgrind:
	$(MAKE) BUILD=build/valgrind CFLAGS="-O1 -g" unit cli
	RF_BUILD=build/valgrind RF_WRAP="valgrind -q --error-exitcode=99 --leak-check=full" tests/run_all.sh --unit-only

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
fuzz: deps-fuzz | $(BUILD)/.dirs
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

# Completions are generated by the binary just built, so they always match its options.
COMPL_BASH := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
COMPL_ZSH  := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
COMPL_FISH := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
install: all
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(COMPL_BASH) $(COMPL_ZSH) $(COMPL_FISH)
	install -m 644 resq_flame.h $(DESTDIR)$(PREFIX)/include/resq_flame.h
	install -m 755 $(BUILD)/resq-flame $(DESTDIR)$(PREFIX)/bin/resq-flame
	install -m 644 examples/resq-flame/resq-flame.1 $(DESTDIR)$(PREFIX)/share/man/man1/resq-flame.1
	$(BUILD)/resq-flame completions bash > $(COMPL_BASH)/resq-flame
	$(BUILD)/resq-flame completions zsh > $(COMPL_ZSH)/_resq-flame
	$(BUILD)/resq-flame completions fish > $(COMPL_FISH)/resq-flame.fish
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/resq_flame.h $(DESTDIR)$(PREFIX)/bin/resq-flame \
	    $(DESTDIR)$(PREFIX)/share/man/man1/resq-flame.1 $(COMPL_BASH)/resq-flame \
	    $(COMPL_ZSH)/_resq-flame $(COMPL_FISH)/resq-flame.fish

clean:
	rm -rf $(BUILD) flamegraph.svg
