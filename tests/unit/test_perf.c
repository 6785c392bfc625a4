/* `perf script` reader ([rf:text] in resq_flame.h): stackcollapse-perf.pl's rules one by one,
   the places where the Perl breaks, hostile input, off-CPU mode, the split/merge helpers.
   The byte-for-byte comparison with the 78 reference outputs is tests/conformance/
   test_perf_collapse.sh; here each rule has its own small input. */
#define RF_MAX_LINE ((size_t)1 << 20)      /* low, so the "100 MB line" case costs 2 MB */
#define RF__STK_MAX_IDS ((size_t)64)       /* low, so the unique-stack table flushes often */
#define RF__STK_MAX_ENTRIES ((size_t)8)
#define RF__PMEMO_MAX_BYTES ((size_t)256)  /* low, so the frame memo resets often */
#define RF__PMEMO_MAX_ENTRIES ((size_t)8)
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"
#include "../fuzz/perf_flags.h" /* the fuzz harness's option bits */

typedef struct warn_log { int count; char first[256]; } warn_log;

static void on_warn(void *ctx, const rf_error *w) {
    warn_log *l = (warn_log *)ctx;
    if (l->count++ == 0) snprintf(l->first, sizeof l->first, "%s|%s", w->message, w->detail);
}

static rf_parse_options perf_opts(void) {
    rf_parse_options o;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_PERF_SCRIPT;
    return o;
}

