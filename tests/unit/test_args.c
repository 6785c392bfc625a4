/* The CLI's argument parser (examples/resq-flame/args.c, compiled into this test): every option
   of the table in each form (--name V, --name=V, -c V), bad values with their messages, the
   duration forms and the bare-number rule, global options before and after the command, the
   command-aware lookup (collapse --pid is a flag, perf --pid a process id), "--", help text,
   and the per-command defaults. The commands themselves are test-local stand-ins: parsing
   never runs them. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"
#include "../../examples/resq-flame/args.c"

/* ---- what args.c needs from the rest of the CLI ------------------------------------------- */
static char errors[8192], infos[8192];

void cli_error(const char *fmt, ...) {
    va_list ap;
    size_t n = strlen(errors);
    va_start(ap, fmt);
    vsnprintf(errors + n, sizeof errors - n, fmt, ap);
    va_end(ap);
    n = strlen(errors);
    if (n + 1 < sizeof errors) strcat(errors, "\n");
}
void cli_info(const cli_config *cfg, const char *fmt, ...) {
    va_list ap;
    size_t n = strlen(infos);
    if (cfg->quiet) return;
    va_start(ap, fmt);
    vsnprintf(infos + n, sizeof infos - n, fmt, ap);
    va_end(ap);
    n = strlen(infos);
    if (n + 1 < sizeof infos) strcat(infos, "\n");
}
#define NOT_RUN(name) \
    int name(cli_config *cfg) { (void)cfg; fail_msg("%s must not run while parsing", #name); return 99; }
NOT_RUN(cmd_file)
NOT_RUN(cmd_collapse)
NOT_RUN(cmd_diff)
NOT_RUN(cmd_hotcold_any)
NOT_RUN(cmd_top)
NOT_RUN(cmd_explain)
NOT_RUN(cmd_hce)
NOT_RUN(cmd_api)
NOT_RUN(cmd_pdie)
NOT_RUN(cmd_python)
NOT_RUN(cmd_perf)
NOT_RUN(cmd_bun)
NOT_RUN(cmd_dotnet)
NOT_RUN(cmd_offcpu)
NOT_RUN(cmd_memory)
NOT_RUN(cmd_help)
NOT_RUN(cmd_completions)

/* ---- helpers -------------------------------------------------------------------------------- */
#define MAXARGS 32
static char *argv_store[MAXARGS + 2];

/* Parses the NULL-terminated words after the program name. Returns cli_parse_args's code. */
static int parse_v(cli_config *cfg, const cli_command **cmd, const char *const *words) {
    int argc = 1;
    memset(cfg, 0, sizeof *cfg);
    errors[0] = infos[0] = '\0';
    argv_store[0] = (char *)"resq-flame";
    while (words[argc - 1]) {
        assert_true(argc <= MAXARGS);
        argv_store[argc] = (char *)words[argc - 1];
        argc++;
    }
    argv_store[argc] = NULL;
    return cli_parse_args(argc, argv_store, cfg, cmd);
}
#define PARSE(cfg, cmd, ...) parse_v(cfg, cmd, (const char *const[]){__VA_ARGS__, NULL})

static void expect_ok(int rc) {
    if (rc != -1) fail_msg("parse failed with %d: %s", rc, errors);
}
static void expect_usage(int rc, const char *needle) {
    if (rc != EXIT_USAGE) fail_msg("expected exit 1, got %d (errors: %s)", rc, errors);
    if (needle && !strstr(errors, needle)) fail_msg("message '%s' lacks '%s'", errors, needle);
}

/* The first command (in table order) for which the command-aware lookup picks o. */
static const cli_command *command_for(const cli_option *o) {
    size_t i;
    for (i = 0; i < cli_command_count(); i++) {
        const cli_command *c = cli_command_at(i);
        if ((o->group & c->mask) && find_long(o->name, strlen(o->name), c) == o) return c;
    }
    return NULL;
}

/* A valid value for o, and a check that it landed in the right field. */
static const char *good_value(const cli_option *o, char *buf, size_t cap) {
    switch (o->kind) {
    case OPT_STRING: return "some value";
    case OPT_DOUBLE: return "7";
    case OPT_INPUT: return "in.folded";
    case OPT_DURATION: return "2s";
    case OPT_PID: return "4242";
    case OPT_URL:
        snprintf(buf, cap, "%.*s://127.0.0.1:9/x", (int)strcspn(o->choices, "|"), o->choices);
        return buf;
    case OPT_CHOICE:
        snprintf(buf, cap, "%.*s", (int)strcspn(o->choices, "|"), o->choices);
        return buf;
    case OPT_COUNT:
        return "3";
    default: return NULL;
    }
}

static void check_field(const cli_option *o, const cli_config *cfg, const char *value) {
    const void *field = (const char *)cfg + o->offset;
    switch (o->kind) {
    case OPT_FLAG: assert_int_equal(*(const int *)field, 1); break;
    case OPT_STRING:
    case OPT_URL:
    case OPT_CHOICE: assert_string_equal(*(const char *const *)field, value); break;
    case OPT_DURATION:
        assert_string_equal(cfg->duration, value);
        assert_true(cfg->duration_ms == 2000);
        break;
    case OPT_DOUBLE: assert_true(*(const double *)field == 7); break;
    case OPT_COUNT: assert_true(*(const double *)field == 3); break;
    case OPT_PID: assert_int_equal(*(const long *)field, 4242); break;
    case OPT_INPUT:
        assert_int_equal(cfg->ninputs, 1);
        assert_string_equal(cfg->inputs[0], value);
        break;
    default: break;
    }
}

/* ---- every option of the table -------------------------------------------------------------- */
static void every_option_in_every_form(void **state) {
    size_t i, tested = 0;
    (void)state;
    for (i = 0; i < cli_option_count(); i++) {
        const cli_option *o = cli_option_at(i);
        const cli_command *c = command_for(o), *got = NULL;
        cli_config cfg;
        char buf[128], eq[192], shortname[3] = {'-', o->short_name, 0};
        const char *v;
        if (o->kind == OPT_HELP || o->kind == OPT_VERSION) continue;
        if (!c) fail_msg("--%s applies to no command", o->name);
        v = good_value(o, buf, sizeof buf);
        if (o->kind == OPT_FLAG) {
            snprintf(eq, sizeof eq, "--%s", o->name);
            expect_ok(PARSE(&cfg, &got, c->name, eq));
            assert_ptr_equal(got, c);
            check_field(o, &cfg, NULL);
            if (o->short_name) {
                expect_ok(PARSE(&cfg, &got, c->name, shortname));
                check_field(o, &cfg, NULL);
            }
            /* a flag takes no value */
            snprintf(eq, sizeof eq, "--%s=1", o->name);
            expect_usage(PARSE(&cfg, &got, c->name, eq), "takes no value");
        } else {
            char name[80];
            snprintf(name, sizeof name, "--%s", o->name);
            expect_ok(PARSE(&cfg, &got, c->name, name, v));
            assert_ptr_equal(got, c);
            check_field(o, &cfg, v);
            snprintf(eq, sizeof eq, "--%s=%s", o->name, v);
            expect_ok(PARSE(&cfg, &got, c->name, eq));
            check_field(o, &cfg, v);
            /* before the command too (the command is found first) */
            expect_ok(PARSE(&cfg, &got, name, v, c->name));
            assert_ptr_equal(got, c);
            check_field(o, &cfg, v);
            if (o->short_name) {
                expect_ok(PARSE(&cfg, &got, c->name, shortname, v));
                check_field(o, &cfg, v);
            }
            /* a missing value */
            expect_usage(PARSE(&cfg, &got, c->name, name), "needs a value");
        }
        tested++;
    }
    assert_true(tested >= 80);
}

/* ---- --duration -------------------------------------------------------------------------- */
static void duration_forms(void **state) {
    static const struct { const char *text; double ms; int bare; } ok[] = {
        {"30s", 30000, 0}, {"500ms", 500, 0}, {"2m", 120000, 0}, {"2min", 120000, 0}, {"1h", 3600000, 0},
        {"1.5s", 1500, 0}, {"0.5", 500, 1}, {"30", 30000, 1}, {"999", 999000, 1}, {"1000", 1000, 1},
        {"5000", 5000, 1}, {"30000", 30000, 1}, {".5s", 500, 0}, {"10ms", 10, 0},
    };
    static const char *const bad[] = {"", "abc", "5x", "-1", "0", "0s", "1e3", "0x10", "1..2s", ".", "s", "inf",
                                      "nan", "5 s", " 5s", "+5s", "5sec", "5S", "1,5s", "5ms5"};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int bare = -1;
        double ms = cli_parse_duration(ok[i].text, &bare);
        if (ms != ok[i].ms) fail_msg("%s: got %g ms, want %g", ok[i].text, ms, ok[i].ms);
        assert_int_equal(bare, ok[i].bare);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (cli_parse_duration(bad[i], NULL) >= 0) fail_msg("'%s' should be refused", bad[i]);
}

static void duration_reading_and_limits(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    /* the seeds' hce --duration 5000 means 5 s, and says so */
    expect_ok(PARSE(&cfg, &cmd, "hce", "--duration", "5000"));
    assert_true(cfg.duration_ms == 5000);
    assert_non_null(strstr(infos, "--duration 5000: reading as 5000 ms = 5 s"));
    expect_ok(PARSE(&cfg, &cmd, "api", "--duration", "30"));
    assert_true(cfg.duration_ms == 30000);
    assert_non_null(strstr(infos, "--duration 30: reading as 30 s"));
    /* explicit units print nothing; -q (even after) silences the reading */
    expect_ok(PARSE(&cfg, &cmd, "api", "--duration", "30s"));
    assert_string_equal(infos, "");
    expect_ok(PARSE(&cfg, &cmd, "hce", "-d", "5000", "-q"));
    assert_string_equal(infos, "");
    /* the maximum, and --force before or after */
    expect_usage(PARSE(&cfg, &cmd, "perf", "--duration", "11m"), "maximum of 10 min");
    assert_non_null(strstr(errors, "--force"));
    expect_usage(PARSE(&cfg, &cmd, "perf", "--duration", "999"), "maximum");
    expect_ok(PARSE(&cfg, &cmd, "perf", "--duration", "11m", "--force"));
    assert_true(cfg.duration_ms == 660000);
    expect_ok(PARSE(&cfg, &cmd, "perf", "--force", "--duration", "1h"));
    expect_ok(PARSE(&cfg, &cmd, "perf", "--duration", "10m"));
    /* too short, malformed */
    expect_usage(PARSE(&cfg, &cmd, "perf", "--duration", "5ms"), "at least 10ms");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--duration", "abc"), "expected a duration such as 30s, 500ms, 2m or 1h");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--duration", "-5"), "expected a duration");
    expect_usage(PARSE(&cfg, &cmd, "file", "--duration", "5s"), "does not apply to 'file'");
}

