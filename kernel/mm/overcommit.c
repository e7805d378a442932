/* The overcommit policy (see kevlar/overcommit.h). */
#include <kevlar/overcommit.h>
#include <kevlar/page.h>
#include <uapi/errno.h>

/* Written by a root sysctl store, read by mmap: a plain int does on any CPU. */
static volatile int overcommit_mode = OVERCOMMIT_GUESS;

bool vm_enough_memory(uint64_t pages)
{
	if (overcommit_mode == OVERCOMMIT_ALWAYS)
		return true;
	return pages <= page_nr_total();
}

int vm_overcommit_mode(void)
{
	return overcommit_mode;
}

int vm_set_overcommit_mode(int mode)
{
	if (mode != OVERCOMMIT_GUESS && mode != OVERCOMMIT_ALWAYS)
		return -EINVAL;
	overcommit_mode = mode;
	return 0;
}
