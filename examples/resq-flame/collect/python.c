/* Python processes (python, pdie, memory --lang python): py-spy `record --format raw` when
   it is installed, else austin (CPU: wall time per stack; memory: -m, allocation deltas).
   Both attach with ptrace to a running process. py-spy runs with --nonblocking so the target
   is never paused; austin only reads the target's memory. Both are stopped with SIGINT
   (they write what they have), then SIGKILL if they hang, and are always reaped: a ptrace
   tool left attached would leave the target stopped. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "collect_util.h"

#define TOOL_STOP_GRACE_S 10.0
#define MAX_RAW_BYTES ((size_t)1 << 30)

static int read_file(const char *path, char **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *data = NULL;
    *len = 0;
    if (!f) return errno;
    for (;;) {
        size_t k;
        if (cap - n < 65536) {
            char *nb;
            if (cap > MAX_RAW_BYTES) { free(buf); fclose(f); return EFBIG; }
            nb = (char *)realloc(buf, (cap ? cap * 2 : 65536) + 1);
            if (!nb) { free(buf); fclose(f); return ENOMEM; }
            buf = nb;
            cap = cap ? cap * 2 : 65536;
        }
        k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) break;
    }
    fclose(f);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

typedef struct tool_wait {
    proc_child *child;
    long pid;
} tool_wait;

static int tool_done(void *vctx) {
    tool_wait *w = (tool_wait *)vctx;
    return proc_wait(w->child, 0) || !proc_exists(w->pid);
}

/* Reads the tool's output file into p. */
static int parse_output(const cli_config *cfg, rf_profile *p, const char *path, rf_format f, int memory,
                        const char *what) {
    collect_parse cp;
    char *data;
    size_t len;
    int e = read_file(path, &data, &len), rc;
    if (e) {
        cli_error("%s wrote no profile (%s)", what, strerror(e));
        return EXIT_BAD_INPUT;
    }
    if ((rc = collect_save_raw(cfg, data, len)) != EXIT_OK) { free(data); return rc; }
    if ((rc = collect_parse_begin(&cp, cfg, p, f, what)) != EXIT_OK) { free(data); return rc; }
    if (f == RF_FORMAT_AUSTIN && memory) cp.opt.austin.metric = RF_AUSTIN_METRIC_MEMORY;
    rc = collect_parse_feed(&cp, data, len);
    if (rc == EXIT_OK) rc = collect_parse_end(&cp);
    else collect_parse_abort(&cp);
    free(data);
    return rc;
}

static int run_tool(const cli_config *cfg, char **argv, const char *tool, const char *out, collect_info *info,
                    int (*explain)(const cli_config *, const proc_child *)) {
    proc_child c;
    tool_wait w;
    int e, interrupted = 0, st;
    struct stat sb;
    if ((e = proc_spawn(&c, argv, PROC_CAPTURE_ERR | PROC_OWN_GROUP)) != 0) {
        cli_error("cannot start %s: %s", tool, strerror(e));
        return EXIT_TOOL_MISSING;
    }
    w.child = &c;
    w.pid = cfg->pid;
    info->seconds = collect_wait(cfg, tool, cfg->duration_ms / 1000, tool_done, &w, &interrupted);
    info->interrupted = interrupted;
    st = proc_stop(&c, SIGINT, TOOL_STOP_GRACE_S);
    proc_close(&c);
    if (stat(out, &sb) != 0 || sb.st_size == 0) return explain(cfg, &c);
    (void)st;
    return EXIT_OK;
}

static int explain_pyspy(const cli_config *cfg, const proc_child *c) {
    char status[96];
    proc_status_text(c->status, status, sizeof status);
    if (strstr(c->err, "ermission") || strstr(c->err, "ptrace"))
        cli_error("py-spy may not attach to pid %ld (%s): run as the process's owner or root, or allow ptrace "
                  "(sysctl kernel.yama.ptrace_scope=0). py-spy said: %.300s", cfg->pid, status, c->err);
    else
        cli_error("py-spy failed on pid %ld (%s): %.400s", cfg->pid, status, c->err[0] ? c->err : "(no message)");
    return EXIT_BAD_INPUT;
}

