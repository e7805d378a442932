/*
 * Leaving the machine through PSCI (the firmware interface QEMU virt and
 * U-Boot/TF-A boards provide; the DTB's /psci says hvc or smc).
 * SYSTEM_OFF makes QEMU exit with status 0. After a panic we also power
 * off (QEMU runs with -no-reboot); the console's "KEVLAR PANIC" line is
 * what tells a panic from a clean power-off on arm64.
 */
#include <kevlar/arch.h>
#include <arch/platform.h>

#define PSCI_SYSTEM_OFF     0x84000008
#define PSCI_SYSTEM_RESET   0x84000009

static void psci_call(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	if (platform.psci == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else if (platform.psci == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

void arch_poweroff(void)
{
	arch_irq_disable();
	psci_call(PSCI_SYSTEM_OFF);
	halt_forever();
}

void arch_panic_exit(void)
{
	arch_irq_disable();
	psci_call(PSCI_SYSTEM_OFF);
	halt_forever();
}
