#ifndef KEVLAR_OVERCOMMIT_H
#define KEVLAR_OVERCOMMIT_H

/*
 * Overcommit (kernel/mm/overcommit.c), /proc/sys/vm/overcommit_memory.
 * Mode 0, Linux's default heuristic: one request for memory that would
 * be committed (private writable, or shared anonymous, mappings; brk)
 * fails only when it is larger than all of RAM (there is no swap).
 * Mappings nothing can write (PROT_NONE reservations) and MAP_NORESERVE
 * ones are not committed, so any size fits. Mode 1 never refuses.
 * Mode 2 (strict accounting) is not implemented: writing 2 is EINVAL.
 */

#include <kevlar/types.h>

#define OVERCOMMIT_GUESS    0
#define OVERCOMMIT_ALWAYS   1

/* May a request commit this many more pages? */
bool vm_enough_memory(uint64_t pages);
int vm_overcommit_mode(void);
/* 0, or -EINVAL for a mode we do not implement. */
int vm_set_overcommit_mode(int mode);

#endif
