/* See fs_stubs.h. */
#include <stdlib.h>
#include <string.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/panic.h>
#include <kevlar/rlimit.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include "fs_stubs.h"

struct task task;
uint32_t fsuid, fsgid;

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }
void preempt_disable(void) {}
void preempt_enable(void) {}
/* One thread: fs_lock only counts, and an unlock it does not hold aborts. */
int fs_lock_depth;
void fs_lock_at(const char *site) { (void)site; fs_lock_depth++; }
void fs_unlock_at(const char *site) { (void)site; if (--fs_lock_depth < 0) abort(); }
bool fs_lock_held(void) { return fs_lock_depth > 0; }
struct task *current_task(void) { return &task; }
struct file *fd_lookup_locked(int fd) { (void)fd; return NULL; }
uint32_t cred_fsuid(void) { return fsuid; }
uint32_t cred_fsgid(void) { return fsgid; }
bool cred_in_group(uint32_t gid) { return gid == fsgid; }
/* No RLIMIT_FSIZE on the host: every size may be reached. */
int rlimit_fsize_extend(uint64_t size) { (void)size; return 0; }
int rlimit_fsize_write(uint64_t pos, size_t *n) { (void)pos; (void)n; return 0; }
long strncpy_from_user(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	if (len == n)
		return -ENAMETOOLONG;
	memcpy(dst, src, len + 1);
	return len;
}
int copy_to_user(void *dst, const void *src, size_t n) { memcpy(dst, src, n); return 0; }
int copy_from_user(void *dst, const void *src, size_t n) { memcpy(dst, src, n); return 0; }
int clear_user(void *dst, size_t n) { memset(dst, 0, n); return 0; }
void panic(const char *fmt, ...) { (void)fmt; abort(); }
struct dentry *task_cwd(struct task *t) { return t->cwd ? t->cwd : tmpfs_root(); }
struct dentry *task_root(struct task *t) { return t->root ? t->root : tmpfs_root(); }
