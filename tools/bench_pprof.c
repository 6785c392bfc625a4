/* bench_pprof: throughput of the pprof reader on a big synthetic profile.

     bench_pprof [--mb N] [--dir DIR] [--keep] [--runs N]   generate, gzip, then measure (default
                                                 64 MB, /tmp; --keep leaves DIR/rf-bench-pprof.pb.gz),
                                                 each measurement N times (default 3)
     bench_pprof --parse FILE [--cli-alloc]  measure one file (run as a child for a clean peak RSS);
                                           --cli-alloc: with the CLI's allocator
     bench_pprof --parse-raw FILE [--cli-alloc]  an uncompressed profile, read into memory and
                                           handed over whole (rf_parser_feed_whole), as the CLI does

   The generated profile looks like a Go CPU profile of a busy service: 30k functions, 120k
   locations (15% with inlined lines), one mapping, samples drawn (skewed towards popular ones)
   from 100k stacks that are random walks over a fixed call graph (depth 10..56), values
   [count, nanoseconds] written unpacked as Go does, location ids packed, a pprof label on 10%
   of the samples, the string table last. It is written raw, then
   compressed with `gzip -6` (the raw file is measured too, then removed). The parse is timed over 1 MiB feed() calls from the file, and the
   decompression alone separately; MiB/s are of the uncompressed protobuf. Peak RSS is the
   child's ru_maxrss. Not a unit test: numbers go to stdout for `make bench`. */
#include "../examples/resq-flame/alloc.c" /* the CLI's allocator (huge pages), measured too */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>

typedef struct wbuf { unsigned char *b; size_t n, cap; } wbuf;

