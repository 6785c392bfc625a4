/* The one option table: parsing and --help text both come from it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef enum { OPT_FLAG, OPT_STRING, OPT_DOUBLE, OPT_INPUT, OPT_HELP, OPT_VERSION } opt_kind;

typedef struct cli_option {
    const char *name;  /* long name without dashes */
    char short_name;
    opt_kind kind;
    unsigned group;
    size_t offset;     /* into cli_config */
    const char *metavar, *help, *default_text;
} cli_option;

#define OFF(field) offsetof(cli_config, field)

static const cli_option options[] = {
    /* global */
    {"output", 'o', OPT_STRING, OPTG_GLOBAL, OFF(output), "PATH", "output file (\"-\" = stdout)", "flamegraph.svg"},
    {"to", 0, OPT_STRING, OPTG_GLOBAL, OFF(to), "FORMAT", "output format: svg or folded", "from -o's extension, else svg"},
    {"open", 0, OPT_FLAG, OPTG_GLOBAL, OFF(open_browser), NULL, "open the SVG in the default browser afterwards", NULL},
    {"quiet", 'q', OPT_FLAG, OPTG_GLOBAL, OFF(quiet), NULL, "print nothing but errors", NULL},
    {"verbose", 'v', OPT_FLAG, OPTG_GLOBAL, OFF(verbose), NULL, "print more detail", NULL},
    {"no-color", 0, OPT_FLAG, OPTG_GLOBAL, OFF(no_color), NULL, "no colours in terminal output (also NO_COLOR)", NULL},
    {"help", 'h', OPT_HELP, OPTG_GLOBAL, 0, NULL, "show help for the command", NULL},
    {"version", 0, OPT_VERSION, OPTG_GLOBAL, 0, NULL, "print the version", NULL},
    /* inputs */
    {"input", 'i', OPT_INPUT, OPTG_INPUT, 0, "PATH", "input file, repeatable (merged); \"-\" = stdin", NULL},
    {"format", 'f', OPT_STRING, OPTG_INPUT, OFF(format), "NAME",
     "input format: folded perf cpuprofile heapprofile pprof bpftrace speedscope dtrace austin jsc svg", "auto-detect"},
    {"strict", 0, OPT_FLAG, OPTG_INPUT, OFF(strict), NULL, "treat a malformed line as an error instead of skipping it", NULL},
    /* SVG (flamegraph.pl names and defaults) */
    {"title", 0, OPT_STRING, OPTG_SVG, OFF(title), "TEXT", "title", "Flame Graph"},
    {"subtitle", 0, OPT_STRING, OPTG_SVG, OFF(subtitle), "TEXT", "second-level title", NULL},
    {"width", 0, OPT_DOUBLE, OPTG_SVG, OFF(width), "PX", "width of the image", "1200"},
    {"height", 0, OPT_DOUBLE, OPTG_SVG, OFF(height), "PX", "height of each frame", "16"},
    {"minwidth", 0, OPT_STRING, OPTG_SVG, OFF(minwidth), "PX|N%", "omit frames narrower than this at full width (zoom reveals them)", "0.1"},
    {"fonttype", 0, OPT_STRING, OPTG_SVG, OFF(fonttype), "FONT", "font family", "Verdana"},
    {"fontsize", 0, OPT_DOUBLE, OPTG_SVG, OFF(fontsize), "PT", "font size", "12"},
    {"fontwidth", 0, OPT_DOUBLE, OPTG_SVG, OFF(fontwidth), "EM", "average glyph width", "0.59"},
    {"countname", 0, OPT_STRING, OPTG_SVG, OFF(countname), "UNIT", "count type label", "from the input, else samples"},
    {"nametype", 0, OPT_STRING, OPTG_SVG, OFF(nametype), "TEXT", "name type label", "Function:"},
    {"colors", 0, OPT_STRING, OPTG_SVG, OFF(colors), "PALETTE",
     "hot mem io wakeup java js perl python rust red green blue aqua yellow purple orange", "hot"},
    {"bgcolors", 0, OPT_STRING, OPTG_SVG, OFF(bgcolors), "COLOR", "background: yellow blue green grey or #rrggbb", "yellow"},
    {"hash", 0, OPT_FLAG, OPTG_SVG, OFF(hash), NULL, "colours by function-name hash (always on; kept for compatibility)", NULL},
    {"cp", 0, OPT_FLAG, OPTG_SVG, OFF(cp), NULL, "consistent palette (colours are always a function of the name)", NULL},
    {"reverse", 0, OPT_FLAG, OPTG_SVG | OPTG_FILTER, OFF(reverse), NULL, "reverse stacks (callers view)", NULL},
    {"inverted", 0, OPT_FLAG, OPTG_SVG, OFF(inverted), NULL, "icicle graph (grows downwards)", NULL},
    {"flamechart", 0, OPT_FLAG, OPTG_SVG, OFF(flamechart), NULL, "keep input order instead of sorting frames", NULL},
    {"negate", 0, OPT_FLAG, OPTG_SVG, OFF(negate), NULL, "swap red/blue in differential graphs", NULL},
    {"factor", 0, OPT_DOUBLE, OPTG_SVG, OFF(factor), "X", "multiply counts by X for display", "1"},
    {"notes", 0, OPT_STRING, OPTG_SVG, OFF(notes), "TEXT", "notes embedded in the SVG", NULL},
    {"total", 0, OPT_DOUBLE, OPTG_SVG, OFF(total), "N", "use N as the 100% total instead of the sum", NULL},
    {"search-color", 0, OPT_STRING, OPTG_SVG, OFF(search_color), "COLOR", "highlight colour of search matches", "rgb(230,0,230)"},
    {"truncate", 0, OPT_STRING, OPTG_SVG, OFF(truncate), "left|right", "which end of long labels is cut", "right"},
    {"sort", 0, OPT_STRING, OPTG_SVG, OFF(sort), "alpha|weight", "frame order: alphabetical or widest first", "alpha"},
    /* filters and views */
    {"focus", 0, OPT_STRING, OPTG_FILTER, OFF(focus), "RE", "keep only stacks with a frame matching RE", NULL},
    {"ignore", 0, OPT_STRING, OPTG_FILTER, OFF(ignore), "RE", "drop stacks with a frame matching RE", NULL},
    {"hide", 0, OPT_STRING, OPTG_FILTER, OFF(hide), "RE", "remove frames matching RE, keep their callees", NULL},
    {"skip-after", 0, OPT_STRING, OPTG_FILTER, OFF(skip_after), "FUNC", "drop the frames above FUNC (it becomes the root)", NULL},
    {"base", 0, OPT_STRING, OPTG_FILTER, OFF(skip_after), "FUNC", "same as --skip-after", NULL},
    {"collapse-recursion", 0, OPT_FLAG, OPTG_FILTER, OFF(collapse_recursion), NULL, "merge directly recursive frames into one", NULL},
    {"group-by", 0, OPT_STRING, OPTG_FILTER, OFF(group_by), "process|thread|none", "root frames per process or thread, or none", "as the input has them"},
    /* perf script input */
    {"pid", 0, OPT_FLAG, OPTG_PERF, OFF(perf_pid), NULL, "perf input: process name + pid as the root frame", NULL},
    {"tid", 0, OPT_FLAG, OPTG_PERF, OFF(perf_tid), NULL, "perf input: process name + pid/tid as the root frame", NULL},
    {"kernel", 0, OPT_FLAG, OPTG_PERF, OFF(perf_kernel), NULL, "perf input: annotate kernel frames with _[k]", NULL},
    {"jit", 0, OPT_FLAG, OPTG_PERF, OFF(perf_jit), NULL, "perf input: annotate JIT frames with _[j]", NULL},
    {"all", 0, OPT_FLAG, OPTG_PERF, OFF(perf_all), NULL, "perf input: --kernel and --jit", NULL},
    {"addrs", 0, OPT_FLAG, OPTG_PERF, OFF(perf_addrs), NULL, "perf input: show addresses of unknown frames", NULL},
    {"event-filter", 0, OPT_STRING, OPTG_PERF, OFF(event_filter), "EVENT", "perf input: only this event", "the first event seen"},
    {"count", 0, OPT_STRING, OPTG_PERF, OFF(count_mode), "period|samples", "perf input: weight by period or count samples", "period"},
    {"offcpu", 0, OPT_FLAG, OPTG_PERF, OFF(offcpu), NULL, "perf input: sched_switch capture -> blocked time per stack (µs)", NULL},
    {"threads", 0, OPT_DOUBLE, OPTG_PERF, OFF(threads), "N", "parse large perf inputs with N threads (1 or 2)", "1"},
    /* pprof / V8 input */
    {"sample-type", 0, OPT_STRING, OPTG_PARSE, OFF(sample_type), "NAME|INDEX", "pprof: which sample type to graph", "default_sample_type, else the last"},
    {"frame-names", 0, OPT_STRING, OPTG_PARSE, OFF(frame_names), "function|line", "pprof/V8: frame names, or 'name (file:line)'", "function"},
    {"group-by-label", 0, OPT_STRING, OPTG_PARSE, OFF(group_by_label), "KEY", "pprof: add label KEY (e.g. a goroutine label) as a root frame", NULL},
    {"drop-idle", 0, OPT_FLAG, OPTG_PARSE, OFF(drop_idle), NULL, "V8: leave out (idle) samples", NULL},
    {"time-weighted", 0, OPT_FLAG, OPTG_PARSE, OFF(time_weighted), NULL, "V8: weight samples by their time (µs) instead of counting them", NULL},
    /* diff */
    {"before", 0, OPT_STRING, OPTG_DIFF, OFF(before), "PATH", "the baseline profile (any format, SVGs included)", NULL},
    {"after", 0, OPT_STRING, OPTG_DIFF, OFF(after), "PATH", "the changed profile", NULL},
    {"normalize", 'n', OPT_FLAG, OPTG_DIFF, OFF(normalize), NULL, "scale the before profile to the after's total (difffolded -n)", NULL},
    {"strip-hex", 's', OPT_FLAG, OPTG_DIFF, OFF(strip_hex), NULL, "strip hex addresses from frame names (difffolded -s)", NULL},
    {"width-from", 0, OPT_STRING, OPTG_DIFF, OFF(width_from), "before|after|max", "which profile sets frame widths", "after"},
    {"fail-on-regression", 0, OPT_DOUBLE, OPTG_DIFF, OFF(fail_on_regression), "PCT", "exit 6 when a frame's share grew by more than PCT points", NULL},
    /* hotcold */
    {"on", 0, OPT_STRING, OPTG_HOTCOLD, OFF(on_cpu), "PATH", "on-CPU profile", NULL},
    {"off", 0, OPT_STRING, OPTG_HOTCOLD, OFF(off_cpu), "PATH", "off-CPU profile (same time unit)", NULL},
    /* top */
    {"top", 'N', OPT_DOUBLE, OPTG_TOP, OFF(top_n), "N", "how many frames", "20"},
    {"by", 0, OPT_STRING, OPTG_TOP, OFF(top_by), "self|total", "rank by self or total weight", "self"},
    {"json", 0, OPT_FLAG, OPTG_TOP | OPTG_EXPLAIN, OFF(json), NULL, "machine-readable JSON output", NULL},
    /* explain */
    {"api-url", 0, OPT_STRING, OPTG_EXPLAIN, OFF(api_url), "URL", "AI endpoint base URL", "http://localhost:5000"},
    {"api-path", 0, OPT_STRING, OPTG_EXPLAIN, OFF(api_path), "PATH", "AI endpoint path", "/api/explain"},
    {"auth", 0, OPT_STRING, OPTG_EXPLAIN, OFF(auth_mode), "bearer|x-api-key", "how credentials are sent", "bearer with --token, else x-api-key"},
    {"offline", 0, OPT_FLAG, OPTG_EXPLAIN, OFF(offline), NULL, "no network: a local heuristic reading", NULL},
    {"timeout", 0, OPT_DOUBLE, OPTG_EXPLAIN, OFF(timeout), "SECONDS", "HTTP timeout", "30"},
    {"token", 0, OPT_STRING, OPTG_AUTH, OFF(token), "JWT", "bearer token (never printed)", "$RESQ_TOKEN"},
    {"api-key", 0, OPT_STRING, OPTG_AUTH, OFF(api_key), "KEY", "API key (never printed)", "$RESQ_API_KEY"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const cli_command commands[] = {
    {"file", "General", "render any supported profile (or several, merged) as a flame graph",
     "resq-flame file --input PATH [--input PATH ...] [-o OUT] [SVG options]",
     "resq-flame file --input stacks.folded -o flamegraph.svg --title \"My service\"",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_SVG | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_file},
    {"collapse", "General", "convert any supported profile to folded stacks on stdout",
     "resq-flame collapse [--format F] PATH... (\"-\" = stdin)",
     "perf script | resq-flame collapse - > out.folded",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_collapse},
    {"diff", "Analysis", "differential flame graph (red grew, blue shrank) of any two profiles, SVGs included",
     "resq-flame diff --before A --after B [-n] [-s] [--width-from before|after] [--to folded] [-o OUT]",
     "resq-flame diff --before <(cat before.svg) --after <(cat after.svg) --fail-on-regression 5 -o diff.svg",
     OPTG_GLOBAL | OPTG_DIFF | OPTG_SVG | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_diff},
    {"hotcold", "Analysis", "on-CPU (warm) and off-CPU (cool) time of one process in one graph",
     "resq-flame hotcold --on ONCPU --off OFFCPU [-o OUT] [SVG options]",
     "resq-flame hotcold --on oncpu.perf.txt --off offcpu.perf.txt -o hotcold.svg",
     OPTG_GLOBAL | OPTG_HOTCOLD | OPTG_SVG | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_hotcold},
    {"top", "Analysis", "table of the hottest functions by self or total time (or JSON)",
     "resq-flame top --input PATH [-N 20] [--by self|total] [--json]",
     "resq-flame top --input flamegraph.svg -N 10 --by total",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_TOP | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_top},
    {"explain", "Analysis", "plain-English reading of a profile from the AI endpoint (or a local one with --offline)",
     "resq-flame explain --input PATH [--api-url URL] [--api-path PATH] [--offline]",
     "RESQ_TOKEN=... resq-flame explain --input flamegraph.svg --api-url http://localhost:5000",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_EXPLAIN | OPTG_AUTH | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_explain},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const cli_command *cli_find_command(const char *name) {
    size_t i;
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

/* A name may mean different things for different commands (collapse --pid is
   stackcollapse-perf's flag): prefer the entry that applies to the command. */
static const cli_option *find_long(const char *name, size_t len, const cli_command *cmd) {
    size_t i;
    const cli_option *first = NULL;
    for (i = 0; i < NOPTIONS; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0) {
            if (!cmd || (options[i].group & cmd->mask)) return &options[i];
            if (!first) first = &options[i];
        }
    return first;
}
static const cli_option *find_short(char c, const cli_command *cmd) {
    size_t i;
    const cli_option *first = NULL;
    for (i = 0; i < NOPTIONS; i++)
        if (options[i].short_name == c) {
            if (!cmd || (options[i].group & cmd->mask)) return &options[i];
            if (!first) first = &options[i];
        }
    return first;
}

static void print_options(FILE *f, unsigned mask) {
    size_t i;
    for (i = 0; i < NOPTIONS; i++) {
        const cli_option *o = &options[i];
        char left[64];
        if (!(o->group & mask)) continue;
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fprintf(f, "  %-30s %s", left, o->help);
        if (o->default_text) fprintf(f, " [default: %s]", o->default_text);
        fputc('\n', f);
    }
}

void cli_print_help(FILE *f, const cli_command *cmd) {
    size_t i;
    if (cmd) {
        fprintf(f, "resq-flame %s: %s\n\nUsage: %s\n\nOptions:\n", cmd->name, cmd->summary, cmd->usage);
        print_options(f, cmd->mask & ~(unsigned)OPTG_GLOBAL);
        fprintf(f, "\nGlobal options:\n");
        print_options(f, OPTG_GLOBAL);
        fprintf(f, "\nExample:\n  %s\n", cmd->example);
        return;
    }
    fprintf(f, "resq-flame %s - profiler output to interactive SVG flame graphs\n\n"
               "Usage: resq-flame [GLOBAL OPTIONS] <command> [OPTIONS]\n\nCommands:\n",
            RF_VERSION_STRING);
    for (i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nGlobal options (before or after the command):\n");
    print_options(f, OPTG_GLOBAL);
    fprintf(f, "\nRun 'resq-flame <command> --help' for a command's options.\n"
               "Exit codes: 0 ok, 1 usage, 2 bad input, 3 tool missing, 4 network/auth, 5 target not found, 130 interrupted.\n");
}

static int set_value(cli_config *cfg, const cli_option *o, const char *value, const char *shown) {
    char *end;
    void *field = (char *)cfg + o->offset;
    switch (o->kind) {
    case OPT_STRING:
        *(const char **)field = value;
        return 0;
    case OPT_DOUBLE:
        errno = 0;
        *(double *)field = strtod(value, &end);
        if (errno || end == value || *end || *(double *)field < 0) {
            cli_error("--%s: expected a non-negative number, got '%s'", shown, value);
            return EXIT_USAGE;
        }
        return 0;
    case OPT_INPUT:
        if (cfg->ninputs == CLI_MAX_INPUTS) {
            cli_error("too many inputs (at most %d)", CLI_MAX_INPUTS);
            return EXIT_USAGE;
        }
        cfg->inputs[cfg->ninputs++] = value;
        return 0;
    default:
        return 0;
    }
}

/* Returns -1 to go on, else an exit code (0 after --help/--version). Global
   options may stand before or after the command. */
int cli_parse_args(int argc, char **argv, cli_config *cfg, const cli_command **cmd) {
    int i, only_positional = 0;
    *cmd = NULL;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *value = NULL;
        const cli_option *o = NULL;
        char shown[64];
        if (only_positional || a[0] != '-' || a[1] == '\0') {
            if (!*cmd) {
                *cmd = cli_find_command(a);
                if (!*cmd) {
                    cli_error("unknown command '%s'; run 'resq-flame --help' for the list", a);
                    return EXIT_USAGE;
                }
                cfg->command = (*cmd)->name;
                continue;
            }
            if (!((*cmd)->mask & OPTG_INPUT)) {
                cli_error("%s: unexpected argument '%s'", (*cmd)->name, a);
                return EXIT_USAGE;
            }
            if (cfg->ninputs == CLI_MAX_INPUTS) {
                cli_error("too many inputs (at most %d)", CLI_MAX_INPUTS);
                return EXIT_USAGE;
            }
            cfg->inputs[cfg->ninputs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) { only_positional = 1; continue; }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            o = find_long(a + 2, len, *cmd);
            if (eq) value = eq + 1;
            snprintf(shown, sizeof shown, "%.*s", (int)len, a + 2);
        } else {
            if (a[2] != '\0') value = a + 2; /* -ofile */
            o = find_short(a[1], *cmd);
            snprintf(shown, sizeof shown, "%c", a[1]);
        }
        if (!o) {
            cli_error("unknown option '%s'; run 'resq-flame %s--help'", a, *cmd ? (*cmd)->name : "");
            if (*cmd) fputc('\n', stderr);
            return EXIT_USAGE;
        }
        if (o->kind == OPT_HELP) { cli_print_help(stdout, *cmd); return EXIT_OK; }
        if (o->kind == OPT_VERSION) { printf("resq-flame %s\n", RF_VERSION_STRING); return EXIT_OK; }
        if (*cmd && !(o->group & (*cmd)->mask)) {
            cli_error("option --%s does not apply to '%s'; see 'resq-flame %s --help'", o->name, (*cmd)->name,
                      (*cmd)->name);
            return EXIT_USAGE;
        }
        if (o->kind == OPT_FLAG) {
            if (value) { cli_error("--%s takes no value", o->name); return EXIT_USAGE; }
            *(int *)((char *)cfg + o->offset) = 1;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) { cli_error("--%s needs a value (%s)", o->name, o->metavar); return EXIT_USAGE; }
            value = argv[++i];
        }
        {
            int rc = set_value(cfg, o, value, o->name);
            if (rc) return rc;
        }
    }
    return -1;
}
