/*
 * Kernel symbol lookup for backtraces. The table is generated from the
 * first link of the kernel and linked into the second; in the first link
 * the weak references below are NULL and lookups fail quietly.
 */
#include <kevlar/kallsyms.h>

extern const uint64_t kallsyms_num __attribute__((weak));
extern const uint64_t kallsyms_addr[] __attribute__((weak));
extern const uint32_t kallsyms_name_off[] __attribute__((weak));
extern const char kallsyms_names[] __attribute__((weak));

const char *kallsyms_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi;

	if (!&kallsyms_num || kallsyms_num == 0 || addr < kallsyms_addr[0])
		return NULL;
	/* Last symbol whose address is <= addr (the table is sorted by nm -n). */
	hi = kallsyms_num;
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;

		if (kallsyms_addr[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - kallsyms_addr[lo];
	return kallsyms_names + kallsyms_name_off[lo];
}
