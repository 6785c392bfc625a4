/* SVG writer and reader: golden files, round trips of every folded test input, drawn frames
   against the call tree, hostile names, differential graphs, budgets, options, errors,
   allocation failures. Goldens live in tests/golden/ and are rewritten only by
   tools/svg/update_golden.sh (RF_UPDATE_GOLDEN=1), never by a normal run. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"
#include <dirent.h>

/* ---- helpers ---- */
static rf_profile *folded(const char *text, size_t n) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parse_options o;
    rf_error err;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_FOLDED;
    assert_non_null(p);
    assert_int_equal(rf_parse(p, text, n, &o, &err), RF_OK);
    return p;
}
static rf_profile *folded_str(const char *text) { return folded(text, strlen(text)); }

static char *render(const rf_profile *p, const rf_svg_options *o, rf_result want, size_t *len) {
    rf_test_str b = {NULL, 0, 0};
    rf_test_str_write(&b, "", 0);
    assert_int_equal(rf_write_svg(p, o, rf_test_str_write, &b), want);
    if (len) *len = b.len;
    return b.s;
}

typedef struct warn_count { int n; char last[256]; } warn_count;
static void count_warn(void *ctx, const rf_error *w) {
    warn_count *c = (warn_count *)ctx;
    c->n++;
    snprintf(c->last, sizeof c->last, "%s", w->message);
}

/* Reads an SVG back, in one shot or `chunk` bytes at a time. */
static rf_profile *read_svg(const char *svg, size_t n, size_t chunk, warn_count *wc, rf_result want) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parse_options o;
    rf_error err;
    memset(&o, 0, sizeof o);
    o.warn = count_warn;
    o.warn_ctx = wc;
    assert_int_equal(rf_test_parse(p, svg, n, &o, chunk, &err), want);
    return p;
}

static size_t count_of(const char *hay, size_t n, const char *needle) {
    size_t k = strlen(needle), i, c = 0;
    for (i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k)) c++;
    return c;
}

/* Well-formedness checks that need no XML parser: valid UTF-8, no control characters
   besides \n, the expected number of script elements and CDATA sections. */
static void check_safe(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\n') fail_msg("control byte 0x%02x at %zu", c, i);
            i++;
            continue;
        }
        {
            size_t k = rf__utf8_seq((const unsigned char *)s + i, (const unsigned char *)s + n);
            if (!k) fail_msg("invalid UTF-8 at %zu", i);
            i += k;
        }
    }
    assert_int_equal(count_of(s, n, "<script"), 2);
    assert_int_equal(count_of(s, n, "</script>"), 2);
    assert_int_equal(count_of(s, n, "]]>"), 1);
    assert_int_equal(count_of(s, n, "<![CDATA["), 1);
    assert_int_equal(count_of(s, n, "<svg"), 1);
    assert_int_equal(count_of(s, n, "</svg>"), 1);
}

static void assert_same_folded(const rf_profile *a, const rf_profile *b) {
    char *fa = rf_test_folded(a), *fb = rf_test_folded(b);
    assert_string_equal(fa, fb);
    free(fa);
    free(fb);
}

/* ---- golden files ---- */
static void golden(const char *name, const char *input_rel, const rf_svg_options *o, int from_testdata) {
    char path[4096], in[4096];
    size_t n, glen, len;
    char *text, *svg, *want;
    rf_profile *p;
    const char *upd = getenv("RF_UPDATE_GOLDEN");
    if (from_testdata) snprintf(in, sizeof in, "%s", rf_test_data(input_rel));
    else snprintf(in, sizeof in, "%s/tests/golden/%s", rf_test_root(), input_rel);
    text = rf_test_read(in, &n);
    p = folded(text, n);
    svg = render(p, o, RF_OK, &len);
    snprintf(path, sizeof path, "%s/tests/golden/%s.svg", rf_test_root(), name);
    if (upd && !strcmp(upd, "1")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(svg, 1, len, f), len);
        fclose(f);
    }
    want = rf_test_read(path, &glen);
    if (glen != len || memcmp(want, svg, len) != 0)
        fail_msg("%s differs from the golden file (if the change is intended: tools/svg/update_golden.sh)", path);
    free(want);
    free(svg);
    free(text);
    rf_profile_free(p);
}

static void test_golden(void **state) {
    rf_svg_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    golden("small-default", "small.folded", &o, 0);
    golden("fractional", "inferno/flamegraph/fractional-samples/fractional.txt", &o, 1);
    golden("differential", "inferno/flamegraph/differential/perf-cycles-instructions-01-collapsed-all-diff.txt", &o, 1);
    o.colors = "java";
    o.inverted = 1;
    o.subtitle = "subtitle & <notes>";
    o.notes = "a -- note";
    golden("small-java-icicle", "small.folded", &o, 0);
    memset(&o, 0, sizeof o);
    o.reverse = 1;
    o.sort = "weight";
    o.truncate = "left";
    o.hash = 1;
    o.colors = "mem";
    o.minwidth = "2%";
    o.width = 600;
    golden("small-reverse-weight", "small.folded", &o, 0);
}

/* ---- every folded input: render, read back, same folded text ---- */
static int roundtrip_file(const char *path) {
    size_t n, len;
    char *text = rf_test_read(path, &n), *svg;
    rf_profile *p = folded(text, n), *q;
    rf_svg_options o;
    warn_count wc = {0, ""};
    memset(&o, 0, sizeof o);
    svg = render(p, &o, rf_profile_node_count(p) > 1 ? RF_OK : RF_ERR_EMPTY, &len);
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_same_folded(p, q);
    assert_int_equal(rf_profile_decimals(p), rf_profile_decimals(q));
    assert_int_equal(rf_profile_columns(p), rf_profile_columns(q));
    assert_string_equal(rf_profile_unit(p), rf_profile_unit(q));
    assert_int_equal(wc.n, 0);
    rf_profile_free(q);
    free(svg);
    /* stack-reversed graphs keep the original stacks too */
    o.reverse = 1;
    svg = render(p, &o, rf_profile_node_count(p) > 1 ? RF_OK : RF_ERR_EMPTY, &len);
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_same_folded(p, q);
    rf_profile_free(q);
    free(svg);
    rf_profile_free(p);
    free(text);
    return 1;
}

