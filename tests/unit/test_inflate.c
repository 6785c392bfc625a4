/* Unit tests of the gzip/DEFLATE decoder ([rf:inflate] in resq_flame.h).
   Fixtures in tests/data/pprof/ come from GNU gzip -1/-9 and Python's zlib (stored, fixed and
   dynamic blocks; see make_fixtures.sh there); malformed streams are written bit by bit here. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

static const char *fixture(const char *name) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/tests/data/pprof/%s", rf_test_root(), name);
    return buf;
}

/* Inflates d[0..n) fed in chunks of `chunk` bytes (0 = one call). The decoder is left in *zp
   (caller frees) so tests can read its message and offset. */
static rf_result inflate_chunks(const void *d, size_t n, size_t chunk, uint64_t limit, rf__buf *out,
                                rf__inflate **zp) {
    rf__inflate *z = (rf__inflate *)malloc(sizeof *z);
    const char *p = (const char *)d;
    size_t off = 0;
    rf_result r = RF_OK;
    assert_non_null(z);
    rf__inflate_init(z, NULL, limit);
    memset(out, 0, sizeof *out);
    if (!chunk) chunk = n ? n : 1;
    while (r == RF_OK && off < n) {
        size_t k = n - off < chunk ? n - off : chunk;
        r = rf__inflate_feed(z, out, p + off, k);
        off += k;
    }
    if (r == RF_OK) r = rf__inflate_finish(z);
    *zp = z;
    return r;
}

static rf_result inflate_simple(const void *d, size_t n, size_t chunk, uint64_t limit, rf__buf *out) {
    rf__inflate *z;
    rf_result r = inflate_chunks(d, n, chunk, limit, out, &z);
    free(z);
    return r;
}

