/* What every collector needs: parsing collected bytes, --save-raw, credentials, and HTTP
   failures explained without ever echoing a credential. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collect_util.h"

const char *collect_token(const cli_config *cfg) {
    const char *t = cfg->token ? cfg->token : getenv("RESQ_TOKEN");
    return t && *t ? t : NULL;
}

const char *collect_api_key(const cli_config *cfg) {
    const char *k = cfg->api_key ? cfg->api_key : getenv("RESQ_API_KEY");
    return k && *k ? k : NULL;
}

int collect_tool_missing(const char *tool, const char *how) {
    cli_error("%s is not installed (or not on PATH): %s", tool, how);
    return EXIT_TOOL_MISSING;
}

/* ---- parsing ------------------------------------------------------------------------------ */
static void on_warning(void *ctx, const rf_error *w) {
    collect_parse *cp = (collect_parse *)ctx;
    if (cp->cfg->quiet) return;
    fprintf(stderr, "resq-flame: %s: warning: %s%s%s%s\n", cp->what, w->message, w->detail[0] ? " (" : "", w->detail,
            w->detail[0] ? ")" : "");
}

int collect_parse_begin(collect_parse *cp, const cli_config *cfg, rf_profile *p, rf_format f, const char *what) {
    memset(cp, 0, sizeof *cp);
    cp->cfg = cfg;
    cp->what = what;
    cp->dst = p;
    cp->opt.format = f;
    cp->opt.warn = on_warning;
    cp->opt.warn_ctx = cp;
    /* the cp struct must stay where it is while parsing: opt.warn_ctx points at it */
    return cli_parse_options(cfg, &cp->opt);
}

/* The parser is created on the first feed, so callers can still adjust cp->opt after
   collect_parse_begin (perf options, austin metric). */
