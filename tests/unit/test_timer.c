/*
 * Timers without a clock: the intrusive heap's ordering (earliest first,
 * ties in arming order), removal from anywhere, its tree shape after
 * every step; and the saturating timespec/timeval conversions every
 * timeout goes through.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/time.h>
#include <kevlar/timer_heap.h>
#include <uapi/errno.h>
#include <uapi/time.h>

#define N 512

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Heap order, parent links and the count, below n; returns the node count. */
static size_t check_subtree(const struct heap_node *n, const struct heap_node *parent)
{
	if (!n)
		return 0;
	assert_ptr_equal(n->parent, parent);
	assert_true(n->queued);
	if (parent)
		assert_true(parent->key < n->key || (parent->key == n->key && parent->seq < n->seq));
	return 1 + check_subtree(n->left, n) + check_subtree(n->right, n);
}

/* Complete-tree shape: node k exists exactly for k <= size. */
static void check_shape(const struct heap_node *n, size_t k, size_t size)
{
	if (k > size) {
		assert_null(n);
		return;
	}
	assert_non_null(n);
	check_shape(n->left, 2 * k, size);
	check_shape(n->right, 2 * k + 1, size);
}

static void check_heap(const struct timer_heap *h)
{
	assert_int_equal(check_subtree(h->root, NULL), h->size);
	check_shape(h->root, 1, h->size);
}

static struct heap_node *pop(struct timer_heap *h)
{
	struct heap_node *n = timer_heap_min(h);

	if (n)
		timer_heap_remove(h, n);
	return n;
}

static void test_empty_heap_has_no_minimum(void **state)
{
	struct timer_heap h;

	(void)state;
	timer_heap_init(&h);
	assert_null(timer_heap_min(&h));
	assert_int_equal(h.size, 0);
}

static void test_random_keys_come_out_sorted(void **state)
{
	static struct heap_node nodes[N];
	struct timer_heap h;
	uint64_t last = 0;

	(void)state;
	timer_heap_init(&h);
	for (int i = 0; i < N; i++) {
		nodes[i].key = rng() % 1000;        /* many duplicates */
		timer_heap_insert(&h, &nodes[i]);
		check_heap(&h);
	}
	for (int i = 0; i < N; i++) {
		struct heap_node *n = pop(&h);

		assert_non_null(n);
		assert_false(n->queued);
		assert_true(n->key >= last);
		last = n->key;
		check_heap(&h);
	}
	assert_null(timer_heap_min(&h));
}

static void test_equal_expiries_leave_in_arming_order(void **state)
{
	static struct heap_node nodes[64];
	struct timer_heap h;

	(void)state;
	timer_heap_init(&h);
	for (int i = 0; i < 64; i++) {
		nodes[i].key = 42;
		timer_heap_insert(&h, &nodes[i]);
	}
	for (int i = 0; i < 64; i++)
		assert_ptr_equal(pop(&h), &nodes[i]);
}

static void test_remove_anywhere_keeps_order_and_shape(void **state)
{
	static struct heap_node nodes[N];
	struct timer_heap h;
	int queued = 0;

	(void)state;
	timer_heap_init(&h);
	/* Random inserts, removals of random queued nodes and pops, checked each step. */
	for (int step = 0; step < 20000; step++) {
		struct heap_node *n = &nodes[rng() % N];
		unsigned op = rng() % 3;

		if (!n->queued && op != 2) {
			n->key = rng() % 5000;
			timer_heap_insert(&h, n);
			queued++;
		} else if (n->queued && op == 1) {
			timer_heap_remove(&h, n);
			assert_false(n->queued);
			queued--;
		} else if (op == 2 && h.size) {
			struct heap_node *min = timer_heap_min(&h);

			for (int i = 0; i < N; i++)
				if (nodes[i].queued)
					assert_true(min->key <= nodes[i].key);
			pop(&h);
			queued--;
		}
		assert_int_equal(h.size, queued);
		check_heap(&h);
	}
}

static void test_rearming_moves_a_node(void **state)
{
	struct heap_node a = { .key = 10 }, b = { .key = 20 }, c = { .key = 30 };
	struct timer_heap h;

	(void)state;
	timer_heap_init(&h);
	timer_heap_insert(&h, &a);
	timer_heap_insert(&h, &b);
	timer_heap_insert(&h, &c);
	/* Re-arm a for later: remove and insert with the new key. */
	timer_heap_remove(&h, &a);
	a.key = 25;
	timer_heap_insert(&h, &a);
	assert_ptr_equal(pop(&h), &b);
	assert_ptr_equal(pop(&h), &a);
	assert_ptr_equal(pop(&h), &c);
}

