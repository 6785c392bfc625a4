/* Unit tests of the V8 .cpuprofile / .heapprofile and JSC ScriptProfiler readers
   ([rf:v8], [rf:jsc] in resq_flame.h), against the real captures in ../shared/testdata/real. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

/* Parses with format f (chunk 0 = one shot) and returns the folded text, or NULL with *res set. */
static char *fold_opts(const char *data, size_t n, rf_parse_options *o, size_t chunk, rf_result *res,
                       rf_error *err, rf_parse_stats *stats)
{
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps = rf_parser_new(p, o);
    rf_result r = RF_OK;
    size_t off = 0;
    char *out = NULL;
    assert_non_null(ps);
    while (r == RF_OK && off < n) {
        size_t k = chunk && n - off > chunk ? chunk : n - off;
        r = rf_parser_feed(ps, data + off, k, err);
        off += k;
    }
    if (r == RF_OK) r = rf_parser_finish(ps, err);
    if (stats) *stats = *rf_parser_stats(ps);
    rf_parser_free(ps);
    if (r == RF_OK) out = rf_test_folded(p);
    rf_profile_free(p);
    *res = r;
    return out;
}

static char *fold(const char *data, size_t n, rf_format f, rf_result *res, rf_error *err)
{
    rf_parse_options o;
    memset(&o, 0, sizeof o);
    o.format = f;
    return fold_opts(data, n, &o, 0, res, err, NULL);
}

/* Sum of the counts in folded text. */
static long long folded_total(const char *s)
{
    long long t = 0;
    while (s && *s) {
        const char *nl = strchr(s, '\n'), *sp;
        if (!nl) nl = s + strlen(s);
        for (sp = nl; sp > s && sp[-1] != ' '; sp--) {}
        t += atoll(sp);
        s = *nl ? nl + 1 : nl;
    }
    return t;
}

/* Count of the exact folded line "stack N" (returns N, or -1 when the stack is absent). */
static long long folded_count(const char *s, const char *stack)
{
    size_t n = strlen(stack);
    const char *p = s;
    while (p && (p = strstr(p, stack)) != NULL) {
        if ((p == s || p[-1] == '\n') && p[n] == ' ') return atoll(p + n + 1);
        p += n;
    }
    return -1;
}

static char *load(const char *rel, size_t *n) { return rf_test_read(rf_test_data(rel), n); }

#define NODE_MAIN "(anonymous);executeUserEntryPoint;Module._load;Module.load;Module._extensions..js;Module._compile;(anonymous)"

static void test_node_cpuprofile(void **state)
{
    size_t n;
    char *data = load("real/node20.cpuprofile", &n), *f;
    rf_result r;
    rf_error err;
    rf_parse_options o;
    rf_parse_stats st;
    (void)state;
    f = fold(data, n, RF_FORMAT_V8_CPUPROFILE, &r, &err);
    assert_int_equal(r, RF_OK);
    /* FORMATS.md 1.2: 601 samples, of which 80 idle and 22 GC; hot has 419 */
    assert_int_equal(folded_total(f), 601);
    assert_int_equal(folded_count(f, NODE_MAIN ";hot"), 419);
    assert_int_equal(folded_count(f, "(idle)"), 80);
    assert_int_equal(folded_count(f, "(garbage collector)"), 22);
    assert_int_equal(folded_count(f, "(program)"), 1);  /* hitCount 0, but one sample */
    assert_int_equal(folded_count(f, NODE_MAIN ";alloc"), 42); /* samples, not hitCount (39) */
    assert_null(strstr(f, "(root)"));
    free(f);

    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_V8_CPUPROFILE;
    o.v8.drop_idle = 1;
    f = fold_opts(data, n, &o, 0, &r, &err, &st);
    assert_int_equal(r, RF_OK);
    assert_int_equal(folded_total(f), 601 - 80);
    assert_int_equal(folded_count(f, "(idle)"), -1);
    free(f);

    /* time weighted: from the first sample to endTime = endTime - startTime - timeDeltas[0]
       (323150541 - 322431277 - 3122, FORMATS.md 1.2) */
    o.v8.drop_idle = 0;
    o.v8.weight = RF_V8_WEIGHT_TIME;
    {
        rf_profile *p = rf_profile_new(NULL);
        assert_int_equal(rf_parse(p, data, n, &o, &err), RF_OK);
        assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 323150541LL - 322431277LL - 3122);
        assert_string_equal(rf_profile_unit(p), "microseconds");
        rf_profile_free(p);
    }

    /* names with locations (lineNumber is 0-based in the file, shown 1-based) */
    o.v8.weight = RF_V8_WEIGHT_SAMPLES;
    o.v8.names = RF_FRAME_NAMES_LOCATION;
    f = fold_opts(data, n, &o, 0, &r, &err, NULL);
    assert_int_equal(r, RF_OK);
    assert_non_null(strstr(f, ";(anonymous work.js:1);hot (work.js:2) 419\n"));
    assert_non_null(strstr(f, "executeUserEntryPoint (node:internal/modules/run_main:155);"));
    assert_non_null(strstr(f, "\n(idle) 80\n"));
    free(f);
    o.v8.names = RF_FRAME_NAMES_ANON_LOCATION;
    f = fold_opts(data, n, &o, 0, &r, &err, NULL);
    assert_non_null(strstr(f, "Module._compile;(anonymous work.js:1);hot 419\n"));
    free(f);
    free(data);
}

