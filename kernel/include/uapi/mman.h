#ifndef KEVLAR_UAPI_MMAN_H
#define KEVLAR_UAPI_MMAN_H

/* mmap/mprotect constants (asm-generic/mman-common.h; same on x86_64 and arm64). */
#define PROT_NONE           0x0
#define PROT_READ           0x1
#define PROT_WRITE          0x2
#define PROT_EXEC           0x4
#define PROT_GROWSDOWN      0x01000000
#define PROT_GROWSUP        0x02000000

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_GROWSDOWN       0x0100
#define MAP_NORESERVE       0x4000
#define MAP_POPULATE        0x008000
#define MAP_STACK           0x020000
#define MAP_FIXED_NOREPLACE 0x100000

#define MAP_FAILED_ERR(e)   (-(long)(e))

#endif
