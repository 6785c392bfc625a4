/* Test driver: parses a JSON profile with resq_flame.h and prints it folded.
   usage: fold [--format cpuprofile|heapprofile|speedscope|jsc] [--time] [--names default|anon|loc]
               [--drop-idle] [--profile N] [--profile-name S] [--profile-roots] [--chunk N] FILE
   Exit 0 ok, 2 parse error (message on stderr). */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int out(void *ctx, const void *d, size_t n) { return fwrite(d, 1, n, (FILE *)ctx) != n; }

int main(int argc, char **argv)
{
    rf_parse_options o;
    rf_profile *p;
    rf_parser *ps;
    rf_error err;
    rf_result r = RF_OK;
    const char *path = NULL;
    size_t chunk = 1 << 16, n, cap = 1 << 16, len = 0, off;
    char *data;
    FILE *f;
    int i;
    memset(&o, 0, sizeof o);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--format") && i + 1 < argc) o.format = rf_format_from_name(argv[++i]);
        else if (!strcmp(a, "--time")) o.v8.weight = RF_V8_WEIGHT_TIME;
        else if (!strcmp(a, "--drop-idle")) o.v8.drop_idle = 1;
        else if (!strcmp(a, "--strict")) o.strict = 1;
        else if (!strcmp(a, "--names") && i + 1 < argc) {
            const char *m = argv[++i];
            o.v8.names = o.speedscope.names = !strcmp(m, "loc") ? RF_FRAME_NAMES_LOCATION
                                             : !strcmp(m, "anon") ? RF_FRAME_NAMES_ANON_LOCATION
                                                                   : RF_FRAME_NAMES_DEFAULT;
        } else if (!strcmp(a, "--profile") && i + 1 < argc) o.speedscope.profile_index = atoi(argv[++i]);
        else if (!strcmp(a, "--profile-name") && i + 1 < argc) o.speedscope.profile_name = argv[++i];
        else if (!strcmp(a, "--profile-roots")) o.speedscope.profile_roots = 1;
        else if (!strcmp(a, "--chunk") && i + 1 < argc) chunk = (size_t)atol(argv[++i]);
        else path = a;
    }
    if (!path || o.format == RF_FORMAT_COUNT_ || chunk == 0) {
        fprintf(stderr, "usage: fold [--format F] [--time] [--names default|anon|loc] [--drop-idle] FILE\n");
        return 1;
    }
    f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) { perror(path); return 1; }
    data = (char *)malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) data = (char *)realloc(data, cap *= 2);
    }
    if (f != stdin) fclose(f);
    if (!data) return 1;
    p = rf_profile_new(NULL);
    ps = rf_parser_new(p, &o);
    for (off = 0; r == RF_OK && off < len; off += n) {
        n = len - off < chunk ? len - off : chunk;
        r = rf_parser_feed(ps, data + off, n, &err);
    }
    if (r == RF_OK) r = rf_parser_finish(ps, &err);
    if (r != RF_OK) {
        fprintf(stderr, "fold: %s: %s (%s) at byte %llu, line %llu, column %u%s%s\n", path,
                err.message ? err.message : "?", rf_result_string(r), (unsigned long long)err.byte_offset,
                (unsigned long long)err.line, err.column, err.detail[0] ? "; " : "", err.detail);
        return 2;
    }
    fprintf(stderr, "fold: %s: %llu samples, %llu skipped, unit %s\n", path,
            (unsigned long long)rf_parser_stats(ps)->samples, (unsigned long long)rf_parser_stats(ps)->skipped,
            rf_profile_unit(p));
    rf_parser_free(ps);
    r = rf_write_folded(p, out, stdout);
    rf_profile_free(p);
    free(data);
    return r == RF_OK ? 0 : 2;
}
