/*
 * The OOM killer (kevlar/oom.h). A user fault with no page left asks for
 * a victim: the process with the most resident memory and page tables,
 * weighted by its oom_score_adj, gets SIGKILL, and faulting tasks wait in
 * short sleeps until it is a zombie (its memory is freed before that, in
 * task_exit). One victim at a time, so a burst of failing faults kills
 * one process, not one per fault. A victim still alive after
 * VICTIM_PATIENCE_NS (stuck in an uninterruptible wait) is passed over
 * for good and the next one chosen.
 *
 * Kernel-mode faults (a user copy inside a syscall, possibly holding
 * fs_lock, which a victim needs to exit) do not wait here: the copy
 * fails with EFAULT, and the program's own next fault kills. Other
 * kernel allocations fail with ENOMEM (fork keeps a reserve for faults:
 * mm/vm.c).
 */
#include <kevlar/oom.h>
#include <kevlar/mm.h>
#include <kevlar/mutex.h>
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/thread.h>
#include <kevlar/time.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

#define VICTIM_PATIENCE_NS      NSEC_PER_SEC
#define NSEC_PER_MSEC           1000000ULL
#define NEVER                   (-__LONG_MAX__ - 1)      /* badness of a process never chosen */
#define WAIT_SLICE_NS           (10 * NSEC_PER_MSEC)

/* Guards victim and victim_since; one choice at a time. Taken with no other lock. */
static DEFINE_MUTEX(oom_mutex);
static struct task *victim;             /* the leader killed last, with a reference */
static uint64_t victim_since;           /* when (CLOCK_MONOTONIC ns) */

void oom_fork(struct task *child, struct task *parent)
{
	child->oom = thread_leader(parent)->oom;
	child->oom.skip = false;
}

/* Linux's heuristic; NEVER for a process that is never chosen. */
static long badness(struct task *leader, uint64_t total_pages, struct mm_usage *u,
		    unsigned long *pgtables)
{
	struct mm *mm;
	long points;

	if (leader->pid == 1 || leader->state == TASK_ZOMBIE || leader->oom.skip ||
	    leader->oom.score_adj == OOM_SCORE_ADJ_MIN)
		return NEVER;
	if (!(mm = task_mm_grab(leader)))
		return NEVER;        /* a kernel thread, or one already leaving */
	mm_usage(mm, u);
	*pgtables = mm->pt.nr_tables;
	mm_drop(mm);
	points = (long)(u->anon + u->file + u->shmem + *pgtables);
	return points + leader->oom.score_adj * (long)(total_pages / 1000);
}

/* The worst process, with a reference, and what it uses; NULL if none may go. */
static struct task *choose(struct mm_usage *use, unsigned long *pgtables)
{
	uint64_t total = page_nr_total();
	struct task *best = NULL, *t;
	long best_points = NEVER;

	for (t = task_next_get(NULL); t; t = task_next_get(t)) {
		struct mm_usage u;
		unsigned long pt;
		long p;

		if (thread_leader(t) != t)
			continue;       /* a process is judged by its leader, once */
		p = badness(t, total, &u, &pt);
		if (p == NEVER || (best && p <= best_points))
			continue;
		if (best)
			task_put(best);
		task_get(t);
		best = t;
		best_points = p;
		*use = u;
		*pgtables = pt;
	}
	return best;
}

static void kill_victim(struct task *t, const struct mm_usage *u, unsigned long pgtables)
{
	struct pending_info info = { .code = SI_KERNEL };

	/* The line Linux prints, so log readers (and the tests) see one form. */
	pr_err("Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%d\n",
	       t->pid, t->comm, u->size * 4, u->anon * 4, u->file * 4, u->shmem * 4,
	       t->cred.uid, pgtables * 4, t->oom.score_adj);
	signal_send_process(t, SIGKILL, &info);
}

bool oom_fault(void)
{
	struct task *self = current_task();
	uint64_t now = clock_monotonic_ns();
	bool self_chosen;

	if (fatal_signal_pending(self))
		return true;            /* already dying: the way out frees our memory */
	mutex_lock(&oom_mutex);
	if (victim && victim->state == TASK_ZOMBIE) {
		task_put(victim);
		victim = NULL;
	} else if (victim && now - victim_since > VICTIM_PATIENCE_NS) {
		pr_warn("oom: process %d (%s) has not exited %llu ms after SIGKILL: "
			"choosing another\n", victim->pid, victim->comm,
			(unsigned long long)((now - victim_since) / NSEC_PER_MSEC));
		victim->oom.skip = true;
		task_put(victim);
		victim = NULL;
	}
	if (!victim) {
		struct mm_usage u;
		unsigned long pgtables = 0;

		pr_warn("%s invoked oom-killer: order=0, oom_score_adj=%d\n", self->comm,
			thread_leader(self)->oom.score_adj);
		if (!(victim = choose(&u, &pgtables))) {
			mutex_unlock(&oom_mutex);
			pr_err("oom: out of memory and no process that may be killed\n");
			return false;
		}
		victim_since = now;
		kill_victim(victim, &u, pgtables);
	}
	self_chosen = victim == thread_leader(self);
	mutex_unlock(&oom_mutex);
	/* Let the victim run and exit; then the fault is tried again. */
	if (!self_chosen)
		wait_interruptible_deadline(NULL, NULL, NULL, now + WAIT_SLICE_NS);
	return true;
}
