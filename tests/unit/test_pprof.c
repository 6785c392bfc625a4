/* Unit tests of the protobuf reader and the pprof decoder ([rf:protobuf], [rf:pprof]).
   Real Go 1.19 profiles must fold exactly to the expected outputs beside them; edge cases are
   built here with a tiny protobuf writer. Expected folds of other columns come from
   `go tool pprof -raw` (go119-heap.raw.txt), not from this decoder. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

/* ---- a minimal protobuf writer ---- */
typedef struct pbw { unsigned char *b; size_t n, cap; } pbw;
static void pb_raw(pbw *w, const void *d, size_t n) {
    if (w->n + n > w->cap) {
        w->cap = (w->n + n) * 2 + 64;
        w->b = (unsigned char *)realloc(w->b, w->cap);
        assert_non_null(w->b);
    }
    if (n) memcpy(w->b + w->n, d, n);
    w->n += n;
}
static void pb_varint(pbw *w, uint64_t v) {
    unsigned char c;
    do {
        c = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v) c |= 0x80;
        pb_raw(w, &c, 1);
    } while (v);
}
static void pb_tag(pbw *w, unsigned num, unsigned wt) { pb_varint(w, (uint64_t)num << 3 | wt); }
static void pb_uint(pbw *w, unsigned num, uint64_t v) { pb_tag(w, num, 0); pb_varint(w, v); }
static void pb_bytes(pbw *w, unsigned num, const void *d, size_t n) {
    pb_tag(w, num, 2);
    pb_varint(w, n);
    pb_raw(w, d, n);
}
static void pb_msg(pbw *w, unsigned num, pbw *m) { pb_bytes(w, num, m->b, m->n); free(m->b); memset(m, 0, sizeof *m); }
static void pb_packed(pbw *w, unsigned num, const uint64_t *v, size_t n) {
    pbw m = {NULL, 0, 0};
    size_t i;
    for (i = 0; i < n; i++) pb_varint(&m, v[i]);
    pb_msg(w, num, &m);
}
static void pb_free(pbw *w) { free(w->b); memset(w, 0, sizeof *w); }

/* string table of the built profiles */
enum { S_EMPTY, S_SAMPLES, S_COUNT, S_CPU, S_NS, S_MAIN, S_WORK, S_LEAF, S_FILE, S_LIB, S_HANDLER, S_ALPHA, S_BYTES, S_BETA, S_N };
static const char *const strs[S_N] = {"", "samples", "count", "cpu", "nanoseconds", "main", "work", "leaf",
                                      "/src/a.go", "/usr/lib/libfoo.so", "handler", "alpha", "bytes", "beta"};

#define MUT_NONE 0
#define MUT_BAD_NAME_INDEX 1
#define MUT_FIRST_STRING 2
#define MUT_NO_STRINGS 3
#define MUT_DUP_FUNCTION 4
#define MUT_LOCATION_ID0 5
#define MUT_UNDEFINED_LOCATION 6
#define MUT_UNDEFINED_FUNCTION 7
#define MUT_VALUE_COUNT 8
#define MUT_GROUP_TOP 9
#define MUT_GROUP_IN_SAMPLE 10
#define MUT_TWO_TIMES 11
#define MUT_ZERO_THEN_TIME 12
#define MUT_WRONG_WIRE 13
#define MUT_DEFAULT_SAMPLES 14
#define MUT_NEGATIVE 15
#define MUT_DROP_FRAMES 16

static void add_label(pbw *s, unsigned key, unsigned str, int64_t num) {
    pbw l = {NULL, 0, 0};
    pb_uint(&l, 1, key);
    if (str) pb_uint(&l, 2, str);
    else pb_uint(&l, 3, (uint64_t)num);
    pb_msg(s, 3, &l);
}

/* Profile with columns samples/count and cpu/nanoseconds, an inlined location (leaf inlined
   into work), an unsymbolized location in libfoo.so, one with an unknown mapping, labels,
   packed and unpacked repeated fields and unknown fields of every wire type. */
