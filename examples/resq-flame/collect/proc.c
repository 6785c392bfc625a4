/* Child processes for the collectors: spawn with pipes, bounded waits, signals, reaping,
   tools on PATH, temporary directories, and the countdown wait. Every child is reaped on
   every path: a profiler left running (or a target left stopped) is the one thing a
   profiling tool must never do. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "collect_util.h"

double collect_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int proc_exists(long pid) {
    if (pid <= 0 || pid != (long)(pid_t)pid) return 0;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int proc_find_tool(const char *name, char *out, size_t cap) {
    const char *path = getenv("PATH"), *p;
    if (strchr(name, '/')) {
        if (access(name, X_OK) != 0) return 0;
        snprintf(out, cap, "%s", name);
        return 1;
    }
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path;;) {
        size_t len = strcspn(p, ":");
        struct stat st;
        if (len == 0) snprintf(out, cap, "./%s", name);
        else snprintf(out, cap, "%.*s/%s", (int)len, p, name);
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) return 1;
        if (!p[len]) break;
        p += len + 1;
    }
    return 0;
}

static void set_cloexec_nonblock(int fd, int nonblock) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
    if (nonblock) {
        fl = fcntl(fd, F_GETFL);
        if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    }
}

/* A second Ctrl-C (or SIGTERM) ends resq-flame at once from the signal handler (progress.c);
   children must not outlive it: the hook kills each running child's process group. */
static void kill_child_hook(void *ctx) {
    proc_child *c = (proc_child *)ctx;
    if (c->pid > 0 && !c->reaped) kill(c->own_group ? -c->pid : c->pid, SIGKILL);
}

static void forget_child(proc_child *c) {
    if (c->hooked) progress_on_abort_remove(kill_child_hook, c);
    c->hooked = 0;
}

int proc_spawn(proc_child *c, char *const argv[], unsigned flags) {
    int outp[2] = {-1, -1}, errp[2] = {-1, -1}, execp[2] = {-1, -1};
    int e = 0, child_errno = 0;
    ssize_t n;
    pid_t pid;
    char exe[4096];
    memset(c, 0, sizeof *c);
    c->out_fd = c->err_fd = -1;
    if (!proc_find_tool(argv[0], exe, sizeof exe)) return ENOENT;
    if ((flags & PROC_PIPE_OUT) && pipe(outp) != 0) return errno;
    if ((flags & PROC_CAPTURE_ERR) && pipe(errp) != 0) { e = errno; goto fail; }
    /* tells the parent whether exec failed (the write end closes on a successful exec) */
    if (pipe(execp) != 0) { e = errno; goto fail; }
    set_cloexec_nonblock(execp[1], 0);
    fflush(NULL);
    pid = fork();
    if (pid < 0) { e = errno; goto fail; }
    if (pid == 0) {
        sigset_t none;
        int devnull = open("/dev/null", O_RDWR);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (flags & PROC_OWN_GROUP) setpgid(0, 0);
        if (devnull >= 0) dup2(devnull, 0);
        if (flags & PROC_CAPTURE_ERR) dup2(errp[1], 2);
        if (flags & PROC_PIPE_OUT) dup2(outp[1], 1);
        else if (flags & PROC_OUT_TO_ERR) dup2(2, 1);
        else if (devnull >= 0) dup2(devnull, 1);
        execv(exe, argv);
        child_errno = errno;
        if (write(execp[1], &child_errno, sizeof child_errno) < 0) _exit(127);
        _exit(127);
    }
    close(execp[1]);
    execp[1] = -1;
    do n = read(execp[0], &child_errno, sizeof child_errno);
    while (n < 0 && errno == EINTR);
    close(execp[0]);
    execp[0] = -1;
    if (flags & PROC_OWN_GROUP) setpgid(pid, pid); /* also from here: no race with early signals */
    c->pid = pid;
    c->own_group = (flags & PROC_OWN_GROUP) != 0;
    progress_on_abort(kill_child_hook, c);
    c->hooked = 1;
    if (outp[1] >= 0) close(outp[1]);
    if (errp[1] >= 0) close(errp[1]);
    c->out_fd = outp[0];
    c->err_fd = errp[0];
    if (c->out_fd >= 0) set_cloexec_nonblock(c->out_fd, 0);
    if (c->err_fd >= 0) set_cloexec_nonblock(c->err_fd, 1);
    if (n == (ssize_t)sizeof child_errno) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        forget_child(c);
        c->pid = 0;
        c->reaped = 1;
        proc_close(c);
        return child_errno ? child_errno : ENOEXEC;
    }
    return 0;
fail:
    if (outp[0] >= 0) { close(outp[0]); close(outp[1]); }
    if (errp[0] >= 0) { close(errp[0]); close(errp[1]); }
    if (execp[0] >= 0) { close(execp[0]); close(execp[1]); }
    return e;
}

void proc_drain_err(proc_child *c) {
    char buf[4096];
    ssize_t n;
    if (c->err_fd < 0) return;
    for (;;) {
        n = read(c->err_fd, buf, sizeof buf);
        if (n > 0) {
            size_t room = sizeof c->err - 1 - c->err_len, k = (size_t)n < room ? (size_t)n : room;
            memcpy(c->err + c->err_len, buf, k); /* keep the start: that is where tools explain */
            c->err_len += k;
            c->err[c->err_len] = '\0';
            continue;
        }
        if (n == 0) { close(c->err_fd); c->err_fd = -1; }
        break; /* EAGAIN (nothing more now) or an error */
    }
}

