/*
 * The program file of an address space, for /proc/<pid>/exe. It is the
 * file exec loaded, found again by the same path: for "/proc/self/exe"
 * that is the file the link named, so BusyBox re-executing itself keeps
 * naming /bin/busybox. A #! script's process names its interpreter,
 * because the interpreter is what gets exec'd.
 */
#include <kevlar/fs.h>
#include <kevlar/mm.h>
#include <uapi/fcntl.h>

void mm_set_exe(struct mm *mm, const char *path)
{
	struct dentry *d;

	fs_lock();
	if (!path_walk(AT_FDCWD, path, LOOKUP_FOLLOW, &d)) {
		dget(d);
		dput(mm->exe);
		mm->exe = d;
	}
	fs_unlock();
}

void mm_copy_exec_info(struct mm *dst, const struct mm *src)
{
	dst->arg_start = src->arg_start;
	dst->arg_end = src->arg_end;
	dst->env_start = src->env_start;
	dst->env_end = src->env_end;
	fs_lock();
	if ((dst->exe = src->exe))
		dget(dst->exe);
	fs_unlock();
}

void mm_put_exe(struct mm *mm)
{
	fs_lock();
	dput(mm->exe);
	mm->exe = NULL;
	fs_unlock();
}
