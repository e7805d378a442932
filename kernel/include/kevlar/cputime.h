#ifndef KEVLAR_CPUTIME_H
#define KEVLAR_CPUTIME_H

/*
 * CPU time accounting (kernel/core/cputime.c). Times are counted in timer
 * ticks; HZ equals USER_HZ (100), so a count is already the clock_t that
 * times(2) and /proc report.
 */

#include <kevlar/types.h>

struct task;

struct task_cputime {
	uint64_t utime, stime;          /* ticks this task was caught in user / kernel mode */
	uint64_t start;                 /* time_jiffies() when the task was made */
	/* In a group leader (a process): */
	uint64_t dead_utime, dead_stime;    /* the group's threads that have exited */
	uint64_t cutime, cstime;        /* waited-for children, with their own cutime/cstime */
};

/* A user/system/idle split of CPU time, in ticks. */
struct cputime_pair {
	uint64_t utime, stime;
};

/*
 * The timer tick, interrupts off: charge one tick to whoever it
 * interrupted. user: the interrupt came from user mode.
 */
void cputime_tick(bool user);
/* The CPU's totals since boot (/proc/stat), in ticks. */
void cputime_cpu(uint64_t *user, uint64_t *system, uint64_t *idle);

/* A new task: its times start at zero now. */
void cputime_task_init(struct task *t);
/* One thread, t alone (RUSAGE_THREAD). */
struct cputime_pair cputime_thread(const struct task *t);
/* t's whole thread group: live threads plus the exited ones (RUSAGE_SELF). */
struct cputime_pair cputime_group(struct task *t);
/* The reaped children of t's process (RUSAGE_CHILDREN). */
struct cputime_pair cputime_children(struct task *t);
/*
 * A non-leader thread is leaving its group: its times go to the leader's
 * sum of exited threads. Interrupts off.
 */
void cputime_thread_exit(struct task *t);
/*
 * The parent reaps zombie child: the child's times plus its own children's
 * are what wait4 reports and are added to the parent's children's times.
 * Interrupts off.
 */
struct cputime_pair cputime_reap(struct task *parent, struct task *child);
/* What wait4 reports for child without reaping it (stop, continue, WNOWAIT). */
struct cputime_pair cputime_self_and_children(struct task *child);

/* struct rusage (linux/resource.h) with only the times filled, to user memory. */
long cputime_put_rusage(void *urusage, struct cputime_pair p);

#endif