static void test_crc32_check_value(void **state) {
    rf__inflate *z = (rf__inflate *)malloc(sizeof *z);
    (void)state;
    rf__inflate_init(z, NULL, 0);
    assert_int_equal(rf__crc32((const uint32_t(*)[256])z->crc_tab, 0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    /* incremental == one shot, across the 16-byte fast path boundary */
    {
        const char *s = "The quick brown fox jumps over the lazy dog";
        uint32_t a = rf__crc32((const uint32_t(*)[256])z->crc_tab, 0, (const uint8_t *)s, strlen(s));
        uint32_t b = rf__crc32((const uint32_t(*)[256])z->crc_tab, 0, (const uint8_t *)s, 13);
        b = rf__crc32((const uint32_t(*)[256])z->crc_tab, b, (const uint8_t *)s + 13, strlen(s) - 13);
        assert_int_equal(a, 0x414FA339u);
        assert_int_equal(b, a);
    }
    free(z);
}

/* The first block type after the gzip header, to prove which decoder path a fixture takes. */
static int first_block_type(const unsigned char *d, size_t n) {
    size_t i = 10;
    if (d[3] & 4) i += 2 + d[10] + 256u * d[11];
    if (d[3] & 8) { while (i < n && d[i]) i++; i++; }
    if (d[3] & 16) { while (i < n && d[i]) i++; i++; }
    if (d[3] & 2) i += 2;
    return i < n ? (d[i] >> 1) & 3 : -1;
}

static void check_fixture(const char *name, int block_type) {
    size_t n, tn, chunks[] = {0, 1, 7, 4096};
    char *gz = rf_test_read(fixture(name), &n);
    char *text = rf_test_read(rf_test_data("real/go119-cpu.raw.txt"), &tn);
    size_t i;
    assert_int_equal(first_block_type((const unsigned char *)gz, n), block_type);
    for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        rf__buf out;
        assert_int_equal(inflate_simple(gz, n, chunks[i], 0, &out), RF_OK);
        assert_int_equal(out.len, tn);
        assert_memory_equal(out.data, text, tn);
        rf__buf_free(NULL, &out);
    }
    free(gz);
    free(text);
}

static void test_gnu_gzip_1(void **state) { (void)state; check_fixture("text-gzip1.gz", 2); }
static void test_gnu_gzip_9(void **state) { (void)state; check_fixture("text-gzip9.gz", 2); }
static void test_python_stored(void **state) { (void)state; check_fixture("text-py-stored.gz", 0); }
static void test_python_fixed(void **state) { (void)state; check_fixture("text-py-fixed.gz", 1); }
static void test_python_dynamic(void **state) { (void)state; check_fixture("text-py-dynamic.gz", 2); }

static void test_empty_members(void **state) {
    const char *names[] = {"empty-gzip.gz", "empty-py.gz"};
    size_t i, n;
    (void)state;
    for (i = 0; i < 2; i++) {
        char *gz = rf_test_read(fixture(names[i]), &n);
        rf__buf out;
        assert_int_equal(inflate_simple(gz, n, 1, 0, &out), RF_OK);
        assert_int_equal(out.len, 0);
        rf__buf_free(NULL, &out);
        free(gz);
    }
}

static void test_no_input_is_truncated(void **state) {
    rf__buf out;
    rf__inflate *z;
    (void)state;
    assert_int_equal(inflate_chunks("", 0, 0, 0, &out, &z), RF_ERR_TRUNCATED);
    assert_string_equal(z->msg, "no compressed data");
    free(z);
    rf__buf_free(NULL, &out);
}

static void test_multi_member(void **state) {
    size_t n1, n2, n3, tn;
    char *a = rf_test_read(fixture("text-gzip9.gz"), &n1);
    char *b = rf_test_read(fixture("empty-gzip.gz"), &n2);
    char *c = rf_test_read(fixture("text-py-fixed.gz"), &n3);
    char *text = rf_test_read(rf_test_data("real/go119-cpu.raw.txt"), &tn);
    char *all = (char *)malloc(n1 + n2 + n3);
    size_t chunk;
    (void)state;
    memcpy(all, a, n1);
    memcpy(all + n1, b, n2);
    memcpy(all + n1 + n2, c, n3);
    for (chunk = 0; chunk <= 3; chunk += 3) {
        rf__buf out;
        assert_int_equal(inflate_simple(all, n1 + n2 + n3, chunk, 0, &out), RF_OK);
        assert_int_equal(out.len, 2 * tn);
        assert_memory_equal(out.data, text, tn);
        assert_memory_equal(out.data + tn, text, tn);
        rf__buf_free(NULL, &out);
    }
    free(a); free(b); free(c); free(text); free(all);
}

static void test_corrupt_crc_and_isize(void **state) {
    size_t n;
    char *gz = rf_test_read(fixture("text-gzip9.gz"), &n);
    rf__buf out;
    rf__inflate *z;
    (void)state;
    gz[n - 8] ^= 0x01; /* CRC-32 */
    assert_int_equal(inflate_chunks(gz, n, 0, 0, &out, &z), RF_ERR_CORRUPT);
    assert_non_null(strstr(z->msg, "CRC-32"));
    free(z);
    rf__buf_free(NULL, &out);
    gz[n - 8] ^= 0x01;
    gz[n - 4] ^= 0x01; /* ISIZE */
    assert_int_equal(inflate_chunks(gz, n, 0, 0, &out, &z), RF_ERR_CORRUPT);
    assert_non_null(strstr(z->msg, "ISIZE"));
    free(z);
    rf__buf_free(NULL, &out);
    free(gz);
}

/* Every proper prefix is a clean "truncated" error at finish, never a crash or a success. */
static void test_truncated_everywhere(void **state) {
    const char *names[] = {"text-gzip9.gz", "text-py-fixed.gz", "empty-gzip.gz"};
    size_t i, k, n;
    (void)state;
    for (i = 0; i < 3; i++) {
        char *gz = rf_test_read(fixture(names[i]), &n);
        for (k = 0; k < n; k++) {
            rf__buf out;
            char *copy = (char *)malloc(k ? k : 1); /* exact size: ASan sees any over-read */
            memcpy(copy, gz, k);
            assert_int_equal(inflate_simple(copy, k, 0, 0, &out), RF_ERR_TRUNCATED);
            rf__buf_free(NULL, &out);
            free(copy);
        }
        free(gz);
    }
}

static void test_bomb_limit(void **state) {
    size_t n;
    char *gz = rf_test_read(fixture("zeros-4m.gz"), &n);
    rf__buf out;
    rf__inflate *z;
    (void)state;
    assert_int_equal(inflate_chunks(gz, n, 0, (uint64_t)1 << 20, &out, &z), RF_ERR_LIMIT);
    assert_non_null(strstr(z->msg, "RF_MAX_INFLATE"));
    assert_true(out.len <= ((size_t)1 << 20));
    free(z);
    rf__buf_free(NULL, &out);
    assert_int_equal(inflate_simple(gz, n, 100, ((uint64_t)4 << 20) - 1, &out), RF_ERR_LIMIT);
    rf__buf_free(NULL, &out);
    assert_int_equal(inflate_simple(gz, n, 100, (uint64_t)4 << 20, &out), RF_OK);
    assert_int_equal(out.len, (size_t)4 << 20);
    assert_int_equal(out.data[0], 0);
    assert_int_equal(out.data[out.len - 1], 0);
    rf__buf_free(NULL, &out);
    free(gz);
}

/* ---- hand-written streams ---- */
typedef struct bitw { unsigned char b[8192]; size_t n; uint64_t acc; unsigned cnt; } bitw;
static void put_bits(bitw *w, unsigned v, unsigned n) {
    w->acc |= (uint64_t)v << w->cnt;
    w->cnt += n;
    while (w->cnt >= 8) {
        w->b[w->n++] = (unsigned char)(w->acc & 0xff);
        w->acc >>= 8;
        w->cnt -= 8;
    }
}
static void put_code(bitw *w, unsigned code, unsigned len) { /* Huffman codes go MSB first */
    while (len--) put_bits(w, (code >> len) & 1u, 1);
}
static void put_byte_align(bitw *w) { if (w->cnt) put_bits(w, 0, 8 - w->cnt); }
static void fixed_sym(bitw *w, unsigned sym) {
    if (sym < 144) put_code(w, 0x30 + sym, 8);
    else if (sym < 256) put_code(w, 0x190 + sym - 144, 9);
    else if (sym < 280) put_code(w, sym - 256, 7);
    else put_code(w, 0xC0 + sym - 280, 8);
}
static void gz_header(bitw *w) {
    static const unsigned char h[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    memcpy(w->b, h, 10);
    w->n = 10;
}
/* Appends CRC-32 and ISIZE of `data`. */
static void gz_trailer(bitw *w, const void *data, size_t n) {
    rf__inflate *z = (rf__inflate *)malloc(sizeof *z);
    uint32_t crc;
    rf__inflate_init(z, NULL, 0);
    crc = rf__crc32((const uint32_t(*)[256])z->crc_tab, 0, (const uint8_t *)data, n);
    free(z);
    put_byte_align(w);
    put_bits(w, crc & 0xffff, 16);
    put_bits(w, crc >> 16, 16);
    put_bits(w, (unsigned)(n & 0xffff), 16);
    put_bits(w, (unsigned)((n >> 16) & 0xffff), 16);
}

static void expect_error(const bitw *w, rf_result code, const char *msg_part) {
    rf__buf out;
    rf__inflate *z;
    size_t chunk;
    for (chunk = 0; chunk <= 1; chunk++) { /* whole, then byte by byte: same verdict */
        rf_result r = inflate_chunks(w->b, w->n, chunk, 0, &out, &z);
        if (r != code || !strstr(z->msg ? z->msg : "", msg_part))
            fail_msg("expected %s containing '%s', got %s: %s", rf_result_string(code), msg_part,
                     rf_result_string(r), z->msg ? z->msg : "(none)");
        free(z);
        rf__buf_free(NULL, &out);
    }
}

static void test_header_flags(void **state) {
    /* FTEXT|FHCRC|FEXTRA|FNAME|FCOMMENT with a stored body "hi" */
    bitw w;
    rf__buf out;
    rf__inflate *z = (rf__inflate *)malloc(sizeof *z);
    uint32_t hcrc;
    (void)state;
    memset(&w, 0, sizeof w);
    gz_header(&w);
    w.b[3] = 1 | 2 | 4 | 8 | 16;
    w.b[w.n++] = 3; w.b[w.n++] = 0; w.b[w.n++] = 'x'; w.b[w.n++] = 'y'; w.b[w.n++] = 'z';
    memcpy(w.b + w.n, "name.txt", 9); w.n += 9;
    memcpy(w.b + w.n, "a comment", 10); w.n += 10;
    rf__inflate_init(z, NULL, 0);
    hcrc = rf__crc32((const uint32_t(*)[256])z->crc_tab, 0, w.b, w.n);
    free(z);
    w.b[w.n++] = (unsigned char)(hcrc & 0xff);
    w.b[w.n++] = (unsigned char)((hcrc >> 8) & 0xff);
    put_bits(&w, 1, 1); put_bits(&w, 0, 2); put_byte_align(&w);
    put_bits(&w, 2, 16); put_bits(&w, 0xfffd, 16);
    w.b[w.n++] = 'h'; w.b[w.n++] = 'i';
    gz_trailer(&w, "hi", 2);
    assert_int_equal(inflate_simple(w.b, w.n, 1, 0, &out), RF_OK);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "hi", 2);
    rf__buf_free(NULL, &out);
    assert_int_equal(inflate_simple(w.b, w.n, 0, 0, &out), RF_OK);
    rf__buf_free(NULL, &out);
    /* a wrong header CRC */
    w.b[10 + 5 + 9 + 10] ^= 0x40;
    expect_error(&w, RF_ERR_CORRUPT, "header CRC");
}

static void test_header_errors(void **state) {
    bitw w;
    (void)state;
    memset(&w, 0, sizeof w);
    gz_header(&w);
    w.b[0] = 0x1e;
    expect_error(&w, RF_ERR_CORRUPT, "bad magic");
    gz_header(&w);
    w.b[2] = 7;
    expect_error(&w, RF_ERR_UNSUPPORTED, "not deflate");
    gz_header(&w);
    w.b[3] = 0x20;
    expect_error(&w, RF_ERR_CORRUPT, "reserved");
}

static void test_block_type_3(void **state) {
    bitw w;
    rf__buf out;
    rf__inflate *z;
    (void)state;
    memset(&w, 0, sizeof w);
    gz_header(&w);
    put_bits(&w, 1, 1); put_bits(&w, 3, 2);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "block type 3");
    assert_int_equal(inflate_chunks(w.b, w.n, 0, 0, &out, &z), RF_ERR_CORRUPT);
    assert_int_equal(z->err_offset, 10); /* the byte holding the block header */
    free(z);
    rf__buf_free(NULL, &out);
}

