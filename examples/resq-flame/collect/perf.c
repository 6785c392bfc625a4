/* perf-based collectors: `perf` (on-CPU samples of a pid or a command), `offcpu` (blocked
   time per stack from sched:sched_switch) and hotcold's live capture (both at once).

   perf record writes perf.data into a private temporary directory (removed on every path);
   `perf script` is then streamed straight into the header's perf parser, never stored
   as text (with --save-raw the same text is also copied to that file).

   Off-CPU (FORMATS.md §8.4): the sched_switch tracepoint that switches a thread back in
   fires in the context of the task it replaces, and on some machines the idle task's
   tracepoints are lost on some CPUs (seen here: every switch-in from CPU 1's idle task was
   missing, so most blocked intervals never closed). We record the target's threads only
   (-p PID): the tracepoint gives the stack at each switch-out, and --switch-events gives a
   PERF_RECORD_SWITCH IN record in the thread's own context at each switch-in, which the
   header's off-CPU mode uses to close the interval. glibc's sleep and I/O wrappers have no
   frame pointers, so the caller of a blocking call is lost with fp unwinding: off-CPU uses
   --call-graph dwarf by default. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "collect_util.h"

#define PERF_INSTALL "install it with 'apt-get install linux-perf' (Debian) or 'apt-get install linux-tools-common " \
                     "linux-tools-$(uname -r)' (Ubuntu), or 'dnf install perf' (Fedora)"
#define STOP_GRACE_S 10.0       /* perf record writes its buffers out after SIGINT */
#define SCRIPT_TIMEOUT_S 600.0  /* symbolising a big perf.data can take a while */

typedef struct perf_rec {
    proc_child child;
    char data[4200];   /* perf.data path */
    char ctl[4200], ack[4200]; /* --control fifos: events are enabled when we say so */
    int ctl_fd, ack_fd;
    int running;
} perf_rec;

static int perf_path(char *out, size_t cap) {
    const char *env = getenv("PERF"); /* as flamegraph-rs: a perf elsewhere */
    if (env && *env) return proc_find_tool(env, out, cap);
    return proc_find_tool("perf", out, cap);
}

/* Explains a failed perf from its stderr. Returns an exit code. */
static int explain_failure(const char *what, const proc_child *c) {
    char status[96];
    const char *e = c->err;
    proc_status_text(c->status, status, sizeof status);
    if (strstr(e, "perf_event_paranoid") || strstr(e, "Permission denied") || strstr(e, "No permission") ||
        strstr(e, "Access to performance monitoring")) {
        cli_error("%s: perf is not allowed to record here (%s). Run as root, or allow it with "
                  "'sudo sysctl kernel.perf_event_paranoid=1' (-1 for system-wide tracepoints such as offcpu's), "
                  "or give the binary CAP_PERFMON. perf said: %.300s",
                  what, status, e);
        return EXIT_TOOL_MISSING;
    }
    if (strstr(e, "tracepoint") && strstr(e, "not found")) {
        cli_error("%s: this kernel has no sched:sched_switch tracepoint available to perf (is tracefs mounted? "
                  "mount -t tracefs nodev /sys/kernel/tracing). perf said: %.300s",
                  what, e);
        return EXIT_TOOL_MISSING;
    }
    cli_error("%s: perf failed (%s): %.400s", what, status, e[0] ? e : "(no message)");
    return EXIT_BAD_INPUT;
}

