/*
 * arm64 page tables (4 KiB granule, 4 levels, 48-bit halves).
 *
 * TTBR1 holds the kernel half, one table for ever: the direct map of
 * physical memory at DIRECT_MAP_BASE (2 MiB blocks; normal memory where
 * the DTB says there is RAM, device memory elsewhere below 4 GiB so MMIO
 * is reachable) and the image at KERNEL_LINK_BASE with 4 KiB pages (text
 * RX, rodata R, data RW, nothing else executable). TTBR0 holds one
 * address space's user half; its root is what mmu_create returns. No
 * ASIDs: switching TTBR0 flushes the TLB.
 */
#include <kevlar/mmu.h>
#include <kevlar/page.h>
#include <kevlar/bootinfo.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include <arch/cpu.h>
#include <arch/sigframe.h>

#define PTE_VALID       (1UL << 0)
#define PTE_TABLE       (1UL << 1)      /* table at levels 0-2, page at level 3 */
#define PTE_ATTR_NORMAL (0UL << 2)      /* MAIR index 0 */
#define PTE_ATTR_DEVICE (1UL << 2)      /* MAIR index 1 */
#define PTE_AP_EL0      (1UL << 6)
#define PTE_AP_RO       (1UL << 7)
#define PTE_SH_INNER    (3UL << 8)
#define PTE_AF          (1UL << 10)
#define PTE_NG          (1UL << 11)
#define PTE_PXN         (1UL << 53)
#define PTE_UXN         (1UL << 54)
#define PTE_ADDR        0x0000fffffffff000UL

#define BLOCK_NORMAL    (PTE_VALID | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN)
#define BLOCK_DEVICE    (PTE_VALID | PTE_ATTR_DEVICE | PTE_AF | PTE_PXN | PTE_UXN)
#define ENTRIES         512
#define CACHE_LINE      64

/*
 * The signal return trampoline (Linux's vDSO sigtramp: mov x8,
 * #__NR_rt_sigreturn; svc #0), for handlers installed without
 * SA_RESTORER, which glibc does on arm64. One read-only page mapped in
 * every user root above USER_SPACE_END, where no VMA can be; each root
 * holds a reference, so mmu_destroy's page_ref_put balances.
 */
static paddr_t sigtramp_page;
static const uint32_t sigtramp_code[] = { 0xd2801168, 0xd4000001 };

static paddr_t kernel_root;     /* TTBR1 */
static paddr_t empty_user_root; /* TTBR0 of kernel threads: nothing mapped */

extern char _kernel_start[], _etext[], _sdata[], _kernel_end[];

static inline unsigned idx(vaddr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/* The level-3 entry for va, creating tables when create is set; NULL if absent or no memory. */
static uint64_t *walk(paddr_t root, vaddr_t va, bool create)
{
	uint64_t *table = phys_to_virt(root);

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[idx(va, level)];

		if (!(*e & PTE_VALID)) {
			void *next;

			if (!create || !(next = page_zalloc(0)))
				return NULL;
			dsb_ishst();
			*e = virt_to_phys(next) | PTE_VALID | PTE_TABLE;
		}
		table = table_of(*e);
	}
	return &table[idx(va, 0)];
}

static uint64_t prot_to_pte(unsigned prot)
{
	uint64_t pte = PTE_VALID | PTE_TABLE | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF |
		       PTE_NG | PTE_AP_EL0 | PTE_PXN;

	if (!(prot & MMU_WRITE))
		pte |= PTE_AP_RO;
	if (!(prot & MMU_EXEC))
		pte |= PTE_UXN;
	return pte;
}

static uint64_t *boot_table(void)
{
	void *t = page_zalloc(0);

	if (!t)
		panic("boot: out of memory building the kernel page tables");
	return t;
}

static bool is_ram(paddr_t start, paddr_t end)
{
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE && start < r->base + r->len && end > r->base)
			return true;
	}
	return start < boot_info.kernel_end && end > boot_info.kernel_start;
}

static void map_direct(uint64_t *l0, paddr_t end)
{
	for (paddr_t pa = 0; pa < end; pa += PAGE_SIZE_2M) {
		vaddr_t va = DIRECT_MAP_BASE + pa;
		uint64_t *e = &l0[idx(va, 3)];

		if (!(*e & PTE_VALID))
			*e = virt_to_phys(boot_table()) | PTE_VALID | PTE_TABLE;
		e = &table_of(*e)[idx(va, 2)];
		if (!(*e & PTE_VALID))
			*e = virt_to_phys(boot_table()) | PTE_VALID | PTE_TABLE;
		table_of(*e)[idx(va, 1)] = pa |
			(is_ram(pa, pa + PAGE_SIZE_2M) ? BLOCK_NORMAL : BLOCK_DEVICE);
	}
}

/* Text read-only + executable, rodata read-only, data and bss writable. */
static void map_kernel_image(paddr_t root)
{
	vaddr_t end = ALIGN_UP((vaddr_t)_kernel_end, PAGE_SIZE);

	for (vaddr_t va = (vaddr_t)_kernel_start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = walk(root, va, true);
		uint64_t flags = PTE_VALID | PTE_TABLE | PTE_ATTR_NORMAL | PTE_SH_INNER |
				 PTE_AF | PTE_UXN;

		if (!pte)
			panic("boot: out of memory mapping the kernel image");
		if (va >= (vaddr_t)_etext)
			flags |= PTE_PXN;
		if (va < (vaddr_t)_sdata)
			flags |= PTE_AP_RO;
		*pte = virt_to_phys((void *)va) | flags;
	}
}

