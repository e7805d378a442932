/*
 * procfs: the one /proc instance. Its root holds the system-wide files
 * (formats as in proc(5), which BusyBox ps/top/free/uptime and OpenRC
 * parse) and one directory per process, kept in step with the task list
 * whenever /proc is looked in (refresh). Per-process files are in
 * procfs_pid.c, /proc/sys in procfs_sys.c.
 */
#include <kevlar/arch.h>
#include <kevlar/bootinfo.h>
#include <kevlar/format.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/pgtable.h>
#include <kevlar/sched.h>
#include <kevlar/socket.h>
#include <kevlar/string.h>
#include <kevlar/thread.h>
#include <kevlar/time.h>
#include <kevlar/uts.h>
#include <uapi/errno.h>
#include <uapi/magic.h>
#include "procfs_internal.h"

static struct superblock *proc_sb;

static bool pid_name(const char *name, long *pid)
{
	long v = 0;

	if (!*name)
		return false;
	for (; *name; name++) {
		if (*name < '0' || *name > '9')
			return false;
		v = v * 10 + (*name - '0');
	}
	*pid = v;
	return true;
}

/*
 * Drop directories of reaped processes, add those of new ones. As on
 * Linux, every task has a /proc/<pid>, but only group leaders are listed:
 * the other threads appear under /proc/<pid>/task/.
 */
static void proc_root_refresh(struct dentry *root)
{
	struct dentry *c, *tmp, *d;
	struct task *t;
	char name[16];
	long pid;

	list_for_each_entry_safe(c, tmp, &root->children, sibling) {
		if (!pid_name(c->name, &pid))
			continue;
		if ((t = task_get_by_pid(pid))) {
			procfs_pid_dir_owner(c, t);
			task_put(t);
		} else {
			pseudo_remove(c);
		}
	}
	for (t = task_next_get(NULL); t; t = task_next_get(t)) {
		if (t->pid <= 0)
			continue;
		ksnprintf(name, sizeof(name), "%d", t->pid);
		if (!tmpfs_child(root, name, strlen(name)) && (d = procfs_pid_dir(root, t, true)))
			d->unlisted = thread_leader(t) != t;
	}
}

static const struct inode_ops proc_root_iops = { .refresh = proc_root_refresh };

static long self_readlink(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return MIN((size_t)ksnprintf(buf, size, "%d", current_task()->pid), size);
}

static const struct inode_ops self_iops = { .readlink = self_readlink };

static size_t show_filesystems(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return fs_types_show(buf, size);
}

/* Kernel stacks in use: one per task that has not been reaped (the idle task runs on the boot stack). */
static uint64_t kernel_stack_kb(void)
{
	unsigned long flags = arch_irq_save();
	struct task *t;
	uint64_t n = 0;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->kstack)
			n++;
	arch_irq_restore(flags);
	return n * (KSTACK_SIZE / 1024);
}

/*
 * Everything free is "available": file pages are not reclaimed yet. Dirty
 * counts only pages that will be written somewhere (tmpfs's are not, as
 * Linux's shmem pages are not).
 */
static size_t show_meminfo(struct dentry *d, char *buf, size_t size)
{
	uint64_t total = page_nr_total() * (PAGE_SIZE / 1024);
	uint64_t free = page_nr_free() * (PAGE_SIZE / 1024);
	uint64_t slab = page_nr_kmalloc() * (PAGE_SIZE / 1024);
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len,
		      "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n"
		      "Buffers:               0 kB\nCached:                0 kB\nSwapCached:            0 kB\n"
		      "Active:                0 kB\nInactive:              0 kB\n"
		      "SwapTotal:             0 kB\nSwapFree:              0 kB\n"
		      "Dirty:          %8lu kB\nWriteback:      %8lu kB\nShmem:                 0 kB\n"
		      "Slab:           %8lu kB\nSReclaimable:          0 kB\nSUnreclaim:     %8lu kB\n"
		      "KernelStack:    %8lu kB\nPageTables:     %8lu kB\n",
		      (unsigned long)total, (unsigned long)free, (unsigned long)free,
		      (unsigned long)(page_cache_nr_dirty() * (PAGE_SIZE / 1024)),
		      (unsigned long)(page_cache_nr_writeback() * (PAGE_SIZE / 1024)),
		      (unsigned long)slab, (unsigned long)slab, (unsigned long)kernel_stack_kb(),
		      pgtable_pages_in_use() * (PAGE_SIZE / 1024));
	return len;
}

static size_t show_cpuinfo(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len,
		      "processor\t: 0\nvendor_id\t: Kevlar\nmodel name\t: %s\n"
		      "cpu MHz\t\t: 1000.000\ncpu cores\t: 1\nbogomips\t: 2000.00\n\n",
		      ARCH_UNAME_MACHINE);
	return len;
}

