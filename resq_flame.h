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
       RF_MAX_INFLATE       most bytes a gzip input may inflate to     default 1 GiB

   SECTIONS (grep for the tag; the same tag marks the API and its implementation)
       [rf:config]  [rf:types]  [rf:errors]  [rf:memory]  [rf:profile]  [rf:parser]
       [rf:folded]  [rf:inflate]  [rf:protobuf]  [rf:pprof]  [rf:detect]  [rf:transform]  [rf:write-folded]  [rf:stdio]

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
#ifndef RF_MAX_INFLATE
#define RF_MAX_INFLATE ((uint64_t)1 << 30) /* decompressed bytes; guards against gzip bombs */
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
/* ===== [rf:pprof] ======================================================== */

/* How a pprof frame is named. */
typedef enum rf_pprof_frames {
    RF_PPROF_FRAMES_FUNCTION = 0,  /* "main.add" (function name, as `go tool pprof -traces`) */
    RF_PPROF_FRAMES_FILE_LINE      /* "main.add (/src/main.go:23)" */
} rf_pprof_frames;

/* How a location without line information (unsymbolized) is named. */
typedef enum rf_pprof_unsymbolized {
    RF_PPROF_UNSYMBOLIZED_OFFSET = 0, /* "libc.so.6+0x1a2b3" (address - memory_start + file_offset
                                         of its mapping), "0x7f12..." when it has no mapping */
    RF_PPROF_UNSYMBOLIZED_MODULE      /* "[libc.so.6]", "[unknown]" when it has no mapping */
} rf_pprof_unsymbolized;

typedef struct rf_pprof_options {
    /* Which Sample.value column weighs the stacks, as `go tool pprof -sample_index`:
       NULL or "" = the profile's default_sample_type, else the LAST column; a type name
       ("alloc_space", "delay"; "inuse_X" also matches a type "X", and "X" also matches
       "inuse_X", so "space" picks inuse_space); or a 0-based column number ("1").
       The profile's unit becomes that column's unit ("count" -> "samples"). */
    const char *sample_index;
    rf_pprof_frames frames;             /* default RF_PPROF_FRAMES_FUNCTION */
    rf_pprof_unsymbolized unsymbolized; /* default RF_PPROF_UNSYMBOLIZED_OFFSET */
    /* Label key whose value becomes a root frame "KEY=VALUE" (numeric labels: "KEY=123";
       several values: "KEY=a,b"); samples without it get "KEY=?". NULL or "" = none. */
    const char *group_by_label;
    uint64_t max_inflate;               /* most decompressed bytes; 0 = RF_MAX_INFLATE */
} rf_pprof_options;

typedef struct rf_parse_options {
    rf_format format;        /* RF_FORMAT_AUTO (0) = detect from the first bytes */
    int strict;              /* 0: malformed lines are skipped and counted; 1: error */
    /* Optional warning sink (skipped lines, filtered events...). Called at most
       a few times per parse; w->message is static, w->detail has context. */
    void (*warn)(void *ctx, const rf_error *w);
    void *warn_ctx;
    rf_pprof_options pprof;  /* pprof input: value column, frame names, label roots, inflate limit */
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

#ifdef RF_DEV_API_FILE /* development only, see [rf:dev hook] */
#include RF_DEV_API_FILE
#endif

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

/* A child-table slot holds the whole key, so a lookup touches one cache line
   and never the node array. */
typedef struct rf__slot { uint32_t parent, name, node, hash; } rf__slot;

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
    rf__slot *child_tab; /* (parent, name) -> node; node 0 = empty (the root is nobody's child) */
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
    rf__free(&al, p->child_tab, p->child_tab_cap * sizeof(rf__slot));
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
        const rf__slot *e = &p->child_tab[j];
        if (!e->node) return RF_NODE_NONE;
        if (e->parent == parent && e->name == name_id) return e->node;
    }
}

static rf_result rf__child_tab_grow(rf_profile *p) {
    size_t ncap = p->child_tab_cap ? p->child_tab_cap * 2 : 1024, i, bytes;
    rf__slot *nt;
    if (!rf__mul_size(ncap, sizeof(rf__slot), &bytes)) return RF_ERR_OUT_OF_MEMORY;
    nt = (rf__slot *)rf__malloc(&p->al, bytes);
    if (!nt) return RF_ERR_OUT_OF_MEMORY;
    memset(nt, 0, bytes);
    for (i = 0; i < p->child_tab_cap; i++) {
        size_t j;
        if (!p->child_tab[i].node) continue;
        for (j = p->child_tab[i].hash & (ncap - 1); nt[j].node; j = (j + 1) & (ncap - 1)) {}
        nt[j] = p->child_tab[i];
    }
    rf__free(&p->al, p->child_tab, p->child_tab_cap * sizeof(rf__slot));
    p->child_tab = nt;
    p->child_tab_cap = ncap;
    return RF_OK;
}

