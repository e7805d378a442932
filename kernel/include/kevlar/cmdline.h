#ifndef KEVLAR_CMDLINE_H
#define KEVLAR_CMDLINE_H

/*
 * Kernel command line parsing (kernel/core/cmdline.c).
 *
 * Linux rules: words are separated by spaces, double quotes group words
 * (the quotes themselves are dropped). Known options:
 *   console=NAME   init=PATH   rdinit=PATH   loglevel=0..7
 *   quiet (loglevel 4 unless given)   debug (loglevel 8: show everything)
 *   kevlar.trace=exec,syscall,sched|all
 *   kevlar.debug=locks   (the lock checker, kevlar/lockcheck.h)
 * Common Linux options Kevlar has no use for (ro, root=, rootwait, panic=,
 * earlycon, ...) are accepted and dropped, as Linux would consume them.
 * Everything after a "--" word goes to init's argv. Other words:
 *   name=value, no '.' in name, unknown to the kernel  -> init's envp
 *   name.param=value (module parameter)                 -> ignored,
 *                                  unless it starts with "kevlar." (error)
 *   bare word without '='                               -> init's argv,
 *   except a first word containing '/' (so any path or "://" URI): that is
 *   the boot image some loaders put first (iPXE: its URI; QEMU multiboot:
 *   the -kernel file name), and it is skipped.
 * argv_init/envp_init do not include init's argv[0]; they point into
 * storage and are NULL-terminated.
 */

#include <kevlar/types.h>

#define TRACE_EXEC      (1u << 0)
#define TRACE_SYSCALL   (1u << 1)
#define TRACE_SCHED     (1u << 2)
#define TRACE_ALL       (TRACE_EXEC | TRACE_SYSCALL | TRACE_SCHED)

#define DEBUG_LOCKS     (1u << 0)

#define CMDLINE_MAX_ARGS 32

struct kernel_cmdline {
	char console[32];        /* "" if not given */
	char init[256];          /* "" if not given */
	char rdinit[256];        /* "" if not given */
	int loglevel;            /* -1 if not given, else 0..8 */
	unsigned trace_flags;    /* TRACE_* */
	unsigned debug_flags;    /* DEBUG_*: kevlar.debug= */
	bool semihosting;        /* kevlar.semihosting: the host (QEMU) takes our exit status */
	int argc_init;
	char *argv_init[CMDLINE_MAX_ARGS];   /* NULL-terminated */
	int envc_init;
	char *envp_init[CMDLINE_MAX_ARGS];   /* NULL-terminated */
	char storage[2048];      /* backing store for argv_init/envp_init */
};

/*
 * Parse line into *out (fully initialised, even on errors). Returns 0, or
 * the number of problems found; a human-readable description of them
 * (separated by "; ") is put into errbuf (may be NULL). Parsing continues
 * past a bad option, and good options still take effect. Too many init
 * arguments or running out of storage also count as problems.
 */
int cmdline_parse(const char *line, struct kernel_cmdline *out,
		  char *errbuf, size_t errlen);

#endif
