/*
 * 16550 UART on COM1 (I/O port 0x3f8): the boot console. Polled output
 * only for now; 115200 8N1 like every PC firmware and Linux's default.
 */
#include <arch/cpu.h>
#include <arch/uart.h>
#include <arch/traps.h>
#include <kevlar/arch.h>

#define COM1            0x3f8
#define UART_DATA       0
#define UART_IER        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define UART_DLL        0       /* with LCR.DLAB set */
#define UART_DLM        1

#define LCR_8N1         0x03
#define LCR_DLAB        0x80
#define LSR_DATA_READY  0x01
#define LSR_THR_EMPTY   0x20
#define LSR_TX_IDLE     0x40    /* holding register and shift register empty */
#define MCR_DTR_RTS_OUT2 0x0b

void uart_init(void)
{
	/*
	 * The boot loader's last bytes may still be in the transmit FIFO:
	 * let them out (bounded: a missing UART must not hang the boot)
	 * before the FIFO reset below throws them away.
	 */
	for (int i = 0; i < 100000; i++)
		if (inb(COM1 + UART_LSR) & LSR_TX_IDLE)
			break;
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);       /* 115200 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);    /* enable + clear FIFOs, 14-byte threshold */
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

void uart_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel forever. */
	for (int i = 0; i < 100000; i++)
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

int uart_getc_nonblock(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

void arch_console_putc(char c)
{
	uart_putc(c);
}

int arch_console_getc(void)
{
	return uart_getc_nonblock();
}

#define IER_RX_AVAILABLE 0x01
#define COM1_IRQ         4

static void (*rx_handler)(char c);

static void uart_interrupt(void)
{
	int c;

	while ((c = uart_getc_nonblock()) >= 0)
		if (rx_handler)
			rx_handler((char)c);
}

void arch_console_rx_enable(void (*handler)(char c))
{
	rx_handler = handler;
	irq_register(COM1_IRQ, uart_interrupt);
	outb(COM1 + UART_IER, IER_RX_AVAILABLE);
}
