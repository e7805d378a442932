/*
 * User address spaces: areas (VMAs) and demand paging. Areas are kept in a
 * sorted list, which is fine for the handful a static program has; a tree
 * can replace it when dynamic linking makes them numerous.
 */
#include <kevlar/mm.h>
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/rlimit.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

/* iput needs no lock: a last reference frees only the inode's own data. */
static void vma_free(struct vma *v)
{
	if (v->file)
		iput(v->file);
	kfree(v);
}

/* 1/32 of memory plus 1 MiB stays free for running processes (see mm_clone). */
#define FORK_RESERVE_PAGES(total)   ((total) / 32 + 256)

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	if (pgtable_create(&mm->pt)) {
		kfree(mm);
		return NULL;
	}
	spin_lock_init(&mm->lock, "mm->lock");
	list_init(&mm->vmas);
	mm->mmap_top = USER_MMAP_TOP;
	mm->users = 1;
	refcount_set(&mm->holds, 1);    /* the users' */
	wait_queue_init(&mm->users_wait);
	return mm;
}

void mm_get(struct mm *mm)
{
	unsigned long flags = arch_irq_save();

	mm->users++;
	arch_irq_restore(flags);
}

void mm_wait_users(struct mm *mm, int users)
{
	wait_event(&mm->users_wait, mm->users <= users);
}

void mm_put(struct mm *mm)
{
	unsigned long flags = arch_irq_save();
	bool last = --mm->users == 0;

	arch_irq_restore(flags);
	if (!last) {
		wake_up_all(&mm->users_wait);
		return;
	}
	mm_drop(mm);
}

void mm_grab(struct mm *mm)
{
	refcount_inc(&mm->holds);
}

struct mm *task_mm_grab(struct task *t)
{
	unsigned long flags = arch_irq_save();
	struct mm *mm = t->state == TASK_ZOMBIE ? NULL : t->mm;

	if (mm)
		mm_grab(mm);
	arch_irq_restore(flags);
	return mm;
}

void mm_drop(struct mm *mm)
{
	struct vma *v, *tmp;

	if (!refcount_dec_and_test(&mm->holds))
		return;
	/* Page-table references first: a file's last pages go with its last area. */
	pgtable_destroy(&mm->pt);
	list_for_each_entry_safe(v, tmp, &mm->vmas, link) {
		list_del(&v->link);
		vma_free(v);
	}
	mm_put_exe(mm);
	kfree(mm);
}

struct vma *mm_find_vma(struct mm *mm, vaddr_t addr)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link) {
		if (addr < v->start)
			return NULL;
		if (addr < v->end)
			return v;
	}
	return NULL;
}

bool mm_range_is_free(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link)
		if (v->start < end && start < v->end)
			return false;
	return true;
}

unsigned long mm_pages_in(struct mm *mm, vaddr_t start, vaddr_t end)
{
	unsigned long pages = 0;
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link)
		if (v->start < end && start < v->end)
			pages += (MIN(v->end, end) - MAX(v->start, start)) / PAGE_SIZE;
	return pages;
}

bool mm_may_expand(struct mm *mm, unsigned long npages)
{
	struct rlimit64 as;

	rlimit_get(current_task(), RLIMIT_AS, &as);
	if (as.rlim_cur == RLIM64_INFINITY)
		return true;
	return mm_pages_in(mm, 0, USER_SPACE_END) + npages <= as.rlim_cur / PAGE_SIZE;
}

bool mm_range_is_mapped(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;
	vaddr_t covered = start;

	list_for_each_entry(v, &mm->vmas, link) {
		if (v->end <= covered || v->start >= end)
			continue;
		if (v->start > covered)
			return false;
		covered = v->end;
	}
	return covered >= end;
}

uint64_t mm_write_charge(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;
	uint64_t pages = 0;

	list_for_each_entry(v, &mm->vmas, link)
		if (v->start < end && start < v->end && !(v->prot & MMU_WRITE) &&
		    !(v->flags & (VMA_SHARED | VMA_NORESERVE)))
			pages += (MIN(end, v->end) - MAX(start, v->start)) / PAGE_SIZE;
	return pages;
}

