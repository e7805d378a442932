/*
 * The lock checker's core (kernel/core/lockcheck_graph.c) on its own: held
 * stacks are passed in, so two "tasks" are two contexts. Reports go to
 * the captured console; lockcheck_dump_stack is counted here.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/lockcheck.h>
#include <kevlar/mutex.h>
#include <kevlar/spinlock.h>
#include "console_stub.h"

static int backtraces;

void lockcheck_dump_stack(void)
{
	backtraces++;
}

static struct lockcheck_ctx task1, task2;
static struct lockcheck_map lock_a, lock_b, lock_c, mutex_m, fs_lock;

static int setup(void **state)
{
	(void)state;
	console_reset();
	lockcheck_reset();
	backtraces = 0;
	memset(&task1, 0, sizeof(task1));
	memset(&task2, 0, sizeof(task2));
	lock_a = (struct lockcheck_map)LOCKCHECK_MAP_INIT("lock_a");
	lock_b = (struct lockcheck_map)LOCKCHECK_MAP_INIT("lock_b");
	lock_c = (struct lockcheck_map)LOCKCHECK_MAP_INIT("\"lock_c\"");  /* SPINLOCK_INIT("lock_c") */
	mutex_m = (struct lockcheck_map)LOCKCHECK_MAP_INIT("mutex_m");
	fs_lock = (struct lockcheck_map)LOCKCHECK_MAP_INIT("fs_lock");
	return 0;
}

static void take(struct lockcheck_ctx *t, struct lockcheck_map *m, const char *site)
{
	lockcheck_acquire(t, m, m == &mutex_m ? LOCK_KIND_MUTEX :
			  m == &fs_lock ? LOCK_KIND_NESTING : LOCK_KIND_SPIN, false, site);
}

static void give(struct lockcheck_ctx *t, struct lockcheck_map *m, const char *site)
{
	assert_true(lockcheck_release(t, m, site));
}

static void test_a_then_b_then_b_then_a_is_reported_once_with_all_four_sites(void **state)
{
	(void)state;
	take(&task1, &lock_a, "x.c:10");
	take(&task1, &lock_b, "x.c:11");
	give(&task1, &lock_b, "x.c:12");
	give(&task1, &lock_a, "x.c:13");
	assert_int_equal(lockcheck_warnings(), 0);

	take(&task1, &lock_b, "y.c:20");
	take(&task1, &lock_a, "y.c:21");
	assert_int_equal(lockcheck_warnings(), 1);
	assert_int_equal(backtraces, 1);
	assert_non_null(strstr(console_output,
		"lock order inversion between \"lock_b\" and \"lock_a\""));
	assert_non_null(strstr(console_output,
		"now:     \"lock_b\" (taken at y.c:20) held while taking \"lock_a\" at y.c:21"));
	assert_non_null(strstr(console_output,
		"earlier: \"lock_a\" (taken at x.c:10) held while taking \"lock_b\" at x.c:11"));
	give(&task1, &lock_a, "y.c:22");
	give(&task1, &lock_b, "y.c:23");

	/* The same pair again, either way round, from other sites: no new report. */
	take(&task1, &lock_b, "z.c:30");
	take(&task1, &lock_a, "z.c:31");
	give(&task1, &lock_a, "z.c:32");
	give(&task1, &lock_b, "z.c:33");
	take(&task1, &lock_a, "z.c:34");
	take(&task1, &lock_b, "z.c:35");
	give(&task1, &lock_b, "z.c:36");
	give(&task1, &lock_a, "z.c:37");
	assert_int_equal(lockcheck_warnings(), 1);
}

static void test_a_consistent_order_is_never_reported(void **state)
{
	(void)state;
	for (int i = 0; i < 100; i++) {
		take(&task1, &lock_a, "x.c:1");
		take(&task1, &lock_b, "x.c:2");
		take(&task1, &lock_c, "x.c:3");
		give(&task1, &lock_c, "x.c:4");
		give(&task1, &lock_b, "x.c:5");
		take(&task1, &lock_c, "x.c:6");     /* a then c directly: also consistent */
		give(&task1, &lock_c, "x.c:7");
		give(&task1, &lock_a, "x.c:8");
	}
	assert_int_equal(lockcheck_warnings(), 0);
	assert_int_equal(console_output_len, 0);
	assert_int_equal(task1.depth, 0);
}

