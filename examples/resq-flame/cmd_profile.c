/* The commands that profile live targets: hce api pdie python perf bun dotnet offcpu memory,
   and hotcold's live capture. Each resolves its defaults, validates, lets a collector
   (collect/ *.c) fill a profile, titles it, and renders it like any other input. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "collect/collect.h"
#include "collect/collect_util.h"

/* The command's defaults (url, duration, title) come from its entry in args.c's table. */
static const cli_command *command_for(const char *name) {
    const cli_command *cmd = cli_find_command(name);
    static const cli_command none = {0};
    return cmd ? cmd : &none;
}

/* Fills the per-command defaults into c and checks what all collectors share. */
static int resolve_common(cli_config *c, const cli_command *d) {
    int rc, bare;
    if (!c->url && d->default_url) c->url = d->default_url;
    if (c->duration_ms <= 0 && c->duration) {
        c->duration_ms = cli_parse_duration(c->duration, &bare);
        if (c->duration_ms < 0) {
            cli_error("--duration %s: expected a positive duration such as 30s, 500ms or 2m", c->duration);
            return EXIT_USAGE;
        }
    }
    if (c->duration_ms <= 0) c->duration_ms = d->default_duration_ms > 0 ? d->default_duration_ms : 30000;
    if (c->duration_ms < 10) {
        cli_error("--duration: %g ms is too short to sample anything; give at least 10ms", c->duration_ms);
        return EXIT_USAGE;
    }
    if (c->duration_ms > CLI_MAX_DURATION_MS && !c->force) {
        cli_error("--duration: %g s is more than the maximum of %g s; profiling that long costs the target "
                  "real overhead, so add --force if you mean it",
                  c->duration_ms / 1000, CLI_MAX_DURATION_MS / 1000);
        return EXIT_USAGE;
    }
    if (c->pid < 0) {
        cli_error("--pid %ld: expected a process id", c->pid);
        return EXIT_USAGE;
    }
    if (c->pid && !proc_exists(c->pid)) {
        cli_error("no process with pid %ld (has it exited? check with: ps -p %ld)", c->pid, c->pid);
        return EXIT_NOT_FOUND;
    }
    if ((rc = cli_check_svg_options(c)) != EXIT_OK) return rc;
    return EXIT_OK;
}

/* "5.0 s · 4,321 samples · 2025-06-01 14:03" */
static void default_subtitle(const rf_profile *p, const collect_info *info, char *out, size_t cap) {
    char date[32];
    time_t now = time(NULL);
    struct tm tmv;
    unsigned long long n = (unsigned long long)rf_profile_samples(p);
    if (!localtime_r(&now, &tmv) || !strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tmv)) date[0] = '\0';
    snprintf(out, cap, "%.1f s \xC2\xB7 %llu sample%s%s \xC2\xB7 %s", info->seconds, n, n == 1 ? "" : "s",
             info->interrupted ? " (interrupted)" : "", date);
}

/* Titles and renders what a collector produced; 130 after rendering when interrupted. */
static int finish(cli_config *c, const cli_command *d, rf_profile *p, collect_info *info, int rc) {
    char subtitle[sizeof info->subtitle];
    int collected = rf_node_total(p, RF_NODE_ROOT, 0) != 0;
    /* a failure is final, unless Ctrl-C stopped a collection that still got something */
    if (rc != EXIT_OK && !(info->interrupted && collected)) return rc;
    if (!collected && info->interrupted) {
        cli_error("interrupted before anything was collected; nothing written");
        return EXIT_INTERRUPTED;
    }
    if (!c->title) c->title = info->title[0] ? info->title : d->default_title;
    if (!c->title) c->title = "Flame Graph";
    if (!c->subtitle) {
        if (info->subtitle[0]) {
            c->subtitle = info->subtitle;
        } else {
            default_subtitle(p, info, subtitle, sizeof subtitle);
            c->subtitle = subtitle;
        }
    }
    rc = cli_write_output(c, p);
    if (rc == EXIT_OK && info->interrupted) return EXIT_INTERRUPTED;
    return rc;
}

