/* Core: profile/call tree, folded parser, folded writer, errors, allocation failures. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

static rf_profile *parse_folded(const char *text, rf_error *err, rf_result *res) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parse_options o;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_FOLDED;
    *res = rf_parse(p, text, strlen(text), &o, err);
    return p;
}

static void check_folded(const char *in, const char *want) {
    rf_error err;
    rf_result r;
    rf_profile *p = parse_folded(in, &err, &r);
    char *got;
    assert_int_equal(r, RF_OK);
    got = rf_test_folded(p);
    assert_string_equal(got, want);
    free(got);
    rf_profile_free(p);
}

static void test_merge_identical_stacks(void **state) {
    rf_profile *p = rf_profile_new(NULL);
    rf_strview f[3];
    uint32_t a, b;
    (void)state;
    f[0].ptr = "main"; f[0].len = 4;
    f[1].ptr = "work"; f[1].len = 4;
    f[2].ptr = "leaf"; f[2].len = 4;
    assert_int_equal(rf_profile_add(p, f, 3, 5), RF_OK);
    assert_int_equal(rf_profile_add(p, f, 3, 7), RF_OK);
    assert_int_equal(rf_profile_add(p, f, 2, 1), RF_OK);
    assert_int_equal(rf_profile_node_count(p), 4); /* root + 3 */
    assert_int_equal(rf_profile_name_count(p), 3);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 13);
    a = rf_node_child(p, RF_NODE_ROOT, "main", 4);
    b = rf_node_child(p, a, "work", 4);
    assert_int_equal(rf_node_total(p, b, 0), 13);
    assert_int_equal(rf_node_self(p, b, 0), 1);
    assert_int_equal(rf_node_self(p, rf_node_child(p, b, "leaf", 4), 0), 12);
    assert_int_equal(rf_node_depth(p, b), 2);
    assert_int_equal(rf_node_child(p, b, "nope", 4), RF_NODE_NONE);
    assert_int_equal(rf_profile_samples(p), 3);
    assert_int_equal(rf_profile_add(p, f, 3, -1), RF_ERR_INVALID_ARGUMENT);
    assert_int_equal(rf_profile_add_diff(p, f, 3, 1, 2), RF_ERR_INVALID_ARGUMENT); /* not empty */
    rf_profile_free(p);
}

static void test_folded_basics(void **state) {
    (void)state;
    /* count after the LAST space: frames may contain spaces; unsorted input comes out sorted */
    check_folded("b;c d 2\na;b 1\na;b 4\n", "a;b 5\nb;c d 2\n");
    /* CRLF, blank lines, whitespace runs, tabs, missing final newline */
    check_folded("a;b 1\r\n\r\n\n  \na;c\t 3  \r\na 2", "a 2\na;b 1\na;c 3\n");
    /* trailing empty frames are dropped like Perl's split; no frames -> root */
    check_folded("a;b; 1\n 4\n", " 4\na;b 1\n");
    /* Perl cmp order: shorter prefix first, bytewise */
    check_folded("a;b 1\na 1\na-x 1\na b 1\n", "a 1\na b 1\na-x 1\na;b 1\n");
    /* zero counts add nothing */
    check_folded("a 0\nb 1\n", "b 1\n");
}

static void test_folded_fractional(void **state) {
    (void)state;
    check_folded("a 1.5\nb 2\na 0.25\n", "a 1.75\nb 2\n");
    check_folded("a 19.0\nb 2.\n", "a 19\nb 2\n");
    /* beyond RF_MAX_DECIMALS digits: rounded half up */
    check_folded("a 14.2343983248722834234\n", "a 14.234398325\n");
    /* the profile keeps the exact fixed-point value */
    {
        rf_error err;
        rf_result r;
        rf_profile *p = parse_folded("a 1.5\nb 2\n", &err, &r);
        assert_int_equal(rf_profile_decimals(p), 1);
        assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 35);
        rf_profile_free(p);
    }
}

static void test_folded_differential(void **state) {
    rf_error err;
    rf_result r;
    rf_profile *p;
    (void)state;
    check_folded("a;b 3 5\na 1 0\nb c 0 2\n", "a 1 0\na;b 3 5\nb c 0 2\n");
    p = parse_folded("a;b 3 5\na 1 0\n", &err, &r);
    assert_int_equal(r, RF_OK);
    assert_int_equal(rf_profile_columns(p), 2);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 4);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 1), 5);
    rf_profile_free(p);
    /* mixed scales in one line */
    check_folded("a 1.5 2\n", "a 1.5 2\n");
}

