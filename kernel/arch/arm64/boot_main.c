/*
 * First C code on arm64, on the boot stack with boot.S's early tables
 * (image at KERNEL_LINK_BASE, physical 0..4 GiB at DIRECT_MAP_BASE).
 * Reads the device tree, brings up the console and the interrupt
 * controller, and hands over to kernel_main.
 */
#include <kevlar/bootinfo.h>
#include <arch/layout.h>
#include <arch/platform.h>
#include <arch/traps.h>

void uart_init(void);

bool boot_protocol_ok;
struct boot_info boot_info;

extern char _kernel_start[], _kernel_end[];

__attribute__((noreturn)) void arm64_boot_main(uint64_t dtb_phys)
{
	boot_protocol_ok = dtb_parse(dtb_phys);
	boot_info.kernel_start = kernel_phys_base;
	boot_info.kernel_end = kernel_phys_base + (uint64_t)(_kernel_end - _kernel_start);
	uart_init();
	gic_init();
	kernel_main();
}
