/*
 * CPU time accounting by sampling: every timer tick charges one tick to
 * the task it interrupted, as user time if the interrupt came from user
 * mode and as system time otherwise; a tick that finds the idle task
 * counts as idle. We chose sampling over reading a clock at every kernel
 * entry and exit because it costs nothing on the syscall path and needs
 * no hook in either architecture's entry code, only the interrupted mode,
 * which the trap frame already has. The price is resolution (1/HZ = 10 ms,
 * the same as the USER_HZ clock_t that times(2) and /proc report) and
 * statistical attribution for tasks that run for less than a tick at a
 * time, the classic trade-off Linux also offers (tick-based accounting).
 *
 * Totals: a task counts its own ticks; a process is the sum over its
 * threads, with exited threads folded into the leader; a reaped child's
 * process total plus its own reaped children's go to the parent process,
 * which is what cutime/cstime and RUSAGE_CHILDREN report.
 */
#include <kevlar/arch.h>
#include <kevlar/cputime.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

/* One CPU: the whole machine's split (/proc/stat's cpu and cpu0 lines). */
static uint64_t cpu_user, cpu_system, cpu_idle;

void cputime_tick(bool user)
{
	struct task *t = current_task();

	if (t->pid == 0) {
		/* The idle task: the boot flow halting in sched_idle_loop. */
		cpu_idle++;
	} else if (user) {
		t->cpu.utime++;
		cpu_user++;
	} else {
		t->cpu.stime++;
		cpu_system++;
	}
}

void cputime_cpu(uint64_t *user, uint64_t *system, uint64_t *idle)
{
	unsigned long flags = arch_irq_save();

	*user = cpu_user;
	*system = cpu_system;
	*idle = cpu_idle;
	arch_irq_restore(flags);
}

void cputime_task_init(struct task *t)
{
	memset(&t->cpu, 0, sizeof(t->cpu));
	t->cpu.start = time_jiffies();
}

struct cputime_pair cputime_thread(const struct task *t)
{
	struct cputime_pair p = { t->cpu.utime, t->cpu.stime };

	return p;
}

struct cputime_pair cputime_group(struct task *t)
{
	struct task *leader = thread_leader(t), *o;
	struct cputime_pair p;
	unsigned long flags = arch_irq_save();

	p.utime = leader->cpu.dead_utime;
	p.stime = leader->cpu.dead_stime;
	if (!thread_group_multi(leader)) {
		p.utime += leader->cpu.utime;
		p.stime += leader->cpu.stime;
	} else {
		/* The leader and every live thread that names it. */
		list_for_each_entry(o, &all_tasks, all_link) {
			if (thread_leader(o) == leader) {
				p.utime += o->cpu.utime;
				p.stime += o->cpu.stime;
			}
		}
	}
	arch_irq_restore(flags);
	return p;
}

struct cputime_pair cputime_children(struct task *t)
{
	struct task *leader = thread_leader(t);
	struct cputime_pair p = { leader->cpu.cutime, leader->cpu.cstime };

	return p;
}

void cputime_thread_exit(struct task *t)
{
	struct task *leader = thread_leader(t);

	if (leader == t)
		return;
	leader->cpu.dead_utime += t->cpu.utime;
	leader->cpu.dead_stime += t->cpu.stime;
	/* Ticks until the thread is off the CPU would otherwise count twice. */
	t->cpu.utime = t->cpu.stime = 0;
}

struct cputime_pair cputime_self_and_children(struct task *child)
{
	struct cputime_pair p = cputime_group(child);

	p.utime += child->cpu.cutime;
	p.stime += child->cpu.cstime;
	return p;
}

struct cputime_pair cputime_reap(struct task *parent, struct task *child)
{
	struct cputime_pair p = cputime_self_and_children(child);
	struct task *proc = thread_leader(parent);

	proc->cpu.cutime += p.utime;
	proc->cpu.cstime += p.stime;
	return p;
}

long cputime_put_rusage(void *urusage, struct cputime_pair p)
{
	/* struct rusage: two struct timeval, then 14 longs we leave at 0 (no
	 * peak RSS, fault or context-switch counters are kept). */
	struct {
		struct timeval64 utime, stime;
		int64_t rest[14];
	} ru;

	memset(&ru, 0, sizeof(ru));
	ru.utime.tv_sec = p.utime / HZ;
	ru.utime.tv_usec = p.utime % HZ * (1000000 / HZ);
	ru.stime.tv_sec = p.stime / HZ;
	ru.stime.tv_usec = p.stime % HZ * (1000000 / HZ);
	return copy_to_user(urusage, &ru, sizeof(ru)) ? -EFAULT : 0;
}
