/*
 * The page-table walker: every user page-table operation of every arch
 * (the entry format comes from <arch/pte.h>). Range operations recurse
 * through the levels and skip absent tables, so unmapping, protecting
 * or copying a huge, sparsely used area costs what is mapped in it.
 *
 * Entries that are removed or downgraded may still sit in the TLB, and
 * on several CPUs another CPU may use them until its TLB is flushed: so
 * nothing an entry named (a page, a table) is released before the flush.
 * A small batch collects the changed addresses and the things to
 * release; it is flushed when full and when the operation ends.
 */
#include <kevlar/pgtable.h>
#include <kevlar/mmu.h>
#include <kevlar/page.h>
#include <uapi/errno.h>
#include <arch/pte.h>

#define ROOT_LEVEL          (PT_LEVELS - 1)
#define LEVEL_SHIFT(level)  (12 + 9 * (level))
/* The end of the part of the address space the root's user entries cover. */
#define USER_ROOT_END       ((vaddr_t)PT_USER_ROOT_ENTRIES << LEVEL_SHIFT(ROOT_LEVEL))
#define BATCH               16

/* Table pages of all address spaces (PageTables); changed atomically. */
static unsigned long tables_in_use;

unsigned long pgtable_pages_in_use(void)
{
	return __atomic_load_n(&tables_in_use, __ATOMIC_RELAXED);
}

