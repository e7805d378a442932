/* Buddy page allocator in pfn space: split, merge, exhaustion, refcounts. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <kevlar/buddy.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include "console_stub.h"

#define NPAGES 4096

static struct page pages[NPAGES];
static struct buddy b;

static int count_blocks(unsigned order)
{
	int n = 0;
	struct page *p;

	list_for_each_entry(p, &b.free_list[order], link)
		n++;
	return n;
}

static int setup_all_free(void **state)
{
	(void)state;
	console_reset();
	buddy_init(&b, pages, 0, NPAGES);
	buddy_release_range(&b, 0, NPAGES);
	return 0;
}

static void test_init_reserves_everything(void **state)
{
	(void)state;
	buddy_init(&b, pages, 100, 50);
	assert_int_equal(buddy_nr_free(&b), 0);
	assert_int_equal(buddy_alloc(&b, 0), -ENOMEM);
	assert_true(buddy_pfn_to_page(&b, 100)->flags & PG_RESERVED);
	assert_null(buddy_pfn_to_page(&b, 99));
	assert_null(buddy_pfn_to_page(&b, 150));
	assert_ptr_equal(buddy_pfn_to_page(&b, 149), &pages[49]);
}

static void test_release_merges_into_largest_blocks(void **state)
{
	(void)state;
	assert_int_equal(buddy_nr_free(&b), NPAGES);
	assert_int_equal(count_blocks(MAX_ORDER), NPAGES >> MAX_ORDER);
	for (unsigned k = 0; k < MAX_ORDER; k++)
		assert_int_equal(count_blocks(k), 0);
}

static void test_split_and_merge_back(void **state)
{
	long pfn;
	(void)state;

	pfn = buddy_alloc(&b, 0);
	assert_true(pfn >= 0);
	assert_int_equal(buddy_nr_free(&b), NPAGES - 1);
	/* One order-10 block was split into one free block of each lower order. */
	for (unsigned k = 0; k < MAX_ORDER; k++)
		assert_int_equal(count_blocks(k), 1);
	assert_int_equal(count_blocks(MAX_ORDER), NPAGES / 1024 - 1);
	assert_int_equal(buddy_pfn_to_page(&b, (uint64_t)pfn)->refcount, 1);
	assert_true(buddy_pfn_to_page(&b, (uint64_t)pfn)->flags & PG_HEAD);

	buddy_free(&b, (uint64_t)pfn, 0);
	assert_int_equal(buddy_nr_free(&b), NPAGES);
	assert_int_equal(count_blocks(MAX_ORDER), NPAGES / 1024);
	for (unsigned k = 0; k < MAX_ORDER; k++)
		assert_int_equal(count_blocks(k), 0);
}

static void test_blocks_are_naturally_aligned(void **state)
{
	(void)state;
	for (unsigned order = 0; order <= MAX_ORDER; order++) {
		long pfn = buddy_alloc(&b, order);

		assert_true(pfn >= 0);
		assert_int_equal((uint64_t)pfn % (1u << order), 0);
	}
	assert_int_equal(buddy_alloc(&b, MAX_ORDER + 1), -ENOMEM);
}

static void test_exhaustion_returns_enomem_and_free_restores(void **state)
{
	static long got[NPAGES];
	static bool used[NPAGES];
	(void)state;

	for (int i = 0; i < NPAGES; i++) {
		got[i] = buddy_alloc(&b, 0);
		assert_true(got[i] >= 0 && got[i] < NPAGES);
		assert_false(used[got[i]]);
		used[got[i]] = true;
	}
	assert_int_equal(buddy_nr_free(&b), 0);
	assert_int_equal(buddy_alloc(&b, 0), -ENOMEM);
	assert_int_equal(buddy_alloc(&b, 3), -ENOMEM);

	for (int i = 0; i < NPAGES; i++)
		buddy_free(&b, (uint64_t)got[i], 0);
	assert_int_equal(buddy_nr_free(&b), NPAGES);
	assert_int_equal(count_blocks(MAX_ORDER), NPAGES >> MAX_ORDER);
	assert_string_equal(console_output, "");
}

static void test_refcount_frees_on_last_put(void **state)
{
	long pfn;
	(void)state;

	pfn = buddy_alloc(&b, 2);
	buddy_page_get(&b, (uint64_t)pfn);
	assert_int_equal(buddy_pfn_to_page(&b, (uint64_t)pfn)->refcount, 2);
	assert_false(buddy_page_put(&b, (uint64_t)pfn));
	assert_int_equal(buddy_nr_free(&b), NPAGES - 4);
	assert_true(buddy_page_put(&b, (uint64_t)pfn));
	assert_int_equal(buddy_nr_free(&b), NPAGES);
	assert_string_equal(console_output, "");
	/* A put after the block is gone is reported, not acted on. */
	assert_false(buddy_page_put(&b, (uint64_t)pfn));
	assert_non_null(strstr(console_output, "not an allocated block"));
	assert_int_equal(buddy_nr_free(&b), NPAGES);
}

