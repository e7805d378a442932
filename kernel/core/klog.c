/*
 * The kernel log ring that syslog(2) reads (BusyBox klogd, dmesg).
 * printk hands every line here as well as to the console; lines are
 * kept as "<level>[seconds] text\n", the form SYSLOG_ACTION_READ returns
 * on Linux. The oldest text is overwritten when the ring is full; a
 * reader that fell behind skips ahead to what is still there.
 */
#include <kevlar/arch.h>
#include <kevlar/format.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/wait.h>
#include <uapi/errno.h>

#define KLOG_SIZE   (64 * 1024)     /* a power of two: positions wrap by masking */

#define SYSLOG_ACTION_CLOSE         0
#define SYSLOG_ACTION_OPEN          1
#define SYSLOG_ACTION_READ          2
#define SYSLOG_ACTION_READ_ALL      3
#define SYSLOG_ACTION_READ_CLEAR    4
#define SYSLOG_ACTION_CLEAR         5
#define SYSLOG_ACTION_CONSOLE_OFF   6
#define SYSLOG_ACTION_CONSOLE_ON    7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD   9
#define SYSLOG_ACTION_SIZE_BUFFER   10

/*
 * Positions only grow; the byte at position p is ring[p % KLOG_SIZE].
 * Guarded by interrupts off (printk may run in an interrupt handler).
 */
static char ring[KLOG_SIZE];
static uint64_t head;               /* next byte written */
static uint64_t read_pos;           /* SYSLOG_ACTION_READ's reader */
static uint64_t clear_pos;          /* READ_ALL starts here (CLEAR moves it) */
static struct wait_queue klog_wait = { LIST_HEAD_INIT(klog_wait.waiters) };
static int saved_loglevel = -1;

static void put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ring[(head + i) & (KLOG_SIZE - 1)] = s[i];
	head += len;
}

/* printk's hook (core/printk.c): one piece of a line, maybe its start. */
void klog_append(int level, const char *msg, size_t len, bool starts_line, uint64_t ns)
{
	unsigned long flags = arch_irq_save();

	if (starts_line) {
		char prefix[40];
		int n = ksnprintf(prefix, sizeof(prefix), "<%d>[%5lu.%06lu] ", level & 7,
				  (unsigned long)(ns / 1000000000), (unsigned long)(ns / 1000 % 1000000));

		put(prefix, MIN((size_t)n, sizeof(prefix) - 1));
	}
	put(msg, len);
	arch_irq_restore(flags);
	wake_up_all(&klog_wait);
}

static uint64_t oldest(void)
{
	return head > KLOG_SIZE ? head - KLOG_SIZE : 0;
}

/* Copy [from, head) (at most len bytes) to user space; bytes copied or -EFAULT. */
static long copy_out(char *ubuf, uint64_t from, size_t len, uint64_t *new_pos)
{
	char chunk[256];
	size_t done = 0;
	unsigned long flags = arch_irq_save();
	uint64_t end = head;

	arch_irq_restore(flags);
	if (from < oldest())
		from = oldest();
	while (done < len && from < end) {
		size_t n = MIN(MIN(sizeof(chunk), len - done), (size_t)(end - from));

		for (size_t i = 0; i < n; i++)
			chunk[i] = ring[(from + i) & (KLOG_SIZE - 1)];
		if (copy_to_user(ubuf + done, chunk, n))
			return -EFAULT;
		done += n;
		from += n;
	}
	if (new_pos)
		*new_pos = from;
	return done;
}

long sys_syslog(int type, char *ubuf, int len)
{
	struct task *t = current_task();
	long ret;

	if (type != SYSLOG_ACTION_READ_ALL && type != SYSLOG_ACTION_SIZE_BUFFER &&
	    t->cred.euid != 0)
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
		if (!ubuf || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		if ((ret = wait_event_interruptible(&klog_wait, read_pos < head)))
			return ret;
		return copy_out(ubuf, read_pos, len, &read_pos);
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR: {
		uint64_t from = clear_pos;

		if (!ubuf || len < 0)
			return -EINVAL;
		/* The last len bytes, as Linux returns the newest messages that fit. */
		if (head - from > (uint64_t)len)
			from = head - len;
		ret = copy_out(ubuf, from, len, NULL);
		if (type == SYSLOG_ACTION_READ_CLEAR && ret >= 0)
			clear_pos = head;
		return ret;
	}
	case SYSLOG_ACTION_CLEAR:
		clear_pos = head;
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_loglevel < 0)
			saved_loglevel = printk_get_loglevel();
		printk_set_loglevel(1);     /* only emergencies */
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_loglevel >= 0)
			printk_set_loglevel(saved_loglevel);
		saved_loglevel = -1;
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		printk_set_loglevel(len);
		saved_loglevel = -1;
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return head - MAX(read_pos, oldest());
	case SYSLOG_ACTION_SIZE_BUFFER:
		return KLOG_SIZE;
	default:
		return -EINVAL;
	}
}