static void build_profile(pbw *w, int mut) {
    pbw m = {NULL, 0, 0}, l = {NULL, 0, 0};
    uint64_t v[4];
    unsigned i;
    memset(w, 0, sizeof *w);
    pb_uint(w, 9, mut == MUT_ZERO_THEN_TIME ? 0 : 1700000000000000000ull); /* time_nanos */
    if (mut == MUT_TWO_TIMES || mut == MUT_ZERO_THEN_TIME) pb_uint(w, 9, 1700000000000000001ull);
    pb_uint(&m, 1, S_SAMPLES); pb_uint(&m, 2, S_COUNT); pb_msg(w, 1, &m);
    pb_uint(&m, 1, S_CPU); pb_uint(&m, 2, S_NS); pb_msg(w, 1, &m);
    if (mut == MUT_DEFAULT_SAMPLES) pb_uint(w, 14, S_SAMPLES);
    if (mut == MUT_DROP_FRAMES) pb_uint(w, 7, S_LEAF);
    /* unknown top-level fields: fixed64, fixed32, bytes, varint */
    pb_tag(w, 100, 1); pb_raw(w, "12345678", 8);
    pb_tag(w, 101, 5); pb_raw(w, "1234", 4);
    pb_bytes(w, 102, "junk", 4);
    pb_uint(w, 103, 7);
    if (mut == MUT_GROUP_TOP) { pb_tag(w, 20, 3); pb_tag(w, 20, 4); }
    /* sample 1: packed location ids [200, 100], unpacked values 1, 10, label handler=alpha */
    v[0] = 200; v[1] = 100;
    pb_packed(&m, 1, v, 2);
    pb_uint(&m, 2, 1);
    if (mut != MUT_VALUE_COUNT) pb_uint(&m, 2, mut == MUT_NEGATIVE ? (uint64_t)-10 : 10);
    add_label(&m, S_HANDLER, S_ALPHA, 0);
    if (mut == MUT_GROUP_IN_SAMPLE) { pb_tag(&m, 9, 3); pb_tag(&m, 9, 4); }
    pb_msg(w, 2, &m);
    /* sample 2: location ids unpacked then packed (mixed), values packed, label handler=beta */
    pb_uint(&m, 1, 0xdeadbeef);
    v[0] = mut == MUT_UNDEFINED_LOCATION ? 555 : 100;
    pb_packed(&m, 1, v, 1);
    v[0] = 2; v[1] = 20;
    pb_packed(&m, 2, v, 2);
    add_label(&m, S_HANDLER, S_BETA, 0);
    pb_tag(&m, 77, 1); pb_raw(&m, "abcdefgh", 8); /* unknown field inside a message */
    pb_msg(w, 2, &m);
    /* sample 3: zero cpu, unknown mapping, numeric label */
    pb_uint(&m, 1, 400);
    pb_uint(&m, 2, 3);
    pb_uint(&m, 2, 0);
    add_label(&m, S_BYTES, 0, 4096);
    pb_msg(w, 2, &m);
    /* locations */
    pb_uint(&m, 1, mut == MUT_LOCATION_ID0 ? 0 : 100);
    pb_uint(&l, 1, 10); pb_uint(&l, 2, 5); pb_msg(&m, 4, &l);
    pb_msg(w, 4, &m);
    pb_uint(&m, 1, 200);
    pb_uint(&l, 1, 30); pb_uint(&l, 2, 7); pb_msg(&m, 4, &l);   /* innermost: leaf */
    pb_uint(&l, 1, mut == MUT_UNDEFINED_FUNCTION ? 31 : 20); pb_uint(&l, 2, 12); pb_msg(&m, 4, &l);
    pb_uint(&m, 3, 0x401000);
    pb_msg(w, 4, &m);
    pb_uint(&m, 2, 1); /* mapping_id before id: field order is free */
    pb_uint(&m, 1, 0xdeadbeef);
    pb_uint(&m, 3, 0x7f0000001234ull);
    pb_msg(w, 4, &m);
    pb_uint(&m, 1, 400);
    pb_uint(&m, 2, 99); /* no such mapping */
    pb_uint(&m, 3, 0x1234);
    pb_msg(w, 4, &m);
    /* functions */
    for (i = 0; i < 3; i++) {
        static const unsigned ids[3] = {10, 20, 30}, names[3] = {S_MAIN, S_WORK, S_LEAF};
        pb_uint(&m, 1, mut == MUT_DUP_FUNCTION && i == 2 ? 10 : ids[i]);
        if (mut == MUT_WRONG_WIRE && i == 1) pb_bytes(&m, 2, "x", 1);
        else pb_uint(&m, 2, mut == MUT_BAD_NAME_INDEX && i == 1 ? 99 : names[i]);
        pb_uint(&m, 3, names[i]);
        pb_uint(&m, 4, S_FILE);
        pb_tag(&m, 50, 5); pb_raw(&m, "wxyz", 4);
        pb_msg(w, 5, &m);
    }
    /* mapping */
    pb_uint(&m, 1, 1);
    pb_uint(&m, 2, 0x7f0000000000ull);
    pb_uint(&m, 3, 0x7f0000100000ull);
    pb_uint(&m, 4, 0x1000);
    pb_uint(&m, 5, S_LIB);
    pb_uint(&m, 7, 1);
    pb_msg(w, 3, &m);
    /* strings last, as Go writes them */
    if (mut != MUT_NO_STRINGS)
        for (i = 0; i < S_N; i++) {
            const char *s = i == 0 && mut == MUT_FIRST_STRING ? "x" : strs[i];
            pb_bytes(w, 6, s, strlen(s));
        }
}

static rf_result parse_with(const void *d, size_t n, const rf_parse_options *o, size_t chunk, char **folded,
                            rf_error *err, rf_profile **keep) {
    rf_profile *p = rf_profile_new(NULL);
    rf_result r;
    rf_parse_options def;
    if (!o) {
        memset(&def, 0, sizeof def);
        def.format = RF_FORMAT_PPROF;
        o = &def;
    }
    r = rf_test_parse(p, (const char *)d, n, o, chunk, err);
    if (folded) *folded = r == RF_OK ? rf_test_folded(p) : NULL;
    if (keep) *keep = p;
    else rf_profile_free(p);
    return r;
}

static void opts(rf_parse_options *o) {
    memset(o, 0, sizeof *o);
    o->format = RF_FORMAT_PPROF;
}

static void expect_fold(const void *d, size_t n, const rf_parse_options *o, const char *want) {
    size_t chunks[] = {0, 1, 5};
    unsigned i;
    for (i = 0; i < 3; i++) {
        char *got;
        rf_error err;
        rf_result r = parse_with(d, n, o, chunks[i], &got, &err, NULL);
        if (r != RF_OK) fail_msg("parse failed: %s: %s [%s]", rf_result_string(r), err.message, err.detail);
        assert_string_equal(got, want);
        free(got);
    }
}

static void expect_parse_error(const void *d, size_t n, const rf_parse_options *o, rf_result code,
                               const char *msg_part, const char *detail_part) {
    rf_error err;
    rf_result r = parse_with(d, n, o, 0, NULL, &err, NULL);
    if (r != code || !strstr(err.message, msg_part) || (detail_part && !strstr(err.detail, detail_part)))
        fail_msg("expected %s '%s' [%s], got %s '%s' [%s]", rf_result_string(code), msg_part,
                 detail_part ? detail_part : "", rf_result_string(r), r ? err.message : "", r ? err.detail : "");
    assert_int_equal(err.format, RF_FORMAT_PPROF);
}

/* ---- protobuf reader ---- */
static void test_varints(void **state) {
    static const struct { const char *bytes; size_t n; uint64_t v; rf_result r; } cases[] = {
        {"\x00", 1, 0, RF_OK},
        {"\x01", 1, 1, RF_OK},
        {"\x7f", 1, 127, RF_OK},
        {"\x80\x01", 2, 128, RF_OK},
        {"\x96\x01", 2, 150, RF_OK},
        {"\xac\x02", 2, 300, RF_OK},
        {"\xff\xff\xff\xff\x0f", 5, 0xffffffffu, RF_OK},
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10, UINT64_MAX, RF_OK}, /* int64 -1 */
        {"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 10, (uint64_t)1 << 63, RF_OK},
        {"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 10, 0, RF_OK},         /* padded zero */
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 10, 0, RF_ERR_SYNTAX},  /* above 64 bits */
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x81\x01", 11, 0, RF_ERR_SYNTAX}, /* 11 bytes */
        {"\x80", 1, 0, RF_ERR_TRUNCATED},
        {"\xff\xff", 2, 0, RF_ERR_TRUNCATED},
        {"", 0, 0, RF_ERR_TRUNCATED},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char buf[16];
        rf__pb r;
        uint64_t v = 12345;
        const char *msg = NULL;
        rf_result res;
        memcpy(buf, cases[i].bytes, cases[i].n);
        r.p = buf;
        r.end = buf + cases[i].n;
        res = rf__pb_varint(&r, &v, &msg);
        assert_int_equal(res, cases[i].r);
        if (res == RF_OK) {
            assert_true(v == cases[i].v);
            assert_ptr_equal(r.p, buf + cases[i].n);
        } else {
            assert_non_null(msg);
        }
    }
}

