/* Inputs -> profile; profile -> output files, always written atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* ---- atomic output --------------------------------------------------------- */
int cli_out_open(cli_out *o, const char *path) {
    const char *slash;
    size_t dirlen, n;
    int fd;
    mode_t mask;
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = 1;
        return 0;
    }
    slash = strrchr(path, '/');
    dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    n = strlen(path);
    o->path = strdup(path);
    o->tmp = (char *)malloc(n + 32);
    if (!o->path || !o->tmp) { free(o->path); free(o->tmp); return ENOMEM; }
    /* hidden temporary beside the target, so rename() stays on one filesystem */
    snprintf(o->tmp, n + 32, "%.*s.%s.tmp-XXXXXX", (int)dirlen, path, path + dirlen);
    fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->path); free(o->tmp);
        o->path = o->tmp = NULL;
        return e;
    }
    mask = umask(0);
    umask(mask);
    fchmod(fd, (mode_t)(0666 & ~mask)); /* mkstemp makes 0600; outputs are ordinary files */
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        free(o->path); free(o->tmp);
        o->path = o->tmp = NULL;
        return e;
    }
    return 0;
}

int cli_out_write(void *ctx, const void *data, size_t n) {
    cli_out *o = (cli_out *)ctx;
    return fwrite(data, 1, n, o->f) != n;
}

void cli_out_abort(cli_out *o) {
    if (o->is_stdout) { fflush(stdout); return; }
    if (o->f) fclose(o->f);
    if (o->tmp) unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

int cli_out_commit(cli_out *o) {
    int e = 0;
    if (o->is_stdout) return fflush(stdout) == 0 ? 0 : errno;
    if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0) e = errno ? errno : EIO;
    if (fclose(o->f) != 0 && !e) e = errno;
    o->f = NULL;
    if (!e && rename(o->tmp, o->path) != 0) e = errno;
    if (e) unlink(o->tmp);
    free(o->path);
    free(o->tmp);
    memset(o, 0, sizeof *o);
    return e;
}

/* ---- inputs ------------------------------------------------------------------- */
typedef struct warn_ctx { const cli_config *cfg; const char *path; } warn_ctx;

static void on_warning(void *vctx, const rf_error *w) {
    warn_ctx *c = (warn_ctx *)vctx;
    if (c->cfg->quiet) return;
    if (w->line)
        fprintf(stderr, "resq-flame: %s:%llu: warning: %s%s%s%s\n", c->path, (unsigned long long)w->line, w->message,
                w->detail[0] ? " (" : "", w->detail, w->detail[0] ? ")" : "");
    else
        fprintf(stderr, "resq-flame: %s: warning: %s%s%s%s\n", c->path, w->message, w->detail[0] ? " (" : "",
                w->detail, w->detail[0] ? ")" : "");
}

static void report_parse_error(const char *path, const rf_error *e) {
    if (e->line)
        fprintf(stderr, "resq-flame: %s:%llu%s%.0u: %s", path, (unsigned long long)e->line, e->column ? ":" : "",
                e->column, e->message ? e->message : rf_result_string(e->code));
    else
        fprintf(stderr, "resq-flame: %s: byte %llu: %s", path, (unsigned long long)e->byte_offset,
                e->message ? e->message : rf_result_string(e->code));
    if (e->detail[0]) fprintf(stderr, " (%s)", e->detail);
    fprintf(stderr, " [%s input]\n", rf_format_name(e->format));
}

