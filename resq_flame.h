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
       RF_JSON_MAX_DEPTH    deepest JSON nesting accepted              default 2*RF_MAX_DEPTH+16
       RF_SVG_DATA_BUDGET   bytes of call tree embedded in an SVG      default 8 MiB

   SECTIONS (grep for the tag; the same tag marks the API and its implementation)
       [rf:config]  [rf:types]  [rf:errors]  [rf:memory]  [rf:profile]  [rf:parser]
       [rf:folded]  [rf:inflate]  [rf:protobuf]  [rf:pprof]
       [rf:json]  [rf:v8]  [rf:speedscope]  [rf:jsc]  [rf:svg]  [rf:transform]  [rf:text]  [rf:detect]  [rf:transform]  [rf:write-folded]  [rf:stdio]

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
/* What the first levels of frames are: RF_ROOTS_PROCESS and/or RF_ROOTS_THREAD
   (set by parsers that put process/thread frames at the root), 0 = plain stacks. */
RF_API unsigned rf_profile_roots(const rf_profile *p);
RF_API rf_result rf_profile_set_roots(rf_profile *p, unsigned roots);

/* Calls fn for every node with a nonzero self weight: frames root first, self
   points at rf_profile_columns() weights. A nonzero return stops the walk and
   is turned into RF_ERR_WRITE. */
typedef int (*rf_stack_fn)(void *ctx, const rf_strview *frames, size_t n, const int64_t *self);
RF_API rf_result rf_profile_foreach_stack(const rf_profile *p, rf_stack_fn fn, void *ctx);

/* Adds every stack of src to dst (same column count, or dst empty). */
RF_API rf_result rf_profile_merge(rf_profile *dst, const rf_profile *src);

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

/* A regular-expression engine plugged in by the caller (the header has none): compile returns
   a handle for the NUL-terminated pattern, or NULL when it is not valid; match returns nonzero
   when the pattern matches somewhere in s[0..len) (not NUL-terminated); release frees a handle.
   The CLI plugs in POSIX regcomp/regexec (extended syntax). */
typedef struct rf_regex_engine {
    void *(*compile)(void *ctx, const char *pattern);
    int (*match)(void *ctx, void *re, const char *s, size_t len);
    void (*release)(void *ctx, void *re);
    void *ctx;
} rf_regex_engine;

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
    /* With an engine, the profile's own drop_frames/keep_frames patterns are applied as
       `go tool pprof` applies them: in each sample, from the first location whose function
       name (argument list cut off) fully matches drop_frames and not keep_frames, that frame
       and everything it called are removed (frames above the first non-matching root frame
       are kept). Without one (all NULL), a profile that sets them gets a warning. A pattern
       the engine rejects is ignored with a warning, as pprof does. */
    rf_regex_engine regex;
} rf_pprof_options;

/* ===== [rf:json] ========================================================= */
/* How JavaScript frames are named (V8 .cpuprofile/.heapprofile, JSC samples, speedscope).
   file = the url's last path component for file://, http(s):// and absolute paths (query
   and fragment dropped), the whole url otherwise (node:internal/timers); line is 1-based.
   JSC frames add the column ("name (file:line:col)"), as JSC tells frames apart by it. */
typedef enum rf_frame_names {
    RF_FRAME_NAMES_DEFAULT = 0,    /* the function name; "" -> "(anonymous)" */
    RF_FRAME_NAMES_ANON_LOCATION,  /* "" -> "(anonymous file:line)"; named frames unchanged */
    RF_FRAME_NAMES_LOCATION        /* "name (file:line)" whenever the file is known */
} rf_frame_names;

typedef enum rf_v8_weight {
    RF_V8_WEIGHT_SAMPLES = 0,      /* 1 per entry of `samples`; unit "samples" */
    RF_V8_WEIGHT_TIME              /* microseconds from timeDeltas: sample i lasts until
                                      sample i+1 (negative deltas count 0), the last one
                                      until endTime; unit "microseconds" */
} rf_v8_weight;

typedef struct rf_v8_options {
    rf_frame_names names;          /* default RF_FRAME_NAMES_DEFAULT (cpu, heap and JSC) */
    rf_v8_weight weight;           /* default RF_V8_WEIGHT_SAMPLES (cpuprofile only) */
    int drop_idle;                 /* 1: leave out "(idle)" samples; default 0 (kept) */
} rf_v8_options;

typedef struct rf_speedscope_options {
    int profile_index;             /* 0: merge every profile (default); N: only the N-th, 1-based */
    const char *profile_name;      /* NULL: every profile; else only those with exactly this name */
    int profile_roots;             /* 1: each profile's stacks under a root frame named after
                                      it ("profile N" when unnamed); default 0 */
    rf_frame_names names;          /* default: the frame name; LOCATION: "name (file:line)" */
} rf_speedscope_options;

/* ===== [rf:text] options ================================================ */
/* `perf script` text: stackcollapse-perf.pl's options, plus off-CPU time. Zero = its defaults. */
typedef struct rf_perf_options {
    int pid;                  /* 1: root frame "comm-PID" (PID "?" when perf printed one number) */
    int tid;                  /* 1: root frame "comm-PID/TID" (wins over pid) */
    int kernel;               /* 1: "_[k]" after kernel frames ([...] modules, .../vmlinux) */
    int jit;                  /* 1: "_[j]" after frames whose module is /tmp/perf-N.map */
    int all;                  /* 1: kernel and jit */
    int addrs;                /* 1: "[module <addr>]" instead of "[module]" for unknown symbols */
    const char *event_filter; /* NULL or "": keep the first event seen (others skipped, one
                                 warning); else only this event ("cycles", "cpu-clock:ppp") */
    int count_samples;        /* 1: weight 1 per sample; default: the period when printed, else 1 */
    int offcpu;               /* 1: sched:sched_switch capture -> off-CPU time per blocking stack,
                                 in microseconds (unit "microseconds"); other events ignored */
    int srcline;              /* 1: append ":file:line" from `perf script -F+srcline` lines
                                 (default: such lines are recognised and ignored) */
} rf_perf_options;

/* What an austin sample weighs. */
typedef enum rf_austin_metric {
    RF_AUSTIN_METRIC_AUTO = 0, /* from "# mode:" (3.x); 1.x output carries no mode: time */
    RF_AUSTIN_METRIC_TIME,     /* microseconds (wall/cpu; the time field of full mode) */
    RF_AUSTIN_METRIC_MEMORY    /* bytes (3.x bytes, 1.x kilobytes scaled); 1.x -m needs this */
} rf_austin_metric;

typedef struct rf_austin_options {
    int threads;  /* 1: "process PID" and "thread TID" root frames (default: threads merged) */
    int metric;   /* rf_austin_metric, default RF_AUSTIN_METRIC_AUTO */
    int frees;    /* memory: 1 = weigh the negative deltas (frees); default: allocations only */
    int no_lines; /* 1: "func (file)" frames, line numbers dropped (default "func (file:line)") */
} rf_austin_options;

/* ===== [rf:parser] ======================================================= */
typedef struct rf_parse_options {
    rf_format format;        /* RF_FORMAT_AUTO (0) = detect from the first bytes */
    int strict;              /* 0: malformed lines are skipped and counted; 1: error */
    /* Optional warning sink (skipped lines, filtered events...). Called at most
       a few times per parse; w->message is static, w->detail has context. */
    void (*warn)(void *ctx, const rf_error *w);
    void *warn_ctx;
    rf_pprof_options pprof;  /* pprof input: value column, frame names, label roots, inflate limit */
    rf_v8_options v8;        /* V8 cpuprofile/heapprofile and JSC samples input */
    rf_speedscope_options speedscope; /* speedscope input: profile choice, frame names */
    rf_perf_options perf;    /* perf script input (stackcollapse-perf.pl options, off-CPU) */
    rf_austin_options austin; /* austin input */
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
/* The whole input as the parser's first and only chunk, lent until rf_parser_free: readers
   that must hold all of their input (JSON, SVG, uncompressed pprof) read it in place instead
   of copying it (an mmap'ed file, say). Otherwise the same as rf_parser_feed. */
RF_API rf_result rf_parser_feed_whole(rf_parser *ps, const void *data, size_t n, rf_error *err);
RF_API rf_result rf_parser_finish(rf_parser *ps, rf_error *err);
RF_API const rf_parse_stats *rf_parser_stats(const rf_parser *ps);
RF_API void rf_parser_free(rf_parser *ps);

/* One-shot: parser_new + feed_whole + finish + free. */
RF_API rf_result rf_parse(rf_profile *dst, const void *data, size_t n,
                          const rf_parse_options *opt, rf_error *err);

/* ===== [rf:text] ========================================================= */
/* Splitting one `perf script` text for parallel parsing: the offset just after the first
   blank line at or after `from` (where a sample starts), or n when there is none. Parse
   [0,k) and [k,n) with two parsers into two profiles, then rf_profile_merge(dst, src) (adds
   every stack of src to dst): the result equals a whole-buffer parse, provided both parts
   use the same event filter (see rf_perf_first_event). Not for off-CPU mode, whose
   switch-out/switch-in pairs straddle the cut. Thread-safe (reads buf only). */
RF_API size_t rf_perf_split_point(const void *buf, size_t n, size_t from);

/* The event name of the first sample header in buf ("cpu-clock:ppp"), written NUL-terminated
   into out (cut to cap-1 bytes); returns its length, 0 when buf has no sample header with an
   event. Set it as opt.perf.event_filter on every part of a split input, so each part keeps
   the event a whole-file parse would keep. */
RF_API size_t rf_perf_first_event(const void *buf, size_t n, char *out, size_t cap);

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

/* ===== [rf:transform] ==================================================== */
/* Views and filters, differential profiles, top-N tables.

   A transform READS a profile and BUILDS A NEW ONE: the source is never changed, so one
   parsed profile can feed several views (a graph, a table, a diff). The result uses the
   source's allocator and keeps its decimals, unit and sample type; the caller frees it with
   rf_profile_free. On failure *out is NULL. */

/* A frame predicate: nonzero when the frame name (name[0..len), not NUL-terminated)
   matches. The header has no regular-expression engine; callers plug one in (the CLI uses
   POSIX regcomp/regexec). Each distinct name is tested at most once per transform. */
typedef int (*rf_frame_pred)(void *ctx, const char *name, size_t len);

/* Grouping frames a parser put at the root of every stack (rf_profile_roots). */
#define RF_ROOTS_PROCESS 1u /* first level: one frame per process ("comm" or "comm-PID" from
                               perf, "process PID" from austin) */
#define RF_ROOTS_THREAD 2u  /* next level (the first without PROCESS): one frame per thread.
                               Alone it is perf --tid's "comm-PID/TID": the process is the
                               part before the last '/' */

typedef enum rf_group_by {
    RF_GROUP_KEEP = 0, /* as the input has them (default) */
    RF_GROUP_NONE,     /* drop the process/thread frames: one tree for all of them */
    RF_GROUP_PROCESS,  /* one root per process (thread frames dropped, or renamed to their process) */
    RF_GROUP_THREAD    /* one root per thread; RF_ERR_UNSUPPORTED when the input has none */
} rf_group_by;

typedef struct rf_view_options {
    /* Applied to every stack in this order (zero = off): */
    rf_group_by group_by;
    unsigned roots;            /* RF_ROOTS_* of the source; 0 = what the profile says */
    int strip_hex;             /* "0x" + hex digits -> "0x..." in every name (difffolded -s) */
    rf_frame_pred skip_after;  /* the root-most matching frame becomes the root: the frames
                                  above it go; stacks without a match stay as they are */
    void *skip_after_ctx;
    rf_frame_pred focus;       /* keep only stacks that have a matching frame */
    void *focus_ctx;
    rf_frame_pred ignore;      /* drop stacks that have a matching frame */
    void *ignore_ctx;
    rf_frame_pred hide;        /* remove matching frames; their callees move up to the caller */
    void *hide_ctx;
    int collapse_recursion;    /* a frame calling itself directly (same name) appears once */
    int reverse;               /* leaf first: the callers view */
    const char *root;          /* a frame of this name above every stack (e.g. "off-CPU") */
    const char *annotate;      /* appended to every frame name, the root frame included
                                  (e.g. "_[w]", which the SVG writer colours and strips) */
    int64_t multiply;          /* weights times this; 0 or 1 = unchanged (unit conversion) */
} rf_view_options;

/* The view of src the options describe, as a new profile. RF_ERR_UNSUPPORTED when group_by
   needs grouping frames the source does not have, RF_ERR_OVERFLOW when multiply overflows. */
RF_API rf_result rf_profile_view(const rf_profile *src, const rf_view_options *o, rf_profile **out);

typedef struct rf_diff_options {
    int normalize;      /* difffolded -n: every before count becomes int(count * total_after /
                           total_before), computed as Perl does, when the totals differ */
    int strip_hex;      /* difffolded -s: "0x" + hex digits -> "0x..." */
    int integer_counts; /* truncate fractional counts to integers (each input stack), as
                           inferno's diff-folded does; otherwise they stay exact */
} rf_diff_options;

/* A two-column profile from two one-column ones: column 0 = before, 1 = after; a stack
   missing on one side has 0 there. The unit is the after's. RF_ERR_INVALID_ARGUMENT when an
   input already has two columns. */
RF_API rf_result rf_profile_diff(const rf_profile *before, const rf_profile *after,
                                 const rf_diff_options *o, rf_profile **out);

typedef enum rf_top_by {
    RF_TOP_SELF = 0,     /* self weight in column `col` */
    RF_TOP_TOTAL,        /* total (inclusive) weight in column `col` */
    RF_TOP_SELF_CHANGE,  /* two columns: self share change, largest growth first */
    RF_TOP_TOTAL_CHANGE  /* two columns: total share change, largest growth first */
} rf_top_by;

typedef struct rf_top_entry {
    rf_strview name;          /* points into the profile */
    int64_t self[2], total[2]; /* per column ([1] = 0 for one column); fixed-point as the profile */
    double self_change, total_change; /* two columns: share of the after total minus share of
                                         the before total, in percentage points */
} rf_top_entry;

/* Per-function figures, largest first by `by` (ties: by name bytes), into out[0..n); *count
   says how many were written. self sums a function's own weight over the tree; total counts
   it once per stack, so recursion is not counted twice (as flame graph tools do). Pass
   n = rf_profile_name_count(p) for every function. */
RF_API rf_result rf_profile_top(const rf_profile *p, rf_top_by by, int col, rf_top_entry *out,
                                size_t n, size_t *count);

/* ===== [rf:svg] ========================================================== */
/* Interactive SVG flame graphs (and reading our own SVGs back: RF_FORMAT_SVG).

   Options carry flamegraph.pl's names and defaults; a zeroed struct (or NULL) means all
   defaults. Strings are NUL-terminated UTF-8 (anything else is shown with U+FFFD) and are
   only read during the call. The output is deterministic: the same profile and options
   give the same bytes. See the [rf:svg] implementation comment for the document layout and
   the embedded data format. */
#ifndef RF_SVG_DATA_BUDGET
#define RF_SVG_DATA_BUDGET ((size_t)8 << 20) /* bytes of embedded call tree (see data_budget) */
#endif

/* Which counts set the frame widths of a differential (two-column) graph. Only the layout
   changes: titles always show the real after and before counts, colours the real change. */
typedef enum rf_svg_width_from {
    RF_SVG_WIDTH_AFTER = 0, /* column 1: frames that vanished have no width (flamegraph.pl) */
    RF_SVG_WIDTH_BEFORE,    /* column 0: frames that appeared have no width */
    RF_SVG_WIDTH_MAX        /* each frame's self weight is max(before, after) and totals sum
                               those, so frames that vanished and frames that appeared are
                               both drawn, and a parent stays as wide as its children */
} rf_svg_width_from;

typedef struct rf_svg_options {
    const char *title;        /* "Flame Graph" ("Icicle Graph" when inverted) */
    const char *subtitle;     /* none */
    double width;             /* 1200: image width in px at first paint; the script then fills
                                 the window (svg width 100%) and lays out again on resize */
    double height;            /* 16: height of one frame row in px */
    const char *minwidth;     /* "0.1": frames narrower than this many px are not drawn; "N%"
                                 means N percent of the width. Zooming draws them again */
    const char *fonttype;     /* "Verdana" (letters, digits, space and _ , . ' - only) */
    double fontsize;          /* 12 */
    double fontwidth;         /* 0.59: average glyph width / fontsize, for fitting labels */
    const char *countname;    /* rf_profile_unit(p), i.e. "samples" unless the input said */
    const char *nametype;     /* "Function:" (prefix of the hover line) */
    const char *colors;       /* "hot"; mem io wakeup java js perl python rust red green blue
                                 aqua yellow purple orange. Differential profiles are red/blue */
    const char *bgcolors;     /* by palette as flamegraph.pl: yellow (hot, java, js, perl,
                                 python, rust), blue (mem), grey (io, wakeup, flat colours);
                                 or "yellow" "blue" "green" "grey" "#rrggbb" */
    int hash;                 /* 1: flamegraph.pl's name hash picks the shade (--hash); 0: a
                                 64-bit hash of the name does. Either way a pure function of
                                 the name, so colours are stable across runs and graphs */
    int cp;                   /* flamegraph.pl --cp (consistent palette): accepted; colours are
                                 always consistent (see hash), so no palette.map is needed */
    int reverse;              /* stack-reversed graph (leaf frames at the bottom) */
    int inverted;             /* icicle graph: root at the top, growing downwards */
    int flamechart;           /* keep children in the profile's insertion order instead of
                                 sorting them (a merged tree has no time axis; this is the
                                 closest to flamegraph.pl --flamechart it can draw) */
    int negate;               /* differential: swap red and blue */
    int width_from;           /* differential: an rf_svg_width_from, RF_SVG_WIDTH_AFTER by
                                 default; ignored for one-column profiles */
    double factor;            /* 1: counts are multiplied by this for display */
    const char *notes;        /* text put in an XML comment near the top */
    double total;             /* 0: the 100% total; ignored when smaller than the real sum */
    const char *search_color; /* "rgb(230,0,230)": fill of search matches (#rgb, #rrggbb,
                                 rgb(r,g,b) or a colour name) */
    const char *truncate;     /* "right": long labels keep their start and end in ".."; "left":
                                 they keep their end */
    const char *sort;         /* "alpha": children by name as flamegraph.pl; "weight": widest
                                 first (left-heavy) */
    const char *id_prefix;    /* prefix of every id in the document ([A-Za-z][A-Za-z0-9_-]*,
                                 at most 64); NULL: "fg" + 8 hex digits of a hash of the content,
                                 so several graphs can be inlined in one HTML page */
    size_t data_budget;       /* 0: RF_SVG_DATA_BUDGET. Approximate bytes of the embedded call
                                 tree; over it, the least significant nodes are left out (their
                                 weight stays in their parent) and reading the SVG back warns.
                                 (size_t)-1: no limit */
} rf_svg_options;

/* Writes the flame graph of p as an SVG document through fn. An empty profile (nothing
   to draw) gives a valid SVG that says "No samples", and the call returns RF_ERR_EMPTY
   after writing it. RF_ERR_INVALID_ARGUMENT for bad options (rf_svg_check_options says
   which), RF_ERR_WRITE when fn fails, RF_ERR_OUT_OF_MEMORY. */
RF_API rf_result rf_write_svg(const rf_profile *p, const rf_svg_options *o, rf_write_fn fn, void *ctx);

/* NULL when the options are valid, else a static message naming the bad option. */
RF_API const char *rf_svg_check_options(const rf_svg_options *o);

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

/* A child-table slot is 8 bytes: node << 32 | hash of (parent, name), 0 = empty (the root
   is nobody's child). The key itself is checked in the node, which the weight walk visits
   anyway; so a slot takes half the memory of a self-contained one, a cache line holds
   eight, and growing the table never reads the nodes. */
#define RF__SLOT(node, hash) ((uint64_t)(node) << 32 | (uint32_t)(hash))
#if defined(__GNUC__)
#define RF__PREFETCH(addr) __builtin_prefetch(addr)
#define RF__HOT_INLINE inline __attribute__((always_inline)) /* small readers in million-record loops */
#else
#define RF__PREFETCH(addr) ((void)0)
#define RF__HOT_INLINE inline
#endif

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
    uint64_t *child_tab; /* (parent, name) -> node: RF__SLOT entries, load <= 3/4 */
    size_t child_tab_cap;
    size_t child_tab_nodes; /* nodes [1, child_tab_nodes) are in child_tab; a bulk add leaves the
                               rest out until something looks a child up (rf__child_tab_sync) */
    int columns, decimals;
    unsigned roots; /* RF_ROOTS_*: what the first levels of frames are (process/thread) */
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
    p->child_tab_nodes = 1; /* the root is nobody's child */
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

/* Prefetches the child-table slot where (parent, name) is looked up or will be stored. */
static void rf__child_prefetch(const rf_profile *p, uint32_t parent, uint32_t name_id) {
    if (p->child_tab_cap) RF__PREFETCH(&p->child_tab[rf__child_hash(parent, name_id) & (p->child_tab_cap - 1)]);
}

/* Finds the child of `parent` named `name_id` (h = rf__child_hash); RF_NODE_NONE when absent.
   With `next` (the name a stack asks for below it), the slot of that next lookup is
   prefetched on a hash match, so the node and the next level's slot load in parallel. */
static uint32_t rf__child_find(const rf_profile *p, uint32_t parent, uint32_t name_id, uint32_t h,
                               const uint32_t *next) {
    size_t j, mask = p->child_tab_cap - 1;
    uint64_t e;
    if (p->child_tab_nodes < p->nnodes) { /* table not complete (rf_node_child on a const profile) */
        uint32_t c;
        for (c = p->nodes[parent].first_child; c != RF_NODE_NONE; c = p->nodes[c].next_sibling)
            if (p->nodes[c].name == name_id) return c;
        return RF_NODE_NONE;
    }
    if (!p->child_tab_cap) return RF_NODE_NONE;
    for (j = h & mask; (e = p->child_tab[j]) != 0; j = (j + 1) & mask) {
        const rf__node *nd;
        if ((uint32_t)e != h) continue;
        if (next) rf__child_prefetch(p, (uint32_t)(e >> 32), *next);
        nd = &p->nodes[e >> 32];
        if (nd->name == name_id && nd->parent == parent) return (uint32_t)(e >> 32);
    }
    return RF_NODE_NONE;
}

/* Rebuilds the child table with ncap (a power of two) slots. Old slots are read in order, so
   the new table fills in nearly sequential streams. */
static rf_result rf__child_tab_resize(rf_profile *p, size_t ncap) {
    size_t i, bytes, mask = ncap - 1;
    uint64_t *nt;
    if (!rf__mul_size(ncap, sizeof(uint64_t), &bytes)) return RF_ERR_OUT_OF_MEMORY;
    nt = (uint64_t *)rf__malloc(&p->al, bytes);
    if (!nt) return RF_ERR_OUT_OF_MEMORY;
    memset(nt, 0, bytes);
    for (i = 0; i < p->child_tab_cap; i++) {
        uint64_t e = p->child_tab[i];
        size_t j;
        if (!e) continue;
        for (j = (uint32_t)e & mask; nt[j]; j = (j + 1) & mask) {}
        nt[j] = e;
    }
    rf__free(&p->al, p->child_tab, p->child_tab_cap * sizeof(uint64_t));
    p->child_tab = nt;
    p->child_tab_cap = ncap;
    return RF_OK;
}

static rf_result rf__child_tab_grow(rf_profile *p) {
    return rf__child_tab_resize(p, p->child_tab_cap ? p->child_tab_cap * 2 : 1024);
}

/* Creates the child of `parent` named `name_id`, which must not exist yet. RF_NODE_NONE
   when out of memory. */
static uint32_t rf__child_new(rf_profile *p, uint32_t parent, uint32_t name_id) {
    uint32_t idx, h = rf__child_hash(parent, name_id);
    size_t j, mask;
    rf__node *nd;
    if (p->nnodes >= 0xFFFFFFF0u) return RF_NODE_NONE;
    if (p->nnodes == p->nodes_cap &&
        rf__grow(&p->al, (void **)&p->nodes, &p->nodes_cap, p->nnodes + 1, sizeof(rf__node)))
        return RF_NODE_NONE;
    if (p->columns == 2 && p->nnodes >= p->w1_cap) {
        size_t old = p->w1_cap;
        if (rf__grow(&p->al, (void **)&p->w1, &p->w1_cap, p->nnodes + 1, 2 * sizeof(int64_t)))
            return RF_NODE_NONE;
        memset(p->w1 + old * 2, 0, (p->w1_cap - old) * 2 * sizeof(int64_t));
    }
    /* load up to 3/4: a mismatching slot costs no node read, and probes stay within a line
       or two, while growing (allocating, clearing, rehashing) is a large part of building */
    if ((p->nnodes + 1) * 4 > p->child_tab_cap * 3 && rf__child_tab_grow(p)) return RF_NODE_NONE;
    mask = p->child_tab_cap - 1;
    for (j = h & mask; p->child_tab[j]; j = (j + 1) & mask) {}
    idx = (uint32_t)p->nnodes++;
    p->child_tab[j] = RF__SLOT(idx, h);
    p->child_tab_nodes = p->nnodes;
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

/* Sizes the child table for `nodes` nodes (load <= 3/4, as rf__child_new keeps it) in one
   step, instead of the doublings that adding them one by one would take. */
static rf_result rf__child_tab_reserve(rf_profile *p, size_t nodes) {
    size_t ncap = p->child_tab_cap ? p->child_tab_cap : 1024;
    while ((uint64_t)nodes * 4 > (uint64_t)ncap * 3) {
        if (ncap > (size_t)-1 / 16) return RF_ERR_OUT_OF_MEMORY;
        ncap *= 2;
    }
    return ncap > p->child_tab_cap ? rf__child_tab_resize(p, ncap) : RF_OK;
}

/* Puts the nodes a bulk add left out into the child table, before anything looks up or adds
   a child. A profile that is only written out never pays for it (a third of a big pprof's
   tree-building time, and 8-16 bytes a node). */
static rf_result rf__child_tab_sync(rf_profile *p) {
    size_t i, mask;
    if (p->child_tab_nodes >= p->nnodes) return RF_OK;
    if (rf__child_tab_reserve(p, p->nnodes) != RF_OK) return RF_ERR_OUT_OF_MEMORY;
    mask = p->child_tab_cap - 1;
    for (i = p->child_tab_nodes; i < p->nnodes; i++) { /* slots prefetched a few nodes ahead */
        uint32_t h = rf__child_hash(p->nodes[i].parent, p->nodes[i].name);
        size_t j;
        if (i + 16 < p->nnodes) rf__child_prefetch(p, p->nodes[i + 16].parent, p->nodes[i + 16].name);
        for (j = h & mask; p->child_tab[j]; j = (j + 1) & mask) {}
        p->child_tab[j] = RF__SLOT(i, h);
    }
    p->child_tab_nodes = p->nnodes;
    return RF_OK;
}

/* Finds (or creates) the child of `parent` named `name_id`. RF_NODE_NONE when
   absent (create == 0) or out of memory. */
RF__INTERNAL uint32_t rf__child(rf_profile *p, uint32_t parent, uint32_t name_id, int create) {
    uint32_t idx;
    if (rf__child_tab_sync(p) != RF_OK) return RF_NODE_NONE;
    idx = rf__child_find(p, parent, name_id, rf__child_hash(parent, name_id), NULL);
    if (idx != RF_NODE_NONE || !create) return idx;
    return rf__child_new(p, parent, name_id);
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
    if (rf__child_tab_sync(p) != RF_OK) return RF_ERR_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        uint32_t child = rf__child_find(p, node, ids[i], rf__child_hash(node, ids[i]), i + 1 < n ? &ids[i + 1] : NULL);
        if (child == RF_NODE_NONE) break;
        node = child;
    }
    if (i < n) { /* below a new node everything is new: nothing to look up */
        /* the new nodes get consecutive ids, so the slots they will take are known ahead:
           prefetching them overlaps the cache misses of a long new suffix */
        size_t start = i, k;
        uint32_t base = (uint32_t)p->nnodes;
        for (k = start; k < n && k < start + 8; k++)
            rf__child_prefetch(p, k == start ? node : base + (uint32_t)(k - start - 1), ids[k]);
        for (; i < n; i++) {
            if (i + 8 < n) rf__child_prefetch(p, base + (uint32_t)(i + 7 - start), ids[i + 8]);
            if ((node = rf__child_new(p, node, ids[i])) == RF_NODE_NONE) return RF_ERR_OUT_OF_MEMORY;
        }
    }
    return rf__profile_add_leaf(p, node, w0, w1, decimals);
}

/* Bulk form of rf__profile_add_ids for many stacks at once (the pprof reader sums identical
   samples first and then has every distinct stack in hand). Walking the stacks one by one
   costs a hash lookup per shared frame and a cache miss per lookup once the tree outgrows
   the cache; here the stacks are sorted, so shared prefixes are found by comparing
   neighbours, and the tree is written in one sequential sweep. The result is exactly that
   of calling rf__profile_add_ids on row 0, 1, ... n-1 in turn: the same node ids, sibling
   order and weights (writers and callers see insertion order). */
typedef struct rf__row_ref { uint32_t row, lcp, key; } rf__row_ref; /* key: row's id at lcp */

/* Row r's sort key at frame i: id + 1, or 0 past its end (a prefix sorts first). */
#define RF__ROW_KEY(ids, start, r, i) \
    ((i) < (start)[(r) + 1] - (start)[r] ? (ids)[(start)[r] + (i)] + 1u : 0u)

/* Merges sorted runs a and b (each ref's lcp is with its predecessor in the run) into out,
   comparing frames only where the common prefixes with the last output tie (Ng & Kakehi's
   LCP merge): sorting costs O(n log n) plus the distinguishing prefixes, not n log n times
   the (often long) shared ones. Stable, so identical rows stay in row order. */
static void rf__rows_merge(const uint32_t *ids, const uint32_t *start, const rf__row_ref *a, size_t na,
                           const rf__row_ref *b, size_t nb, rf__row_ref *out) {
    size_t i = 0, j = 0, k = 0;
    rf__row_ref ha, hb; /* heads, lcp and key relative to the last output */
    ha = a[0];
    hb = b[0];
    ha.lcp = hb.lcp = 0;
    ha.key = RF__ROW_KEY(ids, start, ha.row, 0);
    hb.key = RF__ROW_KEY(ids, start, hb.row, 0);
    for (;;) {
        int take_a;
        if (ha.lcp != hb.lcp) {
            take_a = ha.lcp > hb.lcp; /* the one agreeing longer with the last output is smaller */
        } else if (ha.key != hb.key) {
            take_a = ha.key < hb.key; /* they differ right at lcp: the other's lcp stays */
        } else {
            uint32_t l = ha.lcp, ka = ha.key, kb = hb.key;
            while (ka == kb && ka != 0) {
                l++;
                ka = RF__ROW_KEY(ids, start, ha.row, l);
                kb = RF__ROW_KEY(ids, start, hb.row, l);
            }
            take_a = ka <= kb;
            if (take_a) { hb.lcp = l; hb.key = kb; }
            else { ha.lcp = l; ha.key = ka; }
        }
        if (take_a) {
            out[k++] = ha;
            if (++i == na) break;
            ha = a[i];
        } else {
            out[k++] = hb;
            if (++j == nb) break;
            hb = b[j];
        }
    }
    /* the rest keeps its own lcps, but its head's is with the last output */
    if (i < na) { out[k++] = ha; for (i++; i < na; i++) out[k++] = a[i]; }
    if (j < nb) { out[k++] = hb; for (j++; j < nb; j++) out[k++] = b[j]; }
}

/* Pops trie node `d` of the scan in rf__profile_add_rows: of its candidates (cand[from..*ncand):
   the first-seen row of each child, and the rows ending here) the first-seen one created it;
   every other one branches off it, so its first new node hangs below this one (k = d).
   The creator then stands for this node among its parent's candidates. */
static void rf__rows_pop(uint32_t *cand, size_t from, size_t *ncand, uint32_t d, uint32_t *k, uint32_t *att) {
    size_t j;
    uint32_t m = cand[from];
    for (j = from + 1; j < *ncand; j++)
        if (cand[j] < m) m = cand[j];
    for (j = from; j < *ncand; j++)
        if (cand[j] != m) {
            k[cand[j]] = d;
            att[cand[j]] = m;
        }
    cand[from] = m;
    *ncand = from + 1;
}

/* Adds the n stacks ids[start[i] .. start[i+1]) (root first, 1..RF_MAX_DEPTH frames) with
   weights w[i] > 0 to a profile that has no node but its root, one column and no decimals,
   exactly as rf__profile_add_ids on row 0, 1, ... n-1 in turn would: row i's new nodes are
   those below the longest prefix it shares with an earlier row, they get the next ids, and
   each new branch goes last among its siblings. The caller has checked that the weights and
   the root's total fit in int64. Out of memory changes nothing. */
static rf_result rf__profile_add_rows(rf_profile *p, const uint32_t *ids, const uint32_t *start,
                                      const int64_t *w, size_t n) {
    rf__row_ref *ref = NULL, *tmp = NULL;
    uint32_t *k = NULL, *att = NULL, *base = NULL, *cand = NULL, *path = NULL;
    size_t i, width, ncand = 0, maxlen = 0, first = p->nnodes, next;
    uint64_t nnew = 0;
    uint32_t depth = 0;
    rf_result r = RF_ERR_OUT_OF_MEMORY;
    if (n == 0) return RF_OK;
    if (n > 0xFFFFFFF0u || p->nnodes != 1 || p->columns != 1) return RF_ERR_INVALID_ARGUMENT;
    for (i = 0; i < n; i++)
        if (start[i + 1] - start[i] > maxlen) maxlen = start[i + 1] - start[i];
    ref = (rf__row_ref *)rf__malloc(&p->al, n * sizeof *ref);
    tmp = (rf__row_ref *)rf__malloc(&p->al, n * sizeof *tmp);
    k = (uint32_t *)rf__malloc(&p->al, n * sizeof *k);
    att = (uint32_t *)rf__malloc(&p->al, n * sizeof *att);
    base = (uint32_t *)rf__malloc(&p->al, n * sizeof *base);
    cand = (uint32_t *)rf__malloc(&p->al, n * sizeof *cand);
    path = (uint32_t *)rf__malloc(&p->al, (maxlen + 1) * sizeof *path);
    if (!ref || !tmp || !k || !att || !base || !cand || !path) goto done;

    /* sort the rows (bottom-up merge sort); each ref ends with its lcp with the previous row */
    for (i = 0; i < n; i++) {
        ref[i].row = (uint32_t)i;
        ref[i].lcp = ref[i].key = 0;
    }
    for (width = 1; width < n; width *= 2) {
        rf__row_ref *t;
        for (i = 0; i < n; i += 2 * width) {
            size_t mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
            if (mid == hi) memcpy(tmp + i, ref + i, (hi - i) * sizeof *ref);
            else rf__rows_merge(ids, start, ref + i, mid - i, ref + mid, hi - mid, tmp + i);
        }
        t = ref;
        ref = tmp;
        tmp = t;
    }

    /* one pass in sorted order walks the trie of the rows depth-first: path[d] is where the
       candidates of the node at depth d start in cand */
    path[0] = 0;
    for (i = 0; i < n; i++) {
        uint32_t s = ref[i].row, len = start[s + 1] - start[s];
        for (; depth > ref[i].lcp; depth--) rf__rows_pop(cand, path[depth], &ncand, depth, k, att);
        while (depth < len) path[++depth] = (uint32_t)ncand;
        cand[ncand++] = s;
    }
    for (; depth > 0; depth--) rf__rows_pop(cand, path[depth], &ncand, depth, k, att);
    for (i = 0; i < ncand; i++) { /* the root's candidates: each created its depth-1 node */
        k[cand[i]] = 0;
        att[cand[i]] = RF__NO_ID;
    }
    for (i = 0; i < n; i++) nnew += start[i + 1] - start[i] - k[i];
    if (nnew >= 0xFFFFFFF0u - first) goto done;
    if (rf__grow(&p->al, (void **)&p->nodes, &p->nodes_cap, first + (size_t)nnew, sizeof(rf__node)))
        goto done;

    /* the nodes, in the order the one-by-one adds would create them */
    next = first;
    for (i = 0; i < n; i++) {
        uint32_t kk = k[i], len = start[i + 1] - start[i], parent, j;
        const uint32_t *row = ids + start[i];
        parent = att[i] == RF__NO_ID ? RF_NODE_ROOT : base[att[i]] + (kk - k[att[i]] - 1);
        base[i] = (uint32_t)next;
        for (j = kk; j < len; j++) {
            uint32_t idx = (uint32_t)next++;
            rf__node *nd = &p->nodes[idx], *pa = &p->nodes[parent];
            nd->parent = parent;
            nd->name = row[j];
            nd->first_child = nd->next_sibling = nd->last_child = RF_NODE_NONE;
            nd->depth = j + 1;
            nd->total = nd->self = 0;
            if (pa->last_child == RF_NODE_NONE) pa->first_child = idx;
            else p->nodes[pa->last_child].next_sibling = idx;
            pa->last_child = idx;
            parent = idx;
        }
        p->nodes[parent].self += w[i]; /* parent is now the leaf */
        if (len > p->max_depth) p->max_depth = len;
    }
    p->nnodes = next;
    p->samples += n;

    /* the child table gets these nodes when first needed (rf__child_tab_sync) */
    /* totals: children have higher ids than their parents, so one backward sweep adds up */
    for (i = next; i-- > first;) {
        p->nodes[i].total += p->nodes[i].self;
        p->nodes[p->nodes[i].parent].total += p->nodes[i].total;
    }
    r = RF_OK;
done:
    rf__free(&p->al, ref, n * sizeof *ref);
    rf__free(&p->al, tmp, n * sizeof *tmp);
    rf__free(&p->al, k, n * sizeof *k);
    rf__free(&p->al, att, n * sizeof *att);
    rf__free(&p->al, base, n * sizeof *base);
    rf__free(&p->al, cand, n * sizeof *cand);
    rf__free(&p->al, path, (maxlen + 1) * sizeof *path);
    return r;
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
                                  rf__child_hash(parent, (uint32_t)((e >> 32) - 1)), NULL);
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
RF_API unsigned rf_profile_roots(const rf_profile *p) { return p ? p->roots : 0; }
RF_API rf_result rf_profile_set_roots(rf_profile *p, unsigned roots) {
    if (!p || roots > 3u) return RF_ERR_INVALID_ARGUMENT;
    p->roots = roots;
    return RF_OK;
}
#define RF__PROFILE_ROOTS(p) ((p)->roots)
#define RF__SET_PROFILE_ROOTS(p, r) ((p)->roots = (r))

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

/* Merge by walking src's nodes in creation order (a parent is always created
   before its children): one intern per name and one child lookup per node,
   instead of re-adding every stack. Weights are on the same scale. */
static rf_result rf__merge_tree(rf_profile *dst, const rf_profile *src) {
    uint32_t *name_map, *node_map;
    size_t i, nb = src->nnames * sizeof(uint32_t), mb = src->nnodes * sizeof(uint32_t);
    rf_result r = RF_OK;
    if (dst->nodes[0].total > INT64_MAX - src->nodes[0].total) return RF_ERR_OVERFLOW;
    if (dst->w1 && src->w1 && dst->w1[0] > INT64_MAX - src->w1[0]) return RF_ERR_OVERFLOW;
    name_map = (uint32_t *)rf__malloc(&dst->al, nb);
    node_map = (uint32_t *)rf__malloc(&dst->al, mb);
    if (!name_map || !node_map) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
    for (i = 0; i < src->nnames; i++) {
        name_map[i] = rf__intern(dst, src->names[i].s, src->names[i].len);
        if (name_map[i] == RF__NO_ID) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
    }
    /* create every node first, so an allocation failure leaves no weight half-added */
    node_map[0] = RF_NODE_ROOT;
    for (i = 1; i < src->nnodes; i++) {
        const rf__node *sn = &src->nodes[i];
        uint32_t parent = node_map[sn->parent];
        int live = sn->total != 0 || (src->w1 && src->w1[2 * i] != 0);
        node_map[i] = RF_NODE_NONE;
        if (!live || parent == RF_NODE_NONE) continue;
        node_map[i] = rf__child(dst, parent, name_map[sn->name], 1);
        if (node_map[i] == RF_NODE_NONE) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
    }
    for (i = 0; i < src->nnodes; i++) {
        uint32_t d = node_map[i];
        if (d == RF_NODE_NONE) continue;
        dst->nodes[d].total += src->nodes[i].total;
        dst->nodes[d].self += src->nodes[i].self;
        if (dst->w1 && src->w1) {
            dst->w1[2 * (size_t)d] += src->w1[2 * i];
            dst->w1[2 * (size_t)d + 1] += src->w1[2 * i + 1];
        }
    }
done:
    rf__free(&dst->al, name_map, nb);
    rf__free(&dst->al, node_map, mb);
    return r;
}

RF_API rf_result rf_profile_merge(rf_profile *dst, const rf_profile *src) {
    rf__merge_ctx m;
    rf_result r;
    uint64_t samples;
    if (!dst || !src || dst == src) return RF_ERR_INVALID_ARGUMENT;
    if ((r = rf__set_columns(dst, src->columns)) != RF_OK) return r;
    if (dst->nnodes == 1 && dst->samples == 0) dst->roots = src->roots;
    else if (dst->roots != src->roots) dst->roots = 0;
    samples = dst->samples;
    if (src->decimals == dst->decimals) {
        r = rf__merge_tree(dst, src);
    } else {
        m.dst = dst;
        m.decimals = src->decimals;
        m.r = RF_OK;
        r = rf_profile_foreach_stack(src, rf__merge_cb, &m);
        if (m.r != RF_OK) return m.r;
    }
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
    /* rf_parser_feed_whole's input: lent by the caller until the parser is freed */
    const char *whole;
    size_t whole_len;
};

/* Whole-document readers (JSON, SVG, raw pprof) hold all their input. Given the chunk of
   rf_parser_feed_whole, they keep a pointer to the caller's buffer instead of a copy: for a
   100 MB profile the copy, and faulting in its fresh pages, cost more than parsing it. A view
   is an rf__buf with cap 0 and data set; any further chunk turns it into an owned copy first. */
RF__INTERNAL rf_result rf__whole_add(rf_parser *ps, rf__buf *b, const char *d, size_t n) {
    if (n && b->len == 0 && d == ps->whole && n == ps->whole_len) {
        b->data = (char *)(uintptr_t)d; /* only ever read: the cast only drops const */
        b->len = n;
        b->cap = 0;
        return RF_OK;
    }
    if (b->data && b->cap == 0) { /* a view: own it before appending */
        rf__buf own = {NULL, 0, 0};
        if (rf__buf_append(ps->al, &own, b->data, b->len)) return RF_ERR_OUT_OF_MEMORY;
        *b = own;
    }
    if (b->cap == 0 && n > 4096) {
        /* one big chunk: take exactly its size, doubling only if more comes */
        b->data = (char *)rf__malloc(ps->al, n);
        if (b->data) b->cap = n;
    }
    return rf__buf_append(ps->al, b, d, n);
}

RF__INTERNAL void rf__whole_free(const rf_allocator *a, rf__buf *b) {
    if (b->cap) rf__free(a, b->data, b->cap);
    b->data = NULL;
    b->len = b->cap = 0;
}

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
/* Match copies may write up to 15 bytes past a match (16-byte copies). */
#define RF__INF_SLACK 16
#define RF__CRC_SLICES 16

enum {
    RF__IS_HEADER, RF__IS_BLOCK, RF__IS_STORED_LEN, RF__IS_STORED, RF__IS_DYN_COUNTS,
    RF__IS_DYN_CLENS, RF__IS_DYN_LENS, RF__IS_HUFF, RF__IS_TRAILER, RF__IS_END, RF__IS_ERROR
};
/* step results */
enum { RF__INF_NEXT = 0, RF__INF_MORE = 1, RF__INF_FAILED = 2 };

/* Table entry: bits 0-7 all the bits the symbol takes (code length plus the extra bits of a
   length or distance, so one shift consumes both; for a second-level pointer, root plus its
   index bits), 8-11 code length, 12-14 kind, 16-30 value (literal, length/distance base, or
   second-level start). Two flags let the fast loop test a single bit: bit 31 = literal, bit 15
   = a rare kind (end of block, second level, bad code). */
enum { RF__IE_LIT = 0, RF__IE_LEN = 1, RF__IE_EOB = 2, RF__IE_SUB = 3, RF__IE_BAD = 4 };
#define RF__IE_LITERAL 0x80000000u
#define RF__IE_RARE 0x8000u
#define RF__IE(kind, len, extra, val)                                                      \
    ((uint32_t)(val) << 16 | ((kind) == RF__IE_LIT ? RF__IE_LITERAL : 0u) |                  \
     ((kind) >= RF__IE_EOB ? RF__IE_RARE : 0u) | (uint32_t)(kind) << 12 |                   \
     (uint32_t)(len) << 8 | ((uint32_t)(len) + (uint32_t)(extra)))
#define RF__IE_TOTAL(e) ((unsigned)(e) & 255u)
#define RF__IE_LENGTH(e) (((unsigned)(e) >> 8) & 15u)
#define RF__IE_KIND(e) (((unsigned)(e) >> 12) & 7u)
#define RF__IE_EXTRA(e) (RF__IE_TOTAL(e) - RF__IE_LENGTH(e))
#define RF__IE_VALUE(e) (((unsigned)(e) >> 16) & 0x7fffu)
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
    uint32_t crc_tab[RF__CRC_SLICES][256];
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

/* CRC-32 (reflected 0xEDB88320), slicing by 16 (twice the bytes per step of slicing by 8
   for the same dependency chain through crc); the tables live in the decoder state. */
static void rf__crc32_init(uint32_t t[RF__CRC_SLICES][256]) {
    uint32_t n, k, c;
    for (n = 0; n < 256; n++) {
        c = n;
        for (k = 0; k < 8; k++) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[0][n] = c;
    }
    for (n = 0; n < 256; n++)
        for (k = 1; k < RF__CRC_SLICES; k++) t[k][n] = (t[k - 1][n] >> 8) ^ t[0][t[k - 1][n] & 0xffu];
}

static uint32_t rf__crc_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t rf__crc32(const uint32_t t[RF__CRC_SLICES][256], uint32_t crc, const uint8_t *p, size_t n) {
    crc = ~crc;
    while (n >= 16) {
        uint32_t a = crc ^ rf__crc_le32(p), b = rf__crc_le32(p + 4), c = rf__crc_le32(p + 8),
                 d = rf__crc_le32(p + 12);
        crc = t[15][a & 0xffu] ^ t[14][(a >> 8) & 0xffu] ^ t[13][(a >> 16) & 0xffu] ^ t[12][a >> 24] ^
              t[11][b & 0xffu] ^ t[10][(b >> 8) & 0xffu] ^ t[9][(b >> 16) & 0xffu] ^ t[8][b >> 24] ^
              t[7][c & 0xffu] ^ t[6][(c >> 8) & 0xffu] ^ t[5][(c >> 16) & 0xffu] ^ t[4][c >> 24] ^
              t[3][d & 0xffu] ^ t[2][(d >> 8) & 0xffu] ^ t[1][(d >> 16) & 0xffu] ^ t[0][d >> 24];
        p += 16;
        n -= 16;
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
    unsigned len, sym, i, total = 0, max = 0, cur_prefix = ~0u, cur_bits = 0, rev = 0;
    size_t next = (size_t)1 << root, cur_start = 0, j;
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
    if (left > 0) /* only an incomplete code leaves entries unfilled */
        for (j = 0; j < ((size_t)1 << root); j++) table[j] = RF__IE(RF__IE_BAD, 1, 0, 0);
    offs[1] = 0;
    for (len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
    for (sym = 0; sym < nsym; sym++)
        if (lens[sym]) sorted[offs[lens[sym]]++] = sym;
    memcpy(remaining, count, sizeof count);
    for (i = 0; i < total; i++) {
        unsigned s = sorted[i], l = lens[s], incr;
        uint32_t e = rf__inf_entry(type, s, l);
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
        /* the next canonical code, kept bit-reversed (as it is read): add 1 from the top bit
           down; a longer next code only appends zero bits, which sit above these */
        incr = 1u << (l - 1);
        while (rev & incr) incr >>= 1;
        rev = incr ? (rev & (incr - 1u)) + incr : 0;
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

/* Copies a match of len bytes from dist back. Whole 16- or 8-byte chunks when the source
   does not overlap them, so it may write up to 15 bytes past the match (the slack). */
static inline void rf__inf_copy(uint8_t *dst, size_t dist, size_t len) {
    const uint8_t *src = dst - dist;
    uint8_t *end = dst + len;
    if (dist >= 16) {
        do {
            memcpy(dst, src, 16);
            dst += 16;
            src += 16;
        } while (dst < end);
    } else if (dist >= 8) {
        do {
            memcpy(dst, src, 8);
            dst += 8;
            src += 8;
        } while (dst < end);
    } else if (dist == 1) {
        memset(dst, src[0], len);
    } else {
        for (; dst < end; dst++, src++) *dst = *src;
    }
}

static uint64_t rf__inf_load64(const uint8_t *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* The fast loop's literal step: consume entry e (a literal) and store its byte. */
#define RF__INF_TAKE_LIT()                      \
    do {                                        \
        bb >>= RF__IE_TOTAL(e);                 \
        bc -= RF__IE_TOTAL(e);                  \
        o[olen++] = (uint8_t)(e >> 16);         \
    } while (0)

static int rf__inf_huff(rf__inflate *z, rf__buf *out) {
    const uint32_t *lit = z->lit, *dtab = z->dist;
    for (;;) {
        /* Fast loop: >= 8 input bytes and room for a whole match, so no checks inside. */
        uint64_t bb = z->bitbuf;
        unsigned bc = z->bitcnt;
        const uint8_t *in = z->in, *in_end = z->in_end;
        /* the refill reads 8 bytes at in */
        const uint8_t *in_fast = in_end - in >= 8 ? in_end - 7 : in;
        uint8_t *o = (uint8_t *)out->data;
        size_t olen = out->len, fast_end = 0;
        uint64_t lim = z->limit;
        uint32_t e;
        unsigned length, dist;
        if (out->cap >= 258 + RF__INF_SLACK && lim >= 258) {
            fast_end = out->cap - (258 + RF__INF_SLACK);
            if ((uint64_t)fast_end > lim - 258) fast_end = (size_t)(lim - 258);
        } else {
            in_fast = in; /* no room for the fast loop */
        }
        while (in < in_fast && olen <= fast_end) {
            /* refill to 56..63 bits; bits above bc may hold the next bytes again (harmless) */
            bb |= rf__inf_load64(in) << bc;
            in += (63 - bc) >> 3;
            bc |= 56;
            e = lit[bb & RF__INF_MASK(RF__INF_LIT_BITS)];
            if (e & RF__IE_LITERAL) {
                /* up to three literals per refill: >= 56 bits, and codes are <= 15 bits;
                   unrolled, as a counted loop costs 7% more instructions here */
                RF__INF_TAKE_LIT();
                e = lit[bb & RF__INF_MASK(RF__INF_LIT_BITS)];
                if (!(e & RF__IE_LITERAL)) continue;
                RF__INF_TAKE_LIT();
                e = lit[bb & RF__INF_MASK(RF__INF_LIT_BITS)];
                if (e & RF__IE_LITERAL) RF__INF_TAKE_LIT();
                continue;
            }
            if (e & RF__IE_RARE) {
                if (RF__IE_KIND(e) != RF__IE_SUB) break; /* end of block or bad code: slow path */
                e = lit[RF__IE_VALUE(e) + ((bb >> RF__INF_LIT_BITS) & RF__INF_MASK(RF__IE_EXTRA(e)))];
                if (e & RF__IE_LITERAL) {
                    RF__INF_TAKE_LIT();
                    continue;
                }
                if (e & RF__IE_RARE) break;
            }
            /* a length: base plus extra bits, consumed together */
            length = RF__IE_VALUE(e) + (unsigned)((bb & RF__INF_MASK(RF__IE_TOTAL(e))) >> RF__IE_LENGTH(e));
            bb >>= RF__IE_TOTAL(e);
            bc -= RF__IE_TOTAL(e);
            e = dtab[bb & RF__INF_MASK(RF__INF_DIST_BITS)];
            if (e & RF__IE_RARE) {
                if (RF__IE_KIND(e) == RF__IE_SUB)
                    e = dtab[RF__IE_VALUE(e) + ((bb >> RF__INF_DIST_BITS) & RF__INF_MASK(RF__IE_EXTRA(e)))];
                if (e & RF__IE_RARE) {
                    z->bitbuf = bb & RF__INF_MASK(bc);
                    z->bitcnt = bc;
                    z->in = in;
                    out->len = olen;
                    return rf__inf_fail(z, RF_ERR_CORRUPT, "invalid distance code");
                }
            }
            dist = RF__IE_VALUE(e) + (unsigned)((bb & RF__INF_MASK(RF__IE_TOTAL(e))) >> RF__IE_LENGTH(e));
            bb >>= RF__IE_TOTAL(e);
            bc -= RF__IE_TOTAL(e);
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
            unsigned c, k;
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

#undef RF__INF_TAKE_LIT

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
    if (r->end - p >= 10) { /* a whole varint fits: no end checks */
        uint64_t b;
        v = *p++ & 0x7fu;
        for (shift = 7; shift < 63; shift += 7) {
            b = *p++;
            v |= (b & 0x7fu) << shift;
            if (b < 0x80) {
                *out = v;
                r->p = p;
                return RF_OK;
            }
        }
        if (*p > 1) {
            *msg = "varint longer than 10 bytes or above 64 bits";
            return RF_ERR_SYNTAX;
        }
        *out = v | (uint64_t)*p << 63;
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

/* rf__pb_next for the records that make up nearly all of a profile, inlined into the loops
   that walk hundreds of thousands of them: a one-byte tag (field 1..15) with a varint of up
   to five bytes (35 bits), or a length of one or two bytes. Everything else goes the long way. */
static RF__HOT_INLINE rf_result rf__pb_next_fast(rf__pb *r, rf__pb_field *f, const char **msg) {
    const uint8_t *p = r->p;
    size_t left = (size_t)(r->end - p), i, len;
    if (left >= 2 && p[0] >= 8 && p[0] < 0x80) {
        f->at = p;
        f->num = p[0] >> 3;
        if ((p[0] & 7u) == RF__PB_VARINT) {
            uint64_t x = 0;
            for (i = 0; i < 5 && i + 1 < left; i++) { /* the record may end its message */
                x |= (uint64_t)(p[1 + i] & 0x7fu) << (7 * i);
                if (p[1 + i] < 0x80) {
                    f->wt = RF__PB_VARINT;
                    f->v = x;
                    r->p = p + 2 + i;
                    return RF_OK;
                }
            }
        } else if ((p[0] & 7u) == RF__PB_LEN) {
            i = p[1] < 0x80 ? 2 : left >= 3 && p[2] < 0x80 ? 3 : 0; /* header bytes */
            len = i == 2 ? p[1] : i == 3 ? (size_t)(p[1] & 0x7fu) | (size_t)p[2] << 7 : 0;
            if (i && len <= left - i) {
                f->wt = RF__PB_LEN;
                f->sub.p = p + i;
                f->sub.end = r->p = p + i + len;
                return RF_OK;
            }
        }
    }
    return rf__pb_next(r, f, msg);
}

/* Next value of a repeated varint field, packed (wire type 2) or not (wire type 0); both
   forms may be mixed in one message. *it starts as a copy of the field. Returns 1 with a
   value, 0 at the end, or -1 on error (*code, *msg). */
static RF__HOT_INLINE int rf__pb_repeated(rf__pb_field *it, uint64_t *v, rf_result *code, const char **msg) {
    if (it->wt == RF__PB_VARINT) {
        *v = it->v;
        it->wt = 8; /* consumed */
        return 1;
    }
    if (it->wt == RF__PB_LEN) {
        const uint8_t *q = it->sub.p;
        if (q == it->sub.end) return 0;
        if (it->sub.end - q >= 4) { /* up to 28 bits inline: location ids, most counts */
            uint64_t x = q[0] & 0x7fu;
            if (q[0] < 0x80) { *v = x; it->sub.p = q + 1; return 1; }
            x |= (uint64_t)(q[1] & 0x7fu) << 7;
            if (q[1] < 0x80) { *v = x; it->sub.p = q + 2; return 1; }
            x |= (uint64_t)(q[2] & 0x7fu) << 14;
            if (q[2] < 0x80) { *v = x; it->sub.p = q + 3; return 1; }
            x |= (uint64_t)(q[3] & 0x7fu) << 21;
            if (q[3] < 0x80) { *v = x; it->sub.p = q + 4; return 1; }
        } else if (*q < 0x80) {
            *v = *q;
            it->sub.p = q + 1;
            return 1;
        }
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

typedef struct rf__pp_fn {
    uint64_t id;
    int64_t name, system_name, filename;
    uint32_t name_id;
    unsigned char dropped; /* drop_frames: 0 not tested yet, 1 kept, 2 dropped */
} rf__pp_fn;
typedef struct rf__pp_line { uint64_t function_id; int64_t line; uint32_t fn; } rf__pp_line;
typedef struct rf__pp_loc {
    uint64_t id, mapping_id, address;
    size_t line_start;
    uint32_t nlines;          /* its frames, once built, are in rf__pprof.loc_frames */
    unsigned char prune;      /* drop_frames: 0 no, 1 cut below this location (its outer lines
                                 stay), 2 cut this location and below */
} rf__pp_loc;
typedef struct rf__pp_map { uint64_t id, start, limit, offset; int64_t filename; } rf__pp_map;

/* uint64 id -> index. Ids are nonzero and usually small (Go numbers them 1..N), so they go
   into a plain array while every id is at most 4n + 64 (n = how many there are); the first
   larger one moves them all into an open-addressed table (0 marks a free slot). */
typedef struct rf__pp_ids {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;   /* n: how many ids to expect */
    uint32_t *dense; /* dense[id] = index or RF__NO_ID, for id < ndense; NULL once hashed */
    size_t ndense;
} rf__pp_ids;

/* A sample's stack, or a unique one (identical samples: same location_id bytes, same label
   frame, are summed first and enter the call tree once; see rf__pp_key_stack). */
typedef struct rf__pp_stack {
    const uint8_t *ids;   /* the packed or single location_id payload: in the data, or the copy
                             in a unique stack's key record */
    const uint8_t *at;    /* where it is in the data, for error offsets */
    uint32_t len, label;  /* payload length; label frame id or RF__NO_ID */
    unsigned wt;          /* wire type of the location_id record */
    int64_t weight;
} rf__pp_stack;

/* Samples go through the unique-stack table RF__PP_QUEUE apart: a sample's slot is prefetched
   as it is queued, its key record (the slot's target) when it is halfway through, so the two
   dependent cache misses of a lookup overlap with the work on the samples between. */
#define RF__PP_QUEUE 16

/* The dedup key of a unique stack, its location_id bytes copied right behind it (padded to
   8): comparing a sample with it touches one small record in a compact arena, not the first
   sample's bytes somewhere in the whole protobuf (a cache miss per sample). The records, in
   first-seen order, are the unique stacks; the weight is their running sum. */
typedef struct rf__pp_key {
    int64_t weight;
    uint64_t at;          /* offset of the first sample's bytes in the data */
    uint32_t len, label, wt, pad;
} rf__pp_key;

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
    uint64_t *loc_frames;     /* per location, once built: nframes << 32 | the frame id when it has
                                 one, else its start in frames; 0 before. 8 bytes a location, so
                                 the stack walk stays in cache where rf__pp_loc would not */
    rf__pp_map *map;
    size_t nmap;
    rf__pp_line *line;
    size_t nline, line_cap;
    rf__pp_ids fn_ids, loc_ids, map_ids;
    rf__ids frames;           /* root-first frame name ids of the locations built so far */
    uint32_t *sloc;           /* location indices of the sample being read */
    size_t sloc_cap;
    rf__buf name;             /* scratch for composed frame names */
    rf__buf keys;             /* rf__pp_key records: the unique stacks in first-seen order */
    size_t nstacks;
    uint64_t *stack_tab;      /* open-addressed (key offset / 8 + 1) << 32 | hash into keys */
    size_t stack_tab_cap;
    rf__pp_stack queue[RF__PP_QUEUE]; /* samples waiting for their table slot and key to arrive */
    uint32_t queue_hash[RF__PP_QUEUE];
    size_t queue_head, queue_len;
    size_t cap_types, cap_fn, cap_loc, cap_map; /* allocated sizes (counts from pass 1) */
    int64_t default_type, drop_frames, keep_frames, doc_url; /* string indices */
    size_t col;               /* the chosen value column */
    const char *group_key;    /* ps->opt.pprof.group_by_label, NULL when unset or "" */
    size_t group_key_len;
    int dropped_warned;
    int pruning;              /* some location has prune set */
} rf__pprof;

static uint64_t rf__pp_idhash(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static rf_result rf__pp_ids_to_hash(const rf_allocator *a, rf__pp_ids *m);
static rf_result rf__pp_ids_init(const rf_allocator *a, rf__pp_ids *m, size_t n) {
    size_t bytes;
    m->n = n;
    if (n > ((size_t)-1 - 65) / 16) return rf__pp_ids_to_hash(a, m); /* no array that big */
    m->ndense = n * 4 + 65;
    bytes = m->ndense * sizeof(uint32_t);
    if (!(m->dense = (uint32_t *)rf__malloc(a, bytes))) {
        m->ndense = 0;
        return RF_ERR_OUT_OF_MEMORY;
    }
    memset(m->dense, 0xff, bytes);
    return RF_OK;
}
static void rf__pp_ids_free(const rf_allocator *a, rf__pp_ids *m) {
    rf__free(a, m->keys, m->cap * sizeof(uint64_t));
    rf__free(a, m->vals, m->cap * sizeof(uint32_t));
    rf__free(a, m->dense, m->ndense * sizeof(uint32_t));
    memset(m, 0, sizeof *m);
}
static int rf__pp_ids_hash_put(rf__pp_ids *m, uint64_t id, uint32_t idx) {
    size_t mask = m->cap - 1, j = (size_t)rf__pp_idhash(id) & mask;
    for (; m->keys[j]; j = (j + 1) & mask)
        if (m->keys[j] == id) return 1;
    m->keys[j] = id;
    m->vals[j] = idx;
    return 0;
}
/* From the array to the table, when an id too large for the array arrives. */
static rf_result rf__pp_ids_to_hash(const rf_allocator *a, rf__pp_ids *m) {
    size_t cap = 16, kb, vb, i;
    while (cap < m->n * 2) {
        if (cap > (size_t)-1 / 4) return RF_ERR_OUT_OF_MEMORY;
        cap *= 2;
    }
    if (!rf__mul_size(cap, sizeof(uint64_t), &kb) || !rf__mul_size(cap, sizeof(uint32_t), &vb))
        return RF_ERR_OUT_OF_MEMORY;
    m->keys = (uint64_t *)rf__malloc(a, kb);
    m->vals = (uint32_t *)rf__malloc(a, vb);
    if (!m->keys || !m->vals) {
        rf__free(a, m->keys, kb);
        rf__free(a, m->vals, vb);
        m->keys = NULL;
        m->vals = NULL;
        return RF_ERR_OUT_OF_MEMORY;
    }
    m->cap = cap;
    memset(m->keys, 0, kb);
    for (i = 1; i < m->ndense; i++)
        if (m->dense[i] != RF__NO_ID) rf__pp_ids_hash_put(m, i, m->dense[i]);
    rf__free(a, m->dense, m->ndense * sizeof(uint32_t));
    m->dense = NULL;
    m->ndense = 0;
    return RF_OK;
}
/* Returns 0, 1 when the id is already present, or -1 when out of memory. At most m->n puts. */
static int rf__pp_ids_put(const rf_allocator *a, rf__pp_ids *m, uint64_t id, uint32_t idx) {
    if (m->dense) {
        if (id < m->ndense) {
            if (m->dense[id] != RF__NO_ID) return 1;
            m->dense[id] = idx;
            return 0;
        }
        if (rf__pp_ids_to_hash(a, m) != RF_OK) return -1;
    }
    return rf__pp_ids_hash_put(m, id, idx);
}
static uint32_t rf__pp_ids_hash_get(const rf__pp_ids *m, uint64_t id) {
    size_t mask = m->cap - 1, j = (size_t)rf__pp_idhash(id) & mask;
    if (!id) return RF__NO_ID;
    for (; m->keys[j]; j = (j + 1) & mask)
        if (m->keys[j] == id) return m->vals[j];
    return RF__NO_ID;
}
static RF__HOT_INLINE uint32_t rf__pp_ids_get(const rf__pp_ids *m, uint64_t id) {
    if (m->dense) return id < m->ndense ? m->dense[id] : RF__NO_ID;
    return rf__pp_ids_hash_get(m, id);
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

static rf_result rf__pp_oom(rf_parser *ps) { return rf__fail_at(ps, RF_ERR_OUT_OF_MEMORY, "out of memory", 0, 0, 0); }

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
        if ((r = rf__pb_next_fast(&m, &f, &msg)) != RF_OK)
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
    int dup = 0;
    memset(l, 0, sizeof *l);
    l->line_start = pp->nline;
    while (m.p < m.end) {
        if ((r = rf__pb_next_fast(&m, &f, &msg)) != RF_OK) return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, msg, f.at, NULL);
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
    if (!l->id || (dup = rf__pp_ids_put(ps->al, &pp->loc_ids, l->id, (uint32_t)pp->nloc)) != 0)
        return dup < 0 ? rf__pp_oom(ps) : rf__pp_dup_id(ps, pp, "Location.id", l->id, at);
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
        if ((e = rf__pb_next_fast(&r, &f, &msg)) != RF_OK) return rf__pp_fail(ps, pp, e, msg, f.at, NULL);
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
    int dup = 0;
    pp->cap_types = pp->ntypes;
    pp->cap_fn = pp->nfn;
    pp->cap_loc = pp->nloc;
    pp->cap_map = pp->nmap;
    if (rf__pp_array(ps, (void **)&pp->str, pp->nstr, sizeof *pp->str) ||
        rf__pp_array(ps, (void **)&pp->types, pp->cap_types, 2 * sizeof *pp->types) ||
        rf__pp_array(ps, (void **)&pp->fn, pp->cap_fn, sizeof *pp->fn) ||
        rf__pp_array(ps, (void **)&pp->loc, pp->cap_loc, sizeof *pp->loc) ||
        rf__pp_array(ps, (void **)&pp->loc_frames, pp->cap_loc, sizeof *pp->loc_frames) ||
        rf__pp_array(ps, (void **)&pp->map, pp->cap_map, sizeof *pp->map) ||
        rf__pp_ids_init(ps->al, &pp->fn_ids, pp->cap_fn) ||
        rf__pp_ids_init(ps->al, &pp->loc_ids, pp->cap_loc) ||
        rf__pp_ids_init(ps->al, &pp->map_ids, pp->cap_map))
        return rf__pp_oom(ps);
    pp->ntypes = pp->nfn = pp->nloc = pp->nmap = 0;
    if (pp->cap_loc) memset(pp->loc_frames, 0, pp->cap_loc * sizeof *pp->loc_frames);
    /* strings first, so the other messages can show the offending value's text */
    r.p = (const uint8_t *)pp->data.data;
    r.end = r.p + pp->data.len;
    while (r.p < r.end) {
        rf__pb_next_fast(&r, &f, &msg); /* pass 1 has validated the framing */
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
        rf__pb_next_fast(&r, &f, &msg);
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
            if (!m->id || (dup = rf__pp_ids_put(ps->al, &pp->map_ids, m->id, (uint32_t)pp->nmap)) != 0)
                return dup < 0 ? rf__pp_oom(ps) : rf__pp_dup_id(ps, pp, "Mapping.id", m->id, f.at);
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
            fn->dropped = 0;
            if (!fn->id || (dup = rf__pp_ids_put(ps->al, &pp->fn_ids, fn->id, (uint32_t)pp->nfn)) != 0)
                return dup < 0 ? rf__pp_oom(ps) : rf__pp_dup_id(ps, pp, "Function.id", fn->id, f.at);
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
    uint32_t k, nf;
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
    /* only "too deep" matters beyond RF_MAX_DEPTH */
    nf = pp->frames.len - start > RF_MAX_DEPTH ? RF_MAX_DEPTH + 1 : (uint32_t)(pp->frames.len - start);
    if (start > 0xFFFFFFFFu) return rf__pp_fail(ps, pp, RF_ERR_LIMIT, "too many frames in the profile's locations", NULL, NULL);
    pp->loc_frames[l - pp->loc] = (uint64_t)nf << 32 | (nf == 1 ? pp->frames.v[start] : (uint32_t)start);
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
    /* room for every id at once: a packed one takes at least a byte */
    size_t most = *nloc + (f->wt == RF__PB_LEN ? (size_t)(f->sub.end - f->sub.p) : 1);
    if (most > pp->sloc_cap && rf__grow(ps->al, (void **)&pp->sloc, &pp->sloc_cap, most, sizeof *pp->sloc))
        return rf__pp_oom(ps);
    while ((k = rf__pb_repeated(&it, &v, &r, &msg)) == 1) {
        uint32_t idx = rf__pp_ids_get(&pp->loc_ids, v);
        if (idx == RF__NO_ID) {
            rf__pp_text d;
            d.n = 0;
            rf__pp_cats(&d, "Sample.location_id ");
            rf__pp_catn(&d, (int64_t)v);
            return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, "a sample names an undefined location (malformed profile)", f->at, &d);
        }
        RF__PREFETCH(&pp->loc_frames[idx]); /* read when the stack is walked, root first */
        pp->sloc[(*nloc)++] = idx;
    }
    return k < 0 ? rf__pp_fail(ps, pp, r, msg, f->at, NULL) : RF_OK;
}

/* drop_frames in one sample (pprof's Prune): scanning from the root, locations that match
   before the first one that does not are kept; the first match after it cuts the stack there.
   Returns the lowest index of pp->sloc[0..nloc) (leaf first) that stays. */
static size_t rf__pp_prune_from(const rf__pprof *pp, size_t nloc) {
    size_t i;
    int user = 0;
    for (i = nloc; i-- > 0;) {
        unsigned char pr = pp->loc[pp->sloc[i]].prune;
        if (!pr) user = 1;
        else if (user) return pr == 2 ? i + 1 : i;
    }
    return 0;
}

/* Puts the frames of the stack pp->sloc[0..nloc) (leaf first) under an optional label frame
   into ps->ids, root first; ps->ids.len is 0 when the stack is dropped or skipped. */
static rf_result rf__pp_stack_ids(rf_parser *ps, rf__pprof *pp, size_t nloc, uint32_t label) {
    size_t i, lo = pp->pruning ? rf__pp_prune_from(pp, nloc) : 0;
    rf_result r;
    ps->ids.len = 0;
    if (label != RF__NO_ID && rf__ids_push(ps->al, &ps->ids, label)) return rf__pp_oom(ps);
    for (i = nloc; i-- > lo;) {
        uint64_t lf = pp->loc_frames[pp->sloc[i]];
        uint32_t nf;
        size_t need;
        if (!lf) {
            if ((r = rf__pp_build_frames(ps, pp, &pp->loc[pp->sloc[i]])) != RF_OK) return r;
            lf = pp->loc_frames[pp->sloc[i]];
        }
        nf = (uint32_t)(lf >> 32);
        if (ps->ids.len + nf > RF_MAX_DEPTH) {
            ps->ids.len = 0;
            return rf__skip(ps, "stack deeper than RF_MAX_DEPTH");
        }
        need = ps->ids.len + nf;
        if (need > ps->ids.cap && rf__grow(ps->al, (void **)&ps->ids.v, &ps->ids.cap, need, sizeof(uint32_t)))
            return rf__pp_oom(ps);
        if (nf == 1) ps->ids.v[ps->ids.len] = (uint32_t)lf; /* most: no call */
        else memcpy(ps->ids.v + ps->ids.len, pp->frames.v + (uint32_t)lf, nf * sizeof(uint32_t));
        ps->ids.len = need;
    }
    if (ps->ids.len == 0) rf__pp_drop(ps, pp, "samples without locations were dropped");
    return RF_OK;
}

/* Adds the stack in ps->ids to the call tree. */
static rf_result rf__pp_add_ids(rf_parser *ps, rf__pprof *pp, int64_t weight, const uint8_t *at) {
    rf_result r = rf__profile_add_ids(ps->dst, ps->ids.v, ps->ids.len, weight, 0, 0);
    if (r == RF_ERR_OVERFLOW) return rf__pp_fail(ps, pp, r, "total weight overflows 64 bits", at, NULL);
    return r == RF_OK ? RF_OK : rf__pp_oom(ps);
}

/* Kept out of line: inlined into rf__pp_sample (for the rare multi-record samples), it slows
   the sample loop down by a sixth. */
#if defined(__GNUC__)
#define RF__PP_OUT_OF_LINE __attribute__((noinline))
#else
#define RF__PP_OUT_OF_LINE
#endif

/* Adds the stack pp->sloc[0..nloc) (leaf first) under an optional label frame. */
RF__PP_OUT_OF_LINE static rf_result rf__pp_add_stack(rf_parser *ps, rf__pprof *pp, size_t nloc, uint32_t label,
                                                     int64_t weight, const uint8_t *at) {
    rf_result r = rf__pp_stack_ids(ps, pp, nloc, label);
    return r != RF_OK || ps->ids.len == 0 ? r : rf__pp_add_ids(ps, pp, weight, at);
}

static uint32_t rf__pp_stack_hash(const rf__pp_stack *s) {
    return (uint32_t)(rf__hash(s->ids, s->len) ^ ((uint64_t)s->label * 0x9E3779B97F4A7C15ull) ^ s->wt);
}

/* A key record's size: the header and the location bytes, padded to 8. */
static size_t rf__pp_key_bytes(uint32_t len) { return sizeof(rf__pp_key) + (((size_t)len + 7) & ~(size_t)7); }

/* The unique stack whose key record starts at *off in pp->keys; *off moves to the next. */
static rf__pp_stack rf__pp_key_stack(const rf__pprof *pp, size_t *off) {
    const rf__pp_key *k = (const rf__pp_key *)(const void *)(pp->keys.data + *off);
    rf__pp_stack s;
    s.ids = (const uint8_t *)k + sizeof *k; /* read in order from the records, not all over the data */
    s.at = (const uint8_t *)pp->data.data + k->at;
    s.len = k->len;
    s.label = k->label;
    s.wt = k->wt;
    s.weight = k->weight;
    *off += rf__pp_key_bytes(k->len);
    return s;
}

/* Sums a sample into the unique-stack table (first-seen order is kept for the tree). A slot
   keeps the hash, so probing and growing never touch the key records. */
static rf_result rf__pp_stack_add(rf_parser *ps, rf__pprof *pp, const rf__pp_stack *s, uint32_t h) {
    size_t j, mask, i, rec;
    uint64_t e;
    if ((pp->nstacks + 1) * 2 > pp->stack_tab_cap) { /* grow and rehash at load 1/2 */
        size_t ncap = pp->stack_tab_cap ? pp->stack_tab_cap * 2 : 1024, bytes;
        uint64_t *nt;
        if (!rf__mul_size(ncap, sizeof(uint64_t), &bytes) || !(nt = (uint64_t *)rf__malloc(ps->al, bytes)))
            return rf__pp_oom(ps);
        memset(nt, 0, bytes);
        for (i = 0; i < pp->stack_tab_cap; i++) {
            if (!(e = pp->stack_tab[i])) continue;
            for (j = (uint32_t)e & (ncap - 1); nt[j]; j = (j + 1) & (ncap - 1)) {}
            nt[j] = e;
        }
        rf__free(ps->al, pp->stack_tab, pp->stack_tab_cap * sizeof(uint64_t));
        pp->stack_tab = nt;
        pp->stack_tab_cap = ncap;
    }
    mask = pp->stack_tab_cap - 1;
    for (j = h & mask; (e = pp->stack_tab[j]) != 0; j = (j + 1) & mask) {
        rf__pp_key *k;
        if ((uint32_t)e != h) continue;
        k = (rf__pp_key *)(void *)(pp->keys.data + ((e >> 32) - 1) * 8);
        if (k->len == s->len && k->label == s->label && k->wt == s->wt &&
            memcmp((const unsigned char *)k + sizeof *k, s->ids, s->len) == 0) {
            if (k->weight > INT64_MAX - s->weight)
                return rf__pp_fail(ps, pp, RF_ERR_OVERFLOW, "total weight overflows 64 bits", s->ids, NULL);
            k->weight += s->weight;
            return RF_OK;
        }
    }
    rec = rf__pp_key_bytes(s->len);
    if (pp->nstacks >= 0xFFFFFFF0u || (pp->keys.len + rec) / 8 >= 0xFFFFFFF0u)
        return rf__pp_fail(ps, pp, RF_ERR_LIMIT, "too many distinct stacks", s->ids, NULL);
    if (pp->keys.cap - pp->keys.len < rec && rf__buf_reserve(ps->al, &pp->keys, rec)) return rf__pp_oom(ps);
    {
        rf__pp_key *k = (rf__pp_key *)(void *)(pp->keys.data + pp->keys.len);
        k->weight = s->weight;
        k->at = (uint64_t)(s->at - (const uint8_t *)pp->data.data);
        k->len = s->len;
        k->label = s->label;
        k->wt = s->wt;
        k->pad = 0;
        memcpy((unsigned char *)k + sizeof *k, s->ids, s->len);
        pp->stack_tab[j] = (uint64_t)(pp->keys.len / 8 + 1) << 32 | h;
        pp->keys.len += rec;
    }
    pp->nstacks++;
    return RF_OK;
}

/* Adds the oldest queued sample. */
static rf_result rf__pp_dequeue(rf_parser *ps, rf__pprof *pp) {
    size_t old = pp->queue_head;
    rf_result r;
    pp->queue_head = (old + 1) % RF__PP_QUEUE;
    pp->queue_len--;
    ps->stats.samples++; /* counted in turn, so a failed parse counts what it would without the queue */
    if ((r = rf__pp_stack_add(ps, pp, &pp->queue[old], pp->queue_hash[old])) != RF_OK)
        pp->queue_len = 0; /* the parse ends here */
    return r;
}

/* Queues a sample for rf__pp_stack_add, adding the oldest queued one when the queue is full. */
static rf_result rf__pp_queue(rf_parser *ps, rf__pprof *pp, const rf__pp_stack *s) {
    rf_result r;
    size_t mask, slot;
    uint32_t h = rf__pp_stack_hash(s);
    if (pp->queue_len == RF__PP_QUEUE && (r = rf__pp_dequeue(ps, pp)) != RF_OK) return r;
    mask = pp->stack_tab_cap - 1; /* after that add: it may have grown the table */
    if (pp->stack_tab_cap) { /* hints only: a slot may change before its sample's turn */
        size_t mid = (pp->queue_head + pp->queue_len / 2) % RF__PP_QUEUE;
        uint64_t e;
        if (pp->queue_len && (e = pp->stack_tab[pp->queue_hash[mid] & mask]) != 0 && (uint32_t)e == pp->queue_hash[mid]) {
            const char *k = pp->keys.data + ((e >> 32) - 1) * 8;
            RF__PREFETCH(k);
            RF__PREFETCH(k + 64);
        }
        RF__PREFETCH(&pp->stack_tab[h & mask]);
    }
    slot = (pp->queue_head + pp->queue_len++) % RF__PP_QUEUE;
    pp->queue[slot] = *s;
    pp->queue_hash[slot] = h;
    return RF_OK;
}

/* Adds every queued sample, in order. */
static rf_result rf__pp_flush(rf_parser *ps, rf__pprof *pp) {
    rf_result r = RF_OK;
    while (pp->queue_len && (r = rf__pp_dequeue(ps, pp)) == RF_OK) {}
    return r;
}

/* A later sample failed: the queued earlier ones are added first, and an error of theirs is
   the one reported, as when every sample went straight in. */
static rf_result rf__pp_flush_before(rf_parser *ps, rf__pprof *pp, rf_result later) {
    rf_result r = rf__pp_flush(ps, pp);
    if (r == RF_OK) return later;
    if (r == RF_ERR_OUT_OF_MEMORY) rf__set_detail(ps, NULL, 0); /* not the later error's */
    return r;
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
        if ((r = rf__pb_next_fast(&m, &f, &msg)) != RF_OK) return rf__pp_fail(ps, pp, RF_ERR_SYNTAX, msg, f.at, NULL);
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
        if ((r = rf__pp_flush(ps, pp)) != RF_OK) return r; /* warnings keep their place too */
        rf__pp_drop(ps, pp, "samples with negative values were dropped (a call tree holds no negative weights)");
        return RF_OK;
    }
    st.label = RF__NO_ID;
    if (pp->group_key) { /* "KEY=VALUE" root frame; interned in sample order, so no queue */
        size_t vlen = pp->name.len;
        if ((r = rf__pp_flush(ps, pp)) != RF_OK) return r;
        if (rf__buf_reserve(ps->al, &pp->name, pp->group_key_len + 2)) return rf__pp_oom(ps);
        memmove(pp->name.data + pp->group_key_len + 1, pp->name.data, vlen);
        memcpy(pp->name.data, pp->group_key, pp->group_key_len);
        pp->name.data[pp->group_key_len] = '=';
        pp->name.len = pp->group_key_len + 1 + vlen;
        if (!have_label && rf__pp_put(ps, pp, "?", 1)) return rf__pp_oom(ps);
        if ((st.label = rf__intern(ps->dst, pp->name.data, pp->name.len)) == RF__NO_ID) return rf__pp_oom(ps);
    }
    if (nrec > 1) { /* straight into the tree, after the queued samples */
        if ((r = rf__pp_flush(ps, pp)) != RF_OK) return r;
        ps->stats.samples++;
        return rf__pp_add_stack(ps, pp, nloc, st.label, value, at);
    }
    if (nrec == 1 && locf.wt == RF__PB_LEN) {
        st.at = st.ids = locf.sub.p;
        st.len = (uint32_t)(locf.sub.end - locf.sub.p);
    } else { /* a single unpacked id: its bytes sit between the tag and the record end */
        st.at = st.ids = nrec ? locf.at : at;
        st.len = nrec ? (uint32_t)(locf_end - locf.at) : 0;
    }
    st.wt = nrec ? locf.wt : (unsigned)RF__PB_LEN;
    st.weight = value;
    if (pp->group_key) {
        ps->stats.samples++;
        return rf__pp_stack_add(ps, pp, &st, rf__pp_stack_hash(&st));
    }
    return rf__pp_queue(ps, pp, &st);
}

/* The location indices of a unique stack into pp->sloc. */
static rf_result rf__pp_stack_locs(rf_parser *ps, rf__pprof *pp, const rf__pp_stack *s, size_t *nloc) {
    rf__pb_field lf;
    const char *msg = NULL;
    memset(&lf, 0, sizeof lf);
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
    lf.at = s->at;
    return rf__pp_locs(ps, pp, &lf, nloc);
}

/* Adds the unique stacks from the first on to the call tree in one rf__profile_add_rows call,
   which needs them all in hand as frame-id rows: up to *next (set to the key offset of the
   first one not added),
   stopping early (a stack that fails, would overflow the total, or would take the rows past
   a memory budget is then left to the one-by-one path, which gives the same tree). Only into
   a profile that has no node yet (the usual single parse). */
static rf_result rf__pp_add_rows(rf_parser *ps, rf__pprof *pp, size_t *next) {
    rf_profile *p = ps->dst;
    rf__ids rows;
    uint32_t *start = NULL;
    int64_t *w = NULL, total;
    size_t i, n = 0, budget, off = 0;
    rf_result r = RF_OK, rb;
    *next = 0;
    if (pp->nstacks < 2 || p->nnodes != 1 || p->columns != 1 || p->decimals != 0) return RF_OK;
    /* rows may take as many bytes as the protobuf itself (plus 1 MiB): deep stacks that share
       long prefixes make far more frames than nodes, and the one-by-one path holds no rows */
    budget = pp->data.len / sizeof(uint32_t) + ((size_t)1 << 18);
    if (budget > 0xFFFFFFF0u - RF_MAX_DEPTH) budget = 0xFFFFFFF0u - RF_MAX_DEPTH;
    memset(&rows, 0, sizeof rows);
    if (rf__pp_array(ps, (void **)&start, pp->nstacks + 1, sizeof *start) ||
        rf__pp_array(ps, (void **)&w, pp->nstacks, sizeof *w)) {
        r = RF_ERR_OUT_OF_MEMORY;
        goto done;
    }
    start[0] = 0;
    total = p->nodes[0].total;
    for (i = 0; i < pp->nstacks; i++) {
        rf__pp_stack s = rf__pp_key_stack(pp, &off);
        size_t nloc = 0;
        if ((r = rf__pp_stack_locs(ps, pp, &s, &nloc)) != RF_OK ||
            (r = rf__pp_stack_ids(ps, pp, nloc, s.label)) != RF_OK)
            break;
        if (ps->ids.len == 0) continue;
        if (total > INT64_MAX - s.weight || rows.len + ps->ids.len > budget) {
            /* the one-by-one path reports the overflow after creating the nodes, as before */
            if ((rb = rf__profile_add_rows(p, rows.v, start, w, n)) != RF_OK) r = rf__pp_oom(ps);
            else r = rf__pp_add_ids(ps, pp, s.weight, s.at);
            *next = off;
            goto done;
        }
        if (rows.len + ps->ids.len > rows.cap &&
            rf__grow(ps->al, (void **)&rows.v, &rows.cap, rows.len + ps->ids.len, sizeof(uint32_t))) {
            r = rf__pp_oom(ps);
            break;
        }
        memcpy(rows.v + rows.len, ps->ids.v, ps->ids.len * sizeof(uint32_t));
        rows.len += ps->ids.len;
        start[++n] = (uint32_t)rows.len;
        w[n - 1] = s.weight;
        total += s.weight;
    }
    /* stacks before a failing one are in the tree, as with the one-by-one path */
    if ((rb = rf__profile_add_rows(p, rows.v, start, w, n)) != RF_OK && r == RF_OK) r = rf__pp_oom(ps);
    *next = pp->keys.len;
done:
    rf__ids_free(ps->al, &rows);
    rf__free(ps->al, start, (pp->nstacks + 1) * sizeof *start);
    rf__free(ps->al, w, pp->nstacks * sizeof *w);
    return r;
}

/* Pass 3: fold the samples, summing identical ones, then add the unique stacks in the
   order they were first seen. */
static rf_result rf__pp_pass_samples(rf_parser *ps, rf__pprof *pp) {
    rf__pb r;
    rf__pb_field f;
    const char *msg = NULL;
    rf_result e;
    size_t off = 0;
    r.p = (const uint8_t *)pp->data.data;
    r.end = r.p + pp->data.len;
    while (r.p < r.end) {
        rf__pb_next_fast(&r, &f, &msg);
        if (f.num == 2 && (e = rf__pp_sample(ps, pp, f.sub, f.at)) != RF_OK) return rf__pp_flush_before(ps, pp, e);
    }
    if ((e = rf__pp_flush(ps, pp)) != RF_OK) return e;
    if ((e = rf__pp_add_rows(ps, pp, &off)) != RF_OK) return e;
    while (off < pp->keys.len) {
        rf__pp_stack s = rf__pp_key_stack(pp, &off);
        size_t nloc = 0;
        if ((e = rf__pp_stack_locs(ps, pp, &s, &nloc)) != RF_OK) return e;
        if ((e = rf__pp_add_stack(ps, pp, nloc, s.label, s.weight, s.at)) != RF_OK) return e;
    }
    return RF_OK;
}

/* The name pprof tests against drop_frames: a leading '.' (PPC ELF v1) dropped and the
   argument list cut at the first '(' that does not belong to "(anonymous namespace)" or
   "operator()". */
static rf_strview rf__pp_simple_name(rf_strview n) {
    size_t i;
    if (n.len && n.ptr[0] == '.') { n.ptr++; n.len--; }
    for (i = 0; i < n.len; i++) {
        static const char anon[] = "(anonymous namespace)", op[] = "operator()";
        if (n.ptr[i] != '(') continue;
        if (n.len - i >= sizeof anon - 1 && memcmp(n.ptr + i, anon, sizeof anon - 1) == 0) {
            i += sizeof anon - 2;
            continue;
        }
        if (i >= 8 && n.len - (i - 8) >= sizeof op - 1 && memcmp(n.ptr + i - 8, op, sizeof op - 1) == 0) {
            i++; /* the "()" of operator() */
            continue;
        }
        n.len = i;
        break;
    }
    return n;
}

/* Compiles "^(PATTERN)$" for a string-table entry into *re; *re stays NULL, with a warning,
   when the engine rejects it. Nonzero only when out of memory. */
static int rf__pp_full_regex(rf_parser *ps, rf__pprof *pp, int64_t idx, const char *what, void **re) {
    const rf_regex_engine *e = &ps->opt.pprof.regex;
    rf_strview pat = pp->str[idx];
    *re = NULL;
    pp->name.len = 0;
    /* ")$" with its NUL: the engine takes a C string */
    if (rf__pp_put(ps, pp, "^(", 2) || rf__pp_put(ps, pp, pat.ptr, pat.len) || rf__pp_put(ps, pp, ")$", 3)) return 1;
    if (memchr(pat.ptr, 0, pat.len) || !(*re = e->compile(e->ctx, pp->name.data))) rf__warn(ps, what, NULL);
    return 0;
}

/* drop_frames/keep_frames over the locations, as pprof's Prune: in each location the outermost
   line whose function matches marks it; a match on the outermost line prunes the whole
   location, else its lines from the match inwards are removed. */
static rf_result rf__pp_frame_filters(rf_parser *ps, rf__pprof *pp) {
    const rf_regex_engine *e = &ps->opt.pprof.regex;
    void *drop, *keep = NULL;
    size_t i;
    if (!pp->drop_frames || !pp->str[pp->drop_frames].len) return RF_OK; /* pprof: "" = none */
    if (!e->compile || !e->match) {
        rf__warn(ps, "the profile's drop_frames/keep_frames patterns are not applied (no regular-expression engine given)", NULL);
        return RF_OK;
    }
    if (rf__pp_full_regex(ps, pp, pp->drop_frames, "the profile's drop_frames pattern is not valid; not applied", &drop))
        return rf__pp_oom(ps);
    if (!drop) return RF_OK;
    if (pp->keep_frames && pp->str[pp->keep_frames].len) {
        /* pprof prunes nothing when keep_frames does not compile either */
        int oom = rf__pp_full_regex(ps, pp, pp->keep_frames,
                                    "the profile's keep_frames pattern is not valid; drop_frames not applied", &keep);
        if (oom || !keep) {
            if (e->release) e->release(e->ctx, drop);
            return oom ? rf__pp_oom(ps) : RF_OK;
        }
    }
    for (i = 0; i < pp->nloc; i++) {
        rf__pp_loc *l = &pp->loc[i];
        uint32_t k;
        for (k = l->nlines; k-- > 0;) {
            rf__pp_fn *fn = &pp->fn[pp->line[l->line_start + k].fn];
            if (!fn->dropped) {
                rf_strview n = pp->str[fn->name];
                fn->dropped = 1;
                if (n.len) {
                    n = rf__pp_simple_name(n);
                    if (e->match(e->ctx, drop, n.ptr, n.len) && !(keep && e->match(e->ctx, keep, n.ptr, n.len)))
                        fn->dropped = 2;
                }
            }
            if (fn->dropped == 2) break;
        }
        if (k == (uint32_t)-1) continue;
        pp->pruning = 1;
        if (k == l->nlines - 1) {
            l->prune = 2;
        } else {
            l->prune = 1;
            l->line_start += k + 1;
            l->nlines -= k + 1;
        }
    }
    if (e->release) {
        e->release(e->ctx, drop);
        if (keep) e->release(e->ctx, keep);
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
    if ((r = rf__pp_frame_filters(ps, pp)) != RF_OK) return r;
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
    if (rf__whole_add(ps, &pp->data, d, n)) return rf__pp_oom(ps);
    return RF_OK;
}

/* gzip when it starts with 1f 8b (as pprof decides), else a raw protobuf. A lone 0x1f is
   taken as cut-off gzip: no protobuf starts with it (field 3, wire type 7). */
static rf_result rf__pprof_mode(rf_parser *ps, rf__pprof *pp) {
    if (pp->head[0] == 0x1f && (pp->nhead == 1 || pp->head[1] == 0x8b)) {
        pp->z = (rf__inflate *)rf__malloc(ps->al, sizeof *pp->z);
        if (!pp->z) return rf__pp_oom(ps);
        rf__inflate_init(pp->z, ps->al, ps->opt.pprof.max_inflate);
        pp->mode = 2;
    } else {
        pp->mode = 1;
    }
    return RF_OK;
}

static rf_result rf__pprof_start(rf_parser *ps, rf__pprof *pp) {
    rf_result r = rf__pprof_mode(ps, pp);
    return r != RF_OK ? r : rf__pprof_take(ps, pp, (const char *)pp->head, pp->nhead);
}

static rf_result rf__pprof_feed(rf_parser *ps, const char *d, size_t n) {
    rf__pprof *pp = (rf__pprof *)ps->impl;
    rf_result r;
    if (pp->mode == 0 && pp->nhead == 0 && n >= 2 && d == ps->whole) {
        /* rf_parser_feed_whole's buffer: a raw protobuf is kept as a view of it (rf__whole_add) */
        pp->head[0] = (unsigned char)d[0];
        pp->head[1] = (unsigned char)d[1];
        pp->nhead = 2;
        if ((r = rf__pprof_mode(ps, pp)) != RF_OK) return r;
        return rf__pprof_take(ps, pp, d, n);
    }
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
    rf__whole_free(al, &pp->data);
    rf__free(al, pp->str, pp->nstr * sizeof *pp->str);
    rf__free(al, pp->types, pp->cap_types * 2 * sizeof *pp->types);
    rf__free(al, pp->fn, pp->cap_fn * sizeof *pp->fn);
    rf__free(al, pp->loc, pp->cap_loc * sizeof *pp->loc);
    rf__free(al, pp->loc_frames, pp->cap_loc * sizeof *pp->loc_frames);
    rf__free(al, pp->map, pp->cap_map * sizeof *pp->map);
    rf__free(al, pp->line, pp->line_cap * sizeof *pp->line);
    pp->str = NULL;
    pp->types = NULL;
    pp->fn = NULL;
    pp->loc = NULL;
    pp->loc_frames = NULL;
    pp->map = NULL;
    pp->line = NULL;
    rf__pp_ids_free(al, &pp->fn_ids);
    rf__pp_ids_free(al, &pp->loc_ids);
    rf__pp_ids_free(al, &pp->map_ids);
    rf__ids_free(al, &pp->frames);
    rf__free(al, pp->sloc, pp->sloc_cap * sizeof *pp->sloc);
    pp->sloc = NULL;
    rf__free(al, pp->stack_tab, pp->stack_tab_cap * sizeof *pp->stack_tab);
    pp->stack_tab = NULL;
    rf__buf_free(al, &pp->keys);
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
    size_t i, ctrl = 0;
    /* Tags and lengths put control bytes in any protobuf head; text formats (whose
       first bytes can also read as plausible tags, e.g. "@[" or "H") have none. */
    for (i = 0; i < n && i < 4096; i++) ctrl += s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r';
    if (!ctrl) return 0;
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

/* ===== [rf:json] ===== */
/* A strict RFC 8259 pull reader over a document held in memory. The format parsers buffer their
   whole input (at most RF_MAX_INPUT bytes) and walk it token by token, so no DOM is built and
   nothing recurses: open containers live on an explicit stack of at most RF_JSON_MAX_DEPTH
   entries.

   Choices, documented here once:
   - Text must be UTF-8. A UTF-8 byte order mark at the very start is skipped (RFC 8259 allows
     that). Inside strings, every byte that does not start a well-formed UTF-8 sequence
     (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) is replaced by U+FFFD, as is
     every \u escape of an unpaired surrogate; `replaced` counts them. With RF__JSON_STRICT_UTF8
     they are errors instead. Bytes outside strings must be JSON syntax, so they are errors.
   - Raw control characters (< 0x20) in strings are errors unless RF__JSON_ALLOW_CTRL is set
     (dotnet-trace writes them raw; the speedscope reader allows them when not strict).
   - Numbers keep their decimal form: the first 19 significant digits and a power of ten, so
     integers up to 19 digits and fixed-point conversions are exact; rf__json_fixed rounds half
     away from zero. Exponents are clamped to +-1000000 (the value is then 0 or out of range).
   - Duplicate keys are passed through; the format readers decide.
   - Errors carry the byte offset of the offending byte; line and column (1-based, column in
     bytes) are computed from it only when an error is reported, so the fast path counts
     nothing. */

#ifndef RF_JSON_MAX_DEPTH
#define RF_JSON_MAX_DEPTH (2 * RF_MAX_DEPTH + 16) /* a heap-profile tree nests 2 levels a frame */
#endif

#define RF__JSON_ALLOW_CTRL 1u   /* accept raw control characters inside strings */
#define RF__JSON_STRICT_UTF8 2u  /* invalid UTF-8 / lone surrogates are errors, not U+FFFD */

typedef enum rf__jtok {
    RF__JT_ERROR = 0, RF__JT_EOF, RF__JT_OBJ, RF__JT_OBJ_END, RF__JT_ARR, RF__JT_ARR_END,
    RF__JT_KEY, RF__JT_STR, RF__JT_NUM, RF__JT_TRUE, RF__JT_FALSE, RF__JT_NULL
} rf__jtok;

typedef struct rf__jnum {
    uint64_t mant;  /* first 19 significant digits */
    int32_t exp10;  /* value = (neg ? -1 : 1) * mant * 10^exp10 */
    int neg;
    int is_int;     /* written without fraction and exponent */
    int frac_digits; /* digits needed after the point to write the value exactly (0..) */
} rf__jnum;

enum { RF__JS_VALUE, RF__JS_ARR_FIRST, RF__JS_OBJ_FIRST, RF__JS_AFTER, RF__JS_DONE };

typedef struct rf__json {
    const char *base, *cur, *end;
    const rf_allocator *al;
    rf__buf stack;        /* one byte per open container: '{' or '[' */
    rf__buf scratch;      /* decoded text of a string that had escapes or bad UTF-8 */
    unsigned flags;
    int state;
    rf_strview str;       /* text of the last KEY / STR token (valid until the next token) */
    rf__jnum num;         /* the last NUM token */
    const char *tok;      /* where the last token started (for error positions) */
    rf_result err;
    const char *err_msg;
    size_t err_off;
    uint64_t replaced;    /* invalid UTF-8 sequences and lone surrogates replaced by U+FFFD */
} rf__json;

RF__INTERNAL void rf__json_init(rf__json *j, const rf_allocator *al, const char *data, size_t n,
                          unsigned flags)
{
    memset(j, 0, sizeof *j);
    j->al = al;
    j->base = data;
    j->cur = data;
    j->end = data + n;
    j->flags = flags;
    j->state = RF__JS_VALUE;
    if (n >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        j->cur += 3;
}

RF__INTERNAL void rf__json_free(rf__json *j)
{
    rf__buf_free(j->al, &j->stack);
    rf__buf_free(j->al, &j->scratch);
}

/* The first error sticks: every later call returns RF__JT_ERROR. */
RF__INTERNAL rf__jtok rf__json_fail(rf__json *j, rf_result code, const char *msg, const char *at)
{
    if (j->err == RF_OK) {
        j->err = code;
        j->err_msg = msg;
        j->err_off = (size_t)(at - j->base);
    }
    j->cur = j->end;
    j->state = RF__JS_DONE;
    return RF__JT_ERROR;
}

/* Line and column (1-based, column in bytes) of a byte offset, for error reports only. */
RF__INTERNAL void rf__json_line_col(const char *base, size_t off, uint64_t *line, uint32_t *col)
{
    uint64_t ln = 1;
    size_t i, line_start = 0;
    for (i = 0; i < off; i++)
        if (base[i] == '\n') { ln++; line_start = i + 1; }
    *line = ln;
    *col = (off - line_start + 1) > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)(off - line_start + 1);
}

RF__INTERNAL const char *rf__json_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

/* Length of the well-formed UTF-8 sequence at p (non-ASCII lead byte), 0 if ill-formed. */
RF__INTERNAL size_t rf__utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t n, i;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;   /* UTF-16 surrogates are not characters */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;   /* nothing above U+10FFFF */
    } else return 0;
    if ((size_t)(end - p) < n) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return n;
}

RF__INTERNAL size_t rf__utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

RF__INTERNAL int rf__json_hex4(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    int i;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* Decodes the string whose opening quote is at q; sets j->str and returns the byte after the
   closing quote, or NULL after rf__json_fail. Plain strings are returned in place (zero copy);
   the first escape or invalid byte switches to decoding into j->scratch. */
RF__INTERNAL const char *rf__json_string(rf__json *j, const char *q)
{
    const char *p = q + 1, *s = p, *end = j->end;
    rf__buf *sb = &j->scratch;
    for (;;) {
        unsigned char c;
        if (p >= end) { rf__json_fail(j, RF_ERR_TRUNCATED, "unterminated string", q); return NULL; }
        c = (unsigned char)*p;
        if (c == '"') {
            j->str.ptr = s;
            j->str.len = (size_t)(p - s);
            return p + 1;
        }
        if (c == '\\' || c < 0x20) break;
        if (c < 0x80) { p++; continue; }
        {
            size_t n = rf__utf8_seq((const unsigned char *)p, (const unsigned char *)end);
            if (!n) break;
            p += n;
        }
    }
    /* slow path: copy what was plain, then decode */
    sb->len = 0;
    if (rf__buf_append(j->al, sb, s, (size_t)(p - s)) != RF_OK) {
        rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory decoding a string", q);
        return NULL;
    }
    for (;;) {
        char tmp[8];
        size_t tn = 0;
        const char *run = p;
        unsigned char c;
        /* plain run */
        while (p < end) {
            c = (unsigned char)*p;
            if (c == '"' || c == '\\' || c < 0x20) break;
            if (c < 0x80) { p++; continue; }
            {
                size_t n = rf__utf8_seq((const unsigned char *)p, (const unsigned char *)end);
                if (!n) break;
                p += n;
            }
        }
        if (p > run && rf__buf_append(j->al, sb, run, (size_t)(p - run)) != RF_OK) {
            rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory decoding a string", q);
            return NULL;
        }
        if (p >= end) { rf__json_fail(j, RF_ERR_TRUNCATED, "unterminated string", q); return NULL; }
        c = (unsigned char)*p;
        if (c == '"') {
            j->str.ptr = sb->data ? sb->data : p;
            j->str.len = sb->len;
            return p + 1;
        }
        if (c == '\\') {
            if (end - p < 2) { rf__json_fail(j, RF_ERR_TRUNCATED, "unterminated string", q); return NULL; }
            switch (p[1]) {
            case '"': tmp[0] = '"'; tn = 1; break;
            case '\\': tmp[0] = '\\'; tn = 1; break;
            case '/': tmp[0] = '/'; tn = 1; break;
            case 'b': tmp[0] = '\b'; tn = 1; break;
            case 'f': tmp[0] = '\f'; tn = 1; break;
            case 'n': tmp[0] = '\n'; tn = 1; break;
            case 'r': tmp[0] = '\r'; tn = 1; break;
            case 't': tmp[0] = '\t'; tn = 1; break;
            case 'u': {
                uint32_t cp, lo;
                if (end - p < 6) {
                    /* "\u12" at the end: truncated if what is there is hex, else a syntax error */
                    const char *h = p + 2;
                    while (h < end && ((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f') || (*h >= 'A' && *h <= 'F'))) h++;
                    rf__json_fail(j, h < end ? RF_ERR_SYNTAX : RF_ERR_TRUNCATED, "\\u must be followed by 4 hex digits", p);
                    return NULL;
                }
                if (!rf__json_hex4(p + 2, &cp)) {
                    rf__json_fail(j, RF_ERR_SYNTAX, "\\u must be followed by 4 hex digits", p);
                    return NULL;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
                    rf__json_hex4(p + 8, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6; /* the low half */
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    if (j->flags & RF__JSON_STRICT_UTF8) {
                        rf__json_fail(j, RF_ERR_SYNTAX, "\\u escape of an unpaired UTF-16 surrogate", p);
                        return NULL;
                    }
                    j->replaced++;
                    cp = 0xFFFD;
                }
                tn = rf__utf8_put(tmp, cp);
                p += 4;
                break;
            }
            default:
                rf__json_fail(j, RF_ERR_SYNTAX, "invalid escape in string (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", p);
                return NULL;
            }
            p += 2;
        } else if (c < 0x20) {
            if (!(j->flags & RF__JSON_ALLOW_CTRL)) {
                rf__json_fail(j, RF_ERR_SYNTAX, "raw control character in string (must be escaped)", p);
                return NULL;
            }
            tmp[0] = (char)c;
            tn = 1;
            p++;
        } else { /* ill-formed UTF-8 byte */
            if (j->flags & RF__JSON_STRICT_UTF8) {
                rf__json_fail(j, RF_ERR_SYNTAX, "invalid UTF-8 in string", p);
                return NULL;
            }
            j->replaced++;
            tn = rf__utf8_put(tmp, 0xFFFD);
            p++;
        }
        if (rf__buf_append(j->al, sb, tmp, tn) != RF_OK) {
            rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory decoding a string", q);
            return NULL;
        }
    }
}

#define RF__JSON_EXP_CLAMP 1000000

/* Parses the number at p into j->num; returns the byte after it, or NULL after rf__json_fail. */
RF__INTERNAL const char *rf__json_number(rf__json *j, const char *p)
{
    const char *start = p, *end = j->end;
    uint64_t mant = 0;
    int nd = 0;            /* significant digits kept in mant */
    int64_t exp = 0;       /* decimal exponent adjustment from dropped / fraction digits */
    int is_int = 1, neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (p >= end) { rf__json_fail(j, RF_ERR_TRUNCATED, "number ends after '-'", start); return NULL; }
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9') {
            rf__json_fail(j, RF_ERR_SYNTAX, "number with a leading zero", start);
            return NULL;
        }
    } else if (*p >= '1' && *p <= '9') {
        while (p < end && *p >= '0' && *p <= '9') {
            if (nd < 19) { mant = mant * 10 + (uint64_t)(*p - '0'); nd++; }
            else exp++;
            p++;
        }
    } else {
        rf__json_fail(j, RF_ERR_SYNTAX, "invalid number (JSON: -?digits[.digits][e[+-]digits])", start);
        return NULL;
    }
    if (p < end && *p == '.') {
        is_int = 0;
        p++;
        if (p >= end || *p < '0' || *p > '9') {
            rf__json_fail(j, p >= end ? RF_ERR_TRUNCATED : RF_ERR_SYNTAX, "digit expected after '.' in number", p);
            return NULL;
        }
        while (p < end && *p >= '0' && *p <= '9') {
            if (nd < 19) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                if (mant) nd++;
                exp--;
            }
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        int eneg = 0;
        int64_t e = 0;
        is_int = 0;
        p++;
        if (p < end && (*p == '+' || *p == '-')) { eneg = *p == '-'; p++; }
        if (p >= end || *p < '0' || *p > '9') {
            rf__json_fail(j, p >= end ? RF_ERR_TRUNCATED : RF_ERR_SYNTAX, "digit expected in exponent", p);
            return NULL;
        }
        while (p < end && *p >= '0' && *p <= '9') {
            if (e < RF__JSON_EXP_CLAMP) e = e * 10 + (*p - '0');
            p++;
        }
        exp += eneg ? -e : e;
    }
    if (exp > RF__JSON_EXP_CLAMP) exp = RF__JSON_EXP_CLAMP;
    if (exp < -RF__JSON_EXP_CLAMP) exp = -RF__JSON_EXP_CLAMP;
    if (mant == 0) exp = 0;
    /* normalise trailing zeros away so frac_digits is the true count */
    while (mant != 0 && mant % 10 == 0 && exp < 0) { mant /= 10; exp++; }
    j->num.mant = mant;
    j->num.exp10 = (int32_t)exp;
    j->num.neg = neg;
    j->num.is_int = is_int;
    j->num.frac_digits = exp < 0 ? (int)-exp : 0;
    return p;
}

static const uint64_t rf__pow10_u64[20] = {
    1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull, 100000000ull,
    1000000000ull, 10000000000ull, 100000000000ull, 1000000000000ull, 10000000000000ull,
    100000000000000ull, 1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
    1000000000000000000ull, 10000000000000000000ull
};

/* value * 10^decimals as int64, rounded half away from zero. 0 if it does not fit. */
RF__INTERNAL int rf__json_fixed(const rf__jnum *n, int decimals, int64_t *out)
{
    int64_t e = (int64_t)n->exp10 + decimals;
    uint64_t v = n->mant;
    if (v == 0) { *out = 0; return 1; }
    if (e >= 0) {
        if (e > 19) return 0;
        if (v > UINT64_MAX / rf__pow10_u64[e]) return 0;
        v *= rf__pow10_u64[e];
    } else if (e < -19) {
        v = 0;
    } else {
        uint64_t d = rf__pow10_u64[-e], q = v / d, r = v % d;
        /* mant holds at most 19 digits, so d - r cannot overflow; compare r >= d/2 exactly */
        if (r >= d - r) q++;
        v = q;
    }
    if (v > (uint64_t)INT64_MAX) return 0;
    *out = n->neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

RF__INTERNAL rf__jtok rf__json_push(rf__json *j, char kind, const char *at)
{
    if (j->stack.len >= (size_t)RF_JSON_MAX_DEPTH)
        return rf__json_fail(j, RF_ERR_LIMIT, "JSON nested deeper than RF_JSON_MAX_DEPTH", at);
    if (rf__buf_append(j->al, &j->stack, &kind, 1) != RF_OK)
        return rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", at);
    j->state = kind == '{' ? RF__JS_OBJ_FIRST : RF__JS_ARR_FIRST;
    return kind == '{' ? RF__JT_OBJ : RF__JT_ARR;
}

RF__INTERNAL rf__jtok rf__json_value(rf__json *j, const char *p)
{
    const char *end = j->end;
    rf__jtok t;
    j->tok = p;
    if (p >= end) return rf__json_fail(j, RF_ERR_TRUNCATED, "unexpected end of input: value expected", p);
    switch (*p) {
    case '{': j->cur = p + 1; return rf__json_push(j, '{', p);
    case '[': j->cur = p + 1; return rf__json_push(j, '[', p);
    case '"':
        p = rf__json_string(j, p);
        if (!p) return RF__JT_ERROR;
        t = RF__JT_STR;
        break;
    case 't': case 'f': case 'n': {
        const char *word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
        size_t wl = strlen(word);
        if ((size_t)(end - p) < wl || memcmp(p, word, wl) != 0) {
            if ((size_t)(end - p) < wl && memcmp(p, word, (size_t)(end - p)) == 0)
                return rf__json_fail(j, RF_ERR_TRUNCATED, "unexpected end of input in a literal", p);
            return rf__json_fail(j, RF_ERR_SYNTAX, "invalid literal (expected true, false or null)", p);
        }
        p += wl;
        t = *word == 't' ? RF__JT_TRUE : *word == 'f' ? RF__JT_FALSE : RF__JT_NULL;
        break;
    }
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9')) {
            p = rf__json_number(j, p);
            if (!p) return RF__JT_ERROR;
            t = RF__JT_NUM;
            break;
        }
        return rf__json_fail(j, RF_ERR_SYNTAX, "unexpected character: value expected", p);
    }
    j->cur = p;
    j->state = j->stack.len ? RF__JS_AFTER : RF__JS_DONE;
    return t;
}

RF__INTERNAL rf__jtok rf__json_key(rf__json *j, const char *p)
{
    j->tok = p;
    if (p >= j->end) return rf__json_fail(j, RF_ERR_TRUNCATED, "unexpected end of input: object key expected", p);
    if (*p != '"') return rf__json_fail(j, RF_ERR_SYNTAX, "object key (a string) expected", p);
    p = rf__json_string(j, p);
    if (!p) return RF__JT_ERROR;
    p = rf__json_ws(p, j->end);
    if (p >= j->end) return rf__json_fail(j, RF_ERR_TRUNCATED, "unexpected end of input: ':' expected", p);
    if (*p != ':') return rf__json_fail(j, RF_ERR_SYNTAX, "':' expected after object key", p);
    j->cur = p + 1;
    j->state = RF__JS_VALUE;
    return RF__JT_KEY;
}

RF__INTERNAL rf__jtok rf__json_close(rf__json *j, const char *p)
{
    char kind = j->stack.data[j->stack.len - 1];
    j->tok = p;
    j->stack.len--;
    j->cur = p + 1;
    j->state = j->stack.len ? RF__JS_AFTER : RF__JS_DONE;
    return kind == '{' ? RF__JT_OBJ_END : RF__JT_ARR_END;
}

RF__INTERNAL rf__jtok rf__json_next(rf__json *j)
{
    const char *p = rf__json_ws(j->cur, j->end), *end = j->end;
    switch (j->state) {
    case RF__JS_VALUE:
        if (p >= end && j->stack.len == 0) /* only at the start: nothing but whitespace */
            return rf__json_fail(j, RF_ERR_EMPTY, "empty input (no JSON value)", p);
        return rf__json_value(j, p);
    case RF__JS_ARR_FIRST:
        if (p < end && *p == ']') return rf__json_close(j, p);
        return rf__json_value(j, p);
    case RF__JS_OBJ_FIRST:
        if (p < end && *p == '}') return rf__json_close(j, p);
        return rf__json_key(j, p);
    case RF__JS_AFTER: {
        char kind = j->stack.data[j->stack.len - 1];
        if (p >= end)
            return rf__json_fail(j, RF_ERR_TRUNCATED, kind == '{' ? "unexpected end of input: ',' or '}' expected"
                                                                 : "unexpected end of input: ',' or ']' expected", p);
        if (*p == ',') {
            p = rf__json_ws(p + 1, end);
            return kind == '{' ? rf__json_key(j, p) : rf__json_value(j, p);
        }
        if (*p == (kind == '{' ? '}' : ']')) return rf__json_close(j, p);
        return rf__json_fail(j, RF_ERR_SYNTAX, kind == '{' ? "',' or '}' expected" : "',' or ']' expected", p);
    }
    default: /* RF__JS_DONE */
        if (j->err != RF_OK) return RF__JT_ERROR;
        j->cur = p;
        if (p < end) return rf__json_fail(j, RF_ERR_SYNTAX, "unexpected data after the JSON value", p);
        return RF__JT_EOF;
    }
}

/* Skips the value whose first token t was just read (scalars: nothing to do). */
RF__INTERNAL int rf__json_skip(rf__json *j, rf__jtok t)
{
    size_t depth;
    if (t == RF__JT_ERROR) return 0;
    if (t != RF__JT_OBJ && t != RF__JT_ARR) return 1;
    depth = j->stack.len - 1;
    while (j->stack.len > depth) {
        t = rf__json_next(j);
        if (t == RF__JT_ERROR) return 0;
    }
    return 1;
}

/* Reads the next token, which must open an object / array. */
RF__INTERNAL int rf__json_expect(rf__json *j, rf__jtok want, const char *msg)
{
    rf__jtok t = rf__json_next(j);
    if (t == want) return 1;
    if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, msg, j->tok);
    return 0;
}

/* Object iteration: call after RF__JT_OBJ; returns 1 with the key in j->str, 0 at '}' or error. */
RF__INTERNAL int rf__json_obj_next(rf__json *j)
{
    rf__jtok t = rf__json_next(j);
    return t == RF__JT_KEY;
}

RF__INTERNAL int rf__json_key_is(const rf__json *j, const char *name)
{
    size_t n = strlen(name);
    return j->str.len == n && memcmp(j->str.ptr, name, n) == 0;
}

/* Reads the next value as a number (JSON number, or a string holding one when `allow_string`:
   dotnet-trace writes speedscope startValue/endValue as strings). */
RF__INTERNAL int rf__json_read_num(rf__json *j, rf__jnum *out, int allow_string, const char *msg)
{
    rf__jtok t = rf__json_next(j);
    const char *at = j->tok;
    if (t == RF__JT_NUM) { *out = j->num; return 1; }
    if (t == RF__JT_STR && allow_string) {
        /* re-run the number grammar on the string's text with a sub-reader */
        rf__json sub;
        const char *e;
        rf__json_init(&sub, j->al, j->str.ptr, j->str.len, 0);
        e = j->str.len ? rf__json_number(&sub, j->str.ptr) : NULL;
        if (e && e == sub.end) { *out = sub.num; return 1; }
        rf__json_fail(j, RF_ERR_CORRUPT, msg, at);
        return 0;
    }
    if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, msg, at);
    return 0;
}

RF__INTERNAL int rf__json_read_i64(rf__json *j, int64_t *out, const char *msg)
{
    rf__jnum n;
    if (!rf__json_read_num(j, &n, 0, msg)) return 0;
    if (n.frac_digits != 0 || !rf__json_fixed(&n, 0, out)) {
        rf__json_fail(j, RF_ERR_CORRUPT, msg, j->tok);
        return 0;
    }
    return 1;
}

/* Reads the next value as a string into j->str; NULL is taken as "" when allow_null. */
RF__INTERNAL int rf__json_read_str(rf__json *j, int allow_null, const char *msg)
{
    rf__jtok t = rf__json_next(j);
    if (t == RF__JT_STR) return 1;
    if (t == RF__JT_NULL && allow_null) { j->str.ptr = ""; j->str.len = 0; return 1; }
    if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, msg, j->tok);
    return 0;
}

/* growable int64 array for the big numeric arrays (samples, timeDeltas) */
typedef struct rf__i64s { int64_t *v; size_t len, cap; } rf__i64s;

RF__INTERNAL void rf__i64s_free(const rf_allocator *al, rf__i64s *s)
{
    rf__free(al, s->v, s->cap * sizeof *s->v);
    s->v = NULL;
    s->len = s->cap = 0;
}

/* The run of decimal digits at p (p[0] is one; 8 bytes readable), at most 8, and its value:
   all eight bytes are classified and converted at once, as sample arrays are mostly short
   numbers and a byte-at-a-time loop spends more on branches than on arithmetic. */
RF__INTERNAL unsigned rf__json_digits8(const char *p, uint64_t *val)
{
    uint64_t x, d, flags;
    unsigned n = 8;
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&x, p, 8); /* one load; gcc does not merge the portable form below */
#else
    const unsigned char *b = (const unsigned char *)p;
    x = (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
        (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
#endif
    d = x ^ 0x3030303030303030ull; /* a digit byte becomes 0..9 */
    /* bit 7 of a byte is set when it is not a digit: >= 0x80 itself, or 10..0x7f + 0x76
       reaching 0x80; carries only leave bytes already flagged, so the lowest flag is exact */
    flags = (d | (d + 0x7676767676767676ull)) & 0x8080808080808080ull;
    if (flags) n = (unsigned)((((flags & (0 - flags)) >> 7) * 0x0001020304050607ull) >> 56);
    d <<= 8 * (8 - n); /* the digits to the top bytes, zeros (leading zeros) below */
    d = (d * 10 + (d >> 8)) & 0x00FF00FF00FF00FFull;
    d = (d * 100 + (d >> 16)) & 0x0000FFFF0000FFFFull;
    d = (d * 10000 + (d >> 32)) & 0xFFFFFFFFull;
    *val = d;
    return n;
}

/* Receives the numbers of an array in chunks; returns 0 to stop (after rf__json_fail). */
typedef int (*rf__i64_sink)(void *ctx, rf__json *j, const int64_t *v, size_t n);

#define RF__I64_CHUNK 512

/* Streams the items of an array of numbers to `sink` in chunks: the hot loop of .cpuprofile
   parsing. Plain integers are parsed inline, anything else goes through rf__json_number;
   non-integers are rounded half away from zero when `round`, else rejected. Call right after
   the reader returned RF__JT_ARR; afterwards the reader continues after the ']'. */
RF__INTERNAL int rf__json_i64_stream(rf__json *j, rf__i64_sink sink, void *ctx, int round, const char *msg)
{
    const char *p = rf__json_ws(j->cur, j->end), *end = j->end;
    int64_t chunk[RF__I64_CHUNK];
    size_t k = 0;
    if (p < end && *p == ']') {
        rf__json_close(j, p);
        return 1;
    }
    for (;;) {
        int64_t v = 0;
        const char *s = p;
        int fast = 0;
        if (p < end && *p >= '0' && *p <= '9') {
            /* fast path: a plain non-negative integer of at most 18 digits */
            const char *q = p + 1;
            uint64_t u = (uint64_t)(*p - '0');
            if (u != 0 && end - p >= 8) q = p + rf__json_digits8(p, &u);
            if (u != 0)
                while (q < end && *q >= '0' && *q <= '9' && q - p < 18) u = u * 10 + (uint64_t)(*q++ - '0');
            if (!(q < end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E'))) {
                v = (int64_t)u;
                p = q;
                fast = 1;
            }
        }
        if (!fast) {
            p = rf__json_ws(s, end);
            if (p >= end) { rf__json_fail(j, RF_ERR_TRUNCATED, "unexpected end of input in an array", p); return 0; }
            if (*p != '-' && (*p < '0' || *p > '9')) {
                if (*p == '"' || *p == '{' || *p == '[' || *p == 't' || *p == 'f' || *p == 'n')
                    rf__json_fail(j, RF_ERR_CORRUPT, msg, p);
                else
                    rf__json_fail(j, RF_ERR_SYNTAX, "unexpected character: value expected", p);
                return 0;
            }
            s = p;
            p = rf__json_number(j, p);
            if (!p) return 0;
            if ((!round && j->num.frac_digits) || !rf__json_fixed(&j->num, 0, &v)) {
                rf__json_fail(j, RF_ERR_CORRUPT, msg, s);
                return 0;
            }
        }
        chunk[k++] = v;
        if (k == RF__I64_CHUNK) {
            j->tok = s;
            if (!sink(ctx, j, chunk, k)) return 0;
            k = 0;
        }
        if (p < end && *p == ',') { p++; continue; }
        p = rf__json_ws(p, end);
        if (p < end && *p == ',') { p = rf__json_ws(p + 1, end); continue; }
        if (p < end && *p == ']') {
            j->tok = s;
            if (k && !sink(ctx, j, chunk, k)) return 0;
            rf__json_close(j, p);
            return 1;
        }
        rf__json_fail(j, p >= end ? RF_ERR_TRUNCATED : RF_ERR_SYNTAX,
                      p >= end ? "unexpected end of input: ',' or ']' expected" : "',' or ']' expected", p);
        return 0;
    }
}

/* Sinks: append to an rf__i64s, or only validate. */
RF__INTERNAL int rf__i64_append(void *ctx, rf__json *j, const int64_t *v, size_t n)
{
    rf__i64s *out = (rf__i64s *)ctx;
    if (rf__grow(j->al, (void **)&out->v, &out->cap, out->len + n, sizeof(int64_t)) != RF_OK) {
        rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->tok);
        return 0;
    }
    memcpy(out->v + out->len, v, n * sizeof *v);
    out->len += n;
    return 1;
}
RF__INTERNAL int rf__i64_discard(void *ctx, rf__json *j, const int64_t *v, size_t n)
{
    (void)ctx; (void)j; (void)v; (void)n;
    return 1;
}

RF__INTERNAL int rf__json_i64_items(rf__json *j, rf__i64s *out, int round, const char *msg)
{
    return rf__json_i64_stream(j, rf__i64_append, out, round, msg);
}

RF__INTERNAL int rf__json_read_i64_array(rf__json *j, rf__i64s *out, int round, const char *msg)
{
    return rf__json_expect(j, RF__JT_ARR, msg) && rf__json_i64_items(j, out, round, msg);
}

/* ----- buffered JSON documents: the common feed/finish of every JSON format ----- */
/* JSON profiles are parsed whole: feed() only appends (up to RF_MAX_INPUT bytes), finish()
   walks the document. Semantic errors are reported through the reader too (rf__json_fail
   with a pointer into the document), so every error carries offset, line and column. */
typedef struct rf__jdoc {
    rf__buf in;
    int (*run)(rf_parser *ps, rf__json *j);   /* the format: 1 = ok, 0 = j->err is set */
} rf__jdoc;

RF__INTERNAL rf_result rf__jdoc_feed(rf_parser *ps, const char *d, size_t n)
{
    rf__jdoc *x = (rf__jdoc *)ps->impl;
    if (n > RF_MAX_INPUT || x->in.len > RF_MAX_INPUT - n)
        return rf__fail_at(ps, RF_ERR_LIMIT,
                           "input larger than RF_MAX_INPUT (JSON profiles are read whole; raise the limit)",
                           x->in.len, 0, 0);
    if (rf__whole_add(ps, &x->in, d, n) != RF_OK)
        return rf__fail_at(ps, RF_ERR_OUT_OF_MEMORY, "out of memory buffering the input", x->in.len, 0, 0);
    return RF_OK;
}

RF__INTERNAL rf_result rf__jdoc_finish(rf_parser *ps)
{
    rf__jdoc *x = (rf__jdoc *)ps->impl;
    rf__json j;
    rf_result r = RF_OK;
    unsigned flags = ps->opt.strict ? RF__JSON_STRICT_UTF8 : 0u;
    if (ps->stats.format == RF_FORMAT_SPEEDSCOPE && !ps->opt.strict) flags |= RF__JSON_ALLOW_CTRL;
    rf__json_init(&j, ps->al, x->in.data ? x->in.data : "", x->in.len, flags);
    if (!x->run(ps, &j) || j.err != RF_OK) {
        uint64_t line;
        uint32_t col;
        rf__json_line_col(j.base, j.err_off, &line, &col);
        r = rf__fail_at(ps, j.err != RF_OK ? j.err : RF_ERR_CORRUPT, j.err_msg, j.err_off, line, col);
    } else if (j.replaced) {
        rf__warn(ps, "invalid UTF-8 or unpaired surrogates in strings were replaced by U+FFFD", NULL);
    }
    rf__json_free(&j);
    rf__whole_free(ps->al, &x->in);
    return r;
}

RF__INTERNAL void rf__jdoc_destroy(rf_parser *ps)
{
    rf__jdoc *x = (rf__jdoc *)ps->impl;
    if (!x) return;
    rf__whole_free(ps->al, &x->in);
    rf__free(ps->al, x, sizeof *x);
    ps->impl = NULL;
}

static const rf__parser_vt rf__jdoc_vt = {rf__jdoc_feed, rf__jdoc_finish, rf__jdoc_destroy};

RF__INTERNAL rf_result rf__jdoc_init(rf_parser *ps, int (*run)(rf_parser *, rf__json *))
{
    rf__jdoc *x = (rf__jdoc *)rf__malloc(ps->al, sizeof *x);
    if (!x) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(x, 0, sizeof *x);
    x->run = run;
    ps->impl = x;
    ps->vt = &rf__jdoc_vt;
    return RF_OK;
}

/* A malformed record inside a valid document (unknown node id, bad frame index): counted and
   skipped, or an error when strict. Returns 0 when the parse must stop. */
RF__INTERNAL int rf__jdoc_skip(rf_parser *ps, rf__json *j, const char *at, const char *reason)
{
    if (ps->opt.strict) {
        rf__json_fail(j, RF_ERR_CORRUPT, reason, at);
        return 0;
    }
    if (ps->stats.skipped == 0) {
        uint32_t col;
        rf__json_line_col(j->base, (size_t)(at - j->base), &ps->line_no, &col);
        ps->line_offset = (uint64_t)(at - j->base);
    }
    rf__skip(ps, reason);
    return 1;
}

/* After the top-level value: only whitespace may follow. */
RF__INTERNAL int rf__jdoc_end(rf__json *j)
{
    return rf__json_next(j) == RF__JT_EOF;
}

/* A result of rf__profile_add_ids as a reader error at `at`. */
RF__INTERNAL int rf__jdoc_add_failed(rf__json *j, rf_result r, const char *at)
{
    rf__json_fail(j, r, r == RF_ERR_OVERFLOW ? "total weight overflows 64 bits"
                      : r == RF_ERR_LIMIT   ? "stack deeper than RF_MAX_DEPTH"
                      : r == RF_ERR_OUT_OF_MEMORY ? "out of memory" : "invalid weight", at);
    return 0;
}

/* Runs `fn` on a sub-document: the bytes [off, off+len) of j's document, which hold one
   complete JSON value already validated by the main pass. Errors land in j with absolute
   offsets. */
RF__INTERNAL void rf__json_sub(const rf__json *j, rf__json *sub, size_t off, size_t len)
{
    rf__json_init(sub, j->al, j->base + off, len, j->flags);
    sub->base = j->base; /* offsets and line numbers stay those of the whole document */
}
RF__INTERNAL int rf__json_sub_done(rf__json *j, rf__json *sub)
{
    int ok = sub->err == RF_OK;
    if (!ok) {
        rf__json_fail(j, sub->err, sub->err_msg, sub->base + sub->err_off);
    }
    rf__json_free(sub);
    return ok;
}

/* Skips the next value and returns its byte range (for a second pass with rf__json_sub). */
RF__INTERNAL int rf__json_range(rf__json *j, size_t *off, size_t *len)
{
    rf__jtok t = rf__json_next(j);
    const char *start = j->tok;
    if (!rf__json_skip(j, t)) return 0;
    *off = (size_t)(start - j->base);
    *len = (size_t)(j->cur - start);
    return 1;
}

/* ----- JavaScript frame names (V8, JSC, speedscope) ----- */

/* The part of a url shown in frame names: the last path component for file://, http(s)://
   and absolute paths (query and fragment dropped); anything else (node:internal/timers,
   native, eval) whole. */
RF__INTERNAL rf_strview rf__short_url(const char *u, size_t n)
{
    rf_strview v;
    size_t i, stop = n, start = 0;
    int path = (n >= 7 && memcmp(u, "file://", 7) == 0) || (n >= 7 && memcmp(u, "http://", 7) == 0) ||
               (n >= 8 && memcmp(u, "https://", 8) == 0) || (n >= 1 && (u[0] == '/' || u[0] == '\\')) ||
               (n >= 3 && u[1] == ':' && (u[2] == '\\' || u[2] == '/'));
    v.ptr = u;
    v.len = n;
    if (!path) return v;
    for (i = 0; i < n; i++)
        if (u[i] == '?' || u[i] == '#') { stop = i; break; }
    for (i = stop; i > 0; i--)
        if (u[i - 1] == '/' || u[i - 1] == '\\') { start = i; break; }
    if (start < stop) {
        v.ptr = u + start;
        v.len = stop - start;
    }
    return v;
}

/* Interns the display name of a JS frame. line1 / col1 are 1-based (<= 0: unknown; col1 is
   shown only when with_col). RF__NO_ID when out of memory. */
RF__INTERNAL uint32_t rf__js_frame(rf_profile *p, rf__buf *tmp, rf_strview fn, rf_strview url,
                                   int64_t line1, int64_t col1, int mode, int with_col)
{
    const rf_allocator *al = rf__profile_allocator(p);
    int anon = fn.len == 0;
    int loc = url.len > 0 && (mode == RF_FRAME_NAMES_LOCATION || (mode == RF_FRAME_NAMES_ANON_LOCATION && anon));
    rf_strview file;
    char num[32];
    rf_result r = RF_OK;
    if (!loc) return anon ? rf__intern(p, "(anonymous)", 11) : rf__intern(p, fn.ptr, fn.len);
    file = rf__short_url(url.ptr, url.len);
    tmp->len = 0;
    if (anon) r = rf__buf_append(al, tmp, "(anonymous ", 11);
    else if ((r = rf__buf_append(al, tmp, fn.ptr, fn.len)) == RF_OK) r = rf__buf_append(al, tmp, " (", 2);
    if (r == RF_OK) r = rf__buf_append(al, tmp, file.ptr, file.len);
    if (r == RF_OK && line1 > 0) {
        num[0] = ':';
        r = rf__buf_append(al, tmp, num, 1 + rf_format_weight(line1, 0, num + 1));
        if (r == RF_OK && with_col && col1 > 0)
            r = rf__buf_append(al, tmp, num, 1 + rf_format_weight(col1, 0, num + 1));
    }
    if (r == RF_OK) r = rf__buf_append(al, tmp, ")", 1);
    if (r != RF_OK) return RF__NO_ID;
    return rf__intern(p, tmp->data, tmp->len);
}

/* ===== [rf:v8] ===== */
/* V8 .cpuprofile (Node/Bun --cpu-prof, CDP Profiler.stop, also inside {"profile":...} or
   {"id":N,"result":{"profile":...}}), the pre-2016 form with a nested "head" tree, and
   .heapprofile (CDP HeapProfiler.stopSampling). Nodes go into a table (ids sparse and in
   any order), parents come from `children` (ids or nested objects) and numeric `parent`;
   weights are summed per node first, so millions of samples cost one table update each,
   then each weighted node adds its stack once. "(root)" (a parentless node of that name) is
   not a frame. Stacks whose parent links loop are rejected, not followed. */

typedef struct rf__v8node {
    int64_t id, parent_id, weight;   /* weight: hitCount (cpu) or selfSize (heap) */
    int64_t line, col;               /* as in the file: 0-based, -1 unknown */
    size_t fn_off, fn_len, url_off, url_len; /* into rf__v8.strs */
    size_t child_off, child_n;       /* flat form: ids in rf__v8.child_ids */
    size_t at;                       /* byte offset of the node object, for errors */
    uint32_t parent, name, depth;
    unsigned char has_id, has_parent_id, has_fn;
} rf__v8node;

typedef struct rf__v8 {
    rf_parser *ps;
    rf__json *j;
    int heap;
    rf__v8node *nodes;
    size_t n, cap;
    rf__buf strs, tmp;
    rf__i64s child_ids, samples, deltas, stamps;
    rf__ids stack;
    uint32_t *map;       /* id -> node index (direct: id - map_min; else open addressing) */
    size_t map_cap;
    int64_t map_min;
    int map_direct;
    int64_t *w;          /* summed weight per node */
    size_t w_bytes;
    rf__jnum start_time, end_time;
    int has_start, has_end, seen_nodes, seen_samples, seen_deltas, seen_stamps;
    int timed;           /* RF_V8_WEIGHT_TIME on a CPU profile */
    int samples_done, deltas_done; /* streamed straight into w / sidx */
    rf__buf sidx;        /* timed: node index per sample, 2 bytes each when the tree has under
                            0xFFFF nodes (half the memory of the biggest array), else 4;
                            all ones = unknown id */
    size_t nsidx;
    unsigned sidx_w;     /* 2 or 4, set at the first sample */
    uint64_t nsamples, ndeltas;
    int64_t dsum;        /* sum of the clamped timeDeltas */
    int64_t last_id;
    uint32_t last_idx;
    const char *nodes_at, *samples_at;
} rf__v8;

RF__INTERNAL void rf__v8_free(rf__v8 *v)
{
    const rf_allocator *al = v->ps->al;
    rf__free(al, v->nodes, v->cap * sizeof *v->nodes);
    rf__buf_free(al, &v->strs);
    rf__buf_free(al, &v->tmp);
    rf__i64s_free(al, &v->child_ids);
    rf__i64s_free(al, &v->samples);
    rf__i64s_free(al, &v->deltas);
    rf__i64s_free(al, &v->stamps);
    rf__ids_free(al, &v->stack);
    rf__buf_free(al, &v->sidx);
    rf__free(al, v->map, v->map_cap * sizeof *v->map);
    rf__free(al, v->w, v->w_bytes);
}

RF__INTERNAL int rf__v8_oom(rf__v8 *v)
{
    rf__json_fail(v->j, RF_ERR_OUT_OF_MEMORY, "out of memory", v->j->tok ? v->j->tok : v->j->base);
    return 0;
}

RF__INTERNAL int rf__v8_new_node(rf__v8 *v, uint32_t parent)
{
    rf__v8node *nd;
    if (v->n >= 0xFFFFFFF0u) {
        rf__json_fail(v->j, RF_ERR_LIMIT, "more than 2^32 profile nodes", v->j->tok);
        return 0;
    }
    if (rf__grow(v->ps->al, (void **)&v->nodes, &v->cap, v->n + 1, sizeof *v->nodes) != RF_OK)
        return rf__v8_oom(v);
    nd = &v->nodes[v->n];
    memset(nd, 0, sizeof *nd);
    nd->parent = parent;
    nd->name = RF__NO_ID;
    nd->line = nd->col = -1;
    nd->at = (size_t)(v->j->tok - v->j->base);
    if (rf__ids_push(v->ps->al, &v->stack, (uint32_t)v->n) != RF_OK) return rf__v8_oom(v);
    v->n++;
    return 1;
}

/* Copies the string just read into the node string store. */
RF__INTERNAL int rf__v8_keep_str(rf__v8 *v, size_t *off, size_t *len)
{
    *off = v->strs.len;
    *len = v->j->str.len;
    if (rf__buf_append(v->ps->al, &v->strs, v->j->str.ptr, v->j->str.len) != RF_OK) return rf__v8_oom(v);
    return 1;
}

/* The fields that name a frame, in a callFrame object or (old format) in the node itself.
   Returns 1 = handled, 0 = error, -1 = not a frame field. */
RF__INTERNAL int rf__v8_frame_field(rf__v8 *v, uint32_t idx)
{
    rf__json *j = v->j;
    if (rf__json_key_is(j, "functionName")) {
        if (!rf__json_read_str(j, 1, "\"functionName\" must be a string")) return 0;
        v->nodes[idx].has_fn = 1;
        return rf__v8_keep_str(v, &v->nodes[idx].fn_off, &v->nodes[idx].fn_len);
    }
    if (rf__json_key_is(j, "url")) {
        if (!rf__json_read_str(j, 1, "\"url\" must be a string")) return 0;
        return rf__v8_keep_str(v, &v->nodes[idx].url_off, &v->nodes[idx].url_len);
    }
    if (rf__json_key_is(j, "lineNumber")) return rf__json_read_i64(j, &v->nodes[idx].line, "\"lineNumber\" must be an integer");
    if (rf__json_key_is(j, "columnNumber")) return rf__json_read_i64(j, &v->nodes[idx].col, "\"columnNumber\" must be an integer");
    return -1;
}

/* Walks node objects without recursion: either the elements of a "nodes" array (the reader
   just returned its '[') or one "head" tree. Nested "children" objects become child nodes;
   "children" arrays of ids are kept for later linking. */
RF__INTERNAL int rf__v8_walk(rf__v8 *v, int in_array)
{
    rf__json *j = v->j;
    int in_children = in_array;
    v->stack.len = 0;
    if (!in_array) {
        if (!rf__json_expect(j, RF__JT_OBJ, "\"head\" must be a node object")) return 0;
        if (!rf__v8_new_node(v, RF_NODE_NONE)) return 0;
    }
    for (;;) {
        rf__jtok t = rf__json_next(j);
        uint32_t idx;
        int h;
        if (in_children) {
            if (t == RF__JT_OBJ) {
                if (!rf__v8_new_node(v, v->stack.len ? v->stack.v[v->stack.len - 1] : RF_NODE_NONE)) return 0;
                in_children = 0;
            } else if (t == RF__JT_ARR_END) {
                if (v->stack.len == 0) return 1; /* end of the "nodes" array */
                in_children = 0;
            } else {
                if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, "profile node objects expected", j->tok);
                return 0;
            }
            continue;
        }
        if (t == RF__JT_OBJ_END) {
            v->stack.len--;
            if (v->stack.len == 0 && !in_array) return 1;
            in_children = 1;
            continue;
        }
        if (t != RF__JT_KEY) return 0;
        idx = v->stack.v[v->stack.len - 1];
        if (rf__json_key_is(j, "callFrame")) {
            if (!rf__json_expect(j, RF__JT_OBJ, "\"callFrame\" must be an object")) return 0;
            while (rf__json_obj_next(j)) {
                h = rf__v8_frame_field(v, idx);
                if (h == 0 || (h < 0 && !rf__json_skip(j, rf__json_next(j)))) return 0;
            }
            if (j->err != RF_OK) return 0;
        } else if (rf__json_key_is(j, "id")) {
            if (!rf__json_read_i64(j, &v->nodes[idx].id, "node \"id\" must be an integer")) return 0;
            v->nodes[idx].has_id = 1;
        } else if (rf__json_key_is(j, "parent")) {
            if (!rf__json_read_i64(j, &v->nodes[idx].parent_id, "node \"parent\" must be an integer id")) return 0;
            v->nodes[idx].has_parent_id = 1;
        } else if (rf__json_key_is(j, v->heap ? "selfSize" : "hitCount")) {
            rf__jnum num;
            if (!rf__json_read_num(j, &num, 0, v->heap ? "\"selfSize\" must be a number" : "\"hitCount\" must be a number"))
                return 0;
            if (num.neg || !rf__json_fixed(&num, 0, &v->nodes[idx].weight)) {
                rf__json_fail(j, RF_ERR_CORRUPT, v->heap ? "\"selfSize\" negative or too large" : "\"hitCount\" negative or too large", j->tok);
                return 0;
            }
        } else if (rf__json_key_is(j, "children")) {
            const char *p;
            if (!rf__json_expect(j, RF__JT_ARR, "\"children\" must be an array")) return 0;
            p = rf__json_ws(j->cur, j->end);
            if (p < j->end && (*p == '{' || *p == ']')) {
                in_children = 1;
            } else {
                size_t before = v->child_ids.len;
                if (!rf__json_i64_items(j, &v->child_ids, 0, "\"children\" must hold node ids or node objects")) return 0;
                v->nodes[idx].child_off = before;
                v->nodes[idx].child_n = v->child_ids.len - before;
            }
        } else {
            h = rf__v8_frame_field(v, idx); /* old format: frame fields in the node */
            if (h == 0 || (h < 0 && !rf__json_skip(j, rf__json_next(j)))) return 0;
        }
    }
}

RF__INTERNAL int rf__v8_ready(rf__v8 *v);
RF__INTERNAL int rf__v8_samples_sink(void *ctx, rf__json *j, const int64_t *ids, size_t n);
RF__INTERNAL int rf__v8_deltas_sink(void *ctx, rf__json *j, const int64_t *d, size_t n);

/* The profile object's keys; "profile", "result" and "params" wrap it (CDP messages). */
RF__INTERNAL int rf__v8_scan(rf__v8 *v, int level)
{
    rf__json *j = v->j;
    if (!rf__json_expect(j, RF__JT_OBJ, v->heap ? "a JSON object (a V8 heap profile) expected"
                                                : "a JSON object (a V8 CPU profile) expected"))
        return 0;
    while (rf__json_obj_next(j)) {
        const char *at = j->tok;
        if (rf__json_key_is(j, "nodes") || rf__json_key_is(j, "head")) {
            int head = j->str.len == 4;
            if (v->seen_nodes) {
                rf__json_fail(j, RF_ERR_CORRUPT, "more than one \"nodes\"/\"head\" (one profile per input)", at);
                return 0;
            }
            v->seen_nodes = 1;
            v->nodes_at = at;
            if (!head && !rf__json_expect(j, RF__JT_ARR, "\"nodes\" must be an array of node objects")) return 0;
            if (!rf__v8_walk(v, !head)) return 0;
        } else if (!v->heap && rf__json_key_is(j, "samples")) {
            const char *msg = "\"samples\" must be an array of node ids (integers)";
            if (v->seen_samples) { rf__json_fail(j, RF_ERR_CORRUPT, "duplicate \"samples\"", at); return 0; }
            v->seen_samples = 1;
            v->samples_at = at;
            if (!rf__json_expect(j, RF__JT_ARR, msg)) return 0;
            if (v->seen_nodes) { /* the usual order: fold samples into the nodes as they come */
                if (!rf__v8_ready(v) || !rf__json_i64_stream(j, rf__v8_samples_sink, v, 0, msg)) return 0;
                v->samples_done = 1;
            } else if (!rf__json_i64_items(j, &v->samples, 0, msg)) {
                return 0;
            }
        } else if (!v->heap && (rf__json_key_is(j, "timeDeltas") || rf__json_key_is(j, "timestamps"))) {
            int stamps = rf__json_key_is(j, "timestamps");
            const char *msg = stamps ? "\"timestamps\" must be an array of numbers" : "\"timeDeltas\" must be an array of numbers";
            if (stamps ? v->seen_stamps : v->seen_deltas) { rf__json_fail(j, RF_ERR_CORRUPT, "duplicate \"timeDeltas\"/\"timestamps\"", at); return 0; }
            if (stamps) v->seen_stamps = 1; else v->seen_deltas = 1;
            if (!rf__json_expect(j, RF__JT_ARR, msg)) return 0;
            if (!v->timed) { /* not needed: validate only */
                if (!rf__json_i64_stream(j, rf__i64_discard, NULL, 1, msg)) return 0;
            } else if (!stamps && v->samples_done) {
                if (!rf__json_i64_stream(j, rf__v8_deltas_sink, v, 1, msg)) return 0;
                v->deltas_done = 1;
            } else if (!rf__json_i64_items(j, stamps ? &v->stamps : &v->deltas, 1, msg)) {
                return 0;
            }
        } else if (rf__json_key_is(j, "startTime")) {
            if (!rf__json_read_num(j, &v->start_time, 0, "\"startTime\" must be a number")) return 0;
            v->has_start = 1;
        } else if (rf__json_key_is(j, "endTime")) {
            if (!rf__json_read_num(j, &v->end_time, 0, "\"endTime\" must be a number")) return 0;
            v->has_end = 1;
        } else if (rf__json_key_is(j, "snapshot")) {
            rf__json_fail(j, RF_ERR_UNSUPPORTED,
                          "this is a V8 heap snapshot (e.g. Bun --heap-prof), not a sampling heap profile: "
                          "use node --heap-prof or CDP HeapProfiler.startSampling/stopSampling", at);
            return 0;
        } else if (rf__json_key_is(j, "traceEvents")) {
            rf__json_fail(j, RF_ERR_UNSUPPORTED,
                          "Chrome trace-event JSON is not supported; save the profile as .cpuprofile", at);
            return 0;
        } else if ((rf__json_key_is(j, "profile") || rf__json_key_is(j, "result") || rf__json_key_is(j, "params")) &&
                   level < 3 && (rf__json_ws(j->cur, j->end) < j->end && *rf__json_ws(j->cur, j->end) == '{')) {
            if (!rf__v8_scan(v, level + 1)) return 0;
        } else if (!rf__json_skip(j, rf__json_next(j))) {
            return 0;
        }
    }
    return j->err == RF_OK;
}

RF__INTERNAL uint32_t rf__v8_find(const rf__v8 *v, int64_t id)
{
    if (v->map_direct) {
        uint64_t k = (uint64_t)id - (uint64_t)v->map_min;
        return id >= v->map_min && k < v->map_cap ? v->map[k] : RF_NODE_NONE;
    } else {
        size_t mask = v->map_cap - 1, i = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 17) & mask;
        for (;; i = (i + 1) & mask) {
            uint32_t e = v->map[i];
            if (e == RF_NODE_NONE) return RF_NODE_NONE;
            if (v->nodes[e].id == id) return e;
        }
    }
}

/* id -> index: a direct table when ids are dense (they usually are 1..n), else hashing. */
RF__INTERNAL int rf__v8_build_map(rf__v8 *v)
{
    int64_t mn = INT64_MAX, mx = INT64_MIN;
    size_t i, cap, bytes, ided = 0;
    for (i = 0; i < v->n; i++) {
        if (!v->nodes[i].has_id) continue;
        ided++;
        if (v->nodes[i].id < mn) mn = v->nodes[i].id;
        if (v->nodes[i].id > mx) mx = v->nodes[i].id;
    }
    if (ided && (uint64_t)mx - (uint64_t)mn < (uint64_t)v->n * 4 + 64) {
        v->map_direct = 1;
        v->map_min = mn;
        cap = (size_t)((uint64_t)mx - (uint64_t)mn) + 1;
    } else {
        v->map_direct = 0;
        cap = 16;
        while (cap < v->n * 2) cap *= 2;
    }
    if (!rf__mul_size(cap, sizeof *v->map, &bytes)) return rf__v8_oom(v);
    v->map = (uint32_t *)rf__malloc(v->ps->al, bytes);
    if (!v->map) return rf__v8_oom(v);
    v->map_cap = cap;
    memset(v->map, 0xFF, bytes);
    for (i = 0; i < v->n; i++) {
        const rf__v8node *nd = &v->nodes[i];
        uint32_t *slot;
        if (!nd->has_id) continue;
        if (v->map_direct) {
            slot = &v->map[(uint64_t)nd->id - (uint64_t)mn];
        } else {
            size_t mask = cap - 1, k = (size_t)(((uint64_t)nd->id * 0x9E3779B97F4A7C15ull) >> 17) & mask;
            while (v->map[k] != RF_NODE_NONE && v->nodes[v->map[k]].id != nd->id) k = (k + 1) & mask;
            slot = &v->map[k];
        }
        if (*slot != RF_NODE_NONE) {
            rf__json_fail(v->j, RF_ERR_CORRUPT, "duplicate node id", v->j->base + nd->at);
            return 0;
        }
        *slot = (uint32_t)i;
    }
    return 1;
}

/* Parent links from "children" id lists and "parent" ids; then depths, rejecting cycles. */
RF__INTERNAL int rf__v8_link(rf__v8 *v)
{
    rf_parser *ps = v->ps;
    rf__json *j = v->j;
    size_t i, k;
    for (i = 0; i < v->n; i++) {
        rf__v8node *nd = &v->nodes[i];
        for (k = 0; k < nd->child_n; k++) {
            uint32_t c = rf__v8_find(v, v->child_ids.v[nd->child_off + k]);
            if (c == RF_NODE_NONE) {
                if (!rf__jdoc_skip(ps, j, j->base + nd->at, "\"children\" names an unknown node id")) return 0;
            } else if (v->nodes[c].parent != RF_NODE_NONE && v->nodes[c].parent != (uint32_t)i) {
                if (!rf__jdoc_skip(ps, j, j->base + nd->at, "node listed as the child of two nodes (first kept)"))
                    return 0;
            } else {
                v->nodes[c].parent = (uint32_t)i;
            }
        }
    }
    for (i = 0; i < v->n; i++) {
        rf__v8node *nd = &v->nodes[i];
        uint32_t par;
        if (!nd->has_parent_id) continue;
        par = rf__v8_find(v, nd->parent_id);
        if (par == RF_NODE_NONE) {
            if (!rf__jdoc_skip(ps, j, j->base + nd->at, "\"parent\" names an unknown node id")) return 0;
        } else if (nd->parent != RF_NODE_NONE && nd->parent != par) {
            if (!rf__jdoc_skip(ps, j, j->base + nd->at, "\"parent\" disagrees with \"children\" (children kept)")) return 0;
        } else {
            nd->parent = par;
        }
    }
    /* depth = number of nodes from the top; 0 = not computed yet, UINT32_MAX = on the walk */
    for (i = 0; i < v->n; i++) {
        uint32_t u = (uint32_t)i, d;
        v->stack.len = 0;
        while (u != RF_NODE_NONE && v->nodes[u].depth == 0) {
            v->nodes[u].depth = 0xFFFFFFFFu;
            if (rf__ids_push(ps->al, &v->stack, u) != RF_OK) return rf__v8_oom(v);
            u = v->nodes[u].parent;
        }
        if (u != RF_NODE_NONE && v->nodes[u].depth == 0xFFFFFFFFu) {
            rf__json_fail(j, RF_ERR_CORRUPT, "node parent links form a cycle", j->base + v->nodes[u].at);
            return 0;
        }
        d = u == RF_NODE_NONE ? 0 : v->nodes[u].depth;
        while (v->stack.len) {
            u = v->stack.v[--v->stack.len];
            if (d > RF_MAX_DEPTH) {
                rf__json_fail(j, RF_ERR_LIMIT, "call tree deeper than RF_MAX_DEPTH", j->base + v->nodes[u].at);
                return 0;
            }
            v->nodes[u].depth = ++d;
        }
    }
    return 1;
}

RF__INTERNAL int rf__v8_fn_is(const rf__v8 *v, const rf__v8node *nd, const char *s)
{
    size_t n = strlen(s);
    return nd->fn_len == n && memcmp(v->strs.data + nd->fn_off, s, n) == 0;
}

/* The id map and the weight array, once every node is known. */
RF__INTERNAL int rf__v8_ready(rf__v8 *v)
{
    size_t bytes;
    if (v->map) return 1;
    if (!rf__v8_build_map(v)) return 0;
    if (!rf__mul_size(v->n ? v->n : 1, sizeof *v->w, &bytes)) return rf__v8_oom(v);
    v->w = (int64_t *)rf__malloc(v->ps->al, bytes);
    if (!v->w) return rf__v8_oom(v);
    v->w_bytes = bytes;
    memset(v->w, 0, bytes);
    v->last_idx = RF_NODE_NONE;
    return 1;
}

/* The per-sample node index (timed) in sidx's width; room was made by the caller. */
RF__INTERNAL void rf__v8_push_sample_node(rf__v8 *v, uint32_t idx)
{
    if (v->sidx_w == 2) ((uint16_t *)(void *)v->sidx.data)[v->nsidx++] = (uint16_t)idx; /* NONE -> 0xFFFF */
    else ((uint32_t *)(void *)v->sidx.data)[v->nsidx++] = idx;
}

/* The node of sample i (timed), RF_NODE_NONE for an unknown id. */
RF__INTERNAL uint32_t rf__v8_sample_node(const rf__v8 *v, size_t i)
{
    if (v->sidx_w == 2) {
        uint16_t x = ((const uint16_t *)(const void *)v->sidx.data)[i];
        return x == 0xFFFF ? RF_NODE_NONE : x;
    }
    return ((const uint32_t *)(const void *)v->sidx.data)[i];
}

/* Sample ids -> 1 per node, or (timed) the node of each sample for rf__v8_deltas_sink. */
RF__INTERNAL int rf__v8_samples_sink(void *ctx, rf__json *j, const int64_t *ids, size_t n)
{
    rf__v8 *v = (rf__v8 *)ctx;
    size_t i;
    if (v->timed) {
        if (!v->sidx_w) v->sidx_w = v->n < 0xFFFF ? 2u : 4u;
        if (rf__grow(v->ps->al, (void **)&v->sidx.data, &v->sidx.cap, (v->nsidx + n) * v->sidx_w, 1))
            return rf__v8_oom(v);
    }
    for (i = 0; i < n; i++) {
        uint32_t idx = v->last_idx;
        if (ids[i] != v->last_id || idx == RF_NODE_NONE) { /* runs of one id are common */
            idx = rf__v8_find(v, ids[i]);
            v->last_idx = idx;
            v->last_id = ids[i];
        }
        v->nsamples++;
        if (idx == RF_NODE_NONE) {
            if (!rf__jdoc_skip(v->ps, j, v->samples_at, "\"samples\" names an unknown node id")) return 0;
        } else {
            v->ps->stats.samples++;
            if (!v->timed) v->w[idx]++;
        }
        if (v->timed) rf__v8_push_sample_node(v, idx);
    }
    return 1;
}

/* Adds w to node idx, checking for overflow. */
RF__INTERNAL int rf__v8_add(rf__v8 *v, uint32_t idx, int64_t w)
{
    if (idx == RF_NODE_NONE) return 1;
    if (w > INT64_MAX - v->w[idx]) {
        rf__json_fail(v->j, RF_ERR_OVERFLOW, "total weight overflows 64 bits", v->samples_at);
        return 0;
    }
    v->w[idx] += w;
    return 1;
}

/* timeDeltas[k] is the time from sample k-1 to sample k: it is the weight of sample k-1. Time
   never goes backwards: negative deltas count as 0. Node weights are sums of these deltas
   and nothing else yet, so none exceeds dsum: its overflow check covers them all. */
RF__INTERNAL int rf__v8_deltas_sink(void *ctx, rf__json *j, const int64_t *d, size_t n)
{
    rf__v8 *v = (rf__v8 *)ctx;
    size_t i;
    uint64_t k = v->ndeltas;
    int64_t sum = v->dsum, *w = v->w;
    for (i = 0; i < n; i++, k++) {
        int64_t c = d[i] > 0 ? d[i] : 0;
        uint32_t idx;
        if (c > INT64_MAX - sum) {
            rf__json_fail(j, RF_ERR_OVERFLOW, "sample times overflow", j->tok);
            return 0;
        }
        sum += c;
        if (k >= 1 && k - 1 < v->nsidx && (idx = rf__v8_sample_node(v, k - 1)) != RF_NODE_NONE) w[idx] += c;
    }
    v->ndeltas = k;
    v->dsum = sum;
    return 1;
}

/* Weights per node from whatever was not streamed during the scan. */
RF__INTERNAL int rf__v8_weigh(rf__v8 *v)
{
    rf__json *j = v->j;
    size_t i;
    int64_t t_last = 0, end = 0;
    if (!rf__v8_ready(v)) return 0;
    if (v->heap || !v->seen_samples) {
        /* heap: selfSize; CPU profile without "samples": hitCount */
        if (v->timed) {
            rf__json_fail(j, RF_ERR_UNSUPPORTED, "time weighting needs \"samples\" and \"timeDeltas\"", v->nodes_at);
            return 0;
        }
        for (i = 0; i < v->n; i++) v->w[i] = v->nodes[i].weight;
        return 1;
    }
    if (!v->samples_done && !rf__v8_samples_sink(v, j, v->samples.v, v->samples.len)) return 0;
    if (!v->timed || v->nsamples == 0) return 1;
    if (v->seen_deltas) {
        if (!v->deltas_done && !rf__v8_deltas_sink(v, j, v->deltas.v, v->deltas.len)) return 0;
        if (v->ndeltas != v->nsamples) {
            rf__json_fail(j, RF_ERR_CORRUPT, "time weighting needs \"timeDeltas\" as long as \"samples\"", v->samples_at);
            return 0;
        }
        if (v->has_start && !rf__json_fixed(&v->start_time, 0, &t_last)) t_last = 0;
        if (v->dsum > INT64_MAX - t_last) t_last = 0;
        t_last += v->dsum;
        if (!v->has_end || !rf__json_fixed(&v->end_time, 0, &end)) end = t_last;
    } else if (v->seen_stamps && v->stamps.len == v->nsamples) {
        /* pre-2016 form: absolute timestamps (us), startTime/endTime in seconds */
        for (i = 1; i < v->stamps.len; i++) {
            int64_t a = v->stamps.v[i - 1], b = v->stamps.v[i];
            int64_t c = b > a && (a >= 0 || b <= INT64_MAX + a) ? b - a : 0;
            if (!rf__v8_add(v, rf__v8_sample_node(v, i - 1), c)) return 0;
        }
        t_last = v->stamps.v[v->stamps.len - 1];
        if (!v->has_end || !rf__json_fixed(&v->end_time, 6, &end)) end = t_last;
    } else {
        rf__json_fail(j, RF_ERR_CORRUPT, "time weighting needs \"timeDeltas\" as long as \"samples\"", v->samples_at);
        return 0;
    }
    /* the last sample lasts until endTime */
    if (end > t_last && (t_last >= 0 || end <= INT64_MAX + t_last))
        return rf__v8_add(v, rf__v8_sample_node(v, v->nsidx - 1), end - t_last);
    return 1;
}

RF__INTERNAL uint32_t rf__v8_name(rf__v8 *v, uint32_t idx)
{
    rf__v8node *nd = &v->nodes[idx];
    if (nd->name == RF__NO_ID) {
        rf_strview fn, url;
        fn.ptr = v->strs.data ? v->strs.data + nd->fn_off : "";
        fn.len = nd->fn_len;
        url.ptr = v->strs.data ? v->strs.data + nd->url_off : "";
        url.len = nd->url_len;
        nd->name = rf__js_frame(v->ps->dst, &v->tmp, fn, url, nd->line >= 0 ? nd->line + 1 : 0, 0,
                                (int)v->ps->opt.v8.names, 0);
    }
    return nd->name;
}

/* Adds every weighted node's stack to the profile in time linear in the number of nodes: the
   tree is already a tree, so instead of one rf__profile_add_ids per node (which walks the
   whole path again: quadratic on a deep chain, 34 s for a 5 MB hostile file) every node gets
   its profile node once, parents first, and its self weight and subtree total are added in
   one step. The result is the same as adding each node's stack with its weight. */
RF__INTERNAL int rf__v8_emit(rf__v8 *v)
{
    rf_parser *ps = v->ps;
    rf_profile *p = ps->dst;
    const rf_allocator *al = ps->al;
    uint32_t *order = NULL, *pnode = NULL, maxd = 0, d;
    int64_t *sub = NULL, grand = 0, w1 = 0;
    size_t *start = NULL, i, n = v->n, b_order = 0, b_sub = 0, b_start = 0, b_pnode = 0;
    uint64_t added = 0;
    int ok = 0;
    if (n == 0) return 1;
    for (i = 0; i < n; i++) {
        if (!v->heap && ps->opt.v8.drop_idle && rf__v8_fn_is(v, &v->nodes[i], "(idle)")) v->w[i] = 0;
        if (v->nodes[i].depth > maxd) maxd = v->nodes[i].depth;
    }
    /* nodes by depth (counting sort): parents before children */
    if (!rf__mul_size(n, sizeof *order, &b_order) || !rf__mul_size(n, sizeof *sub, &b_sub) ||
        !rf__mul_size((size_t)maxd + 2, sizeof *start, &b_start) || !rf__mul_size(n, sizeof *pnode, &b_pnode))
        return rf__v8_oom(v);
    order = (uint32_t *)rf__malloc(al, b_order);
    sub = (int64_t *)rf__malloc(al, b_sub);
    start = (size_t *)rf__malloc(al, b_start);
    pnode = (uint32_t *)rf__malloc(al, b_pnode);
    if (!order || !sub || !start || !pnode) { rf__v8_oom(v); goto done; }
    memset(start, 0, b_start);
    for (i = 0; i < n; i++) start[v->nodes[i].depth + 1]++;
    for (d = 1; d <= maxd + 1; d++) start[d] += start[d - 1];
    for (i = 0; i < n; i++) order[start[v->nodes[i].depth]++] = (uint32_t)i;
    /* subtree totals, children before parents */
    for (i = 0; i < n; i++) sub[i] = v->w[i];
    for (i = n; i-- > 0;) {
        uint32_t u = order[i], par = v->nodes[u].parent;
        int64_t *dst = par == RF_NODE_NONE ? &grand : &sub[par];
        if (sub[u] > INT64_MAX - *dst) {
            rf__json_fail(v->j, RF_ERR_OVERFLOW, "total weight overflows 64 bits", v->j->base + v->nodes[u].at);
            goto done;
        }
        *dst += sub[u];
    }
    /* profile nodes, parents first. pnode[u]: where u's children go and, with sub[u], u's
       weight; a parentless "(root)" is the profile root itself, and the weight of samples on
       it goes to a frame "(root)" of its own. */
    for (i = 0; i < n; i++) {
        uint32_t u = order[i], par = v->nodes[u].parent, id;
        pnode[u] = RF_NODE_NONE;
        if (sub[u] == 0) continue;
        if (par == RF_NODE_NONE && rf__v8_fn_is(v, &v->nodes[u], "(root)")) {
            pnode[u] = RF_NODE_ROOT;
            if (v->w[u] == 0) continue;
        }
        id = rf__v8_name(v, u);
        if (id == RF__NO_ID) { rf__v8_oom(v); goto done; }
        if (pnode[u] == RF_NODE_ROOT) { /* found again below with rf__child(..., 0) */
            if (rf__child(p, RF_NODE_ROOT, id, 1) == RF_NODE_NONE) { rf__v8_oom(v); goto done; }
            continue;
        }
        pnode[u] = rf__child(p, par == RF_NODE_NONE ? RF_NODE_ROOT : pnode[par], id, 1);
        if (pnode[u] == RF_NODE_NONE) { rf__v8_oom(v); goto done; }
    }
    /* the weights, scaled to the profile's decimals: checked first, then added (all or nothing) */
    for (i = 0; i <= n; i++) {
        int64_t a = i < n ? v->w[i] : grand, t = i < n ? sub[i] : 0;
        if (p->decimals && (rf__scale_weight(p, &a, &w1, 0) != RF_OK || rf__scale_weight(p, &t, &w1, 0) != RF_OK)) {
            rf__jdoc_add_failed(v->j, RF_ERR_OVERFLOW, i < n ? v->j->base + v->nodes[i].at : v->nodes_at);
            goto done;
        }
        if (i == n && p->nodes[RF_NODE_ROOT].total > INT64_MAX - a) {
            rf__jdoc_add_failed(v->j, RF_ERR_OVERFLOW, v->nodes_at);
            goto done;
        }
    }
    for (i = 0; i <= n; i++) {
        int64_t a = i < n ? v->w[i] : grand, t = i < n ? sub[i] : 0;
        uint32_t at;
        if (p->decimals) { rf__scale_weight(p, &a, &w1, 0); rf__scale_weight(p, &t, &w1, 0); }
        if (i == n) { p->nodes[RF_NODE_ROOT].total += a; break; }
        if (pnode[i] == RF_NODE_NONE || (a == 0 && t == 0)) continue;
        if (pnode[i] == RF_NODE_ROOT) { /* (root): only its own samples, as a frame */
            if (!a) continue;
            at = rf__child(p, RF_NODE_ROOT, v->nodes[i].name, 0);
            t = a;
        } else {
            at = pnode[i];
        }
        p->nodes[at].total += t;
        p->nodes[at].self += a;
        if (a) added++;
    }
    p->samples += added;
    if (v->heap) ps->stats.samples += added;
    ok = 1;
done:
    rf__free(al, order, b_order);
    rf__free(al, sub, b_sub);
    rf__free(al, start, b_start);
    rf__free(al, pnode, b_pnode);
    return ok;
}

RF__INTERNAL int rf__v8_run(rf_parser *ps, rf__json *j, int heap)
{
    rf__v8 v;
    int ok;
    memset(&v, 0, sizeof v);
    v.ps = ps;
    v.j = j;
    v.heap = heap;
    v.timed = !heap && ps->opt.v8.weight == RF_V8_WEIGHT_TIME;
    ok = rf__v8_scan(&v, 0) && rf__jdoc_end(j);
    if (ok && !v.seen_nodes) {
        rf__json_fail(j, RF_ERR_CORRUPT, heap ? "no \"head\" tree: not a V8 heap profile"
                                              : "no \"nodes\" array (or \"head\" tree): not a V8 CPU profile", j->base);
        ok = 0;
    }
    ok = ok && rf__v8_weigh(&v) && rf__v8_link(&v) && rf__v8_emit(&v);
    if (ok) {
        const char *unit = heap ? "bytes" : ps->opt.v8.weight == RF_V8_WEIGHT_TIME ? "microseconds" : "samples";
        if (rf_profile_set_unit(ps->dst, unit) != RF_OK) ok = rf__v8_oom(&v);
    }
    rf__v8_free(&v);
    return ok;
}

RF__INTERNAL int rf__v8_cpu_run(rf_parser *ps, rf__json *j) { return rf__v8_run(ps, j, 0); }
RF__INTERNAL int rf__v8_heap_run(rf_parser *ps, rf__json *j) { return rf__v8_run(ps, j, 1); }
RF__INTERNAL rf_result rf__v8_cpuprofile_init(rf_parser *ps) { return rf__jdoc_init(ps, rf__v8_cpu_run); }
RF__INTERNAL rf_result rf__v8_heapprofile_init(rf_parser *ps) { return rf__jdoc_init(ps, rf__v8_heap_run); }

/* ===== [rf:speedscope] ===== */
/* speedscope JSON (https://www.speedscope.app/file-format-schema.json): shared.frames plus
   sampled and evented profiles. Every profile is merged into the one call tree unless
   speedscope.profile_index / profile_name pick some. "profiles" is read in a second pass over
   its bytes, so "shared" may come before or after it; sampled profiles walk "samples" and
   "weights" side by side the same way, so nothing proportional to the input is copied.
   Weights keep their decimal digits exactly (up to RF_MAX_DECIMALS, then rounded half away
   from zero); evented time is the difference of "at" values converted with the largest
   number of decimals any "at" of that profile has, so self times add up exactly. */

typedef struct rf__ss {
    rf_parser *ps;
    rf__json *j;
    rf__ids frames;              /* interned name id per shared frame */
    rf__ids stack;               /* evented: open frame indices */
    rf__buf tmp, fname, ffile, pname;
    int seen_frames, seen_profiles;
    size_t prof_off, prof_len;
    char unit[16];               /* countname of the profiles used so far ("" = none yet) */
    uint32_t nprof, used;
} rf__ss;

typedef struct rf__ss_prof {
    int type;                    /* 0 unknown, 1 sampled, 2 evented */
    char unit[16];
    int has_name;
    size_t samples_off, samples_len, weights_off, weights_len, events_off, events_len;
    int has_samples, has_weights, has_events;
    const char *at;
} rf__ss_prof;

RF__INTERNAL int rf__ss_oom(rf__ss *s, rf__json *j)
{
    (void)s;
    rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->tok ? j->tok : j->base);
    return 0;
}

/* Copies the string just read into b. */
RF__INTERNAL int rf__ss_copy(rf__ss *s, rf__json *j, rf__buf *b)
{
    b->len = 0;
    if (rf__buf_append(s->ps->al, b, j->str.ptr, j->str.len) != RF_OK) return rf__ss_oom(s, j);
    return 1;
}

RF__INTERNAL int rf__ss_frames(rf__ss *s)
{
    rf__json *j = s->j;
    rf_parser *ps = s->ps;
    if (!rf__json_expect(j, RF__JT_ARR, "\"shared.frames\" must be an array of frame objects")) return 0;
    for (;;) {
        rf__jtok t = rf__json_next(j);
        int64_t line = 0, col = 0;
        rf_strview name, file;
        uint32_t id;
        if (t == RF__JT_ARR_END) return 1;
        if (t != RF__JT_OBJ) {
            if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, "\"shared.frames\" must hold frame objects", j->tok);
            return 0;
        }
        s->fname.len = s->ffile.len = 0;
        while (rf__json_obj_next(j)) {
            if (rf__json_key_is(j, "name")) {
                if (!rf__json_read_str(j, 1, "frame \"name\" must be a string") || !rf__ss_copy(s, j, &s->fname)) return 0;
            } else if (rf__json_key_is(j, "file")) {
                if (!rf__json_read_str(j, 1, "frame \"file\" must be a string") || !rf__ss_copy(s, j, &s->ffile)) return 0;
            } else if (rf__json_key_is(j, "line") || rf__json_key_is(j, "col")) {
                int is_line = j->str.len == 4;
                rf__jnum num;
                int64_t v = 0;
                if (!rf__json_read_num(j, &num, 0, "frame \"line\"/\"col\" must be numbers")) return 0;
                if (!rf__json_fixed(&num, 0, &v)) v = 0;
                if (is_line) line = v; else col = v;
            } else if (!rf__json_skip(j, rf__json_next(j))) {
                return 0;
            }
        }
        if (j->err != RF_OK) return 0;
        if (s->frames.len >= 0xFFFFFFF0u) { rf__json_fail(j, RF_ERR_LIMIT, "too many frames", j->tok); return 0; }
        name.ptr = s->fname.data ? s->fname.data : "";
        name.len = s->fname.len;
        file.ptr = s->ffile.data ? s->ffile.data : "";
        file.len = s->ffile.len;
        id = rf__js_frame(ps->dst, &s->tmp, name, file, line, col, (int)ps->opt.speedscope.names, 0);
        if (id == RF__NO_ID || rf__ids_push(ps->al, &s->frames, id) != RF_OK) return rf__ss_oom(s, j);
    }
}

/* Frame index -> name id; RF__NO_ID when out of range. */
RF__INTERNAL uint32_t rf__ss_frame(const rf__ss *s, const rf__jnum *n)
{
    int64_t k;
    if (n->frac_digits || n->neg || !rf__json_fixed(n, 0, &k) || (uint64_t)k >= s->frames.len) return RF__NO_ID;
    return s->frames.v[k];
}

/* Error with "profile P<what>K" (e.g. "profile 2 event 17") in rf_error.detail. */
RF__INTERNAL int rf__ss_fail(rf__ss *s, rf__json *j, rf_result code, const char *msg, const char *at,
                             const char *what, uint64_t k)
{
    char d[96];
    size_t n = 8, wl = strlen(what);
    memcpy(d, "profile ", 8);
    n += rf_format_weight((int64_t)s->nprof, 0, d + n);
    if (wl) {
        memcpy(d + n, what, wl); /* what is one of the short literals below */
        n += wl;
        n += rf_format_weight((int64_t)k, 0, d + n);
    }
    rf__set_detail(s->ps, d, n);
    rf__json_fail(j, code, msg, at);
    return 0;
}

RF__INTERNAL int rf__ss_sampled(rf__ss *s, const rf__ss_prof *pr, size_t root_len)
{
    rf_parser *ps = s->ps;
    rf__json a, b;
    uint64_t k;
    int ok = 1;
    if (!pr->has_samples || !pr->has_weights) {
        return rf__ss_fail(s, s->j, RF_ERR_CORRUPT, "a sampled profile needs \"samples\" and \"weights\"", pr->at, "", 0);
    }
    rf__json_sub(s->j, &a, pr->samples_off, pr->samples_len);
    rf__json_sub(s->j, &b, pr->weights_off, pr->weights_len);
    ok = rf__json_expect(&a, RF__JT_ARR, "\"samples\" must be an array of arrays of frame indices") &&
         rf__json_expect(&b, RF__JT_ARR, "\"weights\" must be an array of numbers");
    for (k = 0; ok; k++) {
        rf__jtok ta = rf__json_next(&a), tb = rf__json_next(&b);
        int bad = 0, dec;
        int64_t w;
        rf_result r;
        const char *at = a.tok;
        if (ta == RF__JT_ERROR || tb == RF__JT_ERROR) { ok = 0; break; }
        if ((ta == RF__JT_ARR_END) != (tb == RF__JT_ARR_END)) {
            ok = rf__ss_fail(s, &a, RF_ERR_CORRUPT, "\"samples\" and \"weights\" differ in length", at, " sample ", k);
            break;
        }
        if (ta == RF__JT_ARR_END) break;
        if (ta != RF__JT_ARR) { ok = rf__ss_fail(s, &a, RF_ERR_CORRUPT, "each sample must be an array of frame indices", at, " sample ", k); break; }
        if (tb != RF__JT_NUM) { ok = rf__ss_fail(s, &b, RF_ERR_CORRUPT, "each weight must be a number", b.tok, " sample ", k); break; }
        ps->ids.len = root_len;
        for (;;) {
            rf__jtok t = rf__json_next(&a);
            uint32_t id;
            if (t == RF__JT_ARR_END) break;
            if (t != RF__JT_NUM) {
                if (t != RF__JT_ERROR) rf__ss_fail(s, &a, RF_ERR_CORRUPT, "frame indices must be integers", a.tok, " sample ", k);
                ok = 0;
                break;
            }
            id = rf__ss_frame(s, &a.num);
            if (id == RF__NO_ID) bad = 1;
            else if (rf__ids_push(ps->al, &ps->ids, id) != RF_OK) { ok = rf__ss_oom(s, &a); break; }
        }
        if (!ok) break;
        if (b.num.neg && b.num.mant) { ok = rf__ss_fail(s, &b, RF_ERR_CORRUPT, "negative weight", b.tok, " sample ", k); break; }
        dec = b.num.frac_digits > RF_MAX_DECIMALS ? RF_MAX_DECIMALS : b.num.frac_digits;
        if (!rf__json_fixed(&b.num, dec, &w)) { ok = rf__ss_fail(s, &b, RF_ERR_OVERFLOW, "weight too large", b.tok, " sample ", k); break; }
        if (bad) {
            if (!rf__jdoc_skip(ps, &a, at, "sample names a frame index outside shared.frames")) { ok = 0; break; }
            continue;
        }
        r = rf__profile_add_ids(ps->dst, ps->ids.v, ps->ids.len, w, 0, dec);
        if (r == RF_ERR_LIMIT) {
            if (!rf__jdoc_skip(ps, &a, at, "stack deeper than RF_MAX_DEPTH")) { ok = 0; break; }
            continue;
        }
        if (r != RF_OK) { ok = rf__jdoc_add_failed(&a, r, at); break; }
        ps->stats.samples++;
    }
    ok = rf__json_sub_done(s->j, &a) && ok;
    ok = rf__json_sub_done(s->j, &b) && ok;
    return ok;
}

/* One event object: type, frame, at. */
RF__INTERNAL int rf__ss_event(rf__ss *s, rf__json *e, uint64_t k, int *type, rf__jnum *frame, rf__jnum *at)
{
    int got = 0;
    const char *start = e->tok;
    while (rf__json_obj_next(e)) {
        if (rf__json_key_is(e, "type")) {
            if (!rf__json_read_str(e, 0, "event \"type\" must be \"O\" or \"C\"")) return 0;
            if (e->str.len != 1 || (e->str.ptr[0] != 'O' && e->str.ptr[0] != 'C'))
                return rf__ss_fail(s, e, RF_ERR_CORRUPT, "event \"type\" must be \"O\" or \"C\"", e->tok, " event ", k);
            *type = e->str.ptr[0];
            got |= 1;
        } else if (rf__json_key_is(e, "frame")) {
            if (!rf__json_read_num(e, frame, 0, "event \"frame\" must be a frame index")) return 0;
            got |= 2;
        } else if (rf__json_key_is(e, "at")) {
            if (!rf__json_read_num(e, at, 0, "event \"at\" must be a number")) return 0;
            got |= 4;
        } else if (!rf__json_skip(e, rf__json_next(e))) {
            return 0;
        }
    }
    if (e->err != RF_OK) return 0;
    if (got != 7) return rf__ss_fail(s, e, RF_ERR_CORRUPT, "an event needs \"type\", \"frame\" and \"at\"", start, " event ", k);
    return 1;
}

RF__INTERNAL int rf__ss_evented(rf__ss *s, const rf__ss_prof *pr, size_t root_len)
{
    rf_parser *ps = s->ps;
    rf__json e;
    int dec = 0, ok, have_last = 0, pass, type = 0;
    int64_t last = 0;
    uint64_t k;
    if (!pr->has_events) return rf__ss_fail(s, s->j, RF_ERR_CORRUPT, "an evented profile needs \"events\"", pr->at, "", 0);
    /* pass 0 finds the decimals "at" needs, pass 1 builds the stacks */
    for (pass = 0; pass < 2; pass++) {
        rf__json_sub(s->j, &e, pr->events_off, pr->events_len);
        ok = rf__json_expect(&e, RF__JT_ARR, "\"events\" must be an array of event objects");
        s->stack.len = 0;
        ps->ids.len = root_len;
        for (k = 0; ok; k++) {
            rf__jtok t = rf__json_next(&e);
            rf__jnum frame, at;
            const char *where = e.tok;
            int64_t now;
            uint32_t id;
            if (t == RF__JT_ARR_END) break;
            if (t != RF__JT_OBJ) {
                ok = t == RF__JT_ERROR ? 0 : rf__ss_fail(s, &e, RF_ERR_CORRUPT, "events must be objects", where, " event ", k);
                break;
            }
            if (!rf__ss_event(s, &e, k, &type, &frame, &at)) { ok = 0; break; }
            if (pass == 0) {
                if (at.frac_digits > dec) dec = at.frac_digits > RF_MAX_DECIMALS ? RF_MAX_DECIMALS : at.frac_digits;
                continue;
            }
            if (!rf__json_fixed(&at, dec, &now)) { ok = rf__ss_fail(s, &e, RF_ERR_OVERFLOW, "event \"at\" too large", where, " event ", k); break; }
            if (have_last && now < last) {
                ok = rf__ss_fail(s, &e, RF_ERR_CORRUPT, "event \"at\" goes backwards", where, " event ", k);
                break;
            }
            if (s->stack.len && have_last && now > last) {
                /* the innermost open frame ran from the last event until now */
                rf_result r = rf__profile_add_ids(ps->dst, ps->ids.v, ps->ids.len, now - last, 0, dec);
                if (r != RF_OK) { ok = rf__jdoc_add_failed(&e, r, where); break; }
                ps->stats.samples++;
            }
            last = now;
            have_last = 1;
            id = rf__ss_frame(s, &frame);
            if (id == RF__NO_ID) {
                ok = rf__ss_fail(s, &e, RF_ERR_CORRUPT, "event names a frame index outside shared.frames", where, " event ", k);
                break;
            }
            if (type == 'O') {
                if (rf__ids_push(ps->al, &s->stack, id) != RF_OK || rf__ids_push(ps->al, &ps->ids, id) != RF_OK) {
                    ok = rf__ss_oom(s, &e);
                    break;
                }
                if (s->stack.len > RF_MAX_DEPTH) {
                    ok = rf__ss_fail(s, &e, RF_ERR_LIMIT, "more open frames than RF_MAX_DEPTH", where, " event ", k);
                    break;
                }
            } else if (s->stack.len == 0) {
                ok = rf__ss_fail(s, &e, RF_ERR_CORRUPT, "\"C\" event with no open frame", where, " event ", k);
                break;
            } else if (s->stack.v[s->stack.len - 1] != id) {
                ok = rf__ss_fail(s, &e, RF_ERR_CORRUPT, "\"C\" event for a frame that is not the innermost open one",
                                 where, " event ", k);
                break;
            } else {
                s->stack.len--;
                ps->ids.len--;
            }
        }
        if (ok && pass == 1 && s->stack.len)
            ok = rf__ss_fail(s, &e, RF_ERR_CORRUPT, "frames still open at the end of \"events\"", e.tok, " event count ", k);
        if (!rf__json_sub_done(s->j, &e) || !ok) return 0;
    }
    return 1;
}

RF__INTERNAL int rf__ss_use(rf__ss *s, const rf__ss_prof *pr)
{
    rf_parser *ps = s->ps;
    const char *want = ps->opt.speedscope.profile_name;
    size_t root_len = 0;
    if (ps->opt.speedscope.profile_index > 0 && (uint32_t)ps->opt.speedscope.profile_index != s->nprof) return 1;
    if (want && (s->pname.len != strlen(want) || memcmp(s->pname.data ? s->pname.data : "", want, s->pname.len) != 0))
        return 1;
    if (s->used && strcmp(s->unit, pr->unit) != 0)
        return rf__ss_fail(s, s->j, RF_ERR_UNSUPPORTED,
                           "profiles with different units cannot be merged: pick one (speedscope.profile_index)",
                           pr->at, "", 0);
    memcpy(s->unit, pr->unit, sizeof s->unit);
    s->used++;
    ps->ids.len = 0;
    if (ps->opt.speedscope.profile_roots) {
        uint32_t id;
        if (s->pname.len) {
            id = rf__intern(ps->dst, s->pname.data, s->pname.len);
        } else {
            char nm[48];
            memcpy(nm, "profile ", 8);
            id = rf__intern(ps->dst, nm, 8 + rf_format_weight((int64_t)s->nprof, 0, nm + 8));
        }
        if (id == RF__NO_ID || rf__ids_push(ps->al, &ps->ids, id) != RF_OK) return rf__ss_oom(s, s->j);
        root_len = 1;
    }
    return pr->type == 1 ? rf__ss_sampled(s, pr, root_len) : rf__ss_evented(s, pr, root_len);
}

/* Second pass over "profiles". */
RF__INTERNAL int rf__ss_profiles(rf__ss *s, rf__json *top)
{
    rf__json pj;
    int ok;
    rf__json_sub(top, &pj, s->prof_off, s->prof_len);
    s->j = &pj;
    ok = rf__json_expect(&pj, RF__JT_ARR, "\"profiles\" must be an array of profile objects");
    while (ok) {
        rf__jtok t = rf__json_next(&pj);
        rf__ss_prof pr;
        if (t == RF__JT_ARR_END) break;
        if (t != RF__JT_OBJ) {
            if (t != RF__JT_ERROR) rf__json_fail(&pj, RF_ERR_CORRUPT, "\"profiles\" must hold profile objects", pj.tok);
            ok = 0;
            break;
        }
        memset(&pr, 0, sizeof pr);
        pr.at = pj.tok;
        memcpy(pr.unit, "samples", 8);
        s->pname.len = 0;
        s->nprof++;
        while (ok && rf__json_obj_next(&pj)) {
            if (rf__json_key_is(&pj, "type")) {
                ok = rf__json_read_str(&pj, 0, "profile \"type\" must be a string");
                if (ok && pj.str.len == 7 && memcmp(pj.str.ptr, "sampled", 7) == 0) pr.type = 1;
                else if (ok && pj.str.len == 7 && memcmp(pj.str.ptr, "evented", 7) == 0) pr.type = 2;
                else if (ok) ok = rf__ss_fail(s, &pj, RF_ERR_UNSUPPORTED, "profile \"type\" must be \"sampled\" or \"evented\"", pj.tok, "", 0);
            } else if (rf__json_key_is(&pj, "name")) {
                ok = rf__json_read_str(&pj, 1, "profile \"name\" must be a string") && rf__ss_copy(s, &pj, &s->pname);
                pr.has_name = 1;
            } else if (rf__json_key_is(&pj, "unit")) {
                static const char *const units[] = {"nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"};
                size_t u;
                ok = rf__json_read_str(&pj, 0, "profile \"unit\" must be a string");
                for (u = 0; ok && u < sizeof units / sizeof units[0]; u++)
                    if (pj.str.len == strlen(units[u]) && memcmp(pj.str.ptr, units[u], pj.str.len) == 0)
                        memcpy(pr.unit, units[u], pj.str.len + 1);
                /* "none" and anything unknown count as samples */
            } else if (rf__json_key_is(&pj, "startValue") || rf__json_key_is(&pj, "endValue")) {
                rf__jnum num;
                ok = rf__json_read_num(&pj, &num, 1, "\"startValue\"/\"endValue\" must be numbers (or numeric strings)");
            } else if (rf__json_key_is(&pj, "samples")) {
                ok = rf__json_range(&pj, &pr.samples_off, &pr.samples_len);
                pr.has_samples = 1;
            } else if (rf__json_key_is(&pj, "weights")) {
                ok = rf__json_range(&pj, &pr.weights_off, &pr.weights_len);
                pr.has_weights = 1;
            } else if (rf__json_key_is(&pj, "events")) {
                ok = rf__json_range(&pj, &pr.events_off, &pr.events_len);
                pr.has_events = 1;
            } else {
                ok = rf__json_skip(&pj, rf__json_next(&pj));
            }
        }
        ok = ok && pj.err == RF_OK;
        if (ok && pr.type == 0)
            ok = rf__ss_fail(s, &pj, RF_ERR_CORRUPT, "profile without \"type\"", pr.at, "", 0);
        if (ok) ok = rf__ss_use(s, &pr);
    }
    ok = rf__json_sub_done(top, &pj) && ok;
    s->j = top;
    return ok;
}

RF__INTERNAL int rf__ss_run(rf_parser *ps, rf__json *j)
{
    rf__ss s;
    int ok;
    const rf_allocator *al = ps->al;
    memset(&s, 0, sizeof s);
    s.ps = ps;
    s.j = j;
    ok = rf__json_expect(j, RF__JT_OBJ, "a JSON object (a speedscope file) expected");
    while (ok && rf__json_obj_next(j)) {
        const char *at = j->tok;
        if (rf__json_key_is(j, "shared")) {
            if (s.seen_frames) { rf__json_fail(j, RF_ERR_CORRUPT, "duplicate \"shared\"", at); ok = 0; break; }
            ok = rf__json_expect(j, RF__JT_OBJ, "\"shared\" must be an object");
            while (ok && rf__json_obj_next(j)) {
                if (rf__json_key_is(j, "frames") && !s.seen_frames) {
                    s.seen_frames = 1;
                    ok = rf__ss_frames(&s);
                } else {
                    ok = rf__json_skip(j, rf__json_next(j));
                }
            }
            ok = ok && j->err == RF_OK;
        } else if (rf__json_key_is(j, "profiles")) {
            if (s.seen_profiles) { rf__json_fail(j, RF_ERR_CORRUPT, "duplicate \"profiles\"", at); ok = 0; break; }
            s.seen_profiles = 1;
            ok = rf__json_range(j, &s.prof_off, &s.prof_len);
        } else {
            ok = rf__json_skip(j, rf__json_next(j));
        }
    }
    ok = ok && j->err == RF_OK && rf__jdoc_end(j);
    if (ok && (!s.seen_frames || !s.seen_profiles)) {
        rf__json_fail(j, RF_ERR_CORRUPT, "no \"shared.frames\" or \"profiles\": not a speedscope file", j->base);
        ok = 0;
    }
    ok = ok && rf__ss_profiles(&s, j);
    if (ok && s.used == 0 && (ps->opt.speedscope.profile_index > 0 || ps->opt.speedscope.profile_name)) {
        rf__json_fail(j, RF_ERR_INVALID_ARGUMENT, "no profile matches speedscope.profile_index / profile_name", j->base);
        ok = 0;
    }
    if (ok && s.used && rf_profile_set_unit(ps->dst, s.unit) != RF_OK) ok = rf__ss_oom(&s, j);
    rf__ids_free(al, &s.frames);
    rf__ids_free(al, &s.stack);
    rf__buf_free(al, &s.tmp);
    rf__buf_free(al, &s.fname);
    rf__buf_free(al, &s.ffile);
    rf__buf_free(al, &s.pname);
    return ok;
}

RF__INTERNAL rf_result rf__speedscope_init(rf_parser *ps) { return rf__jdoc_init(ps, rf__ss_run); }

/* ===== [rf:jsc] ===== */
/* JSC / Bun ScriptProfiler samples: the ScriptProfiler.trackingComplete message, its params,
   or {"samples":{"stackTraces":[...]}}. stackFrames are leaf first (as Bun sends them,
   whatever the protocol text says); each stack trace counts 1. Traces with no frames are
   dropped. Frames are keyed by name, or with locations by name, url, line and column. */

typedef struct rf__jsc {
    rf_parser *ps;
    rf__json *j;
    rf__buf tmp, fname, furl;
    int seen;
} rf__jsc;

RF__INTERNAL int rf__jsc_copy(rf__jsc *c, rf__buf *b)
{
    b->len = 0;
    if (rf__buf_append(c->ps->al, b, c->j->str.ptr, c->j->str.len) != RF_OK) {
        rf__json_fail(c->j, RF_ERR_OUT_OF_MEMORY, "out of memory", c->j->tok);
        return 0;
    }
    return 1;
}

RF__INTERNAL int rf__jsc_frames(rf__jsc *c)
{
    rf__json *j = c->j;
    rf_parser *ps = c->ps;
    if (!rf__json_expect(j, RF__JT_ARR, "\"stackFrames\" must be an array")) return 0;
    ps->ids.len = 0;
    for (;;) {
        rf__jtok t = rf__json_next(j);
        int64_t line = 0, col = 0;
        rf_strview name, url;
        uint32_t id;
        if (t == RF__JT_ARR_END) return 1;
        if (t != RF__JT_OBJ) {
            if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, "\"stackFrames\" must hold frame objects", j->tok);
            return 0;
        }
        c->fname.len = c->furl.len = 0;
        while (rf__json_obj_next(j)) {
            if (rf__json_key_is(j, "name")) {
                if (!rf__json_read_str(j, 1, "frame \"name\" must be a string") || !rf__jsc_copy(c, &c->fname)) return 0;
            } else if (rf__json_key_is(j, "url")) {
                if (!rf__json_read_str(j, 1, "frame \"url\" must be a string") || !rf__jsc_copy(c, &c->furl)) return 0;
            } else if (rf__json_key_is(j, "line")) {
                if (!rf__json_read_i64(j, &line, "frame \"line\" must be an integer")) return 0;
            } else if (rf__json_key_is(j, "column")) {
                if (!rf__json_read_i64(j, &col, "frame \"column\" must be an integer")) return 0;
            } else if (!rf__json_skip(j, rf__json_next(j))) {
                return 0;
            }
        }
        if (j->err != RF_OK) return 0;
        if (ps->ids.len >= RF_MAX_DEPTH) {
            rf__json_fail(j, RF_ERR_LIMIT, "stack deeper than RF_MAX_DEPTH", j->tok);
            return 0;
        }
        name.ptr = c->fname.data ? c->fname.data : "";
        name.len = c->fname.len;
        url.ptr = c->furl.data ? c->furl.data : "";
        url.len = c->furl.len;
        id = rf__js_frame(ps->dst, &c->tmp, name, url, line, col, (int)ps->opt.v8.names, 1);
        if (id == RF__NO_ID || rf__ids_push(ps->al, &ps->ids, id) != RF_OK) {
            rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->tok);
            return 0;
        }
    }
}

RF__INTERNAL int rf__jsc_traces(rf__jsc *c)
{
    rf__json *j = c->j;
    rf_parser *ps = c->ps;
    if (!rf__json_expect(j, RF__JT_ARR, "\"stackTraces\" must be an array")) return 0;
    for (;;) {
        rf__jtok t = rf__json_next(j);
        const char *at = j->tok;
        rf_result r;
        if (t == RF__JT_ARR_END) return 1;
        if (t != RF__JT_OBJ) {
            if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, "\"stackTraces\" must hold stack trace objects", j->tok);
            return 0;
        }
        ps->ids.len = 0;
        while (rf__json_obj_next(j)) {
            if (rf__json_key_is(j, "stackFrames")) {
                if (!rf__jsc_frames(c)) return 0;
            } else if (!rf__json_skip(j, rf__json_next(j))) {
                return 0;
            }
        }
        if (j->err != RF_OK) return 0;
        if (!ps->ids.len) continue;
        rf__ids_reverse(&ps->ids);
        r = rf__profile_add_ids(ps->dst, ps->ids.v, ps->ids.len, 1, 0, 0);
        if (r != RF_OK) return rf__jdoc_add_failed(j, r, at);
        ps->stats.samples++;
    }
}

RF__INTERNAL int rf__jsc_scan(rf__jsc *c, int level)
{
    rf__json *j = c->j;
    if (!rf__json_expect(j, RF__JT_OBJ, "a JSON object (a ScriptProfiler.trackingComplete message) expected")) return 0;
    while (rf__json_obj_next(j)) {
        const char *p = rf__json_ws(j->cur, j->end);
        if (rf__json_key_is(j, "stackTraces")) {
            if (c->seen) { rf__json_fail(j, RF_ERR_CORRUPT, "more than one \"stackTraces\"", j->tok); return 0; }
            c->seen = 1;
            if (!rf__jsc_traces(c)) return 0;
        } else if ((rf__json_key_is(j, "params") || rf__json_key_is(j, "result") || rf__json_key_is(j, "samples")) &&
                   level < 4 && p < j->end && *p == '{') {
            if (!rf__jsc_scan(c, level + 1)) return 0;
        } else if (!rf__json_skip(j, rf__json_next(j))) {
            return 0;
        }
    }
    return j->err == RF_OK;
}

RF__INTERNAL int rf__jsc_run(rf_parser *ps, rf__json *j)
{
    rf__jsc c;
    int ok;
    memset(&c, 0, sizeof c);
    c.ps = ps;
    c.j = j;
    ok = rf__jsc_scan(&c, 0) && rf__jdoc_end(j);
    if (ok && !c.seen) {
        rf__json_fail(j, RF_ERR_CORRUPT, "no \"samples.stackTraces\": not a JSC ScriptProfiler capture "
                                         "(was startTracking called with includeSamples: true?)", j->base);
        ok = 0;
    }
    if (ok && rf_profile_set_unit(ps->dst, "samples") != RF_OK) {
        rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->base);
        ok = 0;
    }
    rf__buf_free(ps->al, &c.tmp);
    rf__buf_free(ps->al, &c.fname);
    rf__buf_free(ps->al, &c.furl);
    return ok;
}

RF__INTERNAL rf_result rf__jsc_init(rf_parser *ps) { return rf__jdoc_init(ps, rf__jsc_run); }

/* ===== [rf:detect] JSON profiles ===== */
/* For rf_detect_format: which JSON profile format a document is, from its first bytes (a few
   KiB), when its first non-blank byte is '{'. RF_FORMAT_AUTO when no telling key is there.
   Key names are searched as quoted strings; the order matters: a heap snapshot also has
   "nodes" (it goes to the heap reader, which explains what it is), a speedscope file may
   mention "name"/"frames" like the others, JSC frames have no "callFrame". */
RF__INTERNAL int rf__json_head_has(const unsigned char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;
    for (i = 0; i + k <= n; i++)
        if (s[i] == (unsigned char)needle[0] && memcmp(s + i, needle, k) == 0) return 1;
    return 0;
}

RF__INTERNAL rf_format rf__json_detect(const unsigned char *s, size_t n)
{
    if (rf__json_head_has(s, n, "\"snapshot\"")) return RF_FORMAT_V8_HEAPPROFILE;
    if (rf__json_head_has(s, n, "speedscope.app/file-format-schema") ||
        (rf__json_head_has(s, n, "\"shared\"") && rf__json_head_has(s, n, "\"frames\"")) ||
        (rf__json_head_has(s, n, "\"profiles\"") && rf__json_head_has(s, n, "\"evented\"")) ||
        (rf__json_head_has(s, n, "\"profiles\"") && rf__json_head_has(s, n, "\"sampled\"")))
        return RF_FORMAT_SPEEDSCOPE;
    if (rf__json_head_has(s, n, "\"stackTraces\"") || rf__json_head_has(s, n, "\"stackFrames\"") ||
        rf__json_head_has(s, n, "ScriptProfiler.trackingComplete"))
        return RF_FORMAT_JSC_SAMPLES;
    if (rf__json_head_has(s, n, "\"selfSize\"") || rf__json_head_has(s, n, "HeapProfiler.stopSampling"))
        return RF_FORMAT_V8_HEAPPROFILE;
    /* a "head" tree of callFrame nodes is a heap profile; the pre-2016 cpuprofile's
       "head" nodes carry functionName themselves */
    if (rf__json_head_has(s, n, "\"head\"") && rf__json_head_has(s, n, "\"callFrame\"") &&
        !rf__json_head_has(s, n, "\"nodes\""))
        return RF_FORMAT_V8_HEAPPROFILE;
    if (rf__json_head_has(s, n, "\"nodes\"") || rf__json_head_has(s, n, "\"callFrame\"") ||
        rf__json_head_has(s, n, "\"head\"") || rf__json_head_has(s, n, "\"traceEvents\""))
        return RF_FORMAT_V8_CPUPROFILE;
    return RF_FORMAT_AUTO;
}

/* ===== [rf:svg] ========================================================== */
/* The SVG writer and the reader of our own SVGs.

   THE DOCUMENT (ids carry a per-graph prefix P, see rf_svg_options.id_prefix)
     <svg id="P" width=W height=H viewBox="0 0 W H">   first paint as a plain image
       <!-- notes -->  <defs> background gradient P-bg </defs>  <style> scoped by #P </style>
       background rect, title, subtitle, texts P-details P-unzoom P-search P-ic P-matched
       <g id="P-frames">  one <g transform="translate(0,y)"> per row, holding every frame at
                          least minwidth px wide as <g><title>NAME (N UNIT, P%)</title>
                          <rect x= width= height= fill=/><text x= y=>LABEL</text></g>
                          (no <text> when the frame is too narrow for a label)
       <script type="application/json" id="P-data"> the call tree (below) </script>
       <script> the interactive part (tools/svg/flamegraph.js), in CDATA </script>
     The script adopts the static frames (row by row, in the order written) and from then on
     renders from P-data at the window's width, which is how zooming reveals frames too
     narrow to draw at first.

   THE EMBEDDED DATA (version "rf":1) is one JSON object:
     {"rf":1, "cols":1|2, "dec":DECIMALS, "unit":UNIT, "stype":SAMPLE_TYPE, "rev":0|1,
      "pruned":0|1, "names":[...], "colors":"rrggbb...", "bytes":[[INDEX,"HEX"]...],
      "tree":[...], "cfg":{...}}
     names   frame names, in order of first use; "names"[0] is the root's "". Names that are
             not valid UTF-8 hold U+FFFD for each bad byte here, and their exact bytes are in
             "bytes" as hex (so any byte sequence survives a standard JSON parser).
     colors  six hex digits per name: its fill (differential graphs compute theirs).
     tree    the call tree in preorder, one record of integers per node:
               name index, number of children, self weight per column
               (and, when "pruned", the weight of left-out descendants per column)
             Weights are the profile's exact int64 fixed-point values (value = w / 10^dec);
             "cols":2 is a differential profile (column 0 before, 1 after; cfg "widthfrom"
             says which sets the widths: "after", "before", or "max" = max(self before, self
             after) per node, summed up the tree; presentation only, the reader ignores it).
     rev     1 when the graph is stack-reversed: the tree holds reversed stacks, and the
             reader reverses them back.
     pruned  1 when the tree was cut to data_budget: the least significant nodes (smallest
             total; ties keep preorder) were left out and their weight kept in their parent.
             Reading such an SVG warns, and the left-out weight is read as the parent's self
             weight, so totals stay exact but those stacks are shorter.
     cfg     what the script needs to lay out and format like this writer (not read back).
             The script lays out a pruned tree's left-out weight as the parent's self weight
             of each column (for "max": the max of those), so its first render can differ
             from the static paint there (it keeps, by title, the static frames of the nodes
             it has, moved where it lays them out, and hides the others).
     Inside the document no byte of the data can end the element or the document: '<', '>'
     and '&' are written as \u003c \u003e \u0026, like every control character, and U+FFFE
     and U+FFFF as \ufffe \uffff (not XML characters).

   TEXT: labels, titles and hover lines show names with a trailing annotation _[k] _[j]
   _[i] _[w] removed, and with invalid UTF-8 bytes, control characters (C0, DEL, C1),
   bidirectional controls (U+061C U+200E U+200F U+202A-U+202E U+2066-U+2069) and U+FFFE/
   U+FFFF replaced by U+FFFD; then XML-escaped. Labels are cut on code points ("..").

   COLOURS as flamegraph.pl: a palette picks a hue, a value in [0,1) from the name picks the
   shade (the byte-wise namehash of flamegraph.pl with hash=1, else FNV-1a 64 of the name).
   java/js/perl follow flamegraph.pl's name rules and annotations (_[k] orange, _[j] green,
   _[i] aqua); python and rust follow inferno's rules, after the same annotations; "-" and
   "--" are grey. Differential graphs: red grew, blue shrank, by the self-weight change
   scaled to the largest change, as flamegraph.pl (whatever width_from says: no hue swap).
   Their titles read "NAME (A UNIT, P%; before B, Q%, +D%)" in every layout: A and B the
   real after and before totals, P = A and Q = B as shares of their own profile's total
   (or of rf_svg_options.total when larger), D the self-weight change as a share of the
   after total (of the before total when after is empty; negated with negate). Children
   are sorted by name bytes (memcmp; flamegraph.pl sorts whole lines, which differs only
   for names that are prefixes of each other), or by layout weight. */

typedef struct rf__svg_out {
    rf_write_fn fn;
    void *ctx;
    char *buf;
    size_t len;
    rf_result err;
    uint64_t bytes;
} rf__svg_out;

#define RF__SVG_OUTCAP ((size_t)1 << 16)
#define RF__SVG_REPL "\xEF\xBF\xBD" /* U+FFFD */

static void rf__svg_flush(rf__svg_out *o) {
    if (o->len && o->err == RF_OK && o->fn(o->ctx, o->buf, o->len)) o->err = RF_ERR_WRITE;
    o->bytes += o->len;
    o->len = 0;
}
static void rf__svg_put(rf__svg_out *o, const char *s, size_t n) {
    while (n) {
        size_t k = RF__SVG_OUTCAP - o->len;
        if (k == 0) { rf__svg_flush(o); continue; }
        if (k > n) k = n;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
    }
}
static void rf__svg_puts(rf__svg_out *o, const char *s) { rf__svg_put(o, s, strlen(s)); }
/* Room for n (<= 512) bytes at the end of the buffer. */
static char *rf__svg_room(rf__svg_out *o, size_t n) {
    if (RF__SVG_OUTCAP - o->len < n) rf__svg_flush(o);
    return o->buf + o->len;
}

/* ---- numbers (no printf: locale-independent and fast) ---- */
static size_t rf__svg_u64(char *d, uint64_t v) {
    char t[24];
    size_t n = 0, i;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (i = 0; i < n; i++) d[i] = t[n - 1 - i];
    return n;
}
static size_t rf__svg_i64(char *d, int64_t v) {
    if (v < 0) { d[0] = '-'; return 1 + rf__svg_u64(d + 1, (uint64_t)0 - (uint64_t)v); }
    return rf__svg_u64(d, (uint64_t)v);
}
/* Non-negative x rounded half up to an integer, as Math.floor(x + 0.5) in the script. */
static int64_t rf__svg_round(double x) {
    if (!(x > 0)) return 0;
    if (x >= 9.0e18) return INT64_MAX;
    return (int64_t)(x + 0.5);
}
/* v with one decimal (".0" left out): coordinates. */
static size_t rf__svg_dec1(char *d, double v) {
    int neg = v < 0;
    int64_t t = rf__svg_round(neg ? -v * 10 : v * 10);
    size_t n = 0;
    if (neg && t) d[n++] = '-';
    n += rf__svg_u64(d + n, (uint64_t)(t / 10));
    if (t % 10) { d[n++] = '.'; d[n++] = (char)('0' + t % 10); }
    return n;
}
/* v with up to 9 decimals, for the script's configuration. */
static size_t rf__svg_num(char *d, double v) {
    int neg = v < 0;
    double a = neg ? -v : v;
    size_t n = 0;
    if (neg) d[n++] = '-';
    if (a >= 9.0e9) return n + rf__svg_u64(d + n, (uint64_t)rf__svg_round(a));
    return n + rf_format_weight(rf__svg_round(a * 1e9), 9, d + n);
}
/* A weight for people: exact, with thousands separators ("1,234.5"). */
static size_t rf__svg_count(char *d, int64_t w, int dec, double factor) {
    char t[40];
    size_t n, i, ip, k = 0;
    static const double p10[10] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    if (factor != 1.0) {
        double s = (double)w / p10[dec] * factor * p10[dec];
        int neg = s < 0;
        int64_t r = rf__svg_round(neg ? -s : s);
        w = neg ? -r : r;
    }
    n = rf_format_weight(w, dec, t);
    i = t[0] == '-';
    for (ip = i; ip < n && t[ip] != '.'; ip++) {}
    if (i) d[k++] = '-';
    for (; i < n; i++) {
        d[k++] = t[i];
        if (i + 1 < ip && (ip - i - 1) % 3 == 0) d[k++] = ',';
    }
    return k;
}
/* |100 * w / of| with two decimals, half up: "12.34" ("0.00" when of is 0). */
static size_t rf__svg_pct(char *d, double w, double of) {
    double x = of > 0 ? 100.0 * w / of : 0;
    int64_t h = rf__svg_round((x < 0 ? -x : x) * 100.0 + 0.0);
    size_t n = rf__svg_u64(d, (uint64_t)(h / 100));
    d[n++] = '.';
    d[n++] = (char)('0' + (h % 100) / 10);
    d[n++] = (char)('0' + h % 10);
    return n;
}

/* ---- text ---- */
/* Code point at s (n > 0 bytes left): returns the byte length, *cp the code point, or
   U+FFFD (length 1) for a byte that does not start a well-formed sequence. */
static size_t rf__svg_cp(const unsigned char *s, size_t n, uint32_t *cp) {
    size_t k;
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    k = rf__utf8_seq(s, s + n);
    if (!k) { *cp = 0xFFFD; return 1; }
    if (k == 2) *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3Fu);
    else if (k == 3) *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
    else *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3Fu);
    return k;
}
/* Characters shown as U+FFFD: controls, bidi controls, non-characters XML forbids. */
static int rf__svg_hidden(uint32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFFFE || c == 0xFFFF;
}
/* Length without a trailing annotation _[k] _[j] _[i] _[w]. */
static size_t rf__svg_strip(const char *s, size_t n) {
    if (n >= 4 && s[n - 4] == '_' && s[n - 3] == '[' && s[n - 1] == ']' &&
        (s[n - 2] == 'k' || s[n - 2] == 'j' || s[n - 2] == 'i' || s[n - 2] == 'w'))
        return n - 4;
    return n;
}
static size_t rf__svg_cp_count(const unsigned char *s, size_t n) {
    size_t k = 0, i = 0;
    uint32_t c;
    while (i < n) { i += rf__svg_cp(s + i, n - i, &c); k++; }
    return k;
}
/* Writes code points [from, to) of s as XML text, sanitized. */
static void rf__svg_text_range(rf__svg_out *o, const unsigned char *s, size_t n, size_t from, size_t to) {
    size_t i = 0, k = 0, run = 0;
    uint32_t c;
    while (i < n && k < to) {
        size_t len;
        if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '&' && s[i] != '<' && s[i] != '>') {
            if (k >= from) run++;
            else if (run) { rf__svg_put(o, (const char *)s + i - run, run); run = 0; }
            i++;
            k++;
            continue;
        }
        if (run) { rf__svg_put(o, (const char *)s + i - run, run); run = 0; }
        len = rf__svg_cp(s + i, n - i, &c);
        if (k >= from) {
            if (c == '&') rf__svg_put(o, "&amp;", 5);
            else if (c == '<') rf__svg_put(o, "&lt;", 4);
            else if (c == '>') rf__svg_put(o, "&gt;", 4);
            else if (c == 0xFFFD || rf__svg_hidden(c)) rf__svg_put(o, RF__SVG_REPL, 3);
            else rf__svg_put(o, (const char *)s + i, len);
        }
        i += len;
        k++;
    }
    if (run) rf__svg_put(o, (const char *)s + i - run, run);
}
static void rf__svg_text(rf__svg_out *o, const char *s) {
    rf__svg_text_range(o, (const unsigned char *)s, strlen(s), 0, (size_t)-1);
}

/* A JSON string (quotes included) into b; invalid UTF-8 bytes become U+FFFD (*lossy = 1). */
static rf_result rf__svg_json_str(const rf_allocator *al, rf__buf *b, const char *str, size_t n, int *lossy) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0;
    static const char hex[] = "0123456789abcdef";
    char e[8];
    if (rf__buf_reserve(al, b, n + 2)) return RF_ERR_OUT_OF_MEMORY;
    b->data[b->len++] = '"';
    while (i < n) {
        unsigned char c = s[i];
        uint32_t cp;
        size_t len;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
            run++;
            i++;
            continue;
        }
        if (run && rf__buf_append(al, b, s + i - run, run)) return RF_ERR_OUT_OF_MEMORY;
        run = 0;
        len = c < 0x80 ? 1 : rf__svg_cp(s + i, n - i, &cp);
        if (c < 0x80 || cp == 0xFFFE || cp == 0xFFFF) {
            uint32_t v = c < 0x80 ? c : cp;
            if (c == '"' || c == '\\') { e[0] = '\\'; e[1] = (char)c; len = 1; if (rf__buf_append(al, b, e, 2)) return RF_ERR_OUT_OF_MEMORY; i++; continue; }
            e[0] = '\\'; e[1] = 'u';
            e[2] = hex[(v >> 12) & 15]; e[3] = hex[(v >> 8) & 15]; e[4] = hex[(v >> 4) & 15]; e[5] = hex[v & 15];
            if (rf__buf_append(al, b, e, 6)) return RF_ERR_OUT_OF_MEMORY;
        } else if (cp == 0xFFFD && len == 1) {
            *lossy = 1;
            if (rf__buf_append(al, b, RF__SVG_REPL, 3)) return RF_ERR_OUT_OF_MEMORY;
        } else if (rf__buf_append(al, b, s + i, len)) return RF_ERR_OUT_OF_MEMORY;
        i += len;
    }
    if (run && rf__buf_append(al, b, s + i - run, run)) return RF_ERR_OUT_OF_MEMORY;
    return rf__buf_append(al, b, "\"", 1);
}

/* ---- options ---- */
enum {
    RF__PAL_HOT, RF__PAL_MEM, RF__PAL_IO, RF__PAL_WAKEUP, RF__PAL_JAVA, RF__PAL_JS, RF__PAL_PERL,
    RF__PAL_PYTHON, RF__PAL_RUST, RF__PAL_RED, RF__PAL_GREEN, RF__PAL_BLUE, RF__PAL_AQUA,
    RF__PAL_YELLOW, RF__PAL_PURPLE, RF__PAL_ORANGE, RF__PAL_COUNT
};
static const char *const rf__svg_palettes[RF__PAL_COUNT] = {
    "hot", "mem", "io", "wakeup", "java", "js", "perl", "python", "rust", "red", "green", "blue",
    "aqua", "yellow", "purple", "orange"};

typedef struct rf__svg_cfg {
    const char *title, *subtitle, *fonttype, *countname, *nametype, *notes, *search_color;
    char bg1[8], bg2[8];
    double width, fh, fontsize, fontwidth, factor, minwidth, minpct, total;
    int palette, hash, inverted, negate, flamechart, reverse, trunc_left, sort_weight, width_from;
    char prefix[72];
    size_t budget;
} rf__svg_cfg;

/* Parses "12", "0.5", ".5", optionally followed by '%' when pct is not NULL. */
static int rf__svg_parse_num(const char *s, double *v, int *pct) {
    double x = 0, scale = 1;
    int digits = 0, dot = 0;
    if (pct) *pct = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            digits++;
            if (dot) { scale /= 10; x += (*s - '0') * scale; }
            else x = x * 10 + (*s - '0');
        } else if (*s == '.' && !dot) dot = 1;
        else break;
    }
    if (*s == '%' && pct) { *pct = 1; s++; }
    *v = x;
    return digits > 0 && *s == '\0' && x < 1e15;
}
static int rf__svg_chars_ok(const char *s, const char *extra, size_t max) {
    size_t n = 0;
    for (; *s; s++, n++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c && strchr(extra, c))))
            return 0;
    }
    return n > 0 && n <= max;
}
static int rf__svg_hexcolor(const char *s) {
    int i;
    if (s[0] != '#' || strlen(s) != 7) return 0;
    for (i = 1; i < 7; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i])) return 0;
    return 1;
}

static const char *rf__svg_resolve(const rf_svg_options *in, const rf_profile *p, rf__svg_cfg *c) {
    rf_svg_options z;
    const char *bg;
    int pct, i;
    if (!in) { memset(&z, 0, sizeof z); in = &z; }
    memset(c, 0, sizeof *c);
    c->inverted = in->inverted != 0;
    c->title = in->title ? in->title : c->inverted ? "Icicle Graph" : "Flame Graph";
    c->subtitle = in->subtitle && *in->subtitle ? in->subtitle : NULL;
    c->width = in->width != 0 ? in->width : 1200;
    c->fh = in->height != 0 ? in->height : 16;
    c->fonttype = in->fonttype ? in->fonttype : "Verdana";
    c->fontsize = in->fontsize != 0 ? in->fontsize : 12;
    c->fontwidth = in->fontwidth != 0 ? in->fontwidth : 0.59;
    c->countname = in->countname ? in->countname : p ? rf_profile_unit(p) : "samples";
    c->nametype = in->nametype ? in->nametype : "Function:";
    c->notes = in->notes;
    c->factor = in->factor != 0 ? in->factor : 1;
    c->total = in->total;
    c->search_color = in->search_color ? in->search_color : "rgb(230,0,230)";
    c->hash = in->hash != 0;
    c->negate = in->negate != 0;
    c->flamechart = in->flamechart != 0;
    c->reverse = in->reverse != 0;
    c->width_from = in->width_from;
    c->budget = in->data_budget ? in->data_budget : RF_SVG_DATA_BUDGET;
    if (c->width_from < RF_SVG_WIDTH_AFTER || c->width_from > RF_SVG_WIDTH_MAX)
        return "width_from must be RF_SVG_WIDTH_AFTER, RF_SVG_WIDTH_BEFORE or RF_SVG_WIDTH_MAX";
    if (!(c->width >= 40 && c->width <= 1e6)) return "width must be between 40 and 1000000 px";
    if (!(c->fh >= 2 && c->fh <= 1000)) return "height (frame height) must be between 2 and 1000 px";
    if (!(c->fontsize > 0 && c->fontsize <= 1000)) return "fontsize must be between 0 and 1000";
    if (!(c->fontwidth > 0 && c->fontwidth <= 10)) return "fontwidth must be between 0 and 10";
    if (!(c->factor > 0 && c->factor < 1e15)) return "factor must be a positive number";
    if (!(c->total >= 0 && c->total < 1e18)) return "total must be a non-negative number";
    if (!rf__svg_parse_num(in->minwidth ? in->minwidth : "0.1", &c->minwidth, &pct))
        return "minwidth must be a number of px, or a percentage like \"0.5%\"";
    if (pct) { c->minpct = c->minwidth; c->minwidth = 0; if (c->minpct > 100) return "minwidth percentage above 100"; }
    if (!rf__svg_chars_ok(c->fonttype, " _,.'-", 128))
        return "fonttype may hold letters, digits, spaces and _ , . ' - only";
    if (!rf__svg_chars_ok(c->search_color, "#(),. %", 64))
        return "search_color must be a CSS colour such as #ff00ff or rgb(230,0,230)";
    c->palette = -1;
    for (i = 0; i < RF__PAL_COUNT; i++)
        if (!strcmp(in->colors ? in->colors : "hot", rf__svg_palettes[i])) c->palette = i;
    if (c->palette < 0)
        return "colors must be one of hot mem io wakeup java js perl python rust red green blue aqua yellow purple orange";
    bg = in->bgcolors;
    if (!bg) bg = c->palette == RF__PAL_MEM ? "blue" : (c->palette == RF__PAL_IO || c->palette == RF__PAL_WAKEUP ||
                                                        c->palette >= RF__PAL_RED) ? "grey" : "yellow";
    if (!strcmp(bg, "yellow")) { strcpy(c->bg1, "#eeeeee"); strcpy(c->bg2, "#eeeeb0"); }
    else if (!strcmp(bg, "blue")) { strcpy(c->bg1, "#eeeeee"); strcpy(c->bg2, "#e0e0ff"); }
    else if (!strcmp(bg, "green")) { strcpy(c->bg1, "#eef2ee"); strcpy(c->bg2, "#e0ffe0"); }
    else if (!strcmp(bg, "grey") || !strcmp(bg, "gray")) { strcpy(c->bg1, "#f8f8f8"); strcpy(c->bg2, "#e8e8e8"); }
    else if (rf__svg_hexcolor(bg)) { strcpy(c->bg1, bg); strcpy(c->bg2, bg); }
    else return "bgcolors must be yellow, blue, green, grey or #rrggbb";
    if (!in->truncate || !strcmp(in->truncate, "right")) c->trunc_left = 0;
    else if (!strcmp(in->truncate, "left")) c->trunc_left = 1;
    else return "truncate must be left or right";
    if (!in->sort || !strcmp(in->sort, "alpha")) c->sort_weight = 0;
    else if (!strcmp(in->sort, "weight")) c->sort_weight = 1;
    else return "sort must be alpha or weight";
    if (in->id_prefix) {
        if (!rf__svg_chars_ok(in->id_prefix, "_-", 64) || !((in->id_prefix[0] | 32) >= 'a' && (in->id_prefix[0] | 32) <= 'z'))
            return "id_prefix must be a letter followed by letters, digits, _ or - (at most 64)";
        strcpy(c->prefix, in->id_prefix);
    }
    return NULL;
}

RF_API const char *rf_svg_check_options(const rf_svg_options *o) {
    rf__svg_cfg c;
    return rf__svg_resolve(o, NULL, &c);
}

/* ---- colours ---- */
/* flamegraph.pl's namehash over bytes: a module prefix "mod`" is skipped, then the first
   three bytes are weighed. rev reads the name backwards. */
static double rf__svg_namehash(const unsigned char *s, size_t n, int rev) {
    double vector = 0, weight = 1, max = 1;
    unsigned mod = 10;
    size_t i, start = 0;
#define RF__AT(k) (rev ? s[n - 1 - (k)] : s[k])
    for (i = 1; i < n; i++)
        if (RF__AT(i) == '`') { start = i + 1; break; }
    for (i = start; i < n; i++) {
        vector += ((double)(RF__AT(i) % mod) / (double)(mod - 1)) * weight;
        mod++;
        max += weight;
        weight *= 0.70;
        if (mod > 12) break;
    }
#undef RF__AT
    return 1 - vector / max;
}
static int rf__svg_has(const char *s, size_t n, const char *sub) {
    size_t k = strlen(sub), i;
    for (i = 0; i + k <= n; i++)
        if (s[i] == sub[0] && !memcmp(s + i, sub, k)) return 1;
    return 0;
}
static int rf__svg_starts(const char *s, size_t n, const char *pre) {
    size_t k = strlen(pre);
    return n >= k && !memcmp(s, pre, k);
}
static char rf__svg_annotation(const char *s, size_t n) {
    return rf__svg_strip(s, n) != n ? s[n - 2] : 0;
}
/* Python: a path component "site-packages" (aqua), "pythonX.Y"/"PythonXY" or a built-in (yellow). */
static int rf__svg_python(const char *s, size_t n) {
    size_t i, j;
    int pass;
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i <= n; i = j + 1) {
            for (j = i; j < n && s[j] != '/' && s[j] != '\\'; j++) {}
            if (pass == 0 && j - i == 13 && !memcmp(s + i, "site-packages", 13)) return RF__PAL_AQUA;
            if (pass == 1 && j - i >= 6 && (!memcmp(s + i, "python", 6) || !memcmp(s + i, "Python", 6))) {
                size_t k = i + 6;
                while (k < j && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.')) k++;
                if (k == j) return RF__PAL_YELLOW;
            }
        }
    if (rf__svg_starts(s, n, "<built-in") || rf__svg_starts(s, n, "<method") || rf__svg_starts(s, n, "<frozen"))
        return RF__PAL_YELLOW;
    return RF__PAL_RED;
}
/* The flat palette a name gets under a name-aware palette. */
static int rf__svg_pick(int pal, const char *s, size_t n) {
    char a = rf__svg_annotation(s, n);
    size_t i;
    switch (pal) {
    case RF__PAL_WAKEUP: return RF__PAL_AQUA;
    case RF__PAL_JAVA: {
        const char *q = s;
        size_t m = n;
        if (a == 'j') return RF__PAL_GREEN;
        if (a == 'i') return RF__PAL_AQUA;
        if (m && q[0] == 'L') { q++; m--; }
        {
            static const char *const pre[] = {"java/", "javax/", "jdk/", "net/", "org/", "com/", "io/", "sun/"};
            for (i = 0; i < sizeof pre / sizeof pre[0]; i++)
                if (rf__svg_starts(q, m, pre[i])) return RF__PAL_GREEN;
        }
        if (rf__svg_has(s, n, "::")) return RF__PAL_YELLOW;
        if (a == 'k') return RF__PAL_ORANGE;
        if (a == 'w') return RF__PAL_AQUA;
        return RF__PAL_RED;
    }
    case RF__PAL_PERL:
        if (rf__svg_has(s, n, "::")) return RF__PAL_YELLOW;
        if (rf__svg_has(s, n, "Perl") || rf__svg_has(s, n, ".pl")) return RF__PAL_GREEN;
        if (a == 'k') return RF__PAL_ORANGE;
        if (a == 'w') return RF__PAL_AQUA;
        return RF__PAL_RED;
    case RF__PAL_JS: {
        const char *slash = (const char *)memchr(s, '/', n);
        if (a == 'j') return slash ? RF__PAL_GREEN : RF__PAL_AQUA;
        if (rf__svg_has(s, n, "::")) return RF__PAL_YELLOW;
        if (slash && rf__svg_has(slash, n - (size_t)(slash - s), ".js")) return RF__PAL_GREEN;
        if (memchr(s, ':', n)) return RF__PAL_AQUA;
        if (n == 1 && s[0] == ' ') return RF__PAL_GREEN;
        if (rf__svg_has(s, n, "_[k]")) return RF__PAL_ORANGE;
        if (a == 'w') return RF__PAL_AQUA;
        return RF__PAL_RED;
    }
    case RF__PAL_PYTHON:
    case RF__PAL_RUST:
        if (a == 'k') return RF__PAL_ORANGE;
        if (a == 'j') return RF__PAL_GREEN;
        if (a == 'i' || a == 'w') return RF__PAL_AQUA;
        if (pal == RF__PAL_PYTHON) return rf__svg_python(s, n);
        if (rf__svg_starts(s, n, "core::") || rf__svg_starts(s, n, "std::") || rf__svg_starts(s, n, "alloc::") ||
            (rf__svg_starts(s, n, "<core::") && !rf__svg_starts(s, n, "<core::future::from_generator::GenFuture<T>")) ||
            rf__svg_starts(s, n, "<std::") || rf__svg_starts(s, n, "<alloc::"))
            return RF__PAL_ORANGE;
        return rf__svg_has(s, n, "::") ? RF__PAL_AQUA : RF__PAL_YELLOW;
    case RF__PAL_HOT:
        /* waiting/off-CPU frames (_[w]: hotcold, chain graphs) are cool, the rest warm */
        return a == 'w' ? RF__PAL_BLUE : pal;
    default: return pal;
    }
}
static void rf__svg_color(const rf__svg_cfg *c, const char *s, size_t n, unsigned char rgb[3]) {
    double v1, v2, v3;
    int r, g, b, pal;
    if (n == 2 && s[0] == '-' && s[1] == '-') { rgb[0] = rgb[1] = rgb[2] = 160; return; }
    if (n == 1 && s[0] == '-') { rgb[0] = rgb[1] = rgb[2] = 200; return; }
    if (c->hash) {
        v1 = rf__svg_namehash((const unsigned char *)s, n, 0);
        v2 = v3 = rf__svg_namehash((const unsigned char *)s, n, 1);
    } else {
        uint64_t h = 0xcbf29ce484222325ull;
        size_t i;
        for (i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 0x100000001b3ull; }
        v1 = (double)(h >> 11) * (1.0 / 9007199254740992.0);
        h *= 0x100000001b3ull;
        v2 = (double)(h >> 11) * (1.0 / 9007199254740992.0);
        h *= 0x100000001b3ull;
        v3 = (double)(h >> 11) * (1.0 / 9007199254740992.0);
    }
    pal = rf__svg_pick(c->palette, s, n);
#define RF__T(base, range, v) ((base) + (int)((range) * (v)))
    switch (pal) {
    case RF__PAL_HOT: r = RF__T(205, 50, v3); g = RF__T(0, 230, v1); b = RF__T(0, 55, v2); break;
    case RF__PAL_MEM: r = 0; g = RF__T(190, 50, v2); b = RF__T(0, 210, v1); break;
    case RF__PAL_IO: r = g = RF__T(80, 60, v1); b = RF__T(190, 55, v2); break;
    case RF__PAL_RED: r = RF__T(200, 55, v1); g = b = RF__T(50, 80, v1); break;
    case RF__PAL_GREEN: g = RF__T(200, 55, v1); r = b = RF__T(50, 60, v1); break;
    case RF__PAL_BLUE: b = RF__T(205, 50, v1); r = g = RF__T(80, 60, v1); break;
    case RF__PAL_YELLOW: r = g = RF__T(175, 55, v1); b = RF__T(50, 20, v1); break;
    case RF__PAL_PURPLE: r = b = RF__T(190, 65, v1); g = RF__T(80, 60, v1); break;
    case RF__PAL_AQUA: r = RF__T(50, 60, v1); g = b = RF__T(165, 55, v1); break;
    case RF__PAL_ORANGE: r = RF__T(190, 65, v1); g = RF__T(90, 65, v1); b = 0; break;
    default: r = g = b = 0; break;
    }
#undef RF__T
    rgb[0] = (unsigned char)(r > 255 ? 255 : r);
    rgb[1] = (unsigned char)(g > 255 ? 255 : g);
    rgb[2] = (unsigned char)(b > 255 ? 255 : b);
}
/* Differential fill: the self-weight change v against the largest change m. */
static void rf__svg_diff_color(int64_t v, int64_t m, int negate, unsigned char rgb[3]) {
    int r = 255, g = 255, b = 255;
    if (negate) v = -v;
    if (v > 0) g = b = (int)(210.0 * (double)(m - v) / (double)m);
    else if (v < 0) r = g = (int)(210.0 * (double)(m + v) / (double)m);
    rgb[0] = (unsigned char)r;
    rgb[1] = (unsigned char)g;
    rgb[2] = (unsigned char)b;
}
static void rf__svg_hex(char *d, const unsigned char rgb[3]) {
    static const char hex[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 3; i++) { d[2 * i] = hex[rgb[i] >> 4]; d[2 * i + 1] = hex[rgb[i] & 15]; }
}

/* ---- the writer ---- */
typedef struct rf__svg_key { int64_t w; uint32_t rank, id; } rf__svg_key;
typedef struct rf__svg_namekey { const char *s; uint32_t len, id; } rf__svg_namekey;

static int rf__svg_cmp_name(const void *a, const void *b) {
    const rf__svg_namekey *x = (const rf__svg_namekey *)a, *y = (const rf__svg_namekey *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}
static int rf__svg_cmp_rank(const void *a, const void *b) {
    const rf__svg_key *x = (const rf__svg_key *)a, *y = (const rf__svg_key *)b;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}
static int rf__svg_cmp_weight(const void *a, const void *b) {
    const rf__svg_key *x = (const rf__svg_key *)a, *y = (const rf__svg_key *)b;
    if (x->w != y->w) return x->w > y->w ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}
#define RF__SVG_SIG(w) (~((uint64_t)(w) ^ 0x8000000000000000ull)) /* ascending = weight descending */

/* Sorts keys into significance order for pruning (biggest weight first, then lowest rank)
   when they come in rank order (rank = index): a stable LSD radix sort on the weight,
   descending, so equal weights keep their rank order. qsort, with 38 million comparator calls
   for a 2-million-node tree, took two thirds of the writer's instructions. Only the bytes in
   which the weights differ take a pass. tmp holds n keys. */
static void rf__svg_sort_sig(rf__svg_key *keys, rf__svg_key *tmp, size_t n) {
    size_t count[8][256], i, b, nb = 0;
    unsigned char shift[8];
    uint64_t differ = 0;
    rf__svg_key *src = keys, *dst = tmp;
    for (i = 1; i < n; i++) differ |= (uint64_t)keys[i].w ^ (uint64_t)keys[0].w;
    for (b = 0; b < 8; b++)
        if ((differ >> (8 * b)) & 255u) shift[nb++] = (unsigned char)(8 * b);
    memset(count, 0, sizeof count);
    for (i = 0; i < n; i++) {
        uint64_t k = RF__SVG_SIG(keys[i].w);
        for (b = 0; b < nb; b++) count[b][(k >> shift[b]) & 255u]++;
    }
    for (b = 0; b < nb; b++) {
        size_t off[256], sum = 0, d;
        rf__svg_key *t;
        for (d = 0; d < 256; d++) {
            off[d] = sum;
            sum += count[b][d];
        }
        for (i = 0; i < n; i++) dst[off[(RF__SVG_SIG(src[i].w) >> shift[b]) & 255u]++] = src[i];
        t = src;
        src = dst;
        dst = t;
    }
    if (src != keys) memcpy(keys, src, n * sizeof *keys);
}

/* The limit-th smallest RF__SVG_SIG of the n keys (1 <= limit <= n): a radix select, 16 bits a
   level from the highest 16 in which they differ; hist is scratch for 65536 counts. */
static uint64_t rf__svg_select_sig(const rf__svg_key *keys, size_t n, size_t limit, uint32_t *hist) {
    uint64_t differ = 0, val = RF__SVG_SIG(keys[0].w);
    size_t i, need = limit;
    int shift = 48;
    for (i = 1; i < n; i++) differ |= (uint64_t)keys[i].w ^ (uint64_t)keys[0].w;
    while (shift > 0 && !((differ >> shift) & 0xFFFFu)) shift -= 16;
    for (; shift >= 0; shift -= 16) {
        /* among the keys that agree with val above these 16 bits, the digit of the need-th */
        uint64_t above = shift >= 48 ? 0 : ~(uint64_t)0 << (shift + 16);
        size_t before = 0, d;
        memset(hist, 0, 65536 * sizeof *hist);
        for (i = 0; i < n; i++) {
            uint64_t k = RF__SVG_SIG(keys[i].w);
            if ((k & above) == (val & above)) hist[(k >> shift) & 0xFFFFu]++;
        }
        for (d = 0; d < 65535 && before + hist[d] < need; d++) before += hist[d];
        need -= before;
        val = (val & above) | (uint64_t)d << shift;
    }
    return val;
}

typedef struct rf__svg_w {
    const rf_profile *p;
    const rf_allocator *al;
    rf__svg_cfg c;
    int col, cols, dec;       /* col: the column widths come from (unless lt) */
    size_t n;                 /* nodes */
    int64_t *lt;              /* RF_SVG_WIDTH_MAX: layout total per node, else NULL */
    uint32_t *kid_off, *kids; /* children in display order (CSR) */
    uint32_t *pre;            /* node ids in display preorder */
    double *x;                /* left edge at the static layout */
    unsigned char *drawn, *kept;
    uint32_t *name_out;       /* name id -> index in the data's names table (RF__NO_ID: unused) */
    rf__ids names;            /* name ids in table order */
    rf__buf data;             /* the JSON data block */
    int64_t timemax, maxdelta; /* timemax: the layout's 100% */
    int64_t opt_total, of0, of1; /* options' total; bases of the before/after percentages */
    double span, scale, minw, h0, ypad1, ypad2, ypad3;
    uint32_t dmax;
    size_t drawn_count, kept_count;
    int pruned;
} rf__svg_w;

static int64_t rf__svg_tot(const rf_profile *p, uint32_t i, int col) {
    return col ? p->w1[2 * (size_t)i] : p->nodes[i].total;
}
static int64_t rf__svg_self(const rf_profile *p, uint32_t i, int col) {
    return col ? p->w1[2 * (size_t)i + 1] : p->nodes[i].self;
}
/* A node's significance for pruning: its larger total. */
static int64_t rf__svg_weight(const rf__svg_w *w, uint32_t id) {
    int64_t s0 = rf__svg_tot(w->p, id, 0), s1 = w->cols == 2 ? rf__svg_tot(w->p, id, 1) : 0;
    return s0 > s1 ? s0 : s1;
}
/* The layout weights (widths, order by weight, minwidth): see rf_svg_options.width_from. */
static int64_t rf__svg_lself(const rf__svg_w *w, uint32_t i) {
    int64_t s0, s1;
    if (!w->lt) return rf__svg_self(w->p, i, w->col);
    s0 = rf__svg_self(w->p, i, 0);
    s1 = rf__svg_self(w->p, i, 1);
    return s0 > s1 ? s0 : s1;
}
static int64_t rf__svg_ltot(const rf__svg_w *w, uint32_t i) {
    return w->lt ? w->lt[i] : rf__svg_tot(w->p, i, w->col);
}

static void *rf__svg_alloc(rf__svg_w *w, size_t count, size_t size) {
    size_t bytes;
    if (!rf__mul_size(count ? count : 1, size, &bytes)) return NULL;
    return rf__malloc(w->al, bytes);
}
/* RF_SVG_WIDTH_MAX's totals: children have larger ids than their parent, so one backward
   pass sums them. RF_ERR_OVERFLOW when the sum leaves int64. */
static rf_result rf__svg_max_totals(rf__svg_w *w) {
    size_t i;
    w->lt = (int64_t *)rf__svg_alloc(w, w->n, sizeof(int64_t));
    if (!w->lt) return RF_ERR_OUT_OF_MEMORY;
    for (i = 0; i < w->n; i++) w->lt[i] = 0;
    for (i = w->n; i-- > 0;) {
        int64_t s = rf__svg_lself(w, (uint32_t)i);
        uint32_t up = w->p->nodes[i].parent;
        if (w->lt[i] > INT64_MAX - s) return RF_ERR_OVERFLOW;
        w->lt[i] += s;
        if (i && w->lt[up] > INT64_MAX - w->lt[i]) return RF_ERR_OVERFLOW;
        if (i) w->lt[up] += w->lt[i];
    }
    return RF_OK;
}

/* Children in display order: sorted by name (alpha), by weight, or as inserted. */
static rf_result rf__svg_order(rf__svg_w *w) {
    const rf_profile *p = w->p;
    size_t n = w->n, i, k, nn = p->nnames;
    uint32_t *rank = NULL;
    rf__svg_key *keys = NULL;
    rf_result r = RF_ERR_OUT_OF_MEMORY;
    w->kid_off = (uint32_t *)rf__svg_alloc(w, n + 1, sizeof(uint32_t));
    w->kids = (uint32_t *)rf__svg_alloc(w, n, sizeof(uint32_t));
    if (!w->kid_off || !w->kids) return r;
    for (i = 0, k = 0; i < n; i++) {
        uint32_t ch;
        w->kid_off[i] = (uint32_t)k;
        for (ch = p->nodes[i].first_child; ch != RF_NODE_NONE; ch = p->nodes[ch].next_sibling) w->kids[k++] = ch;
    }
    w->kid_off[n] = (uint32_t)k;
    if (w->c.flamechart) return RF_OK;
    rank = (uint32_t *)rf__svg_alloc(w, nn, sizeof(uint32_t));
    keys = (rf__svg_key *)rf__svg_alloc(w, n, sizeof(rf__svg_key));
    if (!rank || !keys) goto done;
    {
        rf__svg_namekey *nk = (rf__svg_namekey *)rf__svg_alloc(w, nn, sizeof(rf__svg_namekey));
        if (!nk) goto done;
        for (i = 0; i < nn; i++) { nk[i].s = p->names[i].s; nk[i].len = p->names[i].len; nk[i].id = (uint32_t)i; }
        if (nn > 1) qsort(nk, nn, sizeof *nk, rf__svg_cmp_name);
        for (i = 0; i < nn; i++) rank[nk[i].id] = (uint32_t)i;
        rf__free(w->al, nk, (nn ? nn : 1) * sizeof *nk);
    }
    for (i = 0; i < n; i++) {
        size_t a = w->kid_off[i], b = w->kid_off[i + 1], j;
        if (b - a < 2) continue;
        for (j = a; j < b; j++) {
            keys[j - a].id = w->kids[j];
            keys[j - a].rank = rank[p->nodes[w->kids[j]].name];
            keys[j - a].w = rf__svg_ltot(w, w->kids[j]);
        }
        qsort(keys, b - a, sizeof *keys, w->c.sort_weight ? rf__svg_cmp_weight : rf__svg_cmp_rank);
        for (j = a; j < b; j++) w->kids[j] = keys[j - a].id;
    }
    r = RF_OK;
done:
    rf__free(w->al, rank, (nn ? nn : 1) * sizeof(uint32_t));
    rf__free(w->al, keys, (n ? n : 1) * sizeof(rf__svg_key));
    return r;
}

/* Preorder, static layout (x, drawn) and the deepest drawn row; mirrors the script's render(). */
static rf_result rf__svg_layout(rf__svg_w *w) {
    const rf_profile *p = w->p;
    size_t n = w->n, top = 0, k = 0;
    uint32_t *stack = (uint32_t *)rf__svg_alloc(w, n, sizeof(uint32_t));
    w->pre = (uint32_t *)rf__svg_alloc(w, n, sizeof(uint32_t));
    w->x = (double *)rf__svg_alloc(w, n, sizeof(double));
    w->drawn = (unsigned char *)rf__svg_alloc(w, n, 1);
    if (!stack || !w->pre || !w->x || !w->drawn) {
        rf__free(w->al, stack, (n ? n : 1) * sizeof(uint32_t));
        return RF_ERR_OUT_OF_MEMORY;
    }
    memset(w->drawn, 0, n);
    w->x[0] = 10;
    w->drawn[0] = 1;
    w->dmax = 0;
    stack[top++] = 0;
    while (top) {
        uint32_t i = stack[--top], a = w->kid_off[i], b = w->kid_off[i + 1], j;
        double cx = w->x[i] + (w->c.sort_weight || w->c.flamechart ? 0 : (double)rf__svg_lself(w, i) * w->scale);
        w->pre[k++] = i;
        if (w->drawn[i]) {
            w->drawn_count++;
            if (p->nodes[i].depth > w->dmax) w->dmax = p->nodes[i].depth;
        }
        for (j = a; j < b; j++) {
            uint32_t ch = w->kids[j];
            int64_t t = rf__svg_ltot(w, ch);
            double wd = (double)t * w->scale;
            w->x[ch] = cx;
            cx += wd;
            w->drawn[ch] = (unsigned char)(w->drawn[i] && wd >= w->minw && t > 0);
        }
        for (j = b; j > a; j--) stack[top++] = w->kids[j - 1];
    }
    rf__free(w->al, stack, (n ? n : 1) * sizeof(uint32_t));
    return RF_OK;
}

static size_t rf__svg_digits(uint64_t v) {
    size_t d = 1;
    while (v >= 10) { v /= 10; d++; }
    return d;
}

/* Which nodes go into the data block: all, or the most significant within the budget. */
static rf_result rf__svg_budget(rf__svg_w *w) {
    const rf_profile *p = w->p;
    size_t n = w->n, i, total = 1024, used_names = 0, nn = p->nnames + 1;
    uint32_t *name_idx; /* 1 + index in the names table, 0 = not used yet */
    rf__svg_key *keys, *tmp;
    size_t limit;
    int pass;
    w->kept = (unsigned char *)rf__svg_alloc(w, n, 1);
    name_idx = (uint32_t *)rf__svg_alloc(w, nn, sizeof(uint32_t));
    if (!w->kept || !name_idx) { rf__free(w->al, name_idx, nn * sizeof(uint32_t)); return RF_ERR_OUT_OF_MEMORY; }
    memset(w->kept, 1, n);
    memset(name_idx, 0, nn * sizeof(uint32_t));
    /* the size of the whole tree first (names: +9 for quotes, comma and colour; escapes are
       rare and not counted); if it fits, nothing is left out */
    for (i = 0; i < n && total <= w->c.budget; i++) {
        uint32_t id = w->pre[i], nm = p->nodes[id].name;
        int c;
        if (nm == RF__NO_ID) nm = (uint32_t)p->nnames;
        if (!name_idx[nm]) {
            name_idx[nm] = (uint32_t)++used_names;
            total += (nm < p->nnames ? p->names[nm].len : 0) + 9;
        }
        total += 3 + rf__svg_digits(name_idx[nm] - 1) + rf__svg_digits(w->kid_off[id + 1] - w->kid_off[id]);
        for (c = 0; c < w->cols; c++) total += 1 + rf__svg_digits((uint64_t)rf__svg_self(p, id, c));
    }
    w->kept_count = n;
    if (total <= w->c.budget) { rf__free(w->al, name_idx, nn * sizeof(uint32_t)); return RF_OK; }
    /* over: keep the most significant nodes (a parent is never smaller than its child, and
       ties keep preorder, so parents come first) while the estimate stays in the budget.
       Only a prefix of that order is read: up to the first node that does not fit, every node
       is kept (its parent came before it and was kept) at a cost of at least 10 bytes, so at
       most (budget - 1024) / 10 + 2 positions. Sorted are the nodes whose weight reaches the
       one at that position (rf__svg_select_sig); should the greedy pass still run out of them
       (it cannot while weights are non-negative), all are sorted. */
    limit = (w->c.budget > 1024 ? (w->c.budget - 1024) / 10 : 0) + 2;
    keys = (rf__svg_key *)rf__svg_alloc(w, n, sizeof(rf__svg_key));
    if (!keys) goto oom;
    for (pass = 0; pass < 2; pass++) {
        size_t nk = n;
        int stopped = 0;
        for (i = 0; i < n; i++) { /* in preorder: the ranks ascend */
            keys[i].w = rf__svg_weight(w, w->pre[i]);
            keys[i].rank = (uint32_t)i;
            keys[i].id = w->pre[i];
        }
        if (pass == 0 && limit < n) { /* the keys up to the limit-th's weight, in rank order */
            uint32_t *hist = (uint32_t *)rf__svg_alloc(w, 65536, sizeof(uint32_t));
            uint64_t t;
            if (!hist) {
                rf__free(w->al, keys, n * sizeof *keys);
                goto oom;
            }
            t = rf__svg_select_sig(keys, n, limit, hist);
            rf__free(w->al, hist, 65536 * sizeof(uint32_t));
            for (i = 0, nk = 0; i < n; i++)
                if (RF__SVG_SIG(keys[i].w) <= t) keys[nk++] = keys[i];
        }
        tmp = (rf__svg_key *)rf__svg_alloc(w, nk, sizeof(rf__svg_key));
        if (!tmp) {
            rf__free(w->al, keys, n * sizeof *keys);
            goto oom;
        }
        rf__svg_sort_sig(keys, tmp, nk);
        rf__free(w->al, tmp, nk * sizeof *tmp);
        memset(w->kept, 0, n);
        memset(name_idx, 0, nn * sizeof(uint32_t));
        total = 1024;
        used_names = 0;
        w->kept_count = 0;
        for (i = 0; i < nk; i++) {
            uint32_t id = keys[i].id, nm = p->nodes[id].name;
            size_t cost = 3 + rf__svg_digits(used_names) + 2; /* child counts are not known yet */
            int c;
            if (id != 0 && !w->kept[p->nodes[id].parent]) continue;
            if (nm == RF__NO_ID) nm = (uint32_t)p->nnames;
            for (c = 0; c < w->cols; c++) cost += 2 + 2 * rf__svg_digits((uint64_t)rf__svg_self(p, id, c));
            if (!name_idx[nm]) cost += (nm < p->nnames ? p->names[nm].len : 0) + 9;
            if (id != 0 && total + cost > w->c.budget) {
                stopped = 1;
                break;
            }
            total += cost;
            if (!name_idx[nm]) name_idx[nm] = (uint32_t)++used_names;
            w->kept[id] = 1;
            w->kept_count++;
        }
        if (stopped || nk == n) break;
    }
    rf__free(w->al, keys, n * sizeof *keys);
    w->pruned = w->kept_count < n;
    rf__free(w->al, name_idx, nn * sizeof(uint32_t));
    return RF_OK;
oom:
    rf__free(w->al, name_idx, nn * sizeof(uint32_t));
    return RF_ERR_OUT_OF_MEMORY;
}

static rf_result rf__svg_putnum(rf__svg_w *w, int64_t v) {
    char t[24];
    return rf__buf_append(w->al, &w->data, t, rf__svg_i64(t, v));
}
static rf_result rf__svg_putkey(rf__svg_w *w, const char *key, double v) {
    char t[48];
    size_t k;
    rf_result r = rf__buf_puts(w->al, &w->data, key);
    if (r) return r;
    k = rf__svg_num(t, v);
    return rf__buf_append(w->al, &w->data, t, k);
}

/* The JSON data block. */
static rf_result rf__svg_data(rf__svg_w *w) {
    const rf_profile *p = w->p;
    const rf_allocator *al = w->al;
    rf__buf *b = &w->data;
    size_t n = w->n, i, nn = p->nnames;
    uint32_t *kc = NULL;
    int lossy, c, any_lossy = 0;
    rf_result r = RF_ERR_OUT_OF_MEMORY;
    char t[64];
    w->name_out = (uint32_t *)rf__svg_alloc(w, nn + 1, sizeof(uint32_t));
    kc = (uint32_t *)rf__svg_alloc(w, n, sizeof(uint32_t));
    if (!w->name_out || !kc) goto done;
    for (i = 0; i <= nn; i++) w->name_out[i] = RF__NO_ID;
    memset(kc, 0, n * sizeof(uint32_t));
    /* names in order of first use; the root's "" first */
    for (i = 0; i < n; i++) {
        uint32_t id = w->pre[i], nm = p->nodes[id].name;
        if (!w->kept[id]) continue;
        if (id) kc[p->nodes[id].parent]++;
        if (nm == RF__NO_ID) nm = (uint32_t)nn; /* the root's empty name */
        if (w->name_out[nm] == RF__NO_ID) {
            w->name_out[nm] = (uint32_t)w->names.len;
            if (rf__ids_push(al, &w->names, nm)) goto done;
        }
    }
    if (rf__buf_puts(al, b, "{\"rf\":1,\"cols\":") || rf__svg_putnum(w, w->cols) ||
        rf__buf_puts(al, b, ",\"dec\":") || rf__svg_putnum(w, w->dec) || rf__buf_puts(al, b, ",\"unit\":"))
        goto done;
    lossy = 0;
    if (rf__svg_json_str(al, b, rf_profile_unit(p), strlen(rf_profile_unit(p)), &lossy) ||
        rf__buf_puts(al, b, ",\"stype\":") ||
        rf__svg_json_str(al, b, rf_profile_sample_type(p), strlen(rf_profile_sample_type(p)), &lossy) ||
        rf__buf_puts(al, b, w->c.reverse ? ",\"rev\":1" : ",\"rev\":0") ||
        rf__buf_puts(al, b, w->pruned ? ",\"pruned\":1,\"names\":[" : ",\"pruned\":0,\"names\":["))
        goto done;
    for (i = 0; i < w->names.len; i++) {
        uint32_t nm = w->names.v[i];
        lossy = 0;
        if ((i && rf__buf_append(al, b, ",", 1)) ||
            (nm == nn ? rf__buf_append(al, b, "\"\"", 2)
                      : rf__svg_json_str(al, b, p->names[nm].s, p->names[nm].len, &lossy)))
            goto done;
        any_lossy |= lossy;
    }
    if (rf__buf_puts(al, b, "],\"colors\":\"") || rf__buf_reserve(al, b, 6 * w->names.len + 2)) goto done;
    for (i = 0; i < w->names.len; i++) {
        uint32_t nm = w->names.v[i];
        unsigned char rgb[3];
        if (nm == nn) rf__svg_color(&w->c, "", 0, rgb);
        else rf__svg_color(&w->c, p->names[nm].s, p->names[nm].len, rgb);
        rf__svg_hex(b->data + b->len, rgb);
        b->len += 6;
    }
    if (rf__buf_puts(al, b, "\",\"bytes\":[")) goto done;
    for (i = 0; any_lossy && i < w->names.len; i++) {
        uint32_t nm = w->names.v[i];
        const unsigned char *s;
        size_t len, k, first = b->len;
        if (nm == nn) continue;
        s = (const unsigned char *)p->names[nm].s;
        len = p->names[nm].len;
        for (k = 0; k < len;) {
            uint32_t cp;
            size_t l = rf__svg_cp(s + k, len - k, &cp);
            if (cp == 0xFFFD && l == 1) break;
            k += l;
        }
        if (k == len) continue;
        if ((first > 0 && b->data[first - 1] != '[' && rf__buf_append(al, b, ",", 1)) ||
            rf__buf_append(al, b, "[", 1) || rf__svg_putnum(w, (int64_t)i) || rf__buf_append(al, b, ",\"", 2) ||
            rf__buf_reserve(al, b, 2 * len + 2))
            goto done;
        for (k = 0; k < len; k++) {
            b->data[b->len++] = "0123456789abcdef"[s[k] >> 4];
            b->data[b->len++] = "0123456789abcdef"[s[k] & 15];
        }
        if (rf__buf_append(al, b, "\"]", 2)) goto done;
    }
    if (rf__buf_puts(al, b, "],\"tree\":[")) goto done;
    for (i = 0; i < n; i++) {
        uint32_t id = w->pre[i], nm = p->nodes[id].name;
        size_t k = 0;
        if (!w->kept[id]) continue;
        if (rf__buf_reserve(al, b, 128)) goto done;
        if (i) t[k++] = ',';
        k += rf__svg_u64(t + k, w->name_out[nm == RF__NO_ID ? nn : nm]);
        t[k++] = ',';
        k += rf__svg_u64(t + k, kc[id]);
        for (c = 0; c < w->cols; c++) {
            t[k++] = ',';
            k += rf__svg_i64(t + k, rf__svg_self(p, id, c));
        }
        memcpy(b->data + b->len, t, k);
        b->len += k;
        if (w->pruned) {
            k = 0;
            for (c = 0; c < w->cols; c++) {
                int64_t lost = rf__svg_tot(p, id, c) - rf__svg_self(p, id, c);
                uint32_t j;
                for (j = w->kid_off[id]; j < w->kid_off[id + 1]; j++)
                    if (w->kept[w->kids[j]]) lost -= rf__svg_tot(p, w->kids[j], c);
                t[k++] = ',';
                k += rf__svg_i64(t + k, lost);
            }
            memcpy(b->data + b->len, t, k);
            b->len += k;
        }
    }
    /* what the script needs to lay out and format like this writer */
    if (rf__buf_puts(al, b, "],\"cfg\":{") || rf__svg_putkey(w, "\"width\":", w->c.width) ||
        rf__svg_putkey(w, ",\"height\":", w->c.fh) || rf__svg_putkey(w, ",\"framepad\":", 1) ||
        rf__svg_putkey(w, ",\"xpad\":", 10) || rf__svg_putkey(w, ",\"ypad1\":", w->ypad1) ||
        rf__svg_putkey(w, ",\"ypad2\":", w->ypad2) || rf__svg_putkey(w, ",\"ypad3\":", w->ypad3) ||
        rf__svg_putkey(w, ",\"h0\":", w->h0) || rf__svg_putkey(w, ",\"fontsize\":", w->c.fontsize) ||
        rf__svg_putkey(w, ",\"fontwidth\":", w->c.fontwidth) || rf__svg_putkey(w, ",\"minwidth\":", w->c.minwidth) ||
        rf__svg_putkey(w, ",\"minpct\":", w->c.minpct) || rf__svg_putkey(w, ",\"factor\":", w->c.factor) ||
        rf__buf_puts(al, b, ",\"total\":") || rf__svg_putnum(w, w->opt_total) ||
        rf__buf_puts(al, b, ",\"maxdelta\":") || rf__svg_putnum(w, w->maxdelta) ||
        rf__svg_putkey(w, ",\"inverted\":", w->c.inverted) || rf__svg_putkey(w, ",\"negate\":", w->c.negate) ||
        rf__svg_putkey(w, ",\"selfleft\":", !(w->c.sort_weight || w->c.flamechart)) ||
        (w->cols == 2 && rf__buf_puts(al, b, w->lt ? ",\"widthfrom\":\"max\"" : w->col ? ",\"widthfrom\":\"after\""
                                                                             : ",\"widthfrom\":\"before\"")) ||
        rf__buf_puts(al, b, w->c.trunc_left ? ",\"truncate\":\"left\"" : ",\"truncate\":\"right\"") ||
        rf__buf_puts(al, b, ",\"countname\":"))
        goto done;
    lossy = 0;
    if (rf__svg_json_str(al, b, w->c.countname, strlen(w->c.countname), &lossy) ||
        rf__buf_puts(al, b, ",\"nametype\":") ||
        rf__svg_json_str(al, b, w->c.nametype, strlen(w->c.nametype), &lossy) ||
        rf__buf_puts(al, b, ",\"searchcolor\":") ||
        rf__svg_json_str(al, b, w->c.search_color, strlen(w->c.search_color), &lossy) ||
        rf__buf_puts(al, b, "}}"))
        goto done;
    r = RF_OK;
done:
    rf__free(al, kc, (n ? n : 1) * sizeof(uint32_t));
    return r;
}

/* One frame: <g><title>…</title><rect …/><text …>…</text></g> */
static void rf__svg_frame(rf__svg_w *w, rf__svg_out *o, uint32_t id, double x, double wd, double text_y) {
    const rf_profile *p = w->p;
    uint32_t nm = p->nodes[id].name;
    const unsigned char *s = (const unsigned char *)(nm == RF__NO_ID ? "all" : p->names[nm].s);
    size_t len = nm == RF__NO_ID ? 3 : rf__svg_strip(p->names[nm].s, p->names[nm].len), k;
    int64_t t = rf__svg_tot(p, id, w->cols - 1); /* the real (after) count, whatever the layout */
    unsigned char rgb[3];
    char *d;
    long chars;
    rf__svg_put(o, "<g><title>", 10);
    rf__svg_text_range(o, s, len, 0, (size_t)-1);
    d = rf__svg_room(o, 256);
    k = 0;
    d[k++] = ' ';
    d[k++] = '(';
    k += rf__svg_count(d + k, t, w->dec, w->c.factor);
    o->len += k;
    rf__svg_put(o, " ", 1);
    rf__svg_text(o, w->c.countname);
    d = rf__svg_room(o, 256);
    k = 0;
    d[k++] = ',';
    d[k++] = ' ';
    k += rf__svg_pct(d + k, (double)t, (double)w->of1);
    d[k++] = '%';
    if (w->cols == 2) {
        int64_t dl = rf__svg_self(p, id, 1) - rf__svg_self(p, id, 0);
        if (w->c.negate) dl = -dl;
        memcpy(d + k, "; before ", 9);
        k += 9;
        k += rf__svg_count(d + k, rf__svg_tot(p, id, 0), w->dec, w->c.factor);
        d[k++] = ',';
        d[k++] = ' ';
        k += rf__svg_pct(d + k, (double)rf__svg_tot(p, id, 0), (double)w->of0);
        d[k++] = '%';
        d[k++] = ',';
        d[k++] = ' ';
        if (dl) d[k++] = dl > 0 ? '+' : '-';
        k += rf__svg_pct(d + k, (double)dl, (double)(w->of1 > 0 ? w->of1 : w->of0));
        d[k++] = '%';
        if (nm != RF__NO_ID && !(p->names[nm].len == 1 && p->names[nm].s[0] == '-') &&
            !(p->names[nm].len == 2 && p->names[nm].s[0] == '-' && p->names[nm].s[1] == '-'))
            rf__svg_diff_color(rf__svg_self(p, id, 1) - rf__svg_self(p, id, 0), w->maxdelta, w->c.negate, rgb);
        else if (nm == RF__NO_ID) rf__svg_diff_color(rf__svg_self(p, id, 1) - rf__svg_self(p, id, 0), w->maxdelta, w->c.negate, rgb);
        else rf__svg_color(&w->c, p->names[nm].s, p->names[nm].len, rgb);
    } else if (nm == RF__NO_ID) rf__svg_color(&w->c, "", 0, rgb);
    else rf__svg_color(&w->c, p->names[nm].s, p->names[nm].len, rgb);
    memcpy(d + k, ")</title><rect x=\"", 18);
    k += 18;
    k += rf__svg_dec1(d + k, x);
    memcpy(d + k, "\" width=\"", 9);
    k += 9;
    k += rf__svg_dec1(d + k, wd);
    memcpy(d + k, "\" height=\"", 10);
    k += 10;
    k += rf__svg_dec1(d + k, w->c.fh - 1);
    memcpy(d + k, "\" fill=\"#", 9);
    k += 9;
    rf__svg_hex(d + k, rgb);
    k += 6;
    chars = (long)(wd / (w->c.fontsize * w->c.fontwidth));
    if (chars < 3) {
        memcpy(d + k, "\"/></g>\n", 8); /* no label: no <text> at all */
        o->len += k + 8;
        return;
    }
    memcpy(d + k, "\"/><text x=\"", 12);
    k += 12;
    k += rf__svg_dec1(d + k, x + 3);
    memcpy(d + k, "\" y=\"", 5);
    k += 5;
    k += rf__svg_dec1(d + k, text_y);
    d[k++] = '"';
    d[k++] = '>';
    o->len += k;
    {
        size_t cps = rf__svg_cp_count(s, len);
        if (cps <= (size_t)chars) rf__svg_text_range(o, s, len, 0, cps);
        else if (w->c.trunc_left) {
            rf__svg_put(o, "..", 2);
            rf__svg_text_range(o, s, len, cps - (size_t)chars + 2, cps);
        } else {
            rf__svg_text_range(o, s, len, 0, (size_t)chars - 2);
            rf__svg_put(o, "..", 2);
        }
    }
    rf__svg_put(o, "</text></g>\n", 12);
}

static void rf__svg_attr_num(rf__svg_out *o, const char *name, double v) {
    char *d = rf__svg_room(o, 96);
    size_t k = strlen(name);
    memcpy(d, name, k);
    d[k++] = '=';
    d[k++] = '"';
    k += rf__svg_dec1(d + k, v);
    d[k++] = '"';
    o->len += k;
}

static void rf__svg_head(rf__svg_w *w, rf__svg_out *o, double height) {
    const char *P = w->c.prefix;
    rf__svg_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg version=\"1.1\" id=\"");
    rf__svg_puts(o, P);
    rf__svg_puts(o, "\" ");
    rf__svg_attr_num(o, "width", w->c.width);
    rf__svg_puts(o, " ");
    rf__svg_attr_num(o, "height", height);
    rf__svg_puts(o, " viewBox=\"0 0 ");
    {
        char *d = rf__svg_room(o, 64);
        size_t k = rf__svg_dec1(d, w->c.width);
        d[k++] = ' ';
        k += rf__svg_dec1(d + k, height);
        o->len += k;
    }
    rf__svg_puts(o, "\" xmlns=\"http://www.w3.org/2000/svg\">\n"
                    "<!-- Flame graph by resq-flame. Interactive in a browser: click to zoom, Ctrl+F to search. "
                    "It embeds its call tree, so resq-flame can read it back as input. -->\n");
    if (w->c.notes) {
        /* an XML comment may not hold "--" nor end with "-" */
        const char *s = w->c.notes;
        size_t i, n = strlen(s), from = 0;
        rf__svg_puts(o, "<!-- NOTES: ");
        for (i = 0; i < n; i++)
            if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
                rf__svg_text_range(o, (const unsigned char *)s + from, i + 1 - from, 0, (size_t)-1);
                rf__svg_puts(o, " ");
                from = i + 1;
            }
        rf__svg_text_range(o, (const unsigned char *)s + from, n - from, 0, (size_t)-1);
        rf__svg_puts(o, n && s[n - 1] == '-' ? " -->\n" : " -->\n");
    }
    rf__svg_puts(o, "<defs><linearGradient id=\"");
    rf__svg_puts(o, P);
    rf__svg_puts(o, "-bg\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\"><stop stop-color=\"");
    rf__svg_puts(o, w->c.bg1);
    rf__svg_puts(o, "\" offset=\"5%\"/><stop stop-color=\"");
    rf__svg_puts(o, w->c.bg2);
    rf__svg_puts(o, "\" offset=\"95%\"/></linearGradient></defs>\n<style>#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, " text{font-family:");
    rf__svg_puts(o, w->c.fonttype);
    rf__svg_puts(o, ";font-size:");
    {
        char *d = rf__svg_room(o, 64);
        size_t k = rf__svg_dec1(d, w->c.fontsize);
        o->len += k;
    }
    rf__svg_puts(o, "px;fill:#000}#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, " .rf-t{font-size:");
    {
        char *d = rf__svg_room(o, 64);
        size_t k = rf__svg_dec1(d, w->c.fontsize + 5);
        o->len += k;
    }
    rf__svg_puts(o, "px;text-anchor:middle}#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, " .rf-s{fill:#a0a0a0;text-anchor:middle}#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, " .rf-b{cursor:pointer}#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, " .rf-f g{cursor:pointer}#");
    rf__svg_puts(o, P);
    /* frames sit in row groups: only the hovered frame, not its whole row */
    rf__svg_puts(o, " .rf-f>g>g:hover>rect{stroke:#000;stroke-width:.5}#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, " .rf-f text{pointer-events:none}</style>\n<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"url(#");
    rf__svg_puts(o, P);
    rf__svg_puts(o, "-bg)\"/>\n<text class=\"rf-t\" x=\"50%\" ");
    rf__svg_attr_num(o, "y", w->c.fontsize * 2);
    rf__svg_puts(o, ">");
    rf__svg_text(o, w->c.title);
    rf__svg_puts(o, "</text>\n");
    if (w->c.subtitle) {
        rf__svg_puts(o, "<text class=\"rf-s\" x=\"50%\" ");
        rf__svg_attr_num(o, "y", w->c.fontsize * 4);
        rf__svg_puts(o, ">");
        rf__svg_text(o, w->c.subtitle);
        rf__svg_puts(o, "</text>\n");
    }
}

/* Writes <tag id="P-name" x= y= [class/style]>text</text>. */
static void rf__svg_label(rf__svg_w *w, rf__svg_out *o, const char *name, double x, double y, const char *extra, const char *text) {
    rf__svg_puts(o, "<text id=\"");
    rf__svg_puts(o, w->c.prefix);
    rf__svg_puts(o, "-");
    rf__svg_puts(o, name);
    rf__svg_puts(o, "\" ");
    rf__svg_attr_num(o, "x", x);
    rf__svg_puts(o, " ");
    rf__svg_attr_num(o, "y", y);
    rf__svg_puts(o, extra);
    rf__svg_puts(o, ">");
    rf__svg_puts(o, text);
    rf__svg_puts(o, "</text>\n");
}

typedef struct rf__svg_rev_ctx { rf_profile *dst; int decimals; rf_result r; rf_strview *tmp; size_t cap; } rf__svg_rev_ctx;

static int rf__svg_rev_cb(void *vctx, const rf_strview *frames, size_t n, const int64_t *self) {
    rf__svg_rev_ctx *c = (rf__svg_rev_ctx *)vctx;
    size_t i;
    if (n > c->cap) {
        c->r = rf__grow(&c->dst->al, (void **)&c->tmp, &c->cap, n, sizeof(rf_strview));
        if (c->r) return 1;
    }
    for (i = 0; i < n; i++) c->tmp[i] = frames[n - 1 - i];
    c->r = rf__profile_add_views(c->dst, c->tmp, n, self[0], self[1], c->decimals);
    return c->r != RF_OK;
}

/* The stack-reversed copy of p (same columns, decimals and metadata). */
static rf_result rf__svg_reversed(const rf_profile *p, rf_profile **out) {
    rf__svg_rev_ctx c;
    rf_profile *q = rf_profile_new(&p->al);
    rf_result r;
    *out = NULL;
    if (!q) return RF_ERR_OUT_OF_MEMORY;
    memset(&c, 0, sizeof c);
    c.dst = q;
    c.decimals = p->decimals;
    r = rf__set_columns(q, p->columns);
    if (r == RF_OK) r = rf_profile_foreach_stack(p, rf__svg_rev_cb, &c);
    if (c.r != RF_OK) r = c.r;
    if (r == RF_OK && p->unit) r = rf_profile_set_unit(q, p->unit);
    if (r == RF_OK && p->sample_type) r = rf_profile_set_sample_type(q, p->sample_type);
    if (r == RF_OK && q->decimals < p->decimals && !rf__profile_rescale(q, p->decimals)) r = RF_ERR_OVERFLOW;
    rf__free(&q->al, c.tmp, c.cap * sizeof(rf_strview));
    if (r != RF_OK) { rf_profile_free(q); return r; }
    q->samples = p->samples;
    *out = q;
    return RF_OK;
}

static void rf__svg_free(rf__svg_w *w) {
    size_t n = w->n ? w->n : 1, nn = w->p ? w->p->nnames + 1 : 1;
    rf__free(w->al, w->kid_off, (n + 1) * sizeof(uint32_t));
    rf__free(w->al, w->kids, n * sizeof(uint32_t));
    rf__free(w->al, w->pre, n * sizeof(uint32_t));
    rf__free(w->al, w->x, n * sizeof(double));
    rf__free(w->al, w->lt, n * sizeof(int64_t));
    rf__free(w->al, w->drawn, n);
    rf__free(w->al, w->kept, n);
    rf__free(w->al, w->name_out, nn * sizeof(uint32_t));
    rf__ids_free(w->al, &w->names);
    rf__buf_free(w->al, &w->data);
}

/* Frames by row (depth), in preorder within a row. */
static rf_result rf__svg_frames(rf__svg_w *w, rf__svg_out *o) {
    const rf_profile *p = w->p;
    size_t rows = (size_t)w->dmax + 1, i, *row_start;
    uint32_t *by_row;
    row_start = (size_t *)rf__svg_alloc(w, rows + 1, sizeof(size_t));
    by_row = (uint32_t *)rf__svg_alloc(w, w->drawn_count, sizeof(uint32_t));
    if (!row_start || !by_row) {
        rf__free(w->al, row_start, (rows + 1) * sizeof(size_t));
        rf__free(w->al, by_row, (w->drawn_count ? w->drawn_count : 1) * sizeof(uint32_t));
        return RF_ERR_OUT_OF_MEMORY;
    }
    memset(row_start, 0, (rows + 1) * sizeof(size_t));
    for (i = 0; i < w->n; i++)
        if (w->drawn[w->pre[i]]) row_start[p->nodes[w->pre[i]].depth + 1]++;
    for (i = 0; i < rows; i++) row_start[i + 1] += row_start[i];
    for (i = 0; i < w->n; i++) {
        uint32_t id = w->pre[i];
        if (w->drawn[id]) by_row[row_start[p->nodes[id].depth]++] = id;
    }
    for (i = rows; i > 0; i--) row_start[i] = row_start[i - 1];
    row_start[0] = 0;
    rf__svg_puts(o, "<g id=\"");
    rf__svg_puts(o, w->c.prefix);
    rf__svg_puts(o, "-frames\" class=\"rf-f\">\n");
    for (i = 0; i < rows; i++) {
        size_t j;
        double y = w->c.inverted ? w->ypad1 + w->ypad3 + (double)i * w->c.fh
                                 : w->h0 - w->ypad2 - (double)(i + 1) * w->c.fh + 1;
        char *d = rf__svg_room(o, 64);
        size_t k;
        memcpy(d, "<g transform=\"translate(0,", 26);
        k = 26 + rf__svg_dec1(d + 26, y);
        memcpy(d + k, ")\">\n", 4);
        o->len += k + 4;
        for (j = row_start[i]; j < row_start[i + 1]; j++) {
            uint32_t id = by_row[j];
            double wd = id == 0 ? w->span : (double)rf__svg_ltot(w, id) * w->scale;
            rf__svg_frame(w, o, id, w->x[id], wd, 3 + (w->c.fh - 1) / 2);
        }
        rf__svg_puts(o, "</g>\n");
    }
    rf__svg_puts(o, "</g>\n");
    rf__free(w->al, row_start, (rows + 1) * sizeof(size_t));
    rf__free(w->al, by_row, (w->drawn_count ? w->drawn_count : 1) * sizeof(uint32_t));
    return RF_OK;
}

/* [rf:svg-js] the script (generated from tools/svg/flamegraph.js by tools/svg/embed.py) */
/* [rf:svg-js begin] */
static const char *const rf__svg_js[] = {
    "(function () {\n",
    "'use strict';\n",
    "var script = document.currentScript, all;\n",
    "if (!script) {\n",
    "all = document.getElementsByTagName('script');\n",
    "script = all[all.length - 1];\n",
    "}\n",
    "var svg = script.ownerSVGElement || script.parentNode;\n",
    "var P = svg.getAttribute('id');\n",
    "function part(name) { return svg.querySelector('[id=\"' + P + '-' + name + '\"]'); }\n",
    "var dataEl = part('data');\n",
    "if (!dataEl) return;\n",
    "var D = JSON.parse(dataEl.textContent), C = D.cfg;\n",
    "var NS = 'http://www.w3.org/2000/svg';\n",
    "var frames = part('frames'), details = part('details'), matchedEl = part('matched');\n",
    "var unzoomBtn = part('unzoom'), searchBtn = part('search'), icBtn = part('ic');\n",
    "var standalone = svg === document.documentElement;\n",
    "var cols = D.cols, rec = 2 + cols * (D.pruned ? 2 : 1), T = D.tree, n = T.length / rec;\n",
    "var layout = cols !== 2 ? 0 : C.widthfrom === 'before' ? 0 : C.widthfrom === 'max' ? 2 : 1;\n",
    "var nameOf = new Int32Array(n), par = new Int32Array(n), dep = new Int32Array(n);\n",
    "var end = new Int32Array(n), W = new Float64Array(n), G = new Float64Array(n);\n",
    "var S0 = new Float64Array(n), S1 = cols === 2 ? new Float64Array(n) : S0; /* self, as recorded */\n",
    "var W0 = cols === 2 ? new Float64Array(n) : W, W1 = cols === 2 ? new Float64Array(n) : W;\n",
    "var F1 = cols === 2 ? new Float64Array(n) : G; /* after's self, left-out weight included */\n",
    "var stack = [], left = [], i, j, o, g0, g1;\n",
    "for (i = 0; i < n; i++) {\n",
    "o = i * rec;\n",
    "nameOf[i] = T[o];\n",
    "S0[i] = T[o + 2];\n",
    "g0 = S0[i] + (D.pruned ? T[o + 2 + cols] : 0);\n",
    "if (cols === 2) {\n",
    "S1[i] = T[o + 3];\n",
    "g1 = S1[i] + (D.pruned ? T[o + 3 + cols] : 0);\n",
    "W0[i] = g0;\n",
    "W1[i] = F1[i] = g1;\n",
    "}\n",
    "G[i] = layout === 0 ? g0 : layout === 1 ? g1 : Math.max(g0, g1);\n",
    "W[i] = G[i];\n",
    "par[i] = stack.length ? stack[stack.length - 1] : -1;\n",
    "dep[i] = stack.length;\n",
    "if (T[o + 1] > 0) {\n",
    "stack.push(i);\n",
    "left.push(T[o + 1]);\n",
    "continue;\n",
    "}\n",
    "end[i] = i + 1;\n",
    "while (stack.length) { /* close every ancestor whose last child this was */\n",
    "j = stack.length - 1;\n",
    "if (--left[j] > 0) break;\n",
    "end[stack.pop()] = i + 1;\n",
    "left.pop();\n",
    "}\n",
    "}\n",
    "for (i = n - 1; i > 0; i--) W[par[i]] += W[i];\n",
    "if (cols === 2) {\n",
    "for (i = n - 1; i > 0; i--) { W0[par[i]] += W0[i]; W1[par[i]] += W1[i]; }\n",
    "}\n",
    "var total = Math.max(W[0], C.total || 0);\n",
    "var total0 = Math.max(W0[0], C.total || 0), total1 = Math.max(W1[0], C.total || 0);\n",
    "var pow10 = Math.pow(10, D.dec);\n",
    "var BAD = /[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufffe\\uffff]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]/g;\n",
    "function clean(s) { return s.replace(/_\\[[kwij]\\]$/, '').replace(BAD, '\\ufffd'); }\n",
    "var shown = D.names.map(clean);\n",
    "shown[nameOf[0]] = 'all';\n",
    "var codepoints = shown.map(function (s) { return /[\\ud800-\\udfff]/.test(s) ? Array.from(s) : null; });\n",
    "function commify(s) {\n",
    "var neg = s.charAt(0) === '-', dot, ip;\n",
    "if (neg) s = s.slice(1);\n",
    "dot = s.indexOf('.');\n",
    "ip = dot < 0 ? s : s.slice(0, dot);\n",
    "return (neg ? '-' : '') + ip.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ',') + (dot < 0 ? '' : s.slice(dot));\n",
    "}\n",
    "function fixed(r, dec) { /* integer r as r / 10^dec, trailing fraction zeros trimmed */\n",
    "var neg = r < 0, s = String(Math.abs(r)), ip, fp;\n",
    "if (dec > 0) {\n",
    "while (s.length <= dec) s = '0' + s;\n",
    "ip = s.slice(0, s.length - dec);\n",
    "fp = s.slice(s.length - dec).replace(/0+$/, '');\n",
    "s = fp ? ip + '.' + fp : ip;\n",
    "}\n",
    "return (neg && s !== '0' ? '-' : '') + s;\n",
    "}\n",
    "function count(w) {\n",
    "if (C.factor === 1) return commify(fixed(w, D.dec));\n",
    "return commify(fixed(Math.floor(w / pow10 * C.factor * pow10 + 0.5), D.dec));\n",
    "}\n",
    "function pct(w, of) { /* two decimals, half up, as the C writer (\"0.00\" of nothing) */\n",
    "var h = of > 0 ? Math.floor(Math.abs(100 * w / of) * 100 + 0.5) : 0, s = String(h % 100);\n",
    "return Math.floor(h / 100) + '.' + (s.length < 2 ? '0' + s : s);\n",
    "}\n",
    "function hex2(v) { return (v < 16 ? '0' : '') + v.toString(16); }\n",
    "function colour(i) {\n",
    "var nm = D.names[nameOf[i]], v, r = 255, g = 255, b = 255, m = C.maxdelta;\n",
    "if (cols !== 2 || nm === '-' || nm === '--') return '#' + D.colors.substr(6 * nameOf[i], 6);\n",
    "v = S1[i] - S0[i];\n",
    "if (C.negate) v = -v;\n",
    "if (v > 0) g = b = Math.floor(210 * (m - v) / m);\n",
    "else if (v < 0) r = g = Math.floor(210 * (m + v) / m);\n",
    "return '#' + hex2(r) + hex2(g) + hex2(b);\n",
    "}\n",
    "function title(i) { /* the C writer's: real counts, whatever the layout */\n",
    "var t = shown[nameOf[i]] + ' (' + count(W1[i]) + ' ' + C.countname + ', ' + pct(W1[i], total1) + '%', d;\n",
    "if (cols === 2) {\n",
    "d = S1[i] - S0[i];\n",
    "if (C.negate) d = -d;\n",
    "t += '; before ' + count(W0[i]) + ', ' + pct(W0[i], total0) + '%, ' + (d > 0 ? '+' : d < 0 ? '-' : '') +\n",
    "pct(d, total1 > 0 ? total1 : total0) + '%';\n",
    "}\n",
    "return t + ')';\n",
    "}\n",
    "function label(i, width) { /* as flamegraph.pl: whole characters that fit, \"..\" when cut */\n",
    "var chars = Math.floor(width / (C.fontsize * C.fontwidth)), s = shown[nameOf[i]], cp, len;\n",
    "if (chars < 3) return '';\n",
    "cp = codepoints[nameOf[i]];\n",
    "len = cp ? cp.length : s.length;\n",
    "if (len <= chars) return s;\n",
    "if (C.truncate === 'left')\n",
    "return '..' + (cp ? cp.slice(len - chars + 2).join('') : s.slice(len - chars + 2));\n",
    "return (cp ? cp.slice(0, chars - 2).join('') : s.slice(0, chars - 2)) + '..';\n",
    "}\n",
    "var zoomed = 0, searching = null, ignoreCase = false, match = null, matchedText = '';\n",
    "var cursor = new Float64Array(n), fnode = [], xs = [], ws = [];\n",
    "var rows = [], zrows = [], el = new Array(n), onScreen = [], orphans = [], pass = 0, svgH = C.h0;\n",
    "var start = new Float64Array(n);\n",
    "(function () {\n",
    "var k;\n",
    "for (k = 0; k < n; k++) {\n",
    "if (k > 0) { start[k] = cursor[par[k]]; cursor[par[k]] += W[k]; }\n",
    "cursor[k] = start[k] + (C.selfleft ? G[k] : 0);\n",
    "}\n",
    "})();\n",
    "function nominalX(i) { return C.xpad + start[i] * (C.width - 2 * C.xpad) / total; }\n",
    "function rowY(d, h) {\n",
    "return C.inverted ? C.ypad1 + C.ypad3 + d * C.height : h - C.ypad2 - (d + 1) * C.height + C.framepad;\n",
    "}\n",
    "function one(v) { return Math.round(v * 10) / 10; }\n",
    "function place(span, z) {\n",
    "var minw = C.minpct ? C.minpct / 100 * span : C.minwidth;\n",
    "var scale = span / (z ? W[z] : total), maxd = 0, a, x, w;\n",
    "fnode.length = xs.length = ws.length = 0;\n",
    "for (a = par[z]; a >= 0; a = par[a]) { fnode.push(a); xs.push(C.xpad); ws.push(span); }\n",
    "for (i = z; i < end[z];) {\n",
    "w = i === z ? span : W[i] * scale;\n",
    "if (i === z) x = C.xpad;\n",
    "else { x = cursor[par[i]]; cursor[par[i]] += w; }\n",
    "if (w < minw || (i !== z && W[i] <= 0)) { i = end[i]; continue; }\n",
    "fnode.push(i); xs.push(x); ws.push(w);\n",
    "if (dep[i] > maxd) maxd = dep[i];\n",
    "cursor[i] = x + (C.selfleft ? G[i] * scale : 0);\n",
    "i++;\n",
    "}\n",
    "return maxd;\n",
    "}\n",
    "function cache(g, i) {\n",
    "var r = g.firstElementChild.nextElementSibling;\n",
    "g.__rf = { i: i, r: r, t: r.nextElementSibling, x: null, w: null, fill: null, label: '', op: '', hidden: false, pass: 0, zl: false };\n",
    "return g.__rf;\n",
    "}\n",
    "function make(i, zl) {\n",
    "var g = document.createElementNS(NS, 'g'), t = document.createElementNS(NS, 'title');\n",
    "var r = document.createElementNS(NS, 'rect');\n",
    "t.textContent = title(i);\n",
    "r.setAttribute('height', C.height - C.framepad);\n",
    "g.appendChild(t);\n",
    "g.appendChild(r);\n",
    "cache(g, i).zl = zl;\n",
    "row(dep[i], zl).g.appendChild(g);\n",
    "return g;\n",
    "}\n",
    "function row(d, zl) {\n",
    "var g, set = zl ? zrows : rows;\n",
    "while (set.length <= d) {\n",
    "g = document.createElementNS(NS, 'g');\n",
    "frames.appendChild(g);\n",
    "set.push({ g: g, y: null, hidden: false });\n",
    "}\n",
    "return set[d];\n",
    "}\n",
    "function moveRow(rw, y, off) {\n",
    "if (rw.y === y && !rw.off === !off) return;\n",
    "rw.y = y;\n",
    "rw.off = off;\n",
    "rw.g.setAttribute('transform', 'translate(' + (off ? -1e6 : 0) + ',' + y + ')');\n",
    "}\n",
    "function showRow(rw, on) {\n",
    "if (rw.hidden === on) { rw.hidden = !on; rw.g.style.display = on ? '' : 'none'; }\n",
    "}\n",
    "function adopt() {\n",
    "var kids = frames.children, maxd = place(C.width - 2 * C.xpad, 0), counts = [], at = [], maps = [];\n",
    "var d, k, g, c, r, s, list, byTitle, tt, fast;\n",
    "for (d = 0; d < kids.length; d++) {\n",
    "tt = /^translate\\(0,([^)]*)\\)$/.exec(kids[d].getAttribute('transform') || '');\n",
    "rows.push({ g: kids[d], y: tt ? +tt[1] : null, hidden: false });\n",
    "counts.push(0);\n",
    "at.push(0);\n",
    "}\n",
    "for (k = 0; k < fnode.length; k++) if (dep[fnode[k]] < rows.length) counts[dep[fnode[k]]]++;\n",
    "for (k = 0; k < fnode.length; k++) {\n",
    "i = fnode[k];\n",
    "d = dep[i];\n",
    "if (d >= rows.length) continue;\n",
    "list = rows[d].g.children;\n",
    "fast = !D.pruned && maxd + 1 === rows.length && counts[d] === list.length;\n",
    "if (fast) g = list[at[d]++];\n",
    "else {\n",
    "if (!maps[d]) { /* this row by title, once */\n",
    "byTitle = maps[d] = new Map();\n",
    "for (s = 0; s < list.length; s++) {\n",
    "tt = list[s].firstElementChild.textContent;\n",
    "if (!byTitle.has(tt)) byTitle.set(tt, []);\n",
    "byTitle.get(tt).push(list[s]);\n",
    "}\n",
    "}\n",
    "s = maps[d].get(title(i));\n",
    "if (!s || !s.length) continue;\n",
    "g = s.shift();\n",
    "}\n",
    "c = cache(g, i);\n",
    "r = c.r;\n",
    "c.x = +r.getAttribute('x');\n",
    "c.w = +r.getAttribute('width');\n",
    "c.fill = r.getAttribute('fill');\n",
    "c.label = c.t ? c.t.textContent : '';\n",
    "if (fast && (c.x !== one(xs[k]) || c.w !== one(ws[k]))) c.i = -1;\n",
    "el[i] = g;\n",
    "onScreen.push(i);\n",
    "}\n",
    "for (d = 0; d < rows.length; d++) {\n",
    "list = rows[d].g.children;\n",
    "for (s = 0; s < list.length; s++) if (!list[s].__rf) { cache(list[s], -1); orphans.push(list[s]); }\n",
    "}\n",
    "}\n",
    "function render() {\n",
    "var width = svg.getBoundingClientRect().width || C.width;\n",
    "var span = width - 2 * C.xpad, z = zoomed, maxd = place(span, z), h, d, k, g, c, r, t, x, w, y, nm, rw;\n",
    "var was = onScreen, zl = z !== 0, set = zl ? zrows : rows, other = zl ? rows : zrows;\n",
    "h = (maxd + 1) * C.height + C.ypad1 + C.ypad2 + C.ypad3;\n",
    "if (svgH !== h) { svgH = h; svg.setAttribute('height', h); }\n",
    "pass++;\n",
    "for (d = 0; d <= maxd; d++) {\n",
    "rw = row(d, zl);\n",
    "y = rowY(d, h);\n",
    "moveRow(rw, y, false);\n",
    "showRow(rw, true);\n",
    "}\n",
    "for (; d < set.length; d++) showRow(set[d], false);\n",
    "for (d = 0; d < other.length; d++) {\n",
    "if (zl) moveRow(other[d], other[d].y || 0, true);\n",
    "else showRow(other[d], false);\n",
    "}\n",
    "onScreen = [];\n",
    "for (k = 0; k < fnode.length; k++) {\n",
    "i = fnode[k];\n",
    "g = el[i] || (el[i] = make(i, zl));\n",
    "c = g.__rf;\n",
    "if (c.zl !== zl) { c.zl = zl; set[dep[i]].g.appendChild(g); }\n",
    "c.pass = pass;\n",
    "onScreen.push(i);\n",
    "r = c.r;\n",
    "x = one(xs[k]); w = one(ws[k]);\n",
    "if (c.i !== i) { c.i = i; g.firstElementChild.textContent = title(i); }\n",
    "if (c.x !== x) { c.x = x; r.setAttribute('x', x); if (c.t) c.t.setAttribute('x', one(xs[k] + 3)); }\n",
    "if (c.w !== w) { c.w = w; r.setAttribute('width', w); }\n",
    "nm = match && isMatch(i) ? C.searchcolor : colour(i);\n",
    "if (c.fill !== nm) { c.fill = nm; r.setAttribute('fill', nm); }\n",
    "nm = label(i, ws[k]);\n",
    "if (c.label !== nm) {\n",
    "c.label = nm;\n",
    "if (!c.t) { /* labels are made when first needed: narrow frames have none */\n",
    "t = c.t = document.createElementNS(NS, 'text');\n",
    "t.setAttribute('x', one(xs[k] + 3));\n",
    "t.setAttribute('y', 3 + (C.height - C.framepad) / 2);\n",
    "g.appendChild(t);\n",
    "}\n",
    "c.t.textContent = nm;\n",
    "}\n",
    "nm = dep[i] < dep[z] ? '0.5' : '';\n",
    "if (c.op !== nm) { c.op = nm; g.style.opacity = nm; }\n",
    "if (c.hidden) { c.hidden = false; g.style.display = ''; }\n",
    "}\n",
    "for (k = 0; k < was.length; k++) {\n",
    "g = el[was[k]];\n",
    "c = g.__rf;\n",
    "if (c.pass === pass) continue;\n",
    "if (c.zl) { c.zl = false; row(dep[was[k]], false).g.appendChild(g); } /* home, out of the zoomed view */\n",
    "if (rows[dep[was[k]]].hidden || rows[dep[was[k]]].off) onScreen.push(was[k]); /* still to hide when its row returns */\n",
    "else if (!c.hidden) { c.hidden = true; g.style.display = 'none'; }\n",
    "}\n",
    "for (k = 0; k < orphans.length; k++) orphans[k].style.display = 'none';\n",
    "orphans.length = 0;\n",
    "details.setAttribute('y', h - C.ypad2 / 2);\n",
    "matchedEl.setAttribute('y', h - C.ypad2 / 2);\n",
    "matchedEl.setAttribute('x', width - C.xpad - 100);\n",
    "searchBtn.setAttribute('x', width - C.xpad - 100);\n",
    "icBtn.setAttribute('x', width - C.xpad - 16);\n",
    "unzoomBtn.style.opacity = z ? '1' : '0';\n",
    "unzoomBtn.style.pointerEvents = z ? '' : 'none';\n",
    "showMatched();\n",
    "}\n",
    "function isMatch(i) { return match[nameOf[i]] === 1; }\n",
    "function showMatched() {\n",
    "var z = zoomed, hit = 0, a, k, of = z ? W[z] : total, inside;\n",
    "if (!match) { matchedEl.textContent = ' '; matchedEl.style.opacity = '0'; return; }\n",
    "inside = z > 0 && isMatch(z);\n",
    "for (a = par[z]; a > 0; a = par[a]) if (isMatch(a)) inside = true;\n",
    "if (inside) hit = of; /* the whole view lies under a matching frame */\n",
    "else {\n",
    "for (k = z; k < end[z];) {\n",
    "if (k > 0 && isMatch(k)) { hit += W[k]; k = end[k]; } else k++;\n",
    "}\n",
    "}\n",
    "k = 100 * hit / of;\n",
    "matchedText = 'Matched: ' + (k === 100 ? '100' : k.toFixed(1)) + '%';\n",
    "matchedEl.textContent = matchedText;\n",
    "matchedEl.style.opacity = '1';\n",
    "}\n",
    "function search(term) {\n",
    "var re, k;\n",
    "if (!term) { resetSearch(); return; }\n",
    "try { re = new RegExp(term, ignoreCase ? 'i' : ''); } catch (e) {\n",
    "details.textContent = 'Invalid regular expression: ' + term;\n",
    "return;\n",
    "}\n",
    "match = new Uint8Array(shown.length);\n",
    "for (k = 0; k < shown.length; k++) match[k] = re.test(shown[k]) ? 1 : 0;\n",
    "match[nameOf[0]] = 0;\n",
    "searching = term;\n",
    "searchBtn.textContent = 'Reset Search';\n",
    "searchBtn.style.opacity = '1';\n",
    "setParam('s', term);\n",
    "render();\n",
    "}\n",
    "function resetSearch() {\n",
    "match = null;\n",
    "searching = null;\n",
    "searchBtn.textContent = 'Search';\n",
    "searchBtn.style.opacity = '0.1';\n",
    "setParam('s', null);\n",
    "render();\n",
    "}\n",
    "function searchPrompt() {\n",
    "var term;\n",
    "if (searching !== null) { resetSearch(); return; }\n",
    "term = window.prompt('Enter a search term (regexp allowed, eg: ^ext4_)' +\n",
    "(ignoreCase ? ', ignoring case' : ''), '');\n",
    "if (term !== null) search(term);\n",
    "}\n",
    "function toggleCase() {\n",
    "ignoreCase = !ignoreCase;\n",
    "icBtn.style.opacity = ignoreCase ? '1' : '0.1';\n",
    "if (searching !== null) search(searching);\n",
    "}\n",
    "function paramName(k) { return standalone ? k : P + '-' + k; }\n",
    "function setParam(k, v) {\n",
    "var q;\n",
    "try {\n",
    "q = new URLSearchParams(window.location.search);\n",
    "if (v === null) q.delete(paramName(k)); else q.set(paramName(k), v);\n",
    "q = q.toString();\n",
    "window.history.replaceState(window.history.state, '', window.location.pathname + (q ? '?' + q : '') + window.location.hash);\n",
    "} catch (e) { /* file: URLs in some browsers refuse; the state is only a convenience */ }\n",
    "}\n",
    "function zoom(i) {\n",
    "zoomed = i > 0 ? i : 0;\n",
    "if (zoomed) {\n",
    "setParam('x', one(nominalX(zoomed)).toFixed(1));\n",
    "setParam('y', rowY(dep[zoomed], C.h0));\n",
    "} else { setParam('x', null); setParam('y', null); }\n",
    "render();\n",
    "}\n",
    "function restore() {\n",
    "var q = new URLSearchParams(window.location.search), x, y, d, k, x1;\n",
    "if (q.get(paramName('x')) !== null && q.get(paramName('y')) !== null) {\n",
    "x = parseFloat(q.get(paramName('x')));\n",
    "y = parseFloat(q.get(paramName('y')));\n",
    "d = C.inverted ? Math.round((y - C.ypad1 - C.ypad3) / C.height)\n",
    ": Math.round((C.h0 - C.ypad2 + C.framepad - y) / C.height) - 1;\n",
    "for (k = 1; k < n; k++) {\n",
    "if (dep[k] !== d || W[k] <= 0) continue;\n",
    "x1 = nominalX(k);\n",
    "if (x + 0.05 >= x1 && x + 0.05 < x1 + W[k] * (C.width - 2 * C.xpad) / total) { zoomed = k; break; }\n",
    "}\n",
    "}\n",
    "if (q.get(paramName('s'))) search(q.get(paramName('s')));\n",
    "else render();\n",
    "}\n",
    "function frameOf(e) {\n",
    "var g = e.target.closest ? e.target.closest('g') : null;\n",
    "return g && g.__rf && g.parentNode.parentNode === frames ? g.__rf.i : -1;\n",
    "}\n",
    "frames.addEventListener('click', function (e) {\n",
    "var i = frameOf(e);\n",
    "if (i >= 0) zoom(i);\n",
    "});\n",
    "frames.addEventListener('mouseover', function (e) {\n",
    "var i = frameOf(e), of;\n",
    "if (i < 0) return;\n",
    "of = zoomed ? W[zoomed] : total;\n",
    "details.textContent = C.nametype + ' ' + title(i).slice(0, -1) + ', ' + pct(W[i], of) + '% of zoom, self ' +\n",
    "count(F1[i]) + ' ' + C.countname + ')';\n",
    "});\n",
    "frames.addEventListener('mouseout', function () { details.textContent = ' '; });\n",
    "unzoomBtn.addEventListener('click', function () { zoom(0); });\n",
    "searchBtn.addEventListener('click', searchPrompt);\n",
    "searchBtn.addEventListener('mouseover', function () { searchBtn.style.opacity = '1'; });\n",
    "searchBtn.addEventListener('mouseout', function () { searchBtn.style.opacity = searching !== null ? '1' : '0.1'; });\n",
    "icBtn.addEventListener('click', toggleCase);\n",
    "var active = standalone, hovered = false;\n",
    "svg.addEventListener('mouseenter', function () { hovered = true; });\n",
    "svg.addEventListener('mouseleave', function () { hovered = false; });\n",
    "document.addEventListener('pointerdown', function (e) { active = standalone || svg.contains(e.target); }, true);\n",
    "window.addEventListener('keydown', function (e) {\n",
    "if (!active && !hovered) return;\n",
    "if (e.key === 'F3' || ((e.ctrlKey || e.metaKey) && (e.key === 'f' || e.key === 'F'))) {\n",
    "e.preventDefault();\n",
    "searchPrompt();\n",
    "} else if ((e.ctrlKey || e.metaKey) && (e.key === 'i' || e.key === 'I')) {\n",
    "e.preventDefault();\n",
    "toggleCase();\n",
    "} else if (e.key === 'Escape') {\n",
    "if (zoomed) zoom(0); else if (searching !== null) resetSearch();\n",
    "}\n",
    "});\n",
    "var pending = false;\n",
    "window.addEventListener('resize', function () {\n",
    "if (pending) return;\n",
    "pending = true;\n",
    "window.requestAnimationFrame(function () { pending = false; render(); });\n",
    "});\n",
    "svg.setAttribute('width', '100%');\n",
    "svg.removeAttribute('viewBox');\n",
    "adopt();\n",
    "restore();\n",
    "})();\n",
};
/* [rf:svg-js end] */

RF_API rf_result rf_write_svg(const rf_profile *p0, const rf_svg_options *opt, rf_write_fn fn, void *ctx) {
    rf__svg_w w;
    rf__svg_out o;
    rf_profile *rev = NULL;
    const char *bad;
    rf_result r;
    size_t i;
    int empty;
    char num[64];
    if (!p0 || !fn) return RF_ERR_INVALID_ARGUMENT;
    memset(&w, 0, sizeof w);
    memset(&o, 0, sizeof o);
    if ((bad = rf__svg_resolve(opt, p0, &w.c)) != NULL) return RF_ERR_INVALID_ARGUMENT;
    w.al = &p0->al;
    if (w.c.reverse) {
        if ((r = rf__svg_reversed(p0, &rev)) != RF_OK) return r;
        w.p = rev;
    } else w.p = p0;
    w.cols = w.p->columns;
    w.col = w.cols - 1;
    w.dec = w.p->decimals;
    w.n = w.p->nnodes;
    o.fn = fn;
    o.ctx = ctx;
    o.buf = (char *)rf__malloc(w.al, RF__SVG_OUTCAP);
    if (!o.buf) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
    if (w.cols == 2 && w.c.width_from == RF_SVG_WIDTH_BEFORE) w.col = 0;
    if (w.cols == 2 && w.c.width_from == RF_SVG_WIDTH_MAX && (r = rf__svg_max_totals(&w)) != RF_OK) goto done;
    {
        static const double p10[10] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
        double t = w.c.total * p10[w.dec];
        int64_t root = rf__svg_ltot(&w, 0), root0 = rf__svg_tot(w.p, 0, 0), root1 = rf__svg_tot(w.p, 0, w.cols - 1);
        int64_t given = t > 0 && t < 9.0e18 ? (int64_t)t : 0;
        /* the options' total is kept where it is larger than a real total (layout >= both) */
        w.opt_total = given > (root0 < root1 ? root0 : root1) ? given : 0;
        w.timemax = w.opt_total > root ? w.opt_total : root;
        w.of0 = w.opt_total > root0 ? w.opt_total : root0;
        w.of1 = w.opt_total > root1 ? w.opt_total : root1;
    }
    w.maxdelta = 1;
    if (w.cols == 2)
        for (i = 0; i < w.n; i++) {
            int64_t d = rf__svg_self(w.p, (uint32_t)i, 1) - rf__svg_self(w.p, (uint32_t)i, 0);
            if (d < 0) d = -d;
            if (d > w.maxdelta) w.maxdelta = d;
        }
    w.ypad1 = w.c.fontsize * 3;
    w.ypad2 = w.c.fontsize * 2 + 10;
    w.ypad3 = w.c.subtitle ? w.c.fontsize * 2 : 0;
    w.span = w.c.width - 20;
    empty = rf__svg_ltot(&w, 0) <= 0;
    w.scale = empty ? 0 : w.span / (double)w.timemax;
    w.minw = w.c.minpct > 0 ? w.c.minpct / 100 * w.span : w.c.minwidth;
    if ((r = rf__svg_order(&w)) != RF_OK || (r = rf__svg_layout(&w)) != RF_OK) goto done;
    if (empty) {
        /* nothing to draw: keep only the root, so the data says "empty" too */
        memset(w.drawn, 0, w.n);
        w.dmax = 0;
        w.kept = (unsigned char *)rf__svg_alloc(&w, w.n, 1);
        if (!w.kept) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
        memset(w.kept, 0, w.n);
        w.kept[0] = 1;
        w.kept_count = 1;
    } else if ((r = rf__svg_budget(&w)) != RF_OK) goto done;
    w.h0 = (double)(w.dmax + 1) * w.c.fh + w.ypad1 + w.ypad2 + w.ypad3;
    if ((r = rf__svg_data(&w)) != RF_OK) goto done;
    if (!w.c.prefix[0]) {
        uint64_t h = rf__hash(w.data.data, w.data.len) ^ rf__hash(w.c.title, strlen(w.c.title));
        static const char hex[] = "0123456789abcdef";
        w.c.prefix[0] = 'f';
        w.c.prefix[1] = 'g';
        for (i = 0; i < 8; i++) w.c.prefix[2 + i] = hex[(h >> (60 - 4 * i)) & 15];
        w.c.prefix[10] = '\0';
    }
    rf__svg_head(&w, &o, w.h0);
    if (empty) {
        rf__svg_puts(&o, "<text class=\"rf-t\" x=\"50%\" ");
        rf__svg_attr_num(&o, "y", w.c.fontsize * 5);
        rf__svg_puts(&o, ">No samples</text>\n");
    } else {
        rf__svg_label(&w, &o, "details", 10, w.h0 - w.ypad2 / 2, "", " ");
        rf__svg_label(&w, &o, "unzoom", 10, w.c.fontsize * 2, " class=\"rf-b\" style=\"opacity:0\"", "Reset Zoom");
        rf__svg_label(&w, &o, "search", w.c.width - 110, w.c.fontsize * 2, " class=\"rf-b\" style=\"opacity:0.1\"", "Search");
        rf__svg_label(&w, &o, "ic", w.c.width - 26, w.c.fontsize * 2, " class=\"rf-b\" style=\"opacity:0.1\"", "ic");
        rf__svg_label(&w, &o, "matched", w.c.width - 110, w.h0 - w.ypad2 / 2, "", " ");
        if ((r = rf__svg_frames(&w, &o)) != RF_OK) goto done;
    }
    rf__svg_puts(&o, "<!-- The call tree (format: resq_flame.h, section [rf:svg])");
    if (w.pruned) {
        size_t k = rf__svg_u64(num, (uint64_t)(w.n - w.kept_count));
        rf__svg_puts(&o, "; cut to the size budget: ");
        rf__svg_put(&o, num, k);
        rf__svg_puts(&o, " of ");
        k = rf__svg_u64(num, (uint64_t)w.n);
        rf__svg_put(&o, num, k);
        rf__svg_puts(&o, " nodes left out");
    }
    rf__svg_puts(&o, " -->\n<script type=\"application/json\" id=\"");
    rf__svg_puts(&o, w.c.prefix);
    rf__svg_puts(&o, "-data\">");
    rf__svg_put(&o, w.data.data, w.data.len);
    rf__svg_puts(&o, "</script>\n");
    if (!empty) {
        rf__svg_puts(&o, "<script type=\"text/ecmascript\"><![CDATA[\n");
        for (i = 0; i < sizeof rf__svg_js / sizeof rf__svg_js[0]; i++) rf__svg_puts(&o, rf__svg_js[i]);
        rf__svg_puts(&o, "]]></script>\n");
    }
    rf__svg_puts(&o, "</svg>\n");
    rf__svg_flush(&o);
    r = o.err != RF_OK ? o.err : empty ? RF_ERR_EMPTY : RF_OK;
done:
    rf__free(w.al, o.buf, RF__SVG_OUTCAP);
    rf__svg_free(&w);
    if (rev) rf_profile_free(rev);
    (void)bad;
    return r;
}

/* ===== [rf:svg] foreign SVGs (PART A of transform.h) ======================
   SVGs written by flamegraph.pl and inferno carry no data block: they are read back from
   their frames, <g><title>NAME (N UNIT, P%)</title><rect x= y= width= .../></g>. y gives the
   depth (rows are evenly spaced; the root "all" is the bottom row, or the top one in an
   icicle graph), x/width (pixels, or percentages in inferno) the caller: the frame one row
   nearer the root whose span holds the middle of this one. A frame's self weight is its count
   minus its callees' counts. Both tools leave out frames narrower than their minwidth when
   they write the SVG, so that time shows as self time of the callers (a warning says so).
   Names lose the _[k]-style annotations those tools strip from titles. A resq-flame SVG that
   lost its data block is read the same way: its rects have no y, their row's
   <g transform="translate(0,Y)"> gives it. */

typedef struct rf__sf_frame {
    size_t name_off, name_len;
    int64_t count;     /* fixed-point, `dec` decimals until rescaled */
    int dec;
    double x, w, y;
    uint32_t parent;   /* index into the frame array; RF_NODE_NONE = none (yet) */
    int depth;
    uint32_t id;       /* interned name */
} rf__sf_frame;

typedef struct rf__sf {
    const rf_allocator *al;
    rf__sf_frame *f;
    size_t n, cap;
    rf__buf names;     /* unescaped names */
    rf__buf unit;
} rf__sf;

static const char *rf__sf_find(const char *h, const char *end, const char *needle) {
    size_t k = strlen(needle);
    while ((size_t)(end - h) >= k) {
        const char *q = (const char *)memchr(h, needle[0], (size_t)(end - h) - k + 1);
        if (!q) return NULL;
        if (!memcmp(q, needle, k)) return q;
        h = q + 1;
    }
    return NULL;
}

/* Appends the UTF-8 encoding of code point c. */
static rf_result rf__sf_utf8(const rf_allocator *al, rf__buf *b, uint32_t c) {
    char u[4];
    size_t k;
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
    if (c < 0x80) { u[0] = (char)c; k = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | (c >> 6)); u[1] = (char)(0x80 | (c & 63)); k = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12)); u[1] = (char)(0x80 | ((c >> 6) & 63)); u[2] = (char)(0x80 | (c & 63)); k = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18)); u[1] = (char)(0x80 | ((c >> 12) & 63));
        u[2] = (char)(0x80 | ((c >> 6) & 63)); u[3] = (char)(0x80 | (c & 63)); k = 4;
    }
    return rf__buf_append(al, b, u, k);
}

/* XML character data -> bytes (the five entities and numeric references). */
static rf_result rf__sf_unescape(const rf_allocator *al, rf__buf *b, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        const char *amp = (const char *)memchr(s + i, '&', n - i);
        const char *semi;
        size_t run = amp ? (size_t)(amp - (s + i)) : n - i, k;
        if (rf__buf_append(al, b, s + i, run)) return RF_ERR_OUT_OF_MEMORY;
        i += run;
        if (!amp) break;
        semi = (const char *)memchr(amp, ';', n - i < 12 ? n - i : 12);
        k = semi ? (size_t)(semi - amp) : 0;
        if (k == 3 && !memcmp(amp, "&lt", 3)) { if (rf__buf_append(al, b, "<", 1)) return RF_ERR_OUT_OF_MEMORY; }
        else if (k == 3 && !memcmp(amp, "&gt", 3)) { if (rf__buf_append(al, b, ">", 1)) return RF_ERR_OUT_OF_MEMORY; }
        else if (k == 4 && !memcmp(amp, "&amp", 4)) { if (rf__buf_append(al, b, "&", 1)) return RF_ERR_OUT_OF_MEMORY; }
        else if (k == 5 && !memcmp(amp, "&quot", 5)) { if (rf__buf_append(al, b, "\"", 1)) return RF_ERR_OUT_OF_MEMORY; }
        else if (k == 5 && !memcmp(amp, "&apos", 5)) { if (rf__buf_append(al, b, "'", 1)) return RF_ERR_OUT_OF_MEMORY; }
        else if (k >= 3 && amp[1] == '#') {
            uint32_t c = 0;
            size_t j = 2;
            int hex = amp[2] == 'x' || amp[2] == 'X';
            if (hex) j++;
            for (; j < k; j++) {
                char ch = amp[j];
                int d = ch >= '0' && ch <= '9' ? ch - '0' : !hex ? -1 : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                        : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
                if (d < 0) { c = 0xFFFD; break; }
                if (c < 0x110000) c = c * (hex ? 16u : 10u) + (uint32_t)d;
            }
            if (rf__sf_utf8(al, b, c)) return RF_ERR_OUT_OF_MEMORY;
        } else {
            k = 0; /* a lone '&': kept as it is */
            if (rf__buf_append(al, b, "&", 1)) return RF_ERR_OUT_OF_MEMORY;
        }
        i += k ? k + 1 : 1;
    }
    return RF_OK;
}

/* A decimal number (optionally negative) at s; *pct = 1 when a '%' follows. */
static int rf__sf_num(const char *s, const char *end, double *v, int *pct) {
    double x = 0, scale = 1;
    int neg = 0, any = 0;
    if (s < end && (*s == '-' || *s == '+')) neg = *s++ == '-';
    while (s < end && *s >= '0' && *s <= '9') { x = x * 10 + (*s++ - '0'); any = 1; }
    if (s < end && *s == '.') {
        s++;
        while (s < end && *s >= '0' && *s <= '9') { scale /= 10; x += (*s++ - '0') * scale; any = 1; }
    }
    if (!any) return 0;
    *v = neg ? -x : x;
    *pct = s < end && *s == '%';
    return 1;
}

/* The value of attribute `name` (e.g. " x=\"") inside tag[0..end). */
static int rf__sf_attr(const char *tag, const char *end, const char *name, double *v, int *pct) {
    const char *a = rf__sf_find(tag, end, name);
    return a && rf__sf_num(a + strlen(name), end, v, pct);
}

/* Splits "NAME (N UNIT, P%...)" at the last " (": name length, count, unit. */
static int rf__sf_title(const char *t, size_t n, size_t *name_len, int64_t *count, int *dec,
                        const char **unit, size_t *unit_len) {
    size_t open = n, i, j, k;
    char digits[40];
    while (open > 0 && t[open - 1] != '(') open--;
    if (open < 2 || t[open - 2] != ' ') return 0;
    for (i = open, k = 0; i < n && ((t[i] >= '0' && t[i] <= '9') || t[i] == ',' || t[i] == '.'); i++)
        if (t[i] != ',') {
            if (k == sizeof digits) return 0;
            digits[k++] = t[i];
        }
    if (i >= n || t[i] != ' ' || !rf__parse_count(digits, k, count, dec)) return 0;
    for (j = ++i; j < n && t[j] != ',' && t[j] != ')'; j++) {}
    if (j >= n || t[j] != ',') return 0;
    *name_len = open - 2;
    *unit = t + i;
    *unit_len = j - i;
    return 1;
}

static int rf__sf_cmp_y(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Frames by depth, then x: the order the parent sweep needs. */
static int rf__sf_cmp_pos(const void *a, const void *b) {
    const rf__sf_frame *x = (const rf__sf_frame *)a, *y = (const rf__sf_frame *)b;
    if (x->depth != y->depth) return x->depth < y->depth ? -1 : 1;
    return x->x < y->x ? -1 : x->x > y->x;
}

static void rf__sf_free(rf__sf *s) {
    rf__free(s->al, s->f, s->cap * sizeof *s->f);
    rf__buf_free(s->al, &s->names);
    rf__buf_free(s->al, &s->unit);
}

RF__INTERNAL rf_result rf__svg_foreign(rf_parser *ps, const char *doc, size_t n) {
    rf__sf s;
    const char *p = doc, *end = doc + n, *row_from = doc;
    double *ys = NULL, row_y = 0;
    int in_row = 0;
    size_t nys = 0, i, root = (size_t)-1, dropped = 0;
    int maxdec = 0, pct_x = 0;
    rf_result r = RF_OK;
    rf__ids path;
    memset(&s, 0, sizeof s);
    memset(&path, 0, sizeof path);
    s.al = ps->al;
    if (ps->dst->columns != 1)
        return rf__fail_at(ps, RF_ERR_INVALID_ARGUMENT, "a flamegraph.pl/inferno SVG cannot be read into a differential profile", 0, 0, 0);
    /* 1. every <title> followed by a <rect> in the same <g> */
    for (;;) {
        const char *t = rf__sf_find(p, end, "<title>"), *te, *g_end, *rect, *rect_end, *tr;
        size_t name_len, unit_len, off;
        int64_t count;
        int dec, pct, has_y;
        const char *unit;
        rf__sf_frame fr;
        if (!t) break;
        /* resq-flame's own rows, <g transform="translate(0,Y)">, give the y their rects leave
           out (read so when the data block is gone) */
        while ((tr = rf__sf_find(row_from, t, "<g transform=\"translate(0,")) != NULL) {
            in_row = rf__sf_num(tr + 26, t, &row_y, &pct);
            row_from = tr + 26;
        }
        row_from = t;
        t += 7;
        te = rf__sf_find(t, end, "</title>");
        if (!te) break;
        p = te + 8;
        g_end = rf__sf_find(p, end, "</g>");
        rect = rf__sf_find(p, g_end ? g_end : end, "<rect");
        if (!rect) continue;
        rect_end = (const char *)memchr(rect, '>', (size_t)(end - rect));
        if (!rect_end) break;
        off = s.names.len;
        if ((r = rf__sf_unescape(s.al, &s.names, t, (size_t)(te - t))) != RF_OK) goto oom;
        has_y = rf__sf_attr(rect, rect_end, " y=\"", &fr.y, &pct);
        if (!has_y && in_row) { fr.y = row_y; has_y = 1; }
        if (!rf__sf_title(s.names.data + off, s.names.len - off, &name_len, &count, &dec, &unit, &unit_len) ||
            !rf__sf_attr(rect, rect_end, " x=\"", &fr.x, &pct) || !rf__sf_attr(rect, rect_end, " width=\"", &fr.w, &pct_x) ||
            !has_y) {
            s.names.len = off; /* not a frame (a legend, a button) */
            continue;
        }
        if (s.n == 0 && unit_len && rf__buf_append(s.al, &s.unit, unit, unit_len)) goto oom;
        fr.name_off = off;
        fr.name_len = name_len;
        fr.count = count;
        fr.dec = dec;
        fr.parent = RF_NODE_NONE;
        fr.depth = -1;
        fr.id = RF__NO_ID;
        if (dec > maxdec) maxdec = dec;
        if (s.n == s.cap && rf__grow(s.al, (void **)&s.f, &s.cap, s.n + 1, sizeof *s.f)) goto oom;
        s.f[s.n++] = fr;
        p = rect_end;
    }
    if (s.n == 0) {
        rf__sf_free(&s);
        return rf__fail_at(ps, RF_ERR_UNSUPPORTED,
                           "this SVG has neither resq-flame's data block nor flamegraph.pl/inferno frames "
                           "(<title>NAME (N samples, P%)</title> with a <rect>)", 0, 0, 0);
    }
    /* 2. one scale for all counts; the root is the widest count ("all") */
    for (i = 0; i < s.n; i++) {
        while (s.f[i].dec < maxdec) {
            if (!rf__mul_i64(s.f[i].count, 10, &s.f[i].count)) { r = RF_ERR_OVERFLOW; goto bad; }
            s.f[i].dec++;
        }
        if (root == (size_t)-1 || s.f[i].count > s.f[root].count ||
            (s.f[i].count == s.f[root].count && s.f[i].name_len == 3 && !memcmp(s.names.data + s.f[i].name_off, "all", 3)))
            root = i;
    }
    /* 3. depth = distance in rows from the root's row */
    ys = (double *)rf__malloc(s.al, s.n * sizeof(double));
    if (!ys) goto oom;
    for (i = 0; i < s.n; i++) ys[i] = s.f[i].y;
    qsort(ys, s.n, sizeof(double), rf__sf_cmp_y);
    for (i = 0; i < s.n; i++)
        if (nys == 0 || ys[i] - ys[nys - 1] > 0.01) ys[nys++] = ys[i];
    {
        size_t rr = 0;
        int down;
        while (rr < nys && ys[rr] < s.f[root].y - 0.01) rr++;
        down = rr == 0 && nys > 1; /* icicle: the root is the top row */
        for (i = 0; i < s.n; i++) {
            size_t k = 0;
            while (k < nys && ys[k] < s.f[i].y - 0.01) k++;
            s.f[i].depth = down ? (int)k - (int)rr : (int)rr - (int)k;
        }
    }
    s.f[root].depth = 0;
    for (i = 0; i < s.n; i++)
        if (i != root && s.f[i].depth == 0) s.f[i].depth = -1; /* a second "root": not a frame */
    /* 4. callers: the frame one row nearer the root whose span holds this frame's middle */
    {
        rf__sf_frame t = s.f[root];
        s.f[root] = s.f[0];
        s.f[0] = t;
    }
    qsort(s.f, s.n, sizeof *s.f, rf__sf_cmp_pos);
    {
        size_t a = 0, b, c, lo;
        while (a < s.n && s.f[a].depth < 0) a++;
        root = a; /* depth 0 sorts first among the kept frames */
        for (lo = a; lo < s.n;) {
            size_t hi = lo;
            while (hi < s.n && s.f[hi].depth == s.f[lo].depth) hi++;
            if (s.f[lo].depth > 0) {
                /* parents: the previous depth's run [a, lo) when it is depth - 1 */
                c = a;
                for (b = lo; b < hi; b++) {
                    double mid = s.f[b].x + s.f[b].w / 2;
                    if (s.f[a].depth != s.f[lo].depth - 1) { dropped++; continue; }
                    while (c + 1 < lo && s.f[c + 1].x <= mid) c++;
                    if (s.f[c].parent == RF_NODE_NONE && c != root) { dropped++; continue; }
                    if (s.f[c].x <= mid && mid <= s.f[c].x + s.f[c].w) s.f[b].parent = (uint32_t)c;
                    else dropped++;
                }
            }
            a = lo;
            lo = hi;
        }
    }
    /* 5. self = count - callees; stacks from the root down */
    {
        int64_t *self = (int64_t *)rf__malloc(s.al, s.n * sizeof(int64_t));
        if (!self) goto oom;
        for (i = 0; i < s.n; i++) self[i] = s.f[i].count;
        for (i = 0; i < s.n; i++)
            if (s.f[i].parent != RF_NODE_NONE) self[s.f[i].parent] -= s.f[i].count;
        for (i = 0; i < s.n && r == RF_OK; i++) {
            uint32_t k;
            if ((i != root && s.f[i].parent == RF_NODE_NONE) || self[i] <= 0) continue;
            path.len = 0;
            for (k = (uint32_t)i; k != (uint32_t)root; k = s.f[k].parent) {
                if (s.f[k].id == RF__NO_ID) s.f[k].id = rf__intern(ps->dst, s.names.data + s.f[k].name_off, s.f[k].name_len);
                if (s.f[k].id == RF__NO_ID || rf__ids_push(s.al, &path, s.f[k].id)) { r = RF_ERR_OUT_OF_MEMORY; break; }
            }
            if (r != RF_OK) break;
            rf__ids_reverse(&path);
            r = rf__profile_add_ids(ps->dst, path.v, path.len, self[i], 0, maxdec);
            if (r == RF_OK) ps->stats.samples++;
        }
        rf__free(s.al, self, s.n * sizeof(int64_t));
    }
    if (r == RF_ERR_OUT_OF_MEMORY) goto oom;
    if (r != RF_OK) goto bad;
    if (s.unit.len && !(s.unit.len == 7 && !memcmp(s.unit.data, "samples", 7)) && !ps->dst->unit) {
        if (rf__buf_append(s.al, &s.unit, "", 1) || rf_profile_set_unit(ps->dst, s.unit.data)) goto oom;
    }
    rf__warn(ps, "read a flamegraph.pl/inferno SVG from its frames: frames too narrow to draw were left out "
                 "when it was written, so their time counts as their callers' own", NULL);
    if (dropped) rf__warn(ps, "some frames of this SVG sit over no caller and were left out", NULL);
    (void)pct_x;
    rf__free(s.al, ys, s.n * sizeof(double));
    rf__ids_free(s.al, &path);
    rf__sf_free(&s);
    return RF_OK;
oom:
    r = RF_ERR_OUT_OF_MEMORY;
bad:
    rf__free(s.al, ys, s.n * sizeof(double));
    rf__ids_free(s.al, &path);
    rf__sf_free(&s);
    return rf__fail_at(ps, r, r == RF_ERR_OUT_OF_MEMORY ? "out of memory" : "counts in this SVG overflow 64 bits", 0, 0, 0);
}


/* ---- the reader: RF_FORMAT_SVG, SVGs this writer made ---- */
/* The document is buffered (at most RF_MAX_INPUT bytes); finish() finds the data block and
   rebuilds the profile from it exactly: names, weights, decimals, columns, unit. */
typedef struct rf__svgr { rf__buf doc; } rf__svgr;
typedef struct rf__svgr_name { size_t off, len; } rf__svgr_name;

static rf_result rf__svgr_feed(rf_parser *ps, const char *d, size_t n) {
    rf__svgr *s = (rf__svgr *)ps->impl;
    if (n > (size_t)RF_MAX_INPUT || s->doc.len > (size_t)RF_MAX_INPUT - n)
        return rf__fail(ps, RF_ERR_LIMIT, "SVG larger than RF_MAX_INPUT");
    if (rf__whole_add(ps, &s->doc, d, n)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory buffering the SVG");
    return RF_OK;
}

static const char *rf__svgr_find(const char *h, size_t n, const char *needle, size_t from) {
    size_t k = strlen(needle), i;
    for (i = from; i + k <= n; i++) {
        const char *q = (const char *)memchr(h + i, needle[0], n - i);
        if (!q) return NULL;
        i = (size_t)(q - h);
        if (i + k <= n && !memcmp(q, needle, k)) return q;
    }
    return NULL;
}

/* Fails at a byte offset of the document (line and column computed from it). */
static rf_result rf__svgr_fail(rf_parser *ps, rf_result code, const char *msg, size_t off) {
    rf__svgr *s = (rf__svgr *)ps->impl;
    uint64_t line;
    uint32_t col;
    rf__json_line_col(s->doc.data, off, &line, &col);
    return rf__fail_at(ps, code, msg, off, line, col);
}

static int rf__svgr_hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

typedef struct rf__svgr_state {
    rf__buf names;       /* name bytes */
    rf__svgr_name *nv;   /* name slices */
    size_t nn, ncap;
    rf__i64s tree;
    rf__ids path, rpath;
    size_t *open;        /* children still expected, per open node */
    size_t open_cap;
    char *unit, *stype;
    int64_t cols, dec, rev, pruned, version;
} rf__svgr_state;

static void rf__svgr_state_free(const rf_allocator *al, rf__svgr_state *st) {
    rf__buf_free(al, &st->names);
    rf__free(al, st->nv, st->ncap * sizeof *st->nv);
    rf__i64s_free(al, &st->tree);
    rf__ids_free(al, &st->path);
    rf__ids_free(al, &st->rpath);
    rf__free(al, st->open, st->open_cap * sizeof(size_t));
    if (st->unit) rf__free(al, st->unit, strlen(st->unit) + 1);
    if (st->stype) rf__free(al, st->stype, strlen(st->stype) + 1);
}

static char *rf__svgr_dup(const rf_allocator *al, rf_strview v) {
    char *d = (char *)rf__malloc(al, v.len + 1);
    if (!d) return NULL;
    if (v.len) memcpy(d, v.ptr, v.len);
    d[v.len] = '\0';
    return d;
}

static rf_result rf__svgr_add_name(const rf_allocator *al, rf__svgr_state *st, const char *s, size_t n) {
    if (st->nn == st->ncap && rf__grow(al, (void **)&st->nv, &st->ncap, st->nn + 1, sizeof *st->nv))
        return RF_ERR_OUT_OF_MEMORY;
    st->nv[st->nn].off = st->names.len;
    st->nv[st->nn].len = n;
    st->nn++;
    return rf__buf_append(al, &st->names, s, n);
}

/* Reads the data object into st. Returns 0 with j's error set on failure. */
static int rf__svgr_read(rf__json *j, rf__svgr_state *st, const rf_allocator *al) {
    const char *bad = "the SVG's embedded data is damaged";
    st->version = 0;
    st->cols = 1;
    if (!rf__json_expect(j, RF__JT_OBJ, bad)) return 0;
    while (rf__json_obj_next(j)) {
        if (rf__json_key_is(j, "rf")) { if (!rf__json_read_i64(j, &st->version, bad)) return 0; }
        else if (rf__json_key_is(j, "cols")) { if (!rf__json_read_i64(j, &st->cols, bad)) return 0; }
        else if (rf__json_key_is(j, "dec")) { if (!rf__json_read_i64(j, &st->dec, bad)) return 0; }
        else if (rf__json_key_is(j, "rev")) { if (!rf__json_read_i64(j, &st->rev, bad)) return 0; }
        else if (rf__json_key_is(j, "pruned")) { if (!rf__json_read_i64(j, &st->pruned, bad)) return 0; }
        else if (rf__json_key_is(j, "unit") || rf__json_key_is(j, "stype")) {
            char **slot = rf__json_key_is(j, "unit") ? &st->unit : &st->stype;
            if (!rf__json_read_str(j, 0, bad)) return 0;
            if (*slot) rf__free(al, *slot, strlen(*slot) + 1);
            if (!(*slot = rf__svgr_dup(al, j->str))) { rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->tok); return 0; }
        } else if (rf__json_key_is(j, "names")) {
            rf__jtok t;
            if (!rf__json_expect(j, RF__JT_ARR, bad)) return 0;
            st->nn = 0;
            st->names.len = 0;
            while ((t = rf__json_next(j)) == RF__JT_STR)
                if (rf__svgr_add_name(al, st, j->str.ptr, j->str.len)) { rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->tok); return 0; }
            if (t != RF__JT_ARR_END) { if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, bad, j->tok); return 0; }
        } else if (rf__json_key_is(j, "bytes")) {
            /* [[index, "hex"], ...]: exact bytes of names that are not valid UTF-8 */
            rf__jtok t;
            if (!rf__json_expect(j, RF__JT_ARR, bad)) return 0;
            while ((t = rf__json_next(j)) == RF__JT_ARR) {
                int64_t idx;
                size_t k;
                if (!rf__json_read_i64(j, &idx, bad) || !rf__json_read_str(j, 0, bad)) return 0;
                if (idx < 0 || (uint64_t)idx >= st->nn || j->str.len % 2) { rf__json_fail(j, RF_ERR_CORRUPT, bad, j->tok); return 0; }
                st->nv[idx].off = st->names.len;
                st->nv[idx].len = j->str.len / 2;
                for (k = 0; k < j->str.len; k += 2) {
                    int hi = rf__svgr_hex(j->str.ptr[k]), lo = rf__svgr_hex(j->str.ptr[k + 1]);
                    char byte;
                    if (hi < 0 || lo < 0) { rf__json_fail(j, RF_ERR_CORRUPT, bad, j->tok); return 0; }
                    byte = (char)(hi * 16 + lo);
                    if (rf__buf_append(al, &st->names, &byte, 1)) { rf__json_fail(j, RF_ERR_OUT_OF_MEMORY, "out of memory", j->tok); return 0; }
                }
                if (!rf__json_expect(j, RF__JT_ARR_END, bad)) return 0;
            }
            if (t != RF__JT_ARR_END) { if (t != RF__JT_ERROR) rf__json_fail(j, RF_ERR_CORRUPT, bad, j->tok); return 0; }
        } else if (rf__json_key_is(j, "tree")) {
            st->tree.len = 0;
            if (!rf__json_read_i64_array(j, &st->tree, 0, bad)) return 0;
        } else if (!rf__json_skip(j, rf__json_next(j))) return 0;
    }
    if (j->err != RF_OK) return 0;
    if (rf__json_next(j) != RF__JT_EOF) return 0;
    return 1;
}

static rf_result rf__svgr_finish(rf_parser *ps) {
    rf__svgr *s = (rf__svgr *)ps->impl;
    const rf_allocator *al = ps->al;
    rf_profile *dst = ps->dst;
    const char *doc = s->doc.data ? s->doc.data : "", *tag, *body, *stop, *close;
    size_t n = s->doc.len, at = 0, rec, count, i, nopen = 0;
    uint32_t *ids = NULL;
    rf__svgr_state st;
    rf__json j;
    rf_result r = RF_OK;
    /* the first <script ...application/json...> element */
    for (;;) {
        tag = rf__svgr_find(doc, n, "<script", at);
        if (!tag) return rf__svg_foreign(ps, doc, n);
        close = (const char *)memchr(tag, '>', n - (size_t)(tag - doc));
        if (!close) return rf__svgr_fail(ps, RF_ERR_TRUNCATED, "the SVG ends inside a <script> tag", (size_t)(tag - doc));
        if (rf__svgr_find(tag, (size_t)(close - tag), "application/json", 0)) break;
        at = (size_t)(close - doc);
    }
    body = close + 1;
    stop = rf__svgr_find(doc, n, "</script>", (size_t)(body - doc));
    if (!stop) return rf__svgr_fail(ps, RF_ERR_TRUNCATED, "the SVG ends inside its data block", (size_t)(body - doc));
    memset(&st, 0, sizeof st);
    rf__json_init(&j, al, body, (size_t)(stop - body), RF__JSON_STRICT_UTF8);
    if (!rf__svgr_read(&j, &st, al)) {
        r = rf__svgr_fail(ps, j.err != RF_OK ? j.err : RF_ERR_CORRUPT, j.err_msg ? j.err_msg : "the SVG's embedded data is damaged",
                          (size_t)(body - doc) + j.err_off);
        goto done;
    }
    if (st.version != 1) { r = rf__svgr_fail(ps, RF_ERR_UNSUPPORTED, "the SVG's data block has an unknown version (newer resq-flame?)", (size_t)(body - doc)); goto done; }
    if ((st.cols != 1 && st.cols != 2) || st.dec < 0 || st.dec > 18 || st.nn == 0) {
        r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded data is damaged (bad header fields)", (size_t)(body - doc));
        goto done;
    }
    rec = 2 + (size_t)st.cols * (st.pruned ? 2u : 1u);
    count = st.tree.len / rec;
    if (st.tree.len % rec || count == 0) {
        r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded call tree is damaged (record size)", (size_t)(body - doc));
        goto done;
    }
    if (dst->columns != (int)st.cols) {
        if (dst->nnodes > 1 || dst->samples || rf__set_columns(dst, (int)st.cols) != RF_OK) {
            r = rf__svgr_fail(ps, RF_ERR_INVALID_ARGUMENT,
                              st.cols == 2 ? "a differential SVG cannot be read into a profile that holds one-column data"
                                           : "a one-column SVG cannot be read into a differential profile", 0);
            goto done;
        }
    }
    ids = (uint32_t *)rf__malloc(al, st.nn * sizeof(uint32_t));
    if (!ids) { r = rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory"); goto done; }
    for (i = 0; i < st.nn; i++) {
        ids[i] = rf__intern(dst, st.names.data ? st.names.data + st.nv[i].off : "", st.nv[i].len);
        if (ids[i] == RF__NO_ID) { r = rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory"); goto done; }
    }
    for (i = 0; i < count; i++) {
        const int64_t *v = st.tree.v + i * rec;
        int64_t w0 = v[2], w1 = st.cols == 2 ? v[3] : 0;
        size_t depth = nopen;
        if (v[0] < 0 || (uint64_t)v[0] >= st.nn || v[1] < 0 || (uint64_t)v[1] > count) {
            r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded call tree is damaged (bad record)", (size_t)(body - doc));
            goto done;
        }
        if (i > 0 && nopen == 0) {
            r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded call tree is damaged (more than one root)", (size_t)(body - doc));
            goto done;
        }
        if (st.pruned) {
            /* left-out callees: their weight is read as this frame's own */
            if (v[2 + st.cols] < 0 || (st.cols == 2 && v[3 + st.cols] < 0) || w0 > INT64_MAX - v[2 + st.cols] ||
                (st.cols == 2 && w1 > INT64_MAX - v[3 + st.cols])) {
                r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded call tree is damaged (bad weight)", (size_t)(body - doc));
                goto done;
            }
            w0 += v[2 + st.cols];
            if (st.cols == 2) w1 += v[3 + st.cols];
        }
        if (i > 0) {
            if (depth > RF_MAX_DEPTH) { r = rf__svgr_fail(ps, RF_ERR_LIMIT, "stack deeper than RF_MAX_DEPTH", (size_t)(body - doc)); goto done; }
            st.path.len = depth - 1;
            if (rf__ids_push(al, &st.path, ids[v[0]])) { r = rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory"); goto done; }
        }
        if (w0 || w1) {
            const uint32_t *frames = st.path.v;
            size_t nf = i > 0 ? st.path.len : 0;
            if (st.rev && nf > 1) {
                size_t k;
                st.rpath.len = 0;
                for (k = nf; k > 0; k--)
                    if (rf__ids_push(al, &st.rpath, st.path.v[k - 1])) { r = rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory"); goto done; }
                frames = st.rpath.v;
            }
            r = rf__profile_add_ids(dst, frames, nf, w0, w1, (int)st.dec);
            if (r == RF_ERR_INVALID_ARGUMENT) r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded call tree is damaged (negative weight)", (size_t)(body - doc));
            else if (r != RF_OK) r = rf__fail(ps, r, r == RF_ERR_OVERFLOW ? "weights overflow 64 bits" : "cannot add a stack");
            if (r != RF_OK) goto done;
            ps->stats.samples++;
        }
        if (v[1] > 0) {
            if (nopen == st.open_cap && rf__grow(al, (void **)&st.open, &st.open_cap, nopen + 1, sizeof(size_t))) {
                r = rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
                goto done;
            }
            st.open[nopen++] = (size_t)v[1];
        } else {
            while (nopen && --st.open[nopen - 1] == 0) nopen--;
        }
    }
    if (nopen) { r = rf__svgr_fail(ps, RF_ERR_CORRUPT, "the SVG's embedded call tree is damaged (missing children)", (size_t)(body - doc)); goto done; }
    if (st.unit && !dst->unit && (r = rf_profile_set_unit(dst, st.unit)) != RF_OK) { r = rf__fail(ps, r, "out of memory"); goto done; }
    if (st.stype && st.stype[0] && !dst->sample_type && (r = rf_profile_set_sample_type(dst, st.stype)) != RF_OK) {
        r = rf__fail(ps, r, "out of memory");
        goto done;
    }
    if (st.pruned)
        rf__warn(ps, "this SVG's embedded call tree was cut to its size budget when it was written: "
                     "callees below the cut are counted in their caller's own weight", NULL);
done:
    rf__free(al, ids, st.nn * sizeof(uint32_t));
    rf__svgr_state_free(al, &st);
    rf__json_free(&j);
    return r;
}

static void rf__svgr_destroy(rf_parser *ps) {
    rf__svgr *s = (rf__svgr *)ps->impl;
    if (!s) return;
    rf__whole_free(ps->al, &s->doc);
    rf__free(ps->al, s, sizeof *s);
    ps->impl = NULL;
}

static const rf__parser_vt rf__svg_vt = {rf__svgr_feed, rf__svgr_finish, rf__svgr_destroy};

static rf_result rf__svg_init(rf_parser *ps) {
    rf__svgr *s = (rf__svgr *)rf__malloc(ps->al, sizeof *s);
    if (!s) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(s, 0, sizeof *s);
    ps->impl = s;
    ps->vt = &rf__svg_vt;
    return RF_OK;
}

/* ===== [rf:transform] ==================================================== */
/* Until the profile records its grouping frames (transform.requests.md), the roots come
   from rf_view_options.roots only. */
#ifndef RF__PROFILE_ROOTS
#define RF__PROFILE_ROOTS(p) 0u
#define RF__SET_PROFILE_ROOTS(p, r) ((void)(p), (void)(r))
#endif

/* Walks every node with a nonzero self weight: name ids root first (the root's own id not
   included), and the node's self weights. One DFS shared by view, diff and top. */
typedef rf_result (*rf__walk_fn)(void *ctx, const uint32_t *names, size_t n, const int64_t *self);

static rf_result rf__walk(const rf_profile *p, rf__walk_fn fn, void *ctx) {
    rf__ids path;
    uint32_t node = RF_NODE_ROOT;
    rf_result r = RF_OK;
    memset(&path, 0, sizeof path);
    for (;;) {
        int64_t self[2];
        self[0] = p->nodes[node].self;
        self[1] = p->w1 ? p->w1[2 * (size_t)node + 1] : 0;
        if ((self[0] || self[1]) && (r = fn(ctx, path.v, path.len, self)) != RF_OK) break;
        if (p->nodes[node].first_child != RF_NODE_NONE) {
            node = p->nodes[node].first_child;
            if ((r = rf__ids_push(&p->al, &path, p->nodes[node].name)) != RF_OK) break;
            continue;
        }
        while (node != RF_NODE_ROOT && p->nodes[node].next_sibling == RF_NODE_NONE) {
            node = p->nodes[node].parent;
            path.len--;
        }
        if (node == RF_NODE_ROOT) break;
        node = p->nodes[node].next_sibling;
        path.v[path.len - 1] = p->nodes[node].name;
    }
    rf__ids_free(&p->al, &path);
    return r;
}

/* "0x" + hex digits -> "0x..." (difffolded -s). Returns 1 when s had any. */
static int rf__strip_hex(const rf_allocator *al, rf__buf *out, const char *s, size_t n, rf_result *r) {
    size_t i = 0, from = 0;
    int any = 0;
    while (i + 2 < n + 1 && i + 1 < n) {
        size_t j = i + 2;
        if (s[i] != '0' || s[i + 1] != 'x') { i++; continue; }
        while (j < n && ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f') || (s[j] >= 'A' && s[j] <= 'F'))) j++;
        if (j == i + 2) { i += 2; continue; }
        if (!any) out->len = 0;
        any = 1;
        if (rf__buf_append(al, out, s + from, i + 2 - from) || rf__buf_append(al, out, "...", 3)) {
            *r = RF_ERR_OUT_OF_MEMORY;
            return 0;
        }
        from = i = j;
    }
    if (any && rf__buf_append(al, out, s + from, n - from)) { *r = RF_ERR_OUT_OF_MEMORY; return 0; }
    return any;
}

/* Maps source name ids to destination ids, renamed (strip_hex, annotate) once per name. */
typedef struct rf__namemap {
    const rf_profile *src;
    rf_profile *dst;
    uint32_t *map;
    int strip_hex;
    const char *annotate;
    rf__buf tmp;
} rf__namemap;

static rf_result rf__namemap_init(rf__namemap *m, const rf_profile *src, rf_profile *dst, int strip_hex, const char *annotate) {
    size_t i, bytes;
    memset(m, 0, sizeof *m);
    m->src = src;
    m->dst = dst;
    m->strip_hex = strip_hex;
    m->annotate = annotate && *annotate ? annotate : NULL;
    if (!rf__mul_size(src->nnames ? src->nnames : 1, sizeof(uint32_t), &bytes)) return RF_ERR_OUT_OF_MEMORY;
    m->map = (uint32_t *)rf__malloc(&dst->al, bytes);
    if (!m->map) return RF_ERR_OUT_OF_MEMORY;
    for (i = 0; i < src->nnames; i++) m->map[i] = RF__NO_ID;
    return RF_OK;
}
static void rf__namemap_free(rf__namemap *m) {
    rf__free(&m->dst->al, m->map, (m->src->nnames ? m->src->nnames : 1) * sizeof(uint32_t));
    rf__buf_free(&m->dst->al, &m->tmp);
}
/* Interns s[0..n) (+ annotate) into dst. */
static uint32_t rf__namemap_intern(rf__namemap *m, const char *s, size_t n) {
    rf_result r = RF_OK;
    if (m->strip_hex && rf__strip_hex(&m->dst->al, &m->tmp, s, n, &r)) {
        s = m->tmp.data;
        n = m->tmp.len;
    } else if (r != RF_OK) return RF__NO_ID;
    if (m->annotate) {
        if (s != m->tmp.data) {
            m->tmp.len = 0;
            if (rf__buf_append(&m->dst->al, &m->tmp, s, n)) return RF__NO_ID;
        }
        if (rf__buf_puts(&m->dst->al, &m->tmp, m->annotate)) return RF__NO_ID;
        s = m->tmp.data;
        n = m->tmp.len;
    }
    return rf__intern(m->dst, s, n);
}
static uint32_t rf__namemap_get(rf__namemap *m, uint32_t src_id) {
    if (m->map[src_id] == RF__NO_ID)
        m->map[src_id] = rf__namemap_intern(m, m->src->names[src_id].s, m->src->names[src_id].len);
    return m->map[src_id];
}

/* A new profile shaped like src (allocator, columns, unit, sample type). */
static rf_result rf__profile_like(const rf_profile *src, int columns, rf_profile **out) {
    rf_profile *d = rf_profile_new(&src->al);
    rf_result r = d ? RF_OK : RF_ERR_OUT_OF_MEMORY;
    if (r == RF_OK) r = rf__set_columns(d, columns);
    if (r == RF_OK && src->unit) r = rf_profile_set_unit(d, src->unit);
    if (r == RF_OK && src->sample_type) r = rf_profile_set_sample_type(d, src->sample_type);
    if (r != RF_OK) { rf_profile_free(d); d = NULL; }
    *out = d;
    return r;
}

/* ---- views ---- */
#define RF__PRED_DONE 1u
#define RF__PRED_SKIP 2u
#define RF__PRED_FOCUS 4u
#define RF__PRED_IGNORE 8u
#define RF__PRED_HIDE 16u

typedef struct rf__view {
    const rf_view_options *o;
    const rf_profile *src;
    rf__namemap names;
    unsigned char *pred;  /* per source name: RF__PRED_* bits, computed on first use */
    unsigned roots;
    int groups;           /* grouping levels at the top of every stack */
    uint32_t root_id;     /* the extra root frame, RF__NO_ID = none */
    int64_t mul;
    rf__ids out;
    rf__buf tmp;
} rf__view;

static unsigned rf__view_pred(rf__view *v, uint32_t id) {
    const rf_view_options *o = v->o;
    unsigned f = v->pred[id];
    if (!(f & RF__PRED_DONE)) {
        const char *s = v->src->names[id].s;
        size_t n = v->src->names[id].len;
        f = RF__PRED_DONE;
        if (o->skip_after && o->skip_after(o->skip_after_ctx, s, n)) f |= RF__PRED_SKIP;
        if (o->focus && o->focus(o->focus_ctx, s, n)) f |= RF__PRED_FOCUS;
        if (o->ignore && o->ignore(o->ignore_ctx, s, n)) f |= RF__PRED_IGNORE;
        if (o->hide && o->hide(o->hide_ctx, s, n)) f |= RF__PRED_HIDE;
        v->pred[id] = (unsigned char)f;
    }
    return f;
}

static rf_result rf__view_stack(void *ctx, const uint32_t *names, size_t n, const int64_t *self) {
    rf__view *v = (rf__view *)ctx;
    const rf_view_options *o = v->o;
    rf_profile *dst = v->names.dst;
    size_t start = 0, i;
    int rename_first = 0, keep;
    int64_t w0 = self[0], w1 = self[1];
    /* group-by */
    if (o->group_by != RF_GROUP_KEEP && v->groups) {
        size_t g = (size_t)v->groups < n ? (size_t)v->groups : n;
        if (o->group_by == RF_GROUP_NONE) start = g;
        else if (o->group_by == RF_GROUP_PROCESS && v->roots == RF_ROOTS_THREAD) rename_first = n > 0;
        else if (o->group_by == RF_GROUP_PROCESS && v->roots == (RF_ROOTS_PROCESS | RF_ROOTS_THREAD)) {
            /* drop the thread level: handled below by skipping index 1 */
            rename_first = -1;
        }
    }
    if (o->skip_after)
        for (i = start; i < n; i++)
            if (rf__view_pred(v, names[i]) & RF__PRED_SKIP) { start = i; rename_first = 0; break; }
    if (o->focus) {
        keep = 0;
        for (i = start; i < n && !keep; i++) keep = (rf__view_pred(v, names[i]) & RF__PRED_FOCUS) != 0;
        if (!keep) return RF_OK;
    }
    if (o->ignore)
        for (i = start; i < n; i++)
            if (rf__view_pred(v, names[i]) & RF__PRED_IGNORE) return RF_OK;
    v->out.len = 0;
    if (v->root_id != RF__NO_ID && rf__ids_push(&dst->al, &v->out, v->root_id)) return RF_ERR_OUT_OF_MEMORY;
    for (i = start; i < n; i++) {
        uint32_t id;
        if (rename_first == -1 && i == 1 && start == 0) continue;
        if (o->hide && (rf__view_pred(v, names[i]) & RF__PRED_HIDE)) continue;
        if (rename_first == 1 && i == 0) {
            /* perf --tid "comm-PID/TID" -> "comm-PID" */
            const char *s = v->src->names[names[0]].s;
            size_t k = v->src->names[names[0]].len;
            while (k > 0 && s[k - 1] != '/') k--;
            id = rf__namemap_intern(&v->names, s, k ? k - 1 : v->src->names[names[0]].len);
        } else id = rf__namemap_get(&v->names, names[i]);
        if (id == RF__NO_ID) return RF_ERR_OUT_OF_MEMORY;
        if (o->collapse_recursion && v->out.len && v->out.v[v->out.len - 1] == id) continue;
        if (rf__ids_push(&dst->al, &v->out, id)) return RF_ERR_OUT_OF_MEMORY;
    }
    if (o->reverse) {
        /* the extra root frame stays on top */
        rf__ids tail;
        size_t skip = v->root_id != RF__NO_ID;
        tail.v = v->out.v + skip;
        tail.len = v->out.len - skip;
        tail.cap = tail.len;
        rf__ids_reverse(&tail);
    }
    if (v->mul > 1 && (!rf__mul_i64(w0, v->mul, &w0) || !rf__mul_i64(w1, v->mul, &w1))) return RF_ERR_OVERFLOW;
    return rf__profile_add_ids(dst, v->out.v, v->out.len, w0, w1, v->src->decimals);
}

RF_API rf_result rf_profile_view(const rf_profile *src, const rf_view_options *opt, rf_profile **out) {
    rf_view_options none;
    rf__view v;
    rf_profile *dst = NULL;
    rf_result r;
    if (out) *out = NULL;
    if (!src || !out) return RF_ERR_INVALID_ARGUMENT;
    if (!opt) {
        memset(&none, 0, sizeof none);
        opt = &none;
    }
    memset(&v, 0, sizeof v);
    v.o = opt;
    v.src = src;
    v.root_id = RF__NO_ID;
    v.mul = opt->multiply > 1 ? opt->multiply : 1;
    v.roots = opt->roots ? opt->roots : RF__PROFILE_ROOTS(src);
    v.groups = ((v.roots & RF_ROOTS_PROCESS) != 0) + ((v.roots & RF_ROOTS_THREAD) != 0);
    if (opt->multiply < 0 || (unsigned)opt->group_by > (unsigned)RF_GROUP_THREAD) return RF_ERR_INVALID_ARGUMENT;
    if ((opt->group_by == RF_GROUP_PROCESS && !v.groups) || (opt->group_by == RF_GROUP_THREAD && !(v.roots & RF_ROOTS_THREAD)))
        return RF_ERR_UNSUPPORTED;
    if ((r = rf__profile_like(src, src->columns, &dst)) != RF_OK) return r;
    if ((r = rf__namemap_init(&v.names, src, dst, opt->strip_hex, opt->annotate)) != RF_OK) goto done;
    v.pred = (unsigned char *)rf__malloc(&dst->al, src->nnames ? src->nnames : 1);
    if (!v.pred) { r = RF_ERR_OUT_OF_MEMORY; goto done; }
    memset(v.pred, 0, src->nnames ? src->nnames : 1);
    if (opt->root && (v.root_id = rf__namemap_intern(&v.names, opt->root, strlen(opt->root))) == RF__NO_ID) {
        r = RF_ERR_OUT_OF_MEMORY;
        goto done;
    }
    r = rf__walk(src, rf__view_stack, &v);
    if (r == RF_OK) {
        /* what the first levels of the result are: kept only while they are still on top */
        unsigned roots = v.roots;
        if (opt->group_by == RF_GROUP_NONE) roots = 0;
        else if (opt->group_by == RF_GROUP_PROCESS) roots = RF_ROOTS_PROCESS;
        if (opt->skip_after || opt->reverse || opt->root || opt->hide) roots = 0;
        RF__SET_PROFILE_ROOTS(dst, roots);
    }
done:
    rf__free(&dst->al, v.pred, src->nnames ? src->nnames : 1);
    rf__ids_free(&dst->al, &v.out);
    rf__buf_free(&dst->al, &v.tmp);
    if (v.names.map) rf__namemap_free(&v.names);
    if (r != RF_OK) rf_profile_free(dst);
    else *out = dst;
    return r;
}

/* ---- diff ---- */
typedef struct rf__diff {
    rf__namemap names;
    int col, integer, dec;
    rf__ids ids;
} rf__diff;

static rf_result rf__diff_stack(void *ctx, const uint32_t *names, size_t n, const int64_t *self) {
    rf__diff *d = (rf__diff *)ctx;
    rf_profile *dst = d->names.dst;
    size_t i;
    int64_t w = self[0];
    int dec = d->dec;
    d->ids.len = 0;
    for (i = 0; i < n; i++) {
        uint32_t id = rf__namemap_get(&d->names, names[i]);
        if (id == RF__NO_ID || rf__ids_push(&dst->al, &d->ids, id)) return RF_ERR_OUT_OF_MEMORY;
    }
    if (d->integer && dec) {
        w /= rf__pow10[dec];
        dec = 0;
        if (!w) return RF_OK;
    }
    return rf__profile_add_ids(dst, d->ids.v, d->ids.len, d->col ? 0 : w, d->col ? w : 0, dec);
}

/* int(c * t1 / t0) as Perl computes it: an exact integer product and quotient when they
   are integers, else a double division, truncated. Values are fixed-point (dec decimals). */
static int64_t rf__perl_scale(int64_t c, int64_t t1, int64_t t0, int dec) {
    double x;
    int64_t prod;
    if (dec == 0) {
        if (rf__mul_i64(c, t1, &prod)) {
            if (prod % t0 == 0) return prod / t0;
            x = (double)prod / (double)t0;
        } else x = (double)c * (double)t1 / (double)t0;
        return x >= 9.2e18 ? INT64_MAX : (int64_t)x;
    }
    {
        double f = (double)rf__pow10[dec];
        x = ((double)c / f) * ((double)t1 / f) / ((double)t0 / f);
        if (x * f >= 9.2e18) return INT64_MAX;
        return (int64_t)x * rf__pow10[dec];
    }
}

RF_API rf_result rf_profile_diff(const rf_profile *before, const rf_profile *after, const rf_diff_options *opt,
                                 rf_profile **out) {
    rf_diff_options none;
    rf__diff d;
    rf_profile *dst = NULL;
    rf_result r;
    int side;
    if (out) *out = NULL;
    if (!before || !after || !out || before->columns != 1 || after->columns != 1) return RF_ERR_INVALID_ARGUMENT;
    if (!opt) {
        memset(&none, 0, sizeof none);
        opt = &none;
    }
    if ((r = rf__profile_like(after, 2, &dst)) != RF_OK) return r;
    if (!after->unit && before->unit && (r = rf_profile_set_unit(dst, before->unit)) != RF_OK) goto done;
    memset(&d, 0, sizeof d);
    d.integer = opt->integer_counts;
    for (side = 0; side < 2 && r == RF_OK; side++) {
        const rf_profile *src = side ? after : before;
        d.col = side;
        d.dec = src->decimals;
        if ((r = rf__namemap_init(&d.names, src, dst, opt->strip_hex, NULL)) != RF_OK) break;
        r = rf__walk(src, rf__diff_stack, &d);
        rf__namemap_free(&d.names);
    }
    rf__ids_free(&dst->al, &d.ids);
    if (r == RF_OK && opt->normalize && dst->nodes[0].total != dst->w1[0] && dst->nodes[0].total > 0) {
        int64_t t0 = dst->nodes[0].total, t1 = dst->w1[0];
        size_t i;
        for (i = 0; i < dst->nnodes; i++) {
            if (dst->nodes[i].self) dst->nodes[i].self = rf__perl_scale(dst->nodes[i].self, t1, t0, dst->decimals);
            dst->nodes[i].total = dst->nodes[i].self;
        }
        /* children come after their parents: one backward pass rebuilds the totals */
        for (i = dst->nnodes; i-- > 1;) {
            int64_t *pt = &dst->nodes[dst->nodes[i].parent].total;
            if (*pt > INT64_MAX - dst->nodes[i].total) { r = RF_ERR_OVERFLOW; break; }
            *pt += dst->nodes[i].total;
        }
    }
done:
    if (r != RF_OK) rf_profile_free(dst);
    else *out = dst;
    return r;
}

/* ---- top-N ---- */
typedef struct rf__top_item { double key; const char *s; uint32_t len, id; } rf__top_item;

static int rf__top_cmp(const void *a, const void *b) {
    const rf__top_item *x = (const rf__top_item *)a, *y = (const rf__top_item *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c;
    if (x->key != y->key) return x->key > y->key ? -1 : 1;
    c = n ? memcmp(x->s, y->s, n) : 0;
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

RF_API rf_result rf_profile_top(const rf_profile *p, rf_top_by by, int col, rf_top_entry *out, size_t n,
                                size_t *count) {
    const rf_allocator *al;
    size_t nn, bytes, i, k = 0;
    int64_t *self = NULL, *total = NULL;
    uint32_t *active = NULL, node;
    rf__top_item *items = NULL;
    double t0, t1;
    rf_result r = RF_ERR_OUT_OF_MEMORY;
    if (count) *count = 0;
    if (!p || !count || (n && !out) || col < 0 || col >= p->columns ||
        (by >= RF_TOP_SELF_CHANGE && p->columns != 2) || (unsigned)by > (unsigned)RF_TOP_TOTAL_CHANGE)
        return RF_ERR_INVALID_ARGUMENT;
    al = &p->al;
    nn = p->nnames ? p->nnames : 1;
    if (!rf__mul_size(nn, 4 * sizeof(int64_t), &bytes)) return RF_ERR_OUT_OF_MEMORY;
    self = (int64_t *)rf__malloc(al, bytes / 2);
    total = (int64_t *)rf__malloc(al, bytes / 2);
    active = (uint32_t *)rf__malloc(al, nn * sizeof(uint32_t));
    items = (rf__top_item *)rf__malloc(al, nn * sizeof(rf__top_item));
    if (!self || !total || !active || !items) goto done;
    memset(self, 0, bytes / 2);
    memset(total, 0, bytes / 2);
    memset(active, 0, nn * sizeof(uint32_t));
    /* DFS with enter/leave: a function's total is added only where no caller on the path
       has the same name, so recursion counts once */
    node = p->nodes[0].first_child;
    while (node != RF_NODE_NONE) {
        uint32_t nm = p->nodes[node].name;
        size_t c;
        for (c = 0; c < (size_t)p->columns; c++) {
            self[2 * nm + c] += rf_node_self(p, node, (int)c);
            if (!active[nm]) total[2 * nm + c] += rf_node_total(p, node, (int)c);
        }
        active[nm]++;
        if (p->nodes[node].first_child != RF_NODE_NONE) { node = p->nodes[node].first_child; continue; }
        for (;;) {
            active[p->nodes[node].name]--;
            if (p->nodes[node].next_sibling != RF_NODE_NONE) { node = p->nodes[node].next_sibling; break; }
            node = p->nodes[node].parent;
            if (node == RF_NODE_ROOT) { node = RF_NODE_NONE; break; }
        }
    }
    t0 = (double)rf_node_total(p, 0, 0);
    t1 = (double)rf_node_total(p, 0, 1);
    for (i = 0; i < p->nnames; i++) {
        double key;
        if (!total[2 * i] && !total[2 * i + 1]) continue;
        switch (by) {
        case RF_TOP_SELF: key = (double)self[2 * i + (size_t)col]; break;
        case RF_TOP_TOTAL: key = (double)total[2 * i + (size_t)col]; break;
        case RF_TOP_SELF_CHANGE:
            key = (t1 > 0 ? (double)self[2 * i + 1] / t1 : 0) - (t0 > 0 ? (double)self[2 * i] / t0 : 0);
            break;
        default:
            key = (t1 > 0 ? (double)total[2 * i + 1] / t1 : 0) - (t0 > 0 ? (double)total[2 * i] / t0 : 0);
            break;
        }
        items[k].key = key;
        items[k].s = p->names[i].s;
        items[k].len = p->names[i].len;
        items[k].id = (uint32_t)i;
        k++;
    }
    if (k > 1) qsort(items, k, sizeof *items, rf__top_cmp);
    for (i = 0; i < k && i < n; i++) {
        uint32_t id = items[i].id;
        rf_top_entry *e = &out[i];
        e->name.ptr = p->names[id].s;
        e->name.len = p->names[id].len;
        e->self[0] = self[2 * id];
        e->self[1] = self[2 * id + 1];
        e->total[0] = total[2 * id];
        e->total[1] = total[2 * id + 1];
        e->self_change = e->total_change = 0;
        if (p->columns == 2) {
            e->self_change = 100.0 * ((t1 > 0 ? (double)e->self[1] / t1 : 0) - (t0 > 0 ? (double)e->self[0] / t0 : 0));
            e->total_change = 100.0 * ((t1 > 0 ? (double)e->total[1] / t1 : 0) - (t0 > 0 ? (double)e->total[0] / t0 : 0));
        }
    }
    *count = i;
    r = RF_OK;
done:
    rf__free(al, self, bytes / 2);
    rf__free(al, total, bytes / 2);
    rf__free(al, active, nn * sizeof(uint32_t));
    rf__free(al, items, nn * sizeof(rf__top_item));
    return r;
}

/* ===== [rf:text] ========================================================= */
/* Text profiler outputs: `perf script` (stackcollapse-perf.pl compatible, plus off-CPU
   time from sched:sched_switch), bpftrace maps, DTrace aggregations (stackcollapse.pl),
   austin 1.x/3.x, and format detection.

   The perf reader matches stackcollapse-perf.pl byte for byte on well-formed input, so its
   line tests emulate the script's regular expressions exactly (Perl's \s and \w on bytes):
     header  ^(\S.+?)\s+(\d+)[/]*(\d+)*\s+        event  :\s*(\d+)*\s+(\S+):\s*$
     frame   ^\s*(\w+)\s*(.+) \((\S*)\)
   It departs from the script only where the script breaks: a header while a sample is
   open ends that sample, whitespace-only lines end a sample, CRLF is accepted, srcline
   lines are recognised (and appended with opt.perf.srcline, never swallowing a blank
   line), and stacks deeper than RF_MAX_DEPTH are skipped and counted.

   Speed: a frame line is classified with a few scans from its ends, and its tidied name
   is memoised under (symbol without offset, module), so the common line costs a hash and
   a table probe. Samples are summed per unique stack in a bounded table that is flushed
   into the profile when it fills and at the end; memory does not grow with input length. */

#ifndef RF_PERF_MAX_PENDING
#define RF_PERF_MAX_PENDING 65536 /* off-CPU: threads waiting to be switched back in */
#endif
/* Internal budgets (tests lower them to reach the flush/reset paths cheaply). */
#ifndef RF__STK_MAX_IDS
#define RF__STK_MAX_IDS ((size_t)2 << 20)   /* unique-stack table: ids held before a flush */
#define RF__STK_MAX_ENTRIES ((size_t)1 << 18)
#endif
#ifndef RF__PMEMO_MAX_BYTES
#define RF__PMEMO_MAX_BYTES ((size_t)8 << 20) /* frame memo: key bytes held before a reset */
#define RF__PMEMO_MAX_ENTRIES ((size_t)1 << 18)
#endif

/* Byte classes: 1 = Perl \s, 2 = \d, 4 = \w (the reference scripts read bytes, so only ASCII
   counts). */
static const unsigned char rf__tx_class[256] = {
    0,0,0,0,0,0,0,0,0,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,6,6,6,6,6,6,6,6,6,6,0,0,0,0,0,0,
    0,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,0,0,0,0,4,
    0,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0};
static int rf__tx_space(unsigned char c) { return rf__tx_class[c] & 1; }
static int rf__tx_digit(unsigned char c) { return (rf__tx_class[c] & 2) != 0; }
static int rf__tx_word(unsigned char c) { return (rf__tx_class[c] & 4) != 0; }
/* A quick hash for memo keys: two independent multiply lanes over 16-byte blocks, so the
   dependency chain is short. Keys are compared in full, so a collision only costs time. */
static inline uint64_t rf__tx_rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t rf__tx_hash(const char *s, size_t n, uint64_t seed) {
    uint64_t h0 = seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull), h1 = ~seed ^ 0xC2B2AE3D27D4EB4Full;
    uint64_t w0, w1;
    while (n >= 16) {
        memcpy(&w0, s, 8);
        memcpy(&w1, s + 8, 8);
        h0 = rf__tx_rotl((h0 ^ w0) * 0xBF58476D1CE4E5B9ull, 31);
        h1 = rf__tx_rotl((h1 ^ w1) * 0x94D049BB133111EBull, 27);
        s += 16;
        n -= 16;
    }
    w0 = w1 = 0;
    if (n > 8) {
        memcpy(&w0, s, 8);
        memcpy(&w1, s + 8, n - 8);
    } else if (n) {
        memcpy(&w0, s, n);
    }
    h0 = rf__tx_rotl((h0 ^ w0) * 0xBF58476D1CE4E5B9ull, 31);
    h1 = rf__tx_rotl((h1 ^ w1) * 0x94D049BB133111EBull, 27);
    h0 ^= rf__tx_rotl(h1, 32);
    h0 ^= h0 >> 29;
    h0 *= 0x9E3779B97F4A7C15ull;
    return h0 ^ (h0 >> 32);
}
static int rf__tx_starts(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    return n >= k && memcmp(s, lit, k) == 0;
}
static int rf__tx_ends(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    return n >= k && memcmp(s + n - k, lit, k) == 0;
}
/* First occurrence of lit in s[0..n), or n. */
static size_t rf__tx_find(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit);
    const char *p, *end;
    if (k == 0) return 0;
    if (n < k) return n; /* also an empty name that has no buffer yet (s == NULL) */
    p = s;
    end = s + n;
    while ((size_t)(end - p) >= k) {
        p = (const char *)memchr(p, lit[0], (size_t)(end - p) - k + 1);
        if (!p) return n;
        if (memcmp(p, lit, k) == 0) return (size_t)(p - s);
        p++;
    }
    return n;
}
/* Last occurrence of lit in s[0..n), or n. */
static size_t rf__tx_rfind(const char *s, size_t n, const char *lit) {
    size_t k = strlen(lit), i;
    if (k == 0 || n < k) return n;
    for (i = n - k + 1; i-- > 0;)
        if (s[i] == lit[0] && memcmp(s + i, lit, k) == 0) return i;
    return n;
}
/* Unsigned decimal s[0..n) (all digits) into *v; 0 on overflow or a non-digit. */
static int rf__tx_u64(const char *s, size_t n, uint64_t *v) {
    uint64_t x = 0;
    size_t i;
    if (n == 0) return 0;
    for (i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9 || x > (UINT64_MAX - d) / 10) return 0;
        x = x * 10 + d;
    }
    *v = x;
    return 1;
}
/* Signed decimal integer that fits int64. */
static int rf__tx_i64(const char *s, size_t n, int64_t *v) {
    uint64_t u;
    int neg = n > 0 && s[0] == '-';
    if (n > 0 && (s[0] == '-' || s[0] == '+')) { s++; n--; }
    if (!rf__tx_u64(s, n, &u) || u > (uint64_t)INT64_MAX) return 0;
    *v = neg ? -(int64_t)u : (int64_t)u;
    return 1;
}
static void rf__tx_trim(const char **s, size_t *n) {
    while (*n && rf__tx_space((unsigned char)**s)) { (*s)++; (*n)--; }
    while (*n && rf__tx_space((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* ---- unique-stack table: sums samples per stack before they reach the tree ---- */
typedef struct rf__stk_ent {
    uint64_t hash;
    size_t off;      /* first id in rf__stk.ids */
    uint32_t len;
    uint32_t pad_;
    int64_t w;       /* summed raw weight */
    uint64_t n;      /* samples */
} rf__stk_ent;

typedef struct rf__stk {
    rf__stk_ent *ent;
    size_t nent, ent_cap;
    uint32_t *tab;   /* entry index + 1; 0 = empty */
    size_t tab_cap;
    rf__ids ids;
    int64_t divisor; /* raw weight / divisor (rounded) enters the profile */
} rf__stk;

static void rf__stk_free(const rf_allocator *a, rf__stk *t) {
    rf__free(a, t->ent, t->ent_cap * sizeof(rf__stk_ent));
    rf__free(a, t->tab, t->tab_cap * sizeof(uint32_t));
    rf__ids_free(a, &t->ids);
    t->ent = NULL;
    t->tab = NULL;
    t->nent = t->ent_cap = t->tab_cap = 0;
}

/* Moves every summed stack into the profile, in first-seen order. */
static rf_result rf__stk_flush(rf_parser *ps, rf__stk *t) {
    rf_profile *p = ps->dst;
    size_t i;
    rf_result r;
    for (i = 0; i < t->nent; i++) {
        const rf__stk_ent *e = &t->ent[i];
        int64_t w = e->w;
        if (t->divisor > 1) w = w / t->divisor + (w % t->divisor >= t->divisor / 2);
        if (w <= 0) continue;
        r = rf__profile_add_ids(p, t->ids.v + e->off, e->len, w, 0, 0);
        if (r == RF_ERR_OVERFLOW) return rf__fail(ps, r, "total weight overflows 64 bits");
        if (r != RF_OK) return rf__fail(ps, r, "out of memory adding a stack");
        p->samples += e->n - 1; /* add_ids counted one sample for the whole sum */
    }
    t->nent = 0;
    t->ids.len = 0;
    if (t->tab) memset(t->tab, 0, t->tab_cap * sizeof(uint32_t));
    return RF_OK;
}

static rf_result rf__stk_rehash(const rf_allocator *a, rf__stk *t) {
    size_t ncap = t->tab_cap ? t->tab_cap * 2 : 4096, i;
    uint32_t *nt = (uint32_t *)rf__malloc(a, ncap * sizeof(uint32_t));
    if (!nt) return RF_ERR_OUT_OF_MEMORY;
    memset(nt, 0, ncap * sizeof(uint32_t));
    for (i = 0; i < t->nent; i++) {
        size_t j = (size_t)t->ent[i].hash & (ncap - 1);
        while (nt[j]) j = (j + 1) & (ncap - 1);
        nt[j] = (uint32_t)(i + 1);
    }
    rf__free(a, t->tab, t->tab_cap * sizeof(uint32_t));
    t->tab = nt;
    t->tab_cap = ncap;
    return RF_OK;
}

/* Adds weight w to the stack ids[0..n) (root first). */
static rf_result rf__stk_add(rf_parser *ps, rf__stk *t, const uint32_t *ids, size_t n, int64_t w) {
    const rf_allocator *a = ps->al;
    uint64_t h;
    size_t j;
    rf_result r;
    if (w <= 0) return RF_OK;
    h = n ? rf__tx_hash((const char *)ids, n * sizeof(uint32_t), 0) : 0;
    if (t->tab_cap) {
        for (j = (size_t)h & (t->tab_cap - 1); t->tab[j]; j = (j + 1) & (t->tab_cap - 1)) {
            rf__stk_ent *e = &t->ent[t->tab[j] - 1];
            if (e->hash == h && e->len == n &&
                (n == 0 || memcmp(t->ids.v + e->off, ids, n * sizeof(uint32_t)) == 0)) {
                if (e->w > INT64_MAX - w) return rf__fail(ps, RF_ERR_OVERFLOW, "total weight overflows 64 bits");
                e->w += w;
                e->n++;
                return RF_OK;
            }
        }
    }
    if (t->nent >= RF__STK_MAX_ENTRIES || t->ids.len + n > RF__STK_MAX_IDS) {
        if ((r = rf__stk_flush(ps, t)) != RF_OK) return r;
    }
    if ((t->nent + 1) * 2 > t->tab_cap && rf__stk_rehash(a, t)) goto oom;
    if (t->nent == t->ent_cap &&
        rf__grow(a, (void **)&t->ent, &t->ent_cap, t->nent + 1, sizeof(rf__stk_ent)))
        goto oom;
    if (rf__grow(a, (void **)&t->ids.v, &t->ids.cap, t->ids.len + n + 1, sizeof(uint32_t))) goto oom;
    t->ent[t->nent].hash = h;
    t->ent[t->nent].off = t->ids.len;
    t->ent[t->nent].len = (uint32_t)n;
    t->ent[t->nent].pad_ = 0;
    t->ent[t->nent].w = w;
    t->ent[t->nent].n = 1;
    if (n) memcpy(t->ids.v + t->ids.len, ids, n * sizeof(uint32_t));
    t->ids.len += n;
    for (j = (size_t)h & (t->tab_cap - 1); t->tab[j]; j = (j + 1) & (t->tab_cap - 1)) {}
    t->tab[j] = (uint32_t)(++t->nent);
    return RF_OK;
oom:
    return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
}

/* Interns s[0..n) or fails the parse. */
static rf_result rf__tx_intern(rf_parser *ps, const char *s, size_t n, uint32_t *id) {
    *id = rf__intern(ps->dst, n ? s : "", n); /* an empty scratch buffer may still be NULL */
    return *id == RF__NO_ID ? rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory") : RF_OK;
}

/* ===================== perf script ===================== */

/* Memo of tidied frame names: the frame line after its address ("sym+0x1f (module)"),
   plus whether the comm is java, -> name ids. */
typedef struct rf__pm_ent {
    uint32_t check;            /* high half of the key's hash */
    uint32_t koff, klen;       /* key bytes; klen's top bit = java */
    uint32_t val;              /* one id, or RF__PM_MULTI|index into multi, or RF__PM_NONE;
                                  RF__NO_ID = empty slot */
} rf__pm_ent;
#define RF__PM_MULTI 0x80000000u
#define RF__PM_NONE 0xFFFFFFFEu
#define RF__PM_JAVA 0x80000000u

typedef struct rf__pmemo {
    rf__pm_ent *tab;
    size_t cap, count;
    rf__buf keys;
    rf__ids multi; /* count, then the ids */
} rf__pmemo;

typedef struct rf__perf_hdr {
    size_t comm_len;       /* comm = line[0..comm_len) */
    size_t d1, d1n, d2, d2n; /* the numbers after comm: pid/tid or tid */
    size_t end;            /* just after the match */
} rf__perf_hdr;

typedef struct rf__offcpu_ent {
    uint64_t key;          /* tid + 1; 0 = empty slot */
    int64_t t_ns;          /* switch-out time */
    rf__ids ids;           /* the stack, root first, comm frame included */
} rf__offcpu_ent;

typedef struct rf__perf {
    rf__stk agg;
    rf__pmemo memo;
    int kernel, jit, addrs, srcline, offcpu, count_samples, with_pid, with_tid;
    /* the open sample */
    int open, filtered, java, too_deep;
    uint32_t pname_id;
    int64_t weight;
    /* last root frame, to skip re-interning it for each sample */
    rf__buf pname, last_pname;
    uint32_t last_pname_id;
    /* event filter */
    rf__buf event;
    int event_set, event_defaulted, event_warned, any_period, all_clock;
    /* srcline: frames waiting for their source line (ids index, name in srcbuf) */
    rf__buf name, srcbuf;
    size_t *src_pend;      /* triples: ids index, name offset, name length */
    size_t src_n, src_head, src_cap;
    /* off-CPU */
    rf__offcpu_ent *pend;
    size_t pend_cap, pend_count;
    int64_t cur_t;
    int64_t cur_tid;
    uint64_t dropped_pending, other_events;
    int have_time;
} rf__perf;

/* `^(\S.+?)\s+(\d+)[/]*(\d+)*\s+` : the shortest comm followed by whitespace, digits,
   optional "/digits", whitespace. Candidates are whitespace-run starts only, so a hostile
   line costs O(n). One departure: the Perl needs two bytes of comm, which turns a
   one-letter comm ("a 1 1.0: 5 cycles:") into "a_1_1.0:"; a one-byte comm is accepted. */
static int rf__perf_match_header(const char *s, size_t n, rf__perf_hdr *h) {
    size_t k = 1, m, i;
    if (n < 2 || rf__tx_space((unsigned char)s[0])) return 0;
    while (k < n) {
        if (!rf__tx_space((unsigned char)s[k])) { k++; continue; }
        for (m = k; m < n && rf__tx_space((unsigned char)s[m]); m++) {}
        i = m;
        while (i < n && rf__tx_digit((unsigned char)s[i])) i++;
        if (i > m) {
            size_t d1 = m, d1n = i - m, d2;
            while (i < n && s[i] == '/') i++;
            d2 = i;
            while (i < n && rf__tx_digit((unsigned char)s[i])) i++;
            if (i < n && rf__tx_space((unsigned char)s[i])) {
                h->comm_len = k;
                h->d1 = d1;
                h->d1n = d1n;
                h->d2 = d2;
                h->d2n = i - d2;
                while (i < n && rf__tx_space((unsigned char)s[i])) i++;
                h->end = i;
                return 1;
            }
        }
        k = m;
    }
    return 0;
}

/* `:\s*(\d+)*\s+(\S+):\s*$` : the last token ends with ':' (the event) and is preceded by
   ':' [digits (the period)]. */
static int rf__perf_match_event(const char *s, size_t n, size_t *ev, size_t *evn, size_t *per,
                                size_t *pern) {
    size_t e = n, t, p, q, r;
    while (e > 0 && rf__tx_space((unsigned char)s[e - 1])) e--;
    t = e;
    while (t > 0 && !rf__tx_space((unsigned char)s[t - 1])) t--;
    if (t == 0 || e - t < 2 || s[e - 1] != ':') return 0;
    *ev = t;
    *evn = e - 1 - t;
    *pern = 0;
    *per = 0;
    p = t;
    while (p > 0 && rf__tx_space((unsigned char)s[p - 1])) p--;
    if (p == 0) return 0;
    if (s[p - 1] == ':') return 1;
    q = p;
    while (q > 0 && rf__tx_digit((unsigned char)s[q - 1])) q--;
    if (q == p) return 0;
    r = q;
    while (r > 0 && rf__tx_space((unsigned char)s[r - 1])) r--;
    if (r == 0 || s[r - 1] != ':') return 0;
    *per = q;
    *pern = p - q;
    return 1;
}

/* `^\s*(\w+)\s*(.+) \((\S*)\)` with Perl's backtracking: the rightmost " (" whose
   following non-space run holds a ')' ends the symbol; the module ends at the last ')' of
   that run. Fills pc, symbol and module ranges; 0 when the line is not a frame. */
static int rf__perf_match_frame(const char *s, size_t n, size_t *pc, size_t *pcn, size_t *fs,
                                size_t *fe, size_t *ms, size_t *me) {
    size_t i = 0, a, A, B, j = 0, st, k;
    int found = 0;
    while (i < n && rf__tx_space((unsigned char)s[i])) i++;
    a = i;
    while (i < n && rf__tx_word((unsigned char)s[i])) i++;
    A = i;
    if (A == a) return 0;
    while (i < n && rf__tx_space((unsigned char)s[i])) i++;
    B = i;
    if (n >= 2 && s[n - 1] == ')') { /* the usual line: "... sym+0x1f (module)" */
        k = n - 1;
        while (k > 0 && !rf__tx_space((unsigned char)s[k - 1])) k--;
        if (k >= 1 && s[k] == '(' && s[k - 1] == ' ') {
            j = k - 1;
            *ms = k + 1;
            *me = n - 1;
            found = 1;
        }
    }
    if (!found) { /* general case: scan every " (" from the right; runs are disjoint, O(n) */
        size_t pos = n;
        while (!found && pos >= 2) {
            size_t run, last = 0;
            int have = 0;
            pos--;
            if (!(s[pos - 1] == ' ' && s[pos] == '(')) continue;
            for (run = pos + 1; run < n && !rf__tx_space((unsigned char)s[run]); run++)
                if (s[run] == ')') { last = run; have = 1; }
            if (have) {
                j = pos - 1;
                *ms = pos + 1;
                *me = last;
                found = 1;
            }
        }
        if (!found) return 0;
    }
    /* (.+) needs one byte: back off \s* and then \w+ when the " (" comes early */
    if (j < 1) return 0;
    st = B < j - 1 ? B : j - 1;
    if (st < a + 1) return 0;
    *pc = a;
    *pcn = (st < A ? st : A) - a;
    *fs = st;
    *fe = j;
    return 1;
}

/* `s/\+0x[\da-f]+$//` */
static size_t rf__perf_strip_offset(const char *s, size_t fs, size_t fe) {
    size_t k = fe;
    while (k > fs && (rf__tx_digit((unsigned char)s[k - 1]) || (s[k - 1] >= 'a' && s[k - 1] <= 'f'))) k--;
    if (k < fe && k >= fs + 3 && s[k - 3] == '+' && s[k - 2] == '0' && s[k - 1] == 'x') return k - 3;
    return fe;
}

/* m:/tmp/perf-\d+\.map: */
static int rf__perf_is_jit_map(const char *m, size_t n) {
    size_t at = 0;
    while (at < n) {
        size_t k = rf__tx_find(m + at, n - at, "/tmp/perf-"), d;
        if (k == n - at) return 0;
        d = at + k + 10;
        at = d;
        while (d < n && rf__tx_digit((unsigned char)m[d])) d++;
        if (d > at && d + 4 <= n && memcmp(m + d, ".map", 4) == 0) return 1;
    }
    return 0;
}

/* Builds the tidied name of one "->" element into pf->name, as stackcollapse-perf.pl does:
   [unknown] -> [module basename] (or [unknown], with <pc> under addrs), ';' -> ':', cut at the
   first '(' unless it opens "(anonymous namespace)" or the name looks like a Go method,
   quotes removed, Java 'L' dropped, annotations. Sets *unknown for a frame without module. */
static rf_result rf__perf_tidy(rf_parser *ps, rf__perf *pf, const char *e, size_t en,
                               const char *pc, size_t pcn, const char *mod, size_t modn,
                               int java, int inline_index, int *unknown) {
    rf__buf *b = &pf->name;
    const rf_allocator *a = ps->al;
    size_t i, w, first_dot_paren = (size_t)-1, last_paren_dot = 0;
    int have_pd = 0;
    char *d;
    b->len = 0;
    if (en == 9 && memcmp(e, "[unknown]", 9) == 0) {
        const char *base = "unknown";
        size_t bn = 7;
        if (!(modn == 9 && memcmp(mod, "[unknown]", 9) == 0)) {
            size_t k = modn;
            while (k > 0 && mod[k - 1] != '/') k--;
            base = mod + k;
            bn = modn - k;
        } else {
            *unknown = 1;
        }
        if (rf__buf_append(a, b, "[", 1) || rf__buf_append(a, b, base, bn)) goto oom;
        if (pf->addrs && (rf__buf_append(a, b, " <", 2) || rf__buf_append(a, b, pc, pcn) ||
                          rf__buf_append(a, b, ">", 1)))
            goto oom;
        if (rf__buf_append(a, b, "]", 1)) goto oom;
    } else if (rf__buf_append(a, b, e, en)) {
        goto oom;
    }
    d = b->data;
    /* ';' -> ':' and the Go-method test `\.\(.*\)\.` in one pass */
    for (i = 0; i < b->len; i++) {
        if (d[i] == ';') d[i] = ':';
        if (i + 1 < b->len) {
            if (d[i] == '.' && d[i + 1] == '(' && first_dot_paren == (size_t)-1) first_dot_paren = i;
            if (d[i] == ')' && d[i + 1] == '.') { last_paren_dot = i; have_pd = 1; }
        }
    }
    if (!(first_dot_paren != (size_t)-1 && have_pd && last_paren_dot >= first_dot_paren + 2)) {
        for (i = 0; i < b->len; i++) {
            if (d[i] != '(') continue;
            if (b->len - i - 1 >= 20 && memcmp(d + i + 1, "anonymous namespace)", 20) == 0) continue;
            b->len = i;
            break;
        }
    }
    for (i = w = 0; i < b->len; i++)
        if (d[i] != '"' && d[i] != '\'') d[w++] = d[i];
    b->len = w;
    if (java && b->len && d[0] == 'L' && memchr(d, '/', b->len)) {
        memmove(d, d + 1, b->len - 1);
        b->len--;
    }
    if (inline_index > 0) {
        if (rf__tx_find(b->data, b->len, "_[i]") == b->len && rf__buf_append(a, b, "_[i]", 4)) goto oom;
    } else if (pf->kernel && modn && (mod[0] == '[' || rf__tx_ends(mod, modn, "vmlinux")) &&
               rf__tx_find(mod, modn, "unknown") == modn) {
        if (rf__buf_append(a, b, "_[k]", 4)) goto oom;
    } else if (pf->jit && rf__perf_is_jit_map(mod, modn)) {
        if (rf__tx_find(b->data, b->len, "_[j]") == b->len && rf__buf_append(a, b, "_[j]", 4)) goto oom;
    }
    return RF_OK;
oom:
    return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
}

static rf_result rf__perf_push(rf_parser *ps, rf__perf *pf, uint32_t id) {
    if (ps->ids.len >= (size_t)RF_MAX_DEPTH - 1) { /* room for the comm frame */
        pf->too_deep = 1;
        return RF_OK;
    }
    if (rf__ids_push(ps->al, &ps->ids, id)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    return RF_OK;
}

/* Interns every srcline-pending frame as it stands (no source line came). */
static rf_result rf__perf_src_settle(rf_parser *ps, rf__perf *pf) {
    rf_result r;
    while (pf->src_head < pf->src_n) {
        size_t *t = pf->src_pend + 3 * pf->src_head++;
        uint32_t id;
        if ((r = rf__tx_intern(ps, t[2] ? pf->srcbuf.data + t[1] : "", t[2], &id)) != RF_OK) return r;
        if (t[0] < ps->ids.len) ps->ids.v[t[0]] = id;
    }
    pf->src_n = pf->src_head = 0;
    pf->srcbuf.len = 0;
    return RF_OK;
}

static rf_result rf__perf_src_defer(rf_parser *ps, rf__perf *pf) {
    size_t *t;
    if (pf->src_n == pf->src_cap &&
        rf__grow(ps->al, (void **)&pf->src_pend, &pf->src_cap, pf->src_n + 1, 3 * sizeof(size_t)))
        return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    t = pf->src_pend + 3 * pf->src_n++;
    t[0] = ps->ids.len - 1;
    t[1] = pf->srcbuf.len;
    t[2] = pf->name.len;
    if (rf__buf_append(ps->al, &pf->srcbuf, pf->name.data, pf->name.len))
        return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    return RF_OK;
}

/* `perf script -F+srcline` line: "  file.c:12", "  libc.so[27b25]", "  [kernel.kallsyms][ffff]". */
static int rf__perf_is_srcline(const char *s, size_t n) {
    size_t k;
    if (n == 0 || !rf__tx_space((unsigned char)s[0])) return 0;
    rf__tx_trim(&s, &n);
    if (n == 0) return 0;
    if (s[n - 1] == ']' && memchr(s, '[', n)) return 1;
    if (rf__tx_ends(s, n, ")")) { /* "file.c:12 (discriminator 3)" */
        k = rf__tx_rfind(s, n, " (discriminator ");
        if (k < n) n = k;
    }
    k = n;
    while (k > 0 && (rf__tx_digit((unsigned char)s[k - 1]) || s[k - 1] == '?')) k--;
    return k < n && k > 0 && s[k - 1] == ':';
}

/* Appends ":srcline" (brackets removed, trimmed) to the oldest pending frame. */
static rf_result rf__perf_src_apply(rf_parser *ps, rf__perf *pf, const char *s, size_t n) {
    size_t *t = pf->src_pend + 3 * pf->src_head++, i, start;
    rf__buf *b = &pf->name;
    uint32_t id;
    rf_result r;
    b->len = 0;
    if ((t[2] && rf__buf_append(ps->al, b, pf->srcbuf.data + t[1], t[2])) || rf__buf_append(ps->al, b, ":", 1))
        return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    start = b->len;
    for (i = 0; i < n; i++) { /* s/\[.*?\]//g */
        if (s[i] == '[') {
            const char *close = (const char *)memchr(s + i, ']', n - i);
            if (close) { i = (size_t)(close - s); continue; }
        }
        if (rf__buf_append(ps->al, b, s + i, 1)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    }
    {
        const char *v = b->data + start;
        size_t vn = b->len - start;
        rf__tx_trim(&v, &vn);
        memmove(b->data + start, v, vn);
        b->len = vn ? start + vn : start - 1; /* nothing left: no ':' either */
    }
    if ((r = rf__tx_intern(ps, b->data, b->len, &id)) != RF_OK) return r;
    if (t[0] < ps->ids.len) ps->ids.v[t[0]] = id;
    if (pf->src_head == pf->src_n) { pf->src_n = pf->src_head = 0; pf->srcbuf.len = 0; }
    return RF_OK;
}

/* ---- frame memo ---- */
static void rf__pmemo_free(const rf_allocator *a, rf__pmemo *m) {
    rf__free(a, m->tab, m->cap * sizeof(rf__pm_ent));
    rf__buf_free(a, &m->keys);
    rf__ids_free(a, &m->multi);
    m->tab = NULL;
    m->cap = m->count = 0;
}
/* Equality of two short byte strings, 8 bytes at a time (memo hits compare ~50 bytes; this
   beats a memcmp call there). */
static inline int rf__tx_same(const char *a, const char *b, size_t n) {
    uint64_t x, y;
    while (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y) return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    return n == 0 || memcmp(a, b, n) == 0;
}
static const rf__pm_ent *rf__pmemo_get(const rf__pmemo *mm, uint64_t h, const char *k, size_t kn,
                                       int java) {
    size_t j;
    uint32_t kl = (uint32_t)kn | (java ? RF__PM_JAVA : 0);
    if (!mm->cap || kn >= RF__PM_JAVA) return NULL;
    for (j = (size_t)h & (mm->cap - 1); mm->tab[j].val != RF__NO_ID; j = (j + 1) & (mm->cap - 1)) {
        const rf__pm_ent *e = &mm->tab[j];
        if (e->check == (uint32_t)(h >> 32) && e->klen == kl && rf__tx_same(mm->keys.data + e->koff, k, kn))
            return e;
    }
    return NULL;
}
/* Remembers ids[0..n) for the key; best effort (a full memo is simply reset). */
static rf_result rf__pmemo_put(const rf_allocator *a, rf__pmemo *mm, uint64_t h, const char *key,
                               size_t kn, int java, const uint32_t *ids, size_t n) {
    size_t j;
    rf__pm_ent e;
    if (kn == 0 || kn >= RF__PM_JAVA || n >= 0xFFFF) return RF_OK;
    if (mm->count >= RF__PMEMO_MAX_ENTRIES || mm->keys.len + kn > RF__PMEMO_MAX_BYTES) {
        size_t k;
        for (k = 0; k < mm->cap; k++) mm->tab[k].val = RF__NO_ID;
        mm->count = 0;
        mm->keys.len = 0;
        mm->multi.len = 0;
    }
    if ((mm->count + 1) * 4 > mm->cap * 3) { /* load <= 3/4: 16-byte slots stay cache friendly */
        size_t ncap = mm->cap ? mm->cap * 2 : 4096, k;
        rf__pm_ent *nt = (rf__pm_ent *)rf__malloc(a, ncap * sizeof(rf__pm_ent));
        if (!nt) return RF_ERR_OUT_OF_MEMORY;
        for (k = 0; k < ncap; k++) nt[k].val = RF__NO_ID;
        for (k = 0; k < mm->cap; k++) {
            size_t q;
            const rf__pm_ent *o = &mm->tab[k];
            uint64_t oh;
            if (o->val == RF__NO_ID) continue;
            oh = rf__tx_hash(mm->keys.data + o->koff, o->klen & ~RF__PM_JAVA, (uint64_t)((o->klen & RF__PM_JAVA) != 0));
            for (q = (size_t)oh & (ncap - 1); nt[q].val != RF__NO_ID; q = (q + 1) & (ncap - 1)) {}
            nt[q] = mm->tab[k];
        }
        rf__free(a, mm->tab, mm->cap * sizeof(rf__pm_ent));
        mm->tab = nt;
        mm->cap = ncap;
    }
    e.check = (uint32_t)(h >> 32);
    e.koff = (uint32_t)mm->keys.len;
    e.klen = (uint32_t)kn | (java ? RF__PM_JAVA : 0);
    if (n == 0) {
        e.val = RF__PM_NONE;
    } else if (n == 1 && !(ids[0] & RF__PM_MULTI)) {
        e.val = ids[0];
    } else {
        size_t k;
        e.val = RF__PM_MULTI | (uint32_t)mm->multi.len;
        if (rf__ids_push(a, &mm->multi, (uint32_t)n)) return RF_ERR_OUT_OF_MEMORY;
        for (k = 0; k < n; k++)
            if (rf__ids_push(a, &mm->multi, ids[k])) return RF_ERR_OUT_OF_MEMORY;
    }
    if (rf__buf_append(a, &mm->keys, key, kn)) return RF_ERR_OUT_OF_MEMORY;
    for (j = (size_t)h & (mm->cap - 1); mm->tab[j].val != RF__NO_ID; j = (j + 1) & (mm->cap - 1)) {}
    mm->tab[j] = e;
    mm->count++;
    return RF_OK;
}

/* One stack line: push its frame(s), leaf first. *ok = 0 when the line is not a frame.
   The hot path: skip the address, hash the rest of the line, find its names in the memo. */
static rf_result rf__perf_frame(rf_parser *ps, rf__perf *pf, const char *s, size_t n, int *ok) {
    size_t pc, pcn, fs, fe, ms, me, start, i, elem_start, elem_i, key, a;
    const char *f, *mod;
    size_t fn, mn;
    uint64_t h = 0;
    int use_memo, unknown = 0;
    rf_result r;
    i = n && s[0] == '\t';
    while (i + 8 <= n) { /* perf right-aligns addresses in 16 columns: skip spaces 8 at a time */
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w != 0x2020202020202020ull) break;
        i += 8;
    }
    for (; i < n && (rf__tx_class[(unsigned char)s[i]] & 1); i++) {}
    a = i;
    while (i < n && (rf__tx_class[(unsigned char)s[i]] & 4)) i++;
    if (i == a) { *ok = 0; return RF_OK; }
    while (i < n && (rf__tx_class[(unsigned char)s[i]] & 1)) i++;
    key = i;
    use_memo = !pf->srcline && !(pf->addrs && rf__tx_find(s + key, n - key, "[unknown]") < n - key);
    if (use_memo) {
        const rf__pm_ent *e;
        h = rf__tx_hash(s + key, n - key, (uint64_t)pf->java);
        e = rf__pmemo_get(&pf->memo, h, s + key, n - key, pf->java);
        if (e) {
            *ok = 1;
            if (e->val == RF__PM_NONE) return RF_OK;
            if (!(e->val & RF__PM_MULTI)) return rf__perf_push(ps, pf, e->val);
            {
                const uint32_t *v = pf->memo.multi.v + (e->val & ~RF__PM_MULTI);
                uint32_t k, cnt = v[0];
                for (k = 0; k < cnt; k++)
                    if ((r = rf__perf_push(ps, pf, v[1 + k])) != RF_OK) return r;
                return RF_OK;
            }
        }
    }
    *ok = rf__perf_match_frame(s, n, &pc, &pcn, &fs, &fe, &ms, &me);
    if (!*ok) return RF_OK;
    /* the key must determine the result: not so when Perl backtracked into the address */
    if (fs != key) use_memo = 0;
    fe = rf__perf_strip_offset(s, fs, fe);
    f = s + fs;
    fn = fe - fs;
    mod = s + ms;
    mn = me - ms;
    start = ps->ids.len;
    if (!(fn && f[0] == '(')) { /* "(...)": Perl skips these as process names */
        /* split on "->" (old perf inline notation); Perl's split drops trailing empty fields */
        size_t fields = 0, nonempty = 0;
        elem_start = 0;
        for (i = 0; i <= fn; i++) {
            if (i == fn || (f[i] == '-' && i + 1 < fn && f[i + 1] == '>')) {
                fields++;
                if (i > elem_start) nonempty = fields;
                if (i < fn) i++;
                elem_start = i + 1;
            }
        }
        elem_start = 0;
        elem_i = 0;
        for (i = 0; i <= fn && elem_i < nonempty && !pf->too_deep; i++) {
            if (i == fn || (f[i] == '-' && i + 1 < fn && f[i + 1] == '>')) {
                uint32_t id;
                if ((r = rf__perf_tidy(ps, pf, f + elem_start, i - elem_start, s + pc, pcn, mod, mn,
                                       pf->java, (int)elem_i, &unknown)) != RF_OK)
                    return r;
                if ((r = rf__tx_intern(ps, pf->name.data, pf->name.len, &id)) != RF_OK) return r;
                if ((r = rf__perf_push(ps, pf, id)) != RF_OK) return r;
                if (pf->srcline && !unknown && !pf->too_deep && (r = rf__perf_src_defer(ps, pf)) != RF_OK)
                    return r;
                elem_i++;
                if (i < fn) i++;
                elem_start = i + 1;
            }
        }
    }
    if (ps->ids.len - start > 1) {
        /* Perl unshifts the whole group: in leaf-first order the callee comes first */
        size_t lo = start, hi = ps->ids.len - 1, q;
        while (lo < hi) {
            uint32_t tmp = ps->ids.v[lo];
            ps->ids.v[lo++] = ps->ids.v[hi];
            ps->ids.v[hi--] = tmp;
        }
        for (q = pf->src_head; q < pf->src_n; q++) {
            size_t *t = pf->src_pend + 3 * q;
            if (t[0] >= start && t[0] < ps->ids.len) t[0] = start + (ps->ids.len - 1 - t[0]);
        }
    }
    if (use_memo && !pf->too_deep &&
        rf__pmemo_put(ps->al, &pf->memo, h, s + key, n - key, pf->java,
                      ps->ids.len > start ? ps->ids.v + start : NULL, ps->ids.len - start))
        return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    return RF_OK;
}

/* ---- off-CPU: pending switch-outs per thread (linear probing, backward-shift delete) ---- */
static size_t rf__offcpu_slot(const rf__perf *pf, uint64_t key) {
    uint64_t x = key * 0x9E3779B97F4A7C15ull;
    size_t j = (size_t)(x >> 20) & (pf->pend_cap - 1);
    while (pf->pend[j].key && pf->pend[j].key != key) j = (j + 1) & (pf->pend_cap - 1);
    return j;
}
static void rf__offcpu_delete(rf__perf *pf, size_t j) {
    size_t i = j, k;
    pf->pend[i].key = 0;
    for (k = (j + 1) & (pf->pend_cap - 1); pf->pend[k].key; k = (k + 1) & (pf->pend_cap - 1)) {
        uint64_t x = pf->pend[k].key * 0x9E3779B97F4A7C15ull;
        size_t home = (size_t)(x >> 20) & (pf->pend_cap - 1);
        /* move k back to i when its home is not in (i, k] cyclically */
        if ((i <= k) ? (home <= i || home > k) : (home <= i && home > k)) {
            pf->pend[i] = pf->pend[k];
            pf->pend[k].key = 0;
            memset(&pf->pend[k].ids, 0, sizeof pf->pend[k].ids);
            i = k;
        }
    }
    pf->pend_count--;
}
static rf_result rf__offcpu_grow(rf_parser *ps, rf__perf *pf) {
    rf__offcpu_ent *old = pf->pend;
    size_t ocap = pf->pend_cap, ncap = ocap ? ocap * 2 : 256, k;
    rf__offcpu_ent *nt = (rf__offcpu_ent *)rf__malloc(ps->al, ncap * sizeof(rf__offcpu_ent));
    if (!nt) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(nt, 0, ncap * sizeof(rf__offcpu_ent));
    pf->pend = nt;
    pf->pend_cap = ncap;
    for (k = 0; k < ocap; k++)
        if (old[k].key) pf->pend[rf__offcpu_slot(pf, old[k].key)] = old[k];
    rf__free(ps->al, old, ocap * sizeof(rf__offcpu_ent));
    return RF_OK;
}
/* Thread `tid` is switched in at time t: its pending switch-out becomes off-CPU time. */
static rf_result rf__offcpu_switch_in(rf_parser *ps, rf__perf *pf, int64_t tid, int64_t t) {
    size_t j;
    rf__offcpu_ent *e;
    rf_result r = RF_OK;
    if (!pf->pend_cap || tid <= 0) return RF_OK;
    j = rf__offcpu_slot(pf, (uint64_t)tid + 1);
    e = &pf->pend[j];
    if (!e->key) return RF_OK;
    if (t >= e->t_ns) r = rf__stk_add(ps, &pf->agg, e->ids.v, e->ids.len, t - e->t_ns);
    rf__ids_free(ps->al, &e->ids);
    rf__offcpu_delete(pf, j);
    return r;
}
/* The stack just read (root first in ps->ids) is where `tid` blocked at time t. */
static rf_result rf__offcpu_switch_out(rf_parser *ps, rf__perf *pf, int64_t tid, int64_t t) {
    size_t j;
    rf__offcpu_ent *e;
    if (tid <= 0) return RF_OK; /* the idle task: one per CPU, never "off" */
    if ((pf->pend_count + 1) * 2 > pf->pend_cap) {
        if (pf->pend_count >= RF_PERF_MAX_PENDING) {
            if (pf->dropped_pending++ == 0)
                rf__warn(ps, "off-CPU: too many threads waiting at once (RF_PERF_MAX_PENDING); some switch-outs are not counted", NULL);
            return RF_OK;
        }
        if (rf__offcpu_grow(ps, pf) != RF_OK) return RF_ERR_OUT_OF_MEMORY;
    }
    j = rf__offcpu_slot(pf, (uint64_t)tid + 1);
    e = &pf->pend[j];
    if (!e->key) {
        e->key = (uint64_t)tid + 1;
        memset(&e->ids, 0, sizeof e->ids);
        pf->pend_count++;
    }
    e->t_ns = t;
    e->ids.len = 0;
    if (rf__grow(ps->al, (void **)&e->ids.v, &e->ids.cap, ps->ids.len + 1, sizeof(uint32_t)))
        return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memcpy(e->ids.v, ps->ids.v, ps->ids.len * sizeof(uint32_t));
    e->ids.len = ps->ids.len;
    return RF_OK;
}

/* "991.675411:" (or --ns "991.675411123:") -> nanoseconds. */
static int rf__perf_time(const char *s, size_t n, size_t from, int64_t *ns) {
    size_t i = from, d0;
    uint64_t sec = 0, frac = 0;
    int digits = 0;
    if (i < n && s[i] == '[') { /* [cpu] */
        while (i < n && s[i] != ']') i++;
        if (i == n) return 0;
        i++;
        while (i < n && rf__tx_space((unsigned char)s[i])) i++;
    }
    d0 = i;
    while (i < n && rf__tx_digit((unsigned char)s[i])) i++;
    if (i == d0 || i >= n || s[i] != '.' || i - d0 > 10 || !rf__tx_u64(s + d0, i - d0, &sec)) return 0;
    i++;
    while (i < n && rf__tx_digit((unsigned char)s[i])) {
        if (digits < 9) { frac = frac * 10 + (uint64_t)(s[i] - '0'); digits++; }
        i++;
    }
    if (digits == 0 || i >= n || s[i] != ':') return 0;
    while (digits < 9) { frac *= 10; digits++; }
    *ns = (int64_t)(sec * 1000000000ull + frac);
    return 1;
}

/* "name=123" somewhere in s (the last occurrence when last != 0). */
static int rf__perf_field(const char *s, size_t n, const char *name, int last, int64_t *v) {
    size_t k = last ? rf__tx_rfind(s, n, name) : rf__tx_find(s, n, name), i;
    if (k == n) return 0;
    k += strlen(name);
    for (i = k; i < n && rf__tx_digit((unsigned char)s[i]); i++) {}
    return rf__tx_i64(s + k, i - k, v);
}

/* Ends the open sample (blank line, next header, or end of input). */
static rf_result rf__perf_end_sample(rf_parser *ps, rf__perf *pf) {
    rf_result r;
    if (!pf->open) { pf->filtered = 0; return RF_OK; }
    pf->open = 0;
    if (pf->src_n && (r = rf__perf_src_settle(ps, pf)) != RF_OK) return r;
    if (pf->too_deep) {
        pf->too_deep = 0;
        ps->ids.len = 0;
        return rf__skip(ps, "perf: stack deeper than RF_MAX_DEPTH (sample skipped)");
    }
    if (rf__ids_push(ps->al, &ps->ids, pf->pname_id)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    rf__ids_reverse(&ps->ids);
    ps->stats.samples++;
    if (pf->offcpu) r = rf__offcpu_switch_out(ps, pf, pf->cur_tid, pf->cur_t);
    else r = rf__stk_add(ps, &pf->agg, ps->ids.v, ps->ids.len, pf->weight);
    ps->ids.len = 0;
    return r;
}

static int rf__perf_is_clock_event(const char *e, size_t n) {
    return rf__tx_starts(e, n, "cpu-clock") || rf__tx_starts(e, n, "task-clock");
}

/* A sample header. *matched = 0 when the line is not one. */
static rf_result rf__perf_header(rf_parser *ps, rf__perf *pf, const char *s, size_t n, int *matched) {
    rf__perf_hdr h;
    size_t ev = 0, evn = 0, per = 0, pern = 0, i;
    int has_event;
    const char *pid, *tid;
    size_t pidn, tidn;
    const rf_allocator *a = ps->al;
    rf_result r;
    *matched = rf__perf_match_header(s, n, &h);
    if (!*matched) return RF_OK;
    if ((r = rf__perf_end_sample(ps, pf)) != RF_OK) return r;
    pf->filtered = 0;
    if (pf->offcpu) {
        size_t k = rf__tx_find(s + h.end, n - h.end, " sched:sched_switch:");
        int64_t next_tid = 0, prev_tid = 0;
        if (k == n - h.end) {
            /* perf record --switch-events: "PERF_RECORD_SWITCH[_CPU_WIDE] IN" is written in the
               context of the thread switched in, so it is there even where the sched_switch
               tracepoint of the task it replaced is lost (the idle task of some CPUs) */
            size_t sw = rf__tx_find(s + h.end, n - h.end, " PERF_RECORD_SWITCH");
            pf->filtered = 1;
            if (sw != n - h.end) {
                const char *rest = s + h.end + sw + 19;
                size_t restn = n - h.end - sw - 19;
                int64_t in_tid = 0;
                const char *tid_text = h.d2n ? s + h.d2 : s + h.d1;
                if (rf__tx_starts(rest, restn, "_CPU_WIDE")) { rest += 9; restn -= 9; }
                if (!rf__tx_starts(rest, restn, " IN")) return RF_OK; /* OUT: the tracepoint has the stack */
                if (!rf__perf_time(s, n, h.end, &pf->cur_t))
                    return rf__skip(ps, "off-CPU: switch event without a timestamp (record with -T / keep the time field)");
                if (!rf__tx_i64(tid_text, h.d2n ? h.d2n : h.d1n, &in_tid)) return rf__skip(ps, "off-CPU: switch event without a thread id");
                return rf__offcpu_switch_in(ps, pf, in_tid, pf->cur_t);
            }
            if (pf->other_events++ == 0) rf__warn(ps, "off-CPU: events other than sched:sched_switch are ignored", NULL);
            return RF_OK;
        }
        if (!rf__perf_time(s, n, h.end, &pf->cur_t)) {
            pf->filtered = 1;
            return rf__skip(ps, "off-CPU: sched_switch header without a timestamp (record with -T / keep the time field)");
        }
        k += h.end;
        if (!rf__perf_field(s + k, n - k, " next_pid=", 1, &next_tid))
            return (pf->filtered = 1, rf__skip(ps, "off-CPU: sched_switch without next_pid="));
        if (!rf__perf_field(s + k, n - k, " prev_pid=", 0, &prev_tid)) {
            const char *t = h.d2n ? s + h.d2 : s + h.d1;
            if (!rf__tx_i64(t, h.d2n ? h.d2n : h.d1n, &prev_tid)) prev_tid = 0;
        }
        pf->cur_tid = prev_tid;
        if ((r = rf__offcpu_switch_in(ps, pf, next_tid, pf->cur_t)) != RF_OK) return r;
        pf->weight = 1;
    } else {
        has_event = rf__perf_match_event(s, n, &ev, &evn, &per, &pern);
        if (has_event) {
            if (!pf->event_set) {
                pf->event.len = 0;
                if (rf__buf_append(a, &pf->event, s + ev, evn)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
                pf->event_set = 1;
                pf->event_defaulted = 1;
                pf->all_clock = rf__perf_is_clock_event(s + ev, evn);
            } else if (evn != pf->event.len || memcmp(s + ev, pf->event.data, evn) != 0) {
                if (pf->event_defaulted && !pf->event_warned) {
                    char detail[96];
                    size_t k = pf->event.len < sizeof detail - 1 ? pf->event.len : sizeof detail - 1;
                    memcpy(detail, pf->event.data, k);
                    detail[k] = '\0';
                    rf__warn(ps, "perf: several event types; only the first one is kept (choose with the event filter option)", detail);
                    pf->event_warned = 1;
                }
                pf->filtered = 1;
                return RF_OK;
            }
        }
        pf->weight = 1;
        if (pern && !(pern == 1 && s[per] == '0')) { /* Perl: `not $period` -> 1 */
            uint64_t v;
            if (!rf__tx_u64(s + per, pern, &v) || v > (uint64_t)INT64_MAX)
                return rf__fail(ps, RF_ERR_OVERFLOW, "perf: sample period does not fit 64 bits");
            pf->weight = (int64_t)v;
            if (v != 1) pf->any_period = 1;
        }
        if (pf->count_samples) pf->weight = 1;
    }
    /* root frame: comm[-PID[/TID]], spaces -> '_' ; Perl treats a TID "0" as absent */
    if (h.d2n && !(h.d2n == 1 && s[h.d2] == '0')) {
        pid = s + h.d1; pidn = h.d1n; tid = s + h.d2; tidn = h.d2n;
    } else {
        pid = "?"; pidn = 1; tid = s + h.d1; tidn = h.d1n;
    }
    pf->pname.len = 0;
    if (rf__buf_append(a, &pf->pname, s, h.comm_len)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    if (pf->with_tid || pf->with_pid) {
        if (rf__buf_append(a, &pf->pname, "-", 1) || rf__buf_append(a, &pf->pname, pid, pidn))
            return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
        if (pf->with_tid && (rf__buf_append(a, &pf->pname, "/", 1) || rf__buf_append(a, &pf->pname, tid, tidn)))
            return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (i = 0; i < pf->pname.len; i++)
        if (pf->pname.data[i] == ' ') pf->pname.data[i] = '_';
    if (pf->last_pname.data && pf->pname.len == pf->last_pname.len &&
        memcmp(pf->pname.data, pf->last_pname.data, pf->pname.len) == 0) {
        pf->pname_id = pf->last_pname_id;
    } else {
        if ((r = rf__tx_intern(ps, pf->pname.data, pf->pname.len, &pf->pname_id)) != RF_OK) return r;
        pf->last_pname.len = 0;
        if (rf__buf_append(a, &pf->last_pname, pf->pname.data, pf->pname.len) ||
            rf__buf_reserve(a, &pf->last_pname, 1))
            return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
        pf->last_pname_id = pf->pname_id;
    }
    pf->java = h.comm_len >= 4 && memcmp(s, "java", 4) == 0;
    pf->open = 1;
    pf->too_deep = 0;
    ps->ids.len = 0;
    return RF_OK;
}

static rf_result rf__perf_line(rf_parser *ps, const char *s, size_t n) {
    rf__perf *pf = (rf__perf *)ps->impl;
    rf_result r;
    int ok;
    unsigned char c;
    if (n == 0) return rf__perf_end_sample(ps, pf);
    c = (unsigned char)s[0];
    if (c == '\t' || c == ' ') {
        /* the hot path: a frame of the open sample */
        if (pf->open && !pf->too_deep) {
            /* frames still waiting for a srcline get none: a frame line came instead
               (this also bounds what srcline mode holds to one frame's names) */
            if (pf->src_n && !rf__perf_is_srcline(s, n) && (r = rf__perf_src_settle(ps, pf)) != RF_OK) return r;
            if ((r = rf__perf_frame(ps, pf, s, n, &ok)) != RF_OK) return r;
            if (ok) return RF_OK;
        } else if (pf->open || pf->filtered) {
            /* too deep, or a filtered sample: recognised, not used */
            size_t pc, pcn, fs, fe, ms, me;
            if (rf__perf_match_frame(s, n, &pc, &pcn, &fs, &fe, &ms, &me) || rf__perf_is_srcline(s, n))
                return RF_OK;
        }
        {
            size_t k = 0;
            while (k < n && rf__tx_space((unsigned char)s[k])) k++;
            if (k == n) return rf__perf_end_sample(ps, pf); /* whitespace only: a blank line */
        }
        if (rf__perf_is_srcline(s, n)) {
            if (pf->open && pf->src_head < pf->src_n) return rf__perf_src_apply(ps, pf, s, n);
            return RF_OK;
        }
        if (!pf->open && !pf->filtered) {
            size_t pc, pcn, fs, fe, ms, me;
            if (rf__perf_match_frame(s, n, &pc, &pcn, &fs, &fe, &ms, &me))
                return rf__skip(ps, "perf: stack line outside a sample (no header before it)");
        }
        return rf__skip(ps, "perf: unrecognised line");
    }
    if (c == '#') return RF_OK; /* perf's --header block and comments */
    if (pf->src_n && (r = rf__perf_src_settle(ps, pf)) != RF_OK) return r;
    if ((r = rf__perf_header(ps, pf, s, n, &ok)) != RF_OK || ok) return r;
    if (pf->open && !pf->too_deep) { /* Perl tries the frame pattern on any line */
        if ((r = rf__perf_frame(ps, pf, s, n, &ok)) != RF_OK || ok) return r;
    }
    return rf__skip(ps, "perf: unrecognised line (neither a sample header nor a stack frame)");
}

static rf_result rf__perf_feed(rf_parser *ps, const char *d, size_t n) {
    return rf__feed_lines(ps, d, n, rf__perf_line);
}

static rf_result rf__perf_finish(rf_parser *ps) {
    rf__perf *pf = (rf__perf *)ps->impl;
    rf_result r;
    if ((r = rf__finish_lines(ps, rf__perf_line)) != RF_OK) return r;
    if (pf->open) {
        /* perf script ends every sample with a blank line: a last sample without one is
           a cut-off stack (truncated file). Dropped, as stackcollapse-perf.pl does. */
        pf->open = 0;
        ps->ids.len = 0;
        pf->src_n = pf->src_head = 0;
        rf__warn(ps, "perf: the input ends inside a sample (no blank line after it); that sample is dropped", NULL);
    }
    if (pf->offcpu && pf->pend_count)
        rf__warn(ps, "off-CPU: threads still switched out at the end of the capture are not counted", NULL);
    if ((r = rf__stk_flush(ps, &pf->agg)) != RF_OK) return r;
    if (pf->offcpu) {
        r = rf_profile_set_unit(ps->dst, "microseconds");
        if (r == RF_OK) r = rf_profile_set_sample_type(ps->dst, "off-cpu");
    } else {
        const char *unit = "samples";
        if (!pf->count_samples && pf->any_period) unit = pf->all_clock ? "nanoseconds" : "events";
        r = rf_profile_set_unit(ps->dst, unit);
        if (r == RF_OK && pf->event_set) {
            char ev[128];
            size_t k = pf->event.len < sizeof ev - 1 ? pf->event.len : sizeof ev - 1;
            memcpy(ev, pf->event.data, k);
            ev[k] = '\0';
            r = rf_profile_set_sample_type(ps->dst, ev);
        }
    }
    if (r != RF_OK) return rf__fail(ps, r, "out of memory");
    return RF_OK;
}

static void rf__perf_destroy(rf_parser *ps) {
    rf__perf *pf = (rf__perf *)ps->impl;
    const rf_allocator *a = ps->al;
    size_t k;
    if (!pf) return;
    rf__stk_free(a, &pf->agg);
    rf__pmemo_free(a, &pf->memo);
    rf__buf_free(a, &pf->pname);
    rf__buf_free(a, &pf->last_pname);
    rf__buf_free(a, &pf->event);
    rf__buf_free(a, &pf->name);
    rf__buf_free(a, &pf->srcbuf);
    rf__free(a, pf->src_pend, pf->src_cap * 3 * sizeof(size_t));
    for (k = 0; k < pf->pend_cap; k++)
        if (pf->pend[k].key) rf__ids_free(a, &pf->pend[k].ids);
    rf__free(a, pf->pend, pf->pend_cap * sizeof(rf__offcpu_ent));
    rf__free(a, pf, sizeof *pf);
    ps->impl = NULL;
}

static const rf__parser_vt rf__perf_vt = {rf__perf_feed, rf__perf_finish, rf__perf_destroy};

static rf_result rf__perf_init(rf_parser *ps) {
    rf__perf *pf = (rf__perf *)rf__malloc(ps->al, sizeof *pf);
    const char *ef = ps->opt.perf.event_filter;
    if (!pf) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(pf, 0, sizeof *pf);
    ps->impl = pf;
    ps->vt = &rf__perf_vt;
    pf->kernel = ps->opt.perf.kernel || ps->opt.perf.all;
    pf->jit = ps->opt.perf.jit || ps->opt.perf.all;
    pf->addrs = ps->opt.perf.addrs;
    pf->srcline = ps->opt.perf.srcline;
    pf->offcpu = ps->opt.perf.offcpu;
    pf->count_samples = ps->opt.perf.count_samples;
    pf->with_pid = ps->opt.perf.pid;
    pf->with_tid = ps->opt.perf.tid;
    pf->agg.divisor = pf->offcpu ? 1000 : 1; /* off-CPU sums nanoseconds, reports microseconds */
    if (ef && *ef && !pf->offcpu) {
        if (rf__buf_append(ps->al, &pf->event, ef, strlen(ef))) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
        pf->event_set = 1;
        pf->all_clock = rf__perf_is_clock_event(ef, strlen(ef));
    }
    return RF_OK;
}

/* Public helpers for parsing one input in several threads. */

/* The offset just after the first blank line at or after `from` (where a new sample
   starts), or n when there is none. Parsing [0, k) and [k, n) separately and merging
   the profiles gives the same result as parsing the whole (except off-CPU mode, whose
   switch-out/switch-in pairs may straddle the split, and the default event filter, see
   rf_perf_first_event). */
RF_API size_t rf_perf_split_point(const void *buf, size_t n, size_t from) {
    const char *s = (const char *)buf, *p;
    if (!s || from >= n) return n;
    p = s + from;
    for (;;) {
        const char *nl = (const char *)memchr(p, '\n', (size_t)(s + n - p));
        size_t k;
        if (!nl) return n;
        k = (size_t)(nl - s) + 1;
        if (k < n && s[k] == '\n') return k + 1;
        if (k + 1 < n && s[k] == '\r' && s[k + 1] == '\n') return k + 2;
        p = nl + 1;
    }
}

/* The event of the first sample header in buf ("cpu-clock:ppp"), NUL-terminated into out;
   returns its length (0 when none). Pass it as opt.perf.event_filter to every part of a
   split input so each part keeps the same event as a whole-file parse would. */
RF_API size_t rf_perf_first_event(const void *buf, size_t n, char *out, size_t cap) {
    const char *s = (const char *)buf, *end = s + n;
    if (!s || !out || cap == 0) return 0;
    out[0] = '\0';
    while (s < end) {
        const char *nl = (const char *)memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s), ev, evn, per, pern;
        rf__perf_hdr h;
        if (len && s[len - 1] == '\r') len--;
        if (len && s[0] != '#' && rf__perf_match_header(s, len, &h) &&
            rf__perf_match_event(s, len, &ev, &evn, &per, &pern)) {
            if (evn >= cap) evn = cap - 1;
            memcpy(out, s + ev, evn);
            out[evn] = '\0';
            return evn;
        }
        if (!nl) break;
        s = nl + 1;
    }
    return 0;
}

/* ===================== bpftrace ===================== */
/* Map entries `@name[key]: value`. Stack keys span lines ("@[" ... "]: N"), frames leaf
   first, indented by 4 spaces ("sym+off") or, in perf mode, by a TAB ("addr sym+off (mod)");
   tuple keys separate their parts with ", " (stack parts end with a line ", "). Scalars in a
   key (comm, pid, one symbol) become root frames in key order; the stack parts follow,
   concatenated leaf first and reversed. Offsets ("+123", and "@file:line" of newer
   versions) are stripped. One-line keys `@[a, b]: N` split at ", ". Histograms and scalar
   maps are not stacks: their lines are skipped and counted. */
typedef struct rf__bpf {
    int in_entry;      /* inside a multi-line key */
    int in_other;      /* inside a histogram/scalar map */
    rf__ids scalars;   /* root frames from scalar key parts */
    rf__ids frames;    /* stack frames, leaf first */
    rf__stk agg;
} rf__bpf;

/* One frame line of a stack key -> name range. */
static void rf__bpf_frame_name(const char *s, size_t n, const char **out, size_t *outn) {
    int perf_mode = n && s[0] == '\t';
    size_t k;
    rf__tx_trim(&s, &n);
    if (perf_mode) { /* "7fc75e722011 __GI___libc_open+81 (/usr/lib/libc.so.6)" */
        size_t i = 0;
        while (i < n && !rf__tx_space((unsigned char)s[i])) i++;
        if (i < n) {
            while (i < n && rf__tx_space((unsigned char)s[i])) i++;
            s += i;
            n -= i;
        }
        if (n && s[n - 1] == ')') { /* " (module)": the " (" after "+offset"; a module may hold " (" */
            size_t cut = n, q = n, f;
            while ((f = rf__tx_rfind(s, q, " (")) < q && f > 0) {
                size_t d = f;
                q = f;
                while (d > 0 && rf__tx_digit((unsigned char)s[d - 1])) d--;
                if (cut == n) cut = q; /* fallback: the last " (" */
                if (d < q && d > 0 && s[d - 1] == '+') { cut = q; break; }
            }
            n = cut;
        }
    }
    if (rf__tx_starts(s, n, "[inlined] ")) { s += 10; n -= 10; }
    /* "sym+123", or "sym+123@/file.c:14" with debug info; "@@GLIBC_2.2.5" is part of the name */
    k = n;
    {
        size_t plus = rf__tx_rfind(s, n, "+"), d;
        if (plus < n && plus > 0) {
            for (d = plus + 1; d < n && rf__tx_digit((unsigned char)s[d]); d++) {}
            if (d > plus + 1 && (d == n || s[d] == '@')) k = plus;
        }
    }
    *out = s;
    *outn = k;
}

/* Scalar key parts "spin, 23643, " -> root frames; returns where parsing stopped. */
static rf_result rf__bpf_scalars(rf_parser *ps, rf__bpf *b, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        size_t k = rf__tx_find(s + i, n - i, ", ");
        const char *part = s + i;
        size_t pn = k;
        uint32_t id;
        rf_result r;
        const char *nm;
        size_t nmn;
        rf__tx_trim(&part, &pn);
        if (pn) {
            rf__bpf_frame_name(part, pn, &nm, &nmn);
            if (b->scalars.len >= 64) return rf__skip(ps, "bpftrace: too many scalar key parts");
            if ((r = rf__tx_intern(ps, nm, nmn, &id)) != RF_OK) return r;
            if (rf__ids_push(ps->al, &b->scalars, id)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
        }
        if (k == n - i) break;
        i += k + 2;
    }
    return RF_OK;
}

/* "]: 123" -> weight; 0 when the text is not that. */
static int rf__bpf_value(const char *s, size_t n, int64_t *w) {
    rf__tx_trim(&s, &n);
    if (n < 3 || s[0] != ']' || s[1] != ':') return 0;
    s += 2;
    n -= 2;
    rf__tx_trim(&s, &n);
    return rf__tx_i64(s, n, w);
}

static rf_result rf__bpf_emit(rf_parser *ps, rf__bpf *b, int64_t w) {
    size_t i, n = b->scalars.len + b->frames.len;
    rf_result r;
    if (w < 0) r = rf__skip(ps, "bpftrace: negative map value");
    else if (n > (size_t)RF_MAX_DEPTH) r = rf__skip(ps, "bpftrace: stack deeper than RF_MAX_DEPTH");
    else {
        ps->ids.len = 0;
        for (i = 0; i < b->scalars.len; i++)
            if (rf__ids_push(ps->al, &ps->ids, b->scalars.v[i])) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
        for (i = b->frames.len; i-- > 0;)
            if (rf__ids_push(ps->al, &ps->ids, b->frames.v[i])) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
        ps->stats.samples++;
        r = rf__stk_add(ps, &b->agg, ps->ids.v, ps->ids.len, w);
    }
    b->scalars.len = b->frames.len = 0;
    b->in_entry = 0;
    return r;
}

static rf_result rf__bpf_line(rf_parser *ps, const char *s, size_t n) {
    rf__bpf *b = (rf__bpf *)ps->impl;
    rf_result r;
    int64_t w;
    if (b->in_entry) {
        if (n && (s[0] == '\t' || rf__tx_starts(s, n, "    "))) {
            const char *nm;
            size_t nmn;
            uint32_t id;
            if (b->frames.len + b->scalars.len >= (size_t)RF_MAX_DEPTH + 1) return RF_OK; /* reported at the end */
            rf__bpf_frame_name(s, n, &nm, &nmn);
            if (nmn == 0) return RF_OK;
            if ((r = rf__tx_intern(ps, nm, nmn, &id)) != RF_OK) return r;
            if (rf__ids_push(ps->al, &b->frames, id)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
            return RF_OK;
        }
        /* ", " separators, trailing scalars, and the closing "]: N" */
        {
            size_t close = rf__tx_rfind(s, n, "]:");
            if (close < n) {
                if (!rf__bpf_value(s + close, n - close, &w)) {
                    b->scalars.len = b->frames.len = 0;
                    b->in_entry = 0;
                    return rf__skip(ps, "bpftrace: map value is not an integer");
                }
                if ((r = rf__bpf_scalars(ps, b, s, close)) != RF_OK) return r;
                return rf__bpf_emit(ps, b, w);
            }
            if (n == 0) { /* a key never closed: drop it */
                b->scalars.len = b->frames.len = 0;
                b->in_entry = 0;
                return rf__skip(ps, "bpftrace: map key not closed by ']: N'");
            }
            return rf__bpf_scalars(ps, b, s, n);
        }
    }
    if (n == 0) { b->in_other = 0; return RF_OK; }
    if (s[0] == '@') {
        size_t i = 1, close;
        while (i < n && (rf__tx_word((unsigned char)s[i]))) i++;
        b->in_other = 0;
        if (i < n && s[i] == '[') {
            i++;
            close = rf__tx_rfind(s, n, "]: ");
            if (close == n && rf__tx_ends(s, n, "]:")) close = n - 2;
            if (close < n && close >= i) { /* one-line key */
                if (!rf__bpf_value(s + close, n - close, &w)) return rf__skip(ps, "bpftrace: map value is not an integer");
                b->scalars.len = b->frames.len = 0;
                if ((r = rf__bpf_scalars(ps, b, s + i, close - i)) != RF_OK) return r;
                return rf__bpf_emit(ps, b, w);
            }
            b->in_entry = 1;
            b->scalars.len = b->frames.len = 0;
            return rf__bpf_scalars(ps, b, s + i, n - i);
        }
        b->in_other = 1;
        return rf__skip(ps, "bpftrace: map without a stack key (histogram or scalar) ignored");
    }
    if (rf__tx_starts(s, n, "Attaching ")) return RF_OK;
    if (b->in_other) return rf__skip(ps, "bpftrace: map without a stack key (histogram or scalar) ignored");
    {
        const char *t = s;
        size_t tn = n;
        rf__tx_trim(&t, &tn);
        if (tn == 0) return RF_OK;
    }
    return rf__skip(ps, "bpftrace: unrecognised line");
}

static rf_result rf__bpf_feed(rf_parser *ps, const char *d, size_t n) { return rf__feed_lines(ps, d, n, rf__bpf_line); }
static rf_result rf__bpf_finish(rf_parser *ps) {
    rf__bpf *b = (rf__bpf *)ps->impl;
    rf_result r = rf__finish_lines(ps, rf__bpf_line);
    if (r != RF_OK) return r;
    if (b->in_entry) {
        b->in_entry = 0;
        if ((r = rf__skip(ps, "bpftrace: input ends inside a map key")) != RF_OK) return r;
    }
    return rf__stk_flush(ps, &b->agg);
}
static void rf__bpf_destroy(rf_parser *ps) {
    rf__bpf *b = (rf__bpf *)ps->impl;
    if (!b) return;
    rf__ids_free(ps->al, &b->scalars);
    rf__ids_free(ps->al, &b->frames);
    rf__stk_free(ps->al, &b->agg);
    rf__free(ps->al, b, sizeof *b);
    ps->impl = NULL;
}
static const rf__parser_vt rf__bpf_vt = {rf__bpf_feed, rf__bpf_finish, rf__bpf_destroy};
static rf_result rf__bpftrace_init(rf_parser *ps) {
    rf__bpf *b = (rf__bpf *)rf__malloc(ps->al, sizeof *b);
    if (!b) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(b, 0, sizeof *b);
    b->agg.divisor = 1;
    ps->impl = b;
    ps->vt = &rf__bpf_vt;
    return RF_OK;
}

/* ===================== DTrace ===================== */
/* Aggregations printed by `dtrace -n '... @[ustack()] = count();'`, folded as
   stackcollapse.pl does: frames leaf first, then a count line; "+offset" (the last '+'
   onwards) and C++ arguments (from the first '(' or '<' after two bytes) are cut, an empty
   frame becomes "-". Unlike the script, which always drops three lines, only the dtrace
   banner ("CPU ID FUNCTION:NAME" and the probe line under it) is skipped. */
typedef struct rf__dtrace {
    rf__ids frames;
    rf__stk agg;
    int banner; /* 1: the "CPU ID FUNCTION:NAME" line was seen; skip the probe line */
    int too_deep;
} rf__dtrace;

static rf_result rf__dtrace_line(rf_parser *ps, const char *s, size_t n) {
    rf__dtrace *d = (rf__dtrace *)ps->impl;
    const char *t = s;
    size_t tn = n, i, k;
    uint32_t id;
    rf_result r;
    rf__tx_trim(&t, &tn);
    if (ps->line_no <= 3) {
        if (rf__tx_starts(t, tn, "CPU") && rf__tx_find(t, tn, "FUNCTION:NAME") < tn) { d->banner = 1; return RF_OK; }
        if (d->banner && ps->line_no == 2) return RF_OK;
    }
    if (tn == 0) return RF_OK;
    for (i = 0; i < tn && rf__tx_digit((unsigned char)t[i]); i++) {}
    if (i == tn) { /* a count line ends the stack */
        int64_t w;
        if (!rf__tx_i64(t, tn, &w)) { d->frames.len = 0; return rf__skip(ps, "dtrace: count does not fit 64 bits"); }
        if (d->too_deep) {
            d->too_deep = 0;
            d->frames.len = 0;
            return rf__skip(ps, "dtrace: stack deeper than RF_MAX_DEPTH");
        }
        rf__ids_reverse(&d->frames);
        ps->stats.samples++;
        r = rf__stk_add(ps, &d->agg, d->frames.v, d->frames.len, w);
        d->frames.len = 0;
        return r;
    }
    if (d->frames.len >= (size_t)RF_MAX_DEPTH) { d->too_deep = 1; return RF_OK; }
    /* cut from the last '+' */
    k = tn;
    while (k > 0 && t[k - 1] != '+') k--;
    if (k > 0) tn = k - 1;
    /* cut from the first '(' or '<' that has two bytes before it */
    for (i = 2; i < tn; i++)
        if (t[i] == '(' || t[i] == '<') { tn = i; break; }
    if (tn == 0) { t = "-"; tn = 1; }
    if ((r = rf__tx_intern(ps, t, tn, &id)) != RF_OK) return r;
    if (rf__ids_push(ps->al, &d->frames, id)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    return RF_OK;
}
static rf_result rf__dtrace_feed(rf_parser *ps, const char *d, size_t n) { return rf__feed_lines(ps, d, n, rf__dtrace_line); }
static rf_result rf__dtrace_finish(rf_parser *ps) {
    rf__dtrace *d = (rf__dtrace *)ps->impl;
    rf_result r = rf__finish_lines(ps, rf__dtrace_line);
    if (r != RF_OK) return r;
    if (d->frames.len && (r = rf__skip(ps, "dtrace: input ends with a stack without a count")) != RF_OK) return r;
    return rf__stk_flush(ps, &d->agg);
}
static void rf__dtrace_destroy(rf_parser *ps) {
    rf__dtrace *d = (rf__dtrace *)ps->impl;
    if (!d) return;
    rf__ids_free(ps->al, &d->frames);
    rf__stk_free(ps->al, &d->agg);
    rf__free(ps->al, d, sizeof *d);
    ps->impl = NULL;
}
static const rf__parser_vt rf__dtrace_vt = {rf__dtrace_feed, rf__dtrace_finish, rf__dtrace_destroy};
static rf_result rf__dtrace_init(rf_parser *ps) {
    rf__dtrace *d = (rf__dtrace *)rf__malloc(ps->al, sizeof *d);
    if (!d) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(d, 0, sizeof *d);
    d->agg.divisor = 1;
    ps->impl = d;
    ps->vt = &rf__dtrace_vt;
    return RF_OK;
}

/* ===================== austin ===================== */
/* 1.x: "[Process PID;]Thread TID;func (module);L12;... METRIC" (or "func (module:12)" with
   -a); full mode ends "TIME MEM+ MEM-". 3.x: "# key: value" metadata, then
   "P<pid>;T<iid>:<tid>;file:function:line;... METRIC" (full mode "TIME,IDLE,MEM").
   Frames become "function (file:line)", like py-spy's, root first. The metric is time in
   microseconds, or memory in bytes (3.x bytes; 1.x kilobytes, scaled): by default only
   allocations (positive deltas) count, opt.austin.frees counts the frees instead. Samples
   without Python frames are weighed under "[no Python frames]" so wall time adds up. */
typedef struct rf__austin {
    int v3, metric; /* metric: RF_AUSTIN_METRIC_TIME / _MEMORY */
    rf__stk agg;
    rf__buf name;
} rf__austin;

static rf_result rf__austin_push(rf_parser *ps, const char *s, size_t n) {
    uint32_t id;
    rf_result r;
    if (ps->ids.len >= (size_t)RF_MAX_DEPTH) return RF_ERR_LIMIT;
    if ((r = rf__tx_intern(ps, s, n, &id)) != RF_OK) return r;
    if (rf__ids_push(ps->al, &ps->ids, id)) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    return RF_OK;
}

/* "function (file:line)" from 3.x "file:function:line" (split from the right). */
static rf_result rf__austin_frame3(rf_parser *ps, rf__austin *au, const char *s, size_t n) {
    size_t c2 = n, c1;
    rf__buf *b = &au->name;
    const rf_allocator *a = ps->al;
    while (c2 > 0 && s[c2 - 1] != ':') c2--;
    if (c2 == 0) return rf__austin_push(ps, s, n);
    c2--;
    c1 = c2;
    while (c1 > 0 && s[c1 - 1] != ':') c1--;
    if (c1 == 0) return rf__austin_push(ps, s, n);
    c1--;
    b->len = 0;
    if (rf__buf_append(a, b, s + c1 + 1, c2 - c1 - 1)) goto oom;
    if (c1 > 0 || c2 + 1 < n) {
        if (rf__buf_append(a, b, " (", 2) || rf__buf_append(a, b, s, c1)) goto oom;
        if (!ps->opt.austin.no_lines && c2 + 1 < n &&
            (rf__buf_append(a, b, ":", 1) || rf__buf_append(a, b, s + c2 + 1, n - c2 - 1)))
            goto oom;
        if (rf__buf_append(a, b, ")", 1)) goto oom;
    }
    return rf__austin_push(ps, b->data, b->len);
oom:
    return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
}

/* 1.x "func (module)" + "L12" -> "func (module:12)". */
static rf_result rf__austin_frame1(rf_parser *ps, rf__austin *au, const char *s, size_t n,
                                   const char *line, size_t ln) {
    rf__buf *b = &au->name;
    const rf_allocator *a = ps->al;
    if (ps->opt.austin.no_lines || !ln || n == 0 || s[n - 1] != ')') {
        if (ps->opt.austin.no_lines && n && s[n - 1] == ')') { /* "func (module:12)" -> "func (module)" */
            size_t k = n - 1;
            while (k > 0 && s[k - 1] != ':' && s[k - 1] != '(') k--;
            if (k > 0 && s[k - 1] == ':') {
                size_t d = k;
                while (d < n - 1 && rf__tx_digit((unsigned char)s[d])) d++;
                if (d == n - 1 && d > k) {
                    b->len = 0;
                    if (rf__buf_append(a, b, s, k - 1) || rf__buf_append(a, b, ")", 1)) goto oom;
                    return rf__austin_push(ps, b->data, b->len);
                }
            }
        }
        return rf__austin_push(ps, s, n);
    }
    b->len = 0;
    if (rf__buf_append(a, b, s, n - 1) || rf__buf_append(a, b, ":", 1) ||
        rf__buf_append(a, b, line, ln) || rf__buf_append(a, b, ")", 1))
        goto oom;
    return rf__austin_push(ps, b->data, b->len);
oom:
    return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
}

/* "process PID" / "thread TID" root frames (opt.austin.threads). */
static rf_result rf__austin_prefix(rf_parser *ps, rf__austin *au, const char *label, const char *v, size_t vn) {
    au->name.len = 0;
    if (!ps->opt.austin.threads) return RF_OK;
    if (rf__buf_puts(ps->al, &au->name, label) || rf__buf_append(ps->al, &au->name, v, vn))
        return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    return rf__austin_push(ps, au->name.data, au->name.len);
}

/* Splits "a,b,c" (3.x) into up to three integers; returns how many, 0 when malformed. */
static int rf__austin_metrics(const char *s, size_t n, int64_t *m) {
    size_t i, a0 = 0;
    int k = 0;
    for (i = 0; i <= n; i++) {
        if (i == n || s[i] == ',') {
            if (k == 3 || !rf__tx_i64(s + a0, i - a0, &m[k])) return 0;
            k++;
            a0 = i + 1;
        }
    }
    return k;
}

static rf_result rf__austin_line(rf_parser *ps, const char *s, size_t n) {
    rf__austin *au = (rf__austin *)ps->impl;
    const char *t = s;
    size_t tn = n, sp, pos, stack_end;
    int64_t m[3], w;
    int nm, frames = 0;
    const char *pending = NULL;
    size_t pendn = 0;
    rf_result r = RF_OK;
    rf__tx_trim(&t, &tn);
    if (tn == 0) return RF_OK;
    if (t[0] == '#') { /* metadata "# key: value" */
        size_t c = rf__tx_find(t, tn, ":");
        const char *k = t + 1, *v;
        size_t kn, vn;
        if (c == tn) return RF_OK;
        kn = c - 1;
        rf__tx_trim(&k, &kn);
        v = t + c + 1;
        vn = tn - c - 1;
        rf__tx_trim(&v, &vn);
        if (kn == 6 && memcmp(k, "austin", 6) == 0) au->v3 = 1;
        if (kn == 4 && memcmp(k, "mode", 4) == 0 && ps->opt.austin.metric == RF_AUSTIN_METRIC_AUTO)
            au->metric = (vn == 6 && memcmp(v, "memory", 6) == 0) ? RF_AUSTIN_METRIC_MEMORY : RF_AUSTIN_METRIC_TIME;
        return RF_OK;
    }
    /* the metric follows the last space: "123", "-4096", 3.x full "TIME,IDLE,MEM" */
    sp = tn;
    while (sp > 0 && t[sp - 1] != ' ') sp--;
    if (sp == 0) return rf__skip(ps, "austin: sample without a metric");
    nm = rf__austin_metrics(t + sp, tn - sp, m);
    if (nm == 0 || nm == 2) return rf__skip(ps, "austin: metric is not an integer (or TIME,IDLE,MEM)");
    stack_end = sp - 1;
    if (nm == 1 && !au->v3) { /* 1.x full mode: "... TIME MEM+ MEM-" */
        size_t s2 = stack_end, s1;
        int64_t v2, v1;
        while (s2 > 0 && t[s2 - 1] != ' ') s2--;
        if (s2 > 0 && rf__tx_i64(t + s2, stack_end - s2, &v2)) {
            s1 = s2 - 1;
            while (s1 > 0 && t[s1 - 1] != ' ') s1--;
            if (s1 > 0 && rf__tx_i64(t + s1, s2 - 1 - s1, &v1)) {
                m[2] = m[0] < 0 ? -m[0] : m[0]; /* MEM- (printed as a magnitude) */
                m[0] = v1;
                m[1] = v2;
                m[2] = -m[2];
                nm = 3;
                stack_end = s1 - 1;
            }
        }
    }
    if (au->metric != RF_AUSTIN_METRIC_MEMORY) {
        w = m[0];
    } else {
        if (nm == 1) w = m[0];
        else if (au->v3) w = m[2];
        else w = ps->opt.austin.frees ? m[2] : m[1];
        if (ps->opt.austin.frees) w = w == INT64_MIN ? 0 : -w;
        if (!au->v3 && w > 0) { /* 1.x reports kilobytes */
            if (w > INT64_MAX / 1024) return rf__skip(ps, "austin: memory delta too large");
            w *= 1024;
        }
    }
    if (w <= 0) return RF_OK; /* idle time, or the other sign of a memory delta */
    ps->ids.len = 0;
    for (pos = 0; pos <= stack_end && r == RF_OK; ) {
        size_t e = pos, fn;
        const char *f = t + pos;
        while (e < stack_end && t[e] != ';') e++;
        fn = e - pos;
        if (frames == 0 && rf__tx_starts(f, fn, "Process ")) r = rf__austin_prefix(ps, au, "process ", f + 8, fn - 8);
        else if (frames == 0 && rf__tx_starts(f, fn, "Thread ")) r = rf__austin_prefix(ps, au, "thread ", f + 7, fn - 7);
        else if (frames == 0 && au->v3 && fn > 1 && f[0] == 'P' && rf__tx_digit((unsigned char)f[1]))
            r = rf__austin_prefix(ps, au, "process ", f + 1, fn - 1);
        else if (frames == 0 && au->v3 && fn > 1 && f[0] == 'T' && rf__tx_digit((unsigned char)f[1]))
            r = rf__austin_prefix(ps, au, "thread ", f + 1, fn - 1);
        else if (fn && au->v3) {
            r = rf__austin_frame3(ps, au, f, fn);
            frames++;
        } else if (fn && pending && fn > 1 && f[0] == 'L' && rf__tx_digit((unsigned char)f[1])) {
            r = rf__austin_frame1(ps, au, pending, pendn, f + 1, fn - 1); /* 1.x "L12" line frame */
            pending = NULL;
        } else if (fn) {
            if (pending) r = rf__austin_frame1(ps, au, pending, pendn, NULL, 0);
            pending = f;
            pendn = fn;
            frames++;
        }
        pos = e + 1;
    }
    if (r == RF_OK && pending) r = rf__austin_frame1(ps, au, pending, pendn, NULL, 0);
    if (r == RF_OK && frames == 0) r = rf__austin_push(ps, "[no Python frames]", 18);
    if (r != RF_OK) {
        ps->ids.len = 0;
        return r == RF_ERR_LIMIT ? rf__skip(ps, "austin: stack deeper than RF_MAX_DEPTH") : r;
    }
    ps->stats.samples++;
    return rf__stk_add(ps, &au->agg, ps->ids.v, ps->ids.len, w);
}

static rf_result rf__austin_feed(rf_parser *ps, const char *d, size_t n) { return rf__feed_lines(ps, d, n, rf__austin_line); }
static rf_result rf__austin_finish(rf_parser *ps) {
    rf__austin *au = (rf__austin *)ps->impl;
    rf_result r = rf__finish_lines(ps, rf__austin_line);
    if (r != RF_OK) return r;
    if ((r = rf__stk_flush(ps, &au->agg)) != RF_OK) return r;
    r = rf_profile_set_unit(ps->dst, au->metric == RF_AUSTIN_METRIC_MEMORY ? "bytes" : "microseconds");
    if (r == RF_OK)
        r = rf_profile_set_sample_type(ps->dst, au->metric == RF_AUSTIN_METRIC_MEMORY
                                                    ? (ps->opt.austin.frees ? "freed" : "allocated")
                                                    : "time");
    return r == RF_OK ? RF_OK : rf__fail(ps, r, "out of memory");
}
static void rf__austin_destroy(rf_parser *ps) {
    rf__austin *au = (rf__austin *)ps->impl;
    if (!au) return;
    rf__stk_free(ps->al, &au->agg);
    rf__buf_free(ps->al, &au->name);
    rf__free(ps->al, au, sizeof *au);
    ps->impl = NULL;
}
static const rf__parser_vt rf__austin_vt = {rf__austin_feed, rf__austin_finish, rf__austin_destroy};
static rf_result rf__austin_init(rf_parser *ps) {
    rf__austin *au = (rf__austin *)rf__malloc(ps->al, sizeof *au);
    if (!au) return rf__fail(ps, RF_ERR_OUT_OF_MEMORY, "out of memory");
    memset(au, 0, sizeof *au);
    au->agg.divisor = 1;
    au->metric = ps->opt.austin.metric ? ps->opt.austin.metric : RF_AUSTIN_METRIC_TIME;
    ps->impl = au;
    ps->vt = &rf__austin_vt;
    return RF_OK;
}




/* perf frame: TAB/space, hex address, space, symbol, " (module)". */
static int rf__det_is_frame(const char *s, size_t n) {
    size_t i = 0, a;
    if (n == 0 || !rf__tx_space((unsigned char)s[0])) return 0;
    while (i < n && rf__tx_space((unsigned char)s[i])) i++;
    a = i;
    while (i < n && (rf__tx_digit((unsigned char)s[i]) || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'f'))) i++;
    if (i == a || i >= n || s[i] != ' ') return 0;
    return n > i + 1 && s[n - 1] == ')' && rf__tx_rfind(s, n, " (") > i;
}

/* One line of text: what it looks like. */
enum { RF__DL_OTHER, RF__DL_BLANK, RF__DL_PERF_HDR, RF__DL_PERF_FRAME, RF__DL_FOLDED, RF__DL_AUSTIN,
       RF__DL_AUSTIN_META, RF__DL_BPF, RF__DL_DTRACE_HDR, RF__DL_DTRACE_FRAME, RF__DL_COUNT };

static int rf__det_line(const char *s, size_t n) {
    const char *t = s;
    size_t tn = n, ev, evn, per, pern, i;
    rf__perf_hdr h;
    rf__tx_trim(&t, &tn);
    if (tn == 0) return RF__DL_BLANK;
    if (rf__tx_starts(s, n, "# austin:") || rf__tx_starts(s, n, "# mode:") || rf__tx_starts(s, n, "# interval:"))
        return RF__DL_AUSTIN_META;
    if (s[0] == '@' || rf__tx_starts(s, n, "Attaching ")) return RF__DL_BPF;
    if (rf__tx_starts(t, tn, "CPU") && rf__tx_find(t, tn, "FUNCTION:NAME") < tn) return RF__DL_DTRACE_HDR;
    if (rf__tx_starts(s, n, "Thread ") || rf__tx_starts(s, n, "Process ")) return RF__DL_AUSTIN;
    if (n > 3 && s[0] == 'P' && rf__tx_digit((unsigned char)s[1])) {
        for (i = 1; i < n && rf__tx_digit((unsigned char)s[i]); i++) {}
        if (i + 2 < n && s[i] == ';' && s[i + 1] == 'T' && rf__tx_digit((unsigned char)s[i + 2])) return RF__DL_AUSTIN;
    }
    if (rf__det_is_frame(s, n)) return RF__DL_PERF_FRAME;
    for (i = 0; i < tn && rf__tx_digit((unsigned char)t[i]); i++) {}
    if (i == tn && s[0] != t[0]) return RF__DL_COUNT; /* indented number: dtrace count */
    if (rf__tx_space((unsigned char)s[0]) && memchr(t, '`', tn)) return RF__DL_DTRACE_FRAME;
    if (!rf__tx_space((unsigned char)s[0]) && rf__perf_match_header(s, n, &h)) {
        /* a timestamp "123.456:" after the pid, or the event pattern */
        int64_t ns;
        if (rf__perf_time(s, n, h.end, &ns) || rf__perf_match_event(s, n, &ev, &evn, &per, &pern) ||
            t[tn - 1] == ':') /* "java  3278 cpu-clock:" (old perf, no time) */
            return RF__DL_PERF_HDR;
    }
    /* folded: "stack COUNT" (one or two counts) */
    {
        size_t k = tn;
        while (k > 0 && !rf__tx_space((unsigned char)t[k - 1])) k--;
        if (k > 0) {
            int64_t v;
            int d;
            if (rf__parse_count(t + k, tn - k, &v, &d)) return RF__DL_FOLDED;
        }
    }
    return RF__DL_OTHER;
}

static rf_format rf__detect(const unsigned char *us, size_t n) {
    const char *s = (const char *)us;
    size_t i = 0, lines = 0;
    int cnt[RF__DL_COUNT + 1];
    if (n == 0) return RF_FORMAT_AUTO;
    if (n >= 2 && us[0] == 0x1f && us[1] == 0x8b) return RF_FORMAT_PPROF;
    if (rf__pprof_sniff(us, n)) return RF_FORMAT_PPROF;
    if (n >= 3 && us[0] == 0xEF && us[1] == 0xBB && us[2] == 0xBF) i = 3;
    while (i < n && rf__tx_space(us[i])) i++;
    if (i == n) return RF_FORMAT_AUTO;
    if (s[i] == '{') return rf__json_detect(us + i, n - i);
    if (s[i] == '<') {
        if (rf__tx_find(s + i, n - i, "<svg") < n - i) return RF_FORMAT_SVG;
        return RF_FORMAT_AUTO;
    }
    /* text: classify the complete lines of the head (the last one may be cut) */
    memset(cnt, 0, sizeof cnt);
    while (i < n && lines < 200) {
        const char *nl = (const char *)memchr(s + i, '\n', n - i);
        size_t len;
        if (!nl && n >= 4096 && lines > 0) break; /* a cut line says nothing */
        len = nl ? (size_t)(nl - (s + i)) : n - i;
        if (len && s[i + len - 1] == '\r') len--;
        if (memchr(s + i, '\0', len)) return RF_FORMAT_AUTO; /* binary */
        cnt[rf__det_line(s + i, len)]++;
        lines++;
        if (!nl) break;
        i = (size_t)(nl - s) + 1;
    }
    if (cnt[RF__DL_AUSTIN_META] || cnt[RF__DL_AUSTIN]) return RF_FORMAT_AUSTIN;
    if (cnt[RF__DL_BPF]) return RF_FORMAT_BPFTRACE;
    if (cnt[RF__DL_PERF_HDR] && (cnt[RF__DL_PERF_FRAME] || cnt[RF__DL_PERF_HDR] >= 2 || lines == 1))
        return RF_FORMAT_PERF_SCRIPT;
    if (cnt[RF__DL_DTRACE_HDR] || (cnt[RF__DL_DTRACE_FRAME] && cnt[RF__DL_COUNT])) return RF_FORMAT_DTRACE;
    if (cnt[RF__DL_PERF_FRAME] && cnt[RF__DL_PERF_HDR]) return RF_FORMAT_PERF_SCRIPT;
    if (cnt[RF__DL_FOLDED] && cnt[RF__DL_FOLDED] * 2 >= cnt[RF__DL_FOLDED] + cnt[RF__DL_OTHER])
        return RF_FORMAT_FOLDED;
    return RF_FORMAT_AUTO;
}

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

/* Auto-detection: pick a format from the first bytes (held in ps->head, or the caller's
   whole input), then the caller replays them. */
static rf_result rf__detect_and_start(rf_parser *ps, const void *head, size_t n) {
    rf_format f = rf_detect_format(head, n);
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
    if (!ps->vt && data == ps->whole && ps->head.len == 0 && n >= RF__DETECT_BYTES) {
        /* rf_parser_feed_whole: detect on the caller's buffer so the reader gets it whole
           (a view, not a copy, for the readers that hold their input; see rf__whole_add) */
        if ((r = rf__detect_and_start(ps, data, RF__DETECT_BYTES)) != RF_OK) return rf__parser_end(ps, r);
    }
    if (!ps->vt) {
        size_t take = RF__DETECT_BYTES - ps->head.len;
        if (take > n) take = n;
        if ((r = rf__buf_append(ps->al, &ps->head, data, take)) != RF_OK)
            return rf__parser_end(ps, rf__fail(ps, r, "out of memory"));
        if (ps->head.len < RF__DETECT_BYTES) return rf__parser_end(ps, RF_OK);
        if ((r = rf__detect_and_start(ps, ps->head.data, ps->head.len)) != RF_OK) return rf__parser_end(ps, r);
        r = ps->vt->feed(ps, ps->head.data, ps->head.len);
        if (r == RF_OK && n > take) r = ps->vt->feed(ps, (const char *)data + take, n - take);
        rf__buf_free(ps->al, &ps->head);
        return rf__parser_end(ps, r);
    }
    return rf__parser_end(ps, ps->vt->feed(ps, (const char *)data, n));
}

RF_API rf_result rf_parser_feed_whole(rf_parser *ps, const void *data, size_t n, rf_error *err) {
    if (ps && !ps->vt && ps->head.len == 0 && ps->stats.bytes == 0 && !ps->finished && ps->sticky == RF_OK) {
        ps->whole = (const char *)data; /* the first chunk: the readers may keep it */
        ps->whole_len = n;
    }
    return rf_parser_feed(ps, data, n, err);
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
        if ((r = rf__detect_and_start(ps, ps->head.data, ps->head.len)) != RF_OK) return rf__parser_end(ps, r);
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
    r = rf_parser_feed_whole(ps, data, n, err);
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

/* Every line materialised, then sorted as text: for names that hold ';' (the tree order below
   assumes none does). */
static rf_result rf__write_folded_text(const rf_profile *p, rf_write_fn fn, void *ctx) {
    rf__folded_ctx c;
    rf__line_ref *tmp = NULL;
    rf_result r;
    size_t i;
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

/* One sibling's place in the output: its own line (key "name") or its subtree's lines (key
   "name;..."). With names free of ';' and unique among siblings (the tree interns names and
   finds children by name, so they are), sorting a node's entries by those key starts and
   walking depth-first writes the lines in the order of sorting them all as text. */
typedef struct rf__fw_entry { const char *s; uint32_t len, node, group; } rf__fw_entry;

static int rf__fw_less(const rf__fw_entry *a, const rf__fw_entry *b) {
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->s, b->s, n) : 0;
    if (c) return c < 0;
    if (a->len == b->len) return a->group < b->group; /* "x" before "x;..." */
    if (a->len < b->len) return !a->group || (unsigned char)';' < (unsigned char)b->s[n];
    return b->group && (unsigned char)a->s[n] < (unsigned char)';';
}

/* Insertion sort in runs of 16, then merging (tmp: n entries) for wide nodes. */
static void rf__fw_sort(rf__fw_entry *v, rf__fw_entry *tmp, size_t n) {
    size_t i, j, width;
    for (i = 0; i < n; i += 16) {
        size_t end = i + 16 < n ? i + 16 : n;
        for (j = i + 1; j < end; j++) {
            rf__fw_entry e = v[j];
            size_t k = j;
            while (k > i && rf__fw_less(&e, &v[k - 1])) { v[k] = v[k - 1]; k--; }
            v[k] = e;
        }
    }
    for (width = 16; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
            size_t a = lo, b = mid, k = lo;
            if (mid >= hi || !rf__fw_less(&v[mid], &v[mid - 1])) continue;
            while (a < mid && b < hi) tmp[k++] = rf__fw_less(&v[b], &v[a]) ? v[b++] : v[a++];
            while (a < mid) tmp[k++] = v[a++];
            while (b < hi) tmp[k++] = v[b++];
            memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);
        }
    }
}

typedef struct rf__fw_level { size_t start, next, end, path_len; } rf__fw_level;

typedef struct rf__fw {
    const rf_profile *p;
    const rf_allocator *al;
    rf_write_fn fn;
    void *ctx;
    rf__buf out, path;       /* pending output; the open levels' "a;b;" prefix */
    rf__fw_entry *ent, *tmp; /* the entries of every open level, stacked */
    size_t nent, cap, tmp_cap;
    rf__fw_level *lv;
    size_t nlv, lv_cap;
} rf__fw;

/* A node's own line: the path, its name, its self weights. */
static rf_result rf__fw_line(rf__fw *w, uint32_t node, const char *name, size_t len) {
    const rf_profile *p = w->p;
    char num[32];
    int c;
    if (rf__buf_append(w->al, &w->out, w->path.data, w->path.len) || rf__buf_append(w->al, &w->out, name, len))
        return RF_ERR_OUT_OF_MEMORY;
    for (c = 0; c < p->columns; c++) {
        int64_t v = c ? p->w1[2 * (size_t)node + 1] : p->nodes[node].self;
        size_t k = rf_format_weight(v, p->decimals, num);
        if (rf__buf_append(w->al, &w->out, " ", 1) || rf__buf_append(w->al, &w->out, num, k)) return RF_ERR_OUT_OF_MEMORY;
    }
    if (rf__buf_append(w->al, &w->out, "\n", 1)) return RF_ERR_OUT_OF_MEMORY;
    if (w->out.len >= ((size_t)64 << 10)) {
        if (w->fn(w->ctx, w->out.data, w->out.len)) return RF_ERR_WRITE;
        w->out.len = 0;
    }
    return RF_OK;
}

/* Opens a level: the node's children as sorted entries; the path goes back to path_len when
   it closes. */
static rf_result rf__fw_open(rf__fw *w, uint32_t node, size_t path_len) {
    const rf_profile *p = w->p;
    size_t start = w->nent, n;
    uint32_t ch;
    for (ch = p->nodes[node].first_child; ch != RF_NODE_NONE; ch = p->nodes[ch].next_sibling) {
        rf_strview nm = rf_node_name(p, ch);
        int own = p->nodes[ch].self != 0 || (p->w1 && p->w1[2 * (size_t)ch + 1] != 0);
        int kids = p->nodes[ch].first_child != RF_NODE_NONE, g;
        if (w->nent + 2 > w->cap && rf__grow(w->al, (void **)&w->ent, &w->cap, w->nent + 2, sizeof *w->ent))
            return RF_ERR_OUT_OF_MEMORY;
        for (g = 0; g < 2; g++) {
            if (g ? !kids : !own) continue;
            w->ent[w->nent].s = nm.ptr;
            w->ent[w->nent].len = (uint32_t)nm.len;
            w->ent[w->nent].node = ch;
            w->ent[w->nent++].group = (uint32_t)g;
        }
    }
    n = w->nent - start;
    if (n > 16 && n > w->tmp_cap && rf__grow(w->al, (void **)&w->tmp, &w->tmp_cap, n, sizeof *w->tmp))
        return RF_ERR_OUT_OF_MEMORY;
    if (n > 1) rf__fw_sort(w->ent + start, w->tmp, n);
    if (w->nlv == w->lv_cap && rf__grow(w->al, (void **)&w->lv, &w->lv_cap, w->nlv + 1, sizeof *w->lv))
        return RF_ERR_OUT_OF_MEMORY;
    w->lv[w->nlv].start = w->lv[w->nlv].next = start;
    w->lv[w->nlv].end = w->nent;
    w->lv[w->nlv++].path_len = path_len;
    return RF_OK;
}

static rf_result rf__write_folded_tree(const rf_profile *p, rf_write_fn fn, void *ctx) {
    rf__fw w;
    rf_result r = RF_OK;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.al = &p->al;
    w.fn = fn;
    w.ctx = ctx;
    if (p->nodes[0].self != 0 || (p->w1 && p->w1[1] != 0)) r = rf__fw_line(&w, 0, "", 0); /* the empty stack */
    if (r == RF_OK) r = rf__fw_open(&w, 0, 0);
    while (r == RF_OK && w.nlv) {
        rf__fw_level *l = &w.lv[w.nlv - 1];
        rf__fw_entry e;
        if (l->next == l->end) { /* this level is done: its entries and its name leave */
            w.nent = l->start;
            w.path.len = l->path_len;
            w.nlv--;
            continue;
        }
        e = w.ent[l->next++];
        if (!e.group) {
            r = rf__fw_line(&w, e.node, e.s, e.len);
        } else {
            size_t before = w.path.len;
            if (rf__buf_append(w.al, &w.path, e.s, e.len) || rf__buf_append(w.al, &w.path, ";", 1)) r = RF_ERR_OUT_OF_MEMORY;
            else r = rf__fw_open(&w, e.node, before);
        }
    }
    if (r == RF_OK && w.out.len && fn(ctx, w.out.data, w.out.len)) r = RF_ERR_WRITE;
    rf__buf_free(w.al, &w.out);
    rf__buf_free(w.al, &w.path);
    rf__free(w.al, w.ent, w.cap * sizeof *w.ent);
    rf__free(w.al, w.tmp, w.tmp_cap * sizeof *w.tmp);
    rf__free(w.al, w.lv, w.lv_cap * sizeof *w.lv);
    return r;
}

/* Lines sorted bytewise by stack, as `sort` and flamegraph.pl's collapse order them. Written
   straight from the tree, with no copy of the output in memory, unless a name holds ';'. */
/* 1 when some frame name holds ';', which the tree order cannot place. */
static int rf__names_hold_semicolon(const rf_profile *p) {
    size_t i;
    for (i = 0; i < p->nnames; i++)
        if (p->names[i].len && memchr(p->names[i].s, ';', p->names[i].len)) return 1;
    return 0;
}

RF_API rf_result rf_write_folded(const rf_profile *p, rf_write_fn fn, void *ctx) {
    if (!p || !fn) return RF_ERR_INVALID_ARGUMENT;
    return rf__names_hold_semicolon(p) ? rf__write_folded_text(p, fn, ctx) : rf__write_folded_tree(p, fn, ctx);
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
