/*
 * The generic page-table walker (kernel/mm/pgtable.c) over a fake entry
 * format (fake_arch/arch/pte.h): mapping, range unmap/protect/copy/move
 * and counting, tables freed when emptied and at destroy, page
 * references, TLB flushes before anything is released, and running out
 * of memory half-way. Page "frames" are host memory; ASan catches a
 * table used after it was freed, LeakSanitizer one never freed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kevlar/pgtable.h>
#include <kevlar/mmu.h>
#include <kevlar/page.h>
#include <uapi/errno.h>
#include <arch/pte.h>

#define GiB (1UL << 30)
#define MiB (1UL << 20)

/* --- what the walker calls: the page allocator, references, the arch --- */

unsigned fake_barriers;
static unsigned long tables_live;   /* page_zalloc'd and not freed */
static long allocs_left = -1;       /* >= 0: fail page_zalloc after that many */
static unsigned flush_pages, flush_alls, icache_syncs;
static bool root_init_fails;
/* The page tables a test uses: nothing they still reference may be released. */
static struct pgtable *tracked[2];

#define NR_FRAMES 64
static _Alignas(4096) char frames[NR_FRAMES][4096];
static int frame_refs[NR_FRAMES];

void *page_zalloc(unsigned order)
{
	void *p;

	assert_int_equal(order, 0);
	if (allocs_left == 0)
		return NULL;
	if (allocs_left > 0)
		allocs_left--;
	p = aligned_alloc(4096, 4096);
	memset(p, 0, 4096);
	tables_live++;
	return p;
}

static bool table_references(const pte_t *t, int level, paddr_t pa)
{
	for (int i = 0; i < PT_ENTRIES; i++) {
		if (!pte_is_mapped(t[i]))
			continue;
		if (pte_addr(t[i]) == pa)
			return true;
		if (level > 0 && table_references(phys_to_virt(pte_addr(t[i])), level - 1, pa))
			return true;
	}
	return false;
}

/*
 * A page or table about to be released is named by no entry of any
 * tracked table, and the TLB was told before (a root goes last, when
 * the address space is no longer in use: no flush is needed for it).
 */
static void assert_unreferenced(paddr_t pa)
{
	bool root = false;

	for (int i = 0; i < 2; i++) {
		if (!tracked[i] || !tracked[i]->root)
			continue;
		assert_false(table_references(phys_to_virt(tracked[i]->root), PT_LEVELS - 1, pa));
		root |= tracked[i]->root == pa;
	}
	if (!root)
		assert_true(flush_pages + flush_alls > 0);
}

void page_free(void *p, unsigned order)
{
	assert_int_equal(order, 0);
	assert_true(tables_live > 0);
	assert_unreferenced(virt_to_phys(p));
	tables_live--;
	free(p);
}

static int frame_of(paddr_t pa)
{
	char *p = phys_to_virt(pa);

	assert_true(p >= frames[0] && p < frames[NR_FRAMES]);
	return (p - frames[0]) / 4096;
}

static paddr_t frame_pa(int i)
{
	return virt_to_phys(frames[i]);
}

void page_ref_get(paddr_t pa)
{
	frame_refs[frame_of(pa)]++;
}

bool page_ref_put(paddr_t pa)
{
	int i = frame_of(pa);

	assert_true(frame_refs[i] > 0);
	if (frame_refs[i] == 1)
		assert_unreferenced(pa);
	return --frame_refs[i] == 0;
}

unsigned page_ref_count(paddr_t pa)
{
	return frame_refs[frame_of(pa)];
}

void arch_tlb_flush_page(paddr_t root, vaddr_t va)
{
	(void)root;
	(void)va;
	flush_pages++;
}

void arch_tlb_flush_all(paddr_t root)
{
	(void)root;
	flush_alls++;
}

void arch_sync_icache(paddr_t pa)
{
	(void)pa;
	icache_syncs++;
}

