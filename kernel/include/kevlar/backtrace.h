#ifndef KEVLAR_BACKTRACE_H
#define KEVLAR_BACKTRACE_H

#include <kevlar/types.h>

/* The frame pointer of the caller, where a backtrace from here starts. */
uint64_t backtrace_current_frame(void);
/* Walk the frame-pointer chain from frame fp, printing return addresses. */
void backtrace_print(uint64_t fp);
/* Print one code address with its symbol name. */
void backtrace_print_ip(uint64_t ip);

#endif
