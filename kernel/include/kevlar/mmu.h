#ifndef KEVLAR_MMU_H
#define KEVLAR_MMU_H

/*
 * What each arch's paging code (arch/<arch>/paging.c) provides: the
 * kernel's own tables, switching address spaces, TLB and cache
 * maintenance. User page tables themselves are built by the generic
 * walker (<kevlar/pgtable.h>) from the entry format in <arch/pte.h>.
 * An address space is named by the physical address of its root table.
 */

#include <kevlar/types.h>

/* Protection bits, the same values as PROT_READ/WRITE/EXEC. */
#define MMU_READ    0x1
#define MMU_WRITE   0x2
#define MMU_EXEC    0x4

struct pgtable;

/* Boot: build the kernel's final tables from the memory map and switch to them. */
void mmu_init(void);
void mmu_activate(paddr_t root);
/* The root kernel threads run on (no user mappings). */
paddr_t mmu_kernel_root(void);

/* A fresh user root: fill in what the arch shares or adds (kernel half, trampoline). */
int arch_pgtable_root_init(struct pgtable *pt);
/* Drop root's TLB entries for va / for all user addresses (only if root is live here). */
void arch_tlb_flush_page(paddr_t root, vaddr_t va);
void arch_tlb_flush_all(paddr_t root);
/* Before pa is mapped executable: make the kernel's writes to it visible to fetches. */
void arch_sync_icache(paddr_t pa);

#endif
