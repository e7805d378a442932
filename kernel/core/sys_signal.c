/*
 * Signal syscalls: actions, masks, sending (kill, tkill, tgkill), waiting
 * for a signal (rt_sigsuspend, pause), sigaltstack and rt_sigreturn.
 */
#include <kevlar/arch.h>
#include <kevlar/cred.h>
#include <kevlar/pgrp.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/thread.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

#define SIGSET_SIZE 8       /* the kernel sigset_t: 64 signals */

long sys_rt_sigaction(int sig, const struct k_sigaction *uact, struct k_sigaction *uold,
		      size_t sigsetsize)
{
	struct task *t = current_task();
	struct k_sigaction act, old;
	unsigned long flags;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (sig < 1 || sig > _NSIG || (uact && (SIGMASK(sig) & SIG_UNBLOCKABLE)))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	flags = arch_irq_save();
	old = t->sig.action[sig - 1];
	if (uact) {
		act.mask &= ~SIG_UNBLOCKABLE;
		t->sig.action[sig - 1] = act;
		thread_share_action(t, sig);        /* CLONE_SIGHAND: one table per group */
		/* POSIX: setting SIG_IGN (or an ignoring default) discards a pending instance. */
		if (signal_ignored(t, sig))
			t->sig.pending &= ~SIGMASK(sig);
	}
	arch_irq_restore(flags);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const ksigset_t *uset, ksigset_t *uold, size_t sigsetsize)
{
	struct task *t = current_task();
	ksigset_t set, old = t->sig.blocked;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~SIG_UNBLOCKABLE;
		switch (how) {
		case SIG_BLOCK:
			t->sig.blocked |= set;
			break;
		case SIG_UNBLOCK:
			t->sig.blocked &= ~set;
			break;
		case SIG_SETMASK:
			t->sig.blocked = set;
			break;
		default:
			return -EINVAL;
		}
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(ksigset_t *uset, size_t sigsetsize)
{
	struct task *t = current_task();
	ksigset_t set = t->sig.pending & t->sig.blocked;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	return copy_to_user(uset, &set, sizeof(set)) ? -EFAULT : 0;
}

/* Sleep until a signal is pending; the caller decides what that returns. */
static void sleep_until_signal(void)
{
	struct task *t = current_task();
	unsigned long flags = arch_irq_save();

	while (!signal_pending(t)) {
		t->state = TASK_SLEEPING;
		schedule();
	}
	arch_irq_restore(flags);
}

long sys_rt_sigsuspend(const ksigset_t *umask, size_t sigsetsize)
{
	struct task *t = current_task();
	ksigset_t mask;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	/* The old mask comes back after the handler ran (signal_deliver). */
	t->sig.saved_mask = t->sig.blocked;
	t->sig.restore_mask = true;
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

/*
 * Wait for one of set (normally blocked by the caller) and take it
 * without running a handler. While waiting, sig.wait_set makes sending a
 * blocked member wake us (the mask itself is left alone, so an ignored
 * default like SIGCHLD still queues because it is blocked).
 */
long sys_rt_sigtimedwait(const ksigset_t *uset, struct siginfo *uinfo,
			 const struct timespec64 *uts, size_t sigsetsize)
{
	struct task *t = current_task();
	ksigset_t set;
	struct timespec64 ts;
	uint64_t deadline = TIME_NEVER, ns;
	struct timer timeout;
	struct siginfo si;
	struct pending_info p;
	unsigned long flags;
	long ret;

	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if ((ret = timespec_to_ns(&ts, &ns)))
			return ret;
		deadline = time_add_sat(clock_monotonic_ns(), ns);
	}
	timer_init(&timeout, TIMER_MONOTONIC, timer_wake_task, t);
	timer_arm(&timeout, deadline);
	flags = arch_irq_save();
	t->sig.wait_set = set;
	for (;;) {
		ksigset_t ready = t->sig.pending & set;

		if (ready) {
			ret = __builtin_ctzll(ready) + 1;
			t->sig.pending &= ~SIGMASK(ret);
			p = t->sig.info[ret - 1];
			break;
		}
		if (signal_pending(t)) {
			ret = -EINTR;
			break;
		}
		if (deadline < TIME_NEVER && (timeout.fired || clock_monotonic_ns() >= deadline)) {
			ret = -EAGAIN;
			break;
		}
		t->state = TASK_SLEEPING;
		schedule();
	}
	t->sig.wait_set = 0;
	arch_irq_restore(flags);
	timer_cancel(&timeout);
	if (ret > 0 && uinfo) {
		memset(&si, 0, sizeof(si));
		si.si_signo = (int)ret;
		si.si_code = p.code;
		si.proc.pid = p.pid;
		si.proc.uid = p.uid;
		si.proc.status = p.status;
		if (copy_to_user(uinfo, &si, sizeof(si)))
			return -EFAULT;
	}
	return ret;
}

long sys_sigaltstack(const struct k_stack *uss, struct k_stack *uold)
{
	struct task *t = current_task();
	struct k_stack ss, old = t->sig.altstack;
	uint64_t sp = arch_frame_user_sp(task_user_frame(t));
	bool on = old.ss_size && sp > old.ss_sp && sp - old.ss_sp <= old.ss_size;

	if (!old.ss_size)
		old.ss_flags = SS_DISABLE;
	else if (on)
		old.ss_flags |= SS_ONSTACK;
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		if (ss.ss_flags & ~(SS_DISABLE | SS_ONSTACK | (int32_t)SS_AUTODISARM))
			return -EINVAL;
		if (ss.ss_flags & SS_DISABLE) {
			ss.ss_sp = ss.ss_size = 0;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		ss.ss_flags = 0;
		t->sig.altstack = ss;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigreturn(void)
{
	return arch_signal_return(task_user_frame(current_task()));
}

/* One target of kill(2) (its process) or tkill (that thread): 0, -EPERM,
 * or (sig 0) just the checks. */
static int kill_one(struct task *t, int sig, const struct pending_info *info, bool process)
{
	struct task *self = current_task();

	if (!cred_may_signal(self, t) &&
	    !(sig == SIGCONT && t->job.sid == self->job.sid))
		return -EPERM;
	if (sig && process)
		signal_send_process(t, sig, info);
	else if (sig && t->state != TASK_ZOMBIE)
		signal_send(t, sig, info);
	return 0;
}

long sys_kill(int pid, int sig)
{
	struct task *self = current_task(), *t;
	struct pending_info info = { .code = SI_USER, .pid = self->pid, .uid = self->cred.uid };
	unsigned long flags;
	int found = 0, sent = 0, err = -ESRCH;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	flags = arch_irq_save();
	if (pid > 0) {
		t = task_by_pid(pid);
		err = t ? kill_one(t, sig, &info, true) : -ESRCH;
		arch_irq_restore(flags);
		return err;
	}
	list_for_each_entry(t, &all_tasks, all_link) {
		bool match;

		if (t->pid == 0 || thread_leader(t) != t)
			continue;           /* once per process */
		if (pid == -1)
			match = t->pid != 1 && t != thread_leader(self) && t->state != TASK_ZOMBIE;
		else
			match = t->job.pgid == (pid == 0 ? self->job.pgid : -pid);
		if (!match)
			continue;
		found++;
		if (kill_one(t, sig, &info, true) == 0)
			sent++;
	}
	arch_irq_restore(flags);
	if (sent)
		return 0;
	return found ? -EPERM : err;
}

static long do_tkill(int tgid, int tid, int sig)
{
	struct task *self = current_task(), *t;
	struct pending_info info = { .code = SI_TKILL, .pid = self->pid, .uid = self->cred.uid };
	unsigned long flags;
	long err;

	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	flags = arch_irq_save();
	t = task_by_pid(tid);
	if (!t || t->state == TASK_ZOMBIE || (tgid > 0 && task_tgid(t) != tgid))
		err = -ESRCH;
	else
		err = kill_one(t, sig, &info, false);
	arch_irq_restore(flags);
	return err;
}

long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

long sys_tkill(int tid, int sig)
{
	return do_tkill(0, tid, sig);
}
