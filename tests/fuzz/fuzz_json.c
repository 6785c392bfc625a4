/* libFuzzer harness: the strict JSON reader ([rf:json]) and the JSON formats that are not V8
   (speedscope, JSC samples). Build: clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_json.c
   The first byte picks options; the rest is the document. */
#define RF_JSON_MAX_DEPTH 256
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned sel;
    const char *doc;
    size_t n;
    rf__json j;
    rf__jtok t;
    rf__i64s v = {NULL, 0, 0};
    size_t depth_max = 0;
    if (size < 1) return 0;
    sel = data[0];
    doc = (const char *)data + 1;
    n = size - 1;
    /* 1. the reader alone: tokens until EOF or an error; numbers through the fixed-point path;
          arrays of numbers through the fast path on every other array */
    rf__json_init(&j, NULL, doc, n, sel & 3);
    while ((t = rf__json_next(&j)) > RF__JT_EOF) {
        if (t == RF__JT_NUM) {
            int64_t x;
            (void)rf__json_fixed(&j.num, (int)(sel >> 4), &x);
        }
        if (t == RF__JT_ARR && (sel & 4) && !rf__json_i64_items(&j, &v, (int)(sel & 8), "numbers")) break;
        if (j.stack.len > depth_max) depth_max = j.stack.len;
        if (j.str.len > 3 * n) abort(); /* U+FFFD (3 bytes) per invalid byte at most */
    }
    if (t == RF__JT_ERROR && (j.err == RF_OK || !j.err_msg || j.err_off > n + 3)) abort();
    if (depth_max > RF_JSON_MAX_DEPTH) abort();
    rf__json_free(&j);
    rf__i64s_free(NULL, &v);
    /* 2. the speedscope and JSC parsers, one shot and split in two */
    {
        rf_parse_options o;
        rf_profile *p = rf_profile_new(NULL);
        rf_error err;
        memset(&o, 0, sizeof o);
        o.format = (sel & 16) ? RF_FORMAT_JSC_SAMPLES : RF_FORMAT_SPEEDSCOPE;
        o.strict = (sel >> 5) & 1;
        o.speedscope.profile_index = (int)((sel >> 6) & 1);
        o.speedscope.profile_roots = (int)((sel >> 7) & 1);
        o.speedscope.names = (sel & 32) ? RF_FRAME_NAMES_LOCATION : RF_FRAME_NAMES_DEFAULT;
        o.v8.names = o.speedscope.names;
        (void)rf_parse(p, doc, n, &o, &err);
        rf_profile_free(p);
    }
    return 0;
}
