/* bpftrace, DTrace, austin and py-spy readers and rf_detect_format ([rf:text] in
   resq_flame.h), on the real captures in ../shared/testdata/real and on small inputs for
   each rule. Totals are recomputed here from the raw text by the simplest possible scan,
   so a parser that drops or double-counts a sample fails. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

static rf_profile *parse_as(rf_format f, const char *data, size_t n, rf_parse_options *o, rf_parse_stats *st) {
    rf_parse_options def;
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps;
    rf_error err;
    if (!o) { memset(&def, 0, sizeof def); o = &def; }
    o->format = f;
    ps = rf_parser_new(p, o);
    assert_int_equal(rf_parser_feed(ps, data, n, &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    if (st) *st = *rf_parser_stats(ps);
    rf_parser_free(ps);
    return p;
}

/* folded text, and the same input fed one byte at a time must give the same */
static char *fold_as(rf_format f, const char *data, size_t n, rf_parse_options *o, rf_parse_stats *st) {
    rf_profile *p = parse_as(f, data, n, o, st), *q = rf_profile_new(NULL);
    char *a = rf_test_folded(p), *b;
    rf_error err;
    assert_int_equal(rf_test_parse(q, data, n, o, 1, &err), RF_OK);
    b = rf_test_folded(q);
    assert_string_equal(a, b);
    free(b);
    rf_profile_free(p);
    rf_profile_free(q);
    return a;
}

static void check_as(rf_format f, const char *in, const char *want) {
    char *got = fold_as(f, in, strlen(in), NULL, NULL);
    assert_string_equal(got, want);
    free(got);
}

static char *read_data(const char *rel, size_t *n) { return rf_test_read(rf_test_data(rel), n); }

/* ---- bpftrace ---- */

/* Sum of "]: N" values, straight from the text. */
static int64_t bpf_total(const char *s) {
    int64_t t = 0;
    const char *p = s;
    while ((p = strstr(p, "]: ")) != NULL) { t += strtoll(p + 3, NULL, 10); p += 3; }
    return t;
}

static void test_bpftrace_real(void **state) {
    static const char *const files[] = {"real/bpftrace-c_kustack.txt", "real/bpftrace-c_perfmode.txt",
                                        "real/bpftrace-c_tuple.txt", "real/bpftrace-c_oneline.txt",
                                        "real/bpftrace-c_named.txt"};
    size_t i, n;
    (void)state;
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *data = read_data(files[i], &n);
        rf_parse_stats st;
        rf_profile *p = parse_as(RF_FORMAT_BPFTRACE, data, n, NULL, &st);
        char *got = rf_test_folded(p);
        assert_int_equal(rf_detect_format(data, n), RF_FORMAT_BPFTRACE);
        assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), bpf_total(data));
        /* offsets and perf-mode addresses/modules are gone */
        assert_null(strstr(got, "+2"));
        assert_null(strstr(got, " (/"));
        assert_null(strstr(got, ";ffffffff8"));
        assert_null(strstr(got, "\nffffffff8"));
        if (i == 0) /* kstack then ustack in the key: the user stack is the root side */
            assert_non_null(strstr(got, "\n0x443b031b01006f;__GI___libc_open;entry_SYSCALL_64_after_hwframe;do_syscall_64;"
                                        "__x64_sys_openat;do_sys_openat2;do_filp_open;path_openat;link_path_walk 1\n"));
        if (i == 2) /* comm and pid are root frames; leaf+12/+29/+32 merge */
            assert_non_null(strstr(got, "spin;23643;__libc_start_call_main;main;leaf 69\n"));
        if (i == 3) assert_non_null(strstr(got, "\nspin;leaf 166\n"));
        if (i == 4) { /* the histogram map is not a stack map: its 9 lines are skipped and counted */
            assert_int_equal(st.skipped, 9);
            assert_non_null(strstr(got, "\nmain;leaf 96\n"));
        }
        free(got);
        rf_profile_free(p);
        free(data);
    }
}

