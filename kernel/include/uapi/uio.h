#ifndef KEVLAR_UAPI_UIO_H
#define KEVLAR_UAPI_UIO_H

#include <kevlar/types.h>

/* linux/uio.h */
#define UIO_MAXIOV 1024

struct iovec {
	uint64_t iov_base;      /* user pointer */
	uint64_t iov_len;
};

#endif
