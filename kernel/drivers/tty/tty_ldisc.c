/*
 * N_TTY line discipline: input processing, canonical line editing and
 * settings. The read core is in tty_read.c, output processing and echo
 * primitives in tty_echo.c. See kevlar/tty_ldisc.h for the contract with
 * the driver.
 */

#include <kevlar/tty_ldisc.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include "tty_internal.h"

/* Not (yet) in uapi/signal.h; values from asm-generic/signal.h. */
#ifndef SIGTSTP
#define SIGTSTP  20
#endif
#ifndef SIGWINCH
#define SIGWINCH 28
#endif

#define CTRL(c) ((c) & 0x1f)

static const cc_t default_cc[NCCS] = {
	[VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f,
	[VKILL] = CTRL('U'), [VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1,
	[VSWTC] = 0, [VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'),
	[VSUSP] = CTRL('Z'), [VEOL] = 0, [VREPRINT] = CTRL('R'),
	[VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'),
	[VEOL2] = 0,
};

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* --- the input queue ----------------------------------------------------- */

/*
 * Room check. In canonical mode the last slot is kept for a line ending,
 * as Linux does: a line overflowing 4095 bytes loses its excess bytes but
 * Enter still completes it, so the reader is never wedged.
 */
static bool has_room(const struct tty_ldisc *l, bool ends_line)
{
	size_t room = ringbuf_free(&l->input);

	if (is_canonical(l) && !ends_line)
		return room > 1;
	return room > 0;
}

/* Queue one byte; ends_line/eof set its marks. */
static void queue_byte(struct tty_ldisc *l, unsigned char c, bool ends_line, bool eof)
{
	size_t i = mark_index(l, queued(l));

	ringbuf_put_byte(&l->input, (char)c);
	mark_set(l->line_end, i, ends_line);
	mark_set(l->eof, i, eof);
}

void tty_ldisc_flush_input(struct tty_ldisc *l)
{
	dequeue(l, queued(l));
	l->canon_len = 0;
	l->lnext = false;
}

/* --- canonical editing ----------------------------------------------------- */

/*
 * Remember where the echo of a new line starts, so erasing a tab later
 * can tell how many columns the prompt took.
 */
static void note_line_start(struct tty_ldisc *l)
{
	if (line_len(l) == 0)
		l->canon_column = l->column;
}

/* Column at which the byte at queue offset `upto` of the edited line was echoed. */
static unsigned column_before(const struct tty_ldisc *l, size_t upto)
{
	unsigned col = l->canon_column;

	for (size_t off = l->canon_len; off < upto; off++) {
		unsigned char c = ringbuf_at(&l->input, off);

		if (c == '\t')
			col = (col | 7) + 1;
		else if (tty_is_cntrl(c)) {
			if (lflag(l, ECHOCTL))
				col += 2;
		} else if (!tty_is_continuation(l, c))
			col++;
	}
	return col;
}

/* Echo the visual erasure of byte c, which started at queue offset `at`. */
static void echo_erased(struct tty_ldisc *l, unsigned char c, size_t at)
{
	if (c == '\t') {
		/* A tab covered up to the next multiple of 8 from where it began. */
		unsigned start = column_before(l, at);

		tty_echo_backspaces(l, 8 - (start & 7));
		return;
	}
	/* "^X" took two columns, so it takes two "\b \b". */
	if (tty_is_cntrl(c) && lflag(l, ECHOCTL)) {
		tty_out_char(l, '\b'); tty_out_char(l, ' '); tty_out_char(l, '\b');
	}
	if (!tty_is_cntrl(c) || lflag(l, ECHOCTL)) {
		tty_out_char(l, '\b'); tty_out_char(l, ' '); tty_out_char(l, '\b');
	}
}

static bool is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/*
 * VERASE, VWERASE, VKILL. A word is a run of alphanumerics and '_'; blanks
 * typed after it go with it (Linux's rule, BSD's ALTWERASE).
 */
static void erase(struct tty_ldisc *l, enum erase_kind kind, unsigned char key)
{
	bool echo = lflag(l, ECHO);
	bool seen_word = false;

	if (line_len(l) == 0)
		return;
	if (kind == ERASE_LINE) {
		/* Without ECHOKE (and ECHOE) the kill character is shown instead of erasing visually. */
		if (!echo || !lflag(l, ECHOK) || !lflag(l, ECHOKE) || !lflag(l, ECHOE)) {
			while (line_len(l))
				ringbuf_unput(&l->input);
			if (echo) {
				tty_echo_char(l, key);
				if (lflag(l, ECHOK))
					tty_out_char(l, '\n');
			}
			return;
		}
	}
	while (line_len(l)) {
		size_t at = queued(l) - 1;
		unsigned char c = ringbuf_at(&l->input, at);

		/* With IUTF8 a multi-byte character goes as a whole, never in part. */
		while (tty_is_continuation(l, c) && at > l->canon_len)
			c = ringbuf_at(&l->input, --at);
		if (tty_is_continuation(l, c))
			break;
		if (kind == ERASE_WORD) {
			if (is_word_char(c))
				seen_word = true;
			else if (seen_word)
				break;
		}
		while (queued(l) > at)
			ringbuf_unput(&l->input);
		if (echo) {
			if (kind == ERASE_CHAR && !lflag(l, ECHOE))
				tty_echo_char(l, key);
			else
				echo_erased(l, c, at);
		}
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: show the key, a new line, then the line edited so far. */
static void reprint(struct tty_ldisc *l, unsigned char key)
{
	tty_echo_char(l, key);
	tty_out_char(l, '\n');
	l->canon_column = l->column;
	for (size_t off = l->canon_len; off < queued(l); off++)
		tty_echo_char(l, ringbuf_at(&l->input, off));
}

/* The edited line becomes readable; c ends it ('\n', VEOL, VEOL2 or VEOF). */
static bool end_line(struct tty_ldisc *l, unsigned char c, bool eof)
{
	if (!has_room(l, true))
		return false;
	queue_byte(l, c, true, eof);
	l->canon_len = queued(l);
	return true;
}

/* --- receive -------------------------------------------------------------- */

/* ISIG: flush unless NOFLSH, signal the foreground group, echo "^C". */
static void signal_char(struct tty_ldisc *l, int sig, unsigned char c)
{
	if (!lflag(l, NOFLSH)) {
		tty_ldisc_flush_input(l);
		if (l->ops->flush_output)
			l->ops->flush_output(l->ctx);
	}
	l->ops->signal(l->ctx, sig);
	if (lflag(l, ECHO))
		tty_echo_char(l, c);
}

/* An ordinary byte: queue and echo it. Returns whether input became readable. */
static bool receive_plain(struct tty_ldisc *l, unsigned char c, bool from_cr)
{
	if (!has_room(l, false))
		return false;
	if (lflag(l, ECHO)) {
		note_line_start(l);
		/* A CR turned into NL echoes as a newline; a typed NL in raw mode shows as ^J, as on Linux. */
		if (c == '\n' && from_cr)
			tty_out_char(l, '\n');
		else
			tty_echo_char(l, c);
	}
	queue_byte(l, c, false, false);
	return !is_canonical(l);
}

/* Canonical-mode special characters. Returns -1 if c is not one, else whether input became readable. */
static int receive_canonical_special(struct tty_ldisc *l, unsigned char c)
{
	bool iexten = lflag(l, IEXTEN);

	if (is_cc(l, VERASE, c) || is_cc(l, VKILL, c) || (iexten && is_cc(l, VWERASE, c))) {
		erase(l, is_cc(l, VERASE, c) ? ERASE_CHAR :
			 is_cc(l, VKILL, c) ? ERASE_LINE : ERASE_WORD, c);
		return 0;
	}
	if (iexten && is_cc(l, VLNEXT, c)) {
		l->lnext = true;
		/* "^" then backspace, so the literal byte's echo lands on top of it. */
		if (lflag(l, ECHO) && lflag(l, ECHOCTL)) {
			note_line_start(l);
			tty_echo_char(l, '^');
			tty_out_char(l, '\b');
		}
		return 0;
	}
	if (iexten && lflag(l, ECHO) && is_cc(l, VREPRINT, c)) {
		reprint(l, c);
		return 0;
	}
	if (c == '\n') {
		if (!end_line(l, c, false))
			return 0;
		if (lflag(l, ECHO) || lflag(l, ECHONL))
			tty_out_char(l, '\n');
		return 1;
	}
	/* VEOF is never echoed and never read: it only ends the line. */
	if (is_cc(l, VEOF, c))
		return end_line(l, c, true);
	if (is_cc(l, VEOL, c) || (iexten && is_cc(l, VEOL2, c))) {
		if (!has_room(l, true))
			return 0;
		if (lflag(l, ECHO)) {
			note_line_start(l);
			tty_echo_char(l, c);
		}
		return end_line(l, c, false);
	}
	return -1;
}

/* IXON flow control. Returns whether c was consumed as VSTART/VSTOP. */
static bool flow_control(struct tty_ldisc *l, unsigned char c)
{
	bool start = is_cc(l, VSTART, c), stop = is_cc(l, VSTOP, c);

	if (!start && !stop)
		return false;
	/* One key for both toggles. */
	if (start && stop)
		start = l->stopped;
	if (start)
		tty_ldisc_start_output(l);
	else
		l->stopped = true;
	return true;
}

/* One received byte. Returns whether input became readable. */
static bool receive_byte(struct tty_ldisc *l, unsigned char c)
{
	bool from_cr = false;
	int r;

	if (iflag(l, ISTRIP))
		c &= 0x7f;
	if (iflag(l, IUCLC) && lflag(l, IEXTEN) && c >= 'A' && c <= 'Z')
		c = (unsigned char)(c - 'A' + 'a');
	if (l->lnext) {
		l->lnext = false;
		return receive_plain(l, c, false);
	}
	if (iflag(l, IXON) && flow_control(l, c))
		return false;
	if (lflag(l, ISIG)) {
		int sig = is_cc(l, VINTR, c) ? SIGINT : is_cc(l, VQUIT, c) ? SIGQUIT :
			  is_cc(l, VSUSP, c) ? SIGTSTP : 0;

		if (sig) {
			signal_char(l, sig, c);
			return false;
		}
	}
	if (l->stopped && iflag(l, IXON) && iflag(l, IXANY))
		tty_ldisc_start_output(l);
	if (c == '\r') {
		if (iflag(l, IGNCR))
			return false;
		if (iflag(l, ICRNL)) {
			c = '\n';
			from_cr = true;
		}
	} else if (c == '\n' && iflag(l, INLCR))
		c = '\r';
	if (is_canonical(l)) {
		r = receive_canonical_special(l, c);
		if (r >= 0)
			return r;
	}
	return receive_plain(l, c, from_cr);
}

void tty_ldisc_receive(struct tty_ldisc *l, const char *buf, size_t n)
{
	bool readable = false;

	for (size_t i = 0; i < n; i++)
		readable |= receive_byte(l, (unsigned char)buf[i]);
	tty_out_flush(l);
	if (readable)
		l->ops->wake(l->ctx);
}

/* --- settings ------------------------------------------------------------------ */

void tty_ldisc_init(struct tty_ldisc *l, const struct tty_ldisc_ops *ops, void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->ops = ops;
	l->ctx = ctx;
	ringbuf_init(&l->input, l->input_buf, sizeof(l->input_buf));
	l->termios.c_iflag = ICRNL | IXON;
	l->termios.c_oflag = OPOST | ONLCR;
	l->termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	l->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	l->termios.c_line = N_TTY;
	memcpy(l->termios.c_cc, default_cc, sizeof(default_cc));
	/* A serial line has no known size: Linux reports 0x0 until TIOCSWINSZ. */
}

/*
 * Switching ICANON re-frames what is queued. To raw: everything is
 * readable. To canonical: what raw mode left queued becomes one complete
 * line (Linux does this so no typed input is stranded), and editing
 * starts afresh after it.
 */
static void switch_canonical(struct tty_ldisc *l, bool canonical)
{
	memset(l->line_end, 0, sizeof(l->line_end));
	memset(l->eof, 0, sizeof(l->eof));
	l->lnext = false;
	l->canon_len = 0;
	if (canonical && queued(l)) {
		mark_set(l->line_end, mark_index(l, queued(l) - 1), true);
		l->canon_len = queued(l);
	}
}

int tty_ldisc_set_termios(struct tty_ldisc *l, const struct termios *t, unsigned how)
{
	bool was_canonical = is_canonical(l);

	if (how != TCSETS && how != TCSETSW && how != TCSETSF)
		return -EINVAL;
	/* TCSETSW waits for output to drain; output here is synchronous, so nothing is pending. */
	if (how == TCSETSF)
		tty_ldisc_flush_input(l);
	l->termios = *t;
	if (was_canonical != is_canonical(l))
		switch_canonical(l, is_canonical(l));
	if (l->stopped && !iflag(l, IXON))
		tty_ldisc_start_output(l);
	/* New VMIN or a switch to raw may have made queued input readable. */
	if (tty_ldisc_read_ready(l))
		l->ops->wake(l->ctx);
	return 0;
}

void tty_ldisc_set_winsize(struct tty_ldisc *l, const struct winsize *ws)
{
	bool changed = memcmp(&l->winsize, ws, sizeof(*ws)) != 0;

	l->winsize = *ws;
	if (changed)
		l->ops->signal(l->ctx, SIGWINCH);
}

void tty_ldisc_stop_output(struct tty_ldisc *l)
{
	l->stopped = true;
}

void tty_ldisc_start_output(struct tty_ldisc *l)
{
	if (!l->stopped)
		return;
	l->stopped = false;
	l->ops->wake(l->ctx);
}