static void test_fields_and_wire_types(void **state) {
    /* varint 1=150, fixed64 2, bytes 3 "ab", fixed32 4, then a group and a wire type 7 */
    static const unsigned char msg[] = {0x08, 0x96, 0x01, 0x11, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 0x02, 'a', 'b',
                                        0x25, 9, 8, 7, 6};
    static const unsigned char group[] = {0x2b}, wt7[] = {0x2f}, field0[] = {0x00, 0x01},
                               len_past[] = {0x1a, 0x05, 'a'}, fixed_short[] = {0x11, 1, 2, 3};
    rf__pb r;
    rf__pb_field f;
    const char *m = NULL;
    (void)state;
    r.p = msg;
    r.end = msg + sizeof msg;
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    assert_int_equal(f.num, 1); assert_int_equal(f.wt, 0); assert_int_equal(f.v, 150);
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    assert_int_equal(f.num, 2); assert_int_equal(f.wt, 1); assert_true(f.v == 0x0807060504030201ull);
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    assert_int_equal(f.num, 3); assert_int_equal(f.wt, 2);
    assert_int_equal(f.sub.end - f.sub.p, 2); assert_memory_equal(f.sub.p, "ab", 2);
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    assert_int_equal(f.num, 4); assert_int_equal(f.wt, 5); assert_int_equal(f.v, 0x06070809);
    assert_ptr_equal(r.p, r.end);
#define BAD(arr, code, part)                                                        \
    r.p = arr; r.end = arr + sizeof arr;                                            \
    assert_int_equal(rf__pb_next(&r, &f, &m), code);                                \
    assert_non_null(strstr(m, part));
    BAD(group, RF_ERR_SYNTAX, "groups");
    BAD(wt7, RF_ERR_SYNTAX, "wire type");
    BAD(field0, RF_ERR_SYNTAX, "field number");
    BAD(len_past, RF_ERR_TRUNCATED, "past the end");
    BAD(fixed_short, RF_ERR_TRUNCATED, "fixed-width");
#undef BAD
}

/* The inlined readers (rf__pb_next_fast, the packed fast path of rf__pb_repeated) must give
   exactly what the general ones give: result, field, value, payload, position, on every
   cut of records built around their limits (1..6-byte varints, 1..3-byte lengths, lengths
   reaching the end or past it, non-minimal encodings, every wire type, field 0). */
static void test_fast_readers_match_general(void **state) {
    static const unsigned char tags[] = {0x08, 0x10, 0x78, 0x0a, 0x7a, 0x09, 0x0d, 0x00, 0x0b, 0x0f, 0x80};
    unsigned char buf[400];
    uint32_t seed = 99;
    size_t round;
    (void)state;
    for (round = 0; round < 20000; round++) {
        size_t n = 0, cut, j;
        unsigned k, nbytes;
        seed = seed * 1103515245u + 12345u;
        buf[n++] = tags[(seed >> 16) % sizeof tags];
        if (buf[0] == 0x80) buf[n++] = 0x01; /* a two-byte tag: field 16 */
        seed = seed * 1103515245u + 12345u;
        nbytes = 1 + (seed >> 16) % 6; /* the varint (value or length) takes 1..6 bytes */
        for (k = 0; k < nbytes; k++) {
            seed = seed * 1103515245u + 12345u;
            buf[n++] = (unsigned char)((k + 1 < nbytes ? 0x80 : 0) | ((seed >> 16) & ((seed >> 30) ? 0x7f : 0x01)));
        }
        seed = seed * 1103515245u + 12345u;
        for (j = (seed >> 16) % 300; j > 0 && n < sizeof buf; j--) buf[n++] = (unsigned char)(j * 7);
        for (cut = 1; cut <= n; cut += cut < 8 ? 1 : 1 + cut / 3) {
            rf__pb a, b;
            rf__pb_field fa, fb;
            const char *ma = NULL, *mb = NULL;
            rf_result ra, rb;
            unsigned char *exact = (unsigned char *)malloc(cut); /* so ASan and valgrind see over-reads */
            assert_non_null(exact);
            memcpy(exact, buf, cut);
            memset(&fa, 0, sizeof fa);
            memset(&fb, 0, sizeof fb);
            a.p = b.p = exact;
            a.end = b.end = exact + cut;
            ra = rf__pb_next(&a, &fa, &ma);
            rb = rf__pb_next_fast(&b, &fb, &mb);
            assert_int_equal(ra, rb);
            if (ra != RF_OK) {
                free(exact);
                continue;
            }
            assert_ptr_equal(a.p, b.p);
            assert_int_equal(fa.num, fb.num);
            assert_int_equal(fa.wt, fb.wt);
            assert_ptr_equal(fa.at, fb.at);
            if (fa.wt == 2) { /* the payload as packed varints: the fast path against rf__pb_varint */
                rf__pb_field it = fa;
                rf__pb ref = fa.sub;
                assert_ptr_equal(fa.sub.p, fb.sub.p);
                assert_ptr_equal(fa.sub.end, fb.sub.end);
                for (;;) {
                    uint64_t va = 1, vb = 2;
                    rf_result code = RF_OK;
                    const char *mm = NULL;
                    int ka = rf__pb_repeated(&it, &va, &code, &mm), kb;
                    if (ref.p == ref.end) kb = 0;
                    else kb = rf__pb_varint(&ref, &vb, &mm) == RF_OK ? 1 : -1;
                    assert_int_equal(ka, kb);
                    if (ka != 1) break;
                    assert_true(va == vb);
                    assert_ptr_equal(it.sub.p, ref.p);
                }
            } else {
                assert_true(fa.v == fb.v);
            }
            free(exact);
        }
    }
}