/* Parses text with o (one shot and one byte at a time: both must agree), returns folded. */
static char *fold_with(const char *text, rf_parse_options o, rf_parse_stats *stats) {
    rf_profile *p = rf_profile_new(NULL), *q = rf_profile_new(NULL);
    rf_parser *ps = rf_parser_new(p, &o);
    rf_error err;
    char *a, *b;
    size_t i, n = strlen(text);
    assert_int_equal(rf_parser_feed(ps, text, n, &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    if (stats) *stats = *rf_parser_stats(ps);
    rf_parser_free(ps);
    ps = rf_parser_new(q, &o);
    for (i = 0; i < n; i++) assert_int_equal(rf_parser_feed(ps, text + i, 1, &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    rf_parser_free(ps);
    a = rf_test_folded(p);
    b = rf_test_folded(q);
    assert_string_equal(a, b);
    free(b);
    rf_profile_free(p);
    rf_profile_free(q);
    return a;
}

static void check(const char *text, rf_parse_options o, const char *want) {
    char *got = fold_with(text, o, NULL);
    assert_string_equal(got, want);
    free(got);
}

#define HDR "spin 24280   904.733542:    2004008 cpu-clock:ppp: \n"

static void test_header_forms(void **state) {
    rf_parse_options o = perf_opts();
    (void)state;
    /* period is the weight; comm is the root; frames come leaf first */
    check(HDR "\t            1165 leaf+0xc (/srv/app/spin)\n\t            1189 main+0x1c (/srv/app/spin)\n\n",
          o, "spin;main;leaf 2004008\n");
    /* no period printed -> 1; comm with spaces -> '_'; pid/tid forms */
    check("V8 WorkerThread 25607 4794564.109216: cycles:\n\t 1 f (m)\n\n", o, "V8_WorkerThread;f 1\n");
    o.perf.pid = 1;
    check("V8 WorkerThread 25607 4794564.109216: cycles:\n\t 1 f (m)\n\n", o, "V8_WorkerThread-?;f 1\n");
    check("java 24636/25607 [000] 4794564.109216: 3 cycles:\n\t 1 f (m)\n\n", o, "java-24636;f 3\n");
    o.perf.tid = 1;
    check("java 24636/25607 [000] 4794564.109216: 3 cycles:\n\t 1 f (m)\n\n", o, "java-24636/25607;f 3\n");
    /* a TID printed as 0 counts as absent in the Perl (swapper 0/0) */
    check("swapper 0/0 [000] 1.5: 7 cycles:\n\t 1 idle (m)\n\n", o, "swapper-?/0;idle 7\n");
    /* count_samples: 1 per sample whatever the period */
    o = perf_opts();
    o.perf.count_samples = 1;
    check(HDR "\t 1 f (m)\n\n" HDR "\t 1 f (m)\n\n", o, "spin;f 2\n");
}

static void test_event_filter(void **state) {
    rf_parse_options o = perf_opts();
    warn_log log;
    rf_parse_stats st;
    char *got;
    const char *in = "a 1 1.0: 10 cycles:\n\t 1 f (m)\n\n"
                     "a 1 1.1: 20 instructions:\n\t 1 g (m)\n\n"
                     "a 1 1.2: 30 cycles:\n\t 1 h (m)\n\n"
                     "a 1 1.3: 40 instructions:\n\t 1 g (m)\n\n"
                     "a 1 1.4: sched:sched_switch: prev_comm=a prev_pid=1 ==> next_comm=b next_pid=2\n\t 1 t (m)\n\n";
    (void)state;
    memset(&log, 0, sizeof log);
    o.warn = on_warn;
    o.warn_ctx = &log;
    got = fold_with(in, o, &st);
    /* the first event wins; tracepoints (payload after the event) are never filtered */
    assert_string_equal(got, "a;f 10\na;h 30\na;t 1\n");
    free(got);
    assert_int_equal(log.count, 2); /* once per parse: one-shot and byte-by-byte runs */
    assert_non_null(strstr(log.first, "cycles"));
    assert_int_equal(st.samples, 3);
    o.perf.event_filter = "instructions";
    log.count = 0;
    got = fold_with(in, o, NULL);
    assert_string_equal(got, "a;g 60\na;t 1\n");
    free(got);
    assert_int_equal(log.count, 0); /* an explicit filter does not warn */
}

static void test_tidy_rules(void **state) {
    rf_parse_options o = perf_opts();
    (void)state;
    /* ';' -> ':', cut at '(', quotes removed, +0x offset stripped */
    check("a 1 1.0: cycles:\n\t 1 ns;f(int, char)+0x1f (m)\n\t 2 RegExp:[&<>\"'] (/tmp/perf-7539.map)\n\n", o,
          "a;RegExp:[&<>];ns:f 1\n");
    /* Go methods keep their parentheses; "(anonymous namespace)" is not cut (but a name that
       starts with '(' is dropped, like the Perl's "skip process names") */
    check("a 1 1.0: cycles:\n\t 1 net/http.(*Client).Do+0x10 (m)\n\t 2 ns::(anonymous namespace)::g(int) (m)\n\t 3 (anonymous namespace)::h (m)\n\n", o,
          "a;ns::(anonymous namespace)::g;net/http.(*Client).Do 1\n");
    /* frames whose name starts with '(' are skipped; [unknown] takes the module's basename */
    check("a 1 1.0: cycles:\n\t 1 (deleted) (m)\n\t 2 [unknown] (/usr/lib/libfoo.so)\n\t 3 [unknown] ([unknown])\n\n", o,
          "a;[unknown];[libfoo.so] 1\n");
    o.perf.addrs = 1;
    check("a 1 1.0: cycles:\n\t 1f [unknown] (/usr/lib/libfoo.so)\n\t 3a [unknown] ([unknown])\n\n", o,
          "a;[unknown <3a>];[libfoo.so <1f>] 1\n");
    /* java: a leading L goes when the comm starts with "java" and the name has a '/' */
    o = perf_opts();
    check("java-1 1 1.0: cycles:\n\t 1 Lorg/x/Y;.call(Lorg/x/Z;)V (m)\n\t 2 Lfoo (m)\n\n", o,
          "java-1;Lfoo;org/x/Y:.call 1\n");
    check("jav 1 1.0: cycles:\n\t 1 Lorg/x/Y;.call (m)\n\n", o, "jav;Lorg/x/Y:.call 1\n");
}

static void test_annotations_and_inline(void **state) {
    rf_parse_options o = perf_opts();
    const char *in = "a 1 1.0: cycles:\n"
                     "\t 1 k1 ([kernel.kallsyms])\n"
                     "\t 2 k2 (/lib/modules/4.3/build/vmlinux)\n"
                     "\t 3 j1 (/tmp/perf-123.map)\n"
                     "\t 4 u1 ([unknown])\n"
                     "\t 5 outer->mid->inner (/bin/x)\n"
                     "\t 6 inl+0x3b (inlined)\n"
                     "\t 7 Ljava/lang/String;::hashCode (/root/.debug/jit/java-jit-x/jitted-42-17.so)\n\n";
    (void)state;
    /* old "->" inline notation: the group keeps its order root-first, _[i] on all but the
       first; perf's own "(inlined)" lines are plain frames; `perf inject --jit` modules
       (jitted-*.so) are ordinary modules: only /tmp/perf-N.map gets _[j], as in the Perl */
    check(in, o, "a;Ljava/lang/String:::hashCode;inl;outer;mid_[i];inner_[i];u1;j1;k2;k1 1\n");
    o.perf.kernel = 1;
    check(in, o, "a;Ljava/lang/String:::hashCode;inl;outer;mid_[i];inner_[i];u1;j1;k2_[k];k1_[k] 1\n");
    o.perf.kernel = 0;
    o.perf.jit = 1;
    check(in, o, "a;Ljava/lang/String:::hashCode;inl;outer;mid_[i];inner_[i];u1;j1_[j];k2;k1 1\n");
    o.perf.jit = 0;
    o.perf.all = 1;
    check(in, o, "a;Ljava/lang/String:::hashCode;inl;outer;mid_[i];inner_[i];u1;j1_[j];k2_[k];k1_[k] 1\n");
    /* Perl's split drops trailing empty fields: "a->" is one frame, "->" none */
    o = perf_opts();
    check("a 1 1.0: cycles:\n\t 1 x-> (m)\n\t 2 -> (m)\n\n", o, "a;x 1\n");
}

static void test_srcline(void **state) {
    rf_parse_options o = perf_opts();
    const char *in = "a.out 35081 252436.005167:     667783 cycles:\n"
                     "\t          408ebb some_method+0x8b (/full/a.out)\n"
                     "  uniform_int_dist.h:300\n"
                     "\t          4069f5 main+0x935 (/full/a.out)\n"
                     "  file.cpp:137\n"
                     "\t    7f6d2148eb25 __libc_start_main+0xe5 (/usr/lib64/libc-2.33.so)\n"
                     "  libc-2.33.so[27b25]\n"
                     "\t    7ffc71ee9580 [unknown] ([unknown])\n"
                     "\n";
    rf_parse_stats st;
    char *got;
    (void)state;
    /* default: srcline lines are recognised and ignored (not counted as malformed) */
    got = fold_with(in, o, &st);
    assert_string_equal(got, "a.out;[unknown];__libc_start_main;main;some_method 667783\n");
    assert_int_equal(st.skipped, 0);
    free(got);
    o.perf.srcline = 1;
    check(in, o, "a.out;[unknown];__libc_start_main:libc-2.33.so;main:file.cpp:137;some_method:uniform_int_dist.h:300 667783\n");
    /* a missing srcline never swallows the blank line that ends the sample */
    check("a 1 1.0: cycles:\n\t 1 f (m)\n\nb 1 1.1: cycles:\n\t 1 g (m)\n  g.c:3\n\n", o, "a;f 1\nb;g:g.c:3 1\n");
}

static void test_where_perl_breaks(void **state) {
    rf_parse_options o = perf_opts();
    warn_log log;
    rf_parse_stats st;
    char *got;
    (void)state;
    memset(&log, 0, sizeof log);
    o.warn = on_warn;
    o.warn_ctx = &log;
    /* CRLF; a header right after a header ends the first sample (tracepoint without stack);
       whitespace-only line = blank; '#' lines skipped */
    check("# ========\r\n# cmdline : perf record\r\nx 1 1.0: 5 cycles:\r\n\t 1 f (m)\r\n\r\n"
          "y 2 1.1: 6 cycles:\r\nz 3 1.2: 7 cycles:\n\t 1 g (m)\n   \n", o,
          "x;f 5\ny 6\nz;g 7\n");
    /* the last sample has no blank line after it: a cut-off stack, dropped with a warning */
    log.count = 0;
    got = fold_with("x 1 1.0: 5 cycles:\n\t 1 f (m)\n\nx 1 1.0: 5 cycles:\n\t 1 g (m)", o, &st);
    assert_string_equal(got, "x;f 5\n");
    free(got);
    assert_int_equal(log.count, 2);
    assert_non_null(strstr(log.first, "ends inside a sample"));
    /* unrecognised lines are counted, and the first one is reported with its line number */
    got = fold_with("x 1 1.0: 5 cycles:\n\t 1 f (m)\n\ngarbage here\n\tnot a frame\nx 1 1.0: 5 cycles:\n\t 1 f (m)\n\n",
                    o, &st);
    assert_string_equal(got, "x;f 10\n");
    free(got);
    assert_int_equal(st.skipped, 2);
    assert_int_equal(st.first_skipped_line, 4);
    assert_non_null(st.first_skipped_reason);
    /* strict mode turns the first one into an error with its line */
    {
        rf_profile *p = rf_profile_new(NULL);
        rf_error err;
        o.strict = 1;
        assert_int_equal(rf_parse(p, "x 1 1.0: 5 cycles:\n\tnope\n\n", 25, &o, &err), RF_ERR_SYNTAX);
        assert_int_equal(err.line, 2);
        rf_profile_free(p);
    }
}

static void test_hostile_input(void **state) {
    rf_parse_options o = perf_opts();
    rf_parse_stats st;
    rf_profile *p;
    rf_parser *ps;
    rf_error err;
    char *buf, *got;
    size_t i, n;
    (void)state;
    /* NUL bytes and invalid UTF-8 pass through as bytes */
    {
        static const char in[] = "x\0y 1 1.0: 5 cycles:\n\t 1 f\xff\xfe\0g (m)\n\n";
        p = rf_profile_new(NULL);
        assert_int_equal(rf_parse(p, in, sizeof in - 1, &o, &err), RF_OK);
        assert_int_equal(rf_profile_samples(p), 1);
        rf_profile_free(p);
    }
    /* a line longer than RF_MAX_LINE (1 MiB here) is skipped, never buffered whole */
    n = 2u << 20;
    buf = (char *)malloc(n + 64);
    assert_non_null(buf);
    memcpy(buf, "x 1 1.0: 5 cycles:\n\t 1 ", 23);
    memset(buf + 23, 'a', n);
    memcpy(buf + 23 + n, " (m)\n\t 1 g (m)\n\n", 16);
    p = rf_profile_new(NULL);
    ps = rf_parser_new(p, &o);
    for (i = 0; i < n + 39; i += 4096)
        assert_int_equal(rf_parser_feed(ps, buf + i, n + 39 - i < 4096 ? n + 39 - i : 4096, &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    st = *rf_parser_stats(ps);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.first_skipped_line, 2);
    rf_parser_free(ps);
    got = rf_test_folded(p);
    assert_string_equal(got, "x;g 5\n");
    free(got);
    rf_profile_free(p);
    free(buf);
    /* a stack 100,000 frames deep (> RF_MAX_DEPTH) is skipped and counted; the next one is fine */
    {
        size_t frames = 100000, off = 0;
        buf = (char *)malloc(frames * 12 + 100);
        assert_non_null(buf);
        off += (size_t)sprintf(buf + off, "x 1 1.0: 5 cycles:\n");
        for (i = 0; i < frames; i++) off += (size_t)sprintf(buf + off, "\t 1 f%lu (m)\n", (unsigned long)(i % 7));
        off += (size_t)sprintf(buf + off, "\ny 1 1.0: 5 cycles:\n\t 1 g (m)\n\n");
        p = rf_profile_new(NULL);
        ps = rf_parser_new(p, &o);
        assert_int_equal(rf_parser_feed(ps, buf, off, &err), RF_OK);
        assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
        assert_int_equal(rf_parser_stats(ps)->skipped, 1);
        rf_parser_free(ps);
        got = rf_test_folded(p);
        assert_string_equal(got, "y;g 5\n");
        free(got);
        rf_profile_free(p);
        free(buf);
    }
    /* a period that does not fit 64 bits is an error, not a wrap-around */
    p = rf_profile_new(NULL);
    assert_int_equal(rf_parse(p, "x 1 1.0: 99999999999999999999 cycles:\n\t 1 f (m)\n\n", 48, &o, &err), RF_ERR_OVERFLOW);
    assert_int_equal(err.line, 1);
    rf_profile_free(p);
}

/* Every reference capture parses the same whole, byte by byte, and in small chunks; the
   unique-stack table flushes and the frame memo resets many times here (budgets lowered). */
static void test_chunking_real_captures(void **state) {
    static const char *const files[] = {"flamegraph-pl/test/perf-vertx-stacks-01.txt",
                                        "real/perf-script-inline.txt", "flamegraph-pl/test/perf-java-stacks-01.txt"};
    size_t f;
    (void)state;
    for (f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t n, chunks[] = {0, 1, 7, 4096};
        char *data = rf_test_read(rf_test_data(files[f]), &n), *want = NULL;
        size_t c;
        rf_parse_options o = perf_opts();
        o.perf.tid = 1;
        o.perf.all = 1;
        for (c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            rf_profile *p = rf_profile_new(NULL);
            rf_error err;
            char *got;
            assert_int_equal(rf_test_parse(p, data, n, &o, chunks[c], &err), RF_OK);
            got = rf_test_folded(p);
            if (!want) want = got;
            else { assert_string_equal(got, want); free(got); }
            rf_profile_free(p);
        }
        free(want);
        free(data);
    }
}

static void test_offcpu(void **state) {
    rf_parse_options o = perf_opts();
    rf_profile *p;
    rf_error err;
    char *got, *data;
    size_t n;
    (void)state;
    o.perf.offcpu = 1;
    /* t1 blocks at 1.000000 in read(), runs again at 1.000250 (250 µs); t2 blocks twice in
       poll: 1.5 ms + 0.5 ms; idle (pid 0) is never counted; comm with spaces; other events ignored */
    check("app 10 [000] 1.000000: sched:sched_switch: prev_comm=app prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=my worker next_pid=11 next_prio=120\n"
          "\tffff schedule+0x1 ([kernel.kallsyms])\n\t 1 read (libc)\n\n"
          "my worker 11 [001] 1.000100: sched:sched_switch: prev_comm=my worker prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n"
          "\tffff schedule+0x1 ([kernel.kallsyms])\n\t 1 poll (libc)\n\n"
          "swapper 0 [000] 1.000250: sched:sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=app next_pid=10 next_prio=120\n"
          "\tffff idle ([kernel.kallsyms])\n\n"
          "app 10 [000] 1.000300: 1000 cpu-clock:\n\t 1 work (app)\n\n"
          "swapper 0 [001] 1.001600: sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=my worker next_pid=11 next_prio=120\n\n"
          "my worker 11 [001] 1.002000: sched:sched_switch: prev_comm=my worker prev_pid=11 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n"
          "\tffff schedule+0x1 ([kernel.kallsyms])\n\t 1 poll (libc)\n\n"
          "swapper 0 [001] 1.002500: sched:sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=my worker next_pid=11 next_prio=120\n\n",
          o, "app;read;schedule 250\nmy_worker;poll;schedule 2000\n");
    /* perf record -e sched:sched_switch --switch-events -p PID, perf script --show-switch-events:
       the switch-ins are PERF_RECORD_SWITCH IN records in the thread's own context (the idle
       task's tracepoints may be missing); OUT records are ignored (the tracepoint has the
       stack); the CPU-wide form and pid/tid headers too */
    check("app 10 [001] 2.000000: sched:sched_switch: prev_comm=app prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120\n"
          "\tffff schedule+0x1 ([kernel.kallsyms])\n\t 1 nanosleep (libc)\n\n"
          "app 10 [-01] 2.000010: PERF_RECORD_SWITCH OUT        \n"
          "app 10 [-01] 2.007010: PERF_RECORD_SWITCH IN         \n"
          "app 5/11 [000] 2.008000: sched:sched_switch: prev_comm=app prev_pid=11 prev_prio=120 prev_state=D ==> next_comm=swapper/0 next_pid=0 next_prio=120\n"
          "\tffff schedule+0x1 ([kernel.kallsyms])\n\t 1 read (libc)\n\n"
          "app 5/11 [000] 2.008500: PERF_RECORD_SWITCH_CPU_WIDE IN  prev pid/tid:     0/0    \n",
          o, "app;nanosleep;schedule 7010\napp;read;schedule 500\n");
    /* the real capture: `sleep 1` is off CPU for about a second */
    data = rf_test_read(rf_test_data("real/perf-script-sched_switch.txt"), &n);
    p = rf_profile_new(NULL);
    assert_int_equal(rf_parse(p, data, n, &o, &err), RF_OK);
    assert_string_equal(rf_profile_unit(p), "microseconds");
    got = rf_test_folded(p);
    assert_non_null(strstr(got, "sleep;[unknown];clock_nanosleep@GLIBC_2.2.5;entry_SYSCALL_64_after_hwframe;do_syscall_64;"
                                "__x64_sys_clock_nanosleep;common_nsleep;hrtimer_nanosleep;do_nanosleep;schedule;__schedule 1000069\n"));
    free(got);
    rf_profile_free(p);
    free(data);
}

/* Splitting at rf_perf_split_point and merging gives the whole-file result. */
static void test_split_merge(void **state) {
    size_t n, cut;
    char *data = rf_test_read(rf_test_data("flamegraph-pl/test/perf-cycles-instructions-01.txt"), &n);
    rf_parse_options o = perf_opts();
    rf_profile *whole = rf_profile_new(NULL), *a = rf_profile_new(NULL), *b = rf_profile_new(NULL);
    rf_error err;
    char ev[64], *w, *m;
    (void)state;
    assert_int_equal(rf_perf_first_event(data, n, ev, sizeof ev), 12);
    assert_string_equal(ev, "instructions");
    assert_int_equal(rf_perf_split_point("a\n\nb", 4, 0), 3);
    assert_int_equal(rf_perf_split_point("a\r\n\r\nb", 6, 0), 5);
    assert_int_equal(rf_perf_split_point("a\nb\n", 4, 0), 4);
    cut = rf_perf_split_point(data, n, n / 2);
    assert_true(cut > n / 2 && cut < n && data[cut - 1] == '\n' && data[cut - 2] == '\n');
    assert_int_equal(rf_parse(whole, data, n, &o, &err), RF_OK);
    o.perf.event_filter = ev;
    assert_int_equal(rf_parse(a, data, cut, &o, &err), RF_OK);
    assert_int_equal(rf_parse(b, data + cut, n - cut, &o, &err), RF_OK);
    assert_int_equal(rf_profile_merge(a, b), RF_OK);
    w = rf_test_folded(whole);
    m = rf_test_folded(a);
    assert_string_equal(w, m);
    assert_int_equal(rf_profile_samples(a), rf_profile_samples(whole));
    free(w);
    free(m);
    rf_profile_free(whole);
    rf_profile_free(a);
    rf_profile_free(b);
    free(data);
}

/* Allocation failure at every step: RF_ERR_OUT_OF_MEMORY (never a crash), nothing leaked. */
static void test_allocation_failures(void **state) {
    const char *in = "java 1/2 1.0: 5 cycles:\n\t 1 Lorg/a;.f (/tmp/perf-1.map)\n\t 2 x->y (m)\n  x.c:1\n\t 3 [unknown] (/lib/q.so)\n\n"
                     "b 1 1.0: sched:sched_switch: prev_comm=b prev_pid=1 ==> next_comm=c next_pid=2\n\t 1 g (m)\n\n";
    long k;
    int offcpu;
    (void)state;
    for (offcpu = 0; offcpu < 2; offcpu++) {
        for (k = 0; k < 400; k++) {
            rf_test_alloc ta = {0, 0, 0, 0, 0, 0};
            rf_allocator al;
            rf_profile *p;
            rf_parse_options o = perf_opts();
            rf_error err;
            rf_result r;
            ta.fail_at = k;
            al = rf_test_allocator(&ta);
            o.perf.srcline = 1;
            o.perf.tid = 1;
            o.perf.offcpu = offcpu;
            p = rf_profile_new(&al);
            if (!p) continue;
            r = rf_parse(p, in, strlen(in), &o, &err);
            assert_true(r == RF_OK || r == RF_ERR_OUT_OF_MEMORY);
            rf_profile_free(p);
            assert_int_equal(ta.live_blocks, 0);
            if (r == RF_OK && ta.count <= k) break; /* no allocation left to fail */
        }
    }
}

/* Regression inputs found by tests/fuzz/fuzz_perf.c (first byte = option bits, as there).
   fuzz_srcline_empty_name: srcline mode with an empty pending frame name (NULL + 0). */
static const unsigned char fuzz_srcline_empty_name[379] = {
    0x96, 0x6a, 0x61, 0x76, 0x61, 0x6e, 0x2f, 0x30, 0x20, 0x6e, 0x65, 0x78, 0x74, 0x5f, 0x70, 0x69,
    0x64, 0x3d, 0x31, 0x38, 0x20, 0x6e, 0x30, 0x37, 0x37, 0x36, 0x36, 0x34, 0x5f, 0x73, 0x79, 0x73,
    0x5f, 0x73, 0x63, 0x68, 0x65, 0x64, 0x5f, 0x73, 0x65, 0x74, 0x61, 0x66, 0x66, 0x69, 0x6e, 0x69,
    0x74, 0x79, 0x2b, 0x30, 0x5d, 0x20, 0x20, 0x20, 0x39, 0x39, 0x31, 0x2e, 0x36, 0x37, 0x35, 0x34,
    0x31, 0x31, 0x3a, 0x20, 0x73, 0x63, 0x68, 0x65, 0x64, 0x3a, 0x73, 0x63, 0x68, 0x65, 0x64, 0x5f,
    0x73, 0x77, 0x69, 0x74, 0x63, 0x68, 0x3a, 0x20, 0x8e, 0x70, 0x9e, 0x76, 0x5f, 0x63, 0x20, 0x31,
    0x38, 0x20, 0x28, 0x5b, 0x6b, 0x65, 0x72, 0x6e, 0x65, 0x6c, 0x2e, 0x5d, 0x6b, 0x61, 0x6c, 0x6c,
    0x73, 0x79, 0x6d, 0x73, 0x5d, 0x29, 0x0a, 0x09, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    0x38, 0x27, 0x28, 0x5b, 0x6b, 0x65, 0x72, 0x6e, 0x65, 0x6c, 0x2e, 0x6b, 0x61, 0x35, 0x00, 0x33,
    0x11, 0x00, 0x00, 0x27, 0x00, 0x00, 0x00, 0x00, 0x00, 0x74, 0x20, 0x28, 0x2f, 0x74, 0x6d, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x70, 0x2f, 0x70, 0x65, 0x72, 0x66, 0x2d, 0x31,
    0x39, 0x39, 0x38, 0x32, 0x2e, 0x6d, 0x61, 0x70, 0x29, 0x0a, 0x0d, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x30, 0x38, 0x62, 0x35, 0x38, 0x20, 0x5f, 0x5f, 0x73, 0x63, 0x68, 0xb2,
    0x65, 0x64, 0x75, 0x2f, 0x6a, 0x64, 0x6b, 0x31, 0x2e, 0x38, 0x2e, 0x37, 0x21, 0x64, 0x64, 0x20,
    0x32, 0x39, 0x37, 0x37, 0x38, 0x36, 0x20, 0x4c, 0x6a, 0x61, 0x76, 0x61, 0x2f, 0x01, 0x09, 0x69,
    0x6f, 0x2f, 0x46, 0x69, 0x6c, 0x36, 0x34, 0x2d, 0x6c, 0x69, 0x6e, 0x75, 0x78, 0x2d, 0x67, 0x6e,
    0x75, 0x2f, 0x6c, 0x69, 0x62, 0x63, 0x2e, 0x73, 0x6f, 0x36, 0x20, 0x36, 0x36, 0x36, 0x37, 0x30,
    0x39, 0x2e, 0x37, 0x37, 0x31, 0x39, 0x37, 0x39, 0x3a, 0x20, 0x20, 0x20, 0x31, 0x30, 0x31, 0x30,
    0x31, 0x30, 0x31, 0x30, 0x20, 0x63, 0x70, 0x75, 0x2d, 0x63, 0x6c, 0x0d, 0x00, 0x00, 0x00, 0x6f,
    0x63, 0x6b, 0x3a, 0x20, 0x0a, 0x20, 0x30, 0x36, 0x29, 0x0a, 0x09, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x61, 0x30, 0x20, 0x20, 0x20};

/* fuzz_inline_empty_name: an inline frame ("_[i]" to add) whose name is empty and has no
   buffer yet (NULL + 0 in rf__tx_find). */
static const unsigned char fuzz_inline_empty_name[301] = {
    0x84, 0x6e, 0x6f, 0x64, 0x65, 0x2d, 0x76, 0x30, 0x31, 0x31, 0x20, 0x33, 0x31, 0x39, 0x31, 0x32,
    0x20, 0x69, 0x6e, 0x73, 0x65, 0x6d, 0x75, 0x6c, 0x61, 0x74, 0x6f, 0x72, 0x3b, 0x5b, 0x75, 0x6e,
    0x6b, 0x6e, 0x6f, 0x77, 0x6e, 0x5d, 0x3b, 0x73, 0x74, 0x72, 0x63, 0x6d, 0x70, 0x74, 0x72, 0x75,
    0x63, 0x74, 0x69, 0x3a, 0x20, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x30, 0x70, 0x65, 0x72, 0x66, 0x20, 0x70, 0x20, 0x37, 0x66, 0x39, 0x63, 0x33, 0x33,
    0x61, 0x63, 0x31, 0x37, 0x36, 0x64, 0x20, 0x5f, 0x5b, 0x6a, 0x5d, 0x62, 0x63, 0x5f, 0x73, 0x75,
    0x61, 0x5d, 0x74, 0x6d, 0x5f, 0x72, 0x5d, 0x61, 0x3b, 0x5f, 0xfa, 0x64, 0x6c, 0x5f, 0x6e, 0x61,
    0x6d, 0x65, 0x5f, 0x6d, 0x61, 0x74, 0x63, 0x68, 0x5f, 0x84, 0x32, 0x20, 0x33, 0x39, 0x32, 0x37,
    0x20, 0x5b, 0x30, 0x30, 0x20, 0x31, 0x38, 0x34, 0x6f, 0x75, 0x5f, 0x65, 0x6e, 0x61, 0x62, 0x6c,
    0x5f, 0x73, 0x65, 0x6e, 0x64, 0x6d, 0x73, 0x67, 0x20, 0x28, 0x5b, 0x6b, 0x65, 0x72, 0x6e, 0x65,
    0x6c, 0x41, 0x2e, 0x6b, 0x61, 0x0a, 0x09, 0x20, 0x20, 0x20, 0x20, 0x74, 0x68, 0x72, 0x65, 0x61,
    0x64, 0x2d, 0x3e, 0x2c, 0x20, 0x76, 0x38, 0x3a, 0x3b, 0x65, 0x6e, 0x74, 0x72, 0x79, 0x5f, 0x53,
    0x59, 0x53, 0x43, 0x41, 0x4c, 0x5f, 0x5b, 0x69, 0x5d, 0x5f, 0x66, 0x61, 0x73, 0x74, 0x70, 0x61,
    0x7b, 0x68, 0x3b, 0x70, 0x8f, 0x3f, 0x3a, 0x2f, 0x5b, 0x5c, 0x64, 0x2e, 0x5d, 0x2b, 0x7c, 0x5b,
    0x20, 0x5c, 0x77, 0x2e, 0x5d, 0x2a, 0x29, 0x20, 0x28, 0x2f, 0x74, 0x6d, 0x70, 0x2f, 0x70, 0x65,
    0x72, 0x66, 0x2d, 0x33, 0x31, 0x39, 0x31, 0x32, 0x2e, 0x6d, 0x61, 0x70, 0x29, 0x0a, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x6e, 0x42, 0x75, 0x66, 0x66,
    0x6f, 0x72, 0x20, 0x2f, 0x61, 0x70, 0x70, 0x73, 0x2f, 0x6e, 0x6f, 0x64, 0x65, 0x2f, 0x77, 0x65,
    0x62, 0x61, 0x70, 0x70, 0x2f, 0x6a, 0x6e, 0x65, 0x6c, 0x2e, 0x6b, 0x61, 0x6f,
};

static void test_fuzz_regressions(void **state) {
    static const struct { const unsigned char *d; size_t n; } cases[] = {
        {fuzz_srcline_empty_name, sizeof fuzz_srcline_empty_name},
        {fuzz_inline_empty_name, sizeof fuzz_inline_empty_name},
    };
    size_t c;
    (void)state;
    assert_int_equal(rf__tx_find(NULL, 0, "_[i]"), 0);
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rf_parse_options o = perf_opts();
        uint8_t flags = cases[c].d[0];
        const char *in = (const char *)cases[c].d + 1;
        size_t n = cases[c].n - 1;
        rf_profile *a = rf_profile_new(NULL), *b = rf_profile_new(NULL);
        rf_error err;
        rf_result ra, rb;
        rf_fuzz_perf_flags(flags, &o);
        ra = rf_test_parse(a, in, n, &o, 0, &err);
        rb = rf_test_parse(b, in, n, &o, 3, &err);
        assert_int_equal(ra, rb);
        if (ra == RF_OK) {
            char *x = rf_test_folded(a), *y = rf_test_folded(b);
            assert_string_equal(x, y);
            free(x);
            free(y);
        }
        rf_profile_free(a);
        rf_profile_free(b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_forms),
        cmocka_unit_test(test_event_filter),
        cmocka_unit_test(test_tidy_rules),
        cmocka_unit_test(test_annotations_and_inline),
        cmocka_unit_test(test_srcline),
        cmocka_unit_test(test_where_perl_breaks),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_chunking_real_captures),
        cmocka_unit_test(test_offcpu),
        cmocka_unit_test(test_split_merge),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_fuzz_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
