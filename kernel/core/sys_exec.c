/* execve(2): copy the path and vectors in from user space, then exec. */
#include <kevlar/exec.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

struct string_pool {
	char *buf;
	size_t used, size;
};

/* Copy a NULL-terminated user vector of strings; returns the count or -errno. */
static long copy_vector(const char *const *uvec, char **vec, int max, struct string_pool *pool)
{
	int n = 0;

	if (!uvec)
		goto done;
	for (;; n++) {
		const char *ustr;
		long len;

		if (get_user(ustr, &uvec[n]))
			return -EFAULT;
		if (!ustr)
			break;
		if (n >= max)
			return -E2BIG;
		len = strncpy_from_user(pool->buf + pool->used, ustr, pool->size - pool->used);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		vec[n] = pool->buf + pool->used;
		pool->used += len + 1;
	}
done:
	vec[n] = NULL;
	return n;
}

long sys_execve(const char *upath, const char *const *uargv, const char *const *uenvp)
{
	struct string_pool pool = { .size = EXEC_MAX_STRINGS };
	struct exec_args args = { 0 };
	char *path = kmalloc(PATH_MAX);
	long err;

	pool.buf = kmalloc(pool.size);
	args.argv = kmalloc((EXEC_MAX_ARGS + 1) * sizeof(char *));
	args.envp = kmalloc((EXEC_MAX_ARGS + 1) * sizeof(char *));
	err = -ENOMEM;
	if (!path || !pool.buf || !args.argv || !args.envp)
		goto out;
	if ((err = strncpy_from_user(path, upath, PATH_MAX)) < 0)
		goto out;
	if ((err = copy_vector(uargv, args.argv, EXEC_MAX_ARGS, &pool)) < 0)
		goto out;
	args.argc = err;
	if ((err = copy_vector(uenvp, args.envp, EXEC_MAX_ARGS, &pool)) < 0)
		goto out;
	args.envc = err;
	err = exec_program(path, &args, task_user_frame(current_task()));
out:
	kfree(args.envp);
	kfree(args.argv);
	kfree(pool.buf);
	kfree(path);
	return err;
}