static void duration_text(void **state) {
    char b[32];
    (void)state;
    cli_format_duration(5000, b, sizeof b);
    assert_string_equal(b, "5 s");
    cli_format_duration(500, b, sizeof b);
    assert_string_equal(b, "500 ms");
    cli_format_duration(1500, b, sizeof b);
    assert_string_equal(b, "1.5 s");
    cli_format_duration(90000, b, sizeof b);
    assert_string_equal(b, "90 s");
    cli_format_duration(120000, b, sizeof b);
    assert_string_equal(b, "2 min");
    cli_format_duration(7200000, b, sizeof b);
    assert_string_equal(b, "2 h");
}

/* ---- bad values ------------------------------------------------------------------------------ */
static void bad_values_say_what_was_expected(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    expect_usage(PARSE(&cfg, &cmd, "perf", "--pid", "abc"), "expected a process id");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--pid", "0"), "expected a process id");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--pid", "-1"), "expected a process id");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--pid", "12abc"), "expected a process id");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--pid", "99999999999"), "expected a process id");
    expect_usage(PARSE(&cfg, &cmd, "hce", "--url", "ftp://x"), "expected a URL starting with http:// or https://");
    expect_usage(PARSE(&cfg, &cmd, "hce", "--url", "localhost:5000"), "expected a URL");
    expect_usage(PARSE(&cfg, &cmd, "hce", "--url", "http://"), "expected a URL");
    expect_usage(PARSE(&cfg, &cmd, "hce", "--url", "ws://127.0.0.1:9229/x"), "expected a URL");
    expect_ok(PARSE(&cfg, &cmd, "hce", "--inspect", "ws://127.0.0.1:9229/x"));
    expect_usage(PARSE(&cfg, &cmd, "hce", "--inspect", "tcp://x"), "ws://");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--call-graph", "lbr"), "expected one of fp, dwarf");
    expect_usage(PARSE(&cfg, &cmd, "memory", "--lang", "java"), "expected one of rust, go, node, python");
    expect_usage(PARSE(&cfg, &cmd, "hce", "--to", "pdf"), "expected one of svg, folded");
    expect_usage(PARSE(&cfg, &cmd, "perf", "-F", "0"), "expected a whole number from 1 to 100000");
    expect_usage(PARSE(&cfg, &cmd, "perf", "-F", "1.5"), "whole number");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--freq", "100001"), "whole number");
    expect_usage(PARSE(&cfg, &cmd, "top", "-N", "0"), "from 1 to 1000000");
    expect_usage(PARSE(&cfg, &cmd, "file", "--width", "abc"), "expected a non-negative number");
    expect_usage(PARSE(&cfg, &cmd, "file", "--width", "-3"), "non-negative");
    expect_usage(PARSE(&cfg, &cmd, "file", "--width", "inf"), "non-negative");
    expect_usage(PARSE(&cfg, &cmd, "file", "--width", "nan"), "non-negative");
    expect_usage(PARSE(&cfg, &cmd, "diff", "--width-from", "min"), "before, after, max");
    expect_usage(PARSE(&cfg, &cmd, "top", "--by", "name"), "self, total");
    expect_usage(PARSE(&cfg, &cmd, "explain", "--auth", "basic"), "bearer, x-api-key");
}

