/*
 * kvsnprintf against the host snprintf, printk_format_line, and printk's
 * level filtering and line continuation.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <limits.h>
#include <cmocka.h>
#include <kevlar/format.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include "console_stub.h"

#define BUFLEN 300

/*
 * Format with both implementations at several buffer sizes (including
 * truncating ones) and require identical bytes and return values. The
 * buffers start filled with a sentinel so writes past size are caught.
 */
__attribute__((format(printf, 2, 3)))
static void check_like_libc(int line, const char *fmt, ...)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 8, 16, BUFLEN };
	char mine[BUFLEN], libc[BUFLEN];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		va_list ap1, ap2;
		int n_mine, n_libc;

		memset(mine, '#', sizeof(mine));
		memset(libc, '#', sizeof(libc));
		va_start(ap1, fmt);
		va_copy(ap2, ap1);
		n_mine = kvsnprintf(mine, sizes[i], fmt, ap1);
		n_libc = vsnprintf(libc, sizes[i], fmt, ap2);
		va_end(ap2);
		va_end(ap1);
		if (n_mine != n_libc || memcmp(mine, libc, sizeof(mine)) != 0) {
			print_error("line %d: format \"%s\" size %zu: got %d \"%.*s\", "
				    "libc %d \"%.*s\"\n", line, fmt, sizes[i],
				    n_mine, (int)sizes[i], mine,
				    n_libc, (int)sizes[i], libc);
			fail();
		}
	}
}

#define CHECK(...) check_like_libc(__LINE__, __VA_ARGS__)

