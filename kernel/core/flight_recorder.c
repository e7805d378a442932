/*
 * The flight recorder ring. Entries carry raw numbers only; names are
 * attached when the ring is dumped, which happens once, after a panic.
 */
#include <kevlar/flight_recorder.h>
#include <kevlar/arch.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/syscall.h>

#define FR_ENTRIES 256      /* power of two: the index is seq & mask */

struct fr_entry {
	uint64_t seq;
	uint64_t ns;
	uint32_t cpu;
	int32_t pid;
	uint32_t kind;
	uint64_t a, b, c, d;
};

static struct fr_entry ring[FR_ENTRIES];
static uint64_t next_seq;

static const char *const kind_names[FR_NR_KINDS] = {
	[FR_SYSCALL] = "syscall",
	[FR_EXCEPTION] = "exception",
	[FR_SWITCH] = "switch",
	[FR_EXEC] = "exec",
	[FR_EXIT] = "exit",
	[FR_FORK] = "fork",
	[FR_SIGNAL] = "signal",
	[FR_IRQ] = "irq",
};

void fr_record(enum fr_kind kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	/* Interrupts off: an interrupt handler must not claim the same slot. */
	unsigned long flags = arch_irq_save();
	struct fr_entry *e = &ring[next_seq & (FR_ENTRIES - 1)];
	struct task *t = current_task();

	e->seq = next_seq++;
	e->ns = clock_monotonic_ns();
	e->cpu = 0;
	e->pid = t ? t->pid : -1;
	e->kind = kind;
	e->a = a;
	e->b = b;
	e->c = c;
	e->d = d;
	arch_irq_restore(flags);
}

static void dump_entry(const struct fr_entry *e)
{
	const char *kind = e->kind < FR_NR_KINDS ? kind_names[e->kind] : "?";

	switch (e->kind) {
	case FR_SYSCALL:
		printk(KERN_EMERG "FR %lu %lu %u %d %s nr=%lu name=%s a0=%#lx a1=%#lx a2=%#lx\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (unsigned long)e->a, syscall_name(e->a), (unsigned long)e->b,
		       (unsigned long)e->c, (unsigned long)e->d);
		break;
	case FR_EXCEPTION:
		printk(KERN_EMERG "FR %lu %lu %u %d %s vector=%lu err=%#lx ip=%#lx addr=%#lx\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (unsigned long)e->a, (unsigned long)e->b, (unsigned long)e->c,
		       (unsigned long)e->d);
		break;
	case FR_SWITCH:
		printk(KERN_EMERG "FR %lu %lu %u %d %s from=%ld to=%ld\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (long)e->a, (long)e->b);
		break;
	case FR_EXEC:
		printk(KERN_EMERG "FR %lu %lu %u %d %s entry=%#lx argc=%lu\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (unsigned long)e->a, (unsigned long)e->b);
		break;
	case FR_EXIT:
		printk(KERN_EMERG "FR %lu %lu %u %d %s status=%ld\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (long)e->a);
		break;
	case FR_FORK:
		printk(KERN_EMERG "FR %lu %lu %u %d %s child=%ld\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (long)e->a);
		break;
	default:
		printk(KERN_EMERG "FR %lu %lu %u %d %s a=%#lx b=%#lx\n",
		       (unsigned long)e->seq, (unsigned long)e->ns, e->cpu, e->pid, kind,
		       (unsigned long)e->a, (unsigned long)e->b);
		break;
	}
}

void fr_dump(void)
{
	uint64_t end = next_seq;
	uint64_t start = end > FR_ENTRIES ? end - FR_ENTRIES : 0;

	printk(KERN_EMERG "--- flight recorder begin ---\n");
	for (uint64_t s = start; s < end; s++)
		dump_entry(&ring[s & (FR_ENTRIES - 1)]);
	printk(KERN_EMERG "--- flight recorder end ---\n");
}
