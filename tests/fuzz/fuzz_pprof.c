/* libFuzzer harness for the pprof reader ([rf:protobuf], [rf:pprof]), raw or gzipped input.
   clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_pprof.c
   Seeds: ../shared/testdata/real/{go119-*.pb.gz,mini-handmade.pb} (gzipped and raw).
   The first input byte picks options (frame style, unsymbolized style, column, label roots);
   the rest is the profile. One feed and 7-byte feeds must agree on the verdict and the fold. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdlib.h>

typedef struct sink { char *s; size_t n, cap; } sink;
static int put(void *ctx, const void *d, size_t n) {
    sink *k = (sink *)ctx;
    if (k->n + n > k->cap) {
        k->cap = (k->n + n) * 2;
        k->s = (char *)realloc(k->s, k->cap);
        if (!k->s) abort();
    }
    memcpy(k->s + k->n, d, n);
    k->n += n;
    return 0;
}

static rf_result run(const uint8_t *d, size_t n, const rf_parse_options *o, size_t chunk, sink *out) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps = rf_parser_new(p, o);
    rf_error err;
    rf_result r = RF_OK;
    size_t off = 0;
    if (!p || !ps) abort();
    if (chunk >= n && n) { /* all at once: lent whole, a raw profile is read in place */
        r = rf_parser_feed_whole(ps, d, n, &err);
        off = n;
    }
    while (r == RF_OK && off < n) {
        size_t k = n - off < chunk ? n - off : chunk;
        r = rf_parser_feed(ps, d + off, k, &err);
        off += k;
    }
    if (r == RF_OK) r = rf_parser_finish(ps, &err);
    if (r != RF_OK && !err.message) abort();
    rf_parser_free(ps);
    memset(out, 0, sizeof *out);
    if (r == RF_OK && rf_write_folded(p, put, out) != RF_OK) abort();
    rf_profile_free(p);
    return r;
}

/* A stand-in regex engine for drop_frames/keep_frames: "^(P)$" matches names containing P, so
   the pruning logic runs on whatever patterns the fuzzer writes into field 7/8. */
static void *sub_compile(void *ctx, const char *pattern) {
    size_t n = strlen(pattern);
    char *c = (char *)malloc(n + 1);
    (void)ctx;
    if (!c) abort();
    memcpy(c, pattern, n + 1);
    if (n >= 4) {
        memmove(c, c + 2, n - 4);
        c[n - 4] = '\0';
    }
    if (strchr(c, '[')) { /* some patterns "do not compile", as real engines reject some */
        free(c);
        return NULL;
    }
    return c;
}
static int sub_match(void *ctx, void *re, const char *s, size_t len) {
    size_t k = strlen((const char *)re), i;
    (void)ctx;
    for (i = 0; i + k <= len; i++)
        if (memcmp(s + i, re, k) == 0) return 1;
    return 0;
}
static void sub_release(void *ctx, void *re) {
    (void)ctx;
    free(re);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const columns[] = {NULL, "0", "1", "alloc_space", "space", "delay"};
    rf_parse_options o;
    sink a, b;
    rf_result ra, rb;
    if (size < 1) return 0;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_PPROF;
    o.pprof.frames = (data[0] & 1) ? RF_PPROF_FRAMES_FILE_LINE : RF_PPROF_FRAMES_FUNCTION;
    o.pprof.unsymbolized = (data[0] & 2) ? RF_PPROF_UNSYMBOLIZED_MODULE : RF_PPROF_UNSYMBOLIZED_OFFSET;
    o.pprof.group_by_label = (data[0] & 4) ? "handler" : NULL;
    o.pprof.sample_index = columns[(data[0] >> 3) % 6];
    o.pprof.max_inflate = (uint64_t)16 << 20;
    if (((data[0] >> 3) / 6) & 1) {
        o.pprof.regex.compile = sub_compile;
        o.pprof.regex.match = sub_match;
        o.pprof.regex.release = sub_release;
    }
    ra = run(data + 1, size - 1, &o, size, &a);
    rb = run(data + 1, size - 1, &o, 7, &b);
    if (ra != rb) abort();
    if (ra == RF_OK && (a.n != b.n || (a.n && memcmp(a.s, b.s, a.n)))) abort();
    free(a.s);
    free(b.s);
    return 0;
}
