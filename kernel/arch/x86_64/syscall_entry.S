/*
 * SYSCALL entry. The CPU saved the user rip in %rcx and rflags in %r11,
 * cleared the flags in MSR_FMASK (IF among them) and did not switch
 * stacks: we swapgs to reach per-CPU data, switch to the task's kernel
 * stack and build the same struct trap_frame interrupts build, so fork,
 * exec and signals see one layout. We return with iretq (trap_return),
 * which also copes with a non-canonical user rip that sysret would turn
 * into a kernel-mode #GP.
 */
#include <arch/segments.h>

	.text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KERNEL_RSP, %rsp
	pushq $USER_DS                  /* ss */
	pushq %gs:PERCPU_USER_RSP       /* rsp */
	pushq %r11                      /* rflags */
	pushq $USER_CS                  /* cs */
	pushq %rcx                      /* rip */
	pushq $0                        /* error code */
	pushq $VECTOR_SYSCALL
	pushq %rax
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
	xorl %ebp, %ebp                 /* backtraces stop at the user boundary */
	movq %rsp, %rdi
	call syscall_handler
	jmp trap_return
