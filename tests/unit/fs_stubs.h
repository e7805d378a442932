/*
 * The kernel services the file-system sources need on the host, shared by
 * the file-system tests (fs_stubs.c): one fake task, credentials the test
 * may change, the heap and user copies as host memory. Pages stay each
 * test's own: they count them differently.
 */
#ifndef FS_STUBS_H
#define FS_STUBS_H

#include <stdint.h>
#include <kevlar/sched.h>

extern struct task task;            /* current_task(); cwd and root NULL: the tmpfs root */
extern uint32_t fsuid, fsgid;       /* cred_fsuid(), cred_fsgid(); 0 unless a test sets them */
extern int fs_lock_depth;          /* fs_lock() calls not yet unlocked (a host stub: it only counts) */

#endif
