/*
 * GICv2 (QEMU virt's default, "arm,cortex-a15-gic"): the distributor
 * routes interrupts, the CPU interface acknowledges them. One CPU, all
 * interrupts at one priority, level or edge as the distributor's reset
 * configuration says (the devices we use are level; the timer PPI is
 * fixed by the hardware).
 */
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <arch/cpu.h>
#include <arch/platform.h>
#include <arch/traps.h>

#define GICD_CTLR           0x000
#define GICD_TYPER          0x004
#define GICD_ISENABLER      0x100
#define GICD_ICENABLER      0x180
#define GICD_IPRIORITYR     0x400
#define GICD_ITARGETSR      0x800

#define GICC_CTLR           0x000
#define GICC_PMR            0x004
#define GICC_IAR            0x00c
#define GICC_EOIR           0x010

#define GIC_SPURIOUS        1023
#define GIC_MAX_IRQS        1020
#define IRQ_PRIORITY        0xa0
#define HANDLED_IRQS        128

static uint64_t gicd, gicc;
static irq_handler_t handlers[HANDLED_IRQS];

void gic_init(void)
{
	unsigned lines;

	gicd = mmio_virt(platform.gicd_base);
	gicc = mmio_virt(platform.gicc_base);
	lines = MIN(32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1), (unsigned)GIC_MAX_IRQS);

	mmio_write32(gicd + GICD_CTLR, 0);
	for (unsigned i = 0; i < lines; i += 32)
		mmio_write32(gicd + GICD_ICENABLER + i / 8, 0xffffffff);
	for (unsigned i = 0; i < lines; i += 4)
		mmio_write32(gicd + GICD_IPRIORITYR + i,
			     IRQ_PRIORITY * 0x01010101u);
	/* Shared interrupts go to CPU 0 (the target fields of SGIs/PPIs are read-only). */
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(gicd + GICD_ITARGETSR + i, 0x01010101);
	mmio_write32(gicd + GICD_CTLR, 1);
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

void gic_enable_irq(unsigned intid)
{
	mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void irq_register(unsigned intid, irq_handler_t handler)
{
	if (intid < HANDLED_IRQS)
		handlers[intid] = handler;
}

void gic_handle_irq(void)
{
	for (;;) {
		uint32_t iar = mmio_read32(gicc + GICC_IAR);
		unsigned intid = iar & 0x3ff;

		if (intid >= GIC_SPURIOUS)
			return;
		if (intid < HANDLED_IRQS && handlers[intid]) {
			irq_enter();
			handlers[intid]();
			irq_exit();
		} else
			pr_warn("gic: unexpected interrupt %u\n", intid);
		mmio_write32(gicc + GICC_EOIR, iar);
	}
}