int mm_add_vma(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags)
{
	return mm_add_file_vma(mm, start, end, prot, flags, NULL, 0);
}

int mm_add_file_vma(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags,
		    struct inode *file, uint64_t pgoff)
{
	struct vma *v, *pos;

	if (start >= end || !IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE) ||
	    end > USER_SPACE_END || !mm_range_is_free(mm, start, end))
		return -EINVAL;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->pgoff = pgoff;
	if ((v->file = file))
		iget(file);
	list_for_each_entry(pos, &mm->vmas, link)
		if (pos->start > start)
			break;
	/* Insert before pos (or at the tail when pos is the head). */
	list_add_tail(&v->link, &pos->link);
	return 0;
}

/* Split v at addr (strictly inside it); the new upper part follows v. */
static int split_vma(struct vma *v, vaddr_t addr)
{
	struct vma *upper = kzalloc(sizeof(*upper));

	if (!upper)
		return -ENOMEM;
	*upper = *v;
	upper->start = addr;
	if (upper->file) {
		upper->pgoff += (addr - v->start) / PAGE_SIZE;
		iget(upper->file);
	}
	v->end = addr;
	list_add(&upper->link, &v->link);
	return 0;
}

/* Make [start, end) consist of whole areas (where areas exist). */
static int split_at_edges(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v = mm_find_vma(mm, start);
	int err;

	if (v && v->start < start && (err = split_vma(v, start)))
		return err;
	v = mm_find_vma(mm, end - 1);
	if (v && v->end > end && (err = split_vma(v, end)))
		return err;
	return 0;
}

static void unmap_pages(struct mm *mm, vaddr_t start, vaddr_t end)
{
	pgtable_unmap(&mm->pt, start, end);
}

/* pgtable_protect's callback: the area's protection, less write while a page is shared. */
static unsigned area_page_prot(paddr_t pa, void *vma)
{
	return cow_pte_prot(vma, pa);
}

int mm_unmap_range(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v, *tmp;
	int err = split_at_edges(mm, start, end);

	if (err)
		return err;
	list_for_each_entry_safe(v, tmp, &mm->vmas, link) {
		if (v->start >= start && v->end <= end) {
			unmap_pages(mm, v->start, v->end);
			list_del(&v->link);
			vma_free(v);
		}
	}
	return 0;
}

int mm_protect_range(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot)
{
	struct vma *v;
	int err;

	/* Linux refuses (ENOMEM) when part of the range is not mapped. */
	if (!mm_range_is_mapped(mm, start, end))
		return -ENOMEM;
	/* Nothing changes when an area may not take the protection (EACCES). */
	list_for_each_entry(v, &mm->vmas, link)
		if (v->start < end && start < v->end &&
		    (((prot & MMU_WRITE) && (v->flags & VMA_NOWRITE)) ||
		     ((prot & MMU_EXEC) && (v->flags & VMA_NOEXEC))))
			return -EACCES;
	if ((err = split_at_edges(mm, start, end)))
		return err;
	list_for_each_entry(v, &mm->vmas, link) {
		if (v->start >= start && v->end <= end) {
			/*
			 * A shared file area made writable: unmap its pages, so
			 * the next write faults and the page cache marks them
			 * dirty (page_cache_mark_mapped). They stay in the cache.
			 */
			if (v->file && (v->flags & VMA_SHARED) && (prot & MMU_WRITE) &&
			    !(v->prot & MMU_WRITE))
				unmap_pages(mm, v->start, v->end);
			v->prot = prot;
			/* A page still shared with a fork stays read-only. */
			pgtable_protect(&mm->pt, v->start, v->end, area_page_prot, v);
		}
	}
	return 0;
}

void mm_zap_range(struct mm *mm, vaddr_t start, vaddr_t end)
{
	unmap_pages(mm, start, end);
}

