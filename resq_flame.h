/* resq_flame.h - v0.1.0 - profiler output -> call tree -> interactive SVG flame graphs
   Public domain-style permissive licence: Apache-2.0 (see end of file).

   Do this:
       #define RESQ_FLAME_IMPLEMENTATION
   before you include this file in *one* C or C++ file to create the implementation.
   Every other file includes it without the define.

   EXAMPLE (folded stacks on stdin -> SVG on stdout):

       #define RESQ_FLAME_IMPLEMENTATION
       #include "resq_flame.h"
       static int out(void *ctx, const void *d, size_t n) { return fwrite(d, 1, n, (FILE *)ctx) != n; }
       int main(void) {
           char buf[65536]; size_t n; rf_error err;
           rf_profile *p = rf_profile_new(NULL);
           rf_parser *ps = rf_parser_new(p, NULL);            // NULL options: auto-detect format
           while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
               if (rf_parser_feed(ps, buf, n, &err)) return 2;
           if (rf_parser_finish(ps, &err)) return 2;
           rf_parser_free(ps);
           return rf_write_svg(p, NULL, out, stdout) ? 1 : (rf_profile_free(p), 0);
       }

   CONFIGURATION (define before including the implementation)
       RF_STATIC            all API functions static (private copy per translation unit)
       RF_MALLOC(sz), RF_REALLOC(p,sz), RF_FREE(p)
                            default allocator (all three or none); a runtime allocator can
                            also be passed to rf_profile_new()
       RF_NO_STDIO          leave out the FILE* helpers
       RF_MAX_DEPTH         deepest stack accepted (frames)            default 65536
       RF_MAX_LINE          longest input line accepted (bytes)        default 64 MiB
       RF_MAX_NAME          longest frame name kept (bytes)            default 64 KiB
       RF_MAX_INPUT         most bytes a buffering parser may hold     default 2 GiB
       RF_MAX_DECIMALS      most fraction digits kept in weights       default 9

   SECTIONS (grep for the tag; the same tag marks the API and its implementation)
       [rf:config]  [rf:types]  [rf:errors]  [rf:memory]  [rf:profile]  [rf:parser]
       [rf:folded]  [rf:detect]  [rf:transform]  [rf:write-folded]  [rf:stdio]

   THREAD SAFETY
       No globals. Distinct objects may be used from distinct threads at the same time;
       one object (profile, parser) must not be used by two threads at once. A profile that
       is only read (writers, accessors) may be read by many threads at once.
*/
#ifndef RESQ_FLAME_H
#define RESQ_FLAME_H

#include <stddef.h>
#include <stdint.h>

/* ===== [rf:config] ======================================================= */
#define RF_VERSION_MAJOR 0
#define RF_VERSION_MINOR 1
#define RF_VERSION_PATCH 0
#define RF_VERSION_STRING "0.1.0"

#ifndef RF_API
#ifdef RF_STATIC
#if defined(__GNUC__) || defined(__clang__)
#define RF_API static __attribute__((unused))
#else
#define RF_API static
#endif
#else
#define RF_API extern
#endif
#endif

#ifndef RF_MAX_DEPTH
#define RF_MAX_DEPTH 65536
#endif
#ifndef RF_MAX_LINE
#define RF_MAX_LINE ((size_t)64 << 20)
#endif
#ifndef RF_MAX_NAME
#define RF_MAX_NAME ((size_t)64 << 10)
#endif
#ifndef RF_MAX_INPUT
#define RF_MAX_INPUT ((size_t)2 << 30)
#endif
#ifndef RF_MAX_DECIMALS
#define RF_MAX_DECIMALS 9
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ===== [rf:types] ======================================================== */
typedef struct rf_strview { const char *ptr; size_t len; } rf_strview;

/* A runtime allocator. Sizes are passed back on realloc/free so arena-style
   allocators need no headers. NULL (or all-NULL functions) = RF_MALLOC & co. */
typedef struct rf_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t old_size, size_t new_size);
    void (*free_fn)(void *user, void *ptr, size_t size);
    void *user;
} rf_allocator;

/* Writers emit bytes through this. Return 0 to go on, nonzero to abort (RF_ERR_WRITE). */
typedef int (*rf_write_fn)(void *ctx, const void *data, size_t n);

typedef enum rf_format {
    RF_FORMAT_AUTO = 0,       /* detect from the first bytes */
    RF_FORMAT_FOLDED,         /* "a;b;c 12" (also py-spy --format raw, two-column diffs) */
    RF_FORMAT_PERF_SCRIPT,    /* `perf script` text */
    RF_FORMAT_V8_CPUPROFILE,  /* Node/Bun/Chrome .cpuprofile, CDP Profiler.stop result */
    RF_FORMAT_V8_HEAPPROFILE, /* .heapprofile, CDP HeapProfiler.stopSampling result */
    RF_FORMAT_PPROF,          /* profile.proto, gzipped or not */
    RF_FORMAT_BPFTRACE,       /* bpftrace map output */
    RF_FORMAT_SPEEDSCOPE,     /* speedscope JSON (dotnet-trace, py-spy) */
    RF_FORMAT_DTRACE,         /* DTrace ustack()/stack() aggregations */
    RF_FORMAT_AUSTIN,         /* austin 1.x / 3.x text */
    RF_FORMAT_JSC_SAMPLES,    /* Bun/JSC ScriptProfiler.trackingComplete */
    RF_FORMAT_SVG,            /* an SVG written by resq-flame (lossless) */
    RF_FORMAT_COUNT_
} rf_format;

#define RF_NODE_NONE 0xFFFFFFFFu
#define RF_NODE_ROOT 0u

/* ===== [rf:errors] ======================================================= */
/* X-macro: code, short description. Kept together so they cannot drift apart. */
#define RF__RESULTS(X)                                                         \
    X(RF_OK, "ok")                                                            \
    X(RF_ERR_INVALID_ARGUMENT, "invalid argument")                            \
    X(RF_ERR_OUT_OF_MEMORY, "out of memory")                                  \
    X(RF_ERR_SYNTAX, "malformed input")                                       \
    X(RF_ERR_UNKNOWN_FORMAT, "unknown input format")                          \
    X(RF_ERR_LIMIT, "input exceeds a configured limit")                       \
    X(RF_ERR_EMPTY, "no samples")                                             \
    X(RF_ERR_WRITE, "write failed")                                           \
    X(RF_ERR_UNSUPPORTED, "unsupported input or option")                      \
    X(RF_ERR_CORRUPT, "corrupt data (checksum or encoding)")                  \
    X(RF_ERR_TRUNCATED, "unexpected end of input")                            \
    X(RF_ERR_OVERFLOW, "numeric overflow")

typedef enum rf_result {
#define RF__ENUM(code, text) code,
    RF__RESULTS(RF__ENUM)
#undef RF__ENUM
    RF_RESULT_COUNT_
} rf_result;

/* Filled by failing calls (caller-owned; no global "last error").
   message is a static string; detail holds optional context (an event name,
   the offending token) and is always NUL-terminated. line is 1-based (0 = not
   line-oriented), column is 1-based (0 = unknown). */
typedef struct rf_error {
    rf_result code;
    rf_format format;
    const char *message;
    uint64_t byte_offset;
    uint64_t line;
    uint32_t column;
    char detail[128];
} rf_error;

RF_API const char *rf_result_string(rf_result r);  /* never NULL */
RF_API const char *rf_format_name(rf_format f);     /* "folded", "perf", ...; never NULL */
RF_API rf_format rf_format_from_name(const char *name); /* RF_FORMAT_COUNT_ if unknown */

/* ===== [rf:profile] ====================================================== */
/* A profile: interned frame names and a call tree with exact weights.
   Weights are int64 fixed-point: a node's weight is w / 10^rf_profile_decimals(p)
   (0 decimals for integer input). A profile has one weight column, or two for
   differential input (column 0 = before, 1 = after). Memory grows with unique
   names and nodes, never with input length. Node 0 is the root (name ""). */
typedef struct rf_profile rf_profile;

RF_API rf_profile *rf_profile_new(const rf_allocator *alloc);   /* NULL on OOM */
RF_API void rf_profile_free(rf_profile *p);

/* Adds one stack (frames root first) with a weight; identical stacks merge. */
RF_API rf_result rf_profile_add(rf_profile *p, const rf_strview *frames, size_t n, int64_t weight);
RF_API rf_result rf_profile_add_diff(rf_profile *p, const rf_strview *frames, size_t n,
                                     int64_t before, int64_t after);
/* General form: weights are w / 10^decimals; w1 is used by two-column profiles only. */
RF_API rf_result rf_profile_add_scaled(rf_profile *p, const rf_strview *frames, size_t n,
                                       int64_t w0, int64_t w1, int decimals);

RF_API size_t rf_profile_node_count(const rf_profile *p);
RF_API size_t rf_profile_name_count(const rf_profile *p);
RF_API int rf_profile_columns(const rf_profile *p);   /* 1, or 2 for differential */
RF_API int rf_profile_decimals(const rf_profile *p);
RF_API uint64_t rf_profile_samples(const rf_profile *p); /* stacks added (after merging counts) */
RF_API uint32_t rf_profile_max_depth(const rf_profile *p);