static void put(wbuf *w, const void *d, size_t n) {
    if (w->n + n > w->cap) {
        w->cap = (w->n + n) * 2;
        w->b = (unsigned char *)realloc(w->b, w->cap);
        if (!w->b) { fprintf(stderr, "out of memory\n"); exit(1); }
    }
    memcpy(w->b + w->n, d, n);
    w->n += n;
}
static void varint(wbuf *w, uint64_t v) {
    unsigned char t[10];
    size_t k = 0;
    do { t[k] = (unsigned char)(v & 0x7f); v >>= 7; if (v) t[k] |= 0x80; k++; } while (v);
    put(w, t, k);
}
static void field_varint(wbuf *w, unsigned num, uint64_t v) { varint(w, (uint64_t)num << 3); varint(w, v); }
static void field_bytes(wbuf *w, unsigned num, const void *d, size_t n) {
    varint(w, (uint64_t)num << 3 | 2);
    varint(w, n);
    put(w, d, n);
}
static void field_msg(wbuf *w, unsigned num, wbuf *m) { field_bytes(w, num, m->b, m->n); m->n = 0; }

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) { /* xorshift64*: deterministic across runs */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define NFUNC 30000u
#define NLOC 120000u
#define NSTACK 100000u

static void generate(const char *path, size_t target) {
    wbuf w = {NULL, 0, 0}, m = {NULL, 0, 0}, l = {NULL, 0, 0}, ids = {NULL, 0, 0}, pool = {NULL, 0, 0};
    size_t *pool_off;
    uint32_t *loc_id = (uint32_t *)calloc(NLOC, sizeof(uint32_t)), next_id = 0; /* first-seen ids, as Go */
    char s[128];
    unsigned i, k;
    size_t samples = 0;
    FILE *f;
    /* string indices: 0 "", 1 samples, 2 count, 3 cpu, 4 nanoseconds, 5 handler, 6 /app/server,
       7..14 handler values, then per function: name, file */
    const unsigned fn_str0 = 15;
    field_varint(&w, 9, 1700000000000000000ull);
    field_varint(&m, 1, 1); field_varint(&m, 2, 2); field_msg(&w, 1, &m);
    field_varint(&m, 1, 3); field_varint(&m, 2, 4); field_msg(&w, 1, &m);
    field_varint(&w, 10, 30000000000ull);
    field_varint(&m, 1, 3); field_varint(&m, 2, 4); field_msg(&w, 11, &m);
    field_varint(&w, 12, 10000000);
    /* a pool of stacks (random walks over a call graph where every location has 3 callees,
       taken 60/30/10), stored as packed leaf-first location ids */
    pool_off = (size_t *)malloc((NSTACK + 1) * sizeof *pool_off);
    for (i = 0; i < NSTACK; i++) {
        uint64_t loc = rng() % 16, depth = 10 + rng() % 24 + rng() % 24, d;
        size_t end, start;
        ids.n = 0;
        for (d = 0; d < depth; d++) {
            uint64_t r = rng() % 10, pick = r < 6 ? 0 : r < 9 ? 1 : 2;
            if (!loc_id[loc]) loc_id[loc] = ++next_id;
            varint(&ids, loc_id[loc]);
            loc = (loc * 2654435761u + pick * 40503u + 7) % NLOC;
        }
        pool_off[i] = pool.n;
        end = ids.n; /* reverse the varints: pprof wants the leaf first */
        while (end > 0) {
            start = end - 1;
            while (start > 0 && (ids.b[start - 1] & 0x80)) start--;
            put(&pool, ids.b + start, end - start);
            end = start;
        }
    }
    pool_off[NSTACK] = pool.n;
    /* samples (Go interleaves them with the tables; the order is free), popular stacks
       drawn more often */
    while (w.n < target) {
        uint64_t r = rng() % NSTACK, idx = r * r / NSTACK;
        field_bytes(&m, 1, pool.b + pool_off[idx], pool_off[idx + 1] - pool_off[idx]);
        field_varint(&m, 2, 1 + (rng() % 8 == 0));
        field_varint(&m, 2, 10000000ull * (1 + (rng() % 8 == 0)));
        if (rng() % 10 == 0) {
            field_varint(&l, 1, 5);
            field_varint(&l, 2, 7 + rng() % 8);
            field_msg(&m, 3, &l);
        }
        field_msg(&w, 2, &m);
        samples++;
    }
    for (i = 0; i < NLOC; i++) {
        unsigned nlines = rng() % 100 < 15 ? 2 + (unsigned)(rng() % 2) : 1;
        if (!loc_id[i]) loc_id[i] = ++next_id;
        field_varint(&m, 1, loc_id[i]);
        for (k = 0; k < nlines; k++) {
            field_varint(&l, 1, 1 + (i * 7u + k * 13u) % NFUNC);
            field_varint(&l, 2, 10 + rng() % 900);
            field_msg(&m, 4, &l);
        }
        field_varint(&m, 3, 0x400000u + i * 16u);
        field_varint(&m, 2, 1);
        field_msg(&w, 4, &m);
    }
    for (i = 0; i < NFUNC; i++) {
        field_varint(&m, 1, i + 1);
        field_varint(&m, 2, fn_str0 + 2 * i);
        field_varint(&m, 3, fn_str0 + 2 * i);
        field_varint(&m, 4, fn_str0 + 2 * i + 1);
        field_msg(&w, 5, &m);
    }
    field_varint(&m, 1, 1);
    field_varint(&m, 2, 0x400000);
    field_varint(&m, 3, 0x400000u + NLOC * 16u);
    field_varint(&m, 5, 6);
    field_varint(&m, 7, 1);
    field_msg(&w, 3, &m);
    {
        static const char *const fixed[7] = {"", "samples", "count", "cpu", "nanoseconds", "handler", "/app/server"};
        for (i = 0; i < 7; i++) field_bytes(&w, 6, fixed[i], strlen(fixed[i]));
        for (i = 0; i < 8; i++) {
            int n = snprintf(s, sizeof s, "h%u", i);
            field_bytes(&w, 6, s, (size_t)n);
        }
        for (i = 0; i < NFUNC; i++) {
            int n = snprintf(s, sizeof s, "example.com/svc/pkg%u.(*Type%u).Method%u", i % 97, i % 331, i);
            field_bytes(&w, 6, s, (size_t)n);
            n = snprintf(s, sizeof s, "/src/example.com/svc/pkg%u/file%u.go", i % 97, i % 13);
            field_bytes(&w, 6, s, (size_t)n);
        }
    }
    f = fopen(path, "wb");
    if (!f || fwrite(w.b, 1, w.n, f) != w.n || fclose(f)) { perror(path); exit(1); }
    printf("generated %s: %.1f MiB raw protobuf, %zu samples, %u locations, %u functions\n", path,
           (double)w.n / 1048576.0, samples, NLOC, NFUNC);
    free(w.b); free(m.b); free(l.b); free(ids.b); free(pool.b); free(pool_off); free(loc_id);
}

static int discard(void *ctx, const void *d, size_t n) { (void)ctx; (void)d; (void)n; return 0; }
static int count_bytes(void *ctx, const void *d, size_t n) { (void)d; *(size_t *)ctx += n; return 0; }

/* An uncompressed profile handed over whole, as the CLI reads regular files. */
static int parse_raw(const char *path, const rf_allocator *al) {
    FILE *f = fopen(path, "rb");
    char *buf;
    long len;
    rf_profile *p = rf_profile_new(al);
    rf_parse_options o;
    rf_parser *ps;
    rf_error err;
    rf_result r;
    double t0, t1;
    struct rusage ru;
    if (!f || !p || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0) { perror(path); return 1; }
    rewind(f);
    /* the CLI reads the file into a block of its own allocator (huge pages); on this kind of
       VM the first user-mode touch of each fresh 4 KiB page is expensive, so the input's
       pages matter as much as the parser's */
    buf = (char *)(al ? al->malloc_fn(al->user, (size_t)len) : malloc((size_t)len));
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) { perror(path); return 1; }
    fclose(f);
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_PPROF;
    t0 = now();
    ps = rf_parser_new(p, &o);
    r = rf_parser_feed_whole(ps, buf, (size_t)len, &err);
    if (r == RF_OK) r = rf_parser_finish(ps, &err);
    t1 = now();
    if (r != RF_OK) { fprintf(stderr, "parse: %s\n", err.message); return 1; }
    getrusage(RUSAGE_SELF, &ru);
    printf("  raw protobuf, whole%s: %6.3f s  %7.0f MiB/s  peak RSS %.1f MiB (%.1f MiB of it the input)\n",
           al ? ", CLI allocator" : ",              ", t1 - t0, (double)len / 1048576.0 / (t1 - t0),
           (double)ru.ru_maxrss / 1024.0, (double)len / 1048576.0);
    rf_parser_free(ps);
    rf_profile_free(p);
    if (al) al->free_fn(al->user, buf, (size_t)len);
    else free(buf);
    return 0;
}