/* Per-format parse options from the command line (files and live collections alike). */
int cli_parse_options(const cli_config *cfg, rf_parse_options *opt) {
    opt->pprof.sample_index = cfg->sample_type;
    opt->pprof.group_by_label = cfg->group_by_label;
    opt->pprof.regex = cli_regex_engine(); /* the profile's drop_frames, as go tool pprof */
    opt->perf.pid = cfg->perf_pid;
    opt->perf.tid = cfg->perf_tid;
    opt->perf.kernel = cfg->perf_kernel;
    opt->perf.jit = cfg->perf_jit;
    opt->perf.all = cfg->perf_all;
    opt->perf.addrs = cfg->perf_addrs;
    opt->perf.event_filter = cfg->event_filter;
    opt->perf.offcpu = cfg->offcpu;
    if (cfg->count_mode) {
        if (strcmp(cfg->count_mode, "samples") == 0) {
            opt->perf.count_samples = 1;
        } else if (strcmp(cfg->count_mode, "period") != 0) {
            cli_error("--count %s: expected period or samples", cfg->count_mode);
            return EXIT_USAGE;
        }
    }
    opt->v8.drop_idle = cfg->drop_idle;
    if (cfg->time_weighted) opt->v8.weight = RF_V8_WEIGHT_TIME;
    if (cfg->frame_names) {
        if (strcmp(cfg->frame_names, "line") == 0) {
            opt->pprof.frames = RF_PPROF_FRAMES_FILE_LINE;
            opt->v8.names = RF_FRAME_NAMES_LOCATION;
            opt->speedscope.names = RF_FRAME_NAMES_LOCATION;
        } else if (strcmp(cfg->frame_names, "function") != 0) {
            cli_error("--frame-names %s: expected function or line", cfg->frame_names);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* Formats whose reader holds the whole document anyway: a regular file in one of them is
   read whole and lent to the parser (rf_parser_feed_whole), so it is not copied again. */
static int reads_whole(rf_format f) {
    return f == RF_FORMAT_V8_CPUPROFILE || f == RF_FORMAT_V8_HEAPPROFILE || f == RF_FORMAT_SPEEDSCOPE ||
           f == RF_FORMAT_JSC_SAMPLES || f == RF_FORMAT_SVG || f == RF_FORMAT_PPROF;
}

/* The file's bytes when it is a regular file of a whole-document format, else NULL (and the
   caller streams it). The buffer comes from cli_allocator(); free it with release_whole. */
static char *read_whole(FILE *f, rf_format forced, size_t *len, size_t *cap) {
    const rf_allocator *al = cli_allocator();
    struct stat st;
    char head[4096], *buf;
    size_t n, got = 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof head) return NULL;
    if ((uint64_t)st.st_size > (uint64_t)(size_t)-1 / 2) return NULL;
    n = fread(head, 1, sizeof head, f);
    rewind(f);
    if (n != sizeof head || !reads_whole(forced != RF_FORMAT_AUTO ? forced : rf_detect_format(head, n))) return NULL;
    n = (size_t)st.st_size;
    buf = (char *)(al ? al->malloc_fn(al->user, n) : malloc(n));
    if (!buf) return NULL;
    while (got < n) { /* a file that shrinks meanwhile ends early; one that grows is cut */
        size_t k = fread(buf + got, 1, n - got, f);
        if (k == 0) break;
        got += k;
    }
    *len = got;
    *cap = n;
    return buf;
}

static void release_whole(char *buf, size_t cap) {
    const rf_allocator *al = cli_allocator();
    if (al) al->free_fn(al->user, buf, cap);
    else free(buf);
}

int cli_load_input(const cli_config *cfg, const char *path, rf_profile *p) {
    rf_parse_options opt;
    rf_parser *ps;
    rf_error err;
    warn_ctx wc;
    FILE *f;
    char *buf, *whole;
    size_t n, whole_len = 0, whole_cap = 0;
    int is_stdin = strcmp(path, "-") == 0, rc = EXIT_OK;
    const rf_parse_stats *st;
    const char *shown = is_stdin ? "<stdin>" : path;
    memset(&opt, 0, sizeof opt);
    if (cfg->format && strcmp(cfg->format, "auto") != 0) {
        opt.format = rf_format_from_name(cfg->format);
        if (opt.format == RF_FORMAT_COUNT_ || opt.format == RF_FORMAT_AUTO) {
            cli_error("unknown --format '%s' (folded perf cpuprofile heapprofile pprof bpftrace speedscope dtrace "
                      "austin jsc svg)", cfg->format);
            return EXIT_USAGE;
        }
    }
    opt.strict = cfg->strict;
    if ((rc = cli_parse_options(cfg, &opt)) != EXIT_OK) return rc;
    wc.cfg = cfg;
    wc.path = shown;
    opt.warn = on_warning;
    opt.warn_ctx = &wc;
    if (cfg->threads >= 2 && !is_stdin && (rc = cli_load_perf_parallel(cfg, path, p, &opt)) >= 0) return rc;
    rc = EXIT_OK;
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error("cannot open input '%s': %s", path, strerror(errno));
        return errno == ENOENT ? EXIT_BAD_INPUT : EXIT_BAD_INPUT;
    }
    whole = is_stdin ? NULL : read_whole(f, opt.format, &whole_len, &whole_cap);
    buf = whole ? NULL : (char *)malloc(1 << 20);
    ps = whole || buf ? rf_parser_new(p, &opt) : NULL;
    if (!ps) {
        cli_error("out of memory");
        free(buf);
        if (whole) release_whole(whole, whole_cap);
        if (!is_stdin) fclose(f);
        return EXIT_BAD_INPUT;
    }
    if (whole) {
        if (rf_parser_feed_whole(ps, whole, whole_len, &err) != RF_OK) { report_parse_error(shown, &err); rc = EXIT_BAD_INPUT; }
        progress_parse(cfg, shown, rf_parser_stats(ps)->bytes, rf_parser_stats(ps)->samples);
    }
    while (!whole && (n = fread(buf, 1, 1 << 20, f)) > 0) {
        if (rf_parser_feed(ps, buf, n, &err) != RF_OK) { report_parse_error(shown, &err); rc = EXIT_BAD_INPUT; break; }
        progress_parse(cfg, shown, rf_parser_stats(ps)->bytes, rf_parser_stats(ps)->samples);
    }
    progress_parse_end();
    if (rc == EXIT_OK && ferror(f)) {
        cli_error("reading '%s': %s", shown, strerror(errno));
        rc = EXIT_BAD_INPUT;
    }
    if (rc == EXIT_OK && rf_parser_finish(ps, &err) != RF_OK) { report_parse_error(shown, &err); rc = EXIT_BAD_INPUT; }
    st = rf_parser_stats(ps);
    if (rc == EXIT_OK && st->skipped && !cfg->quiet)
        fprintf(stderr, "resq-flame: %s: skipped %llu malformed line%s; first at line %llu: %s\n", shown,
                (unsigned long long)st->skipped, st->skipped == 1 ? "" : "s",
                (unsigned long long)st->first_skipped_line, st->first_skipped_reason);
    if (cfg->verbose && rc == EXIT_OK)
        fprintf(stderr, "resq-flame: %s: %s, %llu bytes, %llu samples\n", shown, rf_format_name(st->format),
                (unsigned long long)st->bytes, (unsigned long long)st->samples);
    rf_parser_free(ps);
    free(buf);
    if (whole) release_whole(whole, whole_cap); /* lent to the parser until it was freed */
    if (!is_stdin) fclose(f);
    return rc;
}

int cli_load_inputs(const cli_config *cfg, rf_profile *p) {
    size_t i;
    if (cfg->ninputs == 0) {
        cli_error("%s: no input; give --input PATH (or '-' for stdin)", cfg->command);
        return EXIT_USAGE;
    }
    for (i = 0; i < cfg->ninputs; i++) {
        int rc = cli_load_input(cfg, cfg->inputs[i], p);
        if (rc) return rc;
    }
    return EXIT_OK;
}

/* ---- outputs ------------------------------------------------------------------ */
static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

const char *cli_output_format(const cli_config *cfg, const char *path) {
    if (cfg->to) return cfg->to;
    if (ends_with(path, ".folded") || ends_with(path, ".collapsed") || ends_with(path, ".txt")) return "folded";
    return "svg";
}

static int write_output(const cli_config *cfg, const rf_profile *p, const char *path, const char *to) {
    cli_out out;
    rf_result r;
    int e;
    if ((e = cli_out_open(&out, path)) != 0) {
        cli_error("cannot create '%s': %s", path, strerror(e));
        return EXIT_BAD_INPUT;
    }
    if (strcmp(to, "folded") == 0) r = rf_write_folded(p, cli_out_write, &out);
    else r = cli_write_svg(cfg, p, cli_out_write, &out);
    if (r != RF_OK && r != RF_ERR_EMPTY) {
        cli_out_abort(&out);
        cli_error("writing '%s' failed: %s; nothing was written", path, rf_result_string(r));
        return EXIT_BAD_INPUT;
    }
    if ((e = cli_out_commit(&out)) != 0) {
        cli_error("writing '%s' failed: %s; the previous file (if any) is unchanged", path, strerror(e));
        return EXIT_BAD_INPUT;
    }
    if (r == RF_ERR_EMPTY) {
        cli_error("no samples in the input; wrote an SVG that says so to %s", path);
        return EXIT_BAD_INPUT;
    }
    if (strcmp(path, "-") != 0) {
        progress_summary(cfg, path, p);
        if (cfg->open_browser) cli_open_in_browser(cfg, path);
    }
    return EXIT_OK;
}

/* Every command that renders comes through here: the filters are applied once, here. */
int cli_write_output(const cli_config *cfg, const rf_profile *p) {
    const char *path = cfg->output ? cfg->output : "flamegraph.svg";
    const char *to = cli_output_format(cfg, path);
    rf_profile *view = NULL;
    int rc;
    if (strcmp(to, "svg") != 0 && strcmp(to, "folded") != 0) {
        cli_error("--to %s: expected svg or folded", to);
        return EXIT_USAGE;
    }
    if ((rc = cli_filter_profile(cfg, p, strcmp(to, "svg") == 0, &view)) != EXIT_OK) return rc;
    rc = write_output(cfg, view ? view : p, path, to);
    rf_profile_free(view);
    return rc;
}
