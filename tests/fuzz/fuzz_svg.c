/* libFuzzer harness for the folded reader, the SVG writer and the SVG reader ([rf:svg]).
   clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_svg.c
   The first byte picks the mode and options; the rest is the input.
   - top bit set: the input is read as one of our SVGs (hostile bytes for the reader); one
     feed and two feeds must agree.
   - otherwise it is folded text: one feed and byte-by-byte feeds must agree; then it is drawn
     as an SVG with options from the first byte (no data budget), and reading that SVG back
     must give the same folded text, decimals and columns (the writer promises a lossless
     round trip). */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct sink { char *s; size_t n, cap; } sink;

static int put(void *ctx, const void *d, size_t n) {
    sink *k = (sink *)ctx;
    if (k->n + n > k->cap) {
        k->cap = (k->n + n) * 2 + 64;
        k->s = (char *)realloc(k->s, k->cap);
        if (!k->s) abort();
    }
    memcpy(k->s + k->n, d, n);
    k->n += n;
    return 0;
}

/* Parses d in pieces of `step` bytes into p; the folded text goes to out when it parses. */
static rf_result parse(rf_profile *p, const uint8_t *d, size_t n, const rf_parse_options *o, size_t step, sink *out) {
    rf_parser *ps = rf_parser_new(p, o);
    rf_error err;
    rf_result r = RF_OK;
    size_t off = 0;
    if (!ps) abort();
    while (r == RF_OK && off < n) {
        size_t k = n - off < step ? n - off : step;
        r = rf_parser_feed(ps, d + off, k, &err);
        off += k;
    }
    if (r == RF_OK) r = rf_parser_finish(ps, &err);
    if (r != RF_OK && (!err.message || err.code != r)) abort();
    rf_parser_free(ps);
    if (r == RF_OK && rf_write_folded(p, put, out) != RF_OK) abort();
    return r;
}

static void same(rf_result ra, const sink *a, rf_result rb, const sink *b) {
    if (ra != rb || a->n != b->n || (a->n && memcmp(a->s, b->s, a->n) != 0)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const sorts[] = {NULL, "alpha", "weight", NULL};
    rf_parse_options o;
    rf_profile *p, *q;
    sink a = {NULL, 0, 0}, b = {NULL, 0, 0}, svg = {NULL, 0, 0};
    rf_result ra, rb;
    uint8_t sel;
    if (size < 1) return 0;
    sel = data[0];
    data++;
    size--;
    memset(&o, 0, sizeof o);
    p = rf_profile_new(NULL);
    q = rf_profile_new(NULL);
    if (!p || !q) abort();
    if (sel & 0x80) {
        o.format = RF_FORMAT_SVG;
        ra = parse(p, data, size, &o, size ? size : 1, &a);
        rb = parse(q, data, size, &o, size / 2 + 1, &b);
        same(ra, &a, rb, &b);
    } else {
        rf_svg_options so;
        rf_result rw;
        o.format = RF_FORMAT_FOLDED;
        o.strict = sel & 1;
        ra = parse(p, data, size, &o, size ? size : 1, &a);
        rb = parse(q, data, size, &o, 1, &b);
        same(ra, &a, rb, &b);
        rf_profile_free(q);
        q = rf_profile_new(NULL);
        if (!q) abort();
        if (ra == RF_OK) {
            memset(&so, 0, sizeof so);
            so.reverse = (sel >> 1) & 1;
            so.inverted = (sel >> 2) & 1;
            so.flamechart = (sel >> 3) & 1;
            so.sort = sorts[(sel >> 4) & 3];
            so.negate = (sel >> 6) & 1;
            so.hash = (sel >> 6) & 1;
            so.width_from = (int)((sel >> 4) % 3);
            so.data_budget = (size_t)-1;
            rw = rf_write_svg(p, &so, put, &svg);
            if (rw != RF_OK && rw != RF_ERR_EMPTY) abort();
            if (rw == RF_OK) {
                sink c = {NULL, 0, 0};
                memset(&o, 0, sizeof o);
                o.format = RF_FORMAT_SVG;
                if (parse(q, (const uint8_t *)svg.s, svg.n, &o, svg.n, &c) != RF_OK) abort();
                if (rf_profile_decimals(p) != rf_profile_decimals(q) || rf_profile_columns(p) != rf_profile_columns(q)) abort();
                same(RF_OK, &a, RF_OK, &c);
                free(c.s);
            }
        }
    }
    rf_profile_free(p);
    rf_profile_free(q);
    free(a.s);
    free(b.s);
    free(svg.s);
    return 0;
}