RF__INTERNAL uint32_t rf__child(rf_profile *p, uint32_t parent, uint32_t name_id, int create) {
    uint32_t h = rf__child_hash(parent, name_id), idx;
    size_t j, mask;
    rf__node *nd;
    rf__slot *slot;
    idx = rf__child_find(p, parent, name_id, h);
    if (idx != RF_NODE_NONE || !create) return idx;
    if (p->nnodes >= 0xFFFFFFF0u) return RF_NODE_NONE;
    if ((p->nnodes + 1) * 2 > p->child_tab_cap && rf__child_tab_grow(p)) return RF_NODE_NONE;
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
    for (j = h & mask; p->child_tab[j].node; j = (j + 1) & mask) {}
    idx = (uint32_t)p->nnodes++;
    slot = &p->child_tab[j];
    slot->parent = parent;
    slot->name = name_id;
    slot->node = idx;
    slot->hash = h;
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

/* The one place weights enter the tree: w goes to the leaf's self weight and
   to the total of the leaf and every ancestor (found through parent links). */
static rf_result rf__profile_add_leaf(rf_profile *p, uint32_t leaf, int64_t w0, int64_t w1, int decimals) {
    uint32_t node;
    rf_result r;
    if (w0 < 0 || w1 < 0) return RF_ERR_INVALID_ARGUMENT;
    if (p->columns == 1) w1 = 0;
    if (w0 == 0 && w1 == 0) return RF_OK;
    if (decimals != p->decimals && (r = rf__scale_weight(p, &w0, &w1, decimals)) != RF_OK) return r;
    /* Overflow is checked once at the root: every total is <= the root's. */
    if (p->nodes[0].total > INT64_MAX - w0) return RF_ERR_OVERFLOW;
    if (p->w1 && p->w1[0] > INT64_MAX - w1) return RF_ERR_OVERFLOW;
    p->nodes[leaf].self += w0;
    if (p->w1) {
        p->w1[2 * (size_t)leaf + 1] += w1;
        for (node = leaf; node != RF_NODE_NONE; node = p->nodes[node].parent) {
            p->nodes[node].total += w0;
            p->w1[2 * (size_t)node] += w1;
        }
    } else {
        for (node = leaf; node != RF_NODE_NONE; node = p->nodes[node].parent) p->nodes[node].total += w0;
    }
    p->samples++;
    return RF_OK;
}

/* Adds a stack of interned names (root first). Nodes are created first and
   weighted after, so a failure leaves at most some zero-weight nodes. */
static rf_result rf__profile_add_ids(rf_profile *p, const uint32_t *ids, size_t n,
                                     int64_t w0, int64_t w1, int decimals) {
    uint32_t node = RF_NODE_ROOT;
    size_t i;
    if (w0 < 0 || w1 < 0) return RF_ERR_INVALID_ARGUMENT;
    if (w0 == 0 && (w1 == 0 || p->columns == 1)) return RF_OK;
    if (n > RF_MAX_DEPTH) return RF_ERR_LIMIT;
    for (i = 0; i < n; i++) {
        node = rf__child(p, node, ids[i], 1);
        if (node == RF_NODE_NONE) return RF_ERR_OUT_OF_MEMORY;
    }
    return rf__profile_add_leaf(p, node, w0, w1, decimals);
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

/* Consecutive folded lines (sorted, as collapsers write them) share long
   prefixes: the previous line's frames and their nodes are kept, and frames
   equal to them are reused without hashing. */
typedef struct rf__folded {
    rf__buf prev;       /* previous line's stack text */
    size_t *prev_end;   /* end offset of each of its frames */
    uint32_t *prev_node;
    size_t prev_depth, end_cap, node_cap;
} rf__folded;

static rf_result rf__folded_add(rf_parser *ps, const char *s, size_t n, int64_t w0, int64_t w1, int decimals) {
    rf__folded *st = (rf__folded *)ps->impl;
    rf_profile *p = ps->dst;
    uint32_t node = RF_NODE_ROOT;
    size_t depth = 0, start = 0;
    int reuse = 1;
    rf_result r;
    while (n > 0 && s[n - 1] == ';') n--; /* trailing empty frames, as Perl's split drops them */
    while (n > 0 && start <= n) {
        const char *semi = (const char *)memchr(s + start, ';', n - start);
        size_t end = semi ? (size_t)(semi - s) : n;
        if (depth >= RF_MAX_DEPTH) { st->prev_depth = 0; return rf__skip(ps, "stack deeper than RF_MAX_DEPTH"); }
        if (rf__grow(ps->al, (void **)&st->prev_end, &st->end_cap, depth + 1, sizeof(size_t)) ||
            rf__grow(ps->al, (void **)&st->prev_node, &st->node_cap, depth + 1, sizeof(uint32_t)))
            goto oom;
        if (reuse && depth < st->prev_depth && st->prev_end[depth] == end &&
            memcmp(s + start, st->prev.data + start, end - start) == 0) {
            node = st->prev_node[depth];
        } else {
            uint32_t id = rf__intern(p, s + start, end - start);
            reuse = 0;
            if (id == RF__NO_ID) goto oom;
            node = rf__child(p, node, id, 1);
            if (node == RF_NODE_NONE) goto oom;
        }
        st->prev_end[depth] = end;
        st->prev_node[depth] = node;
        depth++;
        if (!semi) break;
        start = end + 1;
    }
    st->prev_depth = depth;
    st->prev.len = 0;
    if (rf__buf_append(ps->al, &st->prev, s, n)) goto oom;
    r = rf__profile_add_leaf(p, node, w0, w1, decimals);
    if (r == RF_ERR_OVERFLOW) return rf__fail(ps, r, "total weight overflows 64 bits");
    if (r != RF_OK) return rf__fail(ps, r, "out of memory");
    ps->stats.samples++;
    return RF_OK;
oom:
    st->prev_depth = 0;
    return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
}

static rf_result rf__folded_line(rf_parser *ps, const char *s, size_t n) {
    size_t tok, name_end = 0;
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
    return rf__folded_add(ps, s, name_end, w0, w1, d0);
}

static rf_result rf__folded_feed(rf_parser *ps, const char *d, size_t n) {
    return rf__feed_lines(ps, d, n, rf__folded_line);
}
static rf_result rf__folded_finish(rf_parser *ps) { return rf__finish_lines(ps, rf__folded_line); }
static void rf__folded_destroy(rf_parser *ps) {
    rf__folded *st = (rf__folded *)ps->impl;
    if (!st) return;
    rf__buf_free(ps->al, &st->prev);
    rf__free(ps->al, st->prev_end, st->end_cap * sizeof(size_t));
    rf__free(ps->al, st->prev_node, st->node_cap * sizeof(uint32_t));
    rf__free(ps->al, st, sizeof *st);
    ps->impl = NULL;
}

static const rf__parser_vt rf__folded_vt = {rf__folded_feed, rf__folded_finish, rf__folded_destroy};

static rf_result rf__folded_init(rf_parser *ps) {
    rf__folded *st = (rf__folded *)rf__malloc(ps->al, sizeof *st);
    if (!st) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(st, 0, sizeof *st);
    ps->impl = st;
    ps->vt = &rf__folded_vt;
    return RF_OK;
}

/* ===== [rf:inflate] ====================================================== */
/* gzip (RFC 1952) / DEFLATE (RFC 1951) decoder, push-style: feed compressed
   chunks of any size, output is appended to a caller-owned rf__buf. The whole output stays
   in that buffer (the pprof reader needs all of it), so the buffer itself is the window;
   back-references may reach any byte of the current member.

   Resumability without an input carry buffer: every state step first makes sure it has all
   the bits it needs and only then consumes them. A literal/length+distance symbol needs at
   most 48 bits and the 64-bit bit buffer is topped up to at least 57 bits while input lasts,
   so when a step cannot complete, every remaining input byte already sits in the bit buffer.
   Huffman decoding is table driven: an 11-bit (literal/length) or 8-bit (distance) first
   level indexed by the next input bits, with second-level tables for longer codes. */


#define RF__INF_LIT_BITS 11
#define RF__INF_DIST_BITS 8
#define RF__INF_CL_BITS 7
/* First level plus the largest possible second levels: in a complete code a second-level
   table of 2^k entries holds at least k+1 codes, so 288 literal/length codes need at most
   (288/5)*16 < 1024 extra entries (k <= 4) and 32 distance codes at most (32/8)*128 = 512. */
#define RF__INF_LIT_SIZE ((1 << RF__INF_LIT_BITS) + 1024)
#define RF__INF_DIST_SIZE ((1 << RF__INF_DIST_BITS) + 512)
/* The fast loop may write up to 8 bytes past a match (word copies). */
#define RF__INF_SLACK 16

enum {
    RF__IS_HEADER, RF__IS_BLOCK, RF__IS_STORED_LEN, RF__IS_STORED, RF__IS_DYN_COUNTS,
    RF__IS_DYN_CLENS, RF__IS_DYN_LENS, RF__IS_HUFF, RF__IS_TRAILER, RF__IS_END, RF__IS_ERROR
};
/* step results */
enum { RF__INF_NEXT = 0, RF__INF_MORE = 1, RF__INF_FAILED = 2 };

/* Table entry: bits 0-4 code length, 5-7 kind, 8-11 extra bits (or second-level bits),
   16-31 value (literal, length/distance base, or second-level start). */
enum { RF__IE_LIT = 0, RF__IE_LEN = 1, RF__IE_EOB = 2, RF__IE_SUB = 3, RF__IE_BAD = 4 };
#define RF__IE(kind, len, extra, val)                                                      \
    ((uint32_t)(val) << 16 | (uint32_t)(extra) << 8 | (uint32_t)(kind) << 5 | (uint32_t)(len))
#define RF__IE_LENGTH(e) ((unsigned)(e) & 31u)
#define RF__IE_KIND(e) (((unsigned)(e) >> 5) & 7u)
#define RF__IE_EXTRA(e) (((unsigned)(e) >> 8) & 15u)
#define RF__IE_VALUE(e) ((unsigned)((e) >> 16))
#define RF__INF_MASK(n) ((((uint64_t)1) << (n)) - 1u)

typedef struct rf__inflate {
    const rf_allocator *al;
    uint64_t limit;        /* most output bytes (all members together) */
    int state, final;
    uint64_t bitbuf;       /* LSB-first; bits above bitcnt are zero outside the fast loop */
    unsigned bitcnt;
    const uint8_t *in, *in_end, *in_start;
    uint64_t in_used;      /* input bytes of earlier feed() calls */
    /* gzip header and trailer */
    unsigned hstep, hpos, xlen, flags;
    uint8_t hdr[10];
    uint32_t hcrc;
    uint32_t members;      /* gzip members completed */
    /* blocks */
    uint32_t stored_left;
    unsigned hlit, hdist, hclen, nlens;
    uint8_t cllens[19];
    uint8_t lens[320];
    /* checks over the output of the current member */
    size_t member_start, sum_done;
    uint32_t crc;
    /* error */
    rf_result err_code;
    const char *msg;
    uint64_t err_offset;
    uint32_t crc_tab[8][256];
    uint32_t lit[RF__INF_LIT_SIZE];
    uint32_t dist[RF__INF_DIST_SIZE];
    uint32_t cl[1 << RF__INF_CL_BITS];
} rf__inflate;

static const uint16_t rf__inf_len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t rf__inf_len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3,
    3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t rf__inf_dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97,
    129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t rf__inf_dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7,
    7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
static const uint8_t rf__inf_cl_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13,
    2, 14, 1, 15};

/* CRC-32 (reflected 0xEDB88320), slicing by 8; the tables live in the decoder state. */
static void rf__crc32_init(uint32_t t[8][256]) {
    uint32_t n, k, c;
    for (n = 0; n < 256; n++) {
        c = n;
        for (k = 0; k < 8; k++) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[0][n] = c;
    }
    for (n = 0; n < 256; n++)
        for (k = 1; k < 8; k++) t[k][n] = (t[k - 1][n] >> 8) ^ t[0][t[k - 1][n] & 0xffu];
}

static uint32_t rf__crc32(const uint32_t t[8][256], uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n >= 8) {
        uint32_t a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                            (uint32_t)p[3] << 24);
        uint32_t b = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
                     (uint32_t)p[7] << 24;
        crc = t[7][a & 0xffu] ^ t[6][(a >> 8) & 0xffu] ^ t[5][(a >> 16) & 0xffu] ^ t[4][a >> 24] ^
              t[3][b & 0xffu] ^ t[2][(b >> 8) & 0xffu] ^ t[1][(b >> 16) & 0xffu] ^ t[0][b >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) crc = t[0][(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

enum { RF__INF_T_LIT, RF__INF_T_DIST, RF__INF_T_CL };

static uint32_t rf__inf_entry(int type, unsigned sym, unsigned len) {
    if (type == RF__INF_T_CL) return RF__IE(RF__IE_LIT, len, 0, sym);
    if (type == RF__INF_T_DIST)
        return sym < 30 ? RF__IE(RF__IE_LEN, len, rf__inf_dist_extra[sym], rf__inf_dist_base[sym])
                        : RF__IE(RF__IE_BAD, len, 0, 0);
    if (sym < 256) return RF__IE(RF__IE_LIT, len, 0, sym);
    if (sym == 256) return RF__IE(RF__IE_EOB, len, 0, 0);
    if (sym < 286)
        return RF__IE(RF__IE_LEN, len, rf__inf_len_extra[sym - 257], rf__inf_len_base[sym - 257]);
    return RF__IE(RF__IE_BAD, len, 0, 0); /* 286, 287: only in the fixed code, never valid */
}

/* Builds a decoding table from code lengths. Returns NULL or a static error message.
   Codes must be complete, except that a single code of length 1 (or no code at all) is
   accepted for literal/length and distance codes, as zlib does. */
static const char *rf__inf_build(uint32_t *table, size_t cap, unsigned root, const uint8_t *lens,
                                 unsigned nsym, int type) {
    unsigned count[16], remaining[16], offs[16], sorted[320];
    unsigned len, sym, i, total = 0, max = 0, prev_len = 0, cur_prefix = ~0u, cur_bits = 0;
    size_t next = (size_t)1 << root, cur_start = 0, j;
    uint32_t code = 0;
    int left = 1;
    memset(count, 0, sizeof count);
    for (sym = 0; sym < nsym; sym++) count[lens[sym]]++;
    for (len = 1; len <= 15; len++) {
        left = left * 2 - (int)count[len];
        if (left < 0) return "over-subscribed Huffman code";
        if (count[len]) max = len;
        total += count[len];
    }
    if (left > 0 && max > 0 && (type == RF__INF_T_CL || max != 1)) return "incomplete Huffman code";
    for (j = 0; j < ((size_t)1 << root); j++) table[j] = RF__IE(RF__IE_BAD, 1, 0, 0);
    offs[1] = 0;
    for (len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
    for (sym = 0; sym < nsym; sym++)
        if (lens[sym]) sorted[offs[lens[sym]]++] = sym;
    memcpy(remaining, count, sizeof count);
    for (i = 0; i < total; i++) {
        unsigned s = sorted[i], l = lens[s], rev = 0, k;
        uint32_t e = rf__inf_entry(type, s, l);
        code = i == 0 ? 0 : (code + 1) << (l - prev_len);
        prev_len = l;
        for (k = 0; k < l; k++) rev |= ((code >> k) & 1u) << (l - 1 - k);
        if (l <= root) {
            for (j = rev; j < ((size_t)1 << root); j += (size_t)1 << l) table[j] = e;
        } else {
            unsigned prefix = rev & ((1u << root) - 1u);
            if (prefix != cur_prefix) {
                /* size the second level: grow until the codes from here on fill it */
                unsigned bits = l - root;
                int room = 1 << bits;
                while (bits + root < max) {
                    room -= (int)remaining[bits + root];
                    if (room <= 0) break;
                    bits++;
                    room <<= 1;
                }
                if (next + ((size_t)1 << bits) > cap) return "Huffman table too large";
                table[prefix] = RF__IE(RF__IE_SUB, root, bits, next);
                cur_prefix = prefix;
                cur_start = next;
                cur_bits = bits;
                next += (size_t)1 << bits;
            }
            for (j = rev >> root; j < ((size_t)1 << cur_bits); j += (size_t)1 << (l - root))
                table[cur_start + j] = e;
        }
        remaining[l]--;
    }
    return NULL;
}

/* Looks up the next code; the entry's length says how many bits it really used. */
static uint32_t rf__inf_lookup(const uint32_t *table, unsigned root, uint64_t bits) {
    uint32_t e = table[bits & RF__INF_MASK(root)];
    if (RF__IE_KIND(e) == RF__IE_SUB)
        e = table[RF__IE_VALUE(e) + ((bits >> root) & RF__INF_MASK(RF__IE_EXTRA(e)))];
    return e;
}

static void rf__inflate_init(rf__inflate *z, const rf_allocator *al, uint64_t limit) {
    memset(z, 0, offsetof(rf__inflate, crc_tab));
    z->al = al;
    z->limit = limit ? limit : RF_MAX_INFLATE;
    z->state = RF__IS_HEADER;
    rf__crc32_init(z->crc_tab);
}

static int rf__inf_fail(rf__inflate *z, rf_result code, const char *msg) {
    z->err_code = code;
    z->msg = msg;
    /* the byte holding the next unread bit */
    z->err_offset = z->in_used + (uint64_t)(z->in - z->in_start) - (z->bitcnt + 7) / 8;
    z->state = RF__IS_ERROR;
    return RF__INF_FAILED;
}

/* Tops the bit buffer up byte by byte (slow path). */
static void rf__inf_pull(rf__inflate *z) {
    while (z->bitcnt <= 56 && z->in < z->in_end) {
        z->bitbuf |= (uint64_t)*z->in++ << z->bitcnt;
        z->bitcnt += 8;
    }
}
static int rf__inf_need(rf__inflate *z, unsigned n) {
    if (z->bitcnt < n) rf__inf_pull(z);
    return z->bitcnt >= n;
}
static unsigned rf__inf_bits(rf__inflate *z, unsigned n) {
    unsigned v = (unsigned)(z->bitbuf & RF__INF_MASK(n));
    z->bitbuf >>= n;
    z->bitcnt -= n;
    return v;
}
static int rf__inf_byte(rf__inflate *z, unsigned *b) {
    if (z->bitcnt >= 8) {
        *b = rf__inf_bits(z, 8);
        return 1;
    }
    if (z->in < z->in_end) {
        *b = *z->in++;
        return 1;
    }
    return 0;
}
static void rf__inf_align(rf__inflate *z) { rf__inf_bits(z, z->bitcnt & 7u); }

/* Room for n more output bytes (plus slack for word copies), within the limit. */
static int rf__inf_room(rf__inflate *z, rf__buf *out, size_t n) {
    if ((uint64_t)out->len + n > z->limit)
        return rf__inf_fail(z, RF_ERR_LIMIT,
                            "decompressed size exceeds the inflate limit (RF_MAX_INFLATE or the "
                            "max_inflate option)");
    if (out->cap - out->len < n + RF__INF_SLACK && rf__buf_reserve(z->al, out, n + RF__INF_SLACK))
        return rf__inf_fail(z, RF_ERR_OUT_OF_MEMORY, "out of memory for decompressed data");
    return RF__INF_NEXT;
}

/* Folds the output produced since the last call into the member's checksum. */
static void rf__inf_sum(rf__inflate *z, const rf__buf *out) {
    size_t n = out->len - z->sum_done;
    if (n == 0) return; /* out->data may still be NULL */
    z->crc = rf__crc32((const uint32_t(*)[256])z->crc_tab, z->crc, (const uint8_t *)out->data + z->sum_done, n);
    z->sum_done = out->len;
}

/* One byte of the gzip header; it also feeds the header CRC (FHCRC). */
static int rf__inf_hbyte(rf__inflate *z, unsigned *b) {
    uint8_t c;
    if (!rf__inf_byte(z, b)) return 0;
    c = (uint8_t)*b;
    z->hcrc = rf__crc32((const uint32_t(*)[256])z->crc_tab, z->hcrc, &c, 1);
    return 1;
}

/* The gzip member header, in steps: 0 the fixed 10 bytes, 1 XLEN, 2 the extra field,
   3 the file name, 4 the comment, 5 the header CRC. */
static int rf__inf_header(rf__inflate *z, const rf__buf *out) {
    unsigned b;
    for (;;) {
        switch (z->hstep) {
        case 0:
            if (z->hpos == 0) z->hcrc = 0;
            while (z->hpos < 10) {
                if (!rf__inf_hbyte(z, &b)) return RF__INF_MORE;
                z->hdr[z->hpos++] = (uint8_t)b;
                if ((z->hpos == 1 && b != 0x1f) || (z->hpos == 2 && b != 0x8b))
                    return rf__inf_fail(z, RF_ERR_CORRUPT,
                                        z->members ? "data after a gzip member is not another gzip member"
                                                   : "not gzip data (bad magic bytes)");
                if (z->hpos == 3 && b != 8)
                    return rf__inf_fail(z, RF_ERR_UNSUPPORTED, "gzip compression method is not deflate");
                if (z->hpos == 4 && (b & 0xe0u))
                    return rf__inf_fail(z, RF_ERR_CORRUPT, "reserved gzip header flag bits are set");
            }
            z->flags = z->hdr[3];
            z->hpos = 0;
            z->xlen = 0;
            z->hstep = (z->flags & 4u) ? 1 : 3;
            break;
        case 1:
            while (z->hpos < 2) {
                if (!rf__inf_hbyte(z, &b)) return RF__INF_MORE;
                z->xlen |= b << (8 * z->hpos++);
            }
            z->hstep = 2;
            break;
        case 2:
            for (; z->xlen; z->xlen--)
                if (!rf__inf_hbyte(z, &b)) return RF__INF_MORE;
            z->hstep = 3;
            break;
        case 3:
        case 4:
            if (z->flags & (z->hstep == 3 ? 8u : 16u)) {
                do {
                    if (!rf__inf_hbyte(z, &b)) return RF__INF_MORE;
                } while (b != 0);
            }
            z->hstep++;
            z->hpos = 0;
            z->xlen = 0;
            break;
        case 5:
            if (z->flags & 2u) {
                uint32_t want = z->hcrc & 0xffffu;
                while (z->hpos < 2) {
                    if (!rf__inf_byte(z, &b)) return RF__INF_MORE;
                    z->xlen |= b << (8 * z->hpos++);
                }
                if (z->xlen != want) return rf__inf_fail(z, RF_ERR_CORRUPT, "gzip header CRC mismatch");
            }
            z->member_start = z->sum_done = out->len;
            z->crc = 0;
            z->hpos = 0;
            z->hstep = 0;
            z->state = RF__IS_BLOCK;
            return RF__INF_NEXT;
        }
    }
}

static int rf__inf_block(rf__inflate *z) {
    static const uint8_t fixed_dist[32] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
                                           5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    unsigned type, i;
    if (!rf__inf_need(z, 3)) return RF__INF_MORE;
    z->final = (int)rf__inf_bits(z, 1);
    type = rf__inf_bits(z, 2);
    switch (type) {
    case 0:
        rf__inf_align(z);
        z->state = RF__IS_STORED_LEN;
        return RF__INF_NEXT;
    case 1:
        for (i = 0; i < 288; i++) z->lens[i] = (uint8_t)(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
        rf__inf_build(z->lit, RF__INF_LIT_SIZE, RF__INF_LIT_BITS, z->lens, 288, RF__INF_T_LIT);
        rf__inf_build(z->dist, RF__INF_DIST_SIZE, RF__INF_DIST_BITS, fixed_dist, 32, RF__INF_T_DIST);
        z->state = RF__IS_HUFF;
        return RF__INF_NEXT;
    case 2:
        z->state = RF__IS_DYN_COUNTS;
        return RF__INF_NEXT;
    default:
        return rf__inf_fail(z, RF_ERR_CORRUPT, "invalid deflate block type 3");
    }
}

static int rf__inf_stored(rf__inflate *z, rf__buf *out) {
    if (z->state == RF__IS_STORED_LEN) {
        unsigned len, nlen;
        if (!rf__inf_need(z, 32)) return RF__INF_MORE;
        len = rf__inf_bits(z, 16);
        nlen = rf__inf_bits(z, 16);
        if (len != (~nlen & 0xffffu))
            return rf__inf_fail(z, RF_ERR_CORRUPT, "stored block length does not match its complement");
        z->stored_left = len;
        z->state = RF__IS_STORED;
    }
    while (z->stored_left) {
        size_t n;
        if (z->bitcnt >= 8) { /* bytes already in the bit buffer come first */
            if (rf__inf_room(z, out, 1)) return RF__INF_FAILED;
            out->data[out->len++] = (char)rf__inf_bits(z, 8);
            z->stored_left--;
            continue;
        }
        n = (size_t)(z->in_end - z->in);
        if (n == 0) return RF__INF_MORE;
        if (n > z->stored_left) n = z->stored_left;
        if (rf__inf_room(z, out, n)) return RF__INF_FAILED;
        memcpy(out->data + out->len, z->in, n);
        out->len += n;
        z->in += n;
        z->stored_left -= (uint32_t)n;
    }
    z->state = z->final ? RF__IS_TRAILER : RF__IS_BLOCK;
    return RF__INF_NEXT;
}

static int rf__inf_dynamic(rf__inflate *z) {
    const char *bad;
    if (z->state == RF__IS_DYN_COUNTS) {
        if (!rf__inf_need(z, 14)) return RF__INF_MORE;
        z->hlit = rf__inf_bits(z, 5) + 257;
        z->hdist = rf__inf_bits(z, 5) + 1;
        z->hclen = rf__inf_bits(z, 4) + 4;
        if (z->hlit > 286 || z->hdist > 30)
            return rf__inf_fail(z, RF_ERR_CORRUPT, "too many length or distance codes in a dynamic block");
        memset(z->cllens, 0, sizeof z->cllens);
        z->nlens = 0;
        z->state = RF__IS_DYN_CLENS;
    }
    if (z->state == RF__IS_DYN_CLENS) {
        while (z->nlens < z->hclen) {
            if (!rf__inf_need(z, 3)) return RF__INF_MORE;
            z->cllens[rf__inf_cl_order[z->nlens++]] = (uint8_t)rf__inf_bits(z, 3);
        }
        bad = rf__inf_build(z->cl, (size_t)1 << RF__INF_CL_BITS, RF__INF_CL_BITS, z->cllens, 19, RF__INF_T_CL);
        if (bad) return rf__inf_fail(z, RF_ERR_CORRUPT, bad);
        z->nlens = 0;
        z->state = RF__IS_DYN_LENS;
    }
    while (z->nlens < z->hlit + z->hdist) {
        uint64_t b;
        unsigned c, sym, extra, rep, val, len;
        uint32_t e;
        rf__inf_pull(z);
        b = z->bitbuf;
        c = z->bitcnt;
        e = z->cl[b & RF__INF_MASK(RF__INF_CL_BITS)];
        len = RF__IE_LENGTH(e);
        if (len > c) return RF__INF_MORE;
        if (RF__IE_KIND(e) == RF__IE_BAD)
            return rf__inf_fail(z, RF_ERR_CORRUPT, "invalid code in the code lengths of a dynamic block");
        sym = RF__IE_VALUE(e);
        if (sym < 16) {
            rf__inf_bits(z, len);
            z->lens[z->nlens++] = (uint8_t)sym;
            continue;
        }
        extra = sym == 16 ? 2 : sym == 17 ? 3 : 7;
        if (len + extra > c) return RF__INF_MORE;
        rf__inf_bits(z, len);
        rep = rf__inf_bits(z, extra) + (sym == 18 ? 11 : 3);
        if (sym == 16) {
            if (z->nlens == 0)
                return rf__inf_fail(z, RF_ERR_CORRUPT, "code length repeat with no previous length");
            val = z->lens[z->nlens - 1];
        } else {
            val = 0;
        }
        if (z->nlens + rep > z->hlit + z->hdist)
            return rf__inf_fail(z, RF_ERR_CORRUPT, "code length repeat runs past the end of the lengths");
        memset(z->lens + z->nlens, (int)val, rep);
        z->nlens += rep;
    }
    if (z->lens[256] == 0)
        return rf__inf_fail(z, RF_ERR_CORRUPT, "dynamic block has no end-of-block code");
    bad = rf__inf_build(z->lit, RF__INF_LIT_SIZE, RF__INF_LIT_BITS, z->lens, z->hlit, RF__INF_T_LIT);
    if (!bad)
        bad = rf__inf_build(z->dist, RF__INF_DIST_SIZE, RF__INF_DIST_BITS, z->lens + z->hlit,
                            z->hdist, RF__INF_T_DIST);
    if (bad) return rf__inf_fail(z, RF_ERR_CORRUPT, bad);
    z->state = RF__IS_HUFF;
    return RF__INF_NEXT;
}

static void rf__inf_copy(uint8_t *dst, size_t dist, size_t len) {
    const uint8_t *src = dst - dist;
    if (dist >= 8) { /* word copies; may write up to 7 bytes past the end (slack) */
        uint8_t *end = dst + len;
        do {
            memcpy(dst, src, 8);
            dst += 8;
            src += 8;
        } while (dst < end);
    } else if (dist == 1) {
        memset(dst, src[0], len);
    } else {
        size_t k;
        for (k = 0; k < len; k++) dst[k] = src[k];
    }
}

static uint64_t rf__inf_load64(const uint8_t *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static int rf__inf_huff(rf__inflate *z, rf__buf *out) {
    const uint32_t *lit = z->lit, *dtab = z->dist;
    for (;;) {
        /* Fast loop: >= 8 input bytes and room for a whole match, so no checks inside. */
        uint64_t bb = z->bitbuf;
        unsigned bc = z->bitcnt;
        const uint8_t *in = z->in, *in_end = z->in_end;
        uint8_t *o = (uint8_t *)out->data;
        size_t olen = out->len, fast_end = 0;
        uint64_t lim = z->limit;
        uint32_t e;
        unsigned length, dist, k;
        int can_fast = out->cap >= 258 + RF__INF_SLACK && lim >= 258;
        if (can_fast) {
            fast_end = out->cap - (258 + RF__INF_SLACK);
            if ((uint64_t)fast_end > lim - 258) fast_end = (size_t)(lim - 258);
        }
        while (can_fast && in_end - in >= 8 && olen <= fast_end) {
            /* refill to 56..63 bits; bits above bc may hold the next bytes again (harmless) */
            bb |= rf__inf_load64(in) << bc;
            in += (63 - bc) >> 3;
            bc |= 56;
            e = rf__inf_lookup(lit, RF__INF_LIT_BITS, bb);
            k = RF__IE_LENGTH(e);
            if (RF__IE_KIND(e) == RF__IE_LIT) {
                bb >>= k;
                bc -= k;
                o[olen++] = (uint8_t)RF__IE_VALUE(e);
                /* a second literal fits in the bits left (>= 41) */
                e = rf__inf_lookup(lit, RF__INF_LIT_BITS, bb);
                if (RF__IE_KIND(e) != RF__IE_LIT) continue;
                k = RF__IE_LENGTH(e);
                bb >>= k;
                bc -= k;
                o[olen++] = (uint8_t)RF__IE_VALUE(e);
                continue;
            }
            if (RF__IE_KIND(e) != RF__IE_LEN) break; /* end of block or bad code: slow path */
            bb >>= k;
            bc -= k;
            k = RF__IE_EXTRA(e);
            length = RF__IE_VALUE(e) + (unsigned)(bb & RF__INF_MASK(k));
            bb >>= k;
            bc -= k;
            e = rf__inf_lookup(dtab, RF__INF_DIST_BITS, bb);
            if (RF__IE_KIND(e) != RF__IE_LEN) {
                z->bitbuf = bb & RF__INF_MASK(bc);
                z->bitcnt = bc;
                z->in = in;
                out->len = olen;
                return rf__inf_fail(z, RF_ERR_CORRUPT, "invalid distance code");
            }
            k = RF__IE_LENGTH(e);
            bb >>= k;
            bc -= k;
            k = RF__IE_EXTRA(e);
            dist = RF__IE_VALUE(e) + (unsigned)(bb & RF__INF_MASK(k));
            bb >>= k;
            bc -= k;
            if (dist > olen - z->member_start) {
                z->bitbuf = bb & RF__INF_MASK(bc);
                z->bitcnt = bc;
                z->in = in;
                out->len = olen;
                return rf__inf_fail(z, RF_ERR_CORRUPT, "distance reaches before the start of the output");
            }
            rf__inf_copy(o + olen, dist, length);
            olen += length;
        }
        z->bitbuf = bb & RF__INF_MASK(bc);
        z->bitcnt = bc;
        z->in = in;
        out->len = olen;

        /* Slow path: one symbol, consumed only once all its bits are there. */
        {
            uint64_t b;
            unsigned c;
            rf__inf_pull(z);
            b = z->bitbuf;
            c = z->bitcnt;
            e = rf__inf_lookup(lit, RF__INF_LIT_BITS, b);
            k = RF__IE_LENGTH(e);
            if (k > c) return RF__INF_MORE;
            b >>= k;
            c -= k;
            switch (RF__IE_KIND(e)) {
            case RF__IE_LIT:
                if (rf__inf_room(z, out, 1)) return RF__INF_FAILED;
                out->data[out->len++] = (char)RF__IE_VALUE(e);
                break;
            case RF__IE_EOB:
                z->bitbuf = b;
                z->bitcnt = c;
                z->state = z->final ? RF__IS_TRAILER : RF__IS_BLOCK;
                return RF__INF_NEXT;
            case RF__IE_LEN:
                k = RF__IE_EXTRA(e);
                if (k > c) return RF__INF_MORE;
                length = RF__IE_VALUE(e) + (unsigned)(b & RF__INF_MASK(k));
                b >>= k;
                c -= k;
                e = rf__inf_lookup(dtab, RF__INF_DIST_BITS, b);
                k = RF__IE_LENGTH(e);
                if (k > c) return RF__INF_MORE;
                if (RF__IE_KIND(e) != RF__IE_LEN) return rf__inf_fail(z, RF_ERR_CORRUPT, "invalid distance code");
                b >>= k;
                c -= k;
                k = RF__IE_EXTRA(e);
                if (k > c) return RF__INF_MORE;
                dist = RF__IE_VALUE(e) + (unsigned)(b & RF__INF_MASK(k));
                b >>= k;
                c -= k;
                if (dist > out->len - z->member_start)
                    return rf__inf_fail(z, RF_ERR_CORRUPT, "distance reaches before the start of the output");
                if (rf__inf_room(z, out, length)) return RF__INF_FAILED;
                rf__inf_copy((uint8_t *)out->data + out->len, dist, length);
                out->len += length;
                break;
            default:
                return rf__inf_fail(z, RF_ERR_CORRUPT, "invalid literal/length code");
            }
            z->bitbuf = b;
            z->bitcnt = c;
        }
    }
}

static int rf__inf_trailer(rf__inflate *z, rf__buf *out) {
    unsigned b;
    uint32_t crc, isize;
    if (z->hpos == 0) rf__inf_align(z);
    while (z->hpos < 8) {
        if (!rf__inf_byte(z, &b)) return RF__INF_MORE;
        z->hdr[z->hpos++] = (uint8_t)b;
    }
    rf__inf_sum(z, out);
    crc = (uint32_t)z->hdr[0] | (uint32_t)z->hdr[1] << 8 | (uint32_t)z->hdr[2] << 16 | (uint32_t)z->hdr[3] << 24;
    isize = (uint32_t)z->hdr[4] | (uint32_t)z->hdr[5] << 8 | (uint32_t)z->hdr[6] << 16 | (uint32_t)z->hdr[7] << 24;
    if (crc != z->crc) return rf__inf_fail(z, RF_ERR_CORRUPT, "gzip CRC-32 mismatch (corrupt data)");
    if (isize != (uint32_t)(out->len - z->member_start))
        return rf__inf_fail(z, RF_ERR_CORRUPT, "gzip length (ISIZE) mismatch (corrupt data)");
    z->members++;
    z->hpos = 0;
    z->hstep = 0;
    z->state = RF__IS_END;
    return RF__INF_NEXT;
}

/* Feeds compressed bytes. Output is appended to out (whose allocator is z->al). Returns
   RF_OK when everything was consumed (more may follow), else the error in z->msg. */
static rf_result rf__inflate_feed(rf__inflate *z, rf__buf *out, const void *data, size_t n) {
    int r = RF__INF_NEXT;
    if (z->state == RF__IS_ERROR) return z->err_code;
    z->in_start = z->in = (const uint8_t *)data;
    z->in_end = z->in + n;
    while (r == RF__INF_NEXT) {
        switch (z->state) {
        case RF__IS_HEADER: r = rf__inf_header(z, out); break;
        case RF__IS_BLOCK: r = rf__inf_block(z); break;
        case RF__IS_STORED_LEN:
        case RF__IS_STORED: r = rf__inf_stored(z, out); break;
        case RF__IS_DYN_COUNTS:
        case RF__IS_DYN_CLENS:
        case RF__IS_DYN_LENS: r = rf__inf_dynamic(z); break;
        case RF__IS_HUFF: r = rf__inf_huff(z, out); break;
        case RF__IS_TRAILER: r = rf__inf_trailer(z, out); break;
        case RF__IS_END:
            if (z->bitcnt < 8 && z->in == z->in_end) r = RF__INF_MORE;
            else z->state = RF__IS_HEADER; /* another member follows (cat a.gz b.gz) */
            break;
        default: r = RF__INF_FAILED; break;
        }
    }
    if (r == RF__INF_FAILED) return z->err_code;
    rf__inf_sum(z, out); /* while the new output is still in cache */
    z->in_used += n;
    return RF_OK;
}

/* Ends the input: the stream must be complete. */
static rf_result rf__inflate_finish(rf__inflate *z) {
    if (z->state == RF__IS_ERROR) return z->err_code;
    if (z->state == RF__IS_END) return RF_OK;
    z->err_code = RF_ERR_TRUNCATED;
    z->msg = z->state == RF__IS_HEADER && z->hpos == 0 && z->hstep == 0 && !z->members
                 ? "no compressed data"
                 : "compressed data ends early (truncated file?)";
    z->err_offset = z->in_used;
    z->state = RF__IS_ERROR;
    return z->err_code;
}

/* ===== [rf:protobuf] ===================================================== */
/* Protocol buffers wire format over a message held in memory: a cursor over [p, end).
   Wire types 0 (varint), 1 (8 bytes), 2 (length-delimited) and 5 (4 bytes); groups (3, 4)
   are rejected as pprof's own decoder does. Errors are RF_ERR_TRUNCATED when data runs
   out and RF_ERR_SYNTAX otherwise, with a static message in *msg. */
typedef struct rf__pb { const uint8_t *p, *end; } rf__pb;

typedef struct rf__pb_field {
    uint32_t num;       /* field number */
    unsigned wt;        /* wire type */
    uint64_t v;         /* value of wire types 0, 1, 5 */
    rf__pb sub;         /* payload of wire type 2 */
    const uint8_t *at;  /* where the record starts (for error offsets) */
} rf__pb_field;

enum { RF__PB_VARINT = 0, RF__PB_I64 = 1, RF__PB_LEN = 2, RF__PB_I32 = 5 };

static rf_result rf__pb_varint(rf__pb *r, uint64_t *out, const char **msg) {
    const uint8_t *p = r->p;
    uint64_t v = 0;
    unsigned shift;
    if (p < r->end && *p < 0x80) { /* one byte: the common case */
        *out = *p;
        r->p = p + 1;
        return RF_OK;
    }
    for (shift = 0;; shift += 7) {
        uint64_t b;
        if (p == r->end) {
            *msg = "truncated varint";
            return RF_ERR_TRUNCATED;
        }
        b = *p++;
        if (shift == 63 && b > 1) { /* the 10th byte may only hold bit 63 */
            *msg = "varint longer than 10 bytes or above 64 bits";
            return RF_ERR_SYNTAX;
        }
        v |= (b & 0x7fu) << shift;
        if (b < 0x80) break;
    }
    *out = v;
    r->p = p;
    return RF_OK;
}

static rf_result rf__pb_next(rf__pb *r, rf__pb_field *f, const char **msg) {
    uint64_t tag, len;
    rf_result e;
    unsigned i, n;
    f->at = r->p;
    if ((e = rf__pb_varint(r, &tag, msg)) != RF_OK) return e;
    if ((tag >> 3) == 0 || (tag >> 3) > 0x1FFFFFFFu) {
        *msg = "invalid protobuf field number";
        return RF_ERR_SYNTAX;
    }
    f->num = (uint32_t)(tag >> 3);
    f->wt = (unsigned)(tag & 7u);
    switch (f->wt) {
    case RF__PB_VARINT: return rf__pb_varint(r, &f->v, msg);
    case RF__PB_LEN:
        if ((e = rf__pb_varint(r, &len, msg)) != RF_OK) return e;
        if (len > (uint64_t)(r->end - r->p)) {
            *msg = "length-delimited protobuf field runs past the end of its message";
            return RF_ERR_TRUNCATED;
        }
        f->sub.p = r->p;
        f->sub.end = r->p + (size_t)len;
        r->p = f->sub.end;
        return RF_OK;
    case RF__PB_I64:
    case RF__PB_I32:
        n = f->wt == RF__PB_I64 ? 8 : 4;
        if ((size_t)(r->end - r->p) < n) {
            *msg = "truncated fixed-width protobuf field";
            return RF_ERR_TRUNCATED;
        }
        f->v = 0;
        for (i = 0; i < n; i++) f->v |= (uint64_t)r->p[i] << (8 * i);
        r->p += n;
        return RF_OK;
    case 3:
    case 4: *msg = "protobuf groups (wire types 3 and 4) are not supported"; return RF_ERR_SYNTAX;
    default: *msg = "invalid protobuf wire type (6 or 7)"; return RF_ERR_SYNTAX;
    }
}

/* Next value of a repeated varint field, packed (wire type 2) or not (wire type 0); both
   forms may be mixed in one message. *it starts as a copy of the field. Returns 1 with a
   value, 0 at the end, or -1 on error (*code, *msg). */
static int rf__pb_repeated(rf__pb_field *it, uint64_t *v, rf_result *code, const char **msg) {
    if (it->wt == RF__PB_VARINT) {
        *v = it->v;
        it->wt = 8; /* consumed */
        return 1;
    }
    if (it->wt == RF__PB_LEN) {
        if (it->sub.p == it->sub.end) return 0;
        if ((*code = rf__pb_varint(&it->sub, v, msg)) != RF_OK) {
            *code = RF_ERR_SYNTAX; /* the packed payload itself is complete */
            return -1;
        }
        return 1;
    }
    if (it->wt == 8) return 0;
    *code = RF_ERR_SYNTAX;
    *msg = "repeated integer field has the wrong wire type";
    return -1;
}

/* ===== [rf:pprof] ======================================================== */
/* pprof profile.proto (gzipped or not). The input is buffered whole (fields come in any
   order and the string table usually comes last), decompressed on the fly as it is fed.
   finish() reads the message in three passes over its top-level records: count them and
   read the scalars; decode types, functions, locations, mappings and strings (checking
   every string index and id); then fold the samples into the call tree. Location ids map
   to root-first frame lists built once per location and reused by every sample. */

typedef struct rf__pp_fn { uint64_t id; int64_t name, system_name, filename; uint32_t name_id; } rf__pp_fn;
typedef struct rf__pp_line { uint64_t function_id; int64_t line; uint32_t fn; } rf__pp_line;
typedef struct rf__pp_loc {
    uint64_t id, mapping_id, address;
    size_t line_start;
    uint32_t nlines, nframes; /* nframes == RF__NO_ID until the frames are built */
    size_t frame_start;
} rf__pp_loc;
typedef struct rf__pp_map { uint64_t id, start, limit, offset; int64_t filename; } rf__pp_map;

/* uint64 id -> index: open addressing (ids are nonzero; 0 marks a free slot), switched to a
   plain array when the ids turn out small, as Go's 1..N are. */
typedef struct rf__pp_ids {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap;
    uint64_t max;
    uint32_t *dense; /* dense[id] = index or RF__NO_ID, for id < ndense */
    size_t ndense;
} rf__pp_ids;

/* A unique stack: identical samples (same location_id bytes, same label frame) are summed
   here first and enter the call tree once. */
typedef struct rf__pp_stack {
    const uint8_t *ids;   /* the packed or single location_id payload in the data */
    uint32_t len, label;  /* payload length; label frame id or RF__NO_ID */
    unsigned wt;          /* wire type of the location_id record */
    int64_t weight;
} rf__pp_stack;

typedef struct rf__pprof {
    int mode;                 /* 0 = not decided yet, 1 = raw protobuf, 2 = gzip */
    unsigned char head[2];
    size_t nhead;
    rf__inflate *z;
    rf__buf data;             /* the (decompressed) protobuf */
    rf_strview *str;
    size_t nstr;
    int64_t *types;           /* (type, unit) string indices per value column */
    size_t ntypes;
    rf__pp_fn *fn;
    size_t nfn;
    rf__pp_loc *loc;
    size_t nloc;
    rf__pp_map *map;
    size_t nmap;
    rf__pp_line *line;
    size_t nline, line_cap;
    rf__pp_ids fn_ids, loc_ids, map_ids;
    rf__ids frames;           /* root-first frame name ids of the locations built so far */
    uint32_t *sloc;           /* location indices of the sample being read */
    size_t sloc_cap;
    rf__buf name;             /* scratch for composed frame names */
    rf__pp_stack *stacks;     /* unique stacks in first-seen order */
    size_t nstacks, stacks_cap;
    uint32_t *stack_tab;      /* open-addressed index+1 into stacks */
    size_t stack_tab_cap;
    size_t cap_types, cap_fn, cap_loc, cap_map; /* allocated sizes (counts from pass 1) */
    int64_t default_type, drop_frames, keep_frames, doc_url; /* string indices */
    size_t col;               /* the chosen value column */
    const char *group_key;    /* ps->opt.pprof.group_by_label, NULL when unset or "" */
    size_t group_key_len;
    int dropped_warned;
} rf__pprof;

static uint64_t rf__pp_idhash(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static rf_result rf__pp_ids_init(const rf_allocator *a, rf__pp_ids *m, size_t n) {
    size_t cap = 16, kb, vb;
    while (cap < n * 2) {
        if (cap > (size_t)-1 / 4) return RF_ERR_OUT_OF_MEMORY;
        cap *= 2;
    }
    if (!rf__mul_size(cap, sizeof(uint64_t), &kb) || !rf__mul_size(cap, sizeof(uint32_t), &vb))
        return RF_ERR_OUT_OF_MEMORY;
    m->keys = (uint64_t *)rf__malloc(a, kb);
    m->vals = (uint32_t *)rf__malloc(a, vb);
    m->cap = cap;
    if (!m->keys || !m->vals) return RF_ERR_OUT_OF_MEMORY;
    memset(m->keys, 0, kb);
    return RF_OK;
}
static void rf__pp_ids_free(const rf_allocator *a, rf__pp_ids *m) {
    rf__free(a, m->keys, m->cap * sizeof(uint64_t));
    rf__free(a, m->vals, m->cap * sizeof(uint32_t));
    rf__free(a, m->dense, m->ndense * sizeof(uint32_t));
    memset(m, 0, sizeof *m);
}
/* Returns 0, or 1 when the id is already present. */
static int rf__pp_ids_put(rf__pp_ids *m, uint64_t id, uint32_t idx) {
    size_t mask = m->cap - 1, j = (size_t)rf__pp_idhash(id) & mask;
    for (; m->keys[j]; j = (j + 1) & mask)
        if (m->keys[j] == id) return 1;
    m->keys[j] = id;
    m->vals[j] = idx;
    if (id > m->max) m->max = id;
    return 0;
}
/* After all puts: use an array when the largest id is at most 4n + 64. */
static rf_result rf__pp_ids_densify(const rf_allocator *a, rf__pp_ids *m, size_t n) {
    size_t i;
    if (m->max > (uint64_t)n * 4 + 64) return RF_OK;
    m->ndense = (size_t)m->max + 1;
    m->dense = (uint32_t *)rf__malloc(a, m->ndense * sizeof(uint32_t));
    if (!m->dense) {
        m->ndense = 0;
        return RF_ERR_OUT_OF_MEMORY;
    }
    memset(m->dense, 0xff, m->ndense * sizeof(uint32_t));
    for (i = 0; i < m->cap; i++)
        if (m->keys[i]) m->dense[m->keys[i]] = m->vals[i];
    return RF_OK;
}
static uint32_t rf__pp_ids_get(const rf__pp_ids *m, uint64_t id) {
    size_t mask = m->cap - 1, j = (size_t)rf__pp_idhash(id) & mask;
    if (m->dense) return id < m->ndense ? m->dense[id] : RF__NO_ID;
    if (!id) return RF__NO_ID;
    for (; m->keys[j]; j = (j + 1) & mask)
        if (m->keys[j] == id) return m->vals[j];
    return RF__NO_ID;
}

/* Small text builder for error details (no stdio: RF_NO_STDIO builds have none). */
typedef struct rf__pp_text { char s[128]; size_t n; } rf__pp_text;
static void rf__pp_cat(rf__pp_text *t, const char *s, size_t n) {
    if (n > sizeof t->s - 1 - t->n) n = sizeof t->s - 1 - t->n;
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = '\0';
}
static void rf__pp_cats(rf__pp_text *t, const char *s) { rf__pp_cat(t, s, strlen(s)); }
static void rf__pp_catn(rf__pp_text *t, int64_t v) {
    char num[32];
    rf__pp_cat(t, num, rf_format_weight(v, 0, num));
}

static rf_result rf__pp_fail(rf_parser *ps, const rf__pprof *pp, rf_result code, const char *msg,
                             const uint8_t *at, const rf__pp_text *detail) {
    rf__pp_text d;
    uint64_t off = at ? (uint64_t)(at - (const uint8_t *)pp->data.data) : 0;
    rf__fail_at(ps, code, msg, off, 0, 0);
    d.n = 0;
    d.s[0] = '\0';
    if (detail) rf__pp_cat(&d, detail->s, detail->n);
    if (at && pp->mode == 2) rf__pp_cats(&d, d.n ? " (offset in the decompressed data)" : "offset in the decompressed data");
    rf__set_detail(ps, d.s, d.n);
    return code;
}

/* A string index read from field `what`; out of range is an error, as in pprof. */
static rf_result rf__pp_check_str(rf_parser *ps, const rf__pprof *pp, uint64_t idx, const char *what,
                                  const uint8_t *at) {
    rf__pp_text d;
    if (idx < pp->nstr) return RF_OK;
    d.n = 0;
    rf__pp_cats(&d, what);
    rf__pp_cats(&d, " = ");
    rf__pp_catn(&d, (int64_t)idx);
    rf__pp_cats(&d, ", string_table has ");
    rf__pp_catn(&d, (int64_t)pp->nstr);
    rf__pp_cats(&d, " entries");
    return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "string index out of range (malformed profile)", at, &d);
}

static rf_result rf__pp_wire(rf_parser *ps, const rf__pprof *pp, const rf__pb_field *f, unsigned wt,
                             const char *what) {
    rf__pp_text d;
    if (f->wt == wt) return RF_OK;
    d.n = 0;
    rf__pp_cats(&d, what);
    return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "protobuf field has the wrong wire type", f->at, &d);
}

/* Reads a submessage's fields into vals[1..nvals] (varint fields only, last one wins, as
   protobuf does); other fields are skipped. Fields listed in `strings` (bit per field
   number) are string indices and are range-checked. */
static rf_result rf__pp_scalars(rf_parser *ps, const rf__pprof *pp, rf__pb m, uint64_t *vals,
                                unsigned nvals, unsigned strings, const char *const *names) {
    rf__pb_field f;
    const char *msg = NULL;
    rf_result r;
    memset(vals, 0, (nvals + 1) * sizeof *vals);
    while (m.p < m.end) {
        if ((r = rf__pb_next(&m, &f, &msg)) != RF_OK)
            return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, msg, f.at, NULL);
        if (f.num > nvals) continue;
        if ((r = rf__pp_wire(ps, pp, &f, RF__PB_VARINT, names[f.num])) != RF_OK) return r;
        if ((strings >> f.num) & 1u && (r = rf__pp_check_str(ps, pp, f.v, names[f.num], f.at)) != RF_OK)
            return r;
        vals[f.num] = f.v;
    }
    return RF_OK;
}

static const char *const rf__pp_vt_names[] = {"", "ValueType.type", "ValueType.unit"};
static const char *const rf__pp_fn_names[] = {"", "Function.id", "Function.name", "Function.system_name",
                                              "Function.filename", "Function.start_line"};
static const char *const rf__pp_map_names[] = {"", "Mapping.id", "Mapping.memory_start",
    "Mapping.memory_limit", "Mapping.file_offset", "Mapping.filename", "Mapping.build_id"};
static const char *const rf__pp_line_names[] = {"", "Line.function_id", "Line.line", "Line.column"};
static const char *const rf__pp_label_names[] = {"", "Label.key", "Label.str", "Label.num", "Label.num_unit"};

static rf_result rf__pp_dup_id(rf_parser *ps, const rf__pprof *pp, const char *what, uint64_t id,
                               const uint8_t *at) {
    rf__pp_text d;
    d.n = 0;
    rf__pp_cats(&d, what);
    rf__pp_cats(&d, " ");
    rf__pp_catn(&d, (int64_t)id);
    return rf__pp_fail(ps, pp, RF_ERR_SYNTAX,
                       id ? "duplicate id (malformed profile)" : "id 0 is reserved (malformed profile)", at, &d);
}

static rf_result rf__pp_location(rf_parser *ps, rf__pprof *pp, rf__pb m, const uint8_t *at) {
    rf__pp_loc *l = &pp->loc[pp->nloc];
    rf__pb_field f;
    const char *msg = NULL;
    rf_result r;
    memset(l, 0, sizeof *l);
    l->line_start = pp->nline;
    l->nframes = RF__NO_ID;
    while (m.p < m.end) {
        if ((r = rf__pb_next(&m, &f, &msg)) != RF_OK) return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, msg, f.at, NULL);
        if (f.num == 4) {
            uint64_t v[4];
            if ((r = rf__pp_wire(ps, pp, &f, RF__PB_LEN, "Location.line")) != RF_OK) return r;
            if ((r = rf__pp_scalars(ps, pp, f.sub, v, 3, 0, rf__pp_line_names)) != RF_OK) return r;
            if (pp->nline == pp->line_cap &&
                rf__grow(ps->al, (void **)&pp->line, &pp->line_cap, pp->nline + 1, sizeof *pp->line))
                return rf__pp_fail(ps, pp, RF_ERR_OUT_OF_MEMORY, "out of memory", NULL, NULL);
            pp->line[pp->nline].function_id = v[1];
            pp->line[pp->nline].line = (int64_t)v[2];
            pp->line[pp->nline].fn = RF__NO_ID;
            pp->nline++;
            if (l->nlines == 0xFFFFFFF0u)
                return rf__pp_fail(ps, pp, RF_ERR_LIMIT, "too many lines in one location", f.at, NULL);
            l->nlines++;
        } else if (f.num >= 1 && f.num <= 3) {
            static const char *const names[] = {"", "Location.id", "Location.mapping_id", "Location.address"};
            if ((r = rf__pp_wire(ps, pp, &f, RF__PB_VARINT, names[f.num])) != RF_OK) return r;
            if (f.num == 1) l->id = f.v;
            else if (f.num == 2) l->mapping_id = f.v;
            else l->address = f.v;
        }
    }
    if (!l->id || rf__pp_ids_put(&pp->loc_ids, l->id, (uint32_t)pp->nloc))
        return rf__pp_dup_id(ps, pp, "Location.id", l->id, at);
    pp->nloc++;
    return RF_OK;
}

/* Pass 1: count the repeated messages and read the top-level scalars. */
static rf_result rf__pp_pass_counts(rf_parser *ps, rf__pprof *pp, size_t *nsamples) {
    rf__pb r;
    rf__pb_field f;
    const char *msg = NULL;
    rf_result e;
    int64_t time_nanos = 0;
    r.p = (const uint8_t *)pp->data.data;
    r.end = r.p + pp->data.len;
    *nsamples = 0;
    while (r.p < r.end) {
        if ((e = rf__pb_next(&r, &f, &msg)) != RF_OK) return rf__pp_fail(ps, pp, e, msg, f.at, NULL);
        switch (f.num) {
        case 1: case 2: case 3: case 4: case 5: case 6: case 11: {
            static const char *const names[] = {"", "Profile.sample_type", "Profile.sample",
                "Profile.mapping", "Profile.location", "Profile.function", "Profile.string_table",
                "", "", "", "", "Profile.period_type"};
            if ((e = rf__pp_wire(ps, pp, &f, RF__PB_LEN, names[f.num])) != RF_OK) return e;
            if (f.num == 1) pp->ntypes++;
            else if (f.num == 2) (*nsamples)++;
            else if (f.num == 3) pp->nmap++;
            else if (f.num == 4) pp->nloc++;
            else if (f.num == 5) pp->nfn++;
            else if (f.num == 6) pp->nstr++;
            break;
        }
        case 7: case 8: case 9: case 10: case 12: case 14: case 15: {
            static const char *const names[] = {"", "", "", "", "", "", "", "Profile.drop_frames",
                "Profile.keep_frames", "Profile.time_nanos", "Profile.duration_nanos", "",
                "Profile.period", "", "Profile.default_sample_type", "Profile.doc_url"};
            if ((e = rf__pp_wire(ps, pp, &f, RF__PB_VARINT, names[f.num])) != RF_OK) return e;
            if (f.num == 7) pp->drop_frames = (int64_t)f.v;
            else if (f.num == 8) pp->keep_frames = (int64_t)f.v;
            else if (f.num == 14) pp->default_type = (int64_t)f.v;
            else if (f.num == 15) pp->doc_url = (int64_t)f.v;
            else if (f.num == 9) {
                /* pprof's rule: a second time_nanos after a nonzero one means two profiles
                   were concatenated (valid protobuf merging, not a valid profile) */
                if (time_nanos != 0)
                    return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "concatenated profiles detected (a second time_nanos)", f.at, NULL);
                time_nanos = (int64_t)f.v;
            }
            break;
        }
        default: break; /* unknown field: skipped by wire type */
        }
    }
    return RF_OK;
}

static rf_result rf__pp_oom(rf_parser *ps) { return rf__fail_at(ps, RF_ERR_OUT_OF_MEMORY, "out of memory", 0, 0, 0); }

static rf_result rf__pp_array(rf_parser *ps, void **arr, size_t n, size_t elem) {
    size_t bytes;
    if (!rf__mul_size(n, elem, &bytes)) return rf__pp_oom(ps);
    *arr = rf__malloc(ps->al, bytes);
    return *arr ? RF_OK : rf__pp_oom(ps);
}

/* Pass 2: types, functions, locations, mappings and strings, with every string index and
   id checked (pprof rejects such profiles as malformed). */
static rf_result rf__pp_pass_tables(rf_parser *ps, rf__pprof *pp) {
    rf__pb r;
    rf__pb_field f;
    const char *msg = NULL;
    rf_result e;
    size_t nstr = 0, i;
    uint64_t v[11];
    pp->cap_types = pp->ntypes;
    pp->cap_fn = pp->nfn;
    pp->cap_loc = pp->nloc;
    pp->cap_map = pp->nmap;
    if (rf__pp_array(ps, (void **)&pp->str, pp->nstr, sizeof *pp->str) ||
        rf__pp_array(ps, (void **)&pp->types, pp->cap_types, 2 * sizeof *pp->types) ||
        rf__pp_array(ps, (void **)&pp->fn, pp->cap_fn, sizeof *pp->fn) ||
        rf__pp_array(ps, (void **)&pp->loc, pp->cap_loc, sizeof *pp->loc) ||
        rf__pp_array(ps, (void **)&pp->map, pp->cap_map, sizeof *pp->map) ||
        rf__pp_ids_init(ps->al, &pp->fn_ids, pp->cap_fn) ||
        rf__pp_ids_init(ps->al, &pp->loc_ids, pp->cap_loc) ||
        rf__pp_ids_init(ps->al, &pp->map_ids, pp->cap_map))
        return rf__pp_oom(ps);
    pp->ntypes = pp->nfn = pp->nloc = pp->nmap = 0;
    /* strings first, so the other messages can show the offending value's text */
    r.p = (const uint8_t *)pp->data.data;
    r.end = r.p + pp->data.len;
    while (r.p < r.end) {
        rf__pb_next(&r, &f, &msg); /* pass 1 has validated the framing */
        if (f.num == 6) {
            pp->str[nstr].ptr = (const char *)f.sub.p;
            pp->str[nstr++].len = (size_t)(f.sub.end - f.sub.p);
        }
    }
    if (pp->nstr == 0 || pp->str[0].len != 0)
        return rf__pp_fail(ps, pp, RF_ERR_SYNTAX,
                           pp->nstr ? "string_table[0] must be the empty string (malformed profile)"
                                    : "profile has no string table (string_table[0] must be \"\")",
                           NULL, NULL);
    r.p = (const uint8_t *)pp->data.data;
    while (r.p < r.end) {
        rf__pb_next(&r, &f, &msg);
        switch (f.num) {
        case 1:
        case 11:
            if ((e = rf__pp_scalars(ps, pp, f.sub, v, 2, 6u, rf__pp_vt_names)) != RF_OK) return e;
            if (f.num == 1) {
                pp->types[2 * pp->ntypes] = (int64_t)v[1];
                pp->types[2 * pp->ntypes + 1] = (int64_t)v[2];
                pp->ntypes++;
            }
            break;
        case 3: {
            rf__pp_map *m = &pp->map[pp->nmap];
            if ((e = rf__pp_scalars(ps, pp, f.sub, v, 6, (1u << 5) | (1u << 6), rf__pp_map_names)) != RF_OK) return e;
            m->id = v[1];
            m->start = v[2];
            m->limit = v[3];
            m->offset = v[4];
            m->filename = (int64_t)v[5];
            if (!m->id || rf__pp_ids_put(&pp->map_ids, m->id, (uint32_t)pp->nmap))
                return rf__pp_dup_id(ps, pp, "Mapping.id", m->id, f.at);
            pp->nmap++;
            break;
        }
        case 4:
            if ((e = rf__pp_location(ps, pp, f.sub, f.at)) != RF_OK) return e;
            break;
        case 5: {
            rf__pp_fn *fn = &pp->fn[pp->nfn];
            if ((e = rf__pp_scalars(ps, pp, f.sub, v, 5, (1u << 2) | (1u << 3) | (1u << 4), rf__pp_fn_names)) != RF_OK)
                return e;
            fn->id = v[1];
            fn->name = (int64_t)v[2];
            fn->system_name = (int64_t)v[3];
            fn->filename = (int64_t)v[4];
            fn->name_id = RF__NO_ID;
            if (!fn->id || rf__pp_ids_put(&pp->fn_ids, fn->id, (uint32_t)pp->nfn))
                return rf__pp_dup_id(ps, pp, "Function.id", fn->id, f.at);
            pp->nfn++;
            break;
        }
        case 13: {
            rf__pb_field it = f;
            uint64_t c;
            int k;
            while ((k = rf__pb_repeated(&it, &c, &e, &msg)) == 1)
                if ((e = rf__pp_check_str(ps, pp, c, "Profile.comment", f.at)) != RF_OK) return e;
            if (k < 0) return rf__pp_fail(ps, pp, e, msg, f.at, NULL);
            break;
        }
        default: break;
        }
    }
    if ((e = rf__pp_check_str(ps, pp, (uint64_t)pp->default_type, "Profile.default_sample_type", NULL)) ||
        (e = rf__pp_check_str(ps, pp, (uint64_t)pp->drop_frames, "Profile.drop_frames", NULL)) ||
        (e = rf__pp_check_str(ps, pp, (uint64_t)pp->keep_frames, "Profile.keep_frames", NULL)) ||
        (e = rf__pp_check_str(ps, pp, (uint64_t)pp->doc_url, "Profile.doc_url", NULL)))
        return e;
    if (rf__pp_ids_densify(ps->al, &pp->fn_ids, pp->nfn) || rf__pp_ids_densify(ps->al, &pp->loc_ids, pp->nloc) ||
        rf__pp_ids_densify(ps->al, &pp->map_ids, pp->nmap))
        return rf__pp_oom(ps);
    for (i = 0; i < pp->nline; i++) {
        pp->line[i].fn = rf__pp_ids_get(&pp->fn_ids, pp->line[i].function_id);
        if (pp->line[i].fn == RF__NO_ID) {
            rf__pp_text d;
            d.n = 0;
            rf__pp_cats(&d, "Line.function_id ");
            rf__pp_catn(&d, (int64_t)pp->line[i].function_id);
            return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "a location line names an undefined function (malformed profile)",
                               NULL, &d);
        }
    }
    return RF_OK;
}

static int rf__pp_is(rf_strview s, const char *z, size_t n) { return s.len == n && memcmp(s.ptr, z, n) == 0; }

/* pprof's -sample_index rule (profile.SampleIndexByName), plus "X" matching "inuse_X". */
static rf_result rf__pp_choose_column(rf_parser *ps, rf__pprof *pp) {
    const char *want = ps->opt.pprof.sample_index;
    size_t i, n, k;
    rf__pp_text d;
    rf_strview unit;
    rf_result r;
    if (pp->ntypes == 0) return RF_OK; /* then every sample must have no values: nothing to add */
    pp->col = pp->ntypes;
    if (!want || !*want) {
        for (i = 0; pp->default_type && i < pp->ntypes; i++)
            if (rf__pp_is(pp->str[pp->types[2 * i]], pp->str[pp->default_type].ptr, pp->str[pp->default_type].len)) {
                pp->col = i;
                break;
            }
        if (pp->col == pp->ntypes) pp->col = pp->ntypes - 1;
    } else {
        n = strlen(want);
        for (k = 0; k < n && want[k] >= '0' && want[k] <= '9'; k++) {}
        if (k == n) {
            size_t idx = 0;
            for (k = 0; k < n && idx <= pp->ntypes; k++) idx = idx * 10 + (size_t)(want[k] - '0');
            if (idx >= pp->ntypes) {
                d.n = 0;
                rf__pp_cats(&d, "the profile has ");
                rf__pp_catn(&d, (int64_t)pp->ntypes);
                rf__pp_cats(&d, " sample types (columns 0..");
                rf__pp_catn(&d, (int64_t)pp->ntypes - 1);
                rf__pp_cats(&d, ")");
                return rf__pp_fail(ps, pp, RF_ERR_INVALID_ARGUMENT, "sample_index column number is out of range", NULL, &d);
            }
            pp->col = idx;
        } else {
            size_t strip = n > 6 && memcmp(want, "inuse_", 6) == 0 ? 6 : 0;
            for (i = 0; pp->col == pp->ntypes && i < pp->ntypes; i++) {
                rf_strview t = pp->str[pp->types[2 * i]];
                if (rf__pp_is(t, want, n) || rf__pp_is(t, want + strip, n - strip)) pp->col = i;
            }
            for (i = 0; pp->col == pp->ntypes && i < pp->ntypes; i++) {
                rf_strview t = pp->str[pp->types[2 * i]];
                if (t.len == n + 6 && memcmp(t.ptr, "inuse_", 6) == 0 && memcmp(t.ptr + 6, want, n) == 0) pp->col = i;
            }
        }
        if (pp->col == pp->ntypes) {
            d.n = 0;
            rf__pp_cats(&d, "the profile has:");
            for (i = 0; i < pp->ntypes; i++) {
                rf__pp_cats(&d, i ? ", " : " ");
                rf__pp_cat(&d, pp->str[pp->types[2 * i]].ptr, pp->str[pp->types[2 * i]].len);
            }
            return rf__pp_fail(ps, pp, RF_ERR_INVALID_ARGUMENT,
                               "sample_index names no sample type of this profile (use a type name or a "
                               "0-based column number)", NULL, &d);
        }
    }
    /* the profile's countname and sample type follow the chosen column */
    unit = pp->str[pp->types[2 * pp->col + 1]];
    pp->name.len = 0;
    if (rf__pp_is(unit, "count", 5) || unit.len == 0) r = rf__buf_append(ps->al, &pp->name, "samples", 7);
    else r = rf__buf_append(ps->al, &pp->name, unit.ptr, unit.len);
    if (r || rf__buf_append(ps->al, &pp->name, "", 1) || rf_profile_set_unit(ps->dst, pp->name.data))
        return rf__pp_oom(ps);
    pp->name.len = 0;
    if (rf__buf_append(ps->al, &pp->name, pp->str[pp->types[2 * pp->col]].ptr, pp->str[pp->types[2 * pp->col]].len) ||
        rf__buf_append(ps->al, &pp->name, "", 1) || rf_profile_set_sample_type(ps->dst, pp->name.data))
        return rf__pp_oom(ps);
    return RF_OK;
}

static rf_result rf__pp_intern_push(rf_parser *ps, rf__ids *dst, const char *s, size_t n) {
    uint32_t id = rf__intern(ps->dst, s, n);
    if (id == RF__NO_ID || rf__ids_push(ps->al, dst, id)) return rf__pp_oom(ps);
    return RF_OK;
}

static int rf__pp_put(rf_parser *ps, rf__pprof *pp, const char *s, size_t n) {
    return rf__buf_append(ps->al, &pp->name, s, n) != RF_OK;
}
static int rf__pp_put_hex(rf_parser *ps, rf__pprof *pp, uint64_t v) {
    char tmp[18];
    size_t n = 18;
    do {
        tmp[--n] = "0123456789abcdef"[v & 15u];
        v >>= 4;
    } while (v);
    tmp[--n] = 'x';
    tmp[--n] = '0';
    return rf__pp_put(ps, pp, tmp + n, 18 - n);
}

/* Name of a location without usable line information: by its mapping and address. */
static rf_result rf__pp_addr_frame(rf_parser *ps, rf__pprof *pp, const rf__pp_loc *l) {
    const rf__pp_map *m = NULL;
    rf_strview mod;
    uint32_t mi = l->mapping_id ? rf__pp_ids_get(&pp->map_ids, l->mapping_id) : RF__NO_ID;
    size_t k;
    int bad;
    mod.ptr = "";
    mod.len = 0;
    if (mi != RF__NO_ID) {
        m = &pp->map[mi];
        mod = pp->str[m->filename];
        for (k = mod.len; k > 0 && mod.ptr[k - 1] != '/'; k--) {} /* basename */
        mod.ptr += k;
        mod.len -= k;
    }
    pp->name.len = 0;
    if (ps->opt.pprof.unsymbolized == RF_PPROF_UNSYMBOLIZED_MODULE) {
        bad = rf__pp_put(ps, pp, "[", 1) || (mod.len ? rf__pp_put(ps, pp, mod.ptr, mod.len) : rf__pp_put(ps, pp, "unknown", 7)) ||
              rf__pp_put(ps, pp, "]", 1);
    } else if (mod.len && l->address >= m->start && l->address < m->limit) {
        bad = rf__pp_put(ps, pp, mod.ptr, mod.len) || rf__pp_put(ps, pp, "+", 1) ||
              rf__pp_put_hex(ps, pp, l->address - m->start + m->offset);
    } else {
        bad = rf__pp_put_hex(ps, pp, l->address);
    }
    if (bad) return rf__pp_oom(ps);
    return rf__pp_intern_push(ps, &pp->frames, pp->name.data, pp->name.len);
}

/* Builds (once) the root-first frame list of a location: its last line is the function
   the others were inlined into, so the lines are taken in reverse. */
static rf_result rf__pp_build_frames(rf_parser *ps, rf__pprof *pp, rf__pp_loc *l) {
    size_t start = pp->frames.len;
    uint32_t k;
    rf_result r = RF_OK;
    if (l->nlines == 0) r = rf__pp_addr_frame(ps, pp, l);
    for (k = l->nlines; r == RF_OK && k-- > 0;) {
        const rf__pp_line *ln = &pp->line[l->line_start + k];
        rf__pp_fn *fn = &pp->fn[ln->fn];
        rf_strview name = pp->str[fn->name];
        if (!name.len) name = pp->str[fn->system_name];
        if (!name.len) {
            r = rf__pp_addr_frame(ps, pp, l);
        } else if (ps->opt.pprof.frames == RF_PPROF_FRAMES_FILE_LINE) {
            rf_strview file = pp->str[fn->filename];
            char num[32];
            pp->name.len = 0;
            if (rf__pp_put(ps, pp, name.ptr, name.len) || rf__pp_put(ps, pp, " (", 2) ||
                (file.len ? rf__pp_put(ps, pp, file.ptr, file.len) : rf__pp_put(ps, pp, "?", 1)) ||
                (ln->line > 0 && (rf__pp_put(ps, pp, ":", 1) || rf__pp_put(ps, pp, num, rf_format_weight(ln->line, 0, num)))) ||
                rf__pp_put(ps, pp, ")", 1))
                return rf__pp_oom(ps);
            r = rf__pp_intern_push(ps, &pp->frames, pp->name.data, pp->name.len);
        } else {
            if (fn->name_id == RF__NO_ID && (fn->name_id = rf__intern(ps->dst, name.ptr, name.len)) == RF__NO_ID)
                return rf__pp_oom(ps);
            if (rf__ids_push(ps->al, &pp->frames, fn->name_id)) return rf__pp_oom(ps);
        }
    }
    if (r != RF_OK) return r;
    if (pp->frames.len - start > RF_MAX_DEPTH) l->nframes = RF_MAX_DEPTH + 1; /* only "too deep" matters */
    else l->nframes = (uint32_t)(pp->frames.len - start);
    l->frame_start = start;
    return RF_OK;
}

/* Valid samples that a call tree cannot hold (no frames, negative values): dropped,
   counted as skipped and warned about once; not an error even in strict mode. */
static void rf__pp_drop(rf_parser *ps, rf__pprof *pp, const char *why) {
    if (ps->stats.skipped++ == 0) ps->stats.first_skipped_reason = why;
    if (!pp->dropped_warned) {
        pp->dropped_warned = 1;
        rf__warn(ps, why, NULL);
    }
}

/* Appends the location indices of one location_id record (packed or not) to pp->sloc. */
static rf_result rf__pp_locs(rf_parser *ps, rf__pprof *pp, const rf__pb_field *f, size_t *nloc) {
    rf__pb_field it = *f;
    const char *msg = NULL;
    rf_result r = RF_OK;
    uint64_t v;
    int k;
    while ((k = rf__pb_repeated(&it, &v, &r, &msg)) == 1) {
        uint32_t idx = rf__pp_ids_get(&pp->loc_ids, v);
        if (idx == RF__NO_ID) {
            rf__pp_text d;
            d.n = 0;
            rf__pp_cats(&d, "Sample.location_id ");
            rf__pp_catn(&d, (int64_t)v);
            return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "a sample names an undefined location (malformed profile)", f->at, &d);
        }
        if (*nloc == pp->sloc_cap && rf__grow(ps->al, (void **)&pp->sloc, &pp->sloc_cap, *nloc + 1, sizeof *pp->sloc))
            return rf__pp_oom(ps);
        pp->sloc[(*nloc)++] = idx;
    }
    return k < 0 ? rf__pp_fail(ps, pp, r, msg, f->at, NULL) : RF_OK;
}

