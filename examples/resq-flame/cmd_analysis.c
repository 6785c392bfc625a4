/* Analysis commands: diff (differential graphs and difffolded output), hotcold (on- and
   off-CPU time in one graph), top (the hottest functions as a table or JSON) and explain
   (an AI endpoint's reading of the profile, or a local one). The profile work is done by
   the header's transforms (rf_profile_diff, rf_profile_view, rf_profile_top). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "term.h"
#include "http.h"

#define TOP_DEFAULT 20
#define SUMMARY_LINES 5

/* ---- small helpers ------------------------------------------------------------ */
static int load_one(const cli_config *cfg, const char *path, rf_profile **out) {
    rf_profile *p = rf_profile_new(cli_allocator());
    int rc;
    *out = NULL;
    if (!p) { cli_error("out of memory"); return EXIT_BAD_INPUT; }
    if ((rc = cli_load_input(cfg, path, p)) != EXIT_OK) { rf_profile_free(p); return rc; }
    *out = p;
    return EXIT_OK;
}

static int load_plain(const cli_config *cfg, const char *opt, const char *path, rf_profile **out) {
    int rc = load_one(cfg, path, out);
    if (rc == EXIT_OK && rf_profile_columns(*out) != 1) {
        cli_error("--%s %s is already a differential profile (two counts per stack); give a plain profile",
                  opt, strcmp(path, "-") ? path : "<stdin>");
        rf_profile_free(*out);
        *out = NULL;
        rc = EXIT_BAD_INPUT;
    }
    return rc;
}

static double pct(int64_t w, int64_t total) { return total > 0 ? 100.0 * (double)w / (double)total : 0.0; }

static const char *weight_str(int64_t w, int dec, char *buf) {
    rf_format_weight(w, dec, buf);
    return buf;
}

/* Terminal-safe copy of a name: control characters (escape sequences included) -> '?'. */
static void put_safe(FILE *f, const char *s, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        fputc(c < 0x20 || c == 0x7f ? '?' : (int)c, f);
    }
}

/* JSON string with quotes; invalid UTF-8 bytes become U+FFFD. */
static void json_str(FILE *f, const char *s, size_t n) {
    size_t i = 0;
    fputc('"', f);
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = 0, j;
        if (c == '"' || c == '\\') { fputc('\\', f); fputc(c, f); i++; continue; }
        if (c < 0x20 || c == 0x7f) { fprintf(f, "\\u%04x", c); i++; continue; }
        if (c < 0x80) { fputc(c, f); i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) k = 1;
        else if (c >= 0xE0 && c <= 0xEF) k = 2;
        else if (c >= 0xF0 && c <= 0xF4) k = 3;
        for (j = 1; k && j <= k; j++)
            if (i + j >= n || ((unsigned char)s[i + j] & 0xC0) != 0x80) k = 0;
        if (k == 2 && ((c == 0xE0 && (unsigned char)s[i + 1] < 0xA0) || (c == 0xED && (unsigned char)s[i + 1] > 0x9F))) k = 0;
        if (k == 3 && ((c == 0xF0 && (unsigned char)s[i + 1] < 0x90) || (c == 0xF4 && (unsigned char)s[i + 1] > 0x8F))) k = 0;
        if (!k) { fputs("\\ufffd", f); i++; continue; }
        fwrite(s + i, 1, k + 1, f);
        i += k + 1;
    }
    fputc('"', f);
}

static void json_num(FILE *f, double v) {
    if (!(v == v) || v > 1e300 || v < -1e300) v = 0;
    fprintf(f, "%.4g", fabs(v) < 5e-5 ? 0.0 : v);
}

