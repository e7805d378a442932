/*
 * The termios ABI values as Linux's own UAPI headers define them. Built
 * for the host in test_termios_abi, and compiled against the arm64 cross
 * headers by the Makefile's abi check, whose .rodata must match x86_64's.
 */

#include <stddef.h>
#include <asm/termbits.h>
#include <asm/termios.h>
#include <asm/ioctls.h>
#include <linux/tty.h>
#include "termios_abi_names.h"

#define X(v) (unsigned long)(v),
const unsigned long termios_abi_linux[] = {
	TERMIOS_ABI_LAYOUT(X)
	TERMIOS_ABI_NAMES(X)
};
#undef X
