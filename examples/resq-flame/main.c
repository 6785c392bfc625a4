/* resq-flame: dispatch, global options, exit codes. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

void cli_error(const char *fmt, ...) {
    va_list ap;
    fputs("resq-flame: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_info(const cli_config *cfg, const char *fmt, ...) {
    va_list ap;
    if (cfg->quiet) return;
    fputs("resq-flame: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int main(int argc, char **argv) {
    cli_config cfg;
    const cli_command *cmd = NULL;
    int rc;
    memset(&cfg, 0, sizeof cfg);
    if (getenv("NO_COLOR") && *getenv("NO_COLOR")) cfg.no_color = 1;
    rc = cli_parse_args(argc, argv, &cfg, &cmd);
    if (rc >= 0) return rc;
    if (!cmd) {
        cli_print_help(stderr, NULL);
        return EXIT_USAGE;
    }
    return cmd->run(&cfg);
}
