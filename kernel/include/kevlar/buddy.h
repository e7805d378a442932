#ifndef KEVLAR_BUDDY_H
#define KEVLAR_BUDDY_H

/*
 * Binary buddy allocator over page frame numbers (kernel/mm/buddy.c).
 * It never touches the memory it manages, only the struct page array, so
 * it can be tested on the host; the arch code maps pfns to addresses.
 * Not locked: callers serialise (e.g. page_alloc holds its lock).
 */

#include <kevlar/types.h>
#include <kevlar/list.h>

#define MAX_ORDER       10      /* largest block: 2^10 pages = 4 MiB */

/* struct page flags */
#define PG_FREE         (1u << 0)   /* head of a block on a free list */
#define PG_RESERVED     (1u << 1)   /* not managed (firmware, kernel image) */
#define PG_HEAD         (1u << 2)   /* head of an allocated block */

struct page {
	uint32_t refcount;
	uint8_t order;           /* valid on PG_FREE and PG_HEAD pages */
	uint8_t flags;
	struct list_head link;   /* on a free list when PG_FREE */
};

struct buddy {
	struct page *pages;      /* npages entries, pages[i] is base_pfn + i */
	uint64_t base_pfn, npages;
	struct list_head free_list[MAX_ORDER + 1];
	uint64_t nr_free;        /* free pages (not blocks) */
};

/* Every page starts reserved; release usable RAM with buddy_release_range. */
void buddy_init(struct buddy *b, struct page *pages, uint64_t base_pfn,
		uint64_t npages);

/* Make [start_pfn, end_pfn) free; clipped to the managed range. */
void buddy_release_range(struct buddy *b, uint64_t start_pfn, uint64_t end_pfn);

/* First pfn of a free 2^order block (head refcount 1), or -ENOMEM. */
long buddy_alloc(struct buddy *b, unsigned order);

/*
 * Free a block allocated with this order. A double free or a pfn that is
 * not an allocated block head is reported via printk and ignored.
 */
void buddy_free(struct buddy *b, uint64_t pfn, unsigned order);

/* Reference counting on an allocated block's head page. */
void buddy_page_get(struct buddy *b, uint64_t pfn);
/* Drop a reference; frees the block and returns true when it hits 0. */
bool buddy_page_put(struct buddy *b, uint64_t pfn);

/* NULL if pfn is outside the managed range. */
struct page *buddy_pfn_to_page(struct buddy *b, uint64_t pfn);

uint64_t buddy_nr_free(const struct buddy *b);

#endif
