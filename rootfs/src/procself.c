/*
 * /proc/self semantics that BusyBox and OpenRC rely on, checked the same
 * way on Linux and on Kevlar:
 *
 *  - /proc/self/environ is the process's own initial environment, so two
 *    children exec'd with VAR=a and VAR=b read different bytes (OpenRC
 *    compares it to tell whether /proc is real);
 *  - /proc/self/cmdline is the argv it was exec'd with;
 *  - /proc/self/exe names the program file, also after exec'ing
 *    "/proc/self/exe" (BusyBox ash runs applets that way) and, for a #!
 *    script, names the interpreter, not the script;
 *  - /proc/self links to the pid, /proc/<pid>/stat starts "pid (comm)";
 *  - /proc lists a thread group once, by its leader's pid: a second
 *    thread's /proc/<tid> resolves but is not listed, and
 *    /proc/<pid>/task/ lists both threads.
 *
 * Output: one "check ..." line per failure and "procself: N checks, M failed".
 * Exit status 0 only when every check passed.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int checks, failed;

static void check(int ok, const char *what)
{
	checks++;
	if (!ok) {
		failed++;
		printf("check %s: FAILED\n", what);
	}
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while ((size_t)len < size && (n = read(fd, buf + len, size - len)) > 0)
		len += n;
	close(fd);
	return len;
}

static int same_bytes(const char *path, const char *want, size_t len)
{
	char buf[512];

	return read_file(path, buf, sizeof(buf)) == (ssize_t)len && !memcmp(buf, want, len);
}

static void exe_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
}

/* Run argv with envp in a child; its exit status (0: its checks passed). */
static int run(const char *path, char *const argv[], char *const envp[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int thread_pipe[2];
static volatile int thread_tid;

static void *thread_main(void *arg)
{
	char c;

	(void)arg;
	thread_tid = syscall(SYS_gettid);
	/* Wait for the main thread's checks to end. */
	if (read(thread_pipe[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/* Whether directory path lists name. */
static int lists(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	closedir(d);
	return found;
}

static void check_threads_in_proc(void)
{
	char pid[16], tid[16], path[64];
	pthread_t th;
	struct stat st;

	if (pipe(thread_pipe) || pthread_create(&th, NULL, thread_main, NULL)) {
		check(0, "start a thread");
		return;
	}
	while (!thread_tid)
		sched_yield();
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	snprintf(tid, sizeof(tid), "%d", thread_tid);
	check(lists("/proc", pid) == 1, "/proc lists the group leader");
	check(lists("/proc", tid) == 0, "/proc does not list a second thread");
	snprintf(path, sizeof(path), "/proc/%s/stat", tid);
	check(!stat(path, &st), "/proc/<tid> of a second thread resolves");
	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	check(lists(path, pid) == 1 && lists(path, tid) == 1, "/proc/<pid>/task lists both threads");
	snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", pid, tid);
	check(!stat(path, &st), "/proc/<pid>/task/<tid>/stat exists");
	close(thread_pipe[1]);
	pthread_join(th, NULL);
}

/* Child modes: exit 0 when what the parent expects holds. */
static int child(int argc, char **argv)
{
	char exe[256];

	if (!strcmp(argv[1], "env-a"))
		return !same_bytes("/proc/self/environ", "VAR=a", 6);
	if (!strcmp(argv[1], "env-b"))
		return !same_bytes("/proc/self/environ", "VAR=b", 6);
	if (!strcmp(argv[1], "cmdline"))
		return !same_bytes("/proc/self/cmdline", "procself\0cmdline\0x y", 21);
	exe_path(exe, sizeof(exe));
	if (!strcmp(argv[1], "exe") && argc == 3)
		return strcmp(exe, argv[2]) != 0;
	/* As a #! interpreter: argv is the interpreter, its argument, the script. */
	if (argc == 3 && !strcmp(argv[1], "script"))
		return strcmp(exe, argv[0]) != 0;
	return 2;
}

int main(int argc, char **argv)
{
	char exe[256], script[] = "/tmp/procself-XXXXXX", buf[512], stat_head[64];
	struct stat a, b;
	int fd, n;

	if (argc > 1)
		return child(argc, argv);

	exe_path(exe, sizeof(exe));
	check(exe[0] == '/' && strcmp(exe, "/proc/self/exe"), "exe is an absolute path");
	check(!stat(exe, &a) && !stat("/proc/self/exe", &b) && a.st_ino == b.st_ino &&
	      a.st_dev == b.st_dev, "exe names this program's file");

	char *env_a[] = { "VAR=a", NULL }, *env_b[] = { "VAR=b", NULL };
	char *args_a[] = { "procself", "env-a", NULL }, *args_b[] = { "procself", "env-b", NULL };
	check(run("/proc/self/exe", args_a, env_a) == 0, "environ of a child exec'd with VAR=a");
	check(run("/proc/self/exe", args_b, env_b) == 0, "environ of a child exec'd with VAR=b");

	char *args_c[] = { "procself", "cmdline", "x y", NULL };
	check(run(exe, args_c, env_a) == 0, "cmdline is the exec'd argv");

	char *args_e[] = { "procself", "exe", exe, NULL };
	check(run("/proc/self/exe", args_e, env_a) == 0,
	      "exe after exec of /proc/self/exe names the program");

	if ((fd = mkstemp(script)) < 0) {
		check(0, "make a script in /tmp");
	} else {
		n = snprintf(buf, sizeof(buf), "#!%s script\n", exe);
		check(write(fd, buf, n) == n && !fchmod(fd, 0755), "write the script");
		close(fd);
		char *args_s[] = { script, NULL };
		check(run(script, args_s, env_a) == 0, "exe of a #! script names the interpreter");
		unlink(script);
	}

	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(stat_head, sizeof(stat_head), "%d", (int)getpid());
	check(!strcmp(buf, stat_head), "/proc/self links to the pid");
	snprintf(stat_head, sizeof(stat_head), "%d (procself) ", (int)getpid());
	n = read_file("/proc/self/stat", buf, sizeof(buf));
	check(n > 0 && !strncmp(buf, stat_head, strlen(stat_head)), "stat starts with pid (comm)");

	check_threads_in_proc();

	printf("procself: %d checks, %d failed\n", checks, failed);
	return failed != 0;
}
