/*
 * N_TTY line discipline against a fake driver that records output,
 * signals and wake-ups. Expected echo bytes were taken from Linux 6.x n_tty
 * (a pty with the same termios), so these tests pin Linux behaviour.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/tty_ldisc.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/ioctls.h>   /* must coexist with uapi/termios.h */

#define SIGTSTP_NUM  20
#define SIGWINCH_NUM 28

struct fake_driver {
	char out[16384];
	size_t out_len;
	int sigs[16];
	int nsigs;
	int wakes;
	int output_flushes;
};

static struct fake_driver drv;
static struct tty_ldisc l;

static void fake_output(void *ctx, const char *buf, size_t n)
{
	struct fake_driver *d = ctx;

	assert_true(d->out_len + n <= sizeof(d->out));
	memcpy(d->out + d->out_len, buf, n);
	d->out_len += n;
}

static void fake_signal(void *ctx, int sig)
{
	struct fake_driver *d = ctx;

	assert_true(d->nsigs < 16);
	d->sigs[d->nsigs++] = sig;
}

static void fake_wake(void *ctx)
{
	((struct fake_driver *)ctx)->wakes++;
}

static void fake_flush_output(void *ctx)
{
	((struct fake_driver *)ctx)->output_flushes++;
}

static const struct tty_ldisc_ops ops = {
	.output = fake_output,
	.signal = fake_signal,
	.wake = fake_wake,
	.flush_output = fake_flush_output,
};

static int setup(void **state)
{
	(void)state;
	memset(&drv, 0, sizeof(drv));
	tty_ldisc_init(&l, &ops, &drv);
	return 0;
}

/* Type a string literal (may contain NUL bytes). */
#define TYPE(s) tty_ldisc_receive(&l, (s), sizeof(s) - 1)

/* Check everything sent to the device since the last check, then forget it. */
#define ECHO_IS(s) do { \
	assert_int_equal(drv.out_len, sizeof(s) - 1); \
	assert_memory_equal(drv.out, (s), sizeof(s) - 1); \
	drv.out_len = 0; \
} while (0)

/* Read with buffer size n and check the bytes returned. */
#define READ_IS(n, s) do { \
	char rbuf_[8192]; \
	ssize_t r_ = tty_ldisc_read(&l, rbuf_, (n)); \
	assert_int_equal(r_, sizeof(s) - 1); \
	assert_memory_equal(rbuf_, (s), sizeof(s) - 1); \
} while (0)

static ssize_t read_n(size_t n)
{
	static char rbuf[8192];

	return tty_ldisc_read(&l, rbuf, n);
}

static void set_lflag(tcflag_t clear, tcflag_t set)
{
	struct termios t = l.termios;

	t.c_lflag = (t.c_lflag & ~clear) | set;
	assert_int_equal(tty_ldisc_set_termios(&l, &t, TCSETS), 0);
}

static void set_raw(cc_t vmin, cc_t vtime)
{
	struct termios t = l.termios;

	t.c_lflag &= ~(tcflag_t)ICANON;
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	assert_int_equal(tty_ldisc_set_termios(&l, &t, TCSETS), 0);
}

/* --- defaults ------------------------------------------------------------ */

static void test_defaults_are_linux_serial_console_termios(void **state)
{
	static const cc_t cc[NCCS] = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 };

	(void)state;
	assert_int_equal(l.termios.c_iflag, ICRNL | IXON);
	assert_int_equal(l.termios.c_oflag, OPOST | ONLCR);
	assert_int_equal(l.termios.c_cflag, 0x4bf);     /* B38400 CS8 CREAD HUPCL */
	assert_int_equal(l.termios.c_lflag, 0x8a3b);    /* as `stty -g` shows on Linux */
	assert_int_equal(l.termios.c_line, 0);
	assert_memory_equal(l.termios.c_cc, cc, NCCS);
	assert_int_equal(l.winsize.ws_row, 0);
	assert_int_equal(l.winsize.ws_col, 0);
	assert_int_equal(sizeof(struct termios), 36);
	assert_int_equal(sizeof(struct winsize), 8);
}

/* --- canonical input ------------------------------------------------------ */

static void test_typing_ls_enter_reads_ls_newline_and_echoes_crlf(void **state)
{
	(void)state;
	assert_int_equal(read_n(100), -EAGAIN);
	TYPE("ls");
	assert_int_equal(read_n(100), -EAGAIN);   /* no complete line yet */
	assert_int_equal(drv.wakes, 0);
	TYPE("\r");
	ECHO_IS("ls\r\n");
	assert_int_equal(drv.wakes, 1);
	READ_IS(100, "ls\n");
	assert_int_equal(read_n(100), -EAGAIN);
}

