/* libFuzzer harness for the `perf script` reader. The first byte picks options (pid, tid,
   kernel/jit, addrs, srcline, off-CPU, strict, count_samples); the rest is the input, parsed
   once in one piece and once cut in three at points taken from the data. Both runs must
   agree (same result code, same folded output), and the folded writer must succeed. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "perf_flags.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct sink { char *s; size_t n, cap; } sink;

static int sink_write(void *ctx, const void *d, size_t n) {
    sink *k = (sink *)ctx;
    if (k->n + n > k->cap) {
        size_t cap = (k->n + n) * 2 + 64;
        char *p = (char *)realloc(k->s, cap);
        if (!p) return 1;
        k->s = p;
        k->cap = cap;
    }
    memcpy(k->s + k->n, d, n);
    k->n += n;
    return 0;
}

static rf_result run(const uint8_t *d, size_t n, const rf_parse_options *o, size_t cut1, size_t cut2, sink *out) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps = p ? rf_parser_new(p, o) : NULL;
    rf_error err;
    rf_result r = RF_ERR_OUT_OF_MEMORY;
    if (ps) {
        r = rf_parser_feed(ps, d, cut1, &err);
        if (r == RF_OK) r = rf_parser_feed(ps, d + cut1, cut2 - cut1, &err);
        if (r == RF_OK) r = rf_parser_feed(ps, d + cut2, n - cut2, &err);
        if (r == RF_OK) r = rf_parser_finish(ps, &err);
        if (r == RF_OK && rf_write_folded(p, sink_write, out) != RF_OK) abort();
        rf_parser_free(ps);
    }
    rf_profile_free(p);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rf_parse_options o;
    sink a = {NULL, 0, 0}, b = {NULL, 0, 0};
    rf_result ra, rb;
    uint8_t flags;
    size_t c1, c2;
    if (size < 1) return 0;
    flags = data[0];
    data++;
    size--;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_PERF_SCRIPT;
    rf_fuzz_perf_flags(flags, &o);
    c1 = size ? (size_t)data[0] % (size + 1) : 0;
    c2 = size ? c1 + (size_t)data[size - 1] * 7 % (size - c1 + 1) : 0;
    ra = run(data, size, &o, size, size, &a);
    rb = run(data, size, &o, c1, c2, &b);
    if (ra != rb || a.n != b.n || (a.n && memcmp(a.s, b.s, a.n) != 0)) abort();
    free(a.s);
    free(b.s);
    return 0;
}
