#ifndef ARCH_X86_64_SEGMENTS_H
#define ARCH_X86_64_SEGMENTS_H

/*
 * GDT selectors. The order is forced by SYSCALL/SYSRET: kernel data must
 * follow kernel code (SYSCALL loads SS = STAR.kernel + 8), and for SYSRET
 * to 64-bit mode user data and user code sit at STAR.user + 8 and + 16.
 */
#define GDT_KERNEL_CS   0x08
#define GDT_KERNEL_DS   0x10
#define GDT_USER_CS32   0x18
#define GDT_USER_DS     0x20
#define GDT_USER_CS     0x28
#define GDT_TSS         0x30
#define GDT_ENTRIES     8       /* the TSS descriptor takes two slots */

#define USER_RPL        3
#define USER_CS         (GDT_USER_CS | USER_RPL)
#define USER_DS         (GDT_USER_DS | USER_RPL)

/* Offsets into struct percpu, reached through %gs in assembly. */
#define PERCPU_SELF         0
#define PERCPU_KERNEL_RSP   8
#define PERCPU_USER_RSP     16
#define PERCPU_CURRENT      24

/* Interrupt stack table slot for double faults (a guaranteed-good stack). */
#define IST_DOUBLE_FAULT    1

/* The vector number recorded in a trap_frame built by the SYSCALL entry. */
#define VECTOR_SYSCALL      0x100

#define IRQ_BASE            32      /* legacy PIC IRQ 0 lands here */

#endif
