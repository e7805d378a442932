/* uapi/termios.h against the system's Linux UAPI headers, value by value. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <uapi/termios.h>
#include <uapi/ioctls.h>   /* shared names must be identical redefinitions */
#include "termios_abi_names.h"

extern const unsigned long termios_abi_linux[];

#define X(v) (unsigned long)(v),
static const unsigned long termios_abi_kevlar[] = {
	TERMIOS_ABI_LAYOUT(X)
	TERMIOS_ABI_NAMES(X)
};
#undef X

#define X(v) #v,
static const char *const termios_abi_what[] = {
	TERMIOS_ABI_LAYOUT(X)
	TERMIOS_ABI_NAMES(X)
};
#undef X

static void test_every_termios_constant_matches_linux_uapi(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(termios_abi_kevlar) / sizeof(termios_abi_kevlar[0]); i++) {
		if (termios_abi_kevlar[i] != termios_abi_linux[i]) {
			printf("%s: kevlar %#lx, linux %#lx\n", termios_abi_what[i],
			       termios_abi_kevlar[i], termios_abi_linux[i]);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_termios_constant_matches_linux_uapi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
