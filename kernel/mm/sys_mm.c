/* brk, mmap, munmap, mprotect for anonymous memory. */
#include <kevlar/mm.h>
#include <kevlar/sched.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

#define PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)

static unsigned mmu_prot(unsigned long prot)
{
	/* PROT_* and MMU_* share values; x86 cannot map write-only or exec-only. */
	return prot & PROT_MASK;
}

/* brk never fails with an error code: on failure it returns the old break. */
long sys_brk(unsigned long addr)
{
	struct mm *mm = current_task()->mm;
	vaddr_t old_end, new_end;

	if (addr < mm->brk_start)
		return mm->brk;
	old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end > old_end) {
		if (mm_add_vma(mm, old_end, new_end, MMU_READ | MMU_WRITE, VMA_ANON | VMA_HEAP))
			return mm->brk;
	} else if (new_end < old_end) {
		if (mm_unmap_range(mm, new_end, old_end))
			return mm->brk;
	}
	mm->brk = addr;
	return mm->brk;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, int fd, unsigned long off)
{
	struct mm *mm = current_task()->mm;
	vaddr_t start;
	int err;

	(void)fd;
	(void)off;
	if (len == 0 || (prot & ~(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if (len > USER_SPACE_END)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if ((flags & MAP_TYPE) != MAP_PRIVATE && (flags & MAP_TYPE) != MAP_SHARED)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;     /* file mappings need a page cache; not yet */

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!IS_ALIGNED(addr, PAGE_SIZE) || addr < USER_MIN_ADDR ||
		    !user_range_ok_pages(addr, len))
			return -EINVAL;
		start = addr;
		if (flags & MAP_FIXED_NOREPLACE) {
			for (vaddr_t a = start; a < start + len; a += PAGE_SIZE)
				if (mm_find_vma(mm, a))
					return -EEXIST;
		} else if ((err = mm_unmap_range(mm, start, start + len))) {
			return err;
		}
	} else {
		start = 0;
		/* A hint is honoured when that range is free, as Linux does. */
		if (addr && IS_ALIGNED(addr, PAGE_SIZE) && addr >= USER_MIN_ADDR &&
		    user_range_ok_pages(addr, len)) {
			start = addr;
			for (vaddr_t a = addr; a < addr + len; a += PAGE_SIZE)
				if (mm_find_vma(mm, a)) {
					start = 0;
					break;
				}
		}
		if (!start && !(start = mm_find_free(mm, len)))
			return -ENOMEM;
	}
	if ((err = mm_add_vma(mm, start, start + len, mmu_prot(prot), VMA_ANON)))
		return err;
	if ((flags & MAP_POPULATE) && (err = mm_populate(mm, start, start + len))) {
		mm_unmap_range(mm, start, start + len);
		return err;
	}
	return start;
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	struct mm *mm = current_task()->mm;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || len == 0 ||
	    !user_range_ok_pages(addr, ALIGN_UP(len, PAGE_SIZE)))
		return -EINVAL;
	return mm_unmap_range(mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
}

long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	struct mm *mm = current_task()->mm;

	if (!IS_ALIGNED(addr, PAGE_SIZE) || (prot & ~(PROT_MASK | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return 0;
	if (!user_range_ok_pages(addr, len))
		return -ENOMEM;
	return mm_protect_range(mm, addr, addr + len, mmu_prot(prot));
}
