/* Raw mode, keys, size changes and flicker-free frames for the TUI (termios + ANSI, no library). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "cli.h"
#include "term.h"

/* One terminal per process: the state is process-wide, like the signals that restore it. */
static struct termios saved_mode, raw_mode;
static volatile sig_atomic_t active, resized;
static int out_fd = -1, atexit_done;

static void write_all(int fd, const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static void on_winch(int sig) {
    (void)sig;
    resized = 1;
}

/* Leaves the alternate screen, shows the cursor, restores the saved mode. Only
   async-signal-safe calls: it also runs from progress.c's signal handler. */
void term_close(void) {
    static const char leave[] = "\033[0m\033[?25h\033[?1049l";
    if (!active) return;
    active = 0;
    write_all(out_fd >= 0 ? out_fd : STDOUT_FILENO, leave, sizeof leave - 1);
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_mode);
}

static void close_hook(void *ctx) {
    (void)ctx;
    term_close();
}
static void close_at_exit(void) { term_close(); }

int term_open(void) {
    static const char enter[] = "\033[?1049h\033[?25l\033[H\033[2J";
    struct sigaction sa;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return -1;
    if (tcgetattr(STDIN_FILENO, &saved_mode) != 0) return -1;
    if (out_fd < 0) {
        /* the screen keeps its own descriptor: stdout and stderr are pointed elsewhere while a
           command runs, so that its messages do not scribble over the frame */
        out_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (out_fd < 0) return -1;
    }
    raw_mode = saved_mode;
    raw_mode.c_iflag &= ~(tcflag_t)(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
    raw_mode.c_lflag &= ~(tcflag_t)(ECHO | ICANON | IEXTEN | ISIG);
    raw_mode.c_cflag |= CS8;
    raw_mode.c_cc[VMIN] = 1;
    raw_mode.c_cc[VTIME] = 0;
    if (!atexit_done) {
        atexit(close_at_exit);
        atexit_done = 1;
    }
    progress_on_abort(close_hook, NULL);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw_mode) != 0) return -1;
    active = 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL); /* no SA_RESTART: a resize wakes the key wait */
    write_all(out_fd, enter, sizeof enter - 1);
    return 0;
}

