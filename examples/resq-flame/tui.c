/* The full-screen target picker: a list of targets with a details pane, a form prefilled with
   the command's defaults, a live countdown while the command runs, and a result screen with
   the output path and the top 10 frames. A run builds the same argument vector a user would
   type and goes through cli_parse_args and cli_run: one code path with the command line. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "term.h"

#define F_URL 0x01u
#define F_DURATION 0x02u
#define F_PID 0x04u      /* optional pid */
#define F_PID_REQ 0x08u  /* pid, required by the command */
#define F_PIDCMD 0x10u   /* a pid or a command line */
#define F_CMD 0x20u      /* a command line */
#define F_INPUT 0x40u
#define F_LANG 0x80u
#define F_OUTPUT 0x100u

typedef struct tui_target {
    const char *title, *engine, *command, *description, *needs;
    unsigned fields;
} tui_target;

/* The seeds' four targets first, as they list them; then the other profilers. */
static const tui_target targets[] = {
    {"Coordination HCE", "hce", "hce", "Node.js/Bun service via HTTP metrics",
     "POST {url}/admin/cpu-profile with $RESQ_TOKEN (Bearer) or $RESQ_API_KEY; a PID uses the Node inspector instead.",
     F_URL | F_DURATION | F_PID | F_OUTPUT},
    {"Infrastructure API", "api", "api", "Rust backend via pprof",
     "GET {url}/admin/profile?seconds=N with $RESQ_API_KEY; the answer is a pprof profile.", F_URL | F_DURATION | F_OUTPUT},
    {"Intelligence PDIE", "python", "pdie", "Python AI engine via py-spy",
     "py-spy (or austin) on the process listening on the URL's port, or on the PID given.",
     F_URL | F_DURATION | F_PID | F_OUTPUT},
    {"Linux Perf", "perf", "perf", "System-wide profiling via perf record",
     "perf record -g on a PID, or on a command it starts (e.g. ./server --port 8080); needs perf.",
     F_DURATION | F_PIDCMD | F_OUTPUT},
    {"Bun runtime", "bun", "bun", "Bun CPU profile (bun --cpu-prof)", "Runs the command with bun --cpu-prof; needs bun.",
     F_DURATION | F_CMD | F_OUTPUT},
    {".NET harness", "dotnet", "dotnet", ".NET process via dotnet-trace", "dotnet-trace collect on the PID; needs dotnet-trace.",
     F_DURATION | F_PID_REQ | F_OUTPUT},
    {"Python process", "python", "python", "Any Python process via py-spy or austin", "py-spy (or austin) on the PID.",
     F_DURATION | F_PID_REQ | F_OUTPUT},
    {"Off-CPU time", "offcpu", "offcpu", "Where a process blocks (perf sched_switch)",
     "perf records the PID's context switches; needs root or perf_event_paranoid <= -1.", F_DURATION | F_PID_REQ | F_OUTPUT},
    {"Hot/Cold", "hotcold", "hotcold", "On-CPU and off-CPU time of one process", "perf on the PID: samples and switches.",
     F_DURATION | F_PID_REQ | F_OUTPUT},
    {"Memory", "memory", "memory", "Allocation flame graph (pprof heap, Node, austin)",
     "rust/go: the heap profile from the URL; node: the inspector of the PID; python: austin on the PID.",
     F_LANG | F_URL | F_DURATION | F_PID | F_OUTPUT},
    {"Profile file", "file", "file", "Render a saved profile (any supported format)",
     "Reads perf script, folded, V8, pprof, speedscope, our SVGs... and renders a flame graph.", F_INPUT | F_OUTPUT},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

enum { FIELD_URL, FIELD_LANG, FIELD_INPUT, FIELD_DURATION, FIELD_PID, FIELD_OUTPUT, NFIELDS };
typedef struct form_field {
    int used;
    const char *label, *hint;
    char value[512];
    size_t cursor; /* byte offset */
} form_field;

typedef enum { SCREEN_LIST, SCREEN_FORM, SCREEN_RUN, SCREEN_RESULT } screen_kind;

#define TOP_FRAMES 10
typedef struct tui_state {
    screen_kind screen;
    size_t selected, scroll;
    form_field fields[NFIELDS];
    int focus;
    char form_error[512];
    /* run */
    const tui_target *target;
    char cmdline[1024];
    char what[160];
    double seconds, left, started;
    int counting, counted;
    /* result */
    int rc;
    char output[512];
    char messages[8192];
    char status[512];
    char names[TOP_FRAMES][256];
    double self_pct[TOP_FRAMES], total_pct[TOP_FRAMES];
    size_t ntop;
    char totals[160];
    int have_profile;
    /* drawing */
    term_frame frame;
    int colour, utf8;
} tui_state;

static tui_state *state_for_sink; /* the countdown sink's context */

/* ---- drawing helpers --------------------------------------------------------------------- */
#define BOLD(s) ((s)->colour ? "\033[1;36m" : "\033[1m")
#define DIM "\033[2m"
#define RESET "\033[0m"
#define GREEN(s) ((s)->colour ? "\033[1;32m" : "\033[1m")
#define RED(s) ((s)->colour ? "\033[1;31m" : "\033[1m")
#define YELLOW(s) ((s)->colour ? "\033[1;33m" : "\033[1m")

static const char *glyph(const tui_state *s, const char *utf8, const char *ascii) { return s->utf8 ? utf8 : ascii; }

static void rule(tui_state *s, int row) {
    char line[1024];
    int i, o = 0, cols = s->frame.cols;
    const char *g = glyph(s, "\xE2\x94\x80", "-");
    size_t gl = strlen(g);
    for (i = 0; i < cols && o + (int)gl < (int)sizeof line; i++, o += (int)gl) memcpy(line + o, g, gl);
    line[o] = '\0';
    frame_line(&s->frame, row, 0, DIM "%s", line);
}

static void title_bar(tui_state *s, const char *fmt, ...) {
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    frame_line(&s->frame, 1, 1, "%s resq-flame %s %s %s", s->colour ? "\033[1;37;44m" : "\033[7m", RF_VERSION_STRING,
               glyph(s, "\xC2\xB7", "-"), text);
    rule(s, 2);
}

static void key_bar(tui_state *s, const char *text) {
    frame_line(&s->frame, s->frame.rows, 1, "\033[7m %s", text);
}

/* Wraps text into rows [row, last]; returns the next free row. */
static int wrapped(tui_state *s, int row, int last, const char *indent, const char *text) {
    int width = s->frame.cols - (int)strlen(indent) - 1;
    if (width < 10) width = 10;
    while (*text && row <= last) {
        int n = (int)strlen(text), cut = n;
        if (n > width) {
            cut = width;
            while (cut > 0 && text[cut] != ' ') cut--;
            if (cut == 0) cut = width;
        }
        frame_line(&s->frame, row++, 0, "%s%.*s", indent, cut, text);
        text += cut;
        while (*text == ' ') text++;
    }
    return row;
}

/* ---- the list ---------------------------------------------------------------------------- */
static void draw_list(tui_state *s) {
    int rows = s->frame.rows, cols = s->frame.cols, row, list_rows, last;
    size_t i;
    const tui_target *t = &targets[s->selected];
    const cli_command *c = cli_find_command(t->command);
    char dur[32], line[256];
    title_bar(s, "choose a profiling target");
    /* the list gets what the details pane (at least 6 rows) leaves */
    list_rows = rows - 2 - 1 - 1 - 6 - 1;
    if (list_rows > (int)NTARGETS) list_rows = (int)NTARGETS;
    if (list_rows < 1) list_rows = 1;
    if (s->selected < s->scroll) s->scroll = s->selected;
    if (s->selected >= s->scroll + (size_t)list_rows) s->scroll = s->selected + 1 - (size_t)list_rows;
    frame_line(&s->frame, 3, 0, DIM "   %-22s %-8s %s", "TARGET", "ENGINE", "DESCRIPTION");
    row = 4;
    for (i = s->scroll; i < NTARGETS && row < 4 + list_rows; i++, row++) {
        int sel = i == s->selected;
        frame_line(&s->frame, row, sel, "%s %s %-22s %-8s %s", sel ? "\033[7m" : "",
                   sel ? glyph(s, "\xE2\x96\xB6", ">") : " ", targets[i].title, targets[i].engine, targets[i].description);
    }
    rule(s, row++);
    last = rows - 1;
    frame_line(&s->frame, row++, 0, "%s %s%s " DIM "%s resq-flame %s", BOLD(s), t->title, RESET,
               glyph(s, "\xE2\x80\x94", "-"), t->command);
    if (c) {
        row = wrapped(s, row, last, "  ", c->summary);
        line[0] = '\0';
        if (c->default_url && (t->fields & F_URL))
            snprintf(line + strlen(line), sizeof line - strlen(line), "url %s", c->default_url);
        if (c->default_duration_ms > 0) {
            cli_format_duration(c->default_duration_ms, dur, sizeof dur);
            snprintf(line + strlen(line), sizeof line - strlen(line), "%sduration %s", line[0] ? ", " : "", dur);
        }
        if (line[0] && row <= last) frame_line(&s->frame, row++, 0, "  " DIM "Defaults:" RESET " %s", line);
        if (row <= last) row = wrapped(s, row, last, "  ", t->needs);
        if (c->overhead && row <= last) {
            frame_line(&s->frame, row++, 0, "  " DIM "Overhead:" RESET);
            row = wrapped(s, row, last, "    ", c->overhead);
        }
    }
    (void)cols;
    key_bar(s, s->utf8 ? "\xE2\x86\x91/k \xE2\x86\x93/j move   Enter profile   q/Esc quit"
                       : "Up/k Down/j move   Enter profile   q/Esc quit");
}

/* ---- the form ---------------------------------------------------------------------------- */
static int pid_like(const char *v) { return *v && strspn(v, "0123456789") == strlen(v); }

static void form_open(tui_state *s) {
    const tui_target *t = &targets[s->selected];
    const cli_command *c = cli_find_command(t->command);
    form_field *f = s->fields;
    int i;
    memset(s->fields, 0, sizeof s->fields);
    s->form_error[0] = '\0';
    f[FIELD_URL].label = "URL";
    f[FIELD_URL].hint = "service base URL";
    f[FIELD_URL].used = (t->fields & F_URL) != 0;
    if (c && c->default_url) snprintf(f[FIELD_URL].value, sizeof f[FIELD_URL].value, "%s", c->default_url);
    f[FIELD_LANG].label = "Language";
    f[FIELD_LANG].hint = "rust, go, node or python";
    f[FIELD_LANG].used = (t->fields & F_LANG) != 0;
    snprintf(f[FIELD_LANG].value, sizeof f[FIELD_LANG].value, "go");
    f[FIELD_INPUT].label = "Input file";
    f[FIELD_INPUT].hint = "path of a saved profile";
    f[FIELD_INPUT].used = (t->fields & F_INPUT) != 0;
    f[FIELD_DURATION].label = "Duration";
    f[FIELD_DURATION].hint = "30s, 500ms, 2m";
    f[FIELD_DURATION].used = (t->fields & F_DURATION) != 0;
    if (c && c->default_duration_ms > 0) {
        double ms = c->default_duration_ms;
        if (ms >= 1000 && (long long)ms % 1000 == 0) snprintf(f[FIELD_DURATION].value, sizeof f[0].value, "%llds", (long long)(ms / 1000));
        else snprintf(f[FIELD_DURATION].value, sizeof f[0].value, "%lldms", (long long)ms);
    }
    f[FIELD_PID].used = (t->fields & (F_PID | F_PID_REQ | F_PIDCMD | F_CMD)) != 0;
    if (t->fields & F_PIDCMD) {
        f[FIELD_PID].label = "PID or command";
        f[FIELD_PID].hint = "a number, or a command to start";
    } else if (t->fields & F_CMD) {
        f[FIELD_PID].label = "Command";
        f[FIELD_PID].hint = "the program to start and profile";
    } else {
        f[FIELD_PID].label = "PID";
        f[FIELD_PID].hint = (t->fields & F_PID_REQ) ? "process id (required)" : "process id (optional)";
    }
    f[FIELD_OUTPUT].label = "Output";
    f[FIELD_OUTPUT].hint = ".svg, or .folded for folded stacks";
    f[FIELD_OUTPUT].used = 1;
    snprintf(f[FIELD_OUTPUT].value, sizeof f[0].value, "flamegraph.svg");
    for (i = 0; i < NFIELDS; i++) f[i].cursor = strlen(f[i].value);
    /* start on the first field that needs typing */
    s->focus = -1;
    for (i = 0; i < NFIELDS && s->focus < 0; i++)
        if (f[i].used && !f[i].value[0] && !(i == FIELD_PID && (t->fields & F_PID))) s->focus = i;
    for (i = 0; i < NFIELDS && s->focus < 0; i++)
        if (f[i].used) s->focus = i;
    s->screen = SCREEN_FORM;
}

/* The argument vector of this form, as a user would type it (credentials stay in the
   environment). Returns argc; words point into the form. */
static int form_argv(tui_state *s, char **argv, int cap) {
    const tui_target *t = &targets[s->selected];
    form_field *f = s->fields;
    int n = 0;
#define ADD(w) do { if (n < cap - 1) argv[n++] = (char *)(w); } while (0)
    ADD("resq-flame");
    ADD(t->command);
    if (f[FIELD_LANG].used && f[FIELD_LANG].value[0]) { ADD("--lang"); ADD(f[FIELD_LANG].value); }
    if (f[FIELD_URL].used && f[FIELD_URL].value[0]) { ADD("--url"); ADD(f[FIELD_URL].value); }
    if (f[FIELD_INPUT].used && f[FIELD_INPUT].value[0]) { ADD("--input"); ADD(f[FIELD_INPUT].value); }
    if (f[FIELD_DURATION].used && f[FIELD_DURATION].value[0]) { ADD("--duration"); ADD(f[FIELD_DURATION].value); }
    if (f[FIELD_PID].used && f[FIELD_PID].value[0]) {
        if (pid_like(f[FIELD_PID].value) && !(t->fields & F_CMD)) ADD("--pid");
        else ADD("--cmd");
        ADD(f[FIELD_PID].value);
    }
    if (f[FIELD_OUTPUT].value[0]) { ADD("-o"); ADD(f[FIELD_OUTPUT].value); }
#undef ADD
    argv[n] = NULL;
    return n;
}

/* "resq-flame perf --duration 30s --cmd './hot 10' -o flamegraph.svg" */
static void form_cmdline(tui_state *s, char *out, size_t cap) {
    char *argv[32];
    int argc = form_argv(s, argv, 32), i;
    size_t o = 0;
    out[0] = '\0';
    for (i = 0; i < argc && o + 1 < cap; i++) {
        const char *w = argv[i];
        int quote = !*w || strpbrk(w, " \t'\"$&;|<>()*?`\\") != NULL;
        o += (size_t)snprintf(out + o, cap - o, "%s%s%s%s", i ? " " : "", quote ? "'" : "", w, quote ? "'" : "");
        if (o >= cap) o = cap - 1;
    }
}

static void draw_form(tui_state *s) {
    const tui_target *t = &targets[s->selected];
    int row = 3, i, width = s->frame.cols - 22 - 2;
    char shown[1024], cmdline[1024];
    if (width < 10) width = 10;
    title_bar(s, "%s (%s)", t->title, t->command);
    frame_line(&s->frame, row++, 0, "  %s", t->description);
    row++;
    for (i = 0; i < NFIELDS; i++) {
        form_field *f = &s->fields[i];
        size_t w;
        if (!f->used) continue;
        /* the end of a long value stays visible while typing */
        w = term_text_width(f->value);
        term_safe_text(f->value + (w > (size_t)width - 1 ? strlen(f->value) - ((size_t)width - 1) : 0),
                       strlen(f->value) - (w > (size_t)width - 1 ? strlen(f->value) - ((size_t)width - 1) : 0),
                       (size_t)width, shown, sizeof shown);
        frame_line(&s->frame, row, 0, "  %s%-18s%s %s%-*s" RESET "  " DIM "%s", i == s->focus ? BOLD(s) : "", f->label,
                   RESET, i == s->focus ? "\033[4m" : "", width < 48 ? width : 48, shown, f->hint);
        if (i == s->focus) {
            size_t before = term_text_width(f->value) - term_text_width(f->value + f->cursor);
            size_t start = w > (size_t)width - 1 ? w - ((size_t)width - 1) : 0;
            s->frame.cursor_row = row;
            s->frame.cursor_col = 2 + 18 + 1 + (int)(before - (before >= start ? start : before)) + 1;
        }
        row += 1;
    }
    row++;
    form_cmdline(s, cmdline, sizeof cmdline);
    term_safe_text(cmdline, strlen(cmdline), (size_t)(s->frame.cols > 14 ? s->frame.cols - 14 : 1), shown, sizeof shown);
    frame_line(&s->frame, row++, 0, "  " DIM "Command:" RESET " %s", shown);
    if (s->form_error[0]) {
        row++;
        frame_line(&s->frame, row++, 0, "  %s%s" RESET, RED(s), glyph(s, "\xE2\x9C\x97 cannot run:", "x cannot run:"));
        row = wrapped(s, row, s->frame.rows - 2, "    ", s->form_error);
    }
    key_bar(s, s->utf8 ? "Enter run   Esc back   \xE2\x86\x91\xE2\x86\x93/Tab field   \xE2\x86\x90\xE2\x86\x92 move   Ctrl-U clear"
                       : "Enter run   Esc back   Up/Down/Tab field   Left/Right move   Ctrl-U clear");
}

static void field_insert(form_field *f, int cp) {
    char enc[4];
    size_t n, len = strlen(f->value);
    if (cp < 0x80) { enc[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { enc[0] = (char)(0xc0 | (cp >> 6)); enc[1] = (char)(0x80 | (cp & 0x3f)); n = 2; }
    else if (cp < 0x10000) {
        enc[0] = (char)(0xe0 | (cp >> 12)); enc[1] = (char)(0x80 | ((cp >> 6) & 0x3f)); enc[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        enc[0] = (char)(0xf0 | (cp >> 18)); enc[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        enc[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); enc[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
    }
    if (len + n + 1 > sizeof f->value) return;
    memmove(f->value + f->cursor + n, f->value + f->cursor, len - f->cursor + 1);
    memcpy(f->value + f->cursor, enc, n);
    f->cursor += n;
}
static size_t prev_char(const char *v, size_t at) {
    while (at > 0 && ((unsigned char)v[--at] & 0xc0) == 0x80) {}
    return at;
}
static size_t next_char(const char *v, size_t at) {
    if (!v[at]) return at;
    at++;
    while (((unsigned char)v[at] & 0xc0) == 0x80) at++;
    return at;
}

static void focus_move(tui_state *s, int dir) {
    int i = s->focus;
    do {
        i = (i + dir + NFIELDS) % NFIELDS;
    } while (!s->fields[i].used && i != s->focus);
    s->focus = i;
}

/* ---- running ------------------------------------------------------------------------------ */
static void draw_run(tui_state *s) {
    int row = 3, width = s->frame.cols - 20, filled, i;
    char bar[1024], shown[1024];
    double done;
    size_t o = 0;
    title_bar(s, "%s: running", s->target->title);
    term_safe_text(s->cmdline, strlen(s->cmdline), (size_t)(s->frame.cols > 14 ? s->frame.cols - 14 : 1), shown,
                   sizeof shown);
    frame_line(&s->frame, row++, 0, "  " DIM "Command:" RESET " %s", shown);
    row++;
    if (s->counting) {
        term_safe_text(s->what, strlen(s->what), (size_t)(s->frame.cols > 6 ? s->frame.cols - 6 : 1), shown, sizeof shown);
        frame_line(&s->frame, row++, 0, "  %s%s" RESET, BOLD(s), shown);
        if (width > 60) width = 60;
        if (width < 10) width = 10;
        done = s->seconds > 0 ? 1 - s->left / s->seconds : 1;
        if (done < 0) done = 0;
        if (done > 1) done = 1;
        filled = (int)(done * width + 0.5);
        for (i = 0; i < width && o + 4 < sizeof bar; i++) {
            const char *g = i < filled ? glyph(s, "\xE2\x96\x88", "#") : glyph(s, "\xE2\x96\x91", ".");
            memcpy(bar + o, g, strlen(g));
            o += strlen(g);
        }
        bar[o] = '\0';
        frame_line(&s->frame, row++, 0, "  %s%s" RESET "  %5.1f s left", s->colour ? "\033[33m" : "", bar,
                   s->left < 0 ? 0 : s->left);
        row++;
        frame_line(&s->frame, row++, 0, "  " DIM "Ctrl-C stops early and renders what was collected");
    } else {
        frame_line(&s->frame, row++, 0, "  %s%s" RESET, BOLD(s),
                   s->counted ? "Rendering the flame graph..." : "Starting...");
    }
    key_bar(s, "Ctrl-C stop (twice: quit)");
}

static void redraw(tui_state *s);

static void sink_start(void *ctx, const char *what, double seconds) {
    tui_state *s = (tui_state *)ctx;
    snprintf(s->what, sizeof s->what, "%s", what);
    s->seconds = s->left = seconds;
    s->counting = 1;
    redraw(s);
}
static void sink_tick(void *ctx, double left) {
    tui_state *s = (tui_state *)ctx;
    s->left = left;
    term_resized(); /* every tick redraws at the current size anyway */
    redraw(s);
}
static void sink_end(void *ctx) {
    tui_state *s = (tui_state *)ctx;
    s->counting = 0;
    s->counted = 1;
    redraw(s);
}

/* stdout and stderr of a run go to a temporary file, shown on the result screen. */
typedef struct capture {
    int fd, saved_out, saved_err;
} capture;

static int capture_begin(capture *c) {
    char path[] = "/tmp/resq-flame-tui-XXXXXX";
    const char *dir = getenv("TMPDIR");
    char buf[4096];
    if (dir && *dir && strlen(dir) < 3000) snprintf(buf, sizeof buf, "%s/resq-flame-tui-XXXXXX", dir);
    else snprintf(buf, sizeof buf, "%s", path);
    fflush(stdout);
    fflush(stderr);
    c->fd = mkstemp(buf);
    if (c->fd < 0) return -1;
    unlink(buf); /* nothing is left behind, whatever happens */
    c->saved_out = dup(STDOUT_FILENO);
    c->saved_err = dup(STDERR_FILENO);
    dup2(c->fd, STDOUT_FILENO);
    dup2(c->fd, STDERR_FILENO);
    return 0;
}

/* Restores stdout/stderr and reads what was written (the last part when it is long). */
static void capture_end(capture *c, char *out, size_t cap) {
    off_t size;
    ssize_t got;
    size_t want;
    fflush(stdout);
    fflush(stderr);
    dup2(c->saved_out, STDOUT_FILENO);
    dup2(c->saved_err, STDERR_FILENO);
    close(c->saved_out);
    close(c->saved_err);
    out[0] = '\0';
    size = lseek(c->fd, 0, SEEK_END);
    if (size > 0) {
        want = (size_t)size < cap - 1 ? (size_t)size : cap - 1;
        if (lseek(c->fd, size - (off_t)want, SEEK_SET) >= 0 && (got = read(c->fd, out, want)) > 0) out[got] = '\0';
    }
    close(c->fd);
}

static const char *exit_meaning(int rc) {
    switch (rc) {
    case EXIT_OK: return "done";
    case EXIT_USAGE: return "usage error";
    case EXIT_BAD_INPUT: return "bad input";
    case EXIT_TOOL_MISSING: return "an external tool is missing";
    case EXIT_NETWORK: return "network, HTTP or auth failure";
    case EXIT_NOT_FOUND: return "target not found";
    case EXIT_INTERRUPTED: return "interrupted";
    default: return "failed";
    }
}

/* Reads the written graph back (our SVGs carry their profile) for the top frames. */
static void load_result(tui_state *s) {
    rf_profile *p;
    rf_parse_options o;
    rf_error err;
    FILE *f;
    char *data = NULL;
    size_t len = 0, cap = 0, n, i;
    struct stat st;
    rf_top_entry top[TOP_FRAMES];
    int64_t all;
    int col;
    s->have_profile = 0;
    s->ntop = 0;
    s->totals[0] = '\0';
    if (!s->output[0] || strcmp(s->output, "-") == 0 || stat(s->output, &st) != 0) return;
    if (!(f = fopen(s->output, "rb"))) return;
    for (;;) {
        char *d;
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            if (cap > ((size_t)1 << 31) || !(d = (char *)realloc(data, cap))) break;
            data = d;
        }
        n = fread(data + len, 1, cap - len, f);
        if (n == 0) break;
        len += n;
    }
    fclose(f);
    memset(&o, 0, sizeof o);
    p = rf_profile_new(cli_allocator());
    if (p && data && rf_parse(p, data, len, &o, &err) == RF_OK) {
        col = rf_profile_columns(p) - 1;
        all = rf_node_total(p, RF_NODE_ROOT, col);
        if (all > 0 && rf_profile_top(p, RF_TOP_SELF, col, top, TOP_FRAMES, &s->ntop) == RF_OK) {
            while (s->ntop > 0 && top[s->ntop - 1].self[col] == 0) s->ntop--; /* callers only: not hot */
            for (i = 0; i < s->ntop; i++) {
                term_safe_text(top[i].name.ptr, top[i].name.len, 200, s->names[i], sizeof s->names[i]);
                s->self_pct[i] = 100.0 * (double)top[i].self[col] / (double)all;
                s->total_pct[i] = 100.0 * (double)top[i].total[col] / (double)all;
            }
            s->have_profile = 1;
            cli_format_total(p, s->totals, sizeof s->totals);
        }
    }
    rf_profile_free(p);
    free(data);
}

/* The errors of a run as one line for the form: without the "resq-flame: " prefixes and the
   informational lines (the duration reading), control characters replaced. */
static void clean_message(const char *messages, char *out, size_t cap) {
    const char *line, *end;
    size_t o = 0;
    out[0] = '\0';
    for (line = messages; *line && o + 2 < cap; line = *end ? end + 1 : end) {
        char safe[1024];
        const char *text = line;
        end = line + strcspn(line, "\n");
        if (end - line >= 19 && !strncmp(line, "resq-flame: error: ", 19)) text = line + 19;
        else continue;
        term_safe_text(text, (size_t)(end - text), 1000, safe, sizeof safe);
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? " " : "", safe);
        if (o >= cap) o = cap - 1;
    }
    if (!out[0]) snprintf(out, cap, "the command line was not accepted");
}

static void run_target(tui_state *s) {
    char *argv[32];
    int argc;
    cli_config cfg;
    const cli_command *cmd = NULL;
    capture cap;
    progress_sink sink;
    int rc;
    s->target = &targets[s->selected];
    form_cmdline(s, s->cmdline, sizeof s->cmdline);
    argc = form_argv(s, argv, 32);
    memset(&cfg, 0, sizeof cfg);
    if (getenv("NO_COLOR") && *getenv("NO_COLOR")) cfg.no_color = 1;
    if (capture_begin(&cap) != 0) {
        snprintf(s->form_error, sizeof s->form_error, "cannot create a temporary file: %s", strerror(errno));
        return;
    }
    rc = cli_parse_args(argc, argv, &cfg, &cmd);
    if (rc >= 0 || !cmd) {
        /* a bad field: back to the form with the parser's own message */
        capture_end(&cap, s->messages, sizeof s->messages);
        clean_message(s->messages, s->form_error, sizeof s->form_error);
        return;
    }
    s->form_error[0] = '\0';
    s->screen = SCREEN_RUN;
    s->counting = s->counted = 0;
    snprintf(s->output, sizeof s->output, "%s", cfg.output ? cfg.output : "flamegraph.svg");
    sink.start = sink_start;
    sink.tick = sink_tick;
    sink.end = sink_end;
    sink.ctx = s;
    state_for_sink = s;
    progress_set_sink(&sink);
    progress_reset();
    redraw(s);
    term_run_mode(1);
    rc = cli_run(&cfg, cmd);
    term_run_mode(0);
    term_flush_input();
    progress_set_sink(NULL);
    progress_reset();
    capture_end(&cap, s->messages, sizeof s->messages);
    s->rc = rc;
    s->status[0] = '\0';
    if (rc == EXIT_USAGE) {
        /* something the form can fix (a pid or command missing): back to it with the message */
        clean_message(s->messages, s->form_error, sizeof s->form_error);
        s->screen = SCREEN_FORM;
        return;
    }
    load_result(s);
    s->screen = SCREEN_RESULT;
}

/* ---- the result ----------------------------------------------------------------------------- */
static void draw_result(tui_state *s) {
    int row = 3, last = s->frame.rows - 1;
    size_t i;
    char shown[1024];
    const char *msg, *end;
    title_bar(s, "%s: %s", s->target->title, exit_meaning(s->rc));
    term_safe_text(s->output, strlen(s->output), 200, shown, sizeof shown);
    if (s->rc == EXIT_OK || (s->rc == EXIT_INTERRUPTED && s->have_profile))
        frame_line(&s->frame, row++, 0, "  %s%s" RESET " Wrote %s%s" RESET "%s", s->rc == EXIT_OK ? GREEN(s) : YELLOW(s),
                   s->rc == EXIT_OK ? glyph(s, "\xE2\x9C\x93", "OK") : glyph(s, "!", "!"), BOLD(s), shown,
                   s->rc == EXIT_OK ? "" : "  (interrupted: what was collected)");
    else
        frame_line(&s->frame, row++, 0, "  %s%s exit %d: %s" RESET, RED(s), glyph(s, "\xE2\x9C\x97", "x"), s->rc,
                   exit_meaning(s->rc));
    if (s->totals[0]) frame_line(&s->frame, row++, 0, "  " DIM "Total:" RESET " %s", s->totals);
    if (s->have_profile && row + 2 < last) {
        row++;
        frame_line(&s->frame, row++, 0, "  %sTop %zu frames by self time" RESET, BOLD(s), s->ntop);
        frame_line(&s->frame, row++, 0, DIM "   #   self%%  total%%  frame");
        for (i = 0; i < s->ntop && row < last - 1; i++) {
            term_safe_text(s->names[i], strlen(s->names[i]), (size_t)(s->frame.cols > 24 ? s->frame.cols - 24 : 1), shown,
                           sizeof shown);
            frame_line(&s->frame, row++, 0, "  %2zu  %5.1f%%  %5.1f%%  %s", i + 1, s->self_pct[i], s->total_pct[i], shown);
        }
    }
    /* what the command printed: its messages, wrapped, the last ones that fit */
    if (s->messages[0] && row + 2 < last) {
        static char lines[32][1024];
        int nlines = 0, width = s->frame.cols > 10 ? s->frame.cols - 6 : 4, need = 0, k;
        row++;
        frame_line(&s->frame, row++, 0, "  " DIM "Messages:");
        for (msg = s->messages; *msg; msg = *end ? end + 1 : end) {
            end = msg + strcspn(msg, "\n");
            if (end == msg) continue;
            if (nlines == 32) { memmove(lines[0], lines[1], sizeof lines[0] * 31); nlines--; }
            term_safe_text(msg, (size_t)(end - msg), sizeof lines[0] / 4, lines[nlines++], sizeof lines[0]);
        }
        for (k = 0; k < nlines; k++) need += (int)(term_text_width(lines[k]) + (size_t)width - 1) / width;
        for (k = 0; k < nlines && need > last - row; k++) need -= (int)(term_text_width(lines[k]) + (size_t)width - 1) / width;
        for (; k < nlines && row < last; k++) row = wrapped(s, row, last - 1, "    ", lines[k]);
    }
    if (s->status[0]) frame_line(&s->frame, last, 0, "  %s", s->status);
    key_bar(s, s->have_profile ? "o open the SVG   r run again   Enter/Esc back to targets   q quit"
                               : "r run again   Enter/Esc back to targets   q quit");
}

static void open_output(tui_state *s) {
    cli_config cfg;
    capture cap;
    char said[1024], *nl;
    memset(&cfg, 0, sizeof cfg);
    if (capture_begin(&cap) != 0) return;
    cli_open_in_browser(&cfg, s->output);
    capture_end(&cap, said, sizeof said);
    while ((nl = strrchr(said, '\n')) && !nl[1]) *nl = '\0';
    term_safe_text(said, strlen(said), 300, s->status, sizeof s->status);
}

/* ---- the loop ------------------------------------------------------------------------------- */
static void redraw(tui_state *s) {
    int rows, cols;
    term_size(&rows, &cols);
    frame_begin(&s->frame, rows, cols);
    if (rows < 10 || cols < 40) {
        frame_line(&s->frame, 1, 0, "Too small (%dx%d); need 40x10. q quits.", cols, rows);
    } else {
        switch (s->screen) {
        case SCREEN_LIST: draw_list(s); break;
        case SCREEN_FORM: draw_form(s); break;
        case SCREEN_RUN: draw_run(s); break;
        case SCREEN_RESULT: draw_result(s); break;
        }
    }
    frame_flush(&s->frame);
}

/* Returns 1 to quit. */
static int on_key(tui_state *s, int key, int *rc) {
    if (key == TERM_KEY_CTRL('c')) {
        *rc = EXIT_INTERRUPTED;
        return 1;
    }
    switch (s->screen) {
    case SCREEN_LIST:
        if (key == 'q' || key == TERM_KEY_ESC || key == TERM_KEY_EOF) return 1;
        if ((key == TERM_KEY_UP || key == 'k') && s->selected > 0) s->selected--;
        else if ((key == TERM_KEY_DOWN || key == 'j') && s->selected + 1 < NTARGETS) s->selected++;
        else if (key == TERM_KEY_HOME || key == 'g') s->selected = 0;
        else if (key == TERM_KEY_END || key == 'G') s->selected = NTARGETS - 1;
        else if (key == TERM_KEY_ENTER) form_open(s);
        return 0;
    case SCREEN_FORM: {
        form_field *f = &s->fields[s->focus];
        if (key == TERM_KEY_ESC) s->screen = SCREEN_LIST;
        else if (key == TERM_KEY_EOF) return 1;
        else if (key == TERM_KEY_ENTER) run_target(s);
        else if (key == TERM_KEY_DOWN || key == TERM_KEY_TAB) focus_move(s, 1);
        else if (key == TERM_KEY_UP || key == TERM_KEY_BTAB) focus_move(s, -1);
        else if (key == TERM_KEY_LEFT) f->cursor = prev_char(f->value, f->cursor);
        else if (key == TERM_KEY_RIGHT) f->cursor = next_char(f->value, f->cursor);
        else if (key == TERM_KEY_HOME || key == TERM_KEY_CTRL('a')) f->cursor = 0;
        else if (key == TERM_KEY_END || key == TERM_KEY_CTRL('e')) f->cursor = strlen(f->value);
        else if (key == TERM_KEY_CTRL('u')) { f->value[0] = '\0'; f->cursor = 0; }
        else if (key == TERM_KEY_BACKSPACE && f->cursor > 0) {
            size_t at = prev_char(f->value, f->cursor);
            memmove(f->value + at, f->value + f->cursor, strlen(f->value + f->cursor) + 1);
            f->cursor = at;
        } else if (key == TERM_KEY_DELETE && f->value[f->cursor]) {
            size_t to = next_char(f->value, f->cursor);
            memmove(f->value + f->cursor, f->value + to, strlen(f->value + to) + 1);
        } else if (key >= 0x20 && key != 0x7f && key < 0x110000 && !(key >= 0x80 && key < 0xa0)) {
            field_insert(f, key);
        }
        return 0;
    }
    case SCREEN_RESULT:
        if (key == 'q' || key == TERM_KEY_EOF) return 1;
        if (key == TERM_KEY_ESC || key == TERM_KEY_ENTER) s->screen = SCREEN_LIST;
        else if (key == 'r') s->screen = SCREEN_FORM;
        else if (key == 'o' && s->have_profile) open_output(s);
        return 0;
    case SCREEN_RUN:
        return 0;
    }
    return 0;
}

int tui_run(void) {
    static tui_state s; /* big; and the countdown sink refers to it */
    cli_config cfg;
    int rc = EXIT_OK;
    memset(&cfg, 0, sizeof cfg);
    memset(&s, 0, sizeof s);
    s.colour = !(getenv("NO_COLOR") && *getenv("NO_COLOR")) && getenv("TERM") && strcmp(getenv("TERM"), "dumb") != 0;
    s.utf8 = term_utf8();
    progress_init(&cfg); /* SIGTERM/SIGHUP/second Ctrl-C restore the terminal through its hooks */
    if (term_open() != 0) {
        cli_error("the interactive UI needs a terminal on stdin and stdout; run 'resq-flame --help' for the commands");
        return EXIT_USAGE;
    }
    for (;;) {
        int key;
        redraw(&s);
        do key = term_read_key(1000);
        while (key == TERM_KEY_NONE);
        if (key == TERM_KEY_RESIZE) continue;
        if (on_key(&s, key, &rc)) break;
    }
    term_close();
    frame_free(&s.frame);
    (void)state_for_sink;
    return rc;
}
