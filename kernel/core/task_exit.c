/*
 * Ending tasks. Init (pid 1) is special as in Linux: when it exits, the
 * system is over, so we say so and power off. Other tasks become zombies
 * for their parent; their kernel stack is freed by whoever reaps them
 * (a task cannot free the stack it is running on).
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
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

/* Orphans go to init, which reaps them, as on Linux. */
static void reparent_children(struct task *dying)
{
	struct task *t, *init = NULL;
	unsigned long flags = arch_irq_save();

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid == 1)
			init = t;
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->parent == dying) {
			t->parent = init;
			if (t->state == TASK_ZOMBIE && init)
				wake_up_all(&init->child_exit);
		}
	}
	arch_irq_restore(flags);
}

void task_exit(int wait_status)
{
	struct task *t = current_task();

	fr_record(FR_EXIT, wait_status, 0, 0, 0);
	if (t->pid == 1)
		init_exited(wait_status);

	reparent_children(t);
	/* CLONE_CHILD_CLEARTID: tell a joiner we are gone (futex wake comes later). */
	if (t->clear_child_tid && t->mm)
		put_user(0, (int *)t->clear_child_tid);
	if (t->files) {
		fd_table_put(t->files);
		t->files = NULL;
	}
	if (t->mm) {
		struct mm *mm = t->mm;

		/* Switch away from the tables before freeing them. */
		arch_irq_disable();
		t->mm = NULL;
		mmu_activate(mmu_kernel_root());
		mm_destroy(mm);
	}
	arch_irq_disable();
	t->exit_status = wait_status;
	t->state = TASK_ZOMBIE;
	if (t->parent)
		wake_up_all(&t->parent->child_exit);
	schedule();
	panic("task %d ran after exit", t->pid);
}

void task_kill_by_signal(int sig)
{
	task_exit(sig & 0x7f);
}

void return_to_user_work(struct trap_frame *tf)
{
	/* Signal delivery will hook in here. */
	(void)tf;
}
