/*
 * SCM_RIGHTS over AF_UNIX socketpairs (stream and datagram), checked from
 * user space: the received descriptor is the sender's open file (a pipe's
 * write end, a regular file sharing its offset), several in one message,
 * MSG_CTRUNC closing what does not fit, EBADF/EINVAL at send,
 * MSG_CMSG_CLOEXEC, rights outliving the sender's copy and socket, rights
 * not merged across stream sends, and unread rights released when the
 * socket closes (the pipe's reader sees EOF). Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

#define MAXFDS 300

/* sendmsg with the fds as one SCM_RIGHTS message; returns sendmsg's result. */
static ssize_t send_fds(int s, const int *fds, int n, const char *data, size_t len)
{
	static union { char buf[CMSG_SPACE(MAXFDS * sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { (void *)data, len };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (n > 0) {
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(n * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(c), fds, n * sizeof(int));
	}
	/* The syscall itself: musl's sendmsg refuses control data over 1 KiB (ENOMEM). */
	return syscall(SYS_sendmsg, s, &mh, MSG_NOSIGNAL);
}

struct got {
	ssize_t len;
	int nfds, fds[MAXFDS];
	int flags;
	size_t controllen, cmsg_len;
	int level, type;
};

/* recvmsg with room bytes of control buffer (0: none); fds found go to g. */
static void recv_fds(int s, char *buf, size_t len, size_t room, int flags, struct got *g)
{
	static union { char buf[CMSG_SPACE(MAXFDS * sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { buf, len };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	memset(g, 0, sizeof(*g));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = room ? u.buf : NULL;
	mh.msg_controllen = room;
	g->len = recvmsg(s, &mh, flags);
	g->flags = mh.msg_flags;
	g->controllen = mh.msg_controllen;
	if (g->len < 0 || !room)
		return;
	if ((c = CMSG_FIRSTHDR(&mh))) {
		g->cmsg_len = c->cmsg_len;
		g->level = c->cmsg_level;
		g->type = c->cmsg_type;
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			g->nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(g->fds, CMSG_DATA(c), g->nfds * sizeof(int));
		}
	}
}

static int same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* A pipe's reader sees EOF: every write end (ours and in flight) is gone. */
static int pipe_eof(int r)
{
	char c;

	fcntl(r, F_SETFL, O_NONBLOCK);
	return read(r, &c, 1) == 0;
}

static void pipe_through(int type, const char *tag)
{
	int sv[2], p[2];
	char buf[64], what[128];
	struct got g;

	if (socketpair(AF_UNIX, type, 0, sv) || pipe(p)) {
		check(0, "socketpair and pipe");
		return;
	}
	snprintf(what, sizeof(what), "%s: sendmsg with a pipe's write end", tag);
	check(send_fds(sv[0], &p[1], 1, "x", 1) == 1, what);
	close(p[1]);                    /* the sender's copy goes; the one in flight stays */
	close(sv[0]);                   /* and so does the sending socket */
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0, &g);
	snprintf(what, sizeof(what), "%s: recvmsg gets the byte and one fd", tag);
	check(g.len == 1 && buf[0] == 'x' && g.nfds == 1, what);
	snprintf(what, sizeof(what), "%s: cmsg is SOL_SOCKET/SCM_RIGHTS, CMSG_LEN(4), controllen CMSG_SPACE(4)", tag);
	check(g.level == SOL_SOCKET && g.type == SCM_RIGHTS && g.cmsg_len == CMSG_LEN(sizeof(int)) &&
	      g.controllen == CMSG_SPACE(sizeof(int)) && !(g.flags & MSG_CTRUNC), what);
	snprintf(what, sizeof(what), "%s: the new fd is the lowest free one", tag);
	check(g.nfds == 1 && g.fds[0] == sv[0], what);  /* sv[0] < p[1], both closed */
	snprintf(what, sizeof(what), "%s: the received fd is not close-on-exec", tag);
	check(g.nfds == 1 && fcntl(g.fds[0], F_GETFD) == 0, what);
	snprintf(what, sizeof(what), "%s: writing through the received fd reaches the pipe", tag);
	check(g.nfds == 1 && write(g.fds[0], "hello", 5) == 5 && read(p[0], buf, sizeof(buf)) == 5 &&
	      memcmp(buf, "hello", 5) == 0, what);
	if (g.nfds == 1)
		close(g.fds[0]);
	snprintf(what, sizeof(what), "%s: closing the received fd leaves the pipe at EOF", tag);
	check(pipe_eof(p[0]), what);
	close(p[0]);
	close(sv[1]);
}

static void file_through(int type, const char *tag)
{
	int sv[2], fd;
	char buf[16], what[128];
	struct got g;

	fd = open("/tmp/scmrights.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || socketpair(AF_UNIX, type, 0, sv)) {
		check(0, "open and socketpair");
		return;
	}
	snprintf(what, sizeof(what), "%s: sendmsg with a regular file", tag);
	check(send_fds(sv[0], &fd, 1, "f", 1) == 1, what);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0, &g);
	snprintf(what, sizeof(what), "%s: the received fd is the same open file", tag);
	check(g.len == 1 && g.nfds == 1 && g.fds[0] != fd && same_file(fd, g.fds[0]), what);
	snprintf(what, sizeof(what), "%s: writes through it land in the file and share the offset", tag);
	check(g.nfds == 1 && write(g.fds[0], "abc", 3) == 3 && lseek(fd, 0, SEEK_CUR) == 3 &&
	      pread(fd, buf, 3, 0) == 3 && memcmp(buf, "abc", 3) == 0, what);
	if (g.nfds == 1)
		close(g.fds[0]);
	close(fd);
	close(sv[0]);
	close(sv[1]);
	unlink("/tmp/scmrights.tmp");
}

static void several(int type, const char *tag)
{
	int sv[2], p[2], q[2], fds[4];
	char buf[16], what[128];
	struct got g;

	if (socketpair(AF_UNIX, type, 0, sv) || pipe(p) || pipe(q)) {
		check(0, "socketpair and pipes");
		return;
	}
	fds[0] = p[0]; fds[1] = p[1]; fds[2] = q[1]; fds[3] = sv[0];
	snprintf(what, sizeof(what), "%s: four fds in one message", tag);
	check(send_fds(sv[0], fds, 4, "m", 1) == 1, what);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(4 * sizeof(int)), 0, &g);
	snprintf(what, sizeof(what), "%s: all four arrive, in order, as the same files", tag);
	check(g.nfds == 4 && g.cmsg_len == CMSG_LEN(4 * sizeof(int)) && same_file(g.fds[0], p[0]) &&
	      same_file(g.fds[1], p[1]) && same_file(g.fds[2], q[1]) && same_file(g.fds[3], sv[0]), what);
	for (int i = 0; i < g.nfds; i++)
		close(g.fds[i]);

	/* Room for one: the rest are closed (q's reader sees EOF) and MSG_CTRUNC is set. */
	fds[0] = p[1]; fds[1] = q[1]; fds[2] = q[1];
	send_fds(sv[0], fds, 3, "t", 1);
	close(q[1]);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_LEN(sizeof(int)), 0, &g);
	snprintf(what, sizeof(what), "%s: a control buffer for one fd: one fd and MSG_CTRUNC", tag);
	check(g.len == 1 && g.nfds == 1 && (g.flags & MSG_CTRUNC) && g.cmsg_len == CMSG_LEN(sizeof(int)) &&
	      g.controllen == CMSG_LEN(sizeof(int)) && same_file(g.fds[0], p[1]), what);
	if (g.nfds == 1)
		close(g.fds[0]);
	snprintf(what, sizeof(what), "%s: the fds that did not fit are closed", tag);
	check(pipe_eof(q[0]), what);
	close(q[0]);

	/* No control buffer at all: every fd is closed. */
	send_fds(sv[0], &p[1], 1, "n", 1);
	close(p[1]);
	recv_fds(sv[1], buf, sizeof(buf), 0, 0, &g);
	snprintf(what, sizeof(what), "%s: no control buffer: data, MSG_CTRUNC, controllen 0", tag);
	check(g.len == 1 && buf[0] == 'n' && (g.flags & MSG_CTRUNC) && g.controllen == 0, what);
	snprintf(what, sizeof(what), "%s: and the fd is closed", tag);
	check(pipe_eof(p[0]), what);
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}

static void errors(int type, const char *tag)
{
	int sv[2], p[2], fds[254];
	char buf[16], what[128];
	struct got g;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { "e", 1 };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;

	if (socketpair(AF_UNIX, type, 0, sv) || pipe(p)) {
		check(0, "socketpair and pipe");
		return;
	}
	close(p[1]);
	snprintf(what, sizeof(what), "%s: a closed fd is EBADF", tag);
	errno = 0;
	check(send_fds(sv[0], &p[1], 1, "b", 1) == -1 && errno == EBADF, what);
	for (int i = 0; i < 254; i++)
		fds[i] = p[0];
	snprintf(what, sizeof(what), "%s: 254 fds (over SCM_MAX_FD) is EINVAL", tag);
	CHECK_ERR(send_fds(sv[0], fds, 254, "b", 1), EINVAL, what);

	memset(&u, 0, sizeof(u));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = sizeof(struct cmsghdr) - 1;
	snprintf(what, sizeof(what), "%s: cmsg_len shorter than the header is EINVAL", tag);
	errno = 0;
	check(sendmsg(sv[0], &mh, 0) == -1 && errno == EINVAL, what);
	c->cmsg_len = sizeof(u.buf) + 8;
	snprintf(what, sizeof(what), "%s: cmsg_len past the control buffer is EINVAL", tag);
	errno = 0;
	check(sendmsg(sv[0], &mh, 0) == -1 && errno == EINVAL, what);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), MSG_DONTWAIT, &g);
	snprintf(what, sizeof(what), "%s: failed sends queue nothing", tag);
	check(g.len == -1 && errno == EAGAIN, what);

	/* MSG_CMSG_CLOEXEC */
	send_fds(sv[0], &p[0], 1, "c", 1);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), MSG_CMSG_CLOEXEC, &g);
	snprintf(what, sizeof(what), "%s: MSG_CMSG_CLOEXEC sets FD_CLOEXEC", tag);
	check(g.nfds == 1 && fcntl(g.fds[0], F_GETFD) == FD_CLOEXEC, what);
	if (g.nfds == 1)
		close(g.fds[0]);
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}

