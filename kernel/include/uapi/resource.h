#ifndef KEVLAR_UAPI_RESOURCE_H
#define KEVLAR_UAPI_RESOURCE_H

#include <kevlar/types.h>

/* asm-generic/resource.h (x86_64 and arm64 use the generic numbering). */
#define RLIMIT_CPU          0
#define RLIMIT_FSIZE        1
#define RLIMIT_DATA         2
#define RLIMIT_STACK        3
#define RLIMIT_CORE         4
#define RLIMIT_RSS          5
#define RLIMIT_NPROC        6
#define RLIMIT_NOFILE       7
#define RLIMIT_MEMLOCK      8
#define RLIMIT_AS           9
#define RLIMIT_LOCKS        10
#define RLIMIT_SIGPENDING   11
#define RLIMIT_MSGQUEUE     12
#define RLIMIT_NICE         13
#define RLIMIT_RTPRIO       14
#define RLIMIT_RTTIME       15
#define RLIM_NLIMITS        16

#define RLIM64_INFINITY     (~0ULL)

struct rlimit64 {
	uint64_t rlim_cur;
	uint64_t rlim_max;
};

#endif
