/* --focus --ignore --hide (POSIX extended regular expressions), --skip-after/--base (a
   function name), --collapse-recursion, --group-by, --reverse -> one rf_profile_view. The
   header implements every filter; this file only compiles the patterns and maps errors. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct cli_re { regex_t re; int set; } cli_re;

/* rf_frame_pred over a compiled regex; names are not NUL-terminated, so copy them. */
static int re_match(void *ctx, const char *name, size_t len) {
    cli_re *r = (cli_re *)ctx;
    char small[512], *s = small;
    int hit;
    if (len >= sizeof small) {
        s = (char *)malloc(len + 1);
        if (!s) return 0;
    }
    memcpy(s, name, len);
    s[len] = '\0';
    hit = regexec(&r->re, s, 0, NULL, 0) == 0;
    if (s != small) free(s);
    return hit;
}

/* The header's regex plug-in: handles are heap regex_t; matching reuses re_match. */
static void *engine_compile(void *ctx, const char *pattern) {
    cli_re *r = (cli_re *)calloc(1, sizeof *r);
    (void)ctx;
    if (r && regcomp(&r->re, pattern, REG_EXTENDED | REG_NOSUB) == 0) return r;
    free(r);
    return NULL;
}
static int engine_match(void *ctx, void *re, const char *s, size_t len) {
    (void)ctx;
    return re_match(re, s, len);
}
static void engine_release(void *ctx, void *re) {
    (void)ctx;
    regfree(&((cli_re *)re)->re);
    free(re);
}
rf_regex_engine cli_regex_engine(void) {
    static const rf_regex_engine engine = {engine_compile, engine_match, engine_release, NULL};
    return engine;
}

static int name_equals(void *ctx, const char *name, size_t len) {
    const char *want = (const char *)ctx;
    return strlen(want) == len && memcmp(want, name, len) == 0;
}

static int compile(cli_re *r, const char *opt, const char *pattern) {
    int e;
    if (!pattern) return EXIT_OK;
    if ((e = regcomp(&r->re, pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
        char msg[256];
        regerror(e, &r->re, msg, sizeof msg);
        cli_error("--%s '%s': not a valid regular expression: %s", opt, pattern, msg);
        return EXIT_USAGE;
    }
    r->set = 1;
    return EXIT_OK;
}

int cli_filters_active(const cli_config *cfg) {
    return cfg->focus || cfg->ignore || cfg->hide || cfg->skip_after || cfg->collapse_recursion ||
           (cfg->group_by && strcmp(cfg->group_by, "keep") != 0) || cfg->reverse;
}

int cli_filter_profile(const cli_config *cfg, const rf_profile *in, int for_svg, rf_profile **out) {
    rf_view_options o;
    cli_re focus, ignore, hide;
    rf_result r;
    int rc = EXIT_OK;
    *out = NULL;
    /* the SVG writer reverses by itself and records it, so the SVG reads back unreversed */
    if (!cli_filters_active(cfg) || (for_svg && !cfg->focus && !cfg->ignore && !cfg->hide && !cfg->skip_after &&
                                     !cfg->collapse_recursion && !(cfg->group_by && strcmp(cfg->group_by, "keep"))))
        return EXIT_OK;
    memset(&o, 0, sizeof o);
    memset(&focus, 0, sizeof focus);
    memset(&ignore, 0, sizeof ignore);
    memset(&hide, 0, sizeof hide);
    if (cfg->group_by) {
        if (!strcmp(cfg->group_by, "none")) o.group_by = RF_GROUP_NONE;
        else if (!strcmp(cfg->group_by, "process")) o.group_by = RF_GROUP_PROCESS;
        else if (!strcmp(cfg->group_by, "thread")) o.group_by = RF_GROUP_THREAD;
        else if (strcmp(cfg->group_by, "keep") != 0) {
            cli_error("--group-by %s: expected process, thread, none or label:KEY", cfg->group_by);
            return EXIT_USAGE;
        }
        /* what perf's root frames are, when this run asked for them (the parsers also record it) */
        if (cfg->perf_tid) o.roots = RF_ROOTS_THREAD;
        else if (cfg->perf_pid) o.roots = RF_ROOTS_PROCESS;
    }
    if ((rc = compile(&focus, "focus", cfg->focus)) || (rc = compile(&ignore, "ignore", cfg->ignore)) ||
        (rc = compile(&hide, "hide", cfg->hide)))
        goto done;
    if (focus.set) { o.focus = re_match; o.focus_ctx = &focus; }
    if (ignore.set) { o.ignore = re_match; o.ignore_ctx = &ignore; }
    if (hide.set) { o.hide = re_match; o.hide_ctx = &hide; }
    if (cfg->skip_after) { o.skip_after = name_equals; o.skip_after_ctx = (void *)cfg->skip_after; }
    o.collapse_recursion = cfg->collapse_recursion;
    o.reverse = cfg->reverse && !for_svg;
    r = rf_profile_view(in, &o, out);
    if (r == RF_ERR_UNSUPPORTED) {
        cli_error("--group-by %s: the input has no %s root frames (perf input: collapse with --pid or --tid; "
                  "austin: with its process/thread frames)", cfg->group_by,
                  o.group_by == RF_GROUP_THREAD ? "thread" : "process");
        rc = EXIT_USAGE;
    } else if (r != RF_OK) {
        cli_error("applying the filters failed: %s", rf_result_string(r));
        rc = EXIT_BAD_INPUT;
    } else if (rf_node_total(*out, 0, rf_profile_columns(*out) - 1) == 0 && rf_node_total(in, 0, rf_profile_columns(in) - 1) != 0) {
        cli_info(cfg, "note: the filters left no samples (check --focus/--ignore/--hide/--skip-after)");
    }
done:
    if (focus.set) regfree(&focus.re);
    if (ignore.set) regfree(&ignore.re);
    if (hide.set) regfree(&hide.re);
    if (rc != EXIT_OK && *out) { rf_profile_free(*out); *out = NULL; }
    return rc;
}