static void test_double_free_is_reported_and_ignored(void **state)
{
	long a, c;
	(void)state;

	a = buddy_alloc(&b, 0);
	c = buddy_alloc(&b, 0);
	buddy_free(&b, (uint64_t)a, 0);
	buddy_free(&b, (uint64_t)a, 0);
	assert_non_null(strstr(console_output, "double free"));
	assert_int_equal(buddy_nr_free(&b), NPAGES - 1);

	console_reset();
	buddy_free(&b, (uint64_t)c, 1);              /* wrong order */
	assert_non_null(strstr(console_output, "allocated with order 0"));
	buddy_free(&b, (uint64_t)c + 1, 0);          /* not a head */
	buddy_free(&b, NPAGES + 5, 0);               /* out of range */
	buddy_page_get(&b, NPAGES + 5);
	assert_int_equal(buddy_nr_free(&b), NPAGES - 1);
	buddy_free(&b, (uint64_t)c, 0);
	assert_int_equal(buddy_nr_free(&b), NPAGES);
	assert_int_equal(count_blocks(MAX_ORDER), NPAGES >> MAX_ORDER);
}

static void test_unaligned_range_release(void **state)
{
	static bool used[1100];
	long pfn;
	int n = 0;
	(void)state;

	buddy_init(&b, pages, 3, 1000);               /* pfns 3..1002 */
	buddy_release_range(&b, 5, 777);
	assert_int_equal(buddy_nr_free(&b), 772);
	/* Overlapping releases add only the pages that were still reserved. */
	buddy_release_range(&b, 0, 100);
	buddy_release_range(&b, 700, 800);
	assert_int_equal(buddy_nr_free(&b), 800 - 3);   /* pfns 3..799 */

	assert_int_equal(buddy_alloc(&b, 9), -ENOMEM);   /* 512..1023 not all present */
	assert_int_equal(buddy_alloc(&b, 8) % 256, 0);
	assert_int_equal(buddy_alloc(&b, 8) % 256, 0);
	assert_int_equal(buddy_alloc(&b, 8), -ENOMEM);

	while ((pfn = buddy_alloc(&b, 0)) >= 0) {
		assert_true(pfn >= 3 && pfn < 800);
		assert_false(pfn >= 256 && pfn < 768);
		assert_false(used[pfn]);
		used[pfn] = true;
		n++;
	}
	assert_int_equal(pfn, -ENOMEM);
	assert_int_equal(n, 800 - 3 - 512);
	assert_int_equal(buddy_nr_free(&b), 0);
}

/* Random alloc/free of mixed orders against a shadow map of owned pages. */
static void test_random_workload_keeps_invariants(void **state)
{
	static struct { long pfn; unsigned order; } live[2000];
	static unsigned char owner[NPAGES];
	int nlive = 0;
	uint64_t in_use = 0;
	(void)state;

	srand(7);
	for (int step = 0; step < 50000; step++) {
		if (nlive < (int)ARRAY_SIZE(live) && (rand() % 3 != 0 || nlive == 0)) {
			unsigned order = (unsigned)(rand() % 5 == 0 ? rand() % (MAX_ORDER + 1)
								    : rand() % 3);
			long pfn = buddy_alloc(&b, order);

			if (pfn < 0) {
				assert_int_equal(pfn, -ENOMEM);
				continue;
			}
			assert_int_equal((uint64_t)pfn % (1u << order), 0);
			for (long i = pfn; i < pfn + (1L << order); i++) {
				assert_int_equal(owner[i], 0);
				owner[i] = 1;
			}
			live[nlive].pfn = pfn;
			live[nlive++].order = order;
			in_use += 1u << order;
		} else {
			int i = rand() % nlive;

			buddy_free(&b, (uint64_t)live[i].pfn, live[i].order);
			for (long j = live[i].pfn; j < live[i].pfn + (1L << live[i].order); j++)
				owner[j] = 0;
			in_use -= 1u << live[i].order;
			live[i] = live[--nlive];
		}
		assert_int_equal(buddy_nr_free(&b), NPAGES - in_use);
	}
	while (nlive > 0) {
		nlive--;
		buddy_free(&b, (uint64_t)live[nlive].pfn, live[nlive].order);
	}
	assert_int_equal(buddy_nr_free(&b), NPAGES);
	assert_int_equal(count_blocks(MAX_ORDER), NPAGES >> MAX_ORDER);
	assert_string_equal(console_output, "");
}

#define T(fn) cmocka_unit_test_setup(fn, setup_all_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_reserves_everything),
		T(test_release_merges_into_largest_blocks),
		T(test_split_and_merge_back),
		T(test_blocks_are_naturally_aligned),
		T(test_exhaustion_returns_enomem_and_free_restores),
		T(test_refcount_frees_on_last_put),
		T(test_double_free_is_reported_and_ignored),
		T(test_unaligned_range_release),
		T(test_random_workload_keeps_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