/* Adds the stack pp->sloc[0..nloc) (leaf first) under an optional label frame. */
static rf_result rf__pp_add_stack(rf_parser *ps, rf__pprof *pp, size_t nloc, uint32_t label, int64_t weight,
                                  const uint8_t *at) {
    size_t i;
    rf_result r;
    ps->ids.len = 0;
    if (label != RF__NO_ID && rf__ids_push(ps->al, &ps->ids, label)) return rf__pp_oom(ps);
    for (i = nloc; i-- > 0;) {
        rf__pp_loc *l = &pp->loc[pp->sloc[i]];
        size_t need;
        if (l->nframes == RF__NO_ID && (r = rf__pp_build_frames(ps, pp, l)) != RF_OK) return r;
        if (ps->ids.len + l->nframes > RF_MAX_DEPTH) return rf__skip(ps, "stack deeper than RF_MAX_DEPTH");
        need = ps->ids.len + l->nframes;
        if (need > ps->ids.cap && rf__grow(ps->al, (void **)&ps->ids.v, &ps->ids.cap, need, sizeof(uint32_t)))
            return rf__pp_oom(ps);
        memcpy(ps->ids.v + ps->ids.len, pp->frames.v + l->frame_start, l->nframes * sizeof(uint32_t));
        ps->ids.len = need;
    }
    if (ps->ids.len == 0) {
        rf__pp_drop(ps, pp, "samples without locations were dropped");
        return RF_OK;
    }
    r = rf__profile_add_ids(ps->dst, ps->ids.v, ps->ids.len, weight, 0, 0);
    if (r == RF_ERR_OVERFLOW) return rf__pp_fail(ps, pp, r, "total weight overflows 64 bits", at, NULL);
    return r == RF_OK ? RF_OK : rf__pp_oom(ps);
}