static void test_two_lines_typed_before_a_read_come_back_one_per_read(void **state)
{
	(void)state;
	TYPE("l1\rl2\r");
	READ_IS(100, "l1\n");
	READ_IS(100, "l2\n");
	assert_int_equal(read_n(100), -EAGAIN);
}

static void test_short_buffer_gets_the_rest_of_the_line_on_the_next_read(void **state)
{
	(void)state;
	TYPE("abc\r");
	READ_IS(2, "ab");
	READ_IS(100, "c\n");
}

static void test_del_erases_last_char_with_backspace_space_backspace(void **state)
{
	(void)state;
	TYPE("ab\x7f");
	ECHO_IS("ab\b \b");
	TYPE("c\r");
	READ_IS(100, "ac\n");
}

static void test_erase_on_empty_line_does_nothing(void **state)
{
	(void)state;
	TYPE("\x7f\x15\x17");
	ECHO_IS("");
	TYPE("\r");
	READ_IS(100, "\n");
}

static void test_erase_without_echoe_echoes_the_erase_char(void **state)
{
	(void)state;
	set_lflag(ECHOE, 0);
	TYPE("ab\x7f\r");
	ECHO_IS("ab^?\r\n");
	READ_IS(100, "a\n");
}

static void test_erasing_a_control_char_removes_both_echoed_columns(void **state)
{
	(void)state;
	TYPE("a\x01\x7f");
	ECHO_IS("a^A\b \b\b \b");
}

static void test_tab_erase_backs_up_to_where_the_tab_started_after_a_prompt(void **state)
{
	(void)state;
	assert_int_equal(tty_ldisc_write(&l, "$ ", 2), 2);
	TYPE("a\tb\x7f\x7f");
	ECHO_IS("$ a\tb\b \b\b\b\b\b\b");
}

static void test_tab_erase_counts_ctrl_echo_as_two_columns(void **state)
{
	(void)state;
	tty_ldisc_write(&l, "$ ", 2);
	TYPE("a\tb\x01\t\x7f\x7f\x7f\x7f");
	ECHO_IS("$ a\tb^A\t" "\b\b\b\b\b" "\b \b\b \b" "\b \b" "\b\b\b\b\b");
}

static void test_ctrl_u_kills_the_line_erasing_each_char_with_echoke(void **state)
{
	(void)state;
	TYPE("abc\x15");
	ECHO_IS("abc\b \b\b \b\b \b");
	TYPE("x\r");
	READ_IS(100, "x\n");
}

static void test_ctrl_u_without_echoke_echoes_kill_char_and_newline(void **state)
{
	(void)state;
	set_lflag(ECHOKE, 0);
	TYPE("abc\x15");
	ECHO_IS("abc^U\r\n");
	set_lflag(ECHOK, 0);
	TYPE("de\x15");
	ECHO_IS("de^U");
	TYPE("\r");
	READ_IS(100, "\n");
}

static void test_ctrl_w_erases_a_word_and_the_blanks_after_it(void **state)
{
	(void)state;
	TYPE("ab cd  \x17");
	ECHO_IS("ab cd  \b \b\b \b\b \b\b \b");
	TYPE("\x17\r");
	READ_IS(100, "\n");
}

static void test_ctrl_d_on_empty_line_reads_end_of_file(void **state)
{
	(void)state;
	TYPE("\x04");
	ECHO_IS("");
	assert_true(tty_ldisc_read_ready(&l));
	assert_int_equal(tty_ldisc_readable(&l), 0);
	assert_int_equal(read_n(100), 0);
	assert_int_equal(read_n(100), -EAGAIN);
	TYPE("x\r");
	READ_IS(100, "x\n");
}

static void test_ctrl_d_after_text_returns_the_text_without_newline(void **state)
{
	(void)state;
	TYPE("ab\x04");
	ECHO_IS("ab");
	assert_int_equal(tty_ldisc_readable(&l), 2);
	READ_IS(100, "ab");
	assert_int_equal(read_n(100), -EAGAIN);
	/* A read that fills up exactly at the ^D consumes it too (as Linux). */
	TYPE("cd\x04");
	READ_IS(1, "c");
	READ_IS(1, "d");
	assert_int_equal(read_n(100), -EAGAIN);
	/* Two ^D: text, then end of file. */
	TYPE("ef\x04\x04");
	READ_IS(100, "ef");
	assert_int_equal(read_n(100), 0);
}

