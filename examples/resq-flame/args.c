/* The one option table and the one command table: parsing, --help, the manual page and the
   shell completions all come from them. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define OFF(field) offsetof(cli_config, field)

/* Option groups the live (profiling) commands share. */
#define OPTG_RENDER (OPTG_GLOBAL | OPTG_SVG | OPTG_FILTER)

static const cli_option options[] = {
    /* global */
    {"output", 'o', OPT_STRING, OPTG_GLOBAL, OFF(output), "PATH", "output file (\"-\" = stdout)", "flamegraph.svg", NULL},
    {"to", 0, OPT_CHOICE, OPTG_GLOBAL, OFF(to), "FORMAT", "output format: svg or folded", "from -o's extension, else svg", "svg|folded"},
    {"open", 0, OPT_FLAG, OPTG_GLOBAL, OFF(open_browser), NULL, "open the SVG in the default browser afterwards", NULL, NULL},
    {"quiet", 'q', OPT_FLAG, OPTG_GLOBAL, OFF(quiet), NULL, "print nothing but errors", NULL, NULL},
    {"verbose", 'v', OPT_FLAG, OPTG_GLOBAL, OFF(verbose), NULL, "print more detail", NULL, NULL},
    {"no-color", 0, OPT_FLAG, OPTG_GLOBAL, OFF(no_color), NULL, "no colours in terminal output (also NO_COLOR)", NULL, NULL},
    {"help", 'h', OPT_HELP, OPTG_GLOBAL, 0, NULL, "show help for the command", NULL, NULL},
    {"version", 0, OPT_VERSION, OPTG_GLOBAL, 0, NULL, "print the version", NULL, NULL},
    /* live targets */
    {"url", 'u', OPT_URL, OPTG_URL, OFF(url), "URL", "service base URL", NULL, "http|https"},
    {"token", 0, OPT_STRING, OPTG_AUTH, OFF(token), "JWT", "bearer token (never printed)", "$RESQ_TOKEN", NULL},
    {"api-key", 0, OPT_STRING, OPTG_AUTH, OFF(api_key), "KEY", "API key (never printed)", "$RESQ_API_KEY", NULL},
    {"pid", 0, OPT_PID, OPTG_PID, OFF(pid), "PID", "the process to profile", NULL, NULL},
    {"duration", 'd', OPT_DURATION, OPTG_LIVE, OFF(duration), "D",
     "how long to sample: 30s, 500ms, 2m, 1h; a bare number is seconds, from 1000 up milliseconds", NULL, NULL},
    {"force", 0, OPT_FLAG, OPTG_LIVE, OFF(force), NULL, "allow a --duration above the maximum of 10 min", NULL, NULL},
    {"save-raw", 0, OPT_STRING, OPTG_LIVE, OFF(save_raw), "PATH", "also keep the raw collected profile at PATH", NULL, NULL},
    {"cmd", 0, OPT_STRING, OPTG_CMD, OFF(cmd), "\"CMD ARGS\"", "run this command and profile it (or: -- CMD ARGS)", NULL, NULL},
    {"freq", 'F', OPT_COUNT, OPTG_PERFREC, OFF(freq), "HZ", "perf sampling frequency, 1 to 100000 per second", "99", "1..100000"},
    {"call-graph", 0, OPT_CHOICE, OPTG_PERFREC, OFF(call_graph), "fp|dwarf", "perf stack unwinding: frame pointers or DWARF", "fp", "fp|dwarf"},
    {"inspect", 0, OPT_URL, OPTG_INSPECT, OFF(inspect), "URL", "inspector to attach to: ws://HOST:PORT/ID or http://127.0.0.1:9229", NULL, "http|https|ws"},
    {"lang", 0, OPT_CHOICE, OPTG_LANG, OFF(lang), "LANG", "runtime of the target: rust go node python", NULL, "rust|go|node|python"},
    /* inputs */
    {"input", 'i', OPT_INPUT, OPTG_INPUT, 0, "PATH", "input file, repeatable (merged); \"-\" = stdin", NULL, NULL},
    {"format", 'f', OPT_STRING, OPTG_INPUT, OFF(format), "NAME",
     "input format: folded perf cpuprofile heapprofile pprof bpftrace speedscope dtrace austin jsc svg", "auto-detect", NULL},
    {"strict", 0, OPT_FLAG, OPTG_INPUT, OFF(strict), NULL, "treat a malformed line as an error instead of skipping it", NULL, NULL},
    /* SVG (flamegraph.pl names and defaults; values checked by rf_svg_check_options) */
    {"title", 0, OPT_STRING, OPTG_SVG, OFF(title), "TEXT", "title", "Flame Graph", NULL},
    {"subtitle", 0, OPT_STRING, OPTG_SVG, OFF(subtitle), "TEXT", "second-level title", NULL, NULL},
    {"width", 0, OPT_DOUBLE, OPTG_SVG, OFF(width), "PX", "width of the image", "1200", NULL},
    {"height", 0, OPT_DOUBLE, OPTG_SVG, OFF(height), "PX", "height of each frame", "16", NULL},
    {"minwidth", 0, OPT_STRING, OPTG_SVG, OFF(minwidth), "PX|N%", "omit frames narrower than this at full width (zoom reveals them)", "0.1", NULL},
    {"fonttype", 0, OPT_STRING, OPTG_SVG, OFF(fonttype), "FONT", "font family", "Verdana", NULL},
    {"fontsize", 0, OPT_DOUBLE, OPTG_SVG, OFF(fontsize), "PT", "font size", "12", NULL},
    {"fontwidth", 0, OPT_DOUBLE, OPTG_SVG, OFF(fontwidth), "EM", "average glyph width", "0.59", NULL},
    {"countname", 0, OPT_STRING, OPTG_SVG, OFF(countname), "UNIT", "count type label", "from the input, else samples", NULL},
    {"nametype", 0, OPT_STRING, OPTG_SVG, OFF(nametype), "TEXT", "name type label", "Function:", NULL},
    {"colors", 0, OPT_STRING, OPTG_SVG, OFF(colors), "PALETTE",
     "hot mem io wakeup java js perl python rust red green blue aqua yellow purple orange", "hot", NULL},
    {"bgcolors", 0, OPT_STRING, OPTG_SVG, OFF(bgcolors), "COLOR", "background: yellow blue green grey or #rrggbb", "yellow", NULL},
    {"hash", 0, OPT_FLAG, OPTG_SVG, OFF(hash), NULL, "colours by function-name hash (always on; kept for compatibility)", NULL, NULL},
    {"cp", 0, OPT_FLAG, OPTG_SVG, OFF(cp), NULL, "consistent palette (colours are always a function of the name)", NULL, NULL},
    {"reverse", 0, OPT_FLAG, OPTG_SVG | OPTG_FILTER, OFF(reverse), NULL, "reverse stacks (callers view)", NULL, NULL},
    {"inverted", 0, OPT_FLAG, OPTG_SVG, OFF(inverted), NULL, "icicle graph (grows downwards)", NULL, NULL},
    {"flamechart", 0, OPT_FLAG, OPTG_SVG, OFF(flamechart), NULL, "keep input order instead of sorting frames", NULL, NULL},
    {"negate", 0, OPT_FLAG, OPTG_SVG, OFF(negate), NULL, "swap red/blue in differential graphs", NULL, NULL},
    {"factor", 0, OPT_DOUBLE, OPTG_SVG, OFF(factor), "X", "multiply counts by X for display", "1", NULL},
    {"notes", 0, OPT_STRING, OPTG_SVG, OFF(notes), "TEXT", "notes embedded in the SVG", NULL, NULL},
    {"total", 0, OPT_DOUBLE, OPTG_SVG, OFF(total), "N", "use N as the 100% total instead of the sum", NULL, NULL},
    {"search-color", 0, OPT_STRING, OPTG_SVG, OFF(search_color), "COLOR", "highlight colour of search matches", "rgb(230,0,230)", NULL},
    {"truncate", 0, OPT_STRING, OPTG_SVG, OFF(truncate), "left|right", "which end of long labels is cut", "right", NULL},
    {"sort", 0, OPT_STRING, OPTG_SVG, OFF(sort), "alpha|weight", "frame order: alphabetical or widest first", "alpha", NULL},
    /* filters and views */
    {"focus", 0, OPT_STRING, OPTG_FILTER, OFF(focus), "RE", "keep only stacks with a frame matching RE", NULL, NULL},
    {"ignore", 0, OPT_STRING, OPTG_FILTER, OFF(ignore), "RE", "drop stacks with a frame matching RE", NULL, NULL},
    {"hide", 0, OPT_STRING, OPTG_FILTER, OFF(hide), "RE", "remove frames matching RE, keep their callees", NULL, NULL},
    {"skip-after", 0, OPT_STRING, OPTG_FILTER, OFF(skip_after), "FUNC", "drop the frames above FUNC (it becomes the root)", NULL, NULL},
    {"base", 0, OPT_STRING, OPTG_FILTER, OFF(skip_after), "FUNC", "same as --skip-after", NULL, NULL},
    {"collapse-recursion", 0, OPT_FLAG, OPTG_FILTER, OFF(collapse_recursion), NULL, "merge directly recursive frames into one", NULL, NULL},
    {"group-by", 0, OPT_STRING, OPTG_FILTER, OFF(group_by), "process|thread|none|label:KEY", "root frames per process or thread, or none; label:KEY = --group-by-label KEY", "as the input has them", NULL},
    /* perf script input (collapse/file --pid is stackcollapse-perf's flag, not a process) */
    {"pid", 0, OPT_FLAG, OPTG_PERF, OFF(perf_pid), NULL, "perf input: process name + pid as the root frame", NULL, NULL},
    {"tid", 0, OPT_FLAG, OPTG_PERF, OFF(perf_tid), NULL, "perf input: process name + pid/tid as the root frame", NULL, NULL},
    {"kernel", 0, OPT_FLAG, OPTG_PERF, OFF(perf_kernel), NULL, "perf input: annotate kernel frames with _[k]", NULL, NULL},
    {"jit", 0, OPT_FLAG, OPTG_PERF, OFF(perf_jit), NULL, "perf input: annotate JIT frames with _[j]", NULL, NULL},
    {"all", 0, OPT_FLAG, OPTG_PERF, OFF(perf_all), NULL, "perf input: --kernel and --jit", NULL, NULL},
    {"addrs", 0, OPT_FLAG, OPTG_PERF, OFF(perf_addrs), NULL, "perf input: show addresses of unknown frames", NULL, NULL},
    {"event-filter", 0, OPT_STRING, OPTG_PERF, OFF(event_filter), "EVENT", "perf input: only this event", "the first event seen", NULL},
    {"count", 0, OPT_CHOICE, OPTG_PERF, OFF(count_mode), "period|samples", "perf input: weight by period or count samples", "period", "period|samples"},
    {"offcpu", 0, OPT_FLAG, OPTG_PERF, OFF(offcpu), NULL, "perf input: sched_switch capture -> blocked time per stack (µs)", NULL, NULL},
    {"threads", 0, OPT_DOUBLE, OPTG_PERF, OFF(threads), "N", "parse large perf inputs with N threads (1 or 2)", "1", NULL},
    /* pprof / V8 input */
    {"sample-type", 0, OPT_STRING, OPTG_PARSE, OFF(sample_type), "NAME|INDEX", "pprof: which sample type to graph", "default_sample_type, else the last", NULL},
    {"frame-names", 0, OPT_CHOICE, OPTG_PARSE, OFF(frame_names), "function|line", "pprof/V8: frame names, or 'name (file:line)'", "function", "function|line"},
    {"group-by-label", 0, OPT_STRING, OPTG_PARSE, OFF(group_by_label), "KEY", "pprof: add label KEY (e.g. a goroutine label) as a root frame", NULL, NULL},
    {"drop-idle", 0, OPT_FLAG, OPTG_PARSE, OFF(drop_idle), NULL, "V8: leave out (idle) samples", NULL, NULL},
    {"time-weighted", 0, OPT_FLAG, OPTG_PARSE, OFF(time_weighted), NULL, "V8: weight samples by their time (µs) instead of counting them", NULL, NULL},
    /* diff */
    {"before", 0, OPT_STRING, OPTG_DIFF, OFF(before), "PATH", "the baseline profile (any format, SVGs included)", NULL, NULL},
    {"after", 0, OPT_STRING, OPTG_DIFF, OFF(after), "PATH", "the changed profile", NULL, NULL},
    {"normalize", 'n', OPT_FLAG, OPTG_DIFF, OFF(normalize), NULL, "scale the before profile to the after's total (difffolded -n)", NULL, NULL},
    {"strip-hex", 's', OPT_FLAG, OPTG_DIFF, OFF(strip_hex), NULL, "strip hex addresses from frame names (difffolded -s)", NULL, NULL},
    {"width-from", 0, OPT_CHOICE, OPTG_DIFF, OFF(width_from), "before|after|max", "which profile sets frame widths", "after", "before|after|max"},
    {"fail-on-regression", 0, OPT_DOUBLE, OPTG_DIFF, OFF(fail_on_regression), "PCT", "exit 6 when a frame's share grew by more than PCT points", NULL, NULL},
    /* hotcold */
    {"on", 0, OPT_STRING, OPTG_HOTCOLD, OFF(on_cpu), "PATH", "on-CPU profile", NULL, NULL},
    {"off", 0, OPT_STRING, OPTG_HOTCOLD, OFF(off_cpu), "PATH", "off-CPU profile (same time unit)", NULL, NULL},
    /* top */
    {"top", 'N', OPT_COUNT, OPTG_TOP, OFF(top_n), "N", "how many frames", "20", "1..1000000"},
    {"by", 0, OPT_CHOICE, OPTG_TOP, OFF(top_by), "self|total", "rank by self or total weight", "self", "self|total"},
    {"json", 0, OPT_FLAG, OPTG_TOP | OPTG_EXPLAIN, OFF(json), NULL, "machine-readable JSON output", NULL, NULL},
    /* explain */
    {"api-url", 0, OPT_URL, OPTG_EXPLAIN, OFF(api_url), "URL", "AI endpoint base URL", "http://localhost:5000", "http|https"},
    {"api-path", 0, OPT_STRING, OPTG_EXPLAIN, OFF(api_path), "PATH", "AI endpoint path", "/api/explain", NULL},
    {"auth", 0, OPT_CHOICE, OPTG_EXPLAIN, OFF(auth_mode), "bearer|x-api-key", "how credentials are sent", "bearer with --token, else x-api-key", "bearer|x-api-key"},
    {"offline", 0, OPT_FLAG, OPTG_EXPLAIN, OFF(offline), NULL, "no network: a local heuristic reading", NULL, NULL},
    {"timeout", 0, OPT_DOUBLE, OPTG_EXPLAIN, OFF(timeout), "SECONDS", "HTTP timeout", "30", NULL},
    /* help */
    {"roff", 0, OPT_FLAG, OPTG_HELP, OFF(help_roff), NULL, "print the manual page (roff) instead", NULL, NULL},
};
#define NOPTIONS (sizeof options / sizeof options[0])

