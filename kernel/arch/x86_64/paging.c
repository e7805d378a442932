/*
 * x86_64 4-level page tables.
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
#include <kevlar/bootinfo.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include <arch/cpu.h>

#define PTE_P       (1UL << 0)
#define PTE_W       (1UL << 1)
#define PTE_U       (1UL << 2)
#define PTE_PS      (1UL << 7)
#define PTE_G       (1UL << 8)
#define PTE_NX      (1UL << 63)
#define PTE_ADDR    0x000ffffffffff000UL

#define PML4_KERNEL_FIRST 256
#define ENTRIES     512

static paddr_t kernel_root;
static uint64_t nx_bit;

extern char _kernel_start[], _etext[], _sdata[], _kernel_end[];

static inline unsigned idx(vaddr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/*
 * The entry for va at level 0 (4 KiB pages), creating tables on the way
 * when create is set. Returns NULL if absent or out of memory.
 */
static uint64_t *walk(paddr_t root, vaddr_t va, bool create, uint64_t table_flags)
{
	uint64_t *table = phys_to_virt(root);

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[idx(va, level)];

		if (!(*e & PTE_P)) {
			void *next;

			if (!create || !(next = page_zalloc(0)))
				return NULL;
			*e = virt_to_phys(next) | table_flags;
		}
		table = table_of(*e);
	}
	return &table[idx(va, 0)];
}

static uint64_t prot_to_pte(unsigned prot)
{
	uint64_t pte = PTE_P | PTE_U;

	if (prot & MMU_WRITE)
		pte |= PTE_W;
	if (!(prot & MMU_EXEC))
		pte |= nx_bit;
	return pte;
}

/* Boot-time allocation of a zeroed table: failure here is fatal. */
static uint64_t *boot_table(void)
{
	void *t = page_zalloc(0);

	if (!t)
		panic("boot: out of memory building the kernel page tables");
	return t;
}

static void map_direct(uint64_t *pml4, paddr_t end)
{
	for (paddr_t pa = 0; pa < end; pa += PAGE_SIZE_2M) {
		vaddr_t va = DIRECT_MAP_BASE + pa;
		uint64_t *e = &pml4[idx(va, 3)];
		uint64_t *pdpt, *pd;

		if (!(*e & PTE_P))
			*e = virt_to_phys(boot_table()) | PTE_P | PTE_W;
		pdpt = table_of(*e);
		e = &pdpt[idx(va, 2)];
		if (!(*e & PTE_P))
			*e = virt_to_phys(boot_table()) | PTE_P | PTE_W;
		pd = table_of(*e);
		pd[idx(va, 1)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx_bit;
	}
}

/* Text read-only + executable, rodata read-only, data and bss writable. */
static void map_kernel_image(paddr_t root)
{
	vaddr_t end = ALIGN_UP((vaddr_t)_kernel_end, PAGE_SIZE);

	for (vaddr_t va = (vaddr_t)_kernel_start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = walk(root, va, true, PTE_P | PTE_W);
		uint64_t flags = PTE_P | PTE_G;

		if (!pte)
			panic("boot: out of memory mapping the kernel image");
		if (va >= (vaddr_t)_etext)
			flags |= nx_bit;
		if (va >= (vaddr_t)_sdata)
			flags |= PTE_W;
		*pte = (va - KERNEL_VMA) | flags;
	}
}

void mmu_init(void)
{
	paddr_t max_phys = 4UL << 30;
	uint64_t *pml4;

	if (rdmsr(MSR_EFER) & EFER_NXE)
		nx_bit = PTE_NX;
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		if (r->type == BOOT_MEM_USABLE)
			max_phys = MAX(max_phys, ALIGN_UP(r->base + r->len, (paddr_t)PAGE_SIZE_2M));
	}

	pml4 = boot_table();
	kernel_root = virt_to_phys(pml4);
	map_direct(pml4, max_phys);
	map_kernel_image(kernel_root);
	/* Create every kernel-half PDPT now so user roots can share them. */
	for (int i = PML4_KERNEL_FIRST; i < ENTRIES; i++)
		if (!(pml4[i] & PTE_P))
			pml4[i] = virt_to_phys(boot_table()) | PTE_P | PTE_W;

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_root);
	pr_info("mm: direct map of %lu MiB at %#lx, NX %s\n",
		(unsigned long)(max_phys >> 20), (unsigned long)DIRECT_MAP_BASE,
		nx_bit ? "on" : "off");
}

paddr_t mmu_kernel_root(void)
{
	return kernel_root;
}

paddr_t mmu_create(void)
{
	uint64_t *pml4 = page_zalloc(0);

	if (!pml4)
		return 0;
	memcpy(pml4 + PML4_KERNEL_FIRST, (uint64_t *)phys_to_virt(kernel_root) + PML4_KERNEL_FIRST,
	       (ENTRIES - PML4_KERNEL_FIRST) * sizeof(uint64_t));
	return virt_to_phys(pml4);
}

static void destroy_level(uint64_t *table, int level)
{
	for (int i = 0; i < ENTRIES; i++) {
		if (!(table[i] & PTE_P))
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
	uint64_t *pml4 = phys_to_virt(root);

	for (int i = 0; i < PML4_KERNEL_FIRST; i++)
		if (pml4[i] & PTE_P)
			destroy_level(table_of(pml4[i]), 2);
	page_free(pml4, 0);
}

void mmu_activate(paddr_t root)
{
	if (read_cr3() != root)
		write_cr3(root);
}

static void flush(paddr_t root, vaddr_t va)
{
	if (read_cr3() == root)
		invlpg(va);
}

int mmu_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned prot)
{
	uint64_t *pte = walk(root, va, true, PTE_P | PTE_W | PTE_U);

	if (!pte)
		return -ENOMEM;
	*pte = pa | prot_to_pte(prot);
	flush(root, va);
	return 0;
}

paddr_t mmu_unmap(paddr_t root, vaddr_t va)
{
	uint64_t *pte = walk(root, va, false, 0);
	paddr_t pa;

	if (!pte || !(*pte & PTE_P))
		return 0;
	pa = *pte & PTE_ADDR;
	*pte = 0;
	flush(root, va);
	return pa;
}

bool mmu_protect(paddr_t root, vaddr_t va, unsigned prot)
{
	uint64_t *pte = walk(root, va, false, 0);

	if (!pte || !(*pte & PTE_P))
		return false;
	*pte = (*pte & PTE_ADDR) | prot_to_pte(prot);
	flush(root, va);
	return true;
}

bool mmu_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *prot)
{
	uint64_t *pte = walk(root, va, false, 0);

	if (!pte || !(*pte & PTE_P))
		return false;
	if (pa)
		*pa = *pte & PTE_ADDR;
	if (prot)
		*prot = MMU_READ | ((*pte & PTE_W) ? MMU_WRITE : 0) |
			((*pte & nx_bit) && nx_bit ? 0 : MMU_EXEC);
	return true;
}
