/*
 * The socket syscalls: descriptors, argument checks and user copies.
 * Families (socket_unix.c, socket_inet.c) work on kernel buffers only.
 * Messages are gathered into one kernel buffer (at most SOCK_MSG_MAX
 * bytes, a datagram's practical limit) and scattered back out.
 */
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/socket.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/uio.h>

#define SOCK_MSG_MAX    (64 * 1024)
#define IOV_MAX         1024
/* Linux caps one transfer so the result fits an int with room to spare. */
#define SOCK_RW_MAX     0x7ffff000UL

static ssize_t sock_read(struct file *f, struct iov_iter *to);
static ssize_t sock_write(struct file *f, struct iov_iter *from);

static unsigned sock_poll(struct file *f, struct poll_table *pt)
{
	struct socket *s = f->private;

	return s->ops->poll ? s->ops->poll(s, f, pt) : POLLOUT | POLLWRNORM;
}

static long sock_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct socket *s = f->private;

	return s->ops->ioctl ? s->ops->ioctl(s, cmd, arg) : -ENOTTY;
}

static void sock_release(struct file *f)
{
	struct socket *s = f->private;

	if (s->ops && s->ops->release)
		s->ops->release(s);
	kfree(s);
}

static const struct file_ops socket_fops = {
	.read = sock_read,
	.write = sock_write,
	.ioctl = sock_ioctl,
	.poll = sock_poll,
	.release = sock_release,
};

struct socket *socket_of(struct file *f)
{
	return f && f->ops == &socket_fops ? f->private : NULL;
}

int socket_create_file(int family, int type, int protocol, unsigned flags, struct file **out)
{
	struct socket *s = kzalloc(sizeof(*s));
	struct inode *ino;
	int err;

	if (!s)
		return -ENOMEM;
	s->family = family;
	s->type = type;
	s->protocol = protocol;
	switch (family) {
	case AF_UNIX: err = unix_socket_create(s); break;
	case AF_INET: err = inet_socket_create(s); break;
	default: err = -EAFNOSUPPORT; break;
	}
	if (err) {
		kfree(s);
		return err;
	}
	fs_lock();
	ino = inode_alloc(S_IFSOCK | 0777);
	fs_unlock();
	if (!ino || !(*out = file_alloc(&socket_fops, ino, O_RDWR | (flags & O_NONBLOCK)))) {
		if (s->ops->release)
			s->ops->release(s);
		kfree(s);
		if (ino) {
			fs_lock();
			iput(ino);
			fs_unlock();
		}
		return -ENOMEM;
	}
	fs_lock();
	iput(ino);          /* the file holds it now */
	fs_unlock();
	(*out)->private = s;
	s->file = *out;
	return 0;
}