static void test_malformed_lines(void **state) {
    rf_error err;
    rf_result r;
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps;
    rf_parse_options o;
    const char *in = "a 1\nTHIS IS BAD\nb 2\nc 12V.43\nd -4\n";
    (void)state;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_FOLDED;
    ps = rf_parser_new(p, &o);
    assert_int_equal(rf_parser_feed(ps, in, strlen(in), &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    assert_int_equal(rf_parser_stats(ps)->skipped, 3);
    assert_int_equal(rf_parser_stats(ps)->first_skipped_line, 2);
    assert_non_null(rf_parser_stats(ps)->first_skipped_reason);
    assert_int_equal(rf_parser_stats(ps)->samples, 2);
    rf_parser_free(ps);
    rf_profile_free(p);
    /* strict: the first bad line is an error with its line number and offset */
    p = rf_profile_new(NULL);
    o.strict = 1;
    r = rf_parse(p, in, strlen(in), &o, &err);
    assert_int_equal(r, RF_ERR_SYNTAX);
    assert_int_equal(err.code, RF_ERR_SYNTAX);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.byte_offset, 4);
    assert_int_equal(err.format, RF_FORMAT_FOLDED);
    assert_non_null(strstr(err.message, "COUNT"));
    /* a failed parser stays failed */
    rf_profile_free(p);
}

static void test_hostile_bytes_kept(void **state) {
    static const char in[] = "a\0b;\xff\xfe;x</script> 3\n";
    rf_profile *p = rf_profile_new(NULL);
    rf_error err;
    uint32_t n;
    rf_strview v;
    (void)state;
    rf_parse_options o;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_FOLDED; /* NUL bytes make auto-detection call it binary */
    assert_int_equal(rf_parse(p, in, sizeof in - 1, &o, &err), RF_OK);
    n = rf_node_first_child(p, RF_NODE_ROOT);
    v = rf_node_name(p, n);
    assert_int_equal(v.len, 3);
    assert_memory_equal(v.ptr, "a\0b", 3);
    rf_profile_free(p);
}

static void test_overflow(void **state) {
    rf_error err;
    rf_result r;
    rf_profile *p = parse_folded("a 9223372036854775807\nb 1\n", &err, &r);
    (void)state;
    assert_int_equal(r, RF_ERR_OVERFLOW);
    rf_profile_free(p);
    /* a count that does not fit int64 is a malformed line, not a wrap-around */
    p = parse_folded("a 99999999999999999999\nb 1\n", &err, &r);
    assert_int_equal(r, RF_OK);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 1);
    rf_profile_free(p);
    /* huge integers then a fraction: the fraction is rounded, not an overflow */
    p = parse_folded("a 9000000000000000000\nb 0.6\n", &err, &r);
    assert_int_equal(r, RF_OK);
    assert_int_equal(rf_profile_decimals(p), 0);
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 9000000000000000001LL);
    rf_profile_free(p);
}

static void test_format_weight(void **state) {
    char b[32];
    (void)state;
    assert_int_equal(rf_format_weight(0, 0, b), 1); assert_string_equal(b, "0");
    assert_int_equal(rf_format_weight(1234, 0, b), 4); assert_string_equal(b, "1234");
    rf_format_weight(1234, 2, b); assert_string_equal(b, "12.34");
    rf_format_weight(1230, 2, b); assert_string_equal(b, "12.3");
    rf_format_weight(1200, 2, b); assert_string_equal(b, "12");
    rf_format_weight(5, 3, b); assert_string_equal(b, "0.005");
    rf_format_weight(INT64_MAX, 0, b); assert_string_equal(b, "9223372036854775807");
    rf_format_weight(INT64_MIN, 0, b); assert_string_equal(b, "-9223372036854775808");
}

static void test_result_strings(void **state) {
    int i;
    (void)state;
    for (i = -2; i < (int)RF_RESULT_COUNT_ + 2; i++) assert_non_null(rf_result_string((rf_result)i));
    assert_string_equal(rf_result_string(RF_OK), "ok");
    for (i = 0; i < (int)RF_FORMAT_COUNT_; i++)
        assert_int_equal(rf_format_from_name(rf_format_name((rf_format)i)), i);
    assert_int_equal(rf_format_from_name("nonsense"), RF_FORMAT_COUNT_);
}

