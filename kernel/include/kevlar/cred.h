#ifndef KEVLAR_CRED_H
#define KEVLAR_CRED_H

/*
 * Credentials (kernel/core/cred.c): real, effective, saved and filesystem
 * ids, and supplementary groups. Euid 0 stands for every capability; there
 * are no finer-grained capabilities yet.
 */

#include <kevlar/types.h>

#define CRED_NGROUPS_MAX 64     /* Linux allows 65536; more here is -EINVAL */

struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	int ngroups;
	uint32_t groups[CRED_NGROUPS_MAX];
};

struct task;
bool cred_is_root(const struct task *t);
/* kill(2) permission: root, or a real/effective uid of the sender matches the target's real or saved uid. */
bool cred_may_signal(const struct task *sender, const struct task *target);
/* The filesystem's view (cred_fsuid, cred_fsgid, cred_in_group) is declared in kevlar/fs.h. */

#endif