static size_t show_uptime(struct dentry *d, char *buf, size_t size)
{
	uint64_t cs = clock_monotonic_ns() / (NSEC_PER_SEC / 100);
	uint64_t user, system, idle;
	size_t len = 0;

	(void)d;
	/* The second number is idle time summed over CPUs (one here), in
	 * seconds; idle is in ticks of 1/HZ = 1/100 s. */
	cputime_cpu(&user, &system, &idle);
	pseudo_printf(buf, size, &len, "%lu.%02lu %lu.%02lu\n", (unsigned long)(cs / 100),
		      (unsigned long)(cs % 100), (unsigned long)(idle / HZ),
		      (unsigned long)(idle % HZ * 100 / HZ));
	return len;
}

static int count_tasks(int *running)
{
	unsigned long flags = arch_irq_save();     /* all_tasks */
	struct task *t;
	int n = 0;

	*running = 0;
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->pid <= 0)
			continue;
		n++;
		if (t->state == TASK_RUNNING)
			(*running)++;
	}
	arch_irq_restore(flags);
	return n;
}

static int last_pid(void)
{
	unsigned long flags = arch_irq_save();     /* all_tasks */
	struct task *t;
	int last = 0;

	list_for_each_entry(t, &all_tasks, all_link)
		last = MAX(last, t->pid);
	arch_irq_restore(flags);
	return last;
}

static size_t show_loadavg(struct dentry *d, char *buf, size_t size)
{
	int running, n = count_tasks(&running);
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len, "0.00 0.00 0.00 %d/%d %d\n", running, n, last_pid());
	return len;
}

/* CPU lines in USER_HZ ticks: user nice system idle iowait irq softirq
 * steal guest guest_nice. Only user, system and idle are told apart
 * (interrupt time counts as the interrupted task's). */
static size_t show_stat(struct dentry *d, char *buf, size_t size)
{
	uint64_t user, system, idle;
	int running, n = count_tasks(&running);
	size_t len = 0;
	/* btime: the wall-clock second of boot (ps adds start times to it). */
	unsigned long btime = (clock_realtime_ns() - clock_monotonic_ns()) / NSEC_PER_SEC;

	(void)d;
	cputime_cpu(&user, &system, &idle);
	for (int cpu = -1; cpu < 1; cpu++)     /* the total, then cpu0: the same on one CPU */
		pseudo_printf(buf, size, &len, cpu < 0 ? "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n"
							: "cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n",
			      (unsigned long)user, (unsigned long)system, (unsigned long)idle);
	pseudo_printf(buf, size, &len,
		      "intr 0\nctxt 0\nbtime %lu\nprocesses %d\nprocs_running %d\n"
		      "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		      btime, last_pid(), running);
	(void)n;
	return len;
}

static size_t show_version(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len, "%s version %s (kevlar@kevlar) (gcc) %s\n",
		      UTS_SYSNAME, UTS_RELEASE, UTS_VERSION);
	return len;
}

static size_t show_cmdline(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len, "%s\n", boot_info.cmdline);
	return len;
}

static size_t show_net_dev(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return inet_show_net_dev(buf, size);
}

#define SHOW(name) static const struct pseudo_file name##_file = { .show = show_##name }
SHOW(filesystems);
SHOW(meminfo);
SHOW(cpuinfo);
SHOW(uptime);
SHOW(loadavg);
SHOW(stat);
SHOW(version);
SHOW(cmdline);
SHOW(net_dev);

struct superblock *procfs_instance(void)
{
	struct dentry *root, *net;

	if (proc_sb)
		return proc_sb;
	if (!(proc_sb = sb_create_ops("proc", PROC_SUPER_MAGIC, 0555, &tmpfs_tree_super_ops)))
		return NULL;
	root = proc_sb->root;
	root->inode->iops = &proc_root_iops;
	pseudo_link(root, "self", &self_iops, 0);
	pseudo_static_link(root, "mounts", "self/mounts");
	pseudo_file(root, "filesystems", 0444, &filesystems_file, 0);
	pseudo_file(root, "meminfo", 0444, &meminfo_file, 0);
	pseudo_file(root, "cpuinfo", 0444, &cpuinfo_file, 0);
	pseudo_file(root, "uptime", 0444, &uptime_file, 0);
	pseudo_file(root, "loadavg", 0444, &loadavg_file, 0);
	pseudo_file(root, "stat", 0444, &stat_file, 0);
	pseudo_file(root, "version", 0444, &version_file, 0);
	pseudo_file(root, "cmdline", 0444, &cmdline_file, 0);
	procfs_sys_init(root);
	if ((net = pseudo_dir(root, "net", 0555, NULL, 0)))
		pseudo_file(net, "dev", 0444, &net_dev_file, 0);
	return proc_sb;
}