typedef int (*collect_fn)(const cli_config *cfg, rf_profile *p, collect_info *info);

/* The whole life of one collection. */
static int run_collector(cli_config *cfg, const char *name, collect_fn fn) {
    const cli_command *d = command_for(name);
    cli_config c = *cfg;
    collect_info info;
    rf_profile *p;
    int rc;
    if ((rc = resolve_common(&c, d)) != EXIT_OK) return rc;
    memset(&info, 0, sizeof info);
    if (!(p = rf_profile_new(cli_allocator()))) {
        cli_error("out of memory");
        return EXIT_BAD_INPUT;
    }
    rc = fn(&c, p, &info);
    rc = finish(&c, d, p, &info, rc);
    rf_profile_free(p);
    return rc;
}

/* ---- the commands --------------------------------------------------------------------- */
static int hce_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    if (cfg->pid || cfg->inspect) return collect_node_inspector(cfg, p, info, 0);
    return collect_hce_http(cfg, p, info);
}
int cmd_hce(cli_config *cfg) { return run_collector(cfg, "hce", hce_collect); }

static int api_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    return collect_pprof_http(cfg, p, info, 0);
}
int cmd_api(cli_config *cfg) { return run_collector(cfg, "api", api_collect); }

static int python_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    if (!cfg->pid) {
        cli_error("%s needs --pid PID (the Python process to sample)", cfg->command ? cfg->command : "python");
        return EXIT_USAGE;
    }
    return collect_python(cfg, p, info, 0);
}
int cmd_python(cli_config *cfg) { return run_collector(cfg, "python", python_collect); }

/* The port of a URL: explicit, else 80/443 by scheme. 0 when there is none. */
static int url_port(const char *url) {
    const char *host = strstr(url, "://"), *end, *colon;
    long port;
    char *stop;
    host = host ? host + 3 : url;
    end = host + strcspn(host, "/?#");
    if (*host == '[') { /* [::1]:8000 */
        const char *rb = memchr(host, ']', (size_t)(end - host));
        colon = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(host, ':', (size_t)(end - host));
    }
    if (!colon) return !strncmp(url, "https://", 8) ? 443 : 80;
    port = strtol(colon + 1, &stop, 10);
    if (stop != end || port <= 0 || port > 65535) return 0;
    return (int)port;
}

static int pdie_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    cli_config c = *cfg;
    char err[256];
    if (!c.pid) {
        int port = url_port(c.url);
        char safe[300];
        cli_http_safe_url(c.url, safe, sizeof safe);
        if (!port) {
            cli_error("pdie: cannot tell the port of --url %s; give --pid PID instead", safe);
            return EXIT_USAGE;
        }
        c.pid = collect_pid_listening_on(port, err, sizeof err);
        if (c.pid <= 0) {
            cli_error("pdie: %s (is the PDIE service running? give --pid PID to name the process)", err);
            return EXIT_NOT_FOUND;
        }
        cli_info(cfg, "pdie: process %ld listens on port %d", c.pid, port);
    }
    return collect_python(&c, p, info, 0);
}
int cmd_pdie(cli_config *cfg) { return run_collector(cfg, "pdie", pdie_collect); }

static int perf_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    return collect_perf(cfg, p, info);
}
int cmd_perf(cli_config *cfg) { return run_collector(cfg, "perf", perf_collect); }

static int bun_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    return collect_bun(cfg, p, info);
}
int cmd_bun(cli_config *cfg) { return run_collector(cfg, "bun", bun_collect); }

static int dotnet_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    if (!cfg->pid) {
        cli_error("dotnet needs --pid PID (the .NET process to sample; list them with: dotnet-trace ps)");
        return EXIT_USAGE;
    }
    return collect_dotnet(cfg, p, info);
}
int cmd_dotnet(cli_config *cfg) { return run_collector(cfg, "dotnet", dotnet_collect); }