int arch_pgtable_root_init(struct pgtable *pt)
{
	(void)pt;
	return root_init_fails ? -ENOMEM : 0;
}

/* --- helpers --- */

static int reset(void **state)
{
	(void)state;
	memset(frame_refs, 0, sizeof(frame_refs));
	tables_live = 0;
	allocs_left = -1;
	flush_pages = flush_alls = icache_syncs = 0;
	root_init_fails = false;
	tracked[0] = tracked[1] = NULL;
	return 0;
}

static int all_released(void **state)
{
	(void)state;
	for (int i = 0; i < NR_FRAMES; i++)
		assert_int_equal(frame_refs[i], 0);
	assert_int_equal(tables_live, 0);
	assert_int_equal(pgtable_pages_in_use(), 0);
	return 0;
}

/* pgtable_create, and track the tables for assert_unreferenced. */
static void create(struct pgtable *pt)
{
	assert_int_equal(pgtable_create(pt), 0);
	tracked[tracked[0] ? 1 : 0] = pt;
}

/* Map frame i at va with the caller's reference. */
static void map(struct pgtable *pt, vaddr_t va, int i, unsigned prot)
{
	frame_refs[i]++;
	assert_int_equal(pgtable_map(pt, va, frame_pa(i), prot), 0);
}

/* Addresses far apart: each needs tables of its own at every level. */
static const vaddr_t sparse[] = {
	0x10000, 0x200000, 0x40000000, 0x7f0000000000 - 0x1000, 0x123456789000, 0x8000000000,
};
#define NR_SPARSE (sizeof(sparse) / sizeof(sparse[0]))

/* --- tests --- */

static void map_and_query(void **state)
{
	struct pgtable pt;
	paddr_t pa;
	unsigned prot;

	(void)state;
	create(&pt);
	assert_int_equal(pt.nr_tables, 1);
	map(&pt, 0x400000, 0, MMU_READ);
	map(&pt, 0x401000, 1, MMU_READ | MMU_WRITE);
	map(&pt, 0x402000, 2, MMU_READ | MMU_EXEC);
	map(&pt, 0x403000, 3, 0);
	/* One table per level below the root, shared by the four pages. */
	assert_int_equal(pt.nr_tables, 4);
	assert_int_equal(pgtable_pages_in_use(), 4);
	assert_int_equal(icache_syncs, 1);

	assert_true(pgtable_query(&pt, 0x401000, &pa, &prot));
	assert_true(pa == frame_pa(1));
	assert_int_equal(prot, MMU_READ | MMU_WRITE);
	assert_true(pgtable_query(&pt, 0x402000, NULL, &prot));
	assert_int_equal(prot, MMU_READ | MMU_EXEC);
	/* PROT_NONE: mapped (the frame is kept) with no access. */
	assert_true(pgtable_query(&pt, 0x403000, &pa, &prot));
	assert_true(pa == frame_pa(3));
	assert_int_equal(prot, 0);
	assert_false(pgtable_query(&pt, 0x404000, NULL, NULL));
	assert_false(pgtable_query(&pt, 0x7fff00000000, NULL, NULL));
	/* The kernel half is not the walker's. */
	assert_false(pgtable_query(&pt, 0xffff800000000000, NULL, NULL));
	assert_int_equal(pgtable_count(&pt, 0, 0x800000000000), 4);
	assert_int_equal(pgtable_count(&pt, 0x401000, 0x403000), 2);

	/* Replacing a mapped entry flushes it at once (the caller drops the old page). */
	flush_pages = 0;
	map(&pt, 0x400000, 4, MMU_READ);
	assert_int_equal(flush_pages, 1);
	frame_refs[0]--;

	pgtable_destroy(&pt);
}