static const char *const folded_inputs[] = {
    "inferno/collapse-perf/example-perf-stacks-collapsed.txt",
    "inferno/flamegraph/bad-lines/bad-lines.txt",
    "inferno/flamegraph/differential/perf-cycles-instructions-01-collapsed-all-diff.txt",
    "inferno/flamegraph/flamechart/flames.txt",
    "inferno/flamegraph/fractional-samples/fractional.txt",
    "inferno/flamegraph/fractional-samples/no-fractionals.txt",
    "inferno/flamegraph/fractional-samples/tricky-stack.txt",
    "inferno/flamegraph/fractional-samples/with-space.txt",
    "inferno/flamegraph/fractional-samples/zero-fractionals.txt",
    "inferno/diff-folded/after.txt",
    "inferno/diff-folded/before.txt",
    "inferno/diff-folded/before_fractionals.txt",
    "inferno/diff-folded/bad_before.txt",
    "inferno/diff-folded/results/default.txt",
    "inferno/diff-folded/results/fractionals.txt",
    "inferno/diff-folded/results/normalize.txt",
    "inferno/diff-folded/results/strip_hex.txt",
    "real/go119-cpu.expected.folded",
    "real/go119-heap.expected.folded",
    "real/perf-inline.folded",
    "real/perf-sched_switch.tid.folded",
};

static void test_roundtrip_all_folded(void **state) {
    size_t i, files = 0;
    DIR *d;
    struct dirent *e;
    char dir[4096], path[8192];
    (void)state;
    for (i = 0; i < sizeof folded_inputs / sizeof folded_inputs[0]; i++)
        files += (size_t)roundtrip_file(rf_test_data(folded_inputs[i]));
    snprintf(dir, sizeof dir, "%s", rf_test_data("flamegraph-pl/test/results"));
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        files += (size_t)roundtrip_file(path);
    }
    closedir(d);
    assert_true(files >= 21 + 78);
}

/* ---- the drawn frames against the call tree ---- */
typedef struct expect_node { uint32_t depth; char *name; int64_t total; int used; } expect_node;

static void display_name(const rf_profile *p, uint32_t id, rf_test_str *out) {
    rf__svg_out o;
    rf_strview v = rf_node_name(p, id);
    memset(&o, 0, sizeof o);
    o.fn = rf_test_str_write;
    o.ctx = out;
    o.buf = (char *)malloc(RF__SVG_OUTCAP);
    assert_non_null(o.buf);
    out->len = 0;
    rf_test_str_write(out, "", 0);
    if (id == 0) rf__svg_puts(&o, "all");
    else rf__svg_text_range(&o, (const unsigned char *)v.ptr, rf__svg_strip(v.ptr, v.len), 0, (size_t)-1);
    rf__svg_flush(&o);
    free(o.buf);
}

/* Drawn at full width: wide enough, and every ancestor drawn (the root always is). */
static size_t expected_drawn(const rf_profile *p, uint32_t id, double scale, double minw) {
    size_t k = 1;
    uint32_t c;
    for (c = rf_node_first_child(p, id); c != RF_NODE_NONE; c = rf_node_next_sibling(p, c)) {
        int64_t t = rf_node_total(p, c, rf_profile_columns(p) - 1);
        if (t > 0 && (double)t * scale >= minw) k += expected_drawn(p, c, scale, minw);
    }
    return k;
}

static void check_titles(const rf_profile *p, const char *svg, size_t len) {
    size_t n = rf_profile_node_count(p), i, frames = 0;
    expect_node *ex = (expect_node *)calloc(n, sizeof *ex);
    rf_test_str name = {NULL, 0, 0};
    const char *row, *end = svg + len;
    int col = rf_profile_columns(p) - 1;
    double total = (double)rf_node_total(p, 0, col);
    uint32_t depth = 0;
    assert_non_null(ex);
    for (i = 0; i < n; i++) {
        display_name(p, (uint32_t)i, &name);
        ex[i].depth = rf_node_depth(p, (uint32_t)i);
        ex[i].name = name.s;
        name.s = NULL;
        name.cap = 0;
        ex[i].total = rf_node_total(p, (uint32_t)i, col);
    }
    row = strstr(svg, "-frames\"");
    assert_non_null(row);
    while ((row = strstr(row, "<g transform=\"translate(0,")) != NULL) {
        const char *next = strstr(row + 1, "<g transform=\"translate(0,"), *g = row;
        if (!next) next = end;
        while ((g = strstr(g, "<g><title>")) != NULL && g < next) {
            const char *t = g + 10, *te = strstr(t, "</title>"), *paren;
            char nm[8192], num[64];
            size_t k = 0, m;
            int64_t count = 0;
            double pct;
            assert_non_null(te);
            /* NAME (N UNIT, P%): the last " (" that starts a count */
            for (paren = te - 1; paren > t; paren--)
                if (paren[0] == '(' && paren[-1] == ' ' && paren[1] >= '0' && paren[1] <= '9') break;
            assert_true(paren > t);
            for (m = 0; t + m < paren - 1; m++) { /* the name as written (XML-escaped, like ex[].name) */
                nm[k++] = t[m];
                assert_true(k < sizeof nm - 1);
            }
            nm[k] = '\0';
            for (m = 0, t = paren + 1; *t != ' '; t++)
                if (*t != ',' && *t != '.') { num[m++] = *t; count = count * 10 + (*t - '0'); }
            num[m] = '\0';
            t = strstr(t, ", ");
            assert_non_null(t);
            pct = strtod(t + 2, NULL);
            assert_true(pct >= 100.0 * (double)count / total - 0.0051 && pct <= 100.0 * (double)count / total + 0.0051);
            /* integer profiles only here: the count is exact */
            for (i = 0; i < n; i++)
                if (!ex[i].used && ex[i].depth == depth && ex[i].total == count && !strcmp(ex[i].name, nm)) break;
            if (i == n) fail_msg("frame \"%s\" (%s) at depth %u matches no call-tree node", nm, num, depth);
            ex[i].used = 1;
            frames++;
            g = te;
        }
        row = next == end ? end : next;
        if (row == end) break;
        depth++;
    }
    assert_int_equal(frames, expected_drawn(p, 0, 1180.0 / total, 0.1));
    for (i = 0; i < n; i++) free(ex[i].name);
    free(ex);
}

static void test_frames_match_tree(void **state) {
    static const char *const inputs[] = {
        "inferno/collapse-perf/example-perf-stacks-collapsed.txt", "inferno/flamegraph/flamechart/flames.txt",
        "real/perf-sched_switch.tid.folded", "flamegraph-pl/test/results/perf-java-stacks-01-collapsed-all.txt"};
    size_t i, n, len;
    (void)state;
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *text = rf_test_read(rf_test_data(inputs[i]), &n), *svg;
        rf_profile *p = folded(text, n);
        svg = render(p, NULL, RF_OK, &len);
        check_titles(p, svg, len);
        check_safe(svg, len);
        free(svg);
        free(text);
        rf_profile_free(p);
    }
}

