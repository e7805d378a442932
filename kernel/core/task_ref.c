/*
 * Task references. A task is reaped (wait, a detached zombie, a failed
 * fork) by another task, and its struct and kernel stack used to go at
 * that moment; whoever looked at it had to make sure the reaper could not
 * run meanwhile. Now all_tasks owns one reference and anyone else who
 * keeps a task across a possible switch takes one: the memory goes with
 * the last. Finding a task still needs all_tasks, walked with interrupts
 * off (it changes in interrupt context, on exit and from the tty).
 */
#include <kevlar/arch.h>
#include <kevlar/kmalloc.h>
#include <kevlar/page.h>
#include <kevlar/pgrp.h>
#include <kevlar/sched.h>

void task_get(struct task *t)
{
	refcount_inc(&t->refs);
}

void task_put(struct task *t)
{
	struct task *leader;

	if (!refcount_dec_and_test(&t->refs))
		return;
	/*
	 * A thread held its leader from thread_attach: the leader stops
	 * waiting once the thread has left the group, so it can be reaped
	 * while the thread still finishes its exit or is looked at.
	 */
	leader = t->thr.leader;
	page_free(t->kstack, KSTACK_ORDER);
	kfree(t);
	if (leader)
		task_put(leader);
}

void task_release(struct task *t)
{
	unsigned long flags = arch_irq_save();

	list_del(&t->all_link);
	arch_irq_restore(flags);
	task_put(t);
}

struct task *task_get_by_pid(int pid)
{
	unsigned long flags = arch_irq_save();
	struct task *t = task_by_pid(pid);

	if (t)
		task_get(t);
	arch_irq_restore(flags);
	return t;
}

struct task *task_next_get(struct task *prev)
{
	int after = prev ? prev->pid : -1;
	unsigned long flags = arch_irq_save();
	struct task *t, *next = NULL;

	/* By pid, not by prev's link: prev may have been reaped since. */
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->pid > after) {
			next = t;
			task_get(next);
			break;
		}
	}
	arch_irq_restore(flags);
	if (prev)
		task_put(prev);
	return next;
}

int task_ppid(struct task *t)
{
	unsigned long flags = arch_irq_save();
	int ppid = t->parent ? t->parent->pid : 0;

	arch_irq_restore(flags);
	return ppid;
}
