/* Shared helpers for the unit tests: test data paths, file loading, a
   failing allocator, and folding a profile to a string for comparisons. */
#ifndef RF_TEST_H
#define RF_TEST_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Not every test file uses every helper. */
#if defined(__GNUC__) || defined(__clang__)
#define RF_TEST_HELPER static __attribute__((unused))
#else
#define RF_TEST_HELPER static
#endif

RF_TEST_HELPER const char *rf_test_root(void) {
    const char *r = getenv("RF_ROOT");
    return r && *r ? r : ".";
}

/* Path of a file under ../shared/testdata (relative to the project root). */
RF_TEST_HELPER const char *rf_test_data(const char *rel) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/../shared/testdata/%s", rf_test_root(), rel);
    return buf;
}

/* Reads a whole file; fails the test if it cannot. Caller frees. */
RF_TEST_HELPER char *rf_test_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) fail_msg("cannot open %s", path);
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            data = (char *)realloc(data, cap + 1);
            assert_non_null(data);
        }
        got = fread(data + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

typedef struct rf_test_str { char *s; size_t len, cap; } rf_test_str;

RF_TEST_HELPER int rf_test_str_write(void *ctx, const void *d, size_t n) {
    rf_test_str *b = (rf_test_str *)ctx;
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = (char *)realloc(b->s, b->cap);
        if (!b->s) return 1;
    }
    memcpy(b->s + b->len, d, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

/* The folded text of a profile (malloc'd, NUL-terminated). */
RF_TEST_HELPER char *rf_test_folded(const rf_profile *p) {
    rf_test_str b = {NULL, 0, 0};
    rf_test_str_write(&b, "", 0);
    assert_int_equal(rf_write_folded(p, rf_test_str_write, &b), RF_OK);
    return b.s;
}

/* Parses a buffer in one shot, or in chunks of `chunk` bytes (0 = one shot). */
RF_TEST_HELPER rf_result rf_test_parse(rf_profile *p, const char *data, size_t n, const rf_parse_options *o,
                               size_t chunk, rf_error *err) {
    rf_parser *ps;
    rf_result r = RF_OK;
    size_t off = 0;
    if (!chunk) return rf_parse(p, data, n, o, err);
    ps = rf_parser_new(p, o);
    if (!ps) return RF_ERR_OUT_OF_MEMORY;
    while (r == RF_OK && off < n) {
        size_t k = n - off < chunk ? n - off : chunk;
        r = rf_parser_feed(ps, data + off, k, err);
        off += k;
    }
    if (r == RF_OK) r = rf_parser_finish(ps, err);
    rf_parser_free(ps);
    return r;
}

/* An allocator that fails the Nth allocation (and every one after it when
   `sticky`), counting live bytes so leaks show, and their peak. */
typedef struct rf_test_alloc { long fail_at, count; int sticky; long live_blocks; size_t live_bytes, peak_bytes; } rf_test_alloc;

RF_TEST_HELPER void *rf_test_malloc(void *u, size_t n) {
    rf_test_alloc *a = (rf_test_alloc *)u;
    void *p;
    long k = a->count++;
    if (a->fail_at >= 0 && (k == a->fail_at || (a->sticky && k > a->fail_at))) return NULL;
    p = malloc(n);
    if (p) { a->live_blocks++; a->live_bytes += n; }
    if (a->live_bytes > a->peak_bytes) a->peak_bytes = a->live_bytes;
    return p;
}
RF_TEST_HELPER void *rf_test_realloc(void *u, void *p, size_t old_n, size_t n) {
    rf_test_alloc *a = (rf_test_alloc *)u;
    void *q;
    long k = a->count++;
    if (a->fail_at >= 0 && (k == a->fail_at || (a->sticky && k > a->fail_at))) return NULL;
    q = realloc(p, n);
    if (q) a->live_bytes += n - old_n;
    if (a->live_bytes > a->peak_bytes) a->peak_bytes = a->live_bytes;
    return q;
}
RF_TEST_HELPER void rf_test_free(void *u, void *p, size_t n) {
    rf_test_alloc *a = (rf_test_alloc *)u;
    if (!p) return;
    a->live_blocks--;
    a->live_bytes -= n;
    free(p);
}
RF_TEST_HELPER rf_allocator rf_test_allocator(rf_test_alloc *a) {
    rf_allocator al;
    al.malloc_fn = rf_test_malloc;
    al.realloc_fn = rf_test_realloc;
    al.free_fn = rf_test_free;
    al.user = a;
    return al;
}

/* Parses (chunk 0 = one shot, else chunks of that size) with a counting allocator, which must
   end with nothing live; returns the folded text (free it) and the peak bytes held. */
RF_TEST_HELPER char *rf_test_fold_counted(const char *data, size_t n, const rf_parse_options *o, size_t chunk,
                                          size_t *peak) {
    rf_test_alloc ta = {-1, 0, 0, 0, 0, 0};
    rf_allocator al = rf_test_allocator(&ta);
    rf_profile *p = rf_profile_new(&al);
    rf_error err;
    char *folded;
    assert_non_null(p);
    assert_int_equal(rf_test_parse(p, data, n, o, chunk, &err), RF_OK);
    folded = rf_test_folded(p);
    rf_profile_free(p);
    assert_int_equal(ta.live_bytes, 0);
    *peak = ta.peak_bytes;
    return folded;
}
#endif
