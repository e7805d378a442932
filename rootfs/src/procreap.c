/*
 * Reading /proc about processes and threads while they exit and are
 * reaped. Reader processes scan /proc over and over: readdir, then for
 * every process stat, status, maps, cmdline, environ and fd/ (with each
 * link), while the main process forks rounds of short-lived children
 * (some with a thread of their own, ending by exit_group under it) and
 * reaps them. Then threads of the main process read each other's
 * /proc/self/task/<tid>/ files while siblings come and go. Every read
 * either fails because the process is gone (ENOENT, ESRCH; EACCES when
 * run unprivileged on a host) or returns
 * text of the right shape; the kernel must not crash or show freed
 * memory. Our own processes are recognised by their environment marker.
 * Must pass on Linux too.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define MARK        "PROCREAP_MARK=1"
#define READERS     2
#define CHILDREN    6
#define ROUNDS      120
#define BUF         8192

static const char *self_path;
/* Shared with the readers (MAP_SHARED): when to stop, and what they saw. */
struct shared {
	volatile int stop;
	volatile int scans, reads, ours, bad;
	char what[256];
};
static struct shared *sh;

static void bad(const char *file, const char *why)
{
	if (!sh->bad++)
		snprintf(sh->what, sizeof(sh->what), "%s: %s", file, why);
}

/* Gone, or not ours to read (a host run as a user): not a failure. */
static int unreadable(int e)
{
	return e == ENOENT || e == ESRCH || e == EACCES;
}

/* The file's bytes (NUL-terminated), -1 if unreadable (gone), -2 on another error. */
static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long len = 0, n;

	if (fd < 0)
		return unreadable(errno) ? -1 : -2;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0 && (size_t)len < size - 1)
		len += n;
	close(fd);
	if (n < 0)
		return unreadable(errno) ? -1 : -2;
	buf[len] = '\0';
	return len;
}

static int starts_with_pid(const char *text, const char *pid)
{
	size_t n = strlen(pid);

	return !strncmp(text, pid, n) && !strncmp(text + n, " (", 2);
}

/* Every whole maps line starts "start-end " with start < end (a big map is cut at BUF). */
static int maps_well_formed(char *text)
{
	char *save, *last = strrchr(text, '\n');

	if (last)
		last[1] = '\0';
	else
		return *text == '\0' || strlen(text) == BUF - 1;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long start, end;

		if (sscanf(line, "%lx-%lx ", &start, &end) != 2 || start >= end)
			return 0;
	}
	return 1;
}

/* One process's (or thread's) files under dir ("/proc/123" or ".../task/124"). */
static void read_one(const char *dir, const char *pid, int ours)
{
	char buf[BUF];      /* threads read at once: nothing static */
	char path[128], link[256];
	long len;
	DIR *fds;

	snprintf(path, sizeof(path), "%s/stat", dir);
	if ((len = read_file(path, buf, sizeof(buf))) == -2)
		bad(path, strerror(errno));
	else if (len > 0 && !starts_with_pid(buf, pid))
		bad(path, "not \"<pid> (\"");
	else if (len > 0)
		sh->reads++;

	snprintf(path, sizeof(path), "%s/status", dir);
	if ((len = read_file(path, buf, sizeof(buf))) == -2)
		bad(path, strerror(errno));
	else if (len > 0 && strncmp(buf, "Name:\t", 6))
		bad(path, "no Name: line first");

	snprintf(path, sizeof(path), "%s/maps", dir);
	if ((len = read_file(path, buf, sizeof(buf))) == -2)
		bad(path, strerror(errno));
	else if (len > 0 && !maps_well_formed(buf))
		bad(path, "a line that is not start-end");

	snprintf(path, sizeof(path), "%s/cmdline", dir);
	if ((len = read_file(path, buf, sizeof(buf))) == -2)
		bad(path, strerror(errno));
	else if (ours && len > 0 && strcmp(buf, self_path))
		bad(path, "not our argv[0]");
	else if (ours && len > 0)
		sh->ours++;

	snprintf(path, sizeof(path), "%s/environ", dir);
	if ((len = read_file(path, buf, sizeof(buf))) == -2)
		bad(path, strerror(errno));
	else if (ours && len > 0 && (size_t)len < sizeof(buf) - 1 && !memmem(buf, len, MARK, strlen(MARK)))
		bad(path, "our marker is missing");

	snprintf(path, sizeof(path), "%s/fd", dir);
	if (!(fds = opendir(path))) {
		if (!unreadable(errno))
			bad(path, strerror(errno));
		return;
	}
	for (struct dirent *e; (e = readdir(fds));) {
		char fdpath[160];

		if (e->d_name[0] == '.')
			continue;
		if (e->d_name[0] < '0' || e->d_name[0] > '9') {
			bad(path, "an entry that is not a number");
			continue;
		}
		snprintf(fdpath, sizeof(fdpath), "%.128s/%.16s", path, e->d_name);
		if (readlink(fdpath, link, sizeof(link)) < 0 && !unreadable(errno))
			bad(fdpath, strerror(errno));
	}
	closedir(fds);
}

/* Is the process ours? Its environment carries the marker (gone: no). */
static int is_ours(const char *pid)
{
	char buf[BUF];
	char path[64];
	long len;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	len = read_file(path, buf, sizeof(buf));
	return len > 0 && memmem(buf, len, MARK, strlen(MARK)) != NULL;
}

