/*
 * select and pselect6, on top of poll: fd_set bits become poll events and
 * back, with Linux's mapping (readable: POLLIN/HUP/ERR; writable:
 * POLLOUT/ERR; exceptional: POLLPRI). The remaining time is written back
 * to the timeout, as Linux does and some programs expect.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/poll.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/time.h>

#define IN_SET  (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define OUT_SET (POLLOUT | POLLWRNORM | POLLERR)
#define EX_SET  (POLLPRI)

static bool bit(const uint64_t *set, int fd)
{
	return (set[fd / 64] >> (fd % 64)) & 1;
}

static long do_select(int nfds, uint64_t *uin, uint64_t *uout, uint64_t *uex,
		      uint64_t deadline, bool nowait)
{
	uint64_t *sets, *in, *out, *ex, *rin, *rout, *rex;
	struct pollfd *fds = NULL;
	size_t bytes, words;
	unsigned n = 0;
	long ret;

	if (nfds < 0)
		return -EINVAL;
	/* As Linux: bits past the descriptor table cannot name open files. */
	fs_lock();
	if ((unsigned)nfds > current_task()->files->size)
		nfds = (int)current_task()->files->size;
	fs_unlock();
	bytes = (nfds + 7) / 8;
	words = (size_t)(nfds + 63) / 64;
	if (!(sets = kzalloc(6 * (words ? words : 1) * sizeof(*sets))))
		return -ENOMEM;
	in = sets, out = in + words, ex = out + words;
	rin = ex + words, rout = rin + words, rex = rout + words;
	if ((uin && copy_from_user(in, uin, bytes)) || (uout && copy_from_user(out, uout, bytes)) ||
	    (uex && copy_from_user(ex, uex, bytes))) {
		ret = -EFAULT;
		goto done;
	}
	fds = kmalloc(sizeof(*fds) * (nfds ? nfds : 1));
	if (!fds) {
		ret = -ENOMEM;
		goto done;
	}
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (bit(in, fd))
			ev |= POLLIN;
		if (bit(out, fd))
			ev |= POLLOUT;
		if (bit(ex, fd))
			ev |= POLLPRI;
		if (!ev)
			continue;
		if (!fd_is_open(fd)) {
			ret = -EBADF;
			goto done;
		}
		fds[n++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	ret = poll_kernel(fds, n, deadline, nowait);
	if (ret < 0)
		goto done;
	ret = 0;
	for (unsigned i = 0; i < n; i++) {
		int fd = fds[i].fd;
		short r = fds[i].revents;

		if (bit(in, fd) && (r & IN_SET)) {
			rin[fd / 64] |= 1ULL << (fd % 64);
			ret++;
		}
		if (bit(out, fd) && (r & OUT_SET)) {
			rout[fd / 64] |= 1ULL << (fd % 64);
			ret++;
		}
		if (bit(ex, fd) && (r & EX_SET)) {
			rex[fd / 64] |= 1ULL << (fd % 64);
			ret++;
		}
	}
	if ((uin && copy_to_user(uin, rin, bytes)) || (uout && copy_to_user(uout, rout, bytes)) ||
	    (uex && copy_to_user(uex, rex, bytes)))
		ret = -EFAULT;
done:
	kfree(fds);
	kfree(sets);
	return ret;
}

static uint64_t remaining(uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns();

	return deadline > now ? deadline - now : 0;
}

long sys_select(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex, struct timeval64 *utv)
{
	struct timeval64 tv;
	uint64_t deadline = TIME_NEVER, ns;
	bool nowait = false;
	long ret;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* Linux takes tv_usec past a second and carries it into tv_sec. */
		ns = time_ns_sat((uint64_t)tv.tv_sec + (uint64_t)tv.tv_usec / 1000000,
				 (uint64_t)tv.tv_usec % 1000000 * NSEC_PER_USEC);
		if (!ns)
			nowait = true;
		else
			deadline = time_add_sat(clock_monotonic_ns(), ns);
	}
	ret = do_select(nfds, in, out, ex, deadline, nowait);
	if (utv && !nowait) {
		ns_to_timeval(remaining(deadline), &tv);
		copy_to_user(utv, &tv, sizeof(tv));     /* best effort, as Linux */
	}
	return ret;
}

struct pselect_sigmask {
	const ksigset_t *set;
	size_t size;
};

long sys_pselect6(int nfds, uint64_t *in, uint64_t *out, uint64_t *ex,
		  struct timespec64 *uts, const struct pselect_sigmask *usig)
{
	struct pselect_sigmask sig = { 0 };
	struct timespec64 ts;
	uint64_t deadline;
	bool nowait;
	long ret;

	if ((ret = poll_timeout_deadline(uts, &deadline, &nowait)))
		return ret;
	if (usig && copy_from_user(&sig, usig, sizeof(sig)))
		return -EFAULT;
	if ((ret = poll_set_temp_mask(sig.set, sig.size)))
		return ret;
	ret = do_select(nfds, in, out, ex, deadline, nowait);
	poll_end_temp_mask(ret);
	if (uts && !nowait) {
		ns_to_timespec(remaining(deadline), &ts);
		copy_to_user(uts, &ts, sizeof(ts));
	}
	return ret;
}