static void credentials_never_echoed(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    /* a misspelt option: only its name is shown */
    expect_usage(PARSE(&cfg, &cmd, "hce", "--tokn=SECRET-1"), "unknown option '--tokn'");
    assert_null(strstr(errors, "SECRET"));
    /* a URL with user info */
    expect_usage(PARSE(&cfg, &cmd, "hce", "--url", "ftp://user:SECRET-2@host"), "expected a URL");
    assert_null(strstr(errors, "SECRET"));
    /* token and key parse, and nothing is printed */
    expect_ok(PARSE(&cfg, &cmd, "hce", "--token", "SECRET-3", "--api-key=SECRET-4"));
    assert_string_equal(cfg.token, "SECRET-3");
    assert_string_equal(cfg.api_key, "SECRET-4");
    assert_string_equal(errors, "");
    assert_string_equal(infos, "");
}

/* ---- where options stand -------------------------------------------------------------------- */
static void global_options_before_and_after(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    expect_ok(PARSE(&cfg, &cmd, "--open", "hce", "--duration", "3000"));
    assert_string_equal(cmd->name, "hce");
    assert_int_equal(cfg.open_browser, 1);
    assert_true(cfg.duration_ms == 3000);
    expect_ok(PARSE(&cfg, &cmd, "hce", "--output", "x.svg"));
    assert_string_equal(cfg.output, "x.svg");
    expect_ok(PARSE(&cfg, &cmd, "--output", "before.svg", "hce", "--duration", "30000"));
    assert_string_equal(cfg.output, "before.svg");
    assert_string_equal(cmd->name, "hce");
    expect_ok(PARSE(&cfg, &cmd, "-o", "out.svg", "file", "in.folded"));
    assert_string_equal(cfg.output, "out.svg");
    assert_int_equal(cfg.ninputs, 1);
    assert_string_equal(cfg.inputs[0], "in.folded");
    expect_ok(PARSE(&cfg, &cmd, "-oout.svg", "file", "-i", "a", "--input=b", "c"));
    assert_string_equal(cfg.output, "out.svg");
    assert_int_equal(cfg.ninputs, 3);
    expect_ok(PARSE(&cfg, &cmd, "-q", "--no-color", "perf", "-v", "--pid", "1"));
    assert_int_equal(cfg.quiet, 1);
    assert_int_equal(cfg.verbose, 1);
    assert_int_equal(cfg.no_color, 1);
    expect_ok(PARSE(&cfg, &cmd, "perf", "-qv", "--pid", "1"));
    assert_int_equal(cfg.quiet + cfg.verbose, 2);
    expect_usage(PARSE(&cfg, &cmd, "perf", "-qo", "x", "--pid", "1"), "combined");
    /* an option value that looks like a command is a value */
    expect_ok(PARSE(&cfg, &cmd, "--output", "perf", "file", "in"));
    assert_string_equal(cmd->name, "file");
    assert_string_equal(cfg.output, "perf");
    /* a command-specific option before the command is checked against that command */
    expect_ok(PARSE(&cfg, &cmd, "--url", "http://staging:5000", "hce"));
    assert_string_equal(cfg.url, "http://staging:5000");
    expect_usage(PARSE(&cfg, &cmd, "--url", "http://staging:5000", "file"), "does not apply to 'file'");
}

