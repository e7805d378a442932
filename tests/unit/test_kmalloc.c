/*
 * kmalloc over a fake page backend (aligned_alloc) with a page budget, so
 * exhaustion and the return of empty slabs can be observed.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <kevlar/kmalloc.h>
#include <kevlar/string.h>
#include "console_stub.h"

static long backend_budget = 1 << 20;   /* pages the backend may still hand out */
static long backend_pages_out;          /* pages currently handed out */

void *kmalloc_backend_alloc(unsigned order)
{
	size_t bytes = PAGE_SIZE << order;
	void *p;

	/* Under kmalloc's spin lock: interrupts and preemption off. */
	assert_int_equal(fake_irq_off_depth, 1);
	assert_int_equal(fake_preempt_count, 1);
	assert_true(order <= KMALLOC_MAX_ORDER);
	if (backend_budget < (1L << order))
		return NULL;
	p = aligned_alloc(PAGE_SIZE, bytes);
	assert_non_null(p);
	memset(p, 0xa5, bytes);   /* backend memory is not zeroed */
	backend_budget -= 1L << order;
	backend_pages_out += 1L << order;
	return p;
}

void kmalloc_backend_free(void *p, unsigned order)
{
	assert_int_equal(fake_irq_off_depth, 1);
	assert_int_equal(fake_preempt_count, 1);
	assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
	free(p);
	backend_budget += 1L << order;
	backend_pages_out -= 1L << order;
}

static int setup(void **state)
{
	(void)state;
	console_reset();
	backend_budget = 1 << 20;
	return 0;
}

static void test_every_size_is_aligned_and_usable(void **state)
{
	static void *ptrs[5000];
	long before = backend_pages_out;
	(void)state;

	for (size_t size = 0; size < 5000; size++) {
		ptrs[size] = kmalloc(size);
		assert_non_null(ptrs[size]);
		assert_int_equal((uintptr_t)ptrs[size] % KMALLOC_MIN_ALIGN, 0);
		memset(ptrs[size], (int)size, size);   /* ASan: whole size is ours */
	}
	for (size_t size = 0; size < 5000; size++) {
		for (size_t i = 0; i < size; i++)
			assert_int_equal(((unsigned char *)ptrs[size])[i], size & 0xff);
	}
	for (size_t size = 0; size < 5000; size++)
		kfree(ptrs[size]);
	/* At most one empty slab stays cached per size class. */
	assert_true(backend_pages_out - before <= 8);
	assert_string_equal(console_output, "");
}

static void test_objects_do_not_overlap_within_a_class(void **state)
{
	static const size_t classes[] = { 16, 32, 64, 128, 256, 512, 1024, 2048 };
	(void)state;

	for (size_t c = 0; c < ARRAY_SIZE(classes); c++) {
		char *p[40];

		for (int i = 0; i < 40; i++) {
			p[i] = kmalloc(classes[c]);
			memset(p[i], i, classes[c]);
		}
		for (int i = 0; i < 40; i++) {
			for (size_t j = 0; j < classes[c]; j++)
				assert_int_equal(p[i][j], i);
			for (int k = 0; k < i; k++)
				assert_true(p[k] + classes[c] <= p[i] || p[i] + classes[c] <= p[k]);
		}
		for (int i = 0; i < 40; i++)
			kfree(p[i]);
	}
}

static void test_freed_object_is_reused(void **state)
{
	void *a, *b;
	(void)state;

	a = kmalloc(100);
	kfree(a);
	b = kmalloc(120);   /* same 128-byte class */
	assert_ptr_equal(a, b);
	kfree(b);
}

static void test_kzalloc_zeroes_memory(void **state)
{
	unsigned char *p;
	(void)state;

	p = kmalloc(64);
	memset(p, 0xff, 64);
	kfree(p);
	p = kzalloc(64);
	for (int i = 0; i < 64; i++)
		assert_int_equal(p[i], 0);
	kfree(p);
	p = kzalloc(10000);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(p[i], 0);
	kfree(p);
}

static void test_large_allocations_use_page_blocks(void **state)
{
	long before = backend_pages_out;
	void *p;
	(void)state;

	p = kmalloc(3000);
	assert_int_equal(backend_pages_out - before, 1);
	kfree(p);
	assert_int_equal(backend_pages_out, before);

	p = kmalloc(PAGE_SIZE);         /* header does not fit: 2 pages */
	assert_int_equal(backend_pages_out - before, 2);
	kfree(p);
	p = kmalloc(1 << 20);           /* 1 MiB + header: 512 pages */
	assert_int_equal(backend_pages_out - before, 512);
	memset(p, 1, 1 << 20);
	kfree(p);
	assert_int_equal(backend_pages_out, before);

	assert_null(kmalloc((PAGE_SIZE << KMALLOC_MAX_ORDER)));
	assert_null(kmalloc(SIZE_MAX));
	p = kmalloc((PAGE_SIZE << KMALLOC_MAX_ORDER) - 64);
	assert_non_null(p);
	kfree(p);
}

static void test_exhaustion_returns_null_then_recovers(void **state)
{
	static void *ptrs[20000];
	int n = 0;
	(void)state;

	backend_budget = 20;
	while (n < 20000 && (ptrs[n] = kmalloc(512)) != NULL)
		n++;
	assert_true(n > 0 && n < 20000);
	assert_null(kmalloc(512));
	assert_null(kmalloc(100000));
	assert_null(kzalloc(512));

	/* Freeing makes room again, for this and other classes. */
	kfree(ptrs[--n]);
	ptrs[n] = kmalloc(512);
	assert_non_null(ptrs[n++]);
	for (int i = 0; i < n; i++)
		kfree(ptrs[i]);
	assert_non_null(ptrs[0] = kmalloc(2048));
	assert_non_null(ptrs[1] = kmalloc(8000));
	kfree(ptrs[0]);
	kfree(ptrs[1]);
}

static void test_empty_slabs_go_back_to_the_backend(void **state)
{
	static void *ptrs[1000];
	long before = backend_pages_out;
	(void)state;

	for (int i = 0; i < 1000; i++)
		ptrs[i] = kmalloc(256);
	assert_true(backend_pages_out - before >= 1000 / 16);
	for (int i = 0; i < 1000; i++)
		kfree(ptrs[i]);
	assert_true(backend_pages_out - before <= 1);
}

static void test_bad_frees_are_reported_not_fatal(void **state)
{
	char *p, *q;
	(void)state;

	kfree(NULL);
	p = kmalloc(32);
	q = kmalloc(32);   /* keeps the slab alive after p is freed */
	kfree(p);
	kfree(p);
	assert_non_null(strstr(console_output, "double free"));
	console_reset();
	kfree(q + 8);
	assert_non_null(strstr(console_output, "not an object of the 32-byte cache"));
	/* The slab still works and hands p's slot out exactly once. */
	assert_ptr_equal(kmalloc(32), p);
	assert_ptr_not_equal(kmalloc(32), p);
	kfree(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_size_is_aligned_and_usable, setup),
		cmocka_unit_test_setup(test_objects_do_not_overlap_within_a_class, setup),
		cmocka_unit_test_setup(test_freed_object_is_reused, setup),
		cmocka_unit_test_setup(test_kzalloc_zeroes_memory, setup),
		cmocka_unit_test_setup(test_large_allocations_use_page_blocks, setup),
		cmocka_unit_test_setup(test_exhaustion_returns_null_then_recovers, setup),
		cmocka_unit_test_setup(test_empty_slabs_go_back_to_the_backend, setup),
		cmocka_unit_test_setup(test_bad_frees_are_reported_not_fatal, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