static void test_bpftrace_rules(void **state) {
    rf_parse_stats st;
    char *got;
    const char *bad = "@[\n    f+1\n]: x\n@[\n    g+1\n\n@[x]: -1\n@[\n    h+1\n]: 2\n@[\n    open+3";
    (void)state;
    /* trailing scalar after a stack, newer "[inlined]" and "+off@file:line" frames, symbol
       versions kept, CRLF, named maps merged */
    check_as(RF_FORMAT_BPFTRACE,
             "Attaching 1 probe...\r\n\r\n@[\r\n    [inlined] inner\r\n    spin+37@/src/spin.c:14\r\n"
             "    fopen@@GLIBC_2.2.5+254\r\n, spin]: 5\r\n@x[\n\tffff k+1\n, \n\t55 u+2 (/bin/u (deleted))\n]: 2\n",
             "spin;fopen@@GLIBC_2.2.5;spin;inner 5\nu;k 2\n");
    /* malformed entries are skipped and counted, the good one survives */
    got = fold_as(RF_FORMAT_BPFTRACE, bad, strlen(bad), NULL, &st);
    assert_string_equal(got, "h 2\n");
    assert_int_equal(st.skipped, 4); /* bad value, unclosed key, negative value, cut at the end */
    free(got);
}

/* ---- DTrace ---- */

static void test_dtrace(void **state) {
    size_t n;
    char *data = read_data("flamegraph-pl/example-dtrace-stacks.txt", &n), *got;
    rf_profile *p;
    const char *s;
    int64_t total = 0;
    (void)state;
    for (s = data; *s;) { /* count lines: only digits after the indentation */
        const char *e = strchr(s, '\n'), *q = s;
        if (!e) e = s + strlen(s);
        while (q < e && *q == ' ') q++;
        if (q < e && strspn(q, "0123456789") == (size_t)(e - q)) total += strtoll(q, NULL, 10);
        s = *e ? e + 1 : e;
    }
    assert_int_equal(rf_detect_format(data, n), RF_FORMAT_DTRACE);
    p = parse_as(RF_FORMAT_DTRACE, data, n, NULL, NULL);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), total);
    got = rf_test_folded(p);
    assert_non_null(strstr(got, "unix`sys_syscall;genunix`open;genunix`openat;genunix`copen;genunix`vn_openat;genunix`lookupnameat;"
                                "genunix`lookupnameatcred;genunix`lookuppnatcred;genunix`lookuppnvp;genunix`vn_rele;"
                                "genunix`fop_inactive;lofs`lo_inactive;lofs`freelonode;genunix`vn_free;"
                                "genunix`kmem_cache_free;genunix`kmem_cpu_reload "));
    free(got);
    rf_profile_free(p);
    free(data);
    /* stackcollapse.pl's rules: offset from the last '+', C++ arguments cut after two bytes,
       empty frame "-"; without the dtrace banner no line is lost */
    check_as(RF_FORMAT_DTRACE,
             "  libc.so.1`main+0x10\n  libfoo.so`ns::f(int)+0x22\n  a`operator<<(x)+0x1\n  +0x5\n  3\n\n"
             "  libc.so.1`main+0x10\n  7\n",
             "-;a`operator;libfoo.so`ns::f;libc.so.1`main 3\nlibc.so.1`main 7\n");
}

/* ---- austin ---- */

/* Sum of the first metric field of sample lines (positive part when pos != 0). */
static int64_t austin_sum(const char *s, int field, int sign) {
    int64_t t = 0;
    while (*s) {
        const char *e = strchr(s, '\n'), *sp;
        if (!e) e = s + strlen(s);
        if (*s != '#' && e > s) {
            int64_t v[3] = {0, 0, 0};
            int k;
            sp = e;
            while (sp > s && sp[-1] != ' ') sp--;
            if (memchr(sp, ',', (size_t)(e - sp))) { /* 3.x full: a,b,c */
                sscanf(sp, "%lld,%lld,%lld", (long long *)&v[0], (long long *)&v[1], (long long *)&v[2]);
            } else {
                v[0] = strtoll(sp, NULL, 10);
            }
            k = field;
            if (sign == 0 || (sign > 0 && v[k] > 0)) t += v[k];
            else if (sign < 0 && v[k] < 0) t -= v[k];
        }
        s = *e ? e + 1 : e;
    }
    return t;
}