static void test_stored_nlen(void **state) {
    bitw w;
    (void)state;
    memset(&w, 0, sizeof w);
    gz_header(&w);
    put_bits(&w, 1, 1); put_bits(&w, 0, 2); put_byte_align(&w);
    put_bits(&w, 2, 16); put_bits(&w, 0xfffe, 16);
    expect_error(&w, RF_ERR_CORRUPT, "complement");
}

/* Dynamic block header: HLIT=257+hlit5, HDIST=1+hdist5, HCLEN=4+hclen4, code length code
   lengths given in the RFC's permuted order. */
static void dyn_header(bitw *w, unsigned hlit5, unsigned hdist5, const unsigned *cl_in_order, unsigned ncl) {
    unsigned i;
    memset(w, 0, sizeof *w);
    gz_header(w);
    put_bits(w, 1, 1); put_bits(w, 2, 2);
    put_bits(w, hlit5, 5); put_bits(w, hdist5, 5); put_bits(w, ncl - 4, 4);
    for (i = 0; i < ncl; i++) put_bits(w, cl_in_order[i], 3);
}

static void test_dynamic_errors(void **state) {
    bitw w;
    /* order: 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15 */
    unsigned oversub[4] = {1, 1, 1, 0};        /* three codes of length 1 */
    unsigned two[4] = {1, 0, 0, 1};            /* symbols 16 and 0, length 1 */
    unsigned zeros_ones[19] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}; /* 18 and 1, length 1 */
    (void)state;
    dyn_header(&w, 0, 0, oversub, 4);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "over-subscribed");

    /* canonical codes: 0 -> "0", 16 -> "1"; start with 16 */
    dyn_header(&w, 0, 0, two, 4);
    put_code(&w, 1, 1); put_bits(&w, 0, 2);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "no previous length");

    /* symbols 1 and 18 (codes "0" and "1"): 138 + 138 zeros > 258 lengths */
    dyn_header(&w, 0, 0, zeros_ones, 19);
    put_code(&w, 1, 1); put_bits(&w, 127, 7);
    put_code(&w, 1, 1); put_bits(&w, 127, 7);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "past the end");

    /* 257 zero lengths then a distance length of 1: no end-of-block code */
    dyn_header(&w, 0, 0, zeros_ones, 19);
    put_code(&w, 1, 1); put_bits(&w, 127, 7);   /* 138 zeros */
    put_code(&w, 1, 1); put_bits(&w, 108, 7);   /* 119 zeros: 257 */
    put_code(&w, 0, 1);                         /* distance code 0: length 1 */
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "end-of-block");

    /* literal/length code with only symbols 0..1 and 256 of length 1: over-subscribed */
    dyn_header(&w, 0, 0, zeros_ones, 19);
    put_code(&w, 0, 1); put_code(&w, 0, 1);     /* lens[0] = lens[1] = 1 */
    put_code(&w, 1, 1); put_bits(&w, 127, 7);   /* 138 zeros: 2..139 */
    put_code(&w, 1, 1); put_bits(&w, 105, 7);   /* 116 zeros: 140..255 */
    put_code(&w, 0, 1);                         /* lens[256] = 1 */
    put_code(&w, 0, 1);                         /* distance: 1 */
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "over-subscribed");

    /* an incomplete literal/length code: symbols 0 and 256 of length 2 leave half the code
       space unused (only a single 1-bit code may be incomplete) */
    {
        unsigned cl[19] = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0};
        /* code length symbols 18 (len 1, code "0"), 1 (len 2, "10"), 2 (len 2, "11") */
        dyn_header(&w, 0, 0, cl, 19);
        put_code(&w, 3, 2);                                          /* lens[0] = 2 */
        put_code(&w, 0, 1); put_bits(&w, 127, 7);                    /* 138 zeros */
        put_code(&w, 0, 1); put_bits(&w, 106, 7);                    /* 117 zeros: 256 done */
        put_code(&w, 3, 2);                                          /* lens[256] = 2 */
        put_code(&w, 2, 2);                                          /* distance: 1 */
        put_byte_align(&w);
        expect_error(&w, RF_ERR_CORRUPT, "incomplete");
    }
}

