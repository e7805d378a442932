#ifndef KEVLAR_TIMER_HEAP_H
#define KEVLAR_TIMER_HEAP_H

/*
 * A binary min-heap of timers by expiry (core/timer_heap.c), intrusive:
 * the nodes live in the timers themselves and link as a complete binary
 * tree (parent/left/right pointers, node k's children are 2k and 2k+1),
 * so arming a timer never allocates and cannot fail, even from the tick.
 * Insert, remove and the minimum are O(log n) / O(1). Equal expiries leave
 * in arming order (a sequence number breaks ties). Pure data structure:
 * no locking (the caller's), no clock; it builds for the host unit tests.
 */

#include <kevlar/types.h>

struct heap_node {
	uint64_t key;                   /* expiry */
	uint64_t seq;                   /* arming order, for ties */
	struct heap_node *parent, *left, *right;
	bool queued;
};

struct timer_heap {
	struct heap_node *root;         /* the earliest expiry */
	size_t size;
	uint64_t next_seq;
};

void timer_heap_init(struct timer_heap *h);
/* Queue n (not queued) with n->key already set. */
void timer_heap_insert(struct timer_heap *h, struct heap_node *n);
/* Take n (queued in h) out. */
void timer_heap_remove(struct timer_heap *h, struct heap_node *n);

static inline struct heap_node *timer_heap_min(const struct timer_heap *h)
{
	return h->root;
}

#endif
