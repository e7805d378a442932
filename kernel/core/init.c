/*
 * The init task (pid 1). It starts as a kernel thread, unpacks the
 * initramfs, gives itself the console as fds 0-2 and execs the first
 * program, in Linux's order: rdinit= (default /init); then init=; then
 * /sbin/init, /etc/init, /bin/init, /bin/sh. With nothing runnable it is
 * a dead system: say what was tried and panic so the farm notices.
 */
#include <kevlar/bootinfo.h>
#include <kevlar/cpio.h>
#include <kevlar/exec.h>
#include <kevlar/fs.h>
#include <kevlar/init.h>
#include <kevlar/page.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/selftest.h>
#include <kevlar/string.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>

#define INIT_TRIED_MAX 512

static char tried[INIT_TRIED_MAX];

static void unpack_initrd(void)
{
	const void *archive = phys_to_virt(boot_info.initrd_start);
	int err;

	if (!boot_info.initrd_size) {
		pr_warn("initramfs: no initrd given, the root filesystem is empty\n");
		return;
	}
	err = initramfs_unpack(archive, boot_info.initrd_size);
	if (err == -EINVAL && !cpio_looks_valid(archive, boot_info.initrd_size))
		pr_err("initrd at %#lx (%lu bytes) is not a cpio newc archive; continuing without it\n",
		       (unsigned long)boot_info.initrd_start, (unsigned long)boot_info.initrd_size);
	else if (err)
		pr_err("initramfs: unpacking stopped with error %d; using what was unpacked\n", err);
}

static void open_console(void)
{
	struct task *t = current_task();
	struct file *con = console_open();

	t->files = fd_table_create();
	if (!t->files || !con)
		panic("boot: out of memory opening the console for init");
	/* Three descriptors, one open file, as Linux's init gets from /dev/console. */
	fd_install(t->files, con, 0, false);
	file_get(con);
	fd_install(t->files, con, 1, false);
	file_get(con);
	fd_install(t->files, con, 2, false);
}

static void try_init(const char *path)
{
	static char *argv[CMDLINE_MAX_ARGS + 2];
	static char *envp[CMDLINE_MAX_ARGS + 3];
	struct exec_args args = { .argv = argv, .envp = envp };
	int err;

	argv[args.argc++] = (char *)path;
	for (int i = 0; i < kernel_cmdline.argc_init; i++)
		argv[args.argc++] = kernel_cmdline.argv_init[i];
	argv[args.argc] = NULL;
	envp[args.envc++] = "HOME=/";
	envp[args.envc++] = "TERM=linux";
	for (int i = 0; i < kernel_cmdline.envc_init; i++)
		envp[args.envc++] = kernel_cmdline.envp_init[i];
	envp[args.envc] = NULL;

	if (tried[0])
		strlcpy(tried + strlen(tried), ", ", sizeof(tried) - strlen(tried));
	strlcpy(tried + strlen(tried), path, sizeof(tried) - strlen(tried));
	pr_info("Run %s as init process\n", path);
	err = exec_program(path, &args, NULL);
	/* Only failures come back here. */
	pr_warn("Failed to execute %s (error %d)\n", path, err);
}

void kernel_init(void *unused)
{
	static const char *const fallbacks[] = { "/sbin/init", "/etc/init", "/bin/init", "/bin/sh" };

	(void)unused;
	vfs_init();
	unpack_initrd();
	open_console();
	selftests_run_late(boot_info.cmdline);

	try_init(kernel_cmdline.rdinit[0] ? kernel_cmdline.rdinit : "/init");
	if (kernel_cmdline.init[0])
		try_init(kernel_cmdline.init);
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++)
		try_init(fallbacks[i]);

	pr_emerg("Kevlar: no working init found (tried %s)\n", tried);
	panic("no init");
}
