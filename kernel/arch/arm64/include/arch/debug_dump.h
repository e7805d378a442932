#ifndef ARCH_ARM64_DEBUG_DUMP_H
#define ARCH_ARM64_DEBUG_DUMP_H

/* Print every task's state and the flight recorder (on a serial BREAK). */
void debug_dump_all(void);

#endif