/*
 * Top-down first fit below mmap_top, in one pass over the areas from the
 * highest down (the list is sorted): each area that reaches into the
 * candidate range moves the candidate below it.
 */
vaddr_t mm_find_free(struct mm *mm, size_t len)
{
	vaddr_t top = mm->mmap_top;
	struct vma *v;

	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return 0;
	list_for_each_entry_reverse(v, &mm->vmas, link) {
		if (top < USER_MIN_ADDR + len)
			return 0;
		if (v->start >= top)
			continue;               /* above the candidate */
		if (v->end <= top - len)
			break;                  /* [top - len, top) is free */
		top = v->start;
	}
	return top >= USER_MIN_ADDR + len ? top - len : 0;
}

static int map_zero_page(struct mm *mm, vaddr_t va, unsigned prot)
{
	void *page = page_zalloc(0);
	int err;

	if (!page)
		return -ENOMEM;
	err = pgtable_map(&mm->pt, va, virt_to_phys(page), prot);
	if (err)
		page_free(page, 0);
	return err;
}

/*
 * Map page va of file area v. A private area gets the file's page
 * read-only (copy-on-write), or its own copy right away for a write;
 * a shared one the page itself. Past the end of the file is -EFAULT
 * (Linux sends SIGBUS there); a page the file system cannot read is
 * read_page's error (-EIO: SIGBUS).
 *
 * The file's pages are under fs_lock, which comes before mm->lock: so
 * mm->lock is dropped while the page is found (the area's file held by
 * a reference, the page by another), then taken again. If the area
 * changed meanwhile, or another thread mapped the page, -EAGAIN: the
 * caller looks again.
 */
static int map_file_page(struct mm *mm, const struct vma *v, vaddr_t va, unsigned access)
{
	struct inode *file = v->file;
	uint64_t idx = v->pgoff + (va - v->start) / PAGE_SIZE;
	unsigned prot = v->prot, flags = v->flags;
	int err = -EFAULT;
	void *page = NULL, *copy;
	paddr_t pa = 0;

	iget(file);
	spin_unlock(&mm->lock);
	fs_lock();
	if (idx < ALIGN_UP(file->size, (uint64_t)PAGE_SIZE) / PAGE_SIZE &&
	    (page = file_page_get(file, idx, &err))) {
		pa = virt_to_phys(page);
		page_ref_get(pa);
		/* Writes through a shared mapping are not seen: dirty from now on (page_cache.h). */
		if ((flags & VMA_SHARED) && (prot & MMU_WRITE))
			page_cache_mark_mapped(file, idx);
	}
	fs_unlock();
	spin_lock(&mm->lock);
	if (!page)
		goto out;
	v = mm_find_vma(mm, va);
	if (!v || v->file != file || v->pgoff + (va - v->start) / PAGE_SIZE != idx ||
	    v->prot != prot || v->flags != flags || pgtable_query(&mm->pt, va, NULL, NULL)) {
		page_ref_put(pa);
		err = -EAGAIN;
		goto out;
	}
	if (!(flags & VMA_SHARED) && (access & MMU_WRITE)) {
		err = -ENOMEM;
		if ((copy = page_alloc(0))) {
			memcpy(copy, page, PAGE_SIZE);
			if ((err = pgtable_map(&mm->pt, va, virt_to_phys(copy), prot)))
				page_free(copy, 0);
		}
		page_ref_put(pa);
		goto out;
	}
	/* The reference taken above becomes the mapping's. */
	if ((err = pgtable_map(&mm->pt, va, pa, cow_pte_prot(v, pa))))
		page_ref_put(pa);
out:
	iput(file);
	return err;
}

int mm_populate(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;
	int err;

	for (vaddr_t va = start; va < end;) {
		if (pgtable_query(&mm->pt, va, NULL, NULL)) {
			va += PAGE_SIZE;
			continue;
		}
		v = mm_find_vma(mm, va);
		if (!v)
			return -EFAULT;
		if (v->file)
			err = map_file_page(mm, v, va, MMU_READ);
		else
			err = map_zero_page(mm, va, v->prot);
		if (err == -EAGAIN)
			continue;       /* the lock was dropped: look at va again */
		if (err)
			return err;
		va += PAGE_SIZE;
	}
	return 0;
}