static void test_completed_line_cannot_be_erased(void **state)
{
	(void)state;
	TYPE("abc\x04\x7f");
	ECHO_IS("abc");
	READ_IS(100, "abc");
}

static void test_lnext_inserts_the_next_byte_literally(void **state)
{
	(void)state;
	TYPE("a\x16\x03\r");
	ECHO_IS("a^\b^C\r\n");
	assert_int_equal(drv.nsigs, 0);
	READ_IS(100, "a\x03\n");
	TYPE("\x16\x7f\r");
	READ_IS(100, "\x7f\n");
}

static void test_reprint_shows_the_line_again(void **state)
{
	(void)state;
	TYPE("x\x12\x16\x01\x12");
	ECHO_IS("x^R\r\nx^\b^A^R\r\nx^A");
}

static void test_nul_is_an_ordinary_byte_when_veol_is_disabled(void **state)
{
	(void)state;
	TYPE("a\0b\r");
	ECHO_IS("a^@b\r\n");
	READ_IS(100, "a\0b\n");
}

static void test_veol_ends_a_line_and_is_returned(void **state)
{
	struct termios t = l.termios;

	(void)state;
	t.c_cc[VEOL] = ';';
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("a;b");
	ECHO_IS("a;b");
	READ_IS(100, "a;");
	assert_int_equal(read_n(100), -EAGAIN);
}

static void test_iutf8_erase_removes_a_whole_character(void **state)
{
	struct termios t = l.termios;

	(void)state;
	t.c_iflag |= IUTF8;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("a\xc3\xa9\x7f\r");
	ECHO_IS("a\xc3\xa9\b \b\r\n");
	READ_IS(100, "a\n");
}

/* --- signals ---------------------------------------------------------------- */

static void test_ctrl_c_sends_sigint_echoes_and_flushes(void **state)
{
	(void)state;
	TYPE("done\rab\x03");
	ECHO_IS("done\r\nab^C");
	assert_int_equal(drv.nsigs, 1);
	assert_int_equal(drv.sigs[0], SIGINT);
	assert_int_equal(drv.output_flushes, 1);
	/* Both the edited line and the unread complete line are gone. */
	assert_int_equal(read_n(100), -EAGAIN);
	TYPE("x\r");
	READ_IS(100, "x\n");
}

static void test_ctrl_z_sends_sigtstp_and_ctrl_backslash_sigquit(void **state)
{
	(void)state;
	TYPE("\x1a\x1c");
	ECHO_IS("^Z^\\");
	assert_int_equal(drv.nsigs, 2);
	assert_int_equal(drv.sigs[0], SIGTSTP_NUM);
	assert_int_equal(drv.sigs[1], SIGQUIT);
}

static void test_noflsh_keeps_input_across_a_signal(void **state)
{
	(void)state;
	set_lflag(0, NOFLSH);
	TYPE("ab\x03x\r");
	ECHO_IS("ab^Cx\r\n");
	assert_int_equal(drv.output_flushes, 0);
	READ_IS(100, "abx\n");
}

static void test_isig_off_makes_ctrl_c_a_normal_byte(void **state)
{
	(void)state;
	set_lflag(ISIG, 0);
	TYPE("ab\x03x\r");
	ECHO_IS("ab^Cx\r\n");
	assert_int_equal(drv.nsigs, 0);
	READ_IS(100, "ab\x03x\n");
}

static void test_signal_without_echo_is_silent(void **state)
{
	(void)state;
	set_lflag(ECHO, 0);
	TYPE("ab\x03x\r");
	ECHO_IS("");
	assert_int_equal(drv.sigs[0], SIGINT);
	READ_IS(100, "x\n");
}

/* --- echo modes ---------------------------------------------------------- */

static void test_echo_off_for_password_entry_echoes_nothing(void **state)
{
	(void)state;
	set_lflag(ECHO, 0);
	TYPE("secret\x7ft\r");
	ECHO_IS("");
	READ_IS(100, "secret\n");
}

static void test_echonl_echoes_only_the_newline(void **state)
{
	(void)state;
	set_lflag(ECHO, ECHONL);
	TYPE("ab\r");
	ECHO_IS("\r\n");
	READ_IS(100, "ab\n");
}