static int start(collect_parse *cp) {
    if (cp->ps) return EXIT_OK;
    if (!(cp->ps = rf_parser_new(cp->dst, &cp->opt))) {
        cli_error("out of memory");
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static int report(collect_parse *cp, const rf_error *e) {
    cli_error("%s: the collected profile does not parse: %s%s%s%s (byte %llu, %s)", cp->what,
              e->message ? e->message : rf_result_string(e->code), e->detail[0] ? " (" : "", e->detail,
              e->detail[0] ? ")" : "", (unsigned long long)e->byte_offset, rf_format_name(e->format));
    return EXIT_BAD_INPUT;
}

int collect_parse_feed(collect_parse *cp, const void *data, size_t n) {
    rf_error err;
    int rc;
    if ((rc = start(cp)) != EXIT_OK) return rc;
    if (rf_parser_feed(cp->ps, data, n, &err) != RF_OK) return report(cp, &err);
    return EXIT_OK;
}

int collect_parse_end(collect_parse *cp) {
    rf_error err;
    int rc = EXIT_OK;
    const rf_parse_stats *st;
    if ((rc = start(cp)) != EXIT_OK) return rc;
    if (rf_parser_finish(cp->ps, &err) != RF_OK) rc = report(cp, &err);
    st = rf_parser_stats(cp->ps);
    if (rc == EXIT_OK && st->skipped && !cp->cfg->quiet)
        fprintf(stderr, "resq-flame: %s: skipped %llu malformed line%s; first at line %llu: %s\n", cp->what,
                (unsigned long long)st->skipped, st->skipped == 1 ? "" : "s",
                (unsigned long long)st->first_skipped_line, st->first_skipped_reason);
    if (rc == EXIT_OK && cp->cfg->verbose)
        fprintf(stderr, "resq-flame: %s: %s, %llu bytes, %llu samples\n", cp->what, rf_format_name(st->format),
                (unsigned long long)st->bytes, (unsigned long long)st->samples);
    rf_parser_free(cp->ps);
    cp->ps = NULL;
    return rc;
}

void collect_parse_abort(collect_parse *cp) {
    rf_parser_free(cp->ps);
    cp->ps = NULL;
}

int collect_parse_bytes(const cli_config *cfg, rf_profile *p, rf_format f, const void *data, size_t n,
                        const char *what) {
    collect_parse cp;
    int rc;
    if ((rc = collect_parse_begin(&cp, cfg, p, f, what)) != EXIT_OK) return rc;
    if ((rc = collect_parse_feed(&cp, data, n)) != EXIT_OK) { collect_parse_abort(&cp); return rc; }
    return collect_parse_end(&cp);
}

/* ---- --save-raw ----------------------------------------------------------------------------- */
static int raw_open(const cli_config *cfg, cli_out *out) {
    int e = cli_out_open(out, cfg->save_raw);
    if (e) cli_error("--save-raw: cannot create '%s': %s", cfg->save_raw, strerror(e));
    return e;
}

/* Commits (e == 0) or abandons the --save-raw file; the error names what failed. */
static int raw_close(const cli_config *cfg, cli_out *out, int e) {
    if (e) {
        cli_out_abort(out);
    } else if ((e = cli_out_commit(out)) == 0) { /* a failed commit has removed its temporary */
        cli_info(cfg, "raw profile kept in %s", cfg->save_raw);
        return EXIT_OK;
    }
    cli_error("--save-raw: writing '%s' failed: %s", cfg->save_raw, strerror(e));
    return EXIT_BAD_INPUT;
}

int collect_save_raw(const cli_config *cfg, const void *data, size_t n) {
    cli_out out;
    int e = 0;
    if (!cfg->save_raw) return EXIT_OK;
    if (raw_open(cfg, &out)) return EXIT_BAD_INPUT;
    if (n && cli_out_write(&out, data, n) != 0) e = errno ? errno : EIO;
    return raw_close(cfg, &out, e);
}

int collect_save_raw_file(const cli_config *cfg, const char *path) {
    FILE *f;
    cli_out out;
    char buf[65536];
    size_t n;
    int e = 0;
    if (!cfg->save_raw) return EXIT_OK;
    if (!(f = fopen(path, "rb"))) {
        cli_error("--save-raw: cannot read the collected file '%s': %s", path, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    if (raw_open(cfg, &out)) { fclose(f); return EXIT_BAD_INPUT; }
    while (!e && (n = fread(buf, 1, sizeof buf, f)) > 0)
        if (cli_out_write(&out, buf, n) != 0) e = errno ? errno : EIO;
    if (!e && ferror(f)) e = EIO;
    fclose(f);
    return raw_close(cfg, &out, e);
}

/* ---- URLs and HTTP errors -------------------------------------------------------------------- */
void collect_join_url(const char *base, const char *path, char *out, size_t cap) {
    size_t n = strlen(base);
    while (n && base[n - 1] == '/') n--;
    snprintf(out, cap, "%.*s%s", (int)n, base, path);
}

void collect_redact(const cli_config *cfg, const char *s, size_t n, char *out, size_t cap) {
    const char *secrets[2];
    size_t i = 0, o = 0, k;
    secrets[0] = collect_token(cfg);
    secrets[1] = collect_api_key(cfg);
    if (!cap) return;
    while (i < n && o + 1 < cap) {
        int hit = 0;
        for (k = 0; k < 2; k++) {
            size_t len = secrets[k] ? strlen(secrets[k]) : 0;
            if (len >= 1 && len <= n - i && !memcmp(s + i, secrets[k], len)) {
                const char *r = "[redacted]";
                size_t rl = strlen(r);
                if (o + rl >= cap) rl = cap - 1 - o;
                memcpy(out + o, r, rl);
                o += rl;
                i += len;
                hit = 1;
                break;
            }
        }
        if (hit) continue;
        out[o++] = (unsigned char)s[i] < 0x20 && s[i] != '\n' ? '?' : s[i] == '\n' ? ' ' : s[i];
        i++;
    }
    out[o] = '\0';
    if (i < n && cap > 4) memcpy(out + (o > cap - 4 ? cap - 4 : o), "...", 4);
}

int collect_http_error(const cli_config *cfg, cli_http_status st, const cli_http_response *rs, const char *what) {
    char body[300], err[sizeof rs->error + 32];
    if (st != CLI_HTTP_OK) {
        collect_redact(cfg, rs->error, strlen(rs->error), err, sizeof err);
        cli_error("%s: %s", what, err);
        return EXIT_NETWORK;
    }
    collect_redact(cfg, rs->body ? rs->body : "", rs->body ? (rs->len < 240 ? rs->len : 240) : 0, body, sizeof body);
    if (rs->len > 240 && strlen(body) < sizeof body - 4) strcat(body, "...");
    if (rs->status == 401 || rs->status == 403)
        cli_error("%s: HTTP %ld (%s): %s; check the token or API key (--token/$RESQ_TOKEN, --api-key/$RESQ_API_KEY)",
                  what, rs->status, rs->status == 401 ? "unauthorized" : "forbidden", body[0] ? body : "(empty body)");
    else
        cli_error("%s: HTTP %ld: %s", what, rs->status, body[0] ? body : "(empty body)");
    return EXIT_NETWORK;
}
