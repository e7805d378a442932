/*
 * Thread groups (see kevlar/thread.h), and the small per-thread syscalls
 * glibc's start-up and pthreads make: exit (one thread), exit_group,
 * rseq, CPU affinity and getcpu on our one CPU.
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/thread.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

struct task *thread_leader(struct task *t)
{
	return t->thr.leader ? t->thr.leader : t;
}

int task_tgid(const struct task *t)
{
	return t->thr.leader ? t->thr.tgid : t->pid;
}

bool thread_group_multi(const struct task *t)
{
	return t->thr.leader || t->thr.nr_others;
}

int thread_attach(struct task *child, struct task *parent)
{
	struct task *leader = thread_leader(parent);
	unsigned long flags = arch_irq_save();

	if (leader->thr.group_exiting) {
		arch_irq_restore(flags);
		return -EINTR;
	}
	/* The queue is set up with the first thread: most tasks never need it. */
	if (!leader->thr.others_gone.waiters.next)
		wait_queue_init(&leader->thr.others_gone);
	/* A thread keeps its leader's struct: it may be reaped first (see task_put). */
	task_get(leader);
	child->thr.leader = leader;
	child->thr.tgid = leader->pid;
	leader->thr.nr_others++;
	/* Nobody waits for a thread: it is reaped once it exits. */
	child->parent = NULL;
	arch_irq_restore(flags);
	return 0;
}

/* Interrupts off. */
static void kill_others(struct task *self, struct task *leader)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t != self && t->state != TASK_ZOMBIE && thread_leader(t) == leader)
			signal_send(t, SIGKILL, NULL);
}

int thread_exit_begin(struct task *t, int wait_status)
{
	struct task *leader = thread_leader(t);
	unsigned long flags;

	/* The last thread already left after starting a group exit: its status wins. */
	if (!thread_group_multi(t))
		return t->thr.group_exiting ? t->thr.group_status : wait_status;
	flags = arch_irq_save();
	if (!t->thr.exit_thread_only && !leader->thr.group_exiting) {
		leader->thr.group_exiting = true;
		leader->thr.group_status = wait_status;
		kill_others(t, leader);
	}
	if (leader != t) {
		/* Before the leader can go: it must still be there to take our times. */
		cputime_thread_exit(t);
		leader->thr.nr_others--;
		wake_up_all(&leader->thr.others_gone);
		arch_irq_restore(flags);
		return wait_status;
	}
	arch_irq_restore(flags);
	/* The leader reports for the group, so it goes last. */
	wait_event(&leader->thr.others_gone, leader->thr.nr_others == 0);
	return leader->thr.group_exiting ? leader->thr.group_status : wait_status;
}

int thread_exec_begin(struct task *t)
{
	unsigned long flags;

	if (!thread_group_multi(t))
		return 0;
	/* Linux moves a non-leader into the leader's place; we do not (yet). */
	if (t->thr.leader)
		return -EINVAL;
	flags = arch_irq_save();
	if (t->thr.group_exiting) {
		arch_irq_restore(flags);
		return -EINTR;
	}
	/* "Exiting" keeps the dying threads from ending the group (and us) too. */
	t->thr.group_exiting = true;
	t->thr.group_status = SIGKILL;
	kill_others(t, t);
	arch_irq_restore(flags);
	wait_event(&t->thr.others_gone, t->thr.nr_others == 0);
	t->thr.group_exiting = false;
	return 0;
}

void thread_share_action(struct task *t, int sig)
{
	struct task *leader = thread_leader(t), *o;

	if (!thread_group_multi(t))
		return;
	list_for_each_entry(o, &all_tasks, all_link)
		if (o != t && o->state != TASK_ZOMBIE && thread_leader(o) == leader)
			o->sig.action[sig - 1] = t->sig.action[sig - 1];
}

long sys_exit(int status)
{
	current_task()->thr.exit_thread_only = true;
	task_exit((status & 0xff) << 8);
}

long sys_exit_group(int status)
{
	task_exit((status & 0xff) << 8);
}

/* glibc registers restartable sequences when it can and is fine without. */
long sys_rseq(void)
{
	return -ENOSYS;
}

/* The mask is one CPU's worth; Linux reports the bytes of its cpumask (a long). */
long sys_sched_getaffinity(int pid, unsigned len, unsigned long *umask)
{
	unsigned long mask = 1;

	if (pid < 0 || (pid && !task_by_pid(pid)))
		return -ESRCH;
	if (len < sizeof(mask) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (clear_user(umask, len) || copy_to_user(umask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *umask)
{
	unsigned long mask;

	if (pid < 0 || (pid && !task_by_pid(pid)))
		return -ESRCH;
	if (len < sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	return (mask & 1) ? 0 : -EINVAL;
}

long sys_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	(void)unused;
	if ((cpu && put_user(0u, cpu)) || (node && put_user(0u, node)))
		return -EFAULT;
	return 0;
}
