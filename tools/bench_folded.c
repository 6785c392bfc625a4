/* Folded-stack parse (and folded write) throughput: MiB/s and peak RSS.
   usage: bench_folded FILE [repeat] */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
static int sink(void *ctx, const void *d, size_t n) { (void)d; *(size_t *)ctx += n; return 0; }

int main(int argc, char **argv) {
    FILE *f;
    char *data;
    long n;
    int rep, reps = argc > 2 ? atoi(argv[2]) : 3;
    double best = 1e9, wbest = 1e9;
    struct rusage ru;
    size_t out = 0, nodes = 0;
    if (argc < 2) { fprintf(stderr, "usage: %s FILE [repeat]\n", argv[0]); return 1; }
    f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) return 1;
    fclose(f);
    for (rep = 0; rep < reps; rep++) {
        rf_profile *p = rf_profile_new(NULL);
        rf_parser *ps = rf_parser_new(p, NULL);
        rf_error err;
        long off;
        double t0 = now(), t1, t2;
        for (off = 0; off < n; off += 1 << 20) {
            size_t k = (size_t)(n - off < (1 << 20) ? n - off : (1 << 20));
            if (rf_parser_feed(ps, data + off, k, &err)) { fprintf(stderr, "parse error: %s\n", err.message); return 2; }
        }
        if (rf_parser_finish(ps, &err)) { fprintf(stderr, "parse error: %s\n", err.message); return 2; }
        t1 = now();
        rf_parser_free(ps);
        out = 0;
        rf_write_folded(p, sink, &out);
        t2 = now();
        if (t1 - t0 < best) best = t1 - t0;
        if (t2 - t1 < wbest) wbest = t2 - t1;
        nodes = rf_profile_node_count(p);
        rf_profile_free(p);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("folded parse  %-40s %8.1f MiB  %8.1f MiB/s  (%zu nodes)\n", argv[1], (double)n / 1048576.0,
           (double)n / 1048576.0 / best, nodes);
    printf("folded write  %-40s %8.1f MiB  %8.1f MiB/s\n", "", (double)out / 1048576.0, (double)out / 1048576.0 / wbest);
    printf("peak RSS %.1f MiB (input buffer %.1f MiB included)\n", (double)ru.ru_maxrss / 1024.0, (double)n / 1048576.0);
    free(data);
    return 0;
}