RF_API rf_strview rf_node_name(const rf_profile *p, uint32_t node);
RF_API uint32_t rf_node_parent(const rf_profile *p, uint32_t node);
RF_API uint32_t rf_node_first_child(const rf_profile *p, uint32_t node);  /* insertion order */
RF_API uint32_t rf_node_next_sibling(const rf_profile *p, uint32_t node);
RF_API uint32_t rf_node_depth(const rf_profile *p, uint32_t node);        /* root = 0 */
RF_API int64_t rf_node_total(const rf_profile *p, uint32_t node, int col); /* incl. callees */
RF_API int64_t rf_node_self(const rf_profile *p, uint32_t node, int col);
RF_API uint32_t rf_node_child(const rf_profile *p, uint32_t parent, const char *name, size_t len);

/* Metadata, copied into the profile. unit is the countname ("samples",
   "nanoseconds", "microseconds", "bytes"...); default "samples". */
RF_API rf_result rf_profile_set_unit(rf_profile *p, const char *unit);
RF_API const char *rf_profile_unit(const rf_profile *p);
RF_API rf_result rf_profile_set_sample_type(rf_profile *p, const char *name);
RF_API const char *rf_profile_sample_type(const rf_profile *p);  /* "" when unset */

/* Calls fn for every node with a nonzero self weight: frames root first, self
   points at rf_profile_columns() weights. A nonzero return stops the walk and
   is turned into RF_ERR_WRITE. */
typedef int (*rf_stack_fn)(void *ctx, const rf_strview *frames, size_t n, const int64_t *self);
RF_API rf_result rf_profile_foreach_stack(const rf_profile *p, rf_stack_fn fn, void *ctx);

/* Adds every stack of src to dst (same column count, or dst empty). */
RF_API rf_result rf_profile_merge(rf_profile *dst, const rf_profile *src);

/* ===== [rf:parser] ======================================================= */
typedef struct rf_parse_options {
    rf_format format;        /* RF_FORMAT_AUTO (0) = detect from the first bytes */
    int strict;              /* 0: malformed lines are skipped and counted; 1: error */
    /* Optional warning sink (skipped lines, filtered events...). Called at most
       a few times per parse; w->message is static, w->detail has context. */
    void (*warn)(void *ctx, const rf_error *w);
    void *warn_ctx;
#ifdef RF_DEV_OPTIONS_FILE /* RF_DEV_OPTIONS: development only, see [rf:dev hook] */
#include RF_DEV_OPTIONS_FILE
#endif
} rf_parse_options;

typedef struct rf_parse_stats {
    rf_format format;              /* the format being parsed (after detection) */
    uint64_t bytes;                /* bytes fed */
    uint64_t lines;                /* lines seen (line-oriented formats) */
    uint64_t samples;              /* stacks/samples accepted */
    uint64_t skipped;              /* malformed lines/records skipped */
    uint64_t first_skipped_line;   /* line number of the first skipped one (0 = none) */
    const char *first_skipped_reason;
    uint64_t warnings;             /* warnings raised */
} rf_parse_stats;

typedef struct rf_parser rf_parser;

/* A push parser: feed chunks of any size split anywhere, then finish. The
   result is the same however the input is split. Stacks go into dst, which
   the caller owns (several parsers may fill one profile one after another). */
RF_API rf_parser *rf_parser_new(rf_profile *dst, const rf_parse_options *opt); /* NULL on OOM */
RF_API rf_result rf_parser_feed(rf_parser *ps, const void *data, size_t n, rf_error *err);
RF_API rf_result rf_parser_finish(rf_parser *ps, rf_error *err);
RF_API const rf_parse_stats *rf_parser_stats(const rf_parser *ps);
RF_API void rf_parser_free(rf_parser *ps);

/* One-shot: parser_new + feed + finish + free. */
RF_API rf_result rf_parse(rf_profile *dst, const void *data, size_t n,
                          const rf_parse_options *opt, rf_error *err);

/* ===== [rf:detect] ======================================================= */
/* Guesses the format from the first bytes of an input (a few KiB is plenty).
   Returns RF_FORMAT_AUTO when it cannot tell. */
RF_API rf_format rf_detect_format(const void *head, size_t n);

/* ===== [rf:write-folded] ================================================= */
/* Folded stacks, one "a;b;c COUNT" line per unique stack (two counts for a
   differential profile), sorted bytewise by stack like stackcollapse-*.pl, counts
   printed exactly. Deterministic. */
RF_API rf_result rf_write_folded(const rf_profile *p, rf_write_fn fn, void *ctx);

/* Formats a fixed-point weight exactly ("1234", "12.5"); returns the length.
   buf needs 32 bytes. */
RF_API size_t rf_format_weight(int64_t w, int decimals, char *buf);

/* RF_DEV_API */

/* ===== [rf:stdio] ======================================================== */
#ifndef RF_NO_STDIO
/* An rf_write_fn for a FILE* ctx. */
RF_API int rf_write_to_file(void *file, const void *data, size_t n);
#endif

#ifdef __cplusplus
}
#endif
#endif /* RESQ_FLAME_H */

/* =========================================================================
   End of the API. Stop reading here unless you are changing the library.
   ========================================================================= */

#ifdef RESQ_FLAME_IMPLEMENTATION
#ifndef RESQ_FLAME_IMPLEMENTATION_ONCE
#define RESQ_FLAME_IMPLEMENTATION_ONCE

#include <string.h>
#include <limits.h>
#ifndef RF_NO_STDIO
#include <stdio.h>
#endif

#if defined(RF_MALLOC) && defined(RF_REALLOC) && defined(RF_FREE)
#elif !defined(RF_MALLOC) && !defined(RF_REALLOC) && !defined(RF_FREE)
#include <stdlib.h>
#define RF_MALLOC(sz) malloc(sz)
#define RF_REALLOC(p, sz) realloc(p, sz)
#define RF_FREE(p) free(p)
#else
#error "Define all of RF_MALLOC, RF_REALLOC and RF_FREE, or none of them."
#endif

#if defined(__GNUC__) || defined(__clang__)
#define RF__INTERNAL static __attribute__((unused))
#else
#define RF__INTERNAL static
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ===== [rf:errors] ======================================================= */
RF_API const char *rf_result_string(rf_result r) {
    static const char *const texts[] = {
#define RF__TEXT(code, text) text,
        RF__RESULTS(RF__TEXT)
#undef RF__TEXT
    };
    if ((int)r < 0 || (int)r >= (int)RF_RESULT_COUNT_) return "unknown result code";
    return texts[r];
}

static const char *const rf__format_names[RF_FORMAT_COUNT_] = {
    "auto", "folded", "perf", "cpuprofile", "heapprofile", "pprof", "bpftrace",
    "speedscope", "dtrace", "austin", "jsc", "svg"};

RF_API const char *rf_format_name(rf_format f) {
    if ((int)f < 0 || (int)f >= (int)RF_FORMAT_COUNT_) return "unknown";
    return rf__format_names[f];
}

RF_API rf_format rf_format_from_name(const char *name) {
    int i;
    if (!name) return RF_FORMAT_COUNT_;
    for (i = 0; i < (int)RF_FORMAT_COUNT_; i++)
        if (strcmp(name, rf__format_names[i]) == 0) return (rf_format)i;
    /* common aliases */
    if (!strcmp(name, "collapsed") || !strcmp(name, "pyspy") || !strcmp(name, "py-spy")) return RF_FORMAT_FOLDED;
    if (!strcmp(name, "perf-script")) return RF_FORMAT_PERF_SCRIPT;
    if (!strcmp(name, "v8") || !strcmp(name, "node")) return RF_FORMAT_V8_CPUPROFILE;
    if (!strcmp(name, "bun")) return RF_FORMAT_JSC_SAMPLES;
    return RF_FORMAT_COUNT_;
}

/* ===== [rf:memory] ======================================================= */
RF__INTERNAL void *rf__malloc(const rf_allocator *a, size_t n) {
    if (n == 0) n = 1;
    if (a && a->malloc_fn) return a->malloc_fn(a->user, n);
    return RF_MALLOC(n);
}
RF__INTERNAL void *rf__realloc(const rf_allocator *a, void *p, size_t old_n, size_t new_n) {
    if (new_n == 0) new_n = 1;
    if (a && a->realloc_fn) return a->realloc_fn(a->user, p, old_n, new_n);
    (void)old_n;
    return RF_REALLOC(p, new_n);
}
RF__INTERNAL void rf__free(const rf_allocator *a, void *p, size_t n) {
    if (!p) return;
    if (a && a->free_fn) { a->free_fn(a->user, p, n); return; }
    (void)n;
    RF_FREE(p);
}
RF__INTERNAL int rf__mul_size(size_t a, size_t b, size_t *out) {
    if (b != 0 && a > (size_t)-1 / b) return 0;
    *out = a * b;
    return 1;
}
RF__INTERNAL int rf__add_size(size_t a, size_t b, size_t *out) {
    if (a > (size_t)-1 - b) return 0;
    *out = a + b;
    return 1;
}
/* Grows an array of elem-sized items to hold at least `need`; capacity doubles. */
RF__INTERNAL rf_result rf__grow(const rf_allocator *a, void **arr, size_t *cap, size_t need, size_t elem) {
    size_t ncap = *cap ? *cap : 16, old_bytes, new_bytes;
    void *np;
    if (need <= *cap) return RF_OK;
    while (ncap < need) {
        if (ncap > (size_t)-1 / 2) return RF_ERR_OUT_OF_MEMORY;
        ncap *= 2;
    }
    if (!rf__mul_size(ncap, elem, &new_bytes)) return RF_ERR_OUT_OF_MEMORY;
    old_bytes = *cap * elem;
    np = *arr ? rf__realloc(a, *arr, old_bytes, new_bytes) : rf__malloc(a, new_bytes);
    if (!np) return RF_ERR_OUT_OF_MEMORY;
    *arr = np;
    *cap = ncap;
    return RF_OK;
}