/* The classic deadlock: two tasks, each holding what the other takes next. */
static void test_an_inversion_between_two_tasks_is_reported(void **state)
{
	(void)state;
	take(&task1, &mutex_m, "t1.c:1");
	take(&task1, &lock_c, "t1.c:2");
	take(&task2, &lock_c, "t2.c:1");
	take(&task2, &mutex_m, "t2.c:2");
	assert_int_equal(lockcheck_warnings(), 1);
	/* SPINLOCK_INIT("lock_c") spells the quotes; reports drop them. */
	assert_non_null(strstr(console_output, "now:     \"lock_c\" (taken at t2.c:1) held "
					       "while taking \"mutex_m\" at t2.c:2"));
	assert_non_null(strstr(console_output, "earlier: \"mutex_m\" (taken at t1.c:1) held "
					       "while taking \"lock_c\" at t1.c:2"));
}

static void test_trylock_records_no_order(void **state)
{
	(void)state;
	take(&task1, &lock_a, "x.c:1");
	lockcheck_acquire(&task1, &lock_b, LOCK_KIND_SPIN, true, "x.c:2");   /* cannot deadlock */
	assert_true(lockcheck_holds(&task1, &lock_b));
	give(&task1, &lock_b, "x.c:3");
	give(&task1, &lock_a, "x.c:4");
	take(&task1, &lock_b, "x.c:5");
	take(&task1, &lock_a, "x.c:6");
	assert_int_equal(lockcheck_warnings(), 0);
}

static void test_unlocking_a_lock_not_held_is_reported_once_per_site(void **state)
{
	(void)state;
	assert_false(lockcheck_release(&task1, &lock_a, "u.c:7"));
	assert_int_equal(lockcheck_warnings(), 1);
	assert_non_null(strstr(console_output,
		"releasing \"lock_a\" at u.c:7, which this context does not hold"));
	assert_false(lockcheck_release(&task1, &lock_a, "u.c:7"));
	assert_int_equal(lockcheck_warnings(), 1);

	/* Held by another task is not held by this one. */
	take(&task2, &lock_b, "u.c:8");
	assert_false(lockcheck_release(&task1, &lock_b, "u.c:9"));
	assert_int_equal(lockcheck_warnings(), 2);
	assert_true(lockcheck_holds(&task2, &lock_b));
}

static void test_recursive_mutex_is_reported_but_fs_lock_may_nest(void **state)
{
	(void)state;
	take(&task1, &mutex_m, "r.c:1");
	take(&task1, &mutex_m, "r.c:2");
	assert_int_equal(lockcheck_warnings(), 1);
	assert_non_null(strstr(console_output,
		"recursive mutex of \"mutex_m\" at r.c:2 (already taken at r.c:1)"));
	give(&task1, &mutex_m, "r.c:3");

	take(&task1, &fs_lock, "f.c:1");
	take(&task1, &fs_lock, "f.c:2");
	give(&task1, &fs_lock, "f.c:3");
	assert_true(lockcheck_holds(&task1, &fs_lock));     /* the outer one is still held */
	give(&task1, &fs_lock, "f.c:4");
	assert_false(lockcheck_holds(&task1, &fs_lock));
	assert_int_equal(lockcheck_warnings(), 1);

	take(&task1, &lock_a, "s.c:1");
	take(&task1, &lock_a, "s.c:2");
	assert_int_equal(lockcheck_warnings(), 2);
	assert_non_null(strstr(console_output, "recursive spin lock of \"lock_a\" at s.c:2"));
}

static void test_sleeping_with_a_spin_lock_is_reported_with_a_mutex_or_fs_lock_is_not(void **state)
{
	(void)state;
	take(&task1, &mutex_m, "s.c:1");
	assert_false(lockcheck_sleep(&task1, "s.c:2", 0, false, false));
	take(&task1, &fs_lock, "s.c:3");
	take(&task1, &fs_lock, "s.c:3b");           /* fs_lock nests */
	assert_false(lockcheck_sleep(&task1, "s.c:4", 0, false, false));
	take(&task1, &lock_a, "s.c:4b");
	assert_true(lockcheck_sleep(&task1, "s.c:5", 1, false, false));
	assert_non_null(strstr(console_output,
		"may sleep at s.c:5 while holding spin lock \"lock_a\" (taken at s.c:4b)"));
	/* Once per place the lock was taken, wherever the sleep is. */
	assert_true(lockcheck_sleep(&task1, "s.c:5c", 1, false, false));
	assert_int_equal(lockcheck_warnings(), 1);
	give(&task1, &lock_a, "s.c:5d");
	give(&task1, &fs_lock, "s.c:6");
	give(&task1, &fs_lock, "s.c:6b");
	assert_false(lockcheck_holds(&task1, &fs_lock));
	give(&task1, &mutex_m, "s.c:7");

	take(&task1, &lock_b, "s.c:8");
	assert_true(lockcheck_sleep(&task1, NULL, 1, false, false));
	assert_non_null(strstr(console_output, "may sleep at (see backtrace) while holding "
					       "spin lock \"lock_b\" (taken at s.c:8)"));
	give(&task1, &lock_b, "s.c:9");

	assert_true(lockcheck_sleep(&task1, "s.c:10", 2, false, false));
	assert_non_null(strstr(console_output, "may sleep at s.c:10 with preemption disabled (count 2)"));
	assert_true(lockcheck_sleep(&task1, "s.c:11", 0, true, false));
	assert_non_null(strstr(console_output, "may sleep at s.c:11 in an interrupt handler"));
	assert_true(lockcheck_sleep(&task1, "s.c:11b", 0, false, true));
	assert_non_null(strstr(console_output, "may sleep at s.c:11b with interrupts disabled"));
	assert_false(lockcheck_sleep(&task1, "s.c:12", 0, false, false));
	assert_int_equal(lockcheck_warnings(), 5);
	assert_int_equal(backtraces, 5);
}

