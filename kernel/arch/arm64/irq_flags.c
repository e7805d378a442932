/* Interrupt masking (PSTATE.I through DAIF) behind kevlar/arch.h. */
#include <kevlar/arch.h>
#include <arch/cpu.h>

#define DAIF_I  (1UL << 7)

unsigned long arch_irq_save(void)
{
	unsigned long flags = read_sysreg(daif);

	__asm__ volatile("msr daifset, #2" : : : "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	if (!(flags & DAIF_I))
		__asm__ volatile("msr daifclr, #2" : : : "memory");
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

bool arch_irqs_enabled(void)
{
	return !(read_sysreg(daif) & DAIF_I);
}

/*
 * wfi wakes on a pending interrupt even while masked, so masking first
 * and unmasking after closes the window where a wake-up could be lost.
 */
void arch_idle(void)
{
	__asm__ volatile("msr daifset, #2; wfi; msr daifclr, #2" : : : "memory");
}
