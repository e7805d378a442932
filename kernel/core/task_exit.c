/*
 * Ending tasks. Init (pid 1) is special as in Linux: when it exits, the
 * system is over, so we say so and power off. Other tasks become zombies
 * for their parent, which hears of it by SIGCHLD; their kernel stack goes
 * with the last reference to the task, which the reaper normally drops (a
 * task cannot free the stack it is running on). A parent that ignores
 * SIGCHLD (or set SA_NOCLDWAIT) wants no zombies: such children are
 * "detached" (parent NULL) and reaped by the next exit or wait.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/futex.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/pgrp.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/uaccess.h>

static void init_exited(int status)
{
	if ((status & 0x7f) == 0)
		pr_emerg("Kevlar: init (pid 1) exited with status %d\n", (status >> 8) & 0xff);
	else
		pr_emerg("Kevlar: init (pid 1) killed by signal %d\n", status & 0x7f);
	pr_emerg("Kevlar: powering off\n");
	arch_poweroff();
}

/* Orphans go to init, which reaps them, as on Linux. Interrupts off. */
static void reparent_children(struct task *dying)
{
	struct task *t, *init = task_by_pid(1);

	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->parent == dying) {
			t->parent = init;
			if (t->state == TASK_ZOMBIE && init)
				wake_up_all(&init->child_exit);
		}
	}
}

/* Free zombies nobody will wait for (never the caller itself). */
void reap_detached(void)
{
	struct task *t, *tmp, *self = current_task();
	unsigned long flags = arch_irq_save();

	list_for_each_entry_safe(t, tmp, &all_tasks, all_link)
		if (t != self && t->state == TASK_ZOMBIE && !t->parent)
			task_release(t);
	arch_irq_restore(flags);
}

bool signal_notify_parent_exit(struct task *t, int wait_status)
{
	struct task *p = t->parent;
	struct pending_info info = { .pid = t->pid, .uid = t->cred.uid };
	const struct k_sigaction *ka;

	if (!p)
		return false;
	if (wait_status & 0x7f) {
		info.code = CLD_KILLED;
		info.status = wait_status & 0x7f;
	} else {
		info.code = CLD_EXITED;
		info.status = (wait_status >> 8) & 0xff;
	}
	ka = &p->sig.action[SIGCHLD - 1];
	signal_send_process(p, SIGCHLD, &info);
	wake_up_all(&p->child_exit);
	return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

void task_exit(int wait_status)
{
	struct task *t = current_task();

	fr_record(FR_EXIT, wait_status, 0, 0, 0);
	/* Other threads go first (exit_group, fatal signals); a thread just leaves. */
	wait_status = thread_exit_begin(t, wait_status);
	if (t->pid == 1)
		init_exited(wait_status);

	reap_detached();
	signal_timer_release(t);
	/* CLONE_CHILD_CLEARTID: tell a joiner (pthread_join) we are gone. */
	if (t->clear_child_tid && t->mm && !put_user(0, (int *)t->clear_child_tid))
		futex_wake_mm(t->mm, t->clear_child_tid, 1);
	task_files_release(t);
	fs_context_release(t);
	if (t->mm) {
		struct mm *mm = t->mm;
		unsigned long flags = arch_irq_save();

		/* Off the tables before they can go; readers find no mm from here on. */
		t->mm = NULL;
		mmu_activate(mmu_kernel_root());
		arch_irq_restore(flags);
		mm_put(mm);
	}
	arch_irq_disable();
	/* A zombie from here on: the group checks below no longer count us. */
	t->exit_status = wait_status;
	t->state = TASK_ZOMBIE;
	tty_session_exit(t);
	reparent_children(t);
	pgrp_exit_check(t);
	if (signal_notify_parent_exit(t, wait_status))
		t->parent = NULL;
	schedule();
	panic("task %d ran after exit", t->pid);
}
