/* Unit tests of the speedscope reader ([rf:speedscope] in resq_flame.h). */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

/* Parses doc (chunk 0 = one shot); returns the folded text or NULL, with result and error. */
static char *fold(const char *doc, const rf_parse_options *opt, size_t chunk, rf_result *r, rf_error *err,
                  int *decimals, char *unit)
{
    rf_parse_options o;
    rf_profile *p = rf_profile_new(NULL);
    char *out = NULL;
    if (opt) o = *opt; else memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_SPEEDSCOPE;
    *r = rf_test_parse(p, doc, strlen(doc), &o, chunk, err);
    if (*r == RF_OK) {
        out = rf_test_folded(p);
        if (decimals) *decimals = rf_profile_decimals(p);
        if (unit) strcpy(unit, rf_profile_unit(p));
    }
    rf_profile_free(p);
    return out;
}

/* FORMATS.md 6.2, verbatim */
static const char *example =
    "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\n"
    " \"shared\":{\"frames\":[{\"name\":\"main\",\"file\":\"main.c\",\"line\":10},{\"name\":\"leaf\"}]},\n"
    " \"profiles\":[\n"
    "  {\"type\":\"sampled\",\"name\":\"cpu\",\"unit\":\"nanoseconds\",\"startValue\":0,\"endValue\":80000000,\n"
    "   \"samples\":[[0,1],[0]],\"weights\":[50000000,30000000]},\n"
    "  {\"type\":\"evented\",\"name\":\"thread 1\",\"unit\":\"milliseconds\",\"startValue\":0,\"endValue\":10,\n"
    "   \"events\":[{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"O\",\"frame\":1,\"at\":2},\n"
    "             {\"type\":\"C\",\"frame\":1,\"at\":7},{\"type\":\"C\",\"frame\":0,\"at\":10}]}],\n"
    " \"name\":\"example\",\"activeProfileIndex\":0,\"exporter\":\"mytool@0.1\"}";

static void test_example(void **state)
{
    rf_parse_options o;
    rf_result r;
    rf_error err;
    char unit[64], *f;
    (void)state;
    /* nanoseconds and milliseconds do not merge */
    f = fold(example, NULL, 0, &r, &err, NULL, NULL);
    assert_null(f);
    assert_int_equal(r, RF_ERR_UNSUPPORTED);
    assert_int_equal(err.line, 6);
    assert_int_equal(err.column, 3);
    memset(&o, 0, sizeof o);
    o.speedscope.profile_index = 1;
    f = fold(example, &o, 0, &r, &err, NULL, unit);
    assert_int_equal(r, RF_OK);
    assert_string_equal(f, "main 30000000\nmain;leaf 50000000\n");
    assert_string_equal(unit, "nanoseconds");
    free(f);
    o.speedscope.profile_index = 2;
    o.speedscope.profile_roots = 1;
    f = fold(example, &o, 0, &r, &err, NULL, unit);
    assert_int_equal(r, RF_OK);
    /* main open 0..2 and 7..10 (self 5), leaf 2..7 (5) */
    assert_string_equal(f, "thread 1;main 5\nthread 1;main;leaf 5\n");
    assert_string_equal(unit, "milliseconds");
    free(f);
    memset(&o, 0, sizeof o);
    o.speedscope.profile_name = "cpu";
    o.speedscope.names = RF_FRAME_NAMES_LOCATION;
    f = fold(example, &o, 0, &r, &err, NULL, NULL);
    assert_int_equal(r, RF_OK);
    assert_string_equal(f, "main (main.c:10) 30000000\nmain (main.c:10);leaf 50000000\n");
    free(f);
    o.speedscope.profile_name = "nope";
    assert_null(fold(example, &o, 0, &r, &err, NULL, NULL));
    assert_int_equal(r, RF_ERR_INVALID_ARGUMENT);
    memset(&o, 0, sizeof o);
    o.speedscope.profile_index = 3;
    assert_null(fold(example, &o, 0, &r, &err, NULL, NULL));
    assert_int_equal(r, RF_ERR_INVALID_ARGUMENT);
}

/* What dotnet-trace writes (FORMATS.md 6.4): key order exporter, name, activeProfileIndex,
   $schema, shared, profiles; names only; one evented profile per thread in milliseconds with
   fractional "at"; startValue/endValue as strings; a raw tab in a name. */
