#ifndef KEVLAR_POLL_H
#define KEVLAR_POLL_H

/* The poll core shared by poll/ppoll (fs/poll.c) and select/pselect6 (fs/select.c). */

#include <kevlar/types.h>
#include <uapi/signal.h>

struct pollfd {
	int fd;
	short events;
	short revents;
};

/*
 * Fill fds[].revents, sleeping until one is ready, the deadline
 * (CLOCK_MONOTONIC ns; TIME_NEVER: none) or a signal; nowait polls once. Returns the ready count, 0 on timeout,
 * -ERESTARTNOHAND when a signal interrupted, -ENOMEM.
 */
long poll_kernel(struct pollfd *fds, unsigned nfds, uint64_t deadline_ns, bool nowait);
struct timespec64;
/*
 * ppoll/pselect6: a user relative timeout to a CLOCK_MONOTONIC deadline
 * (NULL or huge: TIME_NEVER) and whether it is zero (poll once); -EFAULT,
 * -EINVAL (negative, bad tv_nsec).
 */
int poll_timeout_deadline(const struct timespec64 *uts, uint64_t *deadline, bool *nowait);
/* ppoll/pselect6: install a temporary signal mask (NULL: none) ... */
int poll_set_temp_mask(const ksigset_t *umask, size_t size);
/* ... and put the old one back unless signal delivery will (after a handler). */
void poll_end_temp_mask(long ret);

#endif
