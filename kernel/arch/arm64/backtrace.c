/*
 * Backtraces by the frame-record chain (-fno-omit-frame-pointer): x29
 * points at [previous x29, return address]. Boot and user entries clear
 * x29, which ends the walk. Addresses are checked to lie in the kernel
 * half so a corrupted chain cannot fault.
 */
#include <kevlar/arch.h>
#include <kevlar/kallsyms.h>
#include <kevlar/printk.h>
#include <arch/layout.h>

#define BACKTRACE_MAX 32

uint64_t arch_current_frame(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

static void print_address(uint64_t addr)
{
	uint64_t off;
	const char *name = kallsyms_lookup(addr, &off);

	if (name)
		printk(KERN_EMERG "  [<%016lx>] %s+%#lx\n", (unsigned long)addr, name,
		       (unsigned long)off);
	else
		printk(KERN_EMERG "  [<%016lx>]\n", (unsigned long)addr);
}

void arch_print_ip(uint64_t ip)
{
	print_address(ip);
}

void arch_print_backtrace(uint64_t fp)
{
	for (int depth = 0; depth < BACKTRACE_MAX; depth++) {
		const uint64_t *frame = (const uint64_t *)fp;

		if (fp < DIRECT_MAP_BASE || (fp & 7))
			break;
		if (frame[1] < KERNEL_LINK_BASE)
			break;
		/* The return address is the instruction after the call. */
		print_address(frame[1] - 4);
		fp = frame[0];
	}
}