static uint32_t rf__pp_stack_hash(const rf__pp_stack *s) {
    return (uint32_t)(rf__hash(s->ids, s->len) ^ ((uint64_t)s->label * 0x9E3779B97F4A7C15ull) ^ s->wt);
}

/* Sums a sample into the unique-stack table (first-seen order is kept for the tree). */
static rf_result rf__pp_stack_add(rf_parser *ps, rf__pprof *pp, const rf__pp_stack *s) {
    size_t j, mask, i;
    uint32_t h = rf__pp_stack_hash(s);
    if ((pp->nstacks + 1) * 2 > pp->stack_tab_cap) { /* grow and rehash at load 1/2 */
        size_t ncap = pp->stack_tab_cap ? pp->stack_tab_cap * 2 : 1024, bytes;
        uint32_t *nt;
        if (!rf__mul_size(ncap, sizeof(uint32_t), &bytes) || !(nt = (uint32_t *)rf__malloc(ps->al, bytes)))
            return rf__pp_oom(ps);
        memset(nt, 0, bytes);
        for (i = 0; i < pp->nstacks; i++) {
            for (j = rf__pp_stack_hash(&pp->stacks[i]) & (ncap - 1); nt[j]; j = (j + 1) & (ncap - 1)) {}
            nt[j] = (uint32_t)i + 1;
        }
        rf__free(ps->al, pp->stack_tab, pp->stack_tab_cap * sizeof(uint32_t));
        pp->stack_tab = nt;
        pp->stack_tab_cap = ncap;
    }
    mask = pp->stack_tab_cap - 1;
    for (j = h & mask; pp->stack_tab[j]; j = (j + 1) & mask) {
        rf__pp_stack *e = &pp->stacks[pp->stack_tab[j] - 1];
        if (e->len == s->len && e->label == s->label && e->wt == s->wt && memcmp(e->ids, s->ids, s->len) == 0) {
            if (e->weight > INT64_MAX - s->weight)
                return rf__pp_fail(ps, pp, RF_ERR_OVERFLOW, "total weight overflows 64 bits", s->ids, NULL);
            e->weight += s->weight;
            return RF_OK;
        }
    }
    if (pp->nstacks >= 0xFFFFFFF0u) return rf__pp_fail(ps, pp, RF_ERR_LIMIT, "too many distinct stacks", s->ids, NULL);
    if (pp->nstacks == pp->stacks_cap &&
        rf__grow(ps->al, (void **)&pp->stacks, &pp->stacks_cap, pp->nstacks + 1, sizeof *pp->stacks))
        return rf__pp_oom(ps);
    pp->stacks[pp->nstacks] = *s;
    pp->stack_tab[j] = (uint32_t)++pp->nstacks;
    return RF_OK;
}