static void test_austin_real(void **state) {
    size_t n;
    char *data, *got;
    rf_profile *p;
    rf_parse_options o;
    (void)state;
    /* 3.x full mode: time is the first field; 3.x frames "file:func:line" -> "func (file:line)" */
    data = read_data("real/austin370-full.txt", &n);
    assert_int_equal(rf_detect_format(data, n), RF_FORMAT_AUSTIN);
    p = parse_as(RF_FORMAT_AUSTIN, data, n, NULL, NULL);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), austin_sum(data, 0, 0));
    assert_string_equal(rf_profile_unit(p), "microseconds");
    got = rf_test_folded(p);
    assert_non_null(strstr(got, "<module> (/srv/app/py/busy.py:17);alloc (/srv/app/py/busy.py:10);"
                                "alloc.<locals>.<listcomp> (/srv/app/py/busy.py:10) "));
    free(got);
    rf_profile_free(p);
    /* threads option: process and thread root frames */
    memset(&o, 0, sizeof o);
    o.austin.threads = 1;
    got = fold_as(RF_FORMAT_AUSTIN, data, n, &o, NULL);
    assert_non_null(strstr(got, "process 12910;thread 0:12910;<module> (/srv/app/py/busy.py:17) "));
    free(got);
    free(data);
    /* 3.x memory: bytes; allocations by default, frees on request */
    data = read_data("real/austin370-mem.txt", &n);
    p = parse_as(RF_FORMAT_AUSTIN, data, n, NULL, NULL);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), austin_sum(data, 0, 1));
    assert_string_equal(rf_profile_unit(p), "bytes");
    rf_profile_free(p);
    memset(&o, 0, sizeof o);
    o.austin.frees = 1;
    p = parse_as(RF_FORMAT_AUSTIN, data, n, &o, NULL);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), austin_sum(data, 0, -1));
    rf_profile_free(p);
    free(data);
    /* 1.x memory (KB, scaled to bytes): the mode is not in the file, so it is an option */
    data = read_data("real/austin101-mem.txt", &n);
    assert_int_equal(rf_detect_format(data, n), RF_FORMAT_AUSTIN);
    memset(&o, 0, sizeof o);
    o.austin.metric = RF_AUSTIN_METRIC_MEMORY;
    p = parse_as(RF_FORMAT_AUSTIN, data, n, &o, NULL);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), austin_sum(data, 0, 1) * 1024);
    got = rf_test_folded(p);
    assert_non_null(strstr(got, "<module> (busy.py:14);middle (busy.py:8);leaf (busy.py:5) ")); /* L-frames folded */
    free(got);
    rf_profile_free(p);
    free(data);
    /* 1.x full: "TIME MEM+ MEM-", time kept */
    data = read_data("real/austin101-full.txt", &n);
    p = parse_as(RF_FORMAT_AUSTIN, data, n, NULL, NULL);
    {
        int64_t t = 0;
        const char *s = data;
        while (*s) { /* third-last field */
            const char *e = strchr(s, '\n'), *q;
            int spaces = 0;
            if (!e) e = s + strlen(s);
            q = e;
            while (q > s && spaces < 3) { q--; if (*q == ' ') spaces++; }
            if (spaces == 3) t += strtoll(q + 1, NULL, 10);
            s = *e ? e + 1 : e;
        }
        assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), t);
    }
    rf_profile_free(p);
    free(data);
}

static void test_austin_rules(void **state) {
    rf_parse_options o;
    char *got;
    const char *v1 = "Process 7;Thread 0x1;main (a.py);L3;f (a.py);L9 10\nThread 0x1 5\nThread 0x1;g (b.py:4) 2\n";
    (void)state;
    check_as(RF_FORMAT_AUSTIN, v1, "[no Python frames] 5\ng (b.py:4) 2\nmain (a.py:3);f (a.py:9) 10\n");
    memset(&o, 0, sizeof o);
    o.austin.no_lines = 1;
    o.austin.threads = 1;
    got = fold_as(RF_FORMAT_AUSTIN, v1, strlen(v1), &o, NULL);
    assert_string_equal(got, "process 7;thread 0x1;main (a.py);f (a.py) 10\nthread 0x1;[no Python frames] 5\nthread 0x1;g (b.py) 2\n");
    free(got);
    /* 3.x: file names with ':' and spaces split from the right; GC marker; malformed metric skipped */
    check_as(RF_FORMAT_AUSTIN,
             "# austin: 3.7.0\n# mode: cpu\n\nP1;T0:1;C:\\app\\x y.py:run:5;<frozen os>:walk:9 40\nP1;T0:1;a.py:f:1 zz\n\n# duration: 9\n",
             "run (C:\\app\\x y.py:5);walk (<frozen os>:9) 40\n");
}

