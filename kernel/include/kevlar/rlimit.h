#ifndef KEVLAR_RLIMIT_H
#define KEVLAR_RLIMIT_H

/*
 * Resource limits (kernel/core/sys_rlimit.c): per process (the thread
 * group leader holds them), inherited by fork, kept across exec. They are
 * reported and settable; RLIMIT_NOFILE (fs/file.c), RLIMIT_NPROC and
 * RLIMIT_FSIZE (below) are enforced.
 */

#include <kevlar/types.h>
#include <uapi/resource.h>

struct task;

struct task_rlimits {
	bool set;                       /* false: Linux's defaults */
	struct rlimit64 lim[RLIM_NLIMITS];
};

/* t's process's limit for resource (< RLIM_NLIMITS), e.g. for /proc/<pid>/limits. */
void rlimit_get(struct task *t, unsigned resource, struct rlimit64 *out);
/*
 * RLIMIT_NPROC, checked before fork or clone makes a task: -EAGAIN when
 * the tasks of parent's real uid (threads and unreaped zombies too, as
 * Linux counts them) already reach parent's limit; root is exempt.
 */
int rlimit_nproc_fork(struct task *parent);
/* fork: the child starts with the parent's limits. */
void rlimit_fork(struct task *child, struct task *parent);

/*
 * RLIMIT_FSIZE, as Linux applies it to every write of a regular file: a
 * write of *n bytes at pos is cut to end at the limit; one that starts at
 * or past it sends the writing thread SIGXFSZ and is -EFBIG (0: go on).
 */
int rlimit_fsize_write(uint64_t pos, size_t *n);
/* Growing a file to size by truncate: past the limit, SIGXFSZ and -EFBIG. */
int rlimit_fsize_extend(uint64_t size);

#endif
