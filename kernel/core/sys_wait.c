/*
 * wait4 and waitid: reaping zombie children, and reporting children that
 * stopped (WUNTRACED / WSTOPPED) or continued (WCONTINUED), each event
 * once. A signal interrupts the wait (restarted under SA_RESTART).
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/sched.h>

#define WSTOPPED    WUNTRACED
#define WNOWAIT     0x01000000
#define P_ALL       0
#define P_PID       1
#define P_PGID      2

/* What wait found: a child and the event to report. */
struct wait_result {
	int pid;
	uint32_t uid;
	int status;             /* wait(2) encoding */
	int code;               /* CLD_* for waitid */
	int si_status;
	struct cputime_pair usage;  /* the child's and its reaped children's, for rusage */
};

/* Selectors are waitid's: P_ALL, P_PID pid, P_PGID group. */
static bool matches(const struct task *child, int idtype, int id)
{
	if (idtype == P_PID)
		return child->pid == id;
	if (idtype == P_PGID)
		return child->job.pgid == id;
	return true;
}

/* Interrupts off. Fills r and returns true if child has an event options ask for. */
static bool child_event(struct task *c, int options, struct wait_result *r)
{
	bool consume = !(options & WNOWAIT);

	r->pid = c->pid;
	r->uid = c->cred.uid;
	if (c->state == TASK_ZOMBIE) {
		if (!(options & WEXITED))
			return false;
		r->status = c->exit_status;
		r->code = (c->exit_status & 0x7f) ? CLD_KILLED : CLD_EXITED;
		r->si_status = (c->exit_status & 0x7f) ? (c->exit_status & 0x7f)
						       : (c->exit_status >> 8) & 0xff;
		if (consume) {
			/* Reaping hands the child's CPU time to us (cutime/cstime). */
			r->usage = cputime_reap(current_task(), c);
			task_release(c);
		} else {
			r->usage = cputime_self_and_children(c);
		}
		return true;
	}
	if ((options & WSTOPPED) && c->sig.stopped && c->sig.report_stop) {
		r->status = (c->sig.stop_sig << 8) | 0x7f;
		r->code = CLD_STOPPED;
		r->si_status = c->sig.stop_sig;
		r->usage = cputime_self_and_children(c);    /* its times so far, as Linux */
		if (consume)
			c->sig.report_stop = false;
		return true;
	}
	if ((options & WCONTINUED) && c->sig.report_cont) {
		r->status = 0xffff;
		r->code = CLD_CONTINUED;
		r->si_status = SIGCONT;
		r->usage = cputime_self_and_children(c);
		if (consume)
			c->sig.report_cont = false;
		return true;
	}
	return false;
}

/* 1: *r filled; 0: WNOHANG and nothing yet; < 0: -ECHILD or -ERESTARTSYS. */
static int do_wait(int idtype, int id, int options, struct wait_result *r)
{
	struct task *self = current_task();

	reap_detached();
	for (;;) {
		/* all_tasks and task states change in interrupt context too. */
		unsigned long flags = arch_irq_save();
		struct task *t, *tmp;
		bool have_child = false;
		struct wait_entry we;

		list_for_each_entry_safe(t, tmp, &all_tasks, all_link) {
			if (t->parent != self || !matches(t, idtype, id))
				continue;
			have_child = true;
			if (child_event(t, options, r)) {
				arch_irq_restore(flags);
				return 1;
			}
		}
		if (!have_child || (options & WNOHANG)) {
			arch_irq_restore(flags);
			return have_child ? 0 : -ECHILD;
		}
		if (signal_pending(self)) {
			arch_irq_restore(flags);
			return -ERESTARTSYS;
		}
		wait_prepare(&self->child_exit, &we);
		wait_sleep(&we);
		arch_irq_restore(flags);
	}
}

long sys_wait4(int pid, int *wstatus, int options, void *rusage)
{
	struct wait_result r;
	int ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;      /* -INT_MIN has no group */
	/* wait4's pid: > 0 that child, 0 our group, -1 any, < -1 group -pid. */
	if (pid > 0)
		ret = do_wait(P_PID, pid, options | WEXITED, &r);
	else if (pid == -1)
		ret = do_wait(P_ALL, 0, options | WEXITED, &r);
	else
		ret = do_wait(P_PGID, pid ? -pid : current_task()->job.pgid, options | WEXITED, &r);
	if (ret <= 0)
		return ret;
	if (rusage && cputime_put_rusage(rusage, r.usage))
		return -EFAULT;
	if (wstatus && put_user(r.status, wstatus))
		return -EFAULT;
	return r.pid;
}

long sys_waitid(int idtype, int id, struct siginfo *infop, int options, void *rusage)
{
	struct wait_result r;
	struct siginfo si;
	int ret;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		if (id == 0)
			id = current_task()->job.pgid;
		break;
	default:
		return -EINVAL;
	}
	ret = do_wait(idtype, id, options, &r);
	if (ret < 0)
		return ret;
	memset(&si, 0, sizeof(si));
	if (!ret)
		memset(&r.usage, 0, sizeof(r.usage));   /* WNOHANG, nothing to report */
	if (ret) {
		si.si_signo = SIGCHLD;
		si.si_code = r.code;
		si.proc.pid = r.pid;
		si.proc.uid = r.uid;
		si.proc.status = r.si_status;
	}
	if (rusage && cputime_put_rusage(rusage, r.usage))
		return -EFAULT;
	if (infop && copy_to_user(infop, &si, sizeof(si)))
		return -EFAULT;
	return 0;
}
