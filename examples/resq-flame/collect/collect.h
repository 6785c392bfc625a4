/* The contract between the CLI commands that profile live targets and the
   collectors that get the bytes. One collector per way of getting a profile;
   each parses what it collects into the caller's rf_profile (through the
   header's push parsers, streaming where the source streams) and never writes
   the output file itself: the command renders it like any other input. */
#ifndef RESQ_FLAME_COLLECT_H
#define RESQ_FLAME_COLLECT_H
#include "cli.h"

/* What a collection produced besides the stacks. */
typedef struct collect_info {
    char title[160];     /* e.g. "ResQ HCE — CPU Flame Graph", "perf: ./server (pid 1234)" */
    char subtitle[200];  /* duration, samples, date; filled by the command if empty */
    double seconds;      /* how long was actually sampled */
    int interrupted;     /* Ctrl-C stopped it early (the command exits 130 after rendering) */
} collect_info;

/* Progress and interruption, provided by progress.c (the CLI/TUI issue):
   a countdown on stderr when it is a terminal and not -q; the TUI swaps in its own. */
void progress_countdown_start(const cli_config *cfg, const char *what, double seconds);
void progress_countdown_tick(double seconds_left);
void progress_countdown_end(void);
int progress_interrupted(void);   /* nonzero once SIGINT arrived; collectors stop early */

/* Collectors (one file each under collect/). Each returns an exit code (EXIT_OK, EXIT_TOOL_MISSING,
   EXIT_NETWORK, EXIT_NOT_FOUND, EXIT_BAD_INPUT, EXIT_USAGE) after printing a
   clear message; on EXIT_OK (or an interruption) p holds what was collected. */
int collect_hce_http(const cli_config *cfg, rf_profile *p, collect_info *info);
int collect_node_inspector(const cli_config *cfg, rf_profile *p, collect_info *info, int heap);
int collect_pprof_http(const cli_config *cfg, rf_profile *p, collect_info *info, int heap);
int collect_python(const cli_config *cfg, rf_profile *p, collect_info *info, int memory);
int collect_perf(const cli_config *cfg, rf_profile *p, collect_info *info);
int collect_offcpu(const cli_config *cfg, rf_profile *p, collect_info *info);
int collect_bun(const cli_config *cfg, rf_profile *p, collect_info *info);
int collect_dotnet(const cli_config *cfg, rf_profile *p, collect_info *info);
#endif
