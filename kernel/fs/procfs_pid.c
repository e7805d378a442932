/*
 * /proc/<pid>: one directory per process. Every entry carries the pid
 * (priv_id) and finds its task again when used, so a reaped process's
 * files read as empty and its links as ENOENT, as Linux's do once the
 * process is gone. cmdline and environ are read back from the process's
 * own memory, between the bounds exec recorded (what the program may
 * since have rewritten there is what is shown, as on Linux).
 *
 * Lifetimes: each use finds its task with a reference (task_get_by_pid)
 * and its memory with a hold (task_mm_grab), so a process that exits and
 * is reaped meanwhile leaves valid memory behind until we put them; its
 * descriptor table, cwd, root and exe are read under fs_lock, which exit
 * takes to clear them.
 */
#include <kevlar/device.h>
#include <kevlar/format.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mm.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/rlimit.h>
#include <kevlar/sched.h>
#include <kevlar/thread.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/signal.h>
#include "procfs_internal.h"

struct task *procfs_task_get(struct dentry *d)
{
	return task_get_by_pid(d->inode->priv_id);
}

/* d's process's memory with a hold (mm_drop when done), or NULL once it is gone. */
static struct mm *procfs_mm_grab(struct dentry *d)
{
	struct task *t = procfs_task_get(d);
	struct mm *mm = NULL;

	if (t) {
		mm = task_mm_grab(t);
		task_put(t);
	}
	return mm;
}

/* Copy [va, va+len) of mm into buf; bytes of pages not present read as 0. */
static void mm_read(struct mm *mm, vaddr_t va, char *buf, size_t len)
{
	spin_lock(&mm->lock);
	while (len) {
		size_t off = va & (PAGE_SIZE - 1), chunk = MIN(len, PAGE_SIZE - off);
		paddr_t pa;

		if (pgtable_query(&mm->pt, va - off, &pa, NULL))
			memcpy(buf, (char *)phys_to_virt(pa) + off, chunk);
		else
			memset(buf, 0, chunk);
		va += chunk;
		buf += chunk;
		len -= chunk;
	}
	spin_unlock(&mm->lock);
}

static size_t show_area(struct dentry *d, bool env, char *buf, size_t size)
{
	struct mm *mm = procfs_mm_grab(d);
	vaddr_t start, end;
	size_t len = 0;

	if (mm) {
		start = env ? mm->env_start : mm->arg_start;
		end = env ? mm->env_end : mm->arg_end;
		if (end > start) {
			len = end - start;
			if (len <= size)
				mm_read(mm, start, buf, len);
		}
		mm_drop(mm);
	}
	return len;
}

static size_t show_cmdline(struct dentry *d, char *buf, size_t size)
{
	return show_area(d, false, buf, size);
}

static size_t show_environ(struct dentry *d, char *buf, size_t size)
{
	return show_area(d, true, buf, size);
}

static char state_char(const struct task *t)
{
	if (t->state == TASK_ZOMBIE)
		return 'Z';
	if (t->sig.stopped)
		return 'T';
	return t->state == TASK_RUNNING ? 'R' : 'S';
}

static const char *state_name(const struct task *t)
{
	switch (state_char(t)) {
	case 'Z': return "Z (zombie)";
	case 'T': return "T (stopped)";
	case 'R': return "R (running)";
	default: return "S (sleeping)";
	}
}

/* Pages in the address space, and how many are present (resident). */
static void mm_pages(struct mm *mm, unsigned long *total, unsigned long *resident)
{
	struct mm_usage u;

	mm_usage(mm, &u);
	*total = u.size;
	*resident = u.anon + u.file + u.shmem;
}

static void sig_masks(const struct task *t, ksigset_t *ign, ksigset_t *caught)
{
	*ign = *caught = 0;
	for (int i = 0; i < _NSIG; i++) {
		uint64_t h = t->sig.action[i].handler;

		if (h == SIG_IGN)
			*ign |= 1ULL << i;
		else if (h != SIG_DFL)
			*caught |= 1ULL << i;
	}
}

static const struct inode_ops task_dir_iops;

/*
 * CPU times for stat: /proc/<pid>/stat is the whole process (every
 * thread), /proc/<pid>/task/<tid>/stat that thread alone, as on Linux.
 * Children's times belong to the process either way.
 */
