#ifndef KEVLAR_TTY_LDISC_H
#define KEVLAR_TTY_LDISC_H

/*
 * The N_TTY line discipline: what sits between a terminal device (the
 * serial UART, later a pty) and the processes reading and writing it.
 * Input side: character mapping (ICRNL...), signal characters (^C ^\ ^Z),
 * canonical line editing (erase, kill, word erase, ^D, ^V, ^R) and echo.
 * Output side: OPOST processing (ONLCR...) and the column tracking that
 * erase echo needs to back over tabs.
 *
 * It is a pure unit: no scheduler, no locks, no device. The driver
 * supplies callbacks (struct tty_ldisc_ops), serialises every call (the
 * UART interrupt and syscalls both come through the tty's lock) and owns
 * all waiting: reads and writes never block here, they return -EAGAIN and
 * the driver sleeps on its wait queue until ops->wake fires.
 *
 * Behaviour follows Linux's n_tty as observed on a Linux pty; see the unit
 * tests for the exact echo byte sequences. Deliberate differences and
 * gaps, none of which BusyBox, getty or login rely on:
 *  - input that does not fit the queue is dropped (a UART cannot be
 *    throttled the way Linux throttles a pty writer); canonical mode keeps
 *    the last slot for a line ending so a line always completes;
 *  - echo still goes out while output is stopped by ^S (Linux holds it);
 *  - not implemented: ECHOPRT, XCASE, IMAXBEL, PENDIN, FLUSHO/VDISCARD,
 *    EXTPROC, and the break/parity flags (IGNBRK BRKINT IGNPAR PARMRK
 *    INPCK), which concern events the UART driver would have to report.
 *    CREAD off (ignore input) is the driver's to honour: drop input before
 *    calling tty_ldisc_receive.
 */

#include <kevlar/types.h>
#include <kevlar/ringbuf.h>
#include <uapi/termios.h>

/* Input queue size; Linux's too, so a canonical line holds at most 4095 bytes plus its newline. */
#define TTY_LDISC_BUF_SIZE 4096

/* Echo and output are gathered here and handed to ops->output in batches. */
#define TTY_LDISC_OUT_STAGE 64

struct tty_ldisc_ops {
	/*
	 * Send bytes to the device: both echo (called from receive, i.e. from
	 * the receive interrupt) and processed write() output. Must not sleep.
	 */
	void (*output)(void *ctx, const char *buf, size_t n);
	/* Send sig to the terminal's foreground process group (ISIG, SIGWINCH). */
	void (*signal)(void *ctx, int sig);
	/* Input became readable, or output was restarted (^Q): wake waiters. */
	void (*wake)(void *ctx);
	/* Optional (may be NULL): discard output queued in the device (^C without NOFLSH). */
	void (*flush_output)(void *ctx);
};

struct tty_ldisc {
	struct termios termios;
	struct winsize winsize;
	const struct tty_ldisc_ops *ops;
	void *ctx;

	/* Received bytes not yet read: complete lines first, then the line being edited. */
	struct ringbuf input;
	/*
	 * Canonical mode: input bytes [0, canon_len) form complete lines and
	 * are readable; [canon_len, used) is the line still being edited.
	 */
	size_t canon_len;
	/*
	 * Per-byte marks, indexed by a byte's sequence number (count of bytes
	 * ever queued before it) modulo the queue size; read_seq is that of
	 * the oldest queued byte. line_end marks a byte that ends a line ('\n',
	 * VEOL, VEOL2, VEOF); eof additionally marks a VEOF, which ends the
	 * line but is not returned by read (so ^D on an empty line reads 0).
	 */
	size_t read_seq;
	uint8_t line_end[TTY_LDISC_BUF_SIZE / 8];
	uint8_t eof[TTY_LDISC_BUF_SIZE / 8];

	unsigned column;        /* output cursor column, for tab and erase echo */
	unsigned canon_column;  /* column where the echo of the edited line began */
	bool lnext;             /* previous byte was VLNEXT: take the next literally */
	bool stopped;           /* output stopped by VSTOP (IXON) */

	char out_stage[TTY_LDISC_OUT_STAGE];
	size_t out_len;

	char input_buf[TTY_LDISC_BUF_SIZE];
};

/*
 * Linux's defaults for a serial console: ICRNL IXON, OPOST ONLCR,
 * B38400 CS8 CREAD HUPCL, ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE
 * IEXTEN, the usual control characters, VMIN 1, VTIME 0, size 0x0 (unknown, as Linux reports for a serial line).
 */
void tty_ldisc_init(struct tty_ldisc *l, const struct tty_ldisc_ops *ops, void *ctx);

/* Bytes from the device (receive interrupt). Never blocks, never fails: excess input is dropped. */
void tty_ldisc_receive(struct tty_ldisc *l, const char *buf, size_t n);

/*
 * read(2) core, never blocking. Returns bytes copied; 0 for end of file
 * (^D on an empty line) or for a raw read with VMIN = VTIME = 0 and
 * nothing queued; -EAGAIN when the caller should sleep and retry.
 * Canonical: at most one line. Raw: -EAGAIN until min(VMIN, n) bytes are
 * queued, then up to n bytes.
 */
ssize_t tty_ldisc_read(struct tty_ldisc *l, char *buf, size_t n);
/*
 * Like tty_ldisc_read but ignores VMIN: whatever is queued now (for
 * O_NONBLOCK reads and when a VTIME timer expires). -EAGAIN if nothing.
 */
ssize_t tty_ldisc_read_available(struct tty_ldisc *l, char *buf, size_t n);

/* FIONREAD: bytes a read could return (canonical: complete lines only). */
size_t tty_ldisc_readable(const struct tty_ldisc *l);
/* poll POLLIN: a read would not return -EAGAIN (includes a pending ^D). */
bool tty_ldisc_read_ready(const struct tty_ldisc *l);

/*
 * write(2) core: OPOST processing, then ops->output. Returns n, or
 * -EAGAIN while output is stopped by ^S (the caller sleeps until wake).
 */
ssize_t tty_ldisc_write(struct tty_ldisc *l, const char *buf, size_t n);
/* poll POLLOUT. */
static inline bool tty_ldisc_write_ready(const struct tty_ldisc *l) { return !l->stopped; }

/* how is TCSETS, TCSETSW or TCSETSF (which also flushes input); else -EINVAL. */
int tty_ldisc_set_termios(struct tty_ldisc *l, const struct termios *t, unsigned how);
/* TIOCSWINSZ: stores ws and sends SIGWINCH to the foreground group if it changed. */
void tty_ldisc_set_winsize(struct tty_ldisc *l, const struct winsize *ws);
/* TCFLSH with TCIFLUSH, TCSETSF, and hangup. */
void tty_ldisc_flush_input(struct tty_ldisc *l);
/* TCXONC TCOOFF/TCOON. */
void tty_ldisc_stop_output(struct tty_ldisc *l);
void tty_ldisc_start_output(struct tty_ldisc *l);

#endif
