#ifndef FAKE_ARCH_PTE_H
#define FAKE_ARCH_PTE_H

/*
 * A made-up page-table entry format for the host test of mm/pgtable.c
 * (tests/unit/test_pgtable.c): the walker must work from these
 * functions alone. Addresses are whole 64-bit "physical" addresses of
 * host memory (virt_to_phys of a malloc'd page), flags in the low bits.
 */

#include <kevlar/types.h>
#include <kevlar/mmu.h>

typedef uint64_t pte_t;

#define PT_LEVELS               4
#define PT_ENTRIES              512
#define PT_USER_ROOT_ENTRIES    256

#define FAKE_VALID      (1UL << 0)
#define FAKE_TABLE      (1UL << 1)
#define FAKE_WRITE      (1UL << 2)
#define FAKE_EXEC       (1UL << 3)
#define FAKE_PROTNONE   (1UL << 4)
#define FAKE_USER       (1UL << 5)
#define FAKE_ADDR       (~0xfffUL)

extern unsigned fake_barriers;

static inline bool pte_is_mapped(pte_t e)
{
	return e & (FAKE_VALID | FAKE_PROTNONE);
}

static inline bool pte_is_table(pte_t e)
{
	return (e & (FAKE_VALID | FAKE_TABLE)) == (FAKE_VALID | FAKE_TABLE);
}

static inline paddr_t pte_addr(pte_t e)
{
	return e & FAKE_ADDR;
}

static inline pte_t pte_make_table(paddr_t table)
{
	return table | FAKE_VALID | FAKE_TABLE;
}

static inline pte_t pte_make_user(paddr_t pa, unsigned prot)
{
	if (!(prot & (MMU_READ | MMU_WRITE | MMU_EXEC)))
		return pa | FAKE_PROTNONE;
	return pa | FAKE_VALID | FAKE_USER | ((prot & MMU_WRITE) ? FAKE_WRITE : 0) |
	       ((prot & MMU_EXEC) ? FAKE_EXEC : 0);
}

static inline unsigned pte_prot(pte_t e)
{
	if (!(e & FAKE_VALID))
		return 0;
	return MMU_READ | ((e & FAKE_WRITE) ? MMU_WRITE : 0) | ((e & FAKE_EXEC) ? MMU_EXEC : 0);
}

static inline void pte_table_publish_barrier(void)
{
	fake_barriers++;
}

#endif
