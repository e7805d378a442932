/*
 * AF_UNIX stream connections: listen, connect to a listener, accept, and
 * the peer credentials they carry. Connect makes the server's end at once
 * (as Linux does) and queues it on the listener, at most backlog + 1
 * waiting; the client may write to it before accept gives it a file. A
 * listener that closes resets the connections it never accepted.
 */
#include <kevlar/arch.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/thread.h>
#include <uapi/errno.h>
#include "socket_unix_internal.h"

void unix_set_cred(struct unix_sock *u)
{
	struct task *t = current_task();

	/* Linux reports the process (thread group) and effective ids. */
	u->cred.pid = task_tgid(t);
	u->cred.uid = t->cred.euid;
	u->cred.gid = t->cred.egid;
}

static bool backlog_full(const struct unix_sock *l)
{
	return l->npending > l->backlog;    /* Linux lets backlog + 1 wait */
}

/*
 * The server's end is made now, named as the listener, carrying the
 * listener's credentials; the pending list holds its reference until
 * accept gives it to a socket. target: a listener found under fs_lock().
 */
int unix_stream_connect(struct socket *s, struct unix_sock *target, bool nonblock)
{
	struct unix_sock *u = s->proto, *e;
	int err = 0;

	fs_lock();
	refcount_inc(&target->refs);  /* target stays while we wait for room */
	for (;;) {
		if (u->peer) {
			err = -EISCONN;
			goto out;
		}
		if (u->listening) {
			err = -EINVAL;
			goto out;
		}
		if (!unix_alive(target) || !target->listening) {
			err = -ECONNREFUSED;
			goto out;
		}
		if (!backlog_full(target))
			break;
		/* Linux: a full backlog is EAGAIN for AF_UNIX, not EINPROGRESS. */
		if (nonblock) {
			err = -EAGAIN;
			goto out;
		}
		err = wait_event_interruptible_fs(&target->wait, !unix_alive(target) ||
						  !target->listening || !backlog_full(target));
		if (err)
			goto out;
	}
	if (!(e = kzalloc(sizeof(*e)))) {
		err = -ENOMEM;
		goto out;
	}
	e->type = u->type;
	refcount_set(&e->refs, 2);    /* the pending list, and u->peer */
	list_init(&e->queue);
	list_init(&e->pending);
	wait_queue_init(&e->wait);
	memcpy(e->name, target->name, sizeof(e->name));
	e->namelen = target->namelen;
	e->cred = target->cred;
	e->peer = u;
	refcount_inc(&u->refs);
	u->peer = e;
	unix_set_cred(u);                /* the accepting side sees the connecting process */
	list_add_tail(&e->pend_link, &target->pending);
	target->npending++;
	wake_up_all(&target->wait);
out:
	unix_put(target);
	fs_unlock();
	return err;
}

int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = s->proto;
	int err = 0;

	if (s->type == SOCK_DGRAM)
		return -EOPNOTSUPP;
	fs_lock();
	if (!u->namelen || u->peer) {
		err = -EINVAL;              /* Linux: unbound or connected */
		goto out;
	}
	/* Linux clamps to net.core.somaxconn (4096); negative means that too. */
	u->backlog = (backlog < 0 || backlog > 4096) ? 4096 : backlog;
	u->listening = true;
	unix_set_cred(u);
	wake_up_all(&u->wait);          /* connectors waiting for a bigger backlog */
out:
	fs_unlock();
	return err;
}

/* Take the oldest pending connection into ns (a fresh socket from socket.c). */
int unix_accept(struct socket *s, struct socket *ns, bool nonblock)
{
	struct unix_sock *u = s->proto, *e;
	int err;

	if (!u->listening)
		return -EINVAL;
	fs_lock();
	if (list_empty(&u->pending)) {
		err = nonblock ? -EAGAIN :
		      wait_event_interruptible_fs(&u->wait, !list_empty(&u->pending));
		if (err) {
			fs_unlock();
			return err;
		}
	}
	e = list_first_entry(&u->pending, struct unix_sock, pend_link);
	list_del(&e->pend_link);
	u->npending--;
	wake_up_all(&u->wait);          /* connectors waiting for room */
	unix_put(ns->proto);            /* the fresh end is replaced by e */
	ns->proto = e;
	e->sock = ns;                   /* the pending list's reference is the socket's now */
	fs_unlock();
	return 0;
}

int unix_peercred(struct socket *s, struct ucred_user *cred)
{
	struct unix_sock *u = s->proto;

	fs_lock();
	if (u->peer) {
		*cred = u->peer->cred;
	} else {
		/* Linux: no peer, no credentials: pid 0 and the overflow ids. */
		cred->pid = 0;
		cred->uid = cred->gid = 65534;
	}
	fs_unlock();
	return 0;
}
