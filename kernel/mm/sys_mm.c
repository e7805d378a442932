/* brk, mmap (anonymous and files), munmap, mprotect, madvise, msync. */
#include <kevlar/fs.h>
#include <kevlar/mm.h>
#include <kevlar/mount.h>
#include <kevlar/oom.h>
#include <kevlar/overcommit.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/mman.h>

#define PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)

static unsigned mmu_prot(unsigned long prot)
{
	/* PROT_* and MMU_* share values; x86 cannot map write-only or exec-only. */
	return prot & PROT_MASK;
}

/* brk never fails with an error code: on failure it returns the old break. */
static long brk_locked(struct mm *mm, unsigned long addr)
{
	vaddr_t old_end, new_end;

	if (addr < mm->brk_start)
		return mm->brk;
	old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end > old_end) {
		if (!mm_may_expand(mm, (new_end - old_end) / PAGE_SIZE) ||
		    !vm_enough_memory((new_end - mm->brk_start) / PAGE_SIZE) ||
		    mm_add_vma(mm, old_end, new_end, MMU_READ | MMU_WRITE, VMA_ANON | VMA_HEAP))
			return mm->brk;
	} else if (new_end < old_end) {
		if (mm_unmap_range(mm, new_end, old_end))
			return mm->brk;
	}
	mm->brk = addr;
	return mm->brk;
}

long sys_brk(unsigned long addr)
{
	struct mm *mm = current_task()->mm;
	long ret;

	spin_lock(&mm->lock);
	ret = brk_locked(mm, addr);
	spin_unlock(&mm->lock);
	return ret;
}

static long map_locked(struct mm *mm, unsigned long addr, size_t len, unsigned long prot,
		       unsigned long flags, unsigned vflags, struct inode *file, unsigned long off,
		       bool *no_pages);

/* f: the file (with the caller's reference) for a file mapping, NULL if fd was bad. */
static long mmap_with(unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flags, struct file *f, unsigned long off)
{
	struct mm *mm = current_task()->mm;
	struct inode *file = NULL;
	unsigned vflags;
	bool shared;
	long ret;

	if (len == 0 || (prot & ~(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (len > USER_SPACE_END)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED &&
	    (flags & MAP_TYPE) != MAP_SHARED_VALIDATE)
		return -EINVAL;
	shared = (flags & MAP_TYPE) != MAP_PRIVATE;
	if (!(flags & MAP_ANONYMOUS)) {
		unsigned acc;

		if (!f)
			return -EBADF;
		if (!IS_ALIGNED(off, PAGE_SIZE))
			return -EINVAL;
		if (!f->inode || !file_is_regular(f))
			return -ENODEV;
		acc = f->flags & O_ACCMODE;
		/* Linux: a mapping needs read access; a shared writable one also write access. */
		if (acc == O_WRONLY || (shared && (prot & PROT_WRITE) && acc != O_RDWR))
			return -EACCES;
		if (off / PAGE_SIZE + len / PAGE_SIZE < off / PAGE_SIZE)
			return -EOVERFLOW;
		file = f->inode;
	}
	vflags = (file ? 0 : VMA_ANON) | (shared ? VMA_SHARED : 0) |
		 ((flags & MAP_NORESERVE) ? VMA_NORESERVE : 0);
	if (file && shared && (f->flags & O_ACCMODE) != O_RDWR)
		vflags |= VMA_NOWRITE;
	if (file && mount_may_exec(file)) {
		/* Linux: executable mappings of a noexec mount's files are EPERM. */
		if (prot & PROT_EXEC)
			return -EPERM;
		vflags |= VMA_NOEXEC;
	}
	if (vma_commits_memory(vflags, mmu_prot(prot), file) && !vm_enough_memory(len / PAGE_SIZE))
		return -ENOMEM;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
	    (!IS_ALIGNED(addr, PAGE_SIZE) || addr < USER_MIN_ADDR || !user_range_ok_pages(addr, len)))
		return -EINVAL;
	for (;;) {
		bool no_pages = false;

		spin_lock(&mm->lock);
		ret = map_locked(mm, addr, len, prot, flags, vflags, file, off, &no_pages);
		spin_unlock(&mm->lock);
		/*
		 * Shared anonymous memory is allocated here, not at the first
		 * touch as on Linux; out of pages, the OOM killer makes room as
		 * it would for that touch (a victim's pages come back, or the
		 * caller is the victim and dies on its way out).
		 */
		if (!no_pages || fatal_signal_pending(current_task()) || !oom_fault())
			return ret;
	}
}

/*
 * The address-space part of mmap, the arguments checked; under mm->lock.
 * vflags: the VMA_* flags. *no_pages: it failed for want of pages to
 * populate shared anonymous memory with (nothing is left mapped).
 */
static long map_locked(struct mm *mm, unsigned long addr, size_t len, unsigned long prot,
		       unsigned long flags, unsigned vflags, struct inode *file, unsigned long off,
		       bool *no_pages)
{
	bool shared = vflags & VMA_SHARED;
	vaddr_t start;
	int err;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		start = addr;
		/* What the new mapping replaces does not count twice (Linux's rule). */
		if (!mm_may_expand(mm, len / PAGE_SIZE - mm_pages_in(mm, start, start + len)))
			return -ENOMEM;
		if (flags & MAP_FIXED_NOREPLACE) {
			if (!mm_range_is_free(mm, start, start + len))
				return -EEXIST;
		} else if ((err = mm_unmap_range(mm, start, start + len))) {
			return err;
		}
	} else {
		if (!mm_may_expand(mm, len / PAGE_SIZE))
			return -ENOMEM;
		start = 0;
		/* A hint is honoured when that range is free, as Linux does. */
		if (addr && IS_ALIGNED(addr, PAGE_SIZE) && addr >= USER_MIN_ADDR &&
		    user_range_ok_pages(addr, len) && mm_range_is_free(mm, addr, addr + len))
			start = addr;
		if (!start && !(start = mm_find_free(mm, len)))
			return -ENOMEM;
	}
	if ((err = mm_add_file_vma(mm, start, start + len, mmu_prot(prot), vflags, file,
				   off / PAGE_SIZE)))
		return err;
	/*
	 * Shared anonymous memory is allocated now, so that a fork (which
	 * shares present pages) gives both sides the same pages (out of
	 * memory there is ENOMEM). Shared file pages live in the file, so
	 * they need no such care. MAP_POPULATE is a hint, as on Linux: a
	 * page it cannot bring in faults in later.
	 */
	if (shared && !file && (err = mm_populate(mm, start, start + len))) {
		mm_unmap_range(mm, start, start + len);
		*no_pages = err == -ENOMEM;
		return err;
	}
	if (flags & MAP_POPULATE)
		(void)mm_populate(mm, start, start + len);
	return start;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, int fd, unsigned long off)
{
	struct file *f = (flags & MAP_ANONYMOUS) ? NULL : fdget(fd);
	long ret = mmap_with(addr, len, prot, flags, f, off);

	fdput(f);
	return ret;
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	struct mm *mm = current_task()->mm;

	long ret;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || len == 0 ||
	    !user_range_ok_pages(addr, ALIGN_UP(len, PAGE_SIZE)))
		return -EINVAL;
	spin_lock(&mm->lock);
	ret = mm_unmap_range(mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
	spin_unlock(&mm->lock);
	return ret;
}

