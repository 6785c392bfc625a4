/* The terminal layer under the TUI: raw mode with termios, the alternate screen, keys, size
   changes, and whole frames composed in memory and written at once (no flicker). The terminal
   is restored on every way out: term_close, exit (atexit), and the signals progress.c handles. */
#ifndef RESQ_FLAME_TERM_H
#define RESQ_FLAME_TERM_H
#include <stddef.h>

enum {
    TERM_KEY_NONE = 0, /* timeout */
    TERM_KEY_UP = 0x110000, TERM_KEY_DOWN, TERM_KEY_LEFT, TERM_KEY_RIGHT, TERM_KEY_HOME, TERM_KEY_END,
    TERM_KEY_PGUP, TERM_KEY_PGDN, TERM_KEY_DELETE, TERM_KEY_BTAB,
    TERM_KEY_ENTER, TERM_KEY_ESC, TERM_KEY_BACKSPACE, TERM_KEY_TAB,
    TERM_KEY_RESIZE,   /* the window changed size */
    TERM_KEY_EOF       /* stdin closed */
};
#define TERM_KEY_CTRL(c) ((c) & 0x1f)

/* Raw mode + alternate screen + hidden cursor. 0 ok, -1 when stdin/stdout is not a terminal. */
int term_open(void);
/* Back to what the terminal was (idempotent, async-signal-safe). */
void term_close(void);
/* While a command runs: Ctrl-C raises SIGINT again (so the run stops the way it does on the
   command line); keys are still not echoed. */
void term_run_mode(int on);
void term_size(int *rows, int *cols);
/* The next key: a Unicode code point (typed text), a TERM_KEY_*, or TERM_KEY_NONE after
   timeout_ms. A pending resize is reported first. */
int term_read_key(int timeout_ms);
/* Discards typed-ahead input. */
void term_flush_input(void);
/* 1 (once) when the window changed size since the last call. */
int term_resized(void);
/* UTF-8 box drawing and arrows, unless the locale says otherwise. */
int term_utf8(void);

/* A frame composed in memory. */
typedef struct term_frame {
    char *data;
    size_t len, cap;
    int rows, cols, oom;
    int cursor_row, cursor_col; /* 0 = hidden */
} term_frame;
void frame_begin(term_frame *f, int rows, int cols);
/* Row `row` (1-based): fmt's output, cut to the width (escape sequences kept, UTF-8 counted in
   display columns), the rest of the line cleared; with `fill`, the attributes reach the right edge. */
void frame_line(term_frame *f, int row, int fill, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Writes the frame in one write() and clears the rows it did not draw. */
void frame_flush(term_frame *f);
void frame_free(term_frame *f);

/* Copies untrusted text for the screen: control characters (escape sequences included) and
   invalid UTF-8 become '?'; at most `max_cols` columns ("..." when cut). */
void term_safe_text(const char *s, size_t n, size_t max_cols, char *out, size_t cap);
/* Display width in columns (East Asian wide characters take 2, combining marks 0; escape
   sequences not counted). */
size_t term_text_width(const char *s);
/* Columns of a code point (0, 1 or 2), of UTF-8 text, and how many bytes of s fit in `cols`. */
int term_cp_width(unsigned cp);
size_t term_utf8_width(const char *s, size_t n);
size_t term_utf8_fit(const char *s, size_t n, size_t cols);

#endif
