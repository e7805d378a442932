/*
 * Physical page allocator: the memory map from the boot loader, minus what
 * is already in use (low 1 MiB, kernel image, initrd, the struct page
 * array itself), goes to the buddy allocator. Everything after boot gets
 * NULL on exhaustion, never a panic.
 */
#include <kevlar/page.h>
#include <kevlar/buddy.h>
#include <kevlar/bootinfo.h>
#include <kevlar/arch.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <kevlar/kmalloc.h>
#include <kevlar/spinlock.h>

/* BIOS data, EBDA and option ROMs live below 1 MiB on PCs; Linux skips it too. */
#define LOW_MEMORY_END  0x100000

static struct buddy buddy;
/*
 * page_lock (spin, irqsave: interrupt handlers allocate too): the buddy's
 * free lists and every page's reference count. Innermost: the buddy calls
 * nothing that locks.
 */
static DEFINE_SPINLOCK(page_lock);
static uint64_t total_pages;

struct phys_range {
	paddr_t start, end;
};

static struct phys_range reserved[4];
static int nr_reserved;

static void reserve(paddr_t start, paddr_t end)
{
	reserved[nr_reserved++] = (struct phys_range){
		ALIGN_DOWN(start, PAGE_SIZE), ALIGN_UP(end, PAGE_SIZE) };
}

/* First address >= start where [addr, addr+size) overlaps no reservation. */
static paddr_t skip_reserved(paddr_t start, uint64_t size)
{
	bool moved = true;

	while (moved) {
		moved = false;
		for (int i = 0; i < nr_reserved; i++) {
			if (start < reserved[i].end && start + size > reserved[i].start) {
				start = reserved[i].end;
				moved = true;
			}
		}
	}
	return start;
}

/* Boot-time placement of the struct page array inside usable RAM. */
static paddr_t find_boot_space(uint64_t size)
{
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];
		paddr_t start, end = r->base + r->len;

		if (r->type != BOOT_MEM_USABLE)
			continue;
		start = ALIGN_UP(MAX(r->base, (paddr_t)LOW_MEMORY_END), PAGE_SIZE);
		start = skip_reserved(start, size);
		if (start + size <= end)
			return start;
	}
	panic("boot: no room for the page array (%lu bytes)", (unsigned long)size);
}

static void release_usable(paddr_t start, paddr_t end)
{
	start = ALIGN_UP(MAX(start, (paddr_t)LOW_MEMORY_END), PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	while (start < end) {
		paddr_t cut = end;
		int hit = -1;

		/* Release the part before the lowest reservation inside [start, end). */
		for (int i = 0; i < nr_reserved; i++)
			if (reserved[i].end > start && reserved[i].start < cut) {
				cut = MAX(reserved[i].start, start);
				hit = i;
			}
		if (cut > start)
			buddy_release_range(&buddy, start >> PAGE_SHIFT, cut >> PAGE_SHIFT);
		if (hit < 0)
			break;
		start = MAX(start, reserved[hit].end);
	}
}

void page_init(void)
{
	uint64_t max_pfn = 0, array_size;
	paddr_t array;

	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			max_pfn = MAX(max_pfn, (r->base + r->len) >> PAGE_SHIFT);
	}
	if (!max_pfn)
		panic("boot: the memory map has no usable RAM");

	reserve(boot_info.kernel_start, boot_info.kernel_end);
	if (boot_info.initrd_size)
		reserve(boot_info.initrd_start,
			boot_info.initrd_start + boot_info.initrd_size);
	array_size = ALIGN_UP(max_pfn * sizeof(struct page), PAGE_SIZE);
	array = find_boot_space(array_size);
	reserve(array, array + array_size);

	buddy_init(&buddy, phys_to_virt(array), 0, max_pfn);
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			release_usable(r->base, r->base + r->len);
	}
	total_pages = buddy_nr_free(&buddy);
	pr_info("mm: %lu pages managed (%lu KiB), page array %lu KiB at %#lx\n",
		(unsigned long)total_pages, (unsigned long)(total_pages * 4),
		(unsigned long)(array_size >> 10), (unsigned long)array);
}

void *page_alloc(unsigned order)
{
	unsigned long flags;
	long pfn;

	spin_lock_irqsave(&page_lock, flags);
	pfn = buddy_alloc(&buddy, order);
	spin_unlock_irqrestore(&page_lock, flags);
	if (pfn < 0)
		return NULL;
	return phys_to_virt((paddr_t)pfn << PAGE_SHIFT);
}

void *page_zalloc(unsigned order)
{
	void *p = page_alloc(order);

	if (p)
		memset(p, 0, PAGE_SIZE << order);
	return p;
}

void page_free(void *p, unsigned order)
{
	unsigned long flags;

	if (!p)
		return;
	spin_lock_irqsave(&page_lock, flags);
	buddy_free(&buddy, virt_to_phys(p) >> PAGE_SHIFT, order);
	spin_unlock_irqrestore(&page_lock, flags);
}

void page_ref_get(paddr_t pa)
{
	unsigned long flags;

	spin_lock_irqsave(&page_lock, flags);
	buddy_page_get(&buddy, pa >> PAGE_SHIFT);
	spin_unlock_irqrestore(&page_lock, flags);
}

bool page_ref_put(paddr_t pa)
{
	unsigned long flags;
	bool freed;

	spin_lock_irqsave(&page_lock, flags);
	freed = buddy_page_put(&buddy, pa >> PAGE_SHIFT);
	spin_unlock_irqrestore(&page_lock, flags);
	return freed;
}

unsigned page_ref_count(paddr_t pa)
{
	unsigned long flags;
	struct page *p;
	unsigned n;

	spin_lock_irqsave(&page_lock, flags);
	p = buddy_pfn_to_page(&buddy, pa >> PAGE_SHIFT);
	n = p ? p->refcount : 0;
	spin_unlock_irqrestore(&page_lock, flags);
	return n;
}

uint64_t page_nr_free(void)
{
	return buddy_nr_free(&buddy);
}

uint64_t page_nr_total(void)
{
	return total_pages;
}

/* Pages kmalloc holds (slabs and large blocks): /proc/meminfo Slab. Atomic. */
static uint64_t kmalloc_pages;

uint64_t page_nr_kmalloc(void)
{
	return __atomic_load_n(&kmalloc_pages, __ATOMIC_RELAXED);
}

void *kmalloc_backend_alloc(unsigned order)
{
	void *p = page_alloc(order);

	if (p)
		__atomic_fetch_add(&kmalloc_pages, 1UL << order, __ATOMIC_RELAXED);
	return p;
}

void kmalloc_backend_free(void *p, unsigned order)
{
	if (p)
		__atomic_fetch_sub(&kmalloc_pages, 1UL << order, __ATOMIC_RELAXED);
	page_free(p, order);
}
