/* Which process listens on which TCP port, from /proc: the LISTEN rows of /proc/net/tcp and
   /proc/net/tcp6 give (port, socket inode); /proc/PID/fd/N links "socket:[inode]" give the
   owner. Used by pdie (the process behind --url) and by the Node inspector route (the port
   SIGUSR1 opened, which is not always 9229). Processes we may not inspect are skipped. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "collect_util.h"

#define MAX_LISTEN 4096

typedef struct listen_row {
    int port;
    unsigned long inode;
} listen_row;

static size_t read_listeners(listen_row *rows, size_t max) {
    static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    size_t n = 0, f;
    for (f = 0; f < 2; f++) {
        FILE *fp = fopen(files[f], "r");
        char line[512];
        if (!fp) continue;
        if (!fgets(line, sizeof line, fp)) { fclose(fp); continue; } /* header */
        while (n < max && fgets(line, sizeof line, fp)) {
            char local[128], remote[128], state[8];
            unsigned long inode;
            unsigned port;
            char *colon;
            /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
            if (sscanf(line, "%*s %127s %127s %7s %*s %*s %*s %*s %*s %lu", local, remote, state, &inode) != 4) continue;
            if (strcmp(state, "0A") != 0 || !inode) continue; /* 0A = LISTEN */
            colon = strrchr(local, ':');
            if (!colon || sscanf(colon + 1, "%x", &port) != 1) continue;
            rows[n].port = (int)port;
            rows[n].inode = inode;
            n++;
        }
        fclose(fp);
    }
    return n;
}

/* Calls back for every socket inode among pid's open files; stops when fn returns nonzero. */
static int for_each_socket(long pid, int (*fn)(void *ctx, unsigned long inode), void *ctx) {
    char dir[64], path[384], link[128];
    DIR *d;
    struct dirent *e;
    int stop = 0;
    snprintf(dir, sizeof dir, "/proc/%ld/fd", pid);
    if (!(d = opendir(dir))) return 0;
    while (!stop && (e = readdir(d)) != NULL) {
        ssize_t k;
        unsigned long inode;
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        k = readlink(path, link, sizeof link - 1);
        if (k <= 0) continue;
        link[k] = '\0';
        if (sscanf(link, "socket:[%lu]", &inode) == 1) stop = fn(ctx, inode);
    }
    closedir(d);
    return stop;
}

typedef struct match_ctx {
    const listen_row *rows;
    size_t nrows;
    int port;          /* looking for this port's owner */
    int *ports;        /* or collecting a pid's ports */
    size_t nports, max;
} match_ctx;

static int owns_port(void *vctx, unsigned long inode) {
    match_ctx *m = (match_ctx *)vctx;
    size_t i;
    for (i = 0; i < m->nrows; i++)
        if (m->rows[i].inode == inode && m->rows[i].port == m->port) return 1;
    return 0;
}

static int collect_port(void *vctx, unsigned long inode) {
    match_ctx *m = (match_ctx *)vctx;
    size_t i, j;
    for (i = 0; i < m->nrows; i++) {
        if (m->rows[i].inode != inode) continue;
        for (j = 0; j < m->nports; j++)
            if (m->ports[j] == m->rows[i].port) break;
        if (j == m->nports && m->nports < m->max) m->ports[m->nports++] = m->rows[i].port;
    }
    return m->nports >= m->max;
}

long collect_pid_listening_on(int port, char *err, size_t errcap) {
    listen_row *rows = (listen_row *)malloc(MAX_LISTEN * sizeof *rows);
    match_ctx m;
    DIR *d;
    struct dirent *e;
    long found = 0;
    size_t i;
    int listening = 0;
    if (!rows) { snprintf(err, errcap, "out of memory"); return 0; }
    memset(&m, 0, sizeof m);
    m.rows = rows;
    m.nrows = read_listeners(rows, MAX_LISTEN);
    m.port = port;
    for (i = 0; i < m.nrows; i++) listening |= rows[i].port == port;
    if (!listening) {
        snprintf(err, errcap, "nothing listens on TCP port %d", port);
        free(rows);
        return 0;
    }
    if ((d = opendir("/proc")) != NULL) {
        while (!found && (e = readdir(d)) != NULL) {
            const char *s = e->d_name;
            long pid;
            if (!isdigit((unsigned char)*s)) continue;
            pid = strtol(s, NULL, 10);
            if (pid > 0 && pid != (long)getpid() && for_each_socket(pid, owns_port, &m)) found = pid;
        }
        closedir(d);
    }
    if (!found)
        snprintf(err, errcap, "port %d is listening, but its process is not visible to this user (run as its owner, "
                 "or give --pid)", port);
    free(rows);
    return found;
}

size_t collect_listening_ports(long pid, int *ports, size_t max) {
    listen_row *rows = (listen_row *)malloc(MAX_LISTEN * sizeof *rows);
    match_ctx m;
    if (!rows) return 0;
    memset(&m, 0, sizeof m);
    m.rows = rows;
    m.nrows = read_listeners(rows, MAX_LISTEN);
    m.ports = ports;
    m.max = max;
    if (m.nrows && max) for_each_socket(pid, collect_port, &m);
    free(rows);
    return m.nports;
}