static rf_result rf__pp_sample(rf_parser *ps, rf__pprof *pp, rf__pb m, const uint8_t *at) {
    rf__pb_field f, it, locf;
    const uint8_t *locf_end = NULL;
    size_t nloc = 0, nvals = 0, nrec = 0;
    int64_t value = 0;
    int have_label = 0, k;
    uint64_t v, lv[5];
    const char *msg = NULL;
    rf_result r;
    rf__pp_stack st;
    pp->name.len = 0; /* collects the group_by_label values */
    memset(&locf, 0, sizeof locf);
    while (m.p < m.end) {
        if ((r = rf__pb_next(&m, &f, &msg)) != RF_OK) return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, msg, f.at, NULL);
        if (f.num == 1) {
            /* one record (the usual case) is kept raw for the stack table; more are decoded */
            if (f.wt != RF__PB_VARINT && f.wt != RF__PB_LEN)
                return rf__pp_wire(ps, pp, &f, RF__PB_LEN, "Sample.location_id");
            if (nrec == 1 && (r = rf__pp_locs(ps, pp, &locf, &nloc)) != RF_OK) return r;
            if (nrec >= 1 && (r = rf__pp_locs(ps, pp, &f, &nloc)) != RF_OK) return r;
            if (nrec++ == 0) {
                locf = f;
                locf_end = m.p;
            }
        } else if (f.num == 2) {
            it = f;
            while ((k = rf__pb_repeated(&it, &v, &r, &msg)) == 1) {
                if (nvals == pp->col) value = (int64_t)v;
                nvals++;
            }
            if (k < 0) return rf__pp_fail(ps, pp, r, msg, f.at, NULL);
        } else if (f.num == 3) {
            if ((r = rf__pp_wire(ps, pp, &f, RF__PB_LEN, "Sample.label")) != RF_OK) return r;
            if ((r = rf__pp_scalars(ps, pp, f.sub, lv, 4, (1u << 1) | (1u << 2) | (1u << 4), rf__pp_label_names)) != RF_OK)
                return r;
            if (pp->group_key && rf__pp_is(pp->str[lv[1]], pp->group_key, pp->group_key_len)) {
                char num[32];
                int bad = have_label && rf__pp_put(ps, pp, ",", 1);
                if (lv[2]) bad = bad || rf__pp_put(ps, pp, pp->str[lv[2]].ptr, pp->str[lv[2]].len);
                else bad = bad || rf__pp_put(ps, pp, num, rf_format_weight((int64_t)lv[3], 0, num));
                if (bad) return rf__pp_oom(ps);
                have_label = 1;
            }
        }
    }
    if (nvals != pp->ntypes) {
        rf__pp_text d;
        d.n = 0;
        rf__pp_catn(&d, (int64_t)nvals);
        rf__pp_cats(&d, " values, ");
        rf__pp_catn(&d, (int64_t)pp->ntypes);
        rf__pp_cats(&d, " sample types");
        return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "a sample's value count differs from the number of sample types", at, &d);
    }
    if (value == 0) /* nothing in the chosen column; its ids must still be valid, as in pprof */
        return nrec == 1 ? rf__pp_locs(ps, pp, &locf, &nloc) : RF_OK;
    if (value < 0) {
        rf__pp_drop(ps, pp, "samples with negative values were dropped (a call tree holds no negative weights)");
        return RF_OK;
    }
    st.label = RF__NO_ID;
    if (pp->group_key) { /* "KEY=VALUE" root frame */
        size_t vlen = pp->name.len;
        if (rf__buf_reserve(ps->al, &pp->name, pp->group_key_len + 2)) return rf__pp_oom(ps);
        memmove(pp->name.data + pp->group_key_len + 1, pp->name.data, vlen);
        memcpy(pp->name.data, pp->group_key, pp->group_key_len);
        pp->name.data[pp->group_key_len] = '=';
        pp->name.len = pp->group_key_len + 1 + vlen;
        if (!have_label && rf__pp_put(ps, pp, "?", 1)) return rf__pp_oom(ps);
        if ((st.label = rf__intern(ps->dst, pp->name.data, pp->name.len)) == RF__NO_ID) return rf__pp_oom(ps);
    }
    ps->stats.samples++;
    if (nrec > 1) return rf__pp_add_stack(ps, pp, nloc, st.label, value, at);
    if (nrec == 1 && locf.wt == RF__PB_LEN) {
        st.ids = locf.sub.p;
        st.len = (uint32_t)(locf.sub.end - locf.sub.p);
    } else { /* a single unpacked id: its bytes sit between the tag and the record end */
        st.ids = nrec ? locf.at : at;
        st.len = nrec ? (uint32_t)(locf_end - locf.at) : 0;
    }
    st.wt = nrec ? locf.wt : (unsigned)RF__PB_LEN;
    st.weight = value;
    return rf__pp_stack_add(ps, pp, &st);
}

