/*
 * Leaving the machine through PSCI (the firmware interface QEMU virt and
 * U-Boot/TF-A boards provide; the DTB's /psci says hvc or smc).
 * SYSTEM_OFF makes QEMU exit with status 0. After a panic, with
 * kevlar.semihosting, QEMU is asked to exit with status 3 (as x86_64's
 * isa-debug-exit gives); without it we power off as well, and only the
 * console's "KEVLAR PANIC" line tells a panic from a clean power-off.
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

/* Arm semihosting (the Arm semihosting specification): SYS_EXIT with a
 * block of (reason, status); ADP_Stopped_ApplicationExit passes the status. */
#define SEMIHOSTING_SYS_EXIT            0x18
#define ADP_STOPPED_APPLICATION_EXIT    0x20026
#define PANIC_EXIT_STATUS               3

static void semihosting_exit(uint64_t status)
{
	static uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = status;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void arch_panic_exit(void)
{
	arch_irq_disable();
	if (semihosting)
		semihosting_exit(PANIC_EXIT_STATUS);
	psci_call(PSCI_SYSTEM_OFF);
	halt_forever();
}
