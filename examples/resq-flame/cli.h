/* resq-flame CLI: shared declarations. One job per file:
   main.c     dispatch, global options, exit codes
   args.c     the option table (parsing and --help come from the same table)
   render.c   inputs -> profile, profile -> outputs written atomically
   cmd_*.c    one file per command group */
#ifndef RESQ_FLAME_CLI_H
#define RESQ_FLAME_CLI_H
#include <stddef.h>
#include <stdio.h>
#include "resq_flame.h"

/* Exit codes (DESIGN.md). */
enum {
    EXIT_OK = 0,
    EXIT_USAGE = 1,
    EXIT_BAD_INPUT = 2,
    EXIT_TOOL_MISSING = 3,
    EXIT_NETWORK = 4,
    EXIT_NOT_FOUND = 5,
    EXIT_REGRESSION = 6, /* diff --fail-on-regression: a share grew by more than PCT points */
    EXIT_INTERRUPTED = 130
};

#define CLI_MAX_INPUTS 64

/* Everything the command line can set. Zero = default. */
typedef struct cli_config {
    const char *command;
    /* global */
    const char *output;          /* -o; default flamegraph.svg */
    const char *to;              /* svg | folded; default from -o's extension */
    int open_browser;
    int quiet, verbose, no_color;
    /* inputs */
    const char *inputs[CLI_MAX_INPUTS];
    size_t ninputs;
    const char *format;          /* --format NAME, default auto */
    int strict;
    /* SVG options, flamegraph.pl names (strings kept as given; render.c maps them) */
    const char *title, *subtitle, *fonttype, *countname, *nametype, *colors, *bgcolors,
        *notes, *search_color, *truncate, *sort, *minwidth;
    double width, height, fontsize, fontwidth, factor, total;
    int hash, cp, reverse, inverted, flamechart, negate;
    /* filters and views (every command that renders; applied in this order:
       group-by, skip-after/base, focus, ignore, hide, collapse-recursion, reverse) */
    const char *focus, *ignore, *hide, *skip_after, *group_by;
    int collapse_recursion;
    /* perf script input (stackcollapse-perf.pl options) */
    int perf_pid, perf_tid, perf_kernel, perf_jit, perf_all, perf_addrs;
    const char *event_filter, *count_mode; /* count_mode: period (default) | samples */
    int offcpu;
    double threads;              /* parse threads for large perf inputs (default 1) */
    /* pprof / V8 input */
    const char *sample_type;     /* pprof sample type name or index */
    const char *frame_names;     /* function | line (name (file:line)) */
    const char *group_by_label;  /* pprof label to add as a root frame */
    int drop_idle;               /* V8: drop (idle) */
    int time_weighted;           /* V8: weight by timeDeltas instead of sample counts */
    /* diff */
    const char *before, *after;
    int normalize, strip_hex;
    const char *width_from;      /* before | after | max */
    double fail_on_regression;   /* percentage points; 0 = off */
    int fail_on_regression_set;
    /* hotcold */
    const char *on_cpu, *off_cpu;
    /* top */
    double top_n;                /* default 20 */
    const char *top_by;          /* self | total */
    int json;
    int help_roff;               /* help --roff: the manual page */
    /* explain */
    const char *api_url, *api_path, *auth_mode;
    int offline;
    double timeout;              /* seconds */
    /* credentials ($RESQ_TOKEN, $RESQ_API_KEY): only ever put in request headers */
    const char *token, *api_key;
    /* live targets (collectors) */
    const char *url;             /* service base URL; per-command default */
    long pid;                    /* --pid PID (collectors); 0 = not given */
    const char *duration;        /* --duration as typed: 30s, 500ms, 2m, bare number (see DESIGN) */
    double duration_ms;          /* parsed --duration; 0 = the command's default */
    int force;                   /* allow durations above the documented maximum */
    const char *cmd;             /* --cmd "COMMAND" (perf, bun) */
    char **cmd_argv;             /* or everything after "--" */
    int cmd_argc;
    double freq;                 /* perf -F, default 99 */
    const char *call_graph;      /* perf --call-graph fp|dwarf */
    const char *inspect;         /* inspector URL (ws:// or http://host:port) */
    const char *lang;            /* memory --lang rust|go|node|python */
    const char *save_raw;        /* keep the raw collected profile here */
} cli_config;

/* args.c */
typedef int (*cli_command_fn)(cli_config *cfg);
typedef struct cli_command {
    const char *name, *group, *summary, *usage, *example;
    unsigned mask;               /* which option groups apply */
    cli_command_fn run;
    unsigned flags;              /* CLI_CMD_* */
    /* live targets: what an option left unset means (DESIGN.md's table) */
    const char *default_url;     /* NULL: the command takes no --url */
    double default_duration_ms;  /* 0: the command does not sample for a while */
    const char *default_title;   /* NULL: the collector names it (e.g. "perf: <command>") */
    const char *overhead;        /* collectors: what profiling costs the target (shown in --help) */
} cli_command;

