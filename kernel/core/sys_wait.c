/* wait4: reaping zombie children. */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/sched.h>

static bool matches(const struct task *child, int pid)
{
	/* No process groups yet: 0 and < -1 mean "any child" like -1. */
	return pid <= 0 || child->pid == pid;
}

long sys_wait4(int pid, int *wstatus, int options, void *rusage)
{
	struct task *self = current_task();

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	if (rusage && clear_user(rusage, 144))     /* sizeof(struct rusage) */
		return -EFAULT;
	for (;;) {
		/* all_tasks and task states change in interrupt context too. */
		unsigned long flags = arch_irq_save();
		struct task *t, *zombie = NULL;
		bool have_child = false;
		struct wait_entry we;

		list_for_each_entry(t, &all_tasks, all_link) {
			if (t->parent != self || !matches(t, pid))
				continue;
			have_child = true;
			if (t->state == TASK_ZOMBIE) {
				zombie = t;
				break;
			}
		}
		if (zombie) {
			int child_pid = zombie->pid, status = zombie->exit_status;

			arch_irq_restore(flags);
			task_free(zombie);
			if (wstatus && put_user(status, wstatus))
				return -EFAULT;
			return child_pid;
		}
		if (!have_child || (options & WNOHANG)) {
			arch_irq_restore(flags);
			return have_child ? 0 : -ECHILD;
		}
		wait_prepare(&self->child_exit, &we);
		wait_sleep(&we);
		arch_irq_restore(flags);
	}
}