/* ---- hostile names ---- */
static void test_hostile_names(void **state) {
    static const char *const names[] = {
        "</script><script>window.pwned=1</script>", "]]><svg onload=\"window.pwned=1\">", "a\"b'c&d<e>f",
        "<svg onload=alert(1)>", "\xEF\xBF\xBE\xEF\xBF\xBF nonchars", "bad\xFF\xFE utf8 \xC0\xAF \xED\xA0\x80 end",
        "rtl \xE2\x80\xAE override \xE2\x81\xA6 isolate", "ctl \x01\x02\x1F\x7F \xC2\x85 c1", "--> comment <!--",
        "\\u003c/script> & \\\\", "kernel_[k]", "x_[j]"};
    rf_profile *p = rf_profile_new(NULL), *q;
    rf_strview f[3];
    char nul_name[5] = {'n', '\0', 'u', '\0', 'l'}, *longname = (char *)malloc(3001), *svg;
    size_t i, len;
    warn_count wc = {0, ""};
    rf_svg_options o;
    (void)state;
    assert_non_null(longname);
    for (i = 0; i < 3000; i++) longname[i] = (char)('a' + i % 26);
    longname[2999] = '\xE2'; /* a cut UTF-8 sequence at the very end */
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        f[0].ptr = "root";
        f[0].len = 4;
        f[1].ptr = names[i];
        f[1].len = strlen(names[i]);
        assert_int_equal(rf_profile_add(p, f, 2, (int64_t)(10 + i)), RF_OK);
    }
    f[1].ptr = nul_name;
    f[1].len = 5;
    assert_int_equal(rf_profile_add(p, f, 2, 7), RF_OK);
    f[1].ptr = longname;
    f[1].len = 3000;
    f[2].ptr = names[0];
    f[2].len = strlen(names[0]);
    assert_int_equal(rf_profile_add(p, f, 3, 500), RF_OK);
    memset(&o, 0, sizeof o);
    o.title = "</title><script>window.pwned=1</script>";
    o.subtitle = "]]> & \x01";
    o.notes = "--> <script>x</script> --";
    o.countname = "<b>";
    o.nametype = "</text>";
    svg = render(p, &o, RF_OK, &len);
    check_safe(svg, len);
    assert_null(strstr(svg, "<script>"));
    assert_null(strstr(svg, "<svg onload"));
    assert_non_null(strstr(svg, "&lt;svg onload=alert(1)&gt;"));
    assert_non_null(strstr(svg, "\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned=1\\u003c/script\\u003e"));
    assert_non_null(strstr(svg, "rtl \xEF\xBF\xBD override \xEF\xBF\xBD isolate")); /* bidi neutralised */
    assert_non_null(strstr(svg, "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8"));
    assert_non_null(strstr(svg, "<title>kernel ("));
    assert_null(strstr(svg, "<title>kernel_[k]"));
    /* every byte survives the round trip */
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_same_folded(p, q);
    rf_profile_free(q);
    /* labels are cut on code point boundaries: a wide frame with a long multi-byte name */
    free(svg);
    rf_profile_free(p);
    p = rf_profile_new(NULL);
    f[0].ptr = "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"
               "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E";
    f[0].len = strlen(f[0].ptr);
    assert_int_equal(rf_profile_add(p, f, 1, 3), RF_OK); /* 35.4 px: room for 5 characters */
    f[0].ptr = "b";
    f[0].len = 1;
    assert_int_equal(rf_profile_add(p, f, 1, 97), RF_OK);
    svg = render(p, NULL, RF_OK, &len);
    check_safe(svg, len); /* a label cut mid-character would be invalid UTF-8 here */
    assert_non_null(strstr(svg, ">\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E..</text>"));
    free(svg);
    rf_profile_free(p);
    free(longname);
}

/* ---- differential ---- */
static void test_differential(void **state) {
    rf_profile *p = folded_str("a;grew 10 30\na;shrank 30 10\na;same 5 5\nb 1 0\n");
    size_t len;
    char *svg;
    rf_svg_options o;
    (void)state;
    svg = render(p, NULL, RF_OK, &len);
    /* widths from "after", red grew, blue shrank, white unchanged; titles show before (and its
       share of the before total, 46) and the change (of the after total, 45) */
    assert_non_null(strstr(svg, "<title>grew (30 samples, 66.67%; before 10, 21.74%, +44.44%)</title>"));
    assert_non_null(strstr(svg, "<title>shrank (10 samples, 22.22%; before 30, 65.22%, -44.44%)</title>"));
    assert_non_null(strstr(svg, "<title>same (5 samples, 11.11%; before 5, 10.87%, 0.00%)</title>"));
    assert_non_null(strstr(strstr(svg, "<title>grew ("), "fill=\"#ff0000\""));
    assert_true(strstr(strstr(svg, "<title>grew ("), "fill=\"#ff0000\"") < strstr(svg, "<title>shrank ("));
    assert_non_null(strstr(strstr(svg, "<title>shrank ("), "fill=\"#0000ff\""));
    assert_non_null(strstr(strstr(svg, "<title>same ("), "fill=\"#ffffff\""));
    assert_null(strstr(svg, "<title>b ")); /* zero after: nothing to draw */
    free(svg);
    memset(&o, 0, sizeof o);
    o.negate = 1;
    svg = render(p, &o, RF_OK, &len);
    assert_non_null(strstr(svg, "<title>grew (30 samples, 66.67%; before 10, 21.74%, -44.44%)</title>"));
    assert_non_null(strstr(strstr(svg, "<title>grew ("), "fill=\"#0000ff\""));
    free(svg);
    rf_profile_free(p);
}

/* The frame titled `title` (its whole text) is drawn with this x, width and fill. */
static void assert_frame(const char *svg, const char *title, const char *x, const char *width, const char *fill) {
    char want[512];
    snprintf(want, sizeof want, "<title>%s</title><rect x=\"%s\" width=\"%s\" height=\"15\" fill=\"#%s\"", title, x,
             width, fill);
    if (!strstr(svg, want)) fail_msg("no frame %s", want);
}

