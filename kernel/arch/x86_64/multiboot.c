/*
 * Multiboot v1 information → struct boot_info.
 *
 * The loader leaves its info structure, the command line, the memory map
 * and module list somewhere in low memory that the memory map itself calls
 * usable. We copy what we need here, before the page allocator exists, so
 * nothing but the initrd (module 0) must stay reserved afterwards.
 */
#include <kevlar/bootinfo.h>
#include <kevlar/page.h>
#include <kevlar/string.h>

#define MULTIBOOT_LOADER_MAGIC  0x2BADB002

#define MBI_FLAG_CMDLINE        (1u << 2)
#define MBI_FLAG_MODS           (1u << 3)
#define MBI_FLAG_MMAP           (1u << 6)
#define MBI_FLAG_LOADER_NAME    (1u << 9)

/* Layout fixed by the Multiboot Specification 0.6.96, section 3.3. */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

struct multiboot_mod {
	uint32_t mod_start, mod_end;
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));

struct multiboot_mmap_entry {
	uint32_t size;          /* of the rest of the entry, not counting this field */
	uint64_t base, len;
	uint32_t type;
} __attribute__((packed));

struct boot_info boot_info;
static char loader_name[64];

extern char _kernel_start[], _kernel_end[];

/* Returns false if the loader broke the protocol. */
bool multiboot_parse(uint32_t magic, uint32_t mbi_phys)
{
	const struct multiboot_info *mbi;

	boot_info.loader = "unknown";
	boot_info.kernel_start = (paddr_t)(uintptr_t)_kernel_start - KERNEL_VMA;
	boot_info.kernel_end = (paddr_t)(uintptr_t)_kernel_end - KERNEL_VMA;
	if (magic != MULTIBOOT_LOADER_MAGIC)
		return false;

	mbi = phys_to_virt(mbi_phys);
	if (mbi->flags & MBI_FLAG_CMDLINE)
		strlcpy(boot_info.cmdline, phys_to_virt(mbi->cmdline),
			sizeof(boot_info.cmdline));
	if (mbi->flags & MBI_FLAG_LOADER_NAME) {
		strlcpy(loader_name, phys_to_virt(mbi->boot_loader_name),
			sizeof(loader_name));
		boot_info.loader = loader_name;
	}

	if (mbi->flags & MBI_FLAG_MMAP) {
		uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;

		while (p < end && boot_info.nr_mem < BOOT_MAX_MEM_REGIONS) {
			const struct multiboot_mmap_entry *e = phys_to_virt(p);
			struct boot_mem_region *r = &boot_info.mem[boot_info.nr_mem++];

			r->base = e->base;
			r->len = e->len;
			r->type = e->type;
			p += e->size + sizeof(e->size);
		}
	} else {
		/* No map: fall back to the two basic sizes (KiB), as old loaders give. */
		boot_info.mem[0] = (struct boot_mem_region){ 0, (uint64_t)mbi->mem_lower << 10,
							     BOOT_MEM_USABLE };
		boot_info.mem[1] = (struct boot_mem_region){ 0x100000,
							     (uint64_t)mbi->mem_upper << 10,
							     BOOT_MEM_USABLE };
		boot_info.nr_mem = 2;
	}

	if ((mbi->flags & MBI_FLAG_MODS) && mbi->mods_count > 0) {
		const struct multiboot_mod *m = phys_to_virt(mbi->mods_addr);

		boot_info.initrd_start = m->mod_start;
		boot_info.initrd_size = m->mod_end - m->mod_start;
	}
	return true;
}
