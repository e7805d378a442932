/*
 * Serial BREAK as a debug trigger (like Linux's serial SysRq): a BREAK on
 * the console UART prints every task's state and the flight recorder.
 * In QEMU -nographic, Ctrl-a b sends a BREAK. A BREAK never reaches the
 * line discipline, so no typed byte is stolen from user programs.
 */
#include <kevlar/arch.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/list.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/syscall.h>
#include <arch/trap_frame.h>
#include <arch/debug_dump.h>

static const char *state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNING:  return "R";
	case TASK_SLEEPING: return "S";
	case TASK_ZOMBIE:   return "Z";
	}
	return "?";
}

static void dump_task(struct task *t)
{
	int ppid = t->parent ? t->parent->pid : 0;

	printk("task %d ppid %d %-15s %s", t->pid, ppid, t->comm, state_name(t));
	if (t->mm && t->state != TASK_ZOMBIE) {
		/* The user frame is only meaningful for a task that has entered user mode. */
		struct trap_frame *tf = task_user_frame(t);

		printk(KERN_CONT " pc %lx", (unsigned long)tf->pc);
		if (tf->syscallno >= 0)
			printk(KERN_CONT " in %s(%lx, %lx, %lx)",
			       syscall_name((unsigned long)tf->syscallno),
			       (unsigned long)tf->orig_x0, (unsigned long)tf->x[1],
			       (unsigned long)tf->x[2]);
	}
	printk(KERN_CONT " pending %lx blocked %lx%s\n",
	       (unsigned long)t->sig.pending, (unsigned long)t->sig.blocked,
	       t->sig.stopped ? " stopped" : "");
}

void debug_dump_all(void)
{
	unsigned long flags = arch_irq_save();
	struct task *t;

	printk("--- task dump begin ---\n");
	list_for_each_entry(t, &all_tasks, all_link)
		dump_task(t);
	printk("--- task dump end ---\n");
	fr_dump();
	arch_irq_restore(flags);
}
