/* The Node inspector route (hce --pid / --inspect, memory --lang node): CPU sampling
   (Profiler.*) or heap sampling (HeapProfiler.*Sampling) over the inspector's WebSocket.

   Safety (DESIGN.md): SIGUSR1 opens a Node process's inspector on loopback, which lets any
   local user run code in that process. We say so before doing it, only signal a process
   that really is node (SIGUSR1 kills most other programs), and close the inspector again
   when done, on every path after it was opened. An inspector that was already open is left
   as it was. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "collect_util.h"

#define INSPECTOR_MAX_MESSAGE ((size_t)1 << 30) /* a CPU profile of a long run is large */
#define OPEN_TIMEOUT_S 5.0   /* SIGUSR1 -> inspector listening */
#define CALL_TIMEOUT_S 30.0  /* one CDP call (stopping a long profile serialises it) */
#define MAX_PORTS 16

/* The node executable's name: node, nodejs, node20... (not bun or deno). */
static int is_node_process(long pid, char *exe_out, size_t cap) {
    char path[64], exe[4096], comm[64];
    ssize_t k;
    const char *base;
    FILE *f;
    snprintf(path, sizeof path, "/proc/%ld/exe", pid);
    k = readlink(path, exe, sizeof exe - 1);
    exe[k > 0 ? k : 0] = '\0';
    base = strrchr(exe, '/');
    base = base ? base + 1 : exe;
    snprintf(exe_out, cap, "%s", exe[0] ? exe : "?");
    if (!strncmp(base, "node", 4)) return 1;
    /* exe unreadable (another user's process): fall back to the command name */
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    if ((f = fopen(path, "r")) != NULL) {
        if (fgets(comm, sizeof comm, f)) {
            comm[strcspn(comm, "\n")] = '\0';
            if (!exe[0]) snprintf(exe_out, cap, "%s", comm);
            if (!exe[0] && (!strcmp(comm, "node") || !strcmp(comm, "nodejs") || !strcmp(comm, "MainThread"))) {
                fclose(f);
                return 1;
            }
        }
        fclose(f);
    }
    return 0;
}

/* The first webSocketDebuggerUrl of GET http://host:port/json/list. 1 found, 0 not. */
static int ws_url_from_list(const char *http_base, char *out, size_t cap, char *err, size_t errcap) {
    char url[1024];
    cli_http_request rq;
    cli_http_response rs;
    cli_http_status st;
    const char *k, *v, *e;
    collect_join_url(http_base, "/json/list", url, sizeof url);
    memset(&rq, 0, sizeof rq);
    rq.url = url;
    rq.timeout = 3;
    st = cli_http(&rq, &rs);
    if (st != CLI_HTTP_OK || rs.status != 200) {
        if (st != CLI_HTTP_OK) snprintf(err, errcap, "%.400s", rs.error);
        else snprintf(err, errcap, "%.300s answered HTTP %ld (is it a Node inspector? Bun's has no /json/list: give the ws:// URL)", url, rs.status);
        cli_http_free(&rs);
        return 0;
    }
    k = strstr(rs.body, "\"webSocketDebuggerUrl\"");
    v = k ? strchr(k + 22, '"') : NULL;
    e = v ? strchr(v + 1, '"') : NULL;
    if (!e || (size_t)(e - v - 1) >= cap) {
        snprintf(err, errcap, "%.300s lists no debuggable target", url);
        cli_http_free(&rs);
        return 0;
    }
    snprintf(out, cap, "%.*s", (int)(e - v - 1), v + 1);
    cli_http_free(&rs);
    return 1;
}

/* An inspector among pid's listening ports (9229 first). Returns the port, 0 if none. */
static int find_inspector_port(long pid, char *wsurl, size_t cap) {
    int ports[MAX_PORTS];
    size_t n = collect_listening_ports(pid, ports, MAX_PORTS), i, pass;
    char base[64], err[256];
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < n; i++) {
            if ((pass == 0) != (ports[i] == 9229)) continue;
            snprintf(base, sizeof base, "http://127.0.0.1:%d", ports[i]);
            if (ws_url_from_list(base, wsurl, cap, err, sizeof err)) return ports[i];
        }
    return 0;
}

