/* Transforms ([rf:transform]): every view (group-by, strip-hex, skip-after, focus, ignore, hide,
   collapse-recursion, reverse, root/annotate/multiply), diff (difffolded's -n and -s, inferno's
   test data, Perl's arithmetic), top-N against hand-computed tables, reading flamegraph.pl and
   inferno SVGs (hand-made fixtures in tests/analysis/fixtures, see the README there), and
   allocation failures. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

static rf_profile *folded(const char *text) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parse_options o;
    rf_error err;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_FOLDED;
    assert_non_null(p);
    assert_int_equal(rf_parse(p, text, strlen(text), &o, &err), RF_OK);
    return p;
}
static rf_profile *folded_file(const char *rel) {
    size_t n;
    char *d = rf_test_read(rf_test_data(rel), &n);
    rf_profile *p = folded(d);
    free(d);
    return p;
}

/* view(text, options) folded, compared with want. */
static void check_view(const char *text, const rf_view_options *o, const char *want) {
    rf_profile *p = folded(text), *v = NULL;
    char *got;
    assert_int_equal(rf_profile_view(p, o, &v), RF_OK);
    got = rf_test_folded(v);
    assert_string_equal(got, want);
    free(got);
    rf_profile_free(v);
    rf_profile_free(p);
}

static int pred_eq(void *ctx, const char *name, size_t len) {
    return strlen((const char *)ctx) == len && memcmp(ctx, name, len) == 0;
}
static int pred_prefix(void *ctx, const char *name, size_t len) {
    size_t k = strlen((const char *)ctx);
    return len >= k && memcmp(ctx, name, k) == 0;
}
typedef struct counting { const char *want; int calls; } counting;
static int pred_count(void *ctx, const char *name, size_t len) {
    counting *c = (counting *)ctx;
    c->calls++;
    return strlen(c->want) == len && memcmp(c->want, name, len) == 0;
}

static const char *const STACKS = "main;a;b 5\nmain;a 2\nmain;c;c;c 4\nmain;c 3\nother;b 1\n";

static void test_view_identity(void **state) {
    rf_view_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    check_view(STACKS, &o, "main;a 2\nmain;a;b 5\nmain;c 3\nmain;c;c;c 4\nother;b 1\n");
    check_view(STACKS, NULL, "main;a 2\nmain;a;b 5\nmain;c 3\nmain;c;c;c 4\nother;b 1\n");
}

static void test_view_focus_ignore(void **state) {
    rf_view_options o;
    counting c;
    (void)state;
    memset(&o, 0, sizeof o);
    o.focus = pred_eq;
    o.focus_ctx = (void *)"b";
    check_view(STACKS, &o, "main;a;b 5\nother;b 1\n");
    memset(&o, 0, sizeof o);
    o.ignore = pred_eq;
    o.ignore_ctx = (void *)"b";
    check_view(STACKS, &o, "main;a 2\nmain;c 3\nmain;c;c;c 4\n");
    memset(&o, 0, sizeof o);
    o.focus = pred_prefix;
    o.focus_ctx = (void *)"oth";
    check_view(STACKS, &o, "other;b 1\n");
    /* each distinct name is tested once, however many stacks hold it */
    memset(&o, 0, sizeof o);
    c.want = "c";
    c.calls = 0;
    o.focus = pred_count;
    o.focus_ctx = &c;
    check_view(STACKS, &o, "main;c 3\nmain;c;c;c 4\n");
    assert_true(c.calls <= 5); /* main a b c other */
}

static void test_view_hide_skip(void **state) {
    rf_view_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.hide = pred_eq;
    o.hide_ctx = (void *)"a";
    check_view(STACKS, &o, "main 2\nmain;b 5\nmain;c 3\nmain;c;c;c 4\nother;b 1\n");
    memset(&o, 0, sizeof o);
    o.skip_after = pred_eq;
    o.skip_after_ctx = (void *)"c"; /* the root-most c becomes the root; other stacks stay */
    check_view(STACKS, &o, "c 3\nc;c;c 4\nmain;a 2\nmain;a;b 5\nother;b 1\n");
}

