/*
 * System information syscalls: uname and the host and domain names,
 * sysinfo, random numbers (the clocks and sleeping on them are in sys_time.c).
 */
#include <kevlar/arch.h>
#include <kevlar/cred.h>
#include <kevlar/fs.h>
#include <kevlar/page.h>
#include <kevlar/sched.h>
#include <kevlar/uts.h>
#include <kevlar/random.h>
#include <kevlar/string.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/random.h>
#include <uapi/time.h>
#include <uapi/sysinfo.h>

/* Linux's names before anyone sets them. */
char uts_nodename[UTS_FIELD_LEN] = "(none)";
char uts_domainname[UTS_FIELD_LEN] = "(none)";

long sys_uname(struct new_utsname *buf)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, sizeof(u.sysname));
	strlcpy(u.nodename, uts_nodename, sizeof(u.nodename));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	strlcpy(u.version, UTS_VERSION, sizeof(u.version));
	strlcpy(u.machine, ARCH_UNAME_MACHINE, sizeof(u.machine));
	strlcpy(u.domainname, uts_domainname, sizeof(u.domainname));
	return copy_to_user(buf, &u, sizeof(u));
}

int uts_set_name(char *field, const char *name, size_t len)
{
	if (len >= UTS_FIELD_LEN)
		return -EINVAL;
	memcpy(field, name, len);
	field[len] = '\0';
	return 0;
}

static long set_name_from_user(char *field, const char *uname, int len)
{
	char buf[UTS_FIELD_LEN];

	if (cred_fsuid() != 0 && current_task()->cred.euid != 0)
		return -EPERM;
	if (len < 0 || len >= UTS_FIELD_LEN)
		return -EINVAL;
	if (copy_from_user(buf, uname, len))
		return -EFAULT;
	return uts_set_name(field, buf, len);
}

long sys_sethostname(const char *name, int len)
{
	return set_name_from_user(uts_nodename, name, len);
}

long sys_setdomainname(const char *name, int len)
{
	return set_name_from_user(uts_domainname, name, len);
}

/* Load averages are fixed point with 16 fraction bits (SI_LOAD_SHIFT); we report 0. */
long sys_sysinfo(struct sysinfo_user *uinfo)
{
	struct sysinfo_user info;
	struct task *t;
	int procs = 0;

	memset(&info, 0, sizeof(info));
	info.uptime = clock_monotonic_ns() / NSEC_PER_SEC;
	info.totalram = page_nr_total();
	info.freeram = page_nr_free();
	info.mem_unit = PAGE_SIZE;
	preempt_disable();
	list_for_each_entry(t, &all_tasks, all_link)
		procs++;
	preempt_enable();
	info.procs = procs;
	return copy_to_user(uinfo, &info, sizeof(info));
}

long sys_getrandom(void *ubuf, size_t len, unsigned flags)
{
	uint8_t chunk[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));

		random_bytes(chunk, n);
		if (copy_to_user((char *)ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}
