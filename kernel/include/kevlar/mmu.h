#ifndef KEVLAR_MMU_H
#define KEVLAR_MMU_H

/*
 * Page tables, arch-neutral view (implemented in arch/<arch>/paging.c).
 * An address space is named by the physical address of its root table.
 * Every root shares the kernel half; only user mappings (below
 * USER_SPACE_END) are created and removed through this interface.
 */

#include <kevlar/types.h>

/* Protection bits, the same values as PROT_READ/WRITE/EXEC. */
#define MMU_READ    0x1
#define MMU_WRITE   0x2
#define MMU_EXEC    0x4

/* Boot: build the kernel's final tables from the memory map and switch to them. */
void mmu_init(void);

/* A fresh root with the kernel half filled in, or 0 when out of memory. */
paddr_t mmu_create(void);
/* Drop every user mapping (one page reference each) and the tables themselves. */
void mmu_destroy(paddr_t root);
void mmu_activate(paddr_t root);
paddr_t mmu_kernel_root(void);

/* Map one user page; -ENOMEM if an intermediate table cannot be allocated. */
int mmu_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot);
/* Unmap one user page; returns its physical address, or 0 if none was mapped. */
paddr_t mmu_unmap(paddr_t root, vaddr_t va);
/* Change protection of a mapped page; false if none is mapped. */
bool mmu_protect(paddr_t root, vaddr_t va, unsigned prot);
/* Look up a user page: true (and its address and protection) if mapped. */
bool mmu_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot);

#endif
