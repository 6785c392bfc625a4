/* A small WebSocket client (RFC 6455) on a plain socket, for the Node and Bun inspectors:
   the client half only, text messages only. What the inspectors need (FORMATS.md §10.3):
   client frames masked, final, text (Node drops the connection on anything else, pings
   included); a Host header that is an IP literal or localhost; server messages of several
   MB in one 64-bit-length frame; fragments reassembled; pings answered. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "collect_util.h"

struct ws_conn {
    int fd;
    unsigned char buf[65536]; /* bytes read but not consumed */
    size_t start, end;
};

/* ---- SHA-1 (FIPS 180-4), for the handshake's accept key only ---------------------------- */
static uint32_t rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1_block(uint32_t h[5], const unsigned char *b) {
    uint32_t w[80], a, bb, c, d, e, t;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    for (i = 16; i < 80; i++) w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    a = h[0]; bb = h[1]; c = h[2]; d = h[3]; e = h[4];
    for (i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) { f = (bb & c) | (~bb & d); k = 0x5A827999u; }
        else if (i < 40) { f = bb ^ c ^ d; k = 0x6ED9EBA1u; }
        else if (i < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8F1BBCDCu; }
        else { f = bb ^ c ^ d; k = 0xCA62C1D6u; }
        t = rol32(a, 5) + f + e + k + w[i];
        e = d; d = c; c = rol32(bb, 30); bb = a; a = t;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e;
}

void ws_sha1(const void *data, size_t n, unsigned char out[20]) {
    uint32_t h[5] = {0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u};
    const unsigned char *p = (const unsigned char *)data;
    unsigned char last[128];
    size_t i, rest, tail;
    uint64_t bits = (uint64_t)n * 8;
    for (i = 0; i + 64 <= n; i += 64) sha1_block(h, p + i);
    rest = n - i;
    memset(last, 0, sizeof last);
    memcpy(last, p + i, rest);
    last[rest] = 0x80;
    tail = rest + 1 + 8 <= 64 ? 64 : 128;
    for (i = 0; i < 8; i++) last[tail - 1 - i] = (unsigned char)(bits >> (8 * i));
    sha1_block(h, last);
    if (tail == 128) sha1_block(h, last + 64);
    for (i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(h[i] >> 8);
        out[4 * i + 3] = (unsigned char)h[i];
    }
}

size_t ws_base64(const unsigned char *in, size_t n, char *out, size_t cap) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i, o = 0;
    if (cap < (n + 2) / 3 * 4 + 1) { if (cap) out[0] = '\0'; return 0; }
    for (i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        out[o++] = tbl[v >> 18 & 63];
        out[o++] = tbl[v >> 12 & 63];
        out[o++] = i + 1 < n ? tbl[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tbl[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

void ws_accept_key(const char *key, char *out, size_t cap) {
    char joined[256];
    unsigned char digest[20];
    snprintf(joined, sizeof joined, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    ws_sha1(joined, strlen(joined), digest);
    ws_base64(digest, sizeof digest, out, cap);
}

/* ---- socket I/O with deadlines ----------------------------------------------------------------- */
static int wait_fd(int fd, short events, double deadline) {
    for (;;) {
        struct pollfd pfd;
        double left = deadline - collect_now();
        int r;
        if (left <= 0) return 0;
        pfd.fd = fd;
        pfd.events = events;
        r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r > 0) return 1;
        if (r < 0 && errno != EINTR) return -1;
    }
}

static int send_all(int fd, const unsigned char *p, size_t n, double deadline) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k > 0) { p += k; n -= (size_t)k; continue; }
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(fd, POLLOUT, deadline) <= 0) return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* Makes at least `need` bytes available in c->buf (need <= sizeof buf). 1 ok, 0 timeout,
   -1 closed/error. */
static int fill(ws_conn *c, size_t need, double deadline) {
    while (c->end - c->start < need) {
        ssize_t k;
        if (c->start && c->end + need > sizeof c->buf) {
            memmove(c->buf, c->buf + c->start, c->end - c->start);
            c->end -= c->start;
            c->start = 0;
        }
        k = recv(c->fd, c->buf + c->end, sizeof c->buf - c->end, 0);
        if (k > 0) { c->end += (size_t)k; continue; }
        if (k == 0) return -1;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int w = wait_fd(c->fd, POLLIN, deadline);
            if (w <= 0) return w;
            continue;
        }
        return -1;
    }
    return 1;
}

