/* bench_svg: throughput of the SVG writer, and a small renderer for tests.

     bench_svg FILE...            folded input -> SVG, timed: parse+write and write alone (MiB/s
                                  of folded input), bytes of SVG per drawn frame, peak RSS
     bench_svg --render FILE [--OPTION VALUE | --FLAG]...   folded (or any input) -> SVG on stdout;
                                  options as rf_svg_options / flamegraph.pl: --title --subtitle
                                  --width --height --minwidth --fonttype --fontsize --fontwidth
                                  --countname --nametype --colors --bgcolors --notes --total
                                  --factor --search-color --truncate --sort --id-prefix
                                  --data-budget --width-from before|after|max, flags --hash
                                  --cp --reverse --inverted --flamechart --negate. Exit 0, or
                                  1 on RF_ERR_EMPTY (the SVG is still written), 2 on errors.
     bench_svg --gen MIB OUT      writes a deterministic folded file of realistic stacks: a random
                                  call graph of 30k functions with C++/Java-like names, depth 3..80,
                                  hot paths taken 85% of the time, heavy-tailed counts (calibrated to
                                  the mixed-workload capture: ~400 bytes per line, few new nodes per
                                  stack)

   Not a test: it prints numbers. `make bench` runs it. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *d = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) { fprintf(stderr, "bench_svg: cannot open %s\n", path); exit(2); }
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            d = (char *)realloc(d, cap);
            if (!d) { fprintf(stderr, "bench_svg: out of memory\n"); exit(2); }
        }
        got = fread(d + n, 1, cap - n, f);
        if (!got) break;
        n += got;
    }
    fclose(f);
    *len = n;
    return d;
}

typedef struct sink { size_t bytes; char *keep; size_t cap; } sink;
static int count_write(void *ctx, const void *d, size_t n) {
    sink *s = (sink *)ctx;
    if (s->keep) {
        if (s->bytes + n > s->cap) {
            while (s->bytes + n > s->cap) s->cap *= 2;
            s->keep = (char *)realloc(s->keep, s->cap);
            if (!s->keep) return 1;
        }
        memcpy(s->keep + s->bytes, d, n);
    }
    s->bytes += n;
    return 0;
}

static rf_profile *parse(const char *d, size_t n) {
    rf_profile *p = rf_profile_new(NULL);
    rf_error err;
    if (!p || rf_parse(p, d, n, NULL, &err) != RF_OK) {
        fprintf(stderr, "bench_svg: parse failed: %s (line %llu)\n", err.message, (unsigned long long)err.line);
        exit(2);
    }
    return p;
}

static size_t count_str(const char *h, size_t n, const char *needle) {
    size_t k = strlen(needle), i, c = 0;
    for (i = 0; i + k <= n; i++)
        if (h[i] == needle[0] && !memcmp(h + i, needle, k)) c++;
    return c;
}

static void bench(const char *path) {
    size_t n, i, reps;
    char *d = read_file(path, &n);
    double t0, t_parse = 1e30, t_write = 1e30, mib = (double)n / (1024.0 * 1024.0);
    sink s;
    rf_profile *p = NULL;
    rf_result r;
    size_t frames, frame_bytes, data_bytes;
    const char *fs, *fe, *ds, *de;
    struct rusage ru;
    reps = n < (8u << 20) ? 20 : 5;
    for (i = 0; i < reps; i++) {
        t0 = now();
        if (p) rf_profile_free(p);
        p = parse(d, n);
        if (now() - t0 < t_parse) t_parse = now() - t0;
        memset(&s, 0, sizeof s);
        t0 = now();
        r = rf_write_svg(p, NULL, count_write, &s);
        if (now() - t0 < t_write) t_write = now() - t0;
        if (r != RF_OK) { fprintf(stderr, "bench_svg: write failed: %s\n", rf_result_string(r)); exit(2); }
    }
    /* one more run keeping the bytes, to measure the document */
    memset(&s, 0, sizeof s);
    s.cap = 1 << 20;
    s.keep = (char *)malloc(s.cap);
    rf_write_svg(p, NULL, count_write, &s);
    frames = count_str(s.keep, s.bytes, "<g><title>");
    fs = strstr(s.keep, "-frames\"");
    fe = strstr(s.keep, "<!-- The call tree");
    ds = strstr(s.keep, "<script type=\"application/json\"");
    de = ds ? strstr(ds, "</script>") : NULL;
    frame_bytes = fs && fe ? (size_t)(fe - fs) : 0;
    data_bytes = ds && de ? (size_t)(de - ds) : 0;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s\n  input %.1f MiB, %zu nodes, %zu drawn frames, SVG %.2f MiB (data block %.2f MiB)\n", path, mib,
           rf_profile_node_count(p), frames, (double)s.bytes / 1048576.0, (double)data_bytes / 1048576.0);
    printf("  parse+write %.0f MiB/s (parse %.1f ms, write %.1f ms); write alone %.0f MiB/s of input, %.0f MiB/s of SVG\n",
           mib / (t_parse + t_write), t_parse * 1e3, t_write * 1e3, mib / t_write,
           (double)s.bytes / 1048576.0 / t_write);
    printf("  bytes per drawn frame: %.1f (frame markup only), %.1f (whole SVG incl. script and data)\n",
           frames ? (double)frame_bytes / (double)frames : 0.0, frames ? (double)s.bytes / (double)frames : 0.0);
    printf("  peak RSS %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    free(s.keep);
    rf_profile_free(p);
    free(d);
}