/* Pass 3: fold the samples, summing identical ones, then add the unique stacks in the
   order they were first seen. */
static rf_result rf__pp_pass_samples(rf_parser *ps, rf__pprof *pp) {
    rf__pb r;
    rf__pb_field f;
    const char *msg = NULL;
    rf_result e;
    size_t i;
    r.p = (const uint8_t *)pp->data.data;
    r.end = r.p + pp->data.len;
    while (r.p < r.end) {
        rf__pb_next(&r, &f, &msg);
        if (f.num == 2 && (e = rf__pp_sample(ps, pp, f.sub, f.at)) != RF_OK) return e;
    }
    for (i = 0; i < pp->nstacks; i++) {
        const rf__pp_stack *s = &pp->stacks[i];
        rf__pb_field lf;
        size_t nloc = 0;
        memset(&lf, 0, sizeof lf);
        lf.at = s->ids;
        lf.wt = s->wt;
        if (s->wt == RF__PB_LEN) {
            lf.sub.p = s->ids;
            lf.sub.end = s->ids + s->len;
        } else { /* re-read the single unpacked record */
            rf__pb one;
            one.p = s->ids;
            one.end = s->ids + s->len;
            rf__pb_next(&one, &lf, &msg);
        }
        if ((e = rf__pp_locs(ps, pp, &lf, &nloc)) != RF_OK) return e;
        if ((e = rf__pp_add_stack(ps, pp, nloc, s->label, s->weight, s->ids)) != RF_OK) return e;
    }
    return RF_OK;
}

