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

/* A kernel-virtual, PAGE_SIZE-aligned block of 2^order pages, or NULL. */
void *kmalloc_backend_alloc(unsigned order);
void kmalloc_backend_free(void *p, unsigned order);

/*
 * Protect the slab caches against a kmalloc/kfree from an interrupt
 * handler or another CPU in the middle of one. kmalloc.c has weak
 * do-nothing versions (enough for one CPU with no kmalloc in interrupt
 * context); the arch code overrides them with real irqsave + spinlock.
 * Backend calls happen with this lock held.
 */
unsigned long kmalloc_lock_irqsave(void);
void kmalloc_unlock_irqrestore(unsigned long flags);

#endif