/* Starts `perf record` with the given event arguments. Exit code. */
static int record_start(perf_rec *r, const char *perf, const char *dir, const char *name, char **event_args,
                        const cli_config *cfg, int with_cmd) {
    char *argv[64];
    int n = 0, i, e;
    char pidbuf[32], control[8500];
    snprintf(r->data, sizeof r->data, "%s/%s", dir, name);
    snprintf(r->ctl, sizeof r->ctl, "%s/%s.ctl", dir, name);
    snprintf(r->ack, sizeof r->ack, "%s/%s.ack", dir, name);
    r->ctl_fd = r->ack_fd = -1;
    /* The events start disabled and are enabled through the control fifo once perf is
       set up (its start-up takes a tenth of a second or more), so the window recorded is
       the duration asked for, and hotcold's two recordings cover the same window. */
    if (mkfifo(r->ctl, 0600) != 0 || mkfifo(r->ack, 0600) != 0 ||
        (r->ctl_fd = open(r->ctl, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0 ||
        (r->ack_fd = open(r->ack, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
        cli_error("cannot create perf's control fifos in %s: %s", dir, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    snprintf(control, sizeof control, "fifo:%s,%s", r->ctl, r->ack);
    argv[n++] = (char *)perf;
    argv[n++] = (char *)"record";
    argv[n++] = (char *)"-q";
    argv[n++] = (char *)"-D";
    argv[n++] = (char *)"-1";
    argv[n++] = (char *)"--control";
    argv[n++] = control;
    argv[n++] = (char *)"-o";
    argv[n++] = r->data;
    for (i = 0; event_args[i]; i++) argv[n++] = event_args[i];
    if (with_cmd) {
        argv[n++] = (char *)"--";
        if (cfg->cmd) {
            argv[n++] = (char *)"/bin/sh";
            argv[n++] = (char *)"-c";
            argv[n++] = (char *)cfg->cmd;
        } else {
            for (i = 0; i < cfg->cmd_argc && n < 62; i++) argv[n++] = cfg->cmd_argv[i];
        }
    } else if (cfg->pid) {
        snprintf(pidbuf, sizeof pidbuf, "%ld", cfg->pid);
        argv[n++] = (char *)"-p";
        argv[n++] = pidbuf;
    }
    argv[n] = NULL;
    /* the profiled command's own output goes to our stderr; ours stays clean for -o - */
    e = proc_spawn(&r->child, argv, PROC_CAPTURE_ERR | PROC_OWN_GROUP | (with_cmd ? PROC_OUT_TO_ERR : 0u));
    if (e) {
        if (e == ENOENT) return collect_tool_missing("perf", PERF_INSTALL);
        cli_error("cannot start perf: %s", strerror(e));
        return EXIT_TOOL_MISSING;
    }
    r->running = 1;
    return EXIT_OK;
}

/* Sends a control command and waits (at most 10 s) for perf's "ack". 0 ok, -1 not acknowledged. */
static int control(perf_rec *r, const char *cmd) {
    double until = collect_now() + 10;
    char buf[64];
    if (r->ctl_fd < 0 || write(r->ctl_fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) return -1;
    while (collect_now() < until) {
        struct pollfd pfd;
        ssize_t k;
        pfd.fd = r->ack_fd;
        pfd.events = POLLIN;
        if (poll(&pfd, 1, 50) > 0 && (k = read(r->ack_fd, buf, sizeof buf - 1)) > 0) {
            buf[k] = '\0';
            if (strstr(buf, "ack")) return 0;
        }
        proc_drain_err(&r->child);
        if (proc_wait(&r->child, 0)) return -1; /* perf exited: record_stop explains */
    }
    return -1;
}

static void control_close(perf_rec *r) {
    if (r->ctl_fd >= 0) close(r->ctl_fd);
    if (r->ack_fd >= 0) close(r->ack_fd);
    r->ctl_fd = r->ack_fd = -1;
}

/* Ends the recording (SIGINT: perf writes what it has) and checks that it worked. */
static int record_stop(perf_rec *r, const char *what) {
    int st;
    if (!r->running) return EXIT_OK;
    r->running = 0;
    st = proc_stop(&r->child, SIGINT, STOP_GRACE_S);
    control_close(r);
    proc_close(&r->child);
    /* perf exits 0, or with the profiled command's status, or by the SIGINT we sent */
    if (access(r->data, R_OK) != 0) return explain_failure(what, &r->child);
    if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 0 &&
        (strstr(r->child.err, "paranoid") || strstr(r->child.err, "rror")))
        return explain_failure(what, &r->child);
    return EXIT_OK;
}

typedef struct muted {
    const cli_config *cfg;
    const char *what;
    const char *mute; /* a warning we expect and explain ourselves */
} muted;

static void warn_muted(void *ctx, const rf_error *w) {
    muted *m = (muted *)ctx;
    if (m->cfg->quiet || (m->mute && w->message && strstr(w->message, m->mute) && !m->cfg->verbose)) return;
    fprintf(stderr, "resq-flame: %s: warning: %s%s%s%s\n", m->what, w->message, w->detail[0] ? " (" : "", w->detail,
            w->detail[0] ? ")" : "");
}

/* perf script of r->data streamed into p. */
static int script_into(const char *perf, const perf_rec *r, const cli_config *cfg, rf_profile *p, int offcpu,
                       const char *event_filter, const char *what, cli_out *raw) {
    char *argv[8];
    proc_child c;
    rf_parse_options opt;
    rf_parser *ps;
    rf_error err;
    muted m;
    char buf[1 << 16];
    int e, rc = EXIT_OK;
    double end = collect_now() + SCRIPT_TIMEOUT_S;
    argv[0] = (char *)perf;
    argv[1] = (char *)"script";
    argv[2] = (char *)"-i";
    argv[3] = (char *)r->data;
    argv[4] = offcpu ? (char *)"--show-switch-events" : NULL; /* the switch-ins, see the top */
    argv[5] = NULL;
    memset(&opt, 0, sizeof opt);
    opt.format = RF_FORMAT_PERF_SCRIPT;
    opt.perf.offcpu = offcpu;
    opt.perf.event_filter = event_filter;
    opt.perf.pid = cfg->perf_pid;
    opt.perf.tid = cfg->perf_tid;
    opt.perf.kernel = cfg->perf_kernel;
    opt.perf.jit = cfg->perf_jit;
    opt.perf.all = cfg->perf_all;
    opt.perf.addrs = cfg->perf_addrs;
    m.cfg = cfg;
    m.what = what;
    m.mute = offcpu ? "still switched out" : NULL;
    opt.warn = warn_muted;
    opt.warn_ctx = &m;
    if (!(ps = rf_parser_new(p, &opt))) { cli_error("out of memory"); return EXIT_BAD_INPUT; }
    if ((e = proc_spawn(&c, argv, PROC_PIPE_OUT | PROC_CAPTURE_ERR | PROC_OWN_GROUP)) != 0) {
        rf_parser_free(ps);
        cli_error("cannot start perf script: %s", strerror(e));
        return EXIT_TOOL_MISSING;
    }
    for (;;) {
        ssize_t n = read(c.out_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        proc_drain_err(&c);
        if (raw && cli_out_write(raw, buf, (size_t)n) != 0) {
            cli_error("--save-raw: writing failed: %s", strerror(errno ? errno : EIO));
            rc = EXIT_BAD_INPUT;
            break;
        }
        if (rf_parser_feed(ps, buf, (size_t)n, &err) != RF_OK) {
            cli_error("%s: perf script output does not parse: %s (line %llu)", what, err.message,
                      (unsigned long long)err.line);
            rc = EXIT_BAD_INPUT;
            break;
        }
        if (collect_now() > end) {
            cli_error("%s: perf script took more than %.0f s; stopped", what, SCRIPT_TIMEOUT_S);
            rc = EXIT_BAD_INPUT;
            break;
        }
    }
    if (rc != EXIT_OK) proc_stop(&c, SIGKILL, 1);
    else if (!proc_wait(&c, 30)) proc_stop(&c, SIGKILL, 1);
    proc_close(&c);
    if (rc == EXIT_OK && (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0)) rc = explain_failure(what, &c);
    if (rc == EXIT_OK && rf_parser_finish(ps, &err) != RF_OK) {
        cli_error("%s: perf script output does not parse: %s", what, err.message);
        rc = EXIT_BAD_INPUT;
    }
    rf_parser_free(ps);
    return rc;
}

/* The call-graph arguments: fp (-g) or dwarf. */
static int call_graph_args(const cli_config *cfg, const char *deflt, char **args, int *n) {
    const char *cg = cfg->call_graph ? cfg->call_graph : deflt;
    if (!strcmp(cg, "fp")) {
        args[(*n)++] = (char *)"-g";
    } else if (!strcmp(cg, "dwarf")) {
        args[(*n)++] = (char *)"--call-graph";
        args[(*n)++] = (char *)"dwarf";
    } else {
        cli_error("--call-graph %s: expected fp (frame pointers, cheap) or dwarf (unwinds code built without frame "
                  "pointers; larger captures)", cg);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int freq_arg(const cli_config *cfg, char *buf, size_t cap) {
    double f = cfg->freq > 0 ? cfg->freq : 99;
    if (f < 1 || f > 100000 || f != (double)(long)f) {
        cli_error("--freq %g: expected a whole number of samples per second from 1 to 100000 (default 99)", cfg->freq);
        return EXIT_USAGE;
    }
    snprintf(buf, cap, "%ld", (long)f);
    return EXIT_OK;
}

typedef struct stop_ctx {
    perf_rec *recs[2];
    int n;
    long pid;
} stop_ctx;

/* Recording ends early when perf (or the profiled command) exits, or the target is gone. */
static int recording_over(void *vctx) {
    stop_ctx *s = (stop_ctx *)vctx;
    int i;
    for (i = 0; i < s->n; i++) {
        proc_drain_err(&s->recs[i]->child);
        if (proc_wait(&s->recs[i]->child, 0)) return 1;
    }
    return s->pid && !proc_exists(s->pid);
}

static void comm_of(long pid, char *out, size_t cap) {
    char path[64];
    FILE *f;
    out[0] = '\0';
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    if ((f = fopen(path, "r")) != NULL) {
        if (fgets(out, (int)cap, f)) out[strcspn(out, "\n")] = '\0';
        fclose(f);
    }
}

/* A short text of what is profiled: "./server --port 1 (pid 12)" */
static void target_text(const cli_config *cfg, char *out, size_t cap) {
    if (cfg->pid) {
        char comm[64];
        comm_of(cfg->pid, comm, sizeof comm);
        if (comm[0]) snprintf(out, cap, "%s (pid %ld)", comm, cfg->pid);
        else snprintf(out, cap, "pid %ld", cfg->pid);
    } else if (cfg->cmd) {
        snprintf(out, cap, "%.120s", cfg->cmd);
    } else {
        size_t len = 0;
        int i;
        out[0] = '\0';
        for (i = 0; i < cfg->cmd_argc && len + 2 < cap; i++) {
            int k = snprintf(out + len, cap - len, "%s%s", i ? " " : "", cfg->cmd_argv[i]);
            if (k < 0) break;
            len += (size_t)k;
            if (len >= cap) { len = cap - 1; break; }
        }
    }
}

/* What perf, offcpu and hotcold share: record(s) for the duration, then script each. */
typedef struct perf_job {
    const char *what;       /* "perf", "offcpu", "hotcold" */
    int on_cpu, off_cpu;    /* which recordings */
    rf_profile *on, *off;
} perf_job;

static int run_job(const cli_config *cfg, perf_job *job, collect_info *info) {
    char perf[4096], dir[4096], freq[32], target[150];
    char *on_args[16], *off_args[16];
    int non = 0, noff = 0, rc = EXIT_OK, interrupted = 0, with_cmd = !cfg->pid;
    perf_rec on_rec, off_rec;
    stop_ctx sc;
    cli_out raw;
    int raw_open = 0;
    memset(&on_rec, 0, sizeof on_rec);
    memset(&off_rec, 0, sizeof off_rec);
    on_rec.ctl_fd = on_rec.ack_fd = off_rec.ctl_fd = off_rec.ack_fd = -1;
    if (!perf_path(perf, sizeof perf)) return collect_tool_missing("perf", PERF_INSTALL);
    if (with_cmd && !cfg->cmd && cfg->cmd_argc <= 0) {
        cli_error("%s needs --pid PID, --cmd \"COMMAND\" or -- COMMAND ARGS", job->what);
        return EXIT_USAGE;
    }
    if (cfg->pid && (cfg->cmd || cfg->cmd_argc > 0)) {
        cli_error("%s: give either --pid or a command, not both", job->what);
        return EXIT_USAGE;
    }
    if ((rc = freq_arg(cfg, freq, sizeof freq)) != EXIT_OK) return rc;
    if (job->on_cpu) {
        /* cpu-clock: periods are nanoseconds, so hotcold can put both in one time unit */
        on_args[non++] = (char *)"-e";
        on_args[non++] = (char *)"cpu-clock";
        on_args[non++] = (char *)"-F";
        on_args[non++] = freq;
        if ((rc = call_graph_args(cfg, "fp", on_args, &non)) != EXIT_OK) return rc;
        on_args[non] = NULL;
    }
    if (job->off_cpu) {
        off_args[noff++] = (char *)"-e";
        off_args[noff++] = (char *)"sched:sched_switch";
        off_args[noff++] = (char *)"--switch-events";
        if ((rc = call_graph_args(cfg, "dwarf", off_args, &noff)) != EXIT_OK) return rc;
        off_args[noff] = NULL;
    }
    if ((rc = tempdir_make(dir, sizeof dir, job->what)) != 0) {
        cli_error("cannot create a temporary directory: %s", strerror(rc));
        return EXIT_BAD_INPUT;
    }
    target_text(cfg, target, sizeof target);
    if (job->on_cpu && (rc = record_start(&on_rec, perf, dir, "oncpu.data", on_args, cfg, with_cmd)) != EXIT_OK) goto done;
    if (job->off_cpu && (rc = record_start(&off_rec, perf, dir, "offcpu.data", off_args, cfg, 0)) != EXIT_OK) goto done;
    if ((job->on_cpu && control(&on_rec, "enable\n") != 0) || (job->off_cpu && control(&off_rec, "enable\n") != 0)) {
        int r1 = record_stop(&on_rec, job->what), r2 = record_stop(&off_rec, job->what);
        rc = r1 != EXIT_OK ? r1 : r2;
        if (rc == EXIT_OK) {
            cli_error("%s: perf did not start recording within 10 s", job->what);
            rc = EXIT_BAD_INPUT;
        }
        goto done;
    }
    sc.n = 0;
    if (job->on_cpu) sc.recs[sc.n++] = &on_rec;
    if (job->off_cpu) sc.recs[sc.n++] = &off_rec;
    sc.pid = cfg->pid;
    cli_info(cfg, "%s: recording %s for %.1f s", job->what, target, cfg->duration_ms / 1000);
    info->seconds = collect_wait(cfg, job->what, cfg->duration_ms / 1000, recording_over, &sc, &interrupted);
    info->interrupted = interrupted;
    /* both windows end together, before either perf spends time writing its buffers out */
    if (job->on_cpu && !on_rec.child.reaped) control(&on_rec, "disable\n");
    if (job->off_cpu && !off_rec.child.reaped) control(&off_rec, "disable\n");
    if (job->on_cpu && (rc = record_stop(&on_rec, job->what)) != EXIT_OK) goto done;
    if (job->off_cpu && (rc = record_stop(&off_rec, job->what)) != EXIT_OK) goto done;
    if (cfg->save_raw) {
        int e = cli_out_open(&raw, cfg->save_raw);
        if (e) {
            cli_error("--save-raw: cannot create '%s': %s", cfg->save_raw, strerror(e));
            rc = EXIT_BAD_INPUT;
            goto done;
        }
        raw_open = 1;
    }
    if (job->on_cpu &&
        (rc = script_into(perf, &on_rec, cfg, job->on, 0, "cpu-clock", job->what, raw_open ? &raw : NULL)) != EXIT_OK)
        goto done;
    if (job->off_cpu &&
        (rc = script_into(perf, &off_rec, cfg, job->off, 1, NULL, job->what, raw_open ? &raw : NULL)) != EXIT_OK)
        goto done;
    if (raw_open) {
        int e;
        raw_open = 0;
        if ((e = cli_out_commit(&raw)) != 0) {
            cli_error("--save-raw: writing '%s' failed: %s", cfg->save_raw, strerror(e));
            rc = EXIT_BAD_INPUT;
            goto done;
        }
        cli_info(cfg, "perf script text kept in %s", cfg->save_raw);
    }
    if (!strcmp(job->what, "perf")) snprintf(info->title, sizeof info->title, "perf: %s", target);
done:
    if (raw_open) cli_out_abort(&raw);
    if (on_rec.running) { proc_stop(&on_rec.child, SIGINT, STOP_GRACE_S); proc_close(&on_rec.child); }
    if (off_rec.running) { proc_stop(&off_rec.child, SIGINT, STOP_GRACE_S); proc_close(&off_rec.child); }
    control_close(&on_rec);
    control_close(&off_rec);
    tempdir_remove(dir);
    return rc;
}

int collect_perf(const cli_config *cfg, rf_profile *p, collect_info *info) {
    perf_job job;
    memset(&job, 0, sizeof job);
    job.what = "perf";
    job.on_cpu = 1;
    job.on = p;
    return run_job(cfg, &job, info);
}

int collect_offcpu(const cli_config *cfg, rf_profile *p, collect_info *info) {
    perf_job job;
    memset(&job, 0, sizeof job);
    job.what = "offcpu";
    job.off_cpu = 1;
    job.off = p;
    return run_job(cfg, &job, info);
}

int collect_hotcold_perf(const cli_config *cfg, rf_profile *on_cpu, rf_profile *off_cpu, collect_info *info) {
    perf_job job;
    memset(&job, 0, sizeof job);
    job.what = "hotcold";
    job.on_cpu = job.off_cpu = 1;
    job.on = on_cpu;
    job.off = off_cpu;
    return run_job(cfg, &job, info);
}
