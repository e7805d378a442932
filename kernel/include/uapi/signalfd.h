#ifndef UAPI_SIGNALFD_H
#define UAPI_SIGNALFD_H
/*
 * signalfd(2) ABI facts, transcribed from the installed UAPI header
 * linux/signalfd.h. The record is the same on every architecture.
 */
#include <kevlar/types.h>
#include <uapi/fcntl.h>

/* The flags are the open flags of the same meaning. */
#define SFD_CLOEXEC     O_CLOEXEC
#define SFD_NONBLOCK    O_NONBLOCK

/* What one read(2) returns per signal: 128 bytes, fixed. */
struct signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

#endif
