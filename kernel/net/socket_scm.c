/*
 * SCM_RIGHTS: open files passed in sendmsg's control data. The sender's
 * files are referenced, not copied (the receiver shares the file offset
 * and flags, as on Linux); recvmsg installs them at the lowest free
 * descriptors. Layout facts are from linux/socket.h and cmsg(3): a
 * 16-byte struct cmsghdr, each header at an 8-byte boundary.
 */
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/socket.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

/* Linux refuses control data beyond net.core.optmem_max (20480 by default). */
#define CONTROL_MAX     20480
#define CMSG_HDR        sizeof(struct cmsghdr_user)

void scm_fds_put(struct scm_fds *fds)
{
	if (!fds)
		return;
	for (int i = 0; i < fds->n; i++)
		file_put(fds->f[i]);
	kfree(fds);
}

static struct scm_fds *scm_alloc(int n)
{
	struct scm_fds *fds = kmalloc(sizeof(*fds) + n * sizeof(fds->f[0]));

	if (fds) {
		fds->next = NULL;
		fds->n = 0;
	}
	return fds;
}

struct scm_fds *scm_fds_dup(const struct scm_fds *fds)
{
	struct scm_fds *d = scm_alloc(fds->n);

	if (!d)
		return NULL;
	for (int i = 0; i < fds->n; i++) {
		file_get(fds->f[i]);
		d->f[d->n++] = fds->f[i];
	}
	return d;
}

/*
 * Walk the control messages (CMSG_FIRSTHDR/CMSG_NXTHDR semantics): a
 * header that does not fit in what is left ends the walk; one whose
 * length is shorter than a header or runs past the buffer is EINVAL.
 * With fds NULL only count the descriptors; otherwise take them.
 */
static long walk(const char *buf, size_t len, struct scm_fds *fds, int *count)
{
	size_t off = 0;

	*count = 0;
	while (off + CMSG_HDR <= len) {
		struct cmsghdr_user h;
		int n;

		memcpy(&h, buf + off, sizeof(h));
		if (h.cmsg_len < CMSG_HDR || h.cmsg_len > len - off)
			return -EINVAL;
		if (h.cmsg_level == SOL_SOCKET) {
			switch (h.cmsg_type) {
			case SCM_RIGHTS:
				n = (h.cmsg_len - CMSG_HDR) / sizeof(int);
				if (*count + n > SCM_MAX_FD)
					return -EINVAL;
				for (int i = 0; fds && i < n; i++) {
					int fd;
					struct file *f;

					memcpy(&fd, buf + off + CMSG_HDR + i * sizeof(int), sizeof(fd));
					if (!(f = fd_lookup_locked(fd)))
						return -EBADF;
					file_get(f);
					fds->f[fds->n++] = f;
				}
				*count += n;
				break;
			case SCM_CREDENTIALS:
				/* Accepted and not passed on: no SO_PASSCRED yet. */
				break;
			default:
				return -EINVAL;
			}
		}
		off += CMSG_ALIGN_USER(h.cmsg_len);
	}
	return 0;
}

long scm_from_user(const struct msghdr_user *msg, struct scm_fds **out)
{
	size_t len = msg->msg_controllen;
	struct scm_fds *fds;
	char *buf;
	int count;
	long err;

	*out = NULL;
	if (len < CMSG_HDR)
		return 0;                   /* no header fits: nothing to pass */
	if (len > CONTROL_MAX)
		return -ENOBUFS;
	if (!(buf = kmalloc(len)))
		return -ENOMEM;
	if (copy_from_user(buf, msg->msg_control, len)) {
		kfree(buf);
		return -EFAULT;
	}
	/* Count first, so the descriptors are looked up with no sleep in between. */
	if ((err = walk(buf, len, NULL, &count)) || count == 0)
		goto out;
	err = -ENOMEM;
	if (!(fds = scm_alloc(count)))
		goto out;
	fs_lock();                      /* the descriptor table, while we take the files */
	err = walk(buf, len, fds, &count);
	fs_unlock();
	if (err)
		scm_fds_put(fds);
	else
		*out = fds;
out:
	kfree(buf);
	return err;
}

long scm_to_user(const struct msghdr_user *msg, struct scm_fds *fds, unsigned recv_flags,
		 size_t *controllen, unsigned *flags)
{
	struct fd_table *t = current_task()->files;
	size_t room = msg->msg_control ? msg->msg_controllen : 0;
	int fdmax = room > CMSG_HDR ? (int)((room - CMSG_HDR) / sizeof(int)) : 0;
	int installed = 0, ufds[SCM_MAX_FD];
	long err = 0;

	*controllen = 0;
	/* Linux installs what fits; the rest are closed and MSG_CTRUNC says so. */
	while (installed < fds->n && installed < fdmax) {
		int fd = fd_install(t, fds->f[installed], 0, recv_flags & MSG_CMSG_CLOEXEC);

		if (fd < 0)
			break;
		ufds[installed++] = fd;
	}
	if (installed < fds->n)
		*flags |= MSG_CTRUNC;
	for (int i = installed; i < fds->n; i++)
		file_put(fds->f[i]);
	if (installed) {
		struct cmsghdr_user h = { CMSG_HDR + installed * sizeof(int), SOL_SOCKET, SCM_RIGHTS };

		if (copy_to_user(msg->msg_control, &h, sizeof(h)) ||
		    copy_to_user((char *)msg->msg_control + CMSG_HDR, ufds, installed * sizeof(int)))
			err = -EFAULT;
		*controllen = MIN(CMSG_ALIGN_USER(h.cmsg_len), room);
	}
	kfree(fds);
	return err;
}
