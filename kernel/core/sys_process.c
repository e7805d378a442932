/* Process identity and lifetime syscalls. */
#include <kevlar/arch.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>
#include <uapi/reboot.h>
#include <uapi/resource.h>

/* exit and exit_group are in core/thread.c. */

long sys_getpid(void)
{
	return task_tgid(current_task());
}

long sys_gettid(void)
{
	return current_task()->pid;
}

long sys_getppid(void)
{
	/* Threads have no parent of their own: the group's is theirs. */
	struct task *t = thread_leader(current_task());

	return t->parent ? task_tgid(t->parent) : 0;
}


long sys_set_tid_address(uint64_t tidptr)
{
	struct task *t = current_task();

	t->clear_child_tid = tidptr;
	return t->pid;
}

/* Robust futex lists only matter when a thread dies holding a lock. */
long sys_set_robust_list(uint64_t head, size_t len)
{
	(void)head;
	(void)len;
	return 0;
}

long sys_sched_yield(void)
{
	schedule();
	return 0;
}

long sys_prctl(int option, unsigned long arg2)
{
	struct task *t = current_task();
	char name[TASK_COMM_LEN];

	switch (option) {
	case PR_SET_NAME:
		if (strncpy_from_user(name, (const char *)arg2, sizeof(name)) == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		task_set_comm(t, name);
		return 0;
	case PR_GET_NAME:
		return copy_to_user((void *)arg2, t->comm, sizeof(t->comm));
	default:
		return -EINVAL;
	}
}

/* getrlimit, setrlimit and prlimit64 are in core/sys_rlimit.c. */

long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd)
{
	/* Linux: CAP_SYS_BOOT before anything else; root stands for it here. */
	if (!cred_is_root(current_task()))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		pr_emerg("reboot: Power down\n");
		arch_poweroff();
	case LINUX_REBOOT_CMD_RESTART:
		/* QEMU runs with -no-reboot: power off is what the farm expects. */
		pr_emerg("reboot: Restarting system (powering off)\n");
		arch_poweroff();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}
