#ifndef KEVLAR_FS_SOCKET_UNIX_INTERNAL_H
#define KEVLAR_FS_SOCKET_UNIX_INTERNAL_H

/* AF_UNIX state shared by socket_unix.c (names, data) and socket_unix_stream.c (connections). */

#include <kevlar/list.h>
#include <kevlar/refcount.h>
#include <kevlar/socket.h>
#include <kevlar/wait.h>

#define QUEUE_MAX_MSGS  256
#define QUEUE_MAX_BYTES (256 * 1024)

struct unix_msg {
	struct list_head link;
	size_t len, off;            /* off: what a stream reader already took */
	char addr[SOCKADDR_MAX];
	int addrlen;
	struct scm_fds *fds;        /* SCM_RIGHTS sent with this data, until read */
	char data[];
};

struct unix_sock {
	struct socket *sock;        /* NULL once closed */
	int type;
	refcount_t refs;            /* the socket, and peers pointing here */
	struct list_head queue;
	size_t queued;
	int nmsgs;
	struct wait_queue wait;
	struct unix_sock *peer;     /* connected: holds a reference */
	struct inode *node;         /* bound: its filesystem node (a reference) */
	char name[SOCKADDR_MAX];
	int namelen;
	bool shut_rd, shut_wr;
	bool closed;                /* the socket's file is gone */
	bool reset;                 /* the peer went with data unread: one ECONNRESET */
	bool listening;
	int backlog, npending;
	struct list_head pending;   /* listener: connected ends not yet accepted */
	struct list_head pend_link;
	struct ucred_user cred;     /* who the peer sees (SO_PEERCRED) */
};

/* Drop a reference (fs_lock() held); the last one frees the queue too. */
void unix_put(struct unix_sock *u);
/* Detach the rights still queued on u (closed: nobody will read them) onto
 * *drop, to be put once fs_lock() is released (putting a socket file
 * re-enters this code). */
void unix_drop_rights(struct unix_sock *u, struct scm_fds **drop);
/* Record the calling process as the one this end's peer will see. */
void unix_set_cred(struct unix_sock *u);

static inline bool unix_alive(const struct unix_sock *u)
{
	return !u->closed;
}

/* Stream connections (socket_unix_stream.c). target: found under fs_lock(), not held. */
int unix_stream_connect(struct socket *s, struct unix_sock *target, bool nonblock);
int unix_listen(struct socket *s, int backlog);
int unix_accept(struct socket *s, struct socket *ns, bool nonblock);
int unix_peercred(struct socket *s, struct ucred_user *cred);

#endif