static int render(int argc, char **argv) {
    rf_svg_options o;
    size_t n;
    char *d;
    rf_profile *p;
    rf_result r;
    int i;
    memset(&o, 0, sizeof o);
    for (i = 3; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define STR(name, field) if (!strcmp(k, name) && v) { o.field = v; i++; continue; }
#define NUM(name, field) if (!strcmp(k, name) && v) { o.field = atof(v); i++; continue; }
#define FLAG(name, field) if (!strcmp(k, name)) { o.field = 1; continue; }
        STR("--title", title) STR("--subtitle", subtitle) STR("--minwidth", minwidth) STR("--fonttype", fonttype)
        STR("--countname", countname) STR("--nametype", nametype) STR("--colors", colors) STR("--bgcolors", bgcolors)
        STR("--notes", notes) STR("--search-color", search_color) STR("--truncate", truncate) STR("--sort", sort)
        STR("--id-prefix", id_prefix)
        NUM("--width", width) NUM("--height", height) NUM("--fontsize", fontsize) NUM("--fontwidth", fontwidth)
        NUM("--total", total) NUM("--factor", factor)
        FLAG("--hash", hash) FLAG("--cp", cp) FLAG("--reverse", reverse) FLAG("--inverted", inverted)
        FLAG("--flamechart", flamechart) FLAG("--negate", negate)
        if (!strcmp(k, "--data-budget") && v) { o.data_budget = (size_t)strtoull(v, NULL, 10); i++; continue; }
        if (!strcmp(k, "--width-from") && v) {
            o.width_from = !strcmp(v, "after") ? RF_SVG_WIDTH_AFTER : !strcmp(v, "before") ? RF_SVG_WIDTH_BEFORE
                           : !strcmp(v, "max") ? RF_SVG_WIDTH_MAX : -1; /* -1: refused below */
            i++;
            continue;
        }
        fprintf(stderr, "bench_svg: unknown option %s\n", k);
        return 2;
    }
    if (rf_svg_check_options(&o)) { fprintf(stderr, "bench_svg: %s\n", rf_svg_check_options(&o)); return 2; }
    d = read_file(argv[2], &n);
    p = parse(d, n);
    r = rf_write_svg(p, &o, rf_write_to_file, stdout);
    rf_profile_free(p);
    free(d);
    if (r == RF_ERR_EMPTY) return 1;
    if (r != RF_OK) { fprintf(stderr, "bench_svg: %s\n", rf_result_string(r)); return 2; }
    return fflush(stdout) ? 2 : 0;
}

