#ifndef KEVLAR_MM_H
#define KEVLAR_MM_H

/*
 * User address spaces (kernel/mm/vm.c, mmap.c): a page-table root plus a
 * sorted list of virtual memory areas. Pages of anonymous areas (heap,
 * stack, mmap) are allocated on first touch by the page-fault handler.
 */

#include <kevlar/types.h>
#include <kevlar/list.h>
#include <kevlar/mmu.h>
#include <arch/layout.h>

#define VMA_ANON        (1u << 0)   /* zero-filled on demand */
#define VMA_STACK       (1u << 1)
#define VMA_HEAP        (1u << 2)

#define USER_STACK_TOP      0x00007ffffffff000UL
#define USER_STACK_SIZE     (8UL << 20)         /* RLIMIT_STACK default */
#define USER_MMAP_TOP       0x00007f0000000000UL
#define USER_MIN_ADDR       0x10000UL           /* vm.mmap_min_addr */

struct vma {
	vaddr_t start, end;         /* page aligned, [start, end) */
	unsigned prot;              /* MMU_READ | MMU_WRITE | MMU_EXEC */
	unsigned flags;             /* VMA_* */
	struct list_head link;
};

struct mm {
	paddr_t root;
	struct list_head vmas;      /* sorted by address, non-overlapping */
	vaddr_t brk_start, brk;
	vaddr_t mmap_top;           /* next top-down search starts below this */
};

/* [addr, addr+len) lies inside user space (no wrap-around). */
static inline bool user_range_ok_pages(vaddr_t addr, size_t len)
{
	return addr < USER_SPACE_END && len <= USER_SPACE_END - addr;
}

struct mm *mm_create(void);
void mm_destroy(struct mm *mm);
/* A private copy for fork: 0 and *out, or -ENOMEM. */
int mm_clone(struct mm *src, struct mm **out);

struct vma *mm_find_vma(struct mm *mm, vaddr_t addr);
/* Add an area over [start, end) which must be free; -ENOMEM on failure. */
int mm_add_vma(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags);
/* Remove mappings and areas in [start, end), splitting areas at the edges. */
int mm_unmap_range(struct mm *mm, vaddr_t start, vaddr_t end);
int mm_protect_range(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot);
/* A free, page-aligned range of len bytes below mm->mmap_top, or 0. */
vaddr_t mm_find_free(struct mm *mm, size_t len);
/* Allocate and map every page of [start, end) now (zeroed). */
int mm_populate(struct mm *mm, vaddr_t start, vaddr_t end);

/* Resolve a fault at addr for access (MMU_READ/WRITE/EXEC): 0 or -EFAULT. */
int mm_handle_fault(struct mm *mm, vaddr_t addr, unsigned access);

#endif
