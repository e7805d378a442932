/*
 * AF_UNIX sockets: datagrams (syslogd's /dev/log, which logger, klogd and
 * glibc's syslog() write to) and connected pairs (socketpair). A bound
 * socket has a node in the filesystem (S_IFSOCK) whose inode points back
 * at it while it lives; a node whose socket is gone refuses connections,
 * as on Linux. Each socket has one receive queue of messages: datagrams
 * keep their boundaries, stream sockets read across them (a stream
 * writer may queue part of its data when the receiver is nearly full).
 * Listen, connect and accept for streams are in socket_unix_stream.c.
 * State changes happen under fs_lock(); sleepers wait on the receiving
 * socket's queue with wait_event_interruptible_fs, which checks under
 * fs_lock and drops it while asleep.
 *
 * SCM_RIGHTS files ride on the message holding the first byte they were
 * sent with; a stream read stops before such a message (unless it is the
 * first) and after it, so one read never returns two sends' data with
 * different rights. A closed socket's unread rights are released.
 */
#include <kevlar/arch.h>
#include <kevlar/kmalloc.h>
#include <kevlar/poll.h>
#include <kevlar/sched.h>
#include <kevlar/socket.h>
#include <kevlar/string.h>
#include <kevlar/thread.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/un.h>

#include "socket_unix_internal.h"

void unix_put(struct unix_sock *u)
{
	if (!refcount_dec_and_test(&u->refs))
		return;
	while (!list_empty(&u->queue)) {
		struct unix_msg *m = list_first_entry(&u->queue, struct unix_msg, link);

		list_del(&m->link);
		scm_fds_put(m->fds);        /* normally drained at close already */
		kfree(m);
	}
	kfree(u);
}

void unix_drop_rights(struct unix_sock *u, struct scm_fds **drop)
{
	struct unix_msg *m;

	list_for_each_entry(m, &u->queue, link) {
		if (m->fds) {
			m->fds->next = *drop;
			*drop = m->fds;
			m->fds = NULL;
		}
	}
}

static void put_dropped(struct scm_fds *drop)
{
	while (drop) {
		struct scm_fds *next = drop->next;

		scm_fds_put(drop);
		drop = next;
	}
}

static bool alive(const struct unix_sock *u)
{
	return unix_alive(u);
}

/* The socket bound at a path (sun_path, not necessarily NUL-terminated). */
static int lookup_name(const char *addr, int len, struct unix_sock **out)
{
	const struct sockaddr_un_user *sun = (const void *)addr;
	char path[UNIX_PATH_MAX + 1];
	size_t plen;
	struct dentry *d;
	int err;

	if (len <= 2 || sun->sun_family != AF_UNIX)
		return -EINVAL;
	plen = strnlen(sun->sun_path, MIN((size_t)len - 2, (size_t)UNIX_PATH_MAX));
	if (plen == 0)
		return -ECONNREFUSED;       /* abstract names: none are bound */
	memcpy(path, sun->sun_path, plen);
	path[plen] = '\0';
	if ((err = path_walk(AT_FDCWD, path, LOOKUP_FOLLOW, &d)))
		return err;
	if ((err = inode_permission(d->inode, MAY_WRITE)))
		return err;
	if (!S_ISSOCK(d->inode->mode) || !d->inode->priv)
		return -ECONNREFUSED;
	*out = d->inode->priv;
	return 0;
}

