/* Helpers shared by the collectors (collect/ *.c) and cmd_profile.c: child processes,
   tools on PATH, temporary directories, waiting with a countdown, parsing collected bytes,
   --save-raw, and turning HTTP failures into messages that never show a credential. */
#ifndef RESQ_FLAME_COLLECT_UTIL_H
#define RESQ_FLAME_COLLECT_UTIL_H
#include <sys/types.h>
#include "collect.h"
#include "http.h"

/* ---- proc.c: child processes ------------------------------------------------------- */
typedef struct proc_child {
    pid_t pid;        /* 0 = not running / already reaped */
    int out_fd;       /* read end of the child's stdout when PROC_PIPE_OUT, else -1 */
    int status;       /* wait status once reaped */
    int reaped;
    char err[2048];   /* the first bytes of the child's stderr (PROC_CAPTURE_ERR) */
    size_t err_len;
    int err_fd;       /* read end of the child's stderr while it runs, else -1 */
    int own_group;    /* leads its own process group (signals go to the group) */
    int hooked;       /* registered with progress_on_abort until reaped: do not copy or move
                         a running proc_child */
} proc_child;

#define PROC_PIPE_OUT 0x01u     /* stdout -> out_fd (else /dev/null, or stderr with PROC_OUT_TO_ERR) */
#define PROC_CAPTURE_ERR 0x02u  /* stderr kept in err[] (else inherited) */
#define PROC_OWN_GROUP 0x04u    /* the child leads a new process group (signals reach its children) */
#define PROC_OUT_TO_ERR 0x08u   /* stdout goes where stderr goes (the child's chatter stays off our stdout) */
#define PROC_INHERIT_ERR 0x10u  /* stderr inherited even with PROC_CAPTURE_ERR unset: the default */

/* Starts argv[0] (looked up on PATH). Returns 0, or errno (ENOENT when it does not exist). */
int proc_spawn(proc_child *c, char *const argv[], unsigned flags);
/* Reads what is pending on err_fd into err[] without blocking. */
void proc_drain_err(proc_child *c);
/* Waits until the child exits or `timeout` seconds pass (< 0 = forever). 1 = exited (status
   set), 0 = still running. Keeps draining its stderr meanwhile. */
int proc_wait(proc_child *c, double timeout);
/* Sends sig to the child (its group with PROC_OWN_GROUP); waits `grace` seconds; then SIGKILL
   and reaps. Safe to call on a reaped child. Returns the wait status (-1 if unknown). */
int proc_stop(proc_child *c, int sig, double grace);
/* Closes the fds (after the child is reaped). */
void proc_close(proc_child *c);
/* A process exists (kill(pid, 0) says so, EPERM included). */
int proc_exists(long pid);
/* "exit status N" / "killed by signal N" */
void proc_status_text(int status, char *out, size_t cap);
/* Finds an executable on PATH (or a path with '/'); writes it to out. 1 = found. */
int proc_find_tool(const char *name, char *out, size_t cap);
/* Runs argv to completion with a timeout, collecting stdout into *out (malloc'd, NUL-terminated,
   at most max bytes) and stderr into c->err. Returns 0, or errno; *status = wait status. */
int proc_run_capture(char *const argv[], double timeout, char **out, size_t *out_len, size_t max, proc_child *c);

/* Temporary directories under $TMPDIR (or /tmp), mode 0700. */
int tempdir_make(char *out, size_t cap, const char *tag);  /* 0 or errno */
void tempdir_remove(const char *dir);                      /* the dir and the files in it */

/* Sleeps up to `seconds` showing the countdown; stops early when interrupted or when
   stop(ctx) returns nonzero (checked every 50 ms). Returns the seconds actually waited;
   *interrupted is set when Ctrl-C ended it. */
double collect_wait(const cli_config *cfg, const char *what, double seconds, int (*stop)(void *ctx), void *ctx,
                    int *interrupted);
/* Monotonic clock in seconds. */
double collect_now(void);

/* ---- common.c --------------------------------------------------------------------- */
/* Parsing collected data of format f into p, warnings on stderr under `what`. The struct
   must not move while in use (opt.warn_ctx points at it). */