static void pid_depends_on_the_command(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    /* stackcollapse-perf's flag: no value, the next word is an input */
    expect_ok(PARSE(&cfg, &cmd, "collapse", "--pid", "x.perf"));
    assert_int_equal(cfg.perf_pid, 1);
    assert_int_equal(cfg.pid, 0);
    assert_string_equal(cfg.inputs[0], "x.perf");
    expect_ok(PARSE(&cfg, &cmd, "file", "--pid", "--input", "x.perf"));
    assert_int_equal(cfg.perf_pid, 1);
    expect_ok(PARSE(&cfg, &cmd, "--pid", "collapse", "x.perf"));
    assert_string_equal(cmd->name, "collapse");
    assert_int_equal(cfg.perf_pid, 1);
    /* a process id for the profilers, before or after the command */
    expect_ok(PARSE(&cfg, &cmd, "perf", "--pid", "42"));
    assert_int_equal(cfg.pid, 42);
    assert_int_equal(cfg.perf_pid, 0);
    expect_ok(PARSE(&cfg, &cmd, "--pid", "42", "perf"));
    assert_string_equal(cmd->name, "perf");
    assert_int_equal(cfg.pid, 42);
    expect_ok(PARSE(&cfg, &cmd, "python", "--pid=7"));
    assert_int_equal(cfg.pid, 7);
    expect_usage(PARSE(&cfg, &cmd, "perf", "--pid"), "needs a value");
}