static int unix_bind(struct socket *s, const char *addr, int len)
{
	const struct sockaddr_un_user *sun = (const void *)addr;
	struct unix_sock *u = s->proto;
	char path[UNIX_PATH_MAX + 1], name[NAME_MAX + 1];
	struct dentry *parent, *d;
	bool slash;
	size_t plen;
	int err;

	if (len < 2 || sun->sun_family != AF_UNIX)
		return -EINVAL;
	if (u->namelen)
		return -EINVAL;             /* already bound */
	plen = strnlen(sun->sun_path, MIN((size_t)len - 2, (size_t)UNIX_PATH_MAX));
	if (plen == 0)
		return -EOPNOTSUPP;         /* abstract and auto-bound names: not yet */
	memcpy(path, sun->sun_path, plen);
	path[plen] = '\0';
	fs_lock();
	if ((err = path_walk_parent(AT_FDCWD, path, &parent, name, &slash)))
		goto out;
	if (!(err = vfs_lookup(parent, name, strlen(name), &d))) {
		err = -EADDRINUSE;
		goto out;
	}
	if (err != -ENOENT)
		goto out;
	if ((err = inode_permission(parent->inode, MAY_WRITE | MAY_EXEC)))
		goto out;
	if ((err = vfs_create(parent, name, S_IFSOCK | (0777 & ~current_task()->umask), 0, 0, &d)))
		goto out;
	u->node = d->inode;
	iget(u->node);
	u->node->priv = u;
	u->namelen = 2 + plen + 1;
	memcpy(u->name, addr, MIN((size_t)len, sizeof(u->name)));
	u->name[u->namelen - 1] = '\0';
out:
	fs_unlock();
	return err == -EBUSY ? -EINVAL : err;
}

static int unix_connect(struct socket *s, const char *addr, int len, bool nonblock)
{
	struct unix_sock *u = s->proto, *target;
	int err;

	(void)nonblock;
	if (len >= 2 && ((const struct sockaddr_user *)addr)->sa_family == AF_UNSPEC &&
	    s->type == SOCK_DGRAM) {
		fs_lock();          /* dissolve the association */
		if (u->peer)
			unix_put(u->peer);
		u->peer = NULL;
		fs_unlock();
		return 0;
	}
	fs_lock();
	if ((err = lookup_name(addr, len, &target)))
		goto out;
	if (target->type != s->type) {
		err = -EPROTOTYPE;
		goto out;
	}
	if (s->type != SOCK_DGRAM) {
		fs_unlock();
		return unix_stream_connect(s, target, nonblock);
	}
	refcount_inc(&target->refs);
	if (u->peer)
		unix_put(u->peer);
	u->peer = target;
out:
	fs_unlock();
	return err;
}

static bool has_room(const struct unix_sock *t, size_t len)
{
	return t->nmsgs < QUEUE_MAX_MSGS && t->queued + len <= QUEUE_MAX_BYTES;
}

static ssize_t unix_send(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = s->proto, *t = NULL;
	struct unix_msg *msg;
	ssize_t err;

	if (u->shut_wr)
		return -EPIPE;
	if (u->listening)
		return -ENOTCONN;
	if (s->type == SOCK_STREAM && m->len == 0 && u->peer)
		return 0;                   /* nothing to queue: an empty piece would read as EOF */
	fs_lock();
	if (m->addrlen && s->type == SOCK_DGRAM) {
		if ((err = lookup_name(m->addr, m->addrlen, &t)))
			goto out;
		if (t->type != s->type) {
			err = -EPROTOTYPE;
			goto out;
		}
	} else if (!(t = u->peer)) {
		err = s->type == SOCK_DGRAM ? -ENOTCONN : -ENOTCONN;
		goto out;
	}
	refcount_inc(&t->refs);        /* t stays while we sleep for room */
	for (;;) {
		if (!alive(t) || t->shut_rd) {
			err = s->type == SOCK_DGRAM ? -ECONNREFUSED : -EPIPE;
			break;
		}
		if (s->type == SOCK_STREAM && m->len > 1 && has_room(t, 1))
			m->len = MIN(m->len, QUEUE_MAX_BYTES - t->queued);  /* a byte stream may split */
		if (has_room(t, m->len)) {
			err = -ENOMEM;
			if (!(msg = kmalloc(sizeof(*msg) + m->len)))
				break;
			msg->len = m->len;
			msg->off = 0;
			memcpy(msg->data, m->data, m->len);
			msg->fds = m->fds;      /* the message owns the rights now */
			m->fds = NULL;
			msg->addrlen = u->namelen ? u->namelen : 2;
			memcpy(msg->addr, u->namelen ? u->name : "\1\0", msg->addrlen);
			list_add_tail(&msg->link, &t->queue);
			t->queued += m->len;
			t->nmsgs++;
			wake_up_all(&t->wait);
			err = m->len;
			break;
		}
		if (m->nonblock) {
			err = -EAGAIN;
			break;
		}
		if ((err = wait_event_interruptible_fs(&t->wait, !alive(t) || t->shut_rd ||
						       has_room(t, s->type == SOCK_STREAM ? 1 : m->len))))
			break;
	}
	unix_put(t);
out:
	fs_unlock();
	return err;
}

