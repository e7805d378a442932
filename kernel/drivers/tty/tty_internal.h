#ifndef KEVLAR_FS_TTY_INTERNAL_H
#define KEVLAR_FS_TTY_INTERNAL_H

/*
 * Shared by the line discipline's files: tty_ldisc.c (input, editing,
 * settings), tty_read.c (read core) and tty_echo.c (output and echo).
 */

#include <kevlar/tty_ldisc.h>

static inline bool lflag(const struct tty_ldisc *l, tcflag_t bit)
{
	return (l->termios.c_lflag & bit) != 0;
}

static inline bool iflag(const struct tty_ldisc *l, tcflag_t bit)
{
	return (l->termios.c_iflag & bit) != 0;
}

/* A c_cc slot set to _POSIX_VDISABLE matches no input byte, not even NUL. */
static inline bool is_cc(const struct tty_ldisc *l, int index, unsigned char c)
{
	cc_t v = l->termios.c_cc[index];

	return v != _POSIX_VDISABLE && v == c;
}

static inline bool is_canonical(const struct tty_ldisc *l)
{
	return lflag(l, ICANON);
}

/*
 * Input queue and per-byte marks (see struct tty_ldisc). The byte `offset`
 * bytes after the oldest has its marks at bit mark_index(l, offset).
 */
static inline size_t mark_index(const struct tty_ldisc *l, size_t offset)
{
	return (l->read_seq + offset) % TTY_LDISC_BUF_SIZE;
}

static inline bool mark_test(const uint8_t *map, size_t i)
{
	return (map[i / 8] >> (i % 8)) & 1;
}

static inline void mark_set(uint8_t *map, size_t i, bool on)
{
	if (on)
		map[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		map[i / 8] &= (uint8_t)~(1u << (i % 8));
}

static inline size_t queued(const struct tty_ldisc *l)
{
	return ringbuf_used(&l->input);
}

static inline size_t line_len(const struct tty_ldisc *l)
{
	return queued(l) - l->canon_len;
}

/* Drop the oldest n bytes, keeping read_seq and canon_len in step. */
static inline void dequeue(struct tty_ldisc *l, size_t n)
{
	ringbuf_discard(&l->input, n);
	l->read_seq += n;
	l->canon_len = l->canon_len > n ? l->canon_len - n : 0;
}

static inline bool tty_is_cntrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* A UTF-8 continuation byte takes no column (only with IUTF8, as on Linux). */
static inline bool tty_is_continuation(const struct tty_ldisc *l, unsigned char c)
{
	return (l->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80;
}

/*
 * Output side. Bytes are staged in l->out_stage and handed to ops->output
 * by tty_out_flush(), so a typed character or a written buffer costs one
 * driver call rather than one per byte.
 */

/* One byte with OPOST processing (if enabled) and column tracking. */
void tty_out_char(struct tty_ldisc *l, unsigned char c);
/* Echo one input byte: a control byte as "^X" under ECHOCTL (except tab). */
void tty_echo_char(struct tty_ldisc *l, unsigned char c);
/* Move the cursor back n columns with plain backspaces (erasing a tab). */
void tty_echo_backspaces(struct tty_ldisc *l, unsigned n);
/* Hand staged bytes to the driver. */
void tty_out_flush(struct tty_ldisc *l);

#endif