static void test_cr_mapping_flags(void **state)
{
	struct termios t = l.termios;

	(void)state;
	t.c_iflag &= ~(tcflag_t)ICRNL;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("a\r\n");
	ECHO_IS("a^M\r\n");
	READ_IS(100, "a\r\n");
	t.c_iflag |= IGNCR;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("b\r\n");
	READ_IS(100, "b\n");
	t.c_iflag = INLCR;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("c\n\r");
	assert_int_equal(read_n(100), -EAGAIN);   /* both became CR */
	t.c_iflag = ISTRIP | ICRNL;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("\xe1\x8d");
	READ_IS(100, "c\r\ra\n");
}

/* --- raw mode ------------------------------------------------------------------ */

static void test_raw_vmin_1_returns_bytes_as_they_come(void **state)
{
	(void)state;
	set_raw(1, 0);
	assert_int_equal(read_n(100), -EAGAIN);
	TYPE("x");
	assert_int_equal(drv.wakes, 1);
	READ_IS(100, "x");
	TYPE("ab\x7f\x1b\t\r");
	ECHO_IS("xab^?^[\t\r\n");
	READ_IS(1, "a");
	READ_IS(100, "b\x7f\x1b\t\n");
}

static void test_raw_typed_newline_echoes_as_ctrl_j(void **state)
{
	struct termios t = l.termios;

	(void)state;
	t.c_lflag &= ~(tcflag_t)ICANON;
	t.c_iflag &= ~(tcflag_t)ICRNL;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	TYPE("a\n\r\b");
	ECHO_IS("a^J^M^H");
	READ_IS(100, "a\n\r\b");
}

static void test_raw_vmin_waits_for_min_of_vmin_and_count(void **state)
{
	char buf[8];

	(void)state;
	set_raw(3, 0);
	TYPE("ab");
	assert_false(tty_ldisc_read_ready(&l));
	assert_int_equal(read_n(100), -EAGAIN);
	/* A 2-byte read is satisfied by 2 bytes. */
	READ_IS(2, "ab");
	TYPE("cd");
	/* O_NONBLOCK and VTIME expiry take what is there. */
	assert_int_equal(tty_ldisc_read_available(&l, buf, sizeof(buf)), 2);
	assert_int_equal(tty_ldisc_read_available(&l, buf, sizeof(buf)), -EAGAIN);
	TYPE("efg");
	assert_true(tty_ldisc_read_ready(&l));
	READ_IS(100, "efg");
}

static void test_raw_vmin_0_vtime_0_is_a_poll_returning_0(void **state)
{
	(void)state;
	set_raw(0, 0);
	assert_int_equal(read_n(100), 0);
	TYPE("q");
	READ_IS(100, "q");
	set_raw(0, 5);
	assert_int_equal(read_n(100), -EAGAIN);   /* the caller runs the VTIME timer */
}

static void test_isig_still_works_in_raw_mode(void **state)
{
	(void)state;
	set_raw(1, 0);
	TYPE("a\x03");
	assert_int_equal(drv.sigs[0], SIGINT);
	assert_int_equal(read_n(100), -EAGAIN);
}

/* --- switching modes --------------------------------------------------------- */

static void test_icanon_off_makes_the_partial_line_readable(void **state)
{
	(void)state;
	TYPE("done\rpart");
	assert_int_equal(tty_ldisc_readable(&l), 5);
	drv.wakes = 0;
	set_raw(1, 0);
	assert_int_equal(drv.wakes, 1);
	assert_int_equal(tty_ldisc_readable(&l), 9);
	READ_IS(100, "done\npart");
}

static void test_icanon_on_turns_raw_leftovers_into_a_line(void **state)
{
	(void)state;
	set_raw(1, 0);
	TYPE("xy");
	set_lflag(0, ICANON);
	assert_true(tty_ldisc_read_ready(&l));
	TYPE("z\x7f");                 /* editing starts after the leftovers */
	ECHO_IS("xyz\b \b");
	READ_IS(100, "xy");
	TYPE("\r");
	READ_IS(100, "\n");
}

static void test_tcsetsf_flushes_input_and_bad_how_is_einval(void **state)
{
	struct termios t = l.termios;

	(void)state;
	TYPE("abc\rdef");
	assert_int_equal(tty_ldisc_set_termios(&l, &t, 0x1234), -EINVAL);
	assert_int_equal(tty_ldisc_set_termios(&l, &t, TCSETSW), 0);
	assert_int_equal(tty_ldisc_readable(&l), 4);
	assert_int_equal(tty_ldisc_set_termios(&l, &t, TCSETSF), 0);
	assert_int_equal(tty_ldisc_readable(&l), 0);
	assert_int_equal(read_n(100), -EAGAIN);
	TYPE("\r");
	READ_IS(100, "\n");
}