static void unmap_frees_emptied_tables(void **state)
{
	struct pgtable pt;

	(void)state;
	create(&pt);
	for (unsigned i = 0; i < NR_SPARSE; i++)
		map(&pt, sparse[i], i, MMU_READ | MMU_WRITE);
	assert_true(pt.nr_tables > 2 * NR_SPARSE);
	assert_int_equal(pgtable_count(&pt, 0, 0x800000000000), NR_SPARSE);

	/* A hole that holds one page: the page goes, and the tables only it used. */
	unsigned long before = pt.nr_tables;
	pgtable_unmap(&pt, 0x123456789000 - 64 * GiB, 0x123456789000 + 64 * GiB);
	assert_int_equal(frame_refs[4], 0);
	assert_false(pgtable_query(&pt, 0x123456789000, NULL, NULL));
	assert_int_equal(pt.nr_tables, before - 3);
	assert_int_equal(pgtable_count(&pt, 0, 0x800000000000), NR_SPARSE - 1);

	/* Unmapping a range with nothing in it changes nothing. */
	before = pt.nr_tables;
	pgtable_unmap(&pt, 0x500000000000, 0x600000000000);
	assert_int_equal(pt.nr_tables, before);

	/* All of user space: back to the bare root. */
	pgtable_unmap(&pt, 0, 0x800000000000);
	assert_int_equal(pt.nr_tables, 1);
	assert_int_equal(tables_live, 1);
	for (unsigned i = 0; i < NR_SPARSE; i++)
		assert_int_equal(frame_refs[i], 0);
	pgtable_destroy(&pt);
}

static void unmap_of_part_of_a_table_keeps_it(void **state)
{
	struct pgtable pt;

	(void)state;
	create(&pt);
	for (int i = 0; i < 8; i++)
		map(&pt, 0x600000 + i * 0x1000, i, MMU_READ);
	pgtable_unmap(&pt, 0x600000, 0x604000);
	assert_int_equal(pt.nr_tables, 4);
	assert_int_equal(pgtable_count(&pt, 0x600000, 0x608000), 4);
	for (int i = 0; i < 8; i++)
		assert_int_equal(frame_refs[i], i < 4 ? 0 : 1);
	pgtable_destroy(&pt);
}

static void tlb_flushes_are_batched(void **state)
{
	struct pgtable pt;

	(void)state;
	create(&pt);
	for (int i = 0; i < 4; i++)
		map(&pt, 0x10000000 + i * 0x1000, i, MMU_READ);
	for (int i = 0; i < 40; i++)
		map(&pt, 0x20000000 + i * 0x1000, 4 + i, MMU_READ);
	map(&pt, 0x10100000, 44, MMU_READ);    /* keeps the first table in use */

	/* A few pages: flushed one by one, all before their release. */
	flush_pages = flush_alls = 0;
	pgtable_unmap(&pt, 0x10000000, 0x10004000);
	assert_int_equal(flush_pages, 4);

	/* Many pages: whole-TLB flushes instead, still before every release. */
	flush_pages = flush_alls = 0;
	pgtable_unmap(&pt, 0x20000000, 0x20000000 + 40 * 0x1000);
	assert_true(flush_alls >= 1);
	assert_true(flush_pages <= 2 * 16);
	for (int i = 0; i < 44; i++)
		assert_int_equal(frame_refs[i], 0);
	pgtable_destroy(&pt);
}

static unsigned prot_read_only(paddr_t pa, void *arg)
{
	(void)pa;
	return *(unsigned *)arg;
}

