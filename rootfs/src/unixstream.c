/*
 * AF_UNIX stream sockets, checked from user space: bind/listen/accept/
 * connect with their errors, byte-stream transfer, EOF, EPIPE/SIGPIPE,
 * MSG_* flags, shutdown, names, SO_PEERCRED and poll readiness. A forked
 * client talks to the parent's server. One "ok"/"FAIL" line per check and
 * a final "unixstream: N checks, M failures". Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static struct sockaddr_un addr_of(const char *path, socklen_t *len)
{
	struct sockaddr_un a;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	strcpy(a.sun_path, path);
	*len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	return a;
}

static int stream_socket(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int connect_to(const char *path)
{
	socklen_t len;
	struct sockaddr_un a = addr_of(path, &len);
	int fd = stream_socket();

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static ssize_t read_full(int fd, char *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = read(fd, buf + done, n - done);

		if (r <= 0)
			return r < 0 ? r : (ssize_t)done;
		done += r;
	}
	return done;
}

static void test_errors(const char *dir)
{
	char path[128], path2[128];
	socklen_t len;
	struct sockaddr_un a;
	int l, c, d, l2;

	snprintf(path, sizeof(path), "%s/missing", dir);
	a = addr_of(path, &len);
	c = stream_socket();
	CHECK_ERR(connect(c, (struct sockaddr *)&a, len), ENOENT, "connect to a missing name: ENOENT");

	snprintf(path, sizeof(path), "%s/nolisten", dir);
	a = addr_of(path, &len);
	l = stream_socket();
	check(bind(l, (struct sockaddr *)&a, len) == 0, "bind a stream socket to a path");
	struct stat st;
	check(stat(path, &st) == 0 && S_ISSOCK(st.st_mode), "the bound name is a socket node");
	CHECK_ERR(connect(c, (struct sockaddr *)&a, len), ECONNREFUSED,
		  "connect to a bound socket nobody listens on: ECONNREFUSED");
	l2 = stream_socket();
	CHECK_ERR(bind(l2, (struct sockaddr *)&a, len), EADDRINUSE, "bind to a used name: EADDRINUSE");
	close(l2);
	snprintf(path2, sizeof(path2), "%s/other", dir);
	a = addr_of(path2, &len);
	CHECK_ERR(bind(l, (struct sockaddr *)&a, len), EINVAL, "bind twice: EINVAL");
	l2 = stream_socket();
	CHECK_ERR(listen(l2, 1), EINVAL, "listen on an unbound stream socket: EINVAL");
	close(l2);
	d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR(listen(d, 1), EOPNOTSUPP, "listen on a datagram socket: EOPNOTSUPP");
	close(d);
	char b;
	CHECK_ERR(read(c, &b, 1), EINVAL, "read on an unconnected stream socket: EINVAL");
	CHECK_ERR(send(c, "x", 1, MSG_NOSIGNAL), ENOTCONN, "send on an unconnected stream socket: ENOTCONN");
	check(listen(l, 5) == 0, "listen on a bound socket");
	int fl = fcntl(l, F_GETFL);
	fcntl(l, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "nonblocking accept with nothing pending: EAGAIN");
	fcntl(l, F_SETFL, fl);
	close(l);
	a = addr_of(path, &len);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, len), ECONNREFUSED,
		  "connect to a name whose socket closed: ECONNREFUSED");
	close(c);
	unlink(path);
}

/* The backlog: backlog + 1 connections wait; then a nonblocking connect is EAGAIN. */
static void test_backlog(const char *dir)
{
	char path[128];
	socklen_t len;
	struct sockaddr_un a;
	int l, fds[8], n = 0, c;

	snprintf(path, sizeof(path), "%s/backlog", dir);
	a = addr_of(path, &len);
	l = stream_socket();
	bind(l, (struct sockaddr *)&a, len);
	listen(l, 1);
	for (n = 0; n < 2; n++)
		fds[n] = connect_to(path);
	check(fds[0] >= 0 && fds[1] >= 0, "backlog 1 holds two waiting connections");
	struct pollfd p = { l, POLLIN, 0 };
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLIN), "poll: a listener with pending connections is POLLIN");
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR(connect(c, (struct sockaddr *)&a, len), EAGAIN, "nonblocking connect to a full backlog: EAGAIN");
	close(c);
	int s1 = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	check(s1 >= 0 && (fcntl(s1, F_GETFD) & FD_CLOEXEC) && (fcntl(s1, F_GETFL) & O_NONBLOCK),
	      "accept4 SOCK_CLOEXEC|SOCK_NONBLOCK sets both");
	char b;
	CHECK_ERR(read(s1, &b, 1), EAGAIN, "read on an empty nonblocking accepted socket: EAGAIN");
	int s2 = accept(l, NULL, NULL);
	check(s2 >= 0 && !(fcntl(s2, F_GETFD) & FD_CLOEXEC) && !(fcntl(s2, F_GETFL) & O_NONBLOCK),
	      "accept gives a blocking socket without close-on-exec");
	p.revents = 0;
	check(poll(&p, 1, 0) == 0, "poll: a listener with nothing pending is not readable");
	close(s1);
	close(s2);
	/* A connection never accepted ends when the listener closes. */
	fds[2] = connect_to(path);
	check(fds[2] >= 0, "connect again once the backlog has room");
	check(write(fds[2], "z", 1) == 1, "a client may write before it is accepted");
	close(l);
	CHECK_ERR(read(fds[2], &b, 1), ECONNRESET, "listener closed before accept: the client reads ECONNRESET");
	check(read(fds[2], &b, 1) == 0, "then EOF");
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	unlink(path);
}

