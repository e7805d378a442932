/*
 * Boot-time self-tests. The mm test proves "out of memory is an error":
 * allocate until page_alloc says NULL, then give everything back and
 * check the allocator's count is exactly what it was. The locks test
 * breaks the locking rules on purpose and counts the checker's reports.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/lockcheck.h>
#include <kevlar/mutex.h>
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/rwsem.h>
#include <kevlar/sched.h>
#include <kevlar/selftest.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

static bool selftest_requested(const char *cmdline, const char *name)
{
	const char *p = cmdline;
	size_t n = strlen(name);

	while ((p = strstr(p, "kevlar.selftest=")) != NULL) {
		/* Only whole words count: not e.g. "xkevlar.selftest=". */
		bool word_start = p == cmdline || p[-1] == ' ';

		p += strlen("kevlar.selftest=");
		while (word_start && *p && *p != ' ') {
			if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == ' ' || !p[n]))
				return true;
			while (*p && *p != ',' && *p != ' ')
				p++;
			if (*p == ',')
				p++;
		}
	}
	return false;
}

static void selftest_mm(void)
{
	uint64_t before = page_nr_free(), count = 0;
	void *head = NULL;

	pr_info("selftest mm: %lu pages free, allocating all of them\n",
		(unsigned long)before);
	/* Chain the pages through their first word: no other memory needed. */
	for (;;) {
		void **p = page_alloc(0);

		if (!p)
			break;
		*p = head;
		head = p;
		count++;
	}
	pr_info("selftest mm: exhausted after %lu pages, no panic\n", (unsigned long)count);
	while (head) {
		void *next = *(void **)head;

		page_free(head, 0);
		head = next;
	}
	if (page_nr_free() == before)
		pr_info("selftest mm: all %lu pages back, free count restored\n",
			(unsigned long)count);
	else
		pr_err("selftest mm: FAILED: %lu pages free before, %lu after\n",
		       (unsigned long)before, (unsigned long)page_nr_free());
}

/* Proves the trap path end to end: registers, marker, backtrace, recorder. */
static void selftest_fault(void)
{
	volatile uint64_t *bad = (volatile uint64_t *)0xdead000000000000UL;

	pr_info("selftest fault: reading a non-canonical kernel address, a panic must follow\n");
	(void)*bad;
}

/* Two test locks, only ever taken here. */
static spinlock_t selftest_lock_a = SPINLOCK_INIT(selftest_lock_a);
static spinlock_t selftest_lock_b = SPINLOCK_INIT(selftest_lock_b);
static struct mutex selftest_mutex = MUTEX_INIT(selftest_mutex);

/*
 * Each step must give exactly the reports it says: an A-then-B order, the
 * same order again (nothing), B then A (the inversion, naming the four
 * sites), a sleep check under a spin lock, releasing a mutex nobody
 * holds, and fs_lock taken in (what looks like) an interrupt handler. (Recursive mutex_lock is covered by the host unit test: here it
 * would hang the boot.)
 */
