/* Benchmark of the JSON profile readers: generates a realistic V8 .cpuprofile in memory (a
   call tree of a few thousand nodes shaped like Node's: (root), (program), (idle), GC, module
   loader frames, user functions with recursion; millions of samples with timeDeltas around
   the 1 ms sampling interval), then parses it with rf_parse and reports MiB/s and peak RSS.
   usage: bench_json [--samples N (default 11500000, about 100 MiB)] [--nodes N (default 4000)]
                     [--runs N (default 3)] [--write FILE] [--read FILE]
   --write saves the generated profile (e.g. for node / other tools); --read benchmarks a file. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct { char *s; size_t len, cap; } sbuf;
static void put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap) b->cap = b->cap ? b->cap * 2 : 1 << 20;
        b->s = (char *)realloc(b->s, b->cap);
        if (!b->s) { fprintf(stderr, "out of memory\n"); exit(1); }
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
}
static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }
static void putu(sbuf *b, long long v) { char t[32]; int n = snprintf(t, sizeof t, "%lld", v); put(b, t, (size_t)n); }

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(rng_state >> 33);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static const char *const fn_names[] = {
    "processTimers", "listOnTimeout", "handleRequest", "parseBody", "JSON.parse", "render", "compile",
    "emit", "onData", "readChunk", "hashPassword", "resolveRoute", "queryDb", "serialize", "validate",
    "fib", "hot", "alloc", "", "next", "dispatch", "Module._load", "Module._compile", "require"};
static const char *const urls[] = {
    "file:///srv/app/server.js", "file:///srv/app/lib/router.js", "file:///srv/app/lib/db.js",
    "node:internal/timers", "node:internal/modules/cjs/loader", "node:events",
    "file:///srv/app/node_modules/express/lib/router/index.js", ""};

/* Node-like tree: node i's parent is a random earlier node, biased to recent (deep) ones. */
static void generate(sbuf *b, int nnodes, long nsamples)
{
    int *parent = (int *)malloc(sizeof(int) * (size_t)nnodes), i;
    int **kids = (int **)calloc((size_t)nnodes, sizeof(int *));
    int *nk = (int *)calloc((size_t)nnodes, sizeof(int)), *ck = (int *)calloc((size_t)nnodes, sizeof(int));
    int *leaves = (int *)malloc(sizeof(int) * (size_t)nnodes), nleaves = 0;
    long s;
    parent[0] = -1;
    for (i = 1; i < nnodes; i++) {
        int p = i < 5 ? 0 : (rnd() % 4 ? i - 1 - (int)(rnd() % (unsigned)(i < 60 ? i : 60)) : (int)(rnd() % (unsigned)i));
        parent[i] = p;
        if (nk[p] == ck[p]) { ck[p] = ck[p] ? ck[p] * 2 : 4; kids[p] = (int *)realloc(kids[p], sizeof(int) * (size_t)ck[p]); }
        kids[p][nk[p]++] = i;
    }
    for (i = 1; i < nnodes; i++) if (!nk[i] || rnd() % 3 == 0) leaves[nleaves++] = i;
    puts_(b, "{\"nodes\":[");
    for (i = 0; i < nnodes; i++) {
        int k;
        const char *fn = i == 0 ? "(root)" : i == 1 ? "(program)" : i == 2 ? "(idle)" : i == 3 ? "(garbage collector)"
                                                                               : fn_names[rnd() % (sizeof fn_names / sizeof *fn_names)];
        const char *url = i < 4 ? "" : urls[rnd() % (sizeof urls / sizeof *urls)];
        if (i) puts_(b, ",");
        puts_(b, "{\"id\":"); putu(b, i + 1);
        puts_(b, ",\"callFrame\":{\"functionName\":\""); puts_(b, fn);
        puts_(b, "\",\"scriptId\":\""); putu(b, i < 4 ? 0 : 10 + (long long)(rnd() % 90));
        puts_(b, "\",\"url\":\""); puts_(b, url);
        puts_(b, "\",\"lineNumber\":"); putu(b, i < 4 ? -1 : (long long)(rnd() % 2000));
        puts_(b, ",\"columnNumber\":"); putu(b, i < 4 ? -1 : (long long)(rnd() % 80));
        puts_(b, "},\"hitCount\":"); putu(b, (long long)(rnd() % 50));
        if (nk[i]) {
            puts_(b, ",\"children\":[");
            for (k = 0; k < nk[i]; k++) { if (k) puts_(b, ","); putu(b, kids[i][k] + 1); }
            puts_(b, "]");
        }
        if (i > 3 && rnd() % 2) { puts_(b, ",\"positionTicks\":[{\"line\":"); putu(b, (long long)(rnd() % 2000 + 1)); puts_(b, ",\"ticks\":"); putu(b, (long long)(rnd() % 50)); puts_(b, "}]"); }
        puts_(b, "}");
    }
    puts_(b, "],\"startTime\":322431277,\"endTime\":");
    putu(b, 322431277LL + nsamples * 1050LL + 1000);
    puts_(b, ",\"samples\":[");
    for (s = 0; s < nsamples; s++) {
        unsigned r = rnd() % 100;
        int id = r < 3 ? 2 : r < 10 ? 3 : r < 12 ? 4 : leaves[rnd() % (unsigned)nleaves] + 1;
        if (s) put(b, ",", 1);
        putu(b, id);
    }
    puts_(b, "],\"timeDeltas\":[");
    for (s = 0; s < nsamples; s++) {
        if (s) put(b, ",", 1);
        putu(b, 900 + (long long)(rnd() % 300));
    }
    puts_(b, "]}");
    for (i = 0; i < nnodes; i++) free(kids[i]);
    free(kids); free(nk); free(ck); free(parent); free(leaves);
}