typedef struct rf__buf { char *data; size_t len, cap; } rf__buf;

RF__INTERNAL rf_result rf__buf_reserve(const rf_allocator *a, rf__buf *b, size_t extra) {
    size_t need;
    if (!rf__add_size(b->len, extra, &need)) return RF_ERR_OUT_OF_MEMORY;
    return rf__grow(a, (void **)&b->data, &b->cap, need, 1);
}
RF__INTERNAL rf_result rf__buf_append(const rf_allocator *a, rf__buf *b, const void *d, size_t n) {
    if (n == 0) return RF_OK;
    if (b->cap - b->len < n && rf__buf_reserve(a, b, n)) return RF_ERR_OUT_OF_MEMORY;
    memcpy(b->data + b->len, d, n);
    b->len += n;
    return RF_OK;
}
RF__INTERNAL rf_result rf__buf_puts(const rf_allocator *a, rf__buf *b, const char *s) {
    return rf__buf_append(a, b, s, strlen(s));
}
RF__INTERNAL void rf__buf_free(const rf_allocator *a, rf__buf *b) {
    rf__free(a, b->data, b->cap);
    b->data = NULL;
    b->len = b->cap = 0;
}

typedef struct rf__ids { uint32_t *v; size_t len, cap; } rf__ids;

RF__INTERNAL rf_result rf__ids_push(const rf_allocator *a, rf__ids *s, uint32_t id) {
    if (s->len == s->cap && rf__grow(a, (void **)&s->v, &s->cap, s->len + 1, sizeof(uint32_t)))
        return RF_ERR_OUT_OF_MEMORY;
    s->v[s->len++] = id;
    return RF_OK;
}
RF__INTERNAL void rf__ids_free(const rf_allocator *a, rf__ids *s) {
    rf__free(a, s->v, s->cap * sizeof(uint32_t));
    s->v = NULL;
    s->len = s->cap = 0;
}
RF__INTERNAL void rf__ids_reverse(rf__ids *s) {
    size_t i, j;
    for (i = 0, j = s->len; i + 1 < j; i++, j--) {
        uint32_t t = s->v[i];
        s->v[i] = s->v[j - 1];
        s->v[j - 1] = t;
    }
}

/* A fast 64-bit hash (multiply-mix over 8-byte words). Not cryptographic:
   tables are open-addressed with full key comparison, so collisions only cost time. */
static uint64_t rf__read64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint64_t rf__mix(uint64_t a, uint64_t b) {
    /* 64x64 -> fold: portable variant using 32-bit halves */
    uint64_t x = (a ^ 0x9E3779B97F4A7C15ull) * (b | 1ull);
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return x;
}
RF__INTERNAL uint64_t rf__hash(const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t h = 0x243F6A8885A308D3ull ^ (uint64_t)n;
    while (n >= 16) {
        h = rf__mix(h ^ rf__read64(p), rf__read64(p + 8) ^ 0x452821E638D01377ull);
        p += 16;
        n -= 16;
    }
    if (n >= 8) {
        h = rf__mix(h ^ rf__read64(p), 0x13198A2E03707344ull);
        p += 8;
        n -= 8;
    }
    if (n) {
        uint64_t t = 0;
        memcpy(&t, p, n);
        h = rf__mix(h ^ t, 0xA4093822299F31D0ull ^ n);
    }
    h ^= h >> 31;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h;
}

/* String arena: names live in chunks that are never moved, so views stay valid. */
typedef struct rf__chunk { struct rf__chunk *next; size_t size, used; } rf__chunk;
#define RF__CHUNK_SIZE ((size_t)64 << 10)

static char *rf__arena_alloc(const rf_allocator *a, rf__chunk **head, size_t n) {
    rf__chunk *c = *head;
    if (!c || c->size - c->used < n) {
        size_t size = RF__CHUNK_SIZE, total;
        if (n > size) size = n;
        if (!rf__add_size(size, sizeof(rf__chunk), &total)) return NULL;
        c = (rf__chunk *)rf__malloc(a, total);
        if (!c) return NULL;
        c->size = size;
        c->used = 0;
        c->next = *head;
        *head = c;
    }
    c->used += n;
    return (char *)(c + 1) + (c->used - n);
}
static void rf__arena_free(const rf_allocator *a, rf__chunk *c) {
    while (c) {
        rf__chunk *next = c->next;
        rf__free(a, c, c->size + sizeof(rf__chunk));
        c = next;
    }
}

/* ===== [rf:profile] ====================================================== */
#define RF__NO_ID 0xFFFFFFFFu

typedef struct rf__name { const char *s; uint32_t len; uint32_t hash; } rf__name;

typedef struct rf__node {
    uint32_t parent, name, first_child, next_sibling, last_child, depth;
    int64_t total, self;
} rf__node;

struct rf_profile {
    rf_allocator al;
    rf__chunk *strings;
    rf__name *names;
    size_t nnames, names_cap;
    uint64_t *name_tab; /* (id+1) << 32 | hash32; 0 = empty */
    size_t name_tab_cap;
    rf__node *nodes;
    size_t nnodes, nodes_cap;
    int64_t *w1; /* second column: [2*i] total, [2*i+1] self; NULL for one column */
    size_t w1_cap;
    uint64_t *child_tab; /* (node+1) << 32 | hash32 */
    size_t child_tab_cap;
    int columns, decimals;
    uint64_t samples;
    uint32_t max_depth;
    char *unit, *sample_type;
};

RF__INTERNAL const rf_allocator *rf__profile_allocator(rf_profile *p) { return &p->al; }

