/* libFuzzer harness for the bpftrace, DTrace and austin readers and rf_detect_format. The
   first byte picks the format (or auto-detection) and options; the input is parsed whole and
   byte by byte: both must agree. Detection must return a valid rf_format for any bytes. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
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

static rf_result run(const uint8_t *d, size_t n, const rf_parse_options *o, size_t step, sink *out) {
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps = p ? rf_parser_new(p, o) : NULL;
    rf_error err;
    rf_result r = RF_ERR_OUT_OF_MEMORY;
    size_t off = 0;
    if (ps) {
        r = RF_OK;
        while (r == RF_OK && off < n) {
            size_t k = n - off < step ? n - off : step;
            r = rf_parser_feed(ps, d + off, k, &err);
            off += k;
        }
        if (r == RF_OK) r = rf_parser_finish(ps, &err);
        if (r == RF_OK && rf_write_folded(p, sink_write, out) != RF_OK) abort();
        if (r == RF_OK) { /* the tree-order writer against sorting the lines as text */
            sink t = {NULL, 0, 0}, u = {NULL, 0, 0};
            if (rf__write_folded_text(p, sink_write, &t) != RF_OK) abort();
            if (!rf__names_hold_semicolon(p) && (rf__write_folded_tree(p, sink_write, &u) != RF_OK || t.n != u.n || (t.n && memcmp(t.s, u.s, t.n))))
                abort();
            free(t.s);
            free(u.s);
        }
        rf_parser_free(ps);
    }
    rf_profile_free(p);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const rf_format formats[] = {RF_FORMAT_BPFTRACE, RF_FORMAT_DTRACE, RF_FORMAT_AUSTIN, RF_FORMAT_AUTO};
    rf_parse_options o;
    sink a = {NULL, 0, 0}, b = {NULL, 0, 0};
    rf_result ra, rb;
    rf_format det;
    uint8_t flags;
    if (size < 1) return 0;
    flags = data[0];
    data++;
    size--;
    det = rf_detect_format(data, size);
    if ((int)det < 0 || det >= RF_FORMAT_COUNT_) abort();
    memset(&o, 0, sizeof o);
    o.format = formats[flags & 3];
    if (o.format == RF_FORMAT_AUTO && det != RF_FORMAT_BPFTRACE && det != RF_FORMAT_DTRACE &&
        det != RF_FORMAT_AUSTIN && det != RF_FORMAT_PERF_SCRIPT && det != RF_FORMAT_FOLDED)
        return 0; /* other formats have their own harnesses */
    o.austin.threads = (flags >> 2) & 1;
    o.austin.metric = (flags >> 3) & 3;
    o.austin.frees = (flags >> 5) & 1;
    o.austin.no_lines = (flags >> 6) & 1;
    o.strict = (flags >> 7) & 1;
    ra = run(data, size, &o, size ? size : 1, &a);
    rb = run(data, size, &o, 1, &b);
    if (ra != rb || a.n != b.n || (a.n && memcmp(a.s, b.s, a.n) != 0)) abort();
    free(a.s);
    free(b.s);
    return 0;
}