/* width_from: the same diff laid out from after, before and max; titles and colours stay. */
static void test_width_from(void **state) {
    /* before total 65, after 60; "gone" vanished, "new" appeared; max layout total 100 */
    static const char *const text = "a;grew 10 30\na;shrank 30 10\na;same 5 5\ngone 20 0\nnew 0 15\n";
    static const char *const t_all = "all (60 samples, 100.00%; before 65, 100.00%, 0.00%)";
    static const char *const t_a = "a (45 samples, 75.00%; before 45, 69.23%, 0.00%)";
    static const char *const t_grew = "grew (30 samples, 50.00%; before 10, 15.38%, +33.33%)";
    static const char *const t_same = "same (5 samples, 8.33%; before 5, 7.69%, 0.00%)";
    static const char *const t_shrank = "shrank (10 samples, 16.67%; before 30, 46.15%, -33.33%)";
    static const char *const t_gone = "gone (0 samples, 0.00%; before 20, 30.77%, -33.33%)";
    static const char *const t_new = "new (15 samples, 25.00%; before 0, 0.00%, +25.00%)";
    rf_profile *p = folded_str(text), *q, *one;
    rf_svg_options o;
    warn_count wc = {0, ""};
    size_t len, len2;
    char *svg, *svg2;
    (void)state;
    memset(&o, 0, sizeof o);
    /* after (the default): 1180 px for 60; "gone" has no width */
    svg = render(p, &o, RF_OK, &len);
    assert_frame(svg, t_all, "10", "1180", "ffffff");
    assert_frame(svg, t_a, "10", "885", "ffffff");
    assert_frame(svg, t_grew, "10", "590", "ff0000");
    assert_frame(svg, t_same, "600", "98.3", "ffffff");
    assert_frame(svg, t_shrank, "698.3", "196.7", "0000ff");
    assert_frame(svg, t_new, "895", "295", "ff3434");
    assert_null(strstr(svg, "<title>gone "));
    assert_non_null(strstr(svg, "\"widthfrom\":\"after\""));
    free(svg);
    /* before: 1180 px for 65; "new" has no width; the hues are not swapped */
    o.width_from = RF_SVG_WIDTH_BEFORE;
    svg = render(p, &o, RF_OK, &len);
    assert_frame(svg, t_all, "10", "1180", "ffffff");
    assert_frame(svg, t_a, "10", "816.9", "ffffff");
    assert_frame(svg, t_grew, "10", "181.5", "ff0000");
    assert_frame(svg, t_same, "191.5", "90.8", "ffffff");
    assert_frame(svg, t_shrank, "282.3", "544.6", "0000ff");
    assert_frame(svg, t_gone, "826.9", "363.1", "0000ff");
    assert_null(strstr(svg, "<title>new "));
    assert_non_null(strstr(svg, "\"widthfrom\":\"before\""));
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_same_folded(p, q);
    rf_profile_free(q);
    free(svg);
    /* max: 1180 px for 100 (self weights 30 30 5 20 15), both "gone" and "new" drawn */
    o.width_from = RF_SVG_WIDTH_MAX;
    svg = render(p, &o, RF_OK, &len);
    check_safe(svg, len);
    assert_frame(svg, t_all, "10", "1180", "ffffff");
    assert_frame(svg, t_a, "10", "767", "ffffff");
    assert_frame(svg, t_grew, "10", "354", "ff0000");
    assert_frame(svg, t_same, "364", "59", "ffffff");
    assert_frame(svg, t_shrank, "423", "354", "0000ff");
    assert_frame(svg, t_gone, "777", "236", "0000ff");
    assert_frame(svg, t_new, "1013", "177", "ff3434");
    assert_non_null(strstr(svg, "\"widthfrom\":\"max\""));
    /* the data holds the two real columns: the profile comes back exactly, and twice the same */
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_int_equal(rf_profile_columns(q), 2);
    assert_same_folded(p, q);
    rf_profile_free(q);
    q = read_svg(svg, len, 7, &wc, RF_OK);
    assert_same_folded(p, q);
    rf_profile_free(q);
    assert_int_equal(wc.n, 0);
    svg2 = render(p, &o, RF_OK, &len2);
    assert_string_equal(svg, svg2);
    free(svg2);
    free(svg);
    /* negate swaps the hues and the change's sign, not the layout */
    o.negate = 1;
    svg = render(p, &o, RF_OK, &len);
    assert_frame(svg, "gone (0 samples, 0.00%; before 20, 30.77%, +33.33%)", "777", "236", "ff0000");
    assert_frame(svg, "new (15 samples, 25.00%; before 0, 0.00%, -25.00%)", "1013", "177", "3434ff");
    free(svg);
    o.negate = 0;
    /* a larger total is the 100% of the layout and of both percentages */
    o.total = 120;
    svg = render(p, &o, RF_OK, &len);
    assert_frame(svg, "new (15 samples, 12.50%; before 0, 0.00%, +12.50%)", "845.8", "147.5", "ff3434");
    assert_frame(svg, "gone (0 samples, 0.00%; before 20, 16.67%, -16.67%)", "649.2", "196.7", "0000ff");
    free(svg);
    o.total = 0;
    /* minwidth prunes by layout width: "same" is 59 px in max, 98.3 px in after */
    o.minwidth = "60";
    svg = render(p, &o, RF_OK, &len);
    assert_null(strstr(svg, "<title>same "));
    assert_non_null(strstr(svg, "<title>gone "));
    free(svg);
    o.minwidth = NULL;
    rf_profile_free(p);
    /* sort by weight orders by layout weight: after puts y (5) first, max puts x (6) first */
    p = folded_str("x 6 1\ny 2 5\n");
    o.sort = "weight";
    o.width_from = RF_SVG_WIDTH_AFTER;
    svg = render(p, &o, RF_OK, &len);
    assert_frame(svg, "y (5 samples, 83.33%; before 2, 25.00%, +50.00%)", "10", "983.3", "ff5454");
    free(svg);
    o.width_from = RF_SVG_WIDTH_MAX;
    svg = render(p, &o, RF_OK, &len);
    assert_frame(svg, "x (1 samples, 16.67%; before 6, 75.00%, -83.33%)", "10", "643.6", "0000ff");
    assert_frame(svg, "y (5 samples, 83.33%; before 2, 25.00%, +50.00%)", "653.6", "536.4", "ff5454");
    free(svg);
    rf_profile_free(p);
    /* one-column profiles ignore width_from */
    one = folded_str("a;b 3\nc 1\n");
    memset(&o, 0, sizeof o);
    svg = render(one, &o, RF_OK, &len);
    o.width_from = RF_SVG_WIDTH_MAX;
    svg2 = render(one, &o, RF_OK, &len2);
    assert_string_equal(svg, svg2);
    assert_null(strstr(svg, "\"widthfrom\":"));
    free(svg);
    free(svg2);
    o.width_from = RF_SVG_WIDTH_BEFORE;
    svg2 = render(one, &o, RF_OK, &len2);
    assert_non_null(strstr(svg2, "<title>b (3 samples, 75.00%)</title>"));
    free(svg2);
    rf_profile_free(one);
    /* bad values are refused; a max layout that leaves int64 is an overflow, not a wrap */
    o.width_from = 3;
    assert_non_null(strstr(rf_svg_check_options(&o), "width_from"));
    o.width_from = -1;
    assert_non_null(strstr(rf_svg_check_options(&o), "width_from"));
    p = folded_str("a 5000000000000000000 0\nb 0 5000000000000000000\n");
    free(render(p, &o, RF_ERR_INVALID_ARGUMENT, NULL));
    o.width_from = RF_SVG_WIDTH_MAX;
    free(render(p, &o, RF_ERR_OVERFLOW, NULL));
    o.width_from = RF_SVG_WIDTH_BEFORE;
    free(render(p, &o, RF_OK, NULL));
    rf_profile_free(p);
}