RF__INTERNAL char *rf__strdup(const rf_allocator *a, const char *s) {
    size_t n = strlen(s);
    char *d = (char *)rf__malloc(a, n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

RF_API rf_profile *rf_profile_new(const rf_allocator *alloc) {
    rf_allocator al;
    rf_profile *p;
    memset(&al, 0, sizeof al);
    if (alloc && alloc->malloc_fn && alloc->realloc_fn && alloc->free_fn) al = *alloc;
    p = (rf_profile *)rf__malloc(&al, sizeof *p);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    p->al = al;
    p->columns = 1;
    if (rf__grow(&p->al, (void **)&p->nodes, &p->nodes_cap, 64, sizeof(rf__node))) {
        rf__free(&al, p, sizeof *p);
        return NULL;
    }
    memset(&p->nodes[0], 0, sizeof p->nodes[0]);
    p->nodes[0].parent = p->nodes[0].first_child = RF_NODE_NONE;
    p->nodes[0].next_sibling = p->nodes[0].last_child = RF_NODE_NONE;
    p->nodes[0].name = RF__NO_ID;
    p->nnodes = 1;
    return p;
}

RF_API void rf_profile_free(rf_profile *p) {
    rf_allocator al;
    if (!p) return;
    al = p->al;
    rf__arena_free(&al, p->strings);
    rf__free(&al, p->names, p->names_cap * sizeof(rf__name));
    rf__free(&al, p->name_tab, p->name_tab_cap * sizeof(uint64_t));
    rf__free(&al, p->nodes, p->nodes_cap * sizeof(rf__node));
    rf__free(&al, p->w1, p->w1_cap * 2 * sizeof(int64_t));
    rf__free(&al, p->child_tab, p->child_tab_cap * sizeof(uint64_t));
    if (p->unit) rf__free(&al, p->unit, strlen(p->unit) + 1);
    if (p->sample_type) rf__free(&al, p->sample_type, strlen(p->sample_type) + 1);
    rf__free(&al, p, sizeof *p);
}

/* Rebuilds an open-addressed table at twice the size. keyhash(i) gives the
   32-bit hash stored for entry id i. Load factor stays <= 1/2. */
static rf_result rf__table_grow(const rf_allocator *a, uint64_t **tab, size_t *cap) {
    size_t ncap = *cap ? *cap * 2 : 1024, i, bytes;
    uint64_t *nt;
    if (!rf__mul_size(ncap, sizeof(uint64_t), &bytes)) return RF_ERR_OUT_OF_MEMORY;
    nt = (uint64_t *)rf__malloc(a, bytes);
    if (!nt) return RF_ERR_OUT_OF_MEMORY;
    memset(nt, 0, bytes);
    for (i = 0; i < *cap; i++) {
        uint64_t e = (*tab)[i];
        size_t j;
        if (!e) continue;
        j = (size_t)(uint32_t)e & (ncap - 1);
        while (nt[j]) j = (j + 1) & (ncap - 1);
        nt[j] = e;
    }
    rf__free(a, *tab, *cap * sizeof(uint64_t));
    *tab = nt;
    *cap = ncap;
    return RF_OK;
}

/* Interns a name; returns its id, or RF__NO_ID when out of memory. Names
   longer than RF_MAX_NAME are cut (on a byte boundary; writers repair UTF-8). */
RF__INTERNAL uint32_t rf__intern(rf_profile *p, const char *s, size_t n) {
    uint32_t h;
    size_t j, mask;
    char *copy;
    if (n > RF_MAX_NAME) n = RF_MAX_NAME;
    h = (uint32_t)rf__hash(s, n);
    if ((p->nnames + 1) * 2 > p->name_tab_cap) {
        if (p->nnames >= 0xFFFFFFF0u) return RF__NO_ID;
        if (rf__table_grow(&p->al, &p->name_tab, &p->name_tab_cap)) return RF__NO_ID;
    }
    mask = p->name_tab_cap - 1;
    for (j = h & mask;; j = (j + 1) & mask) {
        uint64_t e = p->name_tab[j];
        const rf__name *nm;
        if (!e) break;
        if ((uint32_t)e != h) continue;
        nm = &p->names[(e >> 32) - 1];
        if (nm->len == n && memcmp(nm->s, s, n) == 0) return (uint32_t)((e >> 32) - 1);
    }
    if (p->nnames == p->names_cap &&
        rf__grow(&p->al, (void **)&p->names, &p->names_cap, p->nnames + 1, sizeof(rf__name)))
        return RF__NO_ID;
    copy = rf__arena_alloc(&p->al, &p->strings, n + 1);
    if (!copy) return RF__NO_ID;
    if (n) memcpy(copy, s, n);
    copy[n] = '\0';
    p->names[p->nnames].s = copy;
    p->names[p->nnames].len = (uint32_t)n;
    p->names[p->nnames].hash = h;
    p->name_tab[j] = ((uint64_t)(p->nnames + 1) << 32) | h;
    return (uint32_t)p->nnames++;
}

static uint32_t rf__child_hash(uint32_t parent, uint32_t name) {
    uint64_t x = ((uint64_t)parent << 32 | name) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 32) ^ (uint32_t)x;
}

/* Finds (or creates) the child of `parent` named `name_id`. RF_NODE_NONE when
   absent (create == 0) or out of memory. */
static uint32_t rf__child_find(const rf_profile *p, uint32_t parent, uint32_t name_id, uint32_t h) {
    size_t j, mask;
    if (!p->child_tab_cap) return RF_NODE_NONE;
    mask = p->child_tab_cap - 1;
    for (j = h & mask;; j = (j + 1) & mask) {
        uint64_t e = p->child_tab[j];
        const rf__node *c;
        if (!e) return RF_NODE_NONE;
        if ((uint32_t)e != h) continue;
        c = &p->nodes[(e >> 32) - 1];
        if (c->parent == parent && c->name == name_id) return (uint32_t)((e >> 32) - 1);
    }
}

RF__INTERNAL uint32_t rf__child(rf_profile *p, uint32_t parent, uint32_t name_id, int create) {
    uint32_t h = rf__child_hash(parent, name_id), idx;
    size_t j, mask;
    rf__node *nd;
    idx = rf__child_find(p, parent, name_id, h);
    if (idx != RF_NODE_NONE || !create) return idx;
    if (p->nnodes >= 0xFFFFFFF0u) return RF_NODE_NONE;
    if ((p->nnodes + 1) * 2 > p->child_tab_cap &&
        rf__table_grow(&p->al, &p->child_tab, &p->child_tab_cap))
        return RF_NODE_NONE;
    if (p->nnodes == p->nodes_cap &&
        rf__grow(&p->al, (void **)&p->nodes, &p->nodes_cap, p->nnodes + 1, sizeof(rf__node)))
        return RF_NODE_NONE;
    if (p->columns == 2 && p->nnodes >= p->w1_cap) {
        size_t old = p->w1_cap;
        if (rf__grow(&p->al, (void **)&p->w1, &p->w1_cap, p->nnodes + 1, 2 * sizeof(int64_t)))
            return RF_NODE_NONE;
        memset(p->w1 + old * 2, 0, (p->w1_cap - old) * 2 * sizeof(int64_t));
    }
    mask = p->child_tab_cap - 1;
    for (j = h & mask; p->child_tab[j]; j = (j + 1) & mask) {}
    idx = (uint32_t)p->nnodes++;
    p->child_tab[j] = ((uint64_t)(idx + 1) << 32) | h;
    nd = &p->nodes[idx];
    nd->parent = parent;
    nd->name = name_id;
    nd->first_child = nd->next_sibling = nd->last_child = RF_NODE_NONE;
    nd->depth = p->nodes[parent].depth + 1;
    nd->total = nd->self = 0;
    if (p->nodes[parent].last_child == RF_NODE_NONE) p->nodes[parent].first_child = idx;
    else p->nodes[p->nodes[parent].last_child].next_sibling = idx;
    p->nodes[parent].last_child = idx;
    if (nd->depth > p->max_depth) p->max_depth = nd->depth;
    return idx;
}

static const int64_t rf__pow10[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
    1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

RF__INTERNAL int rf__mul_i64(int64_t a, int64_t b, int64_t *out) {
    if (a != 0 && (b > INT64_MAX / a || b < -(INT64_MAX / a))) return 0;
    *out = a * b;
    return 1;
}

/* Rescales every weight of the tree to `decimals` (more than now). Returns 0
   (and changes nothing) when a weight would overflow. */
static int rf__profile_rescale(rf_profile *p, int decimals) {
    int64_t f = rf__pow10[decimals - p->decimals], lim = INT64_MAX / f;
    size_t i;
    for (i = 0; i < p->nnodes; i++) {
        if (p->nodes[i].total > lim) return 0;
        if (p->w1 && p->w1[2 * i] > lim) return 0;
    }
    for (i = 0; i < p->nnodes; i++) {
        p->nodes[i].total *= f;
        p->nodes[i].self *= f;
        if (p->w1) { p->w1[2 * i] *= f; p->w1[2 * i + 1] *= f; }
    }
    p->decimals = decimals;
    return 1;
}

/* Brings w (scaled by 10^decimals) to the profile's scale: the profile gains
   decimals when it can without overflow, else w is rounded half up. */
static rf_result rf__scale_weight(rf_profile *p, int64_t *w0, int64_t *w1, int decimals) {
    if (decimals < 0 || decimals > 18) return RF_ERR_INVALID_ARGUMENT;
    if (decimals > RF_MAX_DECIMALS) {
        int64_t f = rf__pow10[decimals - RF_MAX_DECIMALS];
        *w0 = *w0 / f + (*w0 % f >= f / 2);
        *w1 = *w1 / f + (*w1 % f >= f / 2);
        decimals = RF_MAX_DECIMALS;
    }
    if (decimals > p->decimals) rf__profile_rescale(p, decimals);
    if (decimals > p->decimals) {
        int64_t f = rf__pow10[decimals - p->decimals];
        *w0 = *w0 / f + (*w0 % f >= f / 2);
        *w1 = *w1 / f + (*w1 % f >= f / 2);
    } else if (decimals < p->decimals) {
        int64_t f = rf__pow10[p->decimals - decimals];
        if (!rf__mul_i64(*w0, f, w0) || !rf__mul_i64(*w1, f, w1)) return RF_ERR_OVERFLOW;
    }
    return RF_OK;
}

static rf_result rf__set_columns(rf_profile *p, int columns) {
    if (p->columns == columns) return RF_OK;
    if (p->nnodes > 1 || p->nodes[0].total != 0 || p->samples) return RF_ERR_INVALID_ARGUMENT;
    if (columns == 2) {
        if (rf__grow(&p->al, (void **)&p->w1, &p->w1_cap, p->nodes_cap, 2 * sizeof(int64_t)))
            return RF_ERR_OUT_OF_MEMORY;
        memset(p->w1, 0, p->w1_cap * 2 * sizeof(int64_t));
    }
    p->columns = columns;
    return RF_OK;
}

/* The one place stacks enter the tree. ids are interned names, root first. */
static rf_result rf__profile_add_ids(rf_profile *p, const uint32_t *ids, size_t n,
                                     int64_t w0, int64_t w1, int decimals) {
    uint32_t node = RF_NODE_ROOT;
    size_t i;
    rf_result r;
    if (w0 < 0 || w1 < 0) return RF_ERR_INVALID_ARGUMENT;
    if (p->columns == 1) w1 = 0;
    if (w0 == 0 && w1 == 0) return RF_OK;
    if (n > RF_MAX_DEPTH) return RF_ERR_LIMIT;
    if (decimals != p->decimals && (r = rf__scale_weight(p, &w0, &w1, decimals)) != RF_OK) return r;
    /* Overflow is checked once at the root: every total is <= the root's. */
    if (p->nodes[0].total > INT64_MAX - w0) return RF_ERR_OVERFLOW;
    if (p->w1 && p->w1[0] > INT64_MAX - w1) return RF_ERR_OVERFLOW;
    p->nodes[0].total += w0;
    if (p->w1) p->w1[0] += w1;
    for (i = 0; i < n; i++) {
        node = rf__child(p, node, ids[i], 1);
        if (node == RF_NODE_NONE) {
            /* undo the partial walk so the tree stays consistent */
            uint32_t undo = RF_NODE_ROOT;
            size_t k;
            p->nodes[0].total -= w0;
            if (p->w1) p->w1[0] -= w1;
            for (k = 0; k < i; k++) {
                undo = rf__child(p, undo, ids[k], 0);
                p->nodes[undo].total -= w0;
                if (p->w1) p->w1[2 * (size_t)undo] -= w1;
            }
            return RF_ERR_OUT_OF_MEMORY;
        }
        p->nodes[node].total += w0;
        if (p->w1) p->w1[2 * (size_t)node] += w1;
    }
    p->nodes[node].self += w0;
    if (p->w1) p->w1[2 * (size_t)node + 1] += w1;
    p->samples++;
    return RF_OK;
}

/* Stack of interned ids reused by the public add calls. */
static rf_result rf__profile_add_views(rf_profile *p, const rf_strview *frames, size_t n,
                                       int64_t w0, int64_t w1, int decimals) {
    uint32_t small[64], *ids = small;
    size_t i, bytes = 0;
    rf_result r;
    if (!p || (n && !frames)) return RF_ERR_INVALID_ARGUMENT;
    if (n > RF_MAX_DEPTH) return RF_ERR_LIMIT;
    if (n > 64) {
        bytes = n * sizeof(uint32_t);
        ids = (uint32_t *)rf__malloc(&p->al, bytes);
        if (!ids) return RF_ERR_OUT_OF_MEMORY;
    }
    for (i = 0; i < n; i++) {
        ids[i] = rf__intern(p, frames[i].ptr ? frames[i].ptr : "", frames[i].ptr ? frames[i].len : 0);
        if (ids[i] == RF__NO_ID) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
    }
    r = rf__profile_add_ids(p, ids, n, w0, w1, decimals);
done:
    if (ids != small) rf__free(&p->al, ids, bytes);
    return r;
}

RF_API rf_result rf_profile_add(rf_profile *p, const rf_strview *frames, size_t n, int64_t weight) {
    if (!p) return RF_ERR_INVALID_ARGUMENT;
    if (p->columns != 1) return RF_ERR_INVALID_ARGUMENT;
    return rf__profile_add_views(p, frames, n, weight, 0, 0);
}
RF_API rf_result rf_profile_add_diff(rf_profile *p, const rf_strview *frames, size_t n,
                                     int64_t before, int64_t after) {
    rf_result r;
    if (!p) return RF_ERR_INVALID_ARGUMENT;
    if ((r = rf__set_columns(p, 2)) != RF_OK) return r;
    return rf__profile_add_views(p, frames, n, before, after, 0);
}
RF_API rf_result rf_profile_add_scaled(rf_profile *p, const rf_strview *frames, size_t n,
                                       int64_t w0, int64_t w1, int decimals) {
    return rf__profile_add_views(p, frames, n, w0, w1, decimals);
}

RF_API size_t rf_profile_node_count(const rf_profile *p) { return p ? p->nnodes : 0; }
RF_API size_t rf_profile_name_count(const rf_profile *p) { return p ? p->nnames : 0; }
RF_API int rf_profile_columns(const rf_profile *p) { return p ? p->columns : 1; }
RF_API int rf_profile_decimals(const rf_profile *p) { return p ? p->decimals : 0; }
RF_API uint64_t rf_profile_samples(const rf_profile *p) { return p ? p->samples : 0; }
RF_API uint32_t rf_profile_max_depth(const rf_profile *p) { return p ? p->max_depth : 0; }

static int rf__valid_node(const rf_profile *p, uint32_t node) { return p && node < p->nnodes; }

RF_API rf_strview rf_node_name(const rf_profile *p, uint32_t node) {
    rf_strview v;
    v.ptr = "";
    v.len = 0;
    if (rf__valid_node(p, node) && p->nodes[node].name != RF__NO_ID) {
        v.ptr = p->names[p->nodes[node].name].s;
        v.len = p->names[p->nodes[node].name].len;
    }
    return v;
}
RF_API uint32_t rf_node_parent(const rf_profile *p, uint32_t node) {
    return rf__valid_node(p, node) ? p->nodes[node].parent : RF_NODE_NONE;
}
RF_API uint32_t rf_node_first_child(const rf_profile *p, uint32_t node) {
    return rf__valid_node(p, node) ? p->nodes[node].first_child : RF_NODE_NONE;
}
RF_API uint32_t rf_node_next_sibling(const rf_profile *p, uint32_t node) {
    return rf__valid_node(p, node) ? p->nodes[node].next_sibling : RF_NODE_NONE;
}
RF_API uint32_t rf_node_depth(const rf_profile *p, uint32_t node) {
    return rf__valid_node(p, node) ? p->nodes[node].depth : 0;
}
RF_API int64_t rf_node_total(const rf_profile *p, uint32_t node, int col) {
    if (!rf__valid_node(p, node)) return 0;
    if (col == 1) return p->w1 ? p->w1[2 * (size_t)node] : 0;
    return p->nodes[node].total;
}
RF_API int64_t rf_node_self(const rf_profile *p, uint32_t node, int col) {
    if (!rf__valid_node(p, node)) return 0;
    if (col == 1) return p->w1 ? p->w1[2 * (size_t)node + 1] : 0;
    return p->nodes[node].self;
}
RF_API uint32_t rf_node_child(const rf_profile *p, uint32_t parent, const char *name, size_t len) {
    /* lookup without interning: find the name id first */
    uint32_t h;
    size_t j, mask;
    if (!rf__valid_node(p, parent) || !p->name_tab_cap || (len && !name)) return RF_NODE_NONE;
    if (len > RF_MAX_NAME) len = RF_MAX_NAME;
    h = (uint32_t)rf__hash(name ? name : "", len);
    mask = p->name_tab_cap - 1;
    for (j = h & mask; p->name_tab[j]; j = (j + 1) & mask) {
        uint64_t e = p->name_tab[j];
        const rf__name *nm = &p->names[(e >> 32) - 1];
        if ((uint32_t)e == h && nm->len == len && memcmp(nm->s, name, len) == 0)
            return rf__child_find(p, parent, (uint32_t)((e >> 32) - 1),
                                  rf__child_hash(parent, (uint32_t)((e >> 32) - 1)));
    }
    return RF_NODE_NONE;
}

static rf_result rf__set_string(rf_profile *p, char **slot, const char *s) {
    char *copy;
    if (!p || !s) return RF_ERR_INVALID_ARGUMENT;
    copy = rf__strdup(&p->al, s);
    if (!copy) return RF_ERR_OUT_OF_MEMORY;
    if (*slot) rf__free(&p->al, *slot, strlen(*slot) + 1);
    *slot = copy;
    return RF_OK;
}
RF_API rf_result rf_profile_set_unit(rf_profile *p, const char *unit) {
    return p ? rf__set_string(p, &p->unit, unit) : RF_ERR_INVALID_ARGUMENT;
}
RF_API const char *rf_profile_unit(const rf_profile *p) {
    return p && p->unit ? p->unit : "samples";
}
RF_API rf_result rf_profile_set_sample_type(rf_profile *p, const char *name) {
    return p ? rf__set_string(p, &p->sample_type, name) : RF_ERR_INVALID_ARGUMENT;
}
RF_API const char *rf_profile_sample_type(const rf_profile *p) {
    return p && p->sample_type ? p->sample_type : "";
}

/* Iterative DFS in insertion order; frames[] holds the path from the root. */
RF_API rf_result rf_profile_foreach_stack(const rf_profile *p, rf_stack_fn fn, void *ctx) {
    rf_strview *frames = NULL;
    size_t cap = 0, depth = 0;
    uint32_t node;
    rf_result r = RF_OK;
    const rf_allocator *al;
    if (!p || !fn) return RF_ERR_INVALID_ARGUMENT;
    al = &p->al;
    if (rf__grow(al, (void **)&frames, &cap, (size_t)p->max_depth + 1, sizeof(rf_strview)))
        return RF_ERR_OUT_OF_MEMORY;
    node = RF_NODE_ROOT;
    for (;;) {
        int64_t self[2];
        self[0] = p->nodes[node].self;
        self[1] = p->w1 ? p->w1[2 * (size_t)node + 1] : 0;
        if (node != RF_NODE_ROOT) {
            frames[depth - 1] = rf_node_name(p, node);
        }
        if ((self[0] || self[1]) && fn(ctx, frames, depth, self)) { r = RF_ERR_WRITE; break; }
        /* descend, else next sibling, else climb */
        if (p->nodes[node].first_child != RF_NODE_NONE) {
            node = p->nodes[node].first_child;
            depth++;
            continue;
        }
        while (node != RF_NODE_ROOT && p->nodes[node].next_sibling == RF_NODE_NONE) {
            node = p->nodes[node].parent;
            depth--;
        }
        if (node == RF_NODE_ROOT) break;
        node = p->nodes[node].next_sibling;
    }
    rf__free(al, frames, cap * sizeof(rf_strview));
    return r;
}

typedef struct rf__merge_ctx { rf_profile *dst; int decimals; rf_result r; } rf__merge_ctx;

static int rf__merge_cb(void *vctx, const rf_strview *frames, size_t n, const int64_t *self) {
    rf__merge_ctx *m = (rf__merge_ctx *)vctx;
    m->r = rf__profile_add_views(m->dst, frames, n, self[0], self[1], m->decimals);
    return m->r != RF_OK;
}

RF_API rf_result rf_profile_merge(rf_profile *dst, const rf_profile *src) {
    rf__merge_ctx m;
    rf_result r;
    uint64_t samples;
    if (!dst || !src || dst == src) return RF_ERR_INVALID_ARGUMENT;
    if ((r = rf__set_columns(dst, src->columns)) != RF_OK) return r;
    m.dst = dst;
    m.decimals = src->decimals;
    m.r = RF_OK;
    samples = dst->samples;
    r = rf_profile_foreach_stack(src, rf__merge_cb, &m);
    if (m.r != RF_OK) return m.r;
    if (r == RF_OK) dst->samples = samples + src->samples; /* samples, not unique stacks */
    if (r == RF_OK && src->unit && !dst->unit) r = rf_profile_set_unit(dst, src->unit);
    if (r == RF_OK && src->sample_type && !dst->sample_type)
        r = rf_profile_set_sample_type(dst, src->sample_type);
    return r;
}

/* ===== [rf:parser] ======================================================= */
typedef struct rf__parser_vt {
    rf_result (*feed)(rf_parser *ps, const char *data, size_t n);
    rf_result (*finish)(rf_parser *ps);
    void (*destroy)(rf_parser *ps);
} rf__parser_vt;

struct rf_parser {
    rf_profile *dst;
    const rf_allocator *al;
    rf_parse_options opt;
    const rf__parser_vt *vt;
    void *impl;
    rf_error *err;       /* the caller's error struct during feed/finish */
    rf_error scratch;    /* used when the caller passed NULL */
    rf_parse_stats stats;
    rf_result sticky;    /* first failure; later calls return it again */
    int finished;
    /* line splitter state */
    rf__buf carry;       /* partial line across feed() chunks */
    int carry_too_long;  /* the current line exceeded RF_MAX_LINE: drop it */
    uint64_t line_no;     /* 1-based number of the line being delivered */
    uint64_t offset;      /* bytes consumed before the current feed() chunk */
    uint64_t line_offset; /* byte offset of the line being delivered */
    /* detection buffer (RF_FORMAT_AUTO) */
    rf__buf head;
    /* scratch ids reused by parsers */
    rf__ids ids;
};

static void rf__error_set(rf_parser *ps, rf_result code, const char *msg, uint64_t off,
                          uint64_t line, uint32_t col) {
    rf_error *e = ps->err ? ps->err : &ps->scratch;
    e->code = code;
    e->format = ps->stats.format;
    e->message = msg ? msg : rf_result_string(code);
    e->byte_offset = off;
    e->line = line;
    e->column = col;
}

/* Fails the parse at the current line. Returns code, for `return rf__fail(...)`. */
RF__INTERNAL rf_result rf__fail(rf_parser *ps, rf_result code, const char *msg) {
    rf__error_set(ps, code, msg, ps->line_offset, ps->line_no, 0);
    return code;
}
RF__INTERNAL rf_result rf__fail_at(rf_parser *ps, rf_result code, const char *msg, uint64_t off,
                             uint64_t line, uint32_t col) {
    rf__error_set(ps, code, msg, off, line, col);
    return code;
}
RF__INTERNAL void rf__set_detail(rf_parser *ps, const char *detail, size_t n) {
    rf_error *e = ps->err ? ps->err : &ps->scratch;
    if (n >= sizeof e->detail) n = sizeof e->detail - 1;
    if (detail && n) memcpy(e->detail, detail, n);
    e->detail[detail ? n : 0] = '\0';
}

RF__INTERNAL void rf__warn(rf_parser *ps, const char *msg, const char *detail) {
    rf_error w;
    size_t n;
    ps->stats.warnings++;
    if (!ps->opt.warn) return;
    memset(&w, 0, sizeof w);
    w.code = RF_OK;
    w.format = ps->stats.format;
    w.message = msg;
    w.byte_offset = ps->line_offset;
    w.line = ps->line_no;
    if (detail) {
        n = strlen(detail);
        if (n >= sizeof w.detail) n = sizeof w.detail - 1;
        memcpy(w.detail, detail, n);
        w.detail[n] = '\0';
    }
    ps->opt.warn(ps->opt.warn_ctx, &w);
}

/* A malformed line: skipped and counted (the first one is remembered and
   reported once), or a hard error in strict mode. */
RF__INTERNAL rf_result rf__skip(rf_parser *ps, const char *reason) {
    if (ps->opt.strict) return rf__fail(ps, RF_ERR_SYNTAX, reason);
    if (ps->stats.skipped++ == 0) {
        ps->stats.first_skipped_line = ps->line_no;
        ps->stats.first_skipped_reason = reason;
        rf__warn(ps, reason, NULL);
    }
    return RF_OK;
}

typedef rf_result (*rf__line_fn)(rf_parser *ps, const char *line, size_t len);

static rf_result rf__deliver_line(rf_parser *ps, const char *line, size_t len, uint64_t off,
                                  rf__line_fn fn) {
    ps->line_no++;
    ps->stats.lines++;
    ps->line_offset = off;
    if (len && line[len - 1] == '\r') len--;
    return fn(ps, line, len);
}

/* Splits input into lines, zero-copy except for lines straddling chunks. A line
   longer than RF_MAX_LINE is dropped without being buffered and counted as skipped. */
RF__INTERNAL rf_result rf__feed_lines(rf_parser *ps, const char *data, size_t n, rf__line_fn fn) {
    const char *p = data, *end = data + n;
    rf_result r;
    if (ps->carry.len || ps->carry_too_long) {
        const char *nl = (const char *)memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) : n;
        if (!ps->carry_too_long && ps->carry.len + take > RF_MAX_LINE) {
            ps->carry_too_long = 1;
            ps->carry.len = 0;
        }
        if (!ps->carry_too_long && (r = rf__buf_append(ps->al, &ps->carry, p, take)) != RF_OK)
            return rf__fail(ps, r, "out of memory buffering a line");
        if (!nl) { ps->offset += n; return RF_OK; }
        if (ps->carry_too_long) {
            ps->line_no++;
            ps->stats.lines++;
            ps->carry_too_long = 0;
            r = rf__skip(ps, "line longer than RF_MAX_LINE");
        } else {
            r = rf__deliver_line(ps, ps->carry.data, ps->carry.len,
                                 ps->offset - (ps->carry.len - take), fn);
        }
        ps->carry.len = 0;
        if (r != RF_OK) return r;
        p = nl + 1;
    }
    while (p < end) {
        const char *nl = (const char *)memchr(p, '\n', (size_t)(end - p));
        uint64_t off = ps->offset + (uint64_t)(p - data);
        if (!nl) {
            size_t rest = (size_t)(end - p);
            if (rest > RF_MAX_LINE) {
                ps->carry_too_long = 1;
            } else if ((r = rf__buf_append(ps->al, &ps->carry, p, rest)) != RF_OK) {
                return rf__fail(ps, r, "out of memory buffering a line");
            }
            break;
        }
        if ((size_t)(nl - p) > RF_MAX_LINE) {
            ps->line_no++;
            ps->stats.lines++;
            ps->line_offset = off;
            r = rf__skip(ps, "line longer than RF_MAX_LINE");
        } else {
            r = rf__deliver_line(ps, p, (size_t)(nl - p), off, fn);
        }
        if (r != RF_OK) return r;
        p = nl + 1;
    }
    ps->offset += n;
    return RF_OK;
}

/* Delivers a last line that had no newline. */
RF__INTERNAL rf_result rf__finish_lines(rf_parser *ps, rf__line_fn fn) {
    rf_result r = RF_OK;
    if (ps->carry_too_long) {
        ps->line_no++;
        ps->stats.lines++;
        ps->carry_too_long = 0;
        r = rf__skip(ps, "line longer than RF_MAX_LINE");
    } else if (ps->carry.len) {
        r = rf__deliver_line(ps, ps->carry.data, ps->carry.len, ps->offset - ps->carry.len, fn);
    }
    ps->carry.len = 0;
    return r;
}

/* Parses an unsigned decimal count "123" or "12.5" exactly. Returns 1 on
   success with value scaled by 10^*decimals. Fraction digits beyond
   RF_MAX_DECIMALS are rounded half up. */
RF__INTERNAL int rf__parse_count(const char *s, size_t n, int64_t *value, int *decimals) {
    size_t i = 0;
    int64_t v = 0;
    int dec = 0, seen = 0, round_up = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        int d = s[i] - '0';
        if (v > (INT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
        i++;
        seen = 1;
    }
    if (!seen) return 0;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            int d = s[i] - '0';
            if (dec < RF_MAX_DECIMALS) {
                if (v > (INT64_MAX - d) / 10) return 0;
                v = v * 10 + d;
                dec++;
            } else if (dec == RF_MAX_DECIMALS) {
                round_up = d >= 5;
                dec++; /* only the first dropped digit decides */
            }
            i++;
        }
        if (dec > RF_MAX_DECIMALS) {
            dec = RF_MAX_DECIMALS;
            if (round_up) {
                if (v == INT64_MAX) return 0;
                v++;
            }
        }
    }
    if (i != n) return 0;
    *value = v;
    *decimals = dec;
    return 1;
}