static void double_dash(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    expect_ok(PARSE(&cfg, &cmd, "perf", "--duration", "1s", "--", "./hot", "10", "--port", "-o"));
    assert_int_equal(cfg.cmd_argc, 4);
    assert_string_equal(cfg.cmd_argv[0], "./hot");
    assert_string_equal(cfg.cmd_argv[3], "-o");
    assert_null(cfg.cmd_argv[4]);
    assert_null(cfg.output); /* options after -- belong to the command */
    expect_ok(PARSE(&cfg, &cmd, "-o", "b.svg", "bun", "--", "bun", "run", "x.ts"));
    assert_int_equal(cfg.cmd_argc, 3);
    assert_string_equal(cfg.output, "b.svg");
    expect_ok(PARSE(&cfg, &cmd, "perf", "--cmd", "sleep 1"));
    assert_string_equal(cfg.cmd, "sleep 1");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--cmd", "x", "--", "y"), "not both");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--"), "nothing after --");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--cmd", ""), "empty");
    /* for file commands -- ends the options: what follows is an input even if it starts with - */
    expect_ok(PARSE(&cfg, &cmd, "file", "--", "-odd-name"));
    assert_string_equal(cfg.inputs[0], "-odd-name");
    assert_null(cfg.output);
    expect_usage(PARSE(&cfg, &cmd, "--", "perf"), "a command must come first");
}

