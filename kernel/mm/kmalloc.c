/*
 * kmalloc: power-of-two size classes (16..2048 bytes) carved out of single
 * pages ("slabs"), and whole 2^order page blocks for anything larger.
 *
 * Every page handed out starts with a struct kmalloc_page header, so kfree
 * finds what it is freeing from the pointer alone: round down to the page
 * start. For a large block the object sits right after the header in its
 * first page, so the same rounding works.
 *
 * A free object holds the next-free pointer in its first word and a poison
 * value in its second; seeing the poison on kfree triggers an exact check
 * for double free (a scan of that page's free list).
 */

#include <kevlar/kmalloc.h>
#include <kevlar/list.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>

#define SLAB_MAGIC   0x534c4142u   /* "SLAB" */
#define LARGE_MAGIC  0x4c415247u   /* "LARG" */
#define FREE_POISON  0xf4eef4eef4eef4eeULL

struct kmalloc_cache;

struct kmalloc_page {
	uint32_t magic;
	uint32_t order;                 /* large: order of the block */
	struct kmalloc_cache *cache;    /* slab: owner */
	struct list_head link;          /* slab: on cache->partial unless full */
	void *free;                     /* slab: first free object */
	uint32_t inuse, capacity;       /* slab: object counts */
};

/* Objects start after the header, keeping KMALLOC_MIN_ALIGN alignment. */
#define HEADER_SIZE  ALIGN_UP(sizeof(struct kmalloc_page), (size_t)KMALLOC_MIN_ALIGN)

struct kmalloc_cache {
	uint32_t size;
	struct list_head partial;       /* slabs with at least one free object */
	uint32_t nr_empty;              /* fully free slabs kept (at most 1) */
};

#define CACHE(i, sz) { .size = (sz), .partial = LIST_HEAD_INIT(caches[i].partial) }
static struct kmalloc_cache caches[] = {
	CACHE(0, 16), CACHE(1, 32), CACHE(2, 64), CACHE(3, 128),
	CACHE(4, 256), CACHE(5, 512), CACHE(6, 1024), CACHE(7, 2048),
};

struct free_object {
	struct free_object *next;
	uint64_t poison;
};

_Static_assert(sizeof(struct free_object) <= 16, "smallest class holds a free object");

/*
 * Protects every cache's partial list, nr_empty and the free lists inside
 * its slabs, and the backend calls made for them: a timer tick (and a
 * switch to another task's kmalloc) or an interrupt handler's kfree in the
 * middle of slab_alloc would corrupt a free list. irqsave, so interrupt
 * handlers may use kmalloc too. Nothing sleeps under it.
 */
static spinlock_t kmalloc_lock = SPINLOCK_INIT(kmalloc_lock);

static struct kmalloc_cache *cache_for(size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(caches); i++) {
		if (size <= caches[i].size)
			return &caches[i];
	}
	return NULL;
}

static struct kmalloc_page *new_slab(struct kmalloc_cache *c)
{
	struct kmalloc_page *pg = kmalloc_backend_alloc(0);
	char *obj;

	if (!pg)
		return NULL;
	pg->magic = SLAB_MAGIC;
	pg->order = 0;
	pg->cache = c;
	pg->inuse = 0;
	pg->capacity = (uint32_t)((PAGE_SIZE - HEADER_SIZE) / c->size);
	pg->free = NULL;
	/* Thread the free list from the end so objects go out in address order. */
	for (uint32_t i = pg->capacity; i-- > 0;) {
		struct free_object *f;

		obj = (char *)pg + HEADER_SIZE + (size_t)i * c->size;
		f = (struct free_object *)obj;
		f->next = pg->free;
		f->poison = FREE_POISON;
		pg->free = f;
	}
	list_add_tail(&pg->link, &c->partial);
	c->nr_empty++;
	return pg;
}

static void *slab_alloc(struct kmalloc_cache *c)
{
	struct kmalloc_page *pg;
	struct free_object *f;

	if (list_empty(&c->partial) && !new_slab(c))
		return NULL;
	pg = list_first_entry(&c->partial, struct kmalloc_page, link);
	f = pg->free;
	pg->free = f->next;
	f->poison = 0;
	if (pg->inuse++ == 0)
		c->nr_empty--;
	if (pg->inuse == pg->capacity)
		list_del(&pg->link);
	return f;
}

static bool on_free_list(const struct kmalloc_page *pg, const void *obj)
{
	for (const struct free_object *f = pg->free; f; f = f->next) {
		if (f == obj)
			return true;
	}
	return false;
}

static void slab_free(struct kmalloc_page *pg, void *p)
{
	struct kmalloc_cache *c = pg->cache;
	size_t off = (size_t)((char *)p - (char *)pg);
	struct free_object *f = p;

	if (off < HEADER_SIZE || (off - HEADER_SIZE) % c->size != 0 ||
	    (off - HEADER_SIZE) / c->size >= pg->capacity) {
		pr_err("kfree: %p is not an object of the %u-byte cache\n", p, c->size);
		return;
	}
	if (f->poison == FREE_POISON && on_free_list(pg, p)) {
		pr_err("kfree: double free of %p (%u-byte cache)\n", p, c->size);
		return;
	}

	if (pg->inuse == pg->capacity)
		list_add(&pg->link, &c->partial);
	f->next = pg->free;
	f->poison = FREE_POISON;
	pg->free = f;
	if (--pg->inuse > 0)
		return;

	/* Keep one empty slab for the next allocation; give the rest back. */
	if (c->nr_empty == 0) {
		c->nr_empty++;
		list_del(&pg->link);
		list_add_tail(&pg->link, &c->partial);
		return;
	}
	list_del(&pg->link);
	pg->magic = 0;
	kmalloc_backend_free(pg, 0);
}

static void *large_alloc(size_t size)
{
	struct kmalloc_page *pg;
	unsigned order = 0;

	while ((PAGE_SIZE << order) - HEADER_SIZE < size) {
		if (++order > KMALLOC_MAX_ORDER)
			return NULL;
	}
	pg = kmalloc_backend_alloc(order);
	if (!pg)
		return NULL;
	pg->magic = LARGE_MAGIC;
	pg->order = order;
	pg->cache = NULL;
	list_init(&pg->link);
	return (char *)pg + HEADER_SIZE;
}

void *kmalloc(size_t size)
{
	struct kmalloc_cache *c = cache_for(size);
	unsigned long flags;
	void *p;

	spin_lock_irqsave(&kmalloc_lock, flags);
	p = c ? slab_alloc(c) : large_alloc(size);
	spin_unlock_irqrestore(&kmalloc_lock, flags);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct kmalloc_page *pg;
	unsigned long flags;

	if (!p)
		return;
	pg = (struct kmalloc_page *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));

	spin_lock_irqsave(&kmalloc_lock, flags);
	if (pg->magic == SLAB_MAGIC) {
		slab_free(pg, p);
	} else if (pg->magic == LARGE_MAGIC && (char *)p == (char *)pg + HEADER_SIZE) {
		pg->magic = 0;
		kmalloc_backend_free(pg, pg->order);
	} else {
		pr_err("kfree: %p was not allocated by kmalloc (or freed twice)\n", p);
	}
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}