void mm_usage(struct mm *mm, struct mm_usage *u)
{
	struct vma *v;

	*u = (struct mm_usage){ 0 };
	if (!mm)
		return;
	spin_lock(&mm->lock);
	list_for_each_entry(v, &mm->vmas, link) {
		unsigned long resident = pgtable_count(&mm->pt, v->start, v->end);

		u->size += (v->end - v->start) / PAGE_SIZE;
		if (v->file)
			u->file += resident;
		else if (v->flags & VMA_SHARED)
			u->shmem += resident;
		else
			u->anon += resident;
	}
	spin_unlock(&mm->lock);
}

int mm_move_range(struct mm *mm, vaddr_t old, vaddr_t new, size_t len)
{
	return pgtable_move(&mm->pt, old, new, len);
}

int mm_fault_locked(struct mm *mm, vaddr_t addr, unsigned access)
{
	vaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);

	for (;;) {
		struct vma *v = mm_find_vma(mm, addr);
		unsigned pte_prot;
		int err;

		if (!v)
			return -EFAULT;
		if (!(v->prot & access))
			return -EACCES;
		if (pgtable_query(&mm->pt, va, NULL, &pte_prot)) {
			/* Present: a write to a copy-on-write page, or a stale TLB entry. */
			if ((access & MMU_WRITE) && !(pte_prot & MMU_WRITE)) {
				err = cow_break(mm, v, va);
				return err == -ENOMEM ? -ENOMEM : err ? -EFAULT : 0;
			}
			return 0;
		}
		if (v->file) {
			err = map_file_page(mm, v, va, access);
			if (err == -EAGAIN)
				continue;       /* the area changed while the lock was dropped */
			return err == -EIO || err == -ENOMEM ? err : err ? -EFAULT : 0;
		}
		if (!(v->flags & VMA_ANON))
			return -EFAULT;
		/* No page: -ENOMEM, for the OOM killer (mm/fault.c). */
		err = map_zero_page(mm, va, v->prot);
		return err == -ENOMEM ? -ENOMEM : err ? -EFAULT : 0;
	}
}

int mm_handle_fault(struct mm *mm, vaddr_t addr, unsigned access)
{
	int err;

	spin_lock(&mm->lock);
	err = mm_fault_locked(mm, addr, access);
	spin_unlock(&mm->lock);
	return err;
}

/*
 * A copy of mm for fork, sharing every page copy-on-write. Only page
 * tables and areas are allocated; running out of memory for them is
 * -ENOMEM with nothing left behind (the parent's pages that were already
 * write-protected just take one harmless extra fault each).
 */
int mm_clone(struct mm *src, struct mm **out)
{
	struct mm *dst;
	struct vma *v;
	int err = -ENOMEM;

	/*
	 * Keep a reserve for the page faults of processes that already run
	 * (stacks, copy-on-write): without it a fork storm eats the last pages
	 * and then an innocent process, init included, dies on its next fault.
	 */
	if (page_nr_free() < FORK_RESERVE_PAGES(page_nr_total()))
		return -ENOMEM;
	if (!(dst = mm_create()))
		return -ENOMEM;
	mm_copy_exec_info(dst, src);    /* takes fs_lock: before mm->lock */
	spin_lock(&src->lock);
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	dst->mmap_top = src->mmap_top;
	list_for_each_entry(v, &src->vmas, link) {
		if ((err = mm_add_file_vma(dst, v->start, v->end, v->prot, v->flags, v->file, v->pgoff)) ||
		    (err = cow_share_area(src, dst, v)))
			goto fail;
	}
	spin_unlock(&src->lock);
	*out = dst;
	return 0;
fail:
	spin_unlock(&src->lock);
	mm_put(dst);
	return err;
}