/* ===== [rf:folded] ======================================================= */
/* "frame;frame;frame COUNT" (root first), count after the last run of
   whitespace; frames may contain spaces. Two trailing counts make a
   differential profile ("stack before after"); the first data line decides
   whether the input has one or two columns. Trailing empty frames are dropped
   (as Perl's split does); a line without frames adds to the root. */
RF__INTERNAL int rf__is_ws(char c) { return c == ' ' || c == '\t'; }

/* Finds the last whitespace-separated token of s[0..n); returns its start or
   n when there is none. *name_end = end of what precedes it (whitespace trimmed). */
RF__INTERNAL size_t rf__last_token(const char *s, size_t n, size_t *name_end) {
    size_t i = n;
    while (i > 0 && !rf__is_ws(s[i - 1])) i--;
    if (i == 0) return n;
    *name_end = i;
    while (*name_end > 0 && rf__is_ws(s[*name_end - 1])) (*name_end)--;
    return i;
}

static rf_result rf__folded_line(rf_parser *ps, const char *s, size_t n) {
    size_t tok, name_end = 0, i, start;
    int64_t w0 = 0, w1 = 0;
    int d0 = 0, d1 = 0, two = 0;
    rf_profile *p = ps->dst;
    rf_result r;
    while (n > 0 && rf__is_ws(s[n - 1])) n--;
    if (n == 0) return RF_OK; /* blank line */
    tok = rf__last_token(s, n, &name_end);
    if (tok == n || !rf__parse_count(s + tok, n - tok, &w0, &d0))
        return rf__skip(ps, "expected 'frame;frame;... COUNT' (count missing or not a number)");
    /* A second count? Decided by the first data line, then held. */
    if (ps->stats.samples == 0 && ps->stats.skipped == 0 && p->samples == 0 && p->nnodes == 1) {
        size_t tok2, end2 = 0;
        int64_t v;
        int d;
        tok2 = rf__last_token(s, name_end, &end2);
        if (tok2 != name_end && rf__parse_count(s + tok2, name_end - tok2, &v, &d)) two = 1;
        if ((r = rf__set_columns(p, two ? 2 : 1)) != RF_OK)
            return rf__fail(ps, r, "cannot mix differential and plain folded input in one profile");
    } else {
        two = p->columns == 2;
    }
    if (two) {
        size_t tok2, end2 = 0;
        w1 = w0;
        d1 = d0;
        tok2 = rf__last_token(s, name_end, &end2);
        if (tok2 == name_end || !rf__parse_count(s + tok2, name_end - tok2, &w0, &d0))
            return rf__skip(ps, "expected 'frame;frame;... BEFORE AFTER' (differential input)");
        name_end = end2;
        /* bring both counts to one scale */
        while (d0 < d1) { if (!rf__mul_i64(w0, 10, &w0)) return rf__skip(ps, "count too large"); d0++; }
        while (d1 < d0) { if (!rf__mul_i64(w1, 10, &w1)) return rf__skip(ps, "count too large"); d1++; }
    }
    ps->ids.len = 0;
    start = 0;
    for (i = 0; i <= name_end; i++) {
        if (i == name_end || s[i] == ';') {
            uint32_t id;
            if (ps->ids.len >= RF_MAX_DEPTH) return rf__skip(ps, "stack deeper than RF_MAX_DEPTH");
            id = rf__intern(p, s + start, i - start);
            if (id == RF__NO_ID || rf__ids_push(ps->al, &ps->ids, id))
                return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
            start = i + 1;
        }
    }
    /* drop trailing empty frames ("a;b;" and "" alike) */
    while (ps->ids.len && p->names[ps->ids.v[ps->ids.len - 1]].len == 0) ps->ids.len--;
    r = rf__profile_add_ids(p, ps->ids.v, ps->ids.len, w0, w1, d0);
    if (r == RF_ERR_LIMIT) return rf__skip(ps, "stack deeper than RF_MAX_DEPTH");
    if (r == RF_ERR_OVERFLOW) return rf__fail(ps, r, "total weight overflows 64 bits");
    if (r != RF_OK) return rf__fail(ps, r, "out of memory");
    ps->stats.samples++;
    return RF_OK;
}

