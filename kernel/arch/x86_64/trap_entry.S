/*
 * Entry stubs for all 256 vectors and the common save/restore path.
 * Every stub leaves the same layout (struct trap_frame): vectors where the
 * CPU pushes no error code push a zero first. swapgs happens only when
 * the interrupted code was user mode (CS RPL 3), so %gs always points to
 * our per-CPU data inside the kernel.
 */
#include <arch/segments.h>

/* Vectors with a CPU-pushed error code: #DF #TS #NP #SS #GP #PF #AC #CP */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if !HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	testb $3, 24(%rsp)              /* saved CS */
	jz 1f
	swapgs
1:	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	call trap_handler

/* Also where a new task enters user space: %rsp points at its trap_frame. */
	.globl trap_return
trap_return:
	cli
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp                  /* vector and error code */
	iretq
