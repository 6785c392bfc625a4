/* The TUI's text layer (examples/resq-flame/term.c, compiled into this test): display widths
   (East Asian wide characters take two columns, combining marks none), cutting untrusted text
   to a width without splitting a character or letting control bytes through, and frame lines
   cut at the terminal's width. */
#define RESQ_FLAME_IMPLEMENTATION
#include "resq_flame.h"
#include "rf_test.h"
#include "../../examples/resq-flame/term.c"

/* what term.c needs from progress.c: only term_open registers a hook, never called here */
void progress_on_abort(void (*fn)(void *ctx), void *ctx) {
    (void)fn;
    (void)ctx;
}

static void widths(void **state) {
    (void)state;
    assert_int_equal(term_cp_width('a'), 1);
    assert_int_equal(term_cp_width(0x4e00), 2);   /* 一 */
    assert_int_equal(term_cp_width(0xac00), 2);   /* 가 */
    assert_int_equal(term_cp_width(0xff21), 2);   /* fullwidth A */
    assert_int_equal(term_cp_width(0x1f525), 2);  /* emoji */
    assert_int_equal(term_cp_width(0x0301), 0);   /* combining acute */
    assert_int_equal(term_cp_width(0x00e9), 1);   /* é */
    assert_int_equal(term_utf8_width("\xe5\x87\xa6\xe7\x90\x86", 6), 4);      /* 処理 */
    assert_int_equal(term_utf8_width("e\xcc\x81x", 4), 2);                    /* e + U+0301, x */
    assert_int_equal(term_utf8_width("\xff\xfe", 2), 2);                      /* invalid: 1 each */
    assert_int_equal(term_text_width("\033[1m\xe5\x87\xa6\033[0mab"), 4);   /* escapes count 0 */
    /* 処理 fits in 4 columns, not in 3: a wide character is never split */
    assert_int_equal(term_utf8_fit("\xe5\x87\xa6\xe7\x90\x86", 6, 4), 6);
    assert_int_equal(term_utf8_fit("\xe5\x87\xa6\xe7\x90\x86", 6, 3), 3);
}

static void safe_text(void **state) {
    char out[64];
    (void)state;
    /* 処理関数 (8 columns) in 5: one wide character and "..." */
    term_safe_text("\xe5\x87\xa6\xe7\x90\x86\xe9\x96\xa2\xe6\x95\xb0", 12, 5, out, sizeof out);
    assert_string_equal(out, "\xe5\x87\xa6...");
    assert_int_equal(term_text_width(out), 5);
    /* fits exactly: unchanged */
    term_safe_text("\xe5\x87\xa6\xe7\x90\x86", 6, 4, out, sizeof out);
    assert_string_equal(out, "\xe5\x87\xa6\xe7\x90\x86");
    /* an escape sequence from the input cannot reach the terminal */
    term_safe_text("a\033[2Jb\x7f", 7, 20, out, sizeof out);
    assert_string_equal(out, "a?[2Jb?");
}

static void frame_lines_cut_at_the_width(void **state) {
    term_frame f;
    const char *row;
    (void)state;
    memset(&f, 0, sizeof f);
    frame_begin(&f, 3, 6);
    frame_line(&f, 1, 0, "%s", "\xe5\x87\xa6\xe7\x90\x86\xe9\x96\xa2\xe6\x95\xb0"); /* 8 columns into 6 */
    assert_false(f.oom);
    f.data[f.len] = '\0';
    row = strstr(f.data, "\033[1;1H");
    assert_non_null(row);
    assert_non_null(strstr(row, "\033[1;1H\xe5\x87\xa6\xe7\x90\x86\xe9\x96\xa2\033[0m"));
    assert_null(strstr(row, "\xe6\x95\xb0"));
    frame_free(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(widths),
        cmocka_unit_test(safe_text),
        cmocka_unit_test(frame_lines_cut_at_the_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
