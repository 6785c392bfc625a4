/* libFuzzer harness for the gzip/DEFLATE decoder ([rf:inflate]).
   clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_inflate.c
   Seeds: the .gz files in tests/data/pprof and ../shared/testdata/real.
   Besides memory safety it checks that feeding the input in two pieces (split at a point
   taken from the input) gives the same verdict and the same bytes as one feed. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdlib.h>

#define FUZZ_LIMIT ((uint64_t)16 << 20) /* keep bombs cheap */

static rf_result run(const uint8_t *d, size_t n, size_t split, rf__buf *out) {
    rf__inflate *z = (rf__inflate *)malloc(sizeof *z);
    rf_result r;
    if (!z) abort();
    rf__inflate_init(z, NULL, FUZZ_LIMIT);
    memset(out, 0, sizeof *out);
    r = rf__inflate_feed(z, out, d, split);
    if (r == RF_OK) r = rf__inflate_feed(z, out, d + split, n - split);
    if (r == RF_OK) r = rf__inflate_finish(z);
    if (r != RF_OK && (!z->msg || r == RF_ERR_INVALID_ARGUMENT)) abort(); /* errors carry a message */
    free(z);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rf__buf a, b;
    rf_result ra, rb;
    size_t split = size ? (size_t)data[size - 1] * 131u % (size + 1) : 0;
    ra = run(data, size, size, &a);
    rb = run(data, size, split, &b);
    if (ra != rb) abort();
    if (ra == RF_OK && (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))) abort();
    if (a.len > FUZZ_LIMIT) abort();
    rf__buf_free(NULL, &a);
    rf__buf_free(NULL, &b);
    return 0;
}