/* ---- exact and fractional counts, thousands separators, factor, total ---- */
static void test_counts(void **state) {
    rf_profile *p = folded_str("a;b 1234567.25\na;c 0.5\n");
    rf_svg_options o;
    size_t len;
    char *svg;
    (void)state;
    svg = render(p, NULL, RF_OK, &len);
    assert_non_null(strstr(svg, "<title>b (1,234,567.25 samples, 100.00%)</title>"));
    assert_non_null(strstr(svg, "<title>all (1,234,567.75 samples, 100.00%)</title>"));
    free(svg);
    memset(&o, 0, sizeof o);
    o.factor = 2;
    o.total = 2469135.5;
    o.countname = "bytes";
    svg = render(p, &o, RF_OK, &len);
    assert_non_null(strstr(svg, "<title>b (2,469,134.5 bytes, 50.00%)</title>"));
    free(svg);
    rf_profile_free(p);
}

/* ---- empty profile ---- */
static void test_empty(void **state) {
    rf_profile *p = rf_profile_new(NULL), *q;
    size_t len;
    char *svg;
    warn_count wc = {0, ""};
    (void)state;
    svg = render(p, NULL, RF_ERR_EMPTY, &len);
    assert_non_null(strstr(svg, ">No samples</text>"));
    assert_non_null(strstr(svg, "</svg>\n"));
    assert_int_equal(count_of(svg, len, "<script"), 1); /* data only, no script */
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_int_equal(rf_profile_node_count(q), 1);
    rf_profile_free(q);
    free(svg);
    rf_profile_free(p);
}

/* ---- options ---- */
static void test_options(void **state) {
    rf_svg_options o;
    rf_profile *p = folded_str("a;b 1\n");
    rf_test_str b = {NULL, 0, 0};
    size_t len;
    char *svg;
    (void)state;
    memset(&o, 0, sizeof o);
    assert_null(rf_svg_check_options(&o));
    assert_null(rf_svg_check_options(NULL));
    o.colors = "plaid";
    assert_non_null(strstr(rf_svg_check_options(&o), "colors"));
    assert_int_equal(rf_write_svg(p, &o, rf_test_str_write, &b), RF_ERR_INVALID_ARGUMENT);
    memset(&o, 0, sizeof o);
    o.fonttype = "x;}</style><script>";
    assert_non_null(strstr(rf_svg_check_options(&o), "fonttype"));
    memset(&o, 0, sizeof o);
    o.minwidth = "abc";
    assert_non_null(strstr(rf_svg_check_options(&o), "minwidth"));
    o.minwidth = "0.5%";
    assert_null(rf_svg_check_options(&o));
    memset(&o, 0, sizeof o);
    o.bgcolors = "#12345g";
    assert_non_null(strstr(rf_svg_check_options(&o), "bgcolors"));
    o.bgcolors = "#123456";
    assert_null(rf_svg_check_options(&o));
    memset(&o, 0, sizeof o);
    o.search_color = "red\"/><script>";
    assert_non_null(strstr(rf_svg_check_options(&o), "search_color"));
    memset(&o, 0, sizeof o);
    o.id_prefix = "9bad";
    assert_non_null(strstr(rf_svg_check_options(&o), "id_prefix"));
    o.id_prefix = "graph-one";
    svg = render(p, &o, RF_OK, &len);
    assert_non_null(strstr(svg, "id=\"graph-one-frames\""));
    assert_non_null(strstr(svg, "id=\"graph-one\""));
    free(svg);
    memset(&o, 0, sizeof o);
    o.truncate = "middle";
    assert_non_null(strstr(rf_svg_check_options(&o), "truncate"));
    o.truncate = NULL;
    o.sort = "random";
    assert_non_null(strstr(rf_svg_check_options(&o), "sort"));
    /* defaults visible in the output */
    svg = render(p, NULL, RF_OK, &len);
    assert_non_null(strstr(svg, ">Flame Graph</text>"));
    assert_non_null(strstr(svg, "width=\"1200\""));
    assert_non_null(strstr(svg, "font-family:Verdana;font-size:12px"));
    assert_non_null(strstr(svg, "#eeeeb0"));
    assert_non_null(strstr(svg, "\"searchcolor\":\"rgb(230,0,230)\""));
    free(svg);
    memset(&o, 0, sizeof o);
    o.inverted = 1;
    svg = render(p, &o, RF_OK, &len);
    assert_non_null(strstr(svg, ">Icicle Graph</text>"));
    free(svg);
    /* deterministic: same bytes twice */
    {
        char *a = render(p, NULL, RF_OK, &len), *c = render(p, NULL, RF_OK, NULL);
        assert_string_equal(a, c);
        free(a);
        free(c);
    }
    free(b.s);
    rf_profile_free(p);
}

