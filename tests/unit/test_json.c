/* Unit tests of the strict JSON pull reader ([rf:json] in resq_flame.h). */
#define RF_JSON_MAX_DEPTH 64   /* low, to reach the limit cheaply */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

/* Canonical dump of the token stream: { } [ ] k:text s:text n:[-]MANTeEXP t f z, space separated.
   Returns the reader's error code. */
static rf_result dump(const char *in, size_t n, unsigned flags, char *out, size_t cap, rf__json *keep)
{
    rf__json j;
    rf__jtok t;
    size_t o = 0;
    rf_result r;
    rf__json_init(&j, NULL, in, n, flags);
    out[0] = 0;
    while ((t = rf__json_next(&j)) != RF__JT_EOF && t != RF__JT_ERROR) {
        char tmp[256];
        switch (t) {
        case RF__JT_OBJ: strcpy(tmp, "{"); break;
        case RF__JT_OBJ_END: strcpy(tmp, "}"); break;
        case RF__JT_ARR: strcpy(tmp, "["); break;
        case RF__JT_ARR_END: strcpy(tmp, "]"); break;
        case RF__JT_KEY: snprintf(tmp, sizeof tmp, "k:%.*s", (int)j.str.len, j.str.ptr); break;
        case RF__JT_STR: snprintf(tmp, sizeof tmp, "s:%.*s", (int)j.str.len, j.str.ptr); break;
        case RF__JT_NUM:
            snprintf(tmp, sizeof tmp, "n:%s%llue%d", j.num.neg ? "-" : "", (unsigned long long)j.num.mant,
                     (int)j.num.exp10);
            break;
        case RF__JT_TRUE: strcpy(tmp, "t"); break;
        case RF__JT_FALSE: strcpy(tmp, "f"); break;
        default: strcpy(tmp, "z"); break;
        }
        if (o + strlen(tmp) + 2 < cap) {
            if (o) out[o++] = ' ';
            strcpy(out + o, tmp);
            o += strlen(tmp);
        }
    }
    r = j.err;
    if (keep) *keep = j; /* for the error fields and base only: the buffers are freed here */
    rf__json_free(&j);
    return r;
}

typedef struct { const char *in; const char *tokens; } yes_case;