long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	struct mm *mm = current_task()->mm;
	long ret;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return 0;
	if (!user_range_ok_pages(addr, len))
		return -ENOMEM;
	spin_lock(&mm->lock);
	/* Making a reservation writable commits its memory now (Linux charges it here). */
	if ((prot & PROT_WRITE) && !vm_enough_memory(mm_write_charge(mm, addr, addr + len)))
		ret = -ENOMEM;
	else
		ret = mm_protect_range(mm, addr, addr + len, mmu_prot(prot));
	spin_unlock(&mm->lock);
	return ret;
}

/*
 * Advice is accepted and mostly ignored, as Linux may. MADV_DONTNEED and
 * MADV_FREE on private anonymous memory drop the pages: the next touch
 * reads zeros, which programs (allocators) rely on.
 */
static long madvise_locked(struct mm *mm, unsigned long addr, unsigned long len, int advice)
{
	vaddr_t end;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!user_range_ok_pages(addr, len))
		return -EINVAL;
	end = addr + len;
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTFORK: case MADV_DOFORK: case MADV_MERGEABLE: case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT:
		return 0;
	case MADV_DONTNEED:
	case MADV_FREE:
		for (vaddr_t va = addr; va < end; va += PAGE_SIZE) {
			struct vma *v = mm_find_vma(mm, va);

			if (!v)
				return -ENOMEM;
			if (v->flags & VMA_SHARED)
				continue;
			mm_zap_range(mm, va, MIN(end, v->end));
			va = MIN(end, v->end) - PAGE_SIZE;
		}
		return 0;
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return mm_populate(mm, addr, end) == 0 ? 0 : -ENOMEM;
	default:
		return -EINVAL;
	}
}

long sys_madvise(unsigned long addr, unsigned long len, int advice)
{
	struct mm *mm = current_task()->mm;
	long ret;

	spin_lock(&mm->lock);
	ret = madvise_locked(mm, addr, len, advice);
	spin_unlock(&mm->lock);
	return ret;
}

/*
 * The first shared file area from *va below end: its file (with a
 * reference) and the byte range of the file it maps there; *va moves past
 * it. NULL when there is none.
 */
static struct inode *next_shared_file(struct mm *mm, vaddr_t *va, vaddr_t end,
				      uint64_t *from, uint64_t *to)
{
	struct inode *file = NULL;
	struct vma *v;

	spin_lock(&mm->lock);
	list_for_each_entry(v, &mm->vmas, link) {
		vaddr_t s = MAX(*va, v->start), e = MIN(end, v->end);

		if (v->end <= *va || !v->file || !(v->flags & VMA_SHARED))
			continue;
		if (v->start >= end)
			break;
		file = v->file;
		iget(file);
		*from = (v->pgoff + (s - v->start) / PAGE_SIZE) * PAGE_SIZE;
		*to = *from + (e - s);
		*va = e;
		break;
	}
	spin_unlock(&mm->lock);
	return file;
}

/*
 * MS_SYNC writes the range's shared file pages back and reports a
 * writeback error as fsync does; MS_ASYNC does nothing (Linux's too:
 * dirty pages are written back anyway).
 */
long sys_msync(unsigned long addr, unsigned long len, int flags)
{
	struct mm *mm = current_task()->mm;
	struct inode *file;
	uint64_t from, to;
	vaddr_t va = addr;
	bool mapped;
	long err = 0, e;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!user_range_ok_pages(addr, len))
		return -ENOMEM;
	spin_lock(&mm->lock);
	mapped = mm_range_is_mapped(mm, addr, addr + len);
	spin_unlock(&mm->lock);
	if (!mapped)
		return -ENOMEM;
	if (!(flags & MS_SYNC))
		return 0;
	/* Files' pages are under fs_lock, taken before mm->lock: one area at a time. */
	while ((file = next_shared_file(mm, &va, addr + len, &from, &to))) {
		fs_lock();
		if ((e = page_cache_fsync(file, from, to)) && !err)
			err = e;
		iput(file);
		fs_unlock();
	}
	return err;
}
