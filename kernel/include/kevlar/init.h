#ifndef KEVLAR_INIT_H
#define KEVLAR_INIT_H

#include <kevlar/cmdline.h>

extern struct kernel_cmdline kernel_cmdline;

/* Body of the init task (pid 1): unpack the initramfs, exec the first program. */
void kernel_init(void *unused);

#endif