/* End of stream: no more data can come (the writer went away or shut down). */
static bool stream_eof(const struct unix_sock *u)
{
	return u->type != SOCK_DGRAM && (u->shut_rd || !u->peer || !alive(u->peer) ||
					 u->peer->shut_wr);
}

static ssize_t unix_recv(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = s->proto;
	size_t room = m->len, taken = 0;
	ssize_t err;

	if (s->type != SOCK_DGRAM && !u->peer)
		return -EINVAL;             /* Linux: a stream that never connected */
	fs_lock();
	for (;;) {
		if (!list_empty(&u->queue))
			break;
		if (u->reset) {
			u->reset = false;
			fs_unlock();
			return -ECONNRESET;
		}
		if (stream_eof(u) || (s->type == SOCK_DGRAM && u->shut_rd)) {
			fs_unlock();
			m->len = 0;
			return 0;
		}
		err = m->nonblock ? -EAGAIN :
		      wait_event_interruptible_fs(&u->wait, !list_empty(&u->queue) || u->reset ||
						  stream_eof(u) || u->shut_rd);
		if (err) {
			fs_unlock();
			return err;
		}
	}
	while (!list_empty(&u->queue) && taken < room) {
		struct unix_msg *msg = list_first_entry(&u->queue, struct unix_msg, link);
		size_t n = MIN(room - taken, msg->len - msg->off);
		bool rights = msg->fds != NULL;

		if (rights && taken)
			break;                  /* its rights start a read of their own */
		if (rights)
			m->fds = (m->flags & MSG_PEEK) ? scm_fds_dup(msg->fds) : msg->fds;
		if (rights && !(m->flags & MSG_PEEK))
			msg->fds = NULL;

		memcpy(m->data + taken, msg->data + msg->off, n);
		taken += n;
		if (taken == n) {
			memcpy(m->addr, msg->addr, msg->addrlen);
			m->addrlen = msg->addrlen;
		}
		if (s->type == SOCK_DGRAM && msg->len > n)
			m->flags |= MSG_TRUNC;  /* the rest of a datagram is lost */
		if (m->flags & MSG_PEEK)
			break;
		msg->off += n;
		if (s->type == SOCK_DGRAM || msg->off == msg->len) {
			list_del(&msg->link);
			u->queued -= msg->len;
			u->nmsgs--;
			kfree(msg);
		}
		if (s->type == SOCK_DGRAM || rights)
			break;
	}
	wake_up_all(&u->wait);      /* writers waiting for room */
	fs_unlock();
	m->len = taken;
	return taken;
}

static int unix_getname(struct socket *s, char *addr, int *len, bool peer)
{
	struct unix_sock *u = s->proto;
	int err = 0;

	fs_lock();
	if (peer)
		u = u->peer;
	if (!u) {
		err = -ENOTCONN;
	} else if (u->namelen) {
		memcpy(addr, u->name, u->namelen);
		*len = u->namelen;
	} else {
		addr[0] = AF_UNIX;
		addr[1] = 0;
		*len = 2;
	}
	fs_unlock();
	return err;
}

static int unix_shutdown(struct socket *s, int how)
{
	struct unix_sock *u = s->proto;

	fs_lock();
	if (how != SHUT_WR)
		u->shut_rd = true;
	if (how != SHUT_RD)
		u->shut_wr = true;
	wake_up_all(&u->wait);
	if (u->peer)
		wake_up_all(&u->peer->wait);
	fs_unlock();
	return 0;
}

