#ifndef KEVLAR_BOOTINFO_H
#define KEVLAR_BOOTINFO_H

/*
 * What the boot loader told us, copied out of the loader's own structures
 * (multiboot info on x86_64, device tree on arm64) before the allocator
 * starts, so those structures need not be kept reserved.
 */

#include <kevlar/types.h>

#define BOOT_MEM_USABLE     1
#define BOOT_MEM_RESERVED   2
#define BOOT_MEM_ACPI       3
#define BOOT_MEM_NVS        4
#define BOOT_MEM_BAD        5

#define BOOT_MAX_MEM_REGIONS 64
#define BOOT_CMDLINE_MAX     2048

struct boot_mem_region {
	uint64_t base;
	uint64_t len;
	uint32_t type;      /* BOOT_MEM_* (e820 numbering) */
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	const char *loader;             /* boot loader name, or "unknown" */
	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	int nr_mem;
	paddr_t initrd_start;           /* 0 and 0 when there is none */
	uint64_t initrd_size;
	paddr_t kernel_start;           /* physical range of the loaded image */
	paddr_t kernel_end;
};

/* Filled by the arch boot code before kernel_main runs. */
extern struct boot_info boot_info;

__attribute__((noreturn)) void kernel_main(void);

#endif