static void test_waiting_for_an_event_with_fs_lock_held_is_reported_with_a_mutex_is_not(void **state)
{
	(void)state;
	take(&task1, &mutex_m, "w.c:1");
	assert_false(lockcheck_wait(&task1, "w.c:2"));
	take(&task1, &fs_lock, "w.c:3");
	take(&task1, &fs_lock, "w.c:4");
	assert_true(lockcheck_wait(&task1, "w.c:5"));
	assert_non_null(strstr(console_output, "waits for an event at w.c:5 while holding "
					       "nesting mutex \"fs_lock\" (taken at w.c:3)"));
	assert_true(lockcheck_wait(&task1, "w.c:6"));      /* once per place it was taken */
	assert_int_equal(lockcheck_warnings(), 1);
	give(&task1, &fs_lock, "w.c:7");
	give(&task1, &fs_lock, "w.c:8");
	assert_false(lockcheck_wait(&task1, "w.c:9"));
	give(&task1, &mutex_m, "w.c:10");
	assert_int_equal(lockcheck_warnings(), 1);
}

static void test_fs_lock_or_a_mutex_in_an_interrupt_handler_is_reported_a_spin_lock_is_not(void **state)
{
	(void)state;
	lockcheck_in_irq(&lock_a, LOCK_KIND_SPIN, "i.c:1");
	assert_int_equal(lockcheck_warnings(), 0);
	lockcheck_in_irq(&fs_lock, LOCK_KIND_NESTING, "i.c:2");
	assert_non_null(strstr(console_output,
		"nesting mutex \"fs_lock\" taken at i.c:2 in an interrupt handler"));
	lockcheck_in_irq(&fs_lock, LOCK_KIND_NESTING, "i.c:2");
	lockcheck_in_irq(&mutex_m, LOCK_KIND_MUTEX, "i.c:3");
	assert_non_null(strstr(console_output, "mutex \"mutex_m\" taken at i.c:3 in an interrupt handler"));
	assert_int_equal(lockcheck_warnings(), 2);
}

static void test_returning_to_user_space_with_a_lock_or_preemption_off_is_reported(void **state)
{
	(void)state;
	assert_false(lockcheck_user_return(&task1, "read", 0));
	take(&task1, &fs_lock, "leak.c:5");
	assert_true(lockcheck_user_return(&task1, "openat", 1));
	assert_non_null(strstr(console_output, "openat returns to user space holding nesting mutex "
					       "\"fs_lock\" (taken at leak.c:5)"));
	assert_true(lockcheck_user_return(&task1, "close", 1));    /* same leak: once */
	give(&task1, &fs_lock, "leak.c:6");
	assert_true(lockcheck_user_return(&task1, "ioctl", 1));
	assert_non_null(strstr(console_output, "ioctl returns to user space with preempt count 1"));
	assert_int_equal(lockcheck_warnings(), 2);
}

static void test_out_of_order_release_and_same_class_nesting(void **state)
{
	struct lockcheck_map a2 = LOCKCHECK_MAP_INIT("lock_a");     /* another instance, one class */

	(void)state;
	take(&task1, &lock_a, "o.c:1");
	take(&task1, &lock_b, "o.c:2");
	give(&task1, &lock_a, "o.c:3");
	assert_true(lockcheck_holds(&task1, &lock_b));
	assert_int_equal(task1.depth, 1);
	give(&task1, &lock_b, "o.c:4");
	take(&task1, &lock_a, "o.c:5");
	take(&task1, &a2, "o.c:6");
	assert_int_equal(a2.class_id, lock_a.class_id);
	give(&task1, &a2, "o.c:7");
	give(&task1, &lock_a, "o.c:8");
	assert_int_equal(lockcheck_warnings(), 0);
}

