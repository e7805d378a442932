#ifndef KEVLAR_SIGNAL_H
#define KEVLAR_SIGNAL_H

/*
 * Signals (kernel/core/signal*.c). One task is one process here (no
 * threads yet), so "process-directed" and "thread-directed" signals are
 * the same thing and all signal state lives in the task.
 *
 * Sending sets a pending bit (standard signals do not queue: a second
 * SIGUSR1 before delivery is merged) and wakes the task if it sleeps;
 * every sleep that can be interrupted re-checks signal_pending(). Delivery
 * happens on the way back to user space (signal_deliver, called from
 * return_to_user_work): default actions run there, a handler gets an arch
 * signal frame.
 */

#include <kevlar/types.h>
#include <kevlar/timer.h>
#include <uapi/signal.h>

struct task;
struct trap_frame;

/*
 * Internal "restart me" codes a sleeping syscall returns when a signal
 * interrupted it; never seen by user space (Linux uses the same numbers
 * and meanings). ERESTARTSYS: restart if the handler has SA_RESTART, else
 * EINTR. ERESTARTNOINTR: always restart. ERESTARTNOHAND: restart only if
 * no handler runs (sigsuspend, ppoll, nanosleep).
 */
#define ERESTARTSYS     512
#define ERESTARTNOINTR  513
#define ERESTARTNOHAND  514

#define SIGMASK(sig)    (1ULL << ((sig) - 1))
/* Signals nobody can catch, block or ignore. */
#define SIG_UNBLOCKABLE (SIGMASK(SIGKILL) | SIGMASK(SIGSTOP))

/* What we remember of a pending signal's siginfo (standard signals do not queue). */
struct pending_info {
	int32_t code;
	int32_t pid;
	uint32_t uid;
	int32_t status;
	uint64_t addr;
};

struct task_signals {
	struct k_sigaction action[_NSIG];       /* index sig - 1 */
	ksigset_t pending;
	ksigset_t blocked;
	/* sigsuspend/ppoll/pselect6: the mask to restore once a signal was handled. */
	ksigset_t saved_mask;
	bool restore_mask;
	/* rt_sigtimedwait: these wake the task even though blocked. */
	ksigset_t wait_set;
	struct pending_info info[_NSIG];
	struct k_stack altstack;

	/* Job control: stopped by a stop signal, and what the parent's wait(2) has not seen yet. */
	bool stopped;
	int stop_sig;
	bool report_stop;
	bool report_cont;

	/* ITIMER_REAL (alarm, setitimer): a MONOTONIC timer (core/signal_notify.c). */
	struct timer itimer;
	uint64_t itimer_interval_ns;
};

/* Set a signal pending on t and wake it; the caller fills info or passes NULL (SI_KERNEL). */
void signal_send(struct task *t, int sig, const struct pending_info *info);
/*
 * A signal for t's process (kill(2), a process group, SIGCHLD, alarms), not
 * for one thread: one thread of the group takes it (core/signal.c).
 */
void signal_send_process(struct task *t, int sig, const struct pending_info *info);
/* Send to every process of process group pgid. -ESRCH if there are none. */
int signal_send_pgrp(int pgid, int sig, const struct pending_info *info);
/*
 * signalfd (core/signalfd.c): take the lowest pending signal of mask off t
 * (interrupts off; 0 if none), and wake signalfd readers and pollers
 * after a signal became pending.
 */
int signal_dequeue_masked(struct task *t, ksigset_t mask, struct pending_info *info);
void signalfd_notify(void);
/* A signal is pending and not blocked: interruptible sleeps end. */
bool signal_pending(const struct task *t);
/*
 * SIGKILL is pending: the task will never return to user space, so long
 * loops that are not sleeps (a 2 GiB sendfile) stop early, as Linux's
 * fatal_signal_pending() lets them.
 */
bool fatal_signal_pending(const struct task *t);
/* The handler for sig is SIG_IGN, or SIG_DFL with an "ignore" default. */
bool signal_ignored(const struct task *t, int sig);
bool signal_blocked(const struct task *t, int sig);

/* fork: the child inherits actions, mask and alternate stack, not pending signals. */
void signal_fork(struct task *child, const struct task *parent);
/* execve: caught signals go back to SIG_DFL (ignored stay ignored); the alt stack is gone. */
void signal_exec(struct task *t);

/* A user-mode exception: deliver sig with its fault address (catchable). */
void signal_fault(int sig, int code, uint64_t addr);

/* Return-to-user work: default actions, handler frames, syscall restart. */
void signal_deliver(struct trap_frame *tf);

/* Notify t's parent of a stop or continue (SIGCHLD, wait(2) wake-up). */
void signal_notify_parent_stop(struct task *t, int why, int sig);

/* t's ITIMER_REAL deadline (CLOCK_MONOTONIC ns), 0 when disarmed. */
uint64_t signal_timer_deadline(const struct task *t);
/* Arm (deadline 0: disarm) t's ITIMER_REAL; interrupts off. Returns the old deadline. */
uint64_t signal_timer_arm(struct task *t, uint64_t deadline_ns, uint64_t interval_ns);
void signal_timer_release(struct task *t);
/* exit: tell the parent (SIGCHLD, wake its wait). True if it wants no zombie (SIG_IGN / SA_NOCLDWAIT). */
bool signal_notify_parent_exit(struct task *t, int wait_status);

/*
 * Kept for the exception paths that do not yet go through signal_fault:
 * end the current task as sig's default action would.
 */
__attribute__((noreturn)) void task_kill_by_signal(int sig);

/* Arch signal frames (arch/<arch>/signal_frame.c). */
int arch_setup_signal_frame(struct trap_frame *tf, int sig, const struct k_sigaction *ka,
			    const struct siginfo *info, ksigset_t old_mask);
/* rt_sigreturn: restore registers and mask from the frame at the user stack pointer. */
long arch_signal_return(struct trap_frame *tf);
/* The syscall number and result slots of a frame, for restart decisions. */
bool arch_frame_in_syscall(const struct trap_frame *tf);
long arch_frame_syscall_result(const struct trap_frame *tf);
void arch_frame_set_result(struct trap_frame *tf, long ret);
uint64_t arch_frame_user_sp(const struct trap_frame *tf);
/* Back up to re-execute the syscall instruction with its original number. */
void arch_frame_restart_syscall(struct trap_frame *tf);

#endif