static void scan_proc(void)
{
	DIR *proc = opendir("/proc");
	int pids = 0;

	if (!proc) {
		bad("/proc", strerror(errno));
		return;
	}
	for (struct dirent *e; (e = readdir(proc));) {
		char dir[64];

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		pids++;
		snprintf(dir, sizeof(dir), "/proc/%.16s", e->d_name);
		read_one(dir, e->d_name, is_ours(e->d_name));
	}
	closedir(proc);
	if (!pids)
		bad("/proc", "no process directories");
	sh->scans++;
}

static void reader(void)
{
	while (!sh->stop)
		scan_proc();
	_exit(0);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* A child that lives a moment: touches memory, maybe starts a thread, exits the group. */
static void short_child(int n)
{
	pthread_t t;
	char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		for (int i = 0; i < 16; i++)
			p[i * 4096] = (char)n;
	if (n % 2 && pthread_create(&t, NULL, idle_thread, NULL))
		_exit(2);
	for (volatile int spin = 0; spin < (n % 3) * 20000; spin++)
		;
	exit(0);    /* exit_group: a thread, if any, goes with us */
}

static int fork_rounds(int rounds)
{
	int failed = 0;

	for (int r = 0; r < rounds; r++) {
		pid_t kids[CHILDREN];

		for (int i = 0; i < CHILDREN; i++) {
			kids[i] = fork();
			if (kids[i] == 0)
				short_child(r * CHILDREN + i);
		}
		for (int i = 0; i < CHILDREN; i++) {
			int status;

			if (kids[i] < 0 || waitpid(kids[i], &status, 0) != kids[i] ||
			    !WIFEXITED(status) || WEXITSTATUS(status))
				failed++;
		}
	}
	return failed;
}

/* Threads of this process: some read their siblings' task/ files, the others come and go. */
static volatile int churn_stop;

static void *sibling_reader(void *arg)
{
	(void)arg;
	while (!churn_stop) {
		DIR *tasks = opendir("/proc/self/task");

		if (!tasks) {
			bad("/proc/self/task", strerror(errno));
			break;
		}
		for (struct dirent *e; (e = readdir(tasks));) {
			char dir[64];

			if (e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			snprintf(dir, sizeof(dir), "/proc/self/task/%.16s", e->d_name);
			read_one(dir, e->d_name, 1);
		}
		closedir(tasks);
	}
	return NULL;
}

static void *short_thread(void *arg)
{
	char *p = malloc(4096);

	if (p)
		memset(p, (int)(long)arg, 4096);
	free(p);
	return NULL;
}

static int thread_churn(int rounds)
{
	pthread_t readers[2], kids[4];
	int failed = 0;

	for (int i = 0; i < 2; i++)
		if (pthread_create(&readers[i], NULL, sibling_reader, NULL))
			return 1;
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < 4; i++)
			if (pthread_create(&kids[i], NULL, short_thread, (void *)(long)i))
				kids[i] = 0, failed++;
		for (int i = 0; i < 4; i++)
			if (kids[i] && pthread_join(kids[i], NULL))
				failed++;
	}
	churn_stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(readers[i], NULL);
	return failed;
}

int main(int argc, char **argv, char **envp)
{
	pid_t readers[READERS];
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS, failed, churn_failed, reader_failed = 0;

	self_path = argv[0];
	/* Re-exec with the marker first in the environment, where readers look for it. */
	if (!getenv("PROCREAP_MARK")) {
		int n = 0;

		while (envp[n])
			n++;
		char **env = calloc(n + 2, sizeof(*env));

		env[0] = MARK;
		memcpy(env + 1, envp, n * sizeof(*env));
		execve(argv[0], argv, env);
		perror("execve");
		return 1;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int i = 0; i < READERS; i++)
		if ((readers[i] = fork()) == 0)
			reader();
	failed = fork_rounds(rounds);
	/* Let the readers finish a scan of a quieter /proc too. */
	for (int seen = sh->scans; sh->scans < seen + READERS;)
		usleep(1000);
	sh->stop = 1;
	for (int i = 0; i < READERS; i++) {
		int status;

		if (readers[i] < 0 || waitpid(readers[i], &status, 0) != readers[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			reader_failed++;
	}
	check(failed == 0, "every short-lived child exited 0 and was reaped");
	check(reader_failed == 0, "the reader processes ran to the end");
	printf("   %d scans of /proc, %d stat files read, %d of our command lines\n", sh->scans,
	       sh->reads, sh->ours);
	check(sh->scans >= READERS && sh->reads > 0 && sh->ours > 0,
	      "the readers scanned /proc while children came and went");
	check(sh->bad == 0, "every /proc file of a process read whole or as gone");
	if (sh->bad)
		printf("   %d bad reads, first: %s\n", sh->bad, sh->what);

	sh->bad = 0;
	sh->reads = 0;
	churn_failed = thread_churn(rounds / 2 ? rounds / 2 : 1);
	check(churn_failed == 0, "threads started and joined while siblings read their task/ files");
	check(sh->reads > 0, "the sibling readers read task/<tid>/stat");
	check(sh->bad == 0, "every task/<tid>/ file read whole or as gone");
	if (sh->bad)
		printf("   %d bad reads, first: %s\n", sh->bad, sh->what);
	return check_summary("procreap");
}