static void protect_range(void **state)
{
	struct pgtable pt;
	unsigned prot, want = MMU_READ | MMU_EXEC;

	(void)state;
	create(&pt);
	map(&pt, 0x1000000, 0, MMU_READ | MMU_WRITE);
	map(&pt, 0x1001000, 1, MMU_READ | MMU_WRITE);
	map(&pt, 0x3000000000, 2, MMU_READ | MMU_WRITE);
	icache_syncs = 0;
	pgtable_protect(&pt, 0x1000000, 0x3000001000, prot_read_only, &want);
	for (int i = 0; i < 3; i++) {
		vaddr_t va = i < 2 ? 0x1000000 + i * 0x1000 : 0x3000000000;

		assert_true(pgtable_query(&pt, va, NULL, &prot));
		assert_int_equal(prot, MMU_READ | MMU_EXEC);
	}
	/* Pages that become executable get their instruction cache synced. */
	assert_int_equal(icache_syncs, 3);
	/* PROT_NONE and back keeps the frame. */
	want = 0;
	pgtable_protect(&pt, 0x1000000, 0x1001000, prot_read_only, &want);
	assert_true(pgtable_query(&pt, 0x1000000, NULL, &prot));
	assert_int_equal(prot, 0);
	want = MMU_READ;
	pgtable_protect(&pt, 0x1000000, 0x1001000, prot_read_only, &want);
	assert_true(pgtable_query(&pt, 0x1000000, NULL, &prot));
	assert_int_equal(prot, MMU_READ);
	assert_int_equal(pt.nr_tables, 6);
	assert_int_equal(frame_refs[0], 1);
	pgtable_destroy(&pt);
}

static void copy_shares_pages_copy_on_write(void **state)
{
	struct pgtable src, dst;
	paddr_t pa;
	unsigned prot;

	(void)state;
	create(&src);
	create(&dst);
	for (unsigned i = 0; i < NR_SPARSE; i++)
		map(&src, sparse[i], i, MMU_READ | MMU_WRITE);
	assert_int_equal(pgtable_copy(&dst, &src, 0, 0x800000000000, MMU_READ, true), 0);
	for (unsigned i = 0; i < NR_SPARSE; i++) {
		assert_true(pgtable_query(&dst, sparse[i], &pa, &prot));
		assert_true(pa == frame_pa(i));
		assert_int_equal(prot, MMU_READ);
		assert_true(pgtable_query(&src, sparse[i], NULL, &prot));
		assert_int_equal(prot, MMU_READ);
		assert_int_equal(frame_refs[i], 2);
	}
	assert_int_equal(dst.nr_tables, src.nr_tables);
	pgtable_destroy(&src);
	for (unsigned i = 0; i < NR_SPARSE; i++)
		assert_int_equal(frame_refs[i], 1);
	pgtable_destroy(&dst);
}

static void copy_without_write_protect(void **state)
{
	struct pgtable src, dst;
	unsigned prot;

	(void)state;
	create(&src);
	create(&dst);
	map(&src, 0x5000, 0, MMU_READ | MMU_WRITE);
	assert_int_equal(pgtable_copy(&dst, &src, 0x5000, 0x6000, MMU_READ | MMU_WRITE, false), 0);
	assert_true(pgtable_query(&src, 0x5000, NULL, &prot));
	assert_int_equal(prot, MMU_READ | MMU_WRITE);
	assert_true(pgtable_query(&dst, 0x5000, NULL, &prot));
	assert_int_equal(prot, MMU_READ | MMU_WRITE);
	pgtable_destroy(&src);
	pgtable_destroy(&dst);
}

static void copy_out_of_memory(void **state)
{
	struct pgtable src, dst;

	(void)state;
	create(&src);
	create(&dst);
	for (unsigned i = 0; i < NR_SPARSE; i++)
		map(&src, sparse[i], i, MMU_READ | MMU_WRITE);
	allocs_left = 5;
	assert_int_equal(pgtable_copy(&dst, &src, 0, 0x800000000000, MMU_READ, true), -ENOMEM);
	allocs_left = -1;
	/* src still has all its pages; the partial copy goes away cleanly. */
	assert_int_equal(pgtable_count(&src, 0, 0x800000000000), NR_SPARSE);
	pgtable_destroy(&dst);
	for (unsigned i = 0; i < NR_SPARSE; i++)
		assert_int_equal(frame_refs[i], 1);
	pgtable_destroy(&src);
}

