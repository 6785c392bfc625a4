/* libcurl wrapper (see http.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"
#include "resq_flame.h" /* RF_VERSION_STRING */

typedef struct http_sink {
    cli_http_response *rs;
    size_t cap, max;
    int too_big, oom;
} http_sink;

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx) {
    http_sink *s = (http_sink *)ctx;
    size_t n = size * nmemb;
    cli_http_response *rs = s->rs;
    if (n > s->max - rs->len) { s->too_big = 1; return 0; } /* aborts the transfer */
    if (rs->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 16384;
        char *nb;
        while (cap < rs->len + n + 1) cap *= 2;
        nb = (char *)realloc(rs->body, cap);
        if (!nb) { s->oom = 1; return 0; }
        rs->body = nb;
        s->cap = cap;
    }
    memcpy(rs->body + rs->len, data, n);
    rs->len += n;
    rs->body[rs->len] = '\0';
    return n;
}

void cli_http_safe_url(const char *url, char *out, size_t cap) {
    const char *scheme_end = strstr(url, "://"), *host, *at, *end;
    size_t n;
    if (!cap) return;
    host = scheme_end ? scheme_end + 3 : url;
    end = host + strcspn(host, "?#");
    at = (const char *)memchr(host, '@', (size_t)(strcspn(host, "/?#")));
    if (at) host = at + 1; /* user:password@ is never shown */
    n = (size_t)(host - url);
    if (at) n = scheme_end ? (size_t)(scheme_end + 3 - url) : 0;
    snprintf(out, cap, "%.*s%.*s", (int)n, url, (int)(end - host), host);
}

static int curl_ready(void) {
    static int state; /* 0 not yet, 1 ok, -1 failed: the CLI is single-threaded here */
    if (!state) state = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : -1;
    return state == 1;
}

cli_http_status cli_http(const cli_http_request *rq, cli_http_response *rs) {
    CURL *c;
    CURLcode cc;
    struct curl_slist *hdrs = NULL;
    http_sink sink;
    char safe[300], errbuf[CURL_ERROR_SIZE];
    double timeout = rq->timeout > 0 ? rq->timeout : 30;
    double ctimeout = rq->connect_timeout > 0 ? rq->connect_timeout : (timeout < 10 ? timeout : 10);
    cli_http_status st = CLI_HTTP_OK;
    size_t i;
    char *ct = NULL;
    memset(rs, 0, sizeof *rs);
    memset(&sink, 0, sizeof sink);
    sink.rs = rs;
    sink.max = rq->max_response ? rq->max_response : (size_t)256 << 20;
    cli_http_safe_url(rq->url, safe, sizeof safe);
    if (strncmp(rq->url, "http://", 7) != 0 && strncmp(rq->url, "https://", 8) != 0) {
        snprintf(rs->error, sizeof rs->error, "'%s' is not an http:// or https:// URL", safe);
        return CLI_HTTP_FAILED;
    }
    if (!curl_ready() || !(c = curl_easy_init())) {
        snprintf(rs->error, sizeof rs->error, "libcurl could not start (out of memory?)");
        return CLI_HTTP_FAILED;
    }
    for (i = 0; i < rq->nheaders; i++) {
        struct curl_slist *n = curl_slist_append(hdrs, rq->headers[i]);
        if (!n) { st = CLI_HTTP_FAILED; snprintf(rs->error, sizeof rs->error, "out of memory"); goto done; }
        hdrs = n;
    }
    errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect must not carry our credentials elsewhere */
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(ctimeout * 1000));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "resq-flame/" RF_VERSION_STRING);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* gzip/deflate/br as libcurl supports */
    if (rq->method && strcmp(rq->method, "POST") == 0) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body ? (const char *)rq->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
    }
    cc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->status);
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
        snprintf(rs->content_type, sizeof rs->content_type, "%s", ct);
    if (cc == CURLE_OK) goto done;
    if (sink.too_big) {
        st = CLI_HTTP_TOO_BIG;
        snprintf(rs->error, sizeof rs->error, "%s: the response is larger than %zu MiB; refusing to buffer it", safe,
                 sink.max >> 20);
    } else if (sink.oom) {
        st = CLI_HTTP_FAILED;
        snprintf(rs->error, sizeof rs->error, "%s: out of memory reading the response", safe);
    } else if (cc == CURLE_COULDNT_CONNECT) {
        st = CLI_HTTP_UNREACHABLE;
        snprintf(rs->error, sizeof rs->error, "%s: connection refused: nothing is listening there (is the service running? check the URL and port)", safe);
    } else if (cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_COULDNT_RESOLVE_PROXY) {
        st = CLI_HTTP_UNREACHABLE;
        snprintf(rs->error, sizeof rs->error, "%s: cannot resolve the host name (check the URL)", safe);
    } else if (cc == CURLE_OPERATION_TIMEDOUT) {
        st = CLI_HTTP_TIMEOUT;
        snprintf(rs->error, sizeof rs->error, "%s: no complete answer within %g s (raise --timeout, or check that the service is not stuck)",
                 safe, timeout);
    } else if (cc == CURLE_SSL_CONNECT_ERROR || cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE) {
        st = CLI_HTTP_FAILED;
        snprintf(rs->error, sizeof rs->error, "%s: TLS failed: %s", safe, errbuf[0] ? errbuf : curl_easy_strerror(cc));
    } else {
        st = CLI_HTTP_FAILED;
        snprintf(rs->error, sizeof rs->error, "%s: %s", safe, curl_easy_strerror(cc));
    }
done:
    if (st == CLI_HTTP_OK && !rs->body) {
        rs->body = (char *)calloc(1, 1);
        if (!rs->body) { st = CLI_HTTP_FAILED; snprintf(rs->error, sizeof rs->error, "out of memory"); }
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return st;
}

void cli_http_free(cli_http_response *rs) {
    free(rs->body);
    rs->body = NULL;
    rs->len = 0;
}
