/*
 * Boot entry. The image is a flat binary starting with a multiboot v1
 * header that uses the "a.out kludge" (flag bit 16): the loader copies the
 * file to load_addr, zeroes up to bss_end_addr and jumps to entry_addr in
 * 32-bit protected mode with paging off, %eax = 0x2BADB002 and %ebx = the
 * physical address of the multiboot information. QEMU -kernel, iPXE (BIOS)
 * and GRUB all accept this, which an ELF64 would not give us.
 *
 * Here we build just enough page tables to reach 64-bit C code: the first
 * 4 GiB mapped three times (identity, so the next instruction after
 * enabling paging exists; the direct map at 0xffff800000000000; and the
 * kernel window at 0xffffffff80000000). mm/ replaces them with exact
 * tables once the memory map is known.
 */
#include <arch/layout.h>

#define MB_MAGIC        0x1BADB002
/* page-align modules | want memory map | a.out kludge address fields */
#define MB_FLAGS        ((1 << 0) | (1 << 1) | (1 << 16))

#define CR0_PE          (1 << 0)
#define CR0_WP          (1 << 16)
#define CR0_PG          (1 << 31)
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xC0000080
#define EFER_LME        (1 << 8)
#define EFER_NXE        (1 << 11)
#define PTE_P_W         0x3
#define PTE_P_W_PS      0x83

#define PHYS(sym)       ((sym) - KERNEL_VMA)

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long PHYS(multiboot_header)
	.long _load_phys_start
	.long _load_phys_end
	.long _bss_phys_end
	.long PHYS(_start32)

	.section .boot.text, "ax"
	.code32
	.globl _start32
_start32:
	cli
	cld
	movl %eax, %esi                 /* multiboot magic */
	movl %ebx, %ebp                 /* multiboot info (physical) */

	/* Kernel entry time, for "first user instruction after N ms". */
	rdtsc
	movl %eax, PHYS(boot_tsc)
	movl %edx, PHYS(boot_tsc) + 4

	/* Some loaders do not zero .bss; our page tables live there. */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb

	/* Four page directories of 2 MiB pages: physical 0..4 GiB. */
	movl $PHYS(boot_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $PTE_P_W_PS, %eax
	movl %eax, (%edi,%ecx,8)
	movl %ecx, %eax
	shrl $11, %eax                  /* high bits of (ecx << 21) */
	movl %eax, 4(%edi,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* boot_pdpt[0..3] -> the four directories. */
	movl $PHYS(boot_pdpt), %edi
	movl $PHYS(boot_pd) + PTE_P_W, %eax
	movl %eax, 0(%edi)
	addl $4096, %eax
	movl %eax, 8(%edi)
	addl $4096, %eax
	movl %eax, 16(%edi)
	addl $4096, %eax
	movl %eax, 24(%edi)

	/* The kernel window: PML4[511] -> PDPT[510] -> first directory. */
	movl $PHYS(boot_pdpt_high), %edi
	movl $PHYS(boot_pd) + PTE_P_W, %eax
	movl %eax, 510*8(%edi)

	movl $PHYS(boot_pml4), %edi
	movl $PHYS(boot_pdpt) + PTE_P_W, %eax
	movl %eax, 0(%edi)              /* identity */
	movl %eax, 256*8(%edi)          /* direct map */
	movl $PHYS(boot_pdpt_high) + PTE_P_W, %eax
	movl %eax, 511*8(%edi)

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	/* Long mode; NX only if the CPU has it (CPUID 0x80000001 EDX bit 20). */
	movl $0x80000001, %eax
	cpuid
	xorl %ebx, %ebx
	testl $(1 << 20), %edx
	jz 2f
	movl $EFER_NXE, %ebx
2:	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	orl %ebx, %eax
	wrmsr

	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP | CR0_PE), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(start64_low)

	.code64
start64_low:
	movabsq $start64, %rax
	jmp *%rax

	.text
start64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movq $boot_stack_top, %rsp
	movl %esi, %edi                 /* arg 0: multiboot magic */
	movl %ebp, %esi                 /* arg 1: multiboot info (phys) */
	xorl %ebp, %ebp                 /* ends backtraces */
	call x86_64_boot_main
3:	cli
	hlt
	jmp 3b

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code, ring 0 */
	.quad 0x00cf92000000ffff        /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.data
	.balign 8
	.globl boot_tsc
boot_tsc:
	.quad 0

	.bss
	.balign 4096
	.globl boot_pml4
boot_pml4:      .skip 4096
boot_pdpt:      .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096 * 4
	.globl boot_stack_top
boot_stack:     .skip BOOT_STACK_SIZE
boot_stack_top:
