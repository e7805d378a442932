/*
 * futex(2): sleeping on a 32-bit word of user memory. A waiter is named
 * by a key: (address space, user address) for private memory, or the
 * physical address for MAP_SHARED memory, where different processes (or
 * addresses) reach the same word. Waiters sit on one list in arrival
 * order. futex_lock is held around "read the word, queue the waiter" and
 * by every waker, so the check and the queueing are one step for every
 * waker, on any number of CPUs: that is all the atomicity futex promises.
 * User words are read and written under it with page faults disabled (no
 * paging may sleep under a spin lock): a word whose page is not there
 * makes the caller drop the lock, fault the page in and start again.
 *
 * Timeouts: FUTEX_WAIT's is relative (CLOCK_MONOTONIC, so setting the wall
 * clock does not stretch it); FUTEX_WAIT_BITSET's is absolute, on
 * CLOCK_REALTIME with FUTEX_CLOCK_REALTIME (glibc's pthread_cond_timedwait),
 * else CLOCK_MONOTONIC, and a realtime deadline moves with clock_settime.
 */
#include <kevlar/arch.h>
#include <kevlar/futex.h>
#include <kevlar/list.h>
#include <kevlar/mm.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/futex.h>
#include <uapi/time.h>

struct futex_key {
	uintptr_t space;            /* the struct mm, or 0 for shared memory */
	uintptr_t addr;             /* user address, or physical address */
};

struct futex_waiter {
	struct futex_key key;
	uint32_t bitset;
	bool woken;
	struct wait_queue wq;
	struct task *task;
	struct list_head link;
};

static LIST_HEAD(waiters);
/*
 * Protects waiters and each waiter's key, woken and link. Syscalls and
 * the exit path take it, never an interrupt handler, so no irqsave. The
 * waiter's sleep itself is its wait queue's (wake_up_all under it is
 * allowed).
 */
static DEFINE_SPINLOCK(futex_lock);

static bool key_equal(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr;
}

/*
 * The key for uaddr of mm; the word must be readable (it is faulted in).
 * shared: the op lacks FUTEX_PRIVATE_FLAG, so the word may be shared
 * between processes; then, as on Linux, a word on a read-only private
 * anonymous page is -EFAULT (copy-on-write would give the page another
 * identity on the first write, so no key names it for good).
 */
static int get_key(struct mm *mm, uint64_t uaddr, bool shared, struct futex_key *key)
{
	struct vma *v;
	uint32_t val;
	paddr_t pa;
	int err = 0;

	if (uaddr & 3)
		return -EINVAL;
	if (mm != current_task()->mm) {
		key->space = (uintptr_t)mm;
		key->addr = uaddr;
		return 0;
	}
	if (get_user(val, (uint32_t *)uaddr))
		return -EFAULT;
	spin_lock(&mm->lock);
	v = mm_find_vma(mm, uaddr);
	if (shared && v && (v->flags & (VMA_SHARED | VMA_ANON)) == VMA_ANON && !(v->prot & MMU_WRITE)) {
		err = -EFAULT;
	} else if (v && (v->flags & VMA_SHARED) &&
		   pgtable_query(&mm->pt, ALIGN_DOWN(uaddr, PAGE_SIZE), &pa, NULL)) {
		key->space = 0;
		key->addr = pa + (uaddr & (PAGE_SIZE - 1));
	} else {
		key->space = (uintptr_t)mm;
		key->addr = uaddr;
	}
	spin_unlock(&mm->lock);
	return err;
}

/* Wake up to n waiters on key whose bitset meets bitset. futex_lock held. */
static int wake_key(const struct futex_key *key, int n, uint32_t bitset)
{
	struct futex_waiter *w, *tmp;
	int woken = 0;

	list_for_each_entry_safe(w, tmp, &waiters, link) {
		if (woken >= n)
			break;
		if (!key_equal(&w->key, key) || !(w->bitset & bitset))
			continue;
		list_del(&w->link);
		list_init(&w->link);
		w->woken = true;
		wake_up_all(&w->wq);
		woken++;
	}
	return woken;
}

/*
 * Take futex_lock with the word at uaddr read into *val (see the top of
 * the file); -EFAULT, with the lock not held, when it cannot be read.
 */
static int lock_and_read(uint64_t uaddr, uint32_t *val)
{
	for (;;) {
		int err;

		spin_lock(&futex_lock);
		pagefault_disable();
		err = get_user(*val, (uint32_t *)uaddr);
		pagefault_enable();
		if (!err)
			return 0;
		spin_unlock(&futex_lock);
		if (get_user(*val, (uint32_t *)uaddr))
			return -EFAULT;
	}
}

static bool waiter_woken(void *arg)
{
	return ((struct futex_waiter *)arg)->woken;
}

/* A wait's timeout: none (timed false), or until clock reaches deadline. */
struct futex_timeout {
	bool timed;
	enum timer_clock clock;
	uint64_t deadline;          /* TIME_NEVER for a timeout too large to end */
};

static long futex_wait(uint64_t uaddr, bool shared, uint32_t val,
		       const struct futex_timeout *to, uint32_t bitset)
{
	struct futex_waiter w = { .bitset = bitset, .task = current_task() };
	uint32_t cur;
	bool woken;
	int err;

	if (!bitset)
		return -EINVAL;
	if ((err = get_key(current_task()->mm, uaddr, shared, &w.key)))
		return err;
	wait_queue_init(&w.wq);
	if ((err = lock_and_read(uaddr, &cur)))
		return err;
	if (cur != val) {
		spin_unlock(&futex_lock);
		return -EAGAIN;
	}
	list_add_tail(&w.link, &waiters);
	spin_unlock(&futex_lock);

	err = wait_interruptible_until(&w.wq, waiter_woken, &w, to->clock,
				       to->timed ? to->deadline : TIME_NEVER);
	spin_lock(&futex_lock);
	woken = w.woken;
	if (!woken)
		list_del(&w.link);
	spin_unlock(&futex_lock);
	if (woken)
		return 0;
	if (err == -ETIMEDOUT)
		return -ETIMEDOUT;
	/* An untimed wait restarts under SA_RESTART, as Linux's does; a timed one says EINTR. */
	return to->timed ? -EINTR : -ERESTARTSYS;
}

int futex_wake_mm(struct mm *mm, uint64_t uaddr, int n)
{
	struct futex_key key;
	int woken;

	if (get_key(mm, uaddr, true, &key))
		return 0;
	spin_lock(&futex_lock);
	woken = wake_key(&key, n, FUTEX_BITSET_MATCH_ANY);
	spin_unlock(&futex_lock);
	return woken;
}

static long futex_requeue(uint64_t uaddr, bool shared, int nr_wake, int nr_requeue, uint64_t uaddr2,
			  bool cmp, uint32_t val3)
{
	struct mm *mm = current_task()->mm;
	struct futex_key key1, key2;
	struct futex_waiter *w, *tmp;
	uint32_t cur;
	int err, done, moved = 0;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if ((err = get_key(mm, uaddr, shared, &key1)) || (err = get_key(mm, uaddr2, shared, &key2)))
		return err;
	if (!cmp)
		spin_lock(&futex_lock);
	else if ((err = lock_and_read(uaddr, &cur)))
		return err;
	if (cmp && cur != val3) {
		spin_unlock(&futex_lock);
		return -EAGAIN;
	}
	done = wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	list_for_each_entry_safe(w, tmp, &waiters, link) {
		if (moved >= nr_requeue)
			break;
		if (key_equal(&w->key, &key1)) {
			w->key = key2;
			moved++;
		}
	}
	spin_unlock(&futex_lock);
	/* CMP_REQUEUE counts the requeued waiters too. */
	return cmp ? done + moved : done;
}

static bool wake_op_cmp(int32_t old, unsigned cmp, int32_t arg)
{
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: return old == arg;
	case FUTEX_OP_CMP_NE: return old != arg;
	case FUTEX_OP_CMP_LT: return old < arg;
	case FUTEX_OP_CMP_LE: return old <= arg;
	case FUTEX_OP_CMP_GT: return old > arg;
	case FUTEX_OP_CMP_GE: return old >= arg;
	default: return false;
	}
}

/* FUTEX_WAKE_OP's operation on the old value; false for an unknown op. */
static bool wake_op_apply(unsigned op, int32_t old, int32_t oparg, int32_t *new)
{
	switch (op) {
	case FUTEX_OP_SET: *new = oparg; return true;
	case FUTEX_OP_ADD: *new = (int32_t)((uint32_t)old + (uint32_t)oparg); return true;
	case FUTEX_OP_OR: *new = old | oparg; return true;
	case FUTEX_OP_ANDN: *new = old & ~oparg; return true;
	case FUTEX_OP_XOR: *new = old ^ oparg; return true;
	default: return false;
	}
}