/* Every folded file of the test data: byte-at-a-time and odd chunk sizes give
   the same profile as one shot. */
static const char *folded_files[] = {
    "inferno/collapse-perf/example-perf-stacks-collapsed.txt",
    "inferno/flamegraph/bad-lines/bad-lines.txt",
    "inferno/flamegraph/differential/perf-cycles-instructions-01-collapsed-all-diff.txt",
    "inferno/flamegraph/flamechart/flames.txt",
    "inferno/flamegraph/fractional-samples/fractional.txt",
    "inferno/flamegraph/fractional-samples/no-fractionals.txt",
    "inferno/flamegraph/fractional-samples/tricky-stack.txt",
    "inferno/flamegraph/fractional-samples/with-space.txt",
    "inferno/flamegraph/fractional-samples/zero-fractionals.txt",
    "inferno/diff-folded/before.txt",
    "inferno/diff-folded/after.txt",
    "inferno/diff-folded/before_fractionals.txt",
    "real/go119-cpu.expected.folded",
    "real/perf-inline.folded",
    "real/perf-sched_switch.tid.folded",
};

static void test_streaming_equals_one_shot(void **state) {
    size_t i, k;
    static const size_t chunks[] = {1, 2, 3, 7, 4096};
    (void)state;
    for (i = 0; i < sizeof folded_files / sizeof *folded_files; i++) {
        size_t n;
        char *data = rf_test_read(rf_test_data(folded_files[i]), &n);
        rf_profile *one = rf_profile_new(NULL);
        rf_error err;
        char *want;
        assert_int_equal(rf_test_parse(one, data, n, NULL, 0, &err), RF_OK);
        want = rf_test_folded(one);
        assert_true(strlen(want) > 0);
        for (k = 0; k < sizeof chunks / sizeof *chunks; k++) {
            rf_profile *p = rf_profile_new(NULL);
            char *got;
            /* byte-at-a-time only for the smaller files: it is O(n) anyway */
            if (chunks[k] == 1 && n > 200000) { rf_profile_free(p); continue; }
            assert_int_equal(rf_test_parse(p, data, n, NULL, chunks[k], &err), RF_OK);
            got = rf_test_folded(p);
            if (strcmp(got, want) != 0) fail_msg("%s: chunk %zu differs", folded_files[i], chunks[k]);
            free(got);
            rf_profile_free(p);
        }
        free(want);
        rf_profile_free(one);
        free(data);
    }
}

/* Folded input -> folded output is the identity on sorted, merged input. */
static void test_folded_round_trip(void **state) {
    size_t n;
    char *data = rf_test_read(rf_test_data("inferno/collapse-perf/example-perf-stacks-collapsed.txt"), &n);
    rf_profile *p = rf_profile_new(NULL), *q = rf_profile_new(NULL);
    rf_error err;
    char *a, *b;
    (void)state;
    assert_int_equal(rf_parse(p, data, n, NULL, &err), RF_OK);
    a = rf_test_folded(p);
    assert_int_equal(rf_parse(q, a, strlen(a), NULL, &err), RF_OK);
    b = rf_test_folded(q);
    assert_string_equal(a, b);
    assert_int_equal(rf_node_total(p, 0, 0), rf_node_total(q, 0, 0));
    assert_int_equal(rf_profile_node_count(p), rf_profile_node_count(q));
    free(a); free(b); free(data);
    rf_profile_free(p);
    rf_profile_free(q);
}

/* The folded writer walks the tree (children sorted by "name" / "name;..." keys) instead of
   sorting every line as text; both must give the same bytes. Names sit around ';' in byte order
   (':' '<' '!' ' '), are prefixes of each other, empty, or not ASCII; one and two columns,
   decimals, weight at the root (the empty stack) and zero-weight leaves. */