static int try_reap(proc_child *c, int block) {
    int st;
    pid_t r;
    if (c->reaped || c->pid <= 0) return 1;
    do r = waitpid(c->pid, &st, block ? 0 : WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r == c->pid || (r < 0 && errno == ECHILD)) {
        c->status = r == c->pid ? st : -1;
        c->reaped = 1;
        forget_child(c);
        return 1;
    }
    return 0;
}

int proc_wait(proc_child *c, double timeout) {
    double end = collect_now() + timeout;
    for (;;) {
        proc_drain_err(c);
        if (try_reap(c, 0)) { proc_drain_err(c); return 1; }
        if (timeout >= 0 && collect_now() >= end) return 0;
        if (c->err_fd >= 0) {
            struct pollfd pfd;
            pfd.fd = c->err_fd;
            pfd.events = POLLIN;
            poll(&pfd, 1, 20);
        } else {
            struct timespec ts = {0, 20000000};
            nanosleep(&ts, NULL);
        }
    }
}

int proc_stop(proc_child *c, int sig, double grace) {
    if (c->reaped || c->pid <= 0) return c->reaped ? c->status : -1;
    kill(c->own_group ? -c->pid : c->pid, sig); /* the group when it leads one */
    if (!proc_wait(c, grace)) {
        kill(c->own_group ? -c->pid : c->pid, SIGKILL);
        try_reap(c, 1);
    }
    return c->status;
}

void proc_close(proc_child *c) {
    if (c->out_fd >= 0) close(c->out_fd);
    if (c->err_fd >= 0) close(c->err_fd);
    c->out_fd = c->err_fd = -1;
}

void proc_status_text(int status, char *out, size_t cap) {
    if (status == -1) snprintf(out, cap, "an unknown status");
    else if (WIFEXITED(status)) snprintf(out, cap, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(out, cap, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else snprintf(out, cap, "status %d", status);
}

int proc_run_capture(char *const argv[], double timeout, char **out, size_t *out_len, size_t max, proc_child *c) {
    size_t len = 0, cap = 0;
    char *buf = NULL;
    double end = collect_now() + timeout;
    int e = proc_spawn(c, argv, PROC_PIPE_OUT | PROC_CAPTURE_ERR | PROC_OWN_GROUP);
    *out = NULL;
    *out_len = 0;
    if (e) return e;
    for (;;) {
        struct pollfd pfd[2];
        int nfd = 0, left = (int)((end - collect_now()) * 1000);
        if (left <= 0) { e = ETIMEDOUT; break; }
        if (c->out_fd < 0) break;
        pfd[nfd].fd = c->out_fd; pfd[nfd].events = POLLIN; nfd++;
        if (c->err_fd >= 0) { pfd[nfd].fd = c->err_fd; pfd[nfd].events = POLLIN; nfd++; }
        if (poll(pfd, (nfds_t)nfd, left > 100 ? 100 : left) < 0 && errno != EINTR) { e = errno; break; }
        proc_drain_err(c);
        if (pfd[0].revents) {
            ssize_t n;
            if (cap - len < 65536) {
                size_t ncap = cap ? cap * 2 : 65536;
                char *nb;
                if (ncap > max + 65536) ncap = max + 65536;
                if (len >= max) { e = EFBIG; break; }
                nb = (char *)realloc(buf, ncap + 1);
                if (!nb) { e = ENOMEM; break; }
                buf = nb;
                cap = ncap;
            }
            n = read(c->out_fd, buf + len, cap - len);
            if (n > 0) len += (size_t)n;
            else if (n == 0) { close(c->out_fd); c->out_fd = -1; }
            else if (errno != EINTR && errno != EAGAIN) { e = errno; break; }
        }
    }
    if (e) proc_stop(c, SIGKILL, 1);
    else if (!proc_wait(c, end - collect_now() > 1 ? end - collect_now() : 1)) { e = ETIMEDOUT; proc_stop(c, SIGKILL, 1); }
    proc_close(c);
    if (e) { free(buf); return e; }
    if (!buf && !(buf = (char *)malloc(1))) return ENOMEM;
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

/* ---- temporary directories -------------------------------------------------------------- */
int tempdir_make(char *out, size_t cap, const char *tag) {
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    if ((size_t)snprintf(out, cap, "%s/resq-flame-%s-XXXXXX", base, tag) >= cap) return ENAMETOOLONG;
    if (!mkdtemp(out)) return errno;
    return 0;
}

void tempdir_remove(const char *dir) {
    DIR *d;
    struct dirent *e;
    char path[4096];
    if (!dir || !*dir) return;
    if ((d = opendir(dir)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (unlink(path) != 0 && errno == EISDIR) tempdir_remove(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* ---- waiting with the countdown ------------------------------------------------------------- */
double collect_wait(const cli_config *cfg, const char *what, double seconds, int (*stop)(void *ctx), void *ctx,
                    int *interrupted) {
    double start = collect_now(), end = start + seconds, last_tick = -1, now;
    *interrupted = 0;
    progress_countdown_start(cfg, what, seconds);
    for (;;) {
        struct timespec ts;
        double left;
        now = collect_now();
        left = end - now;
        if (left <= 0) break;
        if (progress_interrupted()) { *interrupted = 1; break; }
        if (stop && stop(ctx)) break;
        if (now - last_tick >= 0.2) { progress_countdown_tick(left); last_tick = now; }
        if (left > 0.05) left = 0.05;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(left * 1e9);
        nanosleep(&ts, NULL);
    }
    progress_countdown_end();
    return collect_now() - start;
}
