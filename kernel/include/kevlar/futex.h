#ifndef KEVLAR_FUTEX_H
#define KEVLAR_FUTEX_H

/* Futexes (kernel/core/futex.c). */

#include <kevlar/types.h>

struct mm;

/* Wake up to n waiters on the word at uaddr of mm (thread exit, CLONE_CHILD_CLEARTID). */
int futex_wake_mm(struct mm *mm, uint64_t uaddr, int n);

#endif
