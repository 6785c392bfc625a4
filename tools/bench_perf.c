/* bench_perf: throughput and peak memory of the text profile readers (perf script first).

   bench_perf [OPTIONS] FILE
     --threads 1|2     parse in one thread, or split the input at a sample boundary
                       (rf_perf_split_point) and parse the halves in two threads, then
                       merge (rf_profile_merge)                              default 1
     --repeat N        parse N times, report the best                        default 3
     --chunk KiB       read (and feed) size                                  default 128
     --format NAME     input format (perf, bpftrace, dtrace, austin, folded) default perf
     --fold            write the folded result to stdout instead of timing
     --pid --tid --kernel --jit --all --addrs --event-filter=EV --count-samples --offcpu
     --srcline         perf options, as stackcollapse-perf.pl

   Prints one line: "format=perf threads=1 bytes=… MiB/s=… peak_rss_MiB=… stacks=… samples=…".
   The file is streamed in 1 MiB chunks (each thread reads its own range), so the peak RSS is
   the parser's, not the input's. Peak RSS is getrusage()'s ru_maxrss for the whole process.
   --fold exists so the conformance test can check exactly what is benchmarked when the
   CLI is not built. BENCH_VERBOSE=1 prints when each thread finishes and the merge time. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static size_t chunk_size = (size_t)128 << 10; /* read size; --chunk KiB */

typedef struct job {
    const char *path;
    uint64_t from, to;       /* byte range of the file */
    rf_parse_options opt;
    rf_profile *prof;
    rf_result r;
    rf_error err;
    uint64_t samples, skipped;
} job;

