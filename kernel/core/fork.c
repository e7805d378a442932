/*
 * fork, vfork, clone and clone3: processes and threads (CLONE_THREAD, see
 * core/thread.c; CLONE_VM shares the address space, CLONE_FILES the
 * descriptor table). fork shares memory copy-on-write
 * (mm/cow.c). vfork (CLONE_VM | CLONE_VFORK) lends the child the parent's
 * address space itself, and the parent sleeps until the child gives it
 * back by exec or exit (the mm's user count drops). CLONE_VFORK without
 * CLONE_VM waits the same way for the child's own copy: the parent holds
 * a reference to it while it waits. Everything a failed
 * fork allocated (kernel stack, page tables, areas, descriptor table) is
 * freed again: out of memory is -ENOMEM, never a panic.
 */
#include <kevlar/arch.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/fs.h>
#include <kevlar/mm.h>
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/rlimit.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/sched.h>

static long do_fork(unsigned long flags, uint64_t new_sp, int *parent_tid,
		    int *child_tid, uint64_t tls)
{
	struct task *parent = current_task(), *child;
	struct mm *vfork_mm = NULL;     /* the address space whose release we wait for */
	long err = -ENOMEM;
	int vfork_users = 0, pid;

	/* Linux's rules: a thread shares handlers, and shared handlers need shared memory. */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;

	if ((err = rlimit_nproc_fork(parent)))
		return err;
	child = task_alloc(parent->comm);
	if (!child)
		return -ENOMEM;
	if (flags & CLONE_VM) {
		if (flags & CLONE_VFORK)
			vfork_users = parent->mm->users;
		mm_get(parent->mm);
		child->mm = parent->mm;
	} else if ((err = mm_clone(parent->mm, &child->mm))) {
		goto fail;
	}
	if (flags & CLONE_FILES) {
		refcount_inc(&parent->files->refs);
		child->files = parent->files;
	} else if (!(child->files = fd_table_clone(parent->files))) {
		err = -ENOMEM;
		goto fail;
	}
	fs_context_inherit(child, parent);
	arch_fork_init(child, task_user_frame(parent), new_sp, tls, flags & CLONE_SETTLS);
	signal_fork(child, parent);
	rlimit_fork(child, parent);
	oom_fork(child, parent);
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
		/* A new thread of execution must not share the creator's signal stack. */
		child->sig.altstack.ss_sp = 0;
		child->sig.altstack.ss_size = 0;
		child->sig.altstack.ss_flags = SS_DISABLE;
	}

	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (uint64_t)child_tid;
	/*
	 * Linux ignores a bad address in either tid word: the clone succeeds
	 * and the word is simply not written. The child's word is written into
	 * its own memory (its own copy-on-write copy).
	 */
	if (flags & CLONE_PARENT_SETTID)
		(void)put_user(child->pid, parent_tid);
	if (flags & CLONE_CHILD_SETTID)
		(void)mm_write_u32(child->mm, (uint64_t)child_tid, child->pid);
	if (flags & CLONE_PARENT)
		child->parent = parent->parent;
	/* Last: once attached, the group counts the thread. */
	if ((flags & CLONE_THREAD) && (err = thread_attach(child, parent)))
		goto fail;

	/*
	 * The child's exec or exit drops its user of the mm it runs on. With
	 * CLONE_VM that is ours; without, its copy, which we hold a user of so
	 * that the drop is seen (and ours is the last: we free it). Waiting
	 * for our own mm without CLONE_VM would wait for ever: stress-ng's
	 * clone stressor does CLONE_VFORK alone, and its worker hung, 128 MB
	 * and all, after each run.
	 */
	if (flags & CLONE_VFORK) {
		vfork_mm = child->mm;
		if (!(flags & CLONE_VM)) {
			mm_get(vfork_mm);
			vfork_users = 1;
		}
	}
	fr_record(FR_FORK, child->pid, flags, 0, 0);
	pid = child->pid;
	task_start(child);
	if (vfork_mm) {
		mm_wait_users(vfork_mm, vfork_users);
		if (!(flags & CLONE_VM))
			mm_put(vfork_mm);   /* our user: the last, so it frees the copy */
	}
	return pid;
fail:
	/*
	 * The child is on all_tasks, so procfs may be looking at it: its
	 * pointers go as exit's do (files under fs_lock, mm with interrupts
	 * off) before what they point to.
	 */
	fs_context_release(child);
	task_files_release(child);
	if (child->mm) {
		unsigned long irq = arch_irq_save();
		struct mm *mm = child->mm;

		child->mm = NULL;
		arch_irq_restore(irq);
		mm_put(mm);
	}
	task_release(child);
	return err;
}

/* x86_64 argument order: flags, newsp, parent_tid, child_tid, tls. */
long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tid,
	       int *child_tid, unsigned long tls)
{
	return do_fork(flags, newsp, parent_tid, child_tid, tls);
}

long sys_fork(void)
{
	return do_fork(0, 0, NULL, NULL, 0);
}

long sys_vfork(void)
{
	return do_fork(CLONE_VM | CLONE_VFORK, 0, NULL, NULL, 0);
}

/* clone3's argument block (linux/sched.h struct clone_args, version 0 is 64 bytes). */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0    64

long sys_clone3(const struct clone_args *uargs, size_t size)
{
	struct clone_args args = { 0 };
	uint64_t sp;

	if (size < CLONE_ARGS_SIZE_VER0 || size > PAGE_SIZE)
		return -EINVAL;
	if (copy_from_user(&args, uargs, MIN(size, sizeof(args))))
		return -EFAULT;
	/*
	 * pidfds, chosen pids and cgroups are not supported; the signal has its
	 * own field. pidfd is only read with CLONE_PIDFD (glibc leaves junk there).
	 */
	if (args.set_tid || args.set_tid_size || (args.flags & CLONE_PIDFD) || (args.flags & CSIGNAL) ||
	    args.exit_signal > _NSIG || (args.flags >> 32) ||
	    (!args.stack && args.stack_size) || (args.stack && !args.stack_size))
		return -EINVAL;
	sp = args.stack ? args.stack + args.stack_size : 0;
	return do_fork(args.flags | args.exit_signal, sp, (int *)args.parent_tid,
		       (int *)args.child_tid, args.tls);
}