static void test_fixed_errors(void **state) {
    bitw w;
    (void)state;
    /* distance before the start of the output */
    memset(&w, 0, sizeof w);
    gz_header(&w);
    put_bits(&w, 1, 1); put_bits(&w, 1, 2);
    fixed_sym(&w, 'a');
    fixed_sym(&w, 257); put_code(&w, 1, 5); /* length 3, distance 2 */
    fixed_sym(&w, 256);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "before the start");

    /* distance codes 30 and 31 exist in the fixed code but are invalid */
    memset(&w, 0, sizeof w);
    gz_header(&w);
    put_bits(&w, 1, 1); put_bits(&w, 1, 2);
    fixed_sym(&w, 'a');
    fixed_sym(&w, 257); put_code(&w, 30, 5);
    fixed_sym(&w, 256);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "invalid distance code");

    /* literal/length symbol 286 */
    memset(&w, 0, sizeof w);
    gz_header(&w);
    put_bits(&w, 1, 1); put_bits(&w, 1, 2);
    fixed_sym(&w, 286);
    put_byte_align(&w);
    expect_error(&w, RF_ERR_CORRUPT, "invalid literal/length");
}

/* A back-reference may not reach into the previous member, although its bytes are in the
   output buffer. Overlapping copies (distance 1 and 3 < length) are valid. */
static void test_member_boundary_and_overlap(void **state) {
    bitw w;
    rf__buf out;
    size_t m1;
    (void)state;
    memset(&w, 0, sizeof w);
    gz_header(&w);
    put_bits(&w, 1, 1); put_bits(&w, 1, 2);
    fixed_sym(&w, 'a'); fixed_sym(&w, 'b'); fixed_sym(&w, 'c');
    fixed_sym(&w, 265); put_bits(&w, 1, 1); put_code(&w, 2, 5); /* length 12, distance 3 */
    fixed_sym(&w, 'x');
    fixed_sym(&w, 262); put_code(&w, 0, 5);                     /* length 8, distance 1 */
    fixed_sym(&w, 256);
    gz_trailer(&w, "abcabcabcabcabcxxxxxxxxx", 24);
    assert_int_equal(inflate_simple(w.b, w.n, 1, 0, &out), RF_OK);
    assert_int_equal(out.len, 24);
    assert_memory_equal(out.data, "abcabcabcabcabcxxxxxxxxx", 24);
    rf__buf_free(NULL, &out);
    m1 = w.n;
    /* second member starts with a match of distance 3 */
    {
        bitw w2;
        memset(&w2, 0, sizeof w2);
        gz_header(&w2);
        put_bits(&w2, 1, 1); put_bits(&w2, 1, 2);
        fixed_sym(&w2, 257); put_code(&w2, 2, 5);
        fixed_sym(&w2, 256);
        put_byte_align(&w2);
        memcpy(w.b + m1, w2.b, w2.n);
        w.n = m1 + w2.n;
    }
    expect_error(&w, RF_ERR_CORRUPT, "before the start");
    /* trailing bytes that are not a gzip member */
    w.n = m1;
    w.b[w.n++] = 0;
    w.b[w.n++] = 0;
    expect_error(&w, RF_ERR_CORRUPT, "not another gzip member");
}