void term_run_mode(int on) {
    struct termios t = raw_mode;
    if (!active) return;
    if (on) {
        t.c_lflag |= ISIG;                 /* Ctrl-C -> SIGINT, as on the command line */
        t.c_cc[VSUSP] = _POSIX_VDISABLE;   /* but never stop with the terminal in raw mode */
        t.c_cc[VQUIT] = _POSIX_VDISABLE;
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

void term_size(int *rows, int *cols) {
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(out_fd >= 0 ? out_fd : STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

int term_resized(void) {
    if (!resized) return 0;
    resized = 0;
    return 1;
}

int term_utf8(void) {
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    size_t i;
    for (i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
    }
    return 0;
}

/* A byte within timeout_ms, or -1. */
static int next_byte(int timeout_ms) {
    struct pollfd p;
    unsigned char c;
    p.fd = STDIN_FILENO;
    p.events = POLLIN;
    if (poll(&p, 1, timeout_ms) <= 0) return -1;
    if (read(STDIN_FILENO, &c, 1) != 1) return -1;
    return c;
}

static int escape_sequence(void) {
    int c = next_byte(30), params[4] = {0, 0, 0, 0}, np = 0, introducer;
    if (c < 0) return TERM_KEY_ESC; /* Esc on its own */
    if (c != '[' && c != 'O') return TERM_KEY_NONE; /* Alt+key: not used */
    introducer = c;
    for (;;) {
        c = next_byte(30);
        if (c < 0) return TERM_KEY_NONE;
        if (c >= '0' && c <= '9') {
            if (np == 0) np = 1;
            params[np - 1] = params[np - 1] * 10 + (c - '0');
            if (params[np - 1] > 1000) params[np - 1] = 1000;
        } else if (c == ';') {
            if (np < 4) np++;
        } else if (c >= 0x40 && c <= 0x7e) {
            break;
        }
    }
    switch (c) {
    case 'A': return TERM_KEY_UP;
    case 'B': return TERM_KEY_DOWN;
    case 'C': return TERM_KEY_RIGHT;
    case 'D': return TERM_KEY_LEFT;
    case 'H': return TERM_KEY_HOME;
    case 'F': return TERM_KEY_END;
    case 'Z': return TERM_KEY_BTAB;
    case '~':
        if (introducer != '[') return TERM_KEY_NONE;
        switch (params[0]) {
        case 1: case 7: return TERM_KEY_HOME;
        case 4: case 8: return TERM_KEY_END;
        case 3: return TERM_KEY_DELETE;
        case 5: return TERM_KEY_PGUP;
        case 6: return TERM_KEY_PGDN;
        default: return TERM_KEY_NONE;
        }
    default: return TERM_KEY_NONE;
    }
}

int term_read_key(int timeout_ms) {
    struct pollfd p;
    unsigned char c;
    ssize_t got;
    int r;
    if (term_resized()) return TERM_KEY_RESIZE;
    p.fd = STDIN_FILENO;
    p.events = POLLIN;
    r = poll(&p, 1, timeout_ms);
    if (r < 0) return term_resized() ? TERM_KEY_RESIZE : TERM_KEY_NONE;
    if (r == 0) return TERM_KEY_NONE;
    got = read(STDIN_FILENO, &c, 1);
    if (got == 0) return TERM_KEY_EOF;
    if (got < 0) return errno == EINTR || errno == EAGAIN ? TERM_KEY_NONE : TERM_KEY_EOF;
    if (c == 27) return escape_sequence();
    if (c == '\r' || c == '\n') return TERM_KEY_ENTER;
    if (c == 127 || c == 8) return TERM_KEY_BACKSPACE;
    if (c == '\t') return TERM_KEY_TAB;
    if (c >= 0xc2 && c <= 0xf4) { /* UTF-8 text */
        int n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1, cp = c & (0x3f >> n), i;
        for (i = 0; i < n; i++) {
            int b = next_byte(30);
            if (b < 0 || (b & 0xc0) != 0x80) return TERM_KEY_NONE;
            cp = (cp << 6) | (b & 0x3f);
        }
        return cp;
    }
    if (c >= 0x80) return TERM_KEY_NONE;
    return c;
}

void term_flush_input(void) { tcflush(STDIN_FILENO, TCIFLUSH); }

/* ---- text ------------------------------------------------------------------------------- */
/* Length of the valid UTF-8 sequence at s (1-4), 0 if invalid; its code point in *cp. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp) {
    size_t k, i;
    *cp = s[0];
    if (s[0] < 0x80) return 1;
    if (s[0] < 0xc2 || s[0] > 0xf4) return 0;
    k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    if (k > n) return 0;
    for (i = 1; i < k; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (k == 3 && s[0] == 0xe0 && s[1] < 0xa0) return 0;       /* overlong */
    if (k == 3 && s[0] == 0xed && s[1] >= 0xa0) return 0;      /* surrogates */
    if (k == 4 && s[0] == 0xf0 && s[1] < 0x90) return 0;
    if (k == 4 && s[0] == 0xf4 && s[1] >= 0x90) return 0;
    if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0) return 0;       /* C1 controls */
    *cp = (unsigned)s[0] & (k == 2 ? 0x1fu : k == 3 ? 0x0fu : 0x07u);
    for (i = 1; i < k; i++) *cp = *cp << 6 | (s[i] & 0x3fu);
    return k;
}

/* Code point ranges by terminal width (Unicode's East Asian Wide/Fullwidth and emoji; the
   common combining and zero-width marks), a compact subset that is locale-independent. */
static const unsigned wide_ranges[][2] = {
    {0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a}, {0x23e9, 0x23ec}, {0x2614, 0x2615},
    {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0x9fff}, {0xa000, 0xa4cf},
    {0xa960, 0xa97f}, {0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19}, {0xfe30, 0xfe6f},
    {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x16fe0, 0x18aff}, {0x1b000, 0x1b2ff}, {0x1f300, 0x1f64f},
    {0x1f680, 0x1f6ff}, {0x1f900, 0x1f9ff}, {0x1fa70, 0x1faff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd}};
static const unsigned zero_ranges[][2] = {
    {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x0610, 0x061a}, {0x064b, 0x065f},
    {0x0e31, 0x0e31}, {0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff},
    {0x200b, 0x200f}, {0x20d0, 0x20ff}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xfeff, 0xfeff},
    {0x1f3fb, 0x1f3ff}, {0xe0100, 0xe01ef}};

static int in_ranges(unsigned cp, const unsigned (*r)[2], size_t n) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid][0]) hi = mid;
        else if (cp > r[mid][1]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

int term_cp_width(unsigned cp) {
    if (in_ranges(cp, zero_ranges, sizeof zero_ranges / sizeof zero_ranges[0])) return 0;
    return in_ranges(cp, wide_ranges, sizeof wide_ranges / sizeof wide_ranges[0]) ? 2 : 1;
}

/* Columns of s[0..n) and, when stop_cols is reached, the byte length that fits in *fit. */
static size_t width_until(const char *s, size_t n, size_t stop_cols, size_t *fit) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, cols = 0;
    *fit = n;
    while (i < n) {
        unsigned cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        int w = k ? term_cp_width(cp) : 1;
        if (cols + (size_t)w > stop_cols) { *fit = i; stop_cols = (size_t)-1; }
        cols += (size_t)w;
        i += k ? k : 1;
    }
    return cols;
}