/* ---- py-spy raw: the folded reader, frames "name (file:line)" with spaces and ';' in paths */
static void test_pyspy_raw(void **state) {
    const char *in =
        "process 4242:\"python3 busy.py --n 3\";thread (4242): MainThread;<module> (busy.py:14);middle (busy.py:8);leaf (busy.py:5) 231\n"
        "process 4242:\"python3 busy.py --n 3\";thread (4242): MainThread;<module> (busy.py:14);middle (busy.py:8) 12\n"
        "process 4242:\"python3 busy.py --n 3\";thread (4243): worker;run (/usr/lib/python3.11/threading.py:975);sleep 7\n"
        "<module> (busy.py:14);middle (busy.py:8);leaf (busy.py:5) 4\n";
    rf_profile *p = rf_profile_new(NULL);
    rf_error err;
    char *got;
    (void)state;
    assert_int_equal(rf_detect_format(in, strlen(in)), RF_FORMAT_FOLDED);
    assert_int_equal(rf_parse(p, in, strlen(in), NULL, &err), RF_OK); /* auto-detected */
    got = rf_test_folded(p);
    assert_string_equal(got,
        "<module> (busy.py:14);middle (busy.py:8);leaf (busy.py:5) 4\n"
        "process 4242:\"python3 busy.py --n 3\";thread (4242): MainThread;<module> (busy.py:14);middle (busy.py:8) 12\n"
        "process 4242:\"python3 busy.py --n 3\";thread (4242): MainThread;<module> (busy.py:14);middle (busy.py:8);leaf (busy.py:5) 231\n"
        "process 4242:\"python3 busy.py --n 3\";thread (4243): worker;run (/usr/lib/python3.11/threading.py:975);sleep 7\n");
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 254);
    free(got);
    rf_profile_free(p);
}

/* ---- detection ---- */
static void detect_file(const char *rel, rf_format want) {
    size_t n;
    char *data = read_data(rel, &n);
    assert_int_equal(rf_detect_format(data, n < 4096 ? n : 4096), want);
    free(data);
}

static void detect_text(const char *s, rf_format want) { assert_int_equal(rf_detect_format(s, strlen(s)), want); }

