#ifndef ARCH_X86_64_TRAPS_H
#define ARCH_X86_64_TRAPS_H

#include <arch/trap_frame.h>

#define VEC_DIVIDE          0
#define VEC_DEBUG           1
#define VEC_NMI             2
#define VEC_BREAKPOINT      3
#define VEC_INVALID_OPCODE  6
#define VEC_DEVICE_NA       7
#define VEC_DOUBLE_FAULT    8
#define VEC_GP              13
#define VEC_PAGE_FAULT      14

/* Page-fault error code bits. */
#define PF_PRESENT  (1 << 0)
#define PF_WRITE    (1 << 1)
#define PF_USER     (1 << 2)
#define PF_FETCH    (1 << 4)

void idt_init(void);
void trap_handler(struct trap_frame *tf);
void trap_print_frame(const struct trap_frame *tf);

/* Legacy 8259 PIC and its IRQ handlers. */
void pic_init(void);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
typedef void (*irq_handler_t)(void);
void irq_register(unsigned irq, irq_handler_t handler);
void irq_dispatch(unsigned irq);

/* The trapped instruction's address, for code above arch/ (core/extable.c). */
#define TRAP_FRAME_PC(tf)       ((tf)->rip)

/* Find an exception-table fix-up for a faulting kernel instruction. */
bool extable_fixup(struct trap_frame *tf);

#endif