/* ---- palettes: flamegraph.pl's formulas and name rules ---- */
static void test_palettes(void **state) {
    rf__svg_cfg c;
    unsigned char rgb[3];
    rf_svg_options o;
    (void)state;
    memset(&o, 0, sizeof o);
    o.colors = "java";
    assert_null(rf__svg_resolve(&o, NULL, &c));
    assert_int_equal(rf__svg_pick(c.palette, "java/lang/Thread.run", 20), RF__PAL_GREEN);
    assert_int_equal(rf__svg_pick(c.palette, "Ljava/lang/Thread.run", 21), RF__PAL_GREEN);
    assert_int_equal(rf__svg_pick(c.palette, "JVM::run", 8), RF__PAL_YELLOW);
    assert_int_equal(rf__svg_pick(c.palette, "do_sys_open_[k]", 15), RF__PAL_ORANGE);
    assert_int_equal(rf__svg_pick(c.palette, "Interpreter_[j]", 15), RF__PAL_GREEN);
    assert_int_equal(rf__svg_pick(c.palette, "inlined_[i]", 11), RF__PAL_AQUA);
    assert_int_equal(rf__svg_pick(c.palette, "memcpy", 6), RF__PAL_RED);
    assert_int_equal(rf__svg_pick(RF__PAL_JS, "/srv/app/x.js:12", 16), RF__PAL_GREEN);
    assert_int_equal(rf__svg_pick(RF__PAL_JS, "v8::internal::Foo", 17), RF__PAL_YELLOW);
    assert_int_equal(rf__svg_pick(RF__PAL_JS, "Builtin:ArgumentsAdaptor", 24), RF__PAL_AQUA);
    assert_int_equal(rf__svg_pick(RF__PAL_JS, " ", 1), RF__PAL_GREEN);
    assert_int_equal(rf__svg_pick(RF__PAL_PERL, "Perl_pp_entersub", 16), RF__PAL_GREEN);
    assert_int_equal(rf__svg_pick(RF__PAL_PYTHON, "lib/python3.9/site-packages/x.py:f", 34), RF__PAL_AQUA);
    assert_int_equal(rf__svg_pick(RF__PAL_PYTHON, "/usr/lib/python3.9/json.py:load", 32), RF__PAL_YELLOW);
    assert_int_equal(rf__svg_pick(RF__PAL_PYTHON, "<built-in method sleep>", 23), RF__PAL_YELLOW);
    assert_int_equal(rf__svg_pick(RF__PAL_PYTHON, "app.py:main", 11), RF__PAL_RED);
    assert_int_equal(rf__svg_pick(RF__PAL_RUST, "std::rt::lang_start", 19), RF__PAL_ORANGE);
    assert_int_equal(rf__svg_pick(RF__PAL_RUST, "<alloc::vec::Vec<T> as Drop>::drop", 34), RF__PAL_ORANGE);
    assert_int_equal(rf__svg_pick(RF__PAL_RUST, "myapp::main", 11), RF__PAL_AQUA);
    assert_int_equal(rf__svg_pick(RF__PAL_RUST, "memcpy", 6), RF__PAL_YELLOW);
    assert_int_equal(rf__svg_pick(RF__PAL_WAKEUP, "x", 1), RF__PAL_AQUA);
    assert_int_equal(rf__svg_pick(RF__PAL_HOT, "x_[k]", 5), RF__PAL_HOT); /* theme palettes ignore annotations */
    /* flamegraph.pl --hash: namehash("ab") = 1 - (97%10/9 + 0.7*98%11/10) / (1 + 1 + 0.7) */
    assert_true(rf__svg_namehash((const unsigned char *)"ab", 2, 0) > 1 - (7.0 / 9 + 0.7 * 10 / 10) / 2.7 - 1e-12);
    assert_true(rf__svg_namehash((const unsigned char *)"ab", 2, 0) < 1 - (7.0 / 9 + 0.7 * 10 / 10) / 2.7 + 1e-12);
    /* the module prefix is skipped: "libc.so`ab" hashes like "ab" */
    assert_true(rf__svg_namehash((const unsigned char *)"libc.so`ab", 10, 0) == rf__svg_namehash((const unsigned char *)"ab", 2, 0));
    o.colors = "hot";
    o.hash = 1;
    assert_null(rf__svg_resolve(&o, NULL, &c));
    rf__svg_color(&c, "ab", 2, rgb); /* hot: r = 205 + int(50 v3), g = int(230 v1), b = int(55 v2) */
    {
        double v1 = rf__svg_namehash((const unsigned char *)"ab", 2, 0), v2 = rf__svg_namehash((const unsigned char *)"ab", 2, 1);
        assert_int_equal(rgb[0], 205 + (int)(50 * v2));
        assert_int_equal(rgb[1], (int)(230 * v1));
        assert_int_equal(rgb[2], (int)(55 * v2));
    }
    rf__svg_color(&c, "--", 2, rgb);
    assert_int_equal(rgb[0], 160);
    rf__svg_color(&c, "-", 1, rgb);
    assert_int_equal(rgb[0], 200);
}

/* ---- data budget ---- */
static void test_budget(void **state) {
    size_t n, len, full;
    char *text = rf_test_read(rf_test_data("inferno/collapse-perf/example-perf-stacks-collapsed.txt"), &n), *svg;
    rf_profile *p = folded(text, n), *q;
    rf_svg_options o;
    warn_count wc = {0, ""};
    char *fq;
    (void)state;
    svg = render(p, NULL, RF_OK, &full);
    free(svg);
    memset(&o, 0, sizeof o);
    o.data_budget = 20000;
    svg = render(p, &o, RF_OK, &len);
    assert_true(len < full);
    assert_non_null(strstr(svg, "\"pruned\":1"));
    assert_non_null(strstr(svg, "nodes left out"));
    check_safe(svg, len);
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_int_equal(wc.n, 1);
    assert_non_null(strstr(wc.last, "size budget"));
    /* totals stay exact; fewer nodes */
    assert_int_equal(rf_node_total(q, 0, 0), rf_node_total(p, 0, 0));
    assert_true(rf_profile_node_count(q) < rf_profile_node_count(p));
    fq = rf_test_folded(q);
    assert_true(strlen(fq) > 0);
    free(fq);
    rf_profile_free(q);
    free(svg);
    /* a budget too small for anything keeps the root */
    o.data_budget = 1;
    svg = render(p, &o, RF_OK, &len);
    q = read_svg(svg, len, 0, &wc, RF_OK);
    assert_int_equal(rf_profile_node_count(q), 1);
    assert_int_equal(rf_node_self(q, 0, 0), rf_node_total(p, 0, 0));
    rf_profile_free(q);
    free(svg);
    rf_profile_free(p);
    free(text);
}