static rf_result rf__pp_decode(rf_parser *ps, rf__pprof *pp) {
    size_t nsamples;
    rf_result r;
    const char *key = ps->opt.pprof.group_by_label;
    if (key && *key) {
        pp->group_key = key;
        pp->group_key_len = strlen(key);
    }
    if ((r = rf__pp_pass_counts(ps, pp, &nsamples)) != RF_OK) return r;
    if ((r = rf__pp_pass_tables(ps, pp)) != RF_OK) return r;
    if ((r = rf__pp_choose_column(ps, pp)) != RF_OK) return r;
    if (pp->drop_frames || pp->keep_frames)
        rf__warn(ps, "the profile's drop_frames/keep_frames patterns are not applied", NULL);
    return nsamples ? rf__pp_pass_samples(ps, pp) : RF_OK;
}

static rf_result rf__pprof_take(rf_parser *ps, rf__pprof *pp, const char *d, size_t n) {
    rf_result r;
    if (pp->mode == 2) {
        if ((r = rf__inflate_feed(pp->z, &pp->data, d, n)) != RF_OK)
            return rf__fail_at(ps, r, pp->z->msg, pp->z->err_offset, 0, 0);
        return RF_OK;
    }
    if (n > RF_MAX_INPUT - pp->data.len)
        return rf__fail_at(ps, RF_ERR_LIMIT, "pprof input larger than RF_MAX_INPUT", pp->data.len, 0, 0);
    if (rf__buf_append(ps->al, &pp->data, d, n)) return rf__pp_oom(ps);
    return RF_OK;
}

