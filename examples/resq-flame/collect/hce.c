/* hce over HTTP: POST {url}/admin/cpu-profile {"durationMs":D,"intervalUs":100} -> a V8
   .cpuprofile taken by the service itself. The request lasts the whole duration; the client
   timeout is the duration plus a margin for the service to stop and serialise the profile.
   The service only answers at the end, so Ctrl-C cannot cut it short with a partial profile:
   the request is let finish (at most the duration) and what arrives is rendered. */
#include <stdio.h>
#include <string.h>
#include "collect_util.h"

/* Time the service gets beyond the duration to stop the profiler and send the profile. */
#define HCE_MARGIN_S 30.0

int collect_hce_http(const cli_config *cfg, rf_profile *p, collect_info *info) {
    const char *token = collect_token(cfg), *key = collect_api_key(cfg);
    char url[2048], safe[2100], body[128], auth[4200], keyhdr[4200], what[2200];
    const char *headers[3];
    size_t nh = 0;
    cli_http_request rq;
    cli_http_response rs;
    cli_http_status st;
    double t0;
    int rc;
    if (!token && !key) {
        cli_error("hce: no credentials: set RESQ_TOKEN (sent as 'Authorization: Bearer ...') or RESQ_API_KEY "
                  "(sent as 'x-api-key'), or pass --token / --api-key");
        return EXIT_USAGE;
    }
    collect_join_url(cfg->url, "/admin/cpu-profile", url, sizeof url);
    cli_http_safe_url(url, safe, sizeof safe);
    snprintf(what, sizeof what, "hce: POST %s", safe);
    snprintf(body, sizeof body, "{\"durationMs\":%.0f,\"intervalUs\":100}", cfg->duration_ms);
    /* both when both are set: the service accepts either */
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers[nh++] = auth;
    }
    if (key) {
        snprintf(keyhdr, sizeof keyhdr, "x-api-key: %s", key);
        headers[nh++] = keyhdr;
    }
    headers[nh++] = "Content-Type: application/json";
    memset(&rq, 0, sizeof rq);
    rq.method = "POST";
    rq.url = url;
    rq.headers = headers;
    rq.nheaders = nh;
    rq.body = body;
    rq.body_len = strlen(body);
    rq.timeout = cfg->duration_ms / 1000 + HCE_MARGIN_S;
    cli_info(cfg, "hce: profiling %s for %.1f s (the service samples itself every 100 us)", safe,
             cfg->duration_ms / 1000);
    t0 = collect_now();
    progress_countdown_start(cfg, "hce: the service is profiling itself", cfg->duration_ms / 1000);
    st = cli_http(&rq, &rs);
    progress_countdown_end();
    memset(auth, 0, sizeof auth);
    memset(keyhdr, 0, sizeof keyhdr);
    info->interrupted = progress_interrupted();
    info->seconds = collect_now() - t0;
    if (info->seconds > cfg->duration_ms / 1000) info->seconds = cfg->duration_ms / 1000;
    if (st != CLI_HTTP_OK || rs.status != 200) {
        rc = collect_http_error(cfg, st, &rs, what);
        cli_http_free(&rs);
        return rc;
    }
    if ((rc = collect_save_raw(cfg, rs.body, rs.len)) == EXIT_OK)
        rc = collect_parse_bytes(cfg, p, RF_FORMAT_V8_CPUPROFILE, rs.body, rs.len, "hce profile");
    cli_http_free(&rs);
    return rc;
}
