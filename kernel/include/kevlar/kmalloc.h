#ifndef KEVLAR_KMALLOC_H
#define KEVLAR_KMALLOC_H

/*
 * General-purpose kernel heap (kernel/mm/kmalloc.c): size-class slabs of
 * 16..2048 bytes in 4 KiB pages, larger objects in 2^order page blocks.
 * Every pointer is at least 16-byte aligned. Returns NULL when out of
 * memory, never panics. kfree(NULL) is a no-op.
 */

#include <kevlar/types.h>

#define KMALLOC_MIN_ALIGN 16
#define KMALLOC_MAX_SLAB  2048   /* larger requests get whole pages */
#define KMALLOC_MAX_ORDER 10     /* largest backend block: 4 MiB */

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

/* ---- provided by the memory manager ---- */

/*
 * A kernel-virtual, PAGE_SIZE-aligned block of 2^order pages, or NULL.
 * Called with kmalloc's spin lock held (irqsave): must not sleep, and may
 * come from any context kmalloc is called in (interrupt handlers too).
 */
void *kmalloc_backend_alloc(unsigned order);
void kmalloc_backend_free(void *p, unsigned order);

#endif