static void test_bun_cpuprofile(void **state)
{
    size_t n;
    char *data = load("real/bun144.cpuprofile", &n), *f;
    rf_result r;
    rf_error err;
    rf_parse_options o;
    (void)state;
    f = fold(data, n, RF_FORMAT_V8_CPUPROFILE, &r, &err);
    assert_int_equal(r, RF_OK);
    assert_int_equal(folded_total(f), 457);            /* samples.length of the file */
    assert_int_equal(folded_count(f, "(module);hot"), 335); /* Bun: (module), no (program)/(idle) */
    assert_int_equal(folded_count(f, "(idle)"), -1);
    free(f);
    /* epoch-us startTime and a float endTime: time weighting rounds endTime to whole us */
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_V8_CPUPROFILE;
    o.v8.weight = RF_V8_WEIGHT_TIME;
    {
        rf_profile *p = rf_profile_new(NULL);
        assert_int_equal(rf_parse(p, data, n, &o, &err), RF_OK);
        assert_true(rf_node_total(p, RF_NODE_ROOT, 0) > 500000 && rf_node_total(p, RF_NODE_ROOT, 0) < 608327);
        rf_profile_free(p);
    }
    free(data);
}

/* The CDP wrappers give the same tree as the bare profile. */
static void test_wrappers(void **state)
{
    size_t n;
    char *data = load("real/node20.cpuprofile", &n), *bare, *w;
    static const char *const pre[] = {"{\"id\":4,\"result\":{\"profile\":", "{\"profile\":",
                                      "{\"method\":\"Profiler.consoleProfileFinished\",\"params\":{\"id\":\"1\",\"profile\":"};
    static const char *const post[] = {"}}", "}", "}}"};
    size_t i;
    rf_result r;
    rf_error err;
    (void)state;
    bare = fold(data, n, RF_FORMAT_V8_CPUPROFILE, &r, &err);
    for (i = 0; i < 3; i++) {
        size_t a = strlen(pre[i]), b = strlen(post[i]);
        char *doc = (char *)malloc(n + a + b);
        memcpy(doc, pre[i], a);
        memcpy(doc + a, data, n);
        memcpy(doc + a + n, post[i], b);
        w = fold(doc, n + a + b, RF_FORMAT_V8_CPUPROFILE, &r, &err);
        assert_int_equal(r, RF_OK);
        assert_string_equal(w, bare);
        free(w);
        free(doc);
    }
    free(bare);
    free(data);
}

typedef struct { const char *doc; rf_result code; const char *folded; unsigned skipped; } v8_case;

static void run_cases(const v8_case *cases, size_t count, rf_format f, int strict)
{
    size_t i;
    for (i = 0; i < count; i++) {
        rf_parse_options o;
        rf_parse_stats st;
        rf_result r;
        rf_error err;
        char *out;
        memset(&o, 0, sizeof o);
        o.format = f;
        o.strict = strict;
        out = fold_opts(cases[i].doc, strlen(cases[i].doc), &o, 0, &r, &err, &st);
        if (r != cases[i].code || (r == RF_OK && strcmp(out, cases[i].folded) != 0) ||
            (r == RF_OK && st.skipped != cases[i].skipped) || (r != RF_OK && (!err.message || err.line == 0)))
            fail_msg("case %u: result %d (%s at %u:%u), skipped %u, folded <%s>", (unsigned)i, (int)r,
                     r ? err.message : "", (unsigned)err.line, err.column, (unsigned)st.skipped, out ? out : "");
        free(out);
    }
}