/* Single-byte corruption anywhere: an error or (rarely) success, never a crash or a hang. */
static void test_mutations(void **state) {
    size_t n, i, tn;
    char *gz = rf_test_read(fixture("text-gzip9.gz"), &n);
    char *text = rf_test_read(rf_test_data("real/go119-cpu.raw.txt"), &tn);
    int errors = 0;
    (void)state;
    for (i = 0; i < n; i++) {
        rf__buf out;
        rf_result r;
        gz[i] ^= (char)0xA5;
        r = inflate_simple(gz, n, 0, 1 << 20, &out);
        if (r == RF_OK) assert_int_equal(out.len, tn);
        else errors++;
        rf__buf_free(NULL, &out);
        gz[i] ^= (char)0xA5;
    }
    /* bytes 4..9 (MTIME, XFL, OS) and the file name are free to change; nearly all else is checked */
    assert_true(errors > (int)n - 40);
    free(gz);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_check_value),
        cmocka_unit_test(test_gnu_gzip_1),
        cmocka_unit_test(test_gnu_gzip_9),
        cmocka_unit_test(test_python_stored),
        cmocka_unit_test(test_python_fixed),
        cmocka_unit_test(test_python_dynamic),
        cmocka_unit_test(test_empty_members),
        cmocka_unit_test(test_no_input_is_truncated),
        cmocka_unit_test(test_multi_member),
        cmocka_unit_test(test_corrupt_crc_and_isize),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_bomb_limit),
        cmocka_unit_test(test_header_flags),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_block_type_3),
        cmocka_unit_test(test_stored_nlen),
        cmocka_unit_test(test_dynamic_errors),
        cmocka_unit_test(test_fixed_errors),
        cmocka_unit_test(test_member_boundary_and_overlap),
        cmocka_unit_test(test_mutations),
    };
     /* shared helpers this file does not need */
    
    
    return cmocka_run_group_tests(tests, NULL, NULL);
}