static rf_result rf__folded_feed(rf_parser *ps, const char *d, size_t n) {
    return rf__feed_lines(ps, d, n, rf__folded_line);
}
static rf_result rf__folded_finish(rf_parser *ps) { return rf__finish_lines(ps, rf__folded_line); }
RF__INTERNAL void rf__no_destroy(rf_parser *ps) { (void)ps; }

static const rf__parser_vt rf__folded_vt = {rf__folded_feed, rf__folded_finish, rf__no_destroy};

static rf_result rf__folded_init(rf_parser *ps) {
    ps->vt = &rf__folded_vt;
    return RF_OK;
}

/* ===== [rf:dev hook] ===================================================== */
/* Development only: lets a section be compiled from a separate file before it
   is merged into this header. Removed once every section is merged. */
#ifdef RF_DEV_FRAGMENT
#include RF_DEV_FRAGMENT
#endif

/* Placeholders for sections not merged yet. */
RF__INTERNAL rf_result rf__unsupported_init(rf_parser *ps) {
    return rf__fail(ps, RF_ERR_UNSUPPORTED, "this input format is not supported yet");
}
#ifndef RF_DEV_HAVE_TEXT
#define rf__perf_init rf__unsupported_init
#define rf__bpftrace_init rf__unsupported_init
#define rf__dtrace_init rf__unsupported_init
#define rf__austin_init rf__unsupported_init
RF__INTERNAL rf_format rf__detect(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    if (n >= 2 && s[0] == 0x1f && s[1] == 0x8b) return RF_FORMAT_PPROF;
    if (i < n && s[i] == '<') return RF_FORMAT_SVG;
    if (i < n && s[i] == '{') return RF_FORMAT_V8_CPUPROFILE;
    return n ? RF_FORMAT_FOLDED : RF_FORMAT_AUTO;
}
#endif
#ifndef RF_DEV_HAVE_JSON
#define rf__v8_cpuprofile_init rf__unsupported_init
#define rf__v8_heapprofile_init rf__unsupported_init
#define rf__speedscope_init rf__unsupported_init
#define rf__jsc_init rf__unsupported_init
#endif
#ifndef RF_DEV_HAVE_PPROF
#define rf__pprof_init rf__unsupported_init
#endif
#ifndef RF_DEV_HAVE_SVG
#define rf__svg_init rf__unsupported_init
#endif