/* Opens cfg's output for a text report: stdout unless -o names a file. */
static int open_report(const cli_config *cfg, cli_out *out) {
    const char *path = cfg->output ? cfg->output : "-";
    int e = cli_out_open(out, path);
    if (e) cli_error("cannot create '%s': %s", path, strerror(e));
    return e ? EXIT_BAD_INPUT : EXIT_OK;
}
static int close_report(const cli_config *cfg, cli_out *out) {
    int e = cli_out_commit(out);
    if (e) {
        cli_error("writing '%s' failed: %s", cfg->output ? cfg->output : "<stdout>", strerror(e));
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

/* Every function of p by `by` (caller frees *out). */
static int all_functions(const rf_profile *p, rf_top_by by, int col, rf_top_entry **out, size_t *count) {
    size_t n = rf_profile_name_count(p);
    rf_result r;
    *out = (rf_top_entry *)calloc(n ? n : 1, sizeof **out);
    if (!*out) { cli_error("out of memory"); return EXIT_BAD_INPUT; }
    if ((r = rf_profile_top(p, by, col, *out, n, count)) != RF_OK) {
        cli_error("ranking functions failed: %s", rf_result_string(r));
        free(*out);
        *out = NULL;
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

/* ---- diff ------------------------------------------------------------------------ */
static void diff_summary(const cli_config *cfg, const rf_profile *d, double *max_growth, char *worst, size_t worst_cap) {
    rf_top_entry *e = NULL;
    size_t n = 0, i, shown;
    char b0[32], b1[32];
    int dec = rf_profile_decimals(d);
    *max_growth = 0;
    worst[0] = '\0';
    if (all_functions(d, RF_TOP_TOTAL_CHANGE, 1, &e, &n) != EXIT_OK) return;
    if (n && e[0].total_change > 0) {
        *max_growth = e[0].total_change;
        snprintf(worst, worst_cap, "%.*s", (int)(e[0].name.len < 200 ? e[0].name.len : 200), e[0].name.ptr);
    }
    if (cfg->quiet) { free(e); return; }
    fprintf(stderr, "resq-flame: diff: before %s, after %s %s%s\n", weight_str(rf_node_total(d, 0, 0), dec, b0),
            weight_str(rf_node_total(d, 0, 1), dec, b1), rf_profile_unit(d), cfg->normalize ? " (before normalized)" : "");
    fprintf(stderr, "resq-flame: biggest regressions (change of the share of the total, percentage points):\n");
    for (i = 0, shown = 0; i < n && shown < SUMMARY_LINES && e[i].total_change > 0.005; i++, shown++) {
        fprintf(stderr, "  %+7.2f pp total %+7.2f pp self  ", e[i].total_change, e[i].self_change);
        put_safe(stderr, e[i].name.ptr, e[i].name.len);
        fputc('\n', stderr);
    }
    if (!shown) fprintf(stderr, "  (none)\n");
    fprintf(stderr, "resq-flame: biggest improvements:\n");
    for (i = n, shown = 0; i > 0 && shown < SUMMARY_LINES && e[i - 1].total_change < -0.005; i--, shown++) {
        fprintf(stderr, "  %+7.2f pp total %+7.2f pp self  ", e[i - 1].total_change, e[i - 1].self_change);
        put_safe(stderr, e[i - 1].name.ptr, e[i - 1].name.len);
        fputc('\n', stderr);
    }
    if (!shown) fprintf(stderr, "  (none)\n");
    free(e);
}

int cmd_diff(cli_config *cfg) {
    rf_profile *before = NULL, *after = NULL, *d = NULL;
    rf_diff_options o;
    cli_config c = *cfg;
    int rc, folded;
    rf_result r;
    double growth;
    char worst[256];
    if (!cfg->before || !cfg->after) {
        cli_error("diff needs --before PATH and --after PATH (any supported format, SVGs included; '-' = stdin)");
        return EXIT_USAGE;
    }
    if (!strcmp(cfg->before, "-") && !strcmp(cfg->after, "-")) {
        cli_error("diff: --before and --after cannot both be stdin");
        return EXIT_USAGE;
    }
    if (cfg->width_from && strcmp(cfg->width_from, "before") != 0 && strcmp(cfg->width_from, "after") != 0 &&
        strcmp(cfg->width_from, "max") != 0) {
        cli_error("--width-from %s: expected before, after or max", cfg->width_from);
        return EXIT_USAGE;
    }
    folded = strcmp(cli_output_format(cfg, cfg->output ? cfg->output : "flamegraph.svg"), "folded") == 0;
    if (folded && !c.output) c.output = "-"; /* difffolded.pl prints to stdout */
    if (!folded && (rc = cli_check_svg_options(cfg)) != EXIT_OK) return rc;
    if ((rc = load_plain(cfg, "before", cfg->before, &before)) != EXIT_OK) return rc;
    if ((rc = load_plain(cfg, "after", cfg->after, &after)) != EXIT_OK) goto done;
    memset(&o, 0, sizeof o);
    o.normalize = cfg->normalize;
    o.strip_hex = cfg->strip_hex;
    o.integer_counts = folded; /* the three-column lines carry integers, as inferno's diff-folded */
    if (folded && (rf_profile_decimals(before) || rf_profile_decimals(after)))
        cli_info(cfg, "note: fractional counts are truncated to integers in the folded diff, as inferno's "
                      "diff-folded does (the SVG keeps them exact)");
    if ((r = rf_profile_diff(before, after, &o, &d)) != RF_OK) {
        cli_error("diff failed: %s", rf_result_string(r));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    diff_summary(cfg, d, &growth, worst, sizeof worst);
    /* the SVG writer lays the two columns out as --width-from says (svg_options.c) */
    if (!folded && !c.title) c.title = "Differential Flame Graph";
    if (!folded && !c.subtitle) {
        const char *from = cfg->width_from ? cfg->width_from : "after";
        c.subtitle = !strcmp(from, "before") ? "widths: before; red = grew, blue = shrank"
                     : !strcmp(from, "max")  ? "widths: max of before and after; red = grew, blue = shrank"
                                             : "widths: after; red = grew, blue = shrank";
    }
    rc = cli_write_output(&c, d);
    if (rc == EXIT_OK && cfg->fail_on_regression > 0 && growth > cfg->fail_on_regression) {
        cli_error("regression: the share of '%s' grew by %.2f percentage points (more than --fail-on-regression %g)",
                  worst, growth, cfg->fail_on_regression);
        rc = EXIT_REGRESSION;
    }
done:
    rf_profile_free(d);
    rf_profile_free(before);
    rf_profile_free(after);
    return rc;
}

/* ---- hotcold ---------------------------------------------------------------------- */
/* Nanoseconds per unit, 0 when the unit is not a time. */
static int64_t unit_ns(const char *u) {
    if (!strcmp(u, "nanoseconds") || !strcmp(u, "ns")) return 1;
    if (!strcmp(u, "microseconds") || !strcmp(u, "us")) return 1000;
    if (!strcmp(u, "milliseconds") || !strcmp(u, "ms")) return 1000000;
    if (!strcmp(u, "seconds") || !strcmp(u, "s")) return 1000000000;
    return 0;
}

int cmd_hotcold(cli_config *cfg) {
    rf_profile *on = NULL, *off = NULL, *von = NULL, *voff = NULL, *all = NULL;
    rf_view_options o;
    cli_config c = *cfg;
    const char *unit;
    int64_t ns_on, ns_off, target;
    int rc;
    rf_result r;
    char subtitle[256], w0[32], w1[32];
    if (!cfg->on_cpu || !cfg->off_cpu) {
        cli_error("hotcold needs --on PATH (on-CPU profile) and --off PATH (off-CPU profile), "
                  "or --pid PID for a live capture");
        return EXIT_USAGE;
    }
    if ((rc = cli_check_svg_options(cfg)) != EXIT_OK) return rc;
    if ((rc = load_plain(cfg, "on", cfg->on_cpu, &on)) != EXIT_OK) return rc;
    if ((rc = load_plain(cfg, "off", cfg->off_cpu, &off)) != EXIT_OK) goto done;
    ns_on = unit_ns(rf_profile_unit(on));
    ns_off = unit_ns(rf_profile_unit(off));
    if (ns_on && ns_off) {
        target = ns_on < ns_off ? ns_on : ns_off; /* the finer unit: converting to it is exact */
        unit = target == ns_on ? rf_profile_unit(on) : rf_profile_unit(off);
    } else if (!strcmp(rf_profile_unit(on), rf_profile_unit(off))) {
        target = ns_on = ns_off = 1;
        unit = rf_profile_unit(on);
        cli_info(cfg, "note: both profiles count %s, not time; widths compare %s", unit, unit);
    } else {
        cli_error("hotcold: the on-CPU profile counts %s and the off-CPU one %s; widths need one time unit "
                  "(perf: record on-CPU with -e cpu-clock so periods are nanoseconds; off-CPU input is microseconds)",
                  rf_profile_unit(on), rf_profile_unit(off));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    memset(&o, 0, sizeof o);
    o.root = "on-CPU";
    o.multiply = ns_on / target;
    if ((r = rf_profile_view(on, &o, &von)) == RF_OK) {
        o.root = "off-CPU";
        o.annotate = "_[w]"; /* off-CPU frames: cool colours in the SVG, the annotation hidden */
        o.multiply = ns_off / target;
        r = rf_profile_view(off, &o, &voff);
    }
    all = r == RF_OK ? rf_profile_new(cli_allocator()) : NULL;
    if (r == RF_OK && !all) r = RF_ERR_OUT_OF_MEMORY;
    if (r == RF_OK) r = rf_profile_merge(all, von);
    if (r == RF_OK) r = rf_profile_merge(all, voff);
    if (r == RF_OK) r = rf_profile_set_unit(all, unit);
    if (r != RF_OK) {
        cli_error("hotcold: combining the profiles failed: %s", rf_result_string(r));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    cli_info(cfg, "hotcold: on-CPU %s, off-CPU %s %s", weight_str(rf_node_total(von, 0, 0), rf_profile_decimals(von), w0),
             weight_str(rf_node_total(voff, 0, 0), rf_profile_decimals(voff), w1), unit);
    if (!c.title) c.title = "Hot/Cold Flame Graph";
    if (!c.subtitle) {
        snprintf(subtitle, sizeof subtitle, "on-CPU (warm) and off-CPU (cool) time, in %s", unit);
        c.subtitle = subtitle;
    }
    rc = cli_write_output(&c, all);
done:
    rf_profile_free(all);
    rf_profile_free(von);
    rf_profile_free(voff);
    rf_profile_free(on);
    rf_profile_free(off);
    return rc;
}

/* ---- top ---------------------------------------------------------------------------- */
/* Writes name padded/cut to `width` terminal columns (wide characters take two). */
static void put_cell(FILE *f, const char *s, size_t n, size_t width) {
    size_t cols = term_utf8_width(s, n), fit;
    if (cols <= width) {
        put_safe(f, s, n);
        for (; cols < width; cols++) fputc(' ', f);
        return;
    }
    fit = term_utf8_fit(s, n, width - 2);
    put_safe(f, s, fit);
    for (cols = term_utf8_width(s, fit); cols < width - 2; cols++) fputc(' ', f);
    fputs("..", f);
}

static int parse_top_n(const cli_config *cfg, size_t *n) {
    if (cfg->top_n == 0) { *n = TOP_DEFAULT; return EXIT_OK; }
    if (cfg->top_n < 1 || cfg->top_n != floor(cfg->top_n) || cfg->top_n > 1e6) {
        cli_error("--top %g: expected a whole number from 1 to 1000000", cfg->top_n);
        return EXIT_USAGE;
    }
    *n = (size_t)cfg->top_n;
    return EXIT_OK;
}

/* Loads --input(s) and applies the filters. */
static int load_filtered(cli_config *cfg, rf_profile **out) {
    rf_profile *p = rf_profile_new(cli_allocator()), *v = NULL;
    int rc;
    *out = NULL;
    if (!p) { cli_error("out of memory"); return EXIT_BAD_INPUT; }
    if ((rc = cli_load_inputs(cfg, p)) == EXIT_OK) rc = cli_filter_profile(cfg, p, 0, &v);
    if (rc != EXIT_OK) { rf_profile_free(p); return rc; }
    if (v) { rf_profile_free(p); p = v; }
    *out = p;
    return EXIT_OK;
}

int cmd_top(cli_config *cfg) {
    rf_profile *p = NULL;
    rf_top_entry *e = NULL;
    size_t n, count = 0, i, namew = 8;
    int rc, by_total = 0, col, dec;
    int64_t total;
    rf_result r;
    cli_out out;
    char a[32], b[32];
    if ((rc = parse_top_n(cfg, &n)) != EXIT_OK) return rc;
    if (cfg->top_by) {
        if (!strcmp(cfg->top_by, "total")) by_total = 1;
        else if (strcmp(cfg->top_by, "self") != 0) {
            cli_error("--by %s: expected self or total", cfg->top_by);
            return EXIT_USAGE;
        }
    }
    if ((rc = load_filtered(cfg, &p)) != EXIT_OK) return rc;
    col = rf_profile_columns(p) - 1; /* a differential input: the after column */
    dec = rf_profile_decimals(p);
    total = rf_node_total(p, 0, col);
    e = (rf_top_entry *)calloc(n, sizeof *e);
    if (!e) { cli_error("out of memory"); rc = EXIT_BAD_INPUT; goto done; }
    if ((r = rf_profile_top(p, by_total ? RF_TOP_TOTAL : RF_TOP_SELF, col, e, n, &count)) != RF_OK) {
        cli_error("ranking functions failed: %s", rf_result_string(r));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if ((rc = open_report(cfg, &out)) != EXIT_OK) goto done;
    if (cfg->json) {
        fputs("{\"unit\":", out.f);
        json_str(out.f, rf_profile_unit(p), strlen(rf_profile_unit(p)));
        fprintf(out.f, ",\"by\":\"%s\",\"total\":%s,\"functions\":[", by_total ? "total" : "self", weight_str(total, dec, a));
        for (i = 0; i < count; i++) {
            fputs(i ? ",\n  {\"name\":" : "\n  {\"name\":", out.f);
            json_str(out.f, e[i].name.ptr, e[i].name.len);
            fprintf(out.f, ",\"self\":%s,\"self_pct\":%.2f,\"total\":%s,\"total_pct\":%.2f}", weight_str(e[i].self[col], dec, a),
                    pct(e[i].self[col], total), weight_str(e[i].total[col], dec, b), pct(e[i].total[col], total));
        }
        fputs(count ? "\n]}\n" : "]}\n", out.f);
    } else {
        size_t ww = 5;
        for (i = 0; i < count; i++) {
            size_t k = term_utf8_width(e[i].name.ptr, e[i].name.len);
            if (k > namew) namew = k;
            if (strlen(weight_str(e[i].total[col], dec, a)) > ww) ww = strlen(a);
        }
        if (namew > 60) namew = 60;
        fprintf(out.f, "%-*s  %*s  %7s  %*s  %7s\n", (int)namew, "FUNCTION", (int)ww, "SELF", "SELF%", (int)ww, "TOTAL", "TOTAL%");
        for (i = 0; i < count; i++) {
            put_cell(out.f, e[i].name.ptr, e[i].name.len, namew);
            fprintf(out.f, "  %*s  %6.2f%%  %*s  %6.2f%%\n", (int)ww, weight_str(e[i].self[col], dec, a),
                    pct(e[i].self[col], total), (int)ww, weight_str(e[i].total[col], dec, b), pct(e[i].total[col], total));
        }
        fprintf(out.f, "total %s %s, %zu function%s shown\n", weight_str(total, dec, a), rf_profile_unit(p), count,
                count == 1 ? "" : "s");
    }
    rc = close_report(cfg, &out);
done:
    free(e);
    rf_profile_free(p);
    return rc;
}

/* ---- explain ------------------------------------------------------------------------ */
typedef struct plateau { uint32_t node; int64_t self; } plateau;

static int cmp_plateau(const void *x, const void *y) {
    const plateau *a = (const plateau *)x, *b = (const plateau *)y;
    if (a->self != b->self) return a->self > b->self ? -1 : 1;
    return a->node < b->node ? -1 : a->node > b->node;
}

/* Substring lists for the share of typical activities (a stack counts once per category). */
static const char *const gc_words[] = {"(garbage collector)", "GarbageCollect", "garbage_collect", "runtime.gcBgMarkWorker",
                                       "runtime.gcDrain", "runtime.mallocgc", "runtime.GC", "MarkCompact", "Scavenge",
                                       "MinorGC", "MajorGC", "gc_collect", "collect_generation", "CollectGarbage",
                                       "ConcurrentMarking", "G1ParTask", "GCTaskThread", NULL};
static const char *const idle_words[] = {"(idle)", "cpu_idle", "do_idle", "default_idle", "poll_idle", "intel_idle",
                                         "acpi_idle", "cpuidle_enter", "native_safe_halt", "swapper", "epoll_wait",
                                         "nanosleep", "schedule_timeout", "runtime.netpoll", "uv__io_poll", NULL};
static const char *const lock_words[] = {"mutex", "Mutex", "futex", "spin_lock", "pthread_cond", "sem_wait", "rwlock",
                                         "rwsem", "semacquire", "runtime.lock", "parking_lot", "Monitor::", NULL};
static const char *const sys_words[] = {"entry_SYSCALL", "do_syscall", "__x64_sys_", "__arm64_sys_", "syscall", "SyS_", NULL};

static int has_any(const char *s, size_t n, const char *const *words) {
    size_t i, k;
    for (; *words; words++) {
        k = strlen(*words);
        for (i = 0; i + k <= n; i++)
            if (s[i] == (*words)[0] && !memcmp(s + i, *words, k)) return 1;
    }
    return 0;
}

typedef struct share_ctx { int col; int64_t gc, idle, lock, sys; } share_ctx;

static int share_cb(void *vctx, const rf_strview *frames, size_t n, const int64_t *self) {
    share_ctx *c = (share_ctx *)vctx;
    int gc = 0, idle = 0, lock = 0, sys = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        gc |= has_any(frames[i].ptr, frames[i].len, gc_words);
        idle |= has_any(frames[i].ptr, frames[i].len, idle_words);
        lock |= has_any(frames[i].ptr, frames[i].len, lock_words);
        sys |= has_any(frames[i].ptr, frames[i].len, sys_words) ||
               (frames[i].len > 4 && !memcmp(frames[i].ptr, "sys_", 4));
    }
    if (gc) c->gc += self[c->col];
    if (idle) c->idle += self[c->col];
    if (lock) c->lock += self[c->col];
    if (sys) c->sys += self[c->col];
    return 0;
}

typedef struct reading {
    const rf_profile *p;
    int col, dec;
    int64_t total;
    rf_top_entry *by_self, *by_total;
    size_t nself, ntotal;
    plateau *plateaus;
    size_t nplateaus;
    double gc, idle, lock, sys;
} reading;

static void reading_free(reading *rd) {
    free(rd->by_self);
    free(rd->by_total);
    free(rd->plateaus);
}

static int reading_make(const rf_profile *p, reading *rd) {
    size_t nodes = rf_profile_node_count(p), i, k = 0;
    share_ctx sc;
    memset(rd, 0, sizeof *rd);
    rd->p = p;
    rd->col = rf_profile_columns(p) - 1;
    rd->dec = rf_profile_decimals(p);
    rd->total = rf_node_total(p, 0, rd->col);
    rd->by_self = (rf_top_entry *)calloc(TOP_DEFAULT, sizeof(rf_top_entry));
    rd->by_total = (rf_top_entry *)calloc(TOP_DEFAULT, sizeof(rf_top_entry));
    rd->plateaus = (plateau *)calloc(nodes ? nodes : 1, sizeof(plateau));
    if (!rd->by_self || !rd->by_total || !rd->plateaus ||
        rf_profile_top(p, RF_TOP_SELF, rd->col, rd->by_self, TOP_DEFAULT, &rd->nself) != RF_OK ||
        rf_profile_top(p, RF_TOP_TOTAL, rd->col, rd->by_total, TOP_DEFAULT, &rd->ntotal) != RF_OK) {
        reading_free(rd);
        cli_error("out of memory");
        return EXIT_BAD_INPUT;
    }
    /* plateaus: the stack positions with the most own time (wide flat tops in the graph) */
    for (i = 1; i < nodes; i++) {
        int64_t s = rf_node_self(p, (uint32_t)i, rd->col);
        if (s > 0) { rd->plateaus[k].node = (uint32_t)i; rd->plateaus[k].self = s; k++; }
    }
    qsort(rd->plateaus, k, sizeof(plateau), cmp_plateau);
    rd->nplateaus = k < 10 ? k : 10;
    memset(&sc, 0, sizeof sc);
    sc.col = rd->col;
    rf_profile_foreach_stack(p, share_cb, &sc);
    rd->gc = pct(sc.gc, rd->total);
    rd->idle = pct(sc.idle, rd->total);
    rd->lock = pct(sc.lock, rd->total);
    rd->sys = pct(sc.sys, rd->total);
    return EXIT_OK;
}

/* Path of a node, root first, " > " between frames (for the text reading). */
static void put_path(FILE *f, const rf_profile *p, uint32_t node, size_t max_frames) {
    uint32_t chain[64];
    size_t n = 0, i;
    while (node != RF_NODE_ROOT && node != RF_NODE_NONE && n < 64) { chain[n++] = node; node = rf_node_parent(p, node); }
    if (n > max_frames) fputs("... > ", f);
    for (i = n < max_frames ? n : max_frames; i > 0; i--) {
        rf_strview v = rf_node_name(p, chain[i - 1]);
        put_safe(f, v.ptr, v.len);
        if (i > 1) fputs(" > ", f);
    }
}

static void suggest(FILE *f, const reading *rd) {
    fputs("Suggested next step: ", f);
    if (rd->total <= 0) fputs("the profile is empty; profile again while the program is busy.\n", f);
    else if (rd->idle >= 50)
        fputs("the process was mostly idle or waiting; profile it under load, or look at where it blocks with "
              "'resq-flame offcpu' / 'resq-flame hotcold'.\n", f);
    else if (rd->lock >= 10)
        fputs("much time is spent in locks; find the contended lock with 'resq-flame top --by total --focus "
              "\"mutex|futex|lock\"' and an off-CPU profile.\n", f);
    else if (rd->gc >= 10)
        fputs("garbage collection is significant; reduce allocations in the hottest callers (an allocation profile "
              "with 'resq-flame memory' shows them).\n", f);
    else if (rd->sys >= 25)
        fputs("system calls take a large share; batch I/O or look for small reads/writes (--focus syscall).\n", f);
    else if (rd->nself) {
        fputs("start with the hottest function, '", f);
        put_safe(f, rd->by_self[0].name.ptr, rd->by_self[0].name.len);
        fprintf(f, "' (%.1f%% of the time in itself); 'resq-flame file --focus' on it shows who calls it.\n",
                pct(rd->by_self[0].self[rd->col], rd->total));
    } else fputs("compare with another run using 'resq-flame diff'.\n", f);
}

static void offline_reading(FILE *f, const reading *rd, const char *label) {
    size_t i;
    char a[32];
    fprintf(f, "%s\n\n", label);
    fprintf(f, "Profile: %s %s in total, %zu functions.\n\n", weight_str(rd->total, rd->dec, a), rf_profile_unit(rd->p),
            rf_profile_name_count(rd->p));
    fputs("Hottest functions by their own time (leaves of the flame graph):\n", f);
    for (i = 0; i < rd->nself && i < 10 && rd->by_self[i].self[rd->col] > 0; i++) {
        fprintf(f, "  %6.2f%%  ", pct(rd->by_self[i].self[rd->col], rd->total));
        put_safe(f, rd->by_self[i].name.ptr, rd->by_self[i].name.len);
        fputc('\n', f);
    }
    fputs("\nWidest plateaus (stacks that spend the most time in their top frame):\n", f);
    for (i = 0; i < rd->nplateaus && i < 5; i++) {
        fprintf(f, "  %6.2f%%  ", pct(rd->plateaus[i].self, rd->total));
        put_path(f, rd->p, rd->plateaus[i].node, 6);
        fputc('\n', f);
    }
    fprintf(f, "\nShare of the time in stacks that show: garbage collection %.1f%%, idle/waiting %.1f%%, "
               "locks %.1f%%, system calls %.1f%%.\n\n", rd->gc, rd->idle, rd->lock, rd->sys);
    suggest(f, rd);
}

static void json_entries(FILE *f, const reading *rd, const rf_top_entry *e, size_t n) {
    size_t i;
    char a[32], b[32];
    fputc('[', f);
    for (i = 0; i < n; i++) {
        fputs(i ? ",{\"name\":" : "{\"name\":", f);
        json_str(f, e[i].name.ptr, e[i].name.len);
        fprintf(f, ",\"self\":%s,\"self_pct\":", weight_str(e[i].self[rd->col], rd->dec, a));
        json_num(f, pct(e[i].self[rd->col], rd->total));
        fprintf(f, ",\"total\":%s,\"total_pct\":", weight_str(e[i].total[rd->col], rd->dec, b));
        json_num(f, pct(e[i].total[rd->col], rd->total));
        fputc('}', f);
    }
    fputc(']', f);
}

/* The request body (documented in the README, "explain"). */
static char *explain_request(const reading *rd, size_t *len) {
    char *buf = NULL, a[32];
    size_t i;
    FILE *f = open_memstream(&buf, len);
    if (!f) return NULL;
    fprintf(f, "{\"schema\":\"resq-flame.explain.v1\",\"tool\":{\"name\":\"resq-flame\",\"version\":\"%s\"},", RF_VERSION_STRING);
    fputs("\"profile\":{\"unit\":", f);
    json_str(f, rf_profile_unit(rd->p), strlen(rd->p ? rf_profile_unit(rd->p) : ""));
    fputs(",\"sample_type\":", f);
    json_str(f, rf_profile_sample_type(rd->p), strlen(rf_profile_sample_type(rd->p)));
    fprintf(f, ",\"total\":%s,\"functions\":%zu,\"max_depth\":%u,\"differential\":%s},", weight_str(rd->total, rd->dec, a),
            rf_profile_name_count(rd->p), (unsigned)rf_profile_max_depth(rd->p),
            rf_profile_columns(rd->p) == 2 ? "true" : "false");
    fputs("\"top_self\":", f);
    json_entries(f, rd, rd->by_self, rd->nself);
    fputs(",\"top_total\":", f);
    json_entries(f, rd, rd->by_total, rd->ntotal);
    fputs(",\"hot_paths\":[", f);
    for (i = 0; i < rd->nplateaus; i++) {
        uint32_t chain[256], node = rd->plateaus[i].node;
        size_t n = 0, k;
        while (node != RF_NODE_ROOT && node != RF_NODE_NONE && n < 256) { chain[n++] = node; node = rf_node_parent(rd->p, node); }
        fputs(i ? ",{\"frames\":[" : "{\"frames\":[", f);
        for (k = n; k > 0; k--) {
            rf_strview v = rf_node_name(rd->p, chain[k - 1]);
            if (k != n) fputc(',', f);
            json_str(f, v.ptr, v.len);
        }
        fprintf(f, "],\"self\":%s,\"pct\":", weight_str(rd->plateaus[i].self, rd->dec, a));
        json_num(f, pct(rd->plateaus[i].self, rd->total));
        fputc('}', f);
    }
    fputs("],\"categories\":{\"gc_pct\":", f);
    json_num(f, rd->gc);
    fputs(",\"idle_pct\":", f);
    json_num(f, rd->idle);
    fputs(",\"lock_pct\":", f);
    json_num(f, rd->lock);
    fputs(",\"syscall_pct\":", f);
    json_num(f, rd->sys);
    fputs("},\"question\":\"Explain in plain English where this program spends its time, what is unusual, and what "
          "to look at first.\"}", f);
    if (fclose(f) != 0) { free(buf); return NULL; }
    return buf;
}

/* ---- a minimal JSON reader for the response: one top-level string field ---- */
static const char *json_ws(const char *s, const char *e) {
    while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++;
    return s;
}
static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}
/* Reads a JSON string at s (on the quote); decoded into *out (malloc'd) when out != NULL.
   Returns the position after it, or NULL. */
static const char *json_read_str(const char *s, const char *e, char **out) {
    char *d = NULL;
    size_t n = 0;
    if (s >= e || *s != '"') return NULL;
    if (out && !(d = (char *)malloc((size_t)(e - s) + 1))) return NULL;
    for (s++; s < e && *s != '"'; s++) {
        unsigned long c = (unsigned char)*s;
        if (c == '\\') {
            if (++s >= e) break;
            switch (*s) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                int i;
                c = 0;
                for (i = 1; i <= 4; i++) {
                    int h = s + i < e ? hexval(s[i]) : -1;
                    if (h < 0) { free(d); return NULL; }
                    c = c * 16 + (unsigned long)h;
                }
                s += 4;
                if (c >= 0xD800 && c <= 0xDBFF && s + 6 < e && s[1] == '\\' && s[2] == 'u') {
                    unsigned long lo = 0;
                    for (i = 3; i <= 6; i++) {
                        int h = hexval(s[i]);
                        if (h < 0) break;
                        lo = lo * 16 + (unsigned long)h;
                    }
                    if (i == 7 && lo >= 0xDC00 && lo <= 0xDFFF) { c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00); s += 6; }
                }
                if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
                if (d) {
                    if (c < 0x80) d[n++] = (char)c;
                    else if (c < 0x800) { d[n++] = (char)(0xC0 | (c >> 6)); d[n++] = (char)(0x80 | (c & 63)); }
                    else if (c < 0x10000) {
                        d[n++] = (char)(0xE0 | (c >> 12)); d[n++] = (char)(0x80 | ((c >> 6) & 63)); d[n++] = (char)(0x80 | (c & 63));
                    } else {
                        d[n++] = (char)(0xF0 | (c >> 18)); d[n++] = (char)(0x80 | ((c >> 12) & 63));
                        d[n++] = (char)(0x80 | ((c >> 6) & 63)); d[n++] = (char)(0x80 | (c & 63));
                    }
                }
                continue;
            }
            default: c = (unsigned char)*s; break; /* \" \\ \/ */
            }
        }
        if (d) d[n++] = (char)c;
    }
    if (s >= e) { free(d); return NULL; }
    if (out) { d[n] = '\0'; *out = d; }
    return s + 1;
}
/* Skips one JSON value. */
static const char *json_skip(const char *s, const char *e) {
    int depth = 0;
    s = json_ws(s, e);
    do {
        if (s >= e) return NULL;
        if (*s == '"') { if (!(s = json_read_str(s, e, NULL))) return NULL; }
        else if (*s == '{' || *s == '[') { depth++; s++; }
        else if (*s == '}' || *s == ']') { depth--; s++; }
        else if (depth == 0) { while (s < e && *s != ',' && *s != '}' && *s != ']') s++; return s; }
        else s++;
    } while (depth > 0);
    return s;
}
/* The decoded string of top-level key `key` in a JSON object, or NULL. */
static char *json_field(const char *s, size_t n, const char *key) {
    const char *e = s + n;
    s = json_ws(s, e);
    if (s >= e || *s != '{') return NULL;
    s++;
    for (;;) {
        char *k = NULL;
        int hit;
        s = json_ws(s, e);
        if (s < e && *s == '}') return NULL;
        if (!(s = json_read_str(s, e, &k))) return NULL;
        hit = !strcmp(k, key);
        free(k);
        s = json_ws(s, e);
        if (s >= e || *s != ':') return NULL;
        s = json_ws(s + 1, e);
        if (hit && s < e && *s == '"') {
            char *v = NULL;
            return json_read_str(s, e, &v) ? v : NULL;
        }
        if (!(s = json_skip(s, e))) return NULL;
        s = json_ws(s, e);
        if (s < e && *s == ',') { s++; continue; }
        return NULL;
    }
}

/* Replaces every occurrence of secret in text by "[redacted]" (a server may echo headers). */
static char *redact(char *text, const char *secret) {
    size_t k = secret ? strlen(secret) : 0;
    char *hit;
    if (!text || k < 4) return text;
    while ((hit = strstr(text, secret)) != NULL) {
        size_t pre = (size_t)(hit - text), rest = strlen(hit + k);
        char *t = (char *)malloc(pre + 10 + rest + 1);
        if (!t) { memset(hit, '*', k); continue; }
        memcpy(t, text, pre);
        memcpy(t + pre, "[redacted]", 10);
        memcpy(t + pre + 10, hit + k, rest + 1);
        free(text);
        text = t;
    }
    return text;
}

/* Prints server text: control characters other than newline and tab are dropped. */
static void put_text(FILE *f, const char *s, size_t max) {
    size_t i;
    for (i = 0; s[i] && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 || c == '\n' || c == '\t') fputc(c, f);
    }
    if (s[i]) fputs("...", f);
}

int cmd_explain(cli_config *cfg) {
    rf_profile *p = NULL;
    reading rd;
    cli_out out;
    cli_http_request rq;
    cli_http_response rs;
    cli_http_status st;
    const char *token = cfg->token ? cfg->token : getenv("RESQ_TOKEN");
    const char *key = cfg->api_key ? cfg->api_key : getenv("RESQ_API_KEY");
    const char *base = cfg->api_url ? cfg->api_url : "http://localhost:5000";
    const char *path = cfg->api_path ? cfg->api_path : "/api/explain";
    const char *mode = cfg->auth_mode;
    char *body = NULL, *url = NULL, *auth = NULL, *answer = NULL, safe[512];
    const char *headers[3];
    size_t body_len = 0, nh = 0, bl;
    int rc;
    if (token && !*token) token = NULL;
    if (key && !*key) key = NULL;
    if (mode && strcmp(mode, "bearer") && strcmp(mode, "x-api-key")) {
        cli_error("--auth %s: expected bearer or x-api-key", mode);
        return EXIT_USAGE;
    }
    if (!mode) mode = token ? "bearer" : "x-api-key";
    if ((rc = load_filtered(cfg, &p)) != EXIT_OK) return rc;
    if ((rc = reading_make(p, &rd)) != EXIT_OK) { rf_profile_free(p); return rc; }
    if (cfg->offline) {
        if ((rc = open_report(cfg, &out)) == EXIT_OK) {
            offline_reading(out.f, &rd, "Local reading (--offline: no AI endpoint was asked)");
            rc = close_report(cfg, &out);
        }
        goto done;
    }
    body = explain_request(&rd, &body_len);
    bl = strlen(base) + strlen(path) + 2;
    url = (char *)malloc(bl);
    if (!body || !url) { cli_error("out of memory"); rc = EXIT_BAD_INPUT; goto done; }
    snprintf(url, bl, "%.*s%s%s", (int)(strlen(base) - (strlen(base) && base[strlen(base) - 1] == '/' && path[0] == '/')), base,
             path[0] == '/' || !path[0] ? "" : "/", path);
    headers[nh++] = "Content-Type: application/json";
    headers[nh++] = "Accept: application/json, text/plain";
    if (!strcmp(mode, "bearer") && token) {
        size_t n = strlen(token) + 32;
        if (!(auth = (char *)malloc(n))) { cli_error("out of memory"); rc = EXIT_BAD_INPUT; goto done; }
        snprintf(auth, n, "Authorization: Bearer %s", token);
        headers[nh++] = auth;
    } else if (!strcmp(mode, "x-api-key") && key) {
        size_t n = strlen(key) + 16;
        if (!(auth = (char *)malloc(n))) { cli_error("out of memory"); rc = EXIT_BAD_INPUT; goto done; }
        snprintf(auth, n, "x-api-key: %s", key);
        headers[nh++] = auth;
    }
    memset(&rq, 0, sizeof rq);
    rq.method = "POST";
    rq.url = url;
    rq.headers = headers;
    rq.nheaders = nh;
    rq.body = body;
    rq.body_len = body_len;
    rq.timeout = cfg->timeout > 0 ? cfg->timeout : 30;
    rq.max_response = (size_t)16 << 20;
    cli_http_safe_url(url, safe, sizeof safe);
    if (cfg->verbose) cli_info(cfg, "explain: POST %s (%zu bytes, auth: %s)", safe, body_len, auth ? mode : "none");
    st = cli_http(&rq, &rs);
    if (auth) { memset(auth, 0, strlen(auth)); }
    if (st == CLI_HTTP_OK && rs.status >= 200 && rs.status < 300) {
        answer = json_field(rs.body, rs.len, "explanation");
        if (!answer) answer = json_field(rs.body, rs.len, "answer");
        if (!answer) answer = json_field(rs.body, rs.len, "text");
        if (!answer && rs.len && rs.body[0] != '{' && rs.body[0] != '[') answer = strdup(rs.body); /* text/plain */
        answer = redact(redact(answer, token), key);
        if (!answer) {
            cli_error("%s answered HTTP %ld but without an \"explanation\" string in its JSON", safe, rs.status);
            rc = EXIT_NETWORK;
        } else if ((rc = open_report(cfg, &out)) == EXIT_OK) {
            if (cfg->json) {
                fputs("{\"source\":\"endpoint\",\"explanation\":", out.f);
                json_str(out.f, answer, strlen(answer));
                fputs("}\n", out.f);
            } else {
                put_text(out.f, answer, (size_t)-1);
                if (!*answer || answer[strlen(answer) - 1] != '\n') fputc('\n', out.f);
            }
            rc = close_report(cfg, &out);
        }
    } else {
        int down = st != CLI_HTTP_OK || rs.status >= 500;
        rc = EXIT_NETWORK;
        if (st != CLI_HTTP_OK) cli_error("explain: %s", rs.error);
        else {
            char *detail = json_field(rs.body, rs.len, "error");
            if (!detail && rs.len && rs.body[0] != '{') detail = strdup(rs.body);
            detail = redact(redact(detail, token), key);
            fprintf(stderr, "resq-flame: error: explain: %s answered HTTP %ld", safe, rs.status);
            if (rs.status == 401 || rs.status == 403)
                fprintf(stderr, ": the credentials were refused (%s); check --token/$RESQ_TOKEN or --api-key/$RESQ_API_KEY "
                                "and --auth bearer|x-api-key", auth ? mode : "none were sent");
            else if (rs.status == 404) fprintf(stderr, ": no such endpoint; check --api-url and --api-path");
            if (detail && *detail) { fputs(" (server says: ", stderr); put_text(stderr, detail, 300); fputc(')', stderr); }
            fputc('\n', stderr);
            free(detail);
        }
        if (down && open_report(cfg, &out) == EXIT_OK) {
            offline_reading(out.f, &rd, "Local reading (FALLBACK: the AI endpoint could not answer; this is resq-flame's "
                                        "own heuristic reading, not the AI's)");
            close_report(cfg, &out);
        }
    }
    cli_http_free(&rs);
done:
    free(answer);
    if (auth) free(auth);
    free(url);
    free(body);
    reading_free(&rd);
    rf_profile_free(p);
    return rc;
}