static void test_view_recursion_reverse(void **state) {
    rf_view_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.collapse_recursion = 1;
    check_view(STACKS, &o, "main;a 2\nmain;a;b 5\nmain;c 7\nother;b 1\n");
    /* hidden frames first, then recursion: a;x;a -> a;a -> a */
    o.hide = pred_eq;
    o.hide_ctx = (void *)"x";
    check_view("a;x;a;b 3\n", &o, "a;b 3\n");
    memset(&o, 0, sizeof o);
    o.reverse = 1;
    check_view(STACKS, &o, "a;main 2\nb;a;main 5\nb;other 1\nc;c;c;main 4\nc;main 3\n");
}

static void test_view_strip_hex_root_annotate_multiply(void **state) {
    rf_view_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.strip_hex = 1;
    check_view("f;0x1aF;g0x;x0x12y 2\nf;0xbeef;g0x;x0x9y 3\n", &o, "f;0x...;g0x;x0x...y 5\n");
    memset(&o, 0, sizeof o);
    o.root = "off-CPU";
    o.annotate = "_[w]";
    o.multiply = 1000;
    o.reverse = 1; /* the extra root stays on top */
    check_view("a;b 2\n", &o, "off-CPU_[w];b_[w];a_[w] 2000\n");
}

static void test_view_multiply_overflow(void **state) {
    rf_profile *p = folded("a 4611686018427387904\n"), *v = (rf_profile *)1;
    rf_view_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.multiply = 4;
    assert_int_equal(rf_profile_view(p, &o, &v), RF_ERR_OVERFLOW);
    assert_null(v);
    o.multiply = -1;
    assert_int_equal(rf_profile_view(p, &o, &v), RF_ERR_INVALID_ARGUMENT);
    rf_profile_free(p);
}

static void test_view_group_by(void **state) {
    static const char *const perf_tid = "java-10/11;main;run 4\njava-10/12;main;gc 2\nsh-20/20;main 1\n";
    static const char *const austin = "process 1;thread 7;f;g 3\nprocess 1;thread 8;f 2\nprocess 2;thread 9;h 1\n";
    rf_view_options o;
    rf_profile *p, *v = (rf_profile *)1;
    (void)state;
    memset(&o, 0, sizeof o);
    o.roots = RF_ROOTS_THREAD; /* perf --tid */
    o.group_by = RF_GROUP_NONE;
    check_view(perf_tid, &o, "main 1\nmain;gc 2\nmain;run 4\n");
    o.group_by = RF_GROUP_PROCESS;
    check_view(perf_tid, &o, "java-10;main;gc 2\njava-10;main;run 4\nsh-20;main 1\n");
    o.group_by = RF_GROUP_THREAD;
    check_view(perf_tid, &o, "java-10/11;main;run 4\njava-10/12;main;gc 2\nsh-20/20;main 1\n");
    o.roots = RF_ROOTS_PROCESS | RF_ROOTS_THREAD; /* austin */
    o.group_by = RF_GROUP_PROCESS;
    check_view(austin, &o, "process 1;f 2\nprocess 1;f;g 3\nprocess 2;h 1\n");
    o.group_by = RF_GROUP_NONE;
    check_view(austin, &o, "f 2\nf;g 3\nh 1\n");
    o.roots = RF_ROOTS_PROCESS; /* perf --pid */
    o.group_by = RF_GROUP_NONE;
    check_view("a-1;m 2\nb-2;m 3\n", &o, "m 5\n");
    /* asking for frames the input does not have */
    o.group_by = RF_GROUP_THREAD;
    p = folded("a-1;m 2\n");
    assert_int_equal(rf_profile_view(p, &o, &v), RF_ERR_UNSUPPORTED);
    assert_null(v);
    o.roots = 0;
    o.group_by = RF_GROUP_PROCESS;
    assert_int_equal(rf_profile_view(p, &o, &v), RF_ERR_UNSUPPORTED);
    rf_profile_free(p);
}

static void test_view_keeps_columns_and_metadata(void **state) {
    rf_profile *p = folded("a;b 1 3\na 2 0\n"), *v = NULL;
    rf_view_options o;
    char *got;
    (void)state;
    assert_int_equal(rf_profile_set_unit(p, "microseconds"), RF_OK);
    memset(&o, 0, sizeof o);
    o.reverse = 1;
    assert_int_equal(rf_profile_view(p, &o, &v), RF_OK);
    assert_int_equal(rf_profile_columns(v), 2);
    assert_string_equal(rf_profile_unit(v), "microseconds");
    got = rf_test_folded(v);
    assert_string_equal(got, "a 2 0\nb;a 1 3\n");
    free(got);
    rf_profile_free(v);
    rf_profile_free(p);
}

