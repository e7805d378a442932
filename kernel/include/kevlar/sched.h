#ifndef KEVLAR_SCHED_H
#define KEVLAR_SCHED_H

/*
 * Tasks and the scheduler (kernel/core/sched.c, task.c): preemptive round
 * robin on one CPU. A task is a kernel thread until it execs a user
 * program; every task has its own kernel stack.
 */

#include <kevlar/types.h>
#include <kevlar/list.h>
#include <kevlar/wait.h>
#include <kevlar/signal.h>
#include <kevlar/pgrp.h>
#include <kevlar/cred.h>
#include <kevlar/thread.h>
#include <kevlar/rlimit.h>
#include <kevlar/oom.h>
#include <kevlar/cputime.h>
#include <kevlar/lockcheck.h>
#include <kevlar/refcount.h>
#include <arch/task.h>

#define TASK_COMM_LEN       16
#define KSTACK_ORDER        2       /* 16 KiB kernel stacks */
#define KSTACK_SIZE         (PAGE_SIZE << KSTACK_ORDER)
#define SCHED_QUANTUM_TICKS 2

enum task_state {
	TASK_RUNNING,       /* on the run queue, or the current task */
	TASK_SLEEPING,      /* waiting on a wait queue */
	TASK_ZOMBIE,        /* exited, not yet reaped */
};

struct mm;
struct fd_table;
struct dentry;
struct trap_frame;

struct task {
	/*
	 * References (core/task_ref.c): all_tasks holds one from task_alloc
	 * until the task is reaped (task_release); code that uses another
	 * task across anything that may let it be reaped (preemption, a
	 * sleep, a sleeping lock) holds its own. The last task_put frees the
	 * struct and the kernel stack. A reference keeps only this memory: a
	 * reaped task is off all_tasks, and a zombie has no mm and no files.
	 */
	refcount_t refs;
	int pid;
	char comm[TASK_COMM_LEN];
	volatile enum task_state state;
	struct list_head run_link;      /* run queue */
	struct list_head all_link;      /* every task */
	void *kstack;                   /* KSTACK_SIZE bytes */
	struct mm *mm;                  /* NULL for kernel threads */
	struct fd_table *files;
	struct dentry *cwd, *root;      /* NULL: the tmpfs root (fs/fs_context.c) */
	unsigned umask;
	struct task *parent;
	int exit_status;                /* wait(2) status once a zombie */
	uint64_t clear_child_tid;       /* set_tid_address */
	unsigned ticks_left;
	struct wait_queue child_exit;   /* woken when a child becomes a zombie, stops or continues */
	struct task_signals sig;        /* core/signal.c */
	struct task_job job;            /* core/pgrp.c: process group, session, controlling tty */
	struct cred cred;               /* core/cred.c */
	struct task_thread thr;         /* core/thread.c: thread group */
	struct task_rlimits rlim;       /* core/sys_rlimit.c: the leader's count */
	struct task_oom oom;            /* mm/oom_kill.c: the leader's count */
	struct task_cputime cpu;        /* core/cputime.c: CPU time used */
	/* sched_wake calls on it, sleeping or not (changed with interrupts off). */
	unsigned long wakeups;
	/*
	 * Nonzero: the task must not be switched away from by an interrupt
	 * (it holds a spin lock or called preempt_disable). Per task, so a
	 * task that sleeps does not leave preemption off for whoever runs next.
	 */
	int preempt_count;
	/*
	 * Nonzero: a fault on a user address in kernel mode is not resolved
	 * but fails the copy at once (-EFAULT): pagefault_disable, for user
	 * copies made with a spin lock held (futex).
	 */
	int pagefault_disabled;
	struct lockcheck_ctx lockcheck; /* core/lockcheck.c: locks held (kevlar.debug=locks) */
	struct arch_task arch;
};

void sched_init(void);
struct task *current_task(void);

/* A new kernel thread running fn(arg), already runnable; NULL on ENOMEM. */
struct task *kthread_create(const char *name, void (*fn)(void *), void *arg);

void schedule(void);
void sched_wake(struct task *t);
/* Timer tick bookkeeping; may ask for a reschedule. */
void sched_tick(void);
/* Called on the way out of an interrupt: switch if the quantum is used up. */
void sched_preempt_point(void);
/* The idle loop of the boot CPU; never returns. */
__attribute__((noreturn)) void sched_idle_loop(void);

/*
 * Disable preemption around code that must not be switched away from (the
 * current task's count; spin locks do it). Enabling does not
 * reschedule: a pending switch waits for the next interrupt or syscall exit.
 */
void preempt_disable(void);
void preempt_enable(void);

/*
 * Interrupt handlers run between irq_enter and irq_exit (the arch's
 * dispatch calls them); in_interrupt() is true there. Handlers must not
 * sleep or take a mutex (fs_lock is one).
 */
void irq_enter(void);
void irq_exit(void);
bool in_interrupt(void);

/* Exit with a wait(2)-encoded status. */
__attribute__((noreturn)) void task_exit(int wait_status);
void task_set_comm(struct task *t, const char *name);
/* The user trap frame at the top of t's kernel stack. */
struct trap_frame *task_user_frame(struct task *t);
/* Work before returning to user space (pending kill, ...). */
void return_to_user_work(struct trap_frame *tf);

/* Provided by arch/: stack set-up and the switch itself. */
void arch_task_init(struct task *t, void (*fn)(void *), void *arg);
void arch_switch_to(struct task *prev, struct task *next);
__attribute__((noreturn)) void arch_enter_user(struct task *t, uint64_t entry, uint64_t sp);
void arch_exec_regs(struct trap_frame *tf, uint64_t entry, uint64_t sp);
void arch_fork_init(struct task *child, const struct trap_frame *parent_tf,
		    uint64_t new_sp, uint64_t tls, bool set_tls);

/*
 * Every task, in pid order (pids only grow), for wait(2) and reparenting.
 * Interrupts off to walk it or to read a task's pointers into it (parent).
 */
extern struct list_head all_tasks;

/* A new task sharing nothing yet: kernel stack, pid, on all_tasks (not runnable). */
struct task *task_alloc(const char *name);
/* Make a task from task_alloc runnable. */
void task_start(struct task *t);
/* Reap: take t off all_tasks and drop the list's reference. Any context. */
void task_release(struct task *t);

/* References (see struct task). task_put may run in any context. */
void task_get(struct task *t);
void task_put(struct task *t);
/* The task with this pid (zombies too), with a reference; NULL if none. */
struct task *task_get_by_pid(int pid);
/*
 * Walk all_tasks without keeping interrupts off: the first task after
 * prev in pid order (prev NULL: the first of all), with a reference;
 * prev's reference is dropped. NULL at the end. Tasks that appear or go
 * during the walk may or may not be seen, as in a readdir of /proc.
 */
struct task *task_next_get(struct task *prev);
/* t's parent's pid, 0 for none (the parent pointer changes on exit: read with interrupts off). */
int task_ppid(struct task *t);

#endif
