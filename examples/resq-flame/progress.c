/* Progress on stderr (a countdown while sampling, bytes and samples while parsing, the closing
   summary) and Ctrl-C: the first one asks a live command to stop and render what it has, the
   second ends the process at once after the registered cleanup. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "collect/collect.h"

#define ABORT_HOOKS 16

typedef struct abort_hook {
    void (*fn)(void *ctx);
    void *ctx;
} abort_hook;

/* Process-wide by nature: signals and stderr are per process. */
static volatile sig_atomic_t interrupts;
static volatile sig_atomic_t graceful;
static volatile sig_atomic_t hooks_running;
static abort_hook hooks[ABORT_HOOKS];
static int handlers_installed;
static int quiet = 1, colour, on_tty;
static progress_sink sink;
static int have_sink;

static struct {
    int active;
    char what[96];
    double seconds, last_draw;
} countdown;

static struct {
    int shown;
    const char *what;
    double start, last_draw;
} parsing;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_str(const char *s) {
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static void run_hooks(void) {
    int i;
    if (hooks_running) return;
    hooks_running = 1;
    for (i = ABORT_HOOKS - 1; i >= 0; i--)
        if (hooks[i].fn) hooks[i].fn(hooks[i].ctx);
}

static void on_signal(int sig) {
    if (sig == SIGINT) {
        interrupts++;
        if (graceful && interrupts == 1) {
            if (on_tty && !quiet && !have_sink)
                write_str("\r\033[K"
                          "resq-flame: stopping; what was collected so far is still written (Ctrl-C again to quit now)\n");
            return;
        }
        run_hooks();
        if (on_tty && !have_sink) write_str("\r\033[K");
        _exit(EXIT_INTERRUPTED);
    }
    /* SIGTERM, SIGHUP: clean up, then die of the signal as the sender expects */
    run_hooks();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install(int sig) {
    struct sigaction sa, old;
    if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) return; /* nohup, background jobs */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART; /* blocking calls go on; the work polls progress_interrupted() */
    sigaction(sig, &sa, NULL);
}

void progress_init(const cli_config *cfg) {
    quiet = cfg->quiet;
    colour = !cfg->no_color;
    on_tty = isatty(STDERR_FILENO);
    if (handlers_installed) return;
    handlers_installed = 1;
    install(SIGINT);
    install(SIGTERM);
    install(SIGHUP);
}

void progress_set_graceful(int on) { graceful = on; }
void progress_reset(void) { interrupts = 0; }
int progress_interrupted(void) { return interrupts > 0; }

void progress_on_abort(void (*fn)(void *ctx), void *ctx) {
    int i;
    for (i = 0; i < ABORT_HOOKS; i++)
        if (!hooks[i].fn) {
            hooks[i].ctx = ctx;
            hooks[i].fn = fn;
            return;
        }
}

void progress_on_abort_remove(void (*fn)(void *ctx), void *ctx) {
    int i;
    for (i = 0; i < ABORT_HOOKS; i++)
        if (hooks[i].fn == fn && hooks[i].ctx == ctx) {
            hooks[i].fn = NULL;
            hooks[i].ctx = NULL;
        }
}

void progress_set_sink(const progress_sink *s) {
    if (s) sink = *s;
    have_sink = s != NULL;
}

/* ---- the countdown -------------------------------------------------------------------- */
static int shows_progress(void) { return on_tty && !quiet; }

static void draw_countdown(double left) {
    char line[256], bar[41];
    int width = 30, filled, i;
    double done = countdown.seconds > 0 ? 1 - left / countdown.seconds : 1;
    if (done < 0) done = 0;
    if (done > 1) done = 1;
    filled = (int)(done * width + 0.5);
    for (i = 0; i < width; i++) bar[i] = i < filled ? '#' : '.';
    bar[width] = '\0';
    snprintf(line, sizeof line, "\r\033[Kresq-flame: %s: %4.1f s left [%s] %s%s%s", countdown.what, left < 0 ? 0 : left,
             bar, colour ? "\033[2m" : "", "Ctrl-C stops and renders what was collected", colour ? "\033[0m" : "");
    write_str(line);
}

void progress_countdown_start(const cli_config *cfg, const char *what, double seconds) {
    if (cfg) {
        quiet = cfg->quiet;
        colour = !cfg->no_color;
    }
    countdown.active = 1;
    snprintf(countdown.what, sizeof countdown.what, "%s", what ? what : "sampling");
    countdown.seconds = seconds;
    countdown.last_draw = 0;
    if (have_sink) {
        if (sink.start) sink.start(sink.ctx, countdown.what, seconds);
        return;
    }
    if (shows_progress()) {
        draw_countdown(seconds);
        countdown.last_draw = now_seconds();
    }
}

void progress_countdown_tick(double seconds_left) {
    double t;
    if (!countdown.active) return;
    if (have_sink) {
        if (sink.tick) sink.tick(sink.ctx, seconds_left);
        return;
    }
    if (!shows_progress()) return;
    t = now_seconds();
    if (t - countdown.last_draw < 0.1) return; /* ten frames a second are plenty */
    countdown.last_draw = t;
    draw_countdown(seconds_left);
}

void progress_countdown_end(void) {
    if (!countdown.active) return;
    countdown.active = 0;
    if (have_sink) {
        if (sink.end) sink.end(sink.ctx);
        return;
    }
    if (shows_progress()) write_str("\r\033[K");
}

/* ---- parsing -------------------------------------------------------------------------- */
void cli_format_count(int64_t v, int decimals, char *out, size_t cap) {
    char raw[32];
    size_t n = rf_format_weight(v, decimals, raw), digits, i, o = 0, lead;
    const char *dot = memchr(raw, '.', n);
    size_t start = raw[0] == '-';
    digits = (dot ? (size_t)(dot - raw) : n) - start;
    if (cap == 0) return;
    if (start && o + 1 < cap) out[o++] = '-';
    lead = digits % 3 ? digits % 3 : 3;
    for (i = 0; i < digits && o + 1 < cap; i++) {
        if (i >= lead && (i - lead) % 3 == 0 && o + 2 < cap) out[o++] = ',';
        out[o++] = raw[start + i];
    }
    for (i = start + digits; i < n && o + 1 < cap; i++) out[o++] = raw[i];
    out[o] = '\0';
}

void progress_parse(const cli_config *cfg, const char *what, unsigned long long bytes, unsigned long long samples) {
    double t;
    char line[256], count[40];
    if (cfg->quiet || !isatty(STDERR_FILENO) || have_sink) return;
    t = now_seconds();
    if (what != parsing.what || !parsing.start) {
        parsing.what = what;
        parsing.start = t;
        parsing.last_draw = t;
        return;
    }
    /* only inputs that take a while: nothing flickers for a small file */
    if (t - parsing.start < 0.5 || t - parsing.last_draw < 0.2) return;
    parsing.last_draw = t;
    parsing.shown = 1;
    cli_format_count((int64_t)samples, 0, count, sizeof count);
    snprintf(line, sizeof line, "\r\033[Kresq-flame: parsing %.80s: %.1f MiB, %s samples", what,
             (double)bytes / (1024.0 * 1024.0), count);
    write_str(line);
}

void progress_parse_end(void) {
    if (parsing.shown) write_str("\r\033[K");
    parsing.shown = 0;
    parsing.start = 0;
    parsing.what = NULL;
}

void cli_format_total(const rf_profile *p, char *out, size_t cap) {
    static const struct { const char *unit; double per_second; } times[] = {
        {"nanoseconds", 1e9}, {"microseconds", 1e6}, {"milliseconds", 1e3}, {"seconds", 1}};
    int col = rf_profile_columns(p) - 1, dec = rf_profile_decimals(p), i;
    int64_t all = rf_node_total(p, RF_NODE_ROOT, col);
    const char *unit = rf_profile_unit(p);
    double value = (double)all;
    char count[40];
    size_t k;
    for (i = 0; i < dec; i++) value /= 10;
    if (!unit || !*unit) unit = "samples";
    for (k = 0; k < sizeof times / sizeof times[0]; k++)
        if (!strcmp(unit, times[k].unit)) {
            snprintf(out, cap, "%.3g s of time", value / times[k].per_second);
            return;
        }
    if (!strcmp(unit, "bytes") && value >= 1024) {
        snprintf(out, cap, "%.1f %s", value >= 1048576 ? value / 1048576 : value / 1024, value >= 1048576 ? "MiB" : "KiB");
        return;
    }
    cli_format_count(all, dec, count, sizeof count);
    snprintf(out, cap, "%s %s", count, unit);
}

/* ---- the closing line ----------------------------------------------------------------- */
void progress_summary(const cli_config *cfg, const char *path, const rf_profile *p) {
    char total[80], frames[40];
    rf_top_entry top;
    size_t got = 0;
    int col = rf_profile_columns(p) - 1;
    int64_t all = rf_node_total(p, RF_NODE_ROOT, col);
    /* Silent in pipelines and scripts unless asked for (-v): stderr stays for errors there. */
    if (cfg->quiet || (!isatty(STDERR_FILENO) && !cfg->verbose)) return;
    progress_parse_end();
    cli_format_total(p, total, sizeof total);
    cli_format_count((int64_t)rf_profile_name_count(p), 0, frames, sizeof frames);
    fprintf(stderr, "resq-flame: wrote %s: %s, %s distinct frames", path, total, frames);
    if (all > 0 && rf_profile_top(p, RF_TOP_SELF, col, &top, 1, &got) == RF_OK && got == 1) {
        size_t i;
        fputs("; top: ", stderr);
        for (i = 0; i < top.name.len && i < 120; i++) {
            unsigned char c = (unsigned char)top.name.ptr[i];
            fputc(c < 0x20 || c == 0x7f ? '?' : (int)c, stderr); /* no escape sequences from the input */
        }
        if (top.name.len > 120) fputs("...", stderr);
        fprintf(stderr, " (%.1f%% self)", 100.0 * (double)top.self[col] / (double)all);
    }
    fputc('\n', stderr);
}