/* ===== [rf:detect] ======================================================= */
RF_API rf_format rf_detect_format(const void *head, size_t n) {
    if (!head) return RF_FORMAT_AUTO;
    return rf__detect((const unsigned char *)head, n);
}

/* ===== [rf:parser] public entry points ==================================== */
typedef rf_result (*rf__init_fn)(rf_parser *ps);

static rf__init_fn rf__init_for(rf_format f) {
    switch (f) {
    case RF_FORMAT_FOLDED: return rf__folded_init;
    case RF_FORMAT_PERF_SCRIPT: return rf__perf_init;
    case RF_FORMAT_V8_CPUPROFILE: return rf__v8_cpuprofile_init;
    case RF_FORMAT_V8_HEAPPROFILE: return rf__v8_heapprofile_init;
    case RF_FORMAT_PPROF: return rf__pprof_init;
    case RF_FORMAT_BPFTRACE: return rf__bpftrace_init;
    case RF_FORMAT_SPEEDSCOPE: return rf__speedscope_init;
    case RF_FORMAT_DTRACE: return rf__dtrace_init;
    case RF_FORMAT_AUSTIN: return rf__austin_init;
    case RF_FORMAT_JSC_SAMPLES: return rf__jsc_init;
    case RF_FORMAT_SVG: return rf__svg_init;
    default: return NULL;
    }
}

#define RF__DETECT_BYTES 4096

static rf_result rf__start_format(rf_parser *ps, rf_format f) {
    rf__init_fn init = rf__init_for(f);
    ps->stats.format = f;
    if (!init) return rf__fail(ps, RF_ERR_INVALID_ARGUMENT, "invalid rf_format value");
    return init(ps);
}

/* Auto-detection: hold the first bytes, pick a format, replay them. */
static rf_result rf__detect_and_start(rf_parser *ps) {
    rf_format f = rf_detect_format(ps->head.data, ps->head.len);
    rf_result r;
    if (f == RF_FORMAT_AUTO) {
        ps->line_no = 0;
        r = rf__fail(ps, RF_ERR_UNKNOWN_FORMAT,
                     "unrecognised input; supported: folded, perf, cpuprofile, heapprofile, "
                     "pprof, bpftrace, speedscope, dtrace, austin, jsc, svg (force one with the "
                     "format option / --format)");
        return r;
    }
    if ((r = rf__start_format(ps, f)) != RF_OK) return r;
    return RF_OK;
}

RF_API rf_parser *rf_parser_new(rf_profile *dst, const rf_parse_options *opt) {
    rf_parser *ps;
    if (!dst) return NULL;
    ps = (rf_parser *)rf__malloc(&dst->al, sizeof *ps);
    if (!ps) return NULL;
    memset(ps, 0, sizeof *ps);
    ps->dst = dst;
    ps->al = &dst->al;
    if (opt) ps->opt = *opt;
    ps->stats.format = ps->opt.format;
    return ps;
}

static rf_result rf__parser_begin(rf_parser *ps, rf_error *err) {
    ps->err = err ? err : &ps->scratch;
    if (err) memset(err, 0, sizeof *err);
    if (ps->sticky != RF_OK) {
        rf__error_set(ps, ps->sticky, "parser already failed; create a new one", ps->offset,
                      ps->line_no, 0);
        return ps->sticky;
    }
    if (ps->finished) return rf__fail(ps, RF_ERR_INVALID_ARGUMENT, "parser already finished");
    return RF_OK;
}

static rf_result rf__parser_end(rf_parser *ps, rf_result r) {
    if (r != RF_OK) ps->sticky = r;
    ps->err = NULL;
    return r;
}