#define CF(name) "\"callFrame\":{\"functionName\":\"" name "\",\"scriptId\":\"1\",\"url\":\"file:///a/b.js\",\"lineNumber\":4,\"columnNumber\":0}"

static void test_synthetic_cpuprofiles(void **state)
{
    static const v8_case cases[] = {
        /* sparse, out-of-order ids */
        {"{\"nodes\":[{\"id\":900," CF("(root)") ",\"children\":[7]},{\"id\":-3," CF("leaf") "},"
         "{\"id\":7," CF("mid") ",\"children\":[-3]}],\"samples\":[-3,-3,7,900]}",
         RF_OK, "(root) 1\nmid 1\nmid;leaf 2\n", 0}, /* a sample on (root) itself keeps its name */
        /* numeric parent links (trace-event style) instead of children */
        {"{\"nodes\":[{\"id\":1," CF("(root)") "},{\"id\":2," CF("a") ",\"parent\":1},{\"id\":3," CF("") ",\"parent\":2}],"
         "\"samples\":[3,3,2]}",
         RF_OK, "a 1\na;(anonymous) 2\n", 0},
        /* unknown sample ids are skipped and counted */
        {"{\"nodes\":[{\"id\":1," CF("(root)") ",\"children\":[2]},{\"id\":2," CF("a") "}],\"samples\":[2,5,2,6]}",
         RF_OK, "a 2\n", 2},
        /* a children id that does not exist */
        {"{\"nodes\":[{\"id\":1," CF("(root)") ",\"children\":[2,99]},{\"id\":2," CF("a") "}],\"samples\":[2]}",
         RF_OK, "a 1\n", 1},
        /* no samples: hitCount */
        {"{\"nodes\":[{\"id\":1," CF("(root)") ",\"hitCount\":0,\"children\":[2]},{\"id\":2," CF("a") ",\"hitCount\":5}]}",
         RF_OK, "a 5\n", 0},
        /* empty samples: an empty profile */
        {"{\"nodes\":[{\"id\":1," CF("(root)") "}],\"samples\":[],\"timeDeltas\":[]}", RF_OK, "", 0},
        /* samples before nodes (any key order) */
        {"{\"samples\":[2,2],\"timeDeltas\":[1,1],\"nodes\":[{\"id\":1," CF("(root)") ",\"children\":[2]},{\"id\":2," CF("a") "}]}",
         RF_OK, "a 2\n", 0},
        /* pre-2016 form: nested head tree, frame fields in the node */
        {"{\"head\":{\"functionName\":\"(root)\",\"url\":\"\",\"lineNumber\":0,\"hitCount\":0,\"id\":1,\"children\":["
         "{\"functionName\":\"main\",\"url\":\"x.js\",\"lineNumber\":1,\"hitCount\":3,\"id\":2,\"children\":["
         "{\"functionName\":\"\",\"hitCount\":1,\"id\":3,\"children\":[]}]}]},"
         "\"startTime\":1.5,\"endTime\":2.5,\"samples\":[2,3,3],\"timestamps\":[1500000,1500100,1500300]}",
         RF_OK, "main 1\nmain;(anonymous) 2\n", 0},
        /* errors */
        {"{\"nodes\":[{\"id\":1," CF("a") ",\"children\":[2]},{\"id\":2," CF("b") ",\"children\":[1]}],\"samples\":[2]}",
         RF_ERR_CORRUPT, "", 0},  /* cycle */
        {"{\"nodes\":[{\"id\":1," CF("a") ",\"children\":[1]}],\"samples\":[1]}", RF_ERR_CORRUPT, "", 0}, /* self loop */
        {"{\"nodes\":[{\"id\":1," CF("a") ",\"parent\":1}],\"samples\":[1]}", RF_ERR_CORRUPT, "", 0},
        {"{\"nodes\":[{\"id\":1," CF("a") "},{\"id\":1," CF("b") "}],\"samples\":[1]}", RF_ERR_CORRUPT, "", 0}, /* dup id */
        {"{\"nodes\":[{\"id\":1," CF("a") "}],\"samples\":[1.5]}", RF_ERR_CORRUPT, "", 0},
        {"{\"nodes\":[{\"id\":1," CF("a") "}],\"samples\":[\"1\"]}", RF_ERR_CORRUPT, "", 0},
        {"{\"nodes\":{},\"samples\":[1]}", RF_ERR_CORRUPT, "", 0},
        {"{\"nodes\":[1,2],\"samples\":[1]}", RF_ERR_CORRUPT, "", 0},
        {"{\"samples\":[1]}", RF_ERR_CORRUPT, "", 0},
        {"[]", RF_ERR_CORRUPT, "", 0},
        {"{\"nodes\":[{\"id\":1," CF("a") "}],\"samples\":[1]", RF_ERR_TRUNCATED, "", 0},
        {"{\"nodes\":[{\"id\":1," CF("a") "}],\"samples\":[1]} x", RF_ERR_SYNTAX, "", 0},
        {"", RF_ERR_EMPTY, "", 0},
        {"{\"snapshot\":{\"meta\":{}},\"nodes\":[0,1],\"edges\":[]}", RF_ERR_UNSUPPORTED, "", 0},
        {"{\"traceEvents\":[]}", RF_ERR_UNSUPPORTED, "", 0},
    };
    (void)state;
    run_cases(cases, sizeof cases / sizeof cases[0], RF_FORMAT_V8_CPUPROFILE, 0);
}

