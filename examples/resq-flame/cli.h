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
} cli_command;

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

int cli_parse_args(int argc, char **argv, cli_config *cfg, const cli_command **cmd);
void cli_print_help(FILE *f, const cli_command *cmd);
const cli_command *cli_find_command(const char *name);

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
int cli_load_inputs(const cli_config *cfg, rf_profile *p);
/* Parses one input (path, "-" = stdin) into p. Returns an exit code. */
int cli_load_input(const cli_config *cfg, const char *path, rf_profile *p);
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
int cli_filters_active(const cli_config *cfg);
/* *out = the filtered view of in (caller frees), or NULL when no filter applies. for_svg: leave
   --reverse to the SVG writer. Returns an exit code. */
int cli_filter_profile(const cli_config *cfg, const rf_profile *in, int for_svg, rf_profile **out);

/* cmd_analysis.c */
int cmd_diff(cli_config *cfg);
int cmd_hotcold(cli_config *cfg);
int cmd_top(cli_config *cfg);
int cmd_explain(cli_config *cfg);

#endif