/* ---- a deterministic generator of realistic folded stacks ---- */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static int gen(double mib, const char *out) {
    enum { NFUNC = 30000, MAXCALLEE = 6 };
    static const char *const words[] = {"read", "write", "parse", "handle", "request", "buffer", "alloc", "free",
                                        "lock", "queue", "event", "loop", "poll", "hash", "map", "insert",
                                        "lookup", "encode", "decode", "json", "http", "socket", "send", "recv",
                                        "compress", "render", "update", "tree", "node", "visit", "run", "task"};
    char **names = (char **)malloc(NFUNC * sizeof *names);
    int *callees = (int *)malloc(NFUNC * MAXCALLEE * sizeof *callees), *ncallee = (int *)malloc(NFUNC * sizeof(int));
    FILE *f = fopen(out, "wb");
    size_t target = (size_t)(mib * 1048576.0), written = 0, i, lines = 0;
    int stack[128];
    if (!names || !callees || !ncallee || !f) { fprintf(stderr, "bench_svg: cannot generate %s\n", out); return 2; }
    for (i = 0; i < NFUNC; i++) {
        char buf[256];
        int m = (int)(rnd() % 8), w = 2 + (int)(rnd() % 5), k, len;
        len = snprintf(buf, sizeof buf, "%s", m == 3 ? "std::" : m == 7 ? "Lorg/app/" : "");
        for (k = 0; k < w; k++)
            len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s", k ? (m == 7 ? "/" : "::") : "",
                            words[rnd() % 32]);
        if (m < 4) len += snprintf(buf + len, sizeof buf - (size_t)len, "(%s const&, unsigned long)", words[rnd() % 32]);
        if (rnd() % 3 == 0) len += snprintf(buf + len, sizeof buf - (size_t)len, "_%u", (unsigned)(i % 1000));
        if (m == 1) snprintf(buf + len, sizeof buf - (size_t)len, "_[k]");
        names[i] = strdup(buf);
        ncallee[i] = 1 + (int)(rnd() % MAXCALLEE);
        for (k = 0; k < ncallee[i]; k++) /* callees mostly "below" in a layered graph */
            callees[i * MAXCALLEE + k] = (int)((i + 1 + rnd() % 2000) % NFUNC);
    }
    while (written < target) {
        int depth = 3 + (int)(rnd() % 20) + (rnd() % 10 == 0 ? (int)(rnd() % 60) : 0), d, fn = (int)(rnd() % 50);
        uint64_t count;
        char line[16384];
        size_t len = 0;
        if (depth > 120) depth = 120;
        for (d = 0; d < depth; d++) {
            stack[d] = fn;
            int k = 0; /* callee k with probability 0.85 * 0.15^k: hot paths dominate, as in real profiles */
            while (k + 1 < ncallee[fn] && rnd() % 100 < 15) k++;
            fn = callees[fn * MAXCALLEE + k];
        }
        for (d = 0; d < depth && len < sizeof line - 512; d++)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", d ? ";" : "", names[stack[d]]);
        count = 1 + (rnd() % 1000 == 0 ? rnd() % 100000 : rnd() % 10 == 0 ? rnd() % 1000 : rnd() % 20);
        len += (size_t)snprintf(line + len, sizeof line - len, " %llu\n", (unsigned long long)count);
        fwrite(line, 1, len, f);
        written += len;
        lines++;
    }
    fclose(f);
    for (i = 0; i < NFUNC; i++) free(names[i]);
    free(names);
    free(callees);
    free(ncallee);
    fprintf(stderr, "bench_svg: wrote %zu lines, %.1f MiB to %s\n", lines, (double)written / 1048576.0, out);
    return 0;
}

int main(int argc, char **argv) {
    int i;
    if (argc >= 3 && !strcmp(argv[1], "--render")) return render(argc, argv);
    if (argc == 4 && !strcmp(argv[1], "--gen")) return gen(atof(argv[2]), argv[3]);
    if (argc < 2) {
        fprintf(stderr, "usage: bench_svg FILE... | --render FILE [options] | --gen MIB OUT\n");
        return 2;
    }
    for (i = 1; i < argc; i++) bench(argv[i]);
    return 0;
}