static void test_accepts(void **state)
{
    (void)state;
    static const yes_case cases[] = {
        {"{}", "{ }"},
        {"[]", "[ ]"},
        {" \t\r\n[ ]\n", "[ ]"},
        {"0", "n:0e0"},
        {"-0", "n:-0e0"},
        {"123", "n:123e0"},
        {"-123", "n:-123e0"},
        {"1.5", "n:15e-1"},
        {"1.50", "n:15e-1"},
        {"0.000123", "n:123e-6"},
        {"1e3", "n:1e3"},
        {"1E+3", "n:1e3"},
        {"12.5e-3", "n:125e-4"},
        {"100", "n:100e0"},
        {"1795316666123293.2", "n:17953166661232932e-1"},
        {"12345678901234567890123", "n:1234567890123456789e4"},
        {"1e999999999", "n:1e1000000"},
        {"true", "t"}, {"false", "f"}, {"null", "z"},
        {"\"\"", "s:"},
        {"\"abc\"", "s:abc"},
        {"\"a\\\"b\\\\c\\/d\"", "s:a\"b\\c/d"},
        {"\"\\b\\f\\n\\r\\t\"", "s:\b\f\n\r\t"},
        {"\"\\u0041\\u00e9\\u20AC\"", "s:A\xc3\xa9\xe2\x82\xac"},
        {"\"\\ud83d\\ude00\"", "s:\xf0\x9f\x98\x80"},
        {"\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", "s:\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"},
        {"{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
         "{ k:a n:1e0 k:b [ t f z ] k:c { k:d s:e } }"},
        {"[[[]],{}]", "[ [ [ ] ] { } ]"},
        {"{\"a\":1,\"a\":2}", "{ k:a n:1e0 k:a n:2e0 }"},
        {"\xef\xbb\xbf[1]", "[ n:1e0 ]"},
        /* replaced, not rejected (see the reader's doc) */
        {"\"\\ud800x\"", "s:\xef\xbf\xbdx"},
        {"\"\\udc00\"", "s:\xef\xbf\xbd"},
        {"\"a\xffz\"", "s:a\xef\xbf\xbdz"},
        {"\"\xc0\xaf\"", "s:\xef\xbf\xbd\xef\xbf\xbd"},          /* overlong */
        {"\"\xed\xa0\x80\"", "s:\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* encoded surrogate */
        {"\"\xf4\x90\x80\x80\"", "s:\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* > U+10FFFF */
    };
    size_t i;
    char out[1024];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf_result r = dump(cases[i].in, strlen(cases[i].in), 0, out, sizeof out, NULL);
        if (r != RF_OK || strcmp(out, cases[i].tokens) != 0)
            fail_msg("case %u <%s>: result %d, tokens <%s>, want <%s>", (unsigned)i, cases[i].in, (int)r, out,
                     cases[i].tokens);
    }
    /* \u0000 decodes to a NUL byte inside the (length-delimited) string */
    {
        rf__json j;
        rf__json_init(&j, NULL, "\"a\\u0000b\"", 10, 0);
        assert_int_equal(rf__json_next(&j), RF__JT_STR);
        assert_int_equal(j.str.len, 3);
        assert_memory_equal(j.str.ptr, "a\0b", 3);
        assert_int_equal(rf__json_next(&j), RF__JT_EOF);
        rf__json_free(&j);
    }
}

typedef struct { const char *in; rf_result code; unsigned line, col; } no_case;

static void test_rejects(void **state)
{
    (void)state;
    static const no_case cases[] = {
        {"", RF_ERR_EMPTY, 1, 1},
        {"  \n ", RF_ERR_EMPTY, 2, 2},
        {"[", RF_ERR_TRUNCATED, 1, 2},
        {"[1,", RF_ERR_TRUNCATED, 1, 4},
        {"{\"a\"", RF_ERR_TRUNCATED, 1, 5},
        {"{\"a\":", RF_ERR_TRUNCATED, 1, 6},
        {"\"abc", RF_ERR_TRUNCATED, 1, 1},
        {"tru", RF_ERR_TRUNCATED, 1, 1},
        {"[1,]", RF_ERR_SYNTAX, 1, 4},
        {"[,1]", RF_ERR_SYNTAX, 1, 2},
        {"{\"a\":1,}", RF_ERR_SYNTAX, 1, 8},
        {"{,}", RF_ERR_SYNTAX, 1, 2},
        {"{a:1}", RF_ERR_SYNTAX, 1, 2},
        {"{'a':1}", RF_ERR_SYNTAX, 1, 2},
        {"{\"a\" 1}", RF_ERR_SYNTAX, 1, 6},
        {"{\"a\":1 \"b\":2}", RF_ERR_SYNTAX, 1, 8},
        {"[1 2]", RF_ERR_SYNTAX, 1, 4},
        {"[1}", RF_ERR_SYNTAX, 1, 3},
        {"{\"a\":1]", RF_ERR_SYNTAX, 1, 7},
        {"[]]", RF_ERR_SYNTAX, 1, 3},
        {"[] x", RF_ERR_SYNTAX, 1, 4},
        {"1 2", RF_ERR_SYNTAX, 1, 3},
        {"01", RF_ERR_SYNTAX, 1, 1},
        {"-01", RF_ERR_SYNTAX, 1, 1},
        {"+1", RF_ERR_SYNTAX, 1, 1},
        {".5", RF_ERR_SYNTAX, 1, 1},
        {"1.", RF_ERR_TRUNCATED, 1, 3},
        {"[1.]", RF_ERR_SYNTAX, 1, 4},
        {"[1.e3]", RF_ERR_SYNTAX, 1, 4},
        {"[1e]", RF_ERR_SYNTAX, 1, 4},
        {"[1e+]", RF_ERR_SYNTAX, 1, 5},
        {"[-]", RF_ERR_SYNTAX, 1, 2},
        {"[0x10]", RF_ERR_SYNTAX, 1, 3},
        {"[NaN]", RF_ERR_SYNTAX, 1, 2},
        {"[Infinity]", RF_ERR_SYNTAX, 1, 2},
        {"[-Infinity]", RF_ERR_SYNTAX, 1, 2},
        {"[True]", RF_ERR_SYNTAX, 1, 2},
        {"[nul]", RF_ERR_SYNTAX, 1, 2},
        {"[truex]", RF_ERR_SYNTAX, 1, 6},
        {"\"\\x41\"", RF_ERR_SYNTAX, 1, 2},
        {"\"\\u12G4\"", RF_ERR_SYNTAX, 1, 2},
        {"\"\\u12\"", RF_ERR_SYNTAX, 1, 2},
        {"\"\\", RF_ERR_TRUNCATED, 1, 1},
        {"\"a\tb\"", RF_ERR_SYNTAX, 1, 3},
        {"\"a\nb\"", RF_ERR_SYNTAX, 1, 3},
        {"[\n  1,\n  @]", RF_ERR_SYNTAX, 3, 3},
        {"/* c */ 1", RF_ERR_SYNTAX, 1, 1},
        {"\xef\xbb\xbf", RF_ERR_EMPTY, 1, 4},
        {"\xef\xbb", RF_ERR_SYNTAX, 1, 1},
    };
    size_t i;
    char out[1024];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf__json j;
        uint64_t line;
        uint32_t col;
        rf_result r = dump(cases[i].in, strlen(cases[i].in), 0, out, sizeof out, &j);
        rf__json_line_col(j.base, j.err_off, &line, &col);
        if (r != cases[i].code || line != cases[i].line || col != cases[i].col || !j.err_msg)
            fail_msg("case %u <%s>: result %d at %u:%u (%s), want %d at %u:%u", (unsigned)i, cases[i].in, (int)r,
                     (unsigned)line, (unsigned)col, j.err_msg ? j.err_msg : "?", (int)cases[i].code,
                     cases[i].line, cases[i].col);
    }
}

