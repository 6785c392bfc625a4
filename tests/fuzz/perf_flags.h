/* The perf options fuzz_perf.c draws from an input's first byte; test_perf.c replays its
   reproducers through the same function. */
#ifndef RF_FUZZ_PERF_FLAGS_H
#define RF_FUZZ_PERF_FLAGS_H
static void rf_fuzz_perf_flags(unsigned flags, rf_parse_options *o) {
    o->perf.pid = flags & 1;
    o->perf.tid = (flags >> 1) & 1;
    o->perf.all = (flags >> 2) & 1;
    o->perf.addrs = (flags >> 3) & 1;
    o->perf.srcline = (flags >> 4) & 1;
    o->perf.offcpu = (flags >> 5) & 1;
    o->strict = (flags >> 6) & 1;
    o->perf.count_samples = (flags >> 7) & 1;
}
#endif