/* ---- diff ---- */
/* Sorted lines of a file: difffolded prints Perl hash order, inferno's tests sort. */
static char *sorted_lines(const char *rel) {
    size_t n, k = 0, i, j;
    char *d = rf_test_read(rf_test_data(rel), &n), *out, *lines[64], *s;
    for (s = strtok(d, "\n"); s && k < 64; s = strtok(NULL, "\n")) lines[k++] = s;
    for (i = 1; i < k; i++)
        for (j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) { s = lines[j]; lines[j] = lines[j - 1]; lines[j - 1] = s; }
    out = (char *)calloc(n + 2, 1);
    for (i = 0; i < k; i++) { strcat(out, lines[i]); strcat(out, "\n"); }
    free(d);
    return out;
}

static void check_diff(const char *before_rel, const rf_diff_options *o, const char *expected_rel) {
    rf_profile *b = folded_file(before_rel), *a = folded_file("inferno/diff-folded/after.txt"), *d = NULL;
    char *got, *want = sorted_lines(expected_rel);
    assert_int_equal(rf_profile_diff(b, a, o, &d), RF_OK);
    assert_int_equal(rf_profile_columns(d), 2);
    got = rf_test_folded(d); /* bytewise sorted, as the sorted expectation */
    assert_string_equal(got, want);
    free(got);
    free(want);
    rf_profile_free(d);
    rf_profile_free(a);
    rf_profile_free(b);
}

static void test_diff_inferno_cases(void **state) {
    rf_diff_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    check_diff("inferno/diff-folded/before.txt", &o, "inferno/diff-folded/results/default.txt");
    o.normalize = 1;
    check_diff("inferno/diff-folded/before.txt", &o, "inferno/diff-folded/results/normalize.txt");
    memset(&o, 0, sizeof o);
    o.strip_hex = 1;
    check_diff("inferno/diff-folded/before.txt", &o, "inferno/diff-folded/results/strip_hex.txt");
    memset(&o, 0, sizeof o);
    o.integer_counts = 1;
    check_diff("inferno/diff-folded/before_fractionals.txt", &o, "inferno/diff-folded/results/fractionals.txt");
}

static void test_diff_exact_and_normalize(void **state) {
    rf_profile *b = folded("x;y 1.5\nx 2\n"), *a = folded("x;y 3\nz 1\n"), *d = NULL;
    rf_diff_options o;
    char *got;
    (void)state;
    memset(&o, 0, sizeof o);
    assert_int_equal(rf_profile_diff(b, a, &o, &d), RF_OK);
    got = rf_test_folded(d); /* fractions stay exact without integer_counts */
    assert_string_equal(got, "x 2 0\nx;y 1.5 3\nz 0 1\n");
    free(got);
    rf_profile_free(d);
    rf_profile_free(b);
    rf_profile_free(a);
    /* normalize: int(c * 3 / 7) per stack as Perl: 3*3/7 = 1.28 -> 1, 4*3/7 = 1.71 -> 1;
       an exact quotient stays exact: 7*3/7 would be 3 */
    b = folded("p 3\nq 4\n");
    a = folded("p 2\nq 1\n");
    o.normalize = 1;
    assert_int_equal(rf_profile_diff(b, a, &o, &d), RF_OK);
    got = rf_test_folded(d);
    assert_string_equal(got, "p 1 2\nq 1 1\n");
    assert_int_equal(rf_node_total(d, 0, 0), 2); /* totals rebuilt from the scaled self weights */
    free(got);
    rf_profile_free(d);
    rf_profile_free(b);
    rf_profile_free(a);
    /* two-column inputs are refused */
    b = folded("p 3 4\n");
    a = folded("p 1\n");
    d = (rf_profile *)1;
    assert_int_equal(rf_profile_diff(b, a, &o, &d), RF_ERR_INVALID_ARGUMENT);
    assert_null(d);
    rf_profile_free(b);
    rf_profile_free(a);
}