static int offcpu_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    if (!cfg->pid) {
        cli_error("offcpu needs --pid PID (the process whose blocked time to record)");
        return EXIT_USAGE;
    }
    return collect_offcpu(cfg, p, info);
}
int cmd_offcpu(cli_config *cfg) { return run_collector(cfg, "offcpu", offcpu_collect); }

static int memory_collect(const cli_config *cfg, rf_profile *p, collect_info *info) {
    const char *lang = cfg->lang;
    if (!lang) {
        cli_error("memory needs --lang rust|go|node|python (how to reach the process's allocations)");
        return EXIT_USAGE;
    }
    if (!strcmp(lang, "rust") || !strcmp(lang, "go")) return collect_pprof_http(cfg, p, info, 1);
    if (!strcmp(lang, "node")) {
        if (!cfg->pid && !cfg->inspect) {
            cli_error("memory --lang node needs --pid PID (its inspector is opened with SIGUSR1) or --inspect URL");
            return EXIT_USAGE;
        }
        return collect_node_inspector(cfg, p, info, 1);
    }
    if (!strcmp(lang, "python")) {
        if (!cfg->pid) {
            cli_error("memory --lang python needs --pid PID");
            return EXIT_USAGE;
        }
        return collect_python(cfg, p, info, 1);
    }
    cli_error("--lang %s: expected rust, go, node or python", lang);
    return EXIT_USAGE;
}
int cmd_memory(cli_config *cfg) {
    cli_config c = *cfg;
    /* allocation graphs: the memory palette unless the user chose one */
    if (!c.colors) c.colors = "mem";
    return run_collector(&c, "memory", memory_collect);
}

/* hotcold --pid P: on-CPU samples and off-CPU time of one window, one graph (on-CPU frames
   warm, off-CPU frames cool), weights in nanoseconds. */
int cmd_hotcold_live(cli_config *cfg) {
    const cli_command *d = command_for("hotcold");
    cli_config c = *cfg;
    collect_info info;
    rf_profile *on = NULL, *off = NULL, *von = NULL, *voff = NULL, *all = NULL;
    rf_view_options o;
    rf_result r = RF_OK;
    int rc;
    if ((rc = resolve_common(&c, d)) != EXIT_OK) return rc;
    if (!c.pid) {
        cli_error("hotcold needs --pid PID for a live capture (or --on FILE --off FILE)");
        return EXIT_USAGE;
    }
    memset(&info, 0, sizeof info);
    on = rf_profile_new(cli_allocator());
    off = rf_profile_new(cli_allocator());
    if (!on || !off) {
        rf_profile_free(on);
        rf_profile_free(off);
        cli_error("out of memory");
        return EXIT_BAD_INPUT;
    }
    rc = collect_hotcold_perf(&c, on, off, &info);
    if (rc != EXIT_OK && !info.interrupted) goto done;
    /* on-CPU comes in nanoseconds (cpu-clock periods), off-CPU in microseconds */
    memset(&o, 0, sizeof o);
    o.root = "on-CPU";
    r = rf_profile_view(on, &o, &von);
    if (r == RF_OK) {
        o.root = "off-CPU";
        o.annotate = "_[w]"; /* cool colours; the annotation itself is not shown */
        o.multiply = 1000;
        r = rf_profile_view(off, &o, &voff);
    }
    if (r == RF_OK && !(all = rf_profile_new(cli_allocator()))) r = RF_ERR_OUT_OF_MEMORY;
    if (r == RF_OK && rf_node_total(von, RF_NODE_ROOT, 0)) r = rf_profile_merge(all, von);
    if (r == RF_OK && rf_node_total(voff, RF_NODE_ROOT, 0)) r = rf_profile_merge(all, voff);
    if (r == RF_OK) r = rf_profile_set_unit(all, "nanoseconds");
    if (r != RF_OK) {
        cli_error("hotcold: combining the on-CPU and off-CPU profiles failed: %s", rf_result_string(r));
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    rc = finish(&c, d, all, &info, rc);
done:
    rf_profile_free(all);
    rf_profile_free(von);
    rf_profile_free(voff);
    rf_profile_free(on);
    rf_profile_free(off);
    return rc;
}