static void test_repeated_packed_and_unpacked(void **state) {
    static const unsigned char packed[] = {0x0a, 0x04, 0x01, 0x96, 0x01, 0x00}, bad[] = {0x0d, 1, 2, 3, 4},
                               trunc[] = {0x0a, 0x02, 0x01, 0x80};
    rf__pb r;
    rf__pb_field f, it;
    const char *m = NULL;
    uint64_t v, got[4];
    rf_result code;
    int k, n = 0;
    (void)state;
    r.p = packed; r.end = packed + sizeof packed;
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    it = f;
    while ((k = rf__pb_repeated(&it, &v, &code, &m)) == 1) got[n++] = v;
    assert_int_equal(k, 0);
    assert_int_equal(n, 3);
    assert_int_equal(got[0], 1); assert_int_equal(got[1], 150); assert_int_equal(got[2], 0);
    f.wt = 0; f.v = 42; /* the unpacked form yields exactly one value */
    it = f;
    assert_int_equal(rf__pb_repeated(&it, &v, &code, &m), 1);
    assert_int_equal(v, 42);
    assert_int_equal(rf__pb_repeated(&it, &v, &code, &m), 0);
    r.p = bad; r.end = bad + sizeof bad;
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    it = f;
    assert_int_equal(rf__pb_repeated(&it, &v, &code, &m), -1);
    assert_int_equal(code, RF_ERR_SYNTAX);
    r.p = trunc; r.end = trunc + sizeof trunc;
    assert_int_equal(rf__pb_next(&r, &f, &m), RF_OK);
    it = f;
    assert_int_equal(rf__pb_repeated(&it, &v, &code, &m), 1);
    assert_int_equal(rf__pb_repeated(&it, &v, &code, &m), -1);
}

/* ---- real profiles ---- */
static void check_real(const char *name, const char *expected_name) {
    size_t n, en;
    char *d = rf_test_read(rf_test_data(name), &n);
    char *want = rf_test_read(rf_test_data(expected_name), &en);
    expect_fold(d, n, NULL, want);
    free(d);
    free(want);
}

static void test_go119_cpu(void **state) {
    rf_profile *p;
    rf_error err;
    size_t n;
    char *d = rf_test_read(rf_test_data("real/go119-cpu.pb.gz"), &n);
    (void)state;
    check_real("real/go119-cpu.pb.gz", "real/go119-cpu.expected.folded");
    assert_int_equal(parse_with(d, n, NULL, 0, NULL, &err, &p), RF_OK);
    assert_string_equal(rf_profile_unit(p), "nanoseconds");
    assert_string_equal(rf_profile_sample_type(p), "cpu");
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 700000000); /* 70 samples of 10 ms */
    rf_profile_free(p);
    free(d);
}

static void test_go119_heap(void **state) {
    size_t n;
    char *d = rf_test_read(rf_test_data("real/go119-heap.pb.gz"), &n);
    rf_parse_options o;
    rf_profile *p;
    rf_error err;
    const char *alloc_space = /* go tool pprof -raw, column alloc_space, folded */
        "runtime.main;main.main;main.allocate 3809349\n"
        "runtime.systemstack;runtime.newproc.func1;runtime.newproc1;runtime.malg 4307\n"
        "runtime/pprof.profileWriter;runtime/pprof.(*profileBuilder).build;compress/gzip.(*Writer).Write;"
        "compress/flate.NewWriter;compress/flate.(*compressor).init 262144\n"
        "runtime/pprof.profileWriter;runtime/pprof.newProfileBuilder;compress/gzip.NewWriterLevel 4184\n";
    (void)state;
    check_real("real/go119-heap.pb.gz", "real/go119-heap.expected.folded");
    assert_int_equal(parse_with(d, n, NULL, 0, NULL, &err, &p), RF_OK);
    assert_string_equal(rf_profile_unit(p), "bytes");
    assert_string_equal(rf_profile_sample_type(p), "inuse_space");
    rf_profile_free(p);
    opts(&o);
    o.pprof.sample_index = "alloc_space";
    expect_fold(d, n, &o, alloc_space);
    o.pprof.sample_index = "1";
    expect_fold(d, n, &o, alloc_space);
    o.pprof.sample_index = "inuse_objects";
    assert_int_equal(parse_with(d, n, &o, 0, NULL, &err, &p), RF_OK);
    assert_string_equal(rf_profile_unit(p), "samples"); /* "count" */
    assert_int_equal(rf_node_total(p, RF_NODE_ROOT, 0), 314 + 1 + 376 + 260 + 221 + 268 + 115 + 13 + 10);
    rf_profile_free(p);
    o.pprof.sample_index = "space"; /* our extension: X also matches inuse_X */
    {
        size_t en;
        char *want = rf_test_read(rf_test_data("real/go119-heap.expected.folded"), &en);
        expect_fold(d, n, &o, want);
        free(want);
    }
    o.pprof.sample_index = "bogus";
    expect_parse_error(d, n, &o, RF_ERR_INVALID_ARGUMENT, "names no sample type", "alloc_objects, alloc_space");
    o.pprof.sample_index = "4";
    expect_parse_error(d, n, &o, RF_ERR_INVALID_ARGUMENT, "out of range", "columns 0..3");
    free(d);
}

static void test_mini_handmade(void **state) {
    size_t n;
    char *d = rf_test_read(rf_test_data("real/mini-handmade.pb"), &n);
    rf_parse_options o;
    (void)state;
    expect_fold(d, n, NULL, "main 3\nmain;main;leaf 5\n");
    opts(&o);
    o.pprof.frames = RF_PPROF_FRAMES_FILE_LINE;
    expect_fold(d, n, &o, "main (main.c:10) 3\nmain (main.c:10);main (main.c:11);leaf (main.c:3) 5\n");
    free(d);
}