/* ---- top ---- */
static void test_top_hand_computed(void **state) {
    /* a;b;a;b 4, a;c 2, x 1 (total 7). By hand:
         a: self 0, total 6 (the recursive a counts once per stack)
         b: self 4, total 4;  c: self 2, total 2;  x: self 1, total 1 */
    rf_profile *p = folded("a;b;a;b 4\na;c 2\nx 1\n");
    rf_top_entry e[8];
    size_t n = 0;
    (void)state;
    assert_int_equal(rf_profile_top(p, RF_TOP_SELF, 0, e, 8, &n), RF_OK);
    assert_int_equal(n, 4);
    assert_true(e[0].name.len == 1 && e[0].name.ptr[0] == 'b' && e[0].self[0] == 4 && e[0].total[0] == 4);
    assert_true(e[1].name.ptr[0] == 'c' && e[1].self[0] == 2 && e[1].total[0] == 2);
    assert_true(e[2].name.ptr[0] == 'x' && e[2].self[0] == 1 && e[2].total[0] == 1);
    assert_true(e[3].name.ptr[0] == 'a' && e[3].self[0] == 0 && e[3].total[0] == 6);
    assert_int_equal(rf_profile_top(p, RF_TOP_TOTAL, 0, e, 2, &n), RF_OK);
    assert_int_equal(n, 2);
    assert_true(e[0].name.ptr[0] == 'a' && e[0].total[0] == 6);
    assert_true(e[1].name.ptr[0] == 'b' && e[1].total[0] == 4);
    /* ties go by name: c and d both 2 */
    rf_profile_free(p);
    p = folded("d 2\nc 2\n");
    assert_int_equal(rf_profile_top(p, RF_TOP_SELF, 0, e, 8, &n), RF_OK);
    assert_true(n == 2 && e[0].name.ptr[0] == 'c' && e[1].name.ptr[0] == 'd');
    assert_int_equal(rf_profile_top(p, RF_TOP_SELF_CHANGE, 0, e, 8, &n), RF_ERR_INVALID_ARGUMENT);
    assert_int_equal(rf_profile_top(p, RF_TOP_SELF, 1, e, 8, &n), RF_ERR_INVALID_ARGUMENT);
    rf_profile_free(p);
}

static void test_top_change(void **state) {
    /* before: f 50 g 50 ; after: f 75 g 25 (shares: f +25 pp, g -25 pp) */
    rf_profile *p = folded("m;f 50 75\nm;g 50 25\n");
    rf_top_entry e[4];
    size_t n = 0;
    (void)state;
    assert_int_equal(rf_profile_top(p, RF_TOP_TOTAL_CHANGE, 1, e, 4, &n), RF_OK);
    assert_int_equal(n, 3);
    assert_true(e[0].name.ptr[0] == 'f');
    assert_true(e[0].total_change > 24.999 && e[0].total_change < 25.001);
    assert_true(e[1].name.ptr[0] == 'm' && e[1].total_change > -0.001 && e[1].total_change < 0.001);
    assert_true(e[2].name.ptr[0] == 'g' && e[2].self_change < -24.999 && e[2].self_change > -25.001);
    assert_true(e[0].self[0] == 50 && e[0].self[1] == 75);
    rf_profile_free(p);
}

/* ---- foreign SVGs ---- */
typedef struct warns { int n; } warns;
static void on_warn(void *ctx, const rf_error *w) { (void)w; ((warns *)ctx)->n++; }

static rf_result read_foreign(const char *path, rf_profile *p, warns *w) {
    size_t n;
    char *doc = rf_test_read(path, &n);
    rf_parse_options o;
    rf_parser *ps;
    rf_error err;
    rf_result r;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_SVG;
    o.warn = on_warn;
    o.warn_ctx = w;
    ps = rf_parser_new(p, &o);
    assert_non_null(ps);
    memset(&err, 0, sizeof err);
    ps->err = &err;
    r = rf__svg_foreign(ps, doc, n);
    rf_parser_free(ps);
    free(doc);
    return r;
}

static const char *fixture(const char *name) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/tests/analysis/fixtures/%s", rf_test_root(), name);
    return buf;
}

static void check_foreign(const char *svg, const char *folded_name, int want_warns) {
    rf_profile *p = rf_profile_new(NULL);
    warns w = {0};
    size_t n;
    char *want = rf_test_read(fixture(folded_name), &n), *got;
    rf_profile *q = folded(want);
    char *want_sorted = rf_test_folded(q);
    assert_int_equal(read_foreign(fixture(svg), p, &w), RF_OK);
    got = rf_test_folded(p);
    assert_string_equal(got, want_sorted);
    assert_int_equal(w.n, want_warns);
    free(got);
    free(want);
    free(want_sorted);
    rf_profile_free(q);
    rf_profile_free(p);
}