/* Rights queued on a socket that closes unread are released. */
static void dropped(int type, const char *tag, int close_sender_first)
{
	int sv[2], p[2];
	char what[128];

	if (socketpair(AF_UNIX, type, 0, sv) || pipe(p)) {
		check(0, "socketpair and pipe");
		return;
	}
	send_fds(sv[0], &p[1], 1, "d", 1);
	close(p[1]);
	snprintf(what, sizeof(what), "%s: the write end in flight keeps the pipe open", tag);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	{
		char c;

		errno = 0;
		check(read(p[0], &c, 1) == -1 && errno == EAGAIN, what);
	}
	if (close_sender_first)
		close(sv[0]);
	close(sv[1]);
	if (!close_sender_first)
		close(sv[0]);
	snprintf(what, sizeof(what), "%s: closing the sockets with it unread releases it (EOF)%s", tag,
		 close_sender_first ? ", sender closed first" : "");
	check(pipe_eof(p[0]), what);
	close(p[0]);
}

/* Stream: rights stay with their own send's data. */
static void unmerged(void)
{
	int sv[2], p[2];
	char buf[16];
	struct got g;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || pipe(p)) {
		check(0, "socketpair and pipe");
		return;
	}
	send_fds(sv[0], &p[0], 1, "ab", 2);
	send_fds(sv[0], &p[1], 1, "cd", 2);
	send_fds(sv[0], NULL, 0, "ef", 2);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0, &g);
	check(g.len == 2 && memcmp(buf, "ab", 2) == 0 && g.nfds == 1 && same_file(g.fds[0], p[0]),
	      "stream: a read stops at the end of a send carrying rights");
	if (g.nfds == 1)
		close(g.fds[0]);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0, &g);
	check(g.len == 2 && memcmp(buf, "cd", 2) == 0 && g.nfds == 1 && same_file(g.fds[0], p[1]),
	      "stream: the next send's rights come with its own data");
	if (g.nfds == 1)
		close(g.fds[0]);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0, &g);
	check(g.len == 2 && memcmp(buf, "ef", 2) == 0 && g.nfds == 0 && g.controllen == 0,
	      "stream: then plain data with no control message");

	/* A reader taking part of a send gets its rights with the first part. */
	send_fds(sv[0], &p[0], 1, "ghij", 4);
	recv_fds(sv[1], buf, 2, CMSG_SPACE(sizeof(int)), 0, &g);
	check(g.len == 2 && memcmp(buf, "gh", 2) == 0 && g.nfds == 1,
	      "stream: rights arrive with the first byte of their data");
	if (g.nfds == 1)
		close(g.fds[0]);
	recv_fds(sv[1], buf, sizeof(buf), CMSG_SPACE(sizeof(int)), 0, &g);
	check(g.len == 2 && memcmp(buf, "ij", 2) == 0 && g.nfds == 0,
	      "stream: and not again with the rest");
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	static const struct { int type; const char *tag; } kinds[] = {
		{ SOCK_STREAM, "stream" }, { SOCK_DGRAM, "dgram" },
	};

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		pipe_through(kinds[i].type, kinds[i].tag);
		file_through(kinds[i].type, kinds[i].tag);
		several(kinds[i].type, kinds[i].tag);
		errors(kinds[i].type, kinds[i].tag);
		dropped(kinds[i].type, kinds[i].tag, 0);
		dropped(kinds[i].type, kinds[i].tag, 1);
	}
	unmerged();
	return check_summary("scmrights");
}
