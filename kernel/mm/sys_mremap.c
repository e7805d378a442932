/*
 * mremap: shrink in place, grow in place when the pages above are free,
 * or (MREMAP_MAYMOVE) move the area's pages to a new range without
 * copying them. As on Linux, the old range must lie inside one area.
 */
#include <kevlar/mm.h>
#include <kevlar/overcommit.h>
#include <kevlar/page.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <uapi/errno.h>
#include <uapi/mman.h>

/* A new area at dst like v's part at src (same file offset for file areas). */
static int add_like(struct mm *mm, const struct vma *v, vaddr_t src, vaddr_t dst, size_t len)
{
	uint64_t pgoff = v->file ? v->pgoff + (src - v->start) / PAGE_SIZE : 0;

	return mm_add_file_vma(mm, dst, dst + len, v->prot, v->flags, v->file, pgoff);
}

static long move_area(struct mm *mm, struct vma *v, vaddr_t old, size_t old_len,
		      vaddr_t dst, size_t new_len)
{
	int err;

	if ((err = add_like(mm, v, old, dst, new_len)))
		return err;
	if ((err = mm_move_range(mm, old, dst, old_len))) {
		mm_move_range(mm, dst, old, old_len);
		mm_unmap_range(mm, dst, dst + new_len);
		return err;
	}
	mm_unmap_range(mm, old, old + old_len);
	return dst;
}

static long mremap_locked(struct mm *mm, unsigned long old, unsigned long old_len,
			  unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vma *v;
	vaddr_t dst;
	int err;

	if (!IS_ALIGNED(old, PAGE_SIZE) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)))
		return -EINVAL;    /* MREMAP_DONTUNMAP is not supported */
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	/* old_len 0 duplicates a shared mapping on Linux; not supported. */
	if (!new_len || !old_len || !user_range_ok_pages(old, old_len) || new_len > USER_SPACE_END)
		return -EINVAL;
	v = mm_find_vma(mm, old);
	if (!v || old + old_len > v->end)
		return -EFAULT;
	if (new_len > old_len && vma_commits_memory(v->flags, v->prot, v->file) &&
	    !vm_enough_memory((new_len - old_len) / PAGE_SIZE))
		return -ENOMEM;

	if (flags & MREMAP_FIXED) {
		if (!IS_ALIGNED(new_addr, PAGE_SIZE) || new_addr < USER_MIN_ADDR ||
		    !user_range_ok_pages(new_addr, new_len) ||
		    (new_addr < old + old_len && old < new_addr + new_len))
			return -EINVAL;
		if ((err = mm_unmap_range(mm, new_addr, new_addr + new_len)))
			return err;
		if (new_len > old_len && !mm_may_expand(mm, (new_len - old_len) / PAGE_SIZE))
			return -ENOMEM;
		if (new_len < old_len) {
			if ((err = mm_unmap_range(mm, old + new_len, old + old_len)))
				return err;
			old_len = new_len;
		}
		return move_area(mm, mm_find_vma(mm, old), old, old_len, new_addr, new_len);
	}
	if (new_len > old_len && !mm_may_expand(mm, (new_len - old_len) / PAGE_SIZE))
		return -ENOMEM;
	if (new_len <= old_len) {
		if (new_len < old_len && (err = mm_unmap_range(mm, old + new_len, old + old_len)))
			return err;
		return old;
	}
	/* Grow in place: the area must end here and the pages above be free. */
	if (v->end == old + old_len && user_range_ok_pages(old, new_len) &&
	    mm_range_is_free(mm, old + old_len, old + new_len)) {
		v->end = old + new_len;
		return old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	if (!(dst = mm_find_free(mm, new_len)))
		return -ENOMEM;
	return move_area(mm, v, old, old_len, dst, new_len);
}

long sys_mremap(unsigned long old, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	struct mm *mm = current_task()->mm;
	long ret;

	spin_lock(&mm->lock);
	ret = mremap_locked(mm, old, old_len, new_len, flags, new_addr);
	spin_unlock(&mm->lock);
	return ret;
}