static void test_strict_and_positions(void **state)
{
    static const v8_case strict_cases[] = {
        {"{\"nodes\":[{\"id\":1," CF("(root)") ",\"children\":[2]},{\"id\":2," CF("a") "}],\"samples\":[2,5]}",
         RF_ERR_CORRUPT, "", 0},
    };
    const char *doc = "{\"nodes\":[{\"id\":1,\n  \"callFrame\":{\"functionName\":7}}]}";
    rf_result r;
    rf_error err;
    char *f;
    (void)state;
    run_cases(strict_cases, 1, RF_FORMAT_V8_CPUPROFILE, 1);
    f = fold(doc, strlen(doc), RF_FORMAT_V8_CPUPROFILE, &r, &err);
    assert_null(f);
    assert_int_equal(r, RF_ERR_CORRUPT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 31);
    assert_int_equal(err.byte_offset, 49);
    assert_string_equal(err.message, "\"functionName\" must be a string");
    assert_int_equal(err.format, RF_FORMAT_V8_CPUPROFILE);
}

/* A deep chain and a cycle through many nodes finish quickly with the right answer. */
static void test_deep_chain(void **state)
{
    enum { N = 5000 };
    char *doc = (char *)malloc(N * 80 + 100), *f;
    size_t o = 0;
    int i;
    rf_result r;
    rf_error err;
    (void)state;
    o += (size_t)sprintf(doc + o, "{\"nodes\":[");
    for (i = 1; i <= N; i++)
        o += (size_t)sprintf(doc + o, "%s{\"id\":%d,\"callFrame\":{\"functionName\":\"f\"},\"children\":[%d]}",
                             i > 1 ? "," : "", i, i % N + 1); /* the last links back to the first */
    o += (size_t)sprintf(doc + o, "],\"samples\":[%d]}", N);
    f = fold(doc, o, RF_FORMAT_V8_CPUPROFILE, &r, &err);
    assert_int_equal(r, RF_ERR_CORRUPT);
    assert_string_equal(err.message, "node parent links form a cycle");
    /* break the cycle: a 5000-deep stack */
    o = (size_t)(strstr(doc, "\"children\":[1]") - doc);
    memcpy(doc + o, "\"children\":[ ]", 14);
    f = fold(doc, strlen(doc), RF_FORMAT_V8_CPUPROFILE, &r, &err);
    assert_int_equal(r, RF_OK);
    assert_int_equal(folded_total(f), 1);
    assert_int_equal(strlen(f), (size_t)N * 2 - 1 + 3);
    free(f);
    free(doc);
    /* every node of a 60000-deep chain weighted: linear, not quadratic (this once took 30 s+) */
    {
        enum { M = 60000 };
        rf_profile *p = rf_profile_new(NULL);
        rf_parse_options po;
        uint32_t node = RF_NODE_ROOT;
        doc = (char *)malloc((size_t)M * 90 + 100);
        memset(&po, 0, sizeof po);
        po.format = RF_FORMAT_V8_CPUPROFILE;
        {
            size_t w = (size_t)sprintf(doc, "{\"nodes\":[");
            for (i = 1; i <= M; i++)
                w += (size_t)sprintf(doc + w, "%s{\"id\":%d,\"callFrame\":{\"functionName\":\"f%d\"},\"hitCount\":1,\"children\":[%.0d]}",
                                     i > 1 ? "," : "", i, i % 7, i < M ? i + 1 : 0); /* %.0d: nothing for 0 */
            w += (size_t)sprintf(doc + w, ",{\"id\":0,\"callFrame\":{\"functionName\":\"(root)\"},\"children\":[1]}]}");
            assert_int_equal(rf_parse(p, doc, w, &po, &err), RF_OK);
        }
        assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), M);
        assert_int_equal(rf_profile_max_depth(p), M);
        assert_int_equal(rf_profile_node_count(p), M + 1);
        for (i = 0; i < M; i++) {
            node = rf_node_first_child(p, node);
            assert_int_equal(rf_node_total(p, node, 0), M - i);
            assert_int_equal(rf_node_self(p, node, 0), 1);
        }
        rf_profile_free(p);
        free(doc);
    }
}

