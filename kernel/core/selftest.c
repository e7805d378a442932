/*
 * Boot-time self-tests. The mm test proves "out of memory is an error":
 * allocate until page_alloc says NULL, then give everything back and
 * check the allocator's count is exactly what it was.
 */
#include <kevlar/page.h>
#include <kevlar/printk.h>
#include <kevlar/selftest.h>
#include <kevlar/string.h>

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

void selftests_run(const char *raw_cmdline)
{
	if (selftest_requested(raw_cmdline, "fault"))
		selftest_fault();
	if (selftest_requested(raw_cmdline, "mm"))
		selftest_mm();
}
