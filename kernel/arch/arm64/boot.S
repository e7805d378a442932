/*
 * arm64 entry: the Linux Image header, then the first instructions.
 *
 * The loader (QEMU -kernel, U-Boot booti) follows the Linux arm64 boot
 * protocol: the Image is at a 2 MiB aligned base + text_offset (0 here),
 * MMU and D-cache off, x0 = physical address of the DTB, at EL2 or EL1.
 * We drop to EL1, map the image at KERNEL_LINK_BASE and the first 4 GiB
 * of physical space at DIRECT_MAP_BASE (plus an identity map of the
 * image for the instruction that turns the MMU on), and call C.
 */
#include <arch/layout.h>

/* Block descriptors (4 KiB granule). AttrIndx 0 = normal write-back,
 * 1 = device nGnRE (see MAIR below); SH inner shareable; AF set. */
#define DESC_TABLE          0x3
#define BLOCK_NORMAL        0x701
#define BLOCK_DEVICE_LO     0x405           /* + PXN | UXN (bits 53, 54) */
#define BLOCK_DEVICE_HI     0x0060          /* bits 48..63 of the device block */

/* MAIR_EL1: attr0 0xff normal WB RW-allocate, attr1 0x04 device nGnRE,
 * attr2 0x44 normal non-cacheable. */
#define MAIR_VALUE          0x4404ff

/* TCR_EL1: T0SZ = T1SZ = 16 (48-bit halves), 4 KiB granules (TG0 0, TG1 2),
 * walks inner/outer write-back cacheable, inner shareable. IPS is set
 * from ID_AA64MMFR0_EL1.PARange at run time. */
#define TCR_LO              0x3510          /* T0SZ, IRGN0, ORGN0, SH0 */
#define TCR_HI              0xb510          /* T1SZ, IRGN1, ORGN1, SH1, TG1 (bits 16..31) */

/* SCTLR_EL1: RES1 bits of ARMv8.0, then M C SA SA0 I DZE UCT nTWI nTWE UCI.
 * EL0 may use DC ZVA (glibc's memset), read CTR_EL0, wait, and clean caches. */
#define SCTLR_RES1          0x30d00800
#define SCTLR_MMU_ON        0x30d5d81d      /* UCI (bit 26) is or-ed in separately */

	.section .head.text, "ax"
	.globl _start
_start:
	b	primary_entry           /* code0 */
	.long	0                       /* code1 */
	.quad	0                       /* text_offset */
	.quad	_kernel_size            /* image_size: the loader keeps this much free */
	.quad	0xa                     /* flags: little-endian, 4 KiB pages, any 2 MiB base */
	.quad	0                       /* res2 */
	.quad	0                       /* res3 */
	.quad	0                       /* res4 */
	.ascii	"ARM\x64"               /* magic */
	.long	0                       /* res5: no PE/COFF header (no EFI stub) */

	.section .boot.text, "ax"
primary_entry:
	mov	x19, x0                 /* DTB physical address */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	at_el1

	/* EL2 (U-Boot on real boards): EL1 is AArch64, the counter and timer
	 * are EL1's, FP/SIMD not trapped; then return to EL1h, all masked. */
	mov	x1, #(1 << 31)
	msr	hcr_el2, x1
	mov	x1, #3
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	mov	x1, #(SCTLR_RES1 & 0xffff)
	movk	x1, #(SCTLR_RES1 >> 16), lsl #16
	msr	sctlr_el1, x1
	mov	x1, #0x3c5
	msr	spsr_el2, x1
	adr	x1, at_el1
	msr	elr_el2, x1
	eret

