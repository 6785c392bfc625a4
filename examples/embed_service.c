/* A C service that vendors resq_flame.h and serves flame graphs of itself.
   A worker thread does the service's "work"; a SIGPROF timer samples its call
   stack with backtrace(); GET /flamegraph.svg (or /folded) on 127.0.0.1 turns
   the samples collected so far into a graph.
     build: cc -O1 -g -fno-omit-frame-pointer -rdynamic embed_service.c -lpthread -ldl
     run:   ./embed_service [PORT] [SECONDS]   (PORT 0 = any free port; printed on stdout)
   Names come from dladdr(), so functions must be exported (-rdynamic). */
#define _GNU_SOURCE 1 /* dladdr */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <arpa/inet.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_FRAMES 64
#define MAX_SAMPLES 65536

typedef struct sample { int depth; void *pc[MAX_FRAMES]; } sample;

/* Written only by the SIGPROF handler on the worker thread; read by the HTTP
   thread up to the published count. */
static sample *samples;
static volatile sig_atomic_t published;

static void on_sigprof(int sig) {
    int i = published;
    (void)sig;
    if (i >= MAX_SAMPLES) return;
    samples[i].depth = backtrace(samples[i].pc, MAX_FRAMES);
    __atomic_store_n(&published, i + 1, __ATOMIC_RELEASE);
}

/* The "service": a known 3:1 split between two functions. */
volatile double sink;
__attribute__((noinline)) void parse_request(long n) { long i; for (i = 0; i < n; i++) sink += (double)i * 0.5; }
__attribute__((noinline)) void score_candidates(long n) { long i; for (i = 0; i < n; i++) sink += (double)(i % 7); }
__attribute__((noinline)) void handle_one(void) { score_candidates(3000000); parse_request(1000000); }

static void *worker(void *arg) {
    struct itimerval it;
    (void)arg;
    it.it_interval.tv_sec = 0;
    it.it_interval.tv_usec = 5000; /* 200 Hz of CPU time */
    it.it_value = it.it_interval;
    setitimer(ITIMER_PROF, &it, NULL);
    for (;;) handle_one();
    return NULL;
}

static int send_all(void *ctx, const void *data, size_t n) {
    int fd = *(int *)ctx;
    const char *p = (const char *)data;
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) return 1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Samples so far -> profile (root first; the signal frames are dropped). */
static rf_profile *build_profile(void) {
    rf_profile *p = rf_profile_new(NULL);
    int n = __atomic_load_n(&published, __ATOMIC_ACQUIRE), i, j;
    char names[MAX_FRAMES][32];
    for (i = 0; p && i < n; i++) {
        rf_strview frames[MAX_FRAMES];
        int k = 0;
        for (j = samples[i].depth - 1; j >= 2; j--) { /* [0] handler, [1] signal trampoline */
            Dl_info info;
            if (dladdr(samples[i].pc[j], &info) && info.dli_sname) {
                frames[k].ptr = info.dli_sname;
                frames[k].len = strlen(info.dli_sname);
            } else {
                snprintf(names[k], sizeof names[k], "%p", samples[i].pc[j]);
                frames[k].ptr = names[k];
                frames[k].len = strlen(names[k]);
            }
            k++;
        }
        rf_profile_add(p, frames, (size_t)k, 1);
    }
    return p;
}

static void serve(int client) {
    char req[2048];
    ssize_t n = recv(client, req, sizeof req - 1, 0);
    rf_profile *p;
    const char *hdr;
    int svg;
    if (n <= 0) return;
    req[n] = '\0';
    svg = strncmp(req, "GET /flamegraph.svg", 19) == 0;
    if (!svg && strncmp(req, "GET /folded", 11) != 0) {
        hdr = "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\ntry /flamegraph.svg or /folded\n";
        send_all(&client, hdr, strlen(hdr));
        return;
    }
    p = build_profile();
    if (!p) return;
    hdr = svg ? "HTTP/1.0 200 OK\r\nContent-Type: image/svg+xml\r\n\r\n"
              : "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    if (!send_all(&client, hdr, strlen(hdr))) {
        if (svg) {
            rf_svg_options o;
            memset(&o, 0, sizeof o);
            o.title = "embed_service: live CPU profile";
            rf_write_svg(p, &o, send_all, &client);
        } else {
            rf_write_folded(p, send_all, &client);
        }
    }
    rf_profile_free(p);
}

int main(int argc, char **argv) {
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    pthread_t th;
    sigset_t set;
    void *warm[4];
    int fd, one = 1;
    long seconds = argc > 2 ? atol(argv[2]) : 0;
    time_t start = time(NULL);
    samples = (sample *)calloc(MAX_SAMPLES, sizeof *samples);
    if (!samples) return 1;
    backtrace(warm, 4); /* loads the unwinder now, not inside the signal handler */
    signal(SIGPROF, on_sigprof);
    if (pthread_create(&th, NULL, worker, NULL)) return 1;
    sigemptyset(&set);
    sigaddset(&set, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* only the worker is sampled */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* never anything but loopback */
    addr.sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 0));
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) || listen(fd, 8) ||
        getsockname(fd, (struct sockaddr *)&addr, &alen)) {
        perror("embed_service: listen");
        return 1;
    }
    printf("{\"port\": %d}\n", ntohs(addr.sin_port));
    fflush(stdout);
    for (;;) {
        struct timeval tv;
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(fd, &rd);
        tv.tv_sec = 1;
        tv.tv_usec = 0;
        if (seconds && time(NULL) - start >= seconds) break;
        if (select(fd + 1, &rd, NULL, NULL, &tv) > 0) {
            int c = accept(fd, NULL, NULL);
            if (c >= 0) { serve(c); close(c); }
        }
    }
    close(fd);
    return 0;
}
