/*
 * Signal syscalls, accepted but not acted on yet: handlers are remembered
 * nowhere and nothing is delivered. Shells install handlers at start-up
 * and must not fail there; real delivery comes with the signal frame work.
 */
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/signal.h>

#define KERNEL_SIGACTION_SIZE   32      /* handler, flags, restorer, mask */
#define NSIG_WORDS_BYTES        8

long sys_rt_sigaction(int sig, const void *act, void *oldact, size_t sigsetsize)
{
	(void)act;
	if (sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	if (sigsetsize != NSIG_WORDS_BYTES)
		return -EINVAL;
	if (oldact && clear_user(oldact, KERNEL_SIGACTION_SIZE))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const void *set, void *oldset, size_t sigsetsize)
{
	(void)how;
	(void)set;
	if (sigsetsize != NSIG_WORDS_BYTES)
		return -EINVAL;
	if (oldset && clear_user(oldset, NSIG_WORDS_BYTES))
		return -EFAULT;
	return 0;
}
