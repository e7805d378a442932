/*
 * Context switch and the first code of new tasks, plus saving and
 * loading the user's FP/SIMD registers (assembly because the kernel's C
 * is built without them).
 */
#include <arch/trap_frame.h>

	.arch armv8-a+fp+simd
	.text

/*
 * void switch_stacks(uint64_t *save_sp, uint64_t next_sp)
 * Saves the callee-saved registers (x19-x30) on the current stack, stores
 * sp in *save_sp, and resumes the task whose stack is next_sp.
 */
	.globl switch_stacks
switch_stacks:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x2, sp
	str	x2, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret

/* First code of a new kernel thread: x19 = fn, x20 = arg (see task.c). */
	.globl kthread_trampoline
kthread_trampoline:
	msr	daifclr, #2
	mov	x0, x20
	blr	x19
	mov	x0, #0
	bl	task_exit
	brk	#0

/* void enter_user_frame(struct trap_frame *tf): eret into user mode. */
	.globl enter_user_frame
enter_user_frame:
	mov	sp, x0
	b	trap_return

/* First code of a forked child: its copy of the parent's trap frame is at sp. */
	.globl fork_return
fork_return:
	b	trap_return

/* void fpsimd_save(struct fpsimd_state *s) / fpsimd_load(const struct fpsimd_state *s) */
	.globl fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	str	w1, [x0, #512]
	str	w2, [x0, #516]
	ret

	.globl fpsimd_load
fpsimd_load:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	ldr	w1, [x0, #512]
	ldr	w2, [x0, #516]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
