#ifndef KEVLAR_PGTABLE_H
#define KEVLAR_PGTABLE_H

/*
 * User page tables, one walker for every arch (kernel/mm/pgtable.c).
 * The arch gives only the entry format (<arch/pte.h>), its TLB and
 * cache maintenance and the set-up of a fresh root (<kevlar/mmu.h>).
 *
 * Every operation works on a range and visits only the tables that
 * exist, so its cost follows the mapped pages, not the virtual size.
 * Tables a range operation leaves empty are freed. A mapped page holds
 * one page reference per entry (page_ref_get/put); the walker drops it
 * when it removes the entry, and only after the TLB no longer holds the
 * entry (freed tables likewise).
 *
 * Locking: the caller serialises operations on one pgtable (the mm's
 * lock); the walker takes none.
 */

#include <kevlar/types.h>

struct pgtable {
	paddr_t root;
	unsigned long nr_tables;    /* table pages, the root included (VmPTE) */
};

/* A fresh address space (arch parts set up): 0, or -ENOMEM. */
int pgtable_create(struct pgtable *pt);
/* Drop every mapping (one page reference each), every table, the root. */
void pgtable_destroy(struct pgtable *pt);

/* Map one page (replacing what was there; its reference is the caller's): 0 or -ENOMEM. */
int pgtable_map(struct pgtable *pt, vaddr_t va, paddr_t pa, unsigned prot);
/* Is va mapped? Its frame and MMU_* protection (0 for PROT_NONE) if so. */
bool pgtable_query(const struct pgtable *pt, vaddr_t va, paddr_t *pa, unsigned *prot);

/* Remove the mappings of [start, end), dropping their page references. */
void pgtable_unmap(struct pgtable *pt, vaddr_t start, vaddr_t end);
/* Give each mapped page of [start, end) the protection prot_of(pa, arg) returns. */
void pgtable_protect(struct pgtable *pt, vaddr_t start, vaddr_t end,
		     unsigned (*prot_of)(paddr_t pa, void *arg), void *arg);
/*
 * fork: map every mapped page of src's [start, end) into dst with prot
 * (one more reference each); with write_protect_src the source entries
 * lose MMU_WRITE too (copy-on-write). -ENOMEM leaves dst partly filled
 * (destroy it); src is consistent either way.
 */
int pgtable_copy(struct pgtable *dst, struct pgtable *src, vaddr_t start, vaddr_t end,
		 unsigned prot, bool write_protect_src);
/* mremap: move the entries of [old, old+len) to [new, new+len) (free, not overlapping). */
int pgtable_move(struct pgtable *pt, vaddr_t old, vaddr_t new, size_t len);
/* Mapped pages in [start, end) (VmRSS). */
unsigned long pgtable_count(const struct pgtable *pt, vaddr_t start, vaddr_t end);

/*
 * Boot, kernel half: the entry for va at level (0: a 4 KiB page, 1: a
 * 2 MiB block) under root, making tables on the way (not counted as
 * user tables); NULL when out of memory.
 */
uint64_t *pgtable_kernel_entry(paddr_t root, vaddr_t va, int level);

/* Table pages of every address space (/proc/meminfo PageTables). */
unsigned long pgtable_pages_in_use(void);

#endif