/* ---- built profiles ---- */
static void test_built_profile_folds(void **state) {
    pbw w;
    rf_parse_options o;
    rf_profile *p;
    rf_error err;
    (void)state;
    build_profile(&w, MUT_NONE);
    expect_fold(w.b, w.n, NULL, "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n");
    opts(&o);
    o.pprof.sample_index = "samples";
    expect_fold(w.b, w.n, &o, "0x1234 3\nmain;libfoo.so+0x2234 2\nmain;work;leaf 1\n");
    o.pprof.sample_index = "0";
    expect_fold(w.b, w.n, &o, "0x1234 3\nmain;libfoo.so+0x2234 2\nmain;work;leaf 1\n");
    o.pprof.unsymbolized = RF_PPROF_UNSYMBOLIZED_MODULE;
    expect_fold(w.b, w.n, &o, "[unknown] 3\nmain;[libfoo.so] 2\nmain;work;leaf 1\n");
    o.pprof.unsymbolized = RF_PPROF_UNSYMBOLIZED_OFFSET;
    o.pprof.frames = RF_PPROF_FRAMES_FILE_LINE;
    o.pprof.sample_index = NULL;
    expect_fold(w.b, w.n, &o,
                "main (/src/a.go:5);libfoo.so+0x2234 20\n"
                "main (/src/a.go:5);work (/src/a.go:12);leaf (/src/a.go:7) 10\n");
    opts(&o);
    o.pprof.group_by_label = "handler";
    expect_fold(w.b, w.n, &o, "handler=alpha;main;work;leaf 10\nhandler=beta;main;libfoo.so+0x2234 20\n");
    o.pprof.sample_index = "samples";
    expect_fold(w.b, w.n, &o,
                "handler=?;0x1234 3\nhandler=alpha;main;work;leaf 1\nhandler=beta;main;libfoo.so+0x2234 2\n");
    o.pprof.group_by_label = "bytes"; /* a numeric label */
    expect_fold(w.b, w.n, &o, "bytes=4096;0x1234 3\nbytes=?;main;libfoo.so+0x2234 2\nbytes=?;main;work;leaf 1\n");
    /* stats: 2 samples added (the third has 0 cpu) */
    assert_int_equal(parse_with(w.b, w.n, NULL, 0, NULL, &err, &p), RF_OK);
    assert_string_equal(rf_profile_unit(p), "nanoseconds");
    rf_profile_free(p);
    pb_free(&w);

    build_profile(&w, MUT_DEFAULT_SAMPLES); /* default_sample_type names column 0 */
    expect_fold(w.b, w.n, NULL, "0x1234 3\nmain;libfoo.so+0x2234 2\nmain;work;leaf 1\n");
    pb_free(&w);
    build_profile(&w, MUT_ZERO_THEN_TIME); /* pprof only objects to a second nonzero time */
    expect_fold(w.b, w.n, NULL, "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n");
    pb_free(&w);
}

/* rf_parse keeps a raw (uncompressed) profile as a view of the caller's buffer; fed in
   chunks, the parser must hold a copy. Both fold the same. */
static void test_one_shot_raw_not_copied(void **state) {
    pbw w;
    char *pad = (char *)calloc(1, 2u << 20), *whole, *chunked;
    size_t whole_peak, chunked_peak;
    rf_parse_options o;
    (void)state;
    assert_non_null(pad);
    build_profile(&w, MUT_NONE);
    pb_bytes(&w, 200, pad, 2u << 20); /* an unknown field: 2 MiB the reader skips */
    free(pad);
    memset(&o, 0, sizeof o); /* detected, not forced: the one-shot path detects on the buffer */
    whole = rf_test_fold_counted((const char *)w.b, w.n, &o, 0, &whole_peak);
    chunked = rf_test_fold_counted((const char *)w.b, w.n, &o, 4096, &chunked_peak);
    assert_string_equal(whole, "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n");
    assert_string_equal(chunked, whole);
    assert_true(whole_peak < w.n / 8);
    assert_true(chunked_peak >= w.n);
    free(whole);
    free(chunked);
    pb_free(&w);
}

static void test_negative_values_dropped(void **state) {
    pbw w;
    rf_parse_options o;
    rf_parser *ps;
    rf_profile *p = rf_profile_new(NULL);
    rf_error err;
    char *got;
    (void)state;
    build_profile(&w, MUT_NEGATIVE);
    opts(&o);
    o.strict = 1; /* valid input: not an error even in strict mode */
    ps = rf_parser_new(p, &o);
    assert_int_equal(rf_parser_feed(ps, w.b, w.n, &err), RF_OK);
    assert_int_equal(rf_parser_finish(ps, &err), RF_OK);
    assert_int_equal(rf_parser_stats(ps)->samples, 1);
    assert_int_equal(rf_parser_stats(ps)->skipped, 1);
    assert_non_null(strstr(rf_parser_stats(ps)->first_skipped_reason, "negative"));
    got = rf_test_folded(p);
    assert_string_equal(got, "main;libfoo.so+0x2234 20\n");
    free(got);
    rf_parser_free(ps);
    rf_profile_free(p);
    pb_free(&w);
}

typedef struct warn_log { int n; char last[200]; } warn_log;
static void on_warn(void *ctx, const rf_error *e) {
    warn_log *l = (warn_log *)ctx;
    l->n++;
    snprintf(l->last, sizeof l->last, "%s", e->message);
}

static void test_drop_frames_warns(void **state) {
    pbw w;
    rf_parse_options o;
    warn_log log;
    char *got;
    rf_error err;
    (void)state;
    memset(&log, 0, sizeof log);
    build_profile(&w, MUT_DROP_FRAMES);
    opts(&o);
    o.warn = on_warn;
    o.warn_ctx = &log;
    assert_int_equal(parse_with(w.b, w.n, &o, 0, &got, &err, NULL), RF_OK);
    assert_int_equal(log.n, 1);
    assert_non_null(strstr(log.last, "drop_frames"));
    assert_string_equal(got, "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n");
    free(got);
    pb_free(&w);
}

/* A literal-only engine: "^(NAME)$" matches NAME exactly; "^(bad)$" does not compile. */
static void *lit_compile(void *ctx, const char *pattern) {
    size_t n = strlen(pattern);
    char *c;
    (void)ctx;
    if (n < 4 || strncmp(pattern, "^(", 2) != 0 || strcmp(pattern + n - 2, ")$") != 0) return NULL;
    if (strcmp(pattern, "^(bad)$") == 0 || !(c = (char *)malloc(n - 3))) return NULL;
    memcpy(c, pattern + 2, n - 4);
    c[n - 4] = '\0';
    return c;
}
static int lit_match(void *ctx, void *re, const char *s, size_t len) {
    (void)ctx;
    return strlen((const char *)re) == len && memcmp(re, s, len) == 0;
}
static void lit_release(void *ctx, void *re) {
    (void)ctx;
    free(re);
}

