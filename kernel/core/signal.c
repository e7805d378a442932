/*
 * Signal state, sending and delivery. All signal fields of a task are
 * touched with interrupts off: the tty's receive interrupt and the timer
 * send signals, and on one CPU masking interrupts is the lock.
 */
#include <kevlar/arch.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/pgrp.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/thread.h>
#include <uapi/errno.h>

#define STOP_SIGNALS (SIGMASK(SIGSTOP) | SIGMASK(SIGTSTP) | SIGMASK(SIGTTIN) | SIGMASK(SIGTTOU))
#define DEFAULT_IGNORED (SIGMASK(SIGCHLD) | SIGMASK(SIGCONT) | SIGMASK(SIGURG) | SIGMASK(SIGWINCH))
/* Delivered before others: they describe the instruction that just faulted. */
#define SYNCHRONOUS (SIGMASK(SIGSEGV) | SIGMASK(SIGBUS) | SIGMASK(SIGILL) | \
		     SIGMASK(SIGTRAP) | SIGMASK(SIGFPE) | SIGMASK(SIGSYS))

static bool valid(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

bool signal_blocked(const struct task *t, int sig)
{
	return (t->sig.blocked & SIGMASK(sig)) != 0;
}

bool signal_ignored(const struct task *t, int sig)
{
	uint64_t h = t->sig.action[sig - 1].handler;

	return h == SIG_IGN || (h == SIG_DFL && (DEFAULT_IGNORED & SIGMASK(sig)));
}

bool signal_pending(const struct task *t)
{
	return (t->sig.pending & ~t->sig.blocked) != 0;
}

bool fatal_signal_pending(const struct task *t)
{
	return (t->sig.pending & SIGMASK(SIGKILL)) != 0;
}

bool current_signal_pending(void)
{
	return signal_pending(current_task());
}

/* A stopped task resumes (SIGCONT or SIGKILL); the parent hears of it. */
static void resume_stopped(struct task *t)
{
	if (!t->sig.stopped)
		return;
	t->sig.stopped = false;
	t->sig.report_stop = false;
	t->sig.report_cont = true;
	signal_notify_parent_stop(t, CLD_CONTINUED, SIGCONT);
	sched_wake(t);
}

void signal_send(struct task *t, int sig, const struct pending_info *info)
{
	unsigned long flags;

	if (!valid(sig))
		return;
	flags = arch_irq_save();
	if (t->state == TASK_ZOMBIE || !t->mm)
		goto out;           /* kernel threads take no signals */
	if (sig == SIGCONT || sig == SIGKILL) {
		t->sig.pending &= ~STOP_SIGNALS;
		resume_stopped(t);
	} else if (SIGMASK(sig) & STOP_SIGNALS) {
		t->sig.pending &= ~SIGMASK(SIGCONT);
	}
	/* Linux discards an ignored signal at once unless it is blocked. */
	if (signal_ignored(t, sig) && !signal_blocked(t, sig))
		goto out;
	t->sig.pending |= SIGMASK(sig);
	if (info)
		t->sig.info[sig - 1] = *info;
	else
		t->sig.info[sig - 1] = (struct pending_info){ .code = SI_KERNEL };
	fr_record(FR_SIGNAL, t->pid, sig, 0, 0);
	if (!signal_blocked(t, sig) || (t->sig.wait_set & SIGMASK(sig)))
		sched_wake(t);
	/* A signalfd reader may be waiting for exactly this blocked signal. */
	signalfd_notify();
out:
	arch_irq_restore(flags);
}

/*
 * The thread that takes a signal sent to t's process: as POSIX asks, one
 * that does not block it, the leader first. When every thread blocks it,
 * the leader keeps it pending (Linux keeps such a signal in a set shared by
 * the group, for whichever thread unblocks it first; here only the leader's
 * unblocking delivers it). Zombie threads take nothing.
 */
static struct task *process_target(struct task *t, int sig)
{
	struct task *leader = thread_leader(t), *o, *live = NULL;

	if (!thread_group_multi(leader))
		return leader;
	if (leader->state != TASK_ZOMBIE && !signal_blocked(leader, sig))
		return leader;
	list_for_each_entry(o, &all_tasks, all_link) {
		if (thread_leader(o) != leader || o->state == TASK_ZOMBIE)
			continue;
		if (!signal_blocked(o, sig))
			return o;
		if (!live)
			live = o;
	}
	return leader->state != TASK_ZOMBIE || !live ? leader : live;
}

void signal_send_process(struct task *t, int sig, const struct pending_info *info)
{
	unsigned long flags = arch_irq_save();

	signal_send(process_target(t, sig), sig, info);
	arch_irq_restore(flags);
}

int signal_send_pgrp(int pgid, int sig, const struct pending_info *info)
{
	unsigned long flags = arch_irq_save();
	struct task *t;
	int found = 0;

	/* Once per process (its leader stands for it). Zombies still belong to
	 * the group: found, though nothing is sent. */
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->job.pgid == pgid && t->pid != 0 && thread_leader(t) == t) {
			signal_send_process(t, sig, info);
			found++;
		}
	}
	arch_irq_restore(flags);
	return found ? 0 : -ESRCH;
}

