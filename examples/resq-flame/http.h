/* A small libcurl wrapper: one request, the whole response body in memory, errors turned
   into messages a user can act on. Credentials go in request headers only and are never
   logged: messages name the URL without its user info and query string. Reused by the
   collectors (hce, api). */
#ifndef RESQ_FLAME_HTTP_H
#define RESQ_FLAME_HTTP_H
#include <stddef.h>

typedef enum cli_http_status {
    CLI_HTTP_OK = 0,        /* a response arrived (any HTTP status; see .status) */
    CLI_HTTP_UNREACHABLE,   /* DNS failure, connection refused, no route */
    CLI_HTTP_TIMEOUT,       /* no complete answer within the timeout */
    CLI_HTTP_TOO_BIG,       /* the body exceeded max_response */
    CLI_HTTP_FAILED         /* anything else (TLS, protocol, bad URL, out of memory) */
} cli_http_status;

typedef struct cli_http_request {
    const char *method;          /* "GET" (default) or "POST" */
    const char *url;             /* http:// or https:// only; redirects are not followed */
    const char *const *headers;  /* "Name: value" lines; may carry credentials */
    size_t nheaders;
    const void *body;            /* POST body (not copied) */
    size_t body_len;
    double timeout;              /* whole request, seconds; 0 = 30 */
    double connect_timeout;      /* seconds; 0 = min(timeout, 10) */
    size_t max_response;         /* bytes; 0 = 256 MiB */
} cli_http_request;

typedef struct cli_http_response {
    long status;                 /* HTTP status, 0 when no response */
    char *body;                  /* NUL-terminated (the terminator is not counted in len) */
    size_t len;
    char content_type[128];
    char error[1024];            /* set unless CLI_HTTP_OK: what failed and what to do */
} cli_http_response;

/* Performs the request. The response is filled in every case; free it with cli_http_free. */
cli_http_status cli_http(const cli_http_request *rq, cli_http_response *rs);
void cli_http_free(cli_http_response *rs);

/* "scheme://host:port/path" of url, without user info, query or fragment (safe to print). */
void cli_http_safe_url(const char *url, char *out, size_t cap);

#endif
