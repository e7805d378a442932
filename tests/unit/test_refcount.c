/*
 * refcount_t: ordinary counting, the last put, and the impossible moves
 * (overflow, increment from zero, decrement below zero), which must park
 * the count at the saturation value, never reach zero, and report once.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/refcount.h>
#include "console_stub.h"

static int reports(void)
{
	int n = 0;

	console_output[console_output_len] = '\0';
	for (const char *p = console_output; (p = strstr(p, "refcount: ")); p++)
		n++;
	return n;
}

static bool reported(const char *what)
{
	console_output[console_output_len] = '\0';
	return strstr(console_output, what) != NULL;
}

static void test_counts_up_and_down_and_only_the_last_put_says_free(void **state)
{
	refcount_t r = REFCOUNT_INIT(1);

	(void)state;
	console_reset();
	refcount_inc(&r);
	refcount_inc(&r);
	assert_int_equal(refcount_read(&r), 3);
	assert_false(refcount_dec_and_test(&r));
	assert_false(refcount_dec_and_test(&r));
	assert_int_equal(refcount_read(&r), 1);
	assert_true(refcount_dec_and_test(&r));
	assert_int_equal(refcount_read(&r), 0);
	assert_int_equal(reports(), 0);
}

static void test_inc_not_zero_refuses_a_released_object(void **state)
{
	refcount_t r;

	(void)state;
	console_reset();
	refcount_set(&r, 0);
	assert_false(refcount_inc_not_zero(&r));
	assert_int_equal(refcount_read(&r), 0);
	refcount_set(&r, 2);
	assert_true(refcount_inc_not_zero(&r));
	assert_int_equal(refcount_read(&r), 3);
	assert_int_equal(reports(), 0);
}

static void test_overflow_saturates_instead_of_wrapping_and_reports_once(void **state)
{
	refcount_t r;

	(void)state;
	console_reset();
	refcount_set(&r, __INT_MAX__ - 1);
	refcount_inc(&r);
	assert_int_equal(refcount_read(&r), __INT_MAX__);
	assert_int_equal(reports(), 0);
	refcount_inc(&r);
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_true(reported("overflow"));
	/* Saturated stays saturated, whatever happens next, and says nothing more. */
	for (int i = 0; i < 1000; i++) {
		refcount_inc(&r);
		assert_true(refcount_inc_not_zero(&r));
		assert_false(refcount_dec_and_test(&r));
		refcount_dec(&r);
	}
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_true(refcount_saturated(&r));
	assert_int_equal(reports(), 1);
}

static void test_inc_not_zero_at_the_limit_saturates(void **state)
{
	refcount_t r;

	(void)state;
	console_reset();
	refcount_set(&r, __INT_MAX__);
	assert_true(refcount_inc_not_zero(&r));
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_true(reported("overflow"));
	assert_int_equal(reports(), 1);
}

static void test_inc_from_zero_reports_use_after_free_and_never_frees_again(void **state)
{
	refcount_t r = REFCOUNT_INIT(1);

	(void)state;
	console_reset();
	assert_true(refcount_dec_and_test(&r));
	refcount_inc(&r);               /* a user of the freed object */
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_true(reported("increment from zero"));
	/* Its matching put must not free a second time. */
	assert_false(refcount_dec_and_test(&r));
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_int_equal(reports(), 1);
}

static void test_underflow_reports_and_saturates(void **state)
{
	refcount_t r = REFCOUNT_INIT(1);

	(void)state;
	console_reset();
	assert_true(refcount_dec_and_test(&r));
	assert_false(refcount_dec_and_test(&r));     /* one put too many */
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_true(reported("below zero"));
	assert_false(refcount_dec_and_test(&r));
	refcount_inc(&r);
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
	assert_int_equal(reports(), 1);
}

static void test_dec_reaching_zero_is_reported_as_a_leak(void **state)
{
	refcount_t r = REFCOUNT_INIT(2);

	(void)state;
	console_reset();
	refcount_dec(&r);
	assert_int_equal(refcount_read(&r), 1);
	assert_int_equal(reports(), 0);
	refcount_dec(&r);
	assert_true(reported("leak"));
	assert_int_equal(refcount_read(&r), REFCOUNT_SATURATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_up_and_down_and_only_the_last_put_says_free),
		cmocka_unit_test(test_inc_not_zero_refuses_a_released_object),
		cmocka_unit_test(test_overflow_saturates_instead_of_wrapping_and_reports_once),
		cmocka_unit_test(test_inc_not_zero_at_the_limit_saturates),
		cmocka_unit_test(test_inc_from_zero_reports_use_after_free_and_never_frees_again),
		cmocka_unit_test(test_underflow_reports_and_saturates),
		cmocka_unit_test(test_dec_reaching_zero_is_reported_as_a_leak),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