void signal_fork(struct task *child, const struct task *parent)
{
	memcpy(child->sig.action, parent->sig.action, sizeof(child->sig.action));
	child->sig.blocked = parent->sig.blocked;
	child->sig.altstack = parent->sig.altstack;
	child->job = parent->job;
	child->job.execed = false;
	child->cred = parent->cred;
}

void signal_exec(struct task *t)
{
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &t->sig.action[i];

		if (ka->handler != SIG_IGN)
			ka->handler = SIG_DFL;
		ka->flags = 0;
		ka->restorer = 0;
		ka->mask = 0;
	}
	memset(&t->sig.altstack, 0, sizeof(t->sig.altstack));
	t->job.execed = true;
}

/*
 * A fault must reach the program even if it blocked or ignored the
 * signal: then the default action (death) applies, as on Linux.
 */
void signal_fault(int sig, int code, uint64_t addr)
{
	struct task *t = current_task();
	struct pending_info info = { .code = code, .addr = addr };
	unsigned long flags = arch_irq_save();

	if (signal_blocked(t, sig) || t->sig.action[sig - 1].handler == SIG_IGN) {
		t->sig.blocked &= ~SIGMASK(sig);
		t->sig.action[sig - 1].handler = SIG_DFL;
	}
	arch_irq_restore(flags);
	signal_send(t, sig, &info);
}

void task_kill_by_signal(int sig)
{
	task_exit(sig & 0x7f);
}

/* Take the next deliverable signal off the pending set; 0 if none. */
static int dequeue_signal(struct task *t, struct pending_info *info)
{
	ksigset_t ready = t->sig.pending & ~t->sig.blocked;
	int sig;

	if (!ready)
		return 0;
	if (ready & SYNCHRONOUS)
		ready &= SYNCHRONOUS;
	sig = __builtin_ctzll(ready) + 1;
	t->sig.pending &= ~SIGMASK(sig);
	*info = t->sig.info[sig - 1];
	return sig;
}

/* signalfd: take the lowest pending signal of mask, blocked or not; 0 if none. */
int signal_dequeue_masked(struct task *t, ksigset_t mask, struct pending_info *info)
{
	ksigset_t ready = t->sig.pending & mask;
	int sig;

	if (!ready)
		return 0;
	sig = __builtin_ctzll(ready) + 1;
	t->sig.pending &= ~SIGMASK(sig);
	*info = t->sig.info[sig - 1];
	return sig;
}

/* Default action "stop": sleep until SIGCONT or SIGKILL. */
static void do_stop(struct task *t, int sig)
{
	unsigned long flags = arch_irq_save();

	t->sig.stopped = true;
	t->sig.stop_sig = sig;
	t->sig.report_stop = true;
	t->sig.report_cont = false;
	signal_notify_parent_stop(t, CLD_STOPPED, sig);
	while (t->sig.stopped && !(t->sig.pending & SIGMASK(SIGKILL))) {
		t->state = TASK_SLEEPING;
		schedule();
	}
	arch_irq_restore(flags);
}

