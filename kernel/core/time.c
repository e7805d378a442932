/*
 * Sleeping on time. Sleepers wait on one queue and re-check their deadline
 * each tick; simple and O(sleepers) per tick, which is plenty for now.
 */
#include <kevlar/arch.h>
#include <kevlar/time.h>
#include <kevlar/wait.h>

static struct wait_queue tick_wait = { LIST_HEAD_INIT(tick_wait.waiters) };

void time_tick(void)
{
	if (!list_empty(&tick_wait.waiters))
		wake_up_all(&tick_wait);
}

void time_sleep_until(uint64_t deadline_ns)
{
	wait_event(&tick_wait, clock_monotonic_ns() >= deadline_ns);
}