static void stat_times(struct dentry *d, struct task *t, struct cputime_pair *self,
		       struct cputime_pair *children)
{
	bool in_task_dir = d->parent->parent->inode->iops == &task_dir_iops;

	*self = in_task_dir ? cputime_thread(t) : cputime_group(t);
	*children = cputime_children(t);
}

/* The 52 fields of proc(5) /proc/<pid>/stat. */
static size_t show_stat(struct dentry *d, char *buf, size_t size)
{
	struct task *t = procfs_task_get(d);
	struct cputime_pair self, children;
	struct mm *mm;
	unsigned long vm, rss;
	ksigset_t ign, caught;
	size_t len = 0;

	if (!t)
		return 0;
	mm = task_mm_grab(t);
	mm_pages(mm, &vm, &rss);
	sig_masks(t, &ign, &caught);
	stat_times(d, t, &self, &children);
	/* Fields 14-17 and 22 (starttime) are clock ticks: HZ is USER_HZ. */
	pseudo_printf(buf, size, &len,
		      "%d (%s) %c %d %d %d 0 -1 %u 0 0 0 0 %lu %lu %lu %lu 20 0 1 0 %lu %lu %lu "
		      "18446744073709551615 0 0 %lu 0 0 %lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 "
		      "0 0 %lu %lu %lu %lu %lu %d\n",
		      t->pid, t->comm, state_char(t), task_ppid(t),
		      t->job.pgid, t->job.sid, mm ? 0x400000u : 0x200040u,
		      (unsigned long)self.utime, (unsigned long)self.stime,
		      (unsigned long)children.utime, (unsigned long)children.stime,
		      (unsigned long)t->cpu.start, vm * PAGE_SIZE, rss, mm ? (unsigned long)USER_STACK_TOP : 0,
		      (unsigned long)t->sig.pending, (unsigned long)t->sig.blocked,
		      (unsigned long)ign, (unsigned long)caught,
		      mm ? (unsigned long)mm->brk_start : 0,
		      mm ? (unsigned long)mm->arg_start : 0, mm ? (unsigned long)mm->arg_end : 0,
		      mm ? (unsigned long)mm->env_start : 0, mm ? (unsigned long)mm->env_end : 0,
		      t->state == TASK_ZOMBIE ? t->exit_status : 0);
	if (mm)
		mm_drop(mm);
	task_put(t);
	return len;
}

static size_t show_statm(struct dentry *d, char *buf, size_t size)
{
	struct task *t = procfs_task_get(d);
	struct mm *mm;
	unsigned long vm, rss;
	size_t len = 0;

	if (!t)
		return 0;
	mm = task_mm_grab(t);
	mm_pages(mm, &vm, &rss);
	pseudo_printf(buf, size, &len, "%lu %lu 0 0 0 %lu 0\n", vm, rss, vm);
	if (mm)
		mm_drop(mm);
	task_put(t);
	return len;
}

static size_t show_status(struct dentry *d, char *buf, size_t size)
{
	struct task *t = procfs_task_get(d);
	unsigned long vm, rss;
	ksigset_t ign, caught;
	const struct cred *c;
	struct mm *mm;
	size_t len = 0;
	int fds = 0;

	if (!t)
		return 0;
	c = &t->cred;
	mm = task_mm_grab(t);
	mm_pages(mm, &vm, &rss);
	sig_masks(t, &ign, &caught);
	if (t->files && t->state != TASK_ZOMBIE)
		fds = (int)t->files->size;      /* Linux: the table's slots (64 at first) */
	pseudo_printf(buf, size, &len,
		      "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
		      "PPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n"
		      "FDSize:\t%d\nGroups:\t",
		      t->comm, t->umask, state_name(t), t->pid, t->pid,
		      task_ppid(t), c->uid, c->euid, c->suid, c->fsuid,
		      c->gid, c->egid, c->sgid, c->fsgid, fds);
	for (int i = 0; i < c->ngroups; i++)
		pseudo_printf(buf, size, &len, "%u ", c->groups[i]);
	pseudo_printf(buf, size, &len, "\n");
	if (mm)
		pseudo_printf(buf, size, &len,
			      "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n"
			      "VmPTE:\t%8lu kB\n",
			      vm * 4, vm * 4, rss * 4, rss * 4, mm->pt.nr_tables * 4);
	pseudo_printf(buf, size, &len,
		      "Threads:\t1\nSigQ:\t0/0\nSigPnd:\t0000000000000000\nShdPnd:\t%016lx\n"
		      "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n"
		      "CapInh:\t0000000000000000\nCapPrm:\t%s\nCapEff:\t%s\n"
		      "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
		      "Seccomp:\t0\nvoluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n",
		      (unsigned long)t->sig.pending, (unsigned long)t->sig.blocked,
		      (unsigned long)ign, (unsigned long)caught,
		      c->euid ? "0000000000000000" : "000001ffffffffff",
		      c->euid ? "0000000000000000" : "000001ffffffffff");
	if (mm)
		mm_drop(mm);
	task_put(t);
	return len;
}