static void fill_siginfo(struct siginfo *si, int sig, const struct pending_info *p)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = p->code;
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (p->code > 0 && p->code != SI_KERNEL) {
			si->fault.addr = p->addr;
			return;
		}
		break;
	}
	si->proc.pid = p->pid;
	si->proc.uid = p->uid;
	if (sig == SIGCHLD)
		si->proc.status = p->status;
}

/* What a syscall interrupted by a signal returns, given how the signal was handled. */
static void fix_syscall_restart(struct trap_frame *tf, const struct k_sigaction *ka)
{
	long ret;

	if (!arch_frame_in_syscall(tf))
		return;
	ret = arch_frame_syscall_result(tf);
	if (ret != -ERESTARTSYS && ret != -ERESTARTNOINTR && ret != -ERESTARTNOHAND)
		return;
	if (ka && (ret == -ERESTARTNOHAND ||
		   (ret == -ERESTARTSYS && !(ka->flags & SA_RESTART))))
		arch_frame_set_result(tf, -EINTR);
	else
		arch_frame_restart_syscall(tf);
}

static void handle_signal(struct trap_frame *tf, int sig, const struct pending_info *p)
{
	struct task *t = current_task();
	struct k_sigaction ka = t->sig.action[sig - 1];
	ksigset_t old_mask = t->sig.restore_mask ? t->sig.saved_mask : t->sig.blocked;
	struct siginfo si;

	fix_syscall_restart(tf, &ka);
	fill_siginfo(&si, sig, p);
	if (arch_setup_signal_frame(tf, sig, &ka, &si, old_mask)) {
		pr_info("%s[%d]: cannot build a frame for signal %d, killed\n",
			t->comm, t->pid, sig);
		task_exit(SIGSEGV);
	}
	arch_irq_disable();
	t->sig.restore_mask = false;
	t->sig.blocked = old_mask | ka.mask;
	if (!(ka.flags & SA_NODEFER))
		t->sig.blocked |= SIGMASK(sig);
	t->sig.blocked &= ~SIG_UNBLOCKABLE;
	if (ka.flags & SA_RESETHAND)
		t->sig.action[sig - 1].handler = SIG_DFL;
	arch_irq_enable();
}

void signal_deliver(struct trap_frame *tf)
{
	struct task *t = current_task();
	struct pending_info info;
	int sig;

	if (!t->mm)
		return;
	/* We may sleep (stop) and touch user memory: interrupts on. */
	arch_irq_enable();
	for (;;) {
		uint64_t handler;

		arch_irq_disable();
		sig = dequeue_signal(t, &info);
		handler = sig ? t->sig.action[sig - 1].handler : SIG_DFL;
		arch_irq_enable();
		if (!sig)
			break;
		if (handler == SIG_IGN)
			continue;
		if (handler != SIG_DFL) {
			handle_signal(tf, sig, &info);
			return;
		}
		if (DEFAULT_IGNORED & SIGMASK(sig))
			continue;
		if (STOP_SIGNALS & SIGMASK(sig)) {
			/* Nobody could continue an orphaned group: tty stops are dropped. */
			if (sig != SIGSTOP && pgrp_is_orphaned(t->job.pgid))
				continue;
			do_stop(t, sig);
			continue;
		}
		/* Terminate (no core files: RLIMIT_CORE is 0, so no 0x80 flag). */
		task_exit(sig);
	}
	fix_syscall_restart(tf, NULL);
	if (t->sig.restore_mask) {
		t->sig.restore_mask = false;
		t->sig.blocked = t->sig.saved_mask;
	}
}

void return_to_user_work(struct trap_frame *tf)
{
	struct task *t = current_task();

	if (signal_pending(t) || t->sig.restore_mask ||
	    (arch_frame_in_syscall(tf) && arch_frame_syscall_result(tf) <= -ERESTARTSYS &&
	     arch_frame_syscall_result(tf) >= -ERESTARTNOHAND))
		signal_deliver(tf);
}