static int count_bytes(void *ctx, const void *d, size_t n) { (void)d; *(size_t *)ctx += n; return 0; }

int main(int argc, char **argv)
{
    long nsamples = 11500000;
    int nnodes = 4000, runs = 3, i, r;
    const char *write_path = NULL, *read_path = NULL;
    sbuf b = {NULL, 0, 0};
    double best = 1e30, first = 0;
    int mode;
    long rss_before, rss_after;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--samples") && i + 1 < argc) nsamples = atol(argv[++i]);
        else if (!strcmp(argv[i], "--nodes") && i + 1 < argc) nnodes = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--write") && i + 1 < argc) write_path = argv[++i];
        else if (!strcmp(argv[i], "--read") && i + 1 < argc) read_path = argv[++i];
        else { fprintf(stderr, "usage: bench_json [--samples N] [--nodes N] [--runs N] [--write F] [--read F]\n"); return 1; }
    }
    if (nnodes < 8) nnodes = 8;
    if (read_path) {
        FILE *f = fopen(read_path, "rb");
        char tmp[1 << 16];
        size_t n;
        if (!f) { perror(read_path); return 1; }
        while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) put(&b, tmp, n);
        fclose(f);
    } else {
        generate(&b, nnodes, nsamples);
    }
    if (write_path) {
        FILE *f = fopen(write_path, "wb");
        if (!f || fwrite(b.s, 1, b.len, f) != b.len || fclose(f)) { perror(write_path); return 1; }
    }
    printf("input: %.1f MiB (%s), best of %d runs, one core\n", (double)b.len / 1048576.0,
           read_path ? read_path : "generated .cpuprofile", runs);
    fflush(stdout);
    /* each mode in its own process, so its peak RSS is its own */
    for (mode = 0; mode < 3; mode++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid > 0) {
            int st;
            waitpid(pid, &st, 0);
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return 2;
            continue;
        }
        rss_before = peak_rss_kib();
        best = 1e30;
        for (r = 0; r < runs; r++) {
            double t0 = now(), t1;
            size_t tokens = 0, folded = 0;
            if (mode == 0) { /* the reader alone: every token, no profile */
                rf__json j;
                rf__jtok t;
                rf__json_init(&j, NULL, b.s, b.len, 0);
                while ((t = rf__json_next(&j)) > RF__JT_EOF) tokens++;
                t1 = now();
                if (t == RF__JT_ERROR) { fprintf(stderr, "reader: %s\n", j.err_msg); _exit(2); }
                rf__json_free(&j);
            } else { /* the whole parser: JSON -> call tree */
                rf_parse_options o;
                rf_error err;
                rf_profile *p = rf_profile_new(NULL);
                memset(&o, 0, sizeof o);
                o.format = RF_FORMAT_V8_CPUPROFILE;
                if (mode == 2) o.v8.weight = RF_V8_WEIGHT_TIME;
                if (rf_parse(p, b.s, b.len, &o, &err) != RF_OK) { fprintf(stderr, "parse: %s\n", err.message); _exit(2); }
                t1 = now();
                rf_write_folded(p, count_bytes, &folded);
                if (r == 0)
                    printf("  %zu tree nodes, total %lld %s, %zu bytes folded\n", rf_profile_node_count(p),
                           (long long)rf_node_total(p, 0, 0), rf_profile_unit(p), folded);
                rf_profile_free(p);
            }
            if (t1 - t0 < best) best = t1 - t0;
            if (r == 0) first = t1 - t0; /* cold: fresh memory, as a one-shot CLI run sees it */
        }
        rss_after = peak_rss_kib();
        printf("%-34s %7.1f MiB/s (%.3f s; first run %.3f s); peak RSS %.1f MiB, %.1f MiB above the input\n",
               mode == 0 ? "rf__json_next, every token:" : mode == 1 ? "rf_parse cpuprofile (samples):"
                                                              : "rf_parse cpuprofile (time):",
               (double)b.len / 1048576.0 / best, best, first, rss_after / 1024.0, (rss_after - rss_before) / 1024.0);
        fflush(stdout);
        _exit(0);
    }
    free(b.s);
    return 0;
}
