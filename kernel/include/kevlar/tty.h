#ifndef KEVLAR_TTY_H
#define KEVLAR_TTY_H

/*
 * Terminal devices (kernel/drivers/tty*.c): the N_TTY line discipline
 * (kevlar/tty_ldisc.h) bound to a device, plus what the discipline leaves
 * to the driver: locking, sleeping readers and writers, VMIN/VTIME
 * timers, the ioctls, and job control (controlling terminal, foreground
 * process group, SIGTTIN/SIGTTOU).
 *
 * Locking: every ldisc call and every field here is used with interrupts
 * off, since the receive interrupt feeds the discipline; that is the lock
 * on our one CPU.
 */

#include <kevlar/tty_ldisc.h>
#include <kevlar/wait.h>

struct file;
struct inode;

struct tty {
	const char *name;
	struct tty_ldisc ldisc;
	/* Readers wait for input, writers for ^Q; the ldisc's wake callback wakes both. */
	struct wait_queue wait;
	void (*putc)(char c);           /* the device's output, must not sleep */
	int session;                    /* sid of the session it controls, 0 = none */
	int pgrp;                       /* foreground process group */
	/*
	 * Optional driver hooks, for devices that are not a character at a
	 * time to a UART (the pty slave, drivers/tty/pty.c). output replaces putc
	 * and must not sleep. write_room is how many output bytes the device
	 * can take now: writers wait for room for a processed chunk (ONLCR
	 * may double it), and the device wakes tty->wait when room appears.
	 * release: the last open file on the terminal was closed.
	 */
	void (*output)(struct tty *tty, const char *buf, size_t n);
	size_t (*write_room)(struct tty *tty);
	void (*release)(struct tty *tty);
	void *driver;
	int open_files;                 /* open files on it (struct file, not descriptors) */
	/* The device went away (pty master closed): reads return 0, writes EIO. */
	bool hungup;
};

/* The serial console's tty (drivers/tty/tty_serial.c). */
struct tty *tty_serial(void);
/*
 * An open file on tty (node: the device node opened, or NULL). A session
 * leader without a controlling terminal acquires tty unless O_NOCTTY or
 * noctty (/dev/console never becomes one, as on Linux).
 */
int tty_open_file(struct tty *tty, struct inode *node, unsigned flags, bool noctty,
		  struct file **out);
/* The tty behind an open tty file, or NULL if f is not a terminal. */
struct tty *tty_from_file(struct file *f);
void tty_init(struct tty *tty, const char *name, void (*putc)(char c));
/*
 * The device is gone: SIGHUP and SIGCONT to the controlling session's
 * leader and foreground group, the session loses it as controlling
 * terminal, and reads return 0 from now on.
 */
void tty_hangup(struct tty *tty);

/* Job control (drivers/tty/tty_jobctl.c) */
/*
 * Background check before reading (SIGTTIN) or writing/changing settings
 * (SIGTTOU): 0 to proceed, -EIO, or -ERESTARTSYS after signalling the
 * caller's group.
 */
int tty_check_background(struct tty *tty, int sig);
/* Make tty the controlling terminal of the caller's session (TIOCSCTTY, open). */
int tty_set_ctty(struct tty *tty, bool steal);
/* TIOCNOTTY and session-leader exit. */
void tty_disassociate(struct tty *tty, bool leader);
/* init's console: pid 1 becomes a session leader owning tty (weakly). */

long tty_ioctl(struct file *f, unsigned cmd, unsigned long arg);

/* Pseudo-terminals (drivers/tty/pty.c): /dev/ptmx (5:2) and /dev/pts/N (136+N/256 : N%256). */
#define PTS_MAJOR_FIRST 136
#define PTS_MAJOR_LAST  143
int pty_open_master(struct inode *node, unsigned flags, struct file **out);
int pty_open_slave(unsigned index, struct inode *node, unsigned flags, struct file **out);
/* devpts nodes (fs/devfs.c): the slave's node, owned by uid:gid, mode 0600. */
struct dentry *devpts_add_slave(unsigned index, uint32_t major, uint32_t minor,
				uint32_t uid, uint32_t gid);
void devpts_remove_slave(struct dentry *d);

#endif