static void tlb_flush_all(void)
{
	dsb_ishst();
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb_ish();
	isb();
}

void mmu_init(void)
{
	paddr_t max_phys = 4UL << 30;
	uint64_t *l0;

	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			max_phys = MAX(max_phys, ALIGN_UP(r->base + r->len, (paddr_t)PAGE_SIZE_2M));
	}
	l0 = boot_table();
	kernel_root = virt_to_phys(l0);
	empty_user_root = virt_to_phys(boot_table());
	map_direct(l0, max_phys);
	map_kernel_image(kernel_root);

	sigtramp_page = virt_to_phys(boot_table());
	memcpy(phys_to_virt(sigtramp_page), sigtramp_code, sizeof(sigtramp_code));

	write_sysreg(ttbr1_el1, kernel_root);
	write_sysreg(ttbr0_el1, empty_user_root);
	isb();
	tlb_flush_all();
	pr_info("mm: direct map of %lu MiB at %#lx, kernel at %#lx (physical %#lx)\n",
		(unsigned long)(max_phys >> 20), (unsigned long)DIRECT_MAP_BASE,
		(unsigned long)KERNEL_LINK_BASE, (unsigned long)kernel_phys_base);
}

paddr_t mmu_kernel_root(void)
{
	return empty_user_root;
}

paddr_t mmu_create(void)
{
	uint64_t *l0 = page_zalloc(0);
	paddr_t root;

	if (!l0)
		return 0;
	root = virt_to_phys(l0);
	if (mmu_map(root, ARM64_SIGTRAMP_ADDR, sigtramp_page, MMU_READ | MMU_EXEC)) {
		page_free(l0, 0);
		return 0;
	}
	page_ref_get(sigtramp_page);
	return root;
}

static void destroy_level(uint64_t *table, int level)
{
	for (int i = 0; i < ENTRIES; i++) {
		if (!(table[i] & PTE_VALID))
			continue;
		if (level == 0)
			page_ref_put(table[i] & PTE_ADDR);
		else
			destroy_level(table_of(table[i]), level - 1);
	}
	page_free(table, 0);
}

void mmu_destroy(paddr_t root)
{
	if (root == empty_user_root)
		return;
	destroy_level(phys_to_virt(root), 3);
}

void mmu_activate(paddr_t root)
{
	if ((read_sysreg(ttbr0_el1) & PTE_ADDR) != root) {
		write_sysreg(ttbr0_el1, root);
		isb();
		tlb_flush_all();
	}
}

static void flush(paddr_t root, vaddr_t va)
{
	dsb_ishst();
	if ((read_sysreg(ttbr0_el1) & PTE_ADDR) == root) {
		__asm__ volatile("tlbi vaae1is, %0" : : "r"(va >> 12) : "memory");
		dsb_ish();
		isb();
	}
}

/*
 * Code the kernel wrote (file pages, copies) must reach the instruction
 * side: clean the data cache to the point of unification, drop the
 * page's instruction cache lines. (Nothing to do under QEMU; needed on
 * real cores.)
 */
static void sync_icache(paddr_t pa)
{
	uint64_t start = (uint64_t)phys_to_virt(pa);

	for (uint64_t a = start; a < start + PAGE_SIZE; a += CACHE_LINE)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	dsb_ish();
	__asm__ volatile("ic ialluis" : : : "memory");
	dsb_ish();
	isb();
}

int mmu_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot)
{
	uint64_t *pte = walk(root, va, true);

	if (!pte)
		return -ENOMEM;
	if (prot & MMU_EXEC)
		sync_icache(pa);
	*pte = pa | prot_to_pte(prot);
	flush(root, va);
	return 0;
}

paddr_t mmu_unmap(paddr_t root, vaddr_t va)
{
	uint64_t *pte = walk(root, va, false);
	paddr_t pa;

	if (!pte || !(*pte & PTE_VALID))
		return 0;
	pa = *pte & PTE_ADDR;
	*pte = 0;
	flush(root, va);
	return pa;
}

bool mmu_protect(paddr_t root, vaddr_t va, unsigned prot)
{
	uint64_t *pte = walk(root, va, false);

	if (!pte || !(*pte & PTE_VALID))
		return false;
	if ((prot & MMU_EXEC) && (*pte & PTE_UXN))
		sync_icache(*pte & PTE_ADDR);
	*pte = (*pte & PTE_ADDR) | prot_to_pte(prot);
	flush(root, va);
	return true;
}

bool mmu_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	uint64_t *pte = walk(root, va, false);

	if (!pte || !(*pte & PTE_VALID))
		return false;
	if (pa)
		*pa = *pte & PTE_ADDR;
	if (prot)
		*prot = MMU_READ | ((*pte & PTE_AP_RO) ? 0 : MMU_WRITE) |
			((*pte & PTE_UXN) ? 0 : MMU_EXEC);
	return true;
}