static void test_flags(void **state)
{
    (void)state;
    char out[256];
    /* strict UTF-8 */
    assert_int_equal(dump("\"a\xff\"", 4, RF__JSON_STRICT_UTF8, out, sizeof out, NULL), RF_ERR_SYNTAX);
    assert_int_equal(dump("\"\\ud800\"", 8, RF__JSON_STRICT_UTF8, out, sizeof out, NULL), RF_ERR_SYNTAX);
    assert_int_equal(dump("\"\\ud83d\\ude00\"", 14, RF__JSON_STRICT_UTF8, out, sizeof out, NULL), RF_OK);
    /* raw control characters */
    assert_int_equal(dump("\"a\tb\"", 5, RF__JSON_ALLOW_CTRL, out, sizeof out, NULL), RF_OK);
    assert_string_equal(out, "s:a\tb");
    /* a NUL byte in the input is never a value */
    assert_int_equal(dump("[1,\0]", 5, 0, out, sizeof out, NULL), RF_ERR_SYNTAX);
    {
        rf__json j;
        rf__json_init(&j, NULL, "[\"a\\u00ff\", \"\\ud800\", \"\xfe\"]", 26, 0);
        while (rf__json_next(&j) > RF__JT_EOF) {}
        assert_int_equal(j.err, RF_OK);
        assert_int_equal(j.replaced, 2);
        rf__json_free(&j);
    }
}

static void test_depth_limit(void **state)
{
    (void)state;
    char buf[2 * RF_JSON_MAX_DEPTH + 8];
    char out[64];
    rf__json j;
    int i;
    for (i = 0; i < RF_JSON_MAX_DEPTH; i++) { buf[i] = '['; buf[RF_JSON_MAX_DEPTH * 2 - 1 - i] = ']'; }
    assert_int_equal(dump(buf, 2 * RF_JSON_MAX_DEPTH, 0, out, sizeof out, NULL), RF_OK);
    for (i = 0; i <= RF_JSON_MAX_DEPTH; i++) buf[i] = '[';
    assert_int_equal(dump(buf, RF_JSON_MAX_DEPTH + 1, 0, out, sizeof out, &j), RF_ERR_LIMIT);
    assert_int_equal(j.err_off, RF_JSON_MAX_DEPTH);
}