static void test_timespec_conversion_validates_and_saturates(void **state)
{
	struct timespec64 ts;
	uint64_t ns = 1;

	(void)state;
	ts = (struct timespec64){ 0, 0 };
	assert_int_equal(timespec_to_ns(&ts, &ns), 0);
	assert_int_equal(ns, 0);
	ts = (struct timespec64){ 3, 999999999 };
	assert_int_equal(timespec_to_ns(&ts, &ns), 0);
	assert_int_equal(ns, 3999999999ULL);
	ts = (struct timespec64){ -1, 0 };
	assert_int_equal(timespec_to_ns(&ts, &ns), -EINVAL);
	ts = (struct timespec64){ 0, -1 };
	assert_int_equal(timespec_to_ns(&ts, &ns), -EINVAL);
	ts = (struct timespec64){ 0, 1000000000 };
	assert_int_equal(timespec_to_ns(&ts, &ns), -EINVAL);
	ts = (struct timespec64){ INT64_MIN, 0 };
	assert_int_equal(timespec_to_ns(&ts, &ns), -EINVAL);
	/* Past 292 years: the one saturated value, never a wrapped small one. */
	ts = (struct timespec64){ INT64_MAX, 999999999 };
	assert_int_equal(timespec_to_ns(&ts, &ns), 0);
	assert_true(ns == TIME_NEVER);
	ts = (struct timespec64){ INT64_MAX / 1000000000 + 1, 0 };
	assert_int_equal(timespec_to_ns(&ts, &ns), 0);
	assert_true(ns == TIME_NEVER);
	ts = (struct timespec64){ 18446744074LL, 0 };       /* * 1e9 wraps a uint64 to ~0.3 s */
	assert_int_equal(timespec_to_ns(&ts, &ns), 0);
	assert_true(ns == TIME_NEVER);
	/* The largest exact one stays exact. */
	ts = (struct timespec64){ 9223372035LL, 999999999 };
	assert_int_equal(timespec_to_ns(&ts, &ns), 0);
	assert_true(ns == 9223372035999999999ULL && ns < TIME_NEVER);
}

static void test_timeval_conversion_validates_and_saturates(void **state)
{
	struct timeval64 tv;
	uint64_t ns;

	(void)state;
	tv = (struct timeval64){ 2, 500000 };
	assert_int_equal(timeval_to_ns(&tv, &ns), 0);
	assert_int_equal(ns, 2500000000ULL);
	tv = (struct timeval64){ 0, 1000000 };
	assert_int_equal(timeval_to_ns(&tv, &ns), -EINVAL);
	tv = (struct timeval64){ -5, 0 };
	assert_int_equal(timeval_to_ns(&tv, &ns), -EINVAL);
	tv = (struct timeval64){ INT64_MAX, 999999 };
	assert_int_equal(timeval_to_ns(&tv, &ns), 0);
	assert_true(ns == TIME_NEVER);
}

static void test_saturating_add_and_back(void **state)
{
	struct timespec64 ts;
	struct timeval64 tv;

	(void)state;
	assert_true(time_add_sat(1, 2) == 3);
	assert_true(time_add_sat(TIME_NEVER - 1, 1) == TIME_NEVER);
	assert_true(time_add_sat(TIME_NEVER - 1, 2) == TIME_NEVER);
	assert_true(time_add_sat(TIME_NEVER, 0) == TIME_NEVER);
	assert_true(time_add_sat(UINT64_MAX, UINT64_MAX) == TIME_NEVER);
	assert_true(time_add_sat(5, TIME_NEVER) == TIME_NEVER);
	assert_true(time_ns_sat(UINT64_MAX, UINT64_MAX) == TIME_NEVER);
	assert_true(time_ns_sat(1, 5) == 1000000005ULL);
	ns_to_timespec(TIME_NEVER, &ts);
	assert_true(ts.tv_sec == 9223372036LL && ts.tv_nsec == 854775807);
	ns_to_timeval(1234567891ULL, &tv);
	assert_true(tv.tv_sec == 1 && tv.tv_usec == 234567);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_heap_has_no_minimum),
		cmocka_unit_test(test_random_keys_come_out_sorted),
		cmocka_unit_test(test_equal_expiries_leave_in_arming_order),
		cmocka_unit_test(test_remove_anywhere_keeps_order_and_shape),
		cmocka_unit_test(test_rearming_moves_a_node),
		cmocka_unit_test(test_timespec_conversion_validates_and_saturates),
		cmocka_unit_test(test_timeval_conversion_validates_and_saturates),
		cmocka_unit_test(test_saturating_add_and_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