static const char *dotnet =
    "{\"exporter\": \"speedscope@1.3.2\", \"name\": \"app.nettrace\", \"activeProfileIndex\": 0, "
    "\"$schema\": \"https://www.speedscope.app/file-format-schema.json\", "
    "\"shared\": {\"frames\": [{\"name\": \"Process64 app (42)\"}, {\"name\": \"Thread (1234)\"}, "
    "{\"name\": \"System.Private.CoreLib!System.Threading.Thread.Sleep(int32)\"}, {\"name\": \"app!Program.Main(class System.String[])\"}, "
    "{\"name\": \"app!Program.Hot(\tint)\"}, {\"name\": \"CPU_TIME\"}]}, "
    "\"profiles\": [{\"type\": \"evented\", \"name\": \"Thread (1234)\", \"unit\": \"milliseconds\", "
    "\"startValue\": \"12.345\", \"endValue\": \"20.5\", \"events\": ["
    "{\"type\": \"O\", \"frame\": 0, \"at\": 12.345}, {\"type\": \"O\", \"frame\": 1, \"at\": 12.345}, "
    "{\"type\": \"O\", \"frame\": 3, \"at\": 12.345}, {\"type\": \"O\", \"frame\": 4, \"at\": 13.0005}, "
    "{\"type\": \"O\", \"frame\": 5, \"at\": 13.0005}, {\"type\": \"C\", \"frame\": 5, \"at\": 19.1}, "
    "{\"type\": \"C\", \"frame\": 4, \"at\": 19.1}, {\"type\": \"C\", \"frame\": 3, \"at\": 20.5}, "
    "{\"type\": \"C\", \"frame\": 1, \"at\": 20.5}, {\"type\": \"C\", \"frame\": 0, \"at\": 20.5}]}, "
    "{\"type\": \"evented\", \"name\": \"Thread (99)\", \"unit\": \"milliseconds\", "
    "\"startValue\": \"0\", \"endValue\": \"3\", \"events\": ["
    "{\"type\": \"O\", \"frame\": 0, \"at\": 1}, {\"type\": \"O\", \"frame\": 2, \"at\": 1}, "
    "{\"type\": \"C\", \"frame\": 2, \"at\": 3}, {\"type\": \"C\", \"frame\": 0, \"at\": 3}]}]}";

static void test_dotnet(void **state)
{
    rf_parse_options o;
    rf_result r;
    rf_error err;
    char unit[64], *f;
    int dec = -1;
    (void)state;
    f = fold(dotnet, NULL, 0, &r, &err, &dec, unit);
    assert_int_equal(r, RF_OK);
    assert_int_equal(dec, 4);  /* 13.0005 needs 4 decimals; all times exact at that scale */
    assert_string_equal(unit, "milliseconds");
    assert_string_equal(f,
        "Process64 app (42);System.Private.CoreLib!System.Threading.Thread.Sleep(int32) 2\n"
        "Process64 app (42);Thread (1234);app!Program.Main(class System.String[]) 2.0555\n"
        "Process64 app (42);Thread (1234);app!Program.Main(class System.String[]);app!Program.Hot(\tint);CPU_TIME 6.0995\n");
    free(f);
    memset(&o, 0, sizeof o);
    o.speedscope.profile_name = "Thread (99)";
    o.speedscope.profile_roots = 1;
    f = fold(dotnet, &o, 0, &r, &err, &dec, NULL);
    assert_int_equal(r, RF_OK);
    assert_string_equal(f, "Thread (99);Process64 app (42);System.Private.CoreLib!System.Threading.Thread.Sleep(int32) 2\n");
    free(f);
    /* strict: the raw tab is an error */
    memset(&o, 0, sizeof o);
    o.strict = 1;
    assert_null(fold(dotnet, &o, 0, &r, &err, NULL, NULL));
    assert_int_equal(r, RF_ERR_SYNTAX);
    assert_string_equal(err.message, "raw control character in string (must be escaped)");
}

/* py-spy: sampled, seconds, weights 1/rate */
static void test_pyspy_like(void **state)
{
    const char *doc =
        "{\"profiles\":[{\"type\":\"sampled\",\"name\":\"MainThread\",\"unit\":\"seconds\",\"startValue\":0,\"endValue\":0.05,"
        "\"samples\":[[0,1],[0,1],[0],[0,1,2]],\"weights\":[0.01,0.01,0.02,0.010000000000000002]}],"
        "\"shared\":{\"frames\":[{\"name\":\"<module>\",\"file\":\"/srv/app/x.py\",\"line\":1},"
        "{\"name\":\"work\",\"file\":\"/srv/app/x.py\",\"line\":5},{\"name\":\"\",\"file\":\"/srv/app/y.py\",\"line\":9}]},"
        "\"$schema\":\"https://www.speedscope.app/file-format-schema.json\"}";
    rf_result r;
    rf_error err;
    rf_parse_options o;
    char unit[64], *f;
    int dec;
    (void)state;
    f = fold(doc, NULL, 0, &r, &err, &dec, unit);
    assert_int_equal(r, RF_OK);
    assert_string_equal(unit, "seconds");
    assert_int_equal(dec, RF_MAX_DECIMALS); /* 0.010000000000000002 rounded to RF_MAX_DECIMALS */
    assert_string_equal(f, "<module> 0.02\n<module>;work 0.02\n<module>;work;(anonymous) 0.01\n");
    free(f);
    memset(&o, 0, sizeof o);
    o.speedscope.names = RF_FRAME_NAMES_ANON_LOCATION;
    f = fold(doc, &o, 0, &r, &err, &dec, unit);
    assert_non_null(strstr(f, "<module>;work;(anonymous y.py:9) 0.01\n"));
    free(f);
}

