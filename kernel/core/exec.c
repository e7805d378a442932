/*
 * exec of ELF executables, static or with an interpreter (PT_INTERP: the
 * dynamic linker, loaded next to the program; it finds the program through
 * AT_PHDR/AT_ENTRY and itself through AT_BASE). Everything that can fail happens before
 * the point of no return (building the new address space and its stack
 * off to the side), so a failed exec leaves the caller's program intact.
 * The initial stack follows the System V x86_64 / AArch64 ABI, which is
 * what Linux gives a new program:
 *
 *   sp -> argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs, AT_NULL
 *         ... then the strings and the 16 AT_RANDOM bytes near the top.
 */
#include <kevlar/arch.h>
#include <kevlar/elf.h>
#include <kevlar/elf_load.h>
#include <kevlar/exec.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/mm.h>
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/random.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include <kevlar/trace.h>
#include <uapi/errno.h>
#include <arch/elf_arch.h>

#define AUXV_MAX_PAIRS  24

/* Copy len bytes to user address va of mm through the direct map. */
static int write_to_mm(struct mm *mm, vaddr_t va, const void *src, size_t len)
{
	const char *s = src;

	while (len) {
		size_t off = va & (PAGE_SIZE - 1), chunk = MIN(len, PAGE_SIZE - off);
		paddr_t pa;

		if (!pgtable_query(&mm->pt, va - off, &pa, NULL))
			return -EFAULT;
		memcpy((char *)phys_to_virt(pa) + off, s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

struct stack_builder {
	char *buf;              /* kernel image of the top of the stack */
	size_t size;
	size_t used;            /* bytes from the top */
	vaddr_t top;
};

/* Push bytes at the top; returns their user address, 0 if full. */
static vaddr_t push_bytes(struct stack_builder *sb, const void *data, size_t len)
{
	if (len > sb->size - sb->used)
		return 0;
	sb->used += len;
	memcpy(sb->buf + sb->size - sb->used, data, len);
	return sb->top - sb->used;
}

static vaddr_t push_string(struct stack_builder *sb, const char *s)
{
	return push_bytes(sb, s, strlen(s) + 1);
}

/* Where the program headers are in memory: PT_PHDR, or inside a PT_LOAD. */
static vaddr_t phdr_address(const struct elf_info *info)
{
	for (unsigned i = 0; i < info->phnum; i++)
		if (info->phdrs[i].p_type == PT_PHDR)
			return info->phdrs[i].p_vaddr;
	for (unsigned i = 0; i < info->phnum; i++) {
		const Elf64_Phdr *ph = &info->phdrs[i];

		if (ph->p_type == PT_LOAD && ph->p_offset <= info->phoff &&
		    info->phoff < ph->p_offset + ph->p_filesz)
			return ph->p_vaddr + (info->phoff - ph->p_offset);
	}
	return 0;
}

/* What build_stack tells the new program about itself. */
struct exec_image {
	struct elf_info info;       /* the program's */
	uint64_t bias;              /* where the program is relative to its p_vaddr */
	uint64_t interp_base;       /* AT_BASE: the interpreter's load address, 0 if none */
	uint64_t entry;             /* the first instruction: the interpreter's if any */
};

static int build_stack(struct mm *mm, const struct exec_args *args, const char *path,
		       const struct exec_image *img, vaddr_t *sp_out)
{
	const struct elf_info *info = &img->info;
	const struct cred *cred = &current_task()->cred;
	uint64_t bias = img->bias;
	struct stack_builder sb = { .size = EXEC_MAX_STRINGS + PAGE_SIZE, .top = USER_STACK_TOP };
	uint64_t *vec = NULL, random[2];
	vaddr_t *argv_u = NULL, *envp_u = NULL, random_u, platform_u, execfn_u, sp;
	size_t nvec, i, k = 0;
	int err = -E2BIG;

	sb.buf = kmalloc(sb.size);
	argv_u = kmalloc((args->argc + args->envc + 2) * sizeof(vaddr_t));
	nvec = 1 + args->argc + 1 + args->envc + 1 + 2 * AUXV_MAX_PAIRS;
	vec = kmalloc(nvec * sizeof(uint64_t));
	if (!sb.buf || !argv_u || !vec) {
		err = -ENOMEM;
		goto out;
	}
	envp_u = argv_u + args->argc + 1;

	random_bytes(random, sizeof(random));
	if (!(execfn_u = push_string(&sb, path)) ||
	    !(platform_u = push_string(&sb, ARCH_ELF_PLATFORM)))
		goto out;
	sb.used = ALIGN_UP(sb.used, 16);
	if (!(random_u = push_bytes(&sb, random, sizeof(random))))
		goto out;
	for (i = args->envc; i-- > 0;)
		if (!(envp_u[i] = push_string(&sb, args->envp[i])))
			goto out;
	for (i = args->argc; i-- > 0;)
		if (!(argv_u[i] = push_string(&sb, args->argv[i])))
			goto out;

	vec[k++] = args->argc;
	for (i = 0; i < (size_t)args->argc; i++)
		vec[k++] = argv_u[i];
	vec[k++] = 0;
	for (i = 0; i < (size_t)args->envc; i++)
		vec[k++] = envp_u[i];
	vec[k++] = 0;
#define AUX(type, val) do { vec[k++] = (type); vec[k++] = (val); } while (0)
	AUX(AT_PHDR, phdr_address(info) + bias);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, info->phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, img->interp_base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, info->entry + bias);
	AUX(AT_UID, cred->uid);
	AUX(AT_EUID, cred->euid);
	AUX(AT_GID, cred->gid);
	AUX(AT_EGID, cred->egid);
	/* No set-id exec yet, so never a secure (set-id) start. */
	AUX(AT_SECURE, 0);
	AUX(AT_HWCAP, arch_elf_hwcap());
	AUX(AT_HWCAP2, 0);
	AUX(AT_MINSIGSTKSZ, ARCH_MINSIGSTKSZ);
	AUX(AT_CLKTCK, HZ);
	AUX(AT_RANDOM, random_u);
	AUX(AT_PLATFORM, platform_u);
	AUX(AT_EXECFN, execfn_u);
	AUX(AT_NULL, 0);
#undef AUX

	/* The vector goes right below the strings, with sp 16-byte aligned. */
	sp = ALIGN_DOWN(sb.top - sb.used - k * sizeof(uint64_t), 16);
	if (sb.top - sp > sb.size)
		goto out;
	sb.used = sb.top - sp;
	memcpy(sb.buf + sb.size - sb.used, vec, k * sizeof(uint64_t));

	/* The new mm is exec's alone; its lock is taken for the rules. */
	spin_lock(&mm->lock);
	if (!(err = mm_populate(mm, ALIGN_DOWN(sp, PAGE_SIZE), sb.top)))
		err = write_to_mm(mm, sp, sb.buf + sb.size - sb.used, sb.used);
	spin_unlock(&mm->lock);
	if (err)
		goto out;
	*sp_out = sp;
	/* /proc/<pid>/cmdline and environ read these strings back, as on Linux. */
	mm->arg_start = mm->arg_end = args->argc ? argv_u[0] : 0;
	if (args->argc)
		mm->arg_end = argv_u[args->argc - 1] + strlen(args->argv[args->argc - 1]) + 1;
	mm->env_start = mm->env_end = args->envc ? envp_u[0] : mm->arg_end;
	if (args->envc)
		mm->env_end = envp_u[args->envc - 1] + strlen(args->envp[args->envc - 1]) + 1;
out:
	kfree(vec);
	kfree(argv_u);
	kfree(sb.buf);
	return err;
}

/* Load the interpreter named by the program into mm; its base and entry. */
static int load_interp(struct mm *mm, struct inode *prog, struct exec_image *img)
{
	struct inode *file;
	struct elf_info info;
	void *hdr = NULL;
	char *path;
	vaddr_t base;
	int err;

	if ((err = elf_read_interp(prog, &img->info, &path)))
		return err;
	fs_lock();
	if (!(err = path_lookup(path, LOOKUP_FOLLOW, &file)))
		err = !S_ISREG(file->mode) ? -EACCES : mount_may_exec(file) ?: inode_permission(file, MAY_EXEC);
	if (!err)
		iget(file);
	fs_unlock();
	kfree(path);
	if (err)
		return err == -ENOENT ? -ENOENT : err;
	if ((err = elf_read_header(file, &hdr, &info, ARCH_ELF_MACHINE)))
		goto out;
	err = -ENOEXEC;
	if (info.has_interp)
		goto out;
	/* ET_DYN (ld.so is): the highest free hole below the mmap area, as Linux picks. */
	base = 0;
	if (info.type == ET_DYN) {
		err = -ENOMEM;
		spin_lock(&mm->lock);
		base = mm_find_free(mm, info.max_vaddr - info.min_vaddr);
		spin_unlock(&mm->lock);
		if (!base)
			goto out;
		base -= info.min_vaddr;
	}
	if ((err = elf_load_segments(mm, file, &info, base)))
		goto out;
	img->interp_base = base + info.min_vaddr;
	img->entry = info.entry + base;
	/* The next mmap goes below the interpreter. */
	mm->mmap_top = MIN(mm->mmap_top, ALIGN_DOWN(base + info.min_vaddr, PAGE_SIZE));
out:
	kfree(hdr);
	fs_lock();
	iput(file);
	fs_unlock();
	return err;
}

static int load_program(struct mm *mm, struct inode *file, struct exec_image *img)
{
	const struct elf_info *info = &img->info;
	int err;

	if ((err = elf_load_segments(mm, file, info, img->bias)))
		return err;
	mm->brk_start = mm->brk = ALIGN_UP(info->max_vaddr + img->bias, PAGE_SIZE);
	img->entry = info->entry + img->bias;
	if (info->has_interp && (err = load_interp(mm, file, img)))
		return err;
	spin_lock(&mm->lock);
	err = mm_add_vma(mm, USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP,
			 MMU_READ | MMU_WRITE | (info->exec_stack ? MMU_EXEC : 0),
			 VMA_ANON | VMA_STACK);
	spin_unlock(&mm->lock);
	return err;
}

/*
 * kevlar.trace=exec: one line per successful execve, numbered, with the
 * resolved path of what runs (a script's interpreter, symlinks followed).
 */
static void trace_exec(struct mm *mm, const struct exec_args *args)
{
	static unsigned long seq;       /* execs traced so far; under fs_lock */
	static char path[PATH_MAX];     /* under fs_lock */
	struct task *t = current_task();

	fs_lock();
	if (!mm->exe || dentry_path(mm->exe, NULL, path, sizeof(path)) < 0)
		strlcpy(path, "?", sizeof(path));
	printk(KERN_INFO "exec #%lu: pid %d ppid %d path %s argv", ++seq, t->pid,
	       t->parent ? t->parent->pid : 0, path);
	for (int i = 0; i < args->argc; i++)
		printk(KERN_CONT " \"%s\"", args->argv[i]);
	printk(KERN_CONT "\n");
	fs_unlock();
}

/*
 * Run the ELF file at path. name is what execve was given (a #! script's
 * path): the task's name and AT_EXECFN come from it, /proc/self/exe from
 * path (the interpreter of a script), as on Linux.
 */
static int exec_elf(const char *path, const char *name, const struct exec_args *args,
		    struct trap_frame *tf)
{
	struct task *t = current_task();
	struct inode *file;
	struct exec_image img = { 0 };
	struct mm *mm, *old;
	void *hdr = NULL;
	vaddr_t sp;
	const char *base;
	int err;

	fs_lock();
	if (!(err = path_lookup(path, LOOKUP_FOLLOW, &file)))
		err = !S_ISREG(file->mode) ? -EACCES : mount_may_exec(file) ?: inode_permission(file, MAY_EXEC);
	if (!err)
		iget(file);     /* the file may lose its name while we load it */
	fs_unlock();
	if (err)
		return err;
	if ((err = elf_read_header(file, &hdr, &img.info, ARCH_ELF_MACHINE)))
		goto out_file;
	/* Before building anything: the other threads may still be using memory. */
	if ((err = thread_exec_begin(t)))
		goto out_file;
	if (img.info.type == ET_DYN)
		img.bias = ARCH_ET_DYN_BASE;

	err = -ENOMEM;
	if (!(mm = mm_create()))
		goto out_file;
	if ((err = load_program(mm, file, &img)) ||
	    (err = build_stack(mm, args, name, &img, &sp))) {
		mm_put(mm);
		if (err == -EINVAL)
			err = -ENOEXEC;
		goto out_file;
	}

	/* Point of no return: the old program goes away. */
	fr_record(FR_EXEC, img.entry, args->argc, 0, 0);
	base = strrchr(name, '/');
	task_set_comm(t, base ? base + 1 : name);
	mm_set_exe(mm, path);
	if (trace_flags & TRACE_EXEC)
		trace_exec(mm, args);
	fd_close_on_exec(t->files);
	arch_irq_disable();
	old = t->mm;
	t->mm = mm;
	mmu_activate(mm->pt.root);
	arch_irq_enable();
	if (old)
		mm_put(old);
	signal_exec(t);
	kfree(hdr);
	fs_lock();
	iput(file);
	fs_unlock();
	if (!tf) {
		/* The kernel thread becoming init: Linux's initial umask. */
		uint64_t ns = clock_monotonic_ns();

		t->umask = 022;
		pr_info("Kevlar: first user instruction after %lu.%03lu ms\n",
			(unsigned long)(ns / 1000000), (unsigned long)(ns / 1000 % 1000));
		arch_enter_user(t, img.entry, sp);
	}
	arch_exec_regs(tf, img.entry, sp);
	return 0;
out_file:
	kfree(hdr);
	fs_lock();
	iput(file);
	fs_unlock();
	return err;
}

/*
 * A "#!interpreter [arg]" first line: *interp and *arg point into line
 * (arg NULL if none). Like Linux, the line is cut at BINPRM_BUF_SIZE and
 * everything after the interpreter's name is one argument.
 */
#define BINPRM_BUF_SIZE 256
static bool parse_shebang(char *line, size_t n, char **interp, char **arg)
{
	char *p, *end;

	if (n < 2 || line[0] != '#' || line[1] != '!')
		return false;
	line[n < BINPRM_BUF_SIZE ? n : BINPRM_BUF_SIZE - 1] = '\0';
	if ((end = strchr(line, '\n')))
		*end = '\0';
	end = line + strlen(line);
	while (end > line + 2 && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	for (p = line + 2; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p)
		return false;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			*arg = p;
	}
	return true;
}

/* The first bytes of the file at path (permission to execute it checked). */
static int read_head(const char *path, char *buf, size_t size, size_t *n)
{
	struct inode *file;
	int err;

	fs_lock();
	if (!(err = path_lookup(path, LOOKUP_FOLLOW, &file)))
		err = !S_ISREG(file->mode) ? -EACCES : mount_may_exec(file) ?: inode_permission(file, MAY_EXEC);
	if (!err) {
		ssize_t got = file_read_kernel(file, 0, buf, size);

		if (got < 0)
			err = got;
		else
			*n = got;
	}
	fs_unlock();
	return err;
}

#define SCRIPT_DEPTH_MAX 4      /* Linux allows a few levels of scripts running scripts */

int exec_program(const char *path, const struct exec_args *args, struct trap_frame *tf)
{
	struct exec_args cur = *args;
	char *lines[SCRIPT_DEPTH_MAX] = { 0 };
	char **argvs[SCRIPT_DEPTH_MAX] = { 0 };
	const char *file = path;
	int depth, err;

	for (depth = 0;; depth++) {
		char *interp, *arg;
		size_t n = 0;
		int k = 0;

		if (!(lines[depth] = kmalloc(BINPRM_BUF_SIZE))) {
			err = -ENOMEM;
			break;
		}
		if ((err = read_head(file, lines[depth], BINPRM_BUF_SIZE, &n)))
			break;
		if (!parse_shebang(lines[depth], n, &interp, &arg)) {
			err = exec_elf(file, path, &cur, tf);
			break;
		}
		if (depth + 1 >= SCRIPT_DEPTH_MAX) {
			err = -ELOOP;
			break;
		}
		/* argv becomes: interpreter [arg] script argv[1..]. */
		if (!(argvs[depth] = kmalloc((cur.argc + 3) * sizeof(char *)))) {
			err = -ENOMEM;
			break;
		}
		argvs[depth][k++] = interp;
		if (arg)
			argvs[depth][k++] = arg;
		argvs[depth][k++] = (char *)file;
		for (int i = 1; i < cur.argc; i++)
			argvs[depth][k++] = cur.argv[i];
		argvs[depth][k] = NULL;
		if (k > EXEC_MAX_ARGS) {
			err = -E2BIG;
			break;
		}
		cur.argv = argvs[depth];
		cur.argc = k;
		file = interp;
	}
	for (int i = 0; i < SCRIPT_DEPTH_MAX; i++) {
		kfree(lines[i]);
		kfree(argvs[i]);
	}
	return err;
}
