/*
 * Round-robin scheduler for one CPU. Runnable tasks wait on run_queue;
 * the current task is not on it. The idle task is the boot flow itself
 * and runs only when the queue is empty. Preemption happens on the way
 * out of an interrupt that arrived with interrupts enabled (so no
 * irq-off critical section can be cut) when the current task's
 * preempt_count is zero.
 */
#include <kevlar/sched.h>
#include <kevlar/arch.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/kmalloc.h>
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <kevlar/trace.h>

static LIST_HEAD(run_queue);
LIST_HEAD(all_tasks);
static struct task idle_task;
/* The boot flow is the idle task from the first instruction: preempt_disable works before sched_init. */
static struct task *current = &idle_task;
static bool need_resched;
static int irq_depth;           /* interrupt handlers being run (they do not nest) */
static int next_pid = 1;

struct task *current_task(void)
{
	return current;
}

void task_set_comm(struct task *t, const char *name)
{
	strlcpy(t->comm, name, sizeof(t->comm));
}

void sched_init(void)
{
	refcount_set(&idle_task.refs, 1);     /* never dropped: the boot flow's own */
	idle_task.pid = 0;
	task_set_comm(&idle_task, "idle");
	idle_task.state = TASK_RUNNING;
	list_init(&idle_task.run_link);
	list_add_tail(&idle_task.all_link, &all_tasks);
	wait_queue_init(&idle_task.child_exit);
	current = &idle_task;
}

struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	unsigned long flags;

	if (!t)
		return NULL;
	/* Out of memory here is -ENOMEM for fork, never a panic. */
	t->kstack = page_alloc(KSTACK_ORDER);
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	refcount_set(&t->refs, 1);      /* all_tasks's, until task_release */
	task_set_comm(t, name);
	cputime_task_init(t);
	t->parent = current;
	t->state = TASK_SLEEPING;
	list_init(&t->run_link);
	wait_queue_init(&t->child_exit);

	flags = arch_irq_save();
	t->pid = next_pid++;
	list_add_tail(&t->all_link, &all_tasks);
	arch_irq_restore(flags);
	return t;
}

void task_start(struct task *t)
{
	sched_wake(t);
}

struct task *kthread_create(const char *name, void (*fn)(void *), void *arg)
{
	struct task *t = task_alloc(name);

	if (!t)
		return NULL;
	arch_task_init(t, fn, arg);
	task_start(t);
	return t;
}

void schedule(void)
{
	/* The run queue and current are shared with interrupt handlers. */
	unsigned long flags = arch_irq_save();
	struct task *prev = current, *next;

	need_resched = false;
	if (prev->state == TASK_SLEEPING)
		lockcheck_schedule_sleep();
	if (prev->state == TASK_RUNNING && prev != &idle_task)
		list_add_tail(&prev->run_link, &run_queue);
	if (list_empty(&run_queue)) {
		next = &idle_task;
	} else {
		next = list_first_entry(&run_queue, struct task, run_link);
		list_del(&next->run_link);
	}
	next->ticks_left = SCHED_QUANTUM_TICKS;
	if (next != prev) {
		fr_record(FR_SWITCH, prev->pid, next->pid, 0, 0);
		if (trace_flags & TRACE_SCHED)
			pr_debug("sched: %d -> %d\n", prev->pid, next->pid);
		current = next;
		arch_switch_to(prev, next);
	}
	arch_irq_restore(flags);
}

void sched_wake(struct task *t)
{
	unsigned long flags = arch_irq_save();

	t->wakeups++;                   /* also when running: see wait_sleep_unless_woken */
	if (t->state == TASK_SLEEPING) {
		t->state = TASK_RUNNING;
		list_add_tail(&t->run_link, &run_queue);
		if (current == &idle_task)
			need_resched = true;
	}
	arch_irq_restore(flags);
}

void sched_tick(void)
{
	if (current == &idle_task) {
		if (!list_empty(&run_queue))
			need_resched = true;
	} else if (current->ticks_left == 0 || --current->ticks_left == 0) {
		need_resched = true;
	}
}

void sched_preempt_point(void)
{
	if (need_resched && current->preempt_count == 0)
		schedule();
}

void preempt_disable(void)
{
	current->preempt_count++;
}

void preempt_enable(void)
{
	current->preempt_count--;
}

void irq_enter(void)
{
	irq_depth++;
}

void irq_exit(void)
{
	irq_depth--;
}

bool in_interrupt(void)
{
	return irq_depth > 0;
}

void sched_idle_loop(void)
{
	for (;;) {
		arch_irq_disable();
		if (!list_empty(&run_queue)) {
			schedule();
			arch_irq_enable();
			continue;
		}
		arch_idle();    /* enables interrupts and halts atomically */
	}
}
