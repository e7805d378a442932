#ifndef KEVLAR_EXEC_H
#define KEVLAR_EXEC_H

#include <kevlar/types.h>

struct trap_frame;

/* Limits on what exec copies onto the new stack (Linux allows more). */
#define EXEC_MAX_ARGS       1024
#define EXEC_MAX_STRINGS    (128 * 1024)

/* Kernel copies of the argument and environment vectors. */
struct exec_args {
	int argc, envc;
	char **argv;            /* NULL-terminated */
	char **envp;            /* NULL-terminated */
};

/*
 * Replace the current task's program with the ELF executable or #! script at
 * path. On success the new registers are written to tf (the caller's
 * syscall frame) and 0 is returned; when tf is NULL (the init task, still
 * a kernel thread) it enters user space directly and does not return.
 * On failure the old program is untouched and -errno is returned.
 */
int exec_program(const char *path, const struct exec_args *args, struct trap_frame *tf);

#endif