static size_t show_comm(struct dentry *d, char *buf, size_t size)
{
	struct task *t = procfs_task_get(d);
	size_t len = 0;

	if (t) {
		pseudo_printf(buf, size, &len, "%s\n", t->comm);
		task_put(t);
	}
	return len;
}

static long store_comm(struct dentry *d, const char *buf, size_t len)
{
	struct task *t = procfs_task_get(d);
	char name[TASK_COMM_LEN];

	if (!t)
		return -ESRCH;
	len = MIN(len, sizeof(name) - 1);
	memcpy(name, buf, len);
	name[len] = '\0';
	if (len && name[len - 1] == '\n')
		name[len - 1] = '\0';
	task_set_comm(t, name);
	task_put(t);
	return 0;
}

/* Linux's table: a name, the soft and hard limits ("unlimited" or a number), a unit. */
static size_t show_limits(struct dentry *d, char *buf, size_t size)
{
	static const struct { const char *name, *unit; } rows[RLIM_NLIMITS] = {
		[RLIMIT_CPU] = { "Max cpu time", "seconds" },
		[RLIMIT_FSIZE] = { "Max file size", "bytes" },
		[RLIMIT_DATA] = { "Max data size", "bytes" },
		[RLIMIT_STACK] = { "Max stack size", "bytes" },
		[RLIMIT_CORE] = { "Max core file size", "bytes" },
		[RLIMIT_RSS] = { "Max resident set", "bytes" },
		[RLIMIT_NPROC] = { "Max processes", "processes" },
		[RLIMIT_NOFILE] = { "Max open files", "files" },
		[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
		[RLIMIT_AS] = { "Max address space", "bytes" },
		[RLIMIT_LOCKS] = { "Max file locks", "locks" },
		[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
		[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
		[RLIMIT_NICE] = { "Max nice priority", NULL },
		[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
		[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
	};
	struct task *t = procfs_task_get(d);
	size_t len = 0;

	if (!t)
		return 0;
	pseudo_printf(buf, size, &len, "%-25s %-20s %-20s %-10s\n",
		      "Limit", "Soft Limit", "Hard Limit", "Units");
	for (unsigned i = 0; i < RLIM_NLIMITS; i++) {
		struct rlimit64 r;
		char cur[24], max[24];

		rlimit_get(t, i, &r);
		ksnprintf(cur, sizeof(cur), "%lu", (unsigned long)r.rlim_cur);
		ksnprintf(max, sizeof(max), "%lu", (unsigned long)r.rlim_max);
		pseudo_printf(buf, size, &len, "%-25s %-20s %-20s ", rows[i].name,
			      r.rlim_cur == RLIM64_INFINITY ? "unlimited" : cur,
			      r.rlim_max == RLIM64_INFINITY ? "unlimited" : max);
		if (rows[i].unit)
			pseudo_printf(buf, size, &len, "%-10s\n", rows[i].unit);
		else
			pseudo_printf(buf, size, &len, "\n");
	}
	task_put(t);
	return len;
}

/* The process's OOM-killer weight (kevlar/oom.h), -1000..1000. */
static size_t show_oom_score_adj(struct dentry *d, char *buf, size_t size)
{
	struct task *t = procfs_task_get(d);
	size_t len = 0;

	if (t) {
		pseudo_printf(buf, size, &len, "%d\n", thread_leader(t)->oom.score_adj);
		task_put(t);
	}
	return len;
}

/*
 * As Linux: an integer (base 0, blanks around it allowed) in range, else
 * EINVAL; going below the lowest value root has set (0 at first) needs
 * root, whose write also sets that floor.
 */
static long store_oom_score_adj(struct dentry *d, const char *buf, size_t len)
{
	char text[24];
	const char *p = text;
	unsigned long mag;
	struct task *t, *leader;
	bool neg = false, root = cred_is_root(current_task());
	long v;

	while (len && (*buf == ' ' || *buf == '\t' || *buf == '\n'))
		buf++, len--;
	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t' || buf[len - 1] == '\n'))
		len--;
	if (!len || len >= sizeof(text))
		return -EINVAL;
	memcpy(text, buf, len);
	text[len] = '\0';
	if (*p == '-')
		neg = true, p++;
	if (kstrtoul(p, 0, &mag) || mag > 1000)
		return -EINVAL;
	v = neg ? -(long)mag : (long)mag;
	if (!(t = procfs_task_get(d)))
		return -ESRCH;
	leader = thread_leader(t);
	if (v < leader->oom.score_adj_min && !root) {
		task_put(t);
		return -EACCES;
	}
	leader->oom.score_adj = (short)v;
	if (root)
		leader->oom.score_adj_min = (short)v;
	task_put(t);
	return 0;
}

/* Start-end perms offset dev inode name; only anonymous areas are named. */
static size_t show_maps(struct dentry *d, char *buf, size_t size)
{
	struct mm *mm = procfs_mm_grab(d);
	struct vma *v;
	size_t len = 0;

	if (!mm)
		return 0;
	spin_lock(&mm->lock);
	list_for_each_entry(v, &mm->vmas, link) {
		const char *name = (v->flags & VMA_STACK) ? "[stack]" :
				   (v->flags & VMA_HEAP) ? "[heap]" : "";

		pseudo_printf(buf, size, &len, "%08lx-%08lx %c%c%c%c 00000000 00:00 0",
			      (unsigned long)v->start, (unsigned long)v->end,
			      (v->prot & MMU_READ) ? 'r' : '-', (v->prot & MMU_WRITE) ? 'w' : '-',
			      (v->prot & MMU_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p');
		pseudo_printf(buf, size, &len, "%s%s\n", *name ? "                          " : "",
			      name);
	}
	spin_unlock(&mm->lock);
	mm_drop(mm);
	return len;
}

/* show for d's task, with a reference held meanwhile; nothing once it is gone. */
static size_t show_for_task(struct dentry *d, char *buf, size_t size,
			    size_t (*show)(struct task *t, char *buf, size_t size))
{
	struct task *t = procfs_task_get(d);
	size_t len = 0;

	if (t) {
		len = show(t, buf, size);
		task_put(t);
	}
	return len;
}

static size_t show_mounts(struct dentry *d, char *buf, size_t size)
{
	return show_for_task(d, buf, size, procfs_show_mounts);
}

static size_t show_mountinfo(struct dentry *d, char *buf, size_t size)
{
	return show_for_task(d, buf, size, procfs_show_mountinfo);
}

/* exe, cwd and root: the path from the reader's root, or ENOENT once gone. */
static long path_link(struct dentry *target, char *buf, size_t size)
{
	long len;

	if (!target)
		return -ENOENT;
	len = dentry_path(target, task_root(current_task()), buf, size);
	if (len < 0)
		return len;
	len--;          /* dentry_path counts the NUL */
	if (target->unlinked && (size_t)len + 10 < size) {
		memcpy(buf + len, " (deleted)", 10);
		len += 10;
	}
	return len;
}

/* mm->exe changes under fs_lock (exec, the mm's end), which we hold. */
static long exe_readlink(struct dentry *d, char *buf, size_t size)
{
	struct mm *mm = procfs_mm_grab(d);
	long len = path_link(mm ? mm->exe : NULL, buf, size);

	if (mm)
		mm_drop(mm);
	return len;
}

/* cwd and root change under fs_lock (chdir, chroot, exit), which we hold. */
static long dir_readlink(struct dentry *d, char *buf, size_t size, bool root)
{
	struct task *t = procfs_task_get(d);
	long len;

	if (!t)
		return -ENOENT;
	len = path_link(t->state != TASK_ZOMBIE ? (root ? task_root(t) : task_cwd(t)) : NULL,
			buf, size);
	task_put(t);
	return len;
}

static long cwd_readlink(struct dentry *d, char *buf, size_t size)
{
	return dir_readlink(d, buf, size, false);
}

static long root_readlink(struct dentry *d, char *buf, size_t size)
{
	return dir_readlink(d, buf, size, true);
}

static const struct inode_ops exe_iops = { .readlink = exe_readlink };
static const struct inode_ops cwd_iops = { .readlink = cwd_readlink };
static const struct inode_ops root_iops = { .readlink = root_readlink };

/*
 * fd/N: the open file of descriptor N (priv_id is pid << 32 | N). It
 * stays valid while we hold fs_lock: slots are cleared under it before
 * the file is put, and exit takes the table away under it.
 */
static struct file *fd_file(struct dentry *d)
{
	struct task *t = task_get_by_pid((int)(d->inode->priv_id >> 32));
	unsigned fd = (unsigned)(d->inode->priv_id & 0xffffffff);
	struct file *f = NULL;

	if (!t)
		return NULL;
	if (t->state != TASK_ZOMBIE && t->files && fd < t->files->size)
		f = t->files->fd[fd];
	task_put(t);
	return f;
}

static long fd_readlink(struct dentry *d, char *buf, size_t size)
{
	struct file *f = fd_file(d);
	const struct inode *ino;

	if (!f)
		return -ENOENT;
	if (f->dentry)
		return path_link(f->dentry, buf, size);
	ino = f->inode;
	if (!ino)
		return MIN((size_t)ksnprintf(buf, size, "/dev/console"), size);
	if (S_ISCHR(ino->mode) && device_find(ino->rdev_major, ino->rdev_minor))
		return MIN((size_t)ksnprintf(buf, size, "/dev/%s",
					     device_find(ino->rdev_major, ino->rdev_minor)->name), size);
	if (S_ISFIFO(ino->mode))
		return MIN((size_t)ksnprintf(buf, size, "pipe:[%lu]", (unsigned long)ino->ino), size);
	if (S_ISSOCK(ino->mode))
		return MIN((size_t)ksnprintf(buf, size, "socket:[%lu]", (unsigned long)ino->ino), size);
	return MIN((size_t)ksnprintf(buf, size, "anon_inode:[%lu]", (unsigned long)ino->ino), size);
}

static const struct inode_ops fd_link_iops = { .readlink = fd_readlink };

static size_t show_fdinfo(struct dentry *d, char *buf, size_t size)
{
	struct file *f = fd_file(d);
	size_t len = 0;

	if (f)
		pseudo_printf(buf, size, &len, "pos:\t%lu\nflags:\t0%o\nmnt_id:\t1\nino:\t%lu\n",
			      (unsigned long)f->pos, f->flags,
			      f->inode ? (unsigned long)f->inode->ino : 0UL);
	return len;
}

static const struct pseudo_file fdinfo_file = { .show = show_fdinfo };

/*
 * Make fd/ (links) or fdinfo/ (files) list exactly the open descriptors.
 * Entries that stay keep their readdir cookies, so a listing in several
 * getdents calls neither repeats nor skips one.
 */
static void fd_dir_refresh(struct dentry *dir, bool info)
{
	struct task *t = procfs_task_get(dir);
	bool alive = t && t->state != TASK_ZOMBIE && t->files;
	struct dentry *c, *tmp;
	char name[8];

	list_for_each_entry_safe(c, tmp, &dir->children, sibling) {
		unsigned fd = (unsigned)(c->inode->priv_id & 0xffffffff);

		if (!alive || fd >= t->files->size || !t->files->fd[fd])
			pseudo_remove(c);
	}
	if (!alive)
		goto out;
	for (unsigned fd = 0; fd < t->files->size; fd++) {
		long id = ((long)t->pid << 32) | fd;
		struct dentry *e;

		if (!t->files->fd[fd])
			continue;
		ksnprintf(name, sizeof(name), "%d", fd);
		if (tmpfs_child(dir, name, strlen(name)))
			continue;
		e = info ? pseudo_file(dir, name, 0444, &fdinfo_file, id) :
			   pseudo_link(dir, name, &fd_link_iops, id);
		if (e) {
			e->inode->uid = t->cred.euid;
			e->inode->gid = t->cred.egid;
			if (!info)
				e->inode->mode = S_IFLNK | 0700;
		}
	}
out:
	if (t)
		task_put(t);
}

static void fd_refresh(struct dentry *dir)
{
	fd_dir_refresh(dir, false);
}

static void fdinfo_refresh(struct dentry *dir)
{
	fd_dir_refresh(dir, true);
}

static const struct inode_ops fd_dir_iops = { .refresh = fd_refresh };
static const struct inode_ops fdinfo_dir_iops = { .refresh = fdinfo_refresh };

#define SHOW(name) static const struct pseudo_file name##_file = { .show = show_##name }
SHOW(cmdline);
SHOW(environ);
SHOW(stat);
SHOW(statm);
SHOW(status);
SHOW(maps);
SHOW(mounts);
SHOW(mountinfo);
static const struct pseudo_file comm_file = { .show = show_comm, .store = store_comm };
static const struct pseudo_file limits_file = { .show = show_limits };
static const struct pseudo_file oom_score_adj_file = {
	.show = show_oom_score_adj, .store = store_oom_score_adj,
};

/* task/: one directory per thread of the group whose leader's pid is priv_id. */
static void task_dir_refresh(struct dentry *dir)
{
	long tgid = dir->inode->priv_id;
	struct dentry *c, *tmp;
	struct task *t;
	char name[16];

	list_for_each_entry_safe(c, tmp, &dir->children, sibling) {
		t = task_get_by_pid(c->inode->priv_id);
		if (!t || task_tgid(t) != tgid)
			pseudo_remove(c);
		else
			procfs_pid_dir_owner(c, t);
		if (t)
			task_put(t);
	}
	for (t = task_next_get(NULL); t; t = task_next_get(t)) {
		if (t->pid <= 0 || task_tgid(t) != tgid)
			continue;
		ksnprintf(name, sizeof(name), "%d", t->pid);
		if (!tmpfs_child(dir, name, strlen(name)))
			procfs_pid_dir(dir, t, false);
	}
}

static const struct inode_ops task_dir_iops = { .refresh = task_dir_refresh };

/* dir and its entries belong to t's effective ids. */
static void set_owner(struct dentry *dir, struct task *t)
{
	struct dentry *c;

	dir->inode->uid = t->cred.euid;
	dir->inode->gid = t->cred.egid;
	list_for_each_entry(c, &dir->children, sibling) {
		c->inode->uid = t->cred.euid;
		c->inode->gid = t->cred.egid;
	}
}

struct dentry *procfs_pid_dir(struct dentry *parent, struct task *t, bool with_tasks)
{
	static const struct { const char *name; uint32_t mode; const struct pseudo_file *pf; } files[] = {
		{ "cmdline", 0444, &cmdline_file }, { "environ", 0400, &environ_file },
		{ "stat", 0444, &stat_file }, { "statm", 0444, &statm_file },
		{ "status", 0444, &status_file }, { "maps", 0444, &maps_file },
		{ "mounts", 0444, &mounts_file }, { "mountinfo", 0444, &mountinfo_file },
		{ "comm", 0644, &comm_file }, { "oom_score_adj", 0644, &oom_score_adj_file },
		{ "limits", 0444, &limits_file },
	};
	static const struct { const char *name; const struct inode_ops *iops; } links[] = {
		{ "exe", &exe_iops }, { "cwd", &cwd_iops }, { "root", &root_iops },
	};
	char name[16];
	struct dentry *dir;

	ksnprintf(name, sizeof(name), "%d", t->pid);
	if (!(dir = pseudo_dir(parent, name, 0555, NULL, t->pid)))
		return NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		pseudo_file(dir, files[i].name, files[i].mode, files[i].pf, t->pid);
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		pseudo_link(dir, links[i].name, links[i].iops, t->pid);
	pseudo_dir(dir, "fd", 0500, &fd_dir_iops, t->pid);
	pseudo_dir(dir, "fdinfo", 0500, &fdinfo_dir_iops, t->pid);
	if (with_tasks)
		pseudo_dir(dir, "task", 0555, &task_dir_iops, task_tgid(t));
	set_owner(dir, t);
	return dir;
}

/*
 * As on Linux, /proc/<pid> and what is in it belong to the task's
 * effective ids as they are now, not when the directory was made: after
 * su's setuid the shell may write its own oom_score_adj. Called on every
 * lookup in /proc (the refresh), so it does nothing while the owner is
 * unchanged.
 */
void procfs_pid_dir_owner(struct dentry *dir, struct task *t)
{
	if (dir->inode->uid != t->cred.euid || dir->inode->gid != t->cred.egid)
		set_owner(dir, t);
}
