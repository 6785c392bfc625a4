/* .NET (FORMATS.md §13): `dotnet-trace collect --process-id P` with the sample profiler for
   the duration, then `dotnet-trace convert --format Speedscope`, parsed. The providers are
   named explicitly because the default profiles changed between dotnet-trace versions:
   Microsoft-DotNETCore-SampleProfiler samples managed stacks, and the runtime provider at
   Informational level with these keywords gives method names (rundown). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "collect_util.h"

#define DOTNET_INSTALL "install it with 'dotnet tool install --global dotnet-trace' (and put ~/.dotnet/tools on PATH)"
#define DOTNET_PROVIDERS "Microsoft-DotNETCore-SampleProfiler,Microsoft-Windows-DotNETRuntime:0x00000014C14FCCBD:4"
#define DOTNET_MARGIN_S 30.0  /* dotnet-trace's own start-up and rundown after the duration */
#define CONVERT_TIMEOUT_S 300.0

typedef struct trace_wait {
    proc_child *child;
    long pid;
} trace_wait;

static int trace_done(void *vctx) {
    trace_wait *w = (trace_wait *)vctx;
    return proc_wait(w->child, 0) || !proc_exists(w->pid);
}

static int find_suffix(const char *dir, const char *suffix, char *out, size_t cap) {
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t k = strlen(suffix);
    int found = 0;
    if (!d) return 0;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > k && !strcmp(e->d_name + n - k, suffix)) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

static int failed(const char *step, const proc_child *c) {
    char status[96];
    proc_status_text(c->status, status, sizeof status);
    cli_error("dotnet-trace %s failed (%s): %.400s", step, status, c->err[0] ? c->err : "(no message)");
    return EXIT_BAD_INPUT;
}

int collect_dotnet(const cli_config *cfg, rf_profile *p, collect_info *info) {
    char tool[4096], dir[4096], trace[4200], converted[4400], dur[32], pidbuf[32];
    char *argv[20], *out = NULL, *data = NULL;
    size_t out_len = 0, len = 0;
    proc_child c;
    trace_wait w;
    long secs = (long)ceil(cfg->duration_ms / 1000);
    int n = 0, e, rc = EXIT_OK, interrupted = 0;
    FILE *f;
    if (!proc_find_tool("dotnet-trace", tool, sizeof tool)) return collect_tool_missing("dotnet-trace", DOTNET_INSTALL);
    if ((e = tempdir_make(dir, sizeof dir, "dotnet")) != 0) {
        cli_error("cannot create a temporary directory: %s", strerror(e));
        return EXIT_BAD_INPUT;
    }
    if (secs < 1) secs = 1;
    snprintf(dur, sizeof dur, "%02ld:%02ld:%02ld:%02ld", secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    snprintf(pidbuf, sizeof pidbuf, "%ld", cfg->pid);
    snprintf(trace, sizeof trace, "%s/trace.nettrace", dir);
    argv[n++] = tool;
    argv[n++] = (char *)"collect";
    argv[n++] = (char *)"--process-id";
    argv[n++] = pidbuf;
    argv[n++] = (char *)"--providers";
    argv[n++] = (char *)DOTNET_PROVIDERS;
    argv[n++] = (char *)"--duration";
    argv[n++] = dur;
    argv[n++] = (char *)"-o";
    argv[n++] = trace;
    argv[n] = NULL;
    if ((e = proc_spawn(&c, argv, PROC_CAPTURE_ERR | PROC_OWN_GROUP)) != 0) {
        cli_error("cannot start dotnet-trace: %s", strerror(e));
        rc = EXIT_TOOL_MISSING;
        goto done;
    }
    w.child = &c;
    w.pid = cfg->pid;
    cli_info(cfg, "dotnet: dotnet-trace sampling pid %ld for %ld s", cfg->pid, secs);
    info->seconds = collect_wait(cfg, "dotnet-trace", (double)secs, trace_done, &w, &interrupted);
    info->interrupted = interrupted;
    /* it stops by itself after --duration; give it time to write the rundown, and stop it
       (SIGINT = its Ctrl-C, which ends the session cleanly) when interrupted */
    if (!c.reaped && interrupted) proc_stop(&c, SIGINT, DOTNET_MARGIN_S);
    else if (!c.reaped && !proc_wait(&c, DOTNET_MARGIN_S)) proc_stop(&c, SIGINT, 5);
    proc_close(&c);
    if (access(trace, R_OK) != 0 || !c.reaped || !WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0) {
        if (access(trace, R_OK) != 0 && interrupted) {
            /* Ctrl-C during dotnet-trace's own start-up: there is nothing to render */
            cli_error("interrupted before dotnet-trace had written a trace; nothing to render");
            rc = EXIT_INTERRUPTED;
            goto done;
        }
        if (access(trace, R_OK) != 0) { rc = failed("collect", &c); goto done; }
    }
    n = 0;
    snprintf(converted, sizeof converted, "%s/trace.speedscope.json", dir);
    argv[n++] = tool;
    argv[n++] = (char *)"convert";
    argv[n++] = trace;
    argv[n++] = (char *)"--format";
    argv[n++] = (char *)"Speedscope";
    argv[n++] = (char *)"-o";
    argv[n++] = converted;
    argv[n] = NULL;
    if ((e = proc_run_capture(argv, CONVERT_TIMEOUT_S, &out, &out_len, 1 << 20, &c)) != 0) {
        cli_error("dotnet-trace convert: %s", e == ETIMEDOUT ? "took too long" : strerror(e));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0) { rc = failed("convert", &c); goto done; }
    /* the output name is derived from -o by dotnet-trace itself: look for it */
    if (access(converted, R_OK) != 0 && !find_suffix(dir, ".speedscope.json", converted, sizeof converted)) {
        cli_error("dotnet-trace convert wrote no .speedscope.json file in %s", dir);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (!(f = fopen(converted, "rb"))) {
        cli_error("cannot read %s: %s", converted, strerror(errno));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    {
        struct stat sb;
        if (fstat(fileno(f), &sb) != 0 || !(data = (char *)malloc((size_t)sb.st_size + 1))) {
            fclose(f);
            cli_error("cannot read %s", converted);
            rc = EXIT_BAD_INPUT;
            goto done;
        }
        len = fread(data, 1, (size_t)sb.st_size, f);
        fclose(f);
    }
    if ((rc = collect_save_raw(cfg, data, len)) == EXIT_OK)
        rc = collect_parse_bytes(cfg, p, RF_FORMAT_SPEEDSCOPE, data, len, "dotnet-trace speedscope");
done:
    free(out);
    free(data);
    tempdir_remove(dir);
    return rc;
}