static int explain_austin(const cli_config *cfg, const proc_child *c) {
    char status[96];
    proc_status_text(c->status, status, sizeof status);
    if (strstr(c->err, "Interpreter state search timed out") || strstr(c->err, "version"))
        cli_error("austin cannot read pid %ld's Python (%s): Debian's austin 1.0.1 supports CPython up to 3.8 only; "
                  "install py-spy (pip install py-spy) or a newer austin for newer Pythons. austin said: %.300s",
                  cfg->pid, status, c->err);
    else if (strstr(c->err, "ermission") || strstr(c->err, "ptrace"))
        cli_error("austin may not read pid %ld (%s): run as the process's owner or root. austin said: %.300s",
                  cfg->pid, status, c->err);
    else
        cli_error("austin failed on pid %ld (%s): %.400s", cfg->pid, status, c->err[0] ? c->err : "(no output)");
    return EXIT_BAD_INPUT;
}

int collect_python(const cli_config *cfg, rf_profile *p, collect_info *info, int memory) {
    char pyspy[4096], austin[4096], dir[4096], out[4200], pidbuf[32], secs[32];
    char *argv[20];
    int n = 0, rc, have_pyspy = !memory && proc_find_tool("py-spy", pyspy, sizeof pyspy);
    int have_austin = proc_find_tool("austin", austin, sizeof austin);
    if (!have_pyspy && !have_austin) {
        if (memory)
            return collect_tool_missing("austin", "memory --lang python uses austin's memory mode: "
                                                  "apt-get install austin (or pip install austin-dist)");
        cli_error("neither py-spy nor austin is installed: install py-spy (pip install py-spy) or austin "
                  "(apt-get install austin; Debian's austin 1.0.1 profiles CPython up to 3.8)");
        return EXIT_TOOL_MISSING;
    }
    if ((rc = tempdir_make(dir, sizeof dir, "python")) != 0) {
        cli_error("cannot create a temporary directory: %s", strerror(rc));
        return EXIT_BAD_INPUT;
    }
    snprintf(pidbuf, sizeof pidbuf, "%ld", cfg->pid);
    if (have_pyspy) {
        /* py-spy stops by itself after --duration; the countdown's end sends SIGINT anyway */
        snprintf(secs, sizeof secs, "%ld", (long)ceil(cfg->duration_ms / 1000));
        snprintf(out, sizeof out, "%s/pyspy.txt", dir);
        argv[n++] = pyspy;
        argv[n++] = (char *)"record";
        argv[n++] = (char *)"--pid";
        argv[n++] = pidbuf;
        argv[n++] = (char *)"--duration";
        argv[n++] = secs;
        argv[n++] = (char *)"--format";
        argv[n++] = (char *)"raw";
        argv[n++] = (char *)"--nonblocking";
        argv[n++] = (char *)"-o";
        argv[n++] = out;
        argv[n] = NULL;
        cli_info(cfg, "python: py-spy sampling pid %ld for %.1f s", cfg->pid, cfg->duration_ms / 1000);
        rc = run_tool(cfg, argv, "py-spy", out, info, explain_pyspy);
        if (rc == EXIT_OK) rc = parse_output(cfg, p, out, RF_FORMAT_FOLDED, 0, "py-spy profile");
    } else {
        snprintf(out, sizeof out, "%s/austin.txt", dir);
        argv[n++] = austin;
        if (memory) argv[n++] = (char *)"-m";
        argv[n++] = (char *)"-p";
        argv[n++] = pidbuf;
        argv[n++] = (char *)"-o";
        argv[n++] = out;
        argv[n] = NULL;
        cli_info(cfg, "python: austin %ssampling pid %ld for %.1f s (py-spy is not installed)", memory ? "memory " : "",
                 cfg->pid, cfg->duration_ms / 1000);
        rc = run_tool(cfg, argv, "austin", out, info, explain_austin);
        if (rc == EXIT_OK) rc = parse_output(cfg, p, out, RF_FORMAT_AUSTIN, memory, "austin profile");
    }
    tempdir_remove(dir);
    return rc;
}