typedef struct { const char *events; rf_result code; const char *detail; const char *folded; } ev_case;

static void test_evented_errors(void **state)
{
    static const ev_case cases[] = {
        {"{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"C\",\"frame\":0,\"at\":1}", RF_OK, "", "a 1\n"},
        /* zero-length frames and equal times */
        {"{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"O\",\"frame\":1,\"at\":0},{\"type\":\"C\",\"frame\":1,\"at\":0},"
         "{\"type\":\"C\",\"frame\":0,\"at\":2}", RF_OK, "", "a 2\n"},
        /* recursion: the same frame open twice */
        {"{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"O\",\"frame\":0,\"at\":1},{\"type\":\"C\",\"frame\":0,\"at\":3},"
         "{\"type\":\"C\",\"frame\":0,\"at\":4}", RF_OK, "", "a 2\na;a 2\n"},
        {"", RF_OK, "", ""},
        {"{\"type\":\"O\",\"frame\":0,\"at\":0},{\"type\":\"O\",\"frame\":1,\"at\":1},{\"type\":\"C\",\"frame\":0,\"at\":2}",
         RF_ERR_CORRUPT, "profile 1 event 2", NULL},
        {"{\"type\":\"C\",\"frame\":0,\"at\":0}", RF_ERR_CORRUPT, "profile 1 event 0", NULL},
        {"{\"type\":\"O\",\"frame\":0,\"at\":5},{\"type\":\"C\",\"frame\":0,\"at\":4}", RF_ERR_CORRUPT, "profile 1 event 1", NULL},
        {"{\"type\":\"O\",\"frame\":0,\"at\":0}", RF_ERR_CORRUPT, "profile 1 event count 1", NULL},
        {"{\"type\":\"O\",\"frame\":7,\"at\":0}", RF_ERR_CORRUPT, "profile 1 event 0", NULL},
        {"{\"type\":\"X\",\"frame\":0,\"at\":0}", RF_ERR_CORRUPT, "profile 1 event 0", NULL},
        {"{\"type\":\"O\",\"at\":0}", RF_ERR_CORRUPT, "profile 1 event 0", NULL},
        {"{\"type\":\"O\",\"frame\":0,\"at\":\"0\"}", RF_ERR_CORRUPT, "", NULL},
        {"[]", RF_ERR_CORRUPT, "profile 1 event 0", NULL},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[2048];
        rf_result r;
        rf_error err;
        char *f;
        snprintf(doc, sizeof doc,
                 "{\"shared\":{\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"}]},\"profiles\":[{\"type\":\"evented\",\"name\":\"t\","
                 "\"unit\":\"none\",\"startValue\":0,\"endValue\":9,\"events\":[%s]}]}", cases[i].events);
        memset(&err, 0, sizeof err);
        f = fold(doc, NULL, 0, &r, &err, NULL, NULL);
        if (r != cases[i].code || (f && strcmp(f, cases[i].folded) != 0) ||
            (r != RF_OK && (strcmp(err.detail, cases[i].detail) != 0 || err.line != 1 || err.column == 0)))
            fail_msg("case %u: result %d (%s; %s) folded <%s>", (unsigned)i, (int)r, r ? err.message : "", err.detail,
                     f ? f : "");
        free(f);
    }
}

typedef struct { const char *doc; rf_result code; const char *folded; unsigned skipped; } ss_case;

