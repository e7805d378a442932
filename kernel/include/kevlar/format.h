#ifndef KEVLAR_FORMAT_H
#define KEVLAR_FORMAT_H

/*
 * printf-style formatting into a buffer (kernel/lib/format.c).
 *
 * C99 snprintf semantics: returns the length the full output would have
 * had, and always NUL-terminates when size > 0. Supported:
 *   flags  - 0 space + #     width/precision, including '*'
 *   length hh h l ll z t
 *   conv   d i u x X o p s c %
 * %p prints "0x" followed by lowercase hex; %s of NULL prints "(null)".
 * Anything else is copied out literally so a bad format is visible.
 */

#include <stdarg.h>
#include <kevlar/types.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
