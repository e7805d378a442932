#ifndef KEVLAR_PAGE_H
#define KEVLAR_PAGE_H

/*
 * Physical pages (kernel/mm/page.c): the buddy allocator seen through the
 * direct map, so callers get kernel pointers. All physical memory is
 * mapped at DIRECT_MAP_BASE; the kernel image is also mapped at KERNEL_VMA.
 */

#include <kevlar/types.h>
#include <arch/layout.h>

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - DIRECT_MAP_BASE;
}

/* Boot: hand every usable, unreserved page of the memory map to the buddy. */
void page_init(void);

/* 2^order contiguous pages (refcount 1), or NULL when memory is exhausted. */
void *page_alloc(unsigned order);
void *page_zalloc(unsigned order);
void page_free(void *p, unsigned order);

/* Reference counts for shared pages (user memory); put frees at zero. */
void page_ref_get(paddr_t pa);
bool page_ref_put(paddr_t pa);
/* Current references to the page (copy-on-write asks "am I alone?"). */
unsigned page_ref_count(paddr_t pa);

uint64_t page_nr_free(void);
uint64_t page_nr_total(void);
/* Pages the kernel's allocator (kmalloc) holds. */
uint64_t page_nr_kmalloc(void);

#endif
