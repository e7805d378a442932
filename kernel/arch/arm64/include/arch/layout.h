#ifndef ARCH_ARM64_LAYOUT_H
#define ARCH_ARM64_LAYOUT_H

/*
 * arm64 virtual address layout (4 KiB granule, 48-bit addresses), the
 * same as x86_64's so everything above arch/ sees one layout:
 *
 *   0x0000000000000000 .. 0x0000ffffffffffff  TTBR0: user space (below USER_SPACE_END)
 *   0xffff800000000000 ..                     TTBR1: direct map of physical memory
 *   0xffffffff80000000 ..                     TTBR1: kernel image (KERNEL_LINK_BASE)
 *
 * The image runs at KERNEL_LINK_BASE whatever its physical load address,
 * so KERNEL_VMA (virtual minus physical, what virt_to_phys subtracts) is
 * known only at run time. Plain numbers for assembly.
 */

#define KERNEL_LINK_BASE    0xffffffff80000000
#define DIRECT_MAP_BASE     0xffff800000000000
#define USER_SPACE_END      0x0000800000000000
#define BOOT_STACK_SIZE     16384

#define PAGE_SIZE_2M        0x200000
#define PAGE_SIZE_1G        0x40000000

/* Backtraces: return addresses below this are not kernel code; one
 * instruction back from the return address is the call (bl). */
#define KERNEL_TEXT_BASE        KERNEL_LINK_BASE
#define RETURN_ADDRESS_TO_CALL  4

#ifndef __ASSEMBLY__
#include <kevlar/types.h>
/* Physical address the image was loaded at (boot.S stores it). */
extern uint64_t kernel_phys_base;
#define KERNEL_VMA          (KERNEL_LINK_BASE - kernel_phys_base)
#endif

#endif