static long futex_wake_op(uint64_t uaddr, bool shared, int nr_wake, int nr_wake2, uint64_t uaddr2,
			  uint32_t encoded)
{
	struct mm *mm = current_task()->mm;
	unsigned op = (encoded >> 28) & 0xf, cmp = (encoded >> 24) & 0xf;
	/* oparg and cmparg are 12-bit signed fields. */
	int32_t oparg = (int32_t)(encoded << 8) >> 20, cmparg = (int32_t)(encoded << 20) >> 20;
	struct futex_key key1, key2;
	int32_t old, new;
	int err, woken;

	if ((err = get_key(mm, uaddr, shared, &key1)) || (err = get_key(mm, uaddr2, shared, &key2)))
		return err;
	if (op & FUTEX_OP_OPARG_SHIFT) {
		if (oparg < 0 || oparg > 31)
			return -EINVAL;
		oparg = (int32_t)(1u << oparg);
		op &= ~FUTEX_OP_OPARG_SHIFT;
	}
	if (!wake_op_apply(op, 0, oparg, &new))
		return -ENOSYS;
	/* Read, change and write the word as one step for every waker (see lock_and_read). */
	for (;;) {
		spin_lock(&futex_lock);
		pagefault_disable();
		err = get_user(old, (int32_t *)uaddr2);
		if (!err) {
			wake_op_apply(op, old, oparg, &new);
			err = put_user(new, (int32_t *)uaddr2);
		}
		pagefault_enable();
		if (!err)
			break;
		spin_unlock(&futex_lock);
		if (fault_in_user_writeable(uaddr2))
			return -EFAULT;
	}
	woken = wake_key(&key1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (wake_op_cmp(old, cmp, cmparg))
		woken += wake_key(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	spin_unlock(&futex_lock);
	return woken;
}

/*
 * A user timespec: relative to now (on the monotonic clock), or absolute
 * on clock. NULL: no timeout. A huge one saturates (kevlar/time.h): the
 * wait then ends only by a wake-up or a signal.
 */
static int read_timeout(const struct timespec64 *uts, bool absolute, enum timer_clock clock,
			struct futex_timeout *to)
{
	struct timespec64 ts;
	uint64_t ns;
	int err;

	*to = (struct futex_timeout){ .clock = TIMER_MONOTONIC, .deadline = TIME_NEVER };
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if ((err = timespec_to_ns(&ts, &ns)))
		return err;
	to->timed = true;
	if (absolute) {
		to->clock = clock;
		to->deadline = ns;
	} else {
		to->deadline = time_add_sat(clock_monotonic_ns(), ns);
	}
	return 0;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec64 *utime,
	       uint32_t *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	enum timer_clock clock = (op & FUTEX_CLOCK_REALTIME) ? TIMER_REALTIME : TIMER_MONOTONIC;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	struct futex_timeout to;
	int err;

	/* Only absolute waits have a clock to choose (Linux 6.1 refuses FUTEX_WAIT too). */
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		if ((err = read_timeout(utime, false, clock, &to)))
			return err;
		return futex_wait((uint64_t)uaddr, shared, val, &to, FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAIT_BITSET:
		if ((err = read_timeout(utime, true, clock, &to)))
			return err;
		return futex_wait((uint64_t)uaddr, shared, val, &to, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET: {
		struct futex_key key;
		int woken;

		if (!val3)
			return -EINVAL;
		if ((err = get_key(current_task()->mm, (uint64_t)uaddr, shared, &key)))
			return err;
		spin_lock(&futex_lock);
		woken = wake_key(&key, (int)MIN(val, 0x7fffffffu), val3);
		spin_unlock(&futex_lock);
		return woken;
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		/* utime carries nr_requeue for these. */
		return futex_requeue((uint64_t)uaddr, shared, (int)val, (int)(uintptr_t)utime,
				     (uint64_t)uaddr2, cmd == FUTEX_CMP_REQUEUE, val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op((uint64_t)uaddr, shared, (int)val, (int)(uintptr_t)utime,
				     (uint64_t)uaddr2, val3);
	default:
		/* Priority inheritance (LOCK_PI, ...) is not implemented. */
		return -ENOSYS;
	}
}