static void test_too_many_held_locks_degrade_without_false_reports(void **state)
{
	static struct lockcheck_map maps[LOCKCHECK_MAX_HELD + 4];

	(void)state;
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		static char names[LOCKCHECK_MAX_HELD + 4][8];

		snprintf(names[i], sizeof(names[i]), "l%zu", i);
		maps[i] = (struct lockcheck_map)LOCKCHECK_MAP_INIT(names[i]);
		take(&task1, &maps[i], "d.c:1");
	}
	assert_int_equal(task1.depth, LOCKCHECK_MAX_HELD);
	assert_non_null(strstr(console_output, "not tracking the rest"));
	for (size_t i = sizeof(maps) / sizeof(maps[0]); i-- > 0;)
		give(&task1, &maps[i], "d.c:2");
	assert_int_equal(task1.depth, 0);
	assert_int_equal(lockcheck_warnings(), 0);
}

/* Both spellings of the initialisers name the class the same way. */
static spinlock_t by_ident = SPINLOCK_INIT(by_ident);
static spinlock_t by_string = SPINLOCK_INIT("by_string");
static struct mutex mutex_by_ident = MUTEX_INIT(mutex_by_ident);
static struct mutex mutex_by_string = MUTEX_INIT("mutex_by_string");
static DEFINE_SPINLOCK(defined_lock);
static DEFINE_MUTEX(defined_mutex);

static void test_mutex_initialisers_name_the_class_and_start_free(void **state)
{
	(void)state;
	assert_string_equal(mutex_by_ident.dep.name, "mutex_by_ident");
	assert_string_equal(mutex_by_string.dep.name, "\"mutex_by_string\"");
	assert_false(mutex_is_locked(&mutex_by_ident));
	assert_false(mutex_is_locked(&mutex_by_string));
	assert_string_equal(defined_mutex.dep.name, "defined_mutex");
	assert_string_equal(defined_lock.dep.name, "defined_lock");
	assert_false(spin_is_locked(&defined_lock));
}

static void test_spin_lock_api_pairs_the_irq_mask_and_preempt_count(void **state)
{
	struct { spinlock_t lock; } obj, named;
	unsigned long flags;

	(void)state;
	spin_lock_init(&obj.lock);
	spin_lock_init(&named.lock, "named_lock");
	assert_string_equal(obj.lock.dep.name, "&obj.lock");
	assert_string_equal(named.lock.dep.name, "named_lock");
	assert_string_equal(by_ident.dep.name, "by_ident");
	assert_string_equal(by_string.dep.name, "\"by_string\"");

	spin_lock_irqsave(&by_ident, flags);
	assert_true(spin_is_locked(&by_ident));
	assert_int_equal(fake_irq_off_depth, 1);
	assert_int_equal(fake_preempt_count, 1);
	spin_lock(&obj.lock);
	assert_int_equal(fake_preempt_count, 2);
	spin_unlock(&obj.lock);
	spin_unlock_irqrestore(&by_ident, flags);
	assert_false(spin_is_locked(&by_ident));
	assert_false(spin_is_locked(&obj.lock));
	assert_int_equal(fake_irq_off_depth, 0);
	assert_int_equal(fake_preempt_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_a_then_b_then_b_then_a_is_reported_once_with_all_four_sites, setup),
		cmocka_unit_test_setup(test_a_consistent_order_is_never_reported, setup),
		cmocka_unit_test_setup(test_an_inversion_between_two_tasks_is_reported, setup),
		cmocka_unit_test_setup(test_trylock_records_no_order, setup),
		cmocka_unit_test_setup(test_unlocking_a_lock_not_held_is_reported_once_per_site, setup),
		cmocka_unit_test_setup(test_recursive_mutex_is_reported_but_fs_lock_may_nest, setup),
		cmocka_unit_test_setup(test_sleeping_with_a_spin_lock_is_reported_with_a_mutex_or_fs_lock_is_not, setup),
		cmocka_unit_test_setup(test_waiting_for_an_event_with_fs_lock_held_is_reported_with_a_mutex_is_not, setup),
		cmocka_unit_test_setup(test_fs_lock_or_a_mutex_in_an_interrupt_handler_is_reported_a_spin_lock_is_not, setup),
		cmocka_unit_test_setup(test_returning_to_user_space_with_a_lock_or_preemption_off_is_reported, setup),
		cmocka_unit_test_setup(test_out_of_order_release_and_same_class_nesting, setup),
		cmocka_unit_test_setup(test_too_many_held_locks_degrade_without_false_reports, setup),
		cmocka_unit_test_setup(test_spin_lock_api_pairs_the_irq_mask_and_preempt_count, setup),
		cmocka_unit_test_setup(test_mutex_initialisers_name_the_class_and_start_free, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