static void selftest_locks(void)
{
	unsigned long flags;
	unsigned before, got;
	int bad = 0;

	if (!lockcheck_enabled) {
		pr_warn("selftest locks: needs kevlar.debug=locks, skipped\n");
		return;
	}
	pr_info("selftest locks: A then B twice, then B then A: one inversion report follows\n");
	before = lockcheck_warnings();
	for (int i = 0; i < 2; i++) {
		spin_lock_irqsave(&selftest_lock_a, flags);
		spin_lock(&selftest_lock_b);
		spin_unlock(&selftest_lock_b);
		spin_unlock_irqrestore(&selftest_lock_a, flags);
	}
	if ((got = lockcheck_warnings() - before) != 0) {
		pr_err("selftest locks: FAILED: a consistent order gave %u reports\n", got);
		bad++;
	}
	spin_lock(&selftest_lock_b);
	spin_lock_irqsave(&selftest_lock_a, flags);
	spin_unlock_irqrestore(&selftest_lock_a, flags);
	spin_unlock(&selftest_lock_b);
	if ((got = lockcheck_warnings() - before) != 1) {
		pr_err("selftest locks: FAILED: the inversion gave %u reports, not 1\n", got);
		bad++;
	}
	pr_info("selftest locks: might_sleep under a spin lock: one report follows\n");
	spin_lock(&selftest_lock_a);
	might_sleep();
	spin_unlock(&selftest_lock_a);
	if ((got = lockcheck_warnings() - before) != 2) {
		pr_err("selftest locks: FAILED: sleeping under a spin lock was not reported\n");
		bad++;
	}
	pr_info("selftest locks: releasing a mutex not held: one report follows\n");
	mutex_unlock(&selftest_mutex);
	if ((got = lockcheck_warnings() - before) != 3 || mutex_is_locked(&selftest_mutex)) {
		pr_err("selftest locks: FAILED: a release of a free mutex was not reported\n");
		bad++;
	}
	pr_info("selftest locks: fs_lock in an interrupt handler: one report follows\n");
	flags = arch_irq_save();        /* as a handler runs: interrupts off, between these */
	irq_enter();
	fs_lock();
	fs_unlock();
	irq_exit();
	arch_irq_restore(flags);
	if ((got = lockcheck_warnings() - before) != 4) {
		pr_err("selftest locks: FAILED: fs_lock in an interrupt handler was not reported\n");
		bad++;
	}
	if (!mutex_trylock(&selftest_mutex) || !mutex_held_by_current(&selftest_mutex) ||
	    mutex_trylock(&selftest_mutex)) {
		pr_err("selftest locks: FAILED: mutex_trylock\n");
		bad++;
	}
	mutex_unlock(&selftest_mutex);
	if (mutex_is_locked(&selftest_mutex) || lockcheck_warnings() - before != 4) {
		pr_err("selftest locks: FAILED: mutex_unlock by its owner\n");
		bad++;
	}
	if (!bad)
		pr_info("selftest locks: PASSED: %u reports, as expected\n",
			lockcheck_warnings() - before);
}

/*
 * Mutex contention (kernel_init, pid 1, before init runs): two kernel
 * threads each take the mutex ROUNDS times and yield while holding it, so
 * the other finds it taken and sleeps on it (nearly) every round. A lost
 * wake-up hangs the boot here; a broken exclusion loses increments.
 */
#define MUTEX_ROUNDS 200

static struct mutex contended_mutex = MUTEX_INIT(selftest_contended_mutex);
static int contended_counter;   /* guarded by contended_mutex */
static int workers_done, contentions;   /* changed with interrupts off */
static struct wait_queue workers_wait;  /* pid 1 waits for both workers */

static void mutex_worker(void *unused)
{
	unsigned long flags;

	(void)unused;
	for (int i = 0; i < MUTEX_ROUNDS; i++) {
		int v;

		if (!mutex_trylock(&contended_mutex)) {
			flags = arch_irq_save();
			contentions++;
			arch_irq_restore(flags);
			mutex_lock(&contended_mutex);
		}
		v = contended_counter;
		schedule();             /* still runnable: the other worker runs now */
		contended_counter = v + 1;
		mutex_unlock(&contended_mutex);
		schedule();             /* let the woken worker take it: they alternate */
	}
	flags = arch_irq_save();
	workers_done++;
	wake_up_all(&workers_wait);
	arch_irq_restore(flags);
}

static int interrupted_result = 1;     /* mutex_lock_interruptible's answer */

/* Sleeps on the mutex pid 1 holds until pid 1 makes a signal pending. */
static void interruptible_worker(void *unused)
{
	unsigned long flags;
	int err;

	(void)unused;
	err = mutex_lock_interruptible(&contended_mutex);
	if (!err)
		mutex_unlock(&contended_mutex);
	flags = arch_irq_save();
	current_task()->sig.pending = 0;
	interrupted_result = err;
	workers_done++;
	wake_up_all(&workers_wait);
	arch_irq_restore(flags);
}

/* A kernel thread nobody waits for: freed by the next exit after its own. */
static struct task *start_worker(void (*fn)(void *))
{
	struct task *t = task_alloc("selftest-mutex");

	if (!t)
		return NULL;
	t->parent = NULL;
	arch_task_init(t, fn, NULL);
	task_start(t);
	return t;
}