static void die(const char *msg, const char *arg) {
    fprintf(stderr, "bench_perf: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void warn_cb(void *ctx, const rf_error *w) {
    (void)ctx;
    fprintf(stderr, "bench_perf: warning (line %llu): %s%s%s\n", (unsigned long long)w->line, w->message,
            w->detail[0] ? ": " : "", w->detail);
}

static void *run_job(void *arg) {
    job *j = (job *)arg;
    int fd = open(j->path, O_RDONLY);
    char *buf = (char *)malloc(chunk_size);
    rf_parser *ps;
    uint64_t off = j->from;
    j->r = RF_OK;
    if (fd < 0 || !buf) { j->r = RF_ERR_INVALID_ARGUMENT; free(buf); if (fd >= 0) close(fd); return NULL; }
    ps = rf_parser_new(j->prof, &j->opt);
    if (!ps) { j->r = RF_ERR_OUT_OF_MEMORY; free(buf); close(fd); return NULL; }
    while (j->r == RF_OK && off < j->to) {
        size_t want = j->to - off < chunk_size ? (size_t)(j->to - off) : chunk_size;
        ssize_t got = pread(fd, buf, want, (off_t)off);
        if (got <= 0) { j->r = RF_ERR_TRUNCATED; break; }
        j->r = rf_parser_feed(ps, buf, (size_t)got, &j->err);
        off += (uint64_t)got;
    }
    if (j->r == RF_OK) j->r = rf_parser_finish(ps, &j->err);
    if (getenv("BENCH_VERBOSE")) fprintf(stderr, "job [%llu,%llu) done at %.3f\n", (unsigned long long)j->from, (unsigned long long)j->to, now_s());
    j->samples = rf_parser_stats(ps)->samples;
    j->skipped = rf_parser_stats(ps)->skipped;
    rf_parser_free(ps);
    free(buf);
    close(fd);
    return NULL;
}

/* The split: read a window from the middle and find the first blank line in it. */
static uint64_t find_split(const char *path, uint64_t size) {
    int fd = open(path, O_RDONLY);
    char *buf = (char *)malloc(chunk_size);
    uint64_t mid = size / 2, at = mid, result = size;
    if (fd < 0 || !buf) die("cannot read", path);
    while (at < size) {
        ssize_t got = pread(fd, buf, chunk_size, (off_t)at);
        size_t k;
        if (got < 2) break;
        k = rf_perf_split_point(buf, (size_t)got, 0);
        if (k < (size_t)got) { result = at + k; break; }
        at += (uint64_t)got - 1; /* overlap one byte: a blank line may straddle windows */
    }
    free(buf);
    close(fd);
    return result;
}

static int write_stdout(void *ctx, const void *d, size_t n) { return fwrite(d, 1, n, (FILE *)ctx) != n; }

int main(int argc, char **argv) {
    rf_parse_options opt;
    const char *path = NULL;
    int threads = 1, repeat = 3, fold = 0, i, rep;
    double best = 1e30;
    struct stat st;
    struct rusage ru;
    size_t stacks = 0;
    uint64_t samples = 0, skipped = 0;
    char first_event[256];
    memset(&opt, 0, sizeof opt);
    opt.format = RF_FORMAT_PERF_SCRIPT;
    opt.warn = warn_cb;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(a, "--repeat") && i + 1 < argc) repeat = atoi(argv[++i]);
        else if (!strcmp(a, "--chunk") && i + 1 < argc) chunk_size = (size_t)atol(argv[++i]) << 10;
        else if (!strcmp(a, "--format") && i + 1 < argc) {
            opt.format = rf_format_from_name(argv[++i]);
            if (opt.format == RF_FORMAT_COUNT_) die("unknown format", argv[i]);
        } else if (!strcmp(a, "--fold")) fold = 1;
        else if (!strcmp(a, "--pid")) opt.perf.pid = 1;
        else if (!strcmp(a, "--tid")) opt.perf.tid = 1;
        else if (!strcmp(a, "--kernel")) opt.perf.kernel = 1;
        else if (!strcmp(a, "--jit")) opt.perf.jit = 1;
        else if (!strcmp(a, "--all")) opt.perf.all = 1;
        else if (!strcmp(a, "--addrs")) opt.perf.addrs = 1;
        else if (!strcmp(a, "--count-samples")) opt.perf.count_samples = 1;
        else if (!strcmp(a, "--offcpu")) opt.perf.offcpu = 1;
        else if (!strcmp(a, "--srcline")) opt.perf.srcline = 1;
        else if (!strncmp(a, "--event-filter=", 15)) opt.perf.event_filter = a + 15;
        else if (a[0] == '-' && a[1]) die("unknown option", a);
        else path = a;
    }
    if (!path) die("usage: bench_perf [--threads 1|2] [--repeat N] [--format F] [--fold] [perf options] FILE", NULL);
    if (stat(path, &st) != 0) die("cannot stat", path);
    if (threads < 1 || threads > 2) die("--threads must be 1 or 2", NULL);
    if (fold) repeat = 1;
    for (rep = 0; rep < repeat; rep++) {
        job jobs[2];
        pthread_t th[2];
        double t0, t;
        int k;
        memset(jobs, 0, sizeof jobs);
        t0 = now_s();
        for (k = 0; k < threads; k++) {
            jobs[k].path = path;
            jobs[k].opt = opt;
            jobs[k].prof = rf_profile_new(NULL);
            if (!jobs[k].prof) die("out of memory", NULL);
        }
        if (threads == 1) {
            jobs[0].from = 0;
            jobs[0].to = (uint64_t)st.st_size;
            run_job(&jobs[0]);
        } else {
            uint64_t cut = find_split(path, (uint64_t)st.st_size);
            /* both halves must filter for the event a whole-file parse would keep */
            if (!opt.perf.event_filter && opt.format == RF_FORMAT_PERF_SCRIPT) {
                int fd = open(path, O_RDONLY);
                char *head = (char *)malloc(chunk_size);
                ssize_t got = fd >= 0 && head ? pread(fd, head, chunk_size, 0) : -1;
                if (got > 0 && rf_perf_first_event(head, (size_t)got, first_event, sizeof first_event)) {
                    jobs[0].opt.perf.event_filter = first_event;
                    jobs[1].opt.perf.event_filter = first_event;
                }
                free(head);
                if (fd >= 0) close(fd);
            }
            jobs[0].from = 0;
            jobs[0].to = cut;
            jobs[1].from = cut;
            jobs[1].to = (uint64_t)st.st_size;
            for (k = 0; k < 2; k++)
                if (pthread_create(&th[k], NULL, run_job, &jobs[k])) die("pthread_create failed", NULL);
            for (k = 0; k < 2; k++) pthread_join(th[k], NULL);
            if (jobs[0].r == RF_OK && jobs[1].r == RF_OK) {
                rf_result r;
                double tm = now_s();
                r = rf_profile_merge(jobs[0].prof, jobs[1].prof);
                if (getenv("BENCH_VERBOSE")) fprintf(stderr, "parse %.3fs merge %.3fs\n", tm - t0, now_s() - tm);
                if (r != RF_OK) die("merge failed", rf_result_string(r));
            }
        }
        t = now_s() - t0;
        for (k = 0; k < threads; k++) {
            if (jobs[k].r != RF_OK) {
                fprintf(stderr, "bench_perf: %s at line %llu: %s %s\n", rf_result_string(jobs[k].r),
                        (unsigned long long)jobs[k].err.line,
                        jobs[k].err.message ? jobs[k].err.message : "", jobs[k].err.detail);
                return 2;
            }
        }
        if (t < best) best = t;
        samples = jobs[0].samples + (threads == 2 ? jobs[1].samples : 0);
        skipped = jobs[0].skipped + (threads == 2 ? jobs[1].skipped : 0);
        stacks = 0;
        {
            size_t nodes = rf_profile_node_count(jobs[0].prof), nd;
            for (nd = 0; nd < nodes; nd++)
                if (rf_node_self(jobs[0].prof, (uint32_t)nd, 0)) stacks++;
        }
        if (fold && rf_write_folded(jobs[0].prof, write_stdout, stdout) != RF_OK) die("write failed", NULL);
        for (k = 0; k < threads; k++) rf_profile_free(jobs[k].prof);
    }
    if (fold) return fflush(stdout) ? 1 : 0;
    getrusage(RUSAGE_SELF, &ru);
    printf("format=%s threads=%d bytes=%lld seconds=%.3f MiB/s=%.0f peak_rss_MiB=%.1f stacks=%zu samples=%llu skipped=%llu\n",
           rf_format_name(opt.format), threads, (long long)st.st_size, best,
           (double)st.st_size / (1024.0 * 1024.0) / best, (double)ru.ru_maxrss / 1024.0, stacks,
           (unsigned long long)samples, (unsigned long long)skipped);
    return 0;
}