static void test_integers_match_libc(void **state)
{
	(void)state;
	CHECK("%d", 0);
	CHECK("%d", 42);
	CHECK("%d", -42);
	CHECK("%d", INT_MIN);
	CHECK("%i", INT_MAX);
	CHECK("%u", UINT_MAX);
	CHECK("%5d|%-5d|%05d", 42, 42, 42);
	CHECK("%+d %+d % d % d", 5, -5, 5, -5);
	CHECK("%.3d|%8.3d|%-8.3d", 7, -7, 7);
	CHECK("[%.0d] [%5.0d] [%.0u]", 0, 0, 0u);
	CHECK("%05d|%+05d", -42, 42);
	CHECK("%x %X %o", 0xbeefu, 0xbeefu, 0755u);
	CHECK("%#x %#X %#o %#x %#o", 255u, 255u, 8u, 0u, 0u);
	CHECK("%#10x|%#010x|%-#10x|", 0xabu, 0xabu, 0xabu);
	CHECK("%#.0o %#.3o %#5o", 0u, 8u, 8u);
	CHECK("%hhd %hhu %hhx", 300, -1, 0x1ff);
	CHECK("%hd %hu %hx", 70000, -1, 0x12345);
	CHECK("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	CHECK("%lld %llu %llX", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL);
	CHECK("%zu %zd %zx", SIZE_MAX, (ssize_t)-5, (size_t)4096);
	CHECK("%td %tx", (ptrdiff_t)-12345, (ptrdiff_t)0x10);
	CHECK("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	CHECK("%*d|%-*d|%*d|", 6, 1, 6, 1, -6, 1);
	CHECK("%.*d|%*.*d|%.*d", 4, 3, 8, 4, 3, -1, 3);
	CHECK("%020llu", 123ULL);
}

static void test_strings_chars_pointers_match_libc(void **state)
{
	/* volatile: keeps GCC from diagnosing the deliberate NULL %s */
	const char *volatile null_str = NULL;
	(void)state;

	CHECK("%s", "hello");
	CHECK("%s", "");
	CHECK("%10s|%-10s|%.2s|%10.2s|%-10.2s|", "abc", "abc", "abc", "abc", "abc");
	CHECK("%.*s|%*s", 3, "abcdef", -5, "x");
	CHECK("%s", null_str);
	CHECK("%10s|", null_str);
	CHECK("%c%c%c", 'a', 'b', 'c');
	CHECK("%5c|%-3c|", 'x', 'y');
	CHECK("%%|100%% sure|");
	CHECK("%p", (void *)0x1234);
	CHECK("%p", (void *)0xffffffff80001000UL);
	CHECK("%20p|%-20p|", (void *)0xdead, (void *)0xdead);
	CHECK("plain text with no conversions");
	CHECK("a=%d b=%s c=%#x d=%c\n", -1, "str", 0x10u, 'Z');
	CHECK("%s", "a long string that will certainly be truncated by the small buffers");
}

/*
 * Flag combinations that C defines but GCC warns about as pointless: the
 * '0' flag is ignored next to '-' or an integer precision.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
static void test_ignored_flags_and_empty_format_match_libc(void **state)
{
	(void)state;
	CHECK("%08.3d|%-05d|%-010x|", 7, -42, 0xau);
	CHECK("%-08s|%05s|", "ab", "cd");
	CHECK("");
}
#pragma GCC diagnostic pop

static void test_null_buffer_with_size_zero_counts_only(void **state)
{
	(void)state;
	assert_int_equal(ksnprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
}

static void test_pointer_and_unknown_conversions_are_visible(void **state)
{
	char buf[64];
	(void)state;

	assert_int_equal(ksnprintf(buf, sizeof(buf), "%p", (void *)0), 3);
	assert_string_equal(buf, "0x0");
	char *volatile null_str = NULL;

	assert_int_equal(ksnprintf(buf, sizeof(buf), "%.3s|%s", null_str,
				   null_str), 10);
	assert_string_equal(buf, "(nu|(null)");
	/* Deliberately bad formats, built at run time to dodge -Wformat. */
	const char *bad1 = "a%qb", *bad2 = "end%", *bad3 = "end%5l";
	assert_int_equal(ksnprintf(buf, sizeof(buf), bad1), 4);
	assert_string_equal(buf, "a%qb");
	assert_int_equal(ksnprintf(buf, sizeof(buf), bad2), 4);
	assert_string_equal(buf, "end%");
	assert_int_equal(ksnprintf(buf, sizeof(buf), bad3), 6);
	assert_string_equal(buf, "end%5l");
}

static void test_format_line_pads_seconds_and_micros(void **state)
{
	char buf[64];
	(void)state;

	assert_int_equal(printk_format_line(buf, sizeof(buf), 0, "boot"), 19);
	assert_string_equal(buf, "[    0.000000] boot");
	printk_format_line(buf, sizeof(buf), 1234567891011ULL, "x");
	assert_string_equal(buf, "[ 1234.567891] x");
	printk_format_line(buf, sizeof(buf), 999ULL, "");
	assert_string_equal(buf, "[    0.000000] ");
	printk_format_line(buf, sizeof(buf), 123456000001000ULL, "wide");
	assert_string_equal(buf, "[123456.000001] wide");
}

static void test_format_line_truncates_to_buffer(void **state)
{
	char buf[10];
	(void)state;

	memset(buf, 'Q', sizeof(buf));
	assert_int_equal(printk_format_line(buf, sizeof(buf), 0, "message"), 9);
	assert_string_equal(buf, "[    0.00");
	assert_int_equal(printk_format_line(buf, 0, 0, "message"), 0);
}

static int setup_printk(void **state)
{
	(void)state;
	printk_set_loglevel(PRINTK_DEFAULT_CONSOLE_LOGLEVEL);
	/* Close any line a previous test left open. */
	printk(KERN_EMERG "\n");
	console_reset();
	fake_clock_ns = 1500000000ULL;
	return 0;
}

static void test_printk_stamps_each_line(void **state)
{
	(void)state;
	printk(KERN_INFO "hello %d\n", 42);
	assert_string_equal(console_output, "[    1.500000] hello 42\n");
	console_reset();
	printk("one\ntwo\n");
	assert_string_equal(console_output,
			    "[    1.500000] one\n[    1.500000] two\n");
}

static void test_printk_hides_debug_by_default(void **state)
{
	(void)state;
	pr_debug("hidden\n");
	assert_string_equal(console_output, "");
	pr_info("shown\n");
	assert_string_equal(console_output, "[    1.500000] shown\n");
	printk_set_loglevel(8);
	console_reset();
	pr_debug("now shown\n");
	assert_string_equal(console_output, "[    1.500000] now shown\n");
}

static void test_printk_loglevel_filters_by_number(void **state)
{
	(void)state;
	printk_set_loglevel(4);
	assert_int_equal(printk_get_loglevel(), 4);
	pr_warn("w\n");
	pr_notice("n\n");
	pr_info("i\n");
	printk("default is info\n");
	assert_string_equal(console_output, "");
	pr_err("e\n");
	pr_emerg("m\n");
	assert_string_equal(console_output, "[    1.500000] e\n[    1.500000] m\n");
	printk_set_loglevel(0);
	console_reset();
	pr_emerg("silent\n");
	assert_string_equal(console_output, "");
}

static void test_printk_continues_unterminated_line(void **state)
{
	(void)state;
	pr_info("progress:");
	fake_clock_ns += 1000000000ULL;
	pr_cont(" 50%%");
	printk(" 100%%\n");
	assert_string_equal(console_output, "[    1.500000] progress: 50% 100%\n");
	console_reset();
	pr_cont("cont without open line\n");
	assert_string_equal(console_output, "[    2.500000] cont without open line\n");
}

static void test_printk_level_breaks_open_line(void **state)
{
	(void)state;
	pr_info("partial");
	pr_err("new line\n");
	assert_string_equal(console_output,
			    "[    1.500000] partial\n[    1.500000] new line\n");
}

static void test_printk_hidden_line_hides_continuation(void **state)
{
	(void)state;
	pr_debug("dbg");
	pr_cont(" more\n");
	pr_info("after\n");
	assert_string_equal(console_output, "[    1.500000] after\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_match_libc),
		cmocka_unit_test(test_strings_chars_pointers_match_libc),
		cmocka_unit_test(test_ignored_flags_and_empty_format_match_libc),
		cmocka_unit_test(test_null_buffer_with_size_zero_counts_only),
		cmocka_unit_test(test_pointer_and_unknown_conversions_are_visible),
		cmocka_unit_test(test_format_line_pads_seconds_and_micros),
		cmocka_unit_test(test_format_line_truncates_to_buffer),
		cmocka_unit_test_setup(test_printk_stamps_each_line, setup_printk),
		cmocka_unit_test_setup(test_printk_hides_debug_by_default, setup_printk),
		cmocka_unit_test_setup(test_printk_loglevel_filters_by_number, setup_printk),
		cmocka_unit_test_setup(test_printk_continues_unterminated_line, setup_printk),
		cmocka_unit_test_setup(test_printk_level_breaks_open_line, setup_printk),
		cmocka_unit_test_setup(test_printk_hidden_line_hides_continuation, setup_printk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
