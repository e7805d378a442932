/*
 * fs_lock: the one lock of the file systems (what it guards: kevlar/fs.h).
 * A nesting mutex: the holder may sleep (a block file system waits for
 * its disk under it) and may take it again (a user copy under it can
 * fault on a file page, whose fault path takes it). A task that finds it
 * held sleeps until the holder's last unlock. Under kevlar.debug=locks it
 * is the lock class "fs_lock".
 */
#include <kevlar/fs.h>
#include <kevlar/backtrace.h>
#include <kevlar/mutex.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>

static struct nesting_mutex fs_mutex = NESTING_MUTEX_INIT("fs_lock");

void fs_lock_at(const char *site)
{
	nesting_mutex_lock_at(&fs_mutex, site);
}

void fs_unlock_at(const char *site)
{
	nesting_mutex_unlock_at(&fs_mutex, site);
}

bool fs_lock_held(void)
{
	return mutex_held_by_current(&fs_mutex.m);
}

/*
 * Dropping fs_lock to sleep (wait_event_interruptible_fs): a nested hold
 * would stay held through the sleep, and whoever is to wake us may need
 * the lock first. That is a bug in the caller: said once, with where.
 */
void fs_unlock_to_sleep_at(const char *site)
{
	static bool said;

	if (fs_mutex.depth > 1 && fs_lock_held() && !said) {
		said = true;
		pr_warn("fs_lock: %s sleeps with fs_lock still held %u times more: "
			"a waker that needs it will wait for this sleep\n", site, fs_mutex.depth - 1);
		backtrace_print((uint64_t)__builtin_frame_address(0));
	}
	fs_unlock_at(site);
}