/* --- overflow --------------------------------------------------------------------- */

static void test_canonical_overflow_keeps_room_for_the_newline(void **state)
{
	static char big[5000];
	char buf[8192];

	(void)state;
	set_lflag(ECHO, 0);
	TYPE("l1\r");
	memset(big, 'a', sizeof(big));
	tty_ldisc_receive(&l, big, sizeof(big));
	TYPE("\r");
	READ_IS(100, "l1\n");
	/* 4096 slots: "l1\n" took 3, one is held for the newline. */
	assert_int_equal(tty_ldisc_read(&l, buf, sizeof(buf)), 4093);
	assert_int_equal(buf[4091], 'a');
	assert_int_equal(buf[4092], '\n');
	assert_int_equal(read_n(100), -EAGAIN);
	/* The queue works normally afterwards. */
	TYPE("ok\r");
	READ_IS(100, "ok\n");
}

static void test_canonical_full_queue_drops_further_lines_intact(void **state)
{
	(void)state;
	set_lflag(ECHO, 0);
	for (int i = 0; i < 2048; i++)
		TYPE("x\r");
	/* Queue full of complete lines: the extra line is lost entirely. */
	TYPE("y\r");
	for (int i = 0; i < 2048; i++)
		READ_IS(100, "x\n");
	assert_int_equal(read_n(100), -EAGAIN);
}

static void test_raw_overflow_stops_at_capacity(void **state)
{
	static char big[5000];
	char buf[8192];

	(void)state;
	set_raw(1, 0);
	set_lflag(ECHO, 0);
	memset(big, 'r', sizeof(big));
	tty_ldisc_receive(&l, big, sizeof(big));
	assert_int_equal(tty_ldisc_readable(&l), TTY_LDISC_BUF_SIZE);
	assert_int_equal(tty_ldisc_read(&l, buf, sizeof(buf)), TTY_LDISC_BUF_SIZE);
}

/* Many lines and reads wrap the queue many times; marks must follow. */
static void test_lines_stay_framed_across_queue_wraparound(void **state)
{
	char line[64], buf[128];

	(void)state;
	set_lflag(ECHO, 0);
	for (int i = 0; i < 3000; i++) {
		int len = i % 50;

		memset(line, 'a' + i % 26, (size_t)len);
		line[len] = (i % 7 == 0) ? '\x04' : '\r';
		tty_ldisc_receive(&l, line, (size_t)len + 1);
		ssize_t r = tty_ldisc_read(&l, buf, sizeof(buf));

		if (i % 7 == 0) {
			assert_int_equal(r, len);
		} else {
			assert_int_equal(r, len + 1);
			assert_int_equal(buf[len], '\n');
		}
		if (len)
			assert_int_equal(buf[0], 'a' + i % 26);
	}
}

/* --- output ---------------------------------------------------------------------- */

static void test_write_onlcr_turns_newline_into_crlf(void **state)
{
	(void)state;
	assert_int_equal(tty_ldisc_write(&l, "a\nb\n", 4), 4);
	ECHO_IS("a\r\nb\r\n");
}

static void test_write_without_opost_passes_bytes_unchanged(void **state)
{
	struct termios t = l.termios;

	(void)state;
	t.c_oflag &= ~(tcflag_t)OPOST;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	assert_int_equal(tty_ldisc_write(&l, "a\nb\t", 4), 4);
	ECHO_IS("a\nb\t");
}

static void test_write_output_flags(void **state)
{
	struct termios t = l.termios;

	(void)state;
	t.c_oflag = OPOST | OCRNL | XTABS | OLCUC;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	assert_int_equal(tty_ldisc_write(&l, "ab\tc\r", 5), 5);
	ECHO_IS("AB      C\n");
	t.c_oflag = OPOST | ONOCR | ONLCR;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	/* OCRNL without ONLRET left the column at 9; a newline resets it. */
	tty_ldisc_write(&l, "\n\rx\r", 4);
	ECHO_IS("\r\nx\r");
}

static void test_long_write_is_delivered_in_order(void **state)
{
	static char big[3000];

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('A' + i % 26);
	assert_int_equal(tty_ldisc_write(&l, big, sizeof(big)), (ssize_t)sizeof(big));
	assert_int_equal(drv.out_len, sizeof(big));
	assert_memory_equal(drv.out, big, sizeof(big));
}

