#ifndef ARCH_X86_64_PTE_H
#define ARCH_X86_64_PTE_H

/*
 * x86_64 page-table entries as the generic walker (mm/pgtable.c) sees
 * them: 4 levels of 512 entries, user space in the first half of the
 * root (PML4 entries 0..255; the rest is the shared kernel half).
 *
 * A user page with no access at all (PROT_NONE) cannot be a present
 * entry (x86 has no "present but unreadable" user page), so it is kept
 * as a non-present entry carrying the frame and PTE_PROTNONE: the
 * hardware faults on it, the walker still sees a mapped page.
 */

#include <kevlar/types.h>
#include <kevlar/mmu.h>

typedef uint64_t pte_t;

#define PT_LEVELS               4
#define PT_ENTRIES              512
#define PT_USER_ROOT_ENTRIES    256

#define X86_PTE_P       (1UL << 0)
#define X86_PTE_W       (1UL << 1)
#define X86_PTE_U       (1UL << 2)
#define X86_PTE_PS      (1UL << 7)
#define X86_PTE_G       (1UL << 8)
#define X86_PTE_PROTNONE (1UL << 9)     /* software: mapped, no access (P clear) */
#define X86_PTE_NX      (1UL << 63)
#define X86_PTE_ADDR    0x000ffffffffff000UL

/* PTE_NX when the CPU has NX (set once at boot by paging.c), else 0. */
extern uint64_t x86_nx_bit;

static inline bool pte_is_mapped(pte_t e)
{
	return e & (X86_PTE_P | X86_PTE_PROTNONE);
}

static inline bool pte_is_table(pte_t e)
{
	return (e & X86_PTE_P) && !(e & X86_PTE_PS);
}

static inline paddr_t pte_addr(pte_t e)
{
	return e & X86_PTE_ADDR;
}

/* An entry pointing to a lower table (user permissions are decided by the leaf). */
static inline pte_t pte_make_table(paddr_t table)
{
	return table | X86_PTE_P | X86_PTE_W | X86_PTE_U;
}

static inline pte_t pte_make_user(paddr_t pa, unsigned prot)
{
	pte_t e = pa | X86_PTE_U;

	if (!(prot & (MMU_READ | MMU_WRITE | MMU_EXEC)))
		return pa | X86_PTE_PROTNONE;
	e |= X86_PTE_P;
	if (prot & MMU_WRITE)
		e |= X86_PTE_W;
	if (!(prot & MMU_EXEC))
		e |= x86_nx_bit;
	return e;
}

static inline unsigned pte_prot(pte_t e)
{
	if (!(e & X86_PTE_P))
		return 0;
	return MMU_READ | ((e & X86_PTE_W) ? MMU_WRITE : 0) |
	       ((x86_nx_bit && (e & x86_nx_bit)) ? 0 : MMU_EXEC);
}

/* Stores are ordered on x86: a zeroed table is visible before the entry naming it. */
static inline void pte_table_publish_barrier(void)
{
}

#endif