at_el1:
	/* MMU off, so PC-relative addresses are physical. */
	mov	x1, #(SCTLR_RES1 & 0xffff)
	movk	x1, #(SCTLR_RES1 >> 16), lsl #16
	msr	sctlr_el1, x1
	isb
	adrp	x20, _kernel_start      /* physical load address */

	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	adrp	x1, kernel_phys_base
	str	x20, [x1, :lo12:kernel_phys_base]
	adrp	x1, boot_dtb_phys
	str	x19, [x1, :lo12:boot_dtb_phys]

	/* Identity map (TTBR0) of the 1 GiB block holding the image. */
	adrp	x3, boot_pt_id_l0
	adrp	x4, boot_pt_id_l1
	lsr	x5, x20, #39
	and	x5, x5, #511
	orr	x6, x4, #DESC_TABLE
	str	x6, [x3, x5, lsl #3]
	lsr	x5, x20, #30
	and	x5, x5, #511
	lsl	x6, x5, #30
	mov	x7, #BLOCK_NORMAL
	orr	x6, x6, x7
	str	x6, [x4, x5, lsl #3]

	/* TTBR1 root: entry 256 the direct map, entry 511 the kernel image. */
	adrp	x3, boot_pt_k_l0
	adrp	x4, boot_pt_direct_l1
	orr	x6, x4, #DESC_TABLE
	str	x6, [x3, #256 * 8]
	adrp	x8, boot_pt_image_l1
	orr	x6, x8, #DESC_TABLE
	str	x6, [x3, #511 * 8]

	/* Direct map of physical 0..4 GiB in 1 GiB blocks: normal memory where
	 * the image or the DTB is, device memory (MMIO) elsewhere. */
	lsr	x9, x20, #30
	lsr	x10, x19, #30
	mov	x5, #0
3:	lsl	x6, x5, #30
	cmp	x5, x9
	b.eq	4f
	cmp	x5, x10
	b.eq	4f
	mov	x7, #BLOCK_DEVICE_LO
	movk	x7, #BLOCK_DEVICE_HI, lsl #48
	b	5f
4:	mov	x7, #BLOCK_NORMAL
5:	orr	x6, x6, x7
	str	x6, [x4, x5, lsl #3]
	add	x5, x5, #1
	cmp	x5, #4
	b.lo	3b

	/* Image: KERNEL_LINK_BASE is entry 510 of its L1 and entry 0 of the L2;
	 * 2 MiB blocks up to the end of .bss. */
	adrp	x11, boot_pt_image_l2
	orr	x6, x11, #DESC_TABLE
	str	x6, [x8, #510 * 8]
	ldr	x12, =_kernel_blocks_2m
	mov	x5, #0
	mov	x7, #BLOCK_NORMAL
6:	lsl	x6, x5, #21
	add	x6, x6, x20
	orr	x6, x6, x7
	str	x6, [x11, x5, lsl #3]
	add	x5, x5, #1
	cmp	x5, x12
	b.lo	6b

	/* Tables were written with the MMU off: drop any stale cached copies. */
	adrp	x1, boot_pt_start
	adrp	x2, boot_pt_end
7:	dc	ivac, x1
	add	x1, x1, #64
	cmp	x1, x2
	b.lo	7b
	dsb	sy

	mov	x1, #(MAIR_VALUE & 0xffff)
	movk	x1, #(MAIR_VALUE >> 16), lsl #16
	msr	mair_el1, x1
	mrs	x2, id_aa64mmfr0_el1
	and	x2, x2, #7
	mov	x1, #TCR_LO
	movk	x1, #TCR_HI, lsl #16
	orr	x1, x1, x2, lsl #32     /* IPS = PARange */
	msr	tcr_el1, x1
	adrp	x1, boot_pt_id_l0
	msr	ttbr0_el1, x1
	adrp	x1, boot_pt_k_l0
	msr	ttbr1_el1, x1
	mov	x1, #(3 << 20)          /* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x1
	tlbi	vmalle1
	dsb	nsh
	isb
	mov	x1, #(SCTLR_MMU_ON & 0xffff)
	movk	x1, #(SCTLR_MMU_ON >> 16), lsl #16
	orr	x1, x1, #(1 << 26)
	msr	sctlr_el1, x1
	isb
	ldr	x1, =high_entry
	br	x1
	.ltorg

	.text
high_entry:
	adrp	x1, boot_stack_top
	add	x1, x1, :lo12:boot_stack_top
	mov	sp, x1
	adrp	x1, exception_vectors
	add	x1, x1, :lo12:exception_vectors
	msr	vbar_el1, x1
	isb
	mov	x29, #0                 /* ends backtraces */
	mov	x30, #0
	mov	x0, x19
	bl	arm64_boot_main
8:	wfi
	b	8b

	.section .data
	.balign 8
	.globl kernel_phys_base, boot_dtb_phys
/* Written with the MMU off, read by C (layout.h, boot_main.c). */
kernel_phys_base:
	.quad	0
boot_dtb_phys:
	.quad	0

	.section .bss.boot, "aw", %nobits
	.balign	4096
boot_pt_start:
boot_pt_id_l0:      .space 4096
boot_pt_id_l1:      .space 4096
	.globl boot_pt_k_l0
boot_pt_k_l0:       .space 4096
boot_pt_direct_l1:  .space 4096
boot_pt_image_l1:   .space 4096
boot_pt_image_l2:   .space 4096
boot_pt_end:
	.balign	16
boot_stack:         .space BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
