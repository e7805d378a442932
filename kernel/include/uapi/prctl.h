#ifndef KEVLAR_UAPI_PRCTL_H
#define KEVLAR_UAPI_PRCTL_H

/* linux/prctl.h and asm/prctl.h (arch_prctl, x86_64 only). */
#define PR_SET_PDEATHSIG    1
#define PR_GET_PDEATHSIG    2
#define PR_SET_NAME         15
#define PR_GET_NAME         16

#define ARCH_SET_GS         0x1001
#define ARCH_SET_FS         0x1002
#define ARCH_GET_FS         0x1003
#define ARCH_GET_GS         0x1004

#endif
