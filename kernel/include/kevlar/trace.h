#ifndef KEVLAR_TRACE_H
#define KEVLAR_TRACE_H

/* kevlar.trace= flags from the command line (TRACE_* in kevlar/cmdline.h). */
#include <kevlar/cmdline.h>

extern unsigned trace_flags;

#endif
