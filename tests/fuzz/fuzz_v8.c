/* libFuzzer harness: V8 .cpuprofile / .heapprofile ([rf:v8]). The first byte picks the format
   and options, the rest is the document; it is parsed in one shot (lent whole) and in two chunks, and the
   two results must agree. Build: clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_v8.c */
#define RF_MAX_DEPTH 512
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct { char *s; size_t len, cap; } sbuf;
static int put(void *ctx, const void *d, size_t n)
{
    sbuf *b = (sbuf *)ctx;
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 64;
        b->s = (char *)realloc(b->s, b->cap);
        if (!b->s) abort();
    }
    memcpy(b->s + b->len, d, n);
    b->len += n;
    return 0;
}

static rf_result run(const char *doc, size_t n, const rf_parse_options *o, size_t split, sbuf *out)
{
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps = rf_parser_new(p, o);
    rf_error err;
    /* the whole document at once goes through feed_whole: the reader then reads it in place */
    rf_result r = split == n ? rf_parser_feed_whole(ps, doc, n, &err) : rf_parser_feed(ps, doc, split, &err);
    if (r == RF_OK && split < n) r = rf_parser_feed(ps, doc + split, n - split, &err);
    if (r == RF_OK) r = rf_parser_finish(ps, &err);
    if (r != RF_OK && (!err.message || err.code != r || err.byte_offset > n)) abort();
    rf_parser_free(ps);
    if (r == RF_OK && rf_write_folded(p, put, out) != RF_OK) abort();
    rf_profile_free(p);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rf_parse_options o;
    sbuf a = {NULL, 0, 0}, b = {NULL, 0, 0};
    rf_result ra, rb;
    unsigned sel;
    if (size < 1) return 0;
    sel = data[0];
    memset(&o, 0, sizeof o);
    o.format = (sel & 1) ? RF_FORMAT_V8_HEAPPROFILE : RF_FORMAT_V8_CPUPROFILE;
    o.v8.weight = (sel & 2) ? RF_V8_WEIGHT_TIME : RF_V8_WEIGHT_SAMPLES;
    o.v8.names = (sel >> 2) % 3 == 0 ? RF_FRAME_NAMES_DEFAULT : (sel >> 2) % 3 == 1 ? RF_FRAME_NAMES_ANON_LOCATION : RF_FRAME_NAMES_LOCATION;
    o.v8.drop_idle = (sel >> 4) & 1;
    o.strict = (sel >> 5) & 1;
    ra = run((const char *)data + 1, size - 1, &o, size - 1, &a);
    rb = run((const char *)data + 1, size - 1, &o, (size - 1) / 2, &b);
    if (ra != rb || a.len != b.len || (a.len && memcmp(a.s, b.s, a.len) != 0)) abort();
    free(a.s);
    free(b.s);
    return 0;
}
