/* offcpu.c: a workload that spends a known share of its time blocked, for offcpu/hotcold tests.
 *
 *   offcpu SECONDS [OFF_PERCENT]     (defaults: OFF_PERCENT = 70; SECONDS <= 600)
 *
 * Call chain: main -> run -> burn_cpu (on CPU) | blocking_wait (off CPU, in nanosleep; see
 * sleep_syscall for why perf shows no frame between them).
 * Each 10 ms round burns (100 - OFF_PERCENT)% of 10 ms of this thread's CPU time in burn_cpu,
 * then sleeps OFF_PERCENT% of 10 ms in blocking_wait. So on an idle machine the process is
 * off CPU about OFF_PERCENT% of the wall time, nearly all of it under blocking_wait, and every
 * on-CPU sample is under burn_cpu. Build with -O1 -fno-omit-frame-pointer -g.
 * Prints one JSON line with measured on/off-CPU seconds on stdout when done. */
#define _POSIX_C_SOURCE 200112L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUND_NS 10000000L /* 10 ms */
#define MAX_SECONDS 600.0

static volatile uint64_t sink;

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Burns CPU until this thread has used cpu_ns of CPU time (not wall time), so the amount of
 * on-CPU work per round stays fixed even when the machine is busy. */
__attribute__((noinline)) void burn_cpu(int64_t cpu_ns)
{
    int64_t until = clock_ns(CLOCK_THREAD_CPUTIME_ID) + cpu_ns;
    uint64_t x = 88172645463325252ull;
    do {
        int i;
        for (i = 0; i < 2000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
    } while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < until);
    sink += x;
}

/* glibc's nanosleep has no frame pointer, so frame-pointer unwinding from inside it skips its
 * direct caller. This wrapper is that (lost) caller, which keeps blocking_wait in the stack. */
__attribute__((noinline)) int sleep_syscall(struct timespec *req, struct timespec *rem)
{
    return nanosleep(req, rem);
}

/* The known off-CPU function: one sleep, restarted after signals. */
__attribute__((noinline)) void blocking_wait(int64_t wall_ns)
{
    struct timespec req, rem;
    req.tv_sec = (time_t)(wall_ns / 1000000000);
    req.tv_nsec = (long)(wall_ns % 1000000000);
    while (sleep_syscall(&req, &rem) != 0 && errno == EINTR) req = rem;
}

__attribute__((noinline)) unsigned long run(double seconds, long off_percent)
{
    int64_t deadline = clock_ns(CLOCK_MONOTONIC) + (int64_t)(seconds * 1e9);
    int64_t off_ns = ROUND_NS / 100 * off_percent;
    int64_t on_ns = ROUND_NS - off_ns;
    unsigned long rounds = 0;
    do {
        if (on_ns > 0) burn_cpu(on_ns);
        if (off_ns > 0) blocking_wait(off_ns);
        rounds++;
    } while (clock_ns(CLOCK_MONOTONIC) < deadline);
    return rounds;
}

int main(int argc, char **argv)
{
    char *end;
    double seconds, wall, cpu;
    long off_percent = 70;
    unsigned long rounds;
    int64_t wall0, cpu0;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s SECONDS [OFF_PERCENT]\n", argv[0]);
        return 1;
    }
    seconds = strtod(argv[1], &end);
    if (*end != '\0' || !(seconds > 0.0) || seconds > MAX_SECONDS) {
        fprintf(stderr, "offcpu: SECONDS must be a number in (0, %.0f]\n", MAX_SECONDS);
        return 1;
    }
    if (argc == 3) {
        off_percent = strtol(argv[2], &end, 10);
        if (*end != '\0' || off_percent < 0 || off_percent > 100) {
            fprintf(stderr, "offcpu: OFF_PERCENT must be an integer in [0, 100]\n");
            return 1;
        }
    }
    wall0 = clock_ns(CLOCK_MONOTONIC);
    cpu0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    rounds = run(seconds, off_percent);
    wall = (double)(clock_ns(CLOCK_MONOTONIC) - wall0) / 1e9;
    cpu = (double)(clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / 1e9;
    printf("{\"workload\":\"offcpu\",\"seconds\":%.3f,\"off_percent\":%ld,\"rounds\":%lu,"
           "\"wall_s\":%.3f,\"on_cpu_s\":%.3f,\"off_cpu_s\":%.3f}\n",
           seconds, off_percent, rounds, wall, cpu, wall - cpu);
    return 0;
}
