/* Kernel command line parsing: options, errors, quoting, init argv/envp. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <kevlar/cmdline.h>
#include <kevlar/string.h>

static struct kernel_cmdline cl;
static char err[512];

static int parse(const char *line)
{
	return cmdline_parse(line, &cl, err, sizeof(err));
}

static void assert_argv(char *const *argv, int argc, const char *const *expect)
{
	int n = 0;

	for (; expect[n]; n++) {
		assert_true(n < argc);
		assert_string_equal(argv[n], expect[n]);
	}
	assert_int_equal(argc, n);
	assert_null(argv[n]);
}

#define ASSERT_ARGV(...) do {                                              \
	static const char *const e_[] = { __VA_ARGS__, NULL };             \
	assert_argv(cl.argv_init, cl.argc_init, e_);                       \
} while (0)
#define ASSERT_ENVP(...) do {                                              \
	static const char *const e_[] = { __VA_ARGS__, NULL };             \
	assert_argv(cl.envp_init, cl.envc_init, e_);                       \
} while (0)
#define ASSERT_NO_ARGV() assert_argv(cl.argv_init, cl.argc_init, (const char *const[]){ NULL })
#define ASSERT_NO_ENVP() assert_argv(cl.envp_init, cl.envc_init, (const char *const[]){ NULL })

static void test_empty_line_gives_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_string_equal(cl.console, "");
	assert_string_equal(cl.init, "");
	assert_string_equal(cl.rdinit, "");
	assert_int_equal(cl.loglevel, -1);
	assert_int_equal(cl.trace_flags, 0);
	ASSERT_NO_ARGV();
	ASSERT_NO_ENVP();
	assert_string_equal(err, "");
	assert_int_equal(cmdline_parse(NULL, &cl, NULL, 0), 0);
}

static void test_known_options_are_parsed(void **state)
{
	(void)state;
	assert_int_equal(parse("  console=ttyS0,115200\tinit=/sbin/init "
			       "rdinit=/init loglevel=3 kevlar.trace=exec,sched\n"), 0);
	assert_string_equal(cl.console, "ttyS0,115200");
	assert_string_equal(cl.init, "/sbin/init");
	assert_string_equal(cl.rdinit, "/init");
	assert_int_equal(cl.loglevel, 3);
	assert_int_equal(cl.trace_flags, TRACE_EXEC | TRACE_SCHED);
	ASSERT_NO_ARGV();
	ASSERT_NO_ENVP();
}

static void test_trace_all_and_later_options_win(void **state)
{
	(void)state;
	assert_int_equal(parse("kevlar.trace=all init=/a init=/b"), 0);
	assert_int_equal(cl.trace_flags, TRACE_ALL);
	assert_string_equal(cl.init, "/b");
	assert_int_equal(parse("kevlar.trace=syscall"), 0);
	assert_int_equal(cl.trace_flags, TRACE_SYSCALL);
}

static void test_semihosting_is_a_flag(void **state)
{
	(void)state;
	assert_int_equal(parse("console=ttyAMA0"), 0);
	assert_false(cl.semihosting);
	assert_int_equal(parse("kevlar.semihosting console=ttyAMA0"), 0);
	assert_true(cl.semihosting);
	assert_int_equal(parse("kevlar.semihosting=1"), 1);
	assert_string_equal(err, "kevlar.semihosting takes no value, got \"1\"");
	assert_false(cl.semihosting);
}

static void test_debug_locks_sets_its_flag_and_unknown_checks_are_reported(void **state)
{
	(void)state;
	assert_int_equal(parse("kevlar.debug=locks"), 0);
	assert_int_equal(cl.debug_flags, DEBUG_LOCKS);
	assert_int_equal(cl.argc_init, 0);
	assert_int_equal(parse("kevlar.debug=locks,bogus"), 1);
	assert_string_equal(err, "kevlar.debug: unknown check \"bogus\" (known: locks)");
	assert_int_equal(cl.debug_flags, DEBUG_LOCKS);
	assert_int_equal(parse("kevlar.debug"), 1);
	assert_int_equal(cl.debug_flags, 0);
}

static void test_bad_trace_event_is_reported_and_good_ones_kept(void **state)
{
	(void)state;
	assert_int_equal(parse("kevlar.trace=exec,foo console=ttyS1"), 1);
	assert_string_equal(err, "kevlar.trace: unknown event \"foo\" "
				 "(known: exec, syscall, sched)");
	assert_int_equal(cl.trace_flags, TRACE_EXEC);
	assert_string_equal(cl.console, "ttyS1");
}

static void test_bad_loglevel_is_reported(void **state)
{
	(void)state;
	assert_int_equal(parse("loglevel=x"), 1);
	assert_string_equal(err, "loglevel: expected 0-7, got \"x\"");
	assert_int_equal(cl.loglevel, -1);
	assert_int_equal(parse("loglevel=8"), 1);
	assert_int_equal(parse("loglevel"), 1);
	assert_string_equal(err, "loglevel: expected 0-7, got \"\"");
	assert_int_equal(parse("loglevel=7"), 0);
	assert_int_equal(cl.loglevel, 7);
}

static void test_unknown_kevlar_option_and_several_problems(void **state)
{
	(void)state;
	assert_int_equal(parse("kevlar.bogus=1 loglevel=9 init=/ok kevlar.x"), 3);
	assert_string_equal(err, "unknown kevlar option \"kevlar.bogus\"; "
				 "loglevel: expected 0-7, got \"9\"; "
				 "unknown kevlar option \"kevlar.x\"");
	assert_string_equal(cl.init, "/ok");
}

static void test_errors_fit_small_buffers_and_null(void **state)
{
	char small[12];
	(void)state;

	memset(small, 'Z', sizeof(small));
	assert_int_equal(cmdline_parse("kevlar.bogus kevlar.more", &cl, small,
				       sizeof(small)), 2);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(cmdline_parse("kevlar.bogus", &cl, NULL, 0), 1);
	assert_int_equal(cmdline_parse("kevlar.bogus", &cl, small, 0), 1);
}

static void test_too_long_values_are_rejected(void **state)
{
	char line[400];
	(void)state;

	snprintf(line, sizeof(line), "console=%040d init=%0300d", 1, 2);
	assert_int_equal(parse(line), 2);
	assert_string_equal(cl.console, "");
	assert_string_equal(cl.init, "");
	assert_non_null(strstr(err, "console: value too long (max 31 characters)"));
	assert_int_equal(parse("init="), 1);
	assert_string_equal(err, "init: expected a value");
}

static void test_unknown_words_go_to_init(void **state)
{
	(void)state;
	assert_int_equal(parse("single TERM=linux console=ttyS0 HOME=/ -v"), 0);
	ASSERT_ARGV("single", "-v");
	ASSERT_ENVP("TERM=linux", "HOME=/");
}

static void test_module_params_and_linux_options_are_dropped(void **state)
{
	(void)state;
	assert_int_equal(parse("usbcore.autosuspend=-1 foo.bar root=/dev/vda ro "
			       "rootwait panic=10 BOOT_IMAGE=/vmlinuz"), 0);
	ASSERT_NO_ARGV();
	ASSERT_ENVP("BOOT_IMAGE=/vmlinuz");
}

static void test_quiet_and_debug_set_loglevel(void **state)
{
	(void)state;
	assert_int_equal(parse("quiet"), 0);
	assert_int_equal(cl.loglevel, 4);
	assert_int_equal(parse("loglevel=6 quiet"), 0);
	assert_int_equal(cl.loglevel, 6);
	assert_int_equal(parse("debug"), 0);
	assert_int_equal(cl.loglevel, 8);
	ASSERT_NO_ARGV();
}

static void test_double_dash_sends_rest_to_init_argv(void **state)
{
	(void)state;
	assert_int_equal(parse("console=ttyS0 -- init=/x a=b kevlar.bogus -- s"), 0);
	assert_string_equal(cl.init, "");
	ASSERT_ARGV("init=/x", "a=b", "kevlar.bogus", "--", "s");
	ASSERT_NO_ENVP();
}

static void test_quotes_group_words_and_are_removed(void **state)
{
	(void)state;
	assert_int_equal(parse("init=\"/bin/my init\" \"MSG=hello world\" "
			       "\"two words\" X=\"a b\"c"), 0);
	assert_string_equal(cl.init, "/bin/my init");
	ASSERT_ENVP("MSG=hello world", "X=a bc");
	ASSERT_ARGV("two words");
	assert_int_equal(parse("\"unterminated quote"), 0);
	ASSERT_ARGV("unterminated quote");
}

static void test_boot_image_path_or_uri_as_first_word_is_skipped(void **state)
{
	(void)state;
	assert_int_equal(parse("http://10.0.2.2/kevlar.elf console=ttyS0 single"), 0);
	ASSERT_ARGV("single");
	assert_int_equal(parse("/boot/vmlinuz init=/sbin/init"), 0);
	ASSERT_NO_ARGV();
	assert_int_equal(parse("tftp://h/k"), 0);
	ASSERT_NO_ARGV();
	assert_int_equal(parse("build/x86_64/kevlar.elf 3"), 0);   /* QEMU multiboot */
	ASSERT_ARGV("3");
	/* Only the first word is treated as the image. */
	assert_int_equal(parse("single /path http://x"), 0);
	ASSERT_ARGV("single", "/path", "http://x");
}