/* The pruning order: biggest weight first, then lowest rank (preorder), as qsort gave it. */
static int sig_order(const void *a, const void *b) {
    const rf__svg_key *x = (const rf__svg_key *)a, *y = (const rf__svg_key *)b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The radix sort against qsort: ties (few distinct weights), weights that differ only in a high
   byte, negative ones, INT64 extremes, and sizes around the small cases. */
static void test_sig_sort(void **state) {
    static const size_t sizes[] = {0, 1, 2, 3, 17, 256, 1000, 65537};
    uint64_t x = 0x9E3779B97F4A7C15ull;
    size_t t, i, mode;
    (void)state;
    for (mode = 0; mode < 5; mode++)
        for (t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
            size_t n = sizes[t];
            rf__svg_key *k = (rf__svg_key *)malloc((n ? n : 1) * sizeof *k), *want = (rf__svg_key *)malloc((n ? n : 1) * sizeof *k),
                        *tmp = (rf__svg_key *)malloc((n ? n : 1) * sizeof *k);
            assert_non_null(k);
            assert_non_null(want);
            assert_non_null(tmp);
            for (i = 0; i < n; i++) {
                int64_t w;
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                switch (mode) {
                case 0: w = (int64_t)(x % 5); break;                                  /* many ties */
                case 1: w = (int64_t)(x >> 1); break;                                 /* any size */
                case 2: w = (int64_t)((x & 3) << 40) | 7; break;                      /* one high byte differs */
                case 3: w = (int64_t)(x % 2001) - 1000; break;                        /* negative too */
                default: w = (x & 1) ? INT64_MAX - (int64_t)(x % 3) : INT64_MIN + (int64_t)(x % 3); break;
                }
                k[i].w = w;
                k[i].rank = (uint32_t)i;
                k[i].id = (uint32_t)(x >> 32);
            }
            if (n) memcpy(want, k, n * sizeof *k);
            if (n > 1) qsort(want, n, sizeof *want, sig_order);
            rf__svg_sort_sig(k, tmp, n);
            for (i = 0; i < n; i++) {
                assert_true(k[i].w == want[i].w);
                assert_int_equal(k[i].rank, want[i].rank);
                assert_int_equal(k[i].id, want[i].id);
            }
            free(k);
            free(want);
            free(tmp);
        }
}

/* rf__svg_budget's kept set, against the plain algorithm: sort every node into the pruning
   order, keep greedily. Random trees under budgets that keep a few to all nodes (the sorted
   part is then a prefix of the nodes), and trees whose totals were made non-monotone by hand
   (no API makes them; this forces the pass that sorts every node). */
static void reference_kept(const rf_profile *p, const uint32_t *pre, size_t n, size_t budget, unsigned char *kept) {
    rf__svg_key *k = (rf__svg_key *)malloc(n * sizeof *k);
    uint32_t *name_idx = (uint32_t *)calloc(p->nnames + 1, sizeof *name_idx);
    size_t i, total = 1024, used = 0;
    assert_non_null(k);
    assert_non_null(name_idx);
    for (i = 0; i < n; i++) {
        k[i].w = p->nodes[pre[i]].total;
        k[i].rank = (uint32_t)i;
        k[i].id = pre[i];
    }
    qsort(k, n, sizeof *k, sig_order);
    memset(kept, 0, n);
    for (i = 0; i < n; i++) {
        uint32_t id = k[i].id, nm = p->nodes[id].name;
        size_t cost = 3 + rf__svg_digits(used) + 2 + 2 + 2 * rf__svg_digits((uint64_t)p->nodes[id].self);
        if (id != 0 && !kept[p->nodes[id].parent]) continue;
        if (nm == RF__NO_ID) nm = (uint32_t)p->nnames;
        if (!name_idx[nm]) cost += (nm < p->nnames ? p->names[nm].len : 0) + 9;
        if (id != 0 && total + cost > budget) break;
        total += cost;
        if (!name_idx[nm]) name_idx[nm] = (uint32_t)++used;
        kept[id] = 1;
    }
    free(k);
    free(name_idx);
}

static void test_budget_prefix(void **state) {
    static const size_t budgets[] = {1, 1100, 1500, 3000, 10000, 40000, 1000000};
    uint64_t x = 12345;
    int t;
    (void)state;
    for (t = 0; t < 24; t++) {
        rf_profile *p = rf_profile_new(NULL);
        size_t i, b, n, k = 0, top = 0;
        uint32_t *pre, *stack;
        unsigned char *want;
        for (i = 0; i < 400; i++) { /* stacks over a small alphabet: shared prefixes, ties */
            char buf[256];
            size_t len = 0, d, depth;
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            depth = 1 + x % 9;
            for (d = 0; d < depth; d++) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                len += (size_t)sprintf(buf + len, "%sf%u", d ? ";" : "", (unsigned)(x % (t % 3 ? 4 : 40)));
            }
            sprintf(buf + len, " %u\n", (unsigned)(t % 2 ? 1 + x % 3 : 1 + (x >> 8) % 100000));
            assert_int_equal(rf_parse(p, buf, strlen(buf), NULL, NULL), RF_OK);
        }
        n = rf_profile_node_count(p);
        if (t >= 16) /* non-monotone totals, by hand: some deep nodes outweigh their parents */
            for (i = 1; i < n; i += 7) p->nodes[i].total += 1000000;
        pre = (uint32_t *)malloc(n * sizeof *pre);
        stack = (uint32_t *)malloc(n * sizeof *stack);
        want = (unsigned char *)malloc(n);
        assert_non_null(pre);
        assert_non_null(stack);
        assert_non_null(want);
        stack[top++] = 0; /* preorder, children in insertion order */
        while (top) {
            uint32_t id = stack[--top], c, m = 0, j;
            pre[k++] = id;
            for (c = p->nodes[id].first_child; c != RF_NODE_NONE; c = p->nodes[c].next_sibling) m++;
            top += m;
            j = (uint32_t)top;
            for (c = p->nodes[id].first_child; c != RF_NODE_NONE; c = p->nodes[c].next_sibling) stack[--j] = c;
        }
        assert_int_equal(k, n);
        for (b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
            rf__svg_w w;
            uint32_t *kid_off = (uint32_t *)calloc(n + 1, sizeof *kid_off);
            assert_non_null(kid_off);
            memset(&w, 0, sizeof w);
            w.p = p;
            w.n = n;
            w.cols = 1;
            w.pre = pre;
            w.kid_off = kid_off; /* child counts only size the first estimate */
            w.c.budget = budgets[b];
            assert_int_equal(rf__svg_budget(&w), RF_OK);
            reference_kept(p, pre, n, budgets[b], want);
            if (w.kept_count == n) { /* all of it fits: the writer keeps everything at once */
                for (i = 0; i < n; i++) assert_int_equal(w.kept[i], 1);
            } else {
                for (i = 0; i < n; i++) assert_int_equal(w.kept[i], want[i]);
            }
            free(w.kept);
            free(kid_off);
        }
        free(pre);
        free(stack);
        free(want);
        rf_profile_free(p);
    }
}

