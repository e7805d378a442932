/*
 * The legacy 8259 PIC pair, remapped so IRQ 0..15 arrive at vectors
 * 32..47 (the CPU's exceptions own 0..31). Good enough for the PIT and
 * COM1 on one CPU; SMP will need the I/O APIC.
 */
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <arch/cpu.h>
#include <arch/segments.h>
#include <arch/traps.h>

#define PIC1_CMD    0x20
#define PIC1_DATA   0x21
#define PIC2_CMD    0xa0
#define PIC2_DATA   0xa1
#define PIC_EOI     0x20
#define ICW1_INIT_ICW4  0x11
#define ICW4_8086   0x01
#define PIC_CASCADE_IRQ 2

static irq_handler_t handlers[16];
static uint16_t mask = 0xffff;

static void write_mask(void)
{
	outb(PIC1_DATA, mask & 0xff);
	outb(PIC2_DATA, mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, IRQ_BASE);
	outb(PIC2_DATA, IRQ_BASE + 8);
	outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);  /* slave on IRQ 2 */
	outb(PIC2_DATA, PIC_CASCADE_IRQ);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	mask = 0xffff & ~(1 << PIC_CASCADE_IRQ);
	write_mask();
}

void pic_unmask(unsigned irq)
{
	mask &= ~(1u << irq);
	write_mask();
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

void irq_register(unsigned irq, irq_handler_t handler)
{
	handlers[irq] = handler;
	pic_unmask(irq);
}

void irq_dispatch(unsigned irq)
{
	/* IRQ 7/15 without an in-service bit are spurious: no EOI for those. */
	if (irq == 7 || irq == 15) {
		outb(irq == 7 ? PIC1_CMD : PIC2_CMD, 0x0b);
		if (!(inb(irq == 7 ? PIC1_CMD : PIC2_CMD) & 0x80)) {
			if (irq == 15)
				outb(PIC1_CMD, PIC_EOI);
			return;
		}
	}
	/* EOI first: the handler may switch tasks and return much later. */
	pic_eoi(irq);
	if (handlers[irq]) {
		irq_enter();
		handlers[irq]();
		irq_exit();
	}
}