typedef struct collect_parse {
    rf_parse_options opt;
    rf_parser *ps;      /* created on the first feed: opt may be adjusted until then */
    rf_profile *dst;
    const cli_config *cfg;
    const char *what;
} collect_parse;
int collect_parse_begin(collect_parse *cp, const cli_config *cfg, rf_profile *p, rf_format f, const char *what);
int collect_parse_feed(collect_parse *cp, const void *data, size_t n);  /* exit code */
int collect_parse_end(collect_parse *cp);                                /* exit code; frees the parser */
void collect_parse_abort(collect_parse *cp);
/* begin + feed + end */
int collect_parse_bytes(const cli_config *cfg, rf_profile *p, rf_format f, const void *data, size_t n,
                        const char *what);

/* --save-raw: writes data to cfg->save_raw atomically (no-op without --save-raw). Exit code. */
int collect_save_raw(const cli_config *cfg, const void *data, size_t n);
/* --save-raw for a file the tool wrote: copied to cfg->save_raw. Exit code. */
int collect_save_raw_file(const cli_config *cfg, const char *path);

/* An HTTP failure as an exit code (EXIT_NETWORK) after a message naming the URL, the status
   and the start of the body, with the credentials of cfg replaced by "[redacted]". */
int collect_http_error(const cli_config *cfg, cli_http_status st, const cli_http_response *rs, const char *what);
/* Copies s into out with every occurrence of cfg's token and API key replaced by [redacted],
   control characters as '?', cut to cap-1 bytes ("..." appended when cut). */
void collect_redact(const cli_config *cfg, const char *s, size_t n, char *out, size_t cap);
/* The base URL joined with a path: "http://h:1/" + "/admin/x" -> "http://h:1/admin/x". */
void collect_join_url(const char *base, const char *path, char *out, size_t cap);
/* The token and API key: flags, else $RESQ_TOKEN / $RESQ_API_KEY. */
const char *collect_token(const cli_config *cfg);
const char *collect_api_key(const cli_config *cfg);
/* Exit code for a missing tool after the message "<tool> is not installed: <how>". */
int collect_tool_missing(const char *tool, const char *how);

/* ---- ws.c: a minimal WebSocket client (RFC 6455) for the Node and Bun inspectors ------ */
typedef struct ws_conn ws_conn;
/* Connects to ws://host:port/path (loopback or any host); timeout in seconds for the
   connect and handshake. NULL on failure with a message in err. */
ws_conn *ws_connect(const char *url, double timeout, char *err, size_t errcap);
/* Sends one masked, final text frame. 0 ok, -1 failed (message in err). */
int ws_send_text(ws_conn *c, const char *text, size_t n, char *err, size_t errcap);
/* Receives the next complete text message (fragments reassembled, pings answered, at most
   max_message bytes). Returns 1 with *msg (malloc'd, NUL-terminated; caller frees) and *len,
   0 when `timeout` seconds passed without one, -1 on close or error (message in err). */
int ws_recv_text(ws_conn *c, double timeout, size_t max_message, char **msg, size_t *len, char *err, size_t errcap);
/* Sends a close frame (best effort) and closes the socket. NULL-safe. */
void ws_close(ws_conn *c);

/* Sends {"id":id,"method":method[,"params":params]} and waits for the response with that
   id, skipping events (each event is passed to on_event when given). Returns 1 with the whole
   response text in *resp (caller frees), 0 on timeout, -1 on error or a CDP error response
   (message in err). */
int ws_call(ws_conn *c, int id, const char *method, const char *params, double timeout, size_t max_message,
            char **resp, size_t *len, void (*on_event)(void *ctx, const char *msg, size_t n), void *ctx,
            char *err, size_t errcap);

/* SHA-1 and base64, exposed for the unit test of the handshake accept key. */
void ws_sha1(const void *data, size_t n, unsigned char out[20]);
size_t ws_base64(const unsigned char *in, size_t n, char *out, size_t cap);
/* The Sec-WebSocket-Accept value for a key (NUL-terminated into out, 29+ bytes). */
void ws_accept_key(const char *key, char *out, size_t cap);

/* ---- perf.c: hotcold's live capture (on-CPU and off-CPU of the same window) ---------- */
int collect_hotcold_perf(const cli_config *cfg, rf_profile *on_cpu, rf_profile *off_cpu, collect_info *info);

/* ---- netproc.c: who listens where (/proc/net/tcp{,6} and /proc/PID/fd socket inodes) ---- */
/* The process listening on a TCP port; 0 (message in err) when none is found. */
long collect_pid_listening_on(int port, char *err, size_t errcap);
/* The TCP ports process pid listens on, at most max; returns how many. */
size_t collect_listening_ports(long pid, int *ports, size_t max);

#endif
