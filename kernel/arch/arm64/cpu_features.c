/* AT_HWCAP for arm64 programs: feature bits of asm/hwcap.h. */
#include <arch/cpu.h>
#include <arch/elf_arch.h>

#define HWCAP_FP        (1 << 0)
#define HWCAP_ASIMD     (1 << 1)
#define HWCAP_EVTSTRM   (1 << 2)

/*
 * Every ARMv8-A core we run on has FP and Advanced SIMD. No HWCAP_CPUID:
 * we do not emulate EL0 reads of the ID registers, so glibc must not try.
 */
uint64_t arch_elf_hwcap(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), hw = 0;

	if (((pfr0 >> 16) & 0xf) != 0xf)
		hw |= HWCAP_FP;
	if (((pfr0 >> 20) & 0xf) != 0xf)
		hw |= HWCAP_ASIMD;
	return hw;
}