static int port_still_listening(long pid, int port) {
    int ports[MAX_PORTS];
    size_t n = collect_listening_ports(pid, ports, MAX_PORTS), i;
    for (i = 0; i < n; i++)
        if (ports[i] == port) return 1;
    return 0;
}

/* Runtime.evaluate in the target: close its inspector once our session has gone. Deferred
   with a timer because inspector.close() waits for the connected sessions (ours) to end. */
static const char close_expression[] =
    "{\"expression\":\"(function(){var r=typeof require==='function'?require:(process.mainModule&&process.mainModule.require.bind(process.mainModule));"
    "setTimeout(function(){try{if(r){r('inspector').close();}else if(typeof process._debugEnd==='function'){process._debugEnd();}}catch(e){}},50);"
    "return r?'inspector.close':(typeof process._debugEnd==='function'?'_debugEnd':'none');})()\",\"returnByValue\":true}";

typedef struct node_session {
    ws_conn *ws;
    int next_id;
    char err[512];
} node_session;

/* One call; *resp (may be NULL) gets the response. Exit code. */
static int call(node_session *s, const char *method, const char *params, char **resp, size_t *len) {
    char *r = NULL;
    size_t n = 0;
    int rc = ws_call(s->ws, s->next_id++, method, params, CALL_TIMEOUT_S, INSPECTOR_MAX_MESSAGE, &r, &n, NULL, NULL,
                     s->err, sizeof s->err);
    if (rc <= 0) {
        if (rc == 0) snprintf(s->err, sizeof s->err, "%s: no answer from the inspector within %.0f s", method, CALL_TIMEOUT_S);
        cli_error("inspector: %s", s->err);
        return EXIT_NETWORK;
    }
    if (resp) { *resp = r; *len = n; }
    else free(r);
    return EXIT_OK;
}

static int stop_when_gone(void *ctx) { return !proc_exists(*(long *)ctx); }