size_t term_utf8_width(const char *s, size_t n) {
    size_t fit;
    return width_until(s, n, (size_t)-1, &fit);
}

size_t term_utf8_fit(const char *s, size_t n, size_t cols) {
    size_t fit;
    width_until(s, n, cols, &fit);
    return fit;
}

void term_safe_text(const char *s, size_t n, size_t max_cols, char *out, size_t cap) {
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0, cols = 0, total = term_utf8_width(s, n);
    /* room for "..." when the text does not fit */
    size_t limit = total > max_cols ? (max_cols >= 3 ? max_cols - 3 : 0) : max_cols;
    if (cap == 0) return;
    while (i < n) {
        unsigned cp;
        size_t k = utf8_decode(u + i, n - i, &cp);
        int bad = k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7f));
        size_t w = bad ? 1 : (size_t)term_cp_width(cp);
        if (cols + w > limit) break;
        if (bad) {
            if (o + 1 >= cap) break;
            out[o++] = '?';
            i += k ? k : 1;
        } else {
            if (o + k >= cap) break;
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
        cols += w;
    }
    if (i < n && total > max_cols && max_cols >= 3 && o + 3 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

size_t term_text_width(const char *s) {
    size_t w = 0;
    while (*s) {
        size_t run = 0;
        if (*s == '\033') {
            s++;
            if (*s == '[') {
                s++;
                while (*s && !(*s >= 0x40 && *s <= 0x7e)) s++;
                if (*s) s++;
            }
            continue;
        }
        while (s[run] && s[run] != '\033') run++;
        w += term_utf8_width(s, run);
        s += run;
    }
    return w;
}

/* ---- frames ---------------------------------------------------------------------------- */
static void frame_put(term_frame *f, const char *s, size_t n) {
    if (f->oom) return;
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 8192;
        char *d;
        while (cap < f->len + n + 1) cap *= 2;
        if (!(d = (char *)realloc(f->data, cap))) {
            f->oom = 1;
            return;
        }
        f->data = d;
        f->cap = cap;
    }
    memcpy(f->data + f->len, s, n);
    f->len += n;
}
static void frame_puts(term_frame *f, const char *s) { frame_put(f, s, strlen(s)); }

/* Rows drawn in this frame (the others are cleared at flush). */
static unsigned char drawn[1024];

void frame_begin(term_frame *f, int rows, int cols) {
    f->len = 0;
    f->oom = 0;
    f->rows = rows;
    f->cols = cols;
    f->cursor_row = f->cursor_col = 0;
    memset(drawn, 0, sizeof drawn);
    frame_puts(f, "\033[?25l"); /* no cursor flying across the screen while drawing */
}

void frame_line(term_frame *f, int row, int fill, const char *fmt, ...) {
    char text[4096], pos[32];
    const char *s = text, *end;
    va_list ap;
    int cols = 0;
    if (row < 1 || row > f->rows) return;
    if (row < (int)sizeof drawn) drawn[row] = 1;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    end = text + strlen(text);
    snprintf(pos, sizeof pos, "\033[%d;1H", row);
    frame_puts(f, pos);
    while (*s) {
        if (*s == '\033') { /* attributes: kept, zero width */
            const char *e = s + 1;
            if (*e == '[') {
                e++;
                while (*e && !(*e >= 0x40 && *e <= 0x7e)) e++;
                if (*e) e++;
            }
            frame_put(f, s, (size_t)(e - s));
            s = e;
            continue;
        }
        {
            unsigned cp;
            size_t k = utf8_decode((const unsigned char *)s, (size_t)(end - s), &cp);
            int w = k ? term_cp_width(cp) : 1;
            if (!k) k = 1;
            /* past the width: skip the rest of the text (its escapes are balanced by the reset below) */
            if (cols + w <= f->cols) {
                frame_put(f, s, k);
                cols += w;
            } else {
                cols = f->cols;
            }
            s += k;
        }
    }
    if (fill) {
        for (; cols < f->cols; cols++) frame_put(f, " ", 1);
        frame_puts(f, "\033[0m");
    } else {
        frame_puts(f, "\033[0m\033[K");
    }
}

void frame_flush(term_frame *f) {
    int r;
    char pos[32];
    for (r = 1; r <= f->rows; r++) {
        if (r < (int)sizeof drawn && drawn[r]) continue;
        snprintf(pos, sizeof pos, "\033[%d;1H\033[K", r);
        frame_puts(f, pos);
    }
    if (f->cursor_row > 0) {
        snprintf(pos, sizeof pos, "\033[%d;%dH\033[?25h", f->cursor_row, f->cursor_col);
        frame_puts(f, pos);
    }
    if (!f->oom && active) write_all(out_fd, f->data, f->len);
}

void frame_free(term_frame *f) {
    free(f->data);
    memset(f, 0, sizeof *f);
}