static void test_sampled_cases(void **state)
{
    static const ss_case cases[] = {
        /* an out-of-range frame index: skipped and counted */
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"unit\":\"none\","
         "\"samples\":[[0],[3],[0,0]],\"weights\":[1,1,2]}]}", RF_OK, "a 1\na;a 2\n", 1},
        /* weights before samples, zero weights ignored, numeric strings for start/end */
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"weights\":[0,4],\"samples\":[[0],[0]],"
         "\"startValue\":\"1e3\",\"endValue\":\"2000\",\"type\":\"sampled\",\"name\":\"p\",\"unit\":\"bytes\"}]}", RF_OK, "a 4\n", 0},
        /* two sampled profiles with the same unit merge */
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"},{\"name\":\"b\"}]},\"profiles\":["
         "{\"type\":\"sampled\",\"unit\":\"bytes\",\"samples\":[[0]],\"weights\":[1.5]},"
         "{\"type\":\"sampled\",\"unit\":\"bytes\",\"samples\":[[0,1],[0]],\"weights\":[2,0.25]}]}", RF_OK, "a 1.75\na;b 2\n", 0},
        {"{\"shared\":{\"frames\":[]},\"profiles\":[]}", RF_OK, "", 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"samples\":[[0]],\"weights\":[1,2]}]}",
         RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"samples\":[[0],[0]],\"weights\":[1]}]}",
         RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"samples\":[[0]],\"weights\":[-1]}]}",
         RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"samples\":[[0]]}]}", RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"samples\":[[0.5]],\"weights\":[1]}]}",
         RF_OK, "", 1},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"other\"}]}", RF_ERR_UNSUPPORTED, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"samples\":[]}]}", RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]},\"profiles\":[{\"type\":\"sampled\",\"startValue\":\"x\",\"samples\":[],\"weights\":[]}]}",
         RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[{\"name\":\"a\"}]}}", RF_ERR_CORRUPT, NULL, 0},
        {"{\"profiles\":[]}", RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":{}},\"profiles\":[]}", RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[]},\"profiles\":[], \"profiles\":[]}", RF_ERR_CORRUPT, NULL, 0},
        {"{\"shared\":{\"frames\":[]},\"profiles\":[1,]}", RF_ERR_SYNTAX, NULL, 0},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_parse_options o;
        rf_profile *p = rf_profile_new(NULL);
        rf_parser *ps;
        rf_result r;
        rf_error err;
        char *f = NULL;
        uint64_t skipped;
        memset(&o, 0, sizeof o);
        o.format = RF_FORMAT_SPEEDSCOPE;
        ps = rf_parser_new(p, &o);
        r = rf_parser_feed(ps, cases[i].doc, strlen(cases[i].doc), &err);
        if (r == RF_OK) r = rf_parser_finish(ps, &err);
        skipped = rf_parser_stats(ps)->skipped;
        rf_parser_free(ps);
        if (r == RF_OK) f = rf_test_folded(p);
        rf_profile_free(p);
        if (r != cases[i].code || (f && strcmp(f, cases[i].folded) != 0) || (r == RF_OK && skipped != cases[i].skipped) ||
            (r != RF_OK && (!err.message || err.line == 0 || err.column == 0)))
            fail_msg("case %u: result %d (%s), skipped %u, folded <%s>", (unsigned)i, (int)r, r ? err.message : "",
                     (unsigned)skipped, f ? f : "");
        free(f);
    }
    /* strict: the bad index is an error */
    {
        rf_parse_options o;
        rf_result r;
        rf_error err;
        memset(&o, 0, sizeof o);
        o.strict = 1;
        assert_null(fold(cases[0].doc, &o, 0, &r, &err, NULL, NULL));
        assert_int_equal(r, RF_ERR_CORRUPT);
    }
}

static void test_byte_at_a_time(void **state)
{
    const char *docs[2];
    size_t i;
    (void)state;
    docs[0] = dotnet;
    docs[1] = example;
    for (i = 0; i < 2; i++) {
        rf_parse_options o;
        rf_result r1, r2;
        rf_error e1, e2;
        char *a, *b;
        memset(&o, 0, sizeof o);
        o.speedscope.profile_index = (int)i; /* the example needs one profile picked */
        a = fold(docs[i], &o, 0, &r1, &e1, NULL, NULL);
        b = fold(docs[i], &o, 1, &r2, &e2, NULL, NULL);
        assert_int_equal(r1, RF_OK);
        assert_int_equal(r2, RF_OK);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
}

static void test_failing_allocator(void **state)
{
    long k;
    int done = 0;
    (void)state;
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
        if (!p) continue;
        memset(&o, 0, sizeof o);
        o.format = RF_FORMAT_SPEEDSCOPE;
        o.speedscope.profile_roots = 1;
        r = rf_test_parse(p, dotnet, strlen(dotnet), &o, (k & 1) ? 0 : 61, &err);
        if (r == RF_OK) done = 1;
        else if (r != RF_ERR_OUT_OF_MEMORY) fail_msg("failing allocation %ld: result %d (%s)", k, (int)r, err.message);
        rf_profile_free(p);
        assert_int_equal(ta.live_blocks, 0);
        assert_int_equal(ta.live_bytes, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_dotnet),
        cmocka_unit_test(test_pyspy_like),
        cmocka_unit_test(test_evented_errors),
        cmocka_unit_test(test_sampled_cases),
        cmocka_unit_test(test_byte_at_a_time),
        cmocka_unit_test(test_failing_allocator),
    };
     /* rf_test.h helpers this file does not use */
    
    return cmocka_run_group_tests(tests, NULL, NULL);
}