const char *const cli_command_groups[] = {"Service profilers", "General profilers", "Analysis", "Other", NULL};

#define HCE_OVERHEAD                                                                                                   \
    "The service's own V8 sampler runs at a 100 us interval for the duration (a few % of one core). "                  \
    "The HTTP route needs the /admin/cpu-profile endpoint. --pid sends SIGUSR1 to a Node process, which opens its "    \
    "inspector on 127.0.0.1:9229 (any local user can then run code in it) until resq-flame closes it again."
#define PYSPY_OVERHEAD                                                                                                 \
    "py-spy reads the interpreter's memory from outside at 100 Hz without pausing it (austin when py-spy is missing); " \
    "attaching needs the same user or CAP_SYS_PTRACE (often sudo). The target is detached on every exit path."
#define PERF_OVERHEAD                                                                                                  \
    "perf samples at -F Hz with frame-pointer stacks: about 1% CPU at 99 Hz. --call-graph dwarf copies 8 KiB of "     \
    "stack per sample: far more overhead and data. Needs perf_event_paranoid <= 1 (or CAP_PERFMON) for a --pid of "   \
    "another user."

static const cli_command commands[] = {
    /* Service profilers */
    {"hce", "Service profilers", "V8 CPU profile of the Coordination HCE service (Node.js/Bun), over HTTP or the inspector",
     "resq-flame hce [--url URL] [--duration D] [--token JWT | --api-key KEY] [--pid PID | --inspect URL] [-o OUT]",
     "resq-flame hce --url http://staging:5000 --duration 10s --output hce-profile.svg\n"
     "resq-flame --open hce --duration 3000",
     OPTG_RENDER | OPTG_AUTH | OPTG_LIVE | OPTG_URL | OPTG_PID | OPTG_INSPECT, cmd_hce, CLI_CMD_LIVE,
     "http://localhost:5000", 5000, "ResQ HCE \xE2\x80\x94 CPU Flame Graph", HCE_OVERHEAD},
    {"api", "Service profilers", "pprof CPU profile of the Infrastructure API (Rust, pprof-rs) from /admin/profile",
     "resq-flame api [--url URL] [--duration D] [--api-key KEY] [-o OUT]",
     "resq-flame api --url http://localhost:8080 --duration 30 --output api.svg",
     OPTG_RENDER | OPTG_PARSE | OPTG_AUTH | OPTG_LIVE | OPTG_URL, cmd_api, CLI_CMD_LIVE, "http://localhost:8080", 30000,
     "ResQ API \xE2\x80\x94 CPU Flame Graph",
     "pprof-rs samples the service with SIGPROF at about 100 Hz for the duration of the request: around 1% CPU."},
    {"pdie", "Service profilers", "py-spy on the Intelligence PDIE process (--pid, else the one listening on --url's port)",
     "resq-flame pdie [--url URL | --pid PID] [--duration D] [-o OUT]",
     "resq-flame pdie --url http://localhost:8000 --duration 30 --output pdie.svg",
     OPTG_RENDER | OPTG_LIVE | OPTG_URL | OPTG_PID, cmd_pdie, CLI_CMD_LIVE, "http://localhost:8000", 30000,
     "ResQ PDIE \xE2\x80\x94 CPU Flame Graph", PYSPY_OVERHEAD},
    /* General profilers */
    {"python", "General profilers", "py-spy (or austin) on any Python process",
     "resq-flame python --pid PID [--duration D] [-o OUT]",
     "resq-flame python --pid 12345 --duration 30 --output python.svg",
     OPTG_RENDER | OPTG_LIVE | OPTG_PID, cmd_python, CLI_CMD_LIVE, NULL, 30000, "Python CPU Flame Graph", PYSPY_OVERHEAD},
    {"perf", "General profilers", "Linux perf record -g on a process or a command, perf script streamed into the parser",
     "resq-flame perf (--pid PID | --cmd \"CMD\" | -- CMD ARGS) [--duration D] [-F HZ] [--call-graph fp|dwarf] [-o OUT]",
     "resq-flame perf --pid 12345 --duration 30 --output perf.svg\n"
     "resq-flame perf --output bench.svg -- cargo bench",
     OPTG_RENDER | OPTG_LIVE | OPTG_PID | OPTG_CMD | OPTG_PERFREC, cmd_perf, CLI_CMD_LIVE, NULL, 30000, NULL, PERF_OVERHEAD},
    {"bun", "General profilers", "Bun CPU profile: --cmd runs it with bun --cpu-prof; --inspect uses Bun's inspector",
     "resq-flame bun (--cmd \"CMD\" | -- CMD ARGS | --inspect URL | --pid PID) [--duration D] [-o OUT]",
     "resq-flame bun --duration 20s --output bun.svg -- bun run server.ts",
     OPTG_RENDER | OPTG_PARSE | OPTG_LIVE | OPTG_PID | OPTG_CMD | OPTG_INSPECT, cmd_bun, CLI_CMD_LIVE, NULL, 30000,
     "Bun CPU Flame Graph",
     "Bun's JavaScriptCore sampler (about 1 ms interval) runs inside the process for the duration: a few % CPU."},
    {"dotnet", "General profilers", "dotnet-trace collect on a .NET process, converted to speedscope and parsed",
     "resq-flame dotnet --pid PID [--duration D] [-o OUT]",
     "resq-flame dotnet --pid $(pgrep -f ResQ.SimulationHarness) --duration 30 --output dotnet.svg",
     OPTG_RENDER | OPTG_LIVE | OPTG_PID, cmd_dotnet, CLI_CMD_LIVE, NULL, 30000, ".NET CPU Flame Graph",
     "EventPipe's cpu-sampling provider samples managed threads every ms: a few % CPU while it runs."},
    {"file", "General profilers", "render any supported profile (or several, merged) as a flame graph",
     "resq-flame file --input PATH [--input PATH ...] [-o OUT] [SVG options]",
     "resq-flame file --input stacks.folded -o flamegraph.svg --title \"My service\"",
     OPTG_RENDER | OPTG_INPUT | OPTG_PERF | OPTG_PARSE, cmd_file, 0, NULL, 0, NULL, NULL},
    {"collapse", "General profilers", "convert any supported profile to folded stacks on stdout",
     "resq-flame collapse [--format F] PATH... (\"-\" = stdin)", "perf script | resq-flame collapse - > out.folded",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_collapse, 0, NULL, 0, NULL, NULL},
    /* Analysis */
    {"offcpu", "Analysis", "off-CPU time by blocking stack (perf sched:sched_switch), weights in microseconds",
     "resq-flame offcpu --pid PID [--duration D] [--call-graph fp|dwarf] [-o OUT]",
     "resq-flame offcpu --pid 12345 --duration 30 --call-graph dwarf --output offcpu.svg",
     OPTG_RENDER | OPTG_LIVE | OPTG_PID | OPTG_PERFREC, cmd_offcpu, CLI_CMD_LIVE, NULL, 30000, "Off-CPU Time Flame Graph",
     "perf records every context switch of the machine (filtered to the pid): the cost grows with the switch rate. "
     "Tracepoints need root or perf_event_paranoid <= -1; user stacks through libc need --call-graph dwarf."},
    {"diff", "Analysis", "differential flame graph (red grew, blue shrank) of any two profiles, SVGs included",
     "resq-flame diff --before A --after B [-n] [-s] [--width-from before|after|max] [--to folded] [-o OUT]",
     "resq-flame diff --before before.svg --after after.svg --fail-on-regression 5 -o diff.svg",
     OPTG_RENDER | OPTG_DIFF | OPTG_PERF | OPTG_PARSE, cmd_diff, 0, NULL, 0, NULL, NULL},
    {"hotcold", "Analysis", "on-CPU (warm) and off-CPU (cool) time of one process in one graph",
     "resq-flame hotcold (--on ONCPU --off OFFCPU | --pid PID [--duration D]) [-o OUT]",
     "resq-flame hotcold --on oncpu.perf.txt --off offcpu.perf.txt -o hotcold.svg\n"
     "resq-flame hotcold --pid 12345 --duration 10s -o hotcold.svg",
     OPTG_RENDER | OPTG_HOTCOLD | OPTG_PARSE | OPTG_LIVE | OPTG_PID | OPTG_PERFREC, cmd_hotcold_any, CLI_CMD_LIVE, NULL,
     30000, "Hot/Cold Flame Graph",
     "With --pid: perf samples the process on-CPU and records its context switches, as perf and offcpu do."},
    {"memory", "Analysis", "allocation flame graph: pprof heap (rust, go), Node heap sampling, austin memory mode",
     "resq-flame memory --lang rust|go|node|python [--url URL | --pid PID | --inspect URL] [--duration D] [-o OUT]",
     "resq-flame memory --lang go --url http://localhost:8080 --output memory.svg\n"
     "resq-flame memory --lang python --pid 12345 --output memory.svg",
     OPTG_RENDER | OPTG_PARSE | OPTG_AUTH | OPTG_LIVE | OPTG_URL | OPTG_PID | OPTG_INSPECT | OPTG_LANG, cmd_memory,
     CLI_CMD_LIVE, "http://localhost:8080", 30000, "Memory Flame Graph",
     "heap profiles sample allocations (Go: one per 512 KiB; Node: per 32 KiB), cheap; austin's memory mode "
     "samples the Python process from outside like py-spy."},
    {"explain", "Analysis", "plain-English reading of a profile from the AI endpoint (or a local one with --offline)",
     "resq-flame explain --input PATH [--api-url URL] [--api-path PATH] [--offline]",
     "RESQ_TOKEN=... resq-flame explain --input flamegraph.svg --api-url http://localhost:5000",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_EXPLAIN | OPTG_AUTH | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_explain, 0, NULL, 0,
     NULL, NULL},
    {"top", "Analysis", "table of the hottest functions by self or total time (or JSON)",
     "resq-flame top --input PATH [-N 20] [--by self|total] [--json]", "resq-flame top --input flamegraph.svg -N 10 --by total",
     OPTG_GLOBAL | OPTG_INPUT | OPTG_TOP | OPTG_FILTER | OPTG_PERF | OPTG_PARSE, cmd_top, 0, NULL, 0, NULL, NULL},
    /* Other */
    {"help", "Other", "this overview, or a command's help (--roff: the manual page)", "resq-flame help [COMMAND] [--roff]",
     "resq-flame help perf", OPTG_GLOBAL | OPTG_HELP, cmd_help, CLI_CMD_WORDS, NULL, 0, NULL, NULL},
    {"completions", "Other", "shell completion script for bash, zsh or fish", "resq-flame completions bash|zsh|fish",
     "resq-flame completions bash > /etc/bash_completion.d/resq-flame", OPTG_GLOBAL, cmd_completions, CLI_CMD_WORDS, NULL,
     0, NULL, NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

const cli_command *cli_find_command(const char *name) {
    size_t i;
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}
size_t cli_command_count(void) { return NCOMMANDS; }
const cli_command *cli_command_at(size_t i) { return i < NCOMMANDS ? &commands[i] : NULL; }
size_t cli_option_count(void) { return NOPTIONS; }
const cli_option *cli_option_at(size_t i) { return i < NOPTIONS ? &options[i] : NULL; }

static int takes_value(const cli_option *o) {
    return o->kind != OPT_FLAG && o->kind != OPT_HELP && o->kind != OPT_VERSION;
}

/* A name may mean different things for different commands (collapse --pid is
   stackcollapse-perf's flag, perf --pid names a process): prefer the entry that applies. */
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

static int is_whole_number(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* Before parsing for real, find the command word, so that options written before it are read
   the way that command reads them. Skips option values; a name that is a flag for some commands
   and takes a value for others (--pid) consumes the next word only when it is a number. */
static int locate_command(int argc, char **argv) {
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        size_t k, nvalue = 0, nflag = 0;
        if (strcmp(a, "--") == 0) return -1;
        if (a[0] != '-' || a[1] == '\0') return i;
        if (a[1] == '-') {
            const char *name = a + 2;
            size_t len = strcspn(name, "=");
            if (name[len] == '=') continue;
            for (k = 0; k < NOPTIONS; k++)
                if (strlen(options[k].name) == len && strncmp(options[k].name, name, len) == 0)
                    takes_value(&options[k]) ? nvalue++ : nflag++;
        } else {
            const cli_option *o = find_short(a[1], NULL);
            if (!o || a[2] != '\0') continue; /* -ofile, -qv */
            takes_value(o) ? nvalue++ : nflag++;
        }
        if (nvalue && (!nflag || (i + 1 < argc && is_whole_number(argv[i + 1])))) i++;
    }
    return -1;
}

double cli_parse_duration(const char *text, int *bare) {
    char number[32];
    const char *unit;
    size_t n, dots = 0, i;
    double v;
    if (bare) *bare = 0;
    if (!text) return -1;
    n = strspn(text, "0123456789.");
    for (i = 0; i < n; i++) dots += text[i] == '.';
    if (n == 0 || n >= sizeof number || dots > 1 || n == dots) return -1;
    memcpy(number, text, n);
    number[n] = '\0';
    v = strtod(number, NULL);
    if (!(v > 0) || !isfinite(v)) return -1;
    unit = text + n;
    if (!*unit) {
        if (bare) *bare = 1;
        return v >= 1000 ? v : v * 1000;
    }
    if (!strcmp(unit, "ms")) return v;
    if (!strcmp(unit, "s")) return v * 1000;
    if (!strcmp(unit, "m") || !strcmp(unit, "min")) return v * 60000;
    if (!strcmp(unit, "h")) return v * 3600000;
    return -1;
}

void cli_format_duration(double ms, char *out, size_t cap) {
    if (ms < 1000) snprintf(out, cap, "%g ms", ms);
    else if (ms < 120000 || fmod(ms, 60000) != 0) snprintf(out, cap, "%g s", ms / 1000);
    else if (ms < 7200000 || fmod(ms, 3600000) != 0) snprintf(out, cap, "%g min", ms / 60000);
    else snprintf(out, cap, "%g h", ms / 3600000);
}

void cli_apply_defaults(cli_config *cfg, const cli_command *cmd) {
    if (!cmd) return;
    if (!cfg->command) cfg->command = cmd->name;
    if (!cfg->url && cmd->default_url && (cmd->mask & OPTG_URL)) cfg->url = cmd->default_url;
    if (cfg->duration_ms <= 0 && cmd->default_duration_ms > 0) cfg->duration_ms = cmd->default_duration_ms;
}

/* ---- help ------------------------------------------------------------------------------ */
static const char *option_default(const cli_option *o, const cli_command *cmd, char *buf, size_t cap) {
    if (o->offset == OFF(url) && o->kind == OPT_URL) {
        if (cmd && cmd->default_url) return cmd->default_url;
        return cmd ? NULL : "per command";
    }
    if (o->kind == OPT_DURATION) {
        if (cmd && cmd->default_duration_ms > 0) {
            cli_format_duration(cmd->default_duration_ms, buf, cap);
            return buf;
        }
        return cmd ? NULL : "per command: hce 5 s, others 30 s";
    }
    if (o->offset == OFF(title) && cmd && (cmd->flags & CLI_CMD_LIVE))
        return cmd->default_title ? cmd->default_title : "named after the target";
    return o->default_text;
}

static void print_options(FILE *f, unsigned mask, const cli_command *cmd, unsigned shown) {
    size_t i;
    for (i = 0; i < NOPTIONS; i++) {
        const cli_option *o = &options[i];
        char left[64], buf[32];
        const char *def;
        if (!(o->group & mask) || (o->group & shown)) continue;
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->metavar ? " " : "",
                     o->metavar ? o->metavar : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fprintf(f, "  %-30s %s", left, o->help);
        if ((def = option_default(o, cmd, buf, sizeof buf)) != NULL) fprintf(f, " [default: %s]", def);
        fputc('\n', f);
    }
}

/* Prints text indented, one line per '\n'. */
static void print_lines(FILE *f, const char *indent, const char *text) {
    while (*text) {
        size_t n = strcspn(text, "\n");
        fprintf(f, "%s%.*s\n", indent, (int)n, text);
        text += n + (text[n] == '\n');
    }
}

/* Wraps text at about `width` columns. */
static void print_wrapped(FILE *f, const char *indent, const char *text, size_t width) {
    while (*text) {
        size_t n = strlen(text), cut = n;
        if (n > width) {
            cut = width;
            while (cut > 0 && text[cut] != ' ') cut--;
            if (cut == 0) cut = width;
        }
        fprintf(f, "%s%.*s\n", indent, (int)cut, text);
        text += cut;
        while (*text == ' ') text++;
    }
}

void cli_print_help(FILE *f, const cli_command *cmd) {
    size_t i, g;
    if (cmd) {
        char buf[32];
        fprintf(f, "resq-flame %s: %s\n\nUsage: %s\n", cmd->name, cmd->summary, cmd->usage);
        if (cmd->default_url || cmd->default_duration_ms > 0) {
            fprintf(f, "\nDefaults:");
            if (cmd->default_url) fprintf(f, " --url %s", cmd->default_url);
            if (cmd->default_duration_ms > 0) {
                cli_format_duration(cmd->default_duration_ms, buf, sizeof buf);
                fprintf(f, "%s --duration %s (at most %g min without --force)", cmd->default_url ? "," : "", buf,
                        CLI_MAX_DURATION_MS / 60000);
            }
            if (cmd->default_title) fprintf(f, ", title \"%s\"", cmd->default_title);
            fputc('\n', f);
        }
        if (cmd->overhead) {
            fprintf(f, "\nOverhead:\n");
            print_wrapped(f, "  ", cmd->overhead, 96);
        }
        {
            static const struct { const char *heading; unsigned mask; } sections[] = {
                {"Options", ~(unsigned)(OPTG_GLOBAL | OPTG_SVG | OPTG_FILTER | OPTG_PERF | OPTG_PARSE)},
                {"Input parsing", OPTG_PERF | OPTG_PARSE},
                {"Filters and views", OPTG_FILTER & ~(unsigned)OPTG_SVG},
                {"SVG options (flamegraph.pl's names)", OPTG_SVG},
            };
            size_t k;
            unsigned shown = OPTG_GLOBAL;
            for (k = 0; k < sizeof sections / sizeof sections[0]; k++) {
                unsigned m = cmd->mask & sections[k].mask & ~shown;
                if (!m) continue;
                fprintf(f, "\n%s:\n", sections[k].heading);
                print_options(f, m, cmd, shown);
                shown |= m;
            }
        }
        if (cmd->mask & OPTG_AUTH)
            fprintf(f, "  Credentials go only into request headers; they are never printed or written to the SVG.\n");
        fprintf(f, "\nGlobal options (before or after the command):\n");
        print_options(f, OPTG_GLOBAL, cmd, 0);
        fprintf(f, "\nExample%s:\n", strchr(cmd->example, '\n') ? "s" : "");
        print_lines(f, "  ", cmd->example);
        return;
    }
    fprintf(f, "resq-flame %s - interactive SVG flame graphs from profilers and live services\n\n"
               "Usage: resq-flame [GLOBAL OPTIONS] <command> [OPTIONS]\n"
               "       resq-flame            (on a terminal: pick a target in the full-screen UI)\n",
            RF_VERSION_STRING);
    for (g = 0; cli_command_groups[g]; g++) {
        fprintf(f, "\n%s:\n", cli_command_groups[g]);
        for (i = 0; i < NCOMMANDS; i++)
            if (!strcmp(commands[i].group, cli_command_groups[g]) && !(commands[i].flags & CLI_CMD_HIDDEN))
                fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\nGlobal options (before or after the command):\n");
    print_options(f, OPTG_GLOBAL, NULL, 0);
    fprintf(f, "\nProfiler options (which apply: 'resq-flame <command> --help'):\n");
    print_options(f, OPTG_URL | OPTG_AUTH | OPTG_PID | OPTG_LIVE | OPTG_CMD | OPTG_PERFREC | OPTG_INSPECT | OPTG_LANG,
                  NULL, 0);
    fprintf(f, "\nEnvironment: RESQ_TOKEN, RESQ_API_KEY (credentials), NO_COLOR, BROWSER (for --open).\n"
               "Exit codes: 0 ok, 1 usage, 2 bad input, 3 tool missing, 4 network/HTTP/auth, 5 target not found,\n"
               "            6 diff regression, 130 interrupted (what was collected is still written).\n");
}

/* ---- parsing ---------------------------------------------------------------------------- */
/* Shows a value in a message, unless it may carry a credential (user:password@host). */
static const char *shown_value(const char *v) { return strchr(v, '@') ? "(value hidden: it contains '@')" : v; }

static int check_url(const cli_option *o, const char *value) {
    const char *c = o->choices, *sep = strstr(value, "://");
    char expected[96] = "";
    while (c && *c) {
        size_t n = strcspn(c, "|");
        if (sep && (size_t)(sep - value) == n && strncmp(value, c, n) == 0 && sep[3] && sep[3] != '/') return 0;
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%.*s://", *expected ? " or " : "",
                 (int)n, c);
        c += n + (c[n] == '|');
    }
    cli_error("--%s %s: expected a URL starting with %s and a host, e.g. http://localhost:5000", o->name,
              shown_value(value), expected);
    return EXIT_USAGE;
}

static int check_choice(const cli_option *o, const char *value) {
    const char *c = o->choices;
    char expected[128] = "";
    while (*c) {
        size_t n = strcspn(c, "|");
        if (strlen(value) == n && strncmp(value, c, n) == 0) return 0;
        snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%s%.*s",
                 *expected ? ", " : "", (int)n, c);
        c += n + (c[n] == '|');
    }
    cli_error("--%s %s: expected one of %s", o->name, value, expected);
    return EXIT_USAGE;
}

static int set_value(cli_config *cfg, const cli_option *o, const char *value) {
    char *end;
    void *field = (char *)cfg + o->offset;
    switch (o->kind) {
    case OPT_STRING:
        *(const char **)field = value;
        return 0;
    case OPT_DOUBLE: {
        double v;
        errno = 0;
        v = strtod(value, &end);
        if (errno || end == value || *end || !isfinite(v) || v < 0) {
            cli_error("--%s: expected a non-negative number, got '%s'", o->name, value);
            return EXIT_USAGE;
        }
        *(double *)field = v;
        return 0;
    }
    case OPT_PID: {
        long v;
        errno = 0;
        v = is_whole_number(value) ? strtol(value, &end, 10) : -1;
        if (errno || v <= 0 || v > INT_MAX) {
            cli_error("--%s %s: expected a process id (a positive whole number; find it with pgrep NAME)", o->name, value);
            return EXIT_USAGE;
        }
        *(long *)field = v;
        return 0;
    }
    case OPT_DURATION: {
        double ms = cli_parse_duration(value, NULL);
        if (ms < 0) {
            cli_error("--%s %s: expected a duration such as 30s, 500ms, 2m or 1h (a bare number is seconds; "
                      "1000 and more are milliseconds)", o->name, value);
            return EXIT_USAGE;
        }
        *(const char **)field = value;
        cfg->duration_ms = ms;
        return 0;
    }
    case OPT_COUNT: {
        double lo = (double)strtol(o->choices, &end, 10), hi = (double)strtol(end + 2, NULL, 10), v;
        errno = 0;
        v = is_whole_number(value) ? strtod(value, NULL) : -1;
        if (errno || v < lo || v > hi) {
            cli_error("--%s %s: expected a whole number from %.0f to %.0f", o->name, value, lo, hi);
            return EXIT_USAGE;
        }
        *(double *)field = v;
        return 0;
    }
    case OPT_URL:
        if (check_url(o, value)) return EXIT_USAGE;
        *(const char **)field = value;
        return 0;
    case OPT_CHOICE:
        if (check_choice(o, value)) return EXIT_USAGE;
        *(const char **)field = value;
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

/* Checks that need the whole command line (--force may follow --duration). */
static int check_combined(cli_config *cfg, const cli_command *cmd) {
    if (cfg->duration) {
        int bare;
        char reading[32];
        double ms = cli_parse_duration(cfg->duration, &bare);
        cli_format_duration(ms, reading, sizeof reading);
        if (ms < 10) {
            cli_error("--duration %s: %s is too short to sample anything; give at least 10ms", cfg->duration, reading);
            return EXIT_USAGE;
        }
        if (ms > CLI_MAX_DURATION_MS && !cfg->force) {
            cli_error("--duration %s: %s is more than the maximum of %g min; profiling that long costs the target "
                      "real overhead, so add --force if you mean it", cfg->duration, reading, CLI_MAX_DURATION_MS / 60000);
            return EXIT_USAGE;
        }
        if (bare && ms == strtod(cfg->duration, NULL))
            cli_info(cfg, "--duration %s: reading as %s ms = %s (a bare number from 1000 up is milliseconds; "
                          "write 5s or 500ms to be explicit)", cfg->duration, cfg->duration, reading);
        else if (bare)
            cli_info(cfg, "--duration %s: reading as %s (a bare number below 1000 is seconds)", cfg->duration, reading);
    }
    if (cfg->group_by && !strncmp(cfg->group_by, "label:", 6)) {
        /* --group-by label:KEY is --group-by-label KEY (pprof's label as the root frame) */
        const char *key = cfg->group_by + 6;
        if (!*key) {
            cli_error("--group-by label:KEY: the label key is empty (e.g. --group-by label:handler)");
            return EXIT_USAGE;
        }
        if (cfg->group_by_label && strcmp(cfg->group_by_label, key) != 0) {
            cli_error("--group-by %s and --group-by-label %s: give one label key", cfg->group_by, cfg->group_by_label);
            return EXIT_USAGE;
        }
        cfg->group_by_label = key;
        cfg->group_by = NULL;
    }
    if (cfg->cmd && cfg->cmd_argv) {
        cli_error("%s: give the command either as --cmd \"CMD\" or after --, not both", cmd->name);
        return EXIT_USAGE;
    }
    if (cfg->cmd && !*cfg->cmd) {
        cli_error("--cmd: the command is empty");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Returns -1 to go on, else an exit code (0 after --help/--version). Global options may stand
   before or after the command. */
int cli_parse_args(int argc, char **argv, cli_config *cfg, const cli_command **cmd) {
    int i, only_words = 0, cmd_at;
    *cmd = NULL;
    cmd_at = locate_command(argc, argv);
    if (cmd_at > 0) {
        *cmd = cli_find_command(argv[cmd_at]);
        if (!*cmd) {
            cli_error("unknown command '%s'; run 'resq-flame --help' for the list", argv[cmd_at]);
            return EXIT_USAGE;
        }
        cfg->command = (*cmd)->name;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *value = NULL;
        const cli_option *o = NULL;
        size_t len = 0;
        if (i == cmd_at) continue;
        if (!only_words && strcmp(a, "--") == 0) {
            if (*cmd && ((*cmd)->mask & OPTG_CMD)) {
                cfg->cmd_argv = argv + i + 1; /* argv[argc] is NULL: the list stays terminated */
                cfg->cmd_argc = argc - i - 1;
                if (cfg->cmd_argc == 0) {
                    cli_error("%s: nothing after --; give the command to profile, e.g. -- ./server --port 8080",
                              (*cmd)->name);
                    return EXIT_USAGE;
                }
                break;
            }
            only_words = 1;
            continue;
        }
        if (only_words || a[0] != '-' || a[1] == '\0') {
            if (!*cmd) {
                cli_error("'%s' after --: a command must come first; run 'resq-flame --help'", a);
                return EXIT_USAGE;
            }
            if (!((*cmd)->mask & OPTG_INPUT) && !((*cmd)->flags & CLI_CMD_WORDS)) {
                cli_error("%s: unexpected argument '%s'; see 'resq-flame %s --help'", (*cmd)->name, a, (*cmd)->name);
                return EXIT_USAGE;
            }
            if (cfg->ninputs == CLI_MAX_INPUTS) {
                cli_error("too many inputs (at most %d)", CLI_MAX_INPUTS);
                return EXIT_USAGE;
            }
            cfg->inputs[cfg->ninputs++] = a;
            continue;
        }
        if (a[1] == '-') {
            len = strcspn(a + 2, "=");
            o = find_long(a + 2, len, *cmd);
            if (a[2 + len] == '=') value = a + 3 + len;
        } else {
            o = find_short(a[1], *cmd);
            len = 1;
        }
        if (!o) {
            /* only the name: what follows '=' may be a credential */
            cli_error("unknown option '%.*s'; run 'resq-flame %s%s--help'", (int)(a[1] == '-' ? len + 2 : 2), a,
                      *cmd ? (*cmd)->name : "", *cmd ? " " : "");
            return EXIT_USAGE;
        }
        if (o->kind == OPT_HELP) { cli_print_help(stdout, *cmd); return EXIT_OK; }
        if (o->kind == OPT_VERSION) { printf("resq-flame %s\n", RF_VERSION_STRING); return EXIT_OK; }
        if (*cmd && !(o->group & (*cmd)->mask)) {
            cli_error("option --%s does not apply to '%s'; see 'resq-flame %s --help'", o->name, (*cmd)->name,
                      (*cmd)->name);
            return EXIT_USAGE;
        }
        if (a[1] != '-' && a[2] != '\0') {
            if (takes_value(o)) {
                value = a + 2; /* -ofile */
            } else {
                /* bundled flags: -qv */
                const char *c;
                for (c = a + 1; *c; c++) {
                    const cli_option *f = find_short(*c, *cmd);
                    if (!f || takes_value(f) || (*cmd && !(f->group & (*cmd)->mask))) {
                        cli_error("'%s': -%c is not a flag that can be combined; write the options separately", a, *c);
                        return EXIT_USAGE;
                    }
                    if (f->kind == OPT_HELP) { cli_print_help(stdout, *cmd); return EXIT_OK; }
                    *(int *)((char *)cfg + f->offset) = 1;
                }
                continue;
            }
        }
        if (!takes_value(o)) {
            if (value) { cli_error("--%s takes no value", o->name); return EXIT_USAGE; }
            *(int *)((char *)cfg + o->offset) = 1;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) {
                cli_error("--%s needs a value (%s)", o->name, o->metavar);
                return EXIT_USAGE;
            }
            value = argv[++i];
        }
        {
            int rc = set_value(cfg, o, value);
            if (rc) return rc;
        }
    }
    if (*cmd) {
        int rc = check_combined(cfg, *cmd);
        if (rc) return rc;
    }
    return -1;
}
