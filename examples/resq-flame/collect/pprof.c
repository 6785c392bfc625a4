/* pprof over HTTP: `api` (GET {url}/admin/profile?seconds=N, a CPU profile) and `memory
   --lang rust|go` (GET {url}/admin/heap, else /debug/pprof/heap: jemalloc_pprof and Go's
   net/http/pprof write the same heap format). x-api-key when a key is given. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "collect_util.h"

/* Beyond the duration: time for the service to stop the profiler and encode the profile. */
#define PPROF_MARGIN_S 30.0
#define HEAP_TIMEOUT_S 60.0

static cli_http_status get(const cli_config *cfg, const char *url, double timeout, cli_http_response *rs) {
    const char *key = collect_api_key(cfg);
    char keyhdr[4200];
    const char *headers[1];
    cli_http_request rq;
    cli_http_status st;
    memset(&rq, 0, sizeof rq);
    rq.url = url;
    if (key) {
        snprintf(keyhdr, sizeof keyhdr, "x-api-key: %s", key);
        headers[0] = keyhdr;
        rq.headers = headers;
        rq.nheaders = 1;
    }
    rq.timeout = timeout;
    st = cli_http(&rq, rs);
    memset(keyhdr, 0, sizeof keyhdr);
    return st;
}

int collect_pprof_http(const cli_config *cfg, rf_profile *p, collect_info *info, int heap) {
    char url[2048], safe[2100], what[2200];
    cli_http_response rs;
    cli_http_status st;
    double t0 = collect_now();
    int rc;
    if (!heap) {
        long seconds = lround(cfg->duration_ms / 1000);
        char path[64];
        if (seconds < 1) seconds = 1; /* pprof handlers take whole seconds */
        snprintf(path, sizeof path, "/admin/profile?seconds=%ld", seconds);
        collect_join_url(cfg->url, path, url, sizeof url);
        cli_http_safe_url(url, safe, sizeof safe);
        snprintf(what, sizeof what, "api: GET %s", safe);
        cli_info(cfg, "api: CPU profile of %s for %ld s", safe, seconds);
        progress_countdown_start(cfg, "api: the service is profiling itself", (double)seconds);
        st = get(cfg, url, (double)seconds + PPROF_MARGIN_S, &rs);
        if (st == CLI_HTTP_OK && rs.status == 404 && !progress_interrupted()) {
            /* not the ResQ admin route: the standard one of net/http/pprof (Go, and Rust
               services that mount pprof-rs the same way) */
            cli_http_free(&rs);
            snprintf(path, sizeof path, "/debug/pprof/profile?seconds=%ld", seconds);
            collect_join_url(cfg->url, path, url, sizeof url);
            cli_http_safe_url(url, safe, sizeof safe);
            cli_info(cfg, "api: /admin/profile is not there (404); trying %s", safe);
            snprintf(what, sizeof what, "api: GET %s (after /admin/profile answered 404)", safe);
            t0 = collect_now();
            st = get(cfg, url, (double)seconds + PPROF_MARGIN_S, &rs);
        }
        progress_countdown_end();
        info->interrupted = progress_interrupted();
        info->seconds = collect_now() - t0;
        if (info->seconds > (double)seconds) info->seconds = (double)seconds;
    } else {
        collect_join_url(cfg->url, "/admin/heap", url, sizeof url);
        cli_http_safe_url(url, safe, sizeof safe);
        snprintf(what, sizeof what, "memory: GET %s", safe);
        st = get(cfg, url, HEAP_TIMEOUT_S, &rs);
        if (st == CLI_HTTP_OK && rs.status == 404) {
            /* not the ResQ admin route: the standard one of net/http/pprof */
            cli_http_free(&rs);
            collect_join_url(cfg->url, "/debug/pprof/heap", url, sizeof url);
            cli_http_safe_url(url, safe, sizeof safe);
            cli_info(cfg, "memory: /admin/heap is not there (404); trying %s", safe);
            snprintf(what, sizeof what, "memory: GET %s (after /admin/heap answered 404)", safe);
            st = get(cfg, url, HEAP_TIMEOUT_S, &rs);
        }
        info->seconds = 0;
        snprintf(info->subtitle, sizeof info->subtitle, "heap profile (in-use bytes) from %.150s", safe);
    }
    if (st != CLI_HTTP_OK || rs.status != 200) {
        rc = collect_http_error(cfg, st, &rs, what);
        cli_http_free(&rs);
        return rc;
    }
    if ((rc = collect_save_raw(cfg, rs.body, rs.len)) == EXIT_OK)
        rc = collect_parse_bytes(cfg, p, RF_FORMAT_PPROF, rs.body, rs.len, heap ? "heap profile" : "api profile");
    cli_http_free(&rs);
    return rc;
}
