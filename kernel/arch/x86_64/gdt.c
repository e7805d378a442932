/*
 * GDT, TSS and per-CPU data for the boot CPU. Long mode ignores segment
 * bases and limits except FS/GS (from MSRs); the TSS matters for the stack
 * the CPU switches to on an interrupt from user mode (rsp0) and for the
 * double-fault stack (IST1).
 */
#include <kevlar/string.h>
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/segments.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct descriptor_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static uint8_t double_fault_stack[8192] __attribute__((aligned(16)));
static struct percpu boot_cpu;

/* Access bytes: present, DPL, code/data, and L (64-bit) for code. */
#define SEG_KERNEL_CODE 0x00af9a000000ffffUL
#define SEG_KERNEL_DATA 0x00cf92000000ffffUL
#define SEG_USER_CODE32 0x00cffa000000ffffUL
#define SEG_USER_DATA   0x00cff2000000ffffUL
#define SEG_USER_CODE   0x00affa000000ffffUL

static void set_tss_descriptor(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89UL << 40) |     /* present, 64-bit available TSS */
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

void percpu_init(void)
{
	struct descriptor_ptr ptr = { sizeof(gdt) - 1, (uint64_t)gdt };

	gdt[GDT_KERNEL_CS / 8] = SEG_KERNEL_CODE;
	gdt[GDT_KERNEL_DS / 8] = SEG_KERNEL_DATA;
	gdt[GDT_USER_CS32 / 8] = SEG_USER_CODE32;
	gdt[GDT_USER_DS / 8] = SEG_USER_DATA;
	gdt[GDT_USER_CS / 8] = SEG_USER_CODE;
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)double_fault_stack + sizeof(double_fault_stack);
	tss.iomap_base = sizeof(tss);   /* no I/O bitmap: user port I/O faults */
	set_tss_descriptor();

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw %w2, %%ds\n\t"
		"movw %w2, %%es\n\t"
		"movw %w2, %%ss\n\t"
		"ltr %w3\n\t"
		: : "m"(ptr), "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS), "r"(GDT_TSS)
		: "rax", "memory");

	boot_cpu.self = &boot_cpu;
	boot_cpu.cpu_id = 0;
	/* In the kernel GS_BASE is ours; KERNEL_GS_BASE holds user space's
	 * value until swapgs exchanges the two on the way out. */
	wrmsr(MSR_GS_BASE, (uint64_t)&boot_cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

void tss_set_kernel_stack(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
	this_cpu()->kernel_rsp = rsp0;
}