/* gzip when it starts with 1f 8b (as pprof decides), else a raw protobuf. A lone 0x1f is
   taken as cut-off gzip: no protobuf starts with it (field 3, wire type 7). */
static rf_result rf__pprof_start(rf_parser *ps, rf__pprof *pp) {
    if (pp->head[0] == 0x1f && (pp->nhead == 1 || pp->head[1] == 0x8b)) {
        pp->z = (rf__inflate *)rf__malloc(ps->al, sizeof *pp->z);
        if (!pp->z) return rf__pp_oom(ps);
        rf__inflate_init(pp->z, ps->al, ps->opt.pprof.max_inflate);
        pp->mode = 2;
    } else {
        pp->mode = 1;
    }
    return rf__pprof_take(ps, pp, (const char *)pp->head, pp->nhead);
}

static rf_result rf__pprof_feed(rf_parser *ps, const char *d, size_t n) {
    rf__pprof *pp = (rf__pprof *)ps->impl;
    rf_result r;
    while (pp->mode == 0 && n) {
        pp->head[pp->nhead++] = (unsigned char)*d++;
        n--;
        if (pp->nhead == 2 && (r = rf__pprof_start(ps, pp)) != RF_OK) return r;
    }
    return n ? rf__pprof_take(ps, pp, d, n) : RF_OK;
}

static void rf__pprof_release(rf_parser *ps, rf__pprof *pp) {
    const rf_allocator *al = ps->al;
    rf__free(al, pp->z, sizeof *pp->z);
    pp->z = NULL;
    rf__buf_free(al, &pp->data);
    rf__free(al, pp->str, pp->nstr * sizeof *pp->str);
    rf__free(al, pp->types, pp->cap_types * 2 * sizeof *pp->types);
    rf__free(al, pp->fn, pp->cap_fn * sizeof *pp->fn);
    rf__free(al, pp->loc, pp->cap_loc * sizeof *pp->loc);
    rf__free(al, pp->map, pp->cap_map * sizeof *pp->map);
    rf__free(al, pp->line, pp->line_cap * sizeof *pp->line);
    pp->str = NULL;
    pp->types = NULL;
    pp->fn = NULL;
    pp->loc = NULL;
    pp->map = NULL;
    pp->line = NULL;
    rf__pp_ids_free(al, &pp->fn_ids);
    rf__pp_ids_free(al, &pp->loc_ids);
    rf__pp_ids_free(al, &pp->map_ids);
    rf__ids_free(al, &pp->frames);
    rf__free(al, pp->sloc, pp->sloc_cap * sizeof *pp->sloc);
    pp->sloc = NULL;
    rf__free(al, pp->stacks, pp->stacks_cap * sizeof *pp->stacks);
    pp->stacks = NULL;
    rf__free(al, pp->stack_tab, pp->stack_tab_cap * sizeof *pp->stack_tab);
    pp->stack_tab = NULL;
    rf__buf_free(al, &pp->name);
}

static rf_result rf__pprof_finish(rf_parser *ps) {
    rf__pprof *pp = (rf__pprof *)ps->impl;
    rf_result r;
    if (pp->mode == 0) {
        if (pp->nhead == 0) return rf__fail_at(ps, RF_ERR_EMPTY, "empty pprof input", 0, 0, 0);
        if ((r = rf__pprof_start(ps, pp)) != RF_OK) return r;
    }
    if (pp->mode == 2) {
        if ((r = rf__inflate_finish(pp->z)) != RF_OK) return rf__fail_at(ps, r, pp->z->msg, pp->z->err_offset, 0, 0);
        rf__free(ps->al, pp->z, sizeof *pp->z); /* done with the decoder: 30 KB back before decoding */
        pp->z = NULL;
    }
    r = rf__pp_decode(ps, pp);
    rf__pprof_release(ps, pp);
    return r;
}

static void rf__pprof_destroy(rf_parser *ps) {
    rf__pprof *pp = (rf__pprof *)ps->impl;
    if (!pp) return;
    rf__pprof_release(ps, pp);
    rf__free(ps->al, pp, sizeof *pp);
    ps->impl = NULL;
}

/* For format detection: does `s` start like a raw (uncompressed) Profile message? Every
   record seen must be a Profile field with its proper wire type; it takes three records, or
   fewer that end exactly at the end of a short input, or a complete record followed by one
   that runs past a truncated head. Text formats fail at once: their first bytes make wrong field/wire-type
   pairs. (gzip input is recognised by its 1f 8b magic alone.) */
RF__INTERNAL int rf__pprof_sniff(const unsigned char *s, size_t n) {
    /* bit f set: field f is length-delimited; others up to 15 are varints (13 may be both) */
    const unsigned len_fields = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 11);
    rf__pb r;
    rf__pb_field f;
    const char *msg = NULL;
    int records = 0;
    r.p = s;
    r.end = s + n;
    while (r.p < r.end && records < 3) {
        rf_result e = rf__pb_next(&r, &f, &msg);
        if (e != RF_OK)
            return records > 0 && e == RF_ERR_TRUNCATED && f.wt == RF__PB_LEN && f.num <= 15 && ((len_fields >> f.num) & 1u);
        if (f.num > 15) return 0;
        if (f.num == 13 ? (f.wt != RF__PB_VARINT && f.wt != RF__PB_LEN)
                        : f.wt != (((len_fields >> f.num) & 1u) ? (unsigned)RF__PB_LEN : (unsigned)RF__PB_VARINT))
            return 0;
        records++;
    }
    return records >= 3 || (records > 0 && r.p == r.end);
}

static const rf__parser_vt rf__pprof_vt = {rf__pprof_feed, rf__pprof_finish, rf__pprof_destroy};

static rf_result rf__pprof_init(rf_parser *ps) {
    rf__pprof *pp = (rf__pprof *)rf__malloc(ps->al, sizeof *pp);
    if (!pp) return rf__pp_oom(ps);
    memset(pp, 0, sizeof *pp);
    ps->impl = pp;
    ps->vt = &rf__pprof_vt;
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
    if (rf__pprof_sniff(s, n)) return RF_FORMAT_PPROF;
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