/*
 * mutex_lock_interruptible gives up with -ERESTARTSYS when a signal comes
 * while it sleeps. Kernel threads take no signals from signal_send, so
 * the pending bit is set by hand, as signal_send would, then the sleeper
 * woken.
 */
static bool mutex_interruptible_check(void)
{
	struct task *t;
	unsigned long flags;
	int tries;

	mutex_lock(&contended_mutex);
	if (!(t = start_worker(interruptible_worker))) {
		mutex_unlock(&contended_mutex);
		return false;
	}
	/* Let it run into the taken mutex and sleep there. */
	for (tries = 0; tries < 1000 && t->state != TASK_SLEEPING; tries++)
		schedule();
	flags = arch_irq_save();
	if (t->state == TASK_SLEEPING) {
		t->sig.pending |= SIGMASK(SIGUSR1);
		sched_wake(t);
	}
	arch_irq_restore(flags);
	wait_event(&workers_wait, workers_done == 3);
	if (interrupted_result != -ERESTARTSYS || !mutex_held_by_current(&contended_mutex)) {
		pr_err("selftest locks: mutex FAILED: mutex_lock_interruptible gave %d, "
		       "not -ERESTARTSYS, %s\n", interrupted_result,
		       mutex_held_by_current(&contended_mutex) ? "owner kept it" : "owner lost it");
		mutex_unlock(&contended_mutex);
		return false;
	}
	mutex_unlock(&contended_mutex);
	return true;
}

static void selftest_mutex_contention(void)
{
	wait_queue_init(&workers_wait);
	pr_info("selftest locks: 2 threads x %d rounds on one mutex, yielding while holding it\n",
		MUTEX_ROUNDS);
	if (!start_worker(mutex_worker) || !start_worker(mutex_worker)) {
		pr_err("selftest locks: FAILED: no memory for the mutex workers\n");
		return;
	}
	wait_event(&workers_wait, workers_done == 2);
	if (contended_counter == 2 * MUTEX_ROUNDS && contentions >= MUTEX_ROUNDS &&
	    !mutex_is_locked(&contended_mutex)) {
		if (mutex_interruptible_check())
			pr_info("selftest locks: mutex PASSED: counter %d, %d contended locks, "
				"interruptible wait ended by a signal\n", contended_counter, contentions);
	} else
		pr_err("selftest locks: mutex FAILED: counter %d (expected %d), %d contended, %s\n",
		       contended_counter, 2 * MUTEX_ROUNDS, contentions,
		       mutex_is_locked(&contended_mutex) ? "still locked" : "free");
}

/*
 * The reader-writer semaphore: a second reader gets in beside pid 1's read
 * hold; a writer sleeps until that read hold ends, and while it waits no
 * new reader gets in (writers are not starved).
 */
static struct rw_semaphore test_rwsem = RWSEM_INIT(selftest_rwsem);
static bool second_reader_got_in, writer_got_in, readers_seen_by_writer = true;

static void rwsem_reader(void *unused)
{
	unsigned long flags;

	(void)unused;
	if ((second_reader_got_in = down_read_trylock(&test_rwsem)))
		up_read(&test_rwsem);
	flags = arch_irq_save();
	workers_done++;
	wake_up_all(&workers_wait);
	arch_irq_restore(flags);
}

static void rwsem_writer(void *unused)
{
	unsigned long flags;

	(void)unused;
	down_write(&test_rwsem);
	writer_got_in = true;
	readers_seen_by_writer = test_rwsem.readers != 0;
	up_write(&test_rwsem);
	flags = arch_irq_save();
	workers_done++;
	wake_up_all(&workers_wait);
	arch_irq_restore(flags);
}