RF_API rf_result rf_parser_feed(rf_parser *ps, const void *data, size_t n, rf_error *err) {
    rf_result r;
    if (!ps) return RF_ERR_INVALID_ARGUMENT;
    if ((r = rf__parser_begin(ps, err)) != RF_OK) return r;
    if (n && !data) return rf__parser_end(ps, rf__fail(ps, RF_ERR_INVALID_ARGUMENT, "NULL data"));
    ps->stats.bytes += n;
    if (!ps->vt && ps->opt.format != RF_FORMAT_AUTO) {
        if ((r = rf__start_format(ps, ps->opt.format)) != RF_OK) return rf__parser_end(ps, r);
    }
    if (!ps->vt) {
        size_t take = RF__DETECT_BYTES - ps->head.len;
        if (take > n) take = n;
        if ((r = rf__buf_append(ps->al, &ps->head, data, take)) != RF_OK)
            return rf__parser_end(ps, rf__fail(ps, r, "out of memory"));
        if (ps->head.len < RF__DETECT_BYTES) return rf__parser_end(ps, RF_OK);
        if ((r = rf__detect_and_start(ps)) != RF_OK) return rf__parser_end(ps, r);
        r = ps->vt->feed(ps, ps->head.data, ps->head.len);
        if (r == RF_OK && n > take) r = ps->vt->feed(ps, (const char *)data + take, n - take);
        rf__buf_free(ps->al, &ps->head);
        return rf__parser_end(ps, r);
    }
    return rf__parser_end(ps, ps->vt->feed(ps, (const char *)data, n));
}

RF_API rf_result rf_parser_finish(rf_parser *ps, rf_error *err) {
    rf_result r;
    if (!ps) return RF_ERR_INVALID_ARGUMENT;
    if ((r = rf__parser_begin(ps, err)) != RF_OK) return r;
    if (!ps->vt && ps->opt.format != RF_FORMAT_AUTO) {
        if ((r = rf__start_format(ps, ps->opt.format)) != RF_OK) return rf__parser_end(ps, r);
    }
    if (!ps->vt) {
        if (ps->head.len == 0) {
            ps->finished = 1;
            return rf__parser_end(ps, RF_OK); /* empty input: an empty profile */
        }
        if ((r = rf__detect_and_start(ps)) != RF_OK) return rf__parser_end(ps, r);
        r = ps->vt->feed(ps, ps->head.data, ps->head.len);
        rf__buf_free(ps->al, &ps->head);
        if (r != RF_OK) return rf__parser_end(ps, r);
    }
    r = ps->vt->finish(ps);
    ps->finished = 1;
    return rf__parser_end(ps, r);
}

RF_API const rf_parse_stats *rf_parser_stats(const rf_parser *ps) { return ps ? &ps->stats : NULL; }

RF_API void rf_parser_free(rf_parser *ps) {
    const rf_allocator *al;
    if (!ps) return;
    al = ps->al;
    if (ps->vt && ps->vt->destroy) ps->vt->destroy(ps);
    rf__buf_free(al, &ps->carry);
    rf__buf_free(al, &ps->head);
    rf__ids_free(al, &ps->ids);
    rf__free(al, ps, sizeof *ps);
}

RF_API rf_result rf_parse(rf_profile *dst, const void *data, size_t n, const rf_parse_options *opt,
                          rf_error *err) {
    rf_parser *ps;
    rf_result r;
    if (!dst) return RF_ERR_INVALID_ARGUMENT;
    ps = rf_parser_new(dst, opt);
    if (!ps) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = RF_ERR_OUT_OF_MEMORY;
            err->message = "out of memory creating the parser";
        }
        return RF_ERR_OUT_OF_MEMORY;
    }
    r = rf_parser_feed(ps, data, n, err);
    if (r == RF_OK) r = rf_parser_finish(ps, err);
    rf_parser_free(ps);
    return r;
}

/* ===== [rf:write-folded] ================================================= */
RF_API size_t rf_format_weight(int64_t w, int decimals, char *buf) {
    char tmp[32];
    size_t n = 0, len = 0;
    uint64_t v;
    int neg = w < 0, i;
    v = neg ? (uint64_t)0 - (uint64_t)w : (uint64_t)w;
    if (decimals < 0) decimals = 0;
    if (decimals > 18) decimals = 18;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n <= (size_t)decimals);
    if (neg) buf[len++] = '-';
    for (i = (int)n - 1; i >= decimals; i--) buf[len++] = tmp[i];
    if (decimals) {
        int last = 0;
        while (last < decimals && tmp[last] == '0') last++; /* trailing zeros */
        if (last < decimals) {
            buf[len++] = '.';
            for (i = decimals - 1; i >= last; i--) buf[len++] = tmp[i];
        }
    }
    buf[len] = '\0';
    return len;
}

typedef struct rf__line_ref { size_t off; uint32_t key_len, line_len; } rf__line_ref;

typedef struct rf__folded_ctx {
    const rf_allocator *al;
    rf__buf text;
    rf__line_ref *refs;
    size_t nrefs, cap;
    int decimals, columns;
    rf_result r;
} rf__folded_ctx;

static int rf__folded_collect(void *vctx, const rf_strview *frames, size_t n, const int64_t *self) {
    rf__folded_ctx *c = (rf__folded_ctx *)vctx;
    size_t i, start = c->text.len;
    char num[32];
    if (c->nrefs == c->cap &&
        rf__grow(c->al, (void **)&c->refs, &c->cap, c->nrefs + 1, sizeof(rf__line_ref)))
        goto oom;
    for (i = 0; i < n; i++) {
        if (i && rf__buf_append(c->al, &c->text, ";", 1)) goto oom;
        if (rf__buf_append(c->al, &c->text, frames[i].ptr, frames[i].len)) goto oom;
    }
    c->refs[c->nrefs].off = start;
    c->refs[c->nrefs].key_len = (uint32_t)(c->text.len - start);
    for (i = 0; i < (size_t)c->columns; i++) {
        size_t k = rf_format_weight(self[i], c->decimals, num);
        if (rf__buf_append(c->al, &c->text, " ", 1) || rf__buf_append(c->al, &c->text, num, k))
            goto oom;
    }
    if (rf__buf_append(c->al, &c->text, "\n", 1)) goto oom;
    c->refs[c->nrefs].line_len = (uint32_t)(c->text.len - start);
    c->nrefs++;
    return 0;
oom:
    c->r = RF_ERR_OUT_OF_MEMORY;
    return 1;
}

/* Bytewise key order with shorter-prefix-first, as Perl's `sort keys` (cmp). */
static int rf__key_less(const char *base, const rf__line_ref *a, const rf__line_ref *b) {
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(base + a->off, base + b->off, n);
    return c < 0 || (c == 0 && a->key_len < b->key_len);
}

/* Merge sort on refs (no qsort: its comparator cannot carry context in C99). */
static void rf__sort_refs(const char *base, rf__line_ref *v, rf__line_ref *tmp, size_t n) {
    size_t width, i;
    for (i = 0; i + 1 < n; i += 2)
        if (rf__key_less(base, &v[i + 1], &v[i])) { rf__line_ref t = v[i]; v[i] = v[i + 1]; v[i + 1] = t; }
    for (width = 2; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
            size_t a = lo, b = mid, k = lo;
            if (mid >= hi || !rf__key_less(base, &v[mid], &v[mid - 1])) continue;
            while (a < mid && b < hi) tmp[k++] = rf__key_less(base, &v[b], &v[a]) ? v[b++] : v[a++];
            while (a < mid) tmp[k++] = v[a++];
            while (b < hi) tmp[k++] = v[b++];
            memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);
        }
    }
}

RF_API rf_result rf_write_folded(const rf_profile *p, rf_write_fn fn, void *ctx) {
    rf__folded_ctx c;
    rf__line_ref *tmp = NULL;
    rf_result r;
    size_t i;
    if (!p || !fn) return RF_ERR_INVALID_ARGUMENT;
    memset(&c, 0, sizeof c);
    c.al = &p->al;
    c.decimals = p->decimals;
    c.columns = p->columns;
    r = rf_profile_foreach_stack(p, rf__folded_collect, &c);
    if (c.r != RF_OK) r = c.r;
    if (r == RF_OK && c.nrefs > 1) {
        tmp = (rf__line_ref *)rf__malloc(c.al, c.nrefs * sizeof *tmp);
        if (!tmp) r = RF_ERR_OUT_OF_MEMORY;
        else rf__sort_refs(c.text.data, c.refs, tmp, c.nrefs);
    }
    for (i = 0; r == RF_OK && i < c.nrefs; i++)
        if (fn(ctx, c.text.data + c.refs[i].off, c.refs[i].line_len)) r = RF_ERR_WRITE;
    rf__free(c.al, tmp, c.nrefs * sizeof *tmp);
    rf__free(c.al, c.refs, c.cap * sizeof *c.refs);
    rf__buf_free(c.al, &c.text);
    return r;
}

/* ===== [rf:stdio] ======================================================== */
#ifndef RF_NO_STDIO
RF_API int rf_write_to_file(void *file, const void *data, size_t n) {
    return fwrite(data, 1, n, (FILE *)file) != n;
}
#endif

#ifdef __cplusplus
}
#endif
#endif /* RESQ_FLAME_IMPLEMENTATION_ONCE */
#endif /* RESQ_FLAME_IMPLEMENTATION */

/*
------------------------------------------------------------------------------
LICENCE: Apache License 2.0. Copyright 2026 ResQ. You may not use this file
except in compliance with the License. A copy is at
http://www.apache.org/licenses/LICENSE-2.0. Distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
------------------------------------------------------------------------------
*/
