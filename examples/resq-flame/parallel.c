/* --threads 2: a large `perf script` file parsed in two threads. The file is cut at
   a sample boundary near the middle (rf_perf_split_point), each half is parsed into
   its own profile with the event filter a whole-file parse would pick
   (rf_perf_first_event), and the halves are merged. Off-CPU mode is never split:
   its switch-out/switch-in pairs straddle any cut. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

#define CHUNK (1u << 20)

typedef struct half {
    int fd;
    off_t start, end;
    rf_profile *p;
    rf_parse_options opt;
    rf_error err;
    rf_result r;
    uint64_t skipped, first_skipped_line;
    const char *first_skipped_reason;
} half;

static void *parse_half(void *arg) {
    half *h = (half *)arg;
    char *buf = (char *)malloc(CHUNK);
    rf_parser *ps = buf ? rf_parser_new(h->p, &h->opt) : NULL;
    off_t at = h->start;
    h->r = RF_ERR_OUT_OF_MEMORY;
    if (!ps) { free(buf); return NULL; }
    h->r = RF_OK;
    while (h->r == RF_OK && at < h->end) {
        size_t want = (size_t)(h->end - at < (off_t)CHUNK ? h->end - at : (off_t)CHUNK);
        ssize_t got = pread(h->fd, buf, want, at);
        if (got <= 0) { h->r = RF_ERR_TRUNCATED; h->err.message = "the file shrank while it was read"; break; }
        h->r = rf_parser_feed(ps, buf, (size_t)got, &h->err);
        at += got;
    }
    if (h->r == RF_OK) h->r = rf_parser_finish(ps, &h->err);
    h->skipped = rf_parser_stats(ps)->skipped;
    h->first_skipped_line = rf_parser_stats(ps)->first_skipped_line;
    h->first_skipped_reason = rf_parser_stats(ps)->first_skipped_reason;
    rf_parser_free(ps);
    free(buf);
    return NULL;
}

/* Returns -1 when the input is not worth splitting (the caller parses it in one
   thread), else an exit code. */
int cli_load_perf_parallel(const cli_config *cfg, const char *path, rf_profile *p, const rf_parse_options *base) {
    struct stat st;
    char *win;
    ssize_t n;
    size_t k;
    half h[2];
    pthread_t th;
    char event[256];
    int fd, i, rc = EXIT_OK;
    if (base->perf.offcpu) return -1;
    fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 8 * (off_t)CHUNK) {
        if (fd >= 0) close(fd);
        return -1;
    }
    win = (char *)malloc(CHUNK);
    if (!win) { close(fd); return -1; }
    n = pread(fd, win, CHUNK, 0);
    if (n <= 0 || rf_detect_format(win, (size_t)n < 4096 ? (size_t)n : 4096) != RF_FORMAT_PERF_SCRIPT ||
        (base->format != RF_FORMAT_AUTO && base->format != RF_FORMAT_PERF_SCRIPT)) {
        free(win); close(fd);
        return -1;
    }
    event[0] = '\0';
    if (!base->perf.event_filter) rf_perf_first_event(win, (size_t)n, event, sizeof event);
    n = pread(fd, win, CHUNK, st.st_size / 2);
    k = n > 0 ? rf_perf_split_point(win, (size_t)n, 0) : 0;
    free(win);
    if (n <= 0 || k >= (size_t)n) { close(fd); return -1; }
    memset(h, 0, sizeof h);
    for (i = 0; i < 2; i++) {
        h[i].fd = fd;
        h[i].opt = *base;
        h[i].opt.format = RF_FORMAT_PERF_SCRIPT;
        if (event[0]) h[i].opt.perf.event_filter = event;
    }
    h[0].start = 0;
    h[0].end = h[1].start = st.st_size / 2 + (off_t)k;
    h[1].end = st.st_size;
    h[0].p = p;                     /* the first half goes straight into the result */
    h[1].p = rf_profile_new(cli_allocator());
    if (!h[1].p || pthread_create(&th, NULL, parse_half, &h[1]) != 0) {
        rf_profile_free(h[1].p);
        close(fd);
        return -1;
    }
    parse_half(&h[0]);
    pthread_join(th, NULL);
    close(fd);
    for (i = 0; i < 2 && rc == EXIT_OK; i++) {
        if (h[i].r != RF_OK) {
            cli_error("%s: %s %s (in the %s half, which starts at byte %lld)", path,
                      h[i].err.message ? h[i].err.message : "", rf_result_string(h[i].r), i ? "second" : "first",
                      (long long)h[i].start);
            rc = EXIT_BAD_INPUT;
        }
    }
    if (rc == EXIT_OK && rf_profile_merge(p, h[1].p) != RF_OK) {
        cli_error("%s: merging the two halves failed (out of memory?)", path);
        rc = EXIT_BAD_INPUT;
    }
    if (rc == EXIT_OK && h[0].skipped + h[1].skipped && !cfg->quiet)
        fprintf(stderr, "resq-flame: %s: skipped %llu malformed line%s; first: %s\n", path,
                (unsigned long long)(h[0].skipped + h[1].skipped), h[0].skipped + h[1].skipped == 1 ? "" : "s",
                h[0].skipped ? h[0].first_skipped_reason : h[1].first_skipped_reason);
    if (cfg->verbose) cli_info(cfg, "%s: parsed in two threads, split at byte %lld", path, (long long)h[1].start);
    rf_profile_free(h[1].p);
    return rc;
}
