/* Bun (FORMATS.md §11): `--cmd` runs the program under `bun --cpu-prof` into a private
   temporary directory and reads the .cpuprofile it writes at exit; `--inspect ws://...`
   samples a running Bun through its inspector (ScriptProfiler.startTracking with samples,
   stopTracking -> the trackingComplete event). Bun has no /json/list, so the URL must carry
   the inspector's path (it is printed under "Listening:" when Bun starts).

   Bun writes the profile only when the program exits normally, not when a signal kills it:
   a small preload script turns SIGINT/SIGTERM into process.exit(), so stopping the program
   at the end of the duration (or on Ctrl-C) still yields its profile. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "collect_util.h"

#define BUN_INSTALL "install it with 'npm install -g bun' or 'curl -fsSL https://bun.sh/install | bash'"
#define BUN_STOP_GRACE_S 10.0
#define MAX_WORDS 64
#define BUN_MAX_MESSAGE ((size_t)1 << 30)

static const char preload_js[] =
    "// resq-flame: exit normally on SIGINT/SIGTERM so that --cpu-prof writes the profile\n"
    "for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(0));\n";

typedef struct bun_wait {
    proc_child *child;
} bun_wait;

static int bun_exited(void *vctx) { return proc_wait(((bun_wait *)vctx)->child, 0); }

/* The newest *.cpuprofile in dir, 1 when found. */
static int find_profile(const char *dir, char *out, size_t cap) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    if (!d) return 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 11 && !strcmp(e->d_name + n - 11, ".cpuprofile")) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

static int read_whole(const char *path, char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    long n;
    *data = NULL;
    if (!f) return errno;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return EIO; }
    if (!(*data = (char *)malloc((size_t)n + 1))) { fclose(f); return ENOMEM; }
    *len = fread(*data, 1, (size_t)n, f);
    (*data)[*len] = '\0';
    fclose(f);
    return 0;
}