static void selftest_rwsem(void)
{
	struct task *w;
	bool reader_blocked;
	int tries;

	workers_done = 0;
	down_read(&test_rwsem);
	if (!start_worker(rwsem_reader))
		goto nomem;
	wait_event(&workers_wait, workers_done == 1);
	if (!(w = start_worker(rwsem_writer)))
		goto nomem;
	for (tries = 0; tries < 1000 && test_rwsem.writers_waiting == 0; tries++)
		schedule();
	/* The writer waits: a new reader must wait too (a trylock fails). */
	reader_blocked = !down_read_trylock(&test_rwsem);
	if (!reader_blocked)
		up_read(&test_rwsem);
	if (writer_got_in || !reader_blocked || w->state != TASK_SLEEPING)
		pr_err("selftest locks: rwsem FAILED: the writer %s while a reader held it, "
		       "a new reader %s\n", writer_got_in ? "got in" : "waited",
		       reader_blocked ? "waited" : "got in");
	up_read(&test_rwsem);
	wait_event(&workers_wait, workers_done == 2);
	if (second_reader_got_in && writer_got_in && !readers_seen_by_writer &&
	    !rwsem_is_locked(&test_rwsem) && reader_blocked)
		pr_info("selftest locks: rwsem PASSED: readers share, a writer waits for them "
			"and new readers wait for it\n");
	else
		pr_err("selftest locks: rwsem FAILED: second reader %s, writer %s%s\n",
		       second_reader_got_in ? "shared" : "was refused",
		       writer_got_in ? "got in" : "never got in",
		       readers_seen_by_writer ? " beside readers" : "");
	return;
nomem:
	up_read(&test_rwsem);
	pr_err("selftest locks: rwsem FAILED: no memory for the workers\n");
}

/*
 * fs_lock is a sleeping, nesting lock: two kernel threads each take it
 * twice (nested), yield while holding it and bump a counter, so the
 * other finds it held and sleeps on it. A lost wake-up hangs the boot,
 * broken exclusion loses increments, a nested unlock that released it
 * shows as a holder that no longer holds it.
 */
static int fs_counter;                  /* guarded by fs_lock */
static int fs_holder;                   /* pid holding fs_lock in fs_worker, 0: none */
static int fs_contended, fs_nest_lost;  /* changed with interrupts off */

static void fs_worker(void *unused)
{
	unsigned long flags;

	(void)unused;
	for (int i = 0; i < MUTEX_ROUNDS; i++) {
		int v;

		flags = arch_irq_save();
		if (fs_holder)
			fs_contended++;
		arch_irq_restore(flags);
		fs_lock();
		fs_lock();
		fs_holder = current_task()->pid;
		v = fs_counter;
		fs_unlock();
		schedule();             /* still runnable, still holding it once */
		flags = arch_irq_save();
		if (!fs_lock_held() || fs_holder != current_task()->pid)
			fs_nest_lost++;
		arch_irq_restore(flags);
		fs_counter = v + 1;
		fs_holder = 0;
		fs_unlock();
		schedule();
	}
	flags = arch_irq_save();
	workers_done++;
	wake_up_all(&workers_wait);
	arch_irq_restore(flags);
}

static void selftest_fs_lock_contention(void)
{
	workers_done = 0;
	if (!start_worker(fs_worker) || !start_worker(fs_worker)) {
		pr_err("selftest locks: fs_lock FAILED: no memory for the workers\n");
		return;
	}
	wait_event(&workers_wait, workers_done == 2);
	if (fs_counter == 2 * MUTEX_ROUNDS && fs_contended >= MUTEX_ROUNDS && !fs_nest_lost &&
	    !fs_lock_held())
		pr_info("selftest locks: fs_lock PASSED: counter %d, %d contended, nesting kept\n",
			fs_counter, fs_contended);
	else
		pr_err("selftest locks: fs_lock FAILED: counter %d (expected %d), %d contended, "
		       "%d nested unlocks released it\n", fs_counter, 2 * MUTEX_ROUNDS,
		       fs_contended, fs_nest_lost);
}

void selftests_run_late(const char *raw_cmdline)
{
	if (selftest_requested(raw_cmdline, "locks")) {
		selftest_mutex_contention();
		selftest_rwsem();
		selftest_fs_lock_contention();
	}
}

void selftests_run(const char *raw_cmdline)
{
	if (selftest_requested(raw_cmdline, "fault"))
		selftest_fault();
	if (selftest_requested(raw_cmdline, "mm"))
		selftest_mm();
	if (selftest_requested(raw_cmdline, "locks"))
		selftest_locks();
}
