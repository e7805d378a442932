#ifndef KEVLAR_RLIMIT_H
#define KEVLAR_RLIMIT_H

/*
 * Resource limits (kernel/core/sys_rlimit.c): per process (the thread
 * group leader holds them), inherited by fork, kept across exec. They are
 * reported and settable; only RLIMIT_NOFILE's ceiling is a real one here.
 */

#include <uapi/resource.h>

struct task;

struct task_rlimits {
	bool set;                       /* false: Linux's defaults */
	struct rlimit64 lim[RLIM_NLIMITS];
};

/* t's process's limit for resource (< RLIM_NLIMITS), e.g. for /proc/<pid>/limits. */
void rlimit_get(struct task *t, unsigned resource, struct rlimit64 *out);
/* fork: the child starts with the parent's limits. */
void rlimit_fork(struct task *child, struct task *parent);

#endif
