/* Interrupt-flag helpers behind kevlar/arch.h. */
#include <kevlar/arch.h>
#include <arch/cpu.h>

unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return flags & RFLAGS_IF;
}

/* sti takes effect after the next instruction, so no wake-up is lost. */
void arch_idle(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}
