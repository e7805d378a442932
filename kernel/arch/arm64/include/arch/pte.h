#ifndef ARCH_ARM64_PTE_H
#define ARCH_ARM64_PTE_H

/*
 * arm64 page-table entries (4 KiB granule, 4 levels, 48-bit TTBR0) as
 * the generic walker (mm/pgtable.c) sees them. The whole TTBR0 table
 * is user space (the signal trampoline page lives at its top).
 *
 * PROT_NONE pages are invalid entries carrying the frame and a
 * software bit, so neither EL0 nor the kernel's user copies can reach
 * them, while the walker still sees a mapped page.
 */

#include <kevlar/types.h>
#include <kevlar/mmu.h>

typedef uint64_t pte_t;

#define PT_LEVELS               4
#define PT_ENTRIES              512
#define PT_USER_ROOT_ENTRIES    512

#define A64_PTE_VALID       (1UL << 0)
#define A64_PTE_TABLE       (1UL << 1)      /* table at levels 0-2, page at level 3 */
#define A64_PTE_ATTR_NORMAL (0UL << 2)      /* MAIR index 0 */
#define A64_PTE_ATTR_DEVICE (1UL << 2)      /* MAIR index 1 */
#define A64_PTE_AP_EL0      (1UL << 6)
#define A64_PTE_AP_RO       (1UL << 7)
#define A64_PTE_SH_INNER    (3UL << 8)
#define A64_PTE_AF          (1UL << 10)
#define A64_PTE_NG          (1UL << 11)
#define A64_PTE_PXN         (1UL << 53)
#define A64_PTE_UXN         (1UL << 54)
#define A64_PTE_PROTNONE    (1UL << 58)     /* software: mapped, no access (VALID clear) */
#define A64_PTE_ADDR        0x0000fffffffff000UL

static inline bool pte_is_mapped(pte_t e)
{
	return e & (A64_PTE_VALID | A64_PTE_PROTNONE);
}

static inline bool pte_is_table(pte_t e)
{
	return (e & (A64_PTE_VALID | A64_PTE_TABLE)) == (A64_PTE_VALID | A64_PTE_TABLE);
}

static inline paddr_t pte_addr(pte_t e)
{
	return e & A64_PTE_ADDR;
}

static inline pte_t pte_make_table(paddr_t table)
{
	return table | A64_PTE_VALID | A64_PTE_TABLE;
}

static inline pte_t pte_make_user(paddr_t pa, unsigned prot)
{
	pte_t e = pa | A64_PTE_VALID | A64_PTE_TABLE | A64_PTE_ATTR_NORMAL | A64_PTE_SH_INNER |
		  A64_PTE_AF | A64_PTE_NG | A64_PTE_AP_EL0 | A64_PTE_PXN;

	if (!(prot & (MMU_READ | MMU_WRITE | MMU_EXEC)))
		return pa | A64_PTE_PROTNONE;
	if (!(prot & MMU_WRITE))
		e |= A64_PTE_AP_RO;
	if (!(prot & MMU_EXEC))
		e |= A64_PTE_UXN;
	return e;
}

static inline unsigned pte_prot(pte_t e)
{
	if (!(e & A64_PTE_VALID))
		return 0;
	return MMU_READ | ((e & A64_PTE_AP_RO) ? 0 : MMU_WRITE) |
	       ((e & A64_PTE_UXN) ? 0 : MMU_EXEC);
}

/* A zeroed table must be visible to the table walker before an entry names it. */
static inline void pte_table_publish_barrier(void)
{
	__asm__ volatile("dsb ishst" : : : "memory");
}

#endif
