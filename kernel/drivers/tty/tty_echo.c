/*
 * Output processing (OPOST) and echo primitives for the line discipline.
 *
 * The column is tracked for every byte that goes out, echo or write(),
 * because erasing a tab has to know how wide the tab was on screen, and
 * that depends on the prompt a program wrote before the user typed.
 */

#include <kevlar/tty_ldisc.h>
#include <uapi/errno.h>
#include "tty_internal.h"

void tty_out_flush(struct tty_ldisc *l)
{
	if (l->out_len) {
		l->ops->output(l->ctx, l->out_stage, l->out_len);
		l->out_len = 0;
	}
}

static void stage(struct tty_ldisc *l, char c)
{
	if (l->out_len == sizeof(l->out_stage))
		tty_out_flush(l);
	l->out_stage[l->out_len++] = c;
}

/* Without OPOST bytes pass unchanged, but the column is still followed. */
static void follow_column_plain(struct tty_ldisc *l, unsigned char c)
{
	if (c == '\n' || c == '\r')
		l->column = 0;
	else if (c == '\b') {
		if (l->column)
			l->column--;
	} else if (c == '\t')
		l->column = (l->column | 7) + 1;
	else if (!tty_is_cntrl(c) && !tty_is_continuation(l, c))
		l->column++;
}

void tty_out_char(struct tty_ldisc *l, unsigned char c)
{
	tcflag_t oflag = l->termios.c_oflag;
	unsigned spaces;

	if (!(oflag & OPOST)) {
		follow_column_plain(l, c);
		stage(l, (char)c);
		return;
	}
	switch (c) {
	case '\n':
		if (oflag & ONLRET)
			l->column = 0;
		if (oflag & ONLCR) {
			stage(l, '\r');
			l->column = 0;
		}
		/* A new output line: erase echo must not back over it. */
		l->canon_column = l->column;
		stage(l, '\n');
		return;
	case '\r':
		/* ONOCR: a CR at column 0 would do nothing visible, so it is not sent. */
		if ((oflag & ONOCR) && l->column == 0)
			return;
		if (oflag & OCRNL) {
			if (oflag & ONLRET)
				l->column = l->canon_column = 0;
			stage(l, '\n');
			return;
		}
		l->column = l->canon_column = 0;
		stage(l, '\r');
		return;
	case '\t':
		spaces = 8 - (l->column & 7);
		l->column += spaces;
		/* TAB3 (XTABS) expands tabs for terminals that lack them. */
		if ((oflag & TABDLY) == XTABS) {
			while (spaces--)
				stage(l, ' ');
			return;
		}
		stage(l, '\t');
		return;
	case '\b':
		if (l->column)
			l->column--;
		stage(l, '\b');
		return;
	default:
		if (!tty_is_cntrl(c)) {
			if ((oflag & OLCUC) && c >= 'a' && c <= 'z')
				c = (unsigned char)(c - 'a' + 'A');
			if (!tty_is_continuation(l, c))
				l->column++;
		}
		stage(l, (char)c);
		return;
	}
}

void tty_echo_char(struct tty_ldisc *l, unsigned char c)
{
	if ((l->termios.c_lflag & ECHOCTL) && tty_is_cntrl(c) && c != '\t') {
		/* "^X": X is the byte with bit 6 flipped, so DEL shows as "^?". */
		stage(l, '^');
		stage(l, (char)(c ^ 0x40));
		l->column += 2;
		return;
	}
	tty_out_char(l, c);
}

void tty_echo_backspaces(struct tty_ldisc *l, unsigned n)
{
	if (n > l->column)
		n = l->column;
	l->column -= n;
	while (n--)
		stage(l, '\b');
}

ssize_t tty_ldisc_write(struct tty_ldisc *l, const char *buf, size_t n)
{
	if (l->stopped)
		return -EAGAIN;
	if (!(l->termios.c_oflag & OPOST)) {
		/* Nothing to transform: hand the caller's buffer over as is. */
		for (size_t i = 0; i < n; i++)
			follow_column_plain(l, (unsigned char)buf[i]);
		tty_out_flush(l);
		if (n)
			l->ops->output(l->ctx, buf, n);
		return (ssize_t)n;
	}
	for (size_t i = 0; i < n; i++)
		tty_out_char(l, (unsigned char)buf[i]);
	tty_out_flush(l);
	return (ssize_t)n;
}
