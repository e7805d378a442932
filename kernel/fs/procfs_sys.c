/*
 * /proc/sys: the few sysctls a boot reads or writes. OpenRC's hostname
 * service writes kernel/hostname; glibc and libcap read cap_last_cap.
 */
#include <kevlar/dcache.h>
#include <kevlar/overcommit.h>
#include <kevlar/random.h>
#include <kevlar/format.h>
#include <kevlar/string.h>
#include <kevlar/uts.h>
#include <uapi/errno.h>
#include "procfs_internal.h"

#define PID_MAX         32768       /* Linux's default kernel.pid_max */
#define CAP_LAST_CAP    40          /* CAP_CHECKPOINT_RESTORE in Linux 6.1 */

static size_t show_name(const char *s, char *buf, size_t size)
{
	size_t len = 0;

	pseudo_printf(buf, size, &len, "%s\n", s);
	return len;
}

/* A trailing newline (echo name > hostname) is not part of the name. */
static long store_name(char *field, const char *buf, size_t len)
{
	if (len && buf[len - 1] == '\n')
		len--;
	return uts_set_name(field, buf, len);
}

static size_t show_hostname(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return show_name(uts_nodename, buf, size);
}

static long store_hostname(struct dentry *d, const char *buf, size_t len)
{
	(void)d;
	return store_name(uts_nodename, buf, len);
}

static size_t show_domainname(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return show_name(uts_domainname, buf, size);
}

static long store_domainname(struct dentry *d, const char *buf, size_t len)
{
	(void)d;
	return store_name(uts_domainname, buf, len);
}

static size_t show_osrelease(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return show_name(UTS_RELEASE, buf, size);
}

static size_t show_ostype(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	return show_name(UTS_SYSNAME, buf, size);
}

/* Fixed numbers: the value is the entry's id. */
static size_t show_number(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	pseudo_printf(buf, size, &len, "%ld\n", d->inode->priv_id);
	return len;
}

/* A random UUID per read, as kernel/random/uuid gives. */
static size_t show_uuid(struct dentry *d, char *buf, size_t size)
{
	uint8_t b[16];
	size_t len = 0;

	(void)d;
	random_bytes(b, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	for (int i = 0; i < 16; i++)
		pseudo_printf(buf, size, &len, "%02x%s", b[i],
			      i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
	pseudo_printf(buf, size, &len, "\n");
	return len;
}

static size_t show_overcommit(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len, "%d\n", vm_overcommit_mode());
	return len;
}

/* One decimal digit, optionally followed by a newline (echo 1 > overcommit_memory). */
static long store_overcommit(struct dentry *d, const char *buf, size_t len)
{
	int err;

	(void)d;
	if (len && buf[len - 1] == '\n')
		len--;
	if (len != 1 || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	err = vm_set_overcommit_mode(buf[0] - '0');
	return err ? err : (long)len;
}

/*
 * fs/dentry-state as Linux prints it: nr_dentry, nr_unused, age_limit,
 * want_pages, nr_negative, dummy. Kevlar keeps no unused or negative
 * dentries (a name is cached while it exists), so those are 0.
 */
static size_t show_dentry_state(struct dentry *d, char *buf, size_t size)
{
	uint64_t nr, buckets;
	size_t len = 0;

	(void)d;
	dcache_stats(&nr, &buckets);
	pseudo_printf(buf, size, &len, "%lu\t0\t45\t0\t0\t0\n", (unsigned long)nr);
	return len;
}

static const struct pseudo_file hostname_file = { show_hostname, store_hostname };
static const struct pseudo_file domainname_file = { show_domainname, store_domainname };
static const struct pseudo_file osrelease_file = { .show = show_osrelease };
static const struct pseudo_file ostype_file = { .show = show_ostype };
static const struct pseudo_file number_file = { .show = show_number };
static const struct pseudo_file uuid_file = { .show = show_uuid };
static const struct pseudo_file overcommit_file = { show_overcommit, store_overcommit };
static const struct pseudo_file dentry_state_file = { .show = show_dentry_state };

void procfs_sys_init(struct dentry *proc_root)
{
	struct dentry *sys = pseudo_dir(proc_root, "sys", 0555, NULL, 0);
	struct dentry *kernel = sys ? pseudo_dir(sys, "kernel", 0555, NULL, 0) : NULL;
	struct dentry *random = kernel ? pseudo_dir(kernel, "random", 0555, NULL, 0) : NULL;
	struct dentry *vm = sys ? pseudo_dir(sys, "vm", 0555, NULL, 0) : NULL;
	struct dentry *fs = sys ? pseudo_dir(sys, "fs", 0555, NULL, 0) : NULL;

	if (!kernel || !random || !vm || !fs)
		return;
	pseudo_file(fs, "dentry-state", 0444, &dentry_state_file, 0);
	pseudo_file(vm, "overcommit_memory", 0644, &overcommit_file, 0);
	pseudo_file(kernel, "hostname", 0644, &hostname_file, 0);
	pseudo_file(kernel, "domainname", 0644, &domainname_file, 0);
	pseudo_file(kernel, "osrelease", 0444, &osrelease_file, 0);
	pseudo_file(kernel, "ostype", 0444, &ostype_file, 0);
	pseudo_file(kernel, "pid_max", 0444, &number_file, PID_MAX);
	pseudo_file(kernel, "cap_last_cap", 0444, &number_file, CAP_LAST_CAP);
	pseudo_file(random, "poolsize", 0444, &number_file, 256);
	pseudo_file(random, "boot_id", 0444, &uuid_file, 0);
	pseudo_file(random, "uuid", 0444, &uuid_file, 0);
}
