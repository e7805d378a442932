#ifndef KEVLAR_FS_TTY_ECHO_H
#define KEVLAR_FS_TTY_ECHO_H

/*
 * Output side of the line discipline, shared by tty_ldisc.c (echo) and
 * tty_echo.c (write). Bytes are staged in l->out_stage and handed to
 * ops->output by tty_out_flush(), so a typed character or a written
 * buffer costs one driver call rather than one per byte.
 */

#include <kevlar/tty_ldisc.h>

static inline bool tty_is_cntrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* A UTF-8 continuation byte takes no column (only with IUTF8, as on Linux). */
static inline bool tty_is_continuation(const struct tty_ldisc *l, unsigned char c)
{
	return (l->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80;
}

/* One byte with OPOST processing (if enabled) and column tracking. */
void tty_out_char(struct tty_ldisc *l, unsigned char c);
/* Echo one input byte: a control byte as "^X" under ECHOCTL (except tab). */
void tty_echo_char(struct tty_ldisc *l, unsigned char c);
/* Move the cursor back n columns with plain backspaces (erasing a tab). */
void tty_echo_backspaces(struct tty_ldisc *l, unsigned n);
/* Hand staged bytes to the driver. */
void tty_out_flush(struct tty_ldisc *l);

#endif