static void commands_and_unknowns(void **state) {
    cli_config cfg;
    const cli_command *cmd;
    size_t i;
    (void)state;
    for (i = 0; i < cli_command_count(); i++) {
        const cli_command *c = cli_command_at(i);
        expect_ok(PARSE(&cfg, &cmd, c->name));
        assert_ptr_equal(cmd, c);
        assert_string_equal(cfg.command, c->name);
    }
    expect_ok(PARSE(&cfg, &cmd, "-q"));
    assert_null(cmd);
    expect_usage(PARSE(&cfg, &cmd, "frob"), "unknown command 'frob'");
    expect_usage(PARSE(&cfg, &cmd, "hce", "--frob"), "unknown option '--frob'");
    expect_usage(PARSE(&cfg, &cmd, "hce", "-Z"), "unknown option '-Z'");
    expect_usage(PARSE(&cfg, &cmd, "hce", "stray"), "unexpected argument 'stray'");
    expect_usage(PARSE(&cfg, &cmd, "file", "--before", "a"), "does not apply to 'file'");
    expect_usage(PARSE(&cfg, &cmd, "perf", "--url", "http://x:1"), "does not apply to 'perf'");
    expect_ok(PARSE(&cfg, &cmd, "help", "perf"));
    assert_string_equal(cfg.inputs[0], "perf");
    expect_ok(PARSE(&cfg, &cmd, "completions", "zsh"));
    assert_string_equal(cfg.inputs[0], "zsh");
    expect_ok(PARSE(&cfg, &cmd, "help", "--roff"));
    assert_int_equal(cfg.help_roff, 1);
}

