/*
 * Terminal ioctls. Settings changes from a background process group are
 * job-control checked (SIGTTOU) like writes, as on Linux; the job control
 * ioctls answer only on the caller's controlling terminal (ENOTTY
 * otherwise, which is how shells learn they have no job control).
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/pgrp.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/tty.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>

static long set_termios(struct tty *tty, unsigned cmd, unsigned long arg)
{
	struct termios tio;
	unsigned long flags;
	int err;

	if ((err = tty_check_background(tty, SIGTTOU)))
		return err;
	if (copy_from_user(&tio, (void *)arg, sizeof(tio)))
		return -EFAULT;
	/* Output is written synchronously, so TCSETSW has nothing to drain. */
	flags = arch_irq_save();
	err = tty_ldisc_set_termios(&tty->ldisc, &tio, cmd);
	arch_irq_restore(flags);
	/* A mode change can make queued input readable (e.g. leaving canonical mode). */
	wake_up_all(&tty->wait);
	return err;
}

static long set_foreground(struct tty *tty, unsigned long arg)
{
	struct task *t = current_task();
	unsigned long flags;
	int pgid, err;

	if (t->job.ctty != tty || tty->session != t->job.sid)
		return -ENOTTY;
	if ((err = tty_check_background(tty, SIGTTOU)))
		return err;
	if (get_user(pgid, (int *)arg))
		return -EFAULT;
	if (pgid < 0)
		return -EINVAL;
	flags = arch_irq_save();
	if (!pgrp_exists(pgid))
		err = -ESRCH;
	else if (!pgrp_in_session(pgid, t->job.sid))
		err = -EPERM;
	else
		tty->pgrp = pgid;
	arch_irq_restore(flags);
	return err;
}

static long flush(struct tty *tty, unsigned long arg)
{
	unsigned long flags;

	if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
		return -EINVAL;
	if (arg != TCOFLUSH) {
		flags = arch_irq_save();
		tty_ldisc_flush_input(&tty->ldisc);
		arch_irq_restore(flags);
	}
	return 0;
}

static long flow(struct tty *tty, unsigned long arg)
{
	unsigned long flags = arch_irq_save();
	long ret = 0;

	switch (arg) {
	case TCOOFF:
		tty_ldisc_stop_output(&tty->ldisc);
		break;
	case TCOON:
		tty_ldisc_start_output(&tty->ldisc);
		break;
	case TCIOFF:
	case TCION:
		break;      /* would send VSTOP/VSTART to the other end; no flow control on our UART */
	default:
		ret = -EINVAL;
	}
	arch_irq_restore(flags);
	return ret;
}

long tty_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct tty *tty = tty_from_file(f);
	struct task *t = current_task();
	struct winsize ws;
	int v, err;

	/* As Linux's hung-up tty: nothing works, and it can never become a controlling terminal again. */
	if (tty->hungup)
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS:
		return copy_to_user((void *)arg, &tty->ldisc.termios, sizeof(struct termios)) ?
			-EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(tty, cmd, arg);
	case TIOCGWINSZ:
		return copy_to_user((void *)arg, &tty->ldisc.winsize, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		tty_ldisc_set_winsize(&tty->ldisc, &ws);
		return 0;
	case TIOCSCTTY:
		return tty_set_ctty(tty, arg == 1);
	case TIOCNOTTY:
		if (t->job.ctty != tty)
			return -ENOTTY;
		arch_irq_disable();
		tty_disassociate(tty, t->job.sid == t->pid);
		arch_irq_enable();
		return 0;
	case TIOCGPGRP:
		if (t->job.ctty != tty)
			return -ENOTTY;
		return put_user(tty->pgrp, (int *)arg) ? -EFAULT : 0;
	case TIOCSPGRP:
		return set_foreground(tty, arg);
	case TIOCGSID:
		if (t->job.ctty != tty || !tty->session)
			return -ENOTTY;
		return put_user(tty->session, (int *)arg) ? -EFAULT : 0;
	case FIONREAD:
		return put_user((int)tty_ldisc_readable(&tty->ldisc), (int *)arg) ? -EFAULT : 0;
	case TIOCOUTQ:
		return put_user(0, (int *)arg) ? -EFAULT : 0;   /* output is never queued */
	case TCSBRK:
	case TCSBRKP:
		return 0;           /* drain: done already; a break is meaningless here */
	case TCFLSH:
		if ((err = tty_check_background(tty, SIGTTOU)))
			return err;
		return flush(tty, arg);
	case TCXONC:
		if ((err = tty_check_background(tty, SIGTTOU)))
			return err;
		return flow(tty, arg);
	case TIOCMGET:
		/* A serial console with a live line: carrier, DSR and CTS up. */
		return put_user(TIOCM_CAR | TIOCM_DSR | TIOCM_CTS, (int *)arg) ? -EFAULT : 0;
	case TIOCMSET:
	case TIOCMBIS:
	case TIOCMBIC:
		return get_user(v, (int *)arg) ? -EFAULT : 0;
	case FIONBIO:
		if (get_user(v, (int *)arg))
			return -EFAULT;
		if (v)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	case TIOCEXCL:
	case TIOCNXCL:
		return 0;
	default:
		return -ENOTTY;
	}
}
