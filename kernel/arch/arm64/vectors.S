/*
 * Exception vectors (VBAR_EL1). Every exception saves a struct
 * trap_frame on the kernel stack (SP_EL1) and calls trap_handler; the
 * way back is trap_return. The kernel always runs on SP_EL1, and a task
 * in user mode has SP_EL1 at the top of its kernel stack, so an entry
 * from EL0 builds its frame exactly where task_user_frame() says.
 */
#include <arch/trap_frame.h>

/* Each vector is 32 instructions at most: save x0/x1, note the kind, go on. */
.macro vector el, kind
	.balign 0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x0, #\kind
	b	entry_el\el
.endm

/* The rest of the frame; x0 = kind. Then trap_handler(frame), trap_return. */
.macro save_rest el
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	str	x30, [sp, #16 * 15]
	.if \el == 0
	mrs	x21, sp_el0
	mov	x29, #0                 /* user frame pointers end kernel backtraces */
	.else
	add	x21, sp, #TF_SIZE
	.endif
	mrs	x22, elr_el1
	stp	x21, x22, [sp, #TF_SP]
	mrs	x23, spsr_el1
	stp	x23, x0, [sp, #TF_PSTATE]       /* pstate, kind */
	mrs	x25, esr_el1
	mrs	x26, far_el1
	stp	x25, x26, [sp, #TF_KIND + 8]
	mov	x27, #-1
	ldr	x28, [sp, #TF_X0]
	stp	x27, x28, [sp, #TF_KIND + 24]   /* syscallno, orig_x0 */
	mov	x0, sp
	bl	trap_handler
	b	trap_return
.endm

	.text
	.balign 0x800
	.globl exception_vectors
exception_vectors:
	/* Current EL with SP_EL0: never used (the kernel runs on SP_EL1). */
	vector 1, 4
	vector 1, 4
	vector 1, 4
	vector 1, 4
	/* Current EL with SP_EL1: kernel mode. */
	vector 1, TRAP_SYNC
	vector 1, TRAP_IRQ
	vector 1, TRAP_FIQ
	vector 1, TRAP_SERROR
	/* Lower EL, AArch64: user mode. */
	vector 0, TRAP_SYNC
	vector 0, TRAP_IRQ
	vector 0, TRAP_FIQ
	vector 0, TRAP_SERROR
	/* Lower EL, AArch32: not supported (PSTATE says so; handled as invalid). */
	vector 0, 5
	vector 0, 5
	vector 0, 5
	vector 0, 5

entry_el0:
	save_rest 0
entry_el1:
	save_rest 1

/* Restore the frame at sp and return from the exception. */
	.globl trap_return
trap_return:
	msr	daifset, #2
	ldp	x21, x22, [sp, #TF_SP]
	ldr	x23, [sp, #TF_PSTATE]
	tst	x23, #0xf
	b.ne	1f
	msr	sp_el0, x21
1:	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #TF_SIZE
	eret
