/*
 * Job control on terminals: which session a tty controls, its foreground
 * process group, and the SIGTTIN/SIGTTOU rules for background groups
 * (POSIX "General Terminal Interface", as Linux implements it).
 */
#include <kevlar/arch.h>
#include <kevlar/cred.h>
#include <kevlar/pgrp.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/tty.h>
#include <uapi/errno.h>

int tty_check_background(struct tty *tty, int sig)
{
	struct task *t = current_task();

	if (t->job.ctty != tty || !tty->pgrp || tty->pgrp == t->job.pgid)
		return 0;
	/* A background reader that cannot be stopped gets EIO; a writer just writes. */
	if (signal_ignored(t, sig) || signal_blocked(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_is_orphaned(t->job.pgid))
		return -EIO;
	signal_send_pgrp(t->job.pgid, sig, NULL);
	return -ERESTARTSYS;
}

int tty_set_ctty(struct tty *tty, bool steal)
{
	struct task *t = current_task();
	unsigned long flags;
	int ret = 0;

	if (t->job.sid != t->pid)
		return -EPERM;          /* only a session leader */
	flags = arch_irq_save();
	if (t->job.ctty == tty)
		goto out;
	if (t->job.ctty) {
		ret = -EPERM;
		goto out;
	}
	if (tty->session && tty->session != t->job.sid) {
		if (!(steal && cred_is_root(t))) {
			ret = -EPERM;
			goto out;
		}
		session_clear_ctty(tty->session);
	}
	tty->session = t->job.sid;
	tty->pgrp = t->job.pgid;
	t->job.ctty = tty;
out:
	arch_irq_restore(flags);
	return ret;
}

/* Interrupts off. The session loses its terminal; the foreground group hears of it. */
void tty_disassociate(struct tty *tty, bool leader)
{
	struct task *t = current_task();

	if (!leader) {
		t->job.ctty = NULL;
		return;
	}
	if (tty->pgrp > 0) {
		signal_send_pgrp(tty->pgrp, SIGHUP, NULL);
		signal_send_pgrp(tty->pgrp, SIGCONT, NULL);
	}
	session_clear_ctty(tty->session);
	tty->session = 0;
	tty->pgrp = 0;
}

/* Called by task_exit with interrupts off: a dying session leader hangs up its terminal. */
void tty_session_exit(struct task *leader)
{
	struct tty *tty = leader->job.ctty;

	if (!tty || leader->job.sid != leader->pid || tty->session != leader->job.sid)
		return;
	tty_disassociate(tty, true);
}
