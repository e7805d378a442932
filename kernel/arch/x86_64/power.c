/*
 * Leaving the machine. On QEMU's pc machine, writing SLP_TYPa=5|SLP_EN to
 * the PIIX4 ACPI PM1a control port (0x604) powers off and QEMU exits with
 * status 0; isa-debug-exit at 0xf4 (when the farm adds it) makes QEMU exit
 * with (value << 1) | 1, so writing 1 gives status 3 for a panic.
 */
#include <kevlar/arch.h>
#include <arch/cpu.h>

#define QEMU_ACPI_PM1A_CNT      0x604
#define ACPI_S5_SLEEP           0x2000
#define QEMU_DEBUG_EXIT_PORT    0xf4

static __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_poweroff(void)
{
	arch_irq_disable();
	outw(QEMU_ACPI_PM1A_CNT, ACPI_S5_SLEEP);
	halt_forever();
}

void arch_panic_exit(void)
{
	arch_irq_disable();
	outb(QEMU_DEBUG_EXIT_PORT, 1);
	halt_forever();
}