static int bun_cmd(const cli_config *cfg, rf_profile *p, collect_info *info) {
    char bun[4096], dir[4096], preload[4200], profdir[4200], found[4800], *words = NULL;
    char *argv[MAX_WORDS + 8];
    int n = 0, i, rc = EXIT_OK, e, interrupted = 0;
    proc_child c;
    bun_wait w;
    FILE *f;
    char *data = NULL;
    size_t len = 0;
    if (!proc_find_tool("bun", bun, sizeof bun)) return collect_tool_missing("bun", BUN_INSTALL);
    if ((e = tempdir_make(dir, sizeof dir, "bun")) != 0) {
        cli_error("cannot create a temporary directory: %s", strerror(e));
        return EXIT_BAD_INPUT;
    }
    snprintf(preload, sizeof preload, "%s/resq-flame-preload.js", dir);
    snprintf(profdir, sizeof profdir, "%s/profiles", dir);
    if (!(f = fopen(preload, "w")) || fputs(preload_js, f) < 0 || fclose(f) != 0 || mkdir(profdir, 0700) != 0) {
        cli_error("cannot prepare %s: %s", dir, strerror(errno));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    argv[n++] = bun;
    argv[n++] = (char *)"--preload";
    argv[n++] = preload;
    argv[n++] = (char *)"--cpu-prof";
    argv[n++] = (char *)"--cpu-prof-dir";
    argv[n++] = profdir;
    if (cfg->cmd) {
        /* --cmd "app.js --port 3000" (a leading "bun" is dropped): words split on spaces; use
           -- CMD ARGS for arguments that contain spaces */
        char *tok, *save = NULL;
        int first = 1;
        if (!(words = strdup(cfg->cmd))) { cli_error("out of memory"); rc = EXIT_BAD_INPUT; goto done; }
        for (tok = strtok_r(words, " \t", &save); tok && n < MAX_WORDS; tok = strtok_r(NULL, " \t", &save)) {
            const char *base = strrchr(tok, '/');
            if (first && !strcmp(base ? base + 1 : tok, "bun")) { first = 0; continue; }
            first = 0;
            argv[n++] = tok;
        }
    } else {
        for (i = 0; i < cfg->cmd_argc && n < MAX_WORDS; i++) {
            const char *base = strrchr(cfg->cmd_argv[i], '/');
            if (i == 0 && !strcmp(base ? base + 1 : cfg->cmd_argv[i], "bun")) continue;
            argv[n++] = cfg->cmd_argv[i];
        }
    }
    if (n == 6) {
        cli_error("bun needs a program: --cmd \"app.js ARGS\", -- app.js ARGS, or --inspect ws://HOST:PORT/PATH");
        rc = EXIT_USAGE;
        goto done;
    }
    argv[n] = NULL;
    if ((e = proc_spawn(&c, argv, PROC_OUT_TO_ERR | PROC_OWN_GROUP)) != 0) {
        cli_error("cannot start bun: %s", strerror(e));
        rc = EXIT_TOOL_MISSING;
        goto done;
    }
    w.child = &c;
    cli_info(cfg, "bun: running %s under --cpu-prof for up to %.1f s", cfg->cmd ? cfg->cmd : cfg->cmd_argv[0],
             cfg->duration_ms / 1000);
    info->seconds = collect_wait(cfg, "bun", cfg->duration_ms / 1000, bun_exited, &w, &interrupted);
    info->interrupted = interrupted;
    if (!c.reaped) proc_stop(&c, SIGINT, BUN_STOP_GRACE_S);
    proc_close(&c);
    if (!find_profile(profdir, found, sizeof found)) {
        char status[96];
        proc_status_text(c.status, status, sizeof status);
        cli_error("bun wrote no CPU profile (it ended with %s). Bun writes it only when the program exits normally: "
                  "a program that never returns to the event loop cannot be stopped early; give it a shorter run",
                  status);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if ((e = read_whole(found, &data, &len)) != 0) {
        cli_error("cannot read bun's profile %s: %s", found, strerror(e));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if ((rc = collect_save_raw(cfg, data, len)) == EXIT_OK)
        rc = collect_parse_bytes(cfg, p, RF_FORMAT_V8_CPUPROFILE, data, len, "bun profile");
done:
    free(data);
    free(words);
    tempdir_remove(profdir);
    tempdir_remove(dir);
    return rc;
}

typedef struct tracking {
    char *complete; /* the trackingComplete message */
    size_t len;
} tracking;

static void on_event(void *ctx, const char *msg, size_t n) {
    tracking *t = (tracking *)ctx;
    if (t->complete || !strstr(msg, "\"ScriptProfiler.trackingComplete\"")) return;
    if ((t->complete = (char *)malloc(n + 1)) != NULL) {
        memcpy(t->complete, msg, n);
        t->complete[n] = '\0';
        t->len = n;
    }
}

static int bun_inspect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    char err[512], *resp = NULL;
    size_t len;
    ws_conn *ws;
    tracking t;
    int rc = EXIT_OK, interrupted = 0, r;
    if (strncmp(cfg->inspect, "ws://", 5) != 0) {
        cli_error("--inspect %s: Bun's inspector needs the ws://HOST:PORT/PATH URL it prints under \"Listening:\" "
                  "(it has no /json/list to discover it)", cfg->inspect);
        return EXIT_USAGE;
    }
    if (!(ws = ws_connect(cfg->inspect, 10, err, sizeof err))) {
        cli_error("bun inspector: %s", err);
        return EXIT_NETWORK;
    }
    memset(&t, 0, sizeof t);
    r = ws_call(ws, 1, "ScriptProfiler.startTracking", "{\"includeSamples\":true}", 30, BUN_MAX_MESSAGE, &resp, &len,
                NULL, NULL, err, sizeof err);
    free(resp);
    resp = NULL;
    if (r <= 0) {
        cli_error("bun inspector: %s", r == 0 ? "no answer to ScriptProfiler.startTracking" : err);
        ws_close(ws);
        return EXIT_NETWORK;
    }
    info->seconds = collect_wait(cfg, "bun", cfg->duration_ms / 1000, NULL, NULL, &interrupted);
    info->interrupted = interrupted;
    r = ws_call(ws, 2, "ScriptProfiler.stopTracking", NULL, 60, BUN_MAX_MESSAGE, &resp, &len, on_event, &t, err,
                sizeof err);
    free(resp);
    /* trackingComplete may come after the response too */
    while (r > 0 && !t.complete) {
        char *m;
        size_t n;
        if (ws_recv_text(ws, 10, BUN_MAX_MESSAGE, &m, &n, err, sizeof err) <= 0) break;
        on_event(&t, m, n);
        free(m);
    }
    ws_close(ws);
    if (r <= 0 || !t.complete) {
        cli_error("bun inspector: %s", r <= 0 ? (r == 0 ? "no answer to ScriptProfiler.stopTracking" : err)
                                                : "no ScriptProfiler.trackingComplete event arrived");
        free(t.complete);
        return EXIT_NETWORK;
    }
    if ((rc = collect_save_raw(cfg, t.complete, t.len)) == EXIT_OK)
        rc = collect_parse_bytes(cfg, p, RF_FORMAT_JSC_SAMPLES, t.complete, t.len, "bun samples");
    free(t.complete);
    return rc;
}

int collect_bun(const cli_config *cfg, rf_profile *p, collect_info *info) {
    if (cfg->inspect) return bun_inspect(cfg, p, info);
    if (cfg->pid) {
        cli_error("bun cannot attach to a running pid (Bun has no SIGUSR1 inspector); start it with "
                  "--inspect=127.0.0.1:PORT/PATH and use --inspect ws://127.0.0.1:PORT/PATH, or use --cmd");
        return EXIT_USAGE;
    }
    return bun_cmd(cfg, p, info);
}