/* drop_frames FUNCTION [keep_frames FUNCTION] applied through an engine, as pprof's Prune */
static void expect_pruned(const char *drop, const char *keep, const char *want, int warnings) {
    pbw w, extra = {NULL, 0, 0};
    rf_parse_options o;
    warn_log log;
    char *got;
    rf_error err;
    build_profile(&w, MUT_NONE);
    /* patterns appended to the string table (indices S_N, S_N+1), fields after it */
    pb_bytes(&extra, 6, drop, strlen(drop));
    pb_uint(&extra, 7, S_N);
    if (keep) {
        pb_bytes(&extra, 6, keep, strlen(keep));
        pb_uint(&extra, 8, S_N + 1);
    }
    pb_raw(&w, extra.b, extra.n);
    pb_free(&extra);
    memset(&log, 0, sizeof log);
    opts(&o);
    o.warn = on_warn;
    o.warn_ctx = &log;
    o.pprof.regex.compile = lit_compile;
    o.pprof.regex.match = lit_match;
    o.pprof.regex.release = lit_release;
    assert_int_equal(parse_with(w.b, w.n, &o, 0, &got, &err, NULL), RF_OK);
    assert_string_equal(got, want);
    assert_int_equal(log.n, warnings);
    free(got);
    o.warn = NULL;
    expect_fold(w.b, w.n, &o, want); /* also fed in small chunks */
    pb_free(&w);
}

static void test_drop_frames_applied(void **state) {
    (void)state;
    /* leaf is inlined into work (one location): work stays, leaf goes */
    expect_pruned("leaf", NULL, "main;libfoo.so+0x2234 20\nmain;work 10\n", 0);
    /* work is the outermost line of its location: the whole location goes */
    expect_pruned("work", NULL, "main 10\nmain;libfoo.so+0x2234 20\n", 0);
    /* the root frame main matches, but frames before the first other one are kept */
    expect_pruned("main", NULL, "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n", 0);
    /* keep_frames wins over drop_frames */
    expect_pruned("leaf", "leaf", "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n", 0);
    /* a pattern the engine rejects: nothing applied, one warning */
    expect_pruned("bad", NULL, "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n", 1);
    expect_pruned("leaf", "bad", "main;libfoo.so+0x2234 20\nmain;work;leaf 10\n", 1);
}

static void test_malformed_profiles(void **state) {
    static const struct { int mut; rf_result code; const char *msg, *detail; } cases[] = {
        {MUT_BAD_NAME_INDEX, RF_ERR_SYNTAX, "string index out of range", "Function.name = 99, string_table has 14"},
        {MUT_FIRST_STRING, RF_ERR_SYNTAX, "string_table[0] must be the empty string", NULL},
        {MUT_NO_STRINGS, RF_ERR_SYNTAX, "no string table", NULL},
        {MUT_DUP_FUNCTION, RF_ERR_SYNTAX, "duplicate id", "Function.id 10"},
        {MUT_LOCATION_ID0, RF_ERR_SYNTAX, "id 0 is reserved", "Location.id"},
        {MUT_UNDEFINED_LOCATION, RF_ERR_SYNTAX, "undefined location", "Sample.location_id 555"},
        {MUT_UNDEFINED_FUNCTION, RF_ERR_SYNTAX, "undefined function", "Line.function_id 31"},
        {MUT_VALUE_COUNT, RF_ERR_SYNTAX, "value count", "1 values, 2 sample types"},
        {MUT_GROUP_TOP, RF_ERR_SYNTAX, "groups", NULL},
        {MUT_GROUP_IN_SAMPLE, RF_ERR_SYNTAX, "groups", NULL},
        {MUT_TWO_TIMES, RF_ERR_SYNTAX, "concatenated profiles", NULL},
        {MUT_WRONG_WIRE, RF_ERR_SYNTAX, "wrong wire type", "Function.name"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pbw w;
        build_profile(&w, cases[i].mut);
        expect_parse_error(w.b, w.n, NULL, cases[i].code, cases[i].msg, cases[i].detail);
        pb_free(&w);
    }
}

/* Samples wait in a short queue for their dedup lookup; the first error in sample order
   must still win. Profile: one sample type, location 1 = f. Samples, in order, from `kinds`:
   'M' weight INT64_MAX, 'o' weight 1 (the sum overflows), 'b' two values for one type
   (malformed), '2' two location_id records (goes straight into the tree), '.' weight 1 at
   location 2 (also f: another stack key). */
static void build_queue_profile(pbw *w, const char *kinds, size_t *at, size_t nat) {
    pbw m = {NULL, 0, 0}, l = {NULL, 0, 0};
    static const char *const st[] = {"", "samples", "count", "f"};
    size_t i;
    memset(w, 0, sizeof *w);
    pb_uint(&m, 1, 1); pb_uint(&m, 2, 2); pb_msg(w, 1, &m);
    for (i = 0; kinds[i]; i++) {
        if (i < nat) at[i] = w->n;
        pb_uint(&m, 1, kinds[i] == '.' ? 2 : 1);
        if (kinds[i] == '2') pb_uint(&m, 1, 1);
        pb_uint(&m, 2, kinds[i] == 'M' ? (uint64_t)INT64_MAX : 1);
        if (kinds[i] == 'b') pb_uint(&m, 2, 1);
        pb_msg(w, 2, &m);
    }
    if (i < nat) at[i] = w->n;
    for (i = 1; i <= 2; i++) {
        pb_uint(&m, 1, i);
        pb_uint(&l, 1, 1); pb_msg(&m, 4, &l);
        pb_msg(w, 4, &m);
    }
    pb_uint(&m, 1, 1); pb_uint(&m, 2, 3); pb_msg(w, 5, &m);
    for (i = 0; i < 4; i++) pb_bytes(w, 6, st[i], strlen(st[i]));
}

static void test_queued_samples_keep_error_order(void **state) {
    static const struct { const char *kinds; rf_result code; const char *msg; size_t sample; } cases[] = {
        {"Mo..b", RF_ERR_OVERFLOW, "overflows", 1},
        {"Mob", RF_ERR_OVERFLOW, "overflows", 1},
        {"M.b.o", RF_ERR_SYNTAX, "value count", 2},
        {"bMo", RF_ERR_SYNTAX, "value count", 0},
        {"Mo2", RF_ERR_OVERFLOW, "overflows", 1},
        {"M......................o.......b", RF_ERR_OVERFLOW, "overflows", 23},
        {"M.....o.........................b", RF_ERR_OVERFLOW, "overflows", 6},
    };
    size_t i, k, chunks[] = {0, 3};
    (void)state;
    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        pbw w;
        size_t at[64];
        build_queue_profile(&w, cases[i].kinds, at, 64);
        for (k = 0; k < 2; k++) {
            rf_error err;
            rf_result r = parse_with(w.b, w.n, NULL, chunks[k], NULL, &err, NULL);
            if (r != cases[i].code || !strstr(err.message, cases[i].msg) ||
                err.byte_offset < at[cases[i].sample] || err.byte_offset >= at[cases[i].sample + 1])
                fail_msg("%s: expected %s '%s' in sample %zu [%zu, %zu), got %s '%s' at %llu", cases[i].kinds,
                         rf_result_string(cases[i].code), cases[i].msg, cases[i].sample, at[cases[i].sample],
                         at[cases[i].sample + 1], rf_result_string(r), err.message, (unsigned long long)err.byte_offset);
        }
        pb_free(&w);
    }
}