static void test_detect(void **state) {
    static const unsigned char pb_text_like[] = {0x0a, 0x0a, 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l'};
    (void)state;
    detect_file("real/node20.cpuprofile", RF_FORMAT_V8_CPUPROFILE);
    detect_file("real/bun144.cpuprofile", RF_FORMAT_V8_CPUPROFILE);
    detect_file("real/node20.heapprofile", RF_FORMAT_V8_HEAPPROFILE);
    detect_file("real/go119-cpu.pb.gz", RF_FORMAT_PPROF);
    detect_file("real/mini-handmade.pb", RF_FORMAT_PPROF);
    detect_file("real/perf-script-inline.txt", RF_FORMAT_PERF_SCRIPT);
    detect_file("real/perf-script-sched_switch.txt", RF_FORMAT_PERF_SCRIPT);
    detect_file("flamegraph-pl/test/perf-java-stacks-02.txt", RF_FORMAT_PERF_SCRIPT);
    detect_file("flamegraph-pl/test/perf-numa-stacks-01.txt", RF_FORMAT_PERF_SCRIPT); /* "# ====" header first */
    detect_file("real/austin370-mem.txt", RF_FORMAT_AUSTIN);
    detect_file("real/austin101-full.txt", RF_FORMAT_AUSTIN);
    detect_file("real/bpftrace-c_oneline.txt", RF_FORMAT_BPFTRACE);
    detect_file("flamegraph-pl/example-dtrace-stacks.txt", RF_FORMAT_DTRACE);
    detect_file("inferno/collapse-perf/example-perf-stacks-collapsed.txt", RF_FORMAT_FOLDED);
    detect_file("real/go119-cpu.expected.folded", RF_FORMAT_FOLDED);
    detect_text("{\"$schema\": \"https://www.speedscope.app/file-format-schema.json\", \"profiles\": []}", RF_FORMAT_SPEEDSCOPE);
    detect_text("{\"exporter\":\"x\",\"shared\":{\"frames\":[]},\"profiles\":[]}", RF_FORMAT_SPEEDSCOPE);
    detect_text("{\"id\":7,\"result\":{\"profile\":{\"nodes\":[{\"id\":1}],\"samples\":[]}}}", RF_FORMAT_V8_CPUPROFILE);
    detect_text("{\"id\":9,\"result\":{\"profile\":{\"head\":{\"callFrame\":{}}}}}", RF_FORMAT_V8_HEAPPROFILE);
    detect_text("{\"method\":\"ScriptProfiler.trackingComplete\",\"params\":{\"samples\":{\"stackTraces\":[]}}}", RF_FORMAT_JSC_SAMPLES);
    detect_text("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg version=\"1.1\">", RF_FORMAT_SVG);
    detect_text("<svg xmlns=\"http://www.w3.org/2000/svg\">", RF_FORMAT_SVG);
    detect_text("a;b;c 12\na;b 3\n", RF_FORMAT_FOLDED);
    detect_text("a;b 1 2\n", RF_FORMAT_FOLDED);
    detect_text("spin 24280   904.733542:    2004008 cpu-clock:ppp: \n\t    1165 leaf+0xc (/srv/spin)\n\n", RF_FORMAT_PERF_SCRIPT);
    detect_text("P1;T0:1;a.py:f:1 10\n", RF_FORMAT_AUSTIN);
    /* unknown: the lead's error lists what is supported */
    detect_text("", RF_FORMAT_AUTO);
    detect_text("hello world\nthis is prose\n", RF_FORMAT_AUTO);
    detect_text("{\"just\": \"json\"}", RF_FORMAT_AUTO);
    detect_text("<html><body></body></html>", RF_FORMAT_AUTO);
    assert_int_equal(rf_detect_format(pb_text_like, sizeof pb_text_like), RF_FORMAT_AUTO);
    assert_int_equal(rf_detect_format("a\0b 1\n", 6), RF_FORMAT_AUTO);
    assert_int_equal(rf_detect_format(NULL, 4), RF_FORMAT_AUTO);
}

/* Allocation failure at every step of each reader: OUT_OF_MEMORY, never a crash or a leak. */
static void test_allocation_failures(void **state) {
    static const struct { rf_format f; const char *in; } cases[] = {
        {RF_FORMAT_BPFTRACE, "@[spin, \n    f+1\n    g+2\n]: 3\n@[a, b]: 4\n@h:\n[1, 2) 3 |@|\n"},
        {RF_FORMAT_DTRACE, "  a`f+0x1\n  b`g(int)+0x2\n  5\n"},
        {RF_FORMAT_AUSTIN, "# austin: 3.7.0\n# mode: wall\nP1;T0:1;a.py:f:1;a.py:g:2 10\n"},
        {RF_FORMAT_AUSTIN, "Thread 1;f (a.py);L1;g (a.py);L2 10\n"},
    };
    size_t c;
    long k;
    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (k = 0; k < 300; k++) {
            rf_test_alloc ta = {0, 0, 0, 0, 0, 0};
            rf_allocator al;
            rf_profile *p;
            rf_parse_options o;
            rf_error err;
            rf_result r;
            memset(&o, 0, sizeof o);
            o.format = cases[c].f;
            o.austin.threads = 1;
            ta.fail_at = k;
            al = rf_test_allocator(&ta);
            p = rf_profile_new(&al);
            if (!p) continue;
            r = rf_parse(p, cases[c].in, strlen(cases[c].in), &o, &err);
            assert_true(r == RF_OK || r == RF_ERR_OUT_OF_MEMORY);
            rf_profile_free(p);
            assert_int_equal(ta.live_blocks, 0);
            if (r == RF_OK && ta.count <= k) break;
        }
    }
}

/* Regression input found by tests/fuzz/fuzz_text.c (first byte = format/option bits, as
   there): an austin frame with an empty function name interned from a NULL scratch buffer. */
