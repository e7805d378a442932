#ifndef KEVLAR_ARCH_H
#define KEVLAR_ARCH_H

/*
 * The interface every architecture provides to the generic kernel. Kept
 * small on purpose: everything above arch/ is shared by x86_64 and arm64.
 */

#include <kevlar/types.h>

/* Interrupt state. irq_save disables and returns the previous state. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irqs_enabled(void);

/* Wait for the next interrupt (with interrupts enabled). */
void arch_idle(void);

/* Leave the machine: clean power-off (exit status 0 on QEMU) or after a panic. */
__attribute__((noreturn)) void arch_poweroff(void);
__attribute__((noreturn)) void arch_panic_exit(void);
/*
 * kevlar.semihosting: the machine is an emulator that takes an exit status
 * through Arm semihosting (QEMU -semihosting-config enable=on), so a panic
 * can end it with status 3 as isa-debug-exit does on x86_64. Never set on
 * hardware: there the semihosting trap is an undefined instruction.
 */
extern bool semihosting;


/* Cycle counter since kernel entry, and cycles per microsecond (0 = unknown). */
uint64_t arch_cycles_since_boot(void);

/* The boot console (a UART): polled output, non-blocking input (-1 = none). */
void arch_console_putc(char c);
int arch_console_getc(void);
/* Deliver received bytes to handler from the console's receive interrupt. */
void arch_console_rx_enable(void (*handler)(char c));

/* Start the periodic scheduler tick (interrupts still off). */
void arch_timer_init(void);
/* In an interrupt handler: the interrupt came from user mode (CPU time accounting). */
bool arch_irq_from_user(void);

/*
 * Name of the architecture for uname(2) and AT_PLATFORM: Linux's names,
 * which differ from our ARCH= names on arm64 ("aarch64").
 */
#if defined(__aarch64__)
#define ARCH_UNAME_MACHINE "aarch64"
#else
#define ARCH_UNAME_MACHINE "x86_64"
#endif

#endif