static void test_fixed(void **state)
{
    (void)state;
    static const struct { const char *num; int dec; int ok; int64_t want; } cases[] = {
        {"0", 0, 1, 0}, {"12", 0, 1, 12}, {"-12", 3, 1, -12000}, {"1.5", 0, 1, 2}, {"-1.5", 0, 1, -2},
        {"2.5", 0, 1, 3}, {"1.49999", 0, 1, 1}, {"0.0004", 3, 1, 0}, {"0.0005", 3, 1, 1},
        {"12.345678", 3, 1, 12346}, {"12.345678", 6, 1, 12345678}, {"1e2", 0, 1, 100},
        {"1795316666123293.2", 0, 1, 1795316666123293LL}, {"1795316666123293.5", 0, 1, 1795316666123294LL},
        {"9223372036854775807", 0, 1, INT64_MAX}, {"9223372036854775808", 0, 0, 0},
        {"-9223372036854775807", 0, 1, -INT64_MAX}, {"1e19", 0, 0, 0}, {"1e-30", 0, 1, 0},
        {"5e-1", 0, 1, 1}, {"1e18", 1, 0, 0}, {"0.1e1", 0, 1, 1},
        {"12345678901234567895", 0, 0, 0}, {"1.23456789012345678901", 18, 1, 1234567890123456789LL},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf__json j;
        int64_t v = -7;
        int ok;
        rf__json_init(&j, NULL, cases[i].num, strlen(cases[i].num), 0);
        assert_int_equal(rf__json_next(&j), RF__JT_NUM);
        ok = rf__json_fixed(&j.num, cases[i].dec, &v);
        if (ok != cases[i].ok || (ok && v != cases[i].want))
            fail_msg("case %u %s @%d: ok %d v %lld", (unsigned)i, cases[i].num, cases[i].dec, ok, (long long)v);
        rf__json_free(&j);
    }
}

static void test_numeric_string(void **state)
{
    (void)state;
    rf__json j;
    rf__jnum n;
    int64_t v;
    const char *doc = "[\"12.345\", 7, \"x\"]";
    rf__json_init(&j, NULL, doc, strlen(doc), 0);
    assert_int_equal(rf__json_next(&j), RF__JT_ARR);
    assert_true(rf__json_read_num(&j, &n, 1, "bad"));
    assert_true(rf__json_fixed(&n, 3, &v));
    assert_int_equal(v, 12345);
    assert_true(rf__json_read_num(&j, &n, 1, "bad"));
    assert_int_equal(n.mant, 7);
    assert_false(rf__json_read_num(&j, &n, 1, "not a number"));
    assert_int_equal(j.err, RF_ERR_CORRUPT);
    assert_int_equal(j.err_off, 14);
    assert_string_equal(j.err_msg, "not a number");
    rf__json_free(&j);
}

static void test_i64_array(void **state)
{
    (void)state;
    static const struct { const char *in; int round; rf_result code; const char *want; } cases[] = {
        {"[]", 0, RF_OK, ""},
        {"[ ]", 0, RF_OK, ""},
        {"[1,2,3]", 0, RF_OK, "1 2 3"},
        {"[ 0 , 10 ,\n-5,123456789012345678,1234567890123456789 ]", 0, RF_OK,
         "0 10 -5 123456789012345678 1234567890123456789"},
        {"[1.5,2e1,-2.5]", 1, RF_OK, "2 20 -3"},
        {"[1.5]", 0, RF_ERR_CORRUPT, ""},
        {"[1e2]", 0, RF_OK, "100"},
        {"[01]", 0, RF_ERR_SYNTAX, ""},
        {"[1,]", 0, RF_ERR_SYNTAX, ""},
        {"[1 2]", 0, RF_ERR_SYNTAX, ""},
        {"[1,", 0, RF_ERR_TRUNCATED, ""},
        {"[1", 0, RF_ERR_TRUNCATED, ""},
        {"[\"1\"]", 0, RF_ERR_CORRUPT, ""},
        {"[[1]]", 0, RF_ERR_CORRUPT, ""},
        {"{}", 0, RF_ERR_CORRUPT, ""},
        {"[99999999999999999999]", 0, RF_ERR_CORRUPT, ""},
    };
    size_t i, k;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rf__json j;
        rf__i64s v = {NULL, 0, 0};
        char out[256];
        size_t o = 0;
        rf__json_init(&j, NULL, cases[i].in, strlen(cases[i].in), 0);
        if (rf__json_read_i64_array(&j, &v, cases[i].round, "numbers expected"))
            assert_int_equal(rf__json_next(&j), RF__JT_EOF);
        out[0] = 0;
        for (k = 0; k < v.len && cases[i].code == RF_OK; k++)
            o += (size_t)snprintf(out + o, sizeof out - o, k ? " %lld" : "%lld", (long long)v.v[k]);
        if (j.err != cases[i].code || strcmp(out, cases[i].want) != 0)
            fail_msg("case %u <%s>: %d <%s>", (unsigned)i, cases[i].in, (int)j.err, out);
        rf__i64s_free(NULL, &v);
        rf__json_free(&j);
    }
    /* the array inside an object: the reader goes on after it */
    {
        rf__json j;
        rf__i64s v = {NULL, 0, 0};
        const char *doc = "{\"s\":[5,6],\"t\":1}";
        rf__json_init(&j, NULL, doc, strlen(doc), 0);
        assert_int_equal(rf__json_next(&j), RF__JT_OBJ);
        assert_true(rf__json_obj_next(&j));
        assert_true(rf__json_read_i64_array(&j, &v, 0, "x"));
        assert_int_equal(v.len, 2);
        assert_true(rf__json_obj_next(&j));
        assert_true(rf__json_key_is(&j, "t"));
        assert_int_equal(rf__json_next(&j), RF__JT_NUM);
        assert_false(rf__json_obj_next(&j));
        assert_int_equal(rf__json_next(&j), RF__JT_EOF);
        rf__i64s_free(NULL, &v);
        rf__json_free(&j);
    }
}

