/*
 * PL011 UART (QEMU virt's ttyAMA0 at 0x09000000; the DTB says where):
 * the boot console. The firmware or QEMU has set the baud rate; we only
 * make sure the UART, transmitter and receiver are enabled.
 */
#include <kevlar/arch.h>
#include <arch/cpu.h>
#include <arch/platform.h>
#include <arch/traps.h>
#include <arch/debug_dump.h>

#define UART_DR         0x00
#define UART_FR         0x18
#define UART_CR         0x30
#define UART_IMSC       0x38
#define UART_ICR        0x44

#define DR_BE           (1 << 10)   /* this "character" is a BREAK */
#define FR_RXFE         (1 << 4)
#define FR_TXFF         (1 << 5)
#define CR_UARTEN       (1 << 0)
#define CR_TXE          (1 << 8)
#define CR_RXE          (1 << 9)
#define IMSC_RXIM       (1 << 4)
#define IMSC_RTIM       (1 << 6)

static uint64_t uart;

void uart_init(void)
{
	uart = mmio_virt(platform.uart_base);
	mmio_write32(uart + UART_IMSC, 0);
	mmio_write32(uart + UART_CR, mmio_read32(uart + UART_CR) | CR_UARTEN | CR_TXE | CR_RXE);
}

void arch_console_putc(char c)
{
	if (!uart)
		return;
	/* Bounded wait: a missing UART must not hang the kernel forever. */
	for (int i = 0; i < 100000; i++)
		if (!(mmio_read32(uart + UART_FR) & FR_TXFF))
			break;
	mmio_write32(uart + UART_DR, (uint8_t)c);
}

int arch_console_getc(void)
{
	if (!uart || (mmio_read32(uart + UART_FR) & FR_RXFE))
		return -1;
	return mmio_read32(uart + UART_DR) & 0xff;
}

static void (*rx_handler)(char c);

static void uart_interrupt(void)
{
	uint32_t c;

	/*
	 * Clear first, then drain: a character that arrives after the last
	 * read raises the interrupt again. Clearing after the drain lost it
	 * (seen in make test: the echo of a typed line stopped mid-line and
	 * input never came again, as QEMU feeds no more characters until the
	 * one waiting is read).
	 */
	mmio_write32(uart + UART_ICR, IMSC_RXIM | IMSC_RTIM);
	while (!(mmio_read32(uart + UART_FR) & FR_RXFE)) {
		c = mmio_read32(uart + UART_DR);
		if (c & DR_BE)
			debug_dump_all();
		else if (rx_handler)
			rx_handler((char)(c & 0xff));
	}
}

void arch_console_rx_enable(void (*handler)(char c))
{
	rx_handler = handler;
	irq_register(platform.uart_irq, uart_interrupt);
	gic_enable_irq(platform.uart_irq);
	mmio_write32(uart + UART_IMSC, IMSC_RXIM | IMSC_RTIM);
}