static const unsigned char fuzz_austin_empty_frame[234] = {
    0x03, 0x23, 0x20, 0x61, 0x75, 0x73, 0x74, 0x69, 0x6e, 0x3a, 0x20, 0x33, 0x2e, 0x37, 0x2e, 0x30,
    0x0a, 0x33, 0x20, 0x69, 0x6e, 0x74, 0x65, 0x72, 0x76, 0x61, 0x6c, 0x3a, 0x20, 0x31, 0x30, 0x30,
    0x0a, 0x23, 0x20, 0x6d, 0x6f, 0x64, 0x65, 0x0a, 0x0a, 0x50, 0x31, 0x32, 0x39, 0xd4, 0xd4, 0xd4,
    0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4,
    0xd4, 0xd4, 0xd4, 0x23, 0x20, 0x6d, 0x6f, 0x64, 0x65, 0x3a, 0x20, 0x6d, 0x65, 0x6d, 0x72, 0x63,
    0x68, 0x69, 0x6e, 0x67, 0x20, 0x32, 0x34, 0x30, 0x0a, 0x34, 0x32, 0x38, 0x36, 0x39, 0x0a, 0x3a,
    0x3a, 0x20, 0x31, 0x0a, 0x40, 0x5b, 0x07, 0x70, 0x03, 0x23, 0x20, 0x61, 0x75, 0x73, 0x74, 0x69,
    0x6e, 0x3a, 0x20, 0x33, 0x2e, 0x37, 0x2e, 0x30, 0x0a, 0x33, 0x20, 0x69, 0x6e, 0x74, 0x65, 0x72,
    0x76, 0x61, 0x6c, 0x3a, 0x20, 0x31, 0x30, 0x30, 0x0a, 0x23, 0x20, 0x6d, 0x6f, 0x64, 0x65, 0x0a,
    0x0a, 0x50, 0x31, 0x32, 0x39, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4,
    0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0xd4, 0x23, 0x20, 0x6d, 0x6f, 0x64,
    0x65, 0x3a, 0x20, 0x6d, 0x65, 0x6d, 0x72, 0x63, 0x68, 0x69, 0x6e, 0x67, 0x20, 0x32, 0x34, 0x30,
    0x0a, 0x34, 0x32, 0x38, 0x36, 0x39, 0x0a, 0x3a, 0x3a, 0x20, 0x31, 0x0a, 0x40, 0x5b, 0x07, 0x70,
    0x69, 0xff, 0x6e, 0x2c, 0x20, 0x5f, 0x66, 0x3c, 0x6e, 0x64, 0x5f, 0x32, 0x33, 0x69, 0xff, 0x6e,
    0x2c, 0x20, 0x5f, 0x66, 0x3c, 0x6e, 0x64, 0x5f, 0x32, 0x33};

static void test_fuzz_regressions(void **state) {
    rf_parse_options o;
    rf_profile *a = rf_profile_new(NULL), *b = rf_profile_new(NULL);
    rf_error err;
    rf_result ra, rb;
    uint8_t flags = fuzz_austin_empty_frame[0];
    (void)state;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_AUSTIN; /* flags & 3 == 3 in the harness: auto-detect, which finds austin */
    assert_int_equal(flags & 3, 3);
    assert_int_equal(rf_detect_format(fuzz_austin_empty_frame + 1, sizeof fuzz_austin_empty_frame - 1), RF_FORMAT_AUSTIN);
    o.austin.threads = (flags >> 2) & 1;
    o.austin.metric = (flags >> 3) & 3;
    o.austin.frees = (flags >> 5) & 1;
    o.austin.no_lines = (flags >> 6) & 1;
    o.strict = (flags >> 7) & 1;
    ra = rf_test_parse(a, (const char *)fuzz_austin_empty_frame + 1, sizeof fuzz_austin_empty_frame - 1, &o, 0, &err);
    rb = rf_test_parse(b, (const char *)fuzz_austin_empty_frame + 1, sizeof fuzz_austin_empty_frame - 1, &o, 1, &err);
    assert_int_equal(ra, rb);
    rf_profile_free(a);
    rf_profile_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bpftrace_real),  cmocka_unit_test(test_bpftrace_rules),
        cmocka_unit_test(test_dtrace),         cmocka_unit_test(test_austin_real),
        cmocka_unit_test(test_austin_rules),   cmocka_unit_test(test_pyspy_raw),
        cmocka_unit_test(test_detect),         cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_fuzz_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