#define CLI_CMD_LIVE 0x01u       /* profiles a live target: Ctrl-C stops and renders (exit 130) */
#define CLI_CMD_WORDS 0x02u      /* takes plain words (help COMMAND, completions SHELL) */
#define CLI_CMD_HIDDEN 0x04u     /* not listed in the command groups */

/* option groups (bitmask) */
#define OPTG_GLOBAL 0x01u
#define OPTG_INPUT 0x02u
#define OPTG_SVG 0x04u
#define OPTG_OUTPUT 0x08u
#define OPTG_FILTER 0x10u
#define OPTG_PERF 0x20u      /* perf script parsing options */
#define OPTG_PARSE 0x40u     /* pprof / V8 parsing options */
#define OPTG_DIFF 0x80u
#define OPTG_HOTCOLD 0x100u
#define OPTG_TOP 0x200u
#define OPTG_EXPLAIN 0x400u
#define OPTG_AUTH 0x800u
#define OPTG_LIVE 0x1000u    /* --duration --force --save-raw */
#define OPTG_URL 0x2000u     /* --url */
#define OPTG_PID 0x4000u     /* --pid PID (a process to profile) */
#define OPTG_CMD 0x8000u     /* --cmd "CMD" and -- CMD ARGS */
#define OPTG_PERFREC 0x10000u /* perf record: -F/--freq --call-graph */
#define OPTG_INSPECT 0x20000u /* --inspect URL */
#define OPTG_LANG 0x40000u   /* --lang */
#define OPTG_HELP 0x80000u   /* help --roff */

typedef enum cli_opt_kind {
    OPT_FLAG, OPT_STRING, OPT_DOUBLE, OPT_INPUT, OPT_HELP, OPT_VERSION,
    OPT_DURATION,   /* --duration: text kept in cfg->duration, milliseconds in cfg->duration_ms */
    OPT_PID,        /* a process id: a positive integer (long) */
    OPT_URL,        /* http:// or https:// (ws:// too for --inspect) */
    OPT_CHOICE,     /* one of the words in `choices` ("a|b|c") */
    OPT_COUNT       /* a whole number within `choices` ("1..100000"), stored as a double */
} cli_opt_kind;

typedef struct cli_option {
    const char *name;            /* long name without dashes */
    char short_name;
    cli_opt_kind kind;
    unsigned group;
    size_t offset;               /* into cli_config */
    const char *metavar, *help, *default_text;
    const char *choices;         /* OPT_CHOICE: "fp|dwarf" */
} cli_option;

/* Longest collection without --force (DESIGN.md: durations are bounded). */
#define CLI_MAX_DURATION_MS 600000.0

/* Parses argv into cfg. Returns -1 to go on (cfg and *cmd set; *cmd NULL when argv names no
   command), else an exit code (EXIT_OK after --help/--version). */
int cli_parse_args(int argc, char **argv, cli_config *cfg, const cli_command **cmd);
/* The command's defaults for what cfg leaves unset (url, duration). */
void cli_apply_defaults(cli_config *cfg, const cli_command *cmd);
/* --duration text -> milliseconds: 30s 500ms 2m 1h 1.5s, or a bare number (seconds; 1000 and
   more: milliseconds). -1 when malformed or not positive. *bare = it was a bare number. */
double cli_parse_duration(const char *text, int *bare);
/* "5 s", "500 ms", "2 min" into out. */
void cli_format_duration(double ms, char *out, size_t cap);
void cli_print_help(FILE *f, const cli_command *cmd);
const cli_command *cli_find_command(const char *name);
/* The tables, for completions, the manual page and the TUI. */
size_t cli_command_count(void);
const cli_command *cli_command_at(size_t i);
size_t cli_option_count(void);
const cli_option *cli_option_at(size_t i);
/* "Service profilers", "General profilers", "Analysis" (the order --help shows them). */
extern const char *const cli_command_groups[];

