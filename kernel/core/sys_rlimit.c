/* getrlimit, setrlimit, prlimit64 (see kevlar/rlimit.h). */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/mm.h>
#include <kevlar/pgrp.h>
#include <kevlar/rlimit.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

/* What Linux gives init, as a process sees it on a default boot. */
static void default_rlimit(unsigned resource, struct rlimit64 *r)
{
	r->rlim_cur = r->rlim_max = RLIM64_INFINITY;
	switch (resource) {
	case RLIMIT_STACK:
		r->rlim_cur = USER_STACK_SIZE;
		break;
	case RLIMIT_NOFILE:
		r->rlim_cur = NOFILE_SOFT;
		r->rlim_max = NOFILE_HARD;
		break;
	case RLIMIT_CORE:
		r->rlim_cur = 0;
		break;
	case RLIMIT_MEMLOCK:
		r->rlim_cur = r->rlim_max = 8UL << 20;
		break;
	case RLIMIT_SIGPENDING:
	case RLIMIT_NPROC:
		r->rlim_cur = r->rlim_max = 1024;
		break;
	case RLIMIT_MSGQUEUE:
		r->rlim_cur = r->rlim_max = 819200;
		break;
	case RLIMIT_NICE:
	case RLIMIT_RTPRIO:
		r->rlim_cur = r->rlim_max = 0;
		break;
	}
}

static struct task_rlimits *limits_of(struct task *t)
{
	struct task_rlimits *rl = &thread_leader(t)->rlim;

	if (!rl->set) {
		for (unsigned i = 0; i < RLIM_NLIMITS; i++)
			default_rlimit(i, &rl->lim[i]);
		rl->set = true;
	}
	return rl;
}

void rlimit_get(struct task *t, unsigned resource, struct rlimit64 *out)
{
	*out = limits_of(t)->lim[resource];
}

/* SIGXFSZ for the current thread, as if it had sent it to itself. */
static int file_too_big(void)
{
	struct task *self = current_task();
	struct pending_info info = { .code = SI_USER, .pid = thread_leader(self)->pid,
				     .uid = self->cred.uid };

	signal_send(self, SIGXFSZ, &info);
	return -EFBIG;
}

int rlimit_fsize_write(uint64_t pos, size_t *n)
{
	uint64_t limit = limits_of(current_task())->lim[RLIMIT_FSIZE].rlim_cur;

	if (limit == RLIM64_INFINITY)
		return 0;
	if (pos >= limit)
		return file_too_big();
	*n = MIN(*n, limit - pos);
	return 0;
}

int rlimit_fsize_extend(uint64_t size)
{
	uint64_t limit = limits_of(current_task())->lim[RLIMIT_FSIZE].rlim_cur;

	return limit != RLIM64_INFINITY && size > limit ? file_too_big() : 0;
}

int rlimit_nproc_fork(struct task *parent)
{
	uint64_t limit = limits_of(parent)->lim[RLIMIT_NPROC].rlim_cur;
	uint32_t uid = parent->cred.uid;
	uint64_t count = 0;
	unsigned long flags;
	struct task *t;

	/* Root (uid 0, or euid 0: every capability) is not held to it. */
	if (limit == RLIM64_INFINITY || uid == 0 || parent->cred.euid == 0)
		return 0;
	flags = arch_irq_save();        /* all_tasks's lock (see task_ref.c) */
	list_for_each_entry(t, &all_tasks, all_link)
		count += t->pid != 0 && t->cred.uid == uid;
	arch_irq_restore(flags);
	return count >= limit ? -EAGAIN : 0;
}

void rlimit_fork(struct task *child, struct task *parent)
{
	child->rlim = *limits_of(parent);
}

long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *new_limit,
		   struct rlimit64 *old_limit)
{
	struct task *self = current_task(), *t = self;
	struct rlimit64 old, new;
	struct task_rlimits *rl;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (pid < 0)
		return -EINVAL;
	if (pid && !(t = task_by_pid(pid)))
		return -ESRCH;
	/* Another process's limits: its owner or root. */
	if (t != self && self->cred.euid != 0 &&
	    (self->cred.uid != t->cred.uid || self->cred.uid != t->cred.euid))
		return -EPERM;
	if (new_limit && copy_from_user(&new, new_limit, sizeof(new)))
		return -EFAULT;
	rl = limits_of(t);
	old = rl->lim[resource];
	if (new_limit) {
		if (new.rlim_cur > new.rlim_max)
			return -EINVAL;
		if (new.rlim_max > old.rlim_max && self->cred.euid != 0)
			return -EPERM;
		/* Linux's fs.nr_open: no descriptor table grows past it. */
		if (resource == RLIMIT_NOFILE && new.rlim_max > NR_OPEN)
			return -EPERM;
		rl->lim[resource] = new;
	}
	if (old_limit && copy_to_user(old_limit, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* Unlike prlimit64's, these pointers are not optional: NULL is EFAULT. */
long sys_getrlimit(unsigned resource, struct rlimit64 *old_limit)
{
	if (!old_limit)
		return -EFAULT;
	return sys_prlimit64(0, resource, NULL, old_limit);
}

/* x86_64's struct rlimit is two unsigned longs: the same layout as rlimit64. */
long sys_setrlimit(unsigned resource, const struct rlimit64 *new_limit)
{
	if (!new_limit)
		return -EFAULT;
	return sys_prlimit64(0, resource, new_limit, NULL);
}