static unsigned unix_poll(struct socket *s, struct file *f, struct poll_table *pt)
{
	struct unix_sock *u = s->proto;
	unsigned mask = 0;

	fs_lock();
	if (pt && poll_wait) {
		poll_wait(f, &u->wait, pt);
		if (u->peer)
			poll_wait(f, &u->peer->wait, pt);
	}
	if (u->listening) {
		if (!list_empty(&u->pending))
			mask |= POLLIN | POLLRDNORM;
		goto out;
	}
	if (!list_empty(&u->queue) || stream_eof(u) || u->shut_rd)
		mask |= POLLIN | POLLRDNORM;
	if (u->type != SOCK_DGRAM && (u->shut_rd || (u->peer && (!alive(u->peer) || u->peer->shut_wr))))
		mask |= POLLRDHUP;
	/* Linux: hang-up once neither direction can carry data any more. */
	if (u->type != SOCK_DGRAM && (!u->peer || !alive(u->peer) ||
				      ((u->shut_rd || u->peer->shut_wr) &&
				       (u->shut_wr || u->peer->shut_rd))))
		mask |= POLLHUP;
	if (!u->peer || (alive(u->peer) && has_room(u->peer, 1)))
		mask |= POLLOUT | POLLWRNORM;
out:
	fs_unlock();
	return mask;
}

static void unix_release(struct socket *s)
{
	struct unix_sock *u = s->proto;
	struct scm_fds *drop = NULL;

	fs_lock();
	unix_drop_rights(u, &drop);
	u->sock = NULL;
	u->closed = true;
	while (!list_empty(&u->pending)) {
		/* Never accepted: its client sees the connection end. */
		struct unix_sock *e = list_first_entry(&u->pending, struct unix_sock, pend_link);

		list_del(&e->pend_link);
		e->closed = true;
		unix_drop_rights(e, &drop);
		if (e->peer) {
			e->peer->reset = true;
			wake_up_all(&e->peer->wait);
			unix_put(e->peer);
			e->peer = NULL;
		}
		unix_put(e);
	}
	u->npending = 0;
	if (u->node) {
		u->node->priv = NULL;       /* the name stays, refusing connections */
		iput(u->node);
	}
	wake_up_all(&u->wait);
	if (u->peer) {
		/* Linux: closing with data unread resets the connection. */
		if (u->type != SOCK_DGRAM && !list_empty(&u->queue))
			u->peer->reset = true;
		wake_up_all(&u->peer->wait);
		unix_put(u->peer);
		u->peer = NULL;
	}
	unix_put(u);
	fs_unlock();
	put_dropped(drop);
}

static const struct socket_ops unix_ops = {
	.bind = unix_bind,
	.connect = unix_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.peercred = unix_peercred,
	.send = unix_send,
	.recv = unix_recv,
	.getname = unix_getname,
	.shutdown = unix_shutdown,
	.poll = unix_poll,
	.release = unix_release,
};

int unix_socket_create(struct socket *s)
{
	struct unix_sock *u;

	if (s->type != SOCK_DGRAM && s->type != SOCK_STREAM && s->type != SOCK_SEQPACKET)
		return -ESOCKTNOSUPPORT;
	if (s->protocol != 0)
		return -EPROTONOSUPPORT;
	if (!(u = kzalloc(sizeof(*u))))
		return -ENOMEM;
	u->sock = s;
	u->type = s->type;
	refcount_set(&u->refs, 1);
	list_init(&u->queue);
	list_init(&u->pending);
	wait_queue_init(&u->wait);
	unix_set_cred(u);
	s->ops = &unix_ops;
	s->proto = u;
	return 0;
}

int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = a->proto, *ub = b->proto;

	fs_lock();
	ua->peer = ub;
	ub->peer = ua;
	refcount_inc(&ua->refs);
	refcount_inc(&ub->refs);
	fs_unlock();
	return 0;
}