static void test_folded_tree_order(void **state) {
    static const char *const alpha[] = {"", "a", "a!", "a:", "a<", "a b", "ab", "a~", "A", ":", "<", "z",
                                        "\xc3\xa9", "a\x7f", "aa", "a!b"};
    uint64_t x = 88172645463325252ull;
    int t;
    (void)state;
    for (t = 0; t < 60; t++) {
        rf_profile *p = rf_profile_new(NULL);
        rf_test_str a = {NULL, 0, 0}, b = {NULL, 0, 0};
        int i, cols = t % 3 == 2 ? 2 : 1, dec = t % 5 == 4 ? 2 : 0;
        size_t nalpha = t % 2 ? 16 : 5;
        for (i = 0; i < 300; i++) {
            rf_strview fr[8];
            size_t d, depth;
            int64_t w0, w1;
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            depth = (size_t)(x % 8); /* 0: the root's own weight */
            for (d = 0; d < depth; d++) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                fr[d].ptr = alpha[x % nalpha];
                fr[d].len = strlen(fr[d].ptr);
            }
            w0 = (int64_t)((x >> 20) % 4); /* zeros too: nodes without a line of their own */
            w1 = (int64_t)((x >> 30) % 3);
            if (cols == 2) assert_int_equal(rf_profile_add_scaled(p, fr, depth, w0, w1, dec), RF_OK);
            else if (w0) assert_int_equal(rf_profile_add_scaled(p, fr, depth, w0, 0, dec), RF_OK);
        }
        rf_test_str_write(&a, "", 0);
        rf_test_str_write(&b, "", 0);
        assert_int_equal(rf__write_folded_tree(p, rf_test_str_write, &a), RF_OK);
        assert_int_equal(rf__write_folded_text(p, rf_test_str_write, &b), RF_OK);
        assert_string_equal(a.s, b.s);
        assert_int_equal(rf_write_folded(p, rf_test_str_write, &a), RF_OK);
        free(a.s);
        free(b.s);
        rf_profile_free(p);
    }
    { /* a name with ';' takes the text sort: the tree order cannot tell the frame "a;c" from
         the frames "a", "c", and would write what came first first */
        rf_profile *p = rf_profile_new(NULL);
        rf_strview fr[3];
        rf_test_str a = {NULL, 0, 0}, tree = {NULL, 0, 0};
        fr[0].ptr = "x";
        fr[0].len = 1;
        fr[1].ptr = "a;c";
        fr[1].len = 3;
        assert_int_equal(rf_profile_add(p, fr, 2, 1), RF_OK);
        fr[1].ptr = "a";
        fr[1].len = 1;
        fr[2].ptr = "b";
        fr[2].len = 1;
        assert_int_equal(rf_profile_add(p, fr, 3, 2), RF_OK);
        rf_test_str_write(&a, "", 0);
        rf_test_str_write(&tree, "", 0);
        assert_int_equal(rf_write_folded(p, rf_test_str_write, &a), RF_OK);
        assert_string_equal(a.s, "x;a;b 2\nx;a;c 1\n");
        assert_int_equal(rf__write_folded_tree(p, rf_test_str_write, &tree), RF_OK);
        assert_string_equal(tree.s, "x;a;c 1\nx;a;b 2\n");
        free(a.s);
        free(tree.s);
        rf_profile_free(p);
    }
}

static void test_merge_profiles(void **state) {
    rf_error err;
    rf_result r;
    rf_profile *a = parse_folded("x;y 1\nx 2\n", &err, &r);
    rf_profile *b = parse_folded("x;y 3.5\nz 1\n", &err, &r);
    rf_profile *d = parse_folded("x 1 2\n", &err, &r);
    char *s;
    (void)state;
    assert_int_equal(rf_profile_merge(a, b), RF_OK);
    s = rf_test_folded(a);
    assert_string_equal(s, "x 2\nx;y 4.5\nz 1\n");
    free(s);
    assert_int_equal(rf_profile_samples(a), 4);
    assert_int_equal(rf_profile_merge(a, d), RF_ERR_INVALID_ARGUMENT);
    assert_int_equal(rf_profile_merge(a, a), RF_ERR_INVALID_ARGUMENT);
    rf_profile_free(a);
    rf_profile_free(b);
    rf_profile_free(d);
}

