/* The CLI's allocator: blocks of 1 MiB and more get their own anonymous mapping with
   transparent huge pages requested. A big profile (a 50 MB pprof builds a 100+ MB call tree)
   touches hundreds of MB of fresh memory, and on virtual machines faulting that in 4 KiB at
   a time costs more than parsing it: measured here, first-touching 264 MB took 0.8-1.0 s
   with 4 KiB pages and 0.02-0.24 s with huge pages. Small blocks stay with malloc. The
   threshold is 1 MiB, not larger: a pprof's tables (lines, functions, strings: 1-4 MB each)
   took 0.046 s to fill with 4 MiB and 0.035 s with 1 MiB; a block wastes at most half an
   extent of address space, and of memory only once touched. */
#define _GNU_SOURCE /* mremap */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__linux__) && defined(MADV_HUGEPAGE) && defined(MREMAP_MAYMOVE)
#define BIG_BLOCK ((size_t)1 << 20)
/* A mapping starts with its own length, so unmapping never trusts a caller's size. */
#define MAP_HEAD 64

/* Transparent huge pages back only whole, aligned 2 MiB extents of a mapping, and the kernel
   may place (or move, in mremap) a mapping anywhere: so every big block starts on a 2 MiB
   boundary and spans whole extents. Measured here: a buffer grown by doubling to 70 MB with
   unaligned mremaps ended with 6 of its 70 MB in huge pages. */
#define HUGE_EXTENT ((size_t)2 << 20)

static size_t block_bytes(size_t n) { /* 0 on overflow */
    size_t len = (n + MAP_HEAD + HUGE_EXTENT - 1) & ~(HUGE_EXTENT - 1);
    return len < n ? 0 : len;
}

static unsigned char *map_aligned(size_t len) {
    size_t span = len + HUGE_EXTENT, lead;
    unsigned char *m, *a;
    if (span < len) return NULL;
    m = (unsigned char *)mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
    a = m + ((HUGE_EXTENT - (size_t)((uintptr_t)m & (HUGE_EXTENT - 1))) & (HUGE_EXTENT - 1));
    lead = (size_t)(a - m);
    if (lead) munmap(m, lead);
    if (span - lead > len) munmap(a + len, span - lead - len);
    (void)madvise(a, len, MADV_HUGEPAGE); /* a hint: without it, plain pages */
    return a;
}

static void *map_block(size_t n) {
    size_t len = block_bytes(n);
    unsigned char *m = len ? map_aligned(len) : NULL;
    if (!m) return NULL;
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
        unsigned char *old = (unsigned char *)p - MAP_HEAD, *m;
        size_t old_len = block_len(p), len = block_bytes(n);
        if (!len) return NULL;
        if (len == old_len) return p;
        m = (unsigned char *)mremap(old, old_len, len, 0); /* in place: shrinking, or growing into free space */
        if (m == MAP_FAILED) { /* moved into a fresh aligned range, old pages first */
            unsigned char *a = map_aligned(len);
            if (!a) return NULL;
            m = (unsigned char *)mremap(old, old_len, old_len, MREMAP_MAYMOVE | MREMAP_FIXED, a);
            if (m == MAP_FAILED) {
                munmap(a, len);
                return NULL;
            }
        }
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