static void test_heapprofile(void **state)
{
    size_t n;
    char *data = load("real/node20.heapprofile", &n), *f;
    rf_result r;
    rf_error err;
    rf_profile *p = rf_profile_new(NULL);
    rf_parse_options o;
    const char *cdp = "{\"id\":8,\"result\":{\"profile\":{\"head\":{\"callFrame\":{\"functionName\":\"(root)\",\"scriptId\":\"0\","
                      "\"url\":\"\",\"lineNumber\":-1,\"columnNumber\":-1},\"selfSize\":0,\"id\":1,\"children\":[]},\"samples\":[]}}}";
    const char *neg = "{\"head\":{\"selfSize\":-5,\"children\":[]}}";
    const char *snap = "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\"]}},\"nodes\":[],\"edges\":[],\"strings\":[]}";
    (void)state;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_V8_HEAPPROFILE;
    assert_int_equal(rf_parse(p, data, n, &o, &err), RF_OK);
    /* FORMATS.md 2.1: selfSize sums to 46,258,624 in this capture */
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 46258624);
    assert_string_equal(rf_profile_unit(p), "bytes");
    rf_profile_free(p);
    f = fold(data, n, RF_FORMAT_V8_HEAPPROFILE, &r, &err);
    assert_int_equal(folded_count(f, NODE_MAIN ";makeObjs"), 29793560);
    assert_int_equal(folded_count(f, NODE_MAIN ";makeObjs;push"), 1264760);
    assert_int_equal(folded_count(f, NODE_MAIN ";makeBuf"), 15200304);
    free(f);
    /* the CDP form: empty tree */
    f = fold(cdp, strlen(cdp), RF_FORMAT_V8_HEAPPROFILE, &r, &err);
    assert_int_equal(r, RF_OK);
    assert_string_equal(f, "");
    free(f);
    /* Bun --heap-prof writes a heap snapshot */
    f = fold(snap, strlen(snap), RF_FORMAT_V8_HEAPPROFILE, &r, &err);
    assert_int_equal(r, RF_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "heap snapshot"));
    assert_int_equal(err.column, 2);
    f = fold(neg, strlen(neg), RF_FORMAT_V8_HEAPPROFILE, &r, &err);
    assert_int_equal(r, RF_ERR_CORRUPT);
    free(data);
}

/* The one trace the Bun inspector log shows (cut at its last complete frame), wrapped as the
   trackingComplete message it came from. */
static char *bun_tracking_complete(size_t *len, int *frames)
{
    size_t n, k;
    char *log = load("real/bun_cdp_log.txt", &n), *doc, *start, *end;
    const char *tag = "first stackTrace: ";
    const char *pre = "{\"method\":\"ScriptProfiler.trackingComplete\",\"params\":{\"timestamp\":4.052129513999944,"
                      "\"samples\":{\"stackTraces\":[";
    start = strstr(log, tag);
    assert_non_null(start);
    start += strlen(tag);
    end = strchr(start, '\n');
    assert_non_null(end);
    *end = 0;
    end = strstr(start, "}},{");
    assert_non_null(end);
    while (strstr(end + 2, "}},{")) end = strstr(end + 2, "}},{");
    end += 2;
    *frames = 0;
    for (k = 0; start + k < end; k++)
        if (!strncmp(start + k, "\"sourceID\"", 10)) (*frames)++;
    doc = (char *)malloc(strlen(pre) + (size_t)(end - start) + 16);
    strcpy(doc, pre);
    strncat(doc, start, (size_t)(end - start));
    strcat(doc, "]}]}}}");
    *len = strlen(doc);
    free(log);
    return doc;
}

