/*
 * void switch_stacks(uint64_t *save_sp, uint64_t next_sp)
 * Saves the callee-saved registers on the current stack, stores %rsp in
 * *save_sp, and resumes the task whose stack is next_sp. Caller-saved
 * registers are already dead across this call by the C ABI.
 */
	.text
	.globl switch_stacks
switch_stacks:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* First code of a new kernel thread: r12 = fn, r13 = arg (see task.c). */
	.globl kthread_trampoline
kthread_trampoline:
	sti
	movq %r13, %rdi
	call *%r12
	xorl %edi, %edi
	call task_exit
	ud2

/* void enter_user_frame(struct trap_frame *tf): iretq into user mode. */
	.globl enter_user_frame
enter_user_frame:
	movq %rdi, %rsp
	jmp trap_return

/* First code of a forked child: its copy of the parent's trap frame is at %rsp. */
	.globl fork_return
fork_return:
	jmp trap_return