/* ---- the reader: chunks, errors ---- */
static void test_reader(void **state) {
    rf_profile *p = folded_str("a;b 3\na;c 4\nd 1\n"), *q;
    size_t len, i;
    char *svg, *bad;
    warn_count wc = {0, ""};
    rf_error err;
    rf_parse_options po;
    (void)state;
    svg = render(p, NULL, RF_OK, &len);
    for (i = 1; i <= 7; i += 6) { /* one byte at a time, and odd chunks */
        q = read_svg(svg, len, i, &wc, RF_OK);
        assert_same_folded(p, q);
        rf_profile_free(q);
    }
    assert_int_equal(rf_detect_format(svg, len), RF_FORMAT_SVG);
    /* without the data block: best effort from the titles and the rows' geometry (every
       frame is drawn here, so nothing is lost), flame and icicle */
    for (i = 0; i < 2; i++) {
        rf_svg_options so;
        size_t dlen;
        char *d, *a, *b;
        memset(&so, 0, sizeof so);
        so.inverted = (int)i;
        d = render(p, &so, RF_OK, &dlen);
        a = strstr(d, "<script type=\"application/json\"");
        b = a ? strstr(a, "</script>") : NULL;
        assert_non_null(b);
        memmove(a, b + 9, dlen - (size_t)(b + 9 - d) + 1);
        wc.n = 0;
        q = read_svg(d, strlen(d), 0, &wc, RF_OK);
        assert_same_folded(p, q);
        assert_int_equal(wc.n, 1); /* "read ... from its frames" */
        rf_profile_free(q);
        free(d);
    }
    /* not ours */
    q = rf_profile_new(NULL);
    memset(&po, 0, sizeof po);
    po.format = RF_FORMAT_SVG;
    assert_int_equal(rf_parse(q, "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>", 51, &po, &err), RF_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "resq-flame"));
    rf_profile_free(q);
    /* truncated inside the data */
    q = rf_profile_new(NULL);
    assert_int_equal(rf_parse(q, svg, (size_t)(strstr(svg, "\"tree\"") - svg), &po, &err), RF_ERR_TRUNCATED);
    rf_profile_free(q);
    /* damaged: a child count that runs past the end */
    bad = (char *)malloc(len + 1);
    memcpy(bad, svg, len + 1);
    {
        char *t = strstr(bad, "\"tree\":[0,");
        assert_non_null(t);
        t[10] = '9';
    }
    q = rf_profile_new(NULL);
    assert_int_equal(rf_parse(q, bad, len, &po, &err), RF_ERR_CORRUPT);
    assert_true(err.line > 1);
    rf_profile_free(q);
    /* damaged JSON */
    memcpy(bad, svg, len + 1);
    {
        char *t = strstr(bad, "\"names\":[");
        t[9] = '{';
    }
    q = rf_profile_new(NULL);
    assert_int_equal(rf_parse(q, bad, len, &po, &err), RF_ERR_CORRUPT);
    assert_true(err.byte_offset > 0);
    rf_profile_free(q);
    /* a differential SVG into a one-column profile that holds data */
    {
        rf_profile *d = folded_str("a 1 2\n");
        char *dsvg = render(d, NULL, RF_OK, &len);
        rf_profile *one = folded_str("x 1\n");
        assert_int_equal(rf_parse(one, dsvg, len, &po, &err), RF_ERR_INVALID_ARGUMENT);
        rf_profile_free(one);
        one = rf_profile_new(NULL);
        assert_int_equal(rf_parse(one, dsvg, len, &po, &err), RF_OK);
        assert_int_equal(rf_profile_columns(one), 2);
        assert_same_folded(d, one);
        rf_profile_free(one);
        rf_profile_free(d);
        free(dsvg);
    }
    free(bad);
    free(svg);
    rf_profile_free(p);
}

/* ---- allocation failures: every one fails cleanly, nothing leaks ---- */
/* mode 0: one column; 1: reversed; 2: a differential graph with max widths, reversed */
static void alloc_failures(int mode) {
    long k;
    for (k = 0;; k++) {
        rf_test_alloc ta = {-1, 0, 0, 0, 0, 0};
        rf_allocator al = rf_test_allocator(&ta);
        rf_profile *p = rf_profile_new(&al);
        rf_test_str b = {NULL, 0, 0};
        rf_svg_options o;
        rf_result r;
        rf_strview f[2];
        assert_non_null(p);
        f[0].ptr = "main";
        f[0].len = 4;
        f[1].ptr = "work";
        f[1].len = 4;
        memset(&o, 0, sizeof o);
        if (mode == 2) {
            static const char diff[] = "main;work 5 1\nmain;gone 3 0\nmain 0 2\n";
            rf_parse_options po;
            rf_error err;
            memset(&po, 0, sizeof po);
            po.format = RF_FORMAT_FOLDED;
            assert_int_equal(rf_parse(p, diff, sizeof diff - 1, &po, &err), RF_OK);
            assert_int_equal(rf_profile_columns(p), 2);
            o.width_from = RF_SVG_WIDTH_MAX;
        } else {
            assert_int_equal(rf_profile_add(p, f, 2, 5), RF_OK);
            assert_int_equal(rf_profile_add(p, f, 1, 2), RF_OK);
        }
        o.reverse = mode == 1 || mode == 2;
        if (mode == 3) o.data_budget = 1; /* pruned: the radix select and sort allocate too */
        ta.fail_at = ta.count + k; /* the k-th allocation of the writer fails */
        rf_test_str_write(&b, "", 0);
        r = rf_write_svg(p, &o, rf_test_str_write, &b);
        ta.fail_at = -1;
        rf_profile_free(p);
        free(b.s);
        assert_int_equal(ta.live_blocks, 0);
        assert_int_equal(ta.live_bytes, 0);
        if (r == RF_OK) break; /* k is past the writer's last allocation */
        assert_int_equal(r, RF_ERR_OUT_OF_MEMORY);
        assert_true(k < 1000);
    }
    assert_true(k >= 5);
}
static void test_allocation_failures(void **state) {
    (void)state;
    alloc_failures(0);
    alloc_failures(1);
    alloc_failures(2);
    alloc_failures(3);
}

/* a write callback that fails: RF_ERR_WRITE */
static int fail_write(void *ctx, const void *d, size_t n) { (void)ctx; (void)d; (void)n; return 1; }
static void test_write_failure(void **state) {
    rf_profile *p = folded_str("a 1\n");
    (void)state;
    assert_int_equal(rf_write_svg(p, NULL, fail_write, NULL), RF_ERR_WRITE);
    assert_int_equal(rf_write_svg(NULL, NULL, fail_write, NULL), RF_ERR_INVALID_ARGUMENT);
    rf_profile_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_roundtrip_all_folded),
        cmocka_unit_test(test_frames_match_tree),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_differential),
        cmocka_unit_test(test_width_from),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_palettes),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_sig_sort),
        cmocka_unit_test(test_budget_prefix),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_write_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