static void test_jsc(void **state)
{
    size_t n;
    int frames, i;
    char *doc = bun_tracking_complete(&n, &frames), *f, want[4096];
    rf_result r;
    rf_error err;
    rf_parse_options o;
    static const v8_case cases[] = {
        /* leaf first in the message, root first in the tree */
        {"{\"samples\":{\"stackTraces\":[{\"timestamp\":0,\"stackFrames\":[{\"name\":\"leaf\"},{\"name\":\"mid\"},{\"name\":\"\"}]},"
         "{\"stackFrames\":[{\"name\":\"mid\"},{\"name\":\"\"}],\"timestamp\":1.5},{\"stackFrames\":[]}]}}",
         RF_OK, "(anonymous);mid 1\n(anonymous);mid;leaf 1\n", 0},
        {"{\"params\":{\"samples\":{\"stackTraces\":[]}}}", RF_OK, "", 0},
        {"{\"stackTraces\":[{\"stackFrames\":[{\"name\":\"x\",\"line\":3,\"column\":7,\"url\":\"/a/b.js\"}]}]}", RF_OK, "x 1\n", 0},
        {"{\"samples\":{}}", RF_ERR_CORRUPT, "", 0},
        {"{\"samples\":{\"stackTraces\":{}}}", RF_ERR_CORRUPT, "", 0},
        {"{\"samples\":{\"stackTraces\":[{\"stackFrames\":[{\"name\":5}]}]}}", RF_ERR_CORRUPT, "", 0},
    };
    (void)state;
    run_cases(cases, sizeof cases / sizeof cases[0], RF_FORMAT_JSC_SAMPLES, 0);
    assert_true(frames >= 5);
    f = fold(doc, n, RF_FORMAT_JSC_SAMPLES, &r, &err);
    assert_int_equal(r, RF_OK);
    want[0] = 0;
    for (i = 0; i < frames; i++) strcat(want, i ? ";fib" : "fib");
    strcat(want, " 1\n");
    assert_string_equal(f, want);
    free(f);
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_JSC_SAMPLES;
    o.v8.names = RF_FRAME_NAMES_LOCATION;
    f = fold_opts(doc, n, &o, 0, &r, &err, NULL);
    assert_non_null(strstr(f, "fib (target.js:1:13);fib (target.js:1:13)"));
    free(f);
    free(doc);
}

/* Feeding one byte at a time gives the same tree as one shot, for every format here. */
/* A cpuprofile of `pairs` samples alternating nodes 2 (f) and 3 (g); timeDeltas cycle through
   numbers of 1 to 15 digits, so the 8-digits-at-once reader meets every length at every
   alignment. *f_us and *g_us get the time each node must be weighted with. */
static char *big_cpuprofile(size_t pairs, size_t *len, long long *f_us, long long *g_us)
{
    size_t cap = 64 + pairs * 40, n = 0, i;
    char *b = (char *)malloc(cap);
    long long sum = 0, prev_node = 0;
    assert_non_null(b);
    n += (size_t)sprintf(b + n, "{\"nodes\":[{\"id\":1,\"callFrame\":{\"functionName\":\"(root)\"},\"children\":[2,3]},"
                                 "{\"id\":2,\"callFrame\":{\"functionName\":\"f\"}},{\"id\":3,\"callFrame\":{\"functionName\":\"g\"}}],"
                                 "\"startTime\":0,\"samples\":[");
    for (i = 0; i < 2 * pairs; i++) n += (size_t)sprintf(b + n, i ? ",%d" : "%d", 2 + (int)(i & 1));
    n += (size_t)sprintf(b + n, "],\"timeDeltas\":[");
    *f_us = *g_us = 0;
    for (i = 0; i < 2 * pairs; i++) {
        static const long long lens[15] = {7, 42, 913, 1000, 12345, 654321, 7654321, 98765432, 123456789,
                                           1000000000, 12345678901, 987654321098, 1234567890123,
                                           10000000000000, 123456789012345};
        long long d = lens[(i * 7 + i / 15) % 15] % 100000; /* keeps the sum small; lengths still vary */
        if (i % 3 == 0) d = lens[i % 15] / 1000; /* some long ones too */
        n += (size_t)sprintf(b + n, i ? ",%lld" : "%lld", d);
        if (i) { if (prev_node == 2) *f_us += d; else *g_us += d; } /* delta i weighs sample i-1 */
        prev_node = 2 + (long long)(i & 1);
        sum += d;
    }
    n += (size_t)sprintf(b + n, "],\"endTime\":%lld}", sum);
    assert_true(n < cap);
    *len = n;
    return b;
}

