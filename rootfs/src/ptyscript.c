/*
 * A minimal `script -q -c CMD LOG` (Debian's busybox-static has no script
 * applet): runs CMD under sh on a new pseudo-terminal and copies what it
 * prints to stdout and to LOG. It exercises what script, login and getty
 * need from ptys: posix_openpt on /dev/ptmx, grantpt, unlockpt, ptsname
 * (TIOCGPTN, and a /dev/pts/N node to stat), a new session whose leader
 * opens the slave and so gets it as controlling terminal, and master
 * reads that end in EIO once the slave side is closed.
 *
 * Usage: ptyscript LOG CMD. Exit status: CMD's, or 100 + a step number.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int fail(int step, const char *what)
{
	fprintf(stderr, "ptyscript: %s: %s\n", what, strerror(errno));
	return 100 + step;
}

static void child(int master, const char *slave_name, const char *cmd)
{
	int slave;

	close(master);
	if (setsid() < 0)
		_exit(fail(5, "setsid"));
	/* A session leader opening a terminal without O_NOCTTY acquires it. */
	if ((slave = open(slave_name, O_RDWR)) < 0)
		_exit(fail(6, slave_name));
	dup2(slave, 0);
	dup2(slave, 1);
	dup2(slave, 2);
	if (slave > 2)
		close(slave);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(fail(7, "exec /bin/sh"));
}

int main(int argc, char **argv)
{
	char buf[512], *name;
	int master, log, status;
	ssize_t n;
	pid_t pid;

	if (argc != 3) {
		fprintf(stderr, "usage: ptyscript LOG CMD\n");
		return 2;
	}
	if ((log = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return fail(0, argv[1]);
	if ((master = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		return fail(1, "posix_openpt");
	if (grantpt(master) || unlockpt(master))
		return fail(2, "grantpt/unlockpt");
	if (!(name = ptsname(master)))
		return fail(3, "ptsname");
	if ((pid = fork()) < 0)
		return fail(4, "fork");
	if (pid == 0)
		child(master, name, argv[2]);
	/* Linux reads EIO from the master once the slave's last file is closed. */
	while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && (write(1, buf, n) != n || write(log, buf, n) != n))
			return fail(8, "write");
	if (n < 0 && errno != EIO)
		return fail(9, "read master");
	if (waitpid(pid, &status, 0) < 0)
		return fail(10, "waitpid");
	close(master);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
