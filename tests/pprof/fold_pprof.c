/* fold_pprof: a pprof file -> folded stacks on stdout, through rf_parse + rf_write_folded.
   Used by test_go_oracle.sh for the options the CLI may not expose.
     fold_pprof [-s SAMPLE_INDEX] [-g LABEL_KEY] [-l] [-m] FILE
   -s  column by name or 0-based number (pprof -sample_index), -g  label root frames,
   -l  "name (file:line)" frames, -m  "[module]" for unsymbolized locations. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    rf_parse_options o;
    rf_profile *p;
    rf_error err;
    rf_result r;
    FILE *f;
    char *data = NULL;
    size_t n = 0, cap = 0, got;
    int i;
    memset(&o, 0, sizeof o);
    o.format = RF_FORMAT_PPROF;
    for (i = 1; i < argc - 1; i++) {
        if (!strcmp(argv[i], "-s") && i + 1 < argc - 1) o.pprof.sample_index = argv[++i];
        else if (!strcmp(argv[i], "-g") && i + 1 < argc - 1) o.pprof.group_by_label = argv[++i];
        else if (!strcmp(argv[i], "-l")) o.pprof.frames = RF_PPROF_FRAMES_FILE_LINE;
        else if (!strcmp(argv[i], "-m")) o.pprof.unsymbolized = RF_PPROF_UNSYMBOLIZED_MODULE;
        else break;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: fold_pprof [-s SAMPLE_INDEX] [-g LABEL_KEY] [-l] [-m] FILE\n");
        return 1;
    }
    if (!(f = fopen(argv[i], "rb"))) {
        perror(argv[i]);
        return 2;
    }
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            if (!(data = (char *)realloc(data, cap))) return 2;
        }
        if (!(got = fread(data + n, 1, cap - n, f))) break;
        n += got;
    }
    fclose(f);
    p = rf_profile_new(NULL);
    if (!p) return 2;
    r = rf_parse(p, data, n, &o, &err);
    free(data);
    if (r != RF_OK) {
        fprintf(stderr, "fold_pprof: %s: %s (%s) at byte %llu%s%s\n", argv[i], err.message, rf_result_string(r),
                (unsigned long long)err.byte_offset, err.detail[0] ? ": " : "", err.detail);
        rf_profile_free(p);
        return 2;
    }
    r = rf_write_folded(p, rf_write_to_file, stdout);
    rf_profile_free(p);
    return r == RF_OK ? 0 : 2;
}
