#ifndef KEVLAR_OOM_H
#define KEVLAR_OOM_H

/*
 * Out of memory (kernel/mm/oom_kill.c). When a page fault from user mode
 * finds no free page, the kernel kills the process whose death frees the
 * most memory, as Linux's OOM killer does, and the fault is tried again:
 * a program never gets SIGSEGV for lack of memory while something can be
 * killed. Badness is the process's resident pages plus its page tables,
 * moved by oom_score_adj in thousandths of RAM; init, kernel threads and
 * processes with oom_score_adj -1000 are never chosen.
 */

#include <kevlar/types.h>

/* /proc/<pid>/oom_score_adj's range (Linux UAPI, linux/oom.h). */
#define OOM_SCORE_ADJ_MIN       (-1000)
#define OOM_SCORE_ADJ_MAX       1000

struct task;

/* Per process (the thread group leader's), inherited by fork. */
struct task_oom {
	short score_adj;                /* /proc/<pid>/oom_score_adj */
	short score_adj_min;            /* lower than this needs root (set by root's writes) */
	bool skip;                      /* killed but would not die: never chosen again */
};

/* fork: the child's process starts with the parent process's settings. */
void oom_fork(struct task *child, struct task *parent);

/*
 * A fault from user mode found no page (interrupts on, no lock held; mmap
 * calls it too, when shared anonymous memory cannot be populated).
 * Kills a process if none is dying for memory yet, then lets the dying
 * one run a moment. True: try the fault again (or return to user space,
 * where a SIGKILL for the caller itself is delivered); false: nothing
 * can be killed, the fault fails as before (SIGSEGV).
 */
bool oom_fault(void);

#endif
