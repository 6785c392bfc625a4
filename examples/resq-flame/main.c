/* resq-flame: dispatch, global options, exit codes. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "collect/collect.h"

void cli_error(const char *fmt, ...) {
    va_list ap;
    progress_parse_end(); /* start on a clean line when a progress line is showing */
    fputs("resq-flame: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_info(const cli_config *cfg, const char *fmt, ...) {
    va_list ap;
    if (cfg->quiet) return;
    progress_parse_end();
    fputs("resq-flame: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cmd_hotcold_any(cli_config *cfg) {
    if (cfg->pid) return cmd_hotcold_live(cfg);
    return cmd_hotcold(cfg);
}

int cmd_help(cli_config *cfg) {
    const cli_command *cmd = NULL;
    if (cfg->help_roff) {
        cli_print_manpage(stdout);
        return EXIT_OK;
    }
    if (cfg->ninputs > 1) {
        cli_error("help: one command at a time, e.g. resq-flame help perf");
        return EXIT_USAGE;
    }
    if (cfg->ninputs == 1 && !(cmd = cli_find_command(cfg->inputs[0]))) {
        cli_error("help: unknown command '%s'; run 'resq-flame --help' for the list", cfg->inputs[0]);
        return EXIT_USAGE;
    }
    cli_print_help(stdout, cmd);
    return EXIT_OK;
}

/* Runs a parsed command line: defaults, early checks, progress and Ctrl-C, the command. The TUI
   comes through here too, so a run from the TUI is a run from the command line. */
int cli_run(cli_config *cfg, const cli_command *cmd) {
    int rc;
    cli_apply_defaults(cfg, cmd);
    /* SVG options are checked before a 30 s collection, not after it */
    if ((cmd->mask & OPTG_SVG) && (rc = cli_check_svg_options(cfg)) != EXIT_OK) return rc;
    progress_init(cfg);
    progress_set_graceful((cmd->flags & CLI_CMD_LIVE) != 0);
    rc = cmd->run(cfg);
    progress_set_graceful(0);
    if (rc == EXIT_OK && progress_interrupted()) rc = EXIT_INTERRUPTED;
    return rc;
}

int main(int argc, char **argv) {
    cli_config cfg;
    const cli_command *cmd = NULL;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    if (getenv("NO_COLOR") && *getenv("NO_COLOR")) cfg.no_color = 1;
    if (argc <= 1) {
        if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) return tui_run();
        fputs("resq-flame: no command given, and the interactive target picker needs a terminal on stdin and "
              "stdout.\n\n", stderr);
        cli_print_help(stderr, NULL);
        return EXIT_USAGE;
    }
    rc = cli_parse_args(argc, argv, &cfg, &cmd);
    if (rc >= 0) return rc;
    if (!cmd) {
        cli_error("no command given; the commands are listed below");
        cli_print_help(stderr, NULL);
        return EXIT_USAGE;
    }
    return cli_run(&cfg, cmd);
}
