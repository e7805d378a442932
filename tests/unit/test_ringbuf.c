/* Byte ring: wraparound, full/empty, partial gets, all-or-nothing puts, spans. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/ringbuf.h>

static void test_new_ring_is_empty_and_get_returns_nothing(void **state)
{
	char store[8], out[8];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	assert_true(ringbuf_empty(&rb));
	assert_int_equal(ringbuf_used(&rb), 0);
	assert_int_equal(ringbuf_free(&rb), 8);
	assert_int_equal(ringbuf_get(&rb, out, sizeof(out)), 0);
	assert_int_equal(ringbuf_get_byte(&rb), -1);
	assert_int_equal(ringbuf_unput(&rb), -1);
}

static void test_put_stops_when_full_and_keeps_order(void **state)
{
	char store[5], out[8];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	assert_int_equal(ringbuf_put(&rb, "abcdefg", 7), 5);
	assert_true(ringbuf_full(&rb));
	assert_false(ringbuf_put_byte(&rb, 'x'));
	assert_int_equal(ringbuf_get(&rb, out, sizeof(out)), 5);
	assert_memory_equal(out, "abcde", 5);
	assert_true(ringbuf_empty(&rb));
}

/* Capacity 7 (not a power of two) forces every wrap position to be exercised. */
static void test_wraparound_preserves_fifo_order_at_every_offset(void **state)
{
	char store[7], out[7];
	struct ringbuf rb;
	unsigned char next_in = 0, next_out = 0;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	for (int round = 0; round < 200; round++) {
		size_t want = (size_t)(round % 5) + 1;
		char in[5];

		for (size_t i = 0; i < want; i++)
			in[i] = (char)(next_in + i);
		size_t put = ringbuf_put(&rb, in, want);
		next_in = (unsigned char)(next_in + put);

		size_t got = ringbuf_get(&rb, out, (size_t)(round % 3) + 1);
		for (size_t i = 0; i < got; i++)
			assert_int_equal((unsigned char)out[i], next_out++);
		assert_true(ringbuf_used(&rb) <= 7);
	}
	while (!ringbuf_empty(&rb))
		assert_int_equal(ringbuf_get_byte(&rb), next_out++);
	assert_int_equal(next_in, next_out);
}

static void test_partial_get_leaves_the_rest(void **state)
{
	char store[16], out[16];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	ringbuf_put(&rb, "hello world", 11);
	assert_int_equal(ringbuf_get(&rb, out, 5), 5);
	assert_memory_equal(out, "hello", 5);
	assert_int_equal(ringbuf_used(&rb), 6);
	assert_int_equal(ringbuf_get(&rb, out, 100), 6);
	assert_memory_equal(out, " world", 6);
}

static void test_put_all_is_all_or_nothing(void **state)
{
	char store[8], out[8];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	assert_true(ringbuf_put_all(&rb, "abcde", 5));
	assert_false(ringbuf_put_all(&rb, "WXYZ", 4));
	assert_int_equal(ringbuf_used(&rb), 5);
	assert_true(ringbuf_put_all(&rb, "fgh", 3));
	assert_true(ringbuf_full(&rb));
	assert_true(ringbuf_put_all(&rb, "", 0));
	assert_int_equal(ringbuf_get(&rb, out, 8), 8);
	assert_memory_equal(out, "abcdefgh", 8);
}

/* A pipe writer of <= PIPE_BUF bytes needs exactly this: wait, then all at once. */
static void test_put_all_across_the_wrap_point(void **state)
{
	static char store[65536], chunk[4096], out[4096];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	memset(chunk, 'a', sizeof(chunk));
	for (int i = 0; i < 15; i++)
		assert_true(ringbuf_put_all(&rb, chunk, sizeof(chunk)));
	assert_int_equal(ringbuf_get(&rb, out, 2000), 2000);
	/* 4096 free at the end, 2000 at the start: 4096 fits, 8192 does not. */
	memset(chunk, 'b', sizeof(chunk));
	assert_true(ringbuf_put_all(&rb, chunk, sizeof(chunk)));
	assert_false(ringbuf_put_all(&rb, chunk, 2001));
	assert_true(ringbuf_put_all(&rb, chunk, 2000));
	assert_true(ringbuf_full(&rb));
	assert_int_equal(ringbuf_discard(&rb, 15 * 4096 - 2000), 15 * 4096 - 2000);
	assert_int_equal(ringbuf_get(&rb, out, 4096), 4096);
	for (int i = 0; i < 4096; i++)
		assert_int_equal(out[i], 'b');
}

