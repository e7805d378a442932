/*
 * Process groups and sessions: setsid, setpgid, getpgid, getpgrp,
 * getsid, and the "orphaned process group" rule job control needs.
 * Everything walks all_tasks with interrupts off (the list and job fields
 * change in interrupt context too, on exit and from the tty).
 */
#include <kevlar/arch.h>
#include <kevlar/pgrp.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <uapi/errno.h>

static bool live(const struct task *t)
{
	return t->state != TASK_ZOMBIE && t->pid != 0;
}

struct task *task_by_pid(int pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid == pid && pid > 0)
			return t;
	return NULL;
}

/* Zombies count, as on Linux: a group lasts until its last member is reaped. */
static bool member(const struct task *t)
{
	return t->pid != 0;
}

bool pgrp_exists(int pgid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (member(t) && t->job.pgid == pgid)
			return true;
	return false;
}

bool pgrp_in_session(int pgid, int sid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (member(t) && t->job.pgid == pgid && t->job.sid == sid)
			return true;
	return false;
}

bool pgrp_is_orphaned(int pgid)
{
	unsigned long flags = arch_irq_save();
	bool orphaned = true;
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link) {
		struct task *p = t->parent;

		if (!live(t) || t->job.pgid != pgid || !p || !live(p))
			continue;
		if (p->job.pgid != pgid && p->job.sid == t->job.sid) {
			orphaned = false;
			break;
		}
	}
	arch_irq_restore(flags);
	return orphaned;
}

static bool pgrp_has_stopped(int pgid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (live(t) && t->job.pgid == pgid && t->sig.stopped)
			return true;
	return false;
}

/* POSIX: a group orphaned with stopped members gets SIGHUP then SIGCONT. */
static void hangup_if_orphaned_stopped(int pgid)
{
	if (pgid > 0 && pgrp_has_stopped(pgid) && pgrp_is_orphaned(pgid)) {
		signal_send_pgrp(pgid, SIGHUP, NULL);
		signal_send_pgrp(pgid, SIGCONT, NULL);
	}
}

/* Interrupts off; t is already a zombie and its children reparented. */
void pgrp_exit_check(struct task *t)
{
	struct task *init = task_by_pid(1), *c;

	hangup_if_orphaned_stopped(t->job.pgid);
	list_for_each_entry(c, &all_tasks, all_link)
		if (c->parent == init && live(c) && c->job.pgid != t->job.pgid)
			hangup_if_orphaned_stopped(c->job.pgid);
}

void session_clear_ctty(int sid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->job.sid == sid)
			t->job.ctty = NULL;
}

long sys_setsid(void)
{
	struct task *self = current_task();
	unsigned long flags = arch_irq_save();
	long ret;

	/* A group leader, or a pid used as some group's id, cannot start a session. */
	if (pgrp_exists(self->pid)) {
		ret = -EPERM;
	} else {
		self->job.sid = self->job.pgid = self->pid;
		self->job.ctty = NULL;
		ret = self->pid;
	}
	arch_irq_restore(flags);
	return ret;
}

long sys_setpgid(int pid, int pgid)
{
	struct task *self = current_task(), *t;
	unsigned long flags;
	long ret = 0;

	if (pgid < 0)
		return -EINVAL;
	flags = arch_irq_save();
	t = pid ? task_by_pid(pid) : self;
	if (!t || !live(t) || (t != self && t->parent != self)) {
		ret = -ESRCH;
		goto out;
	}
	if (!pgid)
		pgid = t->pid;
	if (t != self && t->job.sid != self->job.sid) {
		ret = -EPERM;
		goto out;
	}
	if (t != self && t->job.execed) {
		ret = -EACCES;
		goto out;
	}
	if (t->job.sid == t->pid || (pgid != t->pid && !pgrp_in_session(pgid, self->job.sid))) {
		ret = -EPERM;
		goto out;
	}
	t->job.pgid = pgid;
out:
	arch_irq_restore(flags);
	return ret;
}

static long job_field(int pid, bool sid)
{
	unsigned long flags = arch_irq_save();
	struct task *t = pid ? task_by_pid(pid) : current_task();
	long ret = -ESRCH;

	if (pid < 0)
		ret = -ESRCH;
	else if (t && live(t))
		ret = sid ? t->job.sid : t->job.pgid;
	arch_irq_restore(flags);
	return ret;
}

long sys_getpgid(int pid)
{
	return job_field(pid, false);
}

long sys_getpgrp(void)
{
	return current_task()->job.pgid;
}

long sys_getsid(int pid)
{
	return job_field(pid, true);
}
