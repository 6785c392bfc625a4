/* The smallest honest use of resq_flame.h: folded stacks (or any supported
   profile) on stdin -> an interactive SVG flame graph on stdout. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>

static int out(void *ctx, const void *d, size_t n) { return fwrite(d, 1, n, (FILE *)ctx) != n; }

int main(void) {
    static char buf[65536];
    size_t n;
    int ok = 1;
    rf_error err;
    rf_profile *p = rf_profile_new(NULL);
    rf_parser *ps = rf_parser_new(p, NULL); /* NULL options: detect the format */
    while (ok && (n = fread(buf, 1, sizeof buf, stdin)) > 0) ok = rf_parser_feed(ps, buf, n, &err) == RF_OK;
    if (ok) ok = rf_parser_finish(ps, &err) == RF_OK;
    rf_parser_free(ps);
    if (!ok) {
        fprintf(stderr, "stdin:%lu: %s\n", (unsigned long)err.line, err.message);
        return 2;
    }
    ok = rf_write_svg(p, NULL, out, stdout) == RF_OK;
    rf_profile_free(p);
    return ok ? 0 : 1;
}