static int parse_file(const char *path, const rf_allocator *al) {
    FILE *f = fopen(path, "rb");
    static char chunk[1 << 20];
    size_t n, in_bytes = 0;
    rf_profile *p = rf_profile_new(al);
    rf_parse_options o;
    rf_parser *ps;
    rf_error err;
    rf_result r = RF_OK;
    double t0, t1, tf, t2, t3, ti0, ti1, rss;
    size_t svg_bytes = 0;
    struct rusage ru;
    rf__inflate *z;
    rf__buf out = {NULL, 0, 0};
    size_t raw_len;
    if (!f || !p) { perror(path); return 1; }
    /* decompression alone */
    z = (rf__inflate *)malloc(sizeof *z);
    rf__inflate_init(z, al, 0); /* the output grows through the same allocator as the parse's */
    ti0 = now();
    while (r == RF_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) r = rf__inflate_feed(z, &out, chunk, n);
    if (r == RF_OK) r = rf__inflate_finish(z);
    ti1 = now();
    raw_len = out.len;
    if (r != RF_OK) { fprintf(stderr, "inflate: %s\n", z->msg); return 1; }
    rf__buf_free(al, &out);
    free(z);
    rewind(f);
    /* the whole parse: read + inflate + decode + fold into the tree */
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_PPROF;
    ps = rf_parser_new(p, &o);
    t0 = now();
    while (r == RF_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        in_bytes += n;
        r = rf_parser_feed(ps, chunk, n, &err);
    }
    if (r == RF_OK) r = rf_parser_finish(ps, &err);
    t1 = now();
    if (r != RF_OK) { fprintf(stderr, "parse: %s (%s)\n", err.message, err.detail); return 1; }
    printf("parse %s%s: %.1f MiB gzip -> %.1f MiB protobuf, %llu samples, %zu nodes\n", path,
           al ? " (CLI allocator: huge pages for big blocks)" : "",
           (double)in_bytes / 1048576.0, (double)raw_len / 1048576.0,
           (unsigned long long)rf_parser_stats(ps)->samples, rf_profile_node_count(p));
    rf_parser_free(ps);
    tf = now();
    rf_write_folded(p, discard, NULL);
    t2 = now();
    getrusage(RUSAGE_SELF, &ru);
    rss = (double)ru.ru_maxrss / 1024.0;
    /* the SVG writer on a tree this big: its data block is cut to the default 8 MiB budget */
    if (rf_write_svg(p, NULL, count_bytes, &svg_bytes) != RF_OK) { fprintf(stderr, "SVG writer failed\n"); return 1; }
    t3 = now();
    getrusage(RUSAGE_SELF, &ru);
    printf("  inflate only:         %7.3f s  %7.0f MiB/s (uncompressed)\n", ti1 - ti0,
           (double)raw_len / 1048576.0 / (ti1 - ti0));
    printf("  parse (all):          %7.3f s  %7.0f MiB/s (uncompressed)  %6.0f MiB/s (gzip input)\n", t1 - t0,
           (double)raw_len / 1048576.0 / (t1 - t0), (double)in_bytes / 1048576.0 / (t1 - t0));
    printf("  write folded:         %7.3f s\n", t2 - tf);
    printf("  write SVG:            %7.3f s  (%.1f MiB, data block pruned to the 8 MiB budget)\n", t3 - t2,
           (double)svg_bytes / 1048576.0);
    printf("  peak RSS:             %7.1f MiB (%.1f MiB after the SVG writer)\n", rss, (double)ru.ru_maxrss / 1024.0);
    rf_profile_free(p);
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = "/tmp";
    size_t mb = 64;
    char raw[1024], cmd[12000];
    int i, keep = 0, runs = 3, r;
    double t0;
    if (argc >= 3 && !strcmp(argv[1], "--parse")) return parse_file(argv[2], argc > 3 ? cli_allocator() : NULL);
    if (argc >= 3 && !strcmp(argv[1], "--parse-raw")) return parse_raw(argv[2], argc > 3 ? cli_allocator() : NULL);
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mb") && i + 1 < argc) mb = (size_t)atol(argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
        else if (!strcmp(argv[i], "--keep")) keep = 1;
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc && atoi(argv[i + 1]) > 0) runs = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_pprof [--mb N] [--dir DIR] [--keep] [--runs N] | --parse FILE [--cli-alloc] | "
                            "--parse-raw FILE [--cli-alloc]\n");
            return 1;
        }
    }
    snprintf(raw, sizeof raw, "%s/rf-bench-pprof.pb", dir);
    generate(raw, mb << 20);
    fflush(stdout);
    snprintf(cmd, sizeof cmd, "gzip -6 -k -f '%s'", raw);
    if (system(cmd) != 0) { fprintf(stderr, "gzip failed\n"); return 1; }
    snprintf(cmd, sizeof cmd, "ls -l '%s.gz' | awk '{printf \"gzip -6: %%.1f MiB\\n\", $5/1048576}'", raw);
    if (system(cmd) != 0) return 1;
    t0 = now();
    snprintf(cmd, sizeof cmd, "gzip -dc '%s.gz' > /dev/null", raw);
    if (system(cmd) != 0) return 1;
    printf("  (for scale: gzip -dc  %7.3f s)\n", now() - t0);
    fflush(stdout);
    /* each measurement in a fresh process, `runs` times: on VMs the first touch of memory
       varies run to run (2x seen here), so one run says little; the summary gives the best
       and the median of each */
    printf("each measurement %d times, each in a fresh process:\n", runs);
    fflush(stdout);
    {
        static const char *const mode[4] = {"--parse", "--parse", "--parse-raw", "--parse-raw"};
        static const char *const what[4] = {"gzip, default allocator:", "gzip, CLI allocator:",
                                            "raw, default allocator:", "raw, CLI allocator:"};
        double secs[4][64];
        int k, n = runs < 64 ? runs : 64;
        struct stat st;
        for (r = 0; r < n; r++)
            for (k = 0; k < 4; k++) {
                FILE *pipe;
                char line[512];
                secs[k][r] = -1;
                snprintf(cmd, sizeof cmd, "'%s' %s '%s%s'%s", argv[0], mode[k], raw, k < 2 ? ".gz" : "",
                         k & 1 ? " --cli-alloc" : "");
                if (!(pipe = popen(cmd, "r"))) return 1;
                while (fgets(line, sizeof line, pipe)) {
                    const char *t = strstr(line, k < 2 ? "parse (all):" : "raw protobuf, whole");
                    fputs(line, stdout);
                    if (t && (t = strchr(t, ':')) != NULL) secs[k][r] = atof(t + 1);
                }
                if (pclose(pipe) != 0 || secs[k][r] <= 0) { fprintf(stderr, "%s failed\n", cmd); return 1; }
            }
        if (stat(raw, &st) != 0) return 1;
        printf("summary, %.1f MiB protobuf (%.1f MB), best and median of %d:\n", (double)st.st_size / 1048576.0, (double)st.st_size / 1e6, n);
        for (k = 0; k < 4; k++) {
            double sorted[64], best, med;
            int a, b;
            memcpy(sorted, secs[k], (size_t)n * sizeof *sorted);
            for (a = 1; a < n; a++) /* insertion sort: a handful of runs */
                for (b = a; b > 0 && sorted[b] < sorted[b - 1]; b--) {
                    double t = sorted[b];
                    sorted[b] = sorted[b - 1];
                    sorted[b - 1] = t;
                }
            best = sorted[0];
            med = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            printf("  %-24s best %.3f s = %4.0f MB/s, median %.3f s = %4.0f MB/s of protobuf\n", what[k], best,
                   (double)st.st_size / 1e6 / best, med, (double)st.st_size / 1e6 / med);
        }
    }
    i = 0;
    remove(raw);
    snprintf(cmd, sizeof cmd, "%s.gz", raw);
    if (!keep) remove(cmd);
    return i != 0;
}