static void test_skip(void **state)
{
    (void)state;
    rf__json j;
    const char *doc = "{\"a\":{\"b\":[1,{\"c\":[]}],\"d\":\"x\"},\"e\":2}";
    rf__json_init(&j, NULL, doc, strlen(doc), 0);
    assert_int_equal(rf__json_next(&j), RF__JT_OBJ);
    assert_true(rf__json_obj_next(&j));
    assert_true(rf__json_skip(&j, rf__json_next(&j)));
    assert_true(rf__json_obj_next(&j));
    assert_true(rf__json_key_is(&j, "e"));
    assert_int_equal(rf__json_next(&j), RF__JT_NUM);
    assert_false(rf__json_obj_next(&j));
    assert_int_equal(rf__json_next(&j), RF__JT_EOF);
    rf__json_free(&j);
}

/* Random documents: the reader must reproduce the generator's own token dump. */
typedef struct { uint64_t s; } rng;
static uint32_t rnd(rng *r) { r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL; return (uint32_t)(r->s >> 33); }

static void gen(rng *r, int depth, char *doc, size_t *dn, char *tok, size_t *tn)
{
    int kind = depth > 6 ? (int)(rnd(r) % 4) : (int)(rnd(r) % 6);
#define PUT(b, n, s) do { const char *s_ = (s); size_t l_ = strlen(s_); memcpy(b + *n, s_, l_); *n += l_; } while (0)
    if (*tn) PUT(tok, tn, " ");
    switch (kind) {
    case 0: PUT(doc, dn, "true"); PUT(tok, tn, "t"); break;
    case 1: {
        char b[32], t[48];
        unsigned v = rnd(r) % 100000;
        snprintf(b, sizeof b, "%s%u", rnd(r) % 2 ? "-" : "", v);
        PUT(doc, dn, b);
        snprintf(t, sizeof t, "n:%se0", b); /* integers keep their digits */
        PUT(tok, tn, t);
        break;
    }
    case 2: case 3: {
        char s[16];
        unsigned l = rnd(r) % 8, i;
        for (i = 0; i < l; i++) s[i] = (char)('a' + rnd(r) % 26);
        s[l] = 0;
        PUT(doc, dn, "\""); PUT(doc, dn, s); PUT(doc, dn, "\"");
        PUT(tok, tn, "s:"); PUT(tok, tn, s);
        break;
    }
    case 4: {
        unsigned n = rnd(r) % 5, i;
        PUT(doc, dn, "["); PUT(tok, tn, "[");
        for (i = 0; i < n; i++) {
            if (i) PUT(doc, dn, rnd(r) % 2 ? "," : " ,\n ");
            gen(r, depth + 1, doc, dn, tok, tn);
        }
        PUT(doc, dn, "]"); PUT(tok, tn, " ]");
        break;
    }
    default: {
        unsigned n = rnd(r) % 5, i;
        PUT(doc, dn, "{"); PUT(tok, tn, "{");
        for (i = 0; i < n; i++) {
            char k[8];
            snprintf(k, sizeof k, "k%u", i);
            if (i) PUT(doc, dn, ",");
            PUT(doc, dn, "\""); PUT(doc, dn, k); PUT(doc, dn, "\" : ");
            PUT(tok, tn, " k:"); PUT(tok, tn, k);
            gen(r, depth + 1, doc, dn, tok, tn);
        }
        PUT(doc, dn, "}"); PUT(tok, tn, " }");
        break;
    }
    }
#undef PUT
}

