/* The CLI's allocator: blocks of 4 MiB and more get their own anonymous mapping with
   transparent huge pages requested. A big profile (a 50 MB pprof builds a 100+ MB call tree)
   touches hundreds of MB of fresh memory, and on virtual machines faulting that in 4 KiB at
   a time costs more than parsing it: measured here, first-touching 264 MB took 0.8-1.0 s
   with 4 KiB pages and 0.02-0.24 s with huge pages. Small blocks stay with malloc. */
#define _GNU_SOURCE /* mremap */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
#define BIG_BLOCK ((size_t)4 << 20)
/* A mapping starts with its own length, so unmapping never trusts a caller's size. */
#define MAP_HEAD 64

static void *map_block(size_t n) {
    size_t len = (n + MAP_HEAD + 4095) & ~(size_t)4095;
    unsigned char *m;
    if (len < n) return NULL;
    m = (unsigned char *)mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    (void)madvise(m, len, MADV_HUGEPAGE); /* a hint: without it, plain pages */
    memcpy(m, &len, sizeof len);
    return m + MAP_HEAD;
}

static size_t block_len(void *p) {
    size_t len;
    memcpy(&len, (unsigned char *)p - MAP_HEAD, sizeof len);
    return len;
}

static void *cli_malloc(void *user, size_t n) {
    (void)user;
    return n >= BIG_BLOCK ? map_block(n) : malloc(n ? n : 1);
}

static void cli_free(void *user, void *p, size_t n) {
    (void)user;
    if (!p) return;
    if (n >= BIG_BLOCK) munmap((unsigned char *)p - MAP_HEAD, block_len(p));
    else free(p);
}

static void *cli_realloc(void *user, void *p, size_t old_n, size_t n) {
    void *q;
    if (!p) return cli_malloc(user, n);
    if (old_n < BIG_BLOCK && n < BIG_BLOCK) return realloc(p, n ? n : 1);
    if (old_n >= BIG_BLOCK && n >= BIG_BLOCK) { /* the kernel moves the pages, nothing is copied */
        size_t len = (n + MAP_HEAD + 4095) & ~(size_t)4095;
        unsigned char *m;
        if (len < n) return NULL;
        m = (unsigned char *)mremap((unsigned char *)p - MAP_HEAD, block_len(p), len, MREMAP_MAYMOVE);
        if (m == MAP_FAILED) return NULL;
        (void)madvise(m, len, MADV_HUGEPAGE);
        memcpy(m, &len, sizeof len);
        return m + MAP_HEAD;
    }
    q = cli_malloc(user, n);
    if (!q) return NULL;
    memcpy(q, p, old_n < n ? old_n : n);
    cli_free(user, p, old_n);
    return q;
}

const rf_allocator *cli_allocator(void) {
    static const rf_allocator al = {cli_malloc, cli_realloc, cli_free, NULL};
    return &al;
}
#else
const rf_allocator *cli_allocator(void) { return NULL; /* the header's default: malloc */ }
#endif
