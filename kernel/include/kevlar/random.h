#ifndef KEVLAR_RANDOM_H
#define KEVLAR_RANDOM_H

#include <kevlar/types.h>

/*
 * Unpredictable-enough bytes for AT_RANDOM and getrandom(2): a 64-bit
 * mixing generator reseeded from the cycle counter. Not cryptographic yet.
 */
void random_bytes(void *buf, size_t n);

#endif
