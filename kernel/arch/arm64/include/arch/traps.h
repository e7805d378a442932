#ifndef ARCH_ARM64_TRAPS_H
#define ARCH_ARM64_TRAPS_H

#include <arch/trap_frame.h>

void trap_handler(struct trap_frame *tf);
void trap_print_frame(const struct trap_frame *tf);
void syscall_handler(struct trap_frame *tf);

/* The interrupt controller (GICv2) and its handlers, by interrupt ID. */
typedef void (*irq_handler_t)(void);
void gic_init(void);
void gic_enable_irq(unsigned intid);
void irq_register(unsigned intid, irq_handler_t handler);
void gic_handle_irq(void);

/* The trapped instruction's address, for code above arch/ (core/extable.c). */
#define TRAP_FRAME_PC(tf)       ((tf)->pc)

/* Find an exception-table fix-up for a faulting kernel instruction. */
bool extable_fixup(struct trap_frame *tf);

#endif
