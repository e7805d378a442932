#ifndef KEVLAR_THREAD_H
#define KEVLAR_THREAD_H

/*
 * Threads (kernel/core/thread.c): tasks created with CLONE_THREAD share
 * the address space, descriptor table and signal actions of their group.
 * The group's id (getpid) is the leader's pid; every thread has its own
 * pid (gettid). Threads other than the leader are never zombies anyone
 * waits for: they have no parent and are freed once they exit. The leader
 * exits last: it waits for the others, then reports the group's status.
 */

#include <kevlar/types.h>
#include <kevlar/wait.h>

struct task;

struct task_thread {
	struct task *leader;        /* NULL: t leads its own group */
	int tgid;                   /* the leader's pid, kept for after the leader is gone */
	/* In the leader: */
	int nr_others;              /* live threads besides the leader */
	bool group_exiting;         /* exit_group or a fatal signal: everyone goes */
	int group_status;           /* the wait(2) status the group ends with */
	struct wait_queue others_gone;  /* initialized with the first thread */
	/* sys_exit: end only this thread (the default is the whole group). */
	bool exit_thread_only;
};

/* The group's leader (t itself for a process) and id (getpid). */
struct task *thread_leader(struct task *t);
int task_tgid(const struct task *t);
/* t has other threads (or is a thread): process-wide things need care. */
bool thread_group_multi(const struct task *t);

/* clone(CLONE_THREAD): make child a thread of parent's group; -EINTR if the group is ending. */
int thread_attach(struct task *child, struct task *parent);
/*
 * Start of task_exit: for exit_group and fatal signals, the other threads
 * are killed. A leader waits here for the others to be gone; the status
 * to report is returned (the group's, if it is ending as a whole).
 */
int thread_exit_begin(struct task *t, int wait_status);
/*
 * execve in a multi-threaded process: the other threads are killed and
 * gone when this returns 0. Only the leader may (-EINVAL otherwise).
 */
int thread_exec_begin(struct task *t);
/* rt_sigaction: the new action of sig reaches every thread of t's group. Interrupts off. */
void thread_share_action(struct task *t, int sig);

#endif
