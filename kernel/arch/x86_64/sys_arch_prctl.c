/* arch_prctl(2): the x86_64 way to set the TLS base (%fs) of a thread. */
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/prctl.h>
#include <arch/cpu.h>

long sys_arch_prctl(int code, unsigned long addr)
{
	struct task *t = current_task();

	switch (code) {
	case ARCH_SET_FS:
		/* A non-canonical base would #GP when loaded; refuse it here. */
		if (addr >= USER_SPACE_END)
			return -EPERM;
		t->arch.fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(t->arch.fs_base, (uint64_t *)addr);
	default:
		return -EINVAL;
	}
}
