#ifndef ARCH_X86_64_LAYOUT_H
#define ARCH_X86_64_LAYOUT_H

/*
 * x86_64 virtual address layout (4-level paging, 48-bit addresses).
 *
 *   0x0000000000000000 .. 0x00007fffffffffff  user space (PML4 0..255)
 *   0xffff800000000000 ..                     direct map of physical memory
 *   0xffffffff80000000 ..                     kernel image (PML4 511)
 *
 * Usable from assembly, so plain numbers only.
 */

#define KERNEL_VMA          0xffffffff80000000
#define DIRECT_MAP_BASE     0xffff800000000000
#define USER_SPACE_END      0x0000800000000000
#define KERNEL_PHYS_LOAD    0x100000
#define BOOT_STACK_SIZE     16384

/* Backtraces: return addresses below this are not kernel code; a return
 * address is reported as is (x86 calls vary in length). */
#define KERNEL_TEXT_BASE        KERNEL_VMA
#define RETURN_ADDRESS_TO_CALL  0

/* Sizes of one mapping unit at each page-table level. */
#define PAGE_SIZE_2M        0x200000
#define PAGE_SIZE_1G        0x40000000

#endif