static void test_too_many_init_args_are_reported(void **state)
{
	char line[1024] = "";
	(void)state;

	for (int i = 0; i < 40; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), "a%d V%d=1 ", i, i);
	assert_int_equal(parse(line), 18);
	assert_int_equal(cl.argc_init, CMDLINE_MAX_ARGS - 1);
	assert_int_equal(cl.envc_init, CMDLINE_MAX_ARGS - 1);
	assert_string_equal(cl.argv_init[30], "a30");
	assert_string_equal(cl.envp_init[30], "V30=1");
	assert_null(cl.argv_init[31]);
	assert_non_null(strstr(err, "too many init arguments (max 31): dropped \"a31\""));
}

static void test_storage_exhaustion_is_reported_not_overflowed(void **state)
{
	static char line[8192];
	(void)state;

	memset(line, 'x', 3000);
	line[3000] = '\0';
	strcat(line, " init=/after");
	assert_int_equal(parse(line), 1);
	assert_non_null(strstr(err, "command line too long"));
	assert_string_equal(cl.init, "/after");
	ASSERT_NO_ARGV();

	line[0] = '\0';
	for (int i = 0; i < 30; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
			 "E%d=%0100d ", i, i);
	assert_true(parse(line) > 0);
	assert_true(cl.envc_init < 30);
	assert_true(cl.envc_init > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_line_gives_defaults),
		cmocka_unit_test(test_known_options_are_parsed),
		cmocka_unit_test(test_trace_all_and_later_options_win),
		cmocka_unit_test(test_bad_trace_event_is_reported_and_good_ones_kept),
		cmocka_unit_test(test_debug_locks_sets_its_flag_and_unknown_checks_are_reported),
		cmocka_unit_test(test_bad_loglevel_is_reported),
		cmocka_unit_test(test_unknown_kevlar_option_and_several_problems),
		cmocka_unit_test(test_errors_fit_small_buffers_and_null),
		cmocka_unit_test(test_too_long_values_are_rejected),
		cmocka_unit_test(test_unknown_words_go_to_init),
		cmocka_unit_test(test_module_params_and_linux_options_are_dropped),
		cmocka_unit_test(test_quiet_and_debug_set_loglevel),
		cmocka_unit_test(test_double_dash_sends_rest_to_init_argv),
		cmocka_unit_test(test_quotes_group_words_and_are_removed),
		cmocka_unit_test(test_boot_image_path_or_uri_as_first_word_is_skipped),
		cmocka_unit_test(test_too_many_init_args_are_reported),
		cmocka_unit_test(test_semihosting_is_a_flag),
		cmocka_unit_test(test_storage_exhaustion_is_reported_not_overflowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
