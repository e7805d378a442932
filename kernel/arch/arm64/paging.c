/*
 * arm64 paging (4 KiB granule, 4 levels, 48-bit halves): the kernel's
 * tables and the arch side of user tables (entry format: <arch/pte.h>;
 * the walker: mm/pgtable.c).
 *
 * TTBR1 holds the kernel half, one table for ever: the direct map of
 * physical memory at DIRECT_MAP_BASE (2 MiB blocks; normal memory where
 * the DTB says there is RAM, device memory elsewhere below 4 GiB so MMIO
 * is reachable) and the image at KERNEL_LINK_BASE with 4 KiB pages (text
 * RX, rodata R, data RW, nothing else executable). TTBR0 holds one
 * address space's user half; its root is what pgtable_create makes. No
 * ASIDs: switching TTBR0 flushes the TLB.
 */
#include <kevlar/mmu.h>
#include <kevlar/page.h>
#include <kevlar/pgtable.h>
#include <kevlar/bootinfo.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <arch/cpu.h>
#include <arch/pte.h>
#include <arch/sigframe.h>

#define BLOCK_NORMAL    (A64_PTE_VALID | A64_PTE_ATTR_NORMAL | A64_PTE_SH_INNER | A64_PTE_AF | \
			 A64_PTE_PXN | A64_PTE_UXN)
#define BLOCK_DEVICE    (A64_PTE_VALID | A64_PTE_ATTR_DEVICE | A64_PTE_AF | A64_PTE_PXN | A64_PTE_UXN)
#define CACHE_LINE      64

/*
 * The signal return trampoline (Linux's vDSO sigtramp: mov x8,
 * #__NR_rt_sigreturn; svc #0), for handlers installed without
 * SA_RESTORER, which glibc does on arm64. One read-only page mapped in
 * every user root above USER_SPACE_END, where no VMA can be; each root
 * holds a reference, which pgtable_destroy drops with the rest.
 */
static paddr_t sigtramp_page;
static const uint32_t sigtramp_code[] = { 0xd2801168, 0xd4000001 };

static paddr_t kernel_root;     /* TTBR1 */
static paddr_t empty_user_root; /* TTBR0 of kernel threads: nothing mapped */

extern char _kernel_start[], _etext[], _sdata[], _kernel_end[];

static void *boot_table(void)
{
	void *t = page_zalloc(0);

	if (!t)
		panic("boot: out of memory building the kernel page tables");
	return t;
}

static uint64_t *boot_entry(vaddr_t va, int level)
{
	uint64_t *e = pgtable_kernel_entry(kernel_root, va, level);

	if (!e)
		panic("boot: out of memory building the kernel page tables");
	return e;
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

static void map_direct(paddr_t end)
{
	for (paddr_t pa = 0; pa < end; pa += PAGE_SIZE_2M)
		*boot_entry(DIRECT_MAP_BASE + pa, 1) = pa |
			(is_ram(pa, pa + PAGE_SIZE_2M) ? BLOCK_NORMAL : BLOCK_DEVICE);
}

/* Text read-only + executable, rodata read-only, data and bss writable. */
static void map_kernel_image(void)
{
	vaddr_t end = ALIGN_UP((vaddr_t)_kernel_end, PAGE_SIZE);

	for (vaddr_t va = (vaddr_t)_kernel_start; va < end; va += PAGE_SIZE) {
		uint64_t flags = A64_PTE_VALID | A64_PTE_TABLE | A64_PTE_ATTR_NORMAL |
				 A64_PTE_SH_INNER | A64_PTE_AF | A64_PTE_UXN;

		if (va >= (vaddr_t)_etext)
			flags |= A64_PTE_PXN;
		if (va < (vaddr_t)_sdata)
			flags |= A64_PTE_AP_RO;
		*boot_entry(va, 0) = virt_to_phys((void *)va) | flags;
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

	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			max_phys = MAX(max_phys, ALIGN_UP(r->base + r->len, (paddr_t)PAGE_SIZE_2M));
	}
	kernel_root = virt_to_phys(boot_table());
	empty_user_root = virt_to_phys(boot_table());
	map_direct(max_phys);
	map_kernel_image();

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

int arch_pgtable_root_init(struct pgtable *pt)
{
	int err = pgtable_map(pt, ARM64_SIGTRAMP_ADDR, sigtramp_page, MMU_READ | MMU_EXEC);

	if (!err)
		page_ref_get(sigtramp_page);
	return err;
}

static bool is_live(paddr_t root)
{
	return (read_sysreg(ttbr0_el1) & A64_PTE_ADDR) == root;
}

void mmu_activate(paddr_t root)
{
	if (!is_live(root)) {
		write_sysreg(ttbr0_el1, root);
		isb();
		tlb_flush_all();
	}
}

void arch_tlb_flush_page(paddr_t root, vaddr_t va)
{
	dsb_ishst();
	if (is_live(root)) {
		__asm__ volatile("tlbi vaae1is, %0" : : "r"(va >> 12) : "memory");
		dsb_ish();
		isb();
	}
}

void arch_tlb_flush_all(paddr_t root)
{
	dsb_ishst();
	if (is_live(root))
		tlb_flush_all();
}

/*
 * Code the kernel wrote (file pages, copies) must reach the instruction
 * side: clean the data cache to the point of unification, drop the
 * page's instruction cache lines. (Nothing to do under QEMU; needed on
 * real cores.)
 */
void arch_sync_icache(paddr_t pa)
{
	uint64_t start = (uint64_t)phys_to_virt(pa);

	for (uint64_t a = start; a < start + PAGE_SIZE; a += CACHE_LINE)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	dsb_ish();
	__asm__ volatile("ic ialluis" : : : "memory");
	dsb_ish();
	isb();
}
