/*
 * The only instructions that touch user memory. Each possibly-faulting
 * instruction has an exception-table entry (faulting address, fix-up
 * address); the page-fault handler resumes at the fix-up, which returns
 * -EFAULT, so a bad user pointer can never crash the kernel.
 */
#define EFAULT 14

	.text
/* long arch_copy_user(void *dst, const void *src, size_t n): 0 or -EFAULT */
	.globl arch_copy_user
arch_copy_user:
	movq %rdx, %rcx
1:	rep movsb
	xorl %eax, %eax
	ret
2:	movq $-EFAULT, %rax
	ret
	.section __ex_table, "a"
	.quad 1b, 2b
	.text

/*
 * long arch_strncpy_user(char *dst, const char *src, size_t n):
 * bytes copied before the NUL (which is copied too), n if no NUL was found
 * in n bytes, or -EFAULT.
 */
	.globl arch_strncpy_user
arch_strncpy_user:
	xorl %eax, %eax
3:	cmpq %rdx, %rax
	je 5f
4:	movb (%rsi,%rax), %cl
	movb %cl, (%rdi,%rax)
	testb %cl, %cl
	jz 5f
	incq %rax
	jmp 3b
5:	ret
6:	movq $-EFAULT, %rax
	ret
	.section __ex_table, "a"
	.quad 4b, 6b
	.text

/* long arch_clear_user(void *dst, size_t n): 0 or -EFAULT */
	.globl arch_clear_user
arch_clear_user:
	movq %rsi, %rcx
	xorl %eax, %eax
7:	rep stosb
	ret
8:	movq $-EFAULT, %rax
	ret
	.section __ex_table, "a"
	.quad 7b, 8b
	.text