static void test_random_documents(void **state)
{
    (void)state;
    rng r = {12345};
    int it;
    static char doc[1 << 20], want[1 << 20], got[1 << 20];
    for (it = 0; it < 2000; it++) {
        size_t dn = 0, tn = 0, cut;
        gen(&r, 0, doc, &dn, want, &tn);
        want[tn] = 0;
        assert_int_equal(dump(doc, dn, 0, got, sizeof got, NULL), RF_OK);
        assert_string_equal(got, want);
        /* every proper prefix that is not itself a complete number/literal must be rejected */
        cut = dn ? rnd(&r) % dn : 0;
        if (cut && (doc[0] == '[' || doc[0] == '{' || doc[0] == '"'))
            assert_int_not_equal(dump(doc, cut, 0, got, sizeof got, NULL), RF_OK);
    }
}

/* Fail the N-th allocation for every N: RF_ERR_OUT_OF_MEMORY, nothing leaked. */
static void test_failing_allocator(void **state)
{
    (void)state;
    const char *doc = "{\"a\\n\":[[[\"\\u00e9\",{\"b\":[1,2,3]}]]],\"c\":\"x\\ty\"}";
    long n;
    int saw_ok = 0;
    for (n = 0; n < 100 && !saw_ok; n++) {
        rf_test_alloc ta;
        rf_allocator al;
        rf__json j;
        rf__i64s v = {NULL, 0, 0};
        rf__jtok t;
        memset(&ta, 0, sizeof ta);
        ta.fail_at = n;
        al = rf_test_allocator(&ta);
        rf__json_init(&j, &al, doc, strlen(doc), 0);
        while ((t = rf__json_next(&j)) > RF__JT_EOF) {
            if (t == RF__JT_KEY && rf__json_key_is(&j, "b") && !rf__json_read_i64_array(&j, &v, 0, "numbers")) break;
        }
        if (t == RF__JT_EOF) saw_ok = 1;
        else assert_int_equal(j.err, RF_ERR_OUT_OF_MEMORY);
        rf__json_free(&j);
        rf__i64s_free(&al, &v);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(saw_ok);
}

/* Integer arrays of every length from 1 to 18 digits, at every alignment and with the last
   number ending the buffer (read 8 bytes at a time where 8 remain), against strtoll. The
   document sits in an allocation of its exact size, so a read past it shows under ASan. */
static void test_integer_arrays_every_length(void **state) {
    unsigned seed = 12345, round;
    (void)state;
    for (round = 0; round < 400; round++) {
        char text[4096];
        long long want[64];
        size_t n = 0, count = 1 + round % 40, i, len;
        char *doc;
        rf__json j;
        rf__i64s v = {NULL, 0, 0};
        n += (size_t)sprintf(text + n, "[");
        for (i = 0; i < count; i++) {
            unsigned digits = 1 + (seed = seed * 1103515245u + 12345u) % 18, k;
            char num[24];
            for (k = 0; k < digits; k++) {
                seed = seed * 1103515245u + 12345u;
                num[k] = (char)('0' + (k == 0 ? 1 + (seed >> 16) % 9 : (seed >> 16) % 10));
            }
            num[digits] = '\0';
            if (i == 0 && round % 5 == 0) strcpy(num, "0"); /* a lone zero first */
            want[i] = strtoll(num, NULL, 10);
            n += (size_t)sprintf(text + n, "%s%s%s", i ? "," : "", round % 3 == 1 ? " " : "", num);
        }
        n += (size_t)sprintf(text + n, "]");
        len = round % 2 ? n : n - 1; /* odd rounds: complete; even: the ']' cut off */
        doc = (char *)malloc(len);
        assert_non_null(doc);
        memcpy(doc, text, len);
        rf__json_init(&j, NULL, doc, len, 0);
        if (round % 2) {
            assert_true(rf__json_read_i64_array(&j, &v, 0, "numbers expected"));
            assert_int_equal(v.len, count);
            for (i = 0; i < count; i++) assert_true(v.v[i] == want[i]);
        } else {
            assert_false(rf__json_read_i64_array(&j, &v, 0, "numbers expected"));
            assert_int_equal(j.err, RF_ERR_TRUNCATED);
        }
        rf__i64s_free(NULL, &v);
        rf__json_free(&j);
        free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_numeric_string),
        cmocka_unit_test(test_i64_array),
        cmocka_unit_test(test_skip),
        cmocka_unit_test(test_random_documents),
        cmocka_unit_test(test_integer_arrays_every_length),
        cmocka_unit_test(test_failing_allocator),
    };
     /* rf_test.h helpers this file does not use */
    
    
    
    return cmocka_run_group_tests(tests, NULL, NULL);
}