/* ---- help ------------------------------------------------------------------------------------ */
static char *help_text(const cli_command *cmd) {
    FILE *f = tmpfile();
    long n;
    char *text;
    assert_non_null(f);
    cli_print_help(f, cmd);
    n = ftell(f);
    assert_true(n > 0);
    text = (char *)malloc((size_t)n + 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void help_lists_groups_defaults_and_examples(void **state) {
    char *top, *h;
    size_t i;
    const char *a, *b, *c;
    (void)state;
    setenv("RESQ_TOKEN", "SECRET-ENV-TOKEN", 1);
    setenv("RESQ_API_KEY", "SECRET-ENV-KEY", 1);
    top = help_text(NULL);
    a = strstr(top, "Service profilers:");
    b = strstr(top, "General profilers:");
    c = strstr(top, "Analysis:");
    assert_true(a && b && c && a < b && b < c);
    /* the seeds' grouping */
    assert_true(strstr(top, "  hce ") > a && strstr(top, "  hce ") < b);
    assert_true(strstr(top, "  pdie ") < b && strstr(top, "  python ") > b && strstr(top, "  collapse ") < c);
    assert_true(strstr(top, "  offcpu ") > c && strstr(top, "  top ") > c);
    for (i = 0; i < cli_command_count(); i++) {
        char want[40];
        snprintf(want, sizeof want, "\n  %s ", cli_command_at(i)->name);
        if (!strstr(top, want)) fail_msg("--help does not list %s", cli_command_at(i)->name);
    }
    assert_non_null(strstr(top, "[default: $RESQ_TOKEN]"));
    assert_null(strstr(top, "SECRET"));
    free(top);
    for (i = 0; i < cli_command_count(); i++) {
        const cli_command *cmd = cli_command_at(i);
        h = help_text(cmd);
        assert_non_null(strstr(h, cmd->usage));
        assert_non_null(strstr(h, "Example"));
        assert_null(strstr(h, "SECRET"));
        if (cmd->flags & CLI_CMD_LIVE) {
            assert_non_null(cmd->overhead);
            assert_non_null(strstr(h, "Overhead:"));
            assert_non_null(strstr(h, "--duration"));
        }
        if (cmd->default_url) {
            char want[128];
            snprintf(want, sizeof want, "--url URL                  service base URL [default: %s]", cmd->default_url);
            if (!strstr(h, want)) fail_msg("%s --help lacks '%s'", cmd->name, want);
        }
        free(h);
    }
    h = help_text(cli_find_command("hce"));
    assert_non_null(strstr(h, "[default: 5 s]"));
    assert_non_null(strstr(h, "http://localhost:5000"));
    assert_non_null(strstr(h, "ResQ HCE \xE2\x80\x94 CPU Flame Graph"));
    assert_non_null(strstr(h, "resq-flame --open hce --duration 3000"));
    free(h);
    h = help_text(cli_find_command("perf"));
    assert_non_null(strstr(h, "[default: 30 s]"));
    assert_non_null(strstr(h, "[default: 99]"));
    assert_null(strstr(h, "--url")); /* perf has no URL */
    free(h);
    h = help_text(cli_find_command("collapse"));
    assert_non_null(strstr(h, "--pid                      perf input: process name + pid"));
    free(h);
    unsetenv("RESQ_TOKEN");
    unsetenv("RESQ_API_KEY");
}

/* ---- the command table ----------------------------------------------------------------------- */
static void defaults_from_the_table(void **state) {
    static const struct { const char *name, *url; double ms; } want[] = {
        {"hce", "http://localhost:5000", 5000}, {"api", "http://localhost:8080", 30000},
        {"pdie", "http://localhost:8000", 30000}, {"python", NULL, 30000}, {"perf", NULL, 30000},
        {"bun", NULL, 30000}, {"dotnet", NULL, 30000}, {"offcpu", NULL, 30000}, {"memory", "http://localhost:8080", 30000},
        {"hotcold", NULL, 30000}, {"file", NULL, 0}, {"explain", NULL, 0},
    };
    static const char *const seeds[] = {"hce", "api", "pdie", "python", "perf", "bun", "dotnet", "file", "collapse",
                                        "offcpu", "diff", "hotcold", "memory", "explain", "top", "help", "completions"};
    size_t i;
    cli_config cfg;
    const cli_command *cmd;
    (void)state;
    for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) assert_non_null(cli_find_command(seeds[i]));
    assert_int_equal(cli_command_count(), sizeof seeds / sizeof seeds[0]);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        expect_ok(PARSE(&cfg, &cmd, want[i].name));
        cli_apply_defaults(&cfg, cmd);
        if (want[i].url) assert_string_equal(cfg.url, want[i].url);
        else assert_null(cfg.url);
        assert_true(cfg.duration_ms == want[i].ms);
    }
    /* given values win */
    expect_ok(PARSE(&cfg, &cmd, "hce", "--url", "http://staging:5000", "-d", "10s"));
    cli_apply_defaults(&cfg, cmd);
    assert_string_equal(cfg.url, "http://staging:5000");
    assert_true(cfg.duration_ms == 10000);
    assert_string_equal(cli_find_command("hce")->default_title, "ResQ HCE \xE2\x80\x94 CPU Flame Graph");
    for (i = 0; i < cli_command_count(); i++) {
        const cli_command *c = cli_command_at(i);
        size_t g;
        int known = 0;
        for (g = 0; cli_command_groups[g]; g++) known |= !strcmp(c->group, cli_command_groups[g]);
        assert_true(known);
        assert_non_null(c->run);
        assert_true(c->summary[0] && c->usage[0] && c->example[0]);
        assert_true(c->mask & OPTG_GLOBAL);
        if (c->flags & CLI_CMD_LIVE) assert_true(c->default_duration_ms > 0 && (c->mask & OPTG_LIVE));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_option_in_every_form),
        cmocka_unit_test(duration_forms),
        cmocka_unit_test(duration_reading_and_limits),
        cmocka_unit_test(duration_text),
        cmocka_unit_test(bad_values_say_what_was_expected),
        cmocka_unit_test(credentials_never_echoed),
        cmocka_unit_test(global_options_before_and_after),
        cmocka_unit_test(pid_depends_on_the_command),
        cmocka_unit_test(double_dash),
        cmocka_unit_test(commands_and_unknowns),
        cmocka_unit_test(help_lists_groups_defaults_and_examples),
        cmocka_unit_test(defaults_from_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
