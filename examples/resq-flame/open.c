/* --open: show the written SVG in the user's browser, or say why not. */
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"

extern char **environ;

static int on_path(const char *prog) {
    const char *path = getenv("PATH");
    char buf[4096];
    while (path && *path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
        if (access(buf, X_OK) == 0) return 1;
        path = colon ? colon + 1 : NULL;
    }
    return 0;
}

void cli_open_in_browser(const cli_config *cfg, const char *path) {
    const char *opener = getenv("BROWSER");
    char *argv[3];
    pid_t pid;
    if (!opener || !*opener) {
#ifdef __APPLE__
        opener = "open";
#else
        opener = "xdg-open";
        if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
            cli_info(cfg, "note: --open: no graphical session (DISPLAY is unset); open %s in a browser yourself", path);
            return;
        }
#endif
    }
    if (!on_path(opener)) {
        cli_info(cfg, "note: --open: '%s' not found; open %s in a browser yourself (or set BROWSER)", opener, path);
        return;
    }
    argv[0] = (char *)opener;
    argv[1] = (char *)path;
    argv[2] = NULL;
    if (posix_spawnp(&pid, opener, NULL, NULL, argv, environ) != 0)
        cli_info(cfg, "note: --open: could not start '%s'; open %s yourself", opener, path);
    else
        cli_info(cfg, "opened %s with %s", path, opener);
}
