/*
 * Backtraces by the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer). On both arches a frame record is [the caller's
 * frame pointer, the return address] (rbp on x86_64, x29 on arm64); boot
 * and user entries clear the frame pointer, which ends the walk. Addresses
 * are checked to lie in the kernel half so a corrupted chain cannot fault.
 */
#include <kevlar/backtrace.h>
#include <kevlar/kallsyms.h>
#include <kevlar/printk.h>
#include <arch/layout.h>

#define BACKTRACE_MAX 32

uint64_t backtrace_current_frame(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

void backtrace_print_ip(uint64_t addr)
{
	uint64_t off;
	const char *name = kallsyms_lookup(addr, &off);

	if (name)
		printk(KERN_EMERG "  [<%016lx>] %s+%#lx\n", (unsigned long)addr, name,
		       (unsigned long)off);
	else
		printk(KERN_EMERG "  [<%016lx>]\n", (unsigned long)addr);
}

void backtrace_print(uint64_t fp)
{
	for (int depth = 0; depth < BACKTRACE_MAX; depth++) {
		const uint64_t *frame = (const uint64_t *)fp;

		if (fp < DIRECT_MAP_BASE || (fp & 7))
			break;
		if (frame[1] < KERNEL_TEXT_BASE)
			break;
		backtrace_print_ip(frame[1] - RETURN_ADDRESS_TO_CALL);
		fp = frame[0];
	}
}
