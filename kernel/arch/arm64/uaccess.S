/*
 * The only instructions that touch user memory. Each possibly-faulting
 * load or store has an exception-table entry (faulting address, fix-up
 * address); the abort handler resumes at the fix-up, which returns
 * -EFAULT, so a bad user pointer can never crash the kernel. Eight bytes
 * at a time while both pointers are 8-byte aligned, bytes otherwise: never
 * an unaligned access.
 */
#define EFAULT 14

.macro extable insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad \insn, \fixup
	.popsection
.endm

	.text
/* long arch_copy_user(void *dst, const void *src, size_t n): 0 or -EFAULT */
	.globl arch_copy_user
arch_copy_user:
	orr	x4, x0, x1
	tst	x4, #7
	b.ne	20f                     /* not both aligned: bytes */
21:	cmp	x2, #8
	b.lo	20f
22:	ldr	x3, [x1], #8
23:	str	x3, [x0], #8
	sub	x2, x2, #8
	b	21b
20:	cbz	x2, 3f
1:	ldrb	w3, [x1], #1
2:	strb	w3, [x0], #1
	subs	x2, x2, #1
	b.ne	1b
3:	mov	x0, #0
	ret
4:	mov	x0, #-EFAULT
	ret
	extable 1b, 4b
	extable 2b, 4b
	extable 22b, 4b
	extable 23b, 4b

/*
 * long arch_strncpy_user(char *dst, const char *src, size_t n):
 * bytes copied before the NUL (which is copied too), n if no NUL was found
 * in n bytes, or -EFAULT.
 */
	.globl arch_strncpy_user
arch_strncpy_user:
	mov	x4, #0
5:	cmp	x4, x2
	b.eq	7f
6:	ldrb	w3, [x1, x4]
	strb	w3, [x0, x4]
	cbz	w3, 7f
	add	x4, x4, #1
	b	5b
7:	mov	x0, x4
	ret
8:	mov	x0, #-EFAULT
	ret
	extable 6b, 8b

/* long arch_clear_user(void *dst, size_t n): 0 or -EFAULT */
	.globl arch_clear_user
arch_clear_user:
	tst	x0, #7
	b.ne	12f
13:	cmp	x1, #8
	b.lo	12f
14:	str	xzr, [x0], #8
	sub	x1, x1, #8
	b	13b
12:	cbz	x1, 10f
9:	strb	wzr, [x0], #1
	subs	x1, x1, #1
	b.ne	9b
10:	mov	x0, #0
	ret
11:	mov	x0, #-EFAULT
	ret
	extable 9b, 11b
	extable 14b, 11b