static int install(struct file *f, int type)
{
	int fd = fd_install(current_task()->files, f, 0, type & SOCK_CLOEXEC);

	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_socket(int family, int type, int protocol)
{
	struct file *f;
	int err;

	if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if ((err = socket_create_file(family, type & SOCK_TYPE_MASK, protocol,
				      (type & SOCK_NONBLOCK) ? O_NONBLOCK : 0, &f)))
		return err;
	return install(f, type);
}

long sys_socketpair(int family, int type, int protocol, int *usv)
{
	unsigned fl = (type & SOCK_NONBLOCK) ? O_NONBLOCK : 0;
	struct file *a, *b;
	int fds[2], err;

	if (family != AF_UNIX)
		return family == AF_INET ? -EOPNOTSUPP : -EAFNOSUPPORT;
	if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if ((err = socket_create_file(family, type & SOCK_TYPE_MASK, protocol, fl, &a)))
		return err;
	if ((err = socket_create_file(family, type & SOCK_TYPE_MASK, protocol, fl, &b))) {
		file_put(a);
		return err;
	}
	if ((err = unix_socketpair(a->private, b->private))) {
		file_put(a);
		file_put(b);
		return err;
	}
	if ((fds[0] = install(a, type)) < 0) {
		file_put(b);
		return fds[0];
	}
	if ((fds[1] = install(b, type)) < 0) {
		sys_close(fds[0]);
		return fds[1];
	}
	if (copy_to_user(usv, fds, sizeof(fds)))
		return -EFAULT;
	return 0;
}

/* fd's socket with a reference to its file (s->file), or NULL and *err. */
static struct socket *sock_fd(int fd, long *err)
{
	struct file *f = fdget(fd);
	struct socket *s = f ? socket_of(f) : NULL;

	*err = !f ? -EBADF : !s ? -ENOTSOCK : 0;
	if (!s)
		fdput(f);
	return s;
}

static void sock_fdput(struct socket **s)
{
	if (*s)
		fdput((*s)->file);
}

/*
 * A socket syscall's socket, held for the whole call: its file reference
 * is dropped when the variable goes out of scope (GCC's cleanup
 * attribute), so none of the many early returns below can leak it.
 */
#define SOCK_FD(s, fd, err) \
	struct socket *s __attribute__((cleanup(sock_fdput))) = sock_fd(fd, err)

static long addr_from_user(const void *uaddr, int len, char *addr)
{
	if (len < 0 || len > SOCKADDR_MAX)
		return -EINVAL;
	if (len && copy_from_user(addr, uaddr, len))
		return -EFAULT;
	return 0;
}

/* Copy an address out, truncated to the caller's room; *ulen gets the full length. */
/* As Linux: the length word must be readable, the address writable when
 * any room is given; callers skip it when the address is optional. */
static long addr_to_user(const char *addr, int len, void *uaddr, int *ulen)
{
	int room;

	if (get_user(room, ulen))
		return -EFAULT;
	if (room < 0)
		return -EINVAL;
	if (copy_to_user(uaddr, addr, MIN(room, len)) || put_user(len, ulen))
		return -EFAULT;
	return 0;
}

long sys_bind(int fd, const void *uaddr, int len)
{
	char addr[SOCKADDR_MAX];
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	if ((err = addr_from_user(uaddr, len, addr)))
		return err;
	return s->ops->bind ? s->ops->bind(s, addr, len) : -EOPNOTSUPP;
}

long sys_connect(int fd, const void *uaddr, int len)
{
	char addr[SOCKADDR_MAX];
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	if ((err = addr_from_user(uaddr, len, addr)))
		return err;
	return s->ops->connect ? s->ops->connect(s, addr, len, s->file->flags & O_NONBLOCK) :
				 -EOPNOTSUPP;
}

long sys_listen(int fd, int backlog)
{
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	return s->ops->listen ? s->ops->listen(s, backlog) : -EOPNOTSUPP;
}

long sys_accept4(int fd, void *uaddr, int *ulen, int flags)
{
	char addr[SOCKADDR_MAX];
	int len = 0;
	long err;
	SOCK_FD(s, fd, &err);
	struct file *nf;

	if (!s)
		return err;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	if (!s->ops->accept)
		return -EOPNOTSUPP;
	if ((err = socket_create_file(s->family, s->type, s->protocol,
				      (flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0, &nf)))
		return err;
	if ((err = s->ops->accept(s, nf->private, s->file->flags & O_NONBLOCK))) {
		file_put(nf);
		return err;
	}
	if (uaddr) {
		struct socket *ns = nf->private;

		if ((err = ns->ops->getname(ns, addr, &len, true)) ||
		    (err = addr_to_user(addr, len, uaddr, ulen))) {
			file_put(nf);       /* Linux also loses the connection here */
			return err;
		}
	}
	return install(nf, flags);
}

long sys_accept(int fd, void *uaddr, int *ulen)
{
	return sys_accept4(fd, uaddr, ulen, 0);
}

static long getname(int fd, void *uaddr, int *ulen, bool peer)
{
	char addr[SOCKADDR_MAX];
	int len = 0;
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	if (!s->ops->getname)
		return -EOPNOTSUPP;
	if ((err = s->ops->getname(s, addr, &len, peer)))
		return err;
	return addr_to_user(addr, len, uaddr, ulen);
}

long sys_getsockname(int fd, void *uaddr, int *ulen)
{
	return getname(fd, uaddr, ulen, false);
}

long sys_getpeername(int fd, void *uaddr, int *ulen)
{
	return getname(fd, uaddr, ulen, true);
}

long sys_shutdown(int fd, int how)
{
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	return s->ops->shutdown ? s->ops->shutdown(s, how) : -ENOTCONN;
}

/*
 * Options are accepted and mostly ignored; the read-only ones report the
 * truth. As on Linux, a SOL_SOCKET value is at least an int and is read
 * (EINVAL, EFAULT) even though we keep nothing; SO_BINDTODEVICE is a name.
 */
long sys_setsockopt(int fd, int level, int name, const void *uval, int len)
{
	long err;
	SOCK_FD(s, fd, &err);
	int val;

	if (!s)
		return err;
	if (level == SOL_SOCKET && name != SO_BINDTODEVICE) {
		if (len < (int)sizeof(int))
			return -EINVAL;
		if (get_user(val, (const int *)uval))
			return -EFAULT;
	}
	return 0;
}

long sys_getsockopt(int fd, int level, int name, void *uval, int *ulen)
{
	long err;
	SOCK_FD(s, fd, &err);
	int val = 0, room;

	if (!s)
		return err;
	if (level != SOL_SOCKET)
		return -ENOPROTOOPT;
	switch (name) {
	case SO_TYPE: val = s->type; break;
	case SO_DOMAIN: val = s->family; break;
	case SO_PROTOCOL: val = s->protocol; break;
	case SO_ERROR: val = 0; break;
	case SO_SNDBUF:
	case SO_RCVBUF: val = 212992; break;        /* Linux's default net.core.*mem_default */
	case SO_PEERCRED: {
		struct ucred_user cred = { 0, 65534, 65534 };

		if (s->ops->peercred && (err = s->ops->peercred(s, &cred)))
			return err;
		if (get_user(room, ulen))
			return -EFAULT;
		if (copy_to_user(uval, &cred, MIN((size_t)MAX(room, 0), sizeof(cred))) ||
		    put_user((int)sizeof(cred), ulen))
			return -EFAULT;
		return 0;
	}
	default: val = 0; break;
	}
	if (get_user(room, ulen))
		return -EFAULT;
	if (room < (int)sizeof(int))
		return -EINVAL;
	if (put_user(val, (int *)uval) || put_user((int)sizeof(int), ulen))
		return -EFAULT;
	return 0;
}

/*
 * A datagram goes whole; a byte stream goes in pieces of at most
 * SOCK_MSG_MAX, and a blocking sender waits until all of it is queued.
 * A stream whose reader is gone raises SIGPIPE unless MSG_NOSIGNAL.
 */
static ssize_t do_send(struct socket *s, struct iov_iter *from,
		       const void *uaddr, int addrlen, unsigned flags, struct scm_fds *fds)
{
	struct sock_msg m = { .fds = fds };     /* rights go with the first piece */
	bool stream = s->type == SOCK_STREAM;
	size_t total = iov_iter_count(from), sent = 0, held = 0, piece;
	ssize_t ret;

	ret = 0;
	if (total > SOCK_MSG_MAX && !stream)
		ret = s->type == SOCK_DGRAM ? -EMSGSIZE : -EINVAL;
	else if (!s->ops->send)
		ret = -EOPNOTSUPP;
	else if (uaddr)
		ret = addr_from_user(uaddr, addrlen, m.addr);
	piece = MIN(total, (size_t)SOCK_MSG_MAX);
	if (!ret && !(m.data = kmalloc(piece ? piece : 1)))
		ret = -ENOMEM;
	if (ret) {
		scm_fds_put(fds);
		return ret;
	}
	do {
		/* held: bytes of the last piece the socket did not take, kept at the front. */
		size_t want = MIN(piece, total - sent) - held, len;

		m.addrlen = uaddr ? addrlen : 0;
		m.flags = flags;
		m.nonblock = (flags & MSG_DONTWAIT) || (s->file->flags & O_NONBLOCK);
		if (copy_from_iter(m.data + held, from, want) != want) {
			ret = -EFAULT;      /* a piece goes whole or not at all */
			break;
		}
		m.len = len = held + want;
		if ((ret = s->ops->send(s, &m)) < 0)
			break;
		sent += ret;
		held = len - ret;
		memmove(m.data, m.data + ret, held);
	} while (sent < total);
	kfree(m.data);
	scm_fds_put(m.fds);     /* not queued (an error, or nothing to send) */
	if (ret == -EPIPE && s->type != SOCK_DGRAM && !(flags & MSG_NOSIGNAL))
		signal_send(current_task(), SIGPIPE, NULL);
	if (ret < 0 && sent)
		return sent;    /* what was queued before the error */
	return ret < 0 ? ret : (ssize_t)sent;
}

/* fds: where the rights read go (NULL: read(2), recvfrom; Linux drops them). */
static ssize_t do_recv(struct socket *s, struct iov_iter *to,
		       void *uaddr, int *ulen, unsigned flags, unsigned *out_flags,
		       struct scm_fds **fds)
{
	struct sock_msg m = { 0 };
	size_t total = MIN(iov_iter_count(to), (size_t)SOCK_MSG_MAX);
	ssize_t ret;

	if (!s->ops->recv)
		return -EOPNOTSUPP;
	m.flags = flags;
	m.nonblock = (flags & MSG_DONTWAIT) || (s->file->flags & O_NONBLOCK);
	m.len = total;
	if (!(m.data = kmalloc(total ? total : 1)))
		return -ENOMEM;
	if ((ret = s->ops->recv(s, &m)) >= 0) {
		size_t n = MIN(m.len, total);
		long err = 0;

		if (copy_to_iter(to, m.data, n) != n)
			err = -EFAULT;
		if (err < 0 || (uaddr && (err = addr_to_user(m.addr, m.addrlen, uaddr, ulen))))
			ret = err;
		if (out_flags)
			*out_flags = m.flags & (MSG_TRUNC | MSG_CTRUNC);
	}
	kfree(m.data);
	if (fds && ret >= 0)
		*fds = m.fds;
	else
		scm_fds_put(m.fds);
	return ret;
}

long sys_sendto(int fd, const void *ubuf, size_t len, unsigned flags, const void *uaddr,
		int addrlen)
{
	struct iov_iter it;
	long err;
	SOCK_FD(s, fd, &err);

	iov_iter_user(&it, (void *)ubuf, len);
	return s ? do_send(s, &it, uaddr, addrlen, flags, NULL) : err;
}

long sys_recvfrom(int fd, void *ubuf, size_t len, unsigned flags, void *uaddr, int *ulen)
{
	struct iov_iter it;
	long err;
	SOCK_FD(s, fd, &err);

	iov_iter_user(&it, ubuf, len);
	return s ? do_recv(s, &it, uaddr, ulen, flags, NULL, NULL) : err;
}

/*
 * The msghdr and its iovec array, copied in (*iov is kmalloc'd), and a
 * cursor over the segments. A length that is negative as a ssize_t is
 * EINVAL, as on Linux; the total is capped, so the sum cannot wrap.
 */
static long msg_from_user(const struct msghdr_user *umsg, struct msghdr_user *msg,
			  struct iovec **iov, struct iov_iter *it)
{
	size_t total = 0;

	if (copy_from_user(msg, umsg, sizeof(*msg)))
		return -EFAULT;
	if (msg->msg_iovlen > IOV_MAX)
		return -EMSGSIZE;
	if (!(*iov = kmalloc(msg->msg_iovlen * sizeof(**iov) + 1)))
		return -ENOMEM;
	if (copy_from_user(*iov, msg->msg_iov, msg->msg_iovlen * sizeof(**iov))) {
		kfree(*iov);
		return -EFAULT;
	}
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		if ((int64_t)(*iov)[i].iov_len < 0) {
			kfree(*iov);
			return -EINVAL;
		}
		(*iov)[i].iov_len = MIN((*iov)[i].iov_len, SOCK_RW_MAX - total);
		total += (*iov)[i].iov_len;
	}
	iov_iter_user_vec(it, *iov, msg->msg_iovlen, total);
	return 0;
}

long sys_sendmsg(int fd, const struct msghdr_user *umsg, unsigned flags)
{
	struct msghdr_user msg;
	struct scm_fds *fds = NULL;
	struct iovec *iov;
	struct iov_iter it;
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	if ((err = msg_from_user(umsg, &msg, &iov, &it)))
		return err;
	/* Only AF_UNIX carries files; other families ignore control data here. */
	if (s->family == AF_UNIX && (err = scm_from_user(&msg, &fds))) {
		kfree(iov);
		return err;
	}
	err = do_send(s, &it, msg.msg_name, msg.msg_namelen, flags, fds);
	kfree(iov);
	return err;
}

long sys_recvmsg(int fd, struct msghdr_user *umsg, unsigned flags)
{
	struct msghdr_user msg;
	struct scm_fds *fds = NULL;
	struct iovec *iov;
	struct iov_iter it;
	unsigned out_flags = 0;
	long err;
	SOCK_FD(s, fd, &err);

	if (!s)
		return err;
	if ((err = msg_from_user(umsg, &msg, &iov, &it)))
		return err;
	err = do_recv(s, &it, msg.msg_name,
		      msg.msg_name ? &umsg->msg_namelen : NULL, flags, &out_flags, &fds);
	kfree(iov);
	if (err >= 0) {
		size_t controllen = 0;
		long e2;

		if (fds && (e2 = scm_to_user(&msg, fds, flags, &controllen, &out_flags)))
			return e2;
		if (put_user(controllen, &umsg->msg_controllen) ||
		    put_user((int)out_flags, &umsg->msg_flags))
			return -EFAULT;
	}
	return err;
}

/* read(2) and write(2), readv, writev and sendfile: a message without flags or rights. */
static ssize_t sock_read(struct file *f, struct iov_iter *to)
{
	return do_recv(f->private, to, NULL, NULL, 0, NULL, NULL);
}

static ssize_t sock_write(struct file *f, struct iov_iter *from)
{
	return do_send(f->private, from, NULL, 0, 0, NULL);
}