static void map_out_of_memory(void **state)
{
	struct pgtable pt;

	(void)state;
	create(&pt);
	allocs_left = 2;
	assert_int_equal(pgtable_map(&pt, 0x40000000, frame_pa(0), MMU_READ), -ENOMEM);
	allocs_left = -1;
	assert_false(pgtable_query(&pt, 0x40000000, NULL, NULL));
	pgtable_destroy(&pt);

	allocs_left = 0;
	assert_int_equal(pgtable_create(&pt), -ENOMEM);
	allocs_left = -1;
	root_init_fails = true;
	assert_int_equal(pgtable_create(&pt), -ENOMEM);
}

static void move_entries(void **state)
{
	struct pgtable pt;
	paddr_t pa;
	unsigned prot;

	(void)state;
	create(&pt);
	for (int i = 0; i < 8; i++)
		map(&pt, 0x40000000 + i * 0x1000, i, i == 3 ? 0 : MMU_READ | MMU_WRITE);
	assert_int_equal(pgtable_move(&pt, 0x40000000, 0x7000000000, 0x10000), 0);
	for (int i = 0; i < 8; i++) {
		assert_false(pgtable_query(&pt, 0x40000000 + i * 0x1000, NULL, NULL));
		assert_true(pgtable_query(&pt, 0x7000000000 + i * 0x1000, &pa, &prot));
		assert_true(pa == frame_pa(i));
		assert_int_equal(prot, i == 3 ? 0 : MMU_READ | MMU_WRITE);
		assert_int_equal(frame_refs[i], 1);
	}
	/* The old range's tables went with its entries. */
	assert_int_equal(pt.nr_tables, 4);
	assert_int_equal(pgtable_move(&pt, 0x7000000000, 0x7ffffffff000, 0x2000), -EINVAL);
	pgtable_destroy(&pt);
}

static void huge_sparse_ranges_cost_what_is_mapped(void **state)
{
	struct pgtable src, dst;
	unsigned prot = MMU_READ;

	(void)state;
	create(&src);
	create(&dst);
	/* Three pages in 64 TiB: every operation below would take hours page by page. */
	map(&src, 0x100000000000, 0, MMU_READ | MMU_WRITE);
	map(&src, 0x300000000000, 1, MMU_READ | MMU_WRITE);
	map(&src, 0x7ffffffff000, 2, MMU_READ | MMU_WRITE);
	assert_int_equal(pgtable_copy(&dst, &src, 0, 0x800000000000, MMU_READ, true), 0);
	pgtable_protect(&src, 0, 0x800000000000, prot_read_only, &prot);
	assert_int_equal(pgtable_count(&dst, 0, 0x800000000000), 3);
	pgtable_unmap(&dst, 0, 0x800000000000);
	assert_int_equal(dst.nr_tables, 1);
	pgtable_destroy(&src);
	pgtable_destroy(&dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(map_and_query, reset, all_released),
		cmocka_unit_test_setup_teardown(unmap_frees_emptied_tables, reset, all_released),
		cmocka_unit_test_setup_teardown(unmap_of_part_of_a_table_keeps_it, reset, all_released),
		cmocka_unit_test_setup_teardown(tlb_flushes_are_batched, reset, all_released),
		cmocka_unit_test_setup_teardown(protect_range, reset, all_released),
		cmocka_unit_test_setup_teardown(copy_shares_pages_copy_on_write, reset, all_released),
		cmocka_unit_test_setup_teardown(copy_without_write_protect, reset, all_released),
		cmocka_unit_test_setup_teardown(copy_out_of_memory, reset, all_released),
		cmocka_unit_test_setup_teardown(map_out_of_memory, reset, all_released),
		cmocka_unit_test_setup_teardown(move_entries, reset, all_released),
		cmocka_unit_test_setup_teardown(huge_sparse_ranges_cost_what_is_mapped, reset, all_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
