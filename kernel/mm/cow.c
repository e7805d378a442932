/*
 * Copy-on-write. fork maps every present page of a private area into the
 * child too, read-only in both, with one more reference on the page. The
 * first write by either side faults; if the page's reference count says
 * it is still shared, the writer gets a private copy, otherwise (the other
 * side already copied or exited) the page is simply made writable again.
 * Shared areas (MAP_SHARED) keep their pages writable on both sides.
 */
#include <kevlar/mm.h>
#include <kevlar/page.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

static bool is_private_writable(const struct vma *v)
{
	return (v->prot & MMU_WRITE) && !(v->flags & VMA_SHARED);
}

unsigned cow_pte_prot(const struct vma *v, paddr_t pa)
{
	if (is_private_writable(v) && page_ref_count(pa) > 1)
		return v->prot & ~MMU_WRITE;
	return v->prot;
}

int cow_share_area(struct mm *src, struct mm *dst, const struct vma *v)
{
	bool cow = is_private_writable(v);

	return pgtable_copy(&dst->pt, &src->pt, v->start, v->end,
			    cow ? v->prot & ~MMU_WRITE : v->prot, cow);
}

int cow_break(struct mm *mm, const struct vma *v, vaddr_t va)
{
	paddr_t pa;
	void *copy;
	int err;

	if (!pgtable_query(&mm->pt, va, &pa, NULL))
		return -EFAULT;
	if (page_ref_count(pa) == 1)
		return pgtable_map(&mm->pt, va, pa, v->prot);     /* same page, same reference */
	if (!(copy = page_alloc(0)))
		return -ENOMEM;
	memcpy(copy, phys_to_virt(pa), PAGE_SIZE);
	if ((err = pgtable_map(&mm->pt, va, virt_to_phys(copy), v->prot))) {
		page_free(copy, 0);
		return err;
	}
	page_ref_put(pa);
	return 0;
}

int mm_write_u32(struct mm *mm, vaddr_t va, uint32_t val)
{
	vaddr_t page = ALIGN_DOWN(va, PAGE_SIZE);
	paddr_t pa;
	unsigned prot;

	int err = -EFAULT;

	if ((va & 3) || va >= USER_SPACE_END)
		return -EFAULT;
	spin_lock(&mm->lock);
	/* Fault the page in (or copy it) exactly as a user write would. */
	if ((!pgtable_query(&mm->pt, page, &pa, &prot) || !(prot & MMU_WRITE)) &&
	    mm_fault_locked(mm, va, MMU_WRITE))
		goto out;
	if (!pgtable_query(&mm->pt, page, &pa, NULL))
		goto out;
	*(uint32_t *)phys_to_virt(pa + (va - page)) = val;
	err = 0;
out:
	spin_unlock(&mm->lock);
	return err;
}