static void client(const char *path)
{
	int c = connect_to(path);
	char buf[256];

	if (c < 0)
		_exit(2);
	/* 1: greeting, read back the echo */
	write(c, "hello", 5);
	if (read_full(c, buf, 5) != 5 || memcmp(buf, "HELLO", 5))
		_exit(3);
	/* 2: a large transfer the server reads in pieces */
	static char big[300000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	if (write(c, big, sizeof(big)) != (ssize_t)sizeof(big))
		_exit(4);
	/* 3: wait for the server's go, then shut our write side down */
	if (read(c, buf, 1) != 1)
		_exit(5);
	shutdown(c, SHUT_WR);
	/* 4: the server's last words */
	if (read_full(c, buf, 3) != 3 || memcmp(buf, "bye", 3))
		_exit(6);
	_exit(0);
}

static void test_conversation(const char *dir)
{
	char path[128], buf[512];
	socklen_t len, alen;
	struct sockaddr_un a, got;
	int l, s, status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/server", dir);
	a = addr_of(path, &len);
	l = stream_socket();
	check(bind(l, (struct sockaddr *)&a, len) == 0 && listen(l, 4) == 0, "server binds and listens");
	pid = fork();
	if (pid == 0) {
		close(l);
		client(path);
	}
	alen = sizeof(got);
	memset(&got, 0xff, sizeof(got));
	s = accept(l, (struct sockaddr *)&got, &alen);
	check(s >= 0, "accept a forked client's connection");
	check(alen == sizeof(sa_family_t) && got.sun_family == AF_UNIX,
	      "accept: an unbound client's address is just the family");
	alen = sizeof(got);
	check(getsockname(s, (struct sockaddr *)&got, &alen) == 0 && alen == len &&
	      strcmp(got.sun_path, path) == 0, "getsockname of the accepted socket is the listener's name");
	struct ucred cr;
	socklen_t crl = sizeof(cr);
	check(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &crl) == 0 && crl == sizeof(cr) &&
	      cr.pid == pid && cr.uid == geteuid() && cr.gid == getegid(),
	      "SO_PEERCRED on the accepted socket names the client");
	int type = 0;
	socklen_t tl = sizeof(type);
	check(getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type == SOCK_STREAM,
	      "SO_TYPE of the accepted socket is SOCK_STREAM");

	check(read_full(s, buf, 2) == 2 && memcmp(buf, "he", 2) == 0, "a byte stream reads partially");
	check(recv(s, buf, 3, MSG_PEEK) == 3 && memcmp(buf, "llo", 3) == 0, "MSG_PEEK sees the rest");
	check(recv(s, buf, sizeof(buf), 0) == 3 && memcmp(buf, "llo", 3) == 0,
	      "MSG_PEEK left the bytes in place");
	CHECK_ERR(recv(s, buf, 1, MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT on an empty stream: EAGAIN");
	struct pollfd p = { s, POLLIN | POLLOUT, 0 };
	check(poll(&p, 1, 0) == 1 && p.revents == POLLOUT, "poll: an idle connected stream is POLLOUT only");
	struct iovec iov[2] = { { "HE", 2 }, { "LLO", 3 } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	check(sendmsg(s, &mh, 0) == 5, "sendmsg gathers two pieces");

	static char big[300000];
	size_t got_n = 0;
	int pieces = 0, same = 1;
	while (got_n < sizeof(big)) {
		ssize_t r = recvfrom(s, big + got_n, 70000, 0, NULL, NULL);

		if (r <= 0)
			break;
		got_n += r;
		pieces++;
	}
	for (size_t i = 0; i < sizeof(big); i++)
		same &= big[i] == (char)(i * 7);
	check(got_n == sizeof(big) && same, "300000 bytes arrive whole and in order");
	check(pieces >= 5, "reads of at most 70000 bytes take several pieces");
	check(send(s, "g", 1, 0) == 1, "send one byte");
	check(read(s, buf, 1) == 0, "the peer's SHUT_WR reads as EOF");
	p.events = POLLIN;
	p.revents = 0;
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && !(p.revents & POLLHUP),
	      "poll after the peer's SHUT_WR: POLLIN, no POLLHUP");
	check(write(s, "bye", 3) == 3, "we can still write after the peer's SHUT_WR");
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the client saw every answer");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("   client status %#x\n", status);
	p.events = POLLIN | POLLOUT;
	p.revents = 0;
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && (p.revents & POLLIN),
	      "poll after the peer closed: POLLIN|POLLHUP");
	sigpipes = 0;
	CHECK_ERR(send(s, "x", 1, MSG_NOSIGNAL), EPIPE, "send to a closed peer with MSG_NOSIGNAL: EPIPE");
	check(sigpipes == 0, "MSG_NOSIGNAL raised no SIGPIPE");
	CHECK_ERR(write(s, "x", 1), EPIPE, "write to a closed peer: EPIPE");
	check(sigpipes == 1, "write to a closed peer raised SIGPIPE");
	close(s);
	close(l);
	unlink(path);
}

static void test_pair_and_shutdown(void)
{
	int sv[2];
	char buf[16];
	struct sockaddr_un got;
	socklen_t alen = sizeof(got);

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair SOCK_STREAM");
	check(getpeername(sv[0], (struct sockaddr *)&got, &alen) == 0 && alen == sizeof(sa_family_t),
	      "getpeername on a pair: an unnamed address");
	struct ucred cr;
	socklen_t crl = sizeof(cr);
	check(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &crl) == 0 && cr.pid == getpid(),
	      "SO_PEERCRED on a pair names this process");
	check(write(sv[0], "abc", 3) == 3 && write(sv[0], "def", 3) == 3, "two writes");
	check(read(sv[1], buf, sizeof(buf)) == 6 && memcmp(buf, "abcdef", 6) == 0,
	      "one read takes both writes: no message boundaries");
	check(shutdown(sv[0], SHUT_RD) == 0, "shutdown SHUT_RD");
	check(read(sv[0], buf, 1) == 0, "read after our SHUT_RD: 0");
	CHECK_ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE, "send to a peer that shut down reading: EPIPE");
	check(shutdown(sv[1], SHUT_WR) == 0, "shutdown SHUT_WR");
	CHECK_ERR(send(sv[1], "x", 1, MSG_NOSIGNAL), EPIPE, "send after our SHUT_WR: EPIPE");
	struct pollfd p = { sv[0], POLLIN | POLLRDHUP, 0 };
	check(poll(&p, 1, 0) == 1 && (p.revents & POLLIN) && (p.revents & POLLRDHUP),
	      "poll after SHUT_RD: POLLIN|POLLRDHUP");
	CHECK_ERR(shutdown(sv[0], 7), EINVAL, "shutdown with a bad how: EINVAL");
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	char dir[] = "/tmp/unixstream.XXXXXX";

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, on_sigpipe);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_errors(dir);
	test_backlog(dir);
	test_conversation(dir);
	test_pair_and_shutdown();
	rmdir(dir);
	return check_summary("unixstream");
}