static void test_peek_and_at_do_not_consume(void **state)
{
	char store[6], out[6];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	ringbuf_put(&rb, "xxxx", 4);
	ringbuf_discard(&rb, 4);
	ringbuf_put(&rb, "abcdef", 6);          /* stored wrapped: head at 4 */
	assert_int_equal(ringbuf_peek(&rb, 1, out, 4), 4);
	assert_memory_equal(out, "bcde", 4);
	assert_int_equal(ringbuf_peek(&rb, 4, out, 6), 2);
	assert_memory_equal(out, "ef", 2);
	assert_int_equal(ringbuf_peek(&rb, 6, out, 1), 0);
	assert_int_equal(ringbuf_at(&rb, 0), 'a');
	assert_int_equal(ringbuf_at(&rb, 5), 'f');
	assert_int_equal(ringbuf_used(&rb), 6);
}

static void test_unput_removes_newest_byte_even_when_wrapped(void **state)
{
	char store[4], out[4];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	ringbuf_put(&rb, "abc", 3);
	ringbuf_discard(&rb, 3);
	ringbuf_put(&rb, "defg", 4);            /* "d" at index 3, "efg" at 0..2 */
	assert_int_equal(ringbuf_unput(&rb), 'g');
	assert_int_equal(ringbuf_unput(&rb), 'f');
	assert_int_equal(ringbuf_unput(&rb), 'e');
	assert_true(ringbuf_put_byte(&rb, 'E'));
	assert_int_equal(ringbuf_get(&rb, out, 4), 2);
	assert_memory_equal(out, "dE", 2);
}

static void test_spans_give_contiguous_runs_for_user_copies(void **state)
{
	char store[10];
	struct ringbuf rb;
	const char *rp;
	char *wp;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	assert_int_equal(ringbuf_read_span(&rb, &rp), 0);
	assert_int_equal(ringbuf_write_span(&rb, &wp), 10);
	memcpy(wp, "0123456", 7);
	/* A faulting copy_from_user commits only what arrived. */
	ringbuf_produce(&rb, 7);
	assert_int_equal(ringbuf_read_span(&rb, &rp), 7);
	assert_memory_equal(rp, "0123456", 7);
	ringbuf_consume(&rb, 5);
	/* Free space is now 3 at the end, then 5 at the start. */
	assert_int_equal(ringbuf_write_span(&rb, &wp), 3);
	memcpy(wp, "789", 3);
	ringbuf_produce(&rb, 3);
	assert_int_equal(ringbuf_write_span(&rb, &wp), 5);
	assert_ptr_equal(wp, store);
	memcpy(wp, "ABCDE", 5);
	ringbuf_produce(&rb, 5);
	assert_true(ringbuf_full(&rb));
	assert_int_equal(ringbuf_write_span(&rb, &wp), 0);
	assert_int_equal(ringbuf_read_span(&rb, &rp), 5);
	assert_memory_equal(rp, "56789", 5);
	ringbuf_consume(&rb, 5);
	assert_int_equal(ringbuf_read_span(&rb, &rp), 5);
	assert_memory_equal(rp, "ABCDE", 5);
	/* Over-long commits are clamped rather than corrupting the ring. */
	ringbuf_consume(&rb, 99);
	assert_true(ringbuf_empty(&rb));
	ringbuf_produce(&rb, 99);
	assert_true(ringbuf_full(&rb));
}

static void test_clear_empties_the_ring(void **state)
{
	char store[4];
	struct ringbuf rb;

	(void)state;
	ringbuf_init(&rb, store, sizeof(store));
	ringbuf_put(&rb, "abc", 3);
	ringbuf_clear(&rb);
	assert_true(ringbuf_empty(&rb));
	assert_int_equal(ringbuf_free(&rb), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_ring_is_empty_and_get_returns_nothing),
		cmocka_unit_test(test_put_stops_when_full_and_keeps_order),
		cmocka_unit_test(test_wraparound_preserves_fifo_order_at_every_offset),
		cmocka_unit_test(test_partial_get_leaves_the_rest),
		cmocka_unit_test(test_put_all_is_all_or_nothing),
		cmocka_unit_test(test_put_all_across_the_wrap_point),
		cmocka_unit_test(test_peek_and_at_do_not_consume),
		cmocka_unit_test(test_unput_removes_newest_byte_even_when_wrapped),
		cmocka_unit_test(test_spans_give_contiguous_runs_for_user_copies),
		cmocka_unit_test(test_clear_empties_the_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