static void test_ixon_ctrl_s_stops_output_and_ctrl_q_restarts(void **state)
{
	(void)state;
	TYPE("a\x13");
	assert_false(tty_ldisc_write_ready(&l));
	assert_int_equal(tty_ldisc_write(&l, "x", 1), -EAGAIN);
	drv.wakes = 0;
	TYPE("\x11");
	assert_int_equal(drv.wakes, 1);
	assert_int_equal(tty_ldisc_write(&l, "x", 1), 1);
	TYPE("\r");
	READ_IS(100, "a\n");   /* ^S and ^Q are not input */
	/* Turning IXON off restarts stopped output. */
	TYPE("\x13");
	struct termios t = l.termios;
	t.c_iflag &= ~(tcflag_t)IXON;
	tty_ldisc_set_termios(&l, &t, TCSETS);
	assert_true(tty_ldisc_write_ready(&l));
}

static void test_winsize_change_sends_sigwinch_once(void **state)
{
	struct winsize ws = { .ws_row = 50, .ws_col = 132 };

	(void)state;
	tty_ldisc_set_winsize(&l, &ws);
	tty_ldisc_set_winsize(&l, &ws);
	assert_int_equal(drv.nsigs, 1);
	assert_int_equal(drv.sigs[0], SIGWINCH_NUM);
	assert_int_equal(l.winsize.ws_col, 132);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults_are_linux_serial_console_termios),
		T(test_typing_ls_enter_reads_ls_newline_and_echoes_crlf),
		T(test_two_lines_typed_before_a_read_come_back_one_per_read),
		T(test_short_buffer_gets_the_rest_of_the_line_on_the_next_read),
		T(test_del_erases_last_char_with_backspace_space_backspace),
		T(test_erase_on_empty_line_does_nothing),
		T(test_erase_without_echoe_echoes_the_erase_char),
		T(test_erasing_a_control_char_removes_both_echoed_columns),
		T(test_tab_erase_backs_up_to_where_the_tab_started_after_a_prompt),
		T(test_tab_erase_counts_ctrl_echo_as_two_columns),
		T(test_ctrl_u_kills_the_line_erasing_each_char_with_echoke),
		T(test_ctrl_u_without_echoke_echoes_kill_char_and_newline),
		T(test_ctrl_w_erases_a_word_and_the_blanks_after_it),
		T(test_ctrl_d_on_empty_line_reads_end_of_file),
		T(test_ctrl_d_after_text_returns_the_text_without_newline),
		T(test_completed_line_cannot_be_erased),
		T(test_lnext_inserts_the_next_byte_literally),
		T(test_reprint_shows_the_line_again),
		T(test_nul_is_an_ordinary_byte_when_veol_is_disabled),
		T(test_veol_ends_a_line_and_is_returned),
		T(test_iutf8_erase_removes_a_whole_character),
		T(test_ctrl_c_sends_sigint_echoes_and_flushes),
		T(test_ctrl_z_sends_sigtstp_and_ctrl_backslash_sigquit),
		T(test_noflsh_keeps_input_across_a_signal),
		T(test_isig_off_makes_ctrl_c_a_normal_byte),
		T(test_signal_without_echo_is_silent),
		T(test_echo_off_for_password_entry_echoes_nothing),
		T(test_echonl_echoes_only_the_newline),
		T(test_cr_mapping_flags),
		T(test_raw_vmin_1_returns_bytes_as_they_come),
		T(test_raw_typed_newline_echoes_as_ctrl_j),
		T(test_raw_vmin_waits_for_min_of_vmin_and_count),
		T(test_raw_vmin_0_vtime_0_is_a_poll_returning_0),
		T(test_isig_still_works_in_raw_mode),
		T(test_icanon_off_makes_the_partial_line_readable),
		T(test_icanon_on_turns_raw_leftovers_into_a_line),
		T(test_tcsetsf_flushes_input_and_bad_how_is_einval),
		T(test_canonical_overflow_keeps_room_for_the_newline),
		T(test_canonical_full_queue_drops_further_lines_intact),
		T(test_raw_overflow_stops_at_capacity),
		T(test_lines_stay_framed_across_queue_wraparound),
		T(test_write_onlcr_turns_newline_into_crlf),
		T(test_write_without_opost_passes_bytes_unchanged),
		T(test_write_output_flags),
		T(test_long_write_is_delivered_in_order),
		T(test_ixon_ctrl_s_stops_output_and_ctrl_q_restarts),
		T(test_winsize_change_sends_sigwinch_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
