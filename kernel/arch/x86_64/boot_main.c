/*
 * First C code on x86_64, on the boot stack with the early page tables
 * from boot.S. Sets up what the generic kernel assumes exists (console,
 * descriptor tables, FPU, SYSCALL) and hands over to kernel_main.
 */
#include <kevlar/bootinfo.h>
#include <arch/percpu.h>
#include <arch/traps.h>
#include <arch/uart.h>

bool multiboot_parse(uint32_t magic, uint32_t mbi_phys);
void fpu_init(void);
void syscall_init(void);

bool boot_protocol_ok;

__attribute__((noreturn)) void x86_64_boot_main(uint32_t magic, uint32_t mbi_phys)
{
	uart_init();
	boot_protocol_ok = multiboot_parse(magic, mbi_phys);
	percpu_init();
	idt_init();
	pic_init();
	fpu_init();
	syscall_init();
	kernel_main();
}
