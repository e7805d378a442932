#ifndef KEVLAR_SOCKET_H
#define KEVLAR_SOCKET_H

/*
 * Sockets (kernel/net/socket*.c). A socket is an open file whose inode is
 * S_IFSOCK; the family's operations do the work. The generic layer
 * (net/socket.c) copies addresses and messages in and out, so families
 * see kernel buffers only.
 */

#include <kevlar/fs.h>
#include <uapi/socket.h>

struct socket;

/*
 * Open files in flight (SCM_RIGHTS): one reference each, held from
 * sendmsg until recvmsg installs them as descriptors or the message is
 * dropped. Which files go is decided at send time, as on Linux.
 */
#define SCM_MAX_FD      253
struct scm_fds {
	struct scm_fds *next;       /* a socket's dropped rights, put once unlocked */
	int n;
	struct file *f[];
};
/* net/socket_scm.c. Put drops every reference (and frees); dup adds one to each. */
void scm_fds_put(struct scm_fds *fds);
struct scm_fds *scm_fds_dup(const struct scm_fds *fds);
/* sendmsg: the SCM_RIGHTS files of msg's control data (*out NULL if none);
 * -EBADF, -EINVAL (malformed, more than SCM_MAX_FD), -ENOBUFS, -EFAULT. */
long scm_from_user(const struct msghdr_user *msg, struct scm_fds **out);
/* recvmsg: install fds (consumed) and write the cmsg into msg's control
 * buffer; *controllen gets what was used, *flags MSG_CTRUNC if some did not fit. */
long scm_to_user(const struct msghdr_user *msg, struct scm_fds *fds, unsigned recv_flags,
		 size_t *controllen, unsigned *flags);

/* A message in kernel memory: data plus the address it came from or goes to. */
struct sock_msg {
	char *data;
	size_t len;
	char addr[SOCKADDR_MAX];
	int addrlen;                /* 0: none (connected) */
	unsigned flags;             /* MSG_* in; MSG_TRUNC out */
	bool nonblock;
	/* SCM_RIGHTS. send: the family takes them (sets NULL) once queued;
	 * recv: the family hands over those of the message read. */
	struct scm_fds *fds;
};

struct socket_ops {
	int (*bind)(struct socket *s, const char *addr, int len);
	int (*connect)(struct socket *s, const char *addr, int len, bool nonblock);
	int (*listen)(struct socket *s, int backlog);
	/* Move the oldest waiting connection into ns, a fresh socket of the same kind. */
	int (*accept)(struct socket *s, struct socket *ns, bool nonblock);
	/* SO_PEERCRED: the peer's process and ids as of connect/listen/socketpair. */
	int (*peercred)(struct socket *s, struct ucred_user *cred);
	ssize_t (*send)(struct socket *s, struct sock_msg *m);
	/* m->len is the room; set it to the length taken, m->addr to the sender. */
	ssize_t (*recv)(struct socket *s, struct sock_msg *m);
	int (*getname)(struct socket *s, char *addr, int *len, bool peer);
	int (*shutdown)(struct socket *s, int how);
	unsigned (*poll)(struct socket *s, struct file *f, struct poll_table *pt);
	long (*ioctl)(struct socket *s, unsigned cmd, unsigned long arg);
	void (*release)(struct socket *s);
};

struct socket {
	int family, type, protocol;
	const struct socket_ops *ops;
	void *proto;                /* the family's state */
	struct file *file;          /* the open file (not a reference) */
};

/* A new socket file (net/socket.c); families fill ops and proto in create. */
int socket_create_file(int family, int type, int protocol, unsigned flags, struct file **out);
struct socket *socket_of(struct file *f);

/* The families: set s->ops and s->proto; -EPROTONOSUPPORT, -ESOCKTNOSUPPORT, -ENOMEM. */
int unix_socket_create(struct socket *s);
int unix_socketpair(struct socket *a, struct socket *b);
int inet_socket_create(struct socket *s);
/* /proc/net/dev */
size_t inet_show_net_dev(char *buf, size_t size);

#endif