/* Copies n bytes (any size) out of the stream into dst. */
static int read_exact(ws_conn *c, unsigned char *dst, size_t n, double deadline) {
    while (n) {
        size_t have, k;
        int r = fill(c, 1, deadline);
        if (r <= 0) return r;
        have = c->end - c->start;
        k = have < n ? have : n;
        memcpy(dst, c->buf + c->start, k);
        c->start += k;
        dst += k;
        n -= k;
    }
    return 1;
}

static int random_bytes(unsigned char *out, size_t n) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    size_t got = 0;
    if (fd >= 0) {
        while (got < n) {
            ssize_t k = read(fd, out + got, n - got);
            if (k <= 0) break;
            got += (size_t)k;
        }
        close(fd);
    }
    if (got < n) { /* the mask only has to be unpredictable to scripts in a browser page */
        size_t i;
        unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)(collect_now() * 1e6);
        for (i = got; i < n; i++) { seed = seed * 1103515245u + 12345u; out[i] = (unsigned char)(seed >> 16); }
    }
    return 0;
}

/* ws://host:port/path -> parts. Returns 0 ok. */
static int split_ws_url(const char *url, char *host, size_t hcap, char *port, size_t pcap, char *path, size_t pathcap) {
    const char *h, *end, *colon, *slash;
    if (!strncmp(url, "ws://", 5)) h = url + 5;
    else return -1;
    slash = h + strcspn(h, "/?#");
    end = slash;
    if (*h == '[') {
        const char *rb = memchr(h, ']', (size_t)(end - h));
        if (!rb) return -1;
        if ((size_t)(rb - h - 1) >= hcap) return -1;
        memcpy(host, h + 1, (size_t)(rb - h - 1));
        host[rb - h - 1] = '\0';
        colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(h, ':', (size_t)(end - h));
        if ((size_t)((colon ? colon : end) - h) >= hcap || (colon ? colon : end) == h) return -1;
        memcpy(host, h, (size_t)((colon ? colon : end) - h));
        host[(colon ? colon : end) - h] = '\0';
    }
    if (colon) {
        if ((size_t)(end - colon - 1) >= pcap || end == colon + 1) return -1;
        memcpy(port, colon + 1, (size_t)(end - colon - 1));
        port[end - colon - 1] = '\0';
    } else {
        snprintf(port, pcap, "80");
    }
    snprintf(path, pathcap, "%s", *slash == '/' ? slash : "/");
    return 0;
}