static inline unsigned idx(vaddr_t va, int level)
{
	return (va >> LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}

static inline pte_t *table_at(pte_t e)
{
	return phys_to_virt(pte_addr(e));
}

static void *table_alloc(struct pgtable *pt)
{
	void *t = page_zalloc(0);

	if (t) {
		pt->nr_tables++;
		__atomic_fetch_add(&tables_in_use, 1, __ATOMIC_RELAXED);
	}
	return t;
}

static void table_free(struct pgtable *pt, void *t)
{
	pt->nr_tables--;
	__atomic_fetch_sub(&tables_in_use, 1, __ATOMIC_RELAXED);
	page_free(t, 0);
}

/* Entries changed, and what they named, waiting for the TLB flush. */
struct tlb_batch {
	struct pgtable *pt;
	unsigned nr_va;
	bool flush_all;             /* more than BATCH addresses, or a table went */
	vaddr_t va[BATCH];
	unsigned nr_release;
	paddr_t release[BATCH];     /* low bit set: a table page, else a page reference */
};

static void batch_flush(struct tlb_batch *b)
{
	if (b->flush_all)
		arch_tlb_flush_all(b->pt->root);
	else
		for (unsigned i = 0; i < b->nr_va; i++)
			arch_tlb_flush_page(b->pt->root, b->va[i]);
	for (unsigned i = 0; i < b->nr_release; i++) {
		paddr_t pa = b->release[i];

		if (pa & 1)
			table_free(b->pt, phys_to_virt(pa & ~(paddr_t)1));
		else
			page_ref_put(pa);
	}
	b->nr_va = b->nr_release = 0;
	b->flush_all = false;
}

/* va's entry changed: it must leave the TLB before the batch releases anything. */
static void batch_note(struct tlb_batch *b, vaddr_t va)
{
	if (b->nr_va < BATCH)
		b->va[b->nr_va++] = va;
	else
		b->flush_all = true;
}

/* Release pa (a page reference, or with low bit set a table) after the flush. */
static void batch_release(struct tlb_batch *b, paddr_t pa)
{
	if (b->nr_release == BATCH)
		batch_flush(b);
	b->release[b->nr_release++] = pa;
}

/* One range operation: what to do with each mapped leaf entry. */
struct range_op {
	void (*leaf)(struct range_op *op, pte_t *e, vaddr_t va);
	bool free_empty;            /* free the tables the operation empties */
	unsigned long cleared;      /* entries removed so far */
	int err;                    /* set by a leaf to stop the walk */
	struct tlb_batch batch;
	/* Per operation. */
	unsigned (*prot_of)(paddr_t pa, void *arg);
	void *arg;
	struct pgtable *dst;
	vaddr_t delta;              /* move: new - old */
	unsigned prot;
	bool write_protect_src;
	unsigned long count;
};

static bool table_is_empty(const pte_t *t)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

/* The last level: [start, end) lies inside this one table. */
static void walk_leaves(struct range_op *op, pte_t *table, vaddr_t start, vaddr_t end)
{
	pte_t *e = &table[idx(start, 0)];

	for (vaddr_t va = start; va < end && !op->err; va += PAGE_SIZE, e++)
		if (pte_is_mapped(*e))
			op->leaf(op, e, va);
}

static void walk_range(struct range_op *op, pte_t *table, int level, vaddr_t start, vaddr_t end)
{
	vaddr_t size = (vaddr_t)1 << LEVEL_SHIFT(level);

	if (level == 0) {
		walk_leaves(op, table, start, end);
		return;
	}
	for (vaddr_t va = start; va < end && !op->err;) {
		vaddr_t next = (va & ~(size - 1)) + size;
		pte_t *e = &table[idx(va, level)];

		if (next > end)
			next = end;
		if (pte_is_table(*e)) {
			pte_t *child = table_at(*e);
			unsigned long cleared = op->cleared;

			walk_range(op, child, level - 1, va, next);
			/*
			 * Look at the table again only if this walk emptied
			 * entries in it, or covered all of it (which also takes
			 * tables a failed allocation left empty).
			 */
			if (op->free_empty && (op->cleared != cleared || next - va == size) &&
			    table_is_empty(child)) {
				*e = 0;
				op->batch.flush_all = true;     /* walk caches may hold the table */
				batch_release(&op->batch, virt_to_phys(child) | 1);
			}
		}
		va = next;
	}
}

static void run(struct range_op *op, struct pgtable *pt, vaddr_t start, vaddr_t end)
{
	op->batch.pt = pt;
	if (end > USER_ROOT_END)
		end = USER_ROOT_END;
	if (start < end)
		walk_range(op, phys_to_virt(pt->root), ROOT_LEVEL, start, end);
	batch_flush(&op->batch);
}

/* The leaf entry for va; with create, missing tables are made (NULL: no memory). */
static pte_t *leaf_entry(struct pgtable *pt, vaddr_t va, bool create)
{
	pte_t *table = phys_to_virt(pt->root);

	for (int level = ROOT_LEVEL; level > 0; level--) {
		pte_t *e = &table[idx(va, level)];

		if (!pte_is_table(*e)) {
			void *next;

			if (!create || !(next = table_alloc(pt)))
				return NULL;
			pte_table_publish_barrier();
			*e = pte_make_table(virt_to_phys(next));
		}
		table = table_at(*e);
	}
	return &table[idx(va, 0)];
}

uint64_t *pgtable_kernel_entry(paddr_t root, vaddr_t va, int level)
{
	pte_t *table = phys_to_virt(root);

	for (int l = ROOT_LEVEL; l > level; l--) {
		pte_t *e = &table[idx(va, l)];

		if (!pte_is_table(*e)) {
			void *next = page_zalloc(0);

			if (!next)
				return NULL;
			pte_table_publish_barrier();
			*e = pte_make_table(virt_to_phys(next));
		}
		table = table_at(*e);
	}
	return &table[idx(va, level)];
}

static const pte_t *leaf_lookup(const struct pgtable *pt, vaddr_t va)
{
	const pte_t *table = phys_to_virt(pt->root);

	if (va >= USER_ROOT_END)
		return NULL;
	for (int level = ROOT_LEVEL; level > 0; level--) {
		pte_t e = table[idx(va, level)];

		if (!pte_is_table(e))
			return NULL;
		table = table_at(e);
	}
	return &table[idx(va, 0)];
}

int pgtable_create(struct pgtable *pt)
{
	void *root;
	int err;

	pt->nr_tables = 0;
	if (!(root = table_alloc(pt)))
		return -ENOMEM;
	pt->root = virt_to_phys(root);
	if ((err = arch_pgtable_root_init(pt))) {
		pgtable_destroy(pt);
		return err;
	}
	return 0;
}

static void leaf_unmap(struct range_op *op, pte_t *e, vaddr_t va)
{
	paddr_t pa = pte_addr(*e);

	*e = 0;
	op->cleared++;
	batch_note(&op->batch, va);
	batch_release(&op->batch, pa);
}

void pgtable_destroy(struct pgtable *pt)
{
	struct range_op op = { .leaf = leaf_unmap, .free_empty = true };

	run(&op, pt, 0, USER_ROOT_END);
	table_free(pt, phys_to_virt(pt->root));
	pt->root = 0;
}

void pgtable_unmap(struct pgtable *pt, vaddr_t start, vaddr_t end)
{
	struct range_op op = { .leaf = leaf_unmap, .free_empty = true };

	run(&op, pt, start, end);
}

int pgtable_map(struct pgtable *pt, vaddr_t va, paddr_t pa, unsigned prot)
{
	pte_t *e = leaf_entry(pt, va, true), old;

	if (!e)
		return -ENOMEM;
	if (prot & MMU_EXEC)
		arch_sync_icache(pa);
	old = *e;
	*e = pte_make_user(pa, prot);
	if (pte_is_mapped(old))
		arch_tlb_flush_page(pt->root, va);
	else
		pte_table_publish_barrier();
	return 0;
}

bool pgtable_query(const struct pgtable *pt, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	const pte_t *e = leaf_lookup(pt, va);

	if (!e || !pte_is_mapped(*e))
		return false;
	if (pa)
		*pa = pte_addr(*e);
	if (prot)
		*prot = pte_prot(*e);
	return true;
}

static void leaf_protect(struct range_op *op, pte_t *e, vaddr_t va)
{
	paddr_t pa = pte_addr(*e);
	unsigned prot = op->prot_of(pa, op->arg);
	pte_t new = pte_make_user(pa, prot);

	if (new == *e)
		return;
	if ((prot & MMU_EXEC) && !(pte_prot(*e) & MMU_EXEC))
		arch_sync_icache(pa);
	*e = new;
	batch_note(&op->batch, va);
}

void pgtable_protect(struct pgtable *pt, vaddr_t start, vaddr_t end,
		     unsigned (*prot_of)(paddr_t pa, void *arg), void *arg)
{
	struct range_op op = { .leaf = leaf_protect, .prot_of = prot_of, .arg = arg };

	run(&op, pt, start, end);
}

static void leaf_copy(struct range_op *op, pte_t *e, vaddr_t va)
{
	paddr_t pa = pte_addr(*e);
	pte_t *d = leaf_entry(op->dst, va, true);

	if (!d) {
		op->err = -ENOMEM;
		return;
	}
	if (op->write_protect_src && (pte_prot(*e) & MMU_WRITE)) {
		*e = pte_make_user(pa, pte_prot(*e) & ~MMU_WRITE);
		batch_note(&op->batch, va);
	}
	page_ref_get(pa);
	*d = pte_make_user(pa, op->prot);
}

int pgtable_copy(struct pgtable *dst, struct pgtable *src, vaddr_t start, vaddr_t end,
		 unsigned prot, bool write_protect_src)
{
	struct range_op op = { .leaf = leaf_copy, .dst = dst, .prot = prot,
			       .write_protect_src = write_protect_src };

	run(&op, src, start, end);
	pte_table_publish_barrier();
	return op.err;
}

static void leaf_move(struct range_op *op, pte_t *e, vaddr_t va)
{
	pte_t *d = leaf_entry(op->batch.pt, va + op->delta, true);

	if (!d) {
		op->err = -ENOMEM;
		return;
	}
	/* The new entry takes over the old one's page reference. */
	*d = *e;
	pte_table_publish_barrier();
	*e = 0;
	op->cleared++;
	batch_note(&op->batch, va);
}

int pgtable_move(struct pgtable *pt, vaddr_t old, vaddr_t new, size_t len)
{
	struct range_op op = { .leaf = leaf_move, .free_empty = true, .delta = new - old };

	if (new + len > USER_ROOT_END || new + len < new)
		return -EINVAL;
	run(&op, pt, old, old + len);
	return op.err;
}

static void leaf_count(struct range_op *op, pte_t *e, vaddr_t va)
{
	(void)e;
	(void)va;
	op->count++;
}

unsigned long pgtable_count(const struct pgtable *pt, vaddr_t start, vaddr_t end)
{
	struct range_op op = { .leaf = leaf_count };

	/* Nothing changes: the batch stays empty and its flush does nothing. */
	run(&op, (struct pgtable *)pt, start, end);
	return op.count;
}
