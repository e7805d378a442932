/*
 * The serial console as a terminal: UART receive interrupt → line
 * discipline, line discipline output → UART. /dev/ttyS0, /dev/console
 * and init's standard descriptors are all this one tty.
 */
#include <kevlar/arch.h>
#include <kevlar/tty.h>

static struct tty serial;
static bool started;

static void serial_putc(char c)
{
	arch_console_putc(c);
}

/* Receive interrupt: interrupts are off, which is the tty lock. */
static void serial_rx(char c)
{
	if (serial.ldisc.termios.c_cflag & CREAD)
		tty_ldisc_receive(&serial.ldisc, &c, 1);
}

struct tty *tty_serial(void)
{
	if (!started) {
		started = true;
		tty_init(&serial, "ttyS0", serial_putc);
		arch_console_rx_enable(serial_rx);
	}
	return &serial;
}
