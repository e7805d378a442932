/*
 * fork, vfork and clone (processes only: CLONE_VM without CLONE_VFORK,
 * i.e. threads, is not supported yet). fork shares memory copy-on-write
 * (mm/cow.c). vfork (CLONE_VM | CLONE_VFORK) lends the child the parent's
 * address space itself, and the parent sleeps until the child gives it
 * back by exec or exit (the mm's user count drops). Everything a failed
 * fork allocated (kernel stack, page tables, areas, descriptor table) is
 * freed again: out of memory is -ENOMEM, never a panic.
 */
#include <kevlar/flight_recorder.h>
#include <kevlar/fs.h>
#include <kevlar/mm.h>
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/sched.h>

static long do_fork(unsigned long flags, uint64_t new_sp, int *parent_tid,
		    int *child_tid, uint64_t tls)
{
	struct task *parent = current_task(), *child;
	long err = -ENOMEM;
	int vfork_users = 0, pid;

	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL;     /* threads come with futexes and signals */
	if (flags & (CLONE_THREAD | CLONE_SIGHAND))
		return -EINVAL;

	child = task_alloc(parent->comm);
	if (!child)
		return -ENOMEM;
	if (flags & CLONE_VM) {
		vfork_users = parent->mm->users;
		mm_get(parent->mm);
		child->mm = parent->mm;
	} else if ((err = mm_clone(parent->mm, &child->mm))) {
		goto fail;
	}
	if (flags & CLONE_FILES) {
		parent->files->refcount++;
		child->files = parent->files;
	} else if (!(child->files = fd_table_clone(parent->files))) {
		err = -ENOMEM;
		goto fail;
	}
	fs_context_inherit(child, parent);
	arch_fork_init(child, task_user_frame(parent), new_sp, tls, flags & CLONE_SETTLS);
	signal_fork(child, parent);

	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (uint64_t)child_tid;
	if ((flags & CLONE_PARENT_SETTID) && put_user(child->pid, parent_tid)) {
		err = -EFAULT;
		goto fail;
	}
	if (flags & CLONE_CHILD_SETTID) {
		/* Written into the child's memory (its own copy-on-write copy). */
		if (mm_write_u32(child->mm, (uint64_t)child_tid, child->pid)) {
			err = -EFAULT;
			goto fail;
		}
	}
	if (flags & CLONE_PARENT)
		child->parent = parent->parent;

	fr_record(FR_FORK, child->pid, flags, 0, 0);
	pid = child->pid;
	task_start(child);
	if (flags & CLONE_VM)
		mm_wait_users(parent->mm, vfork_users);
	return pid;
fail:
	fs_context_release(child);
	if (child->files)
		fd_table_put(child->files);
	if (child->mm)
		mm_destroy(child->mm);
	task_free(child);
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