/* Ids go into an array while they are small (at most 4n + 64) and move to a hash table at
   the first large one: lookups and duplicate checks must hold on both sides of the move. */
static void build_ids_profile(pbw *w, const uint64_t *loc_ids, size_t n, const uint64_t *stack, size_t depth) {
    pbw m = {NULL, 0, 0}, l = {NULL, 0, 0};
    static const char *const st[] = {"", "samples", "count", "f", "g"};
    size_t i;
    memset(w, 0, sizeof *w);
    pb_uint(&m, 1, 1); pb_uint(&m, 2, 2); pb_msg(w, 1, &m);
    pb_packed(&m, 1, stack, depth);
    pb_uint(&m, 2, 3);
    pb_msg(w, 2, &m);
    for (i = 0; i < n; i++) {
        pb_uint(&m, 1, loc_ids[i]);
        pb_uint(&l, 1, i % 2 ? 1000000007ull : 9); pb_msg(&m, 4, &l); /* function g or f */
        pb_msg(w, 4, &m);
    }
    pb_uint(&m, 1, 9); pb_uint(&m, 2, 3); pb_msg(w, 5, &m);
    pb_uint(&m, 1, 1000000007ull); pb_uint(&m, 2, 4); pb_msg(w, 5, &m);
    for (i = 0; i < 5; i++) pb_bytes(w, 6, st[i], strlen(st[i]));
}

static void test_small_and_large_ids(void **state) {
    static const uint64_t small[] = {1, 2, 3}, mixed[] = {2, (uint64_t)1 << 40, 3}, big_first[] = {(uint64_t)1 << 40, 5, 6},
                          dup_small[] = {1, 2, 1}, dup_after_move[] = {2, (uint64_t)1 << 40, 2},
                          dup_big[] = {(uint64_t)1 << 40, 7, (uint64_t)1 << 40};
    static const uint64_t stack_small[] = {3, 2, 1}, stack_mixed[] = {3, (uint64_t)1 << 40, 2},
                          stack_big[] = {6, 5, (uint64_t)1 << 40};
    pbw w;
    (void)state;
    build_ids_profile(&w, small, 3, stack_small, 3);
    expect_fold(w.b, w.n, NULL, "f;g;f 3\n");
    pb_free(&w);
    build_ids_profile(&w, mixed, 3, stack_mixed, 3);
    expect_fold(w.b, w.n, NULL, "f;g;f 3\n");
    pb_free(&w);
    build_ids_profile(&w, big_first, 3, stack_big, 3);
    expect_fold(w.b, w.n, NULL, "f;g;f 3\n");
    pb_free(&w);
    build_ids_profile(&w, dup_small, 3, stack_small, 1);
    expect_parse_error(w.b, w.n, NULL, RF_ERR_SYNTAX, "duplicate id", "Location.id 1");
    pb_free(&w);
    build_ids_profile(&w, dup_after_move, 3, stack_small, 1);
    expect_parse_error(w.b, w.n, NULL, RF_ERR_SYNTAX, "duplicate id", "Location.id 2");
    pb_free(&w);
    build_ids_profile(&w, dup_big, 3, stack_small, 1);
    expect_parse_error(w.b, w.n, NULL, RF_ERR_SYNTAX, "duplicate id", "Location.id 1099511627776");
    pb_free(&w);
    build_ids_profile(&w, mixed, 3, stack_small, 3); /* location 1 is not there */
    expect_parse_error(w.b, w.n, NULL, RF_ERR_SYNTAX, "undefined location", "Sample.location_id 1");
    pb_free(&w);
}

static void test_error_offsets(void **state) {
    pbw w;
    rf_error err;
    (void)state;
    build_profile(&w, MUT_BAD_NAME_INDEX);
    assert_int_equal(parse_with(w.b, w.n, NULL, 0, NULL, &err, NULL), RF_ERR_SYNTAX);
    /* the offending record: a tag byte 0x10 (field 2, varint) followed by 99 */
    assert_true(err.byte_offset + 1 < w.n);
    assert_int_equal(w.b[err.byte_offset], 0x10);
    assert_int_equal(w.b[err.byte_offset + 1], 99);
    pb_free(&w);
}

static void test_truncated_raw_everywhere(void **state) {
    pbw w;
    size_t k;
    (void)state;
    build_profile(&w, MUT_NONE);
    for (k = 1; k < w.n; k++) { /* every proper prefix fails cleanly (the strings come last) */
        rf_error err;
        unsigned char *copy = (unsigned char *)malloc(k);
        rf_result r;
        memcpy(copy, w.b, k);
        r = parse_with(copy, k, NULL, 0, NULL, &err, NULL);
        assert_true(r == RF_ERR_TRUNCATED || r == RF_ERR_SYNTAX);
        free(copy);
    }
    pb_free(&w);
}

