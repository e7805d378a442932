/*
 * Binary buddy allocator over page frame numbers.
 *
 * A block of order k is 2^k pages starting at a pfn that is a multiple of
 * 2^k (absolute pfn, so large blocks are physically aligned too). Its
 * buddy is the block at pfn ^ 2^k; when both are free they merge into one
 * block of order k+1. Only the first ("head") page of a block carries
 * state: PG_FREE + order while on a free list, PG_HEAD + order + refcount
 * while allocated. Other pages of a block have no flags.
 *
 * Misuse (double free, freeing a pfn that is not a block head, put on a
 * free page) is reported and ignored, so one bug does not corrupt the
 * free lists for everyone.
 */

#include <kevlar/buddy.h>
#include <kevlar/printk.h>
#include <uapi/errno.h>

static inline bool in_range(const struct buddy *b, uint64_t pfn)
{
	return pfn >= b->base_pfn && pfn - b->base_pfn < b->npages;
}

struct page *buddy_pfn_to_page(struct buddy *b, uint64_t pfn)
{
	return in_range(b, pfn) ? &b->pages[pfn - b->base_pfn] : NULL;
}

void buddy_init(struct buddy *b, struct page *pages, uint64_t base_pfn,
		uint64_t npages)
{
	b->pages = pages;
	b->base_pfn = base_pfn;
	b->npages = npages;
	b->nr_free = 0;
	for (unsigned k = 0; k <= MAX_ORDER; k++)
		list_init(&b->free_list[k]);
	for (uint64_t i = 0; i < npages; i++) {
		pages[i].refcount = 0;
		pages[i].order = 0;
		pages[i].flags = PG_RESERVED;
		list_init(&pages[i].link);
	}
}

/*
 * Put the block [pfn, pfn + 2^order) on the free lists, merging it with
 * its buddy as long as the buddy is a free block of the same order.
 * All pages of the block must already have flags 0.
 */
static void free_block(struct buddy *b, uint64_t pfn, unsigned order)
{
	struct page *head;

	b->nr_free += 1ULL << order;
	while (order < MAX_ORDER) {
		uint64_t buddy_pfn = pfn ^ (1ULL << order);
		struct page *bp = buddy_pfn_to_page(b, buddy_pfn);

		if (!bp || !(bp->flags & PG_FREE) || bp->order != order)
			break;
		list_del(&bp->link);
		bp->flags = 0;
		bp->order = 0;
		if (buddy_pfn < pfn)
			pfn = buddy_pfn;
		order++;
	}
	head = buddy_pfn_to_page(b, pfn);
	head->flags = PG_FREE;
	head->order = (uint8_t)order;
	head->refcount = 0;
	list_add(&head->link, &b->free_list[order]);
}

static bool all_reserved(struct buddy *b, uint64_t pfn, uint64_t count)
{
	for (uint64_t i = 0; i < count; i++) {
		if (!(buddy_pfn_to_page(b, pfn + i)->flags & PG_RESERVED))
			return false;
	}
	return true;
}

void buddy_release_range(struct buddy *b, uint64_t start_pfn, uint64_t end_pfn)
{
	uint64_t limit = b->base_pfn + b->npages;
	uint64_t pfn;

	if (start_pfn < b->base_pfn)
		start_pfn = b->base_pfn;
	if (end_pfn > limit)
		end_pfn = limit;

	for (pfn = start_pfn; pfn < end_pfn;) {
		unsigned order = 0;

		/*
		 * Firmware memory maps can overlap: a page that was already
		 * released (or allocated since) is simply left alone.
		 */
		if (!all_reserved(b, pfn, 1)) {
			pfn++;
			continue;
		}
		/* Grow to the largest aligned, fully reserved block that fits. */
		while (order < MAX_ORDER &&
		       (pfn & ((2ULL << order) - 1)) == 0 &&
		       (2ULL << order) <= end_pfn - pfn &&
		       all_reserved(b, pfn + (1ULL << order), 1ULL << order))
			order++;
		for (uint64_t i = 0; i < (1ULL << order); i++)
			buddy_pfn_to_page(b, pfn + i)->flags = 0;
		free_block(b, pfn, order);
		pfn += 1ULL << order;
	}
}

long buddy_alloc(struct buddy *b, unsigned order)
{
	struct page *head;
	unsigned k;
	uint64_t pfn;

	if (order > MAX_ORDER)
		return -ENOMEM;
	for (k = order; k <= MAX_ORDER; k++) {
		if (!list_empty(&b->free_list[k]))
			break;
	}
	if (k > MAX_ORDER)
		return -ENOMEM;

	head = list_first_entry(&b->free_list[k], struct page, link);
	list_del(&head->link);
	pfn = b->base_pfn + (uint64_t)(head - b->pages);

	/* Split, returning the upper halves to the free lists. */
	while (k > order) {
		struct page *upper;

		k--;
		upper = buddy_pfn_to_page(b, pfn + (1ULL << k));
		upper->flags = PG_FREE;
		upper->order = (uint8_t)k;
		list_add(&upper->link, &b->free_list[k]);
	}
	head->flags = PG_HEAD;
	head->order = (uint8_t)order;
	head->refcount = 1;
	b->nr_free -= 1ULL << order;
	return (long)pfn;
}

/* The head page of an allocated block, or NULL (after logging) if not. */
static struct page *allocated_head(struct buddy *b, uint64_t pfn, const char *op)
{
	struct page *p = buddy_pfn_to_page(b, pfn);

	if (!p || !(p->flags & PG_HEAD)) {
		pr_err("buddy: %s of pfn %#lx which is not an allocated block "
		       "(double free?)\n", op, (unsigned long)pfn);
		return NULL;
	}
	return p;
}

void buddy_free(struct buddy *b, uint64_t pfn, unsigned order)
{
	struct page *p = allocated_head(b, pfn, "free");

	if (!p)
		return;
	if (p->order != order) {
		pr_err("buddy: free of pfn %#lx with order %u, allocated with order %u\n",
		       (unsigned long)pfn, order, p->order);
		return;
	}
	p->flags = 0;
	p->refcount = 0;
	free_block(b, pfn, order);
}

void buddy_page_get(struct buddy *b, uint64_t pfn)
{
	struct page *p = allocated_head(b, pfn, "get");

	if (p && p->refcount != UINT32_MAX)
		p->refcount++;
}

bool buddy_page_put(struct buddy *b, uint64_t pfn)
{
	struct page *p = allocated_head(b, pfn, "put");

	if (!p)
		return false;
	if (p->refcount == 0) {
		pr_err("buddy: put of pfn %#lx with refcount 0\n", (unsigned long)pfn);
		return false;
	}
	if (--p->refcount > 0)
		return false;
	buddy_free(b, pfn, p->order);
	return true;
}

uint64_t buddy_nr_free(const struct buddy *b)
{
	return b->nr_free;
}
