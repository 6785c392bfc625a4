/* Generates a large realistic folded-stacks file by replaying a real one with
   perturbations: each copy renames a share of the leaf frames and scales the
   counts, so unique stacks grow with the size like a long real capture does.
   usage: gen_folded SEED.folded MEGABYTES > out.folded */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    FILE *f;
    char *data;
    long n, target, written = 0;
    unsigned copy = 0, rng = 12345;
    if (argc != 3) { fprintf(stderr, "usage: %s SEED.folded MEGABYTES\n", argv[0]); return 1; }
    f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "read failed\n"); return 1; }
    fclose(f);
    data[n] = 0;
    target = atol(argv[2]) * 1024L * 1024L;
    while (written < target) {
        char *line = data, *nl;
        for (; line < data + n && (nl = memchr(line, '\n', (size_t)(data + n - line))); line = nl + 1) {
            char *sp = nl;
            long count;
            while (sp > line && sp[-1] != ' ') sp--;
            if (sp == line) continue;
            count = atol(sp);
            rng = rng * 1103515245u + 12345u;
            /* one stack in eight gets a copy-specific leaf, the rest repeat */
            if (copy && (rng >> 16) % 8 == 0)
                written += printf("%.*s;leaf_v%u_%u %ld\n", (int)(sp - 1 - line), line, copy, (rng >> 8) % 97,
                                  count + (long)((rng >> 20) % 5));
            else
                written += printf("%.*s %ld\n", (int)(sp - 1 - line), line, count + (long)((rng >> 20) % 3));
        }
        copy++;
    }
    free(data);
    return 0;
}