static void test_truncated_gzip_everywhere(void **state) {
    size_t n, k;
    char *d = rf_test_read(rf_test_data("real/go119-cpu.pb.gz"), &n);
    (void)state;
    for (k = 1; k < n; k++) {
        rf_error err;
        char *copy = (char *)malloc(k);
        memcpy(copy, d, k);
        assert_int_equal(parse_with(copy, k, NULL, 0, NULL, &err, NULL), RF_ERR_TRUNCATED);
        free(copy);
    }
    free(d);
}

static void test_empty_and_limits(void **state) {
    size_t n;
    char path[4096];
    char *bomb;
    rf_parse_options o;
    (void)state;
    expect_parse_error("", 0, NULL, RF_ERR_EMPTY, "empty", NULL);
    snprintf(path, sizeof path, "%s/tests/data/pprof/zeros-4m.gz", rf_test_root());
    bomb = rf_test_read(path, &n);
    opts(&o);
    o.pprof.max_inflate = (uint64_t)1 << 20;
    expect_parse_error(bomb, n, &o, RF_ERR_LIMIT, "inflate limit", NULL);
    /* within the limit it inflates, and four MiB of zero bytes are no protobuf */
    expect_parse_error(bomb, n, NULL, RF_ERR_SYNTAX, "field number", "decompressed");
    free(bomb);
}

static void test_concatenated_real_profiles(void **state) {
    size_t n;
    char *d = rf_test_read(rf_test_data("real/go119-cpu.pb.gz"), &n);
    char *two = (char *)malloc(2 * n);
    (void)state;
    memcpy(two, d, n);
    memcpy(two + n, d, n); /* a two-member gzip whose content is two profiles */
    expect_parse_error(two, 2 * n, NULL, RF_ERR_SYNTAX, "concatenated profiles", NULL);
    free(two);
    free(d);
}

static void test_auto_detects_gzip(void **state) {
    size_t n, en;
    char *d = rf_test_read(rf_test_data("real/go119-cpu.pb.gz"), &n);
    char *want = rf_test_read(rf_test_data("real/go119-cpu.expected.folded"), &en);
    rf_parse_options o;
    memset(&o, 0, sizeof o); /* RF_FORMAT_AUTO */
    (void)state;
    expect_fold(d, n, &o, want);
    free(d);
    free(want);
}

/* The detection helper: raw profiles yes, text and JSON no. */
static void test_sniff_raw_profiles(void **state) {
    static const char *const texts[] = {"main;foo;bar 12\n", "{\"nodes\":[]}", "perf 1234 [000] 1.0: cycles:\n",
                                        "<svg", "# austin: 3.7.0\n", "2 frames 3\n", ""};
    size_t n, i;
    char *mini = rf_test_read(rf_test_data("real/mini-handmade.pb"), &n);
    pbw w;
    (void)state;
    assert_true(rf__pprof_sniff((const unsigned char *)mini, n));
    assert_true(rf__pprof_sniff((const unsigned char *)mini, 12)); /* a short head */
    build_profile(&w, MUT_NONE);
    assert_true(rf__pprof_sniff(w.b, w.n));
    assert_true(rf__pprof_sniff(w.b, 40));
    pb_free(&w);
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_false(rf__pprof_sniff((const unsigned char *)texts[i], strlen(texts[i])));
    free(mini);
}

/* Fail the Nth allocation for every N: always RF_ERR_OUT_OF_MEMORY (or success once N is past
   the last allocation), and nothing leaks. */
static void test_failing_allocator(void **state) {
    size_t n, en;
    char *d = rf_test_read(rf_test_data("real/go119-cpu.pb.gz"), &n);
    char *want = rf_test_read(rf_test_data("real/go119-cpu.expected.folded"), &en);
    long fail_at;
    int succeeded = 0;
    (void)state;
    for (fail_at = 0; !succeeded; fail_at++) {
        rf_test_alloc a;
        rf_allocator al;
        rf_profile *p;
        rf_parse_options o;
        rf_error err;
        rf_result r;
        memset(&a, 0, sizeof a);
        a.fail_at = -1;
        al = rf_test_allocator(&a);
        p = rf_profile_new(&al);
        assert_non_null(p);
        a.fail_at = a.count + fail_at;
        opts(&o);
        r = rf_parse(p, d, n, &o, &err);
        if (r == RF_OK) {
            char *got;
            assert_true(a.count <= a.fail_at); /* no failed allocation was swallowed */
            a.fail_at = -1;
            got = rf_test_folded(p);
            assert_string_equal(got, want);
            free(got);
            succeeded = 1;
        } else {
            assert_int_equal(r, RF_ERR_OUT_OF_MEMORY);
        }
        rf_profile_free(p);
        assert_int_equal(a.live_blocks, 0);
        assert_int_equal(a.live_bytes, 0);
        assert_true(fail_at < 100000);
    }
    assert_true(fail_at > 10); /* the parse allocates: the loop really injected failures */
    free(d);
    free(want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_varints),
        cmocka_unit_test(test_fields_and_wire_types),
        cmocka_unit_test(test_repeated_packed_and_unpacked),
        cmocka_unit_test(test_go119_cpu),
        cmocka_unit_test(test_go119_heap),
        cmocka_unit_test(test_mini_handmade),
        cmocka_unit_test(test_built_profile_folds),
        cmocka_unit_test(test_negative_values_dropped),
        cmocka_unit_test(test_queued_samples_keep_error_order),
        cmocka_unit_test(test_small_and_large_ids),
        cmocka_unit_test(test_fast_readers_match_general),
        cmocka_unit_test(test_drop_frames_warns),
        cmocka_unit_test(test_drop_frames_applied),
        cmocka_unit_test(test_malformed_profiles),
        cmocka_unit_test(test_error_offsets),
        cmocka_unit_test(test_truncated_raw_everywhere),
        cmocka_unit_test(test_truncated_gzip_everywhere),
        cmocka_unit_test(test_empty_and_limits),
        cmocka_unit_test(test_concatenated_real_profiles),
        cmocka_unit_test(test_auto_detects_gzip),
        cmocka_unit_test(test_sniff_raw_profiles),
        cmocka_unit_test(test_one_shot_raw_not_copied),
        cmocka_unit_test(test_failing_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