/* rf_parse hands the reader the caller's buffer: a big profile is parsed without a copy of it
   (the streaming parser, given chunks, has to hold them), and both agree to the byte. */
static void test_one_shot_does_not_copy(void **state)
{
    size_t n;
    long long f_us, g_us;
    char *doc = big_cpuprofile(300000, &n, &f_us, &g_us);
    int timed;
    (void)state;
    for (timed = 0; timed < 2; timed++) {
        rf_parse_options o;
        size_t whole_peak, chunked_peak;
        char *whole, *chunked;
        memset(&o, 0, sizeof o);
        if (timed) o.v8.weight = RF_V8_WEIGHT_TIME;
        whole = rf_test_fold_counted(doc, n, &o, 0, &whole_peak);
        chunked = rf_test_fold_counted(doc, n, &o, (size_t)1 << 20, &chunked_peak);
        assert_string_equal(chunked, whole);
        assert_int_equal(folded_count(whole, "f"), timed ? f_us : 300000);
        assert_int_equal(folded_count(whole, "g"), timed ? g_us : 300000);
        /* samples: under 100 KB; timed: 2 bytes per sample on top, in a doubling array
           (2 MiB here); a copy of the input alone would be n */
        assert_true(whole_peak < (timed ? n * 3 / 4 : n / 16));
        assert_true(chunked_peak >= n); /* the copy the one-shot call avoids */
        free(whole);
        free(chunked);
    }
    free(doc);
}

static void test_byte_at_a_time(void **state)
{
    static const char *const files[] = {"real/node20.cpuprofile", "real/bun144.cpuprofile", "real/node20.heapprofile"};
    static const rf_format formats[] = {RF_FORMAT_V8_CPUPROFILE, RF_FORMAT_V8_CPUPROFILE, RF_FORMAT_V8_HEAPPROFILE};
    size_t i;
    (void)state;
    for (i = 0; i < 4; i++) {
        size_t n;
        int frames;
        char *data = i < 3 ? load(files[i], &n) : bun_tracking_complete(&n, &frames), *a, *b;
        rf_parse_options o;
        rf_result r;
        rf_error err;
        int timed;
        for (timed = 0; timed < 2; timed++) {
            memset(&o, 0, sizeof o);
            o.format = i < 3 ? formats[i] : RF_FORMAT_JSC_SAMPLES;
            o.v8.weight = timed && i < 2 ? RF_V8_WEIGHT_TIME : RF_V8_WEIGHT_SAMPLES;
            a = fold_opts(data, n, &o, 0, &r, &err, NULL);
            assert_int_equal(r, RF_OK);
            b = fold_opts(data, n, &o, 1, &r, &err, NULL);
            assert_int_equal(r, RF_OK);
            assert_string_equal(a, b);
            free(b);
            b = fold_opts(data, n, &o, 4093, &r, &err, NULL);
            assert_string_equal(a, b);
            free(a);
            free(b);
        }
        /* auto-detection must not change the result either (when the core detects the format) */
        free(data);
    }
}

