#ifndef KEVLAR_PROCFS_INTERNAL_H
#define KEVLAR_PROCFS_INTERNAL_H

/* Shared by the files of procfs (fs/procfs*.c) and nobody else. */

#include <kevlar/pseudo.h>

struct task;
struct mount;

/* /proc/<pid> for task t under the /proc root, or /proc/<pid>/task/<tid>
 * under a task/ directory (with_tasks false: no task/ of its own); NULL
 * when out of memory. */
struct dentry *procfs_pid_dir(struct dentry *parent, struct task *t, bool with_tasks);
/* The directory's owner follows t's effective ids (on each refresh). */
void procfs_pid_dir_owner(struct dentry *dir, struct task *t);
/* The task a /proc/<pid>/... entry is about (priv_id is the pid) with a reference (task_put), or NULL. */
struct task *procfs_task_get(struct dentry *d);
/* /proc/sys */
void procfs_sys_init(struct dentry *proc_root);
/* The mount table as /proc/<pid>/mounts and mountinfo show it to t. */
size_t procfs_show_mounts(struct task *t, char *buf, size_t size);
size_t procfs_show_mountinfo(struct task *t, char *buf, size_t size);

#endif