ws_conn *ws_connect(const char *url, double timeout, char *err, size_t errcap) {
    char host[256], port[16], path[1024], req[2048], key[32], accept[64], hosthdr[300];
    unsigned char nonce[16];
    struct addrinfo hints, *res = NULL, *ai;
    double deadline = collect_now() + timeout;
    ws_conn *c;
    int fd = -1, r;
    char *hdr_end;
    if (split_ws_url(url, host, sizeof host, port, sizeof port, path, sizeof path) != 0) {
        snprintf(err, errcap, "'%.200s' is not a ws://host:port/path URL", url);
        return NULL;
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
        snprintf(err, errcap, "cannot resolve %s: %s", host, gai_strerror(r));
        return NULL;
    }
    snprintf(err, errcap, "cannot connect to %s:%s", host, port);
    for (ai = res; ai; ai = ai->ai_next) {
        int e = 0;
        socklen_t el = sizeof e;
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, deadline) > 0 &&
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0)
            break;
        snprintf(err, errcap, "cannot connect to %s:%s: %s", host, port,
                 strerror(e ? e : errno == EINPROGRESS ? ETIMEDOUT : errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) return NULL;
    if (!(c = (ws_conn *)calloc(1, sizeof *c))) {
        close(fd);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    c->fd = fd;
    random_bytes(nonce, sizeof nonce);
    ws_base64(nonce, sizeof nonce, key, sizeof key);
    /* Node answers 400 unless Host is an IP literal or localhost: send what the URL says */
    if (strchr(host, ':')) snprintf(hosthdr, sizeof hosthdr, "[%s]:%s", host, port);
    else snprintf(hosthdr, sizeof hosthdr, "%s:%s", host, port);
    snprintf(req, sizeof req,
             "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
             path, hosthdr, key);
    if (send_all(fd, (const unsigned char *)req, strlen(req), deadline) != 0) {
        snprintf(err, errcap, "sending the WebSocket handshake to %s:%s failed: %s", host, port, strerror(errno));
        ws_close(c);
        return NULL;
    }
    /* the response head, up to the blank line; frames may follow in the same read */
    for (;;) {
        c->buf[c->end < sizeof c->buf ? c->end : sizeof c->buf - 1] = '\0';
        if ((hdr_end = strstr((char *)c->buf, "\r\n\r\n")) != NULL) break;
        if (c->end >= 16384) {
            snprintf(err, errcap, "the WebSocket handshake response from %s:%s is too long", host, port);
            ws_close(c);
            return NULL;
        }
        r = fill(c, c->end + 1, deadline);
        if (r <= 0) {
            snprintf(err, errcap, "%s:%s %s during the WebSocket handshake", host, port,
                     r == 0 ? "did not answer in time" : "closed the connection");
            ws_close(c);
            return NULL;
        }
    }
    *hdr_end = '\0';
    if (strncmp((char *)c->buf, "HTTP/1.1 101", 12) != 0) {
        char *eol = strstr((char *)c->buf, "\r\n");
        if (eol) *eol = '\0';
        snprintf(err, errcap, "%s:%s refused the WebSocket upgrade: %.120s (is %s the inspector's WebSocket path?)", host,
                 port, (char *)c->buf, path);
        ws_close(c);
        return NULL;
    }
    ws_accept_key(key, accept, sizeof accept);
    {
        char *line = strstr((char *)c->buf, "\r\n"), *found = NULL;
        while (line && *line) {
            line += 2;
            if (!strncasecmp(line, "Sec-WebSocket-Accept:", 21)) {
                found = line + 21;
                while (*found == ' ' || *found == '\t') found++;
                break;
            }
            line = strstr(line, "\r\n");
        }
        if (!found || strncmp(found, accept, strlen(accept)) != 0 ||
            (found[strlen(accept)] != '\r' && found[strlen(accept)] != '\0' && found[strlen(accept)] != ' ')) {
            snprintf(err, errcap, "%s:%s answered the WebSocket handshake with a wrong Sec-WebSocket-Accept", host, port);
            ws_close(c);
            return NULL;
        }
    }
    c->start = (size_t)(hdr_end - (char *)c->buf) + 4;
    return c;
}

static int send_frame(ws_conn *c, int opcode, const void *data, size_t n, double deadline) {
    unsigned char hdr[14], mask[4];
    unsigned char chunk[8192];
    size_t h = 0, i, done;
    hdr[h++] = (unsigned char)(0x80 | opcode);
    if (n < 126) {
        hdr[h++] = (unsigned char)(0x80 | n);
    } else if (n <= 0xFFFF) {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (unsigned char)(n >> 8);
        hdr[h++] = (unsigned char)n;
    } else {
        hdr[h++] = 0x80 | 127;
        for (i = 0; i < 8; i++) hdr[h++] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    }
    random_bytes(mask, 4);
    memcpy(hdr + h, mask, 4);
    h += 4;
    if (send_all(c->fd, hdr, h, deadline) != 0) return -1;
    for (done = 0; done < n;) {
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        for (i = 0; i < k; i++) chunk[i] = (unsigned char)(((const unsigned char *)data)[done + i] ^ mask[(done + i) & 3]);
        if (send_all(c->fd, chunk, k, deadline) != 0) return -1;
        done += k;
    }
    return 0;
}

int ws_send_text(ws_conn *c, const char *text, size_t n, char *err, size_t errcap) {
    if (send_frame(c, 0x1, text, n, collect_now() + 30) != 0) {
        snprintf(err, errcap, "sending to the inspector failed: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int ws_recv_text(ws_conn *c, double timeout, size_t max_message, char **msg, size_t *len, char *err, size_t errcap) {
    double deadline = collect_now() + timeout;
    char *m = NULL;
    size_t mlen = 0;
    int in_message = 0, r;
    *msg = NULL;
    *len = 0;
    for (;;) {
        unsigned char h[14], mask[4] = {0, 0, 0, 0};
        uint64_t plen;
        int fin, op, masked;
        size_t i;
        r = fill(c, 2, deadline);
        if (r <= 0) goto fail;
        memcpy(h, c->buf + c->start, 2);
        fin = h[0] & 0x80;
        op = h[0] & 0x0F;
        masked = h[1] & 0x80;
        plen = h[1] & 0x7F;
        {
            size_t need = 2 + (plen == 126 ? 2 : plen == 127 ? 8 : 0) + (masked ? 4 : 0);
            r = fill(c, need, deadline);
            if (r <= 0) goto fail;
            c->start += 2;
            if (plen == 126) {
                plen = (uint64_t)c->buf[c->start] << 8 | c->buf[c->start + 1];
                c->start += 2;
            } else if (plen == 127) {
                plen = 0;
                for (i = 0; i < 8; i++) plen = plen << 8 | c->buf[c->start + i];
                c->start += 8;
            }
            if (masked) {
                memcpy(mask, c->buf + c->start, 4);
                c->start += 4;
            }
        }
        if (op >= 0x8) { /* control frame: at most 125 bytes, never fragmented */
            unsigned char payload[125];
            if (plen > 125) { snprintf(err, errcap, "the inspector sent a malformed control frame"); goto fail_msg; }
            r = read_exact(c, payload, (size_t)plen, deadline);
            if (r <= 0) goto fail;
            for (i = 0; i < plen; i++) payload[i] ^= mask[i & 3];
            if (op == 0x8) {
                send_frame(c, 0x8, payload, plen >= 2 ? 2 : 0, collect_now() + 1);
                snprintf(err, errcap, "the inspector closed the WebSocket");
                goto fail_msg;
            }
            if (op == 0x9 && send_frame(c, 0xA, payload, (size_t)plen, deadline) != 0) {
                snprintf(err, errcap, "answering the inspector's ping failed");
                goto fail_msg;
            }
            continue; /* pong, or a ping answered */
        }
        if ((op == 0x0) != in_message || (op != 0x0 && op != 0x1 && op != 0x2)) {
            snprintf(err, errcap, "the inspector sent an unexpected WebSocket frame (opcode %d)", op);
            goto fail_msg;
        }
        if (plen > max_message || mlen + plen > max_message) {
            snprintf(err, errcap, "the inspector sent a message larger than %zu MiB; refusing it", max_message >> 20);
            goto fail_msg;
        }
        {
            char *nm = (char *)realloc(m, mlen + (size_t)plen + 1);
            if (!nm) { snprintf(err, errcap, "out of memory reading an inspector message"); goto fail_msg; }
            m = nm;
        }
        r = read_exact(c, (unsigned char *)m + mlen, (size_t)plen, deadline);
        if (r <= 0) goto fail;
        if (masked)
            for (i = 0; i < plen; i++) m[mlen + i] = (char)(m[mlen + i] ^ mask[i & 3]);
        mlen += (size_t)plen;
        m[mlen] = '\0';
        in_message = 1;
        if (fin) {
            *msg = m;
            *len = mlen;
            return 1;
        }
        /* a message still in pieces waits for the rest with a fresh deadline per frame */
    }
fail:
    if (r == 0) {
        free(m);
        if (!in_message) return 0;
        snprintf(err, errcap, "the inspector stopped in the middle of a message");
        return -1;
    }
    snprintf(err, errcap, "the inspector closed the connection");
fail_msg:
    free(m);
    return -1;
}

void ws_close(ws_conn *c) {
    if (!c) return;
    if (c->fd >= 0) {
        unsigned char status[2] = {0x03, 0xE8}; /* 1000 normal closure */
        send_frame(c, 0x8, status, 2, collect_now() + 0.5);
        shutdown(c->fd, SHUT_WR);
        close(c->fd);
    }
    free(c);
}

/* ---- CDP-style calls --------------------------------------------------------------------------- */
/* Position just after the value starting at s[i] (objects, arrays, strings, scalars). */
static size_t skip_value(const char *s, size_t n, size_t i) {
    int depth = 0, in_str = 0;
    for (; i < n; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\') i++;
            else if (ch == '"') { in_str = 0; if (!depth) return i + 1; }
            continue;
        }
        if (ch == '"') in_str = 1;
        else if (ch == '{' || ch == '[') depth++;
        else if (ch == '}' || ch == ']') { if (--depth <= 0) return depth < 0 ? i : i + 1; }
        else if (!depth && (ch == ',')) return i;
    }
    return n;
}

/* Finds the top-level member `key` of a JSON object text; returns the offset of its value or
   (size_t)-1. Nested keys with the same name (profile nodes have "id"s) are not looked at. */
static size_t top_member(const char *s, size_t n, const char *key) {
    size_t i = 0, klen = strlen(key);
    while (i < n && s[i] != '{') i++;
    i++;
    while (i < n) {
        size_t ks, ke;
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t' || s[i] == ',')) i++;
        if (i >= n || s[i] != '"') return (size_t)-1;
        ks = ++i;
        while (i < n && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
        ke = i++;
        while (i < n && (s[i] == ' ' || s[i] == ':' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) i++;
        if (ke - ks == klen && !memcmp(s + ks, key, klen)) return i;
        i = skip_value(s, n, i);
    }
    return (size_t)-1;
}

int ws_call(ws_conn *c, int id, const char *method, const char *params, double timeout, size_t max_message,
            char **resp, size_t *len, void (*on_event)(void *ctx, const char *msg, size_t n), void *ctx,
            char *err, size_t errcap) {
    char req[4096];
    double deadline = collect_now() + timeout;
    int n = params ? snprintf(req, sizeof req, "{\"id\":%d,\"method\":\"%s\",\"params\":%s}", id, method, params)
                   : snprintf(req, sizeof req, "{\"id\":%d,\"method\":\"%s\"}", id, method);
    *resp = NULL;
    *len = 0;
    if (n < 0 || (size_t)n >= sizeof req) { snprintf(err, errcap, "request too long"); return -1; }
    if (ws_send_text(c, req, (size_t)n, err, errcap) != 0) return -1;
    for (;;) {
        char *m;
        size_t mlen, at;
        double left = deadline - collect_now();
        int r;
        if (left <= 0) return 0;
        r = ws_recv_text(c, left, max_message, &m, &mlen, err, errcap);
        if (r <= 0) return r;
        at = top_member(m, mlen, "id");
        if (at == (size_t)-1 || strtol(m + at, NULL, 10) != id) {
            if (on_event && at == (size_t)-1) on_event(ctx, m, mlen);
            free(m);
            continue;
        }
        at = top_member(m, mlen, "error");
        if (at != (size_t)-1) {
            size_t end = skip_value(m, mlen, at);
            snprintf(err, errcap, "%s failed: %.*s", method, (int)(end - at > 200 ? 200 : end - at), m + at);
            free(m);
            return -1;
        }
        *resp = m;
        *len = mlen;
        return 1;
    }
}