/* main.c: messages on stderr */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void cli_info(const cli_config *cfg, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* render.c */
/* Parses every input of cfg into p (merged). Returns an exit code. */
/* The allocator every profile of the CLI uses (alloc.c): huge pages for big blocks. */
const rf_allocator *cli_allocator(void);
int cli_load_inputs(const cli_config *cfg, rf_profile *p);
/* Parses one input (path, "-" = stdin) into p. Returns an exit code. */
int cli_load_input(const cli_config *cfg, const char *path, rf_profile *p);
/* render.c: cfg's parse options (pprof sample type, frame names, V8 idle/time weighting, perf
   flags) into opt; EXIT_USAGE after naming a bad value. */
int cli_parse_options(const cli_config *cfg, rf_parse_options *opt);
/* parallel.c: a large perf script file in two threads; -1 = not splittable here. */
int cli_load_perf_parallel(const cli_config *cfg, const char *path, rf_profile *p, const rf_parse_options *base);
/* Writes p to cfg's output in cfg's --to format, atomically. Returns an exit code. */
int cli_write_output(const cli_config *cfg, const rf_profile *p);
/* "svg" or "folded": --to, else from path's extension. */
const char *cli_output_format(const cli_config *cfg, const char *path);

/* svg_options.c: cfg's SVG flags -> rf_svg_options, then rf_write_svg. */
rf_result cli_write_svg(const cli_config *cfg, const rf_profile *p, rf_write_fn fn, void *ctx);
/* EXIT_OK, or EXIT_USAGE after naming the bad SVG option. */
int cli_check_svg_options(const cli_config *cfg);

/* Atomic output: written to a temporary file beside the target, renamed on commit. */
typedef struct cli_out {
    FILE *f;
    char *path, *tmp;
    int is_stdout;
} cli_out;
int cli_out_open(cli_out *o, const char *path);      /* 0 ok, else errno */
int cli_out_commit(cli_out *o);                      /* 0 ok, else errno; removes tmp on failure */
void cli_out_abort(cli_out *o);
int cli_out_write(void *ctx, const void *data, size_t n); /* rf_write_fn */

/* open.c */
void cli_open_in_browser(const cli_config *cfg, const char *path);

/* cmd_files.c */
int cmd_file(cli_config *cfg);
int cmd_collapse(cli_config *cfg);

/* filters.c: --focus --ignore --hide --skip-after --collapse-recursion --group-by --reverse */
/* POSIX extended regular expressions as the header's rf_regex_engine (pprof drop_frames). */
rf_regex_engine cli_regex_engine(void);

int cli_filters_active(const cli_config *cfg);
/* *out = the filtered view of in (caller frees), or NULL when no filter applies. for_svg: leave
   --reverse to the SVG writer. Returns an exit code. */
int cli_filter_profile(const cli_config *cfg, const rf_profile *in, int for_svg, rf_profile **out);

/* cmd_analysis.c */
int cmd_diff(cli_config *cfg);
int cmd_hotcold(cli_config *cfg);
int cmd_top(cli_config *cfg);
int cmd_explain(cli_config *cfg);

/* cmd_profile.c (the collectors' commands) */
int cmd_hce(cli_config *cfg);
int cmd_api(cli_config *cfg);
int cmd_pdie(cli_config *cfg);
int cmd_python(cli_config *cfg);
int cmd_perf(cli_config *cfg);
int cmd_bun(cli_config *cfg);
int cmd_dotnet(cli_config *cfg);
int cmd_offcpu(cli_config *cfg);
int cmd_memory(cli_config *cfg);
int cmd_hotcold_live(cli_config *cfg);

/* main.c: runs a parsed command (defaults, early checks, Ctrl-C handling); the TUI uses it too */
int cli_run(cli_config *cfg, const cli_command *cmd);
/* main.c: hotcold is a file command (--on/--off) or a live one (--pid) */
int cmd_hotcold_any(cli_config *cfg);
/* main.c: help [COMMAND] [--roff] */
int cmd_help(cli_config *cfg);

/* completions.c: completions bash|zsh|fish, generated from the tables */
int cmd_completions(cli_config *cfg);
/* man.c: the manual page (roff) from the same tables: `resq-flame help --roff` */
void cli_print_manpage(FILE *f);

/* progress.c: progress and Ctrl-C on stderr (the collectors' half is in collect/collect.h).
   Installs the SIGINT/SIGTERM/SIGHUP handlers. */
void progress_init(const cli_config *cfg);
/* Ctrl-C stops the work gracefully (someone polls progress_interrupted()) instead of ending
   the process at once. Live commands and parsing turn it on. */
void progress_set_graceful(int on);
/* Forgets an earlier Ctrl-C (the TUI runs several collections). */
void progress_reset(void);
/* Cleanup that must run even when a second Ctrl-C or SIGTERM ends the process: fn runs in a
   signal handler, so it may only use async-signal-safe calls (write, kill, unlink, tcsetattr). */
void progress_on_abort(void (*fn)(void *ctx), void *ctx);
void progress_on_abort_remove(void (*fn)(void *ctx), void *ctx);
/* Bytes and samples while parsing a large input (throttled; a terminal only). */
void progress_parse(const cli_config *cfg, const char *what, unsigned long long bytes, unsigned long long samples);
void progress_parse_end(void);
/* The last line: "wrote PATH: N samples, M frames; top: FUNC (x% self)". */
void progress_summary(const cli_config *cfg, const char *path, const rf_profile *p);
/* 1234567 -> "1,234,567" (a weight in the profile's fixed point: decimals digits after the point) */
void cli_format_count(int64_t v, int decimals, char *out, size_t cap);
/* The profile's total for people: "12,345 samples", "2.44 s of time", "3.2 MiB". */
void cli_format_total(const rf_profile *p, char *out, size_t cap);
/* The TUI draws the countdown itself. NULL restores stderr's. */
typedef struct progress_sink {
    void (*start)(void *ctx, const char *what, double seconds);
    void (*tick)(void *ctx, double seconds_left);
    void (*end)(void *ctx);
    void *ctx;
} progress_sink;
void progress_set_sink(const progress_sink *sink);

/* tui.c: the full-screen target picker (no arguments on a terminal). Returns an exit code. */
int tui_run(void);

#endif
