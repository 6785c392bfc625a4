/* --open: show the written SVG in the user's browser, or say why not.
   BROWSER follows the usual convention: a ':'-separated list of commands, tried in order; a
   command may carry arguments and a "%s" standing for the file (else the file goes last).
   Nothing goes through a shell, so a file name cannot become a command. */
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"

extern char **environ;

#define OPEN_MAX_ARGS 16

static int is_runnable(const char *prog) {
    const char *path = getenv("PATH");
    char buf[4096];
    if (strchr(prog, '/')) return access(prog, X_OK) == 0;
    while (path && *path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, sizeof buf, "%.*s/%s", n ? (int)n : 1, n ? path : ".", prog);
        if (access(buf, X_OK) == 0) return 1;
        path = colon ? colon + 1 : NULL;
    }
    return 0;
}

/* Splits one BROWSER entry (modified in place) into argv with the file substituted. 0 = empty. */
static int browser_argv(char *entry, const char *file, char **argv) {
    int argc = 0, file_placed = 0;
    char *save = NULL, *word;
    for (word = strtok_r(entry, " \t", &save); word && argc < OPEN_MAX_ARGS - 2;
         word = strtok_r(NULL, " \t", &save)) {
        if (strcmp(word, "%s") == 0) { argv[argc++] = (char *)file; file_placed = 1; }
        else argv[argc++] = word;
    }
    if (argc == 0) return 0;
    if (!file_placed) argv[argc++] = (char *)file;
    argv[argc] = NULL;
    return argc;
}

static int spawn_opener(const cli_config *cfg, char **argv, const char *path) {
    pid_t pid;
    if (!is_runnable(argv[0])) return 0;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0) {
        cli_info(cfg, "note: --open: could not start '%s'; open %s yourself", argv[0], path);
        return 1;
    }
    cli_info(cfg, "opened %s with %s", path, argv[0]);
    return 1;
}

void cli_open_in_browser(const cli_config *cfg, const char *path) {
    const char *browser = getenv("BROWSER");
    char *argv[OPEN_MAX_ARGS];
    if (browser && *browser) {
        char list[4096], *save = NULL, *entry;
        snprintf(list, sizeof list, "%s", browser);
        for (entry = strtok_r(list, ":", &save); entry; entry = strtok_r(NULL, ":", &save)) {
            char one[1024];
            snprintf(one, sizeof one, "%s", entry);
            if (browser_argv(one, path, argv) && spawn_opener(cfg, argv, path)) return;
        }
        cli_info(cfg, "note: --open: no command of BROWSER (%s) was found; open %s in a browser yourself",
                 browser, path);
        return;
    }
#ifdef __APPLE__
    argv[0] = (char *)"open";
#else
    if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        cli_info(cfg, "note: --open: no graphical session (DISPLAY is unset); open %s in a browser yourself", path);
        return;
    }
    argv[0] = (char *)"xdg-open";
#endif
    argv[1] = (char *)path;
    argv[2] = NULL;
    if (!spawn_opener(cfg, argv, path))
        cli_info(cfg, "note: --open: '%s' not found; open %s in a browser yourself (or set BROWSER)", argv[0], path);
}
