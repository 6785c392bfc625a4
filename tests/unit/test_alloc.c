/* The CLI's allocator (examples/resq-flame/alloc.c, compiled into this test): big blocks in
   their own huge-page mappings, small ones from malloc, and every move between the two kinds
   keeps the bytes; a profile too big for small blocks builds the same tree with it. */
#include "../../examples/resq-flame/alloc.c" /* first: it sets _GNU_SOURCE */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"

static void fill(unsigned char *p, size_t n, unsigned seed) {
    size_t i;
    for (i = 0; i < n; i++) p[i] = (unsigned char)(i * 31u + seed);
}
static int same(const unsigned char *p, size_t n, unsigned seed) {
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * 31u + seed)) return 0;
    return 1;
}

static void test_blocks_keep_their_bytes(void **state) {
    const rf_allocator *al = cli_allocator();
    static const size_t sizes[] = {1, 4096, ((size_t)1 << 20) - 1, (size_t)1 << 20, ((size_t)9 << 20) + 5,
                                   ((size_t)1 << 20) - 1, (size_t)33 << 20, 100, (size_t)4 << 20};
    unsigned char *p;
    size_t i, n;
    (void)state;
    if (!al) skip(); /* not Linux: the CLI uses the header's default */
    n = sizes[0];
    p = (unsigned char *)al->malloc_fn(al->user, n);
    assert_non_null(p);
    fill(p, n, 7);
    for (i = 1; i < sizeof sizes / sizeof *sizes; i++) { /* small -> big -> bigger -> small ... */
        size_t keep = n < sizes[i] ? n : sizes[i];
        p = (unsigned char *)al->realloc_fn(al->user, p, n, sizes[i]);
        assert_non_null(p);
        assert_true(same(p, keep, 7));
        n = sizes[i];
        fill(p, n, 7);
    }
    al->free_fn(al->user, p, n);
    p = (unsigned char *)al->malloc_fn(al->user, (size_t)8 << 20);
    assert_non_null(p);
    fill(p, (size_t)8 << 20, 3);
    assert_true(same(p, (size_t)8 << 20, 3));
    al->free_fn(al->user, p, (size_t)8 << 20);
}

/* Huge pages back only aligned 2 MiB extents: a big block must start on one (before its
   64-byte length header) however it was made, grown in place or moved by the kernel. */
static int extent_aligned(const void *p) { return (((uintptr_t)p - 64u) & (((uintptr_t)2 << 20) - 1)) == 0; }

static void test_big_blocks_stay_aligned(void **state) {
    const rf_allocator *al = cli_allocator();
    unsigned char *a, *b;
    size_t n = (size_t)5 << 20, i;
    (void)state;
    if (!al) skip();
    a = (unsigned char *)al->malloc_fn(al->user, n);
    b = (unsigned char *)al->malloc_fn(al->user, n); /* a neighbour, so some growth must move */
    assert_non_null(a);
    assert_non_null(b);
    assert_true(extent_aligned(a) && extent_aligned(b));
    fill(a, (size_t)1 << 20, 1);
    for (i = 0; i < 6; i++) { /* 5 MiB doubling to 320 MiB; only the first MiB and each old end touched */
        a[n - 1] = (unsigned char)(i + 100);
        a = (unsigned char *)al->realloc_fn(al->user, a, n, n * 2);
        assert_non_null(a);
        assert_true(extent_aligned(a));
        assert_true(same(a, (size_t)1 << 20, 1));
        assert_int_equal(a[n - 1], i + 100);
        n *= 2;
        b = (unsigned char *)al->realloc_fn(al->user, b, (size_t)5 << 20, (size_t)6 << 20); /* in place or moved */
        assert_non_null(b);
        assert_true(extent_aligned(b));
        b = (unsigned char *)al->realloc_fn(al->user, b, (size_t)6 << 20, (size_t)5 << 20); /* shrinks */
        assert_non_null(b);
        assert_true(extent_aligned(b));
    }
    al->free_fn(al->user, a, n);
    al->free_fn(al->user, b, (size_t)5 << 20);
}

static void test_big_profile_same_tree(void **state) {
    size_t cap = (size_t)8 << 20, n = 0, i;
    char *text = (char *)malloc(cap), *folded[2];
    int k;
    (void)state;
    assert_non_null(text);
    for (i = 0; i < 150000; i++) /* 155k nodes: the node array (40 B each) passes 4 MiB */
        n += (size_t)snprintf(text + n, cap - n, "main;f%zu;g%zu %zu\n", i % 5000, i, i % 7 + 1);
    for (k = 0; k < 2; k++) { /* the header's default allocator, then the CLI's */
        rf_profile *p = rf_profile_new(k ? cli_allocator() : NULL);
        assert_int_equal(rf_parse(p, text, n, NULL, NULL), RF_OK);
        assert_true(rf_profile_node_count(p) > 150000);
        folded[k] = rf_test_folded(p);
        rf_profile_free(p);
    }
    assert_string_equal(folded[0], folded[1]);
    free(folded[0]);
    free(folded[1]);
    free(text);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_keep_their_bytes),
        cmocka_unit_test(test_big_blocks_stay_aligned),
        cmocka_unit_test(test_big_profile_same_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
