#ifndef ARCH_X86_64_UART_H
#define ARCH_X86_64_UART_H

void uart_init(void);
void uart_putc(char c);
int uart_getc_nonblock(void);   /* -1 when no byte is waiting */

#endif
