/* CPU feature words handed to user space. */
#include <arch/cpu.h>
#include <arch/elf_arch.h>

uint64_t arch_elf_hwcap(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return d;
}
