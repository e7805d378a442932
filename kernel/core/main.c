/*
 * kernel_main: the generic boot sequence, from the first console line to
 * the idle loop. Order matters: the banner must be the first line (the
 * farm keys on it), memory comes before anything that allocates, and the
 * timer before the first task switch.
 */
#include <kevlar/arch.h>
#include <kevlar/bootinfo.h>
#include <kevlar/cmdline.h>
#include <kevlar/mmu.h>
#include <kevlar/page.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/selftest.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include <kevlar/init.h>
#include <kevlar/lockcheck.h>

extern bool boot_protocol_ok;

unsigned trace_flags;
bool semihosting;
struct kernel_cmdline kernel_cmdline;

static const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE: return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI: return "ACPI data";
	case BOOT_MEM_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "unusable";
	default: return "unknown";
	}
}

static void print_memory_map(void)
{
	for (int i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_region *r = &boot_info.mem[i];

		pr_info("mem: [0x%012lx-0x%012lx] %s\n", (unsigned long)r->base,
			(unsigned long)(r->base + r->len - 1), mem_type_name(r->type));
	}
}

/*
 * What the option parser sees: the raw line minus two things. Multiboot
 * loaders (QEMU, GRUB, iPXE) put the image's name or URI first; a first
 * word without '=' is that name, dropped so a relative path is not taken
 * for an argument to init. And kevlar.selftest=, which selftest.c reads
 * from the raw line itself. (Quoted words are copied as they are.)
 */
static void filter_cmdline(const char *line, char *out, size_t size)
{
	const char *p = line;
	size_t n = 0;
	bool first = true;

	while (*p) {
		const char *w;
		bool has_eq = false, in_quote = false;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && (in_quote || *p != ' ')) {
			if (*p == '"')
				in_quote = !in_quote;
			if (*p == '=')
				has_eq = true;
			p++;
		}
		if ((first && !has_eq) || strncmp(w, "kevlar.selftest=", 16) == 0) {
			first = false;
			continue;
		}
		first = false;
		if (n + (p - w) + 2 > size)
			break;
		if (n)
			out[n++] = ' ';
		memcpy(out + n, w, p - w);
		n += p - w;
	}
	out[n] = '\0';
}

static void parse_cmdline(void)
{
	static char errbuf[512], line[BOOT_CMDLINE_MAX];
	int problems;

	pr_info("Command line: %s\n", boot_info.cmdline);
	filter_cmdline(boot_info.cmdline, line, sizeof(line));
	problems = cmdline_parse(line, &kernel_cmdline, errbuf, sizeof(errbuf));
	if (problems)
		pr_warn("cmdline: %d problem%s: %s (ignored, boot continues)\n",
			problems, problems == 1 ? "" : "s", errbuf);
	if (kernel_cmdline.loglevel >= 0)
		printk_set_loglevel(kernel_cmdline.loglevel + 1);
	trace_flags = kernel_cmdline.trace_flags;
	if (kernel_cmdline.debug_flags & DEBUG_LOCKS) {
		lockcheck_enabled = true;
		pr_info("lockcheck: checking lock order, sleeps under spin locks and unlocks\n");
	}
	semihosting = kernel_cmdline.semihosting;
}

static void start_init_thread(void)
{
	if (!kthread_create("init", kernel_init, NULL))
		panic("boot: cannot create the init task (out of memory)");
}

void kernel_main(void)
{
	printk(KERN_NOTICE "Kevlar %s (%s) git %s, built with gcc %s\n",
	       KEVLAR_VERSION, KEVLAR_ARCH, KEVLAR_GIT_REV, __VERSION__);
	if (!boot_protocol_ok)
		pr_warn("boot: loader magic is wrong; memory map and command line may be missing\n");
	pr_info("Boot loader: %s\n", boot_info.loader);
	parse_cmdline();
	print_memory_map();
	if (boot_info.initrd_size)
		pr_info("initrd: %#lx-%#lx (%lu KiB)\n", (unsigned long)boot_info.initrd_start,
			(unsigned long)(boot_info.initrd_start + boot_info.initrd_size - 1),
			(unsigned long)(boot_info.initrd_size >> 10));
	else
		pr_info("initrd: none\n");

	page_init();
	mmu_init();
	pr_info("mm: %lu pages total, %lu free (%lu KiB free)\n",
		(unsigned long)page_nr_total(), (unsigned long)page_nr_free(),
		(unsigned long)(page_nr_free() * (PAGE_SIZE / 1024)));

	sched_init();
	arch_timer_init();
	clock_realtime_init();
	arch_irq_enable();
	selftests_run(boot_info.cmdline);

	start_init_thread();
	sched_idle_loop();
}