/* Fail the N-th allocation for every N: RF_ERR_OUT_OF_MEMORY and nothing leaked. */
static void test_failing_allocator(void **state)
{
    static const char *const files[] = {"real/node20.cpuprofile", "real/node20.heapprofile", NULL};
    size_t i;
    (void)state;
    for (i = 0; i < 3; i++) {
        size_t n;
        int frames;
        char *data = files[i] ? load(files[i], &n) : bun_tracking_complete(&n, &frames);
        long k;
        int done = 0;
        for (k = 0; !done && k < 100000; k++) {
            rf_test_alloc ta;
            rf_allocator al;
            rf_profile *p;
            rf_parse_options o;
            rf_error err;
            rf_result r;
            memset(&ta, 0, sizeof ta);
            ta.fail_at = k;
            al = rf_test_allocator(&ta);
            p = rf_profile_new(&al);
            memset(&o, 0, sizeof o);
            o.format = i == 0 ? RF_FORMAT_V8_CPUPROFILE : i == 1 ? RF_FORMAT_V8_HEAPPROFILE : RF_FORMAT_JSC_SAMPLES;
            o.v8.weight = (k & 1) ? RF_V8_WEIGHT_TIME : RF_V8_WEIGHT_SAMPLES;
            if (i == 2) o.v8.weight = RF_V8_WEIGHT_SAMPLES;
            if (!p) continue;
            r = rf_test_parse(p, data, n, &o, (k % 3 == 0) ? 0 : 997, &err);
            if (r == RF_OK) done = 1;
            else if (r != RF_ERR_OUT_OF_MEMORY)
                fail_msg("file %u, failing allocation %ld: result %d (%s)", (unsigned)i, k, (int)r, err.message);
            rf_profile_free(p);
            assert_int_equal(ta.live_blocks, 0);
            assert_int_equal(ta.live_bytes, 0);
        }
        assert_true(done);
        free(data);
    }
}

/* rf__json_detect, for the header's rf_detect_format, on the first 4 KiB of real files */
static void test_detect(void **state)
{
    static const struct { const char *file; rf_format f; } real[] = {
        {"real/node20.cpuprofile", RF_FORMAT_V8_CPUPROFILE}, {"real/bun144.cpuprofile", RF_FORMAT_V8_CPUPROFILE},
        {"real/node20.heapprofile", RF_FORMAT_V8_HEAPPROFILE}};
    static const struct { const char *doc; rf_format f; } docs[] = {
        {"{\"id\":4,\"result\":{\"profile\":{\"nodes\":[{\"id\":1,\"callFrame\":{}}]}}}", RF_FORMAT_V8_CPUPROFILE},
        {"{\"id\":8,\"result\":{\"profile\":{\"head\":{\"callFrame\":{},\"selfSize\":0}}}}", RF_FORMAT_V8_HEAPPROFILE},
        {"{\"snapshot\":{\"meta\":{}},\"nodes\":[1,2]}", RF_FORMAT_V8_HEAPPROFILE},
        {"{\"exporter\": \"speedscope@1.3.2\", \"name\": \"x\", \"activeProfileIndex\": 0, "
         "\"$schema\": \"https://www.speedscope.app/file-format-schema.json\"", RF_FORMAT_SPEEDSCOPE},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]}", RF_FORMAT_SPEEDSCOPE},
        {"{\"method\":\"ScriptProfiler.trackingComplete\",\"params\":{\"timestamp\":1", RF_FORMAT_JSC_SAMPLES},
        {"{\"samples\":{\"stackTraces\":[", RF_FORMAT_JSC_SAMPLES},
        {"{\"traceEvents\":[", RF_FORMAT_V8_CPUPROFILE},
        {"{\"a\":1}", RF_FORMAT_AUTO},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof real / sizeof real[0]; i++) {
        size_t n;
        char *d = load(real[i].file, &n);
        assert_int_equal(rf__json_detect((const unsigned char *)d, n < 4096 ? n : 4096), real[i].f);
        free(d);
    }
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
        assert_int_equal(rf__json_detect((const unsigned char *)docs[i].doc, strlen(docs[i].doc)), docs[i].f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_cpuprofile),
        cmocka_unit_test(test_bun_cpuprofile),
        cmocka_unit_test(test_wrappers),
        cmocka_unit_test(test_synthetic_cpuprofiles),
        cmocka_unit_test(test_strict_and_positions),
        cmocka_unit_test(test_deep_chain),
        cmocka_unit_test(test_heapprofile),
        cmocka_unit_test(test_jsc),
        cmocka_unit_test(test_byte_at_a_time),
        cmocka_unit_test(test_one_shot_does_not_copy),
        cmocka_unit_test(test_failing_allocator),
        cmocka_unit_test(test_detect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