int collect_node_inspector(const cli_config *cfg, rf_profile *p, collect_info *info, int heap) {
    char wsurl[1024], exe[4096], safe[1100], params[128], err[512];
    node_session s;
    long pid = cfg->pid;
    int port = 0, opened = 0, rc = EXIT_OK, interrupted = 0;
    char *resp = NULL;
    size_t resp_len = 0;
    double waited;
    memset(&s, 0, sizeof s);
    s.next_id = 1;
    wsurl[0] = '\0';
    if (cfg->inspect) {
        if (!strncmp(cfg->inspect, "ws://", 5)) {
            snprintf(wsurl, sizeof wsurl, "%s", cfg->inspect);
        } else if (!strncmp(cfg->inspect, "http://", 7)) {
            if (!ws_url_from_list(cfg->inspect, wsurl, sizeof wsurl, err, sizeof err)) {
                cli_error("inspector: %s", err);
                return EXIT_NETWORK;
            }
        } else {
            cli_error("--inspect %s: expected ws://HOST:PORT/ID or http://HOST:PORT (the inspector's address)",
                      cfg->inspect);
            return EXIT_USAGE;
        }
    } else {
        if (!is_node_process(pid, exe, sizeof exe)) {
            cli_error("pid %ld runs %s, not node: refusing to send it SIGUSR1 (which would terminate most programs); "
                      "for a Bun process use 'resq-flame bun --inspect URL'", pid, exe);
            return EXIT_USAGE;
        }
        port = find_inspector_port(pid, wsurl, sizeof wsurl);
        if (port) {
            cli_info(cfg, "inspector: pid %ld already has its inspector open on 127.0.0.1:%d; using it (left open)", pid, port);
        } else {
            double until;
            cli_info(cfg, "inspector: opening the Node inspector of pid %ld with SIGUSR1. While it is open (loopback only), "
                     "any local user can run code in that process; it is closed again when profiling ends.", pid);
            if (kill((pid_t)pid, SIGUSR1) != 0) {
                cli_error("cannot signal pid %ld: %s%s", pid, strerror(errno),
                          errno == EPERM ? " (run as the process's owner)" : "");
                return errno == ESRCH ? EXIT_NOT_FOUND : EXIT_USAGE;
            }
            opened = 1;
            until = collect_now() + OPEN_TIMEOUT_S;
            while (!(port = find_inspector_port(pid, wsurl, sizeof wsurl)) && collect_now() < until && proc_exists(pid)) {
                struct timespec ts = {0, 50000000};
                nanosleep(&ts, NULL);
            }
            if (!port) {
                cli_error("pid %ld did not open an inspector within %.0f s after SIGUSR1 (started with "
                          "--disable-sigusr1, or an inspector port already taken? try --inspect URL)", pid, OPEN_TIMEOUT_S);
                return proc_exists(pid) ? EXIT_NETWORK : EXIT_NOT_FOUND;
            }
        }
    }
    snprintf(safe, sizeof safe, "%s", wsurl);
    if (!(s.ws = ws_connect(wsurl, 10, err, sizeof err))) {
        cli_error("inspector: %s", err);
        rc = EXIT_NETWORK;
        goto close_inspector;
    }
    cli_info(cfg, "inspector: connected to %s", safe);
    if (heap) {
        snprintf(params, sizeof params, "{\"samplingInterval\":%d}", 32768);
        if ((rc = call(&s, "HeapProfiler.enable", NULL, NULL, NULL)) != EXIT_OK) goto done;
        if ((rc = call(&s, "HeapProfiler.startSampling", params, NULL, NULL)) != EXIT_OK) goto done;
    } else {
        if ((rc = call(&s, "Profiler.enable", NULL, NULL, NULL)) != EXIT_OK) goto done;
        /* 1 ms: low overhead on a live process, still ~1000 samples a second */
        if ((rc = call(&s, "Profiler.setSamplingInterval", "{\"interval\":1000}", NULL, NULL)) != EXIT_OK) goto done;
        /* V8 does not tell the profiler about optimized code that exists when profiling starts
           (on-stack-replacement code in particular): samples in it were attributed to the
           caller (a hot loop function vanished into its caller here). One full GC drops that
           code, and what V8 compiles again while profiling is known. Costs the target one GC. */
        if ((rc = call(&s, "HeapProfiler.collectGarbage", NULL, NULL, NULL)) != EXIT_OK) goto done;
        if ((rc = call(&s, "Profiler.start", NULL, NULL, NULL)) != EXIT_OK) goto done;
    }
    waited = collect_wait(cfg, heap ? "sampling allocations" : "sampling", cfg->duration_ms / 1000,
                          pid ? stop_when_gone : NULL, &pid, &interrupted);
    info->seconds = waited;
    info->interrupted = interrupted;
    if (heap) {
        rc = call(&s, "HeapProfiler.stopSampling", NULL, &resp, &resp_len);
        if (rc == EXIT_OK) call(&s, "HeapProfiler.disable", NULL, NULL, NULL);
    } else {
        rc = call(&s, "Profiler.stop", NULL, &resp, &resp_len);
        if (rc == EXIT_OK) call(&s, "Profiler.disable", NULL, NULL, NULL);
    }
    if (rc == EXIT_OK && (rc = collect_save_raw(cfg, resp, resp_len)) == EXIT_OK)
        rc = collect_parse_bytes(cfg, p, heap ? RF_FORMAT_V8_HEAPPROFILE : RF_FORMAT_V8_CPUPROFILE, resp, resp_len,
                                 heap ? "heap profile" : "CPU profile");
    free(resp);
done:
    if (opened && s.ws) {
        char *r = NULL;
        size_t n = 0;
        if (ws_call(s.ws, s.next_id++, "Runtime.evaluate", close_expression, 5, 1 << 20, &r, &n, NULL, NULL, err,
                    sizeof err) <= 0)
            cli_info(cfg, "inspector: asking pid %ld to close its inspector failed: %s", pid, err);
        free(r);
    }
    ws_close(s.ws);
    s.ws = NULL;
close_inspector:
    if (opened && port) {
        double until = collect_now() + 3;
        while (port_still_listening(pid, port) && collect_now() < until) {
            struct timespec ts = {0, 50000000};
            nanosleep(&ts, NULL);
        }
        if (port_still_listening(pid, port))
            cli_error("warning: the inspector of pid %ld is still open on 127.0.0.1:%d; close it from the process "
                      "(require('inspector').close()) or restart it", pid, port);
        else
            cli_info(cfg, "inspector: closed again");
    }
    return rc;
}