static void test_auto_detect_and_empty(void **state) {
    rf_profile *p = rf_profile_new(NULL);
    rf_error err;
    rf_parser *ps;
    (void)state;
    /* empty input is an empty profile, not an error */
    assert_int_equal(rf_parse(p, "", 0, NULL, &err), RF_OK);
    assert_int_equal(rf_node_total(p, 0, 0), 0);
    /* finishing twice is an argument error; feeding after failure repeats the failure */
    ps = rf_parser_new(p, NULL);
    assert_int_equal(rf_parser_feed(ps, "a 1\n", 4, &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    assert_int_equal(rf_parser_stats(ps)->format, RF_FORMAT_FOLDED);
    assert_int_equal(rf_parser_finish(ps, &err), RF_ERR_INVALID_ARGUMENT);
    rf_parser_free(ps);
    rf_profile_free(p);
}

/* Fail the Nth allocation for every N: the parse reports RF_ERR_OUT_OF_MEMORY
   (or succeeds once N is past the last allocation), and nothing leaks. */
static void test_allocation_failures(void **state) {
    size_t n;
    char *data = rf_test_read(rf_test_data("inferno/flamegraph/differential/perf-cycles-instructions-01-collapsed-all-diff.txt"), &n);
    rf_test_alloc counter;
    rf_allocator al;
    long total, i;
    rf_error err;
    rf_profile *p;
    (void)state;
    memset(&counter, 0, sizeof counter);
    counter.fail_at = -1;
    al = rf_test_allocator(&counter);
    p = rf_profile_new(&al);
    assert_int_equal(rf_parse(p, data, n, NULL, &err), RF_OK);
    free(rf_test_folded(p));
    rf_profile_free(p);
    total = counter.count;
    assert_int_equal(counter.live_blocks, 0);
    assert_true(total > 5);
    for (i = 0; i <= total + 1; i++) {
        rf_result r;
        memset(&counter, 0, sizeof counter);
        counter.fail_at = i;
        al = rf_test_allocator(&counter);
        p = rf_profile_new(&al);
        if (!p) { assert_int_equal(counter.live_blocks, 0); continue; }
        r = rf_parse(p, data, n, NULL, &err);
        assert_true(r == RF_OK || r == RF_ERR_OUT_OF_MEMORY);
        if (r == RF_ERR_OUT_OF_MEMORY) assert_int_equal(err.code, RF_ERR_OUT_OF_MEMORY);
        if (r == RF_OK) {
            rf_test_str b = {NULL, 0, 0};
            rf_result w = rf_write_folded(p, rf_test_str_write, &b);
            assert_true(w == RF_OK || w == RF_ERR_OUT_OF_MEMORY);
            free(b.s);
        }
        rf_profile_free(p);
        assert_int_equal(counter.live_blocks, 0);
        assert_int_equal(counter.live_bytes, 0);
    }
    free(data);
}

static int stop_after_two(void *ctx, const rf_strview *f, size_t n, const int64_t *self) {
    int *calls = (int *)ctx;
    (void)f; (void)n; (void)self;
    return ++*calls == 2;
}

static void test_foreach_stops(void **state) {
    rf_error err;
    rf_result r;
    rf_profile *p = parse_folded("a 1\nb 1\nc 1\n", &err, &r);
    int calls = 0;
    (void)state;
    assert_int_equal(rf_profile_foreach_stack(p, stop_after_two, &calls), RF_ERR_WRITE);
    assert_int_equal(calls, 2);
    rf_profile_free(p);
}

/* rf__profile_add_rows (the pprof reader's bulk build) must give the tree that adding the
   rows one by one gives: node for node (ids, links, depths, weights) and the same child
   lookups. Rows from a small alphabet share prefixes, repeat, and end inside each other. */
static void test_add_rows_matches_one_by_one(void **state) {
    uint32_t seed = 12345, round;
    (void)state;
    for (round = 0; round < 200; round++) {
        uint32_t ids[4000], start[301], names[8];
        int64_t w[300];
        size_t n = 1 + (size_t)(round % 300), i, total = 0, alphabet = 1 + round % 7;
        rf_profile *bulk = rf_profile_new(NULL), *one = rf_profile_new(NULL);
        assert_non_null(bulk);
        assert_non_null(one);
        for (i = 0; i < 8; i++) {
            char nm[2] = {(char)('a' + i), 0};
            names[i] = rf__intern(bulk, nm, 1);
            assert_int_equal(rf__intern(one, nm, 1), names[i]);
        }
        start[0] = 0;
        for (i = 0; i < n; i++) {
            size_t len, j;
            seed = seed * 1103515245u + 12345u;
            len = 1 + (seed >> 16) % (round % 3 == 0 ? 3 : 12);
            if (total + len > 4000) len = 1;
            for (j = 0; j < len; j++) {
                seed = seed * 1103515245u + 12345u;
                ids[total + j] = names[(seed >> 16) % alphabet];
            }
            if (i > 0 && (seed >> 8) % 4 == 0) { /* copy a prefix of an earlier row */
                size_t from = start[(seed >> 12) % i], flen = start[(seed >> 12) % i + 1] - from;
                for (j = 0; j < len && j < flen; j++) ids[total + j] = ids[from + j];
            }
            total += len;
            start[i + 1] = (uint32_t)total;
            w[i] = 1 + (int64_t)((seed >> 20) % 100);
            assert_int_equal(rf__profile_add_ids(one, ids + start[i], len, w[i], 0, 0), RF_OK);
        }
        assert_int_equal(rf__profile_add_rows(bulk, ids, start, w, n), RF_OK);
        assert_int_equal(rf_profile_node_count(bulk), rf_profile_node_count(one));
        /* the bulk add leaves the child table to the first lookup that needs it: a const
           lookup walks the siblings meanwhile */
        assert_true(bulk->child_tab_nodes < bulk->nnodes);
        for (i = 0; i < rf_profile_node_count(one); i++) {
            uint32_t j;
            for (j = 0; j < 8; j++) {
                char nm[2] = {(char)('a' + j), 0};
                assert_int_equal(rf_node_child(bulk, (uint32_t)i, nm, 1), rf_node_child(one, (uint32_t)i, nm, 1));
            }
        }
        assert_true(bulk->child_tab_nodes < bulk->nnodes);
        assert_int_equal(rf_profile_samples(bulk), rf_profile_samples(one));
        assert_int_equal(rf_profile_max_depth(bulk), rf_profile_max_depth(one));
        for (i = 0; i < rf_profile_node_count(one); i++) {
            uint32_t nd = (uint32_t)i, j;
            assert_int_equal(rf_node_parent(bulk, nd), rf_node_parent(one, nd));
            assert_int_equal(rf_node_first_child(bulk, nd), rf_node_first_child(one, nd));
            assert_int_equal(rf_node_next_sibling(bulk, nd), rf_node_next_sibling(one, nd));
            assert_int_equal(rf_node_depth(bulk, nd), rf_node_depth(one, nd));
            assert_int_equal(rf_node_total(bulk, nd, 0), rf_node_total(one, nd, 0));
            assert_int_equal(rf_node_self(bulk, nd, 0), rf_node_self(one, nd, 0));
            assert_int_equal(bulk->nodes[nd].name, one->nodes[nd].name);
            assert_int_equal(bulk->nodes[nd].last_child, one->nodes[nd].last_child);
            for (j = 0; j < 8; j++)
                assert_int_equal(rf__child(bulk, nd, names[j], 0), rf__child(one, nd, names[j], 0));
        }
        assert_int_equal(bulk->child_tab_nodes, bulk->nnodes);
        /* adding after a bulk add: an old row again and a new one */
        {
            uint32_t more[3] = {ids[0], names[7], names[6]};
            for (i = 0; i < 2; i++) {
                assert_int_equal(rf__profile_add_ids(bulk, i ? more : ids, i ? 3 : start[1], 5, 0, 0), RF_OK);
                assert_int_equal(rf__profile_add_ids(one, i ? more : ids, i ? 3 : start[1], 5, 0, 0), RF_OK);
            }
            assert_int_equal(rf_profile_node_count(bulk), rf_profile_node_count(one));
            for (i = 0; i < rf_profile_node_count(one); i++) {
                assert_int_equal(rf_node_parent(bulk, (uint32_t)i), rf_node_parent(one, (uint32_t)i));
                assert_int_equal(rf_node_total(bulk, (uint32_t)i, 0), rf_node_total(one, (uint32_t)i, 0));
            }
        }
        rf_profile_free(bulk);
        rf_profile_free(one);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_identical_stacks),
        cmocka_unit_test(test_folded_basics),
        cmocka_unit_test(test_folded_fractional),
        cmocka_unit_test(test_folded_differential),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_hostile_bytes_kept),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_format_weight),
        cmocka_unit_test(test_result_strings),
        cmocka_unit_test(test_streaming_equals_one_shot),
        cmocka_unit_test(test_folded_round_trip),
        cmocka_unit_test(test_folded_tree_order),
        cmocka_unit_test(test_merge_profiles),
        cmocka_unit_test(test_auto_detect_and_empty),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_foreach_stops),
        cmocka_unit_test(test_add_rows_matches_one_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