static void test_foreign_svgs(void **state) {
    rf_profile *p;
    warns w = {0};
    rf_parse_options o;
    rf_parser *ps;
    rf_error err;
    (void)state;
    check_foreign("flamegraph-pl-small.svg", "small.folded", 1);
    check_foreign("flamegraph-pl-inverted.svg", "small.folded", 1);
    check_foreign("inferno-narrow.svg", "inferno-narrow.expected.folded", 1);
    /* an SVG without frames */
    p = rf_profile_new(NULL);
    memset(&o, 0, sizeof o);
    ps = rf_parser_new(p, &o);
    ps->err = &err;
    assert_int_equal(rf__svg_foreign(ps, "<svg><title>x</title></svg>", 27), RF_ERR_UNSUPPORTED);
    assert_int_equal(rf__svg_foreign(ps, "<svg><g><title>f (x samples, 1%)</title><rect x=\"1\" y=\"2\" width=\"3\"/></g></svg>", 80),
                     RF_ERR_UNSUPPORTED);
    rf_parser_free(ps);
    rf_profile_free(p);
    (void)w;
}

/* Every allocation failure is reported, nothing leaks. */
static void test_alloc_failures(void **state) {
    long k;
    (void)state;
    for (k = 0; k < 400; k++) {
        rf_test_alloc ta = {0, 0, 0, 0, 0, 0};
        rf_allocator al;
        rf_profile *p, *a, *out = NULL;
        rf_view_options o;
        rf_diff_options d;
        rf_top_entry e[4];
        size_t n;
        rf_result r1, r2, r3;
        ta.fail_at = -1;
        al = rf_test_allocator(&ta);
        p = rf_profile_new(&al);
        a = rf_profile_new(&al);
        assert_int_equal(rf_profile_add(p, NULL, 0, 1), RF_OK);
        {
            rf_strview f[3];
            f[0].ptr = "main"; f[0].len = 4; f[1].ptr = "0xab"; f[1].len = 4; f[2].ptr = "main"; f[2].len = 4;
            assert_int_equal(rf_profile_add(p, f, 3, 5), RF_OK);
            assert_int_equal(rf_profile_add(a, f, 2, 7), RF_OK);
        }
        ta.fail_at = ta.count + k;
        memset(&o, 0, sizeof o);
        o.reverse = o.collapse_recursion = o.strip_hex = 1;
        o.root = "r";
        o.annotate = "_[w]";
        r1 = rf_profile_view(p, &o, &out);
        rf_profile_free(out);
        out = NULL;
        memset(&d, 0, sizeof d);
        d.normalize = d.strip_hex = 1;
        r2 = rf_profile_diff(p, a, &d, &out);
        rf_profile_free(out);
        r3 = rf_profile_top(p, RF_TOP_TOTAL, 0, e, 4, &n);
        assert_true(r1 == RF_OK || r1 == RF_ERR_OUT_OF_MEMORY);
        assert_true(r2 == RF_OK || r2 == RF_ERR_OUT_OF_MEMORY);
        assert_true(r3 == RF_OK || r3 == RF_ERR_OUT_OF_MEMORY);
        rf_profile_free(p);
        rf_profile_free(a);
        assert_int_equal(ta.live_blocks, 0);
        if (r1 == RF_OK && r2 == RF_OK && r3 == RF_OK) break;
    }
    assert_true(k < 400);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_identity),
        cmocka_unit_test(test_view_focus_ignore),
        cmocka_unit_test(test_view_hide_skip),
        cmocka_unit_test(test_view_recursion_reverse),
        cmocka_unit_test(test_view_strip_hex_root_annotate_multiply),
        cmocka_unit_test(test_view_multiply_overflow),
        cmocka_unit_test(test_view_group_by),
        cmocka_unit_test(test_view_keeps_columns_and_metadata),
        cmocka_unit_test(test_diff_inferno_cases),
        cmocka_unit_test(test_diff_exact_and_normalize),
        cmocka_unit_test(test_top_hand_computed),
        cmocka_unit_test(test_top_change),
        cmocka_unit_test(test_foreign_svgs),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
