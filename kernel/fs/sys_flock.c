/*
 * flock(2). Locks are accepted and not enforced yet: OpenRC takes them to
 * serialize service scripts, which on one CPU and a serial boot never
 * race. Arguments are checked as Linux checks them.
 */
#include <kevlar/fs.h>
#include <uapi/errno.h>

#define LOCK_SH     1
#define LOCK_EX     2
#define LOCK_NB     4
#define LOCK_UN     8

long sys_flock(int fd, unsigned cmd)
{
	unsigned op = cmd & ~LOCK_NB;

	if (!fd_get(fd))
		return -EBADF;
	if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
		return -EINVAL;
	return 0;
}
