#ifndef KEVLAR_KALLSYMS_H
#define KEVLAR_KALLSYMS_H

#include <kevlar/types.h>

/*
 * Name of the kernel function containing addr and the offset into it, or
 * NULL (the table is empty in the first link pass, see kernel/Makefile).
 */
const char *kallsyms_lookup(uint64_t addr, uint64_t *offset);

#endif
