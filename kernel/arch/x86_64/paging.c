/*
 * x86_64 paging: the kernel's tables and the arch side of user tables
 * (entry format: <arch/pte.h>; the walker: mm/pgtable.c).
 *
 * The kernel root maps all physical memory (at least the first 4 GiB, so
 * MMIO like the local APIC is reachable) at DIRECT_MAP_BASE with 2 MiB
 * pages, and the kernel image at KERNEL_VMA with 4 KiB pages so text is
 * read-only and data is not executable. User roots copy the kernel half
 * of the PML4 (entries 256..511); those entries are all created here at
 * boot and never change, so the copies never go stale.
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

uint64_t x86_nx_bit;
static paddr_t kernel_root;

extern char _kernel_start[], _etext[], _sdata[], _kernel_end[];

/* Boot-time entry for a kernel address: failure here is fatal. */
static uint64_t *boot_entry(vaddr_t va, int level)
{
	uint64_t *e = pgtable_kernel_entry(kernel_root, va, level);

	if (!e)
		panic("boot: out of memory building the kernel page tables");
	return e;
}

static void map_direct(paddr_t end)
{
	for (paddr_t pa = 0; pa < end; pa += PAGE_SIZE_2M)
		*boot_entry(DIRECT_MAP_BASE + pa, 1) =
			pa | X86_PTE_P | X86_PTE_W | X86_PTE_PS | X86_PTE_G | x86_nx_bit;
}

/* Text read-only + executable, rodata read-only, data and bss writable. */
static void map_kernel_image(void)
{
	vaddr_t end = ALIGN_UP((vaddr_t)_kernel_end, PAGE_SIZE);

	for (vaddr_t va = (vaddr_t)_kernel_start; va < end; va += PAGE_SIZE) {
		uint64_t flags = X86_PTE_P | X86_PTE_G;

		if (va >= (vaddr_t)_etext)
			flags |= x86_nx_bit;
		if (va >= (vaddr_t)_sdata)
			flags |= X86_PTE_W;
		*boot_entry(va, 0) = (va - KERNEL_VMA) | flags;
	}
}

void mmu_init(void)
{
	paddr_t max_phys = 4UL << 30;
	uint64_t *pml4;

	if (rdmsr(MSR_EFER) & EFER_NXE)
		x86_nx_bit = X86_PTE_NX;
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			max_phys = MAX(max_phys, ALIGN_UP(r->base + r->len, (paddr_t)PAGE_SIZE_2M));
	}

	pml4 = page_zalloc(0);
	if (!pml4)
		panic("boot: out of memory building the kernel page tables");
	kernel_root = virt_to_phys(pml4);
	map_direct(max_phys);
	map_kernel_image();
	/* Create every kernel-half PDPT now so user roots can share them. */
	for (int i = PT_USER_ROOT_ENTRIES; i < PT_ENTRIES; i++) {
		if (!(pml4[i] & X86_PTE_P)) {
			void *pdpt = page_zalloc(0);

			if (!pdpt)
				panic("boot: out of memory building the kernel page tables");
			pml4[i] = virt_to_phys(pdpt) | X86_PTE_P | X86_PTE_W;
		}
	}

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_root);
	pr_info("mm: direct map of %lu MiB at %#lx, NX %s\n",
		(unsigned long)(max_phys >> 20), (unsigned long)DIRECT_MAP_BASE,
		x86_nx_bit ? "on" : "off");
}

paddr_t mmu_kernel_root(void)
{
	return kernel_root;
}

int arch_pgtable_root_init(struct pgtable *pt)
{
	uint64_t *pml4 = phys_to_virt(pt->root);

	memcpy(pml4 + PT_USER_ROOT_ENTRIES,
	       (uint64_t *)phys_to_virt(kernel_root) + PT_USER_ROOT_ENTRIES,
	       (PT_ENTRIES - PT_USER_ROOT_ENTRIES) * sizeof(uint64_t));
	return 0;
}

void mmu_activate(paddr_t root)
{
	if (read_cr3() != root)
		write_cr3(root);
}

void arch_tlb_flush_page(paddr_t root, vaddr_t va)
{
	if (read_cr3() == root)
		invlpg(va);
}

/* User entries are never global: reloading CR3 drops them all (and the walk caches). */
void arch_tlb_flush_all(paddr_t root)
{
	if (read_cr3() == root)
		write_cr3(root);
}

/* Instruction fetches see stores on x86. */
void arch_sync_icache(paddr_t pa)
{
	(void)pa;
}
